"""Every label a reader sees, in English and Vietnamese, from one table.

Units (the plan's 8 and the communes formed on 1 July 2025) and indicators take their names
from the data (``data/reference/units.csv`` and ``indicators.csv``); every other label
(measures, axis titles, legend entries) is a row of ``labels.csv`` beside this module, with
one column per language.

Examples:
    >>> label("poor", "vi")
    'Hộ nghèo'
    >>> unit_label("TT Cam Lộ", "en"), unit_label("xã Hiếu Giang", "en")
    ('Cam Lộ township', 'Hiếu Giang commune')
    >>> indicator_label(10, "vi")
    'Nhà tiêu hợp vệ sinh'
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from camlo.errors import DataError

LANGS = ("en", "vi")
LABELS_FILE = Path(__file__).with_name("labels.csv")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


@cache
def _labels() -> dict[str, dict[str, str]]:
    with LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["key"] in table:
            raise DataError("label defined twice", file=LABELS_FILE, row=row["key"], column="key")
        table[row["key"]] = {lang: row[lang] for lang in LANGS}
    return table


def label(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (``"en"`` or ``"vi"``)."""
    _check_lang(lang)
    try:
        return _labels()[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r} in {LABELS_FILE.name}") from None


@cache
def _units() -> dict[str, dict[str, str]]:
    from camlo.clean.units import units

    # the plan's units and the communes formed on 1 July 2025, by their keys
    return {row.unit: {"vi": row.unit, "en": row.name_en} for row in units().itertuples() if row.role != "district"}


def unit_label(unit: str, lang: str = "en") -> str:
    """A unit's name in ``lang``; ``"district"`` gives the district's name."""
    _check_lang(lang)
    if unit == "district":
        return label("district", lang)
    return _units()[unit][lang]


@cache
def _indicators() -> dict[int, dict[str, str]]:
    from camlo.clean.annexes import indicators

    return {
        int(row.indicator): {"en": row.name_en, "vi": row.name_vi,
                             "dimension_en": row.dimension_en, "dimension_vi": row.dimension_vi}
        for row in indicators().itertuples()
    }


def indicator_label(number: int, lang: str = "en", *, numbered: bool = False) -> str:
    """Indicator ``number``'s name in ``lang``, optionally prefixed with its number."""
    _check_lang(lang)
    name = _indicators()[int(number)][lang]
    return f"{int(number)}. {name}" if numbered else name


def dimension_label(dimension_en: str, lang: str = "en") -> str:
    """A dimension's name in ``lang``, given its English name (as in ``indicators()``)."""
    _check_lang(lang)
    for row in _indicators().values():
        if row["dimension_en"] == dimension_en:
            return row[f"dimension_{lang}"]
    raise KeyError(f"no dimension {dimension_en!r}")


def format_number(value: float, lang: str = "en", places: int = 0) -> str:
    """``value`` with ``places`` decimals, grouped and punctuated as ``lang`` prints numbers.

    English groups thousands with a comma and uses a decimal point; Vietnamese, as the plan
    prints its figures, groups with a dot and uses a decimal comma.

    Examples:
        >>> format_number(14905, "en"), format_number(14905, "vi")
        ('14,905', '14.905')
        >>> format_number(3.0392, "en", 2), format_number(3.0392, "vi", 2)
        ('3.04', '3,04')
        >>> format_number(0.125, "en", 2)  # half-up, where float formatting gives 0.12
        '0.13'
    """
    _check_lang(lang)
    # half-up on the shortest decimal form, as printed tables round (0.125 -> 0.13)
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if lang == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_pct(value: float, lang: str = "en", places: int = 2) -> str:
    """A percentage as ``lang`` prints it, with its sign.

    Examples:
        >>> format_pct(7.3599, "en"), format_pct(7.3599, "vi")
        ('7.36%', '7,36%')
    """
    return f"{format_number(value, lang, places)}%"


def review_label(step: int, lang: str = "en") -> str:
    """A review step as a tick label, e.g. ``"Start 2022"`` or ``"Cuối năm 2023"``.

    Examples:
        >>> review_label(0), review_label(2, "vi")
        ('Start 2022', 'Cuối năm 2023')
    """
    # the review calendar, imported when first needed: labels stay quick to import
    from camlo.clean.observed import review_at_step
    from camlo.constants import START

    year, reference_point = review_at_step(step)
    return label("t03_review_start" if reference_point == START else "t03_review_end", lang).format(year=year)


def listing(items, lang: str = "en") -> str:
    """Items joined as prose: ``"a"``, ``"a and b"``, ``"a, b and c"`` (``"và"`` in Vietnamese).

    Examples:
        >>> listing(["Thanh An"]), listing(["Thanh An", "Cam Chính", "Cam Hiếu"])
        ('Thanh An', 'Thanh An, Cam Chính and Cam Hiếu')
        >>> listing(["Thanh An", "Cam Chính"], "vi")
        'Thanh An và Cam Chính'
    """
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + {"en": " and ", "vi": " và "}[_check_lang(lang)] + items[-1]
