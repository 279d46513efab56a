"""Boron in seawater RO against published figures, the datasheet boron calibration at the test
pH, and the chemistry of a caustic-dosed second pass (issue 9: boron and pass-2 chemistry).

Published numbers: ``src/osmolab/data/boron_published.csv`` (each row cites its source):
Hydranautics TAB 113 (2005) for the boron rejection of a commercial single-pass seawater system,
Farhat et al. (2013, Desalination 310) for a two-pass design without pH adjustment, the
Ashkelon paper (Desalination 203, 2007) for a high-pH second stage, Prats et al. (2000,
Desalination 128) and Tu et al. (2013, Environ. Sci. Technol.) for the trends with pH and
flux. The NaOH dose to a pH is refereed by :func:`osmolab.thermo.dosing.caustic_dose`, itself
checked against PHREEQC in ``tests/test_dosing.py``.
"""

import numpy as np
import pytest

from osmolab import data
from osmolab.errors import InputError
from osmolab.ro import library
from osmolab.ro.chemistry import borate_fraction, stream_chemistry
from osmolab.ro.config import Feed, Pass, Stage, System, Target
from osmolab.ro.design import bundled_example, load_design, project
from osmolab.ro.train import dose_pass_feed, simulate

_BORON = ("B(OH)3", "B(OH)4-")
_CARBON = ("CO2", "HCO3-", "CO3-2")


def _published(key):
    table = data.load_csv("boron_published.csv").set_index("key")
    row = table.loc[key]
    return float(row["low"]), float(row["high"])


def _total(solutes, species, names):
    return sum(solutes[..., species.index(n)] for n in names if n in species)


def _rejection(result, k):
    """Boron rejection of pass ``k`` (permeate per its own feed, by volume) [-]."""
    sp = result.species
    p = result.passes[k]
    feed = (_total(p["permeate_solutes"][0], sp, _BORON)
            + _total(p["concentrate_solutes"][0], sp, _BORON)) / p["feed_volume"][0]
    return 1.0 - _total(p["permeate_solutes"][0], sp, _BORON) / p["permeate_volume"][0] / feed


@pytest.fixture(scope="module")
def two_pass():
    return project(load_design(bundled_example("seawater_2pass")))


# ------------------------------------------------------------------------------------------
# published boron rejections


def test_single_pass_boron_rejection_is_in_the_hydranautics_range():
    """Hydranautics TAB 113 (2005): SWC elements of 92-93 % test boron rejection give 80-86 %
    in a typical commercial seawater system at 8 gfd (14 LMH). SWC5-LD (92 % at its test) in
    10 x 7 elements at 14 LMH, 35 g/kg seawater at 25 degC (the vendor's test temperature; the
    bulletin gives none for the system figure) and 45 % recovery: osmolab 81.3 %, inside the
    printed range (its width is the tolerance: the bulletin's plants differ in temperature,
    recovery and age). A warmer feed passes more boric acid: 80.4 % at 28 degC."""
    low, high = _published("hydranautics_system")
    area = float(library.datasheet("SWC5-LD")["area_m2"])
    permeate = 14.0 / 1000 / 3600 * 70 * area  # m3/s at 14 LMH
    system = System(Feed(flow=permeate / 0.45, temperature=298.15, salinity=0.035),
                    [Pass([Stage(vessels=10, elements_per_vessel=7, element="SWC5-LD")])],
                    target=Target("recovery", 0.45))
    r = simulate(system)
    flux = r.passes[0]["permeate_volume"][0] / (70 * area) * 3.6e6
    assert flux == pytest.approx(14.0, rel=1e-6)
    assert low / 100 <= _rejection(r, 0) <= high / 100
    warm = simulate(system, temperature=301.15)
    assert _rejection(warm, 0) < _rejection(r, 0)


