"""Households counted by group, status and deprivation pattern: the one pass over records.

Every measure that household records settle (Alkire–Foster at any cutoff, the distribution of
deprivation scores, the overlap of two deprivations) is a function of how many households of
each group and status have each *pattern* of deprivations: which of the 12 indicators they are
deprived in, one of 2¹² = 4,096 patterns. :func:`pattern_counts` makes that table in one
vectorised pass (a single ``numpy.bincount`` over a combined key); everything after it works
on the small table, never on the records again. Counts are integers, so every measure built
from them is exact.

Records are the household records of the review (one row per household; the columns
``household_id``, ``unit``, ``d1`` … ``d12`` and, once classified, ``status`` and optionally
``status_recorded``). Functions here read them and never keep or return a household's row:
only counts leave this module, and an error names a household by its place in the records
(``record 3``), never by its ``household_id``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from camlo.clean.standard import ABOVE_POOR_LINE, EXCLUDED
from camlo.errors import DataError

#: The statuses of Decree 07/2021 Article 3, in this order everywhere.
STATUSES = ("poor", "near_poor", "middle", "above_middle")

#: Values of ``status_recorded`` other than blank: the review decides poor and near-poor only.
RECORDED_STATUSES = ("poor", "near_poor")
#: Official statuses: the standard's, and a household the review lists as neither poor nor
#: near-poor although the standard says it is one of them (``camlo.audit_records`` names it).
NOT_LISTED = "not_listed"
OFFICIAL_STATUSES = (*STATUSES, NOT_LISTED, ABOVE_POOR_LINE, EXCLUDED)
#: The statuses :func:`official_status` reads in ``status`` (the standard's, as classified).
CLASSIFIED_STATUSES = (*STATUSES, ABOVE_POOR_LINE, EXCLUDED)
#: Group columns with a known order: units in the plan's printed order.
UNIT = "unit"


def flag_columns(table: pd.DataFrame) -> list[str]:
    """The records' deprivation columns, ``d1`` … ``d12``, in the order of the indicator table.

    Examples:
        >>> flag_columns(tables.indicators)[:3]
        ['d1', 'd2', 'd3']
    """
    return [f"d{int(j)}" for j in table["indicator"]]


def _row_name(records: pd.DataFrame, position: int) -> str:
    """A household as an error may name it: by its place in the records (``record 1`` = the
    first), never by its ``household_id``, which is personal data.

    Examples:
        >>> _row_name(pd.DataFrame({"household_id": ["045198001234"]}), 0)
        'record 1'
    """
    return f"record {position + 1}"


def _shown(value: object) -> str:
    """How a bad cell is described in an error: a short number as itself, anything else by its
    kind only (a name or an ID-card number typed in the wrong column never reaches a message).

    Examples:
        >>> _shown(np.int64(2)), _shown("1"), _shown("Nguyễn Văn Bình"), _shown(float("nan"))
        ('2', "the text '1'", 'text (not shown)', 'a blank')
    """
    value = value.item() if hasattr(value, "item") else value
    if not isinstance(value, (str, bytes)) and pd.isna(value):
        return "a blank"
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    short = len(text) <= 4 and all(c.isdigit() or c in ".-" for c in text)
    if isinstance(value, (str, bytes)):
        return f"the text {text!r}" if short else "text (not shown)"
    return text if short else "a number (not shown)"


def require_columns(records: pd.DataFrame, columns: Sequence[str], purpose: str) -> None:
    """Raise :class:`DataError` naming the first of ``columns`` that ``records`` lacks."""
    if not isinstance(records, pd.DataFrame):
        raise TypeError(f"records must be a pandas DataFrame, got {type(records).__name__}")
    for column in columns:
        if column not in records.columns:
            raise DataError(f"household records need the column {column!r} {purpose}",
                            row="header", column=column)


def _flag_values(records: pd.DataFrame, column: str) -> np.ndarray:
    """One flag column as a numpy array of 0 and 1 (bool or integer), validated.

    Raises:
        DataError: for a flag that is not 0 or 1 (a blank, 2, text), naming the household.
    """
    values = records[column].to_numpy()
    kind = values.dtype.kind
    if kind == "b":
        return values
    if kind in "iu":
        if len(values) == 0 or (values.min() >= 0 and values.max() <= 1):  # the fast path
            return values
        bad = (values < 0) | (values > 1)
    elif kind == "f":
        bad = ~((values == 0) | (values == 1))
    else:  # object, or an extension type with missing values: accept 0/1 numbers only
        bad = np.array([isinstance(v, (str, bytes)) or pd.isna(v) or v not in (0, 1)
                        for v in values], dtype=bool)
    if bad.any():
        first = int(np.argmax(bad))
        raise DataError(f"a deprivation flag must be 0 or 1, got {_shown(values[first])}",
                        row=_row_name(records, first), column=column)
    return np.asarray(values, dtype=np.float64).astype(np.uint8)


def deprivation_flags(records: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """The records' deprivation flags as a ``(households, indicators)`` uint8 matrix of 0 and 1.

    Args:
        records: Household records.
        columns: The flag columns, e.g. :func:`flag_columns`.

    Raises:
        DataError: for a missing column, or a flag that is not 0 or 1 (a blank, 2, text),
            naming the household and the column. Nothing is coerced.

    Examples:
        >>> frame = pd.DataFrame({"household_id": ["a", "b"], "d1": [0, 1], "d2": [True, False]})
        >>> deprivation_flags(frame, ["d1", "d2"]).tolist()
        [[0, 1], [1, 0]]
        >>> deprivation_flags(frame.assign(d2=[1, 2]), ["d1", "d2"])
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: row 'record 2', column 'd2': a deprivation flag must be 0 or 1, got 2
    """
    require_columns(records, columns, "(deprivation flags, 0 or 1)")
    out = np.empty((len(records), len(columns)), dtype=np.uint8)
    for i, column in enumerate(columns):
        out[:, i] = _flag_values(records, column)
    return out


def deprivation_patterns(records: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Each household's deprivation pattern: bit ``j`` set when deprived in the ``j``-th column.

    Validates like :func:`deprivation_flags`, without building the matrix.

    Examples:
        >>> frame = pd.DataFrame({"d1": [0, 1, 1], "d2": [1, 0, 1], "d3": [0, 0, 1]})
        >>> deprivation_patterns(frame, ["d1", "d2", "d3"]).tolist()
        [2, 1, 7]
    """
    require_columns(records, columns, "(deprivation flags, 0 or 1)")
    if len(columns) > 16:
        raise ValueError(f"at most 16 indicators are supported (2**16 patterns); got {len(columns)}")
    pattern = np.zeros(len(records), dtype=np.int64)
    for i, column in enumerate(columns):
        pattern |= _flag_values(records, column).astype(np.int64) << i
    return pattern


