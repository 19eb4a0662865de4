"""Notebook 02's answer: which deprivations drive poverty where, who must act, what the counts bound.

Everything is computed from the plan's counts (Phụ lục 1 and 2): the Alkire–Foster measures
(:mod:`camlo.measures.af`), the profiles built on them (:mod:`camlo.measures.profiles`), the
offices' workload (:mod:`camlo.measures.offices`) and the bounds the counts imply
(:mod:`camlo.measures.bounds`).

Examples:
    >>> import camlo
    >>> result = answer(camlo.load_plan_tables(reviews=False))
    >>> print(result.finding.text("en"))  # doctest: +NORMALIZE_WHITESPACE
    The 4 leading indicators (use of telecom services, health insurance, dependants in the household
    and hygienic latrine) make up 69% of the district's adjusted headcount ratio M0. Thanh An, Cam Thủy
    and Cam Tuyên carry more of it than their share of the district's households.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from camlo.answers import Answer, declared
from camlo.answers.scope import finding_with_scope, with_scope
from camlo.clean.plan_tables import PlanTables, load_plan_tables, plan_files
from camlo.consistency.checks import audit
from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT, INDICATORS, N_INDICATORS
from camlo.measures import bounds, offices, profiles, ranks
from camlo.measures.af import af_measures, unit_counts
from camlo.text.numbers import LANGS, format_number
from camlo.text.sentences import Dimension, Indicator, Label, Listing, Named, Places, Prose, Unit, paragraphs, prose, say
from camlo.text.tables import Column, ReaderTable

QUESTION = "02"
#: How many of the district's most common deprivations, leading indicators and overlapping
#: pairs the text names, and how many unit × indicator cells the targeting table lists.
COMMON_DEPRIVATIONS = 4
LEADING_INDICATORS = 4
TARGET_CELLS = 10
OVERLAP_PAIRS = 3
#: The k of the score-bounds table: poor households with at least k deprivations.
SCORE_KS = range(1, 7)
#: A unit holding at least this share of the district's poor households deprived in an
#: indicator is named as holding most of it.
CONCENTRATED = 0.5
#: The indicators read as their own cases: health insurance (its contribution is paid by the
#: state for poor households), use of telecom services, dependants in the household (no office's
#: direct workload).
INSURANCE, TELECOM, DEPENDANTS = 4, 11, 2
#: Under random weights, a unit keeping its rank in this share of draws or more is named as firm,
#: and one keeping it in fewer than ``RANK_LOOSE`` as loose.
RANK_FIRM, RANK_LOOSE = 0.9, 0.5


def inputs(params: Mapping[str, Any]) -> dict[str, Path]:
    """The data files notebook 02 reads: the plan's tables and the reference tables (no reviews)."""
    return declared(plan_files(params.get("tables_path"), reviews=False), "tables_path")


def run(params: Mapping[str, Any] | None = None) -> Answer:
    """Notebook 02's answer on the tables its parameters name (the shipped ones by default)."""
    return answer(load_plan_tables((params or {}).get("tables_path"), reviews=False))


# --- Sentences ---------------------------------------------------------------------------------------


def _units(table: pd.DataFrame) -> list[str]:
    """The units of a table indexed by unit, without the district row."""
    return [u for u in table.index if u != DISTRICT]


def _place(unit: str) -> Unit:
    """A unit as running text names it (``xã Cam Tuyền`` in Vietnamese)."""
    return Unit(unit, in_text=True)


def below_cutoff_units(findings: pd.DataFrame) -> pd.DataFrame:
    """The audit's units whose deprivations fall short of the cutoff times their poor households."""
    return findings[findings["check"] == "deprivation_sum"].set_index("unit")


def af_text(summary: pd.DataFrame, counts: pd.DataFrame, short: pd.DataFrame):
    """H, A and M0 for the district and the unit where M0 is highest; the units whose counts
    give fewer deprivations than the standard allows."""
    district = summary.loc[DISTRICT]
    top = summary.loc[_units(summary), "M0"].idxmax()
    details = Prose(tuple(
        say("d02_below_unit", unit=_place(u), deprivations=int(short.loc[u, "published"]),
            poor=int(counts.loc[u, "q"]), mean=bounds.mean_score(counts.loc[u, list(INDICATORS)], counts.loc[u, "q"]),
            A=summary.loc[u, "A"], cutoff=DEPRIVATION_CUTOFF, needed=int(short.loc[u, "expected"]))
        for u in short.index), sep="; ")
    return paragraphs(
        say("d02_m0_what", cutoff=DEPRIVATION_CUTOFF, indicators=N_INDICATORS),
        say("d02_af_district", H=district["H"], A=district["A"], M0=district["M0"],
            mean=N_INDICATORS * district["A"], indicators=N_INDICATORS, top=_place(top),
            top_M0=summary.loc[top, "M0"], top_H=summary.loc[top, "H"]),
        say("d02_below_cutoff", cutoff=DEPRIVATION_CUTOFF, indicators=N_INDICATORS,
            floor=DEPRIVATION_CUTOFF / N_INDICATORS, units=Places(short.index), details=details)
        if len(short) else None)


