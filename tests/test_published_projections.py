"""Published brackish-water projections reproduced (issue 9, "Must agree with").

Two ROSA 9.1 projections printed in full in public repositories
(``osmolab/data/published_projections.yaml``, which cites each report and lists the searches
that found no other complete one):

* ST-1: XLE-440, 7:5 vessels x 5 elements, 20 degC, 75 %, a 377 mg/L Ca(HCO3)2 water at pH 7
  (the "new user's low-pressure brackish design" of the issue);
* TEC-17-7: BW30HRLE-440i, 3x4 : 2x3, 25 degC, 75 %, a 680 mg/L Ca(HCO3)2 water at pH 8.3;

and one held out (not used in any fit, added after the ion ratios were set): a DuPont WAVE
"Case 1" (BW30-400, one stage of 10 x 6, 25 degC, 75 %, a 470 mg/L Ca(HCO3)2/CaSO4 well water
at pH 7.7) whose inputs, feed pressure (13.1 bar) and permeate TDS (4.85 mg/L) are transcribed
in a public script (jwkim3089aw-droid/aquanova, scripts/run_wave_case_1.py). Its ion table and
concentrate were not transcribed, so it is checked on feed pressure and permeate TDS only
(osmolab: 12.93 bar, 0.987x; 6.50 mg/L, 1.34x).

Each design is projected from the report's printed inputs (flow, temperature, ions, array,
recovery, flow factor, permeate back-pressure, ROSA's pre-stage pressure drop, concentrate
recirculation) and checked against the report: feed pressure within 8 %, permeate TDS and each
major ion within a factor 1.5, concentrate LSI within 0.3.

Why the engine was low, and what changed (``docs/water-chemistry.md``, "Published brackish
projections"): before, the permeate of ST-1 was 7.1 mg/L against ROSA's 17.6 (Na 0.47x, Cl
0.53x, HCO3 0.51x, NO3 0.15x, Ca 0.39x, Mg 0.23x, SO4 0.13x). Chloride's passage per unit
flux in ROSA is the datasheet NaCl B (0.85-1.2x): the level was not in the calibration. The
engine made the permeate electroneutral with a geometric mean, which in a water whose
dominant cations (Ca, Mg) pass less than its dominant anions (HCO3, NO3) halves the anions and
doubles the cations. In a dilute feed a negatively charged polyamide layer excludes the
co-ions (anions), which then set the salt passage while the counter-ions follow (Donnan; the
share is now ``osmolab.ro.march.counter_ion_share``, 1/2 in seawater as before, ~1 in
brackish water). With that, Na+ and Cl- (not fitted: ratio 1 to the datasheet NaCl B) land at
0.85-0.97 of ROSA. The other ions' B ratios for brackish elements (``relative_B_brackish`` in
``data/ro_solute_passage.csv``) are set from these two reports: one set for both, so the
ion checks are a consistency check of one ratio table across two elements, two waters and two
temperatures, not an independent validation (fitted on one report alone, the ratios miss the
other's HCO3-, Ca2+, Mg2+ and NO3- by a factor 1.7-2.2; its Na+, Cl-, SO4-2 stay within 0.85-1.07).

What still differs (numbers in the docs table):

* ROSA's ion selectivity is element-specific: relative to chloride, its XLE-440 passes about
  twice as much nitrate (B ratio ~18 vs ~9) and less Ca(HCO3)2 than its BW30HRLE-440i. One
  brackish ratio table cannot follow both, so HCO3- lands at 1.46x (ST-1) and 0.68x
  (TEC-17-7), Ca and Mg at 1.3x / 0.7x, NO3- at 0.7x / 1.35x: inside the factor 1.5 but with
  little room.
* ROSA gives sulfate about half chloride's passage (ratio 0.6 here); polyamide literature
  usually gives a tenth. The brackish column follows ROSA.
* Feed pressure of TEC-17-7 is 7.8 % high: at ROSA's printed average NDP (5.08 bar) and flux
  (24.46 LMH) its BW30HRLE-440i has A = 5.66 LMH/bar with the 0.85 flow factor removed, as
  ours (5.77, from a secondary datasheet listing, confidence M), yet ROSA needs 0.5 bar less
  feed pressure; its NDP bookkeeping is not printed. ST-1 is 1.3 % low.
* ROSA prints no LSI in these reports; the reference LSI is ASTM D3739 applied by osmolab to
  ROSA's printed last-stage concentrate at ROSA's printed pH (the check is of the concentrate
  composition and pH the engine predicts).
"""

import math

import numpy as np
import pytest

