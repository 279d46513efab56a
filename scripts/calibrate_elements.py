"""Regenerate the calibrated element table ``src/osmolab/data/ro_elements_calibrated.csv``.

Run after changing ``data/ro_elements.csv`` or anything the engine computes with (the march,
the polarisation and channel correlations, the osmotic-pressure model)::

    PYTHONPATH=src python scripts/calibrate_elements.py

``tests/test_library.py`` recomputes the table and fails when the shipped file is out of date.
The Markdown table in ``docs/ro-calibration.md`` comes from
``osmolab.ro.library.calibration_markdown()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from osmolab.ro.library import CALIBRATED_TABLE, STORED_SETTINGS, write_calibrated_table

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "src" / "osmolab" / "data" / CALIBRATED_TABLE


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DEFAULT_PATH
    write_calibrated_table(target, STORED_SETTINGS)
    print(f"wrote {target} ({', '.join(f'{n} segments {c}' for n, c in STORED_SETTINGS)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
