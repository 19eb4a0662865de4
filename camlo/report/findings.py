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


def _listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    Examples:
        >>> _listing(["a", "b", "c"])
        'a, b and c'
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@finding("01")
def baseline_finding(namespace: Mapping[str, Any]) -> str:
    """How poor the district was, and how many printed numbers disagree with the others."""
    from camlo.consistency import published
    from camlo.labels import format_number, format_pct

    facts = published.district_summary()
    total = published.coverage(published.published_vs_recomputed()).loc["total"]
    return (
        f"At the start of 2022 Cam Lộ district had {format_number(facts['households'])} households, "
        f"{format_number(facts['poor'])} of them poor ({format_pct(facts['poor_pct'])}) and "
        f"{format_number(facts['near_poor'])} near-poor. Of the {format_number(total['printed'])} numbers the "
        f"plan prints, {format_number(total['mismatch'])} disagree with what the other printed numbers imply."
    )


@finding("02")
def deprivation_finding(namespace: Mapping[str, Any]) -> str:
    """Which indicators make up most of the district's M0, and which units carry more than their share."""
    from camlo.charts import fig02_deprivation as dep
    from camlo.labels import indicator_label, unit_label

    top = dep.district_contributions(top=4)
    shares = dep.m0_share_table()
    over = shares[shares["M0_share"] > shares["pop_share"]]
    names = [indicator_label(j, "en", numbered=False).lower() for j in top.index]
    return (
        f"{len(top)} indicators ({_listing(names)}) make up {top.sum():.0%} of the district's "
        f"adjusted headcount ratio M0. {_listing([unit_label(u, 'en') for u in over.index])} carry more of it "
        f"than their share of the district's households."
    )


@finding("03")
def targets_finding(namespace: Mapping[str, Any]) -> str:
    """How likely the 2025 reduction is, under the assumptions of the notebook's parameters cell."""
    from dataclasses import fields

    from camlo.labels import format_number
    from camlo.targets.plan import plan_goal
    from camlo.targets.projection import DEFAULT_PATHS, DEFAULT_SEED, ProjectionParameters, project_poverty

    params = ProjectionParameters(**{f.name: namespace[f.name] for f in fields(ProjectionParameters)
                                     if f.name in namespace})
    n_paths, seed = namespace.get("n_paths", DEFAULT_PATHS), namespace.get("seed", DEFAULT_SEED)
    goal = plan_goal()
    run = project_poverty(params, seed=seed, n_paths=n_paths)
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
