"""Notebook 04's answer: what household records show that the printed counts cannot.

The records of a review are loaded once (:func:`load_review`: classified under the standard,
with what their sidecar says of them) and every table, figure, sentence and the finding is
computed from them here, once. A second review of the same households is compared only when
it is given, or when the records are the shipped SYNTHETIC 2022 review, whose SYNTHETIC
end-2023 follow-up then stands in (:func:`second_review_path`): a user's records are never
paired with the shipped data. Without a second review the transitions part says so and
has no table and no figure.

The what-if (section 8) re-identifies the review's households under the 2027 income lines of
Decree 351/2025/NĐ-CP (:data:`NEXT_STANDARD`), today's indicators standing in for its unconfirmed
list (:func:`camlo.measures.whatif.reidentify`); records scored in points have no what-if (the new
lines set no score). Every measure says over which households it is computed where the quick
identification excluded some (``r04_over``).

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
from camlo.clean.standard import DEFAULT_STANDARD, STANDARDS, Standard, load_standard
from camlo.clean.units import REGISTER
from camlo.consistency.checks import audit
from camlo.targets.coverage import Coverage, coverage, covered_goal, printed_over
from camlo.consistency.records import annex_comparison, explain_differences, phu_luc_1_side_by_side
from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT, PLAN_DATE
from camlo.measures import bounds
from camlo.measures.af import af_measures, unit_counts
from camlo.measures.af_records import OFFICIAL, af_from_records, group_summary, measure_by_k, rank_by_k, rank_robustness
from camlo.measures.classify import audit_records, classify
from camlo.measures.patterns import NOT_LISTED, OFFICIAL_STATUSES, official_status
from camlo.measures.scores import co_deprivation, pair_matrix, score_distribution
from camlo.measures.tabulate import annex_tables
from camlo.measures.transitions import AFTER, BEFORE, Transitions, transitions
from camlo.measures.whatif import newly_identified, reidentify
from camlo.targets.plan import PathComparison, band_paths, path_comparison, plan_path
from camlo.targets.projection import (
    DEFAULT_PATHS,
    DEFAULT_SEED,
    ObservedStart,
    ProjectionParameters,
    measured_projection,
)
from camlo.text.labels import label, unit_label
from camlo.text.sentences import (
    Indicator,
    Label,
    Listing,
    ProbabilityRange,
    Prose,
    Sentence,
    Unit,
    paragraphs,
    prose,
    say,
)
from camlo.text.tables import Column, ReaderTable

QUESTION = "04"
#: The group columns of the decomposition, in the order shown and drawn.
DECOMPOSITION = ("unit", "area", "ethnic_minority")
#: Annual review steps between the shipped reviews (start of 2022 to end of 2023).
COMPARE_STEPS = 2
#: The fewest poor households deprived in both of a pair for it to count among the most redundant.
REDUNDANT_MIN = 10
#: Fewer households than this are "a handful": every share of them moves by a large step per household.
HANDFUL = 30
#: The standard of the what-if: Decree 351/2025/NĐ-CP's income lines, from 2027.
NEXT_STANDARD = STANDARDS / "decree_351_2025.toml"


@dataclass(frozen=True, eq=False)
class Review:
    """The records of one review, classified under the standard, and what their file is."""

    records: pd.DataFrame
    source: RecordsSource


def load_review(path: str | Path | None, standard: Standard, date=None) -> Review:
    """A review's records (``None``: the shipped SYNTHETIC 2022 review), classified, with their sidecar's word.

    ``date`` is the review's date (``None``: the plan's), by which its units are read: from
    1 July 2025 a review may name the communes formed that day (:func:`camlo.load_records`).
    """
    return Review(classify(load_records(path, date=PLAN_DATE if date is None else date), standard),
                  records_source(path))


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


def load_second_review(records_path, compare_path, standard: Standard, date=None) -> Review | None:
    """The second review (:func:`second_review_path`) of the given ``date``, loaded; ``None`` when there is none."""
    path = second_review_path(records_path, compare_path)
    return None if path is None else load_review(path, standard, date)


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
        **declared([DICTIONARY, REGISTER, DEFAULT_STANDARD, NEXT_STANDARD]),
        **_plan_inputs(params.get("tables_path"), params.get("observed_path")),
    }


def _plan_inputs(tables_path, observed_path) -> dict[str, Path]:
    """The plan's tables (from ``tables_path``) and the observed reviews (``observed_path``), by name."""
    files = plan_files(tables_path, observed_path)
    given = {Path(observed_path).resolve()} if observed_path is not None else set()
    return {**declared([f for f in files if f.resolve() not in given], "tables_path"),
            **declared([f for f in files if f.resolve() in given], "observed_path")}


