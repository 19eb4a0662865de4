"""Page breaks of the printed reports (issue 20, item 4): no page is left mostly blank.

A page's blank share is the part of its text area (the A4 page less the margins of
:data:`camlo.report.html.REPORT_CSS`) below the lowest text or image on it, read back with pypdf
(the footer's page number, in the bottom margin, aside). Only the document's last page may be
emptier: the reports set no forced page break, so no other page ends a section early.

The build is the session's (``built`` in ``conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from camlo.report.build import numbered_notebooks
from camlo.text.tables import Column, ReaderTable

MM = 72 / 25.4
#: The page margins of REPORT_CSS (``@page``), top and bottom, in mm.
TOP_MM, BOTTOM_MM = 16, 18
#: The largest blank share of a page's text area allowed before the document's last page.
MOST_BLANK = 0.42

LANGS = ("vi", "en")
STEMS = [path.stem for path in numbered_notebooks()]


def blank_shares(pdf: Path) -> list[float]:
    """Per page, the share of its text area below the lowest text baseline or image bottom."""
    from pypdf import PdfReader

    shares = []
    for page in PdfReader(pdf).pages:
        height = float(page.mediabox.height)
        bottom, top = BOTTOM_MM * MM, height - TOP_MM * MM
        lowest = [top]

        def mark(y: float) -> None:
            if y >= bottom - 2:  # the footer's page number sits lower, in the margin
                lowest[0] = min(lowest[0], y)

        def text(chars, cm, tm, font, size):
            if chars.strip():
                mark(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        def operator(op, args, cm, tm):
            if op == b"Do":  # an image fills the unit square of the current matrix
                mark(min(cm[5], cm[5] + cm[3]))

        page.extract_text(visitor_text=text, visitor_operand_before=operator)
        shares.append(round((lowest[0] - bottom) / (top - bottom), 3))
    return shares


def test_the_measure_sees_a_blank_page_and_a_full_one(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    full = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    full[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 10 Tf 1 0 0 1 60 {BOTTOM_MM * MM + 20:.1f} Tm (last line) Tj ET".encode())
    full[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "pages.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    blank, filled = blank_shares(path)
    assert blank == 1.0
    assert 0 < filled < 0.05


def test_a_table_breaks_between_parts_and_a_tall_part_between_rows():
    frame = pd.DataFrame({"unit": [f"Unit {i}" for i in range(12)], **{f"c{j}": range(12) for j in range(9)}})
    columns = (Column("unit", {"en": "Unit", "vi": "Đơn vị"}),
               *(Column(f"c{j}", {"en": f"C{j}", "vi": f"C{j}"}, "count") for j in range(9)))
    shown = ReaderTable(frame, columns, unit="households").html("en")
    assert shown.count('<div class="camlo-part camlo-long">') == 2  # 12 rows: each part may break
    assert shown.index("camlo-unit") < shown.index("<table", shown.index("camlo-part"))
    short = ReaderTable(frame.head(4), columns).html("en")
    assert short.count('<div class="camlo-part">') == 2 and "camlo-long" not in short


@pytest.mark.parametrize(("stem", "lang"), [pytest.param(s, lang, id=f"{s}.{lang}") for s in STEMS for lang in LANGS])
def test_no_page_but_the_last_is_mostly_blank(built, stem, lang):
    pdf = built / "reports" / f"{stem}.{lang}.pdf"
    if not pdf.exists():
        pytest.skip("no Chromium: the build printed no PDFs")
    shares = blank_shares(pdf)
    emptier = [(number, share) for number, share in enumerate(shares[:-1], start=1) if share > MOST_BLANK]
    assert emptier == [], f"pages left more than {MOST_BLANK:.0%} blank (page, share): {emptier} of {shares}"


#: Text at least this large (points) is a heading: the body prints at 10 pt, a formula at 11.5 pt.
HEADING_PT = 12.0


def last_lines(pdf: Path) -> list[tuple[float, str]]:
    """Per page, the largest size (points) on its lowest line of text and that line's text."""
    from pypdf import PdfReader

    found = []
    for page in PdfReader(pdf).pages:
        runs = []

        def text(chars, cm, tm, font, size):
            if chars.strip() and size:
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
                if y >= BOTTOM_MM * MM - 2:  # not the footer's page number
                    runs.append((y, size * (c * c + d * d) ** 0.5, chars.strip()))

        page.extract_text(visitor_text=text)
        lowest = min((y for y, _, _ in runs), default=0)
        line = [(size, chars) for y, size, chars in runs if y <= lowest + 3]
        found.append((max((size for size, _ in line), default=0.0), " ".join(chars for _, chars in line)[:60]))
    return found


@pytest.mark.parametrize(("stem", "lang"), [pytest.param(s, lang, id=f"{s}.{lang}") for s in STEMS for lang in LANGS])
def test_no_page_ends_with_a_heading(built, stem, lang):
    pdf = built / "reports" / f"{stem}.{lang}.pdf"
    if not pdf.exists():
        pytest.skip("no Chromium: the build printed no PDFs")
    ending = [(number, text) for number, (size, text) in enumerate(last_lines(pdf), start=1) if size >= HEADING_PT]
    assert ending == [], f"pages whose last line is a heading (page, line): {ending}"