def full_cells(rates: pd.DataFrame) -> list[tuple[str, int]]:
    """The (unit, indicator) cells in which every poor household of the unit is deprived."""
    return [(u, j) for u in _units(rates) for j in rates.columns if rates.loc[u, j] == 1]


def common_text(rates: pd.DataFrame):
    """The district's most common deprivations, and the cells where every poor household is deprived."""
    district = rates.loc[DISTRICT].sort_values(ascending=False, kind="stable")
    full = full_cells(rates)
    return prose(
        say("d02_common", items=Listing(say("d02_item_share", item=Indicator(j, lower=True), share=district[j])
                                        for j in district.index[:COMMON_DEPRIVATIONS])),
        say("d02_full_cells", cells=len(full),
            items=Listing(say("d02_unit_indicator", unit=_place(u), indicator=Indicator(j, lower=True))
                          for u, j in full))
        if full else None)


def contributions_text(top: pd.Series, dimensions: pd.Series):
    """The leading indicators' share of the district's M0, and the two leading dimensions."""
    return say("d02_contributions", count=len(top), total=top.sum(),
               items=Listing(say("d02_item_share1", item=Indicator(j, lower=True), share=share)
                             for j, share in top.items()),
               first=Dimension(dimensions.index[0], lower=True), first_share=dimensions.iloc[0],
               second=Dimension(dimensions.index[1], lower=True), second_share=dimensions.iloc[1])


def over_share(shares: pd.DataFrame) -> pd.DataFrame:
    """The units whose share of the district's M0 exceeds their share of its households."""
    return shares[shares["M0_share"] > shares["pop_share"]]


def m0_share_text(over: pd.DataFrame):
    """The units carrying more of the district's M0 than their share of its households."""
    if over.empty:  # one unit: its share is the whole
        return say("own_d02_over_none")
    details = Prose(tuple(say("d02_over_unit", unit=_place(u), m0_share=row.M0_share, pop_share=row.pop_share)
                          for u, row in over.iterrows()), sep="; ")
    return say("d02_over", units=Places(over.index), details=details,
               m0_share=over["M0_share"].sum(), pop_share=over["pop_share"].sum())


def clusters_text(clusters: dict, deviations: pd.DataFrame):
    """The closest profiles, the groups of the tree, and the most distinct unit's largest departure."""
    core, *alone = clusters["groups"]
    distinct = deviations.set_index("unit").loc[clusters["most_distinct"]]
    return say("d02_clusters", closest=Places(clusters["closest"]),
               distance=clusters["closest_distance"], groups=len(clusters["groups"]),
               core=Places(core), alone=Places(g[0] for g in alone),
               distinct=_place(clusters["most_distinct"]), mean_distance=clusters["mean_distance"],
               indicator=Indicator(int(distinct["indicator"]), lower=True), unit_rate=distinct["unit_rate"],
               district_rate=distinct["district_rate"])


def targeting_text(targets: pd.DataFrame, counts: pd.DataFrame, cells: int):
    """How much of the district's household-deprivations the targeting table's cells hold, and where."""
    total = int(counts.loc[DISTRICT, list(INDICATORS)].sum())
    held = int(targets["deprived"].sum())
    by_unit = targets["unit"].value_counts(sort=False)
    return say("d02_targeting", cells=len(targets), all_cells=cells, held=held, total=total, share=held / total,
               units=len(by_unit),
               items=Listing(say("d02_unit_count", unit=_place(u), count=int(n)) for u, n in by_unit.items()))


def busiest_office(district_workload: pd.DataFrame) -> pd.Series:
    """The district's row of the office with the most household-deprivations."""
    return district_workload.loc[district_workload["deprivations"].idxmax()]


def _office(row: pd.Series) -> Named:
    return Named(row.name, row["office_vi"])


def busiest_text(busiest: pd.Series):
    """The office with the heaviest load, and the distinct households it concerns."""
    return say("d02_busiest", office=_office(busiest), indicators=busiest["indicators"],
               deprivations=int(busiest["deprivations"]), low=int(busiest["distinct_min"]),
               high=int(busiest["distinct_max"]))


