"""Where the project's files live, found from the package's own location."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA = PROJECT_ROOT / "data"
DATA_RAW = DATA / "raw"
DATA_REFERENCE = DATA / "reference"
DATA_SYNTHETIC = DATA / "synthetic"  # made-up records, labelled SYNTHETIC
#: The committed figures, refreshed by ``python -m camlo figures`` (nothing else writes there).
FIGURES = PROJECT_ROOT / "figures"
REPORTS = PROJECT_ROOT / "reports"
NOTEBOOKS = PROJECT_ROOT / "notebooks"

#: Reference tables that the labels read as well as the loaders: one home for their paths.
UNITS_FILE = DATA_REFERENCE / "units.csv"
INDICATORS_FILE = DATA_REFERENCE / "indicators.csv"