def test_two_pass_without_caustic_matches_farhat_and_with_caustic_ashkelon(two_pass):
    """Two passes without pH adjustment: Farhat et al. (2013) report overall boron rejections
    'up to 96 %' for Arabian Gulf seawater (warm, saline) with new-generation high-boron-
    rejection membranes in both passes. The bundled two-pass plant (SW30HRLE-440i then
    BW30HR-440i, a standard brackish element whose boric-acid permeability is the library
    default, 38 g/kg) gives 94.7 % at its 28 degC and 93.1 % at 35 degC: below that best
    figure, by at most 3 points (the pass-2 element is not a boron-selective one). With NaOH
    to pH 10 before pass 2 the product boron is 0.036 mg/L, far inside the < 0.3 mg/L that
    Ashkelon's high-pH stages (pH > 10, > 30 degC) deliver; at 35 degC 0.041 mg/L."""
    sp = two_pass.species
    low, high = _published("farhat_2013_two_pass")
    _, final = _published("ashkelon_final_blend")
    for temperature, expected in ((301.15, 0.947), (308.15, 0.931)):
        r = simulate(two_pass.system, temperature=temperature)
        feed = (_total(r.passes[0]["permeate_solutes"][0], sp, _BORON)
                + _total(r.passes[0]["concentrate_solutes"][0], sp, _BORON)
                - _total(r.passes[1]["concentrate_solutes"][0], sp, _BORON)
                - _total(r.px_mixing_solutes[0], sp, _BORON))  # the raw feed's boron [mol/s]
        product = _total(r.passes[1]["permeate_solutes"][0], sp, _BORON) / \
            r.passes[1]["permeate_volume"][0]
        overall = 1.0 - product / (feed / r.ro_feed_flow[0])
        assert overall == pytest.approx(expected, abs=0.003)
        assert high / 100 - 0.03 <= overall <= high / 100
        dosed = simulate(two_pass.system, temperature=temperature, pass_feed_ph=(None, 10.0))
        boron_mg_l = _total(dosed.passes[1]["permeate_solutes"][0], sp, _BORON) \
            / dosed.passes[1]["permeate_volume"][0] * 10.811
        assert boron_mg_l < final / 5


def test_second_pass_without_caustic_against_prats(two_pass):
    """Brackish-water membranes on desalinated seawater reject 40-60 % of the boron 'under
    normal conditions of operation' (Prats et al. 2000, Desalination 128, abstract; membranes
    of that time). The bundled plant's pass 2 (BW30HR-440i, no boron figure on its sheet, so
    the library default: boric acid 44 times as permeable as NaCl, the median of the nine
    calibrated seawater elements) rejects 67 % at 28 degC and 63 % at 35 degC: a little above
    the 2000-era range, and below its own first pass (a seawater element, 82-84 %), as a
    looser membrane must. With the former default (20 times) it rejected 82 %, above both."""
    low, high = _published("prats_2000_second_stage")
    for temperature in (301.15, 308.15):
        r = simulate(two_pass.system, temperature=temperature)
        second, first = _rejection(r, 1), _rejection(r, 0)
        assert low / 100 <= second <= high / 100 + 0.08
        assert second < first - 0.1


def test_second_pass_boron_passage_is_the_borate_weighted_sum_of_two_species(two_pass):
    """Boron passage of a pass at a set feed pH is the mix of the boric-acid and borate
    passages weighted by the borate fraction (the two-species picture of the boron literature,
    e.g. Tu, Nghiem & Chivas 2010, Sep. Purif. Technol. 75, 87-101: 'the speciation of boric
    acid as a function of the feed solution pH appears to be the single most important factor
    governing the rejection'). Over pH 8.2-10.5 the engine's pass-2 passage is linear in the
    borate fraction to 2 % of its range, and the rejection rises past pH 9.5 as Prats et al.
    (2000) observed: 70.0 % at 8.2, 88.9 % at 9.5, 95.3 % at 10, 98.2 % at 10.5."""
    phs = np.array([8.2, 9.0, 9.5, 10.0, 10.5])
    passage, fraction = [], []
    for ph in phs:
        r = simulate(two_pass.system, pass_feed_ph=(None, float(ph)))
        passage.append(1.0 - _rejection(r, 1))
        p = r.passes[1]
        feed = p["permeate_solutes"][0] + p["concentrate_solutes"][0]
        sp = r.species
        fraction.append(feed[sp.index("B(OH)4-")] / _total(feed, sp, _BORON))
    passage, fraction = np.array(passage), np.array(fraction)
    # the dose set the split: the feed's borate fraction is the speciation's at that pH
    ionic = 0.005  # mol/kg: the pass-2 feed, about 250 mg/L of salts
    assert np.allclose(fraction, borate_fraction(phs, 301.15, ionic), atol=0.03)
    slope, intercept = np.polyfit(fraction, passage, 1)
    assert np.max(np.abs(intercept + slope * fraction - passage)) < 0.02 * np.ptp(passage)
    assert slope < 0 and np.all(np.diff(passage) < 0)
    assert 1 - passage[0] < 0.75 and 1 - passage[3] > 0.95 and 1 - passage[4] > 0.98