def largest_overlaps(overlap: pd.DataFrame, top: int = OVERLAP_PAIRS) -> list[tuple[int, int, int]]:
    """The ``top`` pairs of indicators (j < k) with the largest guaranteed overlap, as (n, j, k)."""
    pairs = ((int(overlap.loc[j, k]), j, k) for j in overlap.index for k in overlap.columns if j < k)
    return sorted(pairs, key=lambda t: (-t[0], t[1], t[2]))[:top]


def overlap_text(overlap: pd.DataFrame):
    """The pairs of deprivations that certainly fall on the most poor households together."""
    return say("d02_overlap", pairs=Listing(
        say("d02_overlap_pair", households=n, first=Indicator(j, lower=True), second=Indicator(k, lower=True))
        for n, j, k in largest_overlaps(overlap)))


def cutoff_text(cut: pd.DataFrame):
    """Where the counts cannot give every poor household the cutoff, and the district's bounds."""
    short = cut[cut["most"] < cut["q"]].drop(index=DISTRICT, errors="ignore")
    district = cut.loc[DISTRICT]
    if short.empty:  # a user's tables may allow it everywhere
        return say("own_d02_cutoff_everywhere", cutoff=DEPRIVATION_CUTOFF, fewest=int(district["fewest"]),
                   most=int(district["most"]), poor=int(district["q"]))
    return say("d02_cutoff_bounds", cutoff=DEPRIVATION_CUTOFF, units=Listing(
        say("d02_cutoff_unit", unit=_place(u), short=int(row.q - row.most), poor=int(row.q))
        for u, row in short.iterrows()),
        fewest=int(district["fewest"]), most=int(district["most"]), poor=int(district["q"]))


def _office_of(indicators: pd.DataFrame, j: int) -> Named:
    row = indicators.set_index("indicator").loc[j]
    return Named(row["office_en"], row["office_vi"])


def rule_text(rule: pd.DataFrame):
    """The households with exactly the cutoff under the standard's rule, unit by unit, and what
    it means for leaving the poor list."""
    units = [u for u in rule.index if u != DISTRICT]
    ok, short = [u for u in units if rule.loc[u, "rule_holds"]], [u for u in units if not rule.loc[u, "rule_holds"]]
    held, district = rule.loc[ok], rule.loc[DISTRICT]
    return paragraphs(
        None if not ok else say("d02_rule_bounds", cutoff=DEPRIVATION_CUTOFF, units=Places(ok), poor=int(held["q"].sum()),
            excess=int(held["excess"].sum()), exactly=int(held["exactly_min"].sum()),
            more=int(held["more_max"].sum())),
        say("d02_rule_short", cutoff=DEPRIVATION_CUTOFF, units=Places(short), details=Prose(tuple(
            say("d02_rule_short_unit", unit=_place(u), cutoff=DEPRIVATION_CUTOFF, low=int(rule.loc[u, "exactly_min"]),
                high=int(rule.loc[u, "exactly_max"]), fewer=int(rule.loc[u, "fewer_min"]),
                nearest=int(rule.loc[u, "nearest_min"])) for u in short), sep="; "))
        if short else None,
        say("d02_rule_district", cutoff=DEPRIVATION_CUTOFF, exactly=int(district["exactly_min"]),
            nearest=int(district["nearest_min"]), poor=int(district["q"]),
            share=district["exactly_min"] / district["q"], nearest_share=district["nearest_min"] / district["q"]),
        say("d02_rule_reading", cutoff=DEPRIVATION_CUTOFF, below=DEPRIVATION_CUTOFF - 1,
            exactly=int(held["exactly_min"].sum()), poor=int(held["q"].sum()),
            district=int(district["exactly_min"]), nearest=int(district["nearest_min"])))


def insurance_text(counts: pd.DataFrame, rates: pd.DataFrame, cards: pd.Series, cards_nearest: pd.Series):
    """What a poor household deprived in health insurance is, and what issuing cards alone does."""
    full = [u for u in _units(rates) if rates.loc[u, INSURANCE] == 1]
    return prose(
        say("d02_insurance", deprived=int(counts.loc[DISTRICT, INSURANCE]), poor=int(counts.loc[DISTRICT, "q"]),
            share=rates.loc[DISTRICT, INSURANCE]),
        say("d02_insurance_full", units=Places(full)) if full else None,
        say("d02_insurance_cards", cutoff=DEPRIVATION_CUTOFF, cards=int(cards.loc[DISTRICT]),
            nearest=int(cards_nearest.loc[DISTRICT]), below=DEPRIVATION_CUTOFF - 1))


