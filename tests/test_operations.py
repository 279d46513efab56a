"""Plant logs and ASTM D4516 normalisation (osmolab.operations).

The worked example is hand-computed (no published worked example with all its numbers could be
found in time): its derivation is written out in the test, from the equations of ASTM D4516-19a
section 6 and the FilmTec temperature-correction factor.
"""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from osmolab.cli import main
from osmolab.data import path as data_path
from osmolab.errors import InputError
from osmolab.operations import (
    log_mean_concentration_factor,
    net_driving_pressure,
    normalize_log,
    normalized_permeate_flow,
    normalized_pressure_drop,
    normalized_salt_passage,
    practical_salinity_PSS78,
    read_log,
    salinity_from_conductivity,
)

BAR = 1e5


def test_worked_example_by_hand():
    # Reference (standard) conditions: P_f = 15 bar, dP = 1.0 bar, P_p = 0.5 bar,
    # pi_fc = 1.0 bar, pi_p = 0.01 bar, 25 degC, Q_p = 100 m3/h.
    #   NDP_s = 15 - 1.0/2 - 0.5 - 1.0 + 0.01 = 13.010 bar
    # Actual: P_f = 16 bar, dP = 1.4 bar, P_p = 0.5 bar, pi_fc = 1.2 bar, pi_p = 0.012 bar,
    # 15 degC, Q_p = 80 m3/h.
    #   NDP_a = 16 - 1.4/2 - 0.5 - 1.2 + 0.012 = 13.612 bar
    # TCF (FilmTec, T = 273 + t): TCF_s = 1, TCF_a = exp(3020 (1/298 - 1/288)) = 0.703362
    #   Q_s = 80 x 13.010/13.612 x 1/0.703362 = 108.709 m3/h
    ndp_s = net_driving_pressure(15 * BAR, 1.0 * BAR, 0.5 * BAR, 1.0 * BAR, 0.01 * BAR)
    ndp_a = net_driving_pressure(16 * BAR, 1.4 * BAR, 0.5 * BAR, 1.2 * BAR, 0.012 * BAR)
    assert_allclose([ndp_s / BAR, ndp_a / BAR], [13.010, 13.612], rtol=1e-12)
    assert_allclose(normalized_permeate_flow(80.0, ndp_a, 288.15, ndp_s, 298.15), 108.709, rtol=1e-5)
    # Salt passage 2.0 % at C_fc/C_f = 1.4 against 1.3 at the reference:
    #   SP_s = 2.0 % x 80/100 x 1.3/1.4 x 1/0.703362 = 2.11230 %
    assert_allclose(normalized_salt_passage(0.02, 80.0, 1.4, 288.15, 100.0, 1.3, 298.15), 0.0211230,
                    rtol=1e-5)
    # Pressure drop 1.4 bar at (Q_f + Q_c)/2 = 130 against 120 m3/h, 15 against 25 degC:
    #   dP_s = 1.4 x (120/130)^1.5 x (1 + 0.017 (15 - 25)) / 1 = 1.4 x 0.886851 x 0.83 = 1.030536
    assert_allclose(normalized_pressure_drop(1.4 * BAR, 130.0, 288.15, 120.0, 298.15) / BAR, 1.030536,
                    rtol=1e-5)


def test_conductivity_and_log_mean():
    # PSS-78 is defined by C(35, 15, 0) = 42.914 mS/cm (UNESCO 1983)
    assert_allclose(practical_salinity_PSS78(4.2914, 288.15), 35.0, atol=1e-3)
    # ln(1/(1 - Y))/Y at Y = 0.45: ln(1/0.55)/0.45 = 0.5978370/0.45 = 1.328527
    assert_allclose(log_mean_concentration_factor(0.45), 1.328527, rtol=1e-6)
    # below PSS-78's range the linear ratio meets it continuously (within 0.1 % at S = 2)
    s = practical_salinity_PSS78(np.array([0.2, 0.3, 0.4]), 298.15)
    c2 = np.interp(2.0, s, [0.2, 0.3, 0.4])
    low, high = salinity_from_conductivity([c2 * 0.9999, c2 * 1.0001])
    assert abs(low / high - 1) < 1e-3
    # the factor of Standard Methods 2510: 0.64 x 1000 uS/cm = 640 mg/L, / 997.5 kg/m3 at 25 degC
    assert_allclose(salinity_from_conductivity(0.1, factor=0.64) * 1000, 0.64 / 0.9975, rtol=5e-4)