def test_seawater_element_boron_rejection_against_feed_ph():
    """One SW30HR LE-400 element at FilmTec's boron test (32,000 mg/L NaCl, 5 mg/L B, 55.2 bar,
    25 degC, 8 % recovery), its feed at pH 7 to 11 with the boron split by the speciation at
    each pH. Published points for this membrane family: 92 % at the datasheet's pH 8 (Form
    609-00425; the calibration input, so only a consistency check) and 'close to 99 %' at pH 11
    for FilmTec's SW30HR flat sheet (Cengeloglu et al. 2008, abstract: boron is 'effectively
    removed only at feed water pH of 11'). osmolab: 91.3, 92.1, 95.8, 99.2 and 99.86 % at
    pH 7, 8, 9, 10 and 11. The pH 11 check is one-sided (at least 98 %): the abstract gives
    neither pressure nor flux, and a laboratory cell at lower flux passes more. The engine's
    0.14 % passage at pH 11 is below the abstract's about 1 %: borate is given 0.3 times the
    NaCl permeability (``data/ro_solute_passage.csv``, an estimate), so the high-pH end rests
    on that ratio; the borate fraction alone (0.10 at pH 8, 0.99 at pH 11) would cut the
    passage at least fivefold, which is checked."""
    _, ph11 = _published("cengeloglu_ph11")
    _, ph8 = _published("filmtec_sw30hrle400_test")
    sheet = library.datasheet("SW30HRLE-400")
    nacl = sheet["test_feed_nacl_mg_L"] / 1e3 / 58.443  # mol/L
    boron = 5e-3 / 10.811
    flow = sheet["permeate_flow_m3_d"] / 24 / 3600 / sheet["test_recovery"]
    rejection, phs = [], np.array([7.0, 8.0, 9.0, 10.0, 11.0])
    for ph in phs:
        f = float(np.ravel(borate_fraction(ph, 298.15, nacl))[0])
        feed = Feed(flow=flow, temperature=298.15, ph=float(ph),
                    solution={"Na+": nacl + boron * f, "Cl-": nacl,
                              "B(OH)3": boron * (1 - f), "B(OH)4-": boron * f})
        system = System(feed, [Pass([Stage(vessels=1, elements_per_vessel=1,
                                           element="SW30HRLE-400")])],
                        target=Target("feed_pressure", sheet["test_pressure_bar"] * 1e5))
        r = simulate(system)
        rejection.append(_rejection(r, 0))
    rejection = np.array(rejection) * 100
    assert np.all(np.diff(rejection) > 0)
    assert rejection[1] == pytest.approx(ph8, abs=0.5)  # the calibration input
    assert rejection[4] >= ph11 - 1.0
    assert (100 - rejection[1]) / (100 - rejection[4]) > 5


def test_boric_acid_rejection_rises_with_flux_as_solution_diffusion_says():
    """Tu et al. (2013): at pH 8 or below (boric acid) the rejection of six RO membranes rose
    from 21 to 79 % as the flux rose from 5 to 60 LMH: the odds R/(1-R) grew 14-fold for a
    12-fold flux, close to the proportionality of solution-diffusion (R/(1-R) = J/B). One
    BW30-440i element (2,000 mg/L NaCl, 5 mg/L B as boric acid, 16 m3/h feed): 4.7 -> 58.7 LMH
    raises its boric-acid rejection from 58 to 93 % and the odds 9.6-fold, 0.77 times the flux
    ratio: the polarisation of the element's channel grows with the flux (Tu's laboratory cell
    has a thin, fast channel). Tolerance: 0.6-1.4 times the flux ratio, the band the published
    trend (1.18) and polarisation span. osmolab's element passes less boric acid than Tu's
    membranes (58 % against 21 % at 5 LMH): only the trend is compared."""
    low, high = _published("tu_flux_trend")
    published = (high / (100 - high)) / (low / (100 - low)) / 12.0
    area = float(library.datasheet("BW30-440i")["area_m2"])
    feed = Feed(flow=16 / 3600, temperature=298.15, ph=7.5,
                solution={"Na+": 0.0342, "Cl-": 0.0342, "B(OH)3": 4.6e-4, "B(OH)4-": 0.0})
    system = System(feed, [Pass([Stage(vessels=1, elements_per_vessel=1,
                                       element="BW30-440i")])],
                    target=Target("feed_pressure", 10e5))
    flux, odds = [], []
    for pressure in (3.3e5, 8e5, 20e5):
        r = simulate(system, feed_pressure=pressure)
        flux.append(r.passes[0]["permeate_volume"][0] / area * 3.6e6)
        rejection = _rejection(r, 0)
        odds.append(rejection / (1 - rejection))
    assert np.all(np.diff(odds) > 0)
    ratio = (odds[-1] / odds[0]) / (flux[-1] / flux[0])
    assert 0.6 < ratio < 1.4 and 0.6 < published < 1.4


