"""The glossary: one rendering of each term, which every label and sentence in Vietnamese keeps.

``camlo/text/glossary.csv`` gives each English term its Vietnamese rendering (the standard's and
the plan's own terms; for the analysis's terms, the rendering chosen once); where the plan itself
writes a term in two ways (``chỉ tiêu`` for a numeric target, ``mục tiêu`` in "meeting the
target"), both are listed, separated by ``|``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from camlo.text.labels import LABELS
from camlo.text.sentences import CATALOG

GLOSSARY = Path(__file__).resolve().parents[1] / "camlo" / "text" / "glossary.csv"


def glossary() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def uses(text: str, term: str) -> bool:
    """Whether ``text`` uses the English ``term`` as words (plurals and -ed forms too)."""
    return re.search(rf"(?<![\w-]){re.escape(term)}(?:s|es|ed)?(?![\w-])", text, flags=re.IGNORECASE) is not None


def _without(text: str, terms: list[str]) -> str:
    """``text`` without the longer terms that contain a shorter one (``adjusted headcount ratio``)."""
    for term in terms:
        text = re.sub(re.escape(term), " ", text, flags=re.IGNORECASE)
    return text


def texts() -> list[tuple[str, str, str]]:
    return [(f"sentence {key}", row["en"], row["vi"]) for key, row in CATALOG.items()] + \
           [(f"label {key}", row["en"], row["vi"]) for key, row in LABELS.items()]


def test_the_glossary_has_one_rendering_per_term():
    rows = glossary()
    assert rows and all(row["en"] and row["vi"] for row in rows)
    assert len({row["en"] for row in rows}) == len(rows)


@pytest.mark.parametrize("term", glossary(), ids=lambda row: row["en"])
def test_every_vietnamese_text_keeps_the_glossarys_term(term):
    """A sentence or label that says the term in English says the glossary's term in Vietnamese."""
    renderings = [each.strip().lower() for each in term["vi"].split("|")]
    longer = [row["en"] for row in glossary() if row["en"] != term["en"] and term["en"] in row["en"]]
    missing = [where for where, en, vi in texts()
               if uses(_without(re.sub(r"\{[^}]*\}", "", en), longer), term["en"])
               and not any(r in vi.lower() for r in renderings)]
    assert missing == []


def test_the_check_sees_a_paraphrase():
    assert uses("the poor households of the district", "poor household")
    assert not uses("the near-poor households", "poor household")
