"""Notebook 04's answer: what household records show that the printed counts cannot.

The records of a review are loaded once (:func:`load_review`: classified under the standard,
with what their sidecar says of them) and every table, figure, sentence and the finding is
computed from them here, once. A second review of the same households is compared only when
it is given, or when the records are the shipped SYNTHETIC 2022 review, whose SYNTHETIC
end-2023 follow-up then stands in (:func:`second_review_path`): a user's records are never
paired with the shipped data. Without a second review the transitions part says so and
has no table and no figure.

Every sentence quoting a number of synthetic records says so (``r04_synthetic_mark``), and only
then. No table holds a household's code (personal data): a flagged household is named by its
place in the file (``record``: 1 is the first household).

Examples:
    >>> result = run({"n_paths": 2_000})
    >>> result.synthetic, sorted(result.figures)[:2]
    (True, ['04_co_deprivation', '04_decomposition'])
    >>> "household_id" in result.tables["listed"].columns
    False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from camlo.answers import Answer, declared
from camlo.clean.plan_tables import PlanTables, load_plan_tables, plan_files
from camlo.clean.provenance import sidecar_path
from camlo.clean.records import (
    DICTIONARY,
    SYNTHETIC_FOLLOW_UP,
    SYNTHETIC_RECORDS,
    RecordsSource,
    load_records,
    records_source,
)
from camlo.clean.standard import DEFAULT_STANDARD, Standard, load_standard
from camlo.clean.units import REGISTER
from camlo.consistency.checks import audit
from camlo.consistency.records import annex_comparison, explain_differences, phu_luc_1_side_by_side
from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT
from camlo.measures import bounds
from camlo.measures.af import af_measures, unit_counts
from camlo.measures.af_records import OFFICIAL, af_from_records, group_summary, measure_by_k, rank_by_k, rank_robustness
from camlo.measures.classify import audit_records, classify
from camlo.measures.patterns import NOT_LISTED, OFFICIAL_STATUSES, official_status
from camlo.measures.scores import co_deprivation, pair_matrix, score_distribution
from camlo.measures.tabulate import annex_tables
from camlo.measures.transitions import AFTER, BEFORE, Transitions, transitions
from camlo.targets.plan import path_comparison, plan_goal
from camlo.targets.projection import DEFAULT_PATHS, DEFAULT_SEED, measured_projection
from camlo.text.labels import unit_label
from camlo.text.sentences import Indicator, Label, Listing, Prose, Unit, paragraphs, prose, say

QUESTION = "04"
#: The group columns of the decomposition, in the order shown and drawn.
DECOMPOSITION = ("unit", "area", "ethnic_minority")
#: Annual review steps between the shipped reviews (start of 2022 to end of 2023).
COMPARE_STEPS = 2
#: The fewest poor households deprived in both of a pair for it to count among the most redundant.
REDUNDANT_MIN = 10


@dataclass(frozen=True, eq=False)
class Review:
    """The records of one review, classified under the standard, and what their file is."""

    records: pd.DataFrame
    source: RecordsSource


def load_review(path: str | Path | None, standard: Standard) -> Review:
    """A review's records (``None``: the shipped SYNTHETIC 2022 review), classified, with their sidecar's word."""
    return Review(classify(load_records(path), standard), records_source(path))


def second_review_path(records_path: str | Path | None, compare_path: str | Path | None) -> Path | None:
    """The second review to compare with: the one given; the shipped SYNTHETIC end-2023 follow-up
    only beside the shipped records it follows; else none.

    Examples:
        >>> second_review_path(None, None).name
        'records_2023.csv'
        >>> second_review_path("mine.csv", None) is None, second_review_path("mine.csv", "later.csv").name
        (True, 'later.csv')
    """
    if compare_path is not None:
        return Path(compare_path)
    shipped = records_path is None or Path(records_path).resolve() == SYNTHETIC_RECORDS.resolve()
    return SYNTHETIC_FOLLOW_UP if shipped else None


def load_second_review(records_path, compare_path, standard: Standard) -> Review | None:
    """The second review (:func:`second_review_path`), loaded; ``None`` when there is none."""
    path = second_review_path(records_path, compare_path)
    return None if path is None else load_review(path, standard)


def _record_files(path: str | Path | None) -> list[Path]:
    path = SYNTHETIC_RECORDS if path is None else Path(path)
    sidecar = sidecar_path(path)
    return [path, *([sidecar] if sidecar.exists() else [])]


def inputs(params: Mapping[str, Any]) -> dict[str, Path]:
    """The data files notebook 04 reads: the records (and a second review), their sidecars, the
    record format, the standard and the plan's tables with the observed reviews."""
    records_path = params.get("records_path")
    later = second_review_path(records_path, params.get("compare_path"))
    return {
        **declared(_record_files(records_path), "records_path"),
        **(declared(_record_files(later), "compare_path") if later is not None else {}),
        **declared([DICTIONARY, REGISTER, DEFAULT_STANDARD]),
        **declared(plan_files(params.get("tables_path")), "tables_path"),
    }