# ------------------------------------------------------------------------------------------
# the datasheet boron calibration at the test pH (library._test_conditions)


def test_datasheet_boron_test_is_split_at_its_ph():
    """FilmTec tests boron at pH 8 (10 % borate in 32 g/L NaCl: the pKa is about 8.9 at that
    salinity), Hydranautics at 6.75-7 and Toray at 7 (1 %). The calibrated element reproduces
    its datasheet boron rejection with that split; boric acid alone at the same permeability
    would pass 11 % more boron (which the all-boric-acid calibration used to absorb into a 12 %
    lower boric-acid permeability)."""
    rows = [library.datasheet(name) for name in ("SW30HRLE-440i", "TM820C-440", "SWC5-LD")]
    test = library._test_conditions(rows)
    assert test["borate"][0] == pytest.approx(0.10, abs=0.01)
    assert np.all(test["borate"][1:] < 0.015)
    cal = library.calibration().set_index("name")
    a = np.array([cal.loc[r["name"], "A"] for r in rows])
    b = np.array([cal.loc[r["name"], "B"] for r in rows])
    bb = np.array([cal.loc[r["name"], "boron_relative_B"] for r in rows]) * b
    _, _, passage = library._simulate_test(rows, test, a, b, bb, 5, "Schock_Miquel")
    want = np.array([1 - float(r["boron_rejection_pct"]) / 100 for r in rows])
    assert passage == pytest.approx(want, abs=5e-4)
    acid_only = dict(test, borate=np.zeros(3))
    _, _, more = library._simulate_test(rows, acid_only, a, b, bb, 5, "Schock_Miquel")
    assert more[0] / passage[0] == pytest.approx(1.11, abs=0.02)
    assert more[1] / passage[1] == pytest.approx(1.0, abs=0.015)


# ------------------------------------------------------------------------------------------
# the caustic before pass 2: Na, carbon and boron of the pass feed


def test_dose_pass_feed_conserves_carbon_and_boron_and_matches_the_dosing_module():
    """NaOH to pH 10 on the permeate-like water of ``tests/test_dosing.py`` (Na+ 60, Cl-
    balance, HCO3- 5, B 0.9 mg/L at pH 6): carbon and boron totals kept, Na+ gained equals the
    dose, charge unchanged, and the dose equals :func:`osmolab.thermo.dosing.caustic_dose`
    (within 3 % of PHREEQC there) to 0.5 %: 0.197 mmol/kg."""
    from osmolab.thermo import dosing
    from osmolab.thermo.analysis import water_analysis

    water = water_analysis("Na+ 60 mg/L, Cl- 90 mg/L, HCO3- 5 mg/L, B 0.9 mg/L", ph=6.0,
                           balance="Cl-")
    spec = water.speciation
    co2 = float(spec["CO2"][0])
    sp = ("Na+", "Cl-", "HCO3-", "CO3-2", "CO2", "B(OH)3", "B(OH)4-", "OH-")
    charge = np.array([1, -1, -1, -2, 0, 0, -1, -1])
    m = np.array([[water.totals["Na+"], water.totals["Cl-"],
                   float(spec.total_carbon[0]) - co2, 0.0, co2, water.totals["B"], 0.0, 0.0]])
    dosed, dose, _ = dose_pass_feed(m, np.ones(1), sp, 10.0, water.temperature)
    assert _total(dosed[0], sp, _CARBON) == pytest.approx(_total(m[0], sp, _CARBON), rel=1e-12)
    assert _total(dosed[0], sp, _BORON) == pytest.approx(_total(m[0], sp, _BORON), rel=1e-12)
    assert dosed[0, 0] - m[0, 0] == pytest.approx(dose[0], rel=1e-12)
    assert dosed[0] @ charge == pytest.approx(m[0] @ charge, abs=1e-15)
    assert dosed[0, sp.index("B(OH)4-")] > 0.8 * water.totals["B"]
    ref = dosing.caustic_dose(water, 10.0)
    ref_mol_kg = ref.dose / dosing._water_per_litre(water.tds, water.temperature) \
        / dosing.BASES["NaOH"]["molar_mass"]
    assert dose[0] == pytest.approx(ref_mol_kg, rel=0.005)
    assert 0 < dose_pass_feed(m, np.ones(1), sp, 9.0, water.temperature)[1][0] < dose[0]


