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
from dataclasses import asdict, dataclass
from decimal import Decimal

import pandas as pd

from camlo.clean.plan_tables import PlanTables, load_plan_tables
from camlo.clean.reconcile import misprinted_part
from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT, N_INDICATORS
from camlo.text.numbers import pct, round_pct

MIN_DEPRIVATIONS, MAX_DEPRIVATIONS = DEPRIVATION_CUTOFF, N_INDICATORS

COLUMNS = ["check", "table", "unit", "column", "published", "expected", "difference",
           "status", "severity", "message", "resolution"]


@dataclass(frozen=True)
class Comparison:
    """One published figure compared with what the other figures imply."""

    check: str
    table: str
    unit: str
    column: str
    published: int | float
    expected: int | float
    ok: bool
    severity: str  # "major" (counts disagree), "minor" (a rate disagrees), "rounding"
    message: str
    resolution: str = ""


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
    exact = pct(count, denominator)
    truncated = float(Decimal(exact.numerator * 100 // exact.denominator) / 100)
    recomputed = round_pct(exact)
    if abs(truncated - printed) < 1e-9:
        return f"{recomputed:.2f} truncated instead of rounded"
    if denominator != district_households and abs(round_pct(pct(count, district_households)) - printed) < 1e-9:
        return f"the count over the district's households ({printed:.2f}%), not the unit's"
    if sorted(f"{printed:.2f}") == sorted(f"{recomputed:.2f}"):
        return f"the digits of the recomputed {recomputed:.2f} transposed"
    return "no simple explanation found"


def _rate_comparison(check: str, table: str, unit: str, column: str, printed: float,
                     count: int, denominator: int, district_households: int) -> Comparison:
    recomputed = round_pct(pct(count, denominator))
    ok = abs(recomputed - printed) < 1e-9
    why = "" if ok else explain_rate(printed, count, denominator, district_households)
    severity = "rounding" if "truncated" in why else "minor"
    return Comparison(
        check, table, unit, column, printed, recomputed, ok, severity,
        f"printed {printed:.2f}%, counts give {count}/{denominator} = {recomputed:.2f}%"
        + (f"; matches {why}" if why and why != "no simple explanation found" else ""),
        "" if ok else f"The analysis recomputes every rate from the counts ({recomputed:.2f}%).",
    )


def _split_resolution(units: pd.DataFrame, total: pd.Series) -> str:
    part = misprinted_part(units, total)
    if part is None:
        return "Unresolved: the column totals do not single out the misprinted part; values used as printed."
    fixed = units.assign(short=units["poor"] - units["btxh"] - units["csgn"]).query("short != 0")
    other = "btxh" if part == "csgn" else "csgn"
    cells = "; ".join(
        f"{row.unit}: {part.upper()} {getattr(row, part)} -> {row.poor - getattr(row, other)} "
        f"(= poor {row.poor} - {other.upper()} {getattr(row, other)})" for row in fixed.itertuples()
    )
    rates = "".join(
        f" {row.unit}'s printed {part.upper()} rate {getattr(row, part + '_published_pct'):.2f}% is "
        f"{getattr(row, part)}/{row.households}: the rate was computed from the misprinted count."
        for row in fixed.itertuples()
        if abs(round_pct(pct(getattr(row, part), row.households)) - getattr(row, part + "_published_pct")) < 1e-9
    )
    return (f"{part.upper()} reconciled in column {part}_reconciled ({cells}). Evidence: the "
            f"{other.upper()} column adds up to its printed total ({int(total[other])}) while the "
            f"{part.upper()} column adds up to {int(units[part].sum())} against a printed "
            f"{int(total[part])}, a gap equal to the units' shortfall.{rates}")


def check_total_rows(p1: pd.DataFrame, t1: pd.Series, p2: pd.DataFrame, t2: pd.DataFrame
                     ) -> Iterator[Comparison]:
    """Each count column's unit rows against the printed total row, in both annexes."""
    split_fix = _split_resolution(p1, t1)
    for column in ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn"):
        found, printed = int(p1[column].sum()), int(t1[column])
        yield Comparison(
            "total_row", "phu_luc_1", DISTRICT, column, printed, found, found == printed, "major",
            f"units add up to {found}, total row prints {printed}",
            "" if found == printed else (split_fix if column in ("btxh", "csgn") else
                                         "The analysis uses the unit rows and reports the gap."),
        )
    sums = p2.groupby("indicator")["deprived"].sum()
    for row in t2.itertuples():
        found = int(sums[row.indicator])
        yield Comparison(
            "total_row", "phu_luc_2", DISTRICT, str(row.indicator), int(row.deprived), found,
            found == row.deprived, "major", f"units add up to {found}, total row prints {row.deprived}",
            "" if found == row.deprived else "The analysis uses the unit rows.",
        )
    found, printed = int(p2.groupby("unit", sort=False)["poor"].first().sum()), int(t2["poor"].iloc[0])
    yield Comparison("total_row", "phu_luc_2", DISTRICT, "poor", printed, found, found == printed, "major",
                     f"units add up to {found}, total row prints {printed}",
                     "" if found == printed else "The analysis uses the unit rows.")


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
            f"BTXH {row['btxh']} + CSGN {row['csgn']} = {parts}, poor households {row['poor']}",
            "" if ok else resolution,
        )


def check_cross_table(p1: pd.DataFrame, t1: pd.Series, p2: pd.DataFrame, t2: pd.DataFrame
                      ) -> Iterator[Comparison]:
    """Phụ lục 2's poor households, unit by unit and in total, against Phụ lục 1's."""
    poor2 = p2.groupby("unit", sort=False)["poor"].first()
    order1, order2 = p1["unit"].tolist(), poor2.index.tolist()
    yield Comparison("cross_table", "phu_luc_2", DISTRICT, "unit", len(order2), len(order1),
                     order1 == order2, "major", "both annexes list the same units in the same order"
                     if order1 == order2 else f"units differ: {order1} vs {order2}")
    for row in p1.itertuples():
        if row.unit in poor2.index:
            printed = int(poor2[row.unit])
            yield Comparison("cross_table", "phu_luc_2", row.unit, "poor", printed, int(row.poor),
                             printed == row.poor, "major",
                             f"Phụ lục 2 prints {printed}, Phụ lục 1 prints {row.poor}")
    printed = int(t2["poor"].iloc[0])
    yield Comparison("cross_table", "phu_luc_2", DISTRICT, "poor", printed, int(t1["poor"]),
                     printed == int(t1["poor"]), "major",
                     f"Phụ lục 2 total prints {printed}, Phụ lục 1 total prints {int(t1['poor'])}")


def check_headline(headline: pd.DataFrame, t1: pd.Series) -> Iterator[Comparison]:
    """Section I's counts against Phụ lục 1's total row, and against each other."""
    figures = headline.set_index("key")["count"]
    for key in ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn"):
        printed, annex = int(figures[key]), int(t1[key])
        yield Comparison("headline", "section_1", DISTRICT, key, printed, annex, printed == annex, "major",
                         f"section I prints {printed}, Phụ lục 1's total row {annex}",
                         "" if printed == annex else "The analysis uses the annex.")
    both = int(figures["poor"]) + int(figures["near_poor"])
    printed = int(figures["poor_and_near_poor"])
    yield Comparison("headline", "section_1", DISTRICT, "poor_and_near_poor", printed, both, printed == both,
                     "major", f"section I prints {printed}; poor {figures['poor']} + near-poor "
                     f"{figures['near_poor']} = {both}")
    parts = int(figures["btxh"]) + int(figures["csgn"])
    yield Comparison("headline", "section_1", DISTRICT, "btxh + csgn", parts, int(figures["poor"]),
                     parts == int(figures["poor"]), "major",
                     f"unable to escape {figures['btxh']} + able to escape {figures['csgn']} = {parts}, "
                     f"poor {figures['poor']}")


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
                         int(row.poor), ok, "major",
                         f"{row.deprived} deprived of {row.poor} poor households")