def run(params: Mapping[str, Any] | None = None) -> Answer:
    """Notebook 04's answer on the files its parameters name (the shipped SYNTHETIC records by default)."""
    params = params or {}
    standard = load_standard()
    next_standard = load_standard(NEXT_STANDARD)
    review = load_review(params.get("records_path"), standard, params.get("records_date"))
    later = load_second_review(params.get("records_path"), params.get("compare_path"), standard,
                               params.get("compare_date"))
    tables = load_plan_tables(params.get("tables_path"), params.get("observed_path"))
    return answer(review, tables, standard, later, next_standard=next_standard,
                  compare_steps=params.get("compare_steps", COMPARE_STEPS), seed=params.get("seed", DEFAULT_SEED),
                  n_paths=params.get("n_paths", DEFAULT_PATHS))


# --- Shared pieces -------------------------------------------------------------------------------------


def marked(part, synthetic: bool) -> Prose:
    """``part`` (sentences quoting the records' numbers), opened by the synthetic mark when they are made up."""
    return prose(say("r04_synthetic_mark") if synthetic else None, part)


def over_text(over: Mapping[str, int]) -> Sentence | None:
    """Over which households the section's measures are computed, when the quick identification
    excluded any (``None`` otherwise: then every measure is over every household).

    ``over`` is a measure's ``attrs["over"]`` (:func:`~camlo.measures.af_records.af_from_records`).
    """
    if not over["excluded"]:
        return None
    return say("r04_over", households=over["households"], surveyed=over["surveyed"], excluded=over["excluded"])


def _en(unit: str) -> str:
    return "district" if unit == DISTRICT else unit_label(unit, "en")


def official_statuses(records: pd.DataFrame) -> pd.Series:
    """Each household's official status name (:data:`~camlo.measures.patterns.OFFICIAL_STATUSES`)."""
    return pd.Series([OFFICIAL_STATUSES[c] for c in official_status(records)], index=records.index)


# --- 0. What was read ---------------------------------------------------------------------------------


def _described(review: Review):
    kind = "r04_kind_synthetic" if review.source.synthetic else "r04_kind_records"
    return say("r04_described", name=review.source.name, households=len(review.records), kind=say(kind))


def coverage_text(cover: Coverage, register: pd.DataFrame) -> Sentence:
    """What the records cover: the whole district, some of the plan's units, or new communes."""
    if cover.by == "successor":
        held = register.set_index("unit").loc[list(cover.plan_units), "successor"]
        return say("r04_cover_successor", units=Listing(map(Unit, cover.areas)), n=len(cover.areas),
                   total=len(cover.every), held=Listing(
                       say("r04_held", area=Unit(area), units=Listing(map(Unit, held.index[held == area])))
                       for area in cover.areas))
    if cover.complete:
        return say("r04_cover_all", n=len(cover.every))
    if len(cover.areas) == 1:
        return say("r04_cover_one", total=len(cover.every), units=Unit(cover.areas[0]))
    return say("r04_cover_units", n=len(cover.areas), total=len(cover.every), units=Listing(map(Unit, cover.areas)))


def whole(cover: Coverage):
    """What the records' total row is: the district, the units covered, or the one commune."""
    if cover.complete:
        return say("r04_whole_district")
    return Unit(cover.areas[0]) if len(cover.areas) == 1 else say("r04_whole_part")


def read_text(review: Review, later: Review | None, cover: Coverage, register: pd.DataFrame) -> Prose:
    """Which files were read, whether they are synthetic, whether a second review was given, what
    the records cover, and whether they are a handful."""
    synthetic = review.source.synthetic or (later is not None and later.source.synthetic)
    n = len(review.records)
    return prose(
        say("r04_read", first=_described(review)) if later is None else
        say("r04_read_pair", first=_described(review), second=_described(later)),
        say("r04_read_synthetic" if synthetic else "r04_read_records"),
        coverage_text(cover, register),
        say("r04_handful", n=n, step=1 / n) if n < HANDFUL else None,
        say("r04_no_poor") if not (official_statuses(review.records) == "poor").any() else None)


# --- 1. The annex tables ------------------------------------------------------------------------------


