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

import re
import warnings
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
    DroppedColumnsWarning,
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
from camlo.consistency.published import figure_label
from camlo.text.labels import indicator_label, label, unit_label
from camlo.text.numbers import LANGS, format_number
from camlo.text.sentences import (
    Indicator,
    Label,
    Listing,
    Named,
    Places,
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
#: The largest gap between the groups' M0s, weighted, and the whole's that is rounding, not a difference.
ADDED_UP_TOLERANCE = 1e-9
#: The standard of the what-if: Decree 351/2025/NĐ-CP's income lines, from 2027.
NEXT_STANDARD = STANDARDS / "decree_351_2025.toml"


@dataclass(frozen=True, eq=False)
class Review:
    """The records of one review, classified under the standard, and what their file is."""

    records: pd.DataFrame
    source: RecordsSource
    dropped: tuple[str, ...] = ()


def load_review(path: str | Path | None, standard: Standard, date=None) -> Review:
    """A review's records (``None``: the shipped SYNTHETIC 2022 review), classified, with their sidecar's word.

    ``date`` is the review's date (``None``: the plan's), by which its units are read: from
    1 July 2025 a review may name the communes formed that day (:func:`camlo.load_records`).
    The columns the loader drops (an office's names, ID-card numbers, …) are kept by their
    headers in ``dropped``, for a sentence of the report rather than a warning printed in it.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DroppedColumnsWarning)
        records = load_records(path, date=PLAN_DATE if date is None else date)
    dropped: tuple[str, ...] = ()
    for warning in caught:
        if issubclass(warning.category, DroppedColumnsWarning):
            dropped += warning.message.columns
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return Review(classify(records, standard), records_source(path), dropped)


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


#: What in a sentence is a reference, not a number of the records: decrees and circulars, notebooks, years.
REFERENCES = re.compile(r"\d+/\d{4}/[\w-]+|(?:notebook|sổ tay) \d+|\b(?:19|20)\d\d\b")
#: Where a shown text divides into sentences: after a full stop, and at a line break.
_BETWEEN = re.compile(r"((?:(?<=\.)|(?<=\.\*\*)) +|\n+)")
#: Words that already say a sentence is synthetic, in each language.
_SAYS_SYNTHETIC = {"en": re.compile("synthetic", re.IGNORECASE), "vi": re.compile("mô phỏng", re.IGNORECASE)}


def tag_synthetic(text: str, lang: str) -> str:
    r"""``text`` with every sentence that quotes a number (not a decree, a notebook or a year) and does
    not already say it is synthetic closed by the synthetic tag (``r04_synthetic_tag``).

    Examples:
        >>> tag_synthetic("Of 453 poor households, 365 have 3. Decree 07/2021/NĐ-CP applies.", "en")
        'Of 453 poor households, 365 have 3 (synthetic). Decree 07/2021/NĐ-CP applies.'
        >>> tag_synthetic("- **Điểm:** 81% số hộ nghèo.\n- Dữ liệu mô phỏng: 3 hộ.", "vi")
        '- **Điểm:** 81% số hộ nghèo (số liệu mô phỏng).\n- Dữ liệu mô phỏng: 3 hộ.'
    """
    tag = say("r04_synthetic_tag").text(lang)
    pieces = _BETWEEN.split(text)
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if not re.search(r"\d", REFERENCES.sub("", piece)) or _SAYS_SYNTHETIC[lang].search(piece):
            continue
        body, end = (piece[:-1], piece[-1]) if piece.endswith((".", ";", ":")) else (piece, "")
        pieces[i] = f"{body} {tag}{end}"
    return "".join(pieces)


@dataclass(frozen=True)
class Tagged:
    """Prose whose every sentence quoting a number says it is synthetic (:func:`tag_synthetic`)."""

    part: Any

    def text(self, lang: str = "en") -> str:
        return tag_synthetic(self.part.text(lang), lang)


def tagged(part, synthetic: bool):
    """``part`` with each sentence quoting a number tagged synthetic when the records are made up."""
    return Tagged(part) if synthetic and part is not None else part


def marked(part, synthetic: bool):
    """``part`` (sentences quoting the records' numbers), when they are made up opened by the synthetic
    mark and each of its later sentences that quotes a number tagged (:func:`tag_synthetic`)."""
    return tagged(prose(say("r04_synthetic_mark") if synthetic else None, part), synthetic)


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
        return say("r04_cover_successor", units=Places(cover.areas), n=len(cover.areas),
                   total=len(cover.every), held=Listing(
                       say("r04_held", area=Unit(area, in_text=True), units=Places(held.index[held == area]))
                       for area in cover.areas))
    if cover.complete:
        return say("r04_cover_all", n=len(cover.every))
    if len(cover.areas) == 1:
        return say("r04_cover_one", total=len(cover.every), units=Unit(cover.areas[0], in_text=True))
    return say("r04_cover_units", n=len(cover.areas), total=len(cover.every), units=Places(cover.areas))


def whole(cover: Coverage):
    """What the records' total row is: the district, the units covered, or the one commune."""
    if cover.complete:
        return say("r04_whole_district")
    return Unit(cover.areas[0], in_text=True) if len(cover.areas) == 1 else say("r04_whole_part")


def dropped_text(review: Review, later: Review | None) -> Sentence | None:
    """The columns the loader dropped from the files (their headers only), or ``None``."""
    dropped = list(dict.fromkeys(review.dropped + (later.dropped if later is not None else ())))
    if not dropped:
        return None
    return say("own_r04_dropped", n=len(dropped), columns=Listing(map(_dropped_header, dropped)))


def _dropped_header(described: str) -> Named:
    """A dropped column as the loader describes it (``column 2 (Họ và tên chủ hộ)``, ``column 6``),
    named by its header, or by its position where it has none.

    Examples:
        >>> _dropped_header("column 2 (Họ và tên chủ hộ)").text("vi"), _dropped_header("column 6").text("vi")
        ('Họ và tên chủ hộ', 'cột 6')
    """
    found = re.fullmatch(r"column (\d+)(?: \((.*)\))?", described)
    if found is None:
        return Named(described, described)
    if found.group(2):
        return Named(found.group(2), found.group(2))
    return Named(f"column {found.group(1)}", f"cột {found.group(1)}")


def read_text(review: Review, later: Review | None, cover: Coverage, register: pd.DataFrame) -> Prose:
    """Which files were read, whether they are synthetic, whether a second review was given, what
    the records cover, and whether they are a handful."""
    synthetic = review.source.synthetic or (later is not None and later.source.synthetic)
    n = len(review.records)
    return prose(
        say("r04_read", first=_described(review)) if later is None else
        say("r04_read_pair", first=_described(review), second=_described(later)),
        say("r04_read_synthetic" if synthetic else "r04_read_records"),
        say("r04_read_synthetic_why") if synthetic else None,
        dropped_text(review, later),
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
            where=Listing(say("r04_in_unit", n=int(n), unit=Unit(u, in_text=True)) for u, n in by_unit.items()))
        if len(short) else say("r04_listed", n=len(listed)),
        say("r04_listed_printed", units=Places(printed_short["unit"]), cutoff=DEPRIVATION_CUTOFF)
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
    out = say("r04_ranks_left_out", units=Places(left_out)) if left_out else None
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
                       units=Places(steady)) if len(steady) else say("r04_ranks_none_steady"),
            share=robust_share, pairs=len(ranks) * (len(ranks) - 1) // 2),
        say("r04_ranks_mover", unit=Unit(mover, in_text=True), reference=int(robustness.loc[mover, "reference"]),
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


def decomposition_text(decomposition: dict[str, pd.DataFrame], cover: Coverage, any_poor: bool,
                       synthetic: bool = False) -> Prose:
    """Ethnic-minority and rural households' shares of M0, the units over their share, the check that they add up.

    For SYNTHETIC records the ethnic-minority sentence says which of its numbers the printed counts
    give (the share of households, H: the records reproduce them) and which are the generator's (A,
    the share of M0: how deprivations fall on ethnic-minority households is printed nowhere)."""
    if not any_poor:
        return prose(say("r04_no_poor_section"))
    ethnic, area = decomposition["ethnic_minority"], decomposition["area"]
    units = decomposition["unit"].drop(index=DISTRICT)
    over = units[units["M0_share"] > units["pop_share"]]
    gap = max(abs(_added_up(decomposition[by])) for by in DECOMPOSITION)
    return prose(
        say("r04_dtts_synthetic" if synthetic else "r04_dtts", whole=whole(cover), pop=ethnic.loc[1, "pop_share"], m0=ethnic.loc[1, "M0_share"], h=ethnic.loc[1, "H"],
            h_other=ethnic.loc[0, "H"], a=ethnic.loc[1, "A"], a_other=ethnic.loc[0, "A"])
        if 1 in ethnic.index and 0 in ethnic.index else None,
        say("r04_rural", m0=area.loc["rural", "M0_share"], pop=area.loc["rural", "pop_share"])
        if "rural" in area.index else None,
        say("r04_over_share", whole=whole(cover), units=Places(over.index)) if len(over) else None,
        say("r04_added_up", whole=whole(cover)) if gap < ADDED_UP_TOLERANCE else
        say("r04_added_up_gap", whole=whole(cover), gap=gap))


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
    note = _note(synthetic, say("r04_whatif_note"))
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
            say("r04_answer_cutoffs", share=parts["robust_share"], unit=Unit(parts["mover"], in_text=True))
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
    main = (say("r04_finding_successor", units=Places(cover.areas), households=values["households"],
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
    population_pairs = co_deprivation(records, indicators, status=None)  # uncensored: OPHI's population R0
    redundancy = redundancy_pairs(pairs, population_pairs)
    surveyed = population_pairs.attrs["over"]["surveyed"]
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
        "read": tagged(read_text(review, later, cover, tables.register), synthetic),
        "near_poor": near_poor_text(annex.near_poor, _printed_near_poor(tables, cover), synthetic),
        "annex": marked(annex_text(comparison, differences, cover, recorded), synthetic),
        "listed": marked(listed_text(listed, findings, official, cover, recorded), synthetic),
        "scores": marked(prose(stated, scores_text(facts, cut, cover)), synthetic),
        "by_k": marked(prose(over, by_k_text(by_k, records, official, measures,
                                             af_measures(printed.households, printed.deprivations, indicators),
                                             cover)), synthetic),
        "ranks": marked(ranks_text(ranks, robustness, robust_share, left_out), synthetic),
        "overlaps": marked(prose(stated, overlaps_text(pairs, checked, cover, any_poor),
                                 redundancy_text(redundancy, surveyed) if any_poor else None), synthetic),
        "decomposition": marked(prose(stated, decomposition_text(decomposition, cover, any_poor, synthetic)),
                                synthetic),
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
        "redundancy": redundancy,
        "shown_phu_luc_1": phu_luc_1_reader(phu_luc_1_side_by_side(comparison), cover, synthetic),
        "shown_differences": differences_reader(differences, cover, synthetic),
        "shown_near_poor": near_poor_reader(annex.near_poor.set_index("unit"), cover, synthetic),
        "shown_listed": listed_reader(listed_table(listed, records), synthetic),
        "shown_poor_scores": poor_scores_reader(poor_scores, cover, synthetic),
        "shown_m0_by_k": m0_by_k_reader(by_k["M0"], cover, synthetic),
        "shown_ranks": ranks_reader(ranks, robustness, cover, synthetic),
        "shown_redundancy": redundancy_reader(redundancy, surveyed, synthetic),
        "shown_decomposition": decomposition_reader(decomposition, cover, synthetic),
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
        tables_out |= {"transitions": moves.table, "rates": moves.rates.round(4),
                       "shown_transitions": transitions_reader(moves.table, pair_synthetic),
                       "shown_rates": rates_reader(moves.rates, pair_synthetic)}
        figures |= {"04_transitions": {"table": moves.table, "before": BEFORE, "after": AFTER,
                                       "steps": moves.steps, "synthetic": pair_synthetic}}
        values |= {"steps": moves.steps, "annual_rates": moves.annual_rates(), "pair_synthetic": pair_synthetic,
                   "target_poor": goal.target_poor, "start_poor": int(moves.table[["poor_csgn", "poor_btxh"]]
                                                                      .to_numpy().sum())}
        parts["synthetic"] = pair_synthetic
        if projection is not None:
            tables_out["projection_params"] = projection_params_table(projection)
            tables_out["shown_projection_params"] = params_reader(tables_out["projection_params"], pair_synthetic)
            figures["04_projection_measured"] = projection
            values |= {"probability_measured": projection["measured"].probability_target_met,
                       "probability_assumed": projection["assumed"].probability_target_met}
            values["probability_measured_range"] = projection["measured_range"]
            parts |= {"p_measured": projection["measured"].probability_target_met,
                      "p_assumed": projection["assumed"].probability_target_met, "p_range": measured_range(projection)}
    text["answers"] = tagged(answers_text(parts), parts["synthetic"])

    return Answer(
        question=QUESTION,
        text=text,
        tables=tables_out,
        figures=figures,
        finding=tagged(prose(finding_text(cover, values, recorded), say("r04_finding_synthetic") if synthetic else None),
                       synthetic),
        values=values,
        params={"compare_steps": compare_steps, "seed": seed, "n_paths": n_paths},
        synthetic=synthetic,
    )


def measure_table_for_workbook(by_k: dict) -> pd.DataFrame:
    """Official H, A and M0 per unit (and the district), and M0 at every cutoff k (the workbook's sheet)."""
    m0 = by_k["M0"].drop(columns=OFFICIAL)
    return pd.DataFrame({"unit": m0.index, **{m: by_k[m][OFFICIAL].to_numpy() for m in ("H", "A", "M0")},
                         **{f"M0_k{k}": m0[k].to_numpy() for k in m0.columns}})


# --- Tables for readers -------------------------------------------------------------------------------
#
# Every table the notebook shows is a ReaderTable (headers from labels.csv, no index, no codes); the raw
# frames stay under their own names in ``answer.tables`` for the workbook and the checks. A table of
# SYNTHETIC records says so in its note (``r04_synthetic_note``: plain text, as notes are), and only then.


def _fixed(value, places: int):
    """A number with ``places`` decimals, as a cell giving its text per language (blank when missing)."""
    if value is None or pd.isna(value):
        return None
    return {lang: format_number(float(value), lang, places) for lang in LANGS}


def _total_row(area: str, cover: Coverage):
    """A table's first cell: the unit, or the total row named as the records' whole."""
    return Label("tbl_total") if area == DISTRICT and not cover.complete else area


def _note(synthetic: bool, *parts) -> Prose | None:
    """A table's note, opened by the synthetic mark when the records are made up."""
    shown = prose(say("r04_synthetic_note") if synthetic else None, *parts)
    return shown if shown.parts else None


def _figure_name(column: str, lang: str) -> str:
    """A column of the annexes or section I, named: Phụ lục 2's ``D1`` … ``D12`` by their indicators, a
    printed rate as its count's rate.

    Examples:
        >>> _figure_name("D4", "vi"), _figure_name("poor_published_pct", "en")
        ('4. Bảo hiểm y tế', 'Poor households, rate (%)')
    """
    if re.fullmatch(r"D\d+", column):
        return indicator_label(int(column[1:]), lang, numbered=True)
    return figure_label(column.replace("_published_pct", "_pct"), lang)


#: The audit's checks, by the label that names them for readers.
CHECK_LABELS = {"split": "r04_check_split", "rate": "r04_check_rate", "headline_rate": "r04_check_headline_rate",
                "total_row": "r04_check_total_row", "deprivation_sum": "r04_check_deprivation_sum"}


def phu_luc_1_reader(side: pd.DataFrame, cover: Coverage, synthetic: bool) -> ReaderTable:
    """Phụ lục 1 printed beside tabulated from the records: for each figure a printed and a records column,
    cut in parts of two pairs, which fit A4 in both languages
    (:func:`~camlo.consistency.records.phu_luc_1_side_by_side`)."""
    figures = list(dict.fromkeys(c for c, _ in side.columns))
    frame = pd.DataFrame({"unit": [_total_row(u, cover) for u in side.index],
                          **{f"{c}__{s}": side[(c, s)].to_numpy() for c in figures for s in ("printed", "from_records")}})
    columns = [Column("unit", "commune", "unit")]
    for c in figures:
        for s in ("printed", "from_records"):
            columns.append(Column(f"{c}__{s}", {lang: f"{_figure_name(c, lang)} ({label(f'r04_tbl_{s}', lang)})"
                                                for lang in LANGS}, "count"))
    return ReaderTable(frame, tuple(columns), unit="r04_tbl_unit_households", max_columns=5,
                       note=_note(synthetic, say("r04_tbl_phu_luc_1_note")))


def differences_reader(differences: pd.DataFrame, cover: Coverage, synthetic: bool) -> ReaderTable:
    """The printed figures the records do not give back, each with the audit's finding that explains it."""
    places = [2 if str(c).endswith("_pct") else 0 for c in differences["column"]]
    frame = pd.DataFrame({
        "table": [Label("r04_table_section_1" if t == "section I" else "r04_table_phu_luc_1")
                  if t in ("section I", "Phụ lục 1") else t for t in differences["table"]],
        "unit": [_total_row(u, cover) for u in differences["unit"]],
        "figure": [{lang: _figure_name(c, lang) for lang in LANGS} for c in differences["column"]],
        **{key: [_fixed(v, p) for v, p in zip(differences[key], places)] for key in ("printed", "from_records")},
        "check": [Label(CHECK_LABELS.get(c, "r04_check_other")) if isinstance(c, str) else Label("r04_check_none")
                  for c in differences["check"]]})
    return ReaderTable(frame, (Column("table", "r04_tbl_table"), Column("unit", "commune", "unit"),
                               Column("figure", "tbl_figure"), Column("printed", "tbl_printed_value"),
                               Column("from_records", "r04_tbl_from_records_value"),
                               Column("check", "r04_tbl_explained")),
                       note=_note(synthetic))


def near_poor_reader(near_poor: pd.DataFrame, cover: Coverage, synthetic: bool) -> ReaderTable:
    """Near-poor households per unit, which the plan prints for the district only: counted from the
    records, or, for SYNTHETIC records, the generator's apportionment of the district's count."""
    frame = near_poor.reset_index()
    frame["unit"] = [_total_row(u, cover) for u in frame["unit"]]
    return ReaderTable(frame, (Column("unit", "commune", "unit"), Column("households", "households", "count"),
                               Column("near_poor", "near_poor", "count"),
                               Column("near_poor_pct", "r04_tbl_near_poor_pct", "rate")),
                       note=say("r04_near_poor_synthetic_note") if synthetic else say("r04_near_poor_note"))


def near_poor_text(near_poor: pd.DataFrame, printed_near_poor: int | None, synthetic: bool) -> Sentence:
    """What the per-unit near-poor table is: a count from the records, or the generator's apportionment."""
    total = int(near_poor["near_poor"].sum())
    if synthetic:
        return say("r04_near_poor_synthetic", total=total, printed=printed_near_poor if printed_near_poor else total)
    return say("r04_near_poor_records", total=total)


def _why(row, cutoff: int) -> Sentence:
    """Why the standard does not give a household its recorded status (cf. :func:`camlo.audit_records`)."""
    if row.status_recorded == "poor" and row.status == "near_poor":
        return say("r04_why_few", n=int(row.deprivations), cutoff=cutoff)
    if row.status in ("middle", "above_middle"):
        return say("r04_why_income_above")
    return say("r04_why_income_below", n=int(row.deprivations))


def _status_label(status) -> Label:
    return Label("r04_status_blank") if status is None or pd.isna(status) else Label(f"r04_status_{status}")


def listed_reader(shown: pd.DataFrame, synthetic: bool) -> ReaderTable:
    """The households whose recorded status the standard does not give, by their place in the file."""
    frame = pd.DataFrame({
        "record": [str(int(r)) for r in shown.index],
        "unit": list(shown["unit"]),
        "area": [Label(f"r04_area_{a}") for a in shown["area"]],
        "deprivations": list(shown["deprivations"]),
        "status_recorded": [_status_label(s) for s in shown["status_recorded"]],
        "status": [_status_label(s) for s in shown["status"]],
        "why": [_why(row, DEPRIVATION_CUTOFF) for row in shown.itertuples()]})
    return ReaderTable(frame, (Column("record", "r04_tbl_record"), Column("unit", "commune"),
                               Column("area", "r04_tbl_area"), Column("deprivations", "r04_tbl_deprivations", "count"),
                               Column("status_recorded", "r04_tbl_status_recorded"),
                               Column("status", "r04_tbl_status_standard"), Column("why", "r04_tbl_why")),
                       note=_note(synthetic, say("r04_tbl_record_note")))


def poor_scores_reader(poor_scores: pd.DataFrame, cover: Coverage, synthetic: bool) -> ReaderTable:
    """Poor households by number of deprivations (0 to 12), per unit and the whole."""
    frame = poor_scores.reset_index().rename(columns=str)
    frame["unit"] = [_total_row(u, cover) for u in frame["unit"]]
    scores = [c for c in frame.columns if c != "unit"]
    return ReaderTable(frame, (Column("unit", "commune", "unit"),
                               *(Column(c, {lang: c for lang in LANGS}, "count") for c in scores)),
                       unit="r04_tbl_unit_poor_households", max_columns=len(scores) + 1,
                       note=_note(synthetic, say("r04_tbl_scores_note")))


def _k_header(k) -> dict[str, str]:
    return {lang: label("r04_tbl_official", lang) if k == OFFICIAL else f"k = {k}" for lang in LANGS}


def m0_by_k_reader(m0: pd.DataFrame, cover: Coverage, synthetic: bool) -> ReaderTable:
    """M0 per unit at every cutoff k and officially, in two parts (k = 1 to 7; k = 8 to 12 and official)."""
    ks = list(m0.columns)
    frame = pd.DataFrame({"unit": [_total_row(u, cover) for u in m0.index],
                          **{f"k{k}": [_fixed(v, 4) for v in m0[k]] for k in ks}})
    return ReaderTable(frame, (Column("unit", "commune", "unit"), *(Column(f"k{k}", _k_header(k)) for k in ks)),
                       max_columns=8, note=_note(synthetic, say("r04_tbl_m0_note")))


def ranks_reader(ranks: pd.DataFrame, robustness: pd.DataFrame, cover: Coverage, synthetic: bool) -> ReaderTable:
    """Each unit's rank by M0 at every cutoff and officially, its best and worst, whether it changes."""
    ks = list(ranks.columns)
    frame = pd.DataFrame({"unit": [_total_row(u, cover) for u in ranks.index],
                          **{f"k{k}": ranks[k].to_numpy() for k in ks},
                          **{c: robustness.loc[ranks.index, c].to_numpy() for c in ("best", "worst", "changes")}})
    return ReaderTable(frame, (Column("unit", "commune", "unit"), *(Column(f"k{k}", _k_header(k), "count") for k in ks),
                               Column("best", "r04_tbl_best", "count"), Column("worst", "r04_tbl_worst", "count"),
                               Column("changes", "r04_tbl_changes", "yesno")),
                       max_columns=10, note=_note(synthetic, say("r04_tbl_ranks_note")))


def decomposition_reader(decomposition: dict[str, pd.DataFrame] | None, cover: Coverage,
                         synthetic: bool) -> ReaderTable:
    """The official H, A and M0 of each group, its share of households and of M0 (by unit, area and
    ethnic minority, each block closed by the whole)."""
    rows = []
    for by in DECOMPOSITION if decomposition is not None else ():
        for group, row in decomposition[by].iterrows():
            name = (_total_row(group, cover) if group == DISTRICT else group if by == "unit" else
                    Label(f"r04_area_{group}") if by == "area" else
                    Label("r04_dtts_yes" if int(group) else "r04_dtts_no"))
            rows.append({"group": name, "H": _fixed(100 * row["H"], 2),
                         "A": _fixed(row["A"], 3), "M0": _fixed(row["M0"], 4),
                         "pop_share": row["pop_share"], "M0_share": row["M0_share"]})
    frame = pd.DataFrame(rows, columns=["group", "H", "A", "M0", "pop_share", "M0_share"])
    return ReaderTable(frame, (Column("group", "r04_tbl_group", "unit"),
                               Column("H", "r04_tbl_H"), Column("A", "r04_tbl_A"), Column("M0", "r04_tbl_M0"),
                               Column("pop_share", "r04_tbl_pop_share", "share"),
                               Column("M0_share", "r04_tbl_M0_share", "share")),
                       note=_note(synthetic, say("r04_tbl_decomposition_synthetic") if synthetic else None))


def redundancy_pairs(censored: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Each pair of indicators with its redundancy R0 among poor households (censored: the households
    the plan's Phụ lục 2 counts) beside R0 over every household surveyed, from deprivations whether or
    not the household is poor (uncensored: OPHI's population measure).

    Both are :func:`~camlo.measures.scores.co_deprivation`'s, district rows; the pairs in the order of
    the poor households deprived in both (most first).

    Examples:
        >>> records = pd.DataFrame({"status": ["poor", "poor", "middle"], "d1": [1, 0, 1], "d2": [1, 1, 0],
        ...                         **{f"d{j}": [0, 0, 0] for j in range(3, 13)}})
        >>> pairs = redundancy_pairs(co_deprivation(records, tables.indicators),
        ...                          co_deprivation(records, tables.indicators, status=None))
        >>> pairs.iloc[0][["indicator_j", "indicator_k", "both", "r0", "both_population", "r0_population"]].tolist()
        [1.0, 2.0, 1.0, 1.0, 1.0, 0.5]
    """
    key = ["indicator_j", "indicator_k"]
    both = censored[[*key, "both", "r0"]].merge(
        population[[*key, "both", "r0"]].rename(columns={"both": "both_population", "r0": "r0_population"}), on=key)
    return both.sort_values(["both", *key], ascending=[False, True, True], kind="stable").reset_index(drop=True)


#: The pairs the redundancy table shows: those with the most poor households deprived in both.
REDUNDANCY_SHOWN = 10


def redundancy_reader(pairs: pd.DataFrame, households: int, synthetic: bool) -> ReaderTable:
    """The pairs with the most poor households deprived in both: R0 among poor households and over all."""
    shown = pairs[pairs["both"] > 0].head(REDUNDANCY_SHOWN)
    frame = pd.DataFrame({"pair": [say("r04_pair", j=Indicator(int(j)), k=Indicator(int(k), lower=True))
                                   for j, k in zip(shown["indicator_j"], shown["indicator_k"])],
                          "both": shown["both"].to_numpy(), "r0": [_fixed(v, 2) for v in shown["r0"]],
                          "both_population": shown["both_population"].to_numpy(),
                          "r0_population": [_fixed(v, 2) for v in shown["r0_population"]]})
    return ReaderTable(frame, (Column("pair", "r04_tbl_pair"), Column("both", "r04_tbl_both_poor", "count"), Column("r0", "r04_tbl_r0_poor"),
                               Column("both_population", "r04_tbl_both_all", "count"),
                               Column("r0_population", "r04_tbl_r0_all")),
                       note=_note(synthetic, say("r04_tbl_r0_note", households=households)))


def redundancy_text(pairs: pd.DataFrame, households: int) -> Sentence | None:
    """R0 over every household beside R0 among poor households: for the pair with most poor households in
    both, and how many pairs are less redundant over all households."""
    both = pairs.dropna(subset=["r0", "r0_population"])
    if not len(both):
        return None
    top = both.iloc[0]
    return say("r04_r0_population", households=households, j=Indicator(int(top["indicator_j"]), lower=True),
               k=Indicator(int(top["indicator_k"]), lower=True), r0=float(top["r0"]),
               r0_population=float(top["r0_population"]), lower=int((both["r0_population"] < both["r0"]).sum()),
               pairs=len(both))


def transitions_reader(table: pd.DataFrame, synthetic: bool) -> ReaderTable:
    """Households by official status in the first review (rows) and the second (columns)."""
    frame = table.reset_index().rename(columns={"before": "state"})
    frame["state"] = [Label(f"r04_state_{s}") for s in frame["state"]]
    return ReaderTable(frame, (Column("state", "r04_tbl_first_review", "label"),
                               *(Column(s, {lang: f"{label('r04_second_review', lang)}: "
                                            f"{_lower(label(f'r04_state_{s}', lang))}" for lang in LANGS}, "count")
                                 for s in table.columns)),
                       unit="r04_tbl_unit_households", note=_note(synthetic))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def rates_reader(rates: pd.DataFrame, synthetic: bool) -> ReaderTable:
    """The rates two reviews measure (over the interval and a year), and which they cannot."""
    places = [1 if r == "newly_poor" else 4 for r in rates["rate"]]
    frame = pd.DataFrame({"rate": [Label(f"r04_rate_{r}") for r in rates["rate"]],
                          "numerator": rates["numerator"].where(rates["measured"]).to_numpy(),
                          "denominator": rates["denominator"].where(rates["measured"]).to_numpy(),
                          "value": [_fixed(v, p) for v, p in zip(rates["value"], places)],
                          "annual": [_fixed(v, p) for v, p in zip(rates["annual"], places)],
                          "measured": rates["measured"].to_numpy()})
    return ReaderTable(frame, (Column("rate", "r04_tbl_rate"), Column("numerator", "r04_tbl_numerator", "count"),
                               Column("denominator", "r04_tbl_denominator", "count"),
                               Column("value", "r04_tbl_value"), Column("annual", "r04_tbl_annual"),
                               Column("measured", "r04_tbl_measured", "yesno")),
                       note=_note(synthetic, say("r04_tbl_rates_note")))


def params_reader(params: pd.DataFrame, synthetic: bool) -> ReaderTable:
    """The projection's rates (:func:`projection_params_table`), named, one column per set of rates."""
    frame = pd.DataFrame({"rate": [Label(f"r04_rate_{r}") for r in params.index],
                          **{f"c{i}": [_fixed(v, 1 if r == "newly_poor" else 4) for r, v in params[c].items()]
                             for i, c in enumerate(params.columns)}})
    headers = {"assumed (notebook 03)": "r04_tbl_assumed", "measured (where the reviews measure it)": "r04_tbl_measured_rates"}
    return ReaderTable(frame, (Column("rate", "r04_tbl_rate"),
                               *(Column(f"c{i}", headers.get(c, {lang: str(c) for lang in LANGS}))
                                 for i, c in enumerate(params.columns))), note=_note(synthetic))


def _printed_near_poor(tables: PlanTables, cover: Coverage) -> int | None:
    """The near-poor households section I prints for the district (``None`` unless the records cover it)."""
    if not (cover.complete and cover.by == "unit"):
        return None
    headline = tables.headline.set_index("key")
    return int(headline.loc["near_poor", "count"]) if "near_poor" in headline.index else None
