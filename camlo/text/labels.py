"""Every label a reader sees, in English and Vietnamese, from one table.

Units (the plan's 8 and the communes formed on 1 July 2025) and indicators take their names
from the reference tables (``data/reference/units.csv`` and ``indicators.csv``, which the
loaders of :mod:`camlo.clean` validate); every other label (measures, axis titles, legend
entries) is a row of ``labels.csv`` beside this module, with one column per language. The
three tables are read once, when the module is imported, into read-only mappings: labels are
constants of the project, not data of a run.

Examples:
    >>> label("poor", "vi")
    'Hộ nghèo'
    >>> unit_label("TT Cam Lộ", "en"), unit_label("xã Hiếu Giang", "en")
    ('Cam Lộ township', 'Hiếu Giang commune')
    >>> unit_in_text("Cam Tuyên", "vi"), unit_in_text("TT Cam Lộ", "vi")
    ('xã Cam Tuyền', 'thị trấn Cam Lộ')
    >>> indicator_label(10, "vi")
    'Nhà tiêu hợp vệ sinh'
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from camlo.constants import START, review_at_step
from camlo.errors import DataError
from camlo.paths import INDICATORS_FILE, UNITS_FILE
from camlo.text.numbers import LANGS, check_lang

LABELS_FILE = Path(__file__).with_name("labels.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_labels(path: Path = LABELS_FILE) -> Mapping[str, Mapping[str, str]]:
    """The label table: key -> language -> text.

    Raises:
        DataError: for a key defined twice.
    """
    table: dict[str, Mapping[str, str]] = {}
    for row in _rows(path):
        if row["key"] in table:
            raise DataError("label defined twice", file=path, row=row["key"], column="key")
        table[row["key"]] = MappingProxyType({lang: row[lang] for lang in LANGS})
    return MappingProxyType(table)


LABELS = read_labels()
#: The plan's units and the communes formed on 1 July 2025, by their keys.
UNITS = MappingProxyType({row["unit"]: MappingProxyType({"vi": row["unit"], "en": row["name_en"]})
                          for row in _rows(UNITS_FILE) if row["role"] != "district"})
#: Each unit's kind (``xã``, ``thị trấn``, ``huyện``) and official name, as Vietnamese running text
#: names it; the district under ``"district"``.
UNIT_KINDS = MappingProxyType({row["unit"]: MappingProxyType({"kind": row["kind_vi"], "name": row["official_name"]})
                               for row in _rows(UNITS_FILE)})
#: The 12 indicators' names and dimensions in both languages, by number.
INDICATOR_NAMES = MappingProxyType({
    int(row["indicator"]): MappingProxyType({"en": row["name_en"], "vi": row["name_vi"],
                                             "dimension_en": row["dimension_en"],
                                             "dimension_vi": row["dimension_vi"]})
    for row in _rows(INDICATORS_FILE)})


def label(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (``"en"`` or ``"vi"``)."""
    check_lang(lang)
    try:
        return LABELS[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r} in {LABELS_FILE.name}") from None


def unit_label(unit: str, lang: str = "en") -> str:
    """A unit's name in ``lang``; ``"district"`` gives the district's name."""
    check_lang(lang)
    if unit == "district":
        return label("district", lang)
    return UNITS[unit][lang]


def unit_in_text(unit: str, lang: str = "en") -> str:
    """A unit as running text names it: in Vietnamese its kind in lower case before its official
    name (``xã Cam Tuyền``, ``thị trấn Cam Lộ``, ``huyện Cam Lộ``), in English its name."""
    if check_lang(lang) == "en":
        return unit_label(unit, lang)
    return f"{UNIT_KINDS[unit]['kind']} {UNIT_KINDS[unit]['name']}"


def indicator_label(number: int, lang: str = "en", *, numbered: bool = False) -> str:
    """Indicator ``number``'s name in ``lang``, optionally prefixed with its number."""
    check_lang(lang)
    name = INDICATOR_NAMES[int(number)][lang]
    return f"{int(number)}. {name}" if numbered else name


def dimension_label(dimension_en: str, lang: str = "en") -> str:
    """A dimension's name in ``lang``, given its English name (as in ``indicators()``)."""
    check_lang(lang)
    for row in INDICATOR_NAMES.values():
        if row["dimension_en"] == dimension_en:
            return row[f"dimension_{lang}"]
    raise KeyError(f"no dimension {dimension_en!r}")


def review_label(step: int, lang: str = "en") -> str:
    """A review step as a tick label, e.g. ``"Start 2022"`` or ``"Cuối năm 2023"``.

    Examples:
        >>> review_label(0), review_label(2, "vi")
        ('Start 2022', 'Cuối năm 2023')
    """
    year, reference_point = review_at_step(step)
    return label("t03_review_start" if reference_point == START else "t03_review_end", lang).format(year=year)