@pytest.fixture(scope="module")
def example():
    return normalize_log("example")


@pytest.fixture(scope="module")
def noise_free(example):
    truth = pd.read_csv(data_path("example_seawater_px_log_truth.csv"))
    return truth, normalize_log(truth, reference_values=example.reference)


def test_synthetic_log_recovers_the_noise_free_normalisation(example, noise_free):
    """Daily medians of the noisy hourly log against the noise-free engine log (noon values)."""
    truth, clean = noise_free
    ideal = clean.frame.set_index(clean.frame.index.normalize()).add_suffix("_true")
    both = example.daily.join(ideal, how="inner")
    assert len(both) > 350
    for column in ("normalized_permeate_flow_m3_h", "normalized_salt_passage_pct"):
        error = both[column] / both[f"{column}_true"] - 1.0
        print(f"{column}: max |noisy/noise-free - 1| = {abs(error).max():.4f}")
        assert abs(error).max() < 0.03
    # the injected decline before the cleaning (fouling 1 -> 0.861 at constant temperature
    # would show as a fall of the normalised flow) and the salt-permeability rise of 10 %/year
    sp = both["normalized_salt_passage_pct"]
    injected = truth.set_index(pd.to_datetime(truth["Timestamp"], utc=True).dt.normalize())
    factor = injected["salt_permeability_factor"].reindex(both.index)
    recovered = sp / sp.iloc[:7].median()
    print(f"salt passage, last day: recovered {recovered.iloc[-1]:.4f}, injected {factor.iloc[-1]:.4f}")
    assert abs(recovered.iloc[-1] / factor.iloc[-1] - 1) < 0.03


def test_cleaning_shows(example):
    assert [str(d.date()) for d in example.cleanings] == ["2026-07-20"]
    flow = example.daily["normalized_permeate_flow_m3_h"]
    before = flow["2026-07-13":"2026-07-19"].median()
    after = flow["2026-07-21":"2026-07-27"].median()
    print(f"normalised flow: {before:.1f} m3/h before the cleaning, {after:.1f} after")
    assert after / before - 1 > 0.03
    summary = example.to_dict()
    assert summary["next_clean_date"] is not None
    assert set(summary["trends"]) == {"permeate_flow_change", "salt_passage_change", "pressure_drop_change"}


def test_quality_report(example):
    q = example.quality
    assert len(q.duplicates) == 2 and len(q.out_of_order) == 1 and len(q.gaps) == 1
    assert q.gaps[0][2] == pytest.approx(49.0)
    assert len(q.shutdown) == 58
    outliers = {row for rows in q.outliers.values() for row in rows}
    assert {1002, 5454, 6754} <= outliers  # the three injected spikes
    # nothing is dropped silently: every row read is in the frame or listed as a duplicate
    assert len(example.frame) + len(q.duplicates) == q.rows_read
    assert not example.frame.loc[example.frame["row"].isin(q.shutdown), "valid"].any()


def _small_log(**changes):
    times = pd.date_range("2026-03-01", periods=48, freq="h", tz="Europe/Madrid")
    rng = np.random.default_rng(1)
    data = {
        "Date/Time": times.strftime("%Y-%m-%d %H:%M%z"),
        "Feed Flow (gpm)": 1000.0 + rng.normal(0, 2, 48),
        "Product Flow": 50.0 + rng.normal(0, 0.2, 48),
        "Feed Pressure [psi]": 220.0 + rng.normal(0, 0.5, 48),
        "Brine Pressure [psi]": 200.0 + rng.normal(0, 0.5, 48),
        "Feed Temp": 20.0 + rng.normal(0, 0.1, 48),
        "Feed EC": 2500.0 + rng.normal(0, 5, 48),
        "Permeate EC": 40.0 + rng.normal(0, 0.3, 48),
    }
    data.update(changes)
    return pd.DataFrame(data)


