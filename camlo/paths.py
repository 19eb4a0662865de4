"""Where the project's files live, found from the package's own location."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA = PROJECT_ROOT / "data"
DATA_RAW = DATA / "raw"
DATA_REFERENCE = DATA / "reference"
FIGURES = PROJECT_ROOT / "figures"
REPORTS = PROJECT_ROOT / "reports"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
