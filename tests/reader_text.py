"""What a reader sees in a report, and the checks issue 20 asks of it (used by tests/test_readers.py).

- :func:`visible_text`: the text of an HTML report as a browser shows it, one line per block
  (paragraph, heading, table cell), without scripts, styles, formulas or the page's head;
- :func:`english_sentences` / :func:`vietnamese_sentences`: sentences of one language left in
  the other's report;
- :func:`code_artefacts`: package identifiers, column names and missing-value markers;
- :func:`misformatted_numbers`: numbers written the other language's way;
- :func:`small_text`: text in a PDF printed below a size, read back with pypdf.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from bs4 import BeautifulSoup

#: Tags whose end starts a new line of visible text.
BLOCKS = ("p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "caption",
          "figcaption", "summary", "dt", "dd", "pre", "blockquote", "section", "header", "footer")

#: Common English words: a sentence made mostly of these, with no Vietnamese letter, is English.
ENGLISH = frozenset("""
a about above after against all also an and any are as at be because been before below between both
but by can cannot could did do does each either every few for from had has have here how if in into is
it its itself least less many may more most much must no none nor not of off on once one only or other
our out over own per same should since so some such than that the their them then there these they this
those though three through to too two under until up upon very was we were what when where whether which
while who whose why will with within without would yet
year years start end review reviews household households poor near-poor unit units district rate rates
number numbers printed print prints count counts total share target targets each path paths projection
table tables figure figures column columns row rows value values plan plan's data records record
deprived deprivation deprivations indicator indicators dimension dimensions measure measures standard
income line lines people person members commune communes township social protection policy escape
poverty minority ethnic health insurance education housing water sanitation information access
analysis shows shown show gives given give used uses use left missing found finds shows means mean
higher lower highest lowest above below rise fall fell rose same whole part parts sum add adds up
""".split())

#: Names a sentence of the other language may carry: units, documents, the plan's own words.
NAMES = ("Thanh An", "Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên", "Cam Tuyền", "Cam Chính",
         "Cam Hiếu", "Hiếu Giang", "Cam Hiếu", "Quảng Trị", "Phụ lục", "Nghị định", "Thông tư", "Quyết định",
         "NĐ-CP", "TT-BLĐTBXH", "KH-UBND", "QĐ-TTg", "UBND", "Kế hoạch", "Tổng cộng", "Tổng", "Đơn vị")
#: The source's English title, which the Vietnamese reports may quote.
ENGLISH_TITLES = ("Plan for sustainable poverty reduction 2022–2025",)

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|‘[^’]*’|(?<!\w)'[^']+'(?!\w)")


_BREAK = "\x00"


def visible_text(path: Path, *, quotations: bool = True) -> list[str]:
    """The lines of text a reader sees in the HTML report ``path`` (one per block, whitespace
    collapsed); ``quotations=False`` leaves out block quotations (the plan quoted)."""
    soup = BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style", "head", "math", "svg", "noscript", "template",
                     *([] if quotations else ["blockquote"])]):
        tag.decompose()
    for tag in soup.find_all(class_="anchor-link"):  # the ¶ beside each heading
        tag.decompose()
    for tag in soup.find_all(BLOCKS):
        tag.insert_after(_BREAK)
    text = soup.get_text()
    return [" ".join(line.split()) for line in text.split(_BREAK) if line.strip()]


def sentences(lines: Iterable[str]) -> list[str]:
    """The lines cut into sentences (after ``.``, ``;``, ``:``, ``?`` or ``!`` and a space)."""
    return [s.strip() for line in lines for s in re.split(r"(?<=[.;:?!])\s+", line) if s.strip()]


def _has_vietnamese(word: str) -> bool:
    """Whether ``word`` carries a letter English does not write (a Vietnamese diacritic, đ)."""
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in word) or "đ" in word.lower()


def _without_names(sentence: str) -> str:
    for name in NAMES:
        sentence = sentence.replace(name, " ")
    return _QUOTED.sub(" ", sentence)


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def is_english(sentence: str) -> bool:
    """A sentence of at least 4 words, none with a Vietnamese letter, most of them common English words."""
    if any(title in sentence for title in ENGLISH_TITLES):
        return False
    found = words(sentence)
    if len(found) < 4 or any(_has_vietnamese(w) for w in found):
        return False
    common = sum(w.lower().strip("'’") in ENGLISH for w in found)
    return common / len(found) > 0.5


def is_vietnamese(sentence: str) -> bool:
    """A sentence of at least 4 words (names and quotations aside), most with a Vietnamese letter."""
    found = words(_without_names(sentence))
    return len(found) >= 4 and sum(map(_has_vietnamese, found)) / len(found) > 0.5


def english_sentences(lines: Iterable[str]) -> list[str]:
    return [s for s in sentences(lines) if is_english(s)]


def vietnamese_sentences(lines: Iterable[str]) -> list[str]:
    """Sentences mostly in Vietnamese, quotations aside (a line's quoted spans are left out first)."""
    return [s for s in sentences(_QUOTED.sub(" ", line) for line in lines) if is_vietnamese(s)]


#: What code leaves in a text: package paths, snake_case names, pandas' missing values, booleans.
CODE = re.compile(r"\bcamlo\.[a-z_]|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\bNaN\b|<NA>|\bNone\b|\bTrue\b|\bFalse\b"
                  r"|data/raw|papermill|python -m|\.ipynb\b|\bdtype\b")


#: A data file's name, as the reader gave it (``records_2022.csv``): the report says which file it
#: read, and a file's name is the reader's, not the package's.
FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|xlsx|xls)\b")


