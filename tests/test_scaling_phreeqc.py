"""Saturation indices against PHREEQC (phreeqpython; phreeqc.dat and pitzer.dat).

The referee waters (``data/chemistry_waters.csv``: brackish wells, surface waters, seawater
20-45 g/kg and RO concentrates 1.5-10x at 5-40 degC) are speciated by osmolab with
``model="auto"`` (Davies ion association up to I = 0.1 mol/kg, Pitzer above) and by PHREEQC
with the matching database, all waters in one PHREEQC run per database. Every SI must agree
within 0.1 log units. Measured (this commit): largest |dSI| calcite 0.061, gypsum 0.017,
barite 0.004, celestite 0.020, fluorite 0.004, amorphous silica 0.009, hydroxyapatite 0.072.

What remains is understood, and is why the tolerance is not tighter:
* Davies vs WATEQ Debye-Huckel: phreeqc.dat gives the major ions ion-size parameters
  (e.g. Ca+2 a = 5.0, b = 0.165); osmolab uses Davies (as documented), which differs by
  0.01-0.02 in log gamma of a divalent ion at I = 0.03-0.07. Hydroxyapatite multiplies it
  (5 Ca+2, 3 HPO4-2): up to 0.07 in SI in the brackish concentrates.
* Pitzer: calcite in seawater and its concentrates is 0.03-0.06 low because osmolab's Pitzer
  tables have no parameters for MgCO3, MgOH+ and the borate complexes (Davies or 1 is used for
  them) and the CO3-2 interactions differ in detail from pitzer.dat.
* pitzer.dat has no fluorite, hydroxyapatite, F or P: those are compared in dilute waters only.
"""

import numpy as np
import pytest

from osmolab.thermo.scaling import MINERALS, referee_waters

pytest.importorskip("phreeqpython")

from osmolab.thermo.referee import compare_with_phreeqc  # noqa: E402

TOLERANCE = 0.1  # log units, the issue's requirement


@pytest.fixture(scope="module")
def comparison():
    return compare_with_phreeqc()


def test_table_covers_the_issue():
    w = referee_waters()
    kinds = set(w["kind"])
    assert len(w["name"]) >= 30
    assert {"brackish", "surface", "seawater", "concentrate"} <= kinds
    celsius = w["temperature"] - 273.15
    assert celsius.min() <= 5 and celsius.max() >= 40


def test_ionic_strength_agrees(comparison):
    np.testing.assert_allclose(comparison["ionic_strength"],
                               comparison["phreeqc_ionic_strength"], rtol=0.02)


@pytest.mark.parametrize("mineral", MINERALS)
def test_saturation_index_within_0_1(comparison, mineral):
    ours = comparison["si"][mineral]
    theirs = comparison["phreeqc_si"][mineral]
    compared = np.isfinite(theirs)
    assert compared.sum() >= 18
    difference = np.abs(ours[compared] - theirs[compared])
    worst = int(np.argmax(difference))
    name = np.asarray(comparison["name"])[compared][worst]
    print(f"{mineral}: max |dSI| = {difference.max():.3f} ({name}), n = {compared.sum()}")
    assert difference.max() < TOLERANCE, (mineral, name, difference.max())


def test_both_models_refereed(comparison):
    models = set(comparison["model"])
    assert models == {"ion_association", "pitzer"}
    kinds = np.asarray(comparison["kind"])
    assert (np.asarray(comparison["model"])[kinds == "seawater"] == "pitzer").all()
