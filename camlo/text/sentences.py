"""Every computed sentence a reader sees, as a template with named values, in one catalog.

``sentences.csv`` beside this module has one row per sentence: its ``key``, its English text
and its Vietnamese text. A template names its values in braces, with how to print each
(``{poor:n}``, a count; ``{rate:pct}``, a percentage); a step of the pipeline returns a
:class:`Sentence` (a key and its values), and the sentence is written in a language only when a
reader sees it (:meth:`Sentence.text`). A second language is a second column, never a second
notebook, and a notebook holds no sentence assembly of its own.

How a value is printed, by its format spec (numbers in each language's own way, from
:mod:`camlo.text.numbers`):

=========  ==================================================  ==================
spec       prints                                              ``1234.567`` (en)
=========  ==================================================  ==================
``n``      a count, grouped                                    ``1,235``
``n1``     a number with 1 (or 2, 3 …) decimals                ``1,234.6``
``pct``    a value in percent with 2 decimals (``pct1``: 1)    ``1,234.57%``
``share``  a share (0 to 1) in percent, 0 decimals (``share1``)
``prob``   a probability (0 to 1) in percent, never as certain:   ``above 99%``, ``below 1%``
           beyond 1% and 99% (``prob1``: 1 decimal)
(none)     text as it is, or a value that writes itself in each language (a :class:`Sentence`,
           :class:`Prose`, :class:`Unit`, :class:`Indicator`, :class:`Dimension`, :class:`Label`,
           :class:`Named`, :class:`Listing`)
=========  ==================================================  ==================

Examples:
    >>> s = Sentence("example", {"unit": Unit("Cam Tuyên"), "poor": 109, "rate": 7.3599})
    >>> s.text("en", template="{unit} has {poor:n} poor households ({rate:pct}).")
    'Cam Tuyên has 109 poor households (7.36%).'
    >>> s.text("vi", template="{unit} có {poor:n} hộ nghèo, chiếm tỷ lệ {rate:pct}.")
    'Xã Cam Tuyền có 109 hộ nghèo, chiếm tỷ lệ 7,36%.'
"""

from __future__ import annotations

import contextvars
import csv
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from camlo.errors import DataError
from camlo.text.labels import UNIT_KINDS, dimension_label, indicator_label, label, unit_in_text, unit_label
from camlo.text.numbers import (
    LANGS,
    PROBABILITY_BOUNDS,
    check_lang,
    format_number,
    format_pct,
    format_probability,
    format_share,
    listing,
)

SENTENCES_FILE = Path(__file__).with_name("sentences.csv")
_SPEC = re.compile(r"^(?P<kind>n|pct|share|prob)(?P<places>\d?)$")
#: How deep the value being written sits inside other sentences (0: a sentence of its own).
_NESTED = contextvars.ContextVar("nested", default=0)
#: What may come before a sentence's first word: Markdown emphasis, a list's mark, spaces.
_LEAD = re.compile(r"^[\s*_#>-]*")


def read_catalog(path: Path = SENTENCES_FILE) -> Mapping[str, Mapping[str, str]]:
    """The sentence catalog: key -> language -> template.

    Raises:
        DataError: for a key defined twice, or a sentence missing in a language.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    catalog: dict[str, Mapping[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        key = row.get("key") or f"line {line}"
        if key in catalog:
            raise DataError("sentence defined twice", file=path, row=key, column="key")
        for lang in LANGS:
            if not (row.get(lang) or "").strip():
                raise DataError("no text in this language", file=path, row=key, column=lang)
            if not unicodedata.is_normalized("NFC", row[lang]):
                raise DataError("text not in Unicode NFC", file=path, row=key, column=lang)
        catalog[key] = MappingProxyType({lang: row[lang] for lang in LANGS})
    return MappingProxyType(catalog)


CATALOG = read_catalog()


class _Writer(string.Formatter):
    """Fills a template in one language: numbers as the language prints them, names in it."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = check_lang(lang)

    def format_field(self, value: Any, format_spec: str) -> str:
        if hasattr(value, "text") and callable(value.text):
            token = _NESTED.set(_NESTED.get() + 1)
            try:
                return value.text(self.lang)
            finally:
                _NESTED.reset(token)
        match = _SPEC.match(format_spec)
        if match is None:
            if format_spec or not isinstance(value, str):
                raise ValueError(f"no format {format_spec!r} for {value!r}: use n, n1, pct, pct1, share, ...")
            return value
        places = int(match["places"]) if match["places"] else None
        if match["kind"] == "n":
            return format_number(value, self.lang, places or 0)
        if match["kind"] == "pct":
            return format_pct(value, self.lang, 2 if places is None else places)
        if match["kind"] == "prob":
            return format_probability(value, self.lang, places or 0)
        return format_share(value, self.lang, places or 0)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the catalog and the values it names, written in a language on demand."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en", *, template: str | None = None) -> str:
        """The sentence in ``lang`` (``template`` replaces the catalog's, for examples and tests)."""
        if template is None:
            try:
                template = CATALOG[self.key][check_lang(lang)]
            except KeyError:
                raise KeyError(f"no sentence {self.key!r} in {SENTENCES_FILE.name}") from None
        written = _Writer(lang).format(template, **self.values)
        return _capitalised(written, template) if lang == "vi" and _NESTED.get() == 0 else written

    def _repr_markdown_(self) -> str:
        return self.text("en")