def annex_text(comparison: pd.DataFrame, differences: pd.DataFrame, cover: Coverage, recorded: bool) -> Prose:
    """How many printed figures the records give back, and whether the audit explains the rest
    (over the units covered; for new communes, what changed since the plan's figures)."""
    counts_only = comparison[~comparison["column"].str.endswith("_pct")]
    unexplained = differences[differences["check"].isna()]
    status = say("r04_no_status") if not recorded else None
    if cover.by == "successor":
        return prose(say("r04_annex_successor", differ=len(differences)), status)
    return prose(status, say("r04_annex_part") if not cover.complete else None,
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


def listed_text(listed: pd.DataFrame, findings: pd.DataFrame, official: pd.Series, cover: Coverage,
                recorded: bool) -> Prose:
    """How many households carry a status the standard does not give, which the printed counts
    foretold (of the plan's units the records name)."""
    if not recorded:
        return prose(say("r04_no_status"))
    findings = findings[findings["unit"].isin(cover.areas)] if cover.by == "unit" else findings.iloc[0:0]
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
    return poor.loc[[u for u in dict.fromkeys(scores["unit"]) if u in poor.index]]


def scores_facts(poor_scores: pd.DataFrame) -> dict:
    """The district's poor households: how many, at the cutoff, at or above it, and their mean score."""
    if DISTRICT not in poor_scores.index or poor_scores.loc[DISTRICT].sum() == 0:
        return {"q": 0}
    district = poor_scores.loc[DISTRICT]
    q = int(district.sum())
    return {"q": q, "at_cutoff": int(district[DEPRIVATION_CUTOFF]),
            "at_least": int(district[district.index >= DEPRIVATION_CUTOFF].sum()),
            "mean": float((district * district.index).sum() / q)}


def scores_text(facts: dict, cut: pd.Series, cover: Coverage) -> Prose:
    """The share at the cutoff, the mean, and whether the count at or above it is within the printed bounds."""
    if facts["q"] == 0:
        return prose(say("r04_no_poor_section"))
    inside = cut["fewest"] <= facts["at_least"] <= cut["most"]
    return prose(
        say("r04_scores", whole=whole(cover), q=facts["q"], at_cutoff=facts["at_cutoff"], share=facts["at_cutoff"] / facts["q"],
            cutoff=DEPRIVATION_CUTOFF, at_least=facts["at_least"], mean=facts["mean"]),
        say("r04_scores_bounds", fewest=int(cut["fewest"]), most=int(cut["most"]), printed_q=int(cut["q"]),
            cutoff=DEPRIVATION_CUTOFF,
            verdict=say("r04_scores_inside" if inside else "r04_scores_outside", at_least=facts["at_least"])))


# --- 4. H, A and M0 against k, and the ranking --------------------------------------------------------


def by_k_text(by_k: dict, records: pd.DataFrame, official: pd.Series, measures: pd.DataFrame,
              printed: pd.DataFrame, cover: Coverage) -> Prose:
    """The official measures against those of the printed counts; what deprivations alone count at k = 3."""
    key = ["unit", "measure", "indicator", "dimension"]
    both_ways = printed.merge(measures[measures["k"].map(lambda k: k == OFFICIAL)], on=key,
                              suffixes=("_printed", "_records"))
    largest = float((both_ways["value_records"] - both_ways["value_printed"]).abs().fillna(0).max())
    h = by_k["H"].loc[DISTRICT]
    score = records["deprivations"] >= DEPRIVATION_CUTOFF
    return prose(
        say("r04_by_k_official", whole=whole(cover), h=h[OFFICIAL], a=by_k["A"].loc[DISTRICT, OFFICIAL],
            m0=by_k["M0"].loc[DISTRICT, OFFICIAL]) if h[OFFICIAL] > 0 else
        say("r04_by_k_official_none", whole=whole(cover)),
        say("r04_by_k_equal", values=len(both_ways)) if largest == 0 else say("r04_by_k_differ", largest=largest),
        say("r04_by_k_alone", cutoff=DEPRIVATION_CUTOFF, h=h[DEPRIVATION_CUTOFF],
            above_line=int((score & (official != "poor")).sum()),
            below_cutoff=int((~score & (official == "poor")).sum()), h1=h[1]))


def _k(k):
    """A cutoff as a sentence names it: its number, or "official" in the reader's language."""
    return Label("r04_official") if k == OFFICIAL else str(k)


def ranks_text(ranks: pd.DataFrame, robustness: pd.DataFrame, robust_share: float, left_out: list[str]) -> Prose:
    """Which units keep their rank across the cutoffs, the share of pairs ordered alike, who moves
    most; the units left out (no poor household)."""
    out = say("r04_ranks_left_out", units=Listing(map(Unit, left_out))) if left_out else None
    if len(ranks) < 2:
        return prose(say("r04_ranks_few", n=len(ranks)), out)
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
            best=int(where.min()), best_k=_k(where.idxmin()), worst=int(where.max()), worst_k=_k(where.idxmax()))
        if moves.iloc[0] > 0 else None,
        out)


# --- 5. Co-deprivation --------------------------------------------------------------------------------


def overlaps_text(pairs: pd.DataFrame, checked: pd.DataFrame, cover: Coverage, any_poor: bool) -> Prose:
    """The largest overlaps, the most redundant pairs (when any pair is large enough), and the bounds."""
    if not any_poor:
        return prose(say("r04_no_poor_section"))
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
        say("r04_overlaps_inside" if inside == len(checked) else "r04_overlaps_outside", whole=whole(cover),
            counted=len(checked), inside=inside))


# --- 6. Decomposition ---------------------------------------------------------------------------------