def run(params: Mapping[str, Any] | None = None) -> Answer:
    """Notebook 04's answer on the files its parameters name (the shipped SYNTHETIC records by default)."""
    params = params or {}
    standard = load_standard()
    review = load_review(params.get("records_path"), standard)
    later = load_second_review(params.get("records_path"), params.get("compare_path"), standard)
    return answer(review, load_plan_tables(params.get("tables_path")), standard, later,
                  compare_steps=params.get("compare_steps", COMPARE_STEPS), seed=params.get("seed", DEFAULT_SEED),
                  n_paths=params.get("n_paths", DEFAULT_PATHS))


# --- Shared pieces -------------------------------------------------------------------------------------


def marked(part, synthetic: bool) -> Prose:
    """``part`` (sentences quoting the records' numbers), opened by the synthetic mark when they are made up."""
    return prose(say("r04_synthetic_mark") if synthetic else None, part)


def _en(unit: str) -> str:
    return "district" if unit == DISTRICT else unit_label(unit, "en")


def official_statuses(records: pd.DataFrame) -> pd.Series:
    """Each household's official status name (:data:`~camlo.measures.patterns.OFFICIAL_STATUSES`)."""
    return pd.Series([OFFICIAL_STATUSES[c] for c in official_status(records)], index=records.index)


# --- 0. What was read ---------------------------------------------------------------------------------


def _described(review: Review):
    kind = "r04_kind_synthetic" if review.source.synthetic else "r04_kind_records"
    return say("r04_described", name=review.source.name, households=len(review.records), kind=say(kind))


def read_text(review: Review, later: Review | None) -> Prose:
    """Which files were read, whether they are synthetic, and whether a second review was given."""
    synthetic = review.source.synthetic or (later is not None and later.source.synthetic)
    return prose(
        say("r04_read", first=_described(review)) if later is None else
        say("r04_read_pair", first=_described(review), second=_described(later)),
        say("r04_read_synthetic" if synthetic else "r04_read_records"))


# --- 1. The annex tables ------------------------------------------------------------------------------


def annex_text(comparison: pd.DataFrame, differences: pd.DataFrame) -> Prose:
    """How many printed figures the records give back, and whether the audit explains the rest."""
    counts_only = comparison[~comparison["column"].str.endswith("_pct")]
    unexplained = differences[differences["check"].isna()]
    return prose(
        say("r04_annex", printed=len(comparison), match=int(comparison["match"].sum()),
            counts_match=int(counts_only["match"].sum()), counts=len(counts_only)),
        say("r04_annex_unexplained", n=len(unexplained)) if len(unexplained) else
        say("r04_annex_explained", n=len(differences)) if len(differences) else None)


# --- 2. Recorded status -------------------------------------------------------------------------------


