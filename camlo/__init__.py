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

# public name -> module that defines it ("module:name" where the module's own name differs)
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
    "load_indicator_legend": "camlo.clean.annexes",
    "load_target_readings": "camlo.clean.annexes",
    "audit": "camlo.consistency.checks:audit_with_default",
    "verify_checksums": "camlo.clean.provenance",
    "af_measures": "camlo.measures.af",
    "indicator_weights": "camlo.measures.af",
    "unit_counts": "camlo.measures.af",
    "measure_table": "camlo.measures.af",
    "pair_overlap_bounds": "camlo.measures.bounds",
    "union_bounds": "camlo.measures.bounds",
    "mean_score": "camlo.measures.bounds",
    "score_count_bounds": "camlo.measures.bounds",
    "overlap_bounds": "camlo.measures.bounds",
    "score_bounds": "camlo.measures.bounds",
    "target_gaps": "camlo.targets.gaps",
    "untracked_targets": "camlo.targets.gaps",
    "gap_matrix": "camlo.targets.gaps",
    "worst_units": "camlo.targets.gaps",
    "hidden_gaps": "camlo.targets.gaps",
    "gap_readings": "camlo.targets.gaps",
    "poverty_target_status": "camlo.targets.plan",
    "plan_goal": "camlo.targets.plan",
    "plan_path": "camlo.targets.plan",
    "path_comparison": "camlo.targets.plan",
    "area_goals": "camlo.targets.plan",
    "area_baselines": "camlo.targets.plan",
    "area_reviews": "camlo.targets.plan",
    "area_paths": "camlo.targets.plan",
    "band_readings": "camlo.targets.plan",
    "allocate_reduction": "camlo.targets.plan",
    "allocation_comparison": "camlo.targets.plan",
    "load_observed": "camlo.clean.observed",
    "load_observed_dtts": "camlo.clean.observed",
    "project_poverty": "camlo.targets.projection",
    "projection_fan": "camlo.targets.projection",
    "observed_start": "camlo.targets.projection",
    "ProjectionParameters": "camlo.targets.projection",
    "sensitivity_grid": "camlo.targets.sensitivity",
    "sensitivity_oneway": "camlo.targets.sensitivity",
    "sensitivity_matrix": "camlo.targets.sensitivity",
    "tornado_table": "camlo.targets.sensitivity",
    "load_poverty_rates": "camlo.clean.context",
    "poverty_pace": "camlo.targets.pace",
    "pace_comparison": "camlo.targets.pace",
    "published_vs_recomputed": "camlo.consistency.published",
    "household_status": "camlo.measures.status",
    "poverty_rate_by_unit": "camlo.measures.status",
    "poor_split": "camlo.measures.status",
    "district_summary": "camlo.measures.status",
    "PlanTables": "camlo.clean.plan_tables",
    "load_plan_tables": "camlo.clean.plan_tables",
    "save_figures": "camlo.report.figures",
    "load_records": "camlo.clean.records",
    "iter_records": "camlo.clean.records",
    "record_dictionary": "camlo.clean.records",
    "records_source": "camlo.clean.records",
    "load_standard": "camlo.clean.standard",
    "standard_for": "camlo.clean.standard",
    "classify": "camlo.measures.classify",
    "audit_records": "camlo.measures.classify",
    "annex_tables": "camlo.measures.tabulate",
    "write_annex": "camlo.measures.tabulate",
    "synthesize_2022": "camlo.synthetic.review_2022",
    "synthesize_2023": "camlo.synthetic.review_2023",
    "af_from_records": "camlo.measures.af_records",
    "score_distribution": "camlo.measures.scores",
    "co_deprivation": "camlo.measures.scores",
    "transitions": "camlo.measures.transitions",
}


def __getattr__(name: str) -> Any:
    """Import a public function on first use (PEP 562)."""
    where = _EXPORTS.get(name)
    if where is None:
        raise AttributeError(f"module 'camlo' has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = ["DataError", "__version__", *_EXPORTS]
