"""Design-guideline checks (osmolab.ro.guidelines) on synthetic projection dicts.

Limits from DuPont, Membrane System Design Guidelines for 8-inch FilmTec Elements,
Form No. 45-D01695-en (seawater, UF pretreatment: max element flux 36 LMH, max element
recovery 15 %, min concentrate 3.0 m3/h and max feed 16 m3/h per vessel, average flux 15-19 LMH),
element datasheets (1.0 bar per element) and Hydranautics (beta <= 1.2).
"""

import pytest

from osmolab.errors import InputError
from osmolab.ro.guidelines import check_design, guideline, resolve_water_source, water_sources


def plant(element_changes=None):
    """A compliant single-stage seawater plant: 40 vessels x 7 elements of 41 m2."""
    elements = []
    flux = [24.0, 20.0, 17.0, 14.5, 12.5, 10.5, 9.0]
    for position, f in enumerate(flux, start=1):
        record = {
            "pass": 1, "stage": 1, "position": position, "model": "SW30XLE-440i",
            "flux_LMH": f, "recovery": 0.10, "beta": 1.12, "pressure_drop_bar": 0.25,
            "feed_pressure_bar": 62.0 - 0.25 * (position - 1),
        }
        record.update((element_changes or {}).get(position, {}))
        elements.append(record)
    stages = [{"pass": 1, "stage": 1, "vessels": 40, "feed_flow_m3_h": 400.0,
               "concentrate_flow_m3_h": 220.0, "permeate_flow_m3_h": 180.0,
               "area_m2": 40 * 7 * 41.0}]
    return {"elements": elements, "stages": stages}


def test_limits_table():
    sw = guideline("seawater_uf")
    assert sw["max_element_flux_LMH"] == 36
    assert sw["max_element_recovery"] == 0.15
    assert (sw["avg_flux_min_LMH"], sw["avg_flux_max_LMH"]) == (15, 19)
    assert sw["min_concentrate_m3_h"] == 3.0 and sw["max_feed_m3_h"] == 16
    assert sw["max_dp_element_bar"] == 1.0 and sw["max_dp_vessel_bar"] == 3.5
    assert sw["max_beta"] == 1.2
    assert "45-D01695" in sw["source"]
    # every row has limits and a source
    for name in ("seawater_uf", "seawater_mf", "seawater_conventional", "seawater_open_intake",
                 "ro_permeate", "well_water", "surface_mf_uf", "surface_conventional",
                 "wastewater_mf_uf", "wastewater_conventional"):
        row = guideline(name)
        assert row["max_element_flux_LMH"] > 0 and row["source"]
        assert row["avg_flux_min_LMH"] < row["avg_flux_max_LMH"]
    # stricter pretreatment -> stricter limits
    assert guideline("seawater_conventional")["max_element_flux_LMH"] < sw["max_element_flux_LMH"]


def test_aliases_and_unknown_source():
    assert resolve_water_source("Seawater-UF") == "seawater_uf"
    assert resolve_water_source("brackish") == "well_water"
    assert "seawater" in water_sources()
    with pytest.raises(InputError, match="Did you mean"):
        resolve_water_source("seawatr_uf")


def test_compliant_plant_has_no_warnings():
    assert check_design(plant(), "seawater_uf") == []


def test_element_flux_warning_names_element_value_and_limit():
    warnings = check_design(plant({1: {"flux_LMH": 38.2}}), "seawater_uf")
    assert warnings == [
        "stage 1 element 1: flux 38.2 LMH above 36 LMH "
        "(DuPont seawater, UF or beach-well pretreatment (SDI < 2.5))"
    ]


def test_recovery_beta_pressure_drop_and_max_pressure():
    changes = {1: {"recovery": 0.17, "beta": 1.25, "feed_pressure_bar": 84.0},
               2: {"pressure_drop_bar": 1.3}}
    warnings = check_design(plant(changes), "seawater_uf")
    text = "\n".join(warnings)
    assert "stage 1 element 1: recovery 17 % above 15 %" in text
    assert "stage 1 element 1: beta 1.250 above 1.2" in text
    assert "stage 1 element 2: pressure drop 1.3 bar above 1 bar" in text
    assert "feed pressure 84.0 bar above the element maximum 83.0 bar" in text


def test_vessel_flows_and_pressure_drop():
    data = plant({i: {"pressure_drop_bar": 0.6} for i in range(1, 8)})
    data["stages"][0].update(vessels=20, concentrate_flow_m3_h=50.0)
    text = "\n".join(check_design(data, "seawater_uf"))
    assert "stage 1: feed flow per vessel 20 m3/h above 16 m3/h" in text
    assert "stage 1: concentrate flow per vessel 2.5 m3/h below 3 m3/h" in text
    assert "stage 1: vessel pressure drop 4.2 bar above 3.5 bar" in text


def test_average_flux_range():
    data = plant()
    data["stages"][0]["permeate_flow_m3_h"] = 150.0  # 13.1 LMH on 11,480 m2
    warnings = check_design(data, "seawater_uf")
    assert warnings == [
        "system: average flux 13.1 LMH below the recommended 15-19 LMH "
        "(DuPont seawater, UF or beach-well pretreatment (SDI < 2.5))"
    ]


def test_second_pass_uses_permeate_limits():
    data = plant()
    data["elements"].append({"pass": 2, "stage": 1, "position": 1, "flux_LMH": 45.0,
                             "recovery": 0.2, "beta": 1.1})
    warnings = check_design(data, "seawater_uf")
    # 45 LMH is fine for an RO-permeate feed (max 51 LMH) and 20 % below its 30 %
    assert warnings == []
    data["elements"][-1]["flux_LMH"] = 55.0
    assert check_design(data, "seawater_uf")[0].startswith("pass 2 stage 1 element 1: flux 55")


def test_accepts_result_objects():
    class Result:
        def to_dict(self):
            return plant({3: {"beta": 1.3}})

    assert len(check_design(Result(), "seawater_uf")) == 1
    with pytest.raises(InputError):
        check_design(42, "seawater_uf")
