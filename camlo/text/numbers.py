"""Exact rates, how they are rounded, and how each language prints numbers: one home for all three.

Rates are computed exactly (:func:`pct`, a :class:`~fractions.Fraction`) and rounded half-up
(:func:`round_pct`), as printed tables round. Numbers are then written with the locale data of
the Unicode CLDR (through Babel): English groups thousands with a comma and uses a decimal
point; Vietnamese, as the plan prints its figures, groups with a dot and uses a decimal comma
(:func:`format_number`).

Examples:
    >>> format_number(14905, "vi"), format_pct(3.0392, "vi"), format_pct(3.0392, "en")
    ('14.905', '3,04%', '3.04%')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.numbers import format_decimal

LANGS = ("en", "vi")
#: The CLDR locale each language writes numbers in.
LOCALES = {"en": "en", "vi": "vi"}


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`; otherwise a ``ValueError``.

    Examples:
        >>> check_lang("vi")
        'vi'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def pct(count: int, denominator: int) -> Fraction:
    """The exact percentage ``100 * count / denominator``.

    Examples:
        >>> float(pct(453, 14905))  # doctest: +ELLIPSIS
        3.0392...
    """
    return Fraction(100 * count, denominator)


def round_half_up(value: float | Fraction | Decimal, places: int = 0) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, on its shortest decimal form.

    Examples:
        >>> round_half_up(0.125, 2), round_half_up(Fraction(1, 8), 2), round_half_up(2.5)
        (Decimal('0.13'), Decimal('0.13'), Decimal('3'))
    """
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_pct(value: Fraction, places: int = 2) -> float:
    """Round an exact percentage half-up to ``places`` decimals, as printed tables do.

    Examples:
        >>> round_pct(pct(453, 14905)), round_pct(Fraction(1, 8), 2)
        (3.04, 0.13)
    """
    return float(round_half_up(value, places))


def format_number(value: float, lang: str = "en", places: int = 0) -> str:
    """``value`` with ``places`` decimals, grouped and punctuated as ``lang`` prints numbers.

    Examples:
        >>> format_number(14905, "en"), format_number(14905, "vi")
        ('14,905', '14.905')
        >>> format_number(3.0392, "en", 2), format_number(3.0392, "vi", 2)
        ('3.04', '3,04')
        >>> format_number(0.125, "en", 2)  # half-up, where float formatting gives 0.12
        '0.13'
    """
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(round_half_up(value, places), format=pattern, locale=LOCALES[check_lang(lang)])


def format_pct(value: float, lang: str = "en", places: int = 2) -> str:
    """A percentage (``value`` in percent) as ``lang`` prints it, with its sign.

    Examples:
        >>> format_pct(7.3599, "en"), format_pct(7.3599, "vi")
        ('7.36%', '7,36%')
    """
    return f"{format_number(value, lang, places)}%"


def format_share(value: float, lang: str = "en", places: int = 0) -> str:
    """A share (``value`` between 0 and 1) as a percentage.

    Examples:
        >>> format_share(0.6891, "en"), format_share(0.6891, "vi", 1)
        ('69%', '68,9%')
    """
    return format_pct(100 * value, lang, places)


#: A probability beyond these bounds is written as "above 99%" / "below 1%": never as if certain.
PROBABILITY_BOUNDS = (0.01, 0.99)
_BEYOND = {"en": ("below", "above"), "vi": ("dưới", "trên")}


def format_probability(value: float, lang: str = "en", places: int = 0) -> str:
    """A probability (0 to 1) in percent, never written as certain: beyond 1% and 99%, "below 1%" or "above 99%".

    Examples:
        >>> format_probability(0.6464, "en"), format_probability(1.0, "en"), format_probability(0.0, "vi")
        ('65%', 'above 99%', 'dưới 1%')
        >>> format_probability(0.99955, "vi", 1)
        'trên 99%'
    """
    low, high = PROBABILITY_BOUNDS
    below, above = _BEYOND[check_lang(lang)]
    if value > high:
        return f"{above} {format_pct(100 * high, lang, 0)}"
    if value < low:
        return f"{below} {format_pct(100 * low, lang, 0)}"
    return format_share(value, lang, places)


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
    return ", ".join(items[:-1]) + {"en": " and ", "vi": " và "}[check_lang(lang)] + items[-1]