def test_engine_caustic_dose_equals_the_design_record(two_pass):
    """The design's ``chemistry: caustic_second_pass`` record (``thermo.dosing.caustic_dose``
    on the pass-1 permeate, PHREEQC-refereed) and the NaOH the engine adds to the pass-2 feed
    agree to 1 % (8.5 mg/L to pH 10)."""
    import yaml

    plan = yaml.safe_load(data.path("example_seawater_2pass.yaml").read_text(encoding="utf-8"))
    plan["chemistry"] = {"caustic_second_pass": {"target_ph": 10}}
    r = project(plan)
    record = r.dosing["doses"]["caustic_second_pass"]
    p1, p2 = r.passes
    engine_mg_l = p2["feed_dose"][0] * 39.997 / p1["permeate_volume"][0]
    assert engine_mg_l == pytest.approx(record["dose_mg_L"], rel=0.01)
    assert 5.0 < engine_mg_l < 15.0


def test_second_pass_feed_balances_sodium_carbon_and_boron(two_pass):
    """Across the dosing point (the example has no pass-2 concentrate recycle): pass-2 feed =
    pass-1 permeate + the NaOH, species by species totals: Na gains the dose, carbon and boron
    are kept; the pass-2 streams' pH follows (feed above its own permeate, concentrate above
    the set pH)."""
    r = simulate(two_pass.system, pass_feed_ph=(None, 10.0))
    sp = r.species
    p1, p2 = r.passes
    before = p1["permeate_solutes"][0]
    after = p2["permeate_solutes"][0] + p2["concentrate_solutes"][0]
    dose = p2["feed_dose"][0]
    assert after[sp.index("Na+")] - before[sp.index("Na+")] == pytest.approx(dose, rel=1e-9)
    assert _total(after, sp, _CARBON) == pytest.approx(_total(before, sp, _CARBON), rel=1e-9)
    assert _total(after, sp, _BORON) == pytest.approx(_total(before, sp, _BORON), rel=1e-9)
    assert after @ r.charge == pytest.approx(before @ r.charge, abs=1e-9 * dose)
    assert p1["feed_dose"][0] == 0.0
    rows = {row["stream"]: row for row in stream_chemistry(r)["streams"]}
    assert rows["pass 2 concentrate"]["pH"] > 10.0 > rows["pass 2 permeate"]["pH"]
    assert rows["pass 2 permeate"]["pH"] > rows["pass 1 permeate"]["pH"] + 1.0
    plain = {row["stream"]: row for row in stream_chemistry(two_pass)["streams"]}
    assert rows["pass 2 permeate"]["boron_mg_L"] < 0.2 * plain["pass 2 permeate"]["boron_mg_L"]


def test_degassing_the_second_pass_feed_lowers_the_caustic(two_pass):
    """Stripping 90 % of the CO2 before the NaOH lowers the dose (less CO2 to turn into
    carbonate) and, without NaOH, raises the pH of the pass-2 streams."""
    sp = two_pass.species
    base = simulate(two_pass.system, pass_feed_ph=(None, 10.0))
    stripped = simulate(two_pass.system, pass_feed_ph=(None, 10.0),
                        pass_feed_co2_removal=(None, 0.9))
    assert stripped.passes[1]["feed_dose"][0] < base.passes[1]["feed_dose"][0]
    removed = stripped.passes[1]["feed_co2_removed"][0]
    co2_in = stripped.passes[0]["permeate_solutes"][0, sp.index("CO2")]
    assert removed == pytest.approx(0.9 * co2_in, rel=0.05)
    only = simulate(two_pass.system, pass_feed_co2_removal=(None, 0.9))
    rows = {row["stream"]: row for row in stream_chemistry(only)["streams"]}
    plain = {row["stream"]: row for row in stream_chemistry(two_pass)["streams"]}
    assert rows["pass 2 permeate"]["pH"] > plain["pass 2 permeate"]["pH"] + 0.5


