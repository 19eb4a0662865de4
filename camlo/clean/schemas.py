"""pandera schemas for the cleaned tables: the contract every loader's output meets.

Parsing (``camlo.clean.parsing``) turns printed cells into numbers; these schemas then check the
cleaned frame as a whole (types, ranges, uniqueness, counts that must nest), and
:func:`validate` turns pandera's report into a :class:`camlo.DataError` that names the file,
the unit and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from camlo.errors import DataError

_count = dict(dtype="int64", checks=pa.Check.ge(0), nullable=False)
_pct = dict(dtype="float64", checks=pa.Check.in_range(0, 100), nullable=True)

HOUSEHOLDS = pa.DataFrameSchema(
    {
        "unit": pa.Column(str, unique=True),
        "households": pa.Column(**_count),
        "dtts_households": pa.Column(**_count),
        "poor": pa.Column(**_count),
        "poor_published_pct": pa.Column(**_pct),
        "dtts_poor": pa.Column(**_count),
        "dtts_poor_published_pct": pa.Column(**_pct),
        "btxh": pa.Column(**_count),
        "btxh_published_pct": pa.Column(**_pct),
        "csgn": pa.Column(**_count),
        "csgn_published_pct": pa.Column(**_pct),
    },
    checks=[
        pa.Check(lambda df: df["poor"] <= df["households"], name="poor <= households"),
        pa.Check(lambda df: df["dtts_households"] <= df["households"], name="dtts_households <= households"),
        pa.Check(lambda df: df["dtts_poor"] <= df["poor"], name="dtts_poor <= poor"),
        pa.Check(lambda df: df["dtts_poor"] <= df["dtts_households"], name="dtts_poor <= dtts_households"),
    ],
    strict=True,
    ordered=True,
)

DEPRIVATIONS = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "indicator": pa.Column("int64", pa.Check.in_range(1, 12)),
        "deprived": pa.Column(**_count),
        "poor": pa.Column(**_count),
    },
    checks=[
        pa.Check(lambda df: df["deprived"] <= df["poor"], name="deprived <= poor"),
    ],
    unique=["unit", "indicator"],
    strict=True,
    ordered=True,
)


def validate(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, *, file: Path, labels: dict[str, str]
) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; raise a DataError for the first failure.

    Args:
        schema: One of the schemas above.
        frame: The cleaned table, with a ``unit`` column naming each row.
        file: The file it was read from.
        labels: Printed column names, by cleaned column name, for the message.

    Returns:
        ``frame`` unchanged, when it passes.

    Raises:
        DataError: naming the file, the unit and the column of the first failing cell.
    """
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        index = case["index"]
        row = frame.loc[index, "unit"] if index in frame.index else None
        check = str(case["check"])
        if case["schema_context"] != "DataFrameSchema":
            column = case["column"]
            message = f"failed check {check!r} with value {case['failure_case']!r}"
        else:  # a check across columns, named "left <= right"
            column, right = (part.strip() for part in check.split("<="))
            message = (f"expected {column} <= {right}, got {frame.loc[index, column]!r} > "
                       f"{frame.loc[index, right]!r}")
        raise DataError(message, file=file, row=row, column=labels.get(column, column)) from None


def records_schema(units: tuple[str, ...], unique_ids: bool = True) -> pa.DataFrameSchema:
    """The contract of household records (``camlo.load_records``), for the given units.

    Columns as in ``data/reference/record_dictionary.csv``; ``status_recorded`` only where the
    file has it. ``unique_ids=False`` for a batch of a file checked as a whole.
    """
    flag = dict(dtype="int8", checks=pa.Check.isin([0, 1]), nullable=False)
    return pa.DataFrameSchema(
        {
            "household_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=unique_ids),
            "unit": pa.Column(pd.CategoricalDtype(list(units)), nullable=False),
            "area": pa.Column(pd.CategoricalDtype(["rural", "urban"]), nullable=False),
            "members": pa.Column("int64", pa.Check.ge(1)),
            "income_per_person": pa.Column("float64", pa.Check.ge(0), nullable=False),
            **{f"d{j}": pa.Column(**flag) for j in range(1, 13)},
            "ethnic_minority": pa.Column(**flag),
            "btxh": pa.Column(**flag),
            "status_recorded": pa.Column(pd.CategoricalDtype(["poor", "near_poor"]), nullable=True,
                                         required=False),
        },
        strict=True,
        ordered=True,
    )