def _classified(records: pd.DataFrame) -> pd.DataFrame:
    """``records``, which must carry the computed ``status`` (:func:`camlo.classify` adds it)."""
    if "status" in records.columns:
        return records
    raise DataError("household records need the column 'status' (classify them first: "
                    "camlo.classify(records, standard))", row="header", column="status")


def _codes(values: pd.Series, names: Sequence[str]) -> np.ndarray:
    """Each value's position in ``names`` (int8), -1 for a value not there or missing.

    Factorises first, so that only the few distinct values are looked up.
    """
    codes, uniques = pd.factorize(values)
    position = pd.Index(names).get_indexer(pd.Index(uniques, dtype=object))
    lookup = np.append(position, -1).astype(np.int8)  # code -1 (missing) reads the last entry
    return lookup[codes]


def official_status(records: pd.DataFrame) -> np.ndarray:
    """Each household's official status, as codes into :data:`OFFICIAL_STATUSES` (0 = poor).

    The official identification is the review's decision, as an office tabulates and prints
    it (and as ``camlo.annex_tables`` counts it): where the records carry ``status_recorded``,
    it decides (``poor``, ``near_poor``, or blank for neither), and a blank household keeps
    the standard's ``middle``, ``above_middle`` or ``above_poor_line``; a blank household that
    the standard calls poor or near-poor is ``not_listed`` (the review did not list it: an
    ``audit_records`` finding, never counted poor). Where the records have no
    ``status_recorded`` column, the standard's status (``status``: Decree 07's income test and
    at least 3 of the 12 deprivations) is the official one. On records of the 2022 review this
    reproduces the plan's counts, including the recorded-poor households with fewer than 3
    deprivations.

    A household the quick identification excluded (``status`` ``excluded``) stays ``excluded``:
    it counts among households and is never poor; the review cannot have listed it as poor or
    near-poor (refused).

    Args:
        records: Classified household records (``status`` present: :func:`camlo.classify`).

    Raises:
        DataError: for records without ``status``, for a status outside :data:`CLASSIFIED_STATUSES`,
            a recorded status other than poor, near-poor or blank, or an excluded household
            recorded poor or near-poor, naming the household.

    Examples:
        >>> frame = pd.DataFrame({"household_id": ["a", "b", "c", "d", "e"],
        ...                       "status": ["near_poor", "poor", "middle", "near_poor", "excluded"],
        ...                       "status_recorded": ["poor", None, "", "near_poor", None]})
        >>> [OFFICIAL_STATUSES[c] for c in official_status(frame)]
        ['poor', 'not_listed', 'middle', 'near_poor', 'excluded']
        >>> [OFFICIAL_STATUSES[c] for c in official_status(frame.drop(columns="status_recorded"))]
        ['near_poor', 'poor', 'middle', 'near_poor', 'excluded']
    """
    records = _classified(records)
    classified = _codes(records["status"], CLASSIFIED_STATUSES)
    if (classified < 0).any():
        first = int(np.argmax(classified < 0))
        raise DataError(f"status must be one of {', '.join(CLASSIFIED_STATUSES)}, got "
                        f"{_shown(records['status'].iloc[first])}", row=_row_name(records, first), column="status")
    codes = pd.Index(OFFICIAL_STATUSES).get_indexer(list(CLASSIFIED_STATUSES)).astype(np.int8)[classified]
    if "status_recorded" not in records.columns:
        return codes
    recorded = records["status_recorded"]
    recorded_codes = _codes(recorded, (*RECORDED_STATUSES, ""))
    blank = (recorded_codes == len(RECORDED_STATUSES)) | np.asarray(recorded.isna(), dtype=bool)
    invalid = ~blank & (recorded_codes < 0)
    if invalid.any():
        first = int(np.argmax(invalid))
        raise DataError(f"status_recorded must be poor, near_poor or blank, got {_shown(recorded.iloc[first])}",
                        row=_row_name(records, first), column="status_recorded")
    excluded = codes == OFFICIAL_STATUSES.index(EXCLUDED)
    listed_excluded = excluded & ~blank
    if listed_excluded.any():
        first = int(np.argmax(listed_excluded))
        raise DataError("a household the quick identification excluded cannot be recorded poor or near-poor "
                        "(it was not surveyed): leave status_recorded blank, or set excluded to 0 if it was "
                        "surveyed", row=_row_name(records, first), column="status_recorded")
    unlisted = np.where(codes >= len(RECORDED_STATUSES), codes, OFFICIAL_STATUSES.index(NOT_LISTED))
    return np.where(blank, unlisted, recorded_codes).astype(np.int8)


