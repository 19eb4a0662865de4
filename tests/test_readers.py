"""What a reader sees in the no-code reports (issue 20's done-when), over one real build.

Each no-code report, in each language, is read as a reader reads it (:mod:`reader_text`):

- the Vietnamese report holds no English sentence, the English one no untranslated Vietnamese
  sentence (proper names, codes such as BTXH and CSGN, the source's English title, the plan's
  own sentences and the sources recorded in the data files, quoted as recorded, aside);
- no package identifier, column name, ``NaN``, ``<NA>`` or ``True``/``False`` shows;
- numbers are written as the report's language writes them;
- no text in a PDF prints below 8 pt (read back with pypdf).

The build is the session's (``built`` in ``conftest.py``), shared with tests/test_build.py.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import reader_text as rt
from camlo.paths import DATA_RAW
from camlo.report.build import numbered_notebooks

LANGS = ("vi", "en")
STEMS = [path.stem for path in numbered_notebooks()]


def cases(langs=LANGS):
    return [pytest.param(stem, lang, id=f"{stem}.{lang}")
            for stem in STEMS for lang in langs]


def report(built: Path, stem: str, lang: str) -> Path:
    path = built / "reports" / f"{stem}.{lang}.html"
    assert path.is_file(), path
    return path


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def quoted_as_recorded() -> list[str]:
    """Texts a report quotes as the data files give them: the plan's sentences (section II's
    targets) and the sources the files' sidecars record; longest first."""
    with (DATA_RAW / "section_2_targets.csv").open(encoding="utf-8", newline="") as handle:
        plan = [row["sentence"] for row in csv.DictReader(handle)]
    recorded = [s for path in DATA_RAW.glob("*.provenance.json")
                for s in _strings(json.loads(path.read_text(encoding="utf-8")).get("amendments", []))]
    return sorted({t for t in [*plan, *recorded] if len(t) > 20}, key=len, reverse=True)


def reader_lines(built: Path, stem: str, lang: str) -> list[str]:
    """The report's visible lines, with what it quotes as recorded taken out (and, in English,
    block quotations of the plan)."""
    lines = rt.visible_text(report(built, stem, lang), quotations=lang == "vi")
    quoted = quoted_as_recorded()
    out = []
    for line in lines:
        for text in quoted:
            line = line.replace(text, " ")
        out.append(line)
    return out


# --- The checks see what they look for -----------------------------------------------------------------


def test_the_language_checks_tell_the_languages_apart():
    assert rt.is_english("The analysis recomputes every rate from the counts (7.36%).")
    assert not rt.is_english("Phân tích tính lại mọi tỷ lệ từ số hộ (7,36%).")
    assert not rt.is_english("BTXH 53 + CSGN 48 = 101")  # codes and numbers only
    assert not rt.is_english("Nguồn: Plan for sustainable poverty reduction 2022–2025")
    assert rt.is_vietnamese("Phân tích tính lại mọi tỷ lệ từ số hộ (7,36%).")
    assert not rt.is_vietnamese("Cam Tuyên has the highest poverty rate: 109 poor households of 1,481.")
    assert not rt.is_vietnamese("Phụ lục 1, Cam Thủy and Cam Chính")  # names aside


def test_the_other_checks_see_code_numbers_and_small_print(tmp_path):
    assert rt.code_artefacts(["CSGN reconciled in column csgn_reconciled", "a <NA> cell", "ok text"]) == [
        "CSGN reconciled in column csgn_reconciled", "a <NA> cell"]
    assert rt.code_artefacts(["poor households: 453"], columns=["households"]) == ["poor households: 453"]
    assert len(rt.misformatted_numbers(["Phụ lục 1 ghi 3.76% cho 1,481 hộ"], "vi")) == 2
    assert rt.misformatted_numbers(["Phụ lục 1 ghi 3,76% cho 1.481 hộ; A = 0,306"], "vi") == []
    assert len(rt.misformatted_numbers(["printed 3,76% for 1.481 households"], "en")) == 2
    assert rt.misformatted_numbers(["printed 3.76% for 1,481 households; A = 0.306"], "en") == []


# --- (a) one language per report ------------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "lang"), cases())
def test_no_sentence_of_the_other_language(built, stem, lang):
    lines = reader_lines(built, stem, lang)
    wrong = rt.english_sentences(lines) if lang == "vi" else rt.vietnamese_sentences(lines)
    assert wrong == []


# --- (b) no code ----------------------------------------------------------------------------------------


def _answer_columns(stem: str) -> set[str]:
    """The column names of the frames the notebook's answer holds (its tables and figures' data)."""
    import pandas as pd

    from camlo.report.notebooks import answer_module, notebook_parameters, read_notebook

    path = next(p for p in numbered_notebooks() if p.stem == stem)
    nb = read_notebook(path)
    answer = answer_module(nb).run(notebook_parameters(nb))

    def frames(value):
        if isinstance(value, pd.DataFrame):
            yield value
        elif hasattr(value, "frame") and isinstance(value.frame, pd.DataFrame):
            yield value.frame
        elif isinstance(value, dict):
            for v in value.values():
                yield from frames(v)

    return {str(c) for value in [*answer.tables.values(), *answer.figures.values()] for f in frames(value)
            for c in [*f.columns, *(f.index.names or [])] if c is not None and "_" in str(c)}


@pytest.mark.parametrize(("stem", "lang"), cases())
def test_no_package_identifier_or_column_name(built, stem, lang):
    lines = reader_lines(built, stem, lang)
    assert rt.code_artefacts(lines, _answer_columns(stem)) == []


# --- (c) legible on paper -------------------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "lang"), cases())
def test_no_text_in_a_pdf_below_8_points(built, stem, lang):
    pdf = built / "reports" / f"{stem}.{lang}.pdf"
    if not pdf.exists():
        pytest.skip("no Chromium: the build printed no PDFs")
    small = rt.small_text(pdf, 8.0)
    assert small == [], f"{len(small)} run(s) below 8 pt, e.g. {small[:5]}"


# --- (d) numbers as each language writes them -----------------------------------------------------------


@pytest.mark.parametrize(("stem", "lang"), cases())
def test_numbers_follow_the_reports_language(built, stem, lang):
    lines = [rt._QUOTED.sub(" ", line) for line in reader_lines(built, stem, lang)]
    assert rt.misformatted_numbers(lines, lang) == []


def test_a_data_files_name_is_not_code():
    """The report names the file it read (the reader's name); a column name beside it still counts."""
    assert rt.code_artefacts(["Records read: records_2022.csv: 14,905 households."]) == []
    assert rt.code_artefacts(["Records read: records_2022.csv, column poor_pct"]) != []
