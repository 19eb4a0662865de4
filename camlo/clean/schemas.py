"""pandera schemas for the cleaned tables: what each loader's output must be, and why.

Parsing (``camlo.clean.parsing``) turns printed cells into numbers and refuses what is not a number
of the column's kind (a decimal in a count, ``0.220`` pasted into a count, a rate above
100%, a year with decimals). These schemas then check each cleaned table as a whole: types,
ranges, uniqueness, and the counts that must nest inside one table (a part is never larger
than its whole). Each check carries the reason it holds, which :func:`validate` puts in the
:class:`camlo.DataError` it raises, naming the file, the row and the column.

What is plausible, table by table:

- Phụ lục 1 (``HOUSEHOLDS``, and ``HOUSEHOLD_TOTALS`` for its total row): a unit has at least
  one household; poor, ethnic-minority (DTTS), BTXH and CSGN households are subsets of its
  households, and BTXH (unable to escape poverty) and CSGN (able to escape) households are
  each subsets of its poor households; every printed rate is a percentage, 0 to 100. Whether
  BTXH + CSGN add up to the poor households, and whether the total row is the sum of the units,
  is not a loader's question: :func:`camlo.audit` reports it (Cam Tuyên's split does not add up
  in the plan itself).
- Phụ lục 2 (``DEPRIVATIONS``): indicators numbered 1 to 12, each unit and indicator once,
  and no more poor households deprived in an indicator than the unit has poor households.
- Section I (``HEADLINE``): one row for each of the eight figures the plan prints
  (``HEADLINE_KEYS``); each count no larger than the figure it is part of (``HEADLINE_PARTS``:
  the poor are part of the poor and near-poor, BTXH part of the poor, …); rates 0 to 100.
- Section II (``TARGETS``): targets named ``T01``, ``T02``, … once each, T01 (the reduction in
  poor households) among them; a threshold is a percentage, 0 to 100; a deadline is a year
  from the plan's own (2022) on, since a target cannot fall due before the plan that sets it.
- Context rates (``POVERTY_RATES``): years from 2000 on (the series are of the 2021–2025 and
  later standards), the poor rate no larger than the poor-and-near-poor rate.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from camlo.errors import DataError

#: The first year of a plan made under the 2022–2025 standard (Plan 23/KH-UBND, 18 Feb 2022).
PLAN_YEAR = 2022
#: The largest monthly income per person read from household records (VND): ten billion, some
#: 6,700 times the rural poverty line of 1,500,000.
MAX_INCOME_PER_PERSON = 10_000_000_000


def _count(*checks: pa.Check) -> pa.Column:
    return pa.Column("int64", [pa.Check.ge(0, error="a count of households, 0 or more"), *checks],
                     nullable=False)


_pct = dict(dtype="float64", checks=pa.Check.in_range(0, 100, error="a rate in %, from 0 to 100"),
            nullable=True)


def _part_of(part: str, whole: str, why: str) -> pa.Check:
    """A check across columns: ``part <= whole`` on every row, with the reason."""
    return pa.Check(lambda df: df[part] <= df[whole], name=f"{part} <= {whole}", error=f"{part} <= {whole}: {why}")


_HOUSEHOLD_COLUMNS = {
    "households": _count(pa.Check.ge(1, error="at least one household: a unit with none is not a unit "
                                              "of the review")),
    "dtts_households": _count(),
    "poor": _count(),
    "poor_published_pct": pa.Column(**_pct),
    "dtts_poor": _count(),
    "dtts_poor_published_pct": pa.Column(**_pct),
    "btxh": _count(),
    "btxh_published_pct": pa.Column(**_pct),
    "csgn": _count(),
    "csgn_published_pct": pa.Column(**_pct),
}
_HOUSEHOLD_CHECKS = [
    _part_of("poor", "households", "poor households are households of the unit"),
    _part_of("dtts_households", "households", "ethnic-minority households are households of the unit"),
    _part_of("dtts_poor", "poor", "poor ethnic-minority households are poor households"),
    _part_of("dtts_poor", "dtts_households", "poor ethnic-minority households are ethnic-minority households"),
    _part_of("btxh", "poor", "BTXH households are the poor households unable to escape poverty"),
    _part_of("csgn", "poor", "CSGN households are the poor households able to escape poverty"),
]

HOUSEHOLDS = pa.DataFrameSchema(
    {"unit": pa.Column(str, unique=True), **_HOUSEHOLD_COLUMNS},
    checks=_HOUSEHOLD_CHECKS, strict=True, ordered=True,
)

#: Phụ lục 1's printed total row: the same plausibility as a unit's row.
HOUSEHOLD_TOTALS = pa.DataFrameSchema(
    {"unit": pa.Column(str), **_HOUSEHOLD_COLUMNS},
    checks=_HOUSEHOLD_CHECKS, strict=True, ordered=True,
)

DEPRIVATIONS = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "indicator": pa.Column("int64", pa.Check.in_range(1, 12, error="an indicator numbered 1 to 12 "
                                                                       "(Decree 07/2021/NĐ-CP)")),
        "deprived": _count(),
        "poor": _count(),
    },
    checks=[_part_of("deprived", "poor", "the deprived are counted among the unit's poor households")],
    unique=["unit", "indicator"],
    strict=True,
    ordered=True,
)

#: Section I's figures, each with what it counts.
HEADLINE_KEYS = {
    "households": "households of the district",
    "dtts_households": "ethnic-minority households",
    "poor_and_near_poor": "poor and near-poor households",
    "poor": "poor households",
    "dtts_poor": "poor ethnic-minority households",
    "btxh": "poor households unable to escape poverty (BTXH)",
    "csgn": "poor households able to escape poverty (CSGN)",
    "near_poor": "near-poor households",
}
#: Each section I figure that is part of another: ``{part: whole}``.
HEADLINE_PARTS = {
    "dtts_households": "households", "poor_and_near_poor": "households", "poor": "poor_and_near_poor",
    "near_poor": "poor_and_near_poor", "dtts_poor": "poor", "btxh": "poor", "csgn": "poor",
}

HEADLINE = pa.DataFrameSchema(
    {
        "key": pa.Column(str, pa.Check.isin(list(HEADLINE_KEYS), error="one of the figures section I "
                                                f"prints: {', '.join(HEADLINE_KEYS)}"), unique=True),
        "count": _count(),
        "published_pct": pa.Column(**_pct),
        "phrase": pa.Column(str),
    },
    strict=True,
    ordered=True,
)

TARGETS = pa.DataFrameSchema(
    {
        "target": pa.Column(str, pa.Check.str_matches(r"^T\d{2}$", error="a target named T01, T02, …"),
                            unique=True),
        "sentence": pa.Column(str, pa.Check.str_length(min_value=1, error="the target's sentence as printed")),
        "threshold_pct": pa.Column("float64", pa.Check.in_range(0, 100, error="a share in %, from 0 to 100"),
                                   nullable=True),
        "deadline": pa.Column("int64", pa.Check.in_range(PLAN_YEAR, 2100, error=f"a year from {PLAN_YEAR} on: "
                                                         "a target cannot fall due before the plan sets it")),
    },
    strict=True,
    ordered=True,
)

_nullable_count = pa.Column("Int64", pa.Check.ge(0, error="a count of households, 0 or more"), nullable=True)

POVERTY_RATES = pa.DataFrameSchema(
    {
        "area": pa.Column(str, pa.Check.str_length(min_value=1, error="the area's name")),
        "year": pa.Column("int64", pa.Check.in_range(2000, 2100, error="the year of a review, from 2000 on")),
        "poor_households": _nullable_count,
        "poor_rate_pct": pa.Column(**{**_pct, "nullable": False}),
        "near_poor_households": _nullable_count,
        "near_poor_rate_pct": pa.Column(**_pct),
        "poor_and_near_poor_rate_pct": pa.Column(**_pct),
        "source_title": pa.Column(str, pa.Check.str_length(min_value=1, error="the source of the row")),
    },
    checks=[pa.Check(lambda df: ~(df["poor_rate_pct"] > df["poor_and_near_poor_rate_pct"]),
                     name="poor_rate_pct <= poor_and_near_poor_rate_pct",
                     error="poor_rate_pct <= poor_and_near_poor_rate_pct: the poor are among the poor and "
                           "near-poor")],
    unique=["area", "year", "reference_point"],
)


def validate(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    *,
    file: Path,
    labels: dict[str, str],
    row_key: str = "unit",
) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; raise a DataError for the first failure.

    Args:
        schema: One of the schemas above.
        frame: The cleaned table.
        file: The file it was read from.
        labels: Printed column names, by cleaned column name, for the message.
        row_key: The column that names each row (the unit, the figure, the target).

    Returns:
        ``frame`` unchanged, when it passes.

    Raises:
        DataError: naming the file, the row and the column of the first failing cell (in
            the order of the file), what it holds and what was expected, and why.
    """
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    columns = list(frame.columns)
    order = cases.assign(
        _row=pd.to_numeric(cases["index"], errors="coerce").fillna(-1),
        _column=cases["column"].map(lambda c: columns.index(c) if c in columns else -1),
    ).sort_values(["_row", "_column"], kind="stable")
    case = order.iloc[0]
    index = case["index"]
    found = index is not None and not pd.isna(index) and index in frame.index
    row = frame.loc[index, row_key] if found and row_key in frame.columns else None
    check = str(case["check"])
    if case["schema_context"] == "DataFrameSchema" and "<=" in check.split(":")[0]:
        # a check across columns, named "part <= whole: why"
        relation, _, why = check.partition(":")
        part, whole = (side.strip() for side in relation.split("<="))
        message = (f"expected {labels.get(part, part)} <= {labels.get(whole, whole)}, got "
                   f"{_plain(frame.loc[index, part])!r} > {_plain(frame.loc[index, whole])!r} "
                   f"({relation.strip()}):{why}")
        column = part
    elif not found:  # a type or a uniqueness failure over the whole column
        column = case["column"]
        message = f"failed check {check}, found {_plain(case['failure_case'])!r}"
    else:
        column = case["column"]
        message = f"expected {check}, got {_plain(case['failure_case'])!r}"
    raise DataError(message, file=file, row=row, column=labels.get(column, column))