def code_artefacts(lines: Iterable[str], columns: Iterable[str] = ()) -> list[str]:
    """Lines that show code: a pattern of :data:`CODE`, or one of ``columns`` as a word (the names
    of the data files read aside)."""
    names = [c for c in columns if isinstance(c, str) and re.fullmatch(r"[a-z][a-z0-9_]*", c) and len(c) > 3]
    named = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b") \
        if names else None
    return [line for line in lines if CODE.search(FILE_NAME.sub(" ", line))
            or (named and named.search(FILE_NAME.sub(" ", line)))]


#: Numbers written the other language's way: a decimal point (vi) or comma (en) in a percentage,
#: and thousands grouped with the other separator.
#: (A number such as ``6.582`` alone may be a decimal: grouping is judged only before a count's
#: word, or a mark of the audit's tables.)
_COUNTED = r"(?=\s*(?:hộ|người|đồng|households?|persons?|people|VND|✓|≠))"
WRONG_NUMBER = {
    "vi": re.compile(r"(?<![\d.,])\d+\.\d+\s?%|(?<![\d.,/])[1-9]\d{0,2}(?:,\d{3})+(?![\d,.])" + _COUNTED),
    "en": re.compile(r"(?<![\d.,])\d+,\d+\s?%|(?<![\d.,/])[1-9]\d{0,2}(?:\.\d{3})+(?![\d,.])" + _COUNTED),
}


def misformatted_numbers(lines: Iterable[str], lang: str) -> list[str]:
    """The numbers of ``lines`` written as the other language writes them (with their line)."""
    pattern = WRONG_NUMBER[lang]
    return [f"{m.group(0)!r} in: {line[:160]}" for line in lines for m in pattern.finditer(line)]


def small_text(pdf: Path, smallest: float = 8.0) -> list[tuple[int, float, str]]:
    """Text in ``pdf`` printed below ``smallest`` points: (page, size, text), read back with pypdf.

    A run's size is its font size scaled by its text matrix and the current transformation
    matrix (their vertical scale), as a reader measures it on paper.
    """
    from pypdf import PdfReader

    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            if not text.strip() or not size:
                return
            a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                          tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            points = size * (c * c + d * d) ** 0.5
            if points < smallest - 0.05:
                found.append((number, round(points, 2), text.strip()[:40]))

        page.extract_text(visitor_text=visit)
    return found