def listed_table(listed: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """The households whose recorded status the standard does not support, named by their place
    in the file (``record``: 1 is the file's first household), never by their code.

    Examples:
        >>> records = pd.DataFrame({"household_id": ["A", "B", "C"]})
        >>> listed = pd.DataFrame({"household_id": ["C"], "unit": ["Thanh An"], "area": ["rural"],
        ...     "deprivations": [2], "status_recorded": ["poor"], "status": ["near_poor"], "finding": ["..."]})
        >>> listed_table(listed, records).index.tolist(), "household_id" in listed_table(listed, records)
        ([3], False)
    """
    place = pd.Index(records["household_id"]).get_indexer(listed["household_id"]) + 1
    shown = listed[["unit", "area", "deprivations", "status_recorded", "status", "finding"]]
    return shown.assign(unit=shown["unit"].map(_en)).set_axis(pd.Index(place, name="record"))


def listed_text(listed: pd.DataFrame, findings: pd.DataFrame, official: pd.Series) -> Prose:
    """How many households carry a status the standard does not give, which the printed counts foretold."""
    short = listed[(listed["status_recorded"] == "poor") & (listed["deprivations"] < DEPRIVATION_CUTOFF)]
    by_unit = short.groupby("unit", observed=True).size()
    printed_short = findings[findings["check"] == "deprivation_sum"]
    return prose(
        say("r04_listed_short", n=len(listed), short=len(short), cutoff=DEPRIVATION_CUTOFF,
            where=Listing(say("r04_in_unit", n=int(n), unit=Unit(u)) for u, n in by_unit.items()))
        if len(short) else say("r04_listed", n=len(listed)),
        say("r04_listed_printed", units=Listing(Unit(u) for u in printed_short["unit"]), cutoff=DEPRIVATION_CUTOFF)
        if len(printed_short) else None,
        say("r04_listed_blank", n=int((official == NOT_LISTED).sum())))


# --- 3. Scores ----------------------------------------------------------------------------------------


def poor_scores_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Poor households by number of deprivations, per unit and for the district."""
    poor = scores[scores["status"] == "poor"].pivot(index="unit", columns="deprivations", values="households")
    return poor.loc[list(dict.fromkeys(scores["unit"]))]


def scores_facts(poor_scores: pd.DataFrame) -> dict:
    """The district's poor households: how many, at the cutoff, at or above it, and their mean score."""
    district = poor_scores.loc[DISTRICT]
    q = int(district.sum())
    return {"q": q, "at_cutoff": int(district[DEPRIVATION_CUTOFF]),
            "at_least": int(district[district.index >= DEPRIVATION_CUTOFF].sum()),
            "mean": float((district * district.index).sum() / q)}


def scores_text(facts: dict, cut: pd.Series) -> Prose:
    """The share at the cutoff, the mean, and whether the count at or above it is within the printed bounds."""
    inside = cut["fewest"] <= facts["at_least"] <= cut["most"]
    return prose(
        say("r04_scores", q=facts["q"], at_cutoff=facts["at_cutoff"], share=facts["at_cutoff"] / facts["q"],
            cutoff=DEPRIVATION_CUTOFF, at_least=facts["at_least"], mean=facts["mean"]),
        say("r04_scores_bounds", fewest=int(cut["fewest"]), most=int(cut["most"]), printed_q=int(cut["q"]),
            cutoff=DEPRIVATION_CUTOFF,
            verdict=say("r04_scores_inside" if inside else "r04_scores_outside", at_least=facts["at_least"])))


# --- 4. H, A and M0 against k, and the ranking --------------------------------------------------------


def by_k_text(by_k: dict, records: pd.DataFrame, official: pd.Series, measures: pd.DataFrame,
              printed: pd.DataFrame) -> Prose:
    """The official measures against those of the printed counts; what deprivations alone count at k = 3."""
    key = ["unit", "measure", "indicator", "dimension"]
    both_ways = printed.merge(measures[measures["k"].map(lambda k: k == OFFICIAL)], on=key,
                              suffixes=("_printed", "_records"))
    largest = float((both_ways["value_records"] - both_ways["value_printed"]).abs().max())
    h = by_k["H"].loc[DISTRICT]
    score = records["deprivations"] >= DEPRIVATION_CUTOFF
    return prose(
        say("r04_by_k_official", h=h[OFFICIAL], a=by_k["A"].loc[DISTRICT, OFFICIAL],
            m0=by_k["M0"].loc[DISTRICT, OFFICIAL]),
        say("r04_by_k_equal", values=len(both_ways)) if largest == 0 else say("r04_by_k_differ", largest=largest),
        say("r04_by_k_alone", cutoff=DEPRIVATION_CUTOFF, h=h[DEPRIVATION_CUTOFF],
            above_line=int((score & (official != "poor")).sum()),
            below_cutoff=int((~score & (official == "poor")).sum()), h1=h[1]))


def _k(k):
    """A cutoff as a sentence names it: its number, or "official" in the reader's language."""
    return Label("r04_official") if k == OFFICIAL else str(k)


def ranks_text(ranks: pd.DataFrame, robustness: pd.DataFrame, robust_share: float) -> Prose:
    """Which units keep their rank across the cutoffs, the share of pairs ordered alike, who moves most."""
    steady = robustness.index[~robustness["changes"]]
    moves = (robustness["worst"] - robustness["best"]).sort_values(ascending=False, kind="stable")
    mover = moves.index[0]
    where = ranks.loc[mover]
    ks = [k for k in ranks.columns if k != OFFICIAL]
    return prose(
        say("r04_ranks", first=ks[0], last=ks[-1],
            steady=say("r04_ranks_steady_one" if len(steady) == 1 else "r04_ranks_steady",
                       units=Listing(map(Unit, steady))) if len(steady) else say("r04_ranks_none_steady"),
            share=robust_share, pairs=len(ranks) * (len(ranks) - 1) // 2),
        say("r04_ranks_mover", unit=Unit(mover), reference=int(robustness.loc[mover, "reference"]),
            best=int(where.min()), best_k=_k(where.idxmin()), worst=int(where.max()), worst_k=_k(where.idxmax())))


# --- 5. Co-deprivation --------------------------------------------------------------------------------


def overlaps_text(pairs: pd.DataFrame, checked: pd.DataFrame) -> Prose:
    """The largest overlaps, the most redundant pairs (when any pair is large enough), and the bounds."""
    top = pairs.sort_values(["both", "indicator_j", "indicator_k"], ascending=[False, True, True]).head(3)
    redundant = pairs[pairs["both"] >= REDUNDANT_MIN].sort_values(["r0", "both"], ascending=False).head(2)
    inside = int(((checked["both"] >= checked["both_min"]) & (checked["both"] <= checked["both_max"])).sum())
    return prose(
        say("r04_overlaps_top", pairs=Listing(
            say("r04_overlap", both=int(r.both), j=Indicator(int(r.indicator_j), lower=True),
                k=Indicator(int(r.indicator_k), lower=True), r0=float(r.r0)) for r in top.itertuples())),
        say("r04_overlaps_redundant", least=REDUNDANT_MIN, pairs=Listing(
            say("r04_redundant", both=int(r.both), j=Indicator(int(r.indicator_j), lower=True),
                k=Indicator(int(r.indicator_k), lower=True), r0=float(r.r0)) for r in redundant.itertuples()))
        if len(redundant) else None,
        say("r04_overlaps_inside" if inside == len(checked) else "r04_overlaps_outside", counted=len(checked),
            inside=inside))


# --- 6. Decomposition ---------------------------------------------------------------------------------


def decomposition_tables(records: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Official H, A, M0 and shares by unit, area and ethnic minority (the district last in each)."""
    return {by: group_summary(af_from_records(records, indicators, k=OFFICIAL, by=by), by) for by in DECOMPOSITION}


def decomposition_table(decomposition: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The three decompositions in one table, groups named in English."""
    shown = {"unit": _en, "area": str,
             "ethnic_minority": lambda v: v if v == DISTRICT else ("ethnic minority" if int(v) else "other")}
    return pd.concat({by: decomposition[by].rename(index=shown[by]) for by in DECOMPOSITION})


def _added_up(table: pd.DataFrame) -> float:
    groups = table.drop(index=DISTRICT)
    return float((groups["pop_share"] * groups["M0"]).sum() - table.loc[DISTRICT, "M0"])


def decomposition_text(decomposition: dict[str, pd.DataFrame]) -> Prose:
    """Ethnic-minority and rural households' shares of M0, the units over their share, the check that they add up."""
    ethnic, area = decomposition["ethnic_minority"], decomposition["area"]
    units = decomposition["unit"].drop(index=DISTRICT)
    over = units[units["M0_share"] > units["pop_share"]]
    gap = max(abs(_added_up(decomposition[by])) for by in DECOMPOSITION)
    return prose(
        say("r04_dtts", pop=ethnic.loc[1, "pop_share"], m0=ethnic.loc[1, "M0_share"], h=ethnic.loc[1, "H"],
            h_other=ethnic.loc[0, "H"], a=ethnic.loc[1, "A"], a_other=ethnic.loc[0, "A"])
        if 1 in ethnic.index and 0 in ethnic.index else None,
        say("r04_rural", m0=area.loc["rural", "M0_share"], pop=area.loc["rural", "pop_share"])
        if "rural" in area.index else None,
        say("r04_over_share", units=Listing(map(Unit, over.index))) if len(over) else None,
        say("r04_added_up", gap=f"{gap:.1g}"))


# --- 7. Transitions and the projection ----------------------------------------------------------------


def transitions_text(moves: Transitions, projection: dict, goal, later: Review, later_totals: pd.Series) -> Prose:
    """Who left and entered poverty, the annual rates against the assumed, and the projection on them."""
    rates = moves.rates.set_index("rate")
    step, second_poor = projection["second_review"]
    measured, assumed = projection["measured"].table.set_index("step"), projection["assumed"].table.set_index("step")
    base = projection["assumed_params"]
    moved = say(
        "r04_moves", csgn_left=int(rates.loc["csgn_exit", "numerator"]), csgn=int(rates.loc["csgn_exit", "denominator"]),
        csgn_share=rates.loc["csgn_exit", "value"], btxh_left=int(rates.loc["btxh_exit", "numerator"]),
        btxh=int(rates.loc["btxh_exit", "denominator"]), btxh_share=rates.loc["btxh_exit", "value"],
        newly=int(rates.loc["newly_poor", "numerator"]),
        first_poor=int(moves.table.loc[["poor_csgn", "poor_btxh"]].to_numpy().sum()), second_poor=second_poor,
        csgn_annual=rates.loc["csgn_exit", "annual"], csgn_assumed=base.csgn_exit,
        btxh_annual=rates.loc["btxh_exit", "annual"], btxh_assumed=base.btxh_exit,
        newly_annual=rates.loc["newly_poor", "annual"], newly_assumed=base.newly_poor)
    projected = prose(
        say("r04_projection", at_second=measured.loc[step, "p50"], step=step, second_poor=second_poor,
            end_measured=measured.iloc[-1]["p50"], end_assumed=assumed.iloc[-1]["p50"], target=goal.target_poor,
            p_measured=100 * projection["measured"].probability_target_met,
            p_assumed=100 * projection["assumed"].probability_target_met),
        say("r04_follow_up_synthetic", poor=int(later_totals["poor"]), near_poor=int(later_totals["near_poor"]))
        if later.source.synthetic else None)
    return paragraphs(marked(moved, projection["synthetic"]), marked(projected, projection["synthetic"]))


def projection_params_table(projection: dict) -> pd.DataFrame:
    """The projection's rates: assumed (notebook 03) and measured where the reviews measure them."""
    return pd.DataFrame({"assumed (notebook 03)": projection["assumed_params"].as_dict(),
                         "measured (where the reviews measure it)": projection["measured_params"].as_dict()})


# --- The answer ---------------------------------------------------------------------------------------


def answers_text(parts: dict) -> Prose:
    """The notebook's answers, one line per question."""
    lines = [
        say("r04_answer_annex", match=parts["match"], printed=parts["printed"],
            every=say("r04_every" if parts["explained"] else "r04_not_every")),
        say("r04_answer_status", listed=parts["listed"], short=parts["short"], cutoff=DEPRIVATION_CUTOFF),
        say("r04_answer_scores", share=parts["at_cutoff_share"], cutoff=DEPRIVATION_CUTOFF),
        say("r04_answer_cutoffs", share=parts["robust_share"], unit=Unit(parts["mover"])),
        say("r04_answer_overlaps", j=Indicator(parts["top"][0], lower=True), k=Indicator(parts["top"][1], lower=True),
            both=parts["top"][2]),
        say("r04_answer_transitions", p_measured=parts["p_measured"], p_assumed=parts["p_assumed"])
        if "p_measured" in parts else say("r04_answer_no_second"),
        say("r04_answer_caveat") if parts["synthetic"] else None,
    ]
    return Prose(tuple(line for line in lines if line is not None), sep="\n")


def answer(review: Review, tables: PlanTables, standard: Standard, later: Review | None = None, *,
           compare_steps: int = COMPARE_STEPS, seed: int = DEFAULT_SEED, n_paths: int = DEFAULT_PATHS) -> Answer:
    """Everything notebook 04 shows, from a review's records (and a second review, when given).

    Args:
        review: The records of a review (:func:`load_review`).
        tables: The plan's tables, for the comparison with what it prints and for the goal.
        standard: The standard the records are classified by.
        later: A later review of the same households, or ``None``: no transitions then.
        compare_steps: Annual review steps between the two reviews.
        seed, n_paths: The projection's seed and simulated paths.
    """
    records, synthetic = review.records, review.source.synthetic
    indicators = tables.indicators
    annex = annex_tables(records)
    comparison = annex_comparison(annex, tables)
    findings = audit(tables)
    differences = explain_differences(comparison, findings)
    listed = audit_records(records, standard)
    official = official_statuses(records)
    scores = score_distribution(records, indicators)
    poor_scores = poor_scores_table(scores)
    facts = scores_facts(poor_scores)
    printed_counts = unit_counts(tables.households, tables.deprivations)
    cut = bounds.cutoff_share_bounds(printed_counts, k=DEPRIVATION_CUTOFF).loc[DISTRICT]
    measures = af_from_records(records, indicators)
    by_k = {m: measure_by_k(measures, m) for m in ("H", "A", "M0")}
    ranks = rank_by_k(measures, "M0")
    robustness, robust_share = rank_robustness(ranks)
    pairs = co_deprivation(records, indicators)
    checked = co_deprivation(records, indicators, by="unit").merge(
        bounds.overlap_bounds(printed_counts), on=["unit", "indicator_j", "indicator_k"], how="inner")
    decomposition = decomposition_tables(records, indicators)
    top = pairs.sort_values(["both", "indicator_j", "indicator_k"], ascending=[False, True, True]).iloc[0]
    short = listed[(listed["status_recorded"] == "poor") & (listed["deprivations"] < DEPRIVATION_CUTOFF)]
    moves_rank = (robustness["worst"] - robustness["best"]).sort_values(ascending=False, kind="stable")

    text = {
        "read": read_text(review, later),
        "annex": marked(annex_text(comparison, differences), synthetic),
        "listed": marked(listed_text(listed, findings, official), synthetic),
        "scores": marked(scores_text(facts, cut), synthetic),
        "by_k": marked(by_k_text(by_k, records, official, measures,
                                 af_measures(tables.households, tables.deprivations, indicators)), synthetic),
        "ranks": marked(ranks_text(ranks, robustness, robust_share), synthetic),
        "overlaps": marked(overlaps_text(pairs, checked), synthetic),
        "decomposition": marked(decomposition_text(decomposition), synthetic),
    }
    tables_out = {
        "phu_luc_1": phu_luc_1_side_by_side(comparison).rename(index=_en),
        "differences": differences.assign(unit=differences["unit"].map(_en)),
        "near_poor": annex.near_poor.assign(unit=annex.near_poor["unit"].map(_en)).set_index("unit"),
        "listed": listed_table(listed, records),
        "poor_scores": poor_scores.rename(index=_en),
        "m0_by_k": by_k["M0"].rename(index=_en).round(4),
        "ranks": ranks.assign(**robustness[["best", "worst", "changes"]]).rename(index=_en),
        "decomposition": decomposition_table(decomposition).round(4),
        "measures_by_k": measure_table_for_workbook(by_k),
    }
    figures = {
        "04_score_distribution": {"table": scores, "statuses": OFFICIAL_STATUSES, "synthetic": synthetic},
        "04_measures_by_k": {**by_k, "official": OFFICIAL, "synthetic": synthetic},
        "04_rank_by_k": {"ranks": ranks, "official": OFFICIAL, "synthetic": synthetic},
        "04_co_deprivation": {"both": pair_matrix(pairs, "both"), "r0": pair_matrix(pairs, "r0"),
                              "synthetic": synthetic},
        "04_decomposition": {**decomposition, "groups": DECOMPOSITION, "synthetic": synthetic},
    }
    values = {"households": len(records), "printed": len(comparison), "match": int(comparison["match"].sum()),
              "listed": len(listed), "robust_share": robust_share}
    parts = {"match": values["match"], "printed": values["printed"],
             "explained": differences["check"].notna().all(), "listed": len(listed), "short": len(short),
             "at_cutoff_share": facts["at_cutoff"] / facts["q"], "robust_share": robust_share,
             "mover": moves_rank.index[0], "top": (int(top["indicator_j"]), int(top["indicator_k"]), int(top["both"])),
             "synthetic": synthetic}

    if later is None:
        text["transitions"] = say("r04_no_second_review")
    else:
        pair_synthetic = synthetic or later.source.synthetic
        moves = transitions(records, later.records, steps=compare_steps)
        goal = plan_goal(tables.headline, tables.targets)
        paths = path_comparison(tables.observed, tables.households, tables.register, goal)
        projection = measured_projection(moves, goal, paths, pair_synthetic, seed=seed, n_paths=n_paths)
        later_totals = annex_tables(later.records).headline.set_index("key")["count"]
        text["transitions"] = transitions_text(moves, projection, goal, later, later_totals)
        tables_out |= {"transitions": moves.table, "rates": moves.rates.round(4),
                       "projection_params": projection_params_table(projection)}
        figures |= {"04_transitions": {"table": moves.table, "before": BEFORE, "after": AFTER,
                                       "steps": moves.steps, "synthetic": pair_synthetic},
                    "04_projection_measured": projection}
        values |= {"steps": moves.steps, "annual_rates": moves.annual_rates(), "pair_synthetic": pair_synthetic,
                   "probability_measured": projection["measured"].probability_target_met,
                   "probability_assumed": projection["assumed"].probability_target_met}
        parts |= {"p_measured": 100 * projection["measured"].probability_target_met,
                  "p_assumed": 100 * projection["assumed"].probability_target_met,
                  "synthetic": pair_synthetic}
    text["answers"] = answers_text(parts)

    return Answer(
        question=QUESTION,
        text=text,
        tables=tables_out,
        figures=figures,
        finding=prose(say("r04_finding", households=len(records), match=values["match"], printed=values["printed"],
                          listed=len(listed)), say("r04_finding_synthetic") if synthetic else None),
        values=values,
        params={"compare_steps": compare_steps, "seed": seed, "n_paths": n_paths},
        synthetic=synthetic,
    )


def measure_table_for_workbook(by_k: dict) -> pd.DataFrame:
    """Official H, A and M0 per unit (and the district), and M0 at every cutoff k (the workbook's sheet)."""
    m0 = by_k["M0"].drop(columns=OFFICIAL)
    return pd.DataFrame({"unit": m0.index, **{m: by_k[m][OFFICIAL].to_numpy() for m in ("H", "A", "M0")},
                         **{f"M0_k{k}": m0[k].to_numpy() for k in m0.columns}})
