"""Physical constants in SI units (CODATA 2018 exact values where defined)."""

#: Molar gas constant [J/(mol K)]
R = 8.314462618
#: Boltzmann constant [J/K]
k_B = 1.380649e-23
#: Avogadro constant [1/mol]
N_A = 6.02214076e23
#: Faraday constant [C/mol]
FARADAY = 96485.33212
#: Elementary charge [C]
ELEMENTARY_CHARGE = 1.602176634e-19
#: Standard gravity [m/s^2]
g = 9.80665
#: Zero Celsius [K]
T0 = 273.15
#: Reference temperature 25 degC [K]
T25 = 298.15
#: One standard atmosphere [Pa]
ATM = 101325.0
#: One bar [Pa]
BAR = 1e5
#: Molar mass of water [kg/mol]
M_WATER = 0.01801528
#: Partial molar volume of pure water at 25 degC [m^3/mol] (M_w / rho_w, rho_w = 997.05 kg/m^3)
VW_25C = M_WATER / 997.047
#: Seconds per hour
HOUR = 3600.0