from osmolab.data import load_yaml
from osmolab.errors import InputError
from osmolab.ro.design import load_design, project
from osmolab.ro.march import FIXED_CHARGE, counter_ion_share
from osmolab.thermo.scaling import scaling_indices
from osmolab.thermo.speciation import speciate
from osmolab.thermo.species import molar_mass

CASES = {case["id"]: case for case in load_yaml("published_projections.yaml")["cases"]}
#: each check runs on the cases whose source prints what it compares (the held-out WAVE case
#: has only feed pressure and permeate TDS transcribed: no ion table, no concentrate)
ION_CASES = [key for key, case in CASES.items() if "permeate_mg_L" in case["printed"]]
LSI_CASES = [key for key, case in CASES.items() if "concentrate_mg_L" in case["printed"]]
STAGE_CASES = [key for key, case in CASES.items() if "stages" in case["printed"]]
#: cases added after relative_B_brackish was set and not used in any fit
HELD_OUT = [key for key, case in CASES.items() if case.get("held_out")]
#: tolerances of issue 9 (not to be loosened)
PRESSURE_REL = 0.08
FACTOR = 1.5
LSI_ABS = 0.3
#: ions counted as major: at least 5 mg/L in the feed and printed above 0.1 mg/L in the permeate
MAJOR_FEED_MG_L = 5.0
MAJOR_PERMEATE_MG_L = 0.1


@pytest.fixture(scope="module")
def projections():
    return {key: project(load_design(case["design"])).to_dict() for key, case in CASES.items()}


def major_ions(case):
    feed = case["design"]["feed"]["ions"]
    printed = case["printed"]["permeate_mg_L"]
    return [ion for ion, mg in feed.items()
            if mg >= MAJOR_FEED_MG_L and printed.get(ion, 0.0) > MAJOR_PERMEATE_MG_L]


def stream(result, name):
    return next(s for s in result["scaling"]["streams"] if s["stream"] == name)


def printed_concentrate_lsi(case):
    """LSI (ASTM D3739) of the report's last-stage concentrate at the report's pH [-]."""
    printed = case["printed"]
    ions = printed["concentrate_mg_L"]
    temperature = float(case["design"]["feed"]["temperature"].split()[0]) + 273.15
    # mg/L -> mol/kg water (1 kg of water per litre: below 0.3 % off at 2.7 g/L)
    totals = {ion: mg / 1e6 / molar_mass(ion)
              for ion, mg in ions.items() if ion not in ("HCO3-", "CO3-2", "CO2", "SiO2")}
    alkalinity = (ions["HCO3-"] / 1e6 / molar_mass("HCO3-")
                  + 2 * ions["CO3-2"] / 1e6 / molar_mass("CO3-2"))
    water = speciate(totals, ph=printed["concentrate_pH"], temperature=temperature,
                     alkalinity=alkalinity)
    return float(scaling_indices(water)["lsi"][0])


@pytest.mark.parametrize("key", list(CASES))
def test_feed_pressure_within_8_percent(projections, key):
    """The pump's feed pressure ("Feed Pressure" of the system table) within 8 %."""
    got = projections[key]["feed_pressure_bar"]
    want = CASES[key]["printed"]["feed_pressure_bar"]
    assert got == pytest.approx(want, rel=PRESSURE_REL)


@pytest.mark.parametrize("key", list(CASES))
def test_permeate_tds_within_a_factor_1_5(projections, key):
    got = projections[key]["permeate_tds_mg_L"]
    want = CASES[key]["printed"]["permeate_tds_mg_L"]
    assert 1 / FACTOR < got / want < FACTOR, (got, want)


@pytest.mark.parametrize("key", ION_CASES)
def test_each_major_permeate_ion_within_a_factor_1_5(projections, key):
    got = projections[key]["permeate_ions_mg_L"]
    printed = CASES[key]["printed"]["permeate_mg_L"]
    ions = major_ions(CASES[key])
    assert {"Na+", "Ca+2", "HCO3-", "Cl-", "NO3-", "SO4-2"} <= set(ions)
    ratios = {ion: got[ion] / printed[ion] for ion in ions}
    outside = {ion: round(r, 3) for ion, r in ratios.items() if not 1 / FACTOR < r < FACTOR}
    assert not outside, ratios


@pytest.mark.parametrize("key", LSI_CASES)
def test_concentrate_lsi_within_0_3(projections, key):
    got = stream(projections[key], "pass 1 concentrate")["lsi"]
    assert got == pytest.approx(printed_concentrate_lsi(CASES[key]), abs=LSI_ABS)