def test_headings_units_and_time_zones():
    frame, quality = read_log(_small_log())
    assert_allclose(frame["feed_flow"].median(), 1000 * 3.785411784e-3 / 60, rtol=2e-3)
    assert_allclose(frame["feed_pressure"].median(), 220 * 6894.757, rtol=3e-3)
    assert_allclose(frame["temperature"].median(), 293.15, atol=0.05)
    assert_allclose(frame["feed_conductivity"].median(), 0.25, rtol=3e-3)
    assert str(frame.index.tz) == "UTC" and frame.index[0].hour == 23  # 00:00+01:00
    assert quality.columns["feed_flow"] == ("Feed Flow (gpm)", "gpm")
    result = normalize_log(_small_log(), reference_days=1)
    assert_allclose(result.frame["permeate_flow_change_pct"].median(), 0.0, atol=1.0)


def test_mapping(tmp_path):
    log = _small_log().rename(columns={"Product Flow": "FT-102"})
    with pytest.raises(InputError, match=r"permeate_flow.*mapping"):
        read_log(log)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("permeate_flow: {column: FT-102, unit: m3/h}\n")
    frame, _ = read_log(log, mapping=mapping)
    assert_allclose(frame["permeate_flow"].median(), 50 / 3600, rtol=1e-2)
    with pytest.raises(InputError, match="unknown quantity"):
        read_log(log, mapping={"permeate_flw": "FT-102"})


@pytest.mark.parametrize("changes, message", [
    ({"Product Flow": -1.0}, "negative permeate flow"),
    ({"Product Flow": 5000.0}, "permeate flow above feed flow"),
    ({"Date/Time": ["not a date"] * 48}, "cannot read the timestamp"),
])
def test_bad_logs(changes, message):
    with pytest.raises(InputError, match=message):
        read_log(_small_log(**changes))


def test_bad_unit():
    log = _small_log().rename(columns={"Feed Pressure [psi]": "Feed Pressure [furlong]"})
    with pytest.raises(InputError, match="feed_pressure"):
        read_log(log)


