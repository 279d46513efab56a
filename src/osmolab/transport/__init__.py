"""Transport laws: gas and liquid diffusivities, Fick diffusion, membrane transport.

``gas`` (Chapman-Enskog with Neufeld's collision integral, Fuller-Schettler-Giddings),
``liquid`` (Nernst-Haskell, Stokes-Einstein, Wilke-Chang, NaCl(aq)), ``fick`` (the
finite-volume diffusion solver and its exact closed-box solution) and ``membrane``
(solution-diffusion, Kedem-Katchalsky, polarisation, spacer correlations). Correlations
take plain SI numbers; the name-lookup conveniences (:func:`gas_diffusivity`,
:func:`ion_diffusivity`, :func:`salt_diffusivity`) sit on top.

Examples
--------
>>> from osmolab.transport import gas_diffusivity
>>> round(float(gas_diffusivity("N2", "O2", 298.15)) * 1e5, 2)
2.03
"""

from . import fick, gas, liquid, membrane
from .fick import (
    DiffusionResult,
    closed_box_exact,
    closed_box_mixing_time,
    mixing_degree,
    partition_initial,
    solve_diffusion,
)
from .gas import (
    Chapman_Enskog,
    Fuller_Schettler_Giddings,
    Gas,
    collision_integral_Neufeld,
    gas_diffusivity,
    gas_names,
)
from .liquid import (
    Stokes_Einstein,
    Wilke_Chang,
    ion_diffusivity,
    nacl_diffusivity,
    nernst_haskell,
    salt_diffusivity,
    stokes_einstein_temperature,
)
from .membrane import (
    CORRELATIONS,
    Guillen_Hoek,
    Guillen_Hoek_friction,
    Schock_Miquel,
    Schock_Miquel_friction,
    channel_pressure_gradient,
    concentration_polarization_factor,
    hydraulic_diameter_spacer,
    kedem_katchalsky_solute_flux,
    membrane_age_factors,
    permeate_concentration,
    solute_flux,
    spiegler_kedem_rejection,
    temperature_correction_Arrhenius,
    temperature_correction_DuPont,
    wall_concentration,
    water_flux,
)

__all__ = [
    # gases
    "Gas",
    "Chapman_Enskog",
    "Fuller_Schettler_Giddings",
    "collision_integral_Neufeld",
    "gas_diffusivity",
    "gas_names",
    # liquids
    "Stokes_Einstein",
    "Wilke_Chang",
    "ion_diffusivity",
    "nacl_diffusivity",
    "nernst_haskell",
    "salt_diffusivity",
    "stokes_einstein_temperature",
    # Fick diffusion (owned by transport/fick.py; names as of this commit)
    "DiffusionResult",
    "closed_box_exact",
    "closed_box_mixing_time",
    "mixing_degree",
    "partition_initial",
    "solve_diffusion",
    # membrane transport (owned by transport/membrane.py; names as of this commit)
    "CORRELATIONS",
    "Guillen_Hoek",
    "Guillen_Hoek_friction",
    "Schock_Miquel",
    "Schock_Miquel_friction",
    "channel_pressure_gradient",
    "concentration_polarization_factor",
    "hydraulic_diameter_spacer",
    "kedem_katchalsky_solute_flux",
    "membrane_age_factors",
    "permeate_concentration",
    "solute_flux",
    "spiegler_kedem_rejection",
    "temperature_correction_Arrhenius",
    "temperature_correction_DuPont",
    "wall_concentration",
    "water_flux",
    # modules
    "fick",
    "gas",
    "liquid",
    "membrane",
]