def surveyed(codes: np.ndarray) -> np.ndarray:
    """Which households the review surveyed: all but those the quick identification excluded.

    Args:
        codes: Official statuses (:func:`official_status`).

    Examples:
        >>> surveyed(np.array([0, 6, 2])).tolist()
        [True, False, True]
    """
    return codes != OFFICIAL_STATUSES.index(EXCLUDED)


def households_over(records: pd.DataFrame) -> dict[str, int]:
    """Over which households the measures of records are computed: ``households`` (all of them:
    the headcount ratio's denominator), ``surveyed`` (those the review surveyed: the deprivation
    measures' denominator) and ``excluded`` (by the quick identification).

    Records without ``status`` count every household as surveyed unless an ``excluded`` column says
    otherwise.

    Examples:
        >>> households_over(pd.DataFrame({"status": ["poor", "excluded", "middle"]}))
        {'households': 3, 'surveyed': 2, 'excluded': 1}
    """
    if "status" in records.columns:
        excluded = int((~surveyed(official_status(records))).sum())
    elif "excluded" in records.columns:
        excluded = int((records["excluded"].to_numpy(dtype="float64", na_value=0) == 1).sum())
    else:
        excluded = 0
    return {"households": len(records), "surveyed": len(records) - excluded, "excluded": excluded}


def _unit_order() -> list[str]:
    from camlo.clean.annexes import load_units

    units = load_units()
    return list(units["unit" if "unit" in units.columns else "commune"])


