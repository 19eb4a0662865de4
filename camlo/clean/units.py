"""The unit register: the plan's 8 units, their successors after 1 July 2025, and the district.

On 1 July 2025 Vietnam's communes were merged and its districts abolished. Resolution
1680/NQ-UBTVQH15 (16 June 2025), Article 1, merged the plan's units into two communes:
item 45, **xã Cam Lộ** = TT Cam Lộ + Cam Thành + Cam Nghĩa + Cam Chính; item 46, **xã Hiếu
Giang** = Thanh An + Cam Thủy + Cam Tuyên + Cam Hiếu. Later sources spell units by their
official names (the plan's "Cam Tuyên" is officially *Cam Tuyền*) or by the statistics
office's codes, and the two new communes reuse the codes of TT Cam Lộ (19597) and Thanh An
(19603). ``data/reference/units.csv`` records all of it (its sidecar names the sources and
what was checked against them); :func:`units` reads it and :func:`resolve_unit` turns any
spelling or code of a unit into the one key the tables use: the plan's printed name for
the plan's units, ``xã Cam Lộ`` and ``xã Hiếu Giang`` for the successors, ``district``
for the district.

A code is resolved by the date of the source that uses it: 19603 is Thanh An before
1 July 2025 and xã Hiếu Giang from that day. A name of a former unit still resolves after
the reorganisation (a later source may report by former commune), but a successor does not
resolve before it existed.

Examples:
    >>> resolve_unit("xã Cam Tuyền")
    'Cam Tuyên'
    >>> resolve_unit("19603", date="2024-12-31"), resolve_unit("19603", date="2025-12-31")
    ('Thanh An', 'xã Hiếu Giang')
    >>> units().query("role == 'successor'")[["unit", "code", "predecessors"]].values.tolist()
    [['xã Cam Lộ', '19597', 'TT Cam Lộ;Cam Thành;Cam Nghĩa;Cam Chính'], ['xã Hiếu Giang', '19603', 'Thanh An;Cam Thủy;Cam Tuyên;Cam Hiếu']]
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
import unicodedata
from pathlib import Path

import pandas as pd

from camlo.clean.parsing import read_rows
from camlo.errors import DataError
from camlo.paths import UNITS_FILE

REGISTER = UNITS_FILE
COLUMNS = (
    "unit", "role", "plan_order", "printed_name", "official_name", "kind_vi", "kind_en", "area",
    "name_en", "code", "district_code", "province_code", "valid_from", "valid_to", "successor",
    "predecessors", "resolution", "resolution_item",
)
ROLES = ("plan unit", "successor", "district")
#: Kinds of unit, Vietnamese → English, as the register writes them.
KINDS = {"xã": "commune", "thị trấn": "township", "huyện": "district"}
AREAS = ("urban", "rural", "")
#: How a kind may be written before a name (after case-folding): ``xã``, ``thị trấn``,
#: ``huyện``, or the abbreviation ``TT`` / ``TT.`` for thị trấn.
_PREFIX = re.compile(r"^(?:(xã|thị trấn|huyện)\s+|(tt)(?:\.\s*|\s+))(.+)$")
_CODE = re.compile(r"^\d+$")
#: The longest code of each kind in the statistics office's lists: communes 5 digits, districts 3,
#: provinces 2.
_CODE_DIGITS = {"code": 5, "district_code": 3, "province_code": 2}
_DATE_COLUMNS = ("valid_from", "valid_to")
_SEPARATOR = ";"


def _fold(text: str) -> str:
    """NFC, case-folded, with runs of spaces collapsed: the form names are compared in.

    Examples:
        >>> _fold("  XÃ  Cam Tuye\u0302\u0300n ") == _fold("xã Cam Tuyền")
        True
    """
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", " ".join(text.split()).casefold())


def _split_kind(folded: str) -> tuple[str | None, str]:
    """Split a folded name into its kind prefix (``None`` if none) and the rest.

    Examples:
        >>> _split_kind("tt. cam lộ"), _split_kind("cam lộ")
        (('thị trấn', 'cam lộ'), (None, 'cam lộ'))
    """
    match = _PREFIX.match(folded)
    if match is None:
        return None, folded
    return (match.group(1) or "thị trấn"), match.group(3)


def full_name(row) -> str:
    """A register row's official name with its kind: ``xã Cam Tuyền``, ``huyện Cam Lộ``.

    Examples:
        >>> full_name(units().set_index("unit").loc["TT Cam Lộ"])
        'thị trấn Cam Lộ'
    """
    return f"{row['kind_vi']} {row['official_name']}"


def _parse_date(text: str, *, file: Path, row: str, column: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DataError(f"expected a date as YYYY-MM-DD or a blank, got {text!r}",
                        file=file, row=row, column=column) from None


def _check_register(records: list[dict], path: Path) -> None:
    """Check the register row by row and as a whole; raise a DataError naming row and column."""
    seen: set[str] = set()
    for record in records:
        if record["unit"] in seen:
            raise DataError("unit listed twice", file=path, row=record["unit"], column="unit")
        seen.add(record["unit"])
    by_key = {r["unit"]: r for r in records}
    plan = [r for r in records if r["role"] == "plan unit"]
    successors = {r["unit"] for r in records if r["role"] == "successor"}
    referenced = {name for r in records for name in r["predecessors"].split(_SEPARATOR) if name}
    for row in records:
        where = {"file": path, "row": row["unit"]}
        if row["role"] not in ROLES:
            raise DataError(f"expected a role of {', '.join(map(repr, ROLES))}, got {row['role']!r}",
                            column="role", **where)
        if KINDS.get(row["kind_vi"]) != row["kind_en"]:
            expected = "; ".join(f"{vi} = {en}" for vi, en in KINDS.items())
            raise DataError(f"kind {row['kind_vi']!r} / {row['kind_en']!r} is not one of {expected}",
                            column="kind_en" if row["kind_vi"] in KINDS else "kind_vi", **where)
        if row["area"] not in AREAS:
            raise DataError(f"expected area 'urban', 'rural' or blank, got {row['area']!r}", column="area",
                            **where)
        if row["role"] == "plan unit" and not row["area"]:
            raise DataError("a plan unit's area is 'urban' or 'rural' (Decree 07/2021's two income lines)",
                            column="area", **where)
        for column, digits in _CODE_DIGITS.items():
            if row[column] and not (_CODE.match(row[column]) and len(row[column]) <= digits):
                raise DataError(f"expected a code of digits, at most {digits} as the statistics office's lists "
                                f"print them, got {row[column]!r}", column=column, **where)
        for column in ("code", "official_name", "name_en"):
            if not row[column]:
                raise DataError("blank cell; every unit has a code, an official name and an English name",
                                column=column, **where)
        is_plan = row["role"] == "plan unit"
        if is_plan != (row["plan_order"] is not None):
            raise DataError("plan_order is given for the plan's units and only for them", column="plan_order",
                            **where)
        if is_plan != bool(row["printed_name"]):
            raise DataError("printed_name is given for the plan's units and only for them",
                            column="printed_name", **where)
        if is_plan and row["unit"] != row["printed_name"]:
            # the key is right where the successors name it; otherwise it is the key that differs
            column = "printed_name" if row["unit"] in referenced else "unit"
            raise DataError(f"a plan unit's key is its printed name, here {row['unit']!r} and "
                            f"{row['printed_name']!r}", column=column, **where)
        if row["valid_from"] and row["valid_to"] and row["valid_from"] > row["valid_to"]:
            raise DataError("valid_from is after valid_to", column="valid_from", **where)
        if row["successor"] and row["successor"] not in successors:
            raise DataError(f"successor {row['successor']!r} is not a successor unit of the register",
                            column="successor", **where)
        for name in filter(None, row["predecessors"].split(_SEPARATOR)):
            if name not in by_key or by_key[name]["role"] != "plan unit":
                raise DataError(f"predecessor {name!r} is not one of the plan's units", column="predecessors",
                                **where)
            if by_key[name]["successor"] != row["unit"]:
                raise DataError(f"lists {name!r} as a predecessor, but {name!r} names another successor",
                                column="predecessors", **where)
        if is_plan and row["valid_to"] and not row["successor"]:
            raise DataError("a plan unit that ceased to exist needs its successor", column="successor", **where)
        if (row["successor"] or row["predecessors"]) and not (row["resolution"] and row["resolution_item"]):
            raise DataError("a merge needs its resolution and item",
                            column="resolution" if not row["resolution"] else "resolution_item", **where)
    numbered: dict[int, str] = {}
    for row in plan:
        order = row["plan_order"]
        if not 1 <= order <= len(plan) or order in numbered:
            again = f" (also {numbered[order]!r}'s)" if order in numbered else ""
            raise DataError(f"plan_order must number the plan's {len(plan)} units 1 to {len(plan)}, each once; "
                            f"got {order}{again}", file=path, row=row["unit"], column="plan_order")
        numbered[order] = row["unit"]
    for successor in successors:
        listed = set(filter(None, by_key[successor]["predecessors"].split(_SEPARATOR)))
        merged = {r["unit"] for r in plan if r["successor"] == successor}
        if listed != merged:
            raise DataError(f"predecessors {sorted(listed)} differ from the units whose successor it is "
                            f"{sorted(merged)}", file=path, row=successor, column="predecessors")
    # no two units may hold the same code on the same day
    holders: dict[int, list[dict]] = {}
    for row in records:
        holders.setdefault(int(row["code"]), []).append(row)
    for code, group in holders.items():
        spans = sorted(group, key=lambda r: r["valid_from"] or dt.date.min)
        for first, second in itertools.pairwise(spans):
            if (second["valid_from"] or dt.date.min) <= (first["valid_to"] or dt.date.max):
                raise DataError(f"code {code} is held by {first['unit']!r} and {second['unit']!r} on the same days",
                                file=path, row=second["unit"], column="code")


def units(path: str | Path | None = None) -> pd.DataFrame:
    """The unit register: the plan's units, their successors from 1 July 2025, the district.

    One row per unit. Columns: ``unit`` (the key the tables use: the plan's printed name,
    ``xã Cam Lộ`` / ``xã Hiếu Giang`` for the successors, ``district``), ``role`` (``plan
    unit``, ``successor``, ``district``), ``plan_order`` (1–8 in the plan's printed order),
    ``printed_name`` (as the plan prints it), ``official_name`` (without its kind, as the
    statistics office's lists write it), ``kind_vi``/``kind_en`` (xã = commune, thị trấn =
    township, huyện = district), ``area`` (urban or rural, for the plan's units), ``name_en``,
    ``code`` (the office's code; the successors reuse two old codes), ``district_code``,
    ``province_code`` (45 for Quảng Trị before 1 July 2025, 44 for the merged Quảng Trị
    after), ``valid_from``/``valid_to`` (``NaT`` where open), ``successor`` and
    ``predecessors`` (keys, ``;``-separated), ``resolution`` and ``resolution_item``.

    Args:
        path: A register of the same layout; ``None`` reads ``data/reference/units.csv``.

    Raises:
        DataError: naming file, unit and column for a malformed register (a code held by two
            units on the same day, a successor that does not list its predecessors, …).

    Examples:
        >>> reg = units()
        >>> reg["role"].value_counts().to_dict()
        {'plan unit': 8, 'successor': 2, 'district': 1}
        >>> reg.set_index("unit").loc["Cam Tuyên", ["official_name", "code", "successor"]].tolist()
        ['Cam Tuyền', '19600', 'xã Hiếu Giang']
    """
    path = Path(path) if path is not None else REGISTER
    rows = read_rows(path)
    header = rows[0]
    if tuple(header) != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        moved = [c for h, c in zip(header, COLUMNS) if h != c]
        column = (missing or moved or header[len(COLUMNS):])[0]
        raise DataError(f"expected the columns {', '.join(COLUMNS)} in that order", file=path, row="header",
                        column=column)
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise DataError(f"expected {len(COLUMNS)} cells, found {len(row)}", file=path,
                            row=row[0] or f"line {line}", column=COLUMNS[min(len(row), len(COLUMNS) - 1)])
        record = dict(zip(COLUMNS, row))
        if not record["unit"]:
            raise DataError("blank unit key", file=path, row=f"line {line}", column="unit")
        for column in _DATE_COLUMNS:
            record[column] = _parse_date(record[column], file=path, row=record["unit"], column=column)
        order = record["plan_order"]
        if order and not order.isdigit():
            raise DataError(f"expected a whole number, got {order!r}", file=path, row=record["unit"],
                            column="plan_order")
        record["plan_order"] = int(order) if order else None
        records.append(record)
    _check_register(records, path)
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame["plan_order"] = frame["plan_order"].astype("Int64")
    for column in _DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def plan_units(register: pd.DataFrame | None = None) -> pd.DataFrame:
    """The plan's units in printed order (the register's rows with role ``plan unit``).

    Examples:
        >>> plan_units()["unit"].tolist()[:3]
        ['Thanh An', 'TT Cam Lộ', 'Cam Thành']
    """
    register = units() if register is None else register
    plan = register[register["role"] == "plan unit"]
    return plan.sort_values("plan_order").reset_index(drop=True)


def _as_date(date) -> dt.date | None:
    if date is None:
        return None
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    if isinstance(date, str):
        try:
            return dt.date.fromisoformat(date)
        except ValueError:
            pass
    raise DataError(f"expected a date (YYYY-MM-DD) to resolve a unit by, got {date!r}")


def _valid_on(row, date: dt.date) -> bool:
    start, end = row["valid_from"], row["valid_to"]
    return (pd.isna(start) or start.date() <= date) and (pd.isna(end) or date <= end.date())


def _names(row) -> set[str]:
    """The folded bare names of a register row: official, and printed without its kind."""
    names = {_fold(row["official_name"])}
    if row["printed_name"]:
        names.add(_split_kind(_fold(row["printed_name"]))[1])
    return names


def _candidates(text: str, rows: list[dict]) -> tuple[list[int], str]:
    """Register positions that ``text`` may name, and how it named them (``name``, ``code``)."""
    folded = _fold(text)
    if _CODE.match(folded):
        code = int(folded)
        return [i for i, row in enumerate(rows) if int(row["code"]) == code], "code"
    kind, bare = _split_kind(folded)
    found = []
    for i, row in enumerate(rows):
        aliases = {_fold(row["unit"]), _fold(row["name_en"]), _fold(full_name(row))}
        if row["printed_name"]:
            aliases.add(_fold(row["printed_name"]))
        by_name = bare in _names(row) and kind in (None, row["kind_vi"])
        if folded in aliases or by_name:
            found.append(i)
    return found, "name"


def _closest(text: str, rows: list[dict], n: int = 3) -> list[str]:
    """The known names closest to ``text`` (difflib), as a reader would write them."""
    shown: dict[str, str] = {}
    for row in rows:
        for name in (row["unit"], full_name(row), row["printed_name"]):
            if name:
                shown.setdefault(_fold(name), name)
    folded = _fold(text)
    close = difflib.get_close_matches(folded, list(shown), n=n, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(folded, list(shown), n=n, cutoff=0.0)
    return [shown[c] for c in close]


def _describe(row) -> str:
    """``thị trấn Cam Lộ ('TT Cam Lộ', code 19597, until 2025-06-30)``."""
    span = []
    if not pd.isna(row["valid_from"]):
        span.append(f"from {row['valid_from'].date()}")
    if not pd.isna(row["valid_to"]):
        span.append(f"until {row['valid_to'].date()}")
    return f"{full_name(row)} ({', '.join([repr(row['unit']), 'code ' + row['code'], *span])})"


class UnresolvedUnit(DataError):
    """A name or code that :func:`resolve_unit` cannot resolve to one unit.

    The message repeats the text; :meth:`reworded` says the same with the text replaced,
    for a loader that must never repeat a cell (household records).

    Examples:
        >>> try:
        ...     resolve_unit("Cam Tuyen")
        ... except UnresolvedUnit as exc:
        ...     print(exc.reworded("[not shown]"))
        unknown unit [not shown]; closest known names: Cam Tuyên, xã Cam Tuyền, Cam Thủy
    """

    #: Where the text goes in :attr:`template`.
    PLACEHOLDER = "\x00"

    def __init__(self, template: str, text: str) -> None:
        self.template, self.text = template, text
        super().__init__(self.reworded(text))

    def reworded(self, subject: str) -> str:
        """The message with ``subject`` in place of the text."""
        return self.template.replace(self.PLACEHOLDER, subject)


def resolve_unit(text: str | int, date=None, *, register: pd.DataFrame | None = None) -> str:
    """The register key of the unit that ``text`` names, on ``date``.

    ``text`` may be the plan's printed name, the official name with or without its kind
    (``xã``, ``thị trấn``, ``TT``, ``huyện``), the English name, the register key, or the
    statistics office's code; in any case, NFC or NFD, with any spacing. A code held by two
    units (19597, 19603) is resolved by ``date``; so is a name that two units share (``Cam
    Lộ``: the township and the district before 1 July 2025, the new commune after). A
    successor commune does not resolve on a date before it existed.

    Args:
        text: A unit's name or code as a source writes it.
        date: The date of the source (a review's reference date): a ``datetime.date``, a
            ``datetime``/``Timestamp`` or an ISO string; ``None`` when unknown.
        register: The unit register (:func:`units`); ``None`` reads the shipped one.

    Returns:
        The key: the plan's printed name for the plan's units (``'Cam Tuyên'`` for ``'xã Cam
        Tuyền'``), ``'xã Cam Lộ'`` or ``'xã Hiếu Giang'`` for the successors, ``'district'``.

    Raises:
        UnresolvedUnit: a :class:`~camlo.DataError` for an unknown name (naming the closest
            known names), an undated code or name that two units share (saying which and
            when), a province's code, or a successor named on a date before it existed.
        DataError: for a blank text, a text that is neither a name nor a code, a bad date.

    Examples:
        >>> [resolve_unit(t) for t in ("Cam Tuyên", "CAM TUYỀN", "thị trấn Cam Lộ", "TT. Cam Lộ", "19600")]
        ['Cam Tuyên', 'Cam Tuyên', 'TT Cam Lộ', 'TT Cam Lộ', 'Cam Tuyên']
        >>> resolve_unit("Hiếu Giang"), resolve_unit("huyện Cam Lộ")
        ('xã Hiếu Giang', 'district')
        >>> resolve_unit("Cam Lộ", date="2025-12-31")
        'xã Cam Lộ'
        >>> resolve_unit("19603")
        Traceback (most recent call last):
        ...
        camlo.clean.units.UnresolvedUnit: code 19603 names two units: xã Thanh An ('Thanh An', code 19603, until 2025-06-30) and xã Hiếu Giang ('xã Hiếu Giang', code 19603, from 2025-07-01); the statistics office reused the code in the 2025 reorganisation, so it needs the source's date to resolve
        >>> resolve_unit("Cam Tuyen")
        Traceback (most recent call last):
        ...
        camlo.clean.units.UnresolvedUnit: unknown unit 'Cam Tuyen'; closest known names: Cam Tuyên, xã Cam Tuyền, Cam Thủy
    """
    register = units() if register is None else register
    on = _as_date(date)
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise DataError(f"expected a unit's name or code, got {text!r}")
    text = str(text)
    if not text.strip():
        raise DataError("blank unit name")
    rows = register.to_dict("records")
    found, how = _candidates(text, rows)
    code, named = text.strip(), repr(text)
    here = UnresolvedUnit.PLACEHOLDER
    if not found:
        if how == "code":
            provinces = set(register["province_code"].map(int))
            if int(_fold(text)) in provinces:
                raise UnresolvedUnit(f"{here} is a province's code (Quảng Trị), not a unit's", code)
            raise UnresolvedUnit(f"unknown unit code {here}; the register's codes are "
                                 f"{', '.join(sorted(set(register['code'])))}", code)
        raise UnresolvedUnit(f"unknown unit {here}; closest known names: {', '.join(_closest(text, rows))}",
                             named)
    if on is not None:
        existing = [i for i in found if pd.isna(rows[i]["valid_from"]) or rows[i]["valid_from"].date() <= on]
        if not existing:
            first = rows[found[0]]
            raise UnresolvedUnit(f"{here} is {_describe(first)}, which did not exist on {on}; "
                                 f"before {first['valid_from'].date()} its area was reported as "
                                 f"{', '.join(first['predecessors'].split(_SEPARATOR))}",
                                 code if how == "code" else named)
        found = existing
        if len(found) > 1:
            current = [i for i in found if _valid_on(rows[i], on)]
            if len(current) == 1:
                found = current
    if len(found) == 1:
        return rows[found[0]]["unit"]
    described = " and ".join(_describe(rows[i]) for i in found)
    if how == "code" and on is None:
        raise UnresolvedUnit(f"code {here} names two units: {described}; the statistics office reused the "
                             f"code in the 2025 reorganisation, so it needs the source's date to resolve", code)
    subject = f"code {here}" if how == "code" else here
    hint = "" if on is not None else "give the source's date, or "
    raise UnresolvedUnit(f"{subject} names more than one unit{'' if on is None else f' on {on}'}: {described}; "
                         f"{hint}write the unit's key ({', '.join(repr(rows[i]['unit']) for i in found)})",
                         code if how == "code" else named)