def test_cli_json_and_report(tmp_path, capsys):
    report = tmp_path / "ops.html"
    assert main(["normalize", "example", "--json", "--report", str(report),
                 "--reference", "2026-01-01..2026-01-07"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference"]["source"] == "2026-01-01..2026-01-07"
    assert data["cleanings"] == ["2026-07-20"]
    assert "permeate_flow_m3_h" in data["reference"] and "next_clean_date" in data
    assert "<svg" in report.read_text()


def test_cli_bad_input(tmp_path, capsys):
    log = tmp_path / "log.csv"
    _small_log().drop(columns=["Feed EC"]).to_csv(log, index=False)
    assert main(["normalize", str(log)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "feed_conductivity" in err and "--mapping" in err
    assert main(["normalize", "example", "--reference", "2030-01-01..2030-01-02"]) == 2
    assert "reference period" in capsys.readouterr().err
    assert main(["normalize", str(tmp_path / "none.csv")]) == 2
    excel = log.with_suffix(".xlsx")
    excel.write_bytes(b"not an excel file")
    assert main(["normalize", str(excel)]) == 2  # openpyxl missing, or the file unreadable
    assert "Excel" in capsys.readouterr().err


def _injected():
    truth = pd.read_csv(data_path("example_seawater_px_log_truth.csv"))
    return truth.set_index(pd.to_datetime(truth["Timestamp"], utc=True).dt.normalize())


@pytest.fixture(scope="module")
def fitted(example):
    from osmolab.operations import fit_membrane_state
    from osmolab.ro.design import bundled_example

    return fit_membrane_state(example, bundled_example("seawater_px"))


def test_model_based_fouling_factor(fitted):
    """The fouling factor fitted with the engine recovers the injected one within 3 %."""
    from osmolab.operations.monitoring import interpolate_columns

    assert_allclose(interpolate_columns([1.5], [[1.0], [2.0]], [0.0, 1.0]), [0.5])
    assert fitted["feasible"].all()
    injected = _injected()["fouling_factor"]
    error = fitted["fouling_factor_smoothed"] / injected.reindex(fitted.index) - 1.0
    daily_error = fitted["fouling_factor"] / injected.reindex(fitted.index) - 1.0
    print(f"fitted fouling factor: max |error| {abs(error).max():.4f} (15-day median), "
          f"{abs(daily_error).max():.4f} day by day; mean {abs(error).mean():.4f}")
    assert abs(error).max() < 0.03
    # the cleaning: 0.861 -> 0.98 injected
    before = fitted["fouling_factor_smoothed"]["2026-07-10":"2026-07-19"].mean()
    after = fitted["fouling_factor_smoothed"]["2026-07-21":"2026-07-30"].mean()
    assert after - before > 0.08


def test_model_based_salt_permeability(fitted):
    """The salt-permeability factor fitted from the permeate conductivity recovers the injected
    rise of B (10 % per year of membrane age, times a further linear rise of 12 % from day 250:
    1 on 1 January, 1.2305 on 31 December; scripts/make_operations_log.py) within 3 % day by
    day (smoothed), and the year's increase within 1 percentage point."""
    injected = _injected()["salt_permeability_factor"].reindex(fitted.index)
    smoothed = fitted["salt_permeability_factor_smoothed"]
    error = smoothed / injected - 1.0
    rise = smoothed.iloc[-7:].median() / smoothed.iloc[:7].median() - 1.0
    true_rise = injected.iloc[-7:].median() / injected.iloc[:7].median() - 1.0
    print(f"fitted salt-permeability factor: max |error| {abs(error).max():.4f}; "
          f"rise over the year {100 * rise:.2f} % (injected {100 * true_rise:.2f} %)")
    assert abs(error).max() < 0.03
    assert abs(rise - true_rise) < 0.01


def test_hourly_fit_matches_the_daily_fit(example, fitted):
    """Every hour fitted at once (one vectorised engine call per iteration) over a month."""
    from osmolab.operations import fit_membrane_state
    from osmolab.ro.design import bundled_example

    month = dataclasses.replace(example, frame=example.frame.loc["2026-03-01":"2026-03-31"])
    hourly = fit_membrane_state(month, bundled_example("seawater_px"), hourly=True, calls=2)
    points = hourly.attrs["points"]
    assert len(points) > 700 and points["feasible"].all()
    # the second call checks the one-call estimate (the default): the engine at the estimated
    # state reproduces the measured permeate flow (median hour)
    assert points["permeate_flow_residual_pct"].abs().median() < 0.2
    injected = _injected().reindex(hourly.index)
    for name in ("fouling_factor", "salt_permeability_factor"):
        error = hourly[f"{name}_smoothed"] / injected[name] - 1.0
        raw = hourly[name] / injected[name] - 1.0
        print(f"hourly fit, March: {name} max |error| {abs(error).max():.4f} (15-day median), "
              f"{abs(raw).max():.4f} (daily median of the hours)")
        assert abs(error).max() < 0.03
    with pytest.raises(InputError, match="at least 1"):
        fit_membrane_state(month, bundled_example("seawater_px"), hourly=True, calls=0)
    with pytest.raises(InputError, match="at least 2"):
        fit_membrane_state(month, bundled_example("seawater_px"), calls=1)


def test_cli_design_fits_the_fouling_factor(tmp_path, capsys):
    report = tmp_path / "ops.html"
    assert main(["normalize", "example", "--design", "seawater_px", "--json", "--report", str(report)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference"]["source"] == "design projection"
    assert 0.84 < data["model"]["fouling_factor_now"] < 0.90  # injected 0.867 on 31 December
    assert 1.19 < data["model"]["salt_permeability_factor_now"] < 1.27  # injected 1.2305 (within 3 %)
    text = report.read_text()
    assert "fitted fouling factor" in text and "fitted salt-permeability factor" in text
    # single stage: its pressure drop and permeate flow against the model at the fitted state
    stages = {(r["stage"], r["quantity"]): r for r in data["model"]["stages"]}
    assert set(stages) == {(1, "pressure_drop"), (1, "permeate_flow")}
    assert abs(stages[(1, "permeate_flow")]["deviation_now_pct"]) < 1.0  # the fitted state matches the flow
    assert "Measured against the model, per stage" in text


def test_pressure_drop_per_stage():
    """Scaling in the second stage shows in its pressure drop, not in the first's."""
    days = 40
    times = pd.date_range("2026-01-01", periods=24 * days, freq="h", tz="UTC")
    growth = 1.0 + 0.25 * np.arange(len(times)) / len(times)  # stage 2 dP +25 % over the log
    log = pd.DataFrame({
        "Time": times.strftime("%Y-%m-%d %H:%M%z"), "Feed Flow": 100.0, "Permeate Flow": 75.0,
        "Stage 1 Permeate Flow": 50.0, "Feed Pressure": 15.0, "Interstage Pressure": 14.0,
        "Concentrate Pressure": 14.0 - 0.8 * growth, "Temperature": 25.0,
        "Feed Conductivity": 1500.0, "Permeate Conductivity": 30.0,
    })
    result = normalize_log(log, reference_days=2)
    last = result.daily.iloc[-1]
    # stage 1: dP 1.0 bar at constant flows -> no change; stage 2: 0.8 -> ~1.0 bar
    assert abs(last["pressure_drop_stage1_change_pct"]) < 0.5
    assert_allclose(last["pressure_drop_stage2_change_pct"], 100 * (growth[-12] / np.median(growth[:48]) - 1),
                    atol=1.0)
    trends = result.to_dict()["trends"]
    assert trends["pressure_drop_stage2_change"]["triggered"]
    assert not trends["pressure_drop_stage1_change"]["triggered"]


def _workbook(path, frames):
    """Write sheets of plain cells with openpyxl (datetimes as Excel date cells)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, frame in frames.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else
                          (float(v) if isinstance(v, (np.floating, float)) else v) for v in row])
    workbook.save(path)
    return path


def test_excel_log_matches_the_csv(tmp_path, capsys):
    """An .xlsx log (first sheet or --sheet) goes through the same column mapping as a CSV."""
    log = _small_log()
    excel = log.copy()
    # Excel date cells carry no zone: local times of Madrid, read with timezone=
    local = pd.to_datetime(log["Date/Time"], utc=True).dt.tz_convert("Europe/Madrid").dt.tz_localize(None)
    excel["Date/Time"] = list(local)
    notes = pd.DataFrame({"note": ["first sheet is not the log"]})
    path = _workbook(tmp_path / "log.xlsx", {"Readme": notes, "Train A": excel.rename(
        columns={"Product Flow": "FT-102"})})
    from_csv, _ = read_log(log)
    mapping = {"permeate_flow": {"column": "FT-102", "unit": "m3/h"}}
    from_excel, quality = read_log(path, mapping=mapping, timezone="Europe/Madrid", sheet="Train A")
    assert quality.columns["permeate_flow"] == ("FT-102", "m3/h")
    assert (from_excel.index == from_csv.index).all()
    columns = [c for c in from_csv.columns if c != "row"]
    assert_allclose(from_excel[columns].to_numpy(), from_csv[columns].to_numpy(), rtol=1e-12)
    with pytest.raises(InputError, match="lacks"):  # the first sheet is the readme
        read_log(path)
    with pytest.raises(InputError, match="no sheet 'Train B'.*Train A"):
        read_log(path, sheet="Train B")
    log.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(InputError, match="--sheet applies"):
        read_log(tmp_path / "log.csv", sheet="Train A")
    # the CLI: --sheet and --mapping, JSON out; a first-sheet workbook needs no option
    (tmp_path / "map.yaml").write_text("permeate_flow: {column: FT-102, unit: m3/h}\n")
    assert main(["normalize", str(path), "--sheet", "Train A", "--mapping", str(tmp_path / "map.yaml"),
                 "--timezone", "Europe/Madrid", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == 48 and data["quality"]["columns"]["permeate_flow"]["heading"] == "FT-102"
    single = _workbook(tmp_path / "single.xlsx", {"Sheet1": excel})
    assert main(["normalize", str(single), "--timezone", "Europe/Madrid", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid_rows"] > 40
    assert main(["normalize", str(path), "--sheet", "Train C"]) == 2
    assert "no sheet" in capsys.readouterr().err


def test_stage_comparison_finds_scaling_in_the_last_stage():
    """A two-stage log made by the engine (brackish_2stage without its booster), whose stage-2
    pressure drop grows 40 % (scaling): the model reproduces everything else within 0.01 %, and
    only stage 2's pressure drop departs from it."""
    import yaml

    from osmolab.operations import compare_stages, stage_summary
    from osmolab.ro.design import bundled_example, project

    design = yaml.safe_load(open(bundled_example("brackish_2stage"), encoding="utf-8"))
    del design["array"]["stages"][1]["booster_pressure"]
    times = pd.date_range("2026-01-01", periods=120, freq="6h", tz="UTC")
    temperature = 20 + 2 * np.sin(np.arange(len(times)) / 7)
    engine = project(design, temperature=temperature)
    stages = [engine.stages_frame(i) for i in range(len(times))]
    interstage = np.array([s.loc[0, "concentrate_pressure_bar"] for s in stages])
    drop2 = np.array([s.loc[1, "pressure_drop_bar"] for s in stages])
    growth = 1.0 + 0.4 * np.arange(len(times)) / (len(times) - 1)
    log = pd.DataFrame({
        "Time": times.strftime("%Y-%m-%d %H:%M%z"), "Feed Flow": engine.feed_flow * 3600,
        "Permeate Flow": engine.permeate_flow * 3600,
        "Stage 1 Permeate Flow": [s.loc[0, "permeate_flow_m3_h"] for s in stages],
        "Feed Pressure": engine.feed_pressure / 1e5, "Interstage Pressure": interstage,
        "Concentrate Pressure": interstage - drop2 * growth, "Temperature": temperature,
        "Feed TDS": engine.feed_tds, "Permeate TDS": engine.permeate_tds,
    })
    result = normalize_log(log, reference_days=2)
    comparison = compare_stages(result, design)
    assert set(zip(comparison["stage"], comparison["quantity"], strict=True)) == {
        (1, "pressure_drop"), (1, "permeate_flow"), (2, "feed_pressure"), (2, "pressure_drop"),
        (2, "permeate_flow")}
    still = comparison[~((comparison["stage"] == 2) & (comparison["quantity"] == "pressure_drop"))]
    assert still["deviation_pct"].abs().max() < 0.01
    summary = stage_summary(comparison, days=3).set_index(["stage", "quantity"])
    print(summary[["measured", "projected", "deviation_now_pct", "departs"]])
    assert summary["departs"].tolist().count(True) == 1 and summary.loc[(2, "pressure_drop"), "departs"]
    # daily medians: the last day's growth is 1.39 (its four points average 1.39)
    assert_allclose(summary.loc[(2, "pressure_drop"), "change_pct"], 100 * (growth[-12:].mean() - growth[:12].mean()),
                    atol=1.5)
    single = compare_stages(normalize_log("example"), bundled_example("seawater_px"))
    assert set(single["quantity"]) == {"pressure_drop", "permeate_flow"}
