"""camlo: analysis of Cam Lộ district's Plan for Sustainable Poverty Reduction 2022–2025.

The plan (Kế hoạch 23/KH-UBND, 18 Feb 2022) publishes the 2022 household review under
Decree 07/2021/NĐ-CP. camlo loads its tables from ``data/raw/``, audits them, and computes
the measures the notebooks show.

Public names are imported lazily, so that ``import camlo`` stays fast and pandas is only
loaded when a table is first asked for.

Examples:
    >>> import camlo
    >>> camlo.load_households()["households"].sum()
    np.int64(14905)
"""

from __future__ import annotations

import importlib
from typing import Any

from camlo.errors import DataError

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "load_households": "camlo.tables",
    "load_household_totals": "camlo.tables",
    "load_deprivations": "camlo.tables",
    "load_deprivation_totals": "camlo.tables",
    "load_headline": "camlo.tables",
    "load_targets": "camlo.tables",
    "load_units": "camlo.tables",
    "indicators": "camlo.tables",
    "units": "camlo.clean.units",
    "resolve_unit": "camlo.clean.units",
    "audit": "camlo.consistency",
    "verify_checksums": "camlo.provenance",
    "af_measures": "camlo.af",
    "indicator_weights": "camlo.af",
    "unit_counts": "camlo.af",
    "measure_table": "camlo.af",
    "pair_overlap_bounds": "camlo.af",
    "union_bounds": "camlo.af",
    "mean_score": "camlo.af",
    "score_count_bounds": "camlo.af",
    "overlap_bounds": "camlo.af",
    "score_bounds": "camlo.af",
    "target_gaps": "camlo.targets",
    "untracked_targets": "camlo.targets",
    "poverty_target_status": "camlo.targets",
    "plan_goal": "camlo.targets",
    "plan_path": "camlo.targets",
    "band_readings": "camlo.targets",
    "allocate_reduction": "camlo.targets",
    "allocation_comparison": "camlo.targets",
    "load_observed": "camlo.observed",
    "project_poverty": "camlo.projection",
    "ProjectionParameters": "camlo.projection",
    "sensitivity_grid": "camlo.projection",
    "sensitivity_oneway": "camlo.projection",
    "load_poverty_rates": "camlo.context",
    "poverty_pace": "camlo.context",
    "published_vs_recomputed": "camlo.baseline",
    "household_status": "camlo.baseline",
    "poverty_rates": "camlo.baseline",
    "poor_split": "camlo.baseline",
}


def __getattr__(name: str) -> Any:
    """Import a public function on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'camlo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = ["DataError", "__version__", *_EXPORTS]