@pytest.mark.parametrize("kwargs, message", [
    ({"pass_feed_co2_removal": (None, 1.5)}, "between 0 and 1"),
    ({"pass_feed_co2_removal": (0.5,)}, "1 values for 2 passes"),
    ({"pass_feed_co2_removal": (None, "lots")}, "numbers 0-1"),
    ({"pass_feed_ph": (None, 15.0)}, "pH"),
])
def test_bad_pass_feed_treatment_is_one_clear_line(two_pass, kwargs, message):
    with pytest.raises(InputError, match=message) as info:
        simulate(two_pass.system, **kwargs)
    assert "\n" not in str(info.value)


def test_acid_to_a_feed_without_a_co2_solute_matches_the_design_acid():
    """The brackish example's solutes carry no CO2 (an ion table): the dose to a set pH counts
    the raw feed's CO2 (from its pH 7.4 and alkalinity) in the carbon and keeps the CO2 after
    the dose beside the engine's solutes. HCl to pH 6.5 in the engine: 49.7 mg/L, against the
    design's ``chemistry: acid`` (:func:`osmolab.thermo.dosing.acid_dose`, PHREEQC-refereed)
    50.1 mg/L (within 1.5 %: the engine's feed is the ion table's molalities, the dosing
    module's the analysis with its ion pairs). The acid turns bicarbonate into CO2, which
    passes: the permeate pH falls from 5.52 to 4.8, the concentrate LSI from 1.60 to 0.68."""
    import yaml

    plan = yaml.safe_load(data.path("example_brackish_2stage.yaml").read_text(encoding="utf-8"))
    plan["chemistry"] = {"acid": {"chemical": "HCl", "target_ph": 6.5}}
    record = project(plan).dosing["doses"]["acid"]
    plain = project(load_design(bundled_example("brackish_2stage")))
    r = simulate(plain.system, pass_feed_ph=(6.5,))
    p = r.passes[0]
    engine_mg_l = -p["feed_dose"][0] * 36.461 / r.ro_feed_flow[0]
    assert engine_mg_l == pytest.approx(record["dose_mg_L"], rel=0.015)
    assert "CO2" not in r.species and p["feed_free_co2"][0] > 0
    rows = {row["stream"]: row for row in stream_chemistry(r)["streams"]}
    before = {row["stream"]: row for row in stream_chemistry(plain)["streams"]}
    assert rows["pass 1 permeate"]["pH"] < before["pass 1 permeate"]["pH"] - 0.5
    assert rows["pass 1 concentrate"]["lsi"] < before["pass 1 concentrate"]["lsi"] - 0.7
    stripped = simulate(plain.system, pass_feed_co2_removal=(0.9,))
    rows = {row["stream"]: row for row in stream_chemistry(stripped)["streams"]}
    assert rows["pass 1 permeate"]["pH"] > before["pass 1 permeate"]["pH"] + 0.5


def test_design_file_degasser_before_the_second_pass():
    """``chemistry: degas_second_pass`` strips that share of the pass-2 feed's CO2 before the
    caustic, in the engine (``pass_feed_co2_removal``) and in the dose record alike: both NaOH
    doses drop, and they still agree to 1 %; a one-pass array refuses it in one line."""
    import yaml

    from osmolab.errors import InputError

    plan = yaml.safe_load(data.path("example_seawater_2pass.yaml").read_text(encoding="utf-8"))
    plan["chemistry"] = {"caustic_second_pass": {"target_ph": 10}}
    plain = project(plan)
    plan["chemistry"]["degas_second_pass"] = 0.9
    r = project(plan)
    record = r.dosing["doses"]
    p1, p2 = r.passes
    engine_mg_l = p2["feed_dose"][0] * 39.997 / p1["permeate_volume"][0]
    assert engine_mg_l == pytest.approx(record["caustic_second_pass"]["dose_mg_L"], rel=0.01)
    assert engine_mg_l < plain.passes[1]["feed_dose"][0] * 39.997 / p1["permeate_volume"][0]
    assert record["caustic_second_pass"]["dose_mg_L"] < \
        plain.dosing["doses"]["caustic_second_pass"]["dose_mg_L"]
    assert record["degas_second_pass"]["co2_removal"] == pytest.approx(0.9)
    one = yaml.safe_load(data.path("example_seawater_px.yaml").read_text(encoding="utf-8"))
    one["chemistry"] = {"degas_second_pass": 0.9}
    with pytest.raises(InputError, match="one pass"):
        project(one)
