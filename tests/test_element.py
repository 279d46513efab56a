"""Tests of the RO element march (osmolab.ro.march) and the element library calibration."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab.errors import InputError
from osmolab.ro import library as elements
from osmolab.ro.config import Feed, MembraneSheet, Pass, Stage, System, Target
from osmolab.ro.feedwater import nacl_composition, property_table, seawater_composition
from osmolab.ro.march import EL_BETA
from osmolab.ro.solver import run_pass
from osmolab.ro.train import simulate
from osmolab.thermo import seawater

M_NACL = 0.05844277


def watertap_case(n_segments=50):
    """WaterTAP 1.8 ReverseOsmosis0D test 'CP_calculation_with_kf_calculation'."""
    comp = nacl_composition(0.035)
    n_nacl = 0.035 / M_NACL  # mol/s of NaCl in 1 kg/s of feed
    return run_pass(
        water_flow=np.array([0.965]), solute_flow=np.array([[n_nacl, n_nacl]]),
        temperature=np.array([298.15]), table=property_table(comp),
        water_permeability=4.2e-12, salt_permeability=3.5e-8,
        relative_permeability=np.ones(2), molar_mass=comp.molar_mass, charge=comp.charge,
        area=50.0, length=20.0, width=2.5, channel_height=2e-3, spacer_porosity=0.75,
        pressure_drop=3e5, element_stage=[0], vessels=1.0, booster_pressure=0.0,
        permeate_pressure=0.0, n_segments=n_segments, correlation="Guillen_Hoek",
        feed_pressure=np.array([50e5 - 101325.0]))


def test_watertap_ro0d_calculated_mass_transfer():
    """WaterTAP 1.8, watertap/unit_models/tests/test_reverse_osmosis_0D.py,
    test_CP_calculation_with_kf_calculation: 0.965 kg/s water + 0.035 kg/s NaCl, 50 bar
    inlet, -3 bar fixed pressure change, 50 m2, A = 4.2e-12 m/(s Pa), B = 3.5e-8 m/s,
    h = 2 mm, porosity 0.75, length 20 m, Sh = 0.46 (Re Sc)^0.36, 25 degC, permeate 1 atm:
    average water flux 4.562e-3 kg/(m2 s), permeate water 0.2281 kg/s, NaCl 7.963e-5 kg/s.

    What differs: WaterTAP's 0D model averages the fluxes at the inlet and outlet (we march
    50 segments along the sheet), and its NaCl property package has its own density,
    viscosity, diffusivity and osmotic-pressure fits (ours: Pitzer osmotic pressure,
    Sharqawy density/viscosity, Nernst-Haskell diffusivity). Agreement within 3 %.
    """
    out = watertap_case()
    water = out["case"][0, 2]
    nacl = out["element_solutes"][0, 0].sum() / 2 * M_NACL
    assert_allclose(water / 50.0, 4.562e-3, rtol=0.03)
    assert_allclose(water, 0.2281, rtol=0.03)
    assert_allclose(nacl, 7.963e-5, rtol=0.03)
    # outlet polarisation: WaterTAP interface 49.94 g/L over bulk 46.57 g/L = 1.072
    beta = out["element"][0, 0, EL_BETA]
    assert_allclose(beta, 49.94 / 46.57, rtol=0.02)


def test_converges_with_segments():
    q = {n: watertap_case(n)["case"][0, 2] for n in (4, 8, 16, 200)}
    err = {n: abs(q[n] / q[200] - 1) for n in (4, 8, 16)}
    assert err[16] < err[8] < err[4]
    assert err[16] < 1e-3
    # second order: halving the segments' size cuts the error by about 4
    assert err[8] / err[16] > 2.5


def _seawater_stage(n_segments=5):
    comp = seawater_composition(0.035)
    model = elements.resolve_element("SW30XLE-440i", n_segments)
    water = 12.0 / 3600 * 1000.0
    return comp, run_pass(
        water_flow=np.array([water, water]), solute_flow=np.outer([water, water],
                                                                   comp.molality),
        temperature=np.array([298.15, 288.15]), table=property_table(comp),
        water_permeability=model.water_permeability, salt_permeability=model.salt_permeability,
        relative_permeability=model.relative_permeabilities(comp.species)[None, None, :],
        molar_mass=comp.molar_mass, charge=comp.charge, area=model.area, length=model.length,
        width=model.channel_width, channel_height=model.channel_height,
        spacer_porosity=model.spacer_porosity, pressure_drop=-1.0,
        element_stage=[0] * 7, vessels=1.0, booster_pressure=0.0, permeate_pressure=0.0,
        n_segments=n_segments, correlation="Schock_Miquel", feed_pressure=np.array([60e5] * 2))


def test_mass_balance_closes_for_water_and_each_ion():
    comp, out = _seawater_stage()
    water_in = 12.0 / 3600 * 1000.0
    water_out = out["case"][:, 3] + out["case"][:, 2]
    assert_allclose(water_out, water_in, rtol=1e-12)
    solutes_in = water_in * comp.molality
    solutes_out = out["concentrate_solutes"] + out["element_solutes"].sum(axis=1)
    assert np.max(np.abs(solutes_out / solutes_in - 1)) < 1e-9


def test_permeate_is_electroneutral_and_ions_are_ordered():
    comp, out = _seawater_stage()
    perm = out["element_solutes"].sum(axis=1)[0]
    eq = perm @ comp.charge
    assert abs(eq) / (perm @ np.abs(comp.charge)) < 1e-12
    sp = dict(zip(comp.species, perm / (comp.molality * 1.0), strict=True))
    # divalent ions pass less than monovalent ones (relative-passage table)
    assert sp["Mg+2"] < sp["Na+"] and sp["SO4-2"] < sp["Cl-"]


def test_library_has_ten_elements_each_calibrated():
    names = elements.element_names()
    assert len(names) >= 10
    cal = elements.calibrate_library()
    assert np.all(np.isfinite(cal[["A", "B"]].to_numpy()))
    sw = cal[cal.name == "SW30HRLE-440i"].iloc[0]
    bw = cal[cal.name == "BW30-400"].iloc[0]
    assert bw.A > 2 * sw.A  # brackish elements are far more permeable


def _nacl_salinity(conc_kg_m3, temperature):
    s = conc_kg_m3 / 1000.0
    for _ in range(30):
        s = conc_kg_m3 / float(seawater.density(s, temperature))
    return s


@pytest.mark.parametrize("name", elements.element_names())
def test_library_element_reproduces_its_datasheet(name):
    """Each element at its own datasheet test (NaCl feed, pressure, temperature, recovery)
    gives the datasheet permeate flow within 2 % and stabilised rejection within 0.05
    percentage points (sources in data/ro_elements.csv)."""
    row = elements.datasheet(name)
    t = 273.15 + float(row["test_temperature_C"])
    perm = float(row["permeate_flow_m3_d"]) / 86400.0
    feed = Feed(flow=perm / float(row["test_recovery"]), temperature=t, salt="NaCl",
                salinity=_nacl_salinity(float(row["test_feed_nacl_mg_L"]) / 1e3, t))
    system = System(feed, [Pass([Stage(vessels=1, elements_per_vessel=1, element=name)])],
                    target=Target("feed_pressure", float(row["test_pressure_bar"]) * 1e5))
    d = simulate(system).to_dict()
    assert_allclose(d["permeate_flow_m3_h"] * 24, float(row["permeate_flow_m3_d"]), rtol=0.02)
    rejection = 100 * (1 - d["permeate_tds_mg_L"] / float(row["test_feed_nacl_mg_L"]))
    assert abs(rejection - float(row["rejection_stabilized_pct"])) < 0.05


def test_unknown_element_suggests_names():
    with pytest.raises(InputError, match="Did you mean 'SW30XLE-440i'"):
        elements.datasheet("SW30XLE-440")


def test_custom_sheet_resolves_with_defaults():
    sheet = MembraneSheet(water_permeability=1e-12, salt_permeability=2e-8, area=37.0,
                          length=1.0)
    model = elements.resolve_element(sheet)
    assert_allclose(model.channel_width, 18.5)
    with pytest.raises(InputError):
        MembraneSheet(water_permeability=-1, salt_permeability=2e-8, area=37.0)


def test_calibration_doc_table_is_current():
    """docs/ro-calibration.md carries the table generated by the code (not typed by hand)."""
    from pathlib import Path

    from osmolab.ro.library import calibration_markdown

    doc = Path(__file__).resolve().parents[1] / "docs" / "ro-calibration.md"
    if not doc.exists():
        pytest.skip("docs not shipped")
    assert calibration_markdown() in doc.read_text(encoding="utf-8")