def deviations_text(both: pd.DataFrame):
    """The units whose largest departure from the district is where they are less deprived."""
    table = both.set_index("unit")
    less = [u for u in table.index
            if pd.notna(table.loc[u, "shortfall_pp"]) and (pd.isna(table.loc[u, "excess_pp"])
                                                         or -table.loc[u, "shortfall_pp"] > table.loc[u, "excess_pp"])]
    if not less:
        return None
    excess = [u for u in less if pd.notna(table.loc[u, "excess_pp"])]
    if not excess:
        return say("d02_deviations_both_only", units=Places(less))
    return say("d02_deviations_both", units=Places(less), items=Listing(
        say("d02_deviation_excess", unit=_place(u), indicator=Indicator(int(table.loc[u, "excess_indicator"]), lower=True),
            pp=table.loc[u, "excess_pp"]) for u in excess))


def concentrated_cells(shares: pd.DataFrame, counts: pd.DataFrame, threshold: float = CONCENTRATED) -> list:
    """(unit, indicator, share, deprived, district deprived) where one unit holds ``threshold`` or more."""
    return [(u, int(j), float(shares.loc[u, j]), int(counts.loc[u, j]), int(counts.loc[DISTRICT, j]))
            for j in shares.columns for u in shares.index if shares.loc[u, j] >= threshold]


def shares_text(shares: pd.DataFrame, counts: pd.DataFrame, indicators: pd.DataFrame):
    """Where one unit holds most of the district's poor households deprived in an indicator."""
    cells = concentrated_cells(shares, counts)
    return prose(say("d02_unit_shares", threshold=CONCENTRATED, items=Listing(
        say("d02_unit_share_item", unit=_place(u), share=share, indicator=Indicator(j, lower=True), deprived=d,
            total=total, office=_office_of(indicators, j)) for u, j, share, d, total in cells))
        if cells else None)


def ranks_text(stability: pd.DataFrame, pair: tuple[str, str], swap: float, draws: int):
    """How stable each unit's M0 rank is under random weights, beside the equal and nested weights."""
    same = bool((stability["rank_equal"] == stability["rank_dimension"]).all())
    top = stability["rank_equal"].idxmin()
    return paragraphs(
        say("d02_ranks_nested") if same else None,
        say("d02_ranks", draws=draws, top=_place(top), keeps=stability.loc[top, "keeps"],
            first=_place(pair[0]), second=_place(pair[1]), swap=swap, firm_share=RANK_FIRM, loose_share=RANK_LOOSE,
            firm=Places(stability[stability["keeps"] >= RANK_FIRM].index),
            loose=Places(stability[stability["keeps"] < RANK_LOOSE].index)))


def recommendations_text(counts: pd.DataFrame, rates: pd.DataFrame, indicators: pd.DataFrame, rule: pd.DataFrame,
                         cards: pd.Series, telecom: pd.Series, shares: pd.DataFrame, busiest: pd.Series):
    """What the numbers support an office in doing, each tied to a figure; and the plan's budget."""
    total = counts.loc[DISTRICT, list(INDICATORS)].sum()
    by_unit = counts.drop(index=DISTRICT)[list(INDICATORS)].sum(axis=1).sort_values(ascending=False, kind="stable")
    top_units = list(by_unit.index[:2])
    return paragraphs(
        say("d02_rec_cards", office=_office_of(indicators, INSURANCE), deprived=int(counts.loc[DISTRICT, INSURANCE]),
            cards=int(cards.loc[DISTRICT]), cutoff=DEPRIVATION_CUTOFF),
        say("d02_rec_telecom", office=_office_of(indicators, TELECOM), deprived=int(counts.loc[DISTRICT, TELECOM]),
            share=rates.loc[DISTRICT, TELECOM], households=int(telecom.loc[DISTRICT]), cutoff=DEPRIVATION_CUTOFF),
        say("d02_rec_where", units=Places(top_units), held=int(by_unit.iloc[:2].sum()), total=int(total),
            share=by_unit.iloc[:2].sum() / total, office=_office(busiest), deprivations=int(busiest["deprivations"])),
        say("d02_rec_budget"))


def checks_text(rule: pd.DataFrame, counts: pd.DataFrame, rates: pd.DataFrame, indicators: pd.DataFrame):
    """Where the review itself deserves checking: a short list an office can act on."""
    short = [u for u in rule.index if u != DISTRICT and not rule.loc[u, "rule_holds"]]
    full = [u for u in _units(rates) if rates.loc[u, INSURANCE] == 1]
    return paragraphs(
        say("d02_check_rule", units=Places(short), fewer=int(rule.loc[short, "fewer_min"].sum()),
            cutoff=DEPRIVATION_CUTOFF) if short else None,
        prose(say("d02_check_insurance", office=_office_of(indicators, INSURANCE),
                  deprived=int(counts.loc[DISTRICT, INSURANCE])),
              say("d02_check_insurance_full", units=Places(full)) if full else None))
