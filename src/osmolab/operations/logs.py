"""Reading RO plant logs: column mapping, units, timestamps, and a data-quality report.

A log is a CSV or Excel (.xlsx, first sheet or a named one, read with openpyxl) export with one row per time. A column
mapping names which column holds which quantity; sensible defaults recognise common headings
("Feed Flow", "Permeate Conductivity", ...). Units come from the mapping, from the heading
("Feed Pressure [psi]", "Feed Flow (gpm)"), or are the bare units of :data:`BARE_UNITS`. Every
problem is handled and reported (counts and rows), never dropped silently: duplicate
timestamps, out-of-order rows, gaps, shutdown periods (feed flow below a fraction of its
median) and outliers (a rolling median-absolute-deviation filter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, suggest
from ..units import parse_quantity, registry

__all__ = ["COLUMNS", "BARE_UNITS", "LogQuality", "read_log", "load_mapping", "clean_log"]

#: Quantities a log may hold: name -> (kind, headings recognised without a mapping). The frame
#: returned by :func:`read_log` has these names, in SI: flows [m^3/s], pressures [Pa gauge],
#: temperature [K], conductivities [S/m], TDS [kg/m^3], pH [-].
COLUMNS = {
    "time": ("time", ("time", "timestamp", "date", "datetime", "date time", "date/time")),
    "feed_flow": ("flow", ("feed flow", "feed flowrate", "feed flow rate", "raw water flow")),
    "permeate_flow": ("flow", ("permeate flow", "product flow", "permeate flowrate", "product flowrate")),
    "concentrate_flow": ("flow", ("concentrate flow", "brine flow", "reject flow")),
    "feed_pressure": ("pressure", ("feed pressure", "hp pump discharge pressure", "membrane feed pressure")),
    "concentrate_pressure": ("pressure", ("concentrate pressure", "brine pressure", "reject pressure")),
    "permeate_pressure": ("pressure", ("permeate pressure", "product pressure")),
    "interstage_pressure": ("pressure", ("interstage pressure", "stage 2 feed pressure",
                                         "stage 1 concentrate pressure")),
    "stage1_permeate_flow": ("flow", ("stage 1 permeate flow", "first stage permeate flow")),
    "temperature": ("temperature", ("temperature", "feed temperature", "feed temp", "temp")),
    "feed_conductivity": ("conductivity", ("feed conductivity", "feed ec", "feed cond")),
    "permeate_conductivity": ("conductivity", ("permeate conductivity", "product conductivity",
                                               "permeate ec", "permeate cond")),
    "concentrate_conductivity": ("conductivity", ("concentrate conductivity", "brine conductivity")),
    "feed_tds": ("tds", ("feed tds",)),
    "permeate_tds": ("tds", ("permeate tds", "product tds")),
    "concentrate_tds": ("tds", ("concentrate tds", "brine tds")),
    "ph": ("ph", ("ph", "feed ph")),
}

#: The unit of a bare number in a log column, by kind.
BARE_UNITS = {"flow": "m3/h", "pressure": "bar", "temperature": "degC",
              "conductivity": "uS/cm", "tds": "mg/L", "ph": ""}
_SI = {"flow": "m**3/s", "pressure": "Pa", "temperature": "K", "conductivity": "S/m",
       "tds": "kg/m**3"}
_PARSE_DIMENSION = {"flow": "flow", "pressure": "pressure", "temperature": "temperature",
                    "tds": "mass_concentration"}
_FLOWS = ("feed_flow", "permeate_flow", "concentrate_flow", "stage1_permeate_flow")


@dataclass
class LogQuality:
    """What reading and cleaning a log found; rows are 0-based data rows of the file.

    Attributes
    ----------
    rows_read : int
        Data rows in the file.
    duplicates, out_of_order, missing, shutdown : list of int
        Rows with a repeated timestamp (the later ones are dropped), rows earlier than the
        row before them (sorted into place), rows with an empty or non-numeric value
        (excluded from the normalisation), rows of a shutdown (feed flow below the threshold).
    outliers : dict
        Column -> rows flagged by the rolling MAD filter (excluded from the normalisation).
    gaps : list of tuple
        (last time before, first time after, hours) for every interval longer than
        ``gap_factor`` times the median interval.
    columns : dict
        Quantity -> (heading in the file, unit of its numbers).
    """

    rows_read: int = 0
    duplicates: list = field(default_factory=list)
    out_of_order: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    shutdown: list = field(default_factory=list)
    outliers: dict = field(default_factory=dict)
    gaps: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Counts and rows, JSON-ready."""
        return {
            "rows_read": self.rows_read,
            "duplicates": {"count": len(self.duplicates), "rows": self.duplicates},
            "out_of_order": {"count": len(self.out_of_order), "rows": self.out_of_order},
            "missing": {"count": len(self.missing), "rows": self.missing},
            "shutdown": {"count": len(self.shutdown), "rows": self.shutdown},
            "outliers": {name: {"count": len(rows), "rows": rows} for name, rows in self.outliers.items()},
            "gaps": [{"from": str(a), "to": str(b), "hours": h} for a, b, h in self.gaps],
            "columns": {k: {"heading": h, "unit": u} for k, (h, u) in self.columns.items()},
        }

    def summary(self) -> str:
        """One line per finding."""
        outliers = sum(len(r) for r in self.outliers.values())
        return (f"{self.rows_read} rows read; {len(self.duplicates)} duplicate timestamps dropped; "
                f"{len(self.out_of_order)} out of order (sorted); {len(self.missing)} with missing "
                f"values; {len(self.shutdown)} in shutdown; {outliers} outlier values; "
                f"{len(self.gaps)} gaps")


