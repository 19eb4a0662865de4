"""Reconcile the plan's published figures with each other.

:func:`audit` runs every consistency check a :class:`camlo.PlanTables` allows and returns one row per
comparison that fails (or, with ``include_passing=True``, per comparison made). A finding is
reported, never silently fixed: where the analysis needs one value, the row's ``resolution``
says which value is used and why, and the cleaned tables carry it in a separate, flagged
column (see :mod:`camlo.clean.reconcile`).

The checks:

========================  =====================================================================
``total_row``             each column's unit rows against the printed total row (both annexes)
``rate``                  each printed rate against the rate recomputed from the counts
``split``                 BTXH + CSGN against poor households, per unit and in total
``cross_table``           Phụ lục 2's poor households against Phụ lục 1's
``headline``              section I's figures against the annex totals and against each other
``headline_rate``         section I's printed rates against its counts
``deprivation_cap``       each deprivation count against the unit's poor households
``deprivation_sum``       a unit's deprivation counts against 3q and 12q (Decree 07/2021:
                          every poor household is deprived in 3 to 12 indicators)
``observed_sum``          an observed review's parts (units, or the communes formed on 1 July
                          2025) against its district row, where they cover every unit, and
                          never above it where they cover some (only when observed reviews
                          are given)
========================  =====================================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from camlo.clean.plan_tables import PlanTables, load_plan_tables
from camlo.clean.reconcile import misprinted_part
from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT, N_INDICATORS
from camlo.text.labels import label
from camlo.text.numbers import pct, round_pct
from camlo.text.sentences import Listing, Prose, Sentence, Unit, say

MIN_DEPRIVATIONS, MAX_DEPRIVATIONS = DEPRIVATION_CUTOFF, N_INDICATORS

COLUMNS = ["check", "table", "unit", "column", "published", "expected", "difference",
           "status", "severity", "message", "resolution", "message_text", "resolution_text"]

#: A printed rate this far from its recomputation, relative to it, is a ``major`` finding: a
#: misprint that changes how the unit reads (Cam Tuyên's 3.76% for 7.36% halves the district's
#: highest rate), not a slip in the last decimal.
MAJOR_RATE_ERROR = 0.10
#: How an observed review's reference point is named in an audit text (its catalog sentence).
REVIEW_POINTS = {"start-of-year review": "audit_review_start", "end-of-year review": "audit_review_end"}


@dataclass(frozen=True)
class Figure:
    """A number quoted in an audit text: a count grouped, a rate (a ``float``) with 2 decimals,
    each as the reader's language writes it.

    Examples:
        >>> Figure(14905).text("vi"), Figure(7.36).text("en"), Figure(7.36).text("vi")
        ('14.905', '7.36', '7,36')
    """

    value: int | float

    def text(self, lang: str = "en") -> str:
        from camlo.text.numbers import format_number

        return format_number(self.value, lang, 2 if isinstance(self.value, float) else 0)


@dataclass(frozen=True)
class ColumnName:
    """A column of the cleaned tables named in an audit text: by its name where the audit's
    own table states it (:func:`audit`'s ``message`` and ``resolution``, for the command line
    and reviewers), by its label in the reader's language where a report shows the text.

    Examples:
        >>> ColumnName("csgn_reconciled").text("vi"), ColumnName("csgn_reconciled").code
        ('Hộ nghèo CSGN, đã đối chiếu', 'csgn_reconciled')
    """

    code: str

    def text(self, lang: str = "en") -> str:
        return label(self.code, lang)


def technical(text) -> str:
    """An audit text in English as :func:`audit`'s own table states it: columns by their names.

    Examples:
        >>> split = audit(tables).query("check == 'split'").iloc[0]
        >>> "column “csgn_reconciled”" in split["resolution"] == technical(split["resolution_text"])
        True
        >>> "cột “Hộ nghèo CSGN, đã đối chiếu”" in split["resolution_text"].text("vi")
        True
    """
    if text is None:
        return ""
    return _technical(text).text("en")


def _technical(value):
    if isinstance(value, ColumnName):
        return value.code
    if isinstance(value, Sentence):
        return Sentence(value.key, {k: _technical(v) for k, v in value.values.items()})
    if isinstance(value, Prose):
        return Prose(tuple(_technical(part) for part in value.parts), value.sep)
    return value


@dataclass(frozen=True)
class Comparison:
    """One published figure compared with what the other figures imply.

    ``finding`` and ``resolved`` are catalog sentences (:mod:`camlo.text.sentences`, keys
    ``audit_...``), written in a language when shown; :attr:`message` and :attr:`resolution`
    are their English, as :func:`audit`'s table states it.
    """

    check: str
    table: str
    unit: str
    column: str
    published: int | float
    expected: int | float
    ok: bool
    severity: str  # "major" (counts disagree, or a rate far off), "minor" (a rate slightly off), "rounding"
    finding: Sentence | Prose
    resolved: Sentence | Prose | None = None

    @property
    def message(self) -> str:
        return technical(self.finding)

    @property
    def resolution(self) -> str:
        return technical(self.resolved)


def _f(value) -> Figure:
    return Figure(value)


def rate_explanation(printed: float, count: int, denominator: int, district_households: int) -> Sentence | None:
    """What a printed rate that disagrees with its counts does match, as a catalog sentence
    (``None``: nothing simple); :func:`explain_rate` gives its English."""
    exact = pct(count, denominator)
    truncated = float(Decimal(exact.numerator * 100 // exact.denominator) / 100)
    recomputed = round_pct(exact)
    if abs(truncated - printed) < 1e-9:
        return say("audit_why_truncated", recomputed=_f(recomputed))
    if denominator != district_households and abs(round_pct(pct(count, district_households)) - printed) < 1e-9:
        return say("audit_why_district", printed=_f(printed))
    if sorted(f"{printed:.2f}") == sorted(f"{recomputed:.2f}"):
        return say("audit_why_transposed", recomputed=_f(recomputed))
    return None


def explain_rate(printed: float, count: int, denominator: int, district_households: int) -> str:
    """Say what a printed rate that disagrees with its counts does match, if anything.

    Examples:
        >>> explain_rate(3.76, 109, 1481, 14905)
        'the digits of the recomputed 7.36 transposed'
        >>> explain_rate(1.49, 33, 2223, 14905)
        'no simple explanation found'
        >>> print(explain_rate(0.28, 42, 1481, 14905))
        the count over the district's households (0.28%), not the unit's
    """
    why = rate_explanation(printed, count, denominator, district_households)
    return "no simple explanation found" if why is None else why.text("en")


def rate_severity(printed: float, recomputed: float, why: Sentence | None) -> str:
    """How much a printed rate that disagrees with its counts matters.

    ``rounding`` where the printed rate is the recomputed one truncated; ``major`` where it is
    off by more than :data:`MAJOR_RATE_ERROR` of the recomputed rate (a misprint that changes
    what the rate says, such as a unit's rate printed at half its value); ``minor`` otherwise
    (the last decimal).

    Examples:
        >>> rate_severity(3.76, 7.36, None), rate_severity(1.49, 1.48, None)
        ('major', 'minor')
        >>> rate_severity(0.67, 0.68, say("audit_why_truncated", recomputed=Figure(0.68)))
        'rounding'
    """
    if why is not None and why.key == "audit_why_truncated":
        return "rounding"
    off = abs(printed - recomputed) / recomputed if recomputed else float("inf")
    return "major" if off > MAJOR_RATE_ERROR else "minor"


def _rate_comparison(check: str, table: str, unit: str, column: str, printed: float,
                     count: int, denominator: int, district_households: int) -> Comparison:
    recomputed = round_pct(pct(count, denominator))
    ok = abs(recomputed - printed) < 1e-9
    why = None if ok else rate_explanation(printed, count, denominator, district_households)
    values = dict(printed=printed, count=count, denominator=denominator, recomputed=recomputed)
    return Comparison(
        check, table, unit, column, printed, recomputed, ok, "minor" if ok else rate_severity(printed, recomputed, why),
        say("audit_rate", **values) if why is None else say("audit_rate_matches", **values, why=why),
        None if ok else say("audit_rate_resolution", recomputed=recomputed),
    )


def _split_resolution(units: pd.DataFrame, total: pd.Series) -> Sentence | Prose:
    part = misprinted_part(units, total)
    if part is None:
        return say("audit_split_unresolved")
    fixed = units.assign(short=units["poor"] - units["btxh"] - units["csgn"]).query("short != 0")
    other = "btxh" if part == "csgn" else "csgn"
    cells = Prose(tuple(
        say("audit_split_cell", unit=Unit(row.unit, in_text=True), part=part.upper(), printed=int(getattr(row, part)),
            reconciled=int(row.poor - getattr(row, other)), poor=int(row.poor), other=other.upper(),
            other_count=int(getattr(row, other)))
        for row in fixed.itertuples()), sep="; ")
    rates = [
        say("audit_split_rate", unit=Unit(row.unit, in_text=True), part=part.upper(),
            rate=float(getattr(row, part + "_published_pct")), count=int(getattr(row, part)),
            households=int(row.households))
        for row in fixed.itertuples()
        if abs(round_pct(pct(getattr(row, part), row.households)) - getattr(row, part + "_published_pct")) < 1e-9
    ]
    return Prose((say("audit_split_resolution", part=part.upper(), column=ColumnName(f"{part}_reconciled"),
                      cells=cells, other=other.upper(), other_total=int(total[other]),
                      found=int(units[part].sum()), printed=int(total[part])), *rates))


def check_total_rows(p1: pd.DataFrame, t1: pd.Series, p2: pd.DataFrame, t2: pd.DataFrame
                     ) -> Iterator[Comparison]:
    """Each count column's unit rows against the printed total row, in both annexes."""
    split_fix = _split_resolution(p1, t1)
    for column in ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn"):
        found, printed = int(p1[column].sum()), int(t1[column])
        yield Comparison(
            "total_row", "phu_luc_1", DISTRICT, column, printed, found, found == printed, "major",
            say("audit_total_row", found=found, printed=printed),
            None if found == printed else (split_fix if column in ("btxh", "csgn") else
                                           say("audit_total_row_gap")),
        )
    sums = p2.groupby("indicator")["deprived"].sum()
    for row in t2.itertuples():
        found = int(sums[row.indicator])
        yield Comparison(
            "total_row", "phu_luc_2", DISTRICT, str(row.indicator), int(row.deprived), found,
            found == row.deprived, "major", say("audit_total_row", found=found, printed=int(row.deprived)),
            None if found == row.deprived else say("audit_total_row_units"),
        )
    found, printed = int(p2.groupby("unit", sort=False)["poor"].first().sum()), int(t2["poor"].iloc[0])
    yield Comparison("total_row", "phu_luc_2", DISTRICT, "poor", printed, found, found == printed, "major",
                     say("audit_total_row", found=found, printed=printed),
                     None if found == printed else say("audit_total_row_units"))


def check_rates(p1: pd.DataFrame, t1: pd.Series) -> Iterator[Comparison]:
    """Each printed rate in Phụ lục 1 against its count over the unit's households."""
    district = int(t1["households"])
    rows = [*p1.to_dict("records"), {**t1.to_dict(), "unit": DISTRICT}]
    for row in rows:
        for count in ("poor", "dtts_poor", "btxh", "csgn"):
            printed = row[f"{count}_published_pct"]
            if pd.isna(printed):
                continue
            yield _rate_comparison("rate", "phu_luc_1", row["unit"], f"{count}_published_pct",
                                   float(printed), int(row[count]), int(row["households"]), district)


def check_split(p1: pd.DataFrame, t1: pd.Series) -> Iterator[Comparison]:
    """BTXH + CSGN against poor households, per unit and for the printed total."""
    resolution = _split_resolution(p1, t1)
    rows = [*p1.to_dict("records"), {**t1.to_dict(), "unit": DISTRICT}]
    for row in rows:
        parts = int(row["btxh"]) + int(row["csgn"])
        ok = parts == int(row["poor"])
        yield Comparison(
            "split", "phu_luc_1", row["unit"], "btxh + csgn", parts, int(row["poor"]), ok, "major",
            say("audit_split", btxh=int(row["btxh"]), csgn=int(row["csgn"]), parts=parts, poor=int(row["poor"])),
            None if ok else resolution,
        )


def check_cross_table(p1: pd.DataFrame, t1: pd.Series, p2: pd.DataFrame, t2: pd.DataFrame
                      ) -> Iterator[Comparison]:
    """Phụ lục 2's poor households, unit by unit and in total, against Phụ lục 1's."""
    poor2 = p2.groupby("unit", sort=False)["poor"].first()
    order1, order2 = p1["unit"].tolist(), poor2.index.tolist()
    yield Comparison("cross_table", "phu_luc_2", DISTRICT, "unit", len(order2), len(order1),
                     order1 == order2, "major", say("audit_cross_order") if order1 == order2 else
                     say("audit_cross_order_differs", first=Listing(map(Unit, order1)),
                         second=Listing(map(Unit, order2))))
    for row in p1.itertuples():
        if row.unit in poor2.index:
            printed = int(poor2[row.unit])
            yield Comparison("cross_table", "phu_luc_2", row.unit, "poor", printed, int(row.poor),
                             printed == row.poor, "major",
                             say("audit_cross_unit", printed=printed, annex_1=int(row.poor)))
    printed = int(t2["poor"].iloc[0])
    yield Comparison("cross_table", "phu_luc_2", DISTRICT, "poor", printed, int(t1["poor"]),
                     printed == int(t1["poor"]), "major",
                     say("audit_cross_total", printed=printed, annex_1=int(t1["poor"])))


def check_headline(headline: pd.DataFrame, t1: pd.Series) -> Iterator[Comparison]:
    """Section I's counts against Phụ lục 1's total row, and against each other."""
    figures = headline.set_index("key")["count"]
    for key in ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn"):
        printed, annex = int(figures[key]), int(t1[key])
        yield Comparison("headline", "section_1", DISTRICT, key, printed, annex, printed == annex, "major",
                         say("audit_headline", printed=printed, annex=annex),
                         None if printed == annex else say("audit_headline_resolution"))
    both = int(figures["poor"]) + int(figures["near_poor"])
    printed = int(figures["poor_and_near_poor"])
    yield Comparison("headline", "section_1", DISTRICT, "poor_and_near_poor", printed, both, printed == both,
                     "major", say("audit_headline_sum", printed=printed, poor=int(figures["poor"]),
                                  near_poor=int(figures["near_poor"]), both=both))
    parts = int(figures["btxh"]) + int(figures["csgn"])
    yield Comparison("headline", "section_1", DISTRICT, "btxh + csgn", parts, int(figures["poor"]),
                     parts == int(figures["poor"]), "major",
                     say("audit_headline_split", btxh=int(figures["btxh"]), csgn=int(figures["csgn"]), parts=parts,
                         poor=int(figures["poor"])))


def check_headline_rates(headline: pd.DataFrame) -> Iterator[Comparison]:
    """Section I's printed rates against its counts over its households."""
    households = int(headline.set_index("key").loc["households", "count"])
    for row in headline.dropna(subset=["published_pct"]).itertuples():
        yield _rate_comparison("headline_rate", "section_1", DISTRICT, row.key, float(row.published_pct),
                               int(row.count), households, households)


def check_deprivations(p2: pd.DataFrame) -> Iterator[Comparison]:
    """Each deprivation count against the unit's poor households (the cap)."""
    for row in p2.itertuples():
        ok = row.deprived <= row.poor
        yield Comparison("deprivation_cap", "phu_luc_2", row.unit, str(row.indicator), int(row.deprived),
                         int(row.poor), ok, "major", say("audit_cap", deprived=int(row.deprived), poor=int(row.poor)))


def check_deprivation_sums(p2: pd.DataFrame, t2: pd.DataFrame) -> Iterator[Comparison]:
    """A unit's total deprivations against 3q and 12q, the bounds Decree 07/2021 implies."""
    per_unit = p2.groupby("unit", sort=False).agg(total=("deprived", "sum"), poor=("poor", "first"))
    per_unit.loc[DISTRICT] = [int(t2["deprived"].sum()), int(t2["poor"].iloc[0])]
    for unit, row in per_unit.iterrows():
        low, high = MIN_DEPRIVATIONS * int(row.poor), MAX_DEPRIVATIONS * int(row.poor)
        total = int(row.total)
        ok = low <= total <= high
        bound = low if total < low else high
        values = dict(total=total, poor=int(row.poor), mean=total / row.poor, low=low, high=high)
        yield Comparison(
            "deprivation_sum", "phu_luc_2", unit, "1–12", total, int(bound if not ok else low),
            ok, "major",
            say("audit_sum", **values) if ok or total > high else say("audit_sum_short", **values, missing=low - total),
            None if ok else say("audit_sum_resolution", cutoff=MIN_DEPRIVATIONS, indicators=MAX_DEPRIVATIONS),
        )


def check_observed_sums(observed: pd.DataFrame, p1: pd.DataFrame, register: pd.DataFrame) -> Iterator[Comparison]:
    """Each observed review's parts against its district row, where both are there to compare.

    The parts are the review's other rows: the plan's units, and from 1 July 2025 the communes
    that replaced them (each covering its former units, see :func:`camlo.units`). Where they
    cover every unit of Phụ lục 1 exactly once (the 8 units, the two communes, or a mix), each
    count summed over them must equal the district row's; a column is compared only where every
    one of those rows has a value (near-poor, household and ethnic-minority counts may be
    blank). Parts that cover only some units add up to nothing the district row prints, except
    that they cannot exceed it: only that is reported for them. The loader has already refused
    a review that reports an area twice (a commune and one of its former units).

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`).
        p1: Phụ lục 1's unit rows (:func:`camlo.load_households`), the units a review must cover.
        register: The unit register (:func:`camlo.units`), which says what each commune covers.
    """
    merged = register.set_index("unit")["predecessors"]
    units = p1["unit"].tolist()
    columns = [c for c in ("poor", "near_poor", "households", "poor_dtts", "near_poor_dtts") if c in observed]
    for (year, point), review in observed.groupby(["year", "reference_point"], sort=False):
        rows = review.set_index("unit")
        if DISTRICT not in rows.index:
            continue
        parts = rows.drop(index=DISTRICT)
        covered = [u for unit in parts.index for u in (merged[unit].split(";") if merged.get(unit) else [unit])]
        whole = sorted(covered) == sorted(units)
        what = (say("audit_observed_units") if sorted(parts.index) == sorted(units)
                else say("audit_observed_parts", parts=", ".join(parts.index)))
        for column in columns:
            values = parts[column]
            printed = rows.loc[DISTRICT, column]
            if parts.empty or values.isna().any() or pd.isna(printed):
                continue
            found, printed = int(values.sum()), int(printed)
            ok = found == printed if whole else found <= printed
            if not whole and ok:
                continue
            yield Comparison(
                "observed_sum", "observed_reviews", DISTRICT, column, printed, found, ok, "major",
                say("audit_observed" if whole else "audit_observed_part", year=str(year),
                    review=say(REVIEW_POINTS[point]) if point in REVIEW_POINTS else str(point),
                    what=what, found=found, printed=printed),
                None if ok else say("audit_observed_resolution"),
            )


def audit(tables: PlanTables, *, include_passing: bool = False, observed_sums: bool = False) -> pd.DataFrame:
    """Run every consistency check on a set of the plan's tables.

    Args:
        tables: The tables (:func:`camlo.load_plan_tables`, or the caller's): both annexes
            with their total rows, section I and, with ``observed_sums``, the observed reviews.
        include_passing: Also return the comparisons that agree (``status == "ok"``), e.g.
            for a published-versus-recomputed table.
        observed_sums: Also check each observed review's parts against its district row
            (``observed_sum``); off by default, the annexes' checks alone.

    Returns:
        One row per finding with columns ``check``, ``table``, ``unit`` (a unit's name or
        ``district``), ``column``, ``published``, ``expected``, ``difference``, ``status``,
        ``severity`` (``major``: counts disagree, or a rate off by more than
        :data:`MAJOR_RATE_ERROR` of its recomputation; ``minor``: a rate slightly off;
        ``rounding``: a rate truncated), ``message`` and ``resolution`` (English, columns by
        their names), and ``message_text`` and ``resolution_text``, the same as catalog
        sentences to write in a reader's language (``None`` where nothing is resolved).

    Examples:
        >>> findings = audit(tables)
        >>> findings.groupby("check").size().to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'deprivation_sum': 2, 'headline_rate': 1, 'rate': 3, 'split': 1, 'total_row': 1}
    """
    units, total1 = tables.households, tables.household_totals.iloc[0]
    deprivations, total2, headline = tables.deprivations, tables.deprivation_totals, tables.headline
    comparisons = [
        *check_total_rows(units, total1, deprivations, total2),
        *check_rates(units, total1),
        *check_split(units, total1),
        *check_cross_table(units, total1, deprivations, total2),
        *check_headline(headline, total1),
        *check_headline_rates(headline),
        *check_deprivations(deprivations),
        *check_deprivation_sums(deprivations, total2),
        *(check_observed_sums(tables.observed, units, tables.register) if observed_sums else ()),
    ]
    fields = ("check", "table", "unit", "column", "published", "expected", "ok", "severity")
    frame = pd.DataFrame({name: pd.Series([getattr(c, name) for c in comparisons], dtype=object)
                          for name in fields})  # counts stay whole numbers, rates stay decimals
    frame["ok"] = frame["ok"].astype(bool)
    frame["message"] = [c.message for c in comparisons]
    frame["resolution"] = [c.resolution for c in comparisons]
    frame["message_text"] = pd.Series([c.finding for c in comparisons], dtype=object)
    frame["resolution_text"] = pd.Series([c.resolved for c in comparisons], dtype=object)
    frame["status"] = frame.pop("ok").map({True: "ok", False: "mismatch"})
    frame["difference"] = pd.Series([
        round(p - e, 2) if isinstance(p, float) or isinstance(e, float) else p - e
        for p, e in zip(frame["published"], frame["expected"])
    ], dtype=object)
    if not include_passing:
        frame = frame[frame["status"] == "mismatch"]
    return frame[COLUMNS].reset_index(drop=True)


def audit_with_default(tables: PlanTables | None = None, *, include_passing: bool = False,
                       observed_sums: bool = False) -> pd.DataFrame:
    """``camlo.audit``, the public entry point: :func:`audit` of ``tables``, the shipped ones when none.

    Only here, at the package's surface, are the shipped files a default
    (:func:`camlo.load_plan_tables`); the steps below take their tables.

    Examples:
        >>> audit_with_default().equals(audit(tables))
        True
    """
    return audit(load_plan_tables() if tables is None else tables, include_passing=include_passing,
                 observed_sums=observed_sums)
