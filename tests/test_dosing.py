"""Chemical adjustment (osmolab.thermo.dosing): acid, caustic, degassing, antiscalant limits.

References: the acid and caustic doses are refereed by PHREEQC (phreeqpython, phreeqc.dat, the
database whose species and constants osmolab's ion-association model uses) dosing the same
chemical to the same pH with a Fix_pH phase, and by a hand calculation from carbonate
equilibrium (K1 of carbonic acid, Plummer & Busenberg 1982; Davies activity coefficients).
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError
from osmolab.thermo import dosing
from osmolab.thermo.analysis import concentrate, water_analysis
from osmolab.thermo.scaling import scaling_indices
from osmolab.thermo.speciation import Davies, log_k, speciate

BRACKISH = "Ca+2 60 mg/L, Mg+2 12 mg/L, Na+ 115 mg/L, HCO3- 250 mg/L, SO4-2 40 mg/L, Cl- 150 mg/L"


@pytest.fixture(scope="module")
def brackish():
    return water_analysis(BRACKISH, ph=7.8, balance="Cl-")


def _phreeqc_dose(water, chemical, ph):
    """mmol of chemical per kg water PHREEQC adds to bring the water to ``ph``."""
    phreeqpython = pytest.importorskip("phreeqpython")
    session = phreeqpython.PhreeqPython(database="phreeqc.dat")
    elements = {"Ca+2": "Ca", "Mg+2": "Mg", "Na+": "Na", "Cl-": "Cl", "SO4-2": "S(6)", "B": "B"}
    lines = ["SOLUTION 1", " units mmol/kgw", f" temp {water.temperature - 273.15:.4f}",
             f" pH {water.ph:.6f}"]
    if water.alkalinity > 0:
        lines.append(f" Alkalinity {water.alkalinity * 1e3:.10g}")
    for name, element in elements.items():
        if name in water.totals:
            lines.append(f" {element} {water.totals[name] * 1e3:.10g}")
    lines += ["PHASES", "Fix_H+", " H+ = H+", " log_k 0.0", "EQUILIBRIUM_PHASES 1",
              f" Fix_H+ {-ph:.6f} {chemical} 10.0", "SELECTED_OUTPUT", " -reset false",
              " -pH true", " -equilibrium_phases Fix_H+", "END"]
    session.ip.run_string("\n".join(lines) + "\n")
    table = session.ip.get_selected_output_array()
    ph_after, _, delta = (float(v) for v in table[-1][:3])
    assert ph_after == pytest.approx(ph, abs=1e-3)
    return -delta * 1e3  # the phase dissolves: negative delta moles


def _dose_mmol_kg(adjustment, chemical_table):
    chem = chemical_table[adjustment.chemical]
    per_litre = dosing._water_per_litre(adjustment.feed.tds, adjustment.feed.temperature)
    return adjustment.dose / per_litre / chem["molar_mass"] * 1e3


def test_sulfuric_acid_to_ph_6_5_matches_phreeqc(brackish):
    a = dosing.acid_dose(brackish, "H2SO4", target_ph=6.5)
    ours = _dose_mmol_kg(a, dosing.ACIDS)
    referee = _phreeqc_dose(brackish, "H2SO4", 6.5)
    # measured: 0.762 vs PHREEQC 0.764 mmol/kg H2SO4 per kg water (-0.2 %)
    assert ours == pytest.approx(referee, rel=0.03)
    assert a.water.ph == pytest.approx(6.5)


def test_sulfuric_acid_against_a_hand_calculation(brackish):
    # Hand calculation: with total carbon C_T conserved, Alk(pH) ~ C_T a1 (HCO3- only at pH 6.5
    # and 7.8, CO3-2 < 1 %), a1 = K1' / (K1' + 10^-pH), K1' = K1 / g1 with g1 Davies'
    # monovalent coefficient at the water's ionic strength (H+ enters as its activity, the pH):
    # n = Alk(7.8) - Alk(6.5) eq/kg. K1 (CO2 + H2O = HCO3- + H+) of Plummer & Busenberg 1982,
    # the difference of the two carbonate formation constants of phreeqc.dat.
    s = brackish.speciation
    t = brackish.temperature
    log_hco3 = log_k(10.329, -14.9, (107.8871, 0.03252849, -5151.79, -38.92561, 563713.9, 0), t)
    log_co2 = log_k(16.681, -5.738,
                    (464.1965, 0.09344813, -26986.16, -165.75951, 2248628.9, 0), t)
    k1 = 10.0 ** (log_hco3 - log_co2)
    g1 = 10.0 ** Davies(s.ionic_strength[0], 1, t)
    k1c = k1 / g1
    ct = s.total_carbon[0]

    def alkalinity(ph):
        return ct * k1c / (k1c + 10.0**-ph)

    hand = (alkalinity(7.8) - alkalinity(6.5)) / 2.0 * 1e3  # mmol H2SO4 per kg water
    ours = _dose_mmol_kg(dosing.acid_dose(brackish, "H2SO4", target_ph=6.5), dosing.ACIDS)
    # pairs (CaHCO3+, NaSO4-, CaSO4) and CO3-2 make the hand value differ by a few per mille
    assert ours == pytest.approx(float(hand), rel=0.03)


def test_hydrochloric_acid_is_twice_the_moles_of_sulfuric(brackish):
    h2so4 = dosing.acid_dose(brackish, "H2SO4", target_ph=6.8)
    hcl = dosing.acid_dose(brackish, "HCl", target_ph=6.8)
    ratio = _dose_mmol_kg(hcl, dosing.ACIDS) / _dose_mmol_kg(h2so4, dosing.ACIDS)
    assert ratio == pytest.approx(2.0, rel=0.01)
    assert hcl.water.totals["Cl-"] > brackish.totals["Cl-"]
    assert h2so4.water.totals["SO4-2"] > brackish.totals["SO4-2"]


def test_acid_conserves_carbon_and_consumes_alkalinity(brackish):
    a = dosing.acid_dose(brackish, "H2SO4", target_ph=6.5)
    assert a.water.speciation.total_carbon[0] == pytest.approx(brackish.speciation.total_carbon[0])
    consumed = brackish.speciation.alkalinity[0] - a.water.speciation.alkalinity[0]
    assert consumed * 1e3 == pytest.approx(2 * _dose_mmol_kg(a, dosing.ACIDS), rel=1e-4)
    assert a.water.speciation["CO2"][0] > brackish.speciation["CO2"][0]


def test_acid_to_a_concentrate_lsi_reaches_it(brackish):
    factor = 4.0  # 75 % recovery
    before = float(scaling_indices(concentrate(brackish, factor))["lsi"][0])
    a = dosing.acid_dose(brackish, "H2SO4", target_lsi=1.0, concentration_factor=factor)
    after = float(scaling_indices(concentrate(a.water, factor))["lsi"][0])
    assert before > 1.0
    assert after == pytest.approx(1.0, abs=0.01)
    assert a.dose > 0 and a.water.ph < brackish.ph


def test_acid_not_needed_when_the_lsi_is_already_met(brackish):
    a = dosing.acid_dose(brackish, "H2SO4", target_lsi=3.0, concentration_factor=2.0)
    assert a.dose == 0.0 and a.water is brackish


def test_caustic_to_ph_10_matches_phreeqc():
    permeate = water_analysis("Na+ 60 mg/L, Cl- 90 mg/L, HCO3- 5 mg/L, B 0.9 mg/L", ph=6.0,
                              balance="Cl-")
    c = dosing.caustic_dose(permeate, 10.0)
    ours = _dose_mmol_kg(c, dosing.BASES)
    referee = _phreeqc_dose(permeate, "NaOH", 10.0)
    assert ours == pytest.approx(referee, rel=0.03)
    # boric acid mostly borate at pH 10 (pKa 9.24)
    s = c.water.speciation
    assert s["B(OH)4-"][0] > 0.8 * (s["B(OH)3"][0] + s["B(OH)4-"][0])


def test_degassing_raises_the_ph_as_carbonate_equilibrium_says():
    # RO permeate: HCO3- 10 mg/L at pH 5.5, mostly CO2. Removing 90 % of the CO2 at constant
    # alkalinity: pH' = pH + log10(CO2 / CO2') ~ pH + 1 (HCO3- unchanged).
    permeate = water_analysis("Na+ 5 mg/L, HCO3- 10 mg/L, Cl- 1.9 mg/L", ph=5.5)
    d = dosing.degas(permeate, 0.9)
    assert d.water.ph == pytest.approx(5.5 + 1.0, abs=0.03)
    co2 = permeate.speciation["CO2"][0]
    assert d.water.speciation.total_carbon[0] == pytest.approx(
        permeate.speciation.total_carbon[0] - 0.9 * co2, rel=1e-9)
    # the CO2 left is a little above 10 %: Alk = HCO3- - H+ is kept, and H+ (3 umol/kg at pH
    # 5.5) falls, so 3 umol/kg of HCO3- turn back into CO2 (measured: 10.25 % of the CO2)
    assert d.water.speciation["CO2"][0] == pytest.approx(0.1 * co2, rel=0.05)
    assert d.water.speciation.alkalinity[0] == pytest.approx(permeate.speciation.alkalinity[0])
    assert dosing.degas(permeate, 0.0).water.ph == pytest.approx(5.5)


def test_kg_per_day_from_a_flow(brackish):
    a = dosing.acid_dose(brackish, "H2SO4", target_ph=6.5)
    out = a.to_dict(flow=100.0 / 3600.0)
    assert out["dose_kg_day"] == pytest.approx(out["dose_mg_L"] * 1e-3 * 2400.0)
    assert out["commercial_dose_mg_L"] == pytest.approx(out["dose_mg_L"] / 0.98)
    with pytest.raises(InputError, match="flow"):
        a.kg_per_day(-1.0)


def test_antiscalant_limits_have_sources():
    generic = dosing.limit_sources("generic")
    assert dosing.allowed_limits("generic")["lsi"] == 1.8
    assert dosing.allowed_limits(None)["gypsum"] == 100.0
    for name in ("lsi", "sdsi", "gypsum", "barite", "celestite", "fluorite", "amorphous_silica",
                 "hydroxyapatite"):
        assert "FilmTec" in generic[name]["source"]
        assert generic[name]["confidence"] in ("verified", "quoted")
    assert dosing.allowed_limits("generic")["gypsum"] > dosing.allowed_limits("none")["gypsum"]


def test_check_limits_flags_the_concentrate(brackish):
    brine = concentrate(brackish, 4.0)
    without = dosing.check_limits(brine, None)
    assert without["lsi"]["exceeded"]
    assert not dosing.check_limits(brine, "generic")["lsi"]["exceeded"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda w: dosing.acid_dose(w, "H2SO5", target_ph=6.5), "Did you mean 'H2SO4'"),
    (lambda w: dosing.acid_dose(w, "HCl", target_ph=8.5), "above the water's"),
    (lambda w: dosing.acid_dose(w, "HCl", target_ph=1.5), "below 2"),
    (lambda w: dosing.acid_dose(w, "HCl", target_ph=15), "outside 0-14"),
    (lambda w: dosing.acid_dose(w, "HCl"), "one target"),
    (lambda w: dosing.acid_dose(w, "HCl", target_ph=6, target_lsi=1), "one target"),
    (lambda w: dosing.acid_dose(w, "HCl", target_lsi=0.5, concentration_factor=0.5), ">= 1"),
    (lambda w: dosing.caustic_dose(w, 7.0), "below the water's"),
    (lambda w: dosing.caustic_dose(w, 10.0, base="KOH"), "unknown base"),
    (lambda w: dosing.degas(w, 1.5), "fraction"),
    (lambda w: dosing.degas(w, -0.1), "fraction"),
    (lambda w: dosing.allowed_limits("generik"), "Did you mean 'generic'"),
    (lambda w: dosing.acid_dose({"Ca+2": 1}, "HCl", target_ph=6), "WaterAnalysis"),
])
def test_bad_input_is_one_line(brackish, call, message):
    with pytest.raises(InputError, match=message) as info:
        call(brackish)
    assert "\n" not in str(info.value)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bicarbonate=st.floats(20.0, 600.0), ph=st.floats(6.8, 8.6), drop=st.floats(0.05, 3.5),
       acid=st.sampled_from(["H2SO4", "HCl"]))
def test_acid_never_raises_the_ph_and_conserves_carbon(bicarbonate, ph, drop, acid):
    sodium = bicarbonate / 61.0168 * 22.98977
    water = water_analysis(f"Na+ {sodium:.6g} mg/L, HCO3- {bicarbonate:.6g} mg/L, Ca+2 40 mg/L, "
                           "Cl- 70.9 mg/L", ph=ph, balance="Cl-")
    target = max(ph - drop, 2.0)
    end_point = dosing.carbonate_end_point(water)
    if target < end_point:  # the acid would use up the alkalinity: refused in one line
        with pytest.raises(InputError, match="below the carbonate end point") as info:
            dosing.acid_dose(water, acid, target_ph=target)
        assert "\n" not in str(info.value)
        return
    a = dosing.acid_dose(water, acid, target_ph=target)
    assert a.dose >= 0.0
    assert a.water.ph <= water.ph
    assert np.isclose(a.water.speciation.total_carbon[0], water.speciation.total_carbon[0],
                      rtol=1e-8)
    assert np.isfinite(a.dose)


@settings(max_examples=6, deadline=None)
@given(target_lsi=st.floats(-0.5, 1.5), factor=st.floats(1.5, 6.0))
def test_acid_lsi_solver_converges_or_says_why(target_lsi, factor):
    water = water_analysis(BRACKISH, ph=7.8, balance="Cl-")
    try:
        a = dosing.acid_dose(water, "H2SO4", target_lsi=target_lsi, concentration_factor=factor)
    except InputError as error:  # a clear reason, never a NaN or a traceback
        assert "\n" not in str(error)
        return
    lsi = float(scaling_indices(concentrate(a.water, factor))["lsi"][0])
    assert lsi <= target_lsi + 0.01
    if a.dose > 0:
        assert lsi == pytest.approx(target_lsi, abs=0.01)


# --------------------------------------------------------------------------------------
# CLI: osmolab water --acid/--caustic/--degas/--antiscalant/--recovery/--flow
# --------------------------------------------------------------------------------------
def _cli(*args):
    from typer.testing import CliRunner

    from osmolab.cli import app

    return CliRunner().invoke(app, ["water", BRACKISH, "--ph", "7.8", "--balance", "Cl-", *args])


def test_cli_acid_to_concentrate_lsi_json():
    import json

    result = _cli("--acid", "H2SO4", "--target-lsi", "1.0", "--recovery", "0.75",
                  "--antiscalant", "generic", "--flow", "100", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    dose = data["chemistry"]["doses"][0]
    assert dose["chemical"] == "H2SO4" and dose["dose_mg_L"] > 0
    assert dose["dose_kg_day"] == pytest.approx(dose["dose_mg_L"] * 1e-3 * 2400.0)
    assert data["adjusted"]["ph"] < data["feed"]["ph"]
    checked = data["chemistry"]["concentrate"]["indices"]
    assert checked["lsi"]["value"] == pytest.approx(1.0, abs=0.01)
    assert checked["lsi"]["limit"] == 1.8 and not checked["lsi"]["exceeded"]
    assert data["concentrate"]["lsi"] == pytest.approx(1.0, abs=0.01)


def test_cli_caustic_and_degas_tables():
    result = _cli("--caustic", "--target-ph", "9.5")
    assert result.exit_code == 0, result.output
    assert "Chemical doses" in result.stdout and "NaOH" in result.stdout
    result = _cli("--degas", "0.9", "--recovery", "75")
    assert result.exit_code == 0, result.output
    assert "CO2 removed" in result.stdout and "against the limits" in result.stdout


@pytest.mark.parametrize("args", [
    ("--acid", "H2SO4", "--target-ph", "1.5"),
    ("--acid", "H2SO4", "--target-ph", "8.5"),
    ("--acid", "HNO3", "--target-ph", "6.5"),
    ("--acid", "H2SO4"),
    ("--acid", "H2SO4", "--target-lsi", "1.0"),
    ("--acid", "H2SO4", "--caustic", "--target-ph", "6"),
    ("--target-ph", "6.5"),
    ("--antiscalant", "generik"),
    ("--recovery", "100"),
    ("--recovery", "-0.1"),
    ("--degas", "2"),
    ("--acid", "HCl", "--target-ph", "6.5", "--flow", "-5"),
])
def test_cli_bad_dosing_input_exits_2(args):
    result = _cli(*args)
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1


# --------------------------------------------------------------------------------------
# design file: chemistry: section
# --------------------------------------------------------------------------------------
def _design(chemistry, **feed):
    import yaml

    from osmolab.data import path

    data = yaml.safe_load(path("example_brackish_acid.yaml").read_text(encoding="utf-8"))
    data["chemistry"] = chemistry
    data["feed"].update(feed)
    return data


def test_design_file_acid_moves_the_feed_and_reports_doses():
    from osmolab.ro.design import project

    plain = project("brackish_2stage")
    result = project(_design({"acid": {"chemical": "H2SO4", "target_ph": 6.8},
                              "antiscalant": "generic", "degas_permeate": 0.9}))
    chem = result.dosing
    acid = chem["doses"]["acid"]
    assert acid["ph_after"] == pytest.approx(6.8)
    assert acid["dose_kg_day"] == pytest.approx(acid["dose_mg_L"] * 1e-3 * 2400.0, rel=1e-6)
    assert chem["feed_ions_mg_L"]["SO4-2"] > 300.0 and chem["feed_ions_mg_L"]["HCO3-"] < 250.0
    assert chem["allowed_limits"]["lsi"] == 1.8
    assert not chem["concentrate"]["indices"]["lsi"]["exceeded"]
    assert chem["doses"]["degas_permeate"]["ph_after"] > chem["doses"]["degas_permeate"]["ph_before"]
    # the acidified feed reaches the engine: less HCO3- in the concentrate than without acid
    assert (result.to_dict()["concentrate_ions_mg_L"]["HCO3-"]
            < plain.to_dict()["concentrate_ions_mg_L"]["HCO3-"])
    assert getattr(plain, "dosing", None) is None


def test_design_file_acid_to_concentrate_lsi():
    from osmolab.ro.design import project

    chem = project(_design({"acid": {"chemical": "HCl", "target_lsi": 0.5}})).dosing
    assert chem["concentrate"]["indices"]["lsi"]["value"] == pytest.approx(0.5, abs=0.02)


def test_design_json_has_chemistry():
    import json

    from typer.testing import CliRunner

    from osmolab.cli import app
    from osmolab.data import path

    result = CliRunner().invoke(app, ["design", str(path("example_brackish_acid.yaml")), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["chemistry"]["doses"]["acid"]["chemical"] == "H2SO4"


@pytest.mark.parametrize(("chemistry", "feed", "message"), [
    ({"acid": {"chemical": "H2SO5", "target_ph": 6.8}}, {}, "chemistry.acid.chemical: unknown acid"),
    ({"acid": {"chemical": "H2SO4", "target_ph": 1.5}}, {}, "chemistry.acid.target_ph"),
    ({"acid": {"chemical": "H2SO4", "target_ph": 8.0}}, {}, "chemistry.acid: acid lowers"),
    ({"acid": {"chemical": "H2SO4"}}, {}, "one acid target"),
    ({"antiscalant": "generik"}, {}, "Did you mean 'generic'"),
    ({"degas_permeate": 1.5}, {}, "chemistry.degas_permeate"),
    ({"caustic_second_pass": {"target_ph": 10}}, {}, "one pass"),
    ({"acid": {"target_ph": 6.8}}, {"ions": None, "tds": "2000 mg/L"}, "feed.ions"),
    ({"acidd": {"target_ph": 6.8}}, {}, "Did you mean 'acid'"),
    # review r12, items 4 and 5: the design file goes through the same acid solver
    ({"acid": {"chemical": "H2SO4", "target_ph": 3.0}}, {}, "below the carbonate end point"),
    ({"acid": {"chemical": "H2SO4", "target_lsi": -20}}, {}, "cannot be reached above pH"),
])
def test_design_chemistry_bad_input(chemistry, feed, message):
    from osmolab.ro.design import project

    data = _design(chemistry)
    for key, value in feed.items():
        if value is None:
            data["feed"].pop(key)
        else:
            data["feed"][key] = value
    with pytest.raises(InputError, match=message) as info:
        project(data)
    assert "\n" not in str(info.value)


def test_design_caustic_before_the_second_pass_is_computed_and_recorded():
    import yaml

    from osmolab.data import path
    from osmolab.ro.design import project

    data = yaml.safe_load(path("example_seawater_2pass.yaml").read_text(encoding="utf-8"))
    data["chemistry"] = {"caustic_second_pass": {"target_ph": 10}, "degas_permeate": 0.9}
    result = project(data)
    chem = result.dosing
    caustic = chem["doses"]["caustic_second_pass"]
    # the dose is computed on the first-pass permeate; the engine doses the second pass's feed
    # to the pH (tests/test_boron.py), so the product boron falls well below the undosed design's
    assert caustic["applied_to_engine"].startswith("NaOH dosed to the pass-2 feed")
    plain = project("seawater_2pass").to_dict()["permeate_ions_mg_L"]
    dosed = result.to_dict()["permeate_ions_mg_L"]
    boron = [k for k in plain if k.startswith("B(OH)")]
    assert sum(dosed[k] for k in boron) < 0.5 * sum(plain[k] for k in boron)
    assert caustic["ph_after"] == pytest.approx(10.0) and caustic["ph_before"] < 7.5
    assert 1.0 < caustic["dose_mg_L"] < 50.0 and caustic["dose_kg_day"] > 0
    assert "concentrate" not in chem  # the feed is a salinity, not an ion table


@settings(max_examples=10, deadline=None)
@given(bicarbonate=st.floats(1.0, 300.0), ph=st.floats(5.0, 8.5), rise=st.floats(0.05, 4.0),
       removal=st.floats(0.0, 1.0))
def test_caustic_never_lowers_and_degassing_never_lowers_the_ph(bicarbonate, ph, rise, removal):
    sodium = bicarbonate / 61.0168 * 22.98977
    water = water_analysis(f"Na+ {sodium + 20:.6g} mg/L, HCO3- {bicarbonate:.6g} mg/L, "
                           "Cl- 30.8 mg/L, B 0.5 mg/L", ph=ph, balance="Cl-")
    c = dosing.caustic_dose(water, min(ph + rise, 12.0))
    assert c.dose >= 0.0 and c.water.ph >= water.ph
    assert np.isclose(c.water.speciation.total_carbon[0], water.speciation.total_carbon[0],
                      rtol=1e-8)
    d = dosing.degas(water, removal)
    assert d.water.ph >= water.ph - 1e-9 and d.dose >= 0.0


def test_design_antiscalant_limits_reach_the_scaling_section():
    from osmolab.ro.design import project

    result = project(_design({"antiscalant": "generic"}))
    scaling = result.to_dict()["scaling"]
    assert scaling["antiscalant"] is True
    assert scaling["limits"]["gypsum"] == 230.0 and scaling["limits"]["calcite"] == 1.8
    none = project(_design({"antiscalant": "none"})).to_dict()["scaling"]
    assert none["antiscalant"] is False and none["limits"]["calcite"] == 0.0


# --------------------------------------------------------------------------------------
# review r12 of issue 9: the carbonate end point, unreachable LSI targets, the degasser
# --------------------------------------------------------------------------------------
def test_carbonate_end_point_is_where_the_alkalinity_titration_ends(brackish):
    """Total alkalinity is titrated to pH 4.5 (EPA method 310.1, "Alkalinity (Titrimetric,
    pH 4.5)"; EPA Region 9 SOP 560, after Standard Methods 2320, with a second end point
    0.3 below for low alkalinity; SM 2320 B stops low-alkalinity titrations at pH 4.3-4.7).
    The equivalence point of a closed water lies in that range and falls as the carbon
    rises; there the alkalinity is zero."""
    end = dosing.carbonate_end_point(brackish)
    assert 4.2 <= end <= 4.7
    totals = {k: np.array([v]) for k, v in brackish.totals.items()}
    at_end = speciate(totals, np.array([end]), brackish.temperature,
                      total_carbon=brackish.speciation.total_carbon)
    assert abs(float(at_end.alkalinity[0])) < 1e-8
    soft = water_analysis("Ca+2 10 mg/L, Na+ 5 mg/L, HCO3- 30 mg/L, Cl- 10 mg/L", ph=7.2,
                          balance="Cl-")
    assert dosing.carbonate_end_point(soft) > end + 0.2


@pytest.mark.parametrize("target", [4.0, 3.0, 2.2])
def test_acid_below_the_end_point_is_refused(brackish, target):
    with pytest.raises(InputError, match=r"below the carbonate end point of this water \(pH 4\.") as info:
        dosing.acid_dose(brackish, "H2SO4", target_ph=target)
    assert "\n" not in str(info.value)
    just_above = dosing.acid_dose(brackish, "H2SO4", target_ph=4.6)
    assert just_above.water.speciation.alkalinity[0] > 0
    # all the carbon is still there, most of it CO2
    s = just_above.water.speciation
    assert s.total_carbon[0] == pytest.approx(brackish.speciation.total_carbon[0], rel=1e-8)
    assert s["CO2"][0] > 0.9 * s.total_carbon[0]


def test_acid_on_a_carbonate_free_water_says_so():
    water = water_analysis("Ca+2 82 mg/L, Cl- 145 mg/L", ph=7.5)
    with pytest.raises(InputError, match="holds no carbonate"):
        dosing.acid_dose(water, "HCl", target_ph=6.0)
    with pytest.raises(InputError, match="no calcium or no carbonate"):
        dosing.acid_dose(water, "HCl", target_lsi=0.0, concentration_factor=4.0)


def test_unreachable_target_lsi_is_one_line(brackish):
    with pytest.raises(InputError, match="target LSI -20 cannot be reached above pH 4.4") as info:
        dosing.acid_dose(brackish, "H2SO4", target_lsi=-20, concentration_factor=4.0)
    message = str(info.value)
    assert "\n" not in message and "lowest concentrate LSI" in message
    lowest = float(message.rsplit(" ", 1)[1])
    # a target just above the lowest reachable one is met, near the end point
    a = dosing.acid_dose(brackish, "H2SO4", target_lsi=lowest + 0.5, concentration_factor=4.0)
    assert float(scaling_indices(concentrate(a.water, 4.0))["lsi"][0]) == pytest.approx(
        lowest + 0.5, abs=0.01)


def test_lsi_target_is_met_after_the_degasser(brackish):
    """Review r12 item 8: the acid is solved for the water that reaches the membrane. With a
    90 % degasser after the acid the feed is acidified further (the degasser raises the pH
    again), and the concentrate of the degassed water has the target LSI."""
    adjusted, report = dosing.chemical_adjustment(
        brackish, acid={"chemical": "H2SO4", "target_lsi": 0.0}, degas_co2=0.9,
        concentration_factor=4.0)
    acid, degassed = report["doses"]
    assert degassed["ph_after"] > acid["ph_after"] + 0.5
    assert acid["co2_removal_before_membrane"] == 0.9
    lsi = report["concentrate"]["indices"]["lsi"]
    assert lsi["value"] == pytest.approx(0.0, abs=0.01) and not lsi["exceeded"]
    assert float(scaling_indices(concentrate(adjusted, 4.0))["lsi"][0]) == pytest.approx(
        0.0, abs=0.01)
    without = dosing.acid_dose(brackish, "H2SO4", target_lsi=0.0, concentration_factor=4.0)
    assert 1e3 * without.dose < acid["dose_mg_L"]


def test_cli_degas_does_not_defeat_the_lsi_target():
    import json

    result = _cli("--acid", "H2SO4", "--target-lsi", "0", "--recovery", "0.75", "--degas", "0.9",
                  "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    checked = data["chemistry"]["concentrate"]["indices"]["lsi"]
    assert checked["value"] == pytest.approx(0.0, abs=0.01) and not checked["exceeded"]
    assert data["concentrate"]["lsi"] == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize("args, message", [
    (("--acid", "H2SO4", "--target-ph", "3"), "carbonate end point"),
    (("--acid", "H2SO4", "--target-lsi", "-20", "--recovery", "0.75"),
     "cannot be reached above pH"),
    (("--concentrate", "4", "--recovery", "0.5"), "disagree"),
    (("--concentrate", "1000"), "too high"),
])
def test_cli_review_r12_input_is_one_line(args, message):
    result = _cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output and result.output.count("\n") == 1
    assert "warning" not in result.output


def test_cli_concentrate_and_recovery_are_one_factor():
    import json

    both = json.loads(_cli("--concentrate", "4", "--recovery", "0.75", "--antiscalant", "generic",
                           "--json").stdout)
    alone = json.loads(_cli("--concentrate", "4", "--antiscalant", "generic", "--json").stdout)
    for data in (both, alone):
        assert data["concentrate"]["concentration_factor"] == pytest.approx(4.0)
        assert data["chemistry"]["concentrate"]["concentration_factor"] == pytest.approx(4.0)
    assert alone["chemistry"]["concentrate"]["indices"]["lsi"]["value"] == pytest.approx(
        alone["concentrate"]["lsi"])
    lsi = json.loads(_cli("--acid", "HCl", "--target-lsi", "1", "--concentrate", "4",
                          "--json").stdout)
    assert lsi["concentrate"]["lsi"] == pytest.approx(1.0, abs=0.01)