def unit_clusters(measures: pd.DataFrame) -> dict:
    """The clustering of unit profiles (:func:`camlo.measures.profiles.profile_clusters`), cut
    into at most one group fewer than there are units (a user's tables may hold only a few)."""
    units = [u for u in dict.fromkeys(measures["unit"]) if u != DISTRICT]
    if len(units) == 1:  # nothing to cluster: the one unit, with no tree
        return {"order": units, "closest": tuple(units), "closest_distance": float("nan"), "groups": [units],
                "most_distinct": units[0], "mean_distance": float("nan"), "linkage": None}
    return profiles.profile_clusters(measures, n_groups=max(1, min(4, len(units) - 1)))


def few_units(clusters: dict):
    """What the clustering can say of one unit or two: how far apart two profiles are (``None`` for more)."""
    if len(clusters["order"]) > 2:
        return None
    if len(clusters["order"]) == 1:
        return say("own_d02_clusters_one", unit=_place(clusters["order"][0]))
    return say("own_d02_clusters_two", closest=Places(clusters["closest"]), distance=clusters["closest_distance"])


def answers_text(top: pd.Series, over: pd.DataFrame, shares: pd.DataFrame, summary: pd.DataFrame,
                 clusters: dict, busiest: pd.Series, matrix: pd.DataFrame, short: pd.DataFrame):
    """The notebook's answers, one paragraph per question."""
    top_unit = summary.loc[_units(summary), "M0"].idxmax()
    by_unit = matrix.loc[busiest.name].sort_values(ascending=False, kind="stable")
    alone = clusters["groups"][1:]
    return paragraphs(
        prose(say("d02_answer_drivers", items=Listing(Indicator(j, lower=True) for j in top.index), total=top.sum()),
              say("d02_answer_insurance") if INSURANCE in top.index else None),
        say("d02_answer_where", units=Places(over.index), top=_place(top_unit),
            top_share=shares.loc[top_unit, "M0_share"], alone=Places(g[0] for g in alone)) if alone else
        say("own_d02_answer_where_few", units=Places(over.index), top=_place(top_unit),
            top_share=shares.loc[top_unit, "M0_share"]) if len(over) else None,
        say("d02_answer_who", office=_office(busiest), deprivations=int(busiest["deprivations"]),
            unit=_place(by_unit.index[0]), unit_deprivations=int(by_unit.iloc[0])),
        say("d02_answer_caveat", units=Places(short.index), cutoff=DEPRIVATION_CUTOFF) if len(short) else None)


def answers_rule_text(rule: pd.DataFrame, cards: pd.Series):
    """The answers' reading of the rule's bounds and of health insurance."""
    district = rule.loc[DISTRICT]
    return say("d02_answer_rule", exactly=int(district["exactly_min"]), nearest=int(district["nearest_min"]),
               poor=int(district["q"]), cutoff=DEPRIVATION_CUTOFF, cards=int(cards.loc[DISTRICT]))


def finding_text(top: pd.Series, over: pd.DataFrame):
    """The leading indicators' share of M0, and the units carrying more than their share."""
    if over.empty:  # one unit: its share is the whole
        return say("own_d02_finding_one", count=len(top), items=Listing(Indicator(j, lower=True) for j in top.index),
                   total=top.sum())
    return say("d02_finding", count=len(top), items=Listing(Indicator(j, lower=True) for j in top.index),
               total=top.sum(), units=Places(over.index))


# --- Tables as the notebook shows them ---------------------------------------------------------------


def _unit_cells(units) -> list:
    """Units as a table's first column writes them, the district's row as ``Toàn huyện``."""
    return [Label("d02_tbl_district") if u == DISTRICT else u for u in units]


def _decimals(values, places: int) -> list[dict[str, str]]:
    """Numbers with ``places`` decimals as cells that give their text per language."""
    return [{lang: format_number(v, lang, places) for lang in LANGS} for v in values]


def district_workload_frame(workload: pd.DataFrame) -> pd.DataFrame:
    """The district's row of each office's workload, by office (with its Vietnamese name)."""
    return workload[workload["unit"] == DISTRICT].set_index("office_en")[
        ["office_vi", "indicators", "deprivations", "distinct_min", "distinct_max"]]