def check_deprivation_sums(p2: pd.DataFrame, t2: pd.DataFrame) -> Iterator[Comparison]:
    """A unit's total deprivations against 3q and 12q, the bounds Decree 07/2021 implies."""
    per_unit = p2.groupby("unit", sort=False).agg(total=("deprived", "sum"), poor=("poor", "first"))
    per_unit.loc[DISTRICT] = [int(t2["deprived"].sum()), int(t2["poor"].iloc[0])]
    for unit, row in per_unit.iterrows():
        low, high = MIN_DEPRIVATIONS * row.poor, MAX_DEPRIVATIONS * row.poor
        ok = low <= row.total <= high
        bound = low if row.total < low else high
        yield Comparison(
            "deprivation_sum", "phu_luc_2", unit, "1–12", int(row.total), int(bound if not ok else low),
            ok, "major",
            f"{row.total} deprivations among {row.poor} poor households (mean {row.total / row.poor:.2f}); "
            f"the standard requires {low} to {high}"
            + ("" if ok else f": at least {low - row.total} deprivations missing"),
            "" if ok else "Counts used as printed: no correction is possible without household records. "
            "The unit's intensity A falls below 3/12 as a result; notebook 02 says so.",
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
        what = "units" if sorted(parts.index) == sorted(units) else f"its parts ({', '.join(parts.index)})"
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
                f"{year} {point}: {what} add up to {found}, the district row prints {printed}"
                + ("" if whole else ", and they cover only part of the district"),
                "" if ok else "The review's status uses its district row, as printed, and each part for its own "
                "area (poverty_target_status by='successor' or 'unit'); the two are never added together. The "
                "gap is reported here, not resolved.",
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
        ``severity``, ``message`` and ``resolution``.

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
    frame = pd.DataFrame([asdict(c) for c in comparisons])
    for column in ("published", "expected"):  # counts stay whole numbers, rates stay decimals
        frame[column] = pd.Series([getattr(c, column) for c in comparisons], dtype=object)
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