def _capitalised(written: str, template: str) -> str:
    """A Vietnamese sentence that opens with a value (a unit in running text, ``xã Cam Tuyền``)
    with its first letter in capitals, as a sentence's first word is written (``Xã Cam Tuyền``).

    Examples:
        >>> _capitalised("xã Cam Tuyền có 109 hộ nghèo.", "{unit} có {poor:n} hộ nghèo.")
        'Xã Cam Tuyền có 109 hộ nghèo.'
        >>> _capitalised("**các xã** Thanh An", "**{units}"), _capitalised("(số liệu mô phỏng)", "(số liệu mô phỏng)")
        ('**Các xã** Thanh An', '(số liệu mô phỏng)')
    """
    lead = _LEAD.match(template).end()
    if not template.startswith("{", lead):
        return written
    at = _LEAD.match(written).end()
    return written[:at] + written[at:at + 1].upper() + written[at + 1:]


def say(key: str, **values: Any) -> Sentence:
    """The catalog's sentence ``key`` with ``values``.

    Examples:
        >>> say("example", poor=3).values["poor"]
        3
    """
    return Sentence(key, MappingProxyType(values))


@dataclass(frozen=True)
class Prose:
    """Sentences (or prose) shown together: joined by a space, or paragraphs by a blank line."""

    parts: tuple[Any, ...]
    sep: str = " "

    def text(self, lang: str = "en") -> str:
        """Every part in ``lang``, joined."""
        return self.sep.join(part.text(lang) if hasattr(part, "text") else str(part) for part in self.parts)

    def _repr_markdown_(self) -> str:
        return self.text("en")


def prose(*parts: Any) -> Prose:
    """Parts joined by a space; ``None`` parts (a sentence that does not apply) are left out.

    Examples:
        >>> prose(Label("poor"), None, Label("near_poor")).text("vi")
        'Hộ nghèo Hộ cận nghèo'
    """
    return Prose(tuple(part for part in parts if part is not None))


def paragraphs(*parts: Any) -> Prose:
    """Parts as paragraphs (a blank line between them); ``None`` parts are left out."""
    return Prose(tuple(part for part in parts if part is not None), sep="\n\n")


def _mid_sentence(name: str, lower: bool) -> str:
    """A name as it stands mid-sentence: its first letter in lower case where ``lower``.

    Examples:
        >>> _mid_sentence("Health insurance", True), _mid_sentence("Cam Tuyên", False)
        ('health insurance', 'Cam Tuyên')
    """
    return name[:1].lower() + name[1:] if lower else name


@dataclass(frozen=True)
class Unit:
    """A unit, named in the reader's language (``in_text``: as running text names it, in
    Vietnamese with its kind and official name).

    Examples:
        >>> Unit("Cam Tuyên").text("vi"), Unit("Cam Tuyên").text("en")
        ('xã Cam Tuyền', 'Cam Tuyên')
    """

    unit: str
    in_text: bool = True  # kept for callers that say so: a unit in a sentence is always running text

    def text(self, lang: str = "en") -> str:
        return unit_in_text(self.unit, lang)


