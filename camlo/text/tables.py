"""Tables made for readers: headers in the reader's language, numbers as the language writes them.

A :class:`ReaderTable` is what a report shows of a table: a frame and, per shown column, its
header (a label of ``labels.csv``, or a name per language) and the kind of its values. It is
written in a language only when shown (:meth:`ReaderTable.frame_for`, :meth:`ReaderTable.html`):

- no index column, no internal names: headers come from the label table;
- counts grouped and rates with the plan's decimals, in each language's way;
- a blank cell (with, where the table says so, a note under it) where a value does not apply,
  never ``NaN`` or ``<NA>``; yes and no in words;
- a wide table is cut into parts of at most ``max_columns`` columns, each repeating the first
  column, so that nothing on an A4 page is printed small.

Examples:
    >>> import pandas as pd
    >>> t = ReaderTable(pd.DataFrame({"unit": ["Cam Tuyên"], "poor": [109], "rate": [7.3599]}),
    ...                 (Column("unit", "commune", "unit"), Column("poor", "poor", "count"),
    ...                  Column("rate", "poverty_rate_pct", "rate")))
    >>> t.frame_for("vi").to_dict("records")
    [{'Đơn vị': 'Cam Tuyên', 'Hộ nghèo': '109', 'Tỷ lệ hộ nghèo (%)': '7,36'}]
    >>> '<td class="number">7.36</td>' in t.html("en"), '<th class="number">Hộ nghèo</th>' in t.html("vi")
    (True, True)
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from camlo.text.labels import indicator_label, label, unit_label
from camlo.text.numbers import check_lang, format_number, format_probability, format_share

#: Text no longer than this (characters) is kept on one line in a table; longer text wraps.
SHORT = 24
#: A part of a table taller than this many printed lines (estimated by :func:`printed_lines`) may
#: break between its rows across pages, its header repeated; a shorter one is kept whole. The parts
#: of a wide table may always print on different pages.
LONG_LINES = 10
#: About how many characters of table text a line of an A4 page holds (9 pt, 182 mm).
LINE_CHARS = 110
#: How each kind of value is written.
KINDS = ("text", "unit", "indicator", "count", "rate", "rate1", "share", "probability", "yesno", "label")


def printed_lines(part: pd.DataFrame) -> int:
    """About how many lines a part of a table prints in: per row, its cell of most lines, a
    column holding an equal share of :data:`LINE_CHARS`.

    Examples:
        >>> printed_lines(pd.DataFrame({"a": ["x", "y"], "b": ["1", "2"]}))
        2
        >>> printed_lines(pd.DataFrame({"a": ["x" * 120], "b": ["1"]}))
        3
    """
    width = max(1, LINE_CHARS // max(1, part.shape[1]))
    return sum(max((math.ceil(len(cell) / width) for cell in row), default=1) or 1
               for row in part.itertuples(index=False))


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Column:
    """A shown column: the frame's column, its header and the kind of its values.

    Attributes:
        key: The frame's column.
        header: A label key, or a mapping language -> header.
        kind: One of :data:`KINDS`: ``text`` as it is, ``unit`` / ``indicator`` by name,
            ``count`` grouped, ``rate`` with 2 decimals (``rate1``: 1), ``share`` (0 to 1) as a
            percentage, ``probability`` (0 to 1) as a percentage never written as certain
            ("above 99%", :func:`camlo.text.numbers.format_probability`), ``yesno`` in words, ``label`` a key of the label table. A cell that
            writes itself (``text(lang)``) or gives its text per language (a mapping) is
            written so, whatever the kind.
    """

    key: str
    header: str | Mapping[str, str]
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    def title(self, lang: str) -> str:
        """The header in ``lang``."""
        return self.header[lang] if isinstance(self.header, Mapping) else label(self.header, lang)

    def write(self, value: Any, lang: str) -> str:
        """One value in ``lang`` (a blank for a value that does not apply)."""
        if hasattr(value, "text") and callable(value.text):
            return value.text(lang)
        if isinstance(value, Mapping):
            return str(value[lang])
        if _missing(value):
            return ""
        if self.kind == "unit":
            return unit_label(value, lang)
        if self.kind == "indicator":
            return indicator_label(int(value), lang, numbered=True)
        if self.kind == "count":
            return format_number(value, lang)
        if self.kind in ("rate", "rate1"):
            return format_number(value, lang, 2 if self.kind == "rate" else 1)
        if self.kind == "share":
            return format_share(value, lang, 1)
        if self.kind == "probability":
            return format_probability(value, lang, 1)
        if self.kind == "yesno":
            return label("yes" if bool(value) else "no", lang)
        if self.kind == "label":
            return label(str(value), lang)
        return str(value)


@dataclass(frozen=True)
class ReaderTable:
    """A table as a report shows it (see the module's docstring).

    Attributes:
        frame: The values, one row per shown row.
        columns: The shown columns, in order.
        unit: A label key for the line above the table saying its unit (``Đơn vị tính: hộ``).
        note: Text under the table (anything with ``text(lang)``), e.g. what a blank means.
        max_columns: The widest part the table is printed in.
    """

    frame: pd.DataFrame
    columns: tuple[Column, ...]
    unit: str | None = None
    note: Any = None
    max_columns: int = 8

    def frame_for(self, lang: str) -> pd.DataFrame:
        """The table in ``lang``: translated headers, every value written as text."""
        check_lang(lang)
        return pd.DataFrame({column.title(lang): [column.write(v, lang) for v in self.frame[column.key]]
                             for column in self.columns})

    def parts(self, lang: str) -> list[pd.DataFrame]:
        """The table cut into parts of at most ``max_columns`` columns, each with the first column."""
        shown = self.frame_for(lang)
        if shown.shape[1] <= self.max_columns:
            return [shown]
        first, rest = shown.columns[0], list(shown.columns[1:])
        step = self.max_columns - 1
        return [shown[[first, *rest[i:i + step]]] for i in range(0, len(rest), step)]

    def html(self, lang: str) -> str:
        """The table as HTML in ``lang``: a unit line, its parts, a note."""
        numeric = {c.title(lang) for c in self.columns if c.kind in ("count", "rate", "rate1", "share", "probability")}
        shown = self.frame_for(lang)
        short = {name for name in shown.columns if max(map(len, shown[name]), default=0) <= SHORT}
        unit = (f'<p class="camlo-unit">{html.escape(label("table_unit", lang))}: '
                f'{html.escape(label(self.unit, lang))}</p>') if self.unit else ""
        note = f'<p class="camlo-note">{html.escape(self.note.text(lang))}</p>' if self.note is not None else ""
        parts = self.parts(lang)
        pieces = []
        for i, part in enumerate(parts):
            head = "".join(('<th class="number">' if c in numeric else "<th>") + f"{html.escape(str(c))}</th>"
                           for c in part.columns)
            rows = "".join("<tr>" + "".join(
                f'<td class="{"number" if c in numeric else "short" if c in short else "text"}">{html.escape(v)}</td>'
                for c, v in zip(part.columns, row)) + "</tr>" for row in part.itertuples(index=False))
            table = f'<table class="camlo-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            # the unit line opens the first part and the note closes the last: each prints with its rows
            kind = "camlo-part camlo-long" if printed_lines(part) > LONG_LINES else "camlo-part"
            pieces.append(f'<div class="{kind}">{unit if i == 0 else ""}{table}'
                          f'{note if i == len(parts) - 1 else ""}</div>')
        return '<div class="camlo-reader-table">' + "".join(pieces) + "</div>"

    def _repr_html_(self) -> str:
        return self.html("en")

    def texts(self, lang: str) -> list[str]:
        """Every header and cell in ``lang`` (for checks of what a reader sees)."""
        shown = self.frame_for(lang)
        return [*map(str, shown.columns), *(v for row in shown.itertuples(index=False) for v in row)]


