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
    "load_households": "camlo.clean.annexes",
    "load_household_totals": "camlo.clean.annexes",
    "load_deprivations": "camlo.clean.annexes",
    "load_deprivation_totals": "camlo.clean.annexes",
    "load_headline": "camlo.clean.annexes",
    "load_targets": "camlo.clean.annexes",
    "load_units": "camlo.clean.annexes",
    "indicators": "camlo.clean.annexes",
    "units": "camlo.clean.units",
    "resolve_unit": "camlo.clean.units",
    "audit": "camlo.consistency.checks",
    "verify_checksums": "camlo.clean.provenance",
    "af_measures": "camlo.measures.af",
    "indicator_weights": "camlo.measures.af",
    "unit_counts": "camlo.measures.af",
    "measure_table": "camlo.measures.af",
    "pair_overlap_bounds": "camlo.measures.af",
    "union_bounds": "camlo.measures.af",
    "mean_score": "camlo.measures.af",
    "score_count_bounds": "camlo.measures.af",
    "overlap_bounds": "camlo.measures.af",
    "score_bounds": "camlo.measures.af",
    "target_gaps": "camlo.targets.plan",
    "untracked_targets": "camlo.targets.plan",
    "poverty_target_status": "camlo.targets.plan",
    "plan_goal": "camlo.targets.plan",
    "plan_path": "camlo.targets.plan",
    "band_readings": "camlo.targets.plan",
    "allocate_reduction": "camlo.targets.plan",
    "allocation_comparison": "camlo.targets.plan",
    "load_observed": "camlo.clean.observed",
    "project_poverty": "camlo.targets.projection",
    "ProjectionParameters": "camlo.targets.projection",
    "sensitivity_grid": "camlo.targets.projection",
    "sensitivity_oneway": "camlo.targets.projection",
    "load_poverty_rates": "camlo.clean.context",
    "poverty_pace": "camlo.clean.context",
    "published_vs_recomputed": "camlo.consistency.published",
    "household_status": "camlo.consistency.published",
    "poverty_rates": "camlo.consistency.published",
    "poor_split": "camlo.consistency.published",
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