@dataclass(frozen=True)
class Places:
    """Units named together in running text: in English as a listing; in Vietnamese grouped by
    kind, a kind said once before several names (``các xã Thanh An và Cam Chính``), the larger
    groups last and, beside another group, a group's names joined by commas.

    Examples:
        >>> units = Places(["Thanh An", "TT Cam Lộ", "Cam Tuyên"])
        >>> units.text("en")
        'Thanh An, Cam Lộ township and Cam Tuyên'
        >>> units.text("vi")
        'thị trấn Cam Lộ và các xã Thanh An, Cam Tuyền'
        >>> Places(["Cam Thành", "TT Cam Lộ"]).text("vi"), Places(["Cam Thành", "Cam Tuyên"]).text("vi")
        ('xã Cam Thành và thị trấn Cam Lộ', 'các xã Cam Thành và Cam Tuyền')
    """

    units: tuple[str, ...]

    def __init__(self, units: Iterable[str]) -> None:
        object.__setattr__(self, "units", tuple(units))

    def text(self, lang: str = "en") -> str:
        if check_lang(lang) == "en":
            return listing([unit_label(u, lang) for u in self.units], lang)
        groups: dict[str, list[str]] = {}
        for unit in self.units:
            groups.setdefault(UNIT_KINDS[unit]["kind"], []).append(UNIT_KINDS[unit]["name"])
        alone = len(groups) == 1
        return listing([f"{kind} {group[0]}" if len(group) == 1
                        else f"các {kind} {listing(group, lang) if alone else ', '.join(group)}"
                        for kind, group in sorted(groups.items(), key=lambda item: len(item[1]))], lang)


@dataclass(frozen=True)
class Indicator:
    """An indicator, named in the reader's language (``lower``: in lower case, mid-sentence)."""

    number: int
    lower: bool = False

    def text(self, lang: str = "en") -> str:
        return _mid_sentence(indicator_label(self.number, lang), self.lower)


@dataclass(frozen=True)
class Dimension:
    """A dimension of the standard, by its English name, named in the reader's language
    (``lower``: in lower case, mid-sentence).

    Examples:
        >>> Dimension("Information", lower=True).text("en"), Dimension("Information").text("vi")
        ('information', 'Thông tin')
    """

    dimension_en: str
    lower: bool = False

    def text(self, lang: str = "en") -> str:
        return _mid_sentence(dimension_label(self.dimension_en, lang), self.lower)


@dataclass(frozen=True)
class Named:
    """A name the data give in each language (e.g. an office, from the indicator table).

    Examples:
        >>> Named("Education and Training", "Phòng Giáo dục và Đào tạo").text("vi")
        'Phòng Giáo dục và Đào tạo'
    """

    en: str
    vi: str

    def text(self, lang: str = "en") -> str:
        return getattr(self, check_lang(lang))


@dataclass(frozen=True)
class Label:
    """A label of ``labels.csv``, in the reader's language."""

    key: str

    def text(self, lang: str = "en") -> str:
        return label(self.key, lang)


@dataclass(frozen=True)
class Listing:
    """Items joined as prose in the reader's language (``a, b and c``; ``a, b và c``)."""

    items: tuple[Any, ...]

    def __init__(self, items: Iterable[Any]) -> None:
        object.__setattr__(self, "items", tuple(items))

    def text(self, lang: str = "en") -> str:
        return listing([item.text(lang) if hasattr(item, "text") else str(item) for item in self.items], lang)


@dataclass(frozen=True)
class ProbabilityRange:
    """A probability's range, as a sentence's value: ``from 82% to above 99%``, or ``above 99% throughout``
    where both ends lie beyond the same bound (never a bare 100% or 0%).

    Examples:
        >>> ProbabilityRange(0.82, 1.0).text("en"), ProbabilityRange(0.995, 1.0).text("vi")
        ('from 82% to above 99%', 'trên 99% ở mọi mức')
    """

    low: float
    high: float

    def text(self, lang: str = "en") -> str:
        bottom, top = PROBABILITY_BOUNDS
        if self.low > top:
            return label("t03_range_above", lang).format(bound=format_pct(100 * top, lang, 0))
        if self.high < bottom:
            return label("t03_range_below", lang).format(bound=format_pct(100 * bottom, lang, 0))
        return label("t03_range", lang).format(low=format_probability(self.low, lang),
                                               high=format_probability(self.high, lang))