def _plain(value):
    """A numpy scalar as the Python number it holds, for a readable message."""
    return value.item() if hasattr(value, "item") else value


def records_schema(units: tuple[str, ...], unique_ids: bool = True) -> pa.DataFrameSchema:
    """The contract of household records (``camlo.load_records``), for the given units.

    Columns as in ``data/reference/record_dictionary.csv``; ``income_score``,
    ``deprivation_score``, ``excluded`` and ``status_recorded`` only where the file has them;
    ``income_per_person`` missing only for a household scored instead or excluded. ``unique_ids=False`` for a batch of a file checked as a whole.
    """
    flag = dict(dtype="int8", checks=pa.Check.isin([0, 1]), nullable=False)
    return pa.DataFrameSchema(
        {
            "household_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=unique_ids),
            "unit": pa.Column(pd.CategoricalDtype(list(units)), nullable=False),
            "area": pa.Column(pd.CategoricalDtype(["rural", "urban"]), nullable=False),
            "members": pa.Column("int64", pa.Check.ge(1)),
            "income_per_person": pa.Column("float64", [
                pa.Check.ge(0),
                pa.Check.le(MAX_INCOME_PER_PERSON, error=f"at most {MAX_INCOME_PER_PERSON:,} VND a month: a larger "
                            "income per person is a typing or export error, not a household's income"),
            ], nullable=True),
            "income_score": pa.Column("float64", pa.Check.ge(0), nullable=True, required=False),
            "deprivation_score": pa.Column("Int64", pa.Check.ge(0), nullable=True, required=False),
            **{f"d{j}": pa.Column(**flag) for j in range(1, 13)},
            "ethnic_minority": pa.Column(**flag),
            "btxh": pa.Column(**flag),
            "excluded": pa.Column(**flag, required=False),
            "status_recorded": pa.Column(pd.CategoricalDtype(["poor", "near_poor"]), nullable=True,
                                         required=False),
        },
        strict=True,
        ordered=True,
    )
