"""Plant operation: reading RO plant logs and ASTM D4516 normalisation (layer 4, beside ``ro``).

* :mod:`osmolab.operations.logs` -- read CSV/Excel logs with a column mapping and units, and
  report duplicates, out-of-order rows, gaps, shutdowns and outliers (:func:`read_log`,
  :func:`clean_log`).
* :mod:`osmolab.operations.normalization` -- the ASTM D4516 equations (net driving pressure,
  normalised permeate flow, salt passage and pressure drop) and conductivity to salinity.
* :mod:`osmolab.operations.cleaning` -- cleaning triggers, detected cleanings, Theil-Sen
  trends and the projected date of the next clean.
* :mod:`osmolab.operations.plant` -- :func:`normalize_log`, the whole chain, returning
  DataFrames.
* :mod:`osmolab.operations.monitoring` -- model-based monitoring: the daily fouling factor
  factor and salt-permeability factor that make the RO engine match the plant
  (:func:`fit_membrane_state`, vectorised over a whole year of hourly points).
* :mod:`osmolab.operations.stages` -- measured against projected per stage
  (:func:`compare_stages`, :func:`stage_summary`): which stage departs from the model.
"""

from .cleaning import TRIGGERS, Trend, detect_cleanings, triggers
from .logs import COLUMNS, LogQuality, clean_log, load_mapping, read_log
from .monitoring import fit_fouling_factor, fit_membrane_state
from .normalization import (
    log_mean_concentration_factor,
    net_driving_pressure,
    normalized_permeate_flow,
    normalized_pressure_drop,
    normalized_salt_passage,
    osmotic_pressure_tds_rule,
    practical_salinity_PSS78,
    salinity_from_conductivity,
    temperature_correction_table,
)
from .plant import BUNDLED_LOGS, Normalization, normalize_log, reference_from_design
from .stages import compare_stages, stage_summary

__all__ = [
    "BUNDLED_LOGS", "COLUMNS", "LogQuality", "Normalization", "TRIGGERS", "Trend", "clean_log", "compare_stages",
    "detect_cleanings", "fit_fouling_factor", "fit_membrane_state", "load_mapping", "log_mean_concentration_factor", "net_driving_pressure",
    "normalize_log", "normalized_permeate_flow", "normalized_pressure_drop",
    "normalized_salt_passage", "osmotic_pressure_tds_rule", "practical_salinity_PSS78", "read_log",
    "reference_from_design", "salinity_from_conductivity", "stage_summary", "temperature_correction_table",
    "triggers",
]