@pytest.mark.parametrize("key", STAGE_CASES)
def test_stage_split_and_concentrate_ph(projections, key):
    """Beyond the issue's checks: each stage's permeate flow within 3 % of the report (the
    flux split between stages: hydraulics and osmotic pressure), concentrate pH within 0.2."""
    printed = CASES[key]["printed"]
    for got, want in zip(projections[key]["stages"], printed["stages"], strict=True):
        assert got["permeate_flow_m3_h"] == pytest.approx(want["permeate_flow_m3_h"], rel=0.03)
    conc = stream(projections[key], "pass 1 concentrate")
    assert conc["pH"] == pytest.approx(printed["concentrate_pH"], abs=0.2)


def test_a_held_out_case_is_checked():
    """At least one case was not used to set any model parameter (the brackish ion ratios were
    fitted on the two ROSA reports): WAVE "Case 1", BW30-400, single stage 10 x 6, 25 degC,
    75 % (jwkim3089aw-droid/aquanova, scripts/run_wave_case_1.py; see the YAML)."""
    assert "wave_case1_bw30_400" in HELD_OUT
    assert "wave_case1_bw30_400" not in ION_CASES   # its ion table was not transcribed


def test_pre_stage_pressure_loss_is_taken_before_each_stage(projections):
    """Stage 1 sees the pump pressure less its loss; stage 2 stage 1's concentrate pressure
    less its own (as ROSA prints: 6.11 -> 5.76 and 4.58 -> 4.24 bar in ST-1)."""
    result = projections["rosa91_xle440_st1"]
    first, second = result["stages"]
    assert first["feed_pressure_bar"] == pytest.approx(result["feed_pressure_bar"] - 0.35,
                                                       abs=1e-9)
    assert second["feed_pressure_bar"] == pytest.approx(first["concentrate_pressure_bar"] - 0.34,
                                                        abs=1e-9)


def test_without_the_vendor_losses_the_feed_pressure_is_lower():
    """The two 0.35 bar losses raise the pump pressure by more than the first one alone (the
    second stage needs its feed pressure back), and by less than their sum plus a margin."""
    case = CASES["rosa91_xle440_st1"]
    design = dict(case["design"])
    stages = [dict(st, pre_stage_pressure_loss=0.0) for st in design["array"]["passes"][0]["stages"]]
    design["array"] = {"passes": [dict(design["array"]["passes"][0], stages=stages)]}
    with_loss = project(load_design(case["design"])).to_dict(chemistry=False)
    without = project(load_design(design)).to_dict(chemistry=False)
    rise = with_loss["feed_pressure_bar"] - without["feed_pressure_bar"]
    assert 0.35 < rise < 0.35 + 0.34 + 0.1


def test_negative_pre_stage_pressure_loss_is_one_line():
    design = dict(CASES["rosa91_xle440_st1"]["design"])
    bad = dict(design["array"]["passes"][0]["stages"][0], pre_stage_pressure_loss="-1 bar")
    design["array"] = {"passes": [dict(design["array"]["passes"][0],
                                       stages=[bad, design["array"]["passes"][0]["stages"][1]])]}
    with pytest.raises(InputError, match="pre-stage pressure loss") as info:
        load_design(design)
    assert "\n" not in str(info.value)


def test_counter_ion_share_limits():
    """Donnan uptake: the counter-ions carry half the correction in a concentrated feed
    (c >> X, the former geometric mean) and all of it in a dilute one (c << X); at c = X/2,
    a = 1/2 + 1/(2 sqrt 2)."""
    assert counter_ion_share(100.0, FIXED_CHARGE) == pytest.approx(0.5, abs=2e-3)
    assert counter_ion_share(1e-4, FIXED_CHARGE) == pytest.approx(1.0, abs=1e-6)
    assert counter_ion_share(FIXED_CHARGE / 2, FIXED_CHARGE) == pytest.approx(
        0.5 + 0.5 / math.sqrt(2), rel=1e-12)
    shares = [counter_ion_share(c, FIXED_CHARGE) for c in np.geomspace(1e-3, 10, 20)]
    assert np.all(np.diff(shares) < 0)


def test_nacl_feed_is_untouched_by_the_electroneutrality():
    """A NaCl feed has equal Na+ and Cl- permeabilities: no correction, so the datasheet
    calibration (NaCl) is unchanged by the Donnan share."""
    design = dict(CASES["rosa91_xle440_st1"]["design"])
    design["feed"] = dict(design["feed"], ions={"Na+": 196.7, "Cl-": 303.3})
    ions = project(load_design(design)).to_dict(chemistry=False)["permeate_ions_mg_L"]
    assert ions["Na+"] / 22.98977 == pytest.approx(ions["Cl-"] / 35.453, rel=1e-9)
