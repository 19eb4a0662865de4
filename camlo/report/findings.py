"""Each notebook's main finding in a sentence or two, computed from the data for the reports' index.

A finding function takes the notebook's namespace after it ran (so that it can use the
notebook's parameters, e.g. notebook 03's papermill cell) and returns plain text. The build
calls it inside the notebook's own kernel, once every cell has run, so that the index says
what the report says. A notebook without a finding function still gets its entry in the
index (question and links); to add one, register a function here under the notebook's number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Finding = Callable[[Mapping[str, Any]], str]
FINDINGS: dict[str, Finding] = {}


def finding(number: str) -> Callable[[Finding], Finding]:
    """Register the finding of notebook ``NN_…`` under ``number`` (``"01"``)."""

    def register(function: Finding) -> Finding:
        FINDINGS[number] = function
        return function

    return register


@finding("01")
def baseline_finding(namespace: Mapping[str, Any]) -> str:
    """How poor the district was, and how many printed numbers disagree with the others."""
    import camlo
    from camlo.consistency import published
    from camlo.text.numbers import format_number, format_pct
    from camlo.measures import status

    tables = camlo.load_plan_tables()
    facts = status.district_summary(tables.households, tables.headline)
    total = published.coverage(published.published_vs_recomputed(tables)).loc["total"]
    return (
        f"At the start of 2022 Cam Lộ district had {format_number(facts['households'])} households, "
        f"{format_number(facts['poor'])} of them poor ({format_pct(facts['poor_pct'])}) and "
        f"{format_number(facts['near_poor'])} near-poor. Of the {format_number(total['printed'])} numbers the "
        f"plan prints, {format_number(total['mismatch'])} disagree with what the other printed numbers imply."
    )


@finding("03")
def targets_finding(namespace: Mapping[str, Any]) -> str:
    """How likely the 2025 reduction is, under the assumptions of the notebook's parameters cell."""
    from dataclasses import fields

    import camlo
    from camlo.text.numbers import format_number
    from camlo.targets.projection import DEFAULT_PATHS, DEFAULT_SEED

    params = camlo.ProjectionParameters(**{f.name: namespace[f.name] for f in fields(camlo.ProjectionParameters)
                                           if f.name in namespace})
    n_paths, seed = namespace.get("n_paths", DEFAULT_PATHS), namespace.get("seed", DEFAULT_SEED)
    tables = camlo.load_plan_tables()
    goal = camlo.plan_goal(tables.headline, tables.targets)
    run = camlo.project_poverty(goal, params=params, seed=seed, n_paths=n_paths)
    return (
        f"The plan asks for {goal.reduction} fewer poor households by the end of 2025 "
        f"({goal.baseline_poor} to {goal.target_poor}). Under the projection's stated assumptions the target "
        f"is met in {100 * run.probability_target_met:.1f}% of {format_number(n_paths)} simulated paths."
    )


def main_finding(stem: str, namespace: Mapping[str, Any] | None = None) -> str:
    """The registered finding of notebook ``stem`` (``"02_deprivation_patterns"``), or ``""``."""
    function = FINDINGS.get(stem[:2])
    return function(namespace or {}) if function else ""


def publish(stem: str, namespace: Mapping[str, Any]) -> None:
    """Display, for the report build, notebook ``stem``'s finding and the data files it read.

    The build appends a cell calling this to each notebook it runs, reads its output and
    removes the cell before writing the reports.
    """
    from IPython.display import display

    from camlo.report.inputs import recorded_reads

    text = main_finding(stem, namespace)
    display({"application/vnd.camlo.report+json": {"finding": text, "reads": recorded_reads()}}, raw=True)