def load_mapping(mapping) -> dict:
    """A column mapping from a dict or a YAML file.

    Parameters
    ----------
    mapping : dict, str or Path, optional
        Quantity -> heading, or quantity -> ``{"column": heading, "unit": unit}``; keys are
        the names of :data:`COLUMNS`.

    Returns
    -------
    dict
        Quantity -> (heading, unit or None).
    """
    if mapping is None:
        return {}
    if isinstance(mapping, (str, Path)):
        import yaml  # lazy: only a mapping file needs it

        path = Path(mapping)
        if not path.is_file():
            raise InputError(f"mapping file {str(path)!r} not found")
        try:
            mapping = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InputError(f"mapping file {path.name}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(mapping, dict):
        raise InputError("a column mapping is a table of quantity: heading")
    out = {}
    for key, value in mapping.items():
        if key not in COLUMNS:
            raise InputError(f"unknown quantity {key!r} in the column mapping.{suggest(str(key), COLUMNS)} "
                             f"Use: {', '.join(COLUMNS)}")
        if isinstance(value, dict):
            if "column" not in value:
                raise InputError(f"mapping of {key!r} needs a 'column' entry")
            out[key] = (str(value["column"]), value.get("unit"))
        else:
            out[key] = (str(value), None)
    return out


_UNIT_IN_HEADING = re.compile(r"^(.*?)\s*[\[(]([^\])]*)[\])]\s*$")


def _split_heading(heading: str):
    match = _UNIT_IN_HEADING.match(str(heading))
    if match:
        return match.group(1).strip(), match.group(2).strip()
    return str(heading).strip(), None


def _match_columns(headings, mapping):
    """Quantity -> (heading, unit) for the mapped and the recognised columns."""
    found = {}
    for key, (heading, unit) in mapping.items():
        if heading not in headings:
            raise InputError(f"column {heading!r} of the mapping ({key}) is not in the log; "
                             f"its columns are {', '.join(map(str, headings))}")
        found[key] = (heading, unit if unit is not None else _split_heading(heading)[1])
    taken = {h for h, _ in found.values()}
    for heading in headings:
        if heading in taken:
            continue
        name, unit = _split_heading(heading)
        plain = re.sub(r"[_\s]+", " ", name.lower()).strip()
        for key, (_, aliases) in COLUMNS.items():
            if key not in found and (plain in aliases or plain == key.replace("_", " ")):
                found[key] = (heading, unit)
                break
    return found


def _scale(kind, unit, key):
    """(offset, factor) taking numbers in ``unit`` to SI: si = offset + factor x value."""
    if kind == "ph":
        return 0.0, 1.0
    unit = unit or BARE_UNITS[kind]
    try:
        if kind == "conductivity":
            ureg = registry()
            text = unit.replace("µ", "u").replace("μ", "u")
            return 0.0, float(ureg.Quantity(1.0, text).to("S/m").magnitude)
        zero = parse_quantity(f"0 {unit}", _PARSE_DIMENSION[kind])
        one = parse_quantity(f"1 {unit}", _PARSE_DIMENSION[kind])
    except InputError as exc:
        raise InputError(f"{key}: {exc}") from None
    except Exception:
        raise InputError(f"{key}: cannot read the unit {unit!r}; use e.g. {BARE_UNITS[kind]!r}") from None
    return zero, one - zero


#: Excel workbooks read through openpyxl (the legacy binary .xls is not).
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def _read_excel(path, sheet):
    try:
        import openpyxl  # lazy: only Excel logs need it
    except ImportError:
        raise InputError("reading Excel logs needs openpyxl (pip install openpyxl); "
                         "or export the log as CSV") from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or non-Excel file: one line, not a traceback
        raise InputError(f"cannot read {path.name} as Excel ({exc.__class__.__name__})") from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            worksheet = workbook[names[0]]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise InputError(f"{path.name} has no sheet {sheet!r}.{suggest(str(sheet), names)} "
                             f"Its sheets: {', '.join(names)}")
        rows = [row for row in worksheet.iter_rows(values_only=True)
                if any(cell is not None and str(cell).strip() != "" for cell in row)]
    finally:
        workbook.close()
    if not rows:
        raise InputError(f"sheet {worksheet.title!r} of {path.name} is empty")
    headings = [str(cell).strip() if cell is not None else f"column {i + 1}" for i, cell in enumerate(rows[0])]
    return pd.DataFrame([list(row) for row in rows[1:]], columns=headings)


def _read_table(source, sheet=None):
    if isinstance(source, pd.DataFrame):
        return source.copy()
    path = Path(source)
    if not path.is_file():
        raise InputError(f"log file {str(path)!r} not found")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(f"{path.name}: the legacy .xls format is not read; save the workbook as .xlsx or CSV")
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if sheet is not None:
        raise InputError(f"--sheet applies to Excel workbooks (.xlsx), not to {path.name}")
    try:
        return pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read {path.name} as CSV ({exc.__class__.__name__})") from None


def read_log(source, mapping=None, timezone="UTC", sheet=None):
    """Read a plant log into SI columns named as :data:`COLUMNS`, with its quality report.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        CSV or Excel (.xlsx, .xlsm) file (or a frame with the file's headings).
    mapping : dict, str or Path, optional
        Column mapping (see :func:`load_mapping`); unmapped headings are recognised from the
        defaults of :data:`COLUMNS`.
    timezone : str, default "UTC"
        Time zone of timestamps written without one (and of Excel date cells).
    sheet : str, optional
        Sheet of an Excel workbook (default: the first); its first non-empty row holds the
        headings, read through the same mapping as a CSV's.

    Returns
    -------
    (pandas.DataFrame, LogQuality)
        The log sorted by time (index: UTC timestamps), duplicates dropped, and the report.
        The frame's ``row`` column is the row in the file; ``valid`` is False for missing,
        shutdown and outlier rows (see :func:`clean_log`, which sets it).

    Raises
    ------
    InputError
        Missing required columns (named, with the mapping to fix it), unparseable timestamps
        or units, negative flows, permeate flow above feed flow.
    """
    table = _read_table(source, sheet)
    headings = [str(h) for h in table.columns]
    table.columns = headings
    found = _match_columns(headings, load_mapping(mapping))
    required = ["time", "feed_flow", "permeate_flow", "feed_pressure", "temperature"]
    missing = [k for k in required if k not in found]
    if "feed_conductivity" not in found and "feed_tds" not in found:
        missing.append("feed_conductivity (or feed_tds)")
    if "permeate_conductivity" not in found and "permeate_tds" not in found:
        missing.append("permeate_conductivity (or permeate_tds)")
    if missing:
        example = missing[0].split(" ")[0]
        raise InputError(
            f"the log lacks {', '.join(missing)}; name the columns in a mapping, e.g. "
            f"'{example}: <your heading>' in map.yaml (--mapping map.yaml); columns found: "
            f"{', '.join(headings)}")
    quality = LogQuality(rows_read=len(table))
    quality.columns = {k: (h, u or BARE_UNITS.get(COLUMNS[k][0], "")) for k, (h, u) in found.items()
                       if k != "time"}

    times = _timestamps(table[found["time"][0]], timezone)
    frame = pd.DataFrame({"row": np.arange(len(table))})
    for key, (heading, unit) in found.items():
        if key == "time":
            continue
        kind = COLUMNS[key][0]
        offset, factor = _scale(kind, unit, key)
        values = pd.to_numeric(table[heading], errors="coerce").to_numpy(dtype=float)
        frame[key] = offset + factor * values
    frame.index = pd.DatetimeIndex(times, name="time")

    for key in _FLOWS:
        if key in frame and np.any(frame[key].to_numpy() < 0):
            bad = int(frame["row"].to_numpy()[np.argmax(frame[key].to_numpy() < 0)])
            raise InputError(f"negative {key.replace('_', ' ')} in row {bad} of the log")
    above = frame["permeate_flow"].to_numpy() > frame["feed_flow"].to_numpy() * (1 + 1e-9)
    if np.any(above):
        bad = int(frame["row"].to_numpy()[np.argmax(above)])
        raise InputError(f"permeate flow above feed flow in row {bad} of the log "
                         "(check the flow columns and their units)")

    earlier = np.zeros(len(frame), dtype=bool)
    stamps = frame.index.asi8
    earlier[1:] = stamps[1:] < np.maximum.accumulate(stamps)[:-1]
    quality.out_of_order = frame["row"].to_numpy()[earlier].tolist()
    frame = frame.sort_index(kind="stable")
    duplicated = frame.index.duplicated(keep="first")
    quality.duplicates = frame["row"].to_numpy()[duplicated].tolist()
    frame = frame[~duplicated]
    return frame, quality


def _timestamps(column, timezone):
    try:
        times = pd.to_datetime(column, utc=False, errors="coerce", format="mixed")
    except (ValueError, TypeError):
        times = pd.Series(pd.NaT, index=column.index)
    if times.dtype == object:  # mixed offsets: parse each to UTC
        times = pd.to_datetime(column, utc=True, errors="coerce", format="mixed")
    bad = times.isna().to_numpy()
    if np.any(bad):
        rows = np.flatnonzero(bad)
        raise InputError(f"cannot read the timestamp {str(column.iloc[rows[0]])!r} in row {rows[0]} "
                         f"({len(rows)} unreadable); write e.g. 2026-01-01 00:00 or 2026-01-01T00:00+01:00")
    if times.dt.tz is None:
        try:
            times = times.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
        except Exception:
            raise InputError(f"unknown time zone {timezone!r}; use e.g. 'UTC' or 'Europe/Madrid'") from None
        if times.isna().any():
            row = int(np.flatnonzero(times.isna().to_numpy())[0])
            raise InputError(f"timestamp {str(column.iloc[row])!r} in row {row} does not exist or "
                             f"is ambiguous in {timezone}; give the offset, e.g. +01:00")
    return times.dt.tz_convert("UTC")


#: Window of the rolling outlier filter [rows] and its threshold [robust standard deviations].
OUTLIER_WINDOW = 25
OUTLIER_THRESHOLD = 6.0
#: 1 / Phi^-1(3/4): scales a median absolute deviation to a standard deviation (normal data).
MAD_TO_SIGMA = 1.4826


def clean_log(frame, quality, shutdown_fraction=0.5, gap_factor=3.0,
              window=OUTLIER_WINDOW, threshold=OUTLIER_THRESHOLD):
    """Flag missing, shutdown and outlier rows and find gaps; sets ``frame['valid']``.

    Parameters
    ----------
    frame, quality
        From :func:`read_log` (the report is completed in place).
    shutdown_fraction : float, default 0.5
        A row whose feed flow is below this fraction of the median feed flow is a shutdown.
    gap_factor : float, default 3
        An interval longer than this many median intervals is a gap.
    window : int, default 25
        Rows in the centred rolling window of the outlier filter.
    threshold : float, default 6
        A value further than this many robust standard deviations (1.4826 x MAD) from the
        rolling median is an outlier.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with a boolean ``valid`` column (rows are never removed).

    Notes
    -----
    The Hampel filter: :math:`|x - \\mathrm{med}_w(x)| > k \\cdot 1.4826\\,\\mathrm{MAD}_w`,
    over running-state rows only (a shutdown is not an outlier).

    References
    ----------
    .. [1] Pearson, R. K., 2002, Outliers in process modeling and identification, IEEE
       Transactions on Control Systems Technology 10(1), 55-63.
    """
    frame = frame.copy()
    rows = frame["row"].to_numpy()
    numeric = [c for c in frame.columns if c in COLUMNS]
    values = frame[numeric].to_numpy(dtype=float)
    missing = ~np.isfinite(values).all(axis=1)
    quality.missing = rows[missing].tolist()

    feed = frame["feed_flow"].to_numpy(dtype=float)
    median_feed = np.nanmedian(feed)
    shutdown = ~missing & ((feed < shutdown_fraction * median_feed)
                           | (frame["permeate_flow"].to_numpy(dtype=float) <= 0))
    quality.shutdown = rows[shutdown].tolist()

    running = ~missing & ~shutdown
    outlier = np.zeros(len(frame), dtype=bool)
    quality.outliers = {}
    for name in numeric:
        series = frame[name].where(running)
        med = series.rolling(window, center=True, min_periods=3).median()
        mad = (series - med).abs().rolling(window, center=True, min_periods=3).median()
        floor = 1e-6 * np.nanmedian(np.abs(series.to_numpy()))
        flagged = ((series - med).abs() > threshold * MAD_TO_SIGMA * np.maximum(mad, floor)).to_numpy().copy()
        flagged &= running
        if flagged.any():
            quality.outliers[name] = rows[flagged].tolist()
        outlier |= flagged

    if len(frame) > 2:
        hours = np.diff(frame.index.to_numpy()) / np.timedelta64(1, "h")
        long = np.flatnonzero(hours > gap_factor * np.median(hours))
        quality.gaps = [(frame.index[i], frame.index[i + 1], float(hours[i])) for i in long]
    frame["valid"] = running & ~outlier
    return frame