def _ordered_codes(values: pd.Series, column: str, records: pd.DataFrame) -> tuple[np.ndarray, list]:
    """Codes 0..g-1 of one group column and its values in order (units as printed, else sorted)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        present = np.unique(codes[codes >= 0])
        uniques = list(values.cat.categories[present])
        remap = np.full(len(values.cat.categories), -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    else:
        codes, found = pd.factorize(values, sort=True)
        uniques = list(found)
        if column == UNIT:
            position = {name: i for i, name in enumerate(_unit_order())}
            rank = sorted(range(len(uniques)), key=lambda i: (position.get(uniques[i], len(position)),
                                                                str(uniques[i])))
            remap = np.empty(len(uniques), dtype=np.int64)
            remap[rank] = np.arange(len(uniques))
            uniques = [uniques[i] for i in rank]
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    if (codes < 0).any():
        first = int(np.argmax(codes < 0))
        raise DataError("a household must have a value here to be grouped by it",
                        row=_row_name(records, first), column=column)
    return np.asarray(codes, dtype=np.int64), uniques


def group_keys(records: pd.DataFrame, by: str | Sequence[str]) -> tuple[list[str], np.ndarray, pd.DataFrame]:
    """Group each household by one or more columns.

    Args:
        records: Household records.
        by: A column name (``"unit"``, ``"area"``, ``"ethnic_minority"``…) or a list of them.

    Returns:
        ``(columns, codes, keys)``: the group columns; each household's group, 0..g-1; and one
        row per group present, in order (units in the plan's printed order, other values
        sorted; combinations in the order of the first column, then the next).

    Raises:
        DataError: for a missing column or a household with no value in it.

    Examples:
        >>> frame = pd.DataFrame({"unit": ["Cam Hiếu", "Thanh An", "Cam Hiếu"], "area": ["rural"] * 3})
        >>> columns, codes, keys = group_keys(frame, "unit")
        >>> codes.tolist(), keys["unit"].tolist()
        ([1, 0, 1], ['Thanh An', 'Cam Hiếu'])
    """
    columns = [by] if isinstance(by, str) else list(by)
    if not columns or not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns):
        raise ValueError(f"by must be a column name or a list of distinct column names, got {by!r}")
    require_columns(records, columns, "to group by")
    combined = np.zeros(len(records), dtype=np.int64)
    levels = []
    for column in columns:
        codes, uniques = _ordered_codes(records[column], column, records)
        combined = combined * max(len(uniques), 1) + codes
        levels.append(uniques)
    sizes = [max(len(u), 1) for u in levels]
    present = np.flatnonzero(np.bincount(combined, minlength=int(np.prod(sizes))))
    lookup = np.full(int(np.prod(sizes)), -1, dtype=np.int64)
    lookup[present] = np.arange(len(present))
    digits = np.unravel_index(present, sizes)
    keys = pd.DataFrame({column: [levels[i][d] for d in digits[i]] for i, column in enumerate(columns)})
    return columns, lookup[combined], keys


def pattern_bits(m: int) -> np.ndarray:
    """Every pattern of ``m`` indicators as rows of 0/1: row ``p`` has bit ``j`` of ``p`` in column ``j``.

    Examples:
        >>> pattern_bits(2).tolist()
        [[0, 0], [1, 0], [0, 1], [1, 1]]
    """
    return ((np.arange(2 ** m)[:, None] >> np.arange(m)) & 1).astype(np.int64)


def pattern_counts(records: pd.DataFrame, table: pd.DataFrame, *, by: str | Sequence[str] | None = "unit",
                   status: bool = True) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """Households by group, official status and deprivation pattern, in one pass.

    Args:
        records: Household records (classified when ``status`` is true).
        table: The indicator table (:func:`camlo.indicators`).
        by: Group column(s); ``None`` for the whole file as one group.
        status: Split by the official status (:func:`official_status`, seven codes); if false,
            one status. A household the quick identification excluded has no deprivations:
            it is counted under ``excluded`` with the empty pattern, whatever its flags.

    Returns:
        ``(columns, keys, counts)``: the group columns, one row per group (see
        :func:`group_keys`; empty columns when ``by`` is ``None``), and an int64 array of shape
        ``(groups, statuses, 2**m)`` counting households, where the pattern's bit ``j`` says
        whether they are deprived in the ``j``-th indicator (see :func:`pattern_bits`).

    Examples:
        >>> frame = pd.DataFrame({"unit": ["Thanh An"] * 3, "status": ["poor", "near_poor", "poor"],
        ...                       **{f"d{j}": [1, 0, 1] if j < 4 else [0, 0, 0] for j in range(1, 13)}})
        >>> columns, keys, counts = pattern_counts(frame, tables.indicators)
        >>> counts.shape, int(counts[0, 0, 0b111]), int(counts[0, 1, 0])
        ((1, 7, 4096), 2, 1)
    """
    flag_names = flag_columns(table)
    pattern = deprivation_patterns(records, flag_names)
    m = len(flag_names)
    if by is None:
        columns, codes, keys = [], np.zeros(len(records), dtype=np.int64), pd.DataFrame(index=[0])
    else:
        columns, codes, keys = group_keys(records, by)
    n_status = len(OFFICIAL_STATUSES) if status else 1
    status_codes = official_status(records).astype(np.int64) if status else 0
    if status:
        pattern = np.where(surveyed(status_codes), pattern, 0)
    size = 2 ** m
    key = (codes * n_status + status_codes) * size + pattern
    counts = np.bincount(key, minlength=len(keys) * n_status * size)
    return columns, keys, counts.reshape(len(keys), n_status, size)