def _office_cells(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The offices of a frame's rows (``office_en``, ``office_vi``) as cells in each language."""
    return [{"en": en, "vi": vi} for en, vi in zip(frame["office_en"], frame["office_vi"])]


def af_summary_table(summary: pd.DataFrame) -> ReaderTable:
    """H (in %), A and M0 per unit and for the district, with the decimals the text gives them."""
    frame = pd.DataFrame({"unit": _unit_cells(summary.index), "H": 100 * summary["H"].to_numpy(),
                          "A": _decimals(summary["A"], 3), "M0": _decimals(summary["M0"], 4)})
    return ReaderTable(frame, (Column("unit", "commune", "unit"), Column("H", "d02_tbl_H", "rate"),
                               Column("A", "d02_tbl_A", "rate"), Column("M0", "d02_tbl_M0", "rate")))


def leading_table(lead: pd.DataFrame) -> ReaderTable:
    """Each unit's leading indicator and its share of the unit's M0."""
    frame = lead.assign(unit=_unit_cells(lead["unit"]))
    return ReaderTable(frame, (Column("unit", "commune", "unit"), Column("indicator", "d02_tbl_leading", "indicator"),
                               Column("pctb", "d02_tbl_share_of_M0", "share")))


def deviations_both_table(both: pd.DataFrame) -> ReaderTable:
    """Each unit's largest excess over the district's deprivation rates and its largest shortfall."""
    return ReaderTable(both, (
        Column("unit", "commune", "unit"), Column("excess_indicator", "d02_tbl_excess_indicator", "indicator"),
        Column("excess_pp", "d02_tbl_excess_pp", "rate1"),
        Column("shortfall_indicator", "d02_tbl_shortfall_indicator", "indicator"),
        Column("shortfall_pp", "d02_tbl_shortfall_pp", "rate1")), note=Label("d02_tbl_both_note"), max_columns=5)


def unit_shares_table(shares: pd.DataFrame, counts: pd.DataFrame) -> ReaderTable:
    """Each unit's share of the district's poor households deprived in each indicator: indicators as
    rows, units as columns, the district's count last."""
    frame = shares.T.copy()
    units = list(frame.columns)
    frame.columns = [f"u{i}" for i in range(len(units))]
    frame.insert(0, "indicator", [int(j) for j in frame.index])
    frame["district"] = [int(counts.loc[DISTRICT, j]) for j in shares.columns]
    shown = [Column(f"u{i}", {lang: Unit(u).text(lang) for lang in LANGS}, "share") for i, u in enumerate(units)]
    return ReaderTable(frame.reset_index(drop=True), (
        Column("indicator", "indicator", "indicator"), *shown, Column("district", "d02_tbl_district_deprived", "count")),
        note=Label("d02_tbl_shares_note"), max_columns=6)


def rank_table(stability: pd.DataFrame) -> ReaderTable:
    """Each unit's M0 rank under equal and nested weights, and under random weights."""
    frame = stability.reset_index()
    frame["range"] = [{lang: f"{format_number(lo, lang)}–{format_number(hi, lang)}" for lang in LANGS}
                      for lo, hi in zip(frame["rank_min"], frame["rank_max"])]
    return ReaderTable(frame, (
        Column("unit", "commune", "unit"), Column("rank_equal", "d02_tbl_rank_equal", "count"),
        Column("rank_dimension", "d02_tbl_rank_dimension", "count"), Column("keeps", "d02_tbl_rank_keeps", "share"),
        Column("range", "d02_tbl_rank_range"), Column("rank_median", "d02_tbl_rank_median", "count")),
        note=Label("d02_tbl_rank_note"))


def rule_table(rule: pd.DataFrame) -> ReaderTable:
    """Per unit, the poor households with exactly the cutoff and with more, under the standard's rule
    where the counts allow it (and without it where they do not, with the households below it)."""
    frame = rule.reset_index()
    frame["unit"] = _unit_cells(frame["unit"])
    frame["holds"] = [Label("d02_tbl_rule_yes" if ok else "d02_tbl_rule_no") for ok in rule["rule_holds"]]
    frame.loc[frame.index[-1], "holds"] = None

    def between(low, high):
        return [{lang: f"{format_number(a, lang)}–{format_number(b, lang)}" for lang in LANGS} for a, b in zip(low, high)]
    frame["exactly"] = between(rule["exactly_min"], rule["exactly_max"])
    frame["more"] = between(rule["more_min"], rule["more_max"])
    frame["fewer"] = between(rule["fewer_min"], rule["fewer_max"])
    frame["nearest"] = between(rule["nearest_min"], rule["nearest_max"])
    return ReaderTable(frame, (
        Column("unit", "commune", "unit"), Column("q", "poor", "count"), Column("excess", "d02_tbl_excess", "count"),
        Column("holds", "d02_tbl_rule_holds"), Column("exactly", "d02_tbl_exactly", "count"),
        Column("more", "d02_tbl_more", "count"), Column("fewer", "d02_tbl_fewer", "count"),
        Column("nearest", "d02_tbl_nearest", "count")),
        unit="d02_tbl_unit_households", note=Label("d02_tbl_rule_note"), max_columns=8)


def targeting_table(targets: pd.DataFrame) -> ReaderTable:
    """The unit × indicator cells with the most deprived poor households, and the office of each."""
    frame = targets.assign(office=_office_cells(targets))
    return ReaderTable(frame, (
        Column("unit", "commune", "unit"), Column("indicator", "indicator", "indicator"),
        Column("deprived", "d02_tbl_deprived", "count"), Column("poor", "poor", "count"),
        Column("dep_rate", "d02_tbl_share_of_poor", "share"), Column("office", "d02_tbl_office")), unit="d02_tbl_unit_households")


def office_workload_table(matrix: pd.DataFrame, workload: pd.DataFrame) -> ReaderTable:
    """Each office's household-deprivations per unit, units as rows (the district's last), offices as
    columns headed by their names in each language."""
    names = workload.drop_duplicates("office_en").set_index("office_en")["office_vi"]
    frame = pd.concat([matrix.T, matrix.sum(axis=1).to_frame(DISTRICT).T])
    frame.insert(0, "unit", _unit_cells(frame.index))
    offices_shown = [Column(office, {"en": office, "vi": names[office]}, "count") for office in matrix.index]
    return ReaderTable(frame, (Column("unit", "commune", "unit"), *offices_shown),
                       unit="d02_tbl_unit_deprivations", max_columns=len(offices_shown) + 1,
                       note=Label("d02_tbl_dependants_note"))


def district_workload_reader_table(district_workload: pd.DataFrame) -> ReaderTable:
    """Each office's indicators and district household-deprivations, and the bounds on the distinct
    poor households they concern."""
    frame = district_workload.reset_index()
    frame["office"] = _office_cells(frame)
    return ReaderTable(frame, (
        Column("office", "d02_tbl_office"), Column("indicators", "d02_tbl_indicators"),
        Column("deprivations", "d02_tbl_deprivations", "count"),
        Column("distinct_min", "d02_tbl_distinct_min", "count"),
        Column("distinct_max", "d02_tbl_distinct_max", "count")), unit="d02_tbl_unit_households",
        note=Label("d02_tbl_dependants_note"))


def score_bounds_reader_table(scores: pd.DataFrame, counts: pd.DataFrame, ks=SCORE_KS) -> ReaderTable:
    """Per unit, the fewest and the most poor households with at least k deprivations, for each k."""
    frame = pd.DataFrame({"unit": _unit_cells(counts.index), "poor": counts["q"].to_numpy()})
    for k in ks:
        rows = scores[scores["k"] == k].set_index("unit").loc[counts.index]
        frame[f"k{k}"] = [{lang: f"{format_number(low, lang)}–{format_number(high, lang)}" for lang in LANGS}
                          for low, high in zip(rows["fewest"], rows["most"])]
    shown = [Column(f"k{k}", {lang: say("d02_tbl_at_least", k=k).text(lang) for lang in LANGS}, "count") for k in ks]
    return ReaderTable(frame, (Column("unit", "commune", "unit"), Column("poor", "poor", "count"), *shown),
                       unit="d02_tbl_unit_households", note=Label("d02_tbl_score_note"), max_columns=len(shown) + 2)


# --- The answer --------------------------------------------------------------------------------------


def answer(tables: PlanTables) -> Answer:
    """Everything notebook 02 shows, from the plan's tables.

    Args:
        tables: The plan's tables (observed reviews are not needed).
    """
    measures = af_measures(tables.households, tables.deprivations, tables.indicators)
    counts = unit_counts(tables.households, tables.deprivations)
    summary = profiles.af_summary(measures)
    short = below_cutoff_units(audit(tables))
    rates = profiles.deprivation_rate_matrix(measures)
    dimension_contributions = profiles.dimension_contribution_matrix(measures)
    dimensions = dimension_contributions.loc[DISTRICT].sort_values(ascending=False, kind="stable")
    top = profiles.district_contributions(measures, top=LEADING_INDICATORS)
    shares = profiles.m0_share_table(measures)
    over = over_share(shares)
    deviations = profiles.largest_deviations(measures)
    clusters = unit_clusters(measures)
    targets = offices.targeting_table(counts, tables.indicators, top=TARGET_CELLS)
    matrix = offices.office_workload_matrix(counts, tables.indicators)
    workload = offices.office_workload(counts, tables.indicators)
    district_workload = district_workload_frame(workload)
    busiest = busiest_office(district_workload)
    overlap = bounds.overlap_minimum_matrix(counts)
    cut = bounds.cutoff_share_bounds(counts, k=DEPRIVATION_CUTOFF)
    rule = bounds.rule_bounds(counts, cutoff=DEPRIVATION_CUTOFF)
    cards = bounds.exactly_and_deprived_min(rule, counts, INSURANCE)
    cards_nearest = bounds.exactly_and_deprived_min(rule, counts, INSURANCE, column="nearest_min")
    telecom = bounds.exactly_and_deprived_min(rule, counts, TELECOM)
    both = profiles.deviations_both_ways(measures)
    shares_by_indicator = profiles.unit_share_matrix(counts)
    stability = ranks.rank_stability(counts, tables.indicators)
    pair = ranks.closest_pair(counts) if len(stability) > 1 else None
    swap = ranks.swap_share(counts, tables.indicators, *pair) if pair else None
    return Answer(
        question=QUESTION,
        text={
            "af": with_scope(tables, af_text(summary, counts, short)),
            "common": common_text(rates),
            "contributions": contributions_text(top, dimensions),
            "m0_share": m0_share_text(over),
            "clusters": clusters_text(clusters, deviations) if few_units(clusters) is None else few_units(clusters),
            "targeting": targeting_text(targets, counts, len(tables.deprivations)),
            "busiest": busiest_text(busiest),
            "overlap": overlap_text(overlap),
            "cutoff_bounds": cutoff_text(cut),
            "rule": rule_text(rule),
            "insurance": insurance_text(counts, rates, cards, cards_nearest),
            "deviations": deviations_text(both),
            "unit_shares": shares_text(shares_by_indicator, counts, tables.indicators),
            "ranks": ranks_text(stability, pair, swap, ranks.RANK_DRAWS) if pair else say("d02_ranks_one"),
            "recommendations": recommendations_text(counts, rates, tables.indicators, rule, cards, telecom,
                                                    shares_by_indicator, busiest),
            "checks": checks_text(rule, counts, rates, tables.indicators),
            "answers": paragraphs(answers_text(top, over, shares, summary, clusters, busiest, matrix, short),
                                  answers_rule_text(rule, cards)),
        },
        tables={
            "counts": counts,
            "measures": measures,
            "deprivation_rates": rates,
            "af_summary": af_summary_table(summary),
            "leading": leading_table(profiles.leading_indicators(measures)),
            "largest_deviations": deviations_both_table(both),
            "unit_shares": unit_shares_table(shares_by_indicator, counts),
            "rank_stability": rank_table(stability),
            "rule_bounds": rule_table(rule),
            "rule": rule,
            "ranks": stability,
            "shares_by_indicator": shares_by_indicator,
            "targeting": targeting_table(targets),
            "office_workload": office_workload_table(matrix, workload),
            "district_workload": district_workload_reader_table(district_workload),
            "score_bounds": score_bounds_reader_table(bounds.score_bounds(counts, ks=SCORE_KS), counts),
        },
        figures={
            "02_deprivation_rates": rates,
            "02_dimension_rates": profiles.dimension_rate_matrix(measures),
            "02_af_measures": summary,
            "02_indicator_contributions": profiles.indicator_contribution_matrix(measures),
            "02_dimension_contributions": {"matrix": dimension_contributions, "indicators": tables.indicators},
            "02_m0_share": shares,
            "02_unit_profiles": {"clusters": clusters, "deviations": profiles.profile_deviation_matrix(measures)},
            "02_office_workload": {"matrix": matrix, "offices": offices.offices(tables.indicators)},
            "02_overlap_bounds": overlap,
            "02_score_bounds": cut,
        },
        finding=finding_with_scope(tables, finding_text(top, over)),
        values={"H": float(summary.loc[DISTRICT, "H"]), "A": float(summary.loc[DISTRICT, "A"]),
                "M0": float(summary.loc[DISTRICT, "M0"]), "leading_share_of_M0": float(top.sum()),
                "exactly_cutoff_min": int(rule.loc[DISTRICT, "exactly_min"]),
                "exactly_cutoff_nearest_min": int(rule.loc[DISTRICT, "nearest_min"]),
                "insurance_cards_exactly_min": int(cards.loc[DISTRICT]),
                "rank_swap_share": swap, "rank_swap_units": list(pair or ())},
    )
