"""Each notebook's main finding in a sentence or two, computed from the data for the reports' index.

A finding function takes the notebook's namespace after it ran (so that it can use the
notebook's parameters) and returns plain text. Notebooks with an answer
(:mod:`camlo.answers`) carry their finding in it instead. The build
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


@finding("02")
def deprivation_finding(namespace: Mapping[str, Any]) -> str:
    """Which indicators make up most of the district's M0, and which units carry more than their share."""
    import camlo
    from camlo.text.labels import indicator_label, unit_label
    from camlo.text.numbers import listing
    from camlo.measures import profiles

    tables = camlo.load_plan_tables()
    measures = camlo.af_measures(tables.households, tables.deprivations, tables.indicators)
    top = profiles.district_contributions(measures, top=4)
    shares = profiles.m0_share_table(measures)
    over = shares[shares["M0_share"] > shares["pop_share"]]
    names = [indicator_label(j, "en").lower() for j in top.index]
    return (
        f"The {len(top)} leading indicators ({listing(names)}) make up {top.sum():.0%} of the district's adjusted "
        f"headcount ratio M0. {listing([unit_label(u, 'en') for u in over.index])} carry more of it than "
        f"their share of the district's households."
    )


@finding("04")
def records_finding(namespace: Mapping[str, Any]) -> str:
    """Whether household records give back the printed tables, and that the shipped ones are synthetic."""
    import camlo
    from camlo.consistency.records import annex_comparison

    path = namespace.get("records_path")
    source = camlo.records_source(path)
    standard = camlo.load_standard()
    records = camlo.classify(camlo.load_records(path), standard)
    comparison = annex_comparison(camlo.annex_tables(records), camlo.load_plan_tables())
    listed = camlo.audit_records(records, standard)
    text = (f"Household records ({len(records):,} households) give back {int(comparison['match'].sum())} of the "
            f"{len(comparison)} figures the plan prints in its annexes; {len(listed)} household(s) carry a status "
            f"the standard does not give them.")
    if source.synthetic:
        text += (" These records are SYNTHETIC (made up to match the printed counts): an illustration of the "
                 "method, not a finding about Cam Lộ.")
    return text


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