def decomposition_tables(records: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Official H, A, M0 and shares by unit, area and ethnic minority (the district last in each)."""
    return {by: group_summary(af_from_records(records, indicators, k=OFFICIAL, by=by), by) for by in DECOMPOSITION}


def decomposition_table(decomposition: dict[str, pd.DataFrame], en=None) -> pd.DataFrame:
    """The three decompositions in one table, groups named in English (``en`` names units and the total)."""
    en = en or _en
    total = en(DISTRICT)
    shown = {"unit": en, "area": lambda v: total if v == DISTRICT else str(v),
             "ethnic_minority": lambda v: total if v == DISTRICT else ("ethnic minority" if int(v) else "other")}
    return pd.concat({by: decomposition[by].rename(index=shown[by]) for by in DECOMPOSITION})


def _added_up(table: pd.DataFrame) -> float:
    groups = table.drop(index=DISTRICT)
    return float((groups["pop_share"] * groups["M0"]).sum() - table.loc[DISTRICT, "M0"])


def decomposition_text(decomposition: dict[str, pd.DataFrame], cover: Coverage, any_poor: bool) -> Prose:
    """Ethnic-minority and rural households' shares of M0, the units over their share, the check that they add up."""
    if not any_poor:
        return prose(say("r04_no_poor_section"))
    ethnic, area = decomposition["ethnic_minority"], decomposition["area"]
    units = decomposition["unit"].drop(index=DISTRICT)
    over = units[units["M0_share"] > units["pop_share"]]
    gap = max(abs(_added_up(decomposition[by])) for by in DECOMPOSITION)
    return prose(
        say("r04_dtts", whole=whole(cover), pop=ethnic.loc[1, "pop_share"], m0=ethnic.loc[1, "M0_share"], h=ethnic.loc[1, "H"],
            h_other=ethnic.loc[0, "H"], a=ethnic.loc[1, "A"], a_other=ethnic.loc[0, "A"])
        if 1 in ethnic.index and 0 in ethnic.index else None,
        say("r04_rural", m0=area.loc["rural", "M0_share"], pop=area.loc["rural", "pop_share"])
        if "rural" in area.index else None,
        say("r04_over_share", whole=whole(cover), units=Listing(map(Unit, over.index))) if len(over) else None,
        say("r04_added_up", whole=whole(cover), gap=f"{gap:.1g}"))


# --- 7. Transitions and the projection ----------------------------------------------------------------


def target_text(goal, cover: Coverage) -> Sentence:
    """The target the projection is judged against: the district's, or that of the areas covered."""
    if cover.complete:
        return say("r04_target_district", target=goal.target_poor)
    return say("r04_target_part", target=goal.target_poor, baseline=goal.baseline_poor)


def transitions_text(moves: Transitions, projection: dict | None, goal, later: Review, later_totals: pd.Series,
                     cover: Coverage, synthetic: bool) -> Prose:
    """Who left and entered poverty, the annual rates against the assumed, and the projection on them
    from the second review (none when that review is at or after the end of 2025)."""
    rates = moves.rates.set_index("rate")
    second_poor = int(moves.table[["poor_csgn", "poor_btxh"]].to_numpy().sum())
    base = projection["assumed_params"] if projection is not None else ProjectionParameters()
    moved = say(
        "r04_moves", csgn_left=int(rates.loc["csgn_exit", "numerator"]), csgn=int(rates.loc["csgn_exit", "denominator"]),
        csgn_share=rates.loc["csgn_exit", "value"], btxh_left=int(rates.loc["btxh_exit", "numerator"]),
        btxh=int(rates.loc["btxh_exit", "denominator"]), btxh_share=rates.loc["btxh_exit", "value"],
        newly=int(rates.loc["newly_poor", "numerator"]),
        first_poor=int(moves.table.loc[["poor_csgn", "poor_btxh"]].to_numpy().sum()), second_poor=second_poor,
        csgn_annual=rates.loc["csgn_exit", "annual"], csgn_assumed=base.csgn_exit,
        btxh_annual=rates.loc["btxh_exit", "annual"], btxh_assumed=base.btxh_exit,
        newly_annual=rates.loc["newly_poor", "annual"], newly_assumed=base.newly_poor)
    if projection is None:
        projected = say("r04_projection_after", step=moves.steps, second_poor=second_poor,
                        target=target_text(goal, cover))
    else:
        measured, assumed = projection["measured"].table, projection["assumed"].table
        projected = say("r04_projection", step=moves.steps, second_poor=second_poor,
                        end_measured=measured.iloc[-1]["p50"], end_assumed=assumed.iloc[-1]["p50"],
                        target=target_text(goal, cover),
                        p_measured=projection["measured"].probability_target_met,
                        range=measured_range(projection),
                        p_assumed=projection["assumed"].probability_target_met,
                        synthetic=synthetic_words(synthetic))
    projected = prose(projected, say("r04_follow_up_synthetic", poor=int(later_totals["poor"]),
                                     near_poor=int(later_totals["near_poor"])) if later.source.synthetic else None)
    return paragraphs(marked(moved, synthetic), marked(projected, synthetic))


def measured_range(projection: dict) -> ProbabilityRange | Label:
    """The measured projection's probability over the rates its counts allow (5th to 95th percentile), as a
    sentence writes it; a note that it could not be drawn where the reviews measure no rate."""
    if projection.get("measured_range") is None:
        return Label("t03_range_unmeasured")
    low, _, high = projection["measured_range"]
    return ProbabilityRange(low, high)


@dataclass(frozen=True)
class _Aside:
    """A label in brackets after a word of a sentence (`` (synthetic: …)``), as a sentence's value."""

    key: str

    def text(self, lang: str = "en") -> str:
        return f" ({label(self.key, lang)})"


def synthetic_words(synthetic: bool) -> _Aside | str:
    """Words that say, inside a sentence, that its numbers are synthetic (nothing when they are not)."""
    return _Aside("t03_synthetic_words") if synthetic else ""


def own_paths(goal, first_poor: int, second_poor: int, steps: int) -> PathComparison:
    """The plan's path and band for the areas covered, beside the two reviews given (at step 0 and
    ``steps``): what the projection's chart draws when the records are not the whole district,
    whose observed reviews are not theirs."""
    path = plan_path(goal)[["step", "plan_poor"]]
    band = band_paths(goal)[["step", "poor_low", "poor_high"]].rename(
        columns={"poor_low": "band_poor_low", "poor_high": "band_poor_high"})
    observed = pd.DataFrame({"step": [0, steps], "observed_poor": [first_poor, second_poor]})
    table = (pd.DataFrame({"step": range(max(goal.steps, steps) + 1)}).merge(path, on="step", how="left")
             .merge(band, on="step", how="left").merge(observed, on="step", how="left").astype("float64"))
    return PathComparison(goal=goal, table=table)


def projection_params_table(projection: dict) -> pd.DataFrame:
    """The projection's rates: assumed (notebook 03) and measured where the reviews measure them."""
    return pd.DataFrame({"assumed (notebook 03)": projection["assumed_params"].as_dict(),
                         "measured (where the reviews measure it)": projection["measured_params"].as_dict()})


# --- 8. What the 2027 income lines would do to this review ---------------------------------------------


#: The what-if table's counts: today's status (Decree 07/2021) and the status under the 2027 lines.
WHAT_IF_SHOWN = ("poor_today", "poor_new", "near_poor", "near_poor_to_poor", "middle", "middle_to_poor",
                 "middle_to_near_poor")


def scored(records: pd.DataFrame) -> bool:
    """Whether any household was tested on its income score (points), which the 2027 lines in VND cannot read."""
    return "basis" in records and bool((records["basis"] == "income_score").any())


def whatif_counts(records: pd.DataFrame, register: pd.DataFrame, standard: Standard, next_standard: Standard,
                  cover: Coverage) -> pd.DataFrame:
    """The households of the review re-identified under ``next_standard``'s lines, today's indicators
    standing in for its list: per area covered (units, or communes where the records are by commune)
    and the total, today's poor, near-poor and middle-income households and where the new lines put them.

    Returns:
        One row per area, then ``district`` (the total): :data:`WHAT_IF_SHOWN` (int64),
        ``standard_new`` (the stand-in named).
    """
    table = reidentify(records, register, today=standard, new=next_standard, stand_in=standard)
    level = "commune" if cover.by == "successor" else "unit"
    rows = table[table["level"].isin([level, "district"]) & table["area"].isin([*cover.areas, DISTRICT])]
    moved = pd.concat([newly_identified(rows, level), newly_identified(rows, "district")], ignore_index=True)
    count = lambda column, status: rows[rows[column] == status].groupby("area", sort=False)["households"].sum()  # noqa: E731
    out = moved.set_index("area").assign(poor_today=count("status_today", "poor"), poor_new=count("status_new", "poor"))
    out = out[list(WHAT_IF_SHOWN)].astype("int64").reset_index()
    out["standard_new"] = table["standard_new"].iloc[0]
    return out


def whatif_table(counts: pd.DataFrame | None, cover: Coverage, synthetic: bool) -> ReaderTable:
    """The what-if for readers: one row per area and the total (empty for records scored in points)."""
    frame = (counts if counts is not None else pd.DataFrame(columns=["area", *WHAT_IF_SHOWN])).copy()
    frame["area"] = [Label("tbl_total") if area == DISTRICT and not cover.complete else area for area in frame["area"]]
    note = prose(say("r04_synthetic_mark") if synthetic else None, say("r04_whatif_note"))
    return ReaderTable(frame, (Column("area", "commune", "unit"),
                               *(Column(key, f"tbl_whatif_{key}", "count") for key in WHAT_IF_SHOWN)), note=note)


def whatif_text(counts: pd.DataFrame | None, next_standard: Standard, indicators: int, cover: Coverage) -> Prose:
    """How many near-poor and middle-income households the 2027 lines would make poor or near-poor,
    stated as a what-if on the stand-in indicators."""
    lines = {f"{area}_line": int(next_standard.areas.loc[area, "poor_line"]) for area in ("rural", "urban")}
    if counts is None:
        return prose(say("r04_whatif_scored", **lines))
    total = counts.set_index("area").loc[DISTRICT]
    return prose(
        say("r04_whatif", **lines, whole=whole(cover), first=str(next_standard.first_year), indicators=indicators,
            near_poor=int(total["near_poor"]), near_to_poor=int(total["near_poor_to_poor"]),
            middle=int(total["middle"]), middle_to_poor=int(total["middle_to_poor"]),
            middle_to_near=int(total["middle_to_near_poor"]), poor_new=int(total["poor_new"]),
            poor_today=int(total["poor_today"])),
        say("r04_whatif_stand_in", cutoff=next_standard.deprivation_cutoff))


# --- The answer ---------------------------------------------------------------------------------------


def answers_text(parts: dict) -> Prose:
    """The notebook's answers, one line per question (each as the records can support it)."""
    cover = parts["cover"]
    every = say("r04_every" if parts["explained"] else "r04_not_every")
    lines = [
        say("r04_answer_annex_successor", differ=parts["printed"] - parts["match"], printed=parts["printed"])
        if cover.by == "successor" else
        say("r04_answer_annex", match=parts["match"], printed=parts["printed"], every=every) if cover.complete else
        say("r04_answer_annex_part", n=len(cover.areas), match=parts["match"], printed=parts["printed"], every=every),
        say("r04_answer_status", listed=parts["listed"], short=parts["short"], cutoff=DEPRIVATION_CUTOFF)
        if parts["recorded"] else say("r04_answer_no_status"),
    ]
    if parts["any_poor"]:
        lines += [
            say("r04_answer_scores", share=parts["at_cutoff_share"], cutoff=DEPRIVATION_CUTOFF),
            say("r04_answer_cutoffs", share=parts["robust_share"], unit=Unit(parts["mover"]))
            if parts["mover"] is not None else say("r04_answer_cutoffs_steady") if parts["ranked"]
            else say("r04_answer_no_ranking"),
            say("r04_answer_overlaps", j=Indicator(parts["top"][0], lower=True),
                k=Indicator(parts["top"][1], lower=True), both=parts["top"][2]),
        ]
    else:
        lines.append(say("r04_answer_no_poor"))
    lines += [
        say("r04_answer_transitions", p_measured=parts["p_measured"], range=parts["p_range"],
            p_assumed=parts["p_assumed"], synthetic=synthetic_words(parts["synthetic"]))
        if "p_measured" in parts else say("r04_answer_no_second") if not parts["compared"] else None,
        say("r04_answer_caveat") if parts["synthetic"] else None,
    ]
    return Prose(tuple(line for line in lines if line is not None), sep="\n")


def finding_text(cover: Coverage, values: dict, recorded: bool) -> Prose:
    """The index's finding: what the records give back of the plan's figures (or, for new
    communes, their poor households), and the households whose recorded status the standard does not give."""
    if cover.complete and cover.by == "unit" and recorded:
        return prose(say("r04_finding", households=values["households"], match=values["match"],
                         printed=values["printed"], listed=values["listed"]))
    main = (say("r04_finding_successor", units=Listing(map(Unit, cover.areas)), households=values["households"],
                poor=values["poor"], h=values["poor"] / values["households"]) if cover.by == "successor" else
            say("r04_finding_whole", households=values["households"], match=values["match"],
                printed=values["printed"]) if cover.complete else
            say("r04_finding_part", n=len(cover.areas), total=len(cover.every), households=values["households"],
                match=values["match"], printed=values["printed"]))
    return prose(main, say("r04_finding_listed", listed=values["listed"]) if recorded else
                 say("r04_finding_no_status"))


def projection_of(moves: Transitions, tables: PlanTables, cover: Coverage, later: Review, first_poor: int,
                  synthetic: bool, *, seed: int, n_paths: int) -> tuple[object, dict | None]:
    """The goal of the areas covered and the projection from the second review on the measured
    rates (``None`` when that review is at or after the end of 2025)."""
    goal = covered_goal(tables, cover)
    second_poor = int(moves.table[["poor_csgn", "poor_btxh"]].to_numpy().sum())
    if moves.steps >= goal.steps:
        return goal, None
    paths = (path_comparison(tables.observed, tables.households, tables.register, goal) if cover.complete
             else own_paths(goal, first_poor, second_poor, moves.steps))
    start = ObservedStart(step=moves.steps, poor=second_poor, households=len(later.records))
    return goal, measured_projection(moves, goal, paths, synthetic, seed=seed, n_paths=n_paths, start=start)


def answer(review: Review, tables: PlanTables, standard: Standard, later: Review | None = None, *,
           next_standard: Standard, compare_steps: int = COMPARE_STEPS, seed: int = DEFAULT_SEED, n_paths: int = DEFAULT_PATHS) -> Answer:
    """Everything notebook 04 shows, from a review's records (and a second review, when given).

    Whatever the records cover (the whole district, some of the plan's units, the communes
    formed on 1 July 2025: :func:`~camlo.targets.coverage.coverage`), they are compared
    with the plan's printed figures over the same ground
    (:func:`~camlo.targets.coverage.printed_over`), and every section says what the
    records can and cannot support (no poor household, no recorded status, a handful of
    households, no second review).

    Args:
        review: The records of a review (:func:`load_review`).
        tables: The plan's tables, for the comparison with what it prints and for the goal.
        standard: The standard the records are classified by.
        later: A later review of the same households, or ``None``: no transitions then.
        next_standard: The standard of the what-if (Decree 351/2025/NĐ-CP: :data:`NEXT_STANDARD`),
            under whose income lines the review's households are re-identified, with ``standard``'s
            indicators standing in for its unconfirmed list.
        compare_steps: Annual review steps between the two reviews.
        seed, n_paths: The projection's seed and simulated paths.
    """
    records, synthetic = review.records, review.source.synthetic
    indicators = tables.indicators
    cover = coverage(records, tables.register)
    printed = printed_over(tables, cover)
    recorded = "status_recorded" in records
    named = {DISTRICT: _en(DISTRICT) if cover.complete else "total"}
    en = lambda unit: named.get(unit) or _en(unit)  # noqa: E731
    annex = annex_tables(records)
    comparison = annex_comparison(annex, printed)
    comparison = comparison[comparison["from_records"].notna()].reset_index(drop=True)
    findings = audit(tables)
    differences = explain_differences(comparison, findings)
    listed = audit_records(records, standard)
    official = official_statuses(records)
    any_poor = bool((official == "poor").any())
    scores = score_distribution(records, indicators)
    poor_scores = poor_scores_table(scores)
    facts = scores_facts(poor_scores)
    printed_counts = unit_counts(printed.households, printed.deprivations)
    cut = bounds.cutoff_share_bounds(printed_counts, k=DEPRIVATION_CUTOFF).loc[DISTRICT]
    measures = af_from_records(records, indicators)
    by_k = {m: measure_by_k(measures, m) for m in ("H", "A", "M0")}
    poor_units = [u for u in by_k["H"].index if u != DISTRICT and by_k["H"].loc[u, OFFICIAL] > 0]
    left_out = [u for u in cover.areas if u not in poor_units]
    ranks = (rank_by_k(measures[measures["unit"].isin([*poor_units, DISTRICT])], "M0") if poor_units
             else pd.DataFrame(columns=[OFFICIAL], dtype="int64"))
    robustness, robust_share = rank_robustness(ranks)
    pairs = co_deprivation(records, indicators)
    checked = co_deprivation(records, indicators, by="unit").merge(
        bounds.overlap_bounds(printed_counts), on=["unit", "indicator_j", "indicator_k"], how="inner")
    decomposition = decomposition_tables(records, indicators) if any_poor else None
    top = pairs.sort_values(["both", "indicator_j", "indicator_k"], ascending=[False, True, True]).iloc[0]
    short = listed[(listed["status_recorded"] == "poor") & (listed["deprivations"] < DEPRIVATION_CUTOFF)]
    moves_rank = (robustness["worst"] - robustness["best"]).sort_values(ascending=False, kind="stable")
    whatif = None if scored(records) else whatif_counts(records, tables.register, standard, next_standard, cover)
    over = over_text(measures.attrs["over"])
    stated = over if any_poor else None  # sections with no poor household state no measure

    text = {
        "read": read_text(review, later, cover, tables.register),
        "annex": marked(annex_text(comparison, differences, cover, recorded), synthetic),
        "listed": marked(listed_text(listed, findings, official, cover, recorded), synthetic),
        "scores": marked(prose(stated, scores_text(facts, cut, cover)), synthetic),
        "by_k": marked(prose(over, by_k_text(by_k, records, official, measures,
                                             af_measures(printed.households, printed.deprivations, indicators),
                                             cover)), synthetic),
        "ranks": marked(ranks_text(ranks, robustness, robust_share, left_out), synthetic),
        "overlaps": marked(prose(stated, overlaps_text(pairs, checked, cover, any_poor)), synthetic),
        "decomposition": marked(prose(stated, decomposition_text(decomposition, cover, any_poor)), synthetic),
        "whatif": marked(whatif_text(whatif, next_standard, len(standard.indicators), cover), synthetic),
    }
    tables_out = {
        "phu_luc_1": phu_luc_1_side_by_side(comparison).rename(index=en),
        "differences": differences.assign(unit=differences["unit"].map(en)),
        "near_poor": annex.near_poor.assign(unit=annex.near_poor["unit"].map(en)).set_index("unit"),
        "listed": listed_table(listed, records),
        "poor_scores": poor_scores.rename(index=en),
        "m0_by_k": by_k["M0"].rename(index=en).round(4),
        "ranks": ranks.assign(**robustness[["best", "worst", "changes"]]).rename(index=en),
        "decomposition": decomposition_table(decomposition, en).round(4) if any_poor else pd.DataFrame(),
        "measures_by_k": measure_table_for_workbook(by_k),
        "whatif": whatif_table(whatif, cover, synthetic),
    }
    figures = {
        "04_score_distribution": {"table": scores, "statuses": OFFICIAL_STATUSES, "synthetic": synthetic},
        "04_measures_by_k": {**by_k, "official": OFFICIAL, "synthetic": synthetic},
        **({"04_rank_by_k": {"ranks": ranks, "official": OFFICIAL, "synthetic": synthetic}} if len(ranks) >= 2 else {}),
        **({"04_co_deprivation": {"both": pair_matrix(pairs, "both"), "r0": pair_matrix(pairs, "r0"),
                                  "synthetic": synthetic}} if any_poor else {}),
        **({"04_decomposition": {**decomposition, "groups": DECOMPOSITION, "synthetic": synthetic}}
           if any_poor else {}),
    }
    values = {"households": len(records), "printed": len(comparison), "match": int(comparison["match"].sum()),
              "listed": len(listed), "robust_share": robust_share, "poor": int((official == "poor").sum()),
              "areas": cover.areas, "by": cover.by, **{f"over_{k}": v for k, v in measures.attrs["over"].items()}}
    if whatif is not None:
        values |= {f"whatif_{key}": int(whatif.set_index("area").loc[DISTRICT, key]) for key in WHAT_IF_SHOWN}
    parts = {"match": values["match"], "printed": values["printed"], "cover": cover, "recorded": recorded,
             "explained": differences["check"].notna().all(), "listed": len(listed), "short": len(short),
             "any_poor": any_poor, "at_cutoff_share": facts["at_cutoff"] / facts["q"] if facts["q"] else None,
             "robust_share": robust_share, "ranked": len(ranks) >= 2,
             "mover": moves_rank.index[0] if len(ranks) >= 2 and moves_rank.iloc[0] > 0 else None,
             "top": (int(top["indicator_j"]), int(top["indicator_k"]), int(top["both"])),
             "synthetic": synthetic, "compared": later is not None}

    if later is None:
        text["transitions"] = say("r04_no_second_review")
    else:
        pair_synthetic = synthetic or later.source.synthetic
        moves = transitions(records, later.records, steps=compare_steps)
        first_poor = int(moves.table.loc[["poor_csgn", "poor_btxh"]].to_numpy().sum())
        goal, projection = projection_of(moves, tables, cover, later, first_poor, pair_synthetic, seed=seed,
                                         n_paths=n_paths)
        later_totals = annex_tables(later.records).headline.set_index("key")["count"]
        text["transitions"] = transitions_text(moves, projection, goal, later, later_totals, cover, pair_synthetic)
        tables_out |= {"transitions": moves.table, "rates": moves.rates.round(4)}
        figures |= {"04_transitions": {"table": moves.table, "before": BEFORE, "after": AFTER,
                                       "steps": moves.steps, "synthetic": pair_synthetic}}
        values |= {"steps": moves.steps, "annual_rates": moves.annual_rates(), "pair_synthetic": pair_synthetic,
                   "target_poor": goal.target_poor, "start_poor": int(moves.table[["poor_csgn", "poor_btxh"]]
                                                                      .to_numpy().sum())}
        parts["synthetic"] = pair_synthetic
        if projection is not None:
            tables_out["projection_params"] = projection_params_table(projection)
            figures["04_projection_measured"] = projection
            values |= {"probability_measured": projection["measured"].probability_target_met,
                       "probability_assumed": projection["assumed"].probability_target_met}
            values["probability_measured_range"] = projection["measured_range"]
            parts |= {"p_measured": projection["measured"].probability_target_met,
                      "p_assumed": projection["assumed"].probability_target_met, "p_range": measured_range(projection)}
    text["answers"] = answers_text(parts)

    return Answer(
        question=QUESTION,
        text=text,
        tables=tables_out,
        figures=figures,
        finding=prose(finding_text(cover, values, recorded), say("r04_finding_synthetic") if synthetic else None),
        values=values,
        params={"compare_steps": compare_steps, "seed": seed, "n_paths": n_paths},
        synthetic=synthetic,
    )


def measure_table_for_workbook(by_k: dict) -> pd.DataFrame:
    """Official H, A and M0 per unit (and the district), and M0 at every cutoff k (the workbook's sheet)."""
    m0 = by_k["M0"].drop(columns=OFFICIAL)
    return pd.DataFrame({"unit": m0.index, **{m: by_k[m][OFFICIAL].to_numpy() for m in ("H", "A", "M0")},
                         **{f"M0_k{k}": m0[k].to_numpy() for k in m0.columns}})
