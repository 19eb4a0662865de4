"""The PDF of each report without code: A4, Vietnamese text, page numbers, what page 1 must say.

The text is read back with pypdf (pure Python, so the test needs no system tool beyond the
browser that printed the files). Skips, saying why, where Chromium is not installed.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from camlo.clean.annexes import load_units
from camlo.report.build import MANIFEST, numbered_notebooks
from camlo.report.build import REPORT_LANGS
from camlo.report.pdf import chromium, normalise_pdf

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.skipif(chromium() is None, reason="chromium is not installed (Debian package "
                                "'chromium'; `make reports` and `make test` install it where apt-get is usable)")

A4 = (595, 842)  # points


def text_of(page) -> str:
    return unicodedata.normalize("NFC", page.extract_text() or "")


@pytest.fixture(scope="module")
def pdfs(built) -> dict:
    reports = built / "reports"
    manifest = json.loads((reports / MANIFEST).read_text(encoding="utf-8"))
    return {f"{nb.stem}.{lang}": (pypdf.PdfReader(reports / f"{nb.stem}.{lang}.pdf"),
                                  {**manifest["notebooks"][nb.stem], "lang": lang})
            for nb in numbered_notebooks() for lang in REPORT_LANGS}


def test_each_report_has_a_pdf_on_a4_with_a_sane_page_count(pdfs):
    for stem, (reader, _) in pdfs.items():
        assert 2 <= len(reader.pages) <= 60, (stem, len(reader.pages))
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width), round(height)) == A4, (stem, width, height)


def test_first_page_gives_title_source_and_data_version(pdfs):
    for stem, (reader, entry) in pdfs.items():
        first = text_of(reader.pages[0])
        title = entry["title"][entry["lang"]]
        assert title.split(":")[0] in " ".join(first.split()), stem
        assert "23/KH-UBND" in first and "Cam Lộ" in first, stem
        assert entry["data_version"] in first, stem
        assert reader.metadata.title == title


def test_pages_are_numbered(pdfs):
    for stem, (reader, _) in pdfs.items():
        total = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            assert re.search(rf"\b{number} / {total}\b", text_of(page)), (stem, number)


def test_vietnamese_names_survive_in_the_text(pdfs):
    """Unit names with their diacritics (Cam Thủy, Cam Nghĩa, ...) are in every report's text."""
    units = [name for name in load_units().iloc[:, 0] if any(ord(c) > 127 for c in name)]  # printed names
    assert units
    for stem, (reader, _) in pdfs.items():
        text = " ".join(text_of(page) for page in reader.pages)
        found = [name for name in units if name in text]
        assert len(found) >= 2, (stem, found)
        assert ("Kế hoạch" in text and "huyện" in text) if stem.endswith(".vi") else "Plan 23/KH-UBND" in text, stem


def test_pdfs_carry_no_time_of_printing(pdfs, built):
    for stem, (reader, _) in pdfs.items():
        data = (built / "reports" / f"{stem}.pdf").read_bytes()  # stem: NN_name.lang
        assert normalise_pdf(data) == data
        assert reader.metadata["/CreationDate"] == "D:20220218000000+00'00'"
