"""Notebook 04 for readers: every sentence quoting a synthetic number says so, and the population R0.

The synthetic mark is checked over the executed notebook's stored outputs (each language's text of
every computed sentence and reader table) and over the answer of a synthetic run; a review written
here without a synthetic sidecar carries no mark. Redundancy R0 among poor households (censored)
and over all households (uncensored, OPHI's population measure) is checked against counts worked
out by hand on six households, and against a plain recomputation on a small review.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from camlo.answers import records as answer04
from camlo.clean.plan_tables import load_plan_tables
from camlo.measures.scores import co_deprivation
from camlo.paths import NOTEBOOKS
from camlo.report.languages import BILINGUAL, BILINGUAL_HTML
from camlo.report.workbook import sheets_for
from camlo.text.labels import label
from camlo.text.numbers import LANGS
from camlo.text.tables import ReaderTable
from records_helpers import write_frame
from shipped_tables import SHIPPED

NOTEBOOK = NOTEBOOKS / "04_household_records.ipynb"
DEPRIVATIONS = [f"d{j}" for j in range(1, 13)]
#: What says a sentence is synthetic, in each language.
SAYS = {"en": re.compile(r"synthetic", re.I), "vi": re.compile(r"mô phỏng", re.I)}
#: The marks a review that is not synthetic never carries.
MARKS = ("(synthetic)", "SYNTHETIC", "(số liệu mô phỏng)", "Dữ liệu hộ mô phỏng", "MÔ PHỎNG")
#: Numbers in a sentence that are references, not values: decrees, notebooks, years, file names.
NOT_VALUES = re.compile(r"\S*\d+/\d{4}/\S*|(?:notebook|sổ tay) \d+|\b20\d\d\b|`[^`]*`")


def sentences(text: str) -> list[str]:
    """A shown text cut into sentences: at a full stop (bold closed or not) before a space, and at line breaks."""
    cut = re.split(r"(?<=\.)\s+|(?<=\.\*\*)\s+|\n+", text)
    return [each.strip() for each in cut if each.strip()]


def quotes_a_value(sentence: str) -> bool:
    return re.search(r"\d", NOT_VALUES.sub(" ", sentence)) is not None


def unmarked(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` that quote a value and do not say they are synthetic."""
    return [s for s in sentences(text) if quotes_a_value(s) and not SAYS[lang].search(s)]


def test_the_sentence_splitter_and_the_check_see_an_unmarked_sentence():
    text = "**SYNTHETIC records:** Of 453 poor, 365 have 3. Rural households carry 91.8% of M0."
    assert unmarked(text, "en") == ["Rural households carry 91.8% of M0."]
    assert unmarked("Decree 07/2021/NĐ-CP applies (notebook 02).", "en") == []


@pytest.fixture(scope="module")
def stored() -> list[dict]:
    """The executed notebook's outputs that carry both languages (sentences and reader tables)."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return [output["data"] for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if {BILINGUAL, BILINGUAL_HTML} & set(output.get("data", {}))]


def test_every_stored_sentence_quoting_a_number_of_the_synthetic_records_says_so(stored):
    texts = [data[BILINGUAL] for data in stored if BILINGUAL in data]
    assert len(texts) >= 12
    for lang in LANGS:
        found = [s for each in texts for s in unmarked(each[lang], lang)]
        assert found == [], (lang, found)


def test_every_stored_table_of_the_synthetic_records_says_so_in_its_note(stored):
    tables = [data[BILINGUAL_HTML] for data in stored if BILINGUAL_HTML in data]
    assert len(tables) >= 10
    for lang in LANGS:
        for html in tables:
            note = re.search(r'<p class="camlo-note">(.*?)</p>', html[lang], re.S)
            assert note is not None and SAYS[lang].search(note.group(1)), (lang, html[lang][:200])


@pytest.fixture(scope="module")
def synthetic_answer():
    return answer04.run({"n_paths": 2_000})


def _parts(result):
    yield "finding", result.finding
    yield from result.text.items()


def test_every_sentence_of_a_synthetic_answer_quoting_a_number_says_so(synthetic_answer):
    assert synthetic_answer.synthetic
    for name, part in _parts(synthetic_answer):
        for lang in LANGS:
            assert unmarked(part.text(lang), lang) == [], (name, lang)
    for name, table in synthetic_answer.tables.items():
        if isinstance(table, ReaderTable):
            for lang in LANGS:
                assert table.note is not None and SAYS[lang].search(table.note.text(lang)), (name, lang)


def test_the_ethnic_minority_sentence_says_which_numbers_are_synthetic(synthetic_answer):
    headline = SHIPPED.headline.set_index("key")["count"]
    h = headline["dtts_poor"] / headline["dtts_households"]  # printed: 42 of 101 households
    en = synthetic_answer.text["decomposition"].text("en")
    vi = synthetic_answer.text["decomposition"].text("vi")
    assert f"their H is {100 * h:.1f}%" in en and "as the printed counts give them" in en
    assert re.search(r"their A, 0\.\d{3} against 0\.\d{3}, and their \d+\.\d% of M0 are the generator's \(synthetic\)", en)
    assert f"{100 * h:.1f}".replace(".", ",") + "%" in vi and "đúng như số liệu đã công bố" in vi
    assert re.search(r"cường độ nghèo A \(0,\d{3}, so với 0,\d{3}\) và tỷ trọng đóng góp \d+,\d% vào M0 là số liệu mô phỏng", vi)


def test_the_near_poor_by_unit_is_the_generators_apportionment(synthetic_answer):
    text = synthetic_answer.text["near_poor"]
    printed = int(SHIPPED.headline.set_index("key").loc["near_poor", "count"])
    assert f"for the district only ({printed:,})" in text.text("en") and "apportionment" in text.text("en")
    assert "phân bổ của bộ sinh dữ liệu" in text.text("vi")
    note = synthetic_answer.tables["shown_near_poor"].note
    assert "apportionment" in note.text("en") and SAYS["vi"].search(note.text("vi"))


def test_the_workbook_sheets_of_synthetic_records_say_so_in_their_title(synthetic_answer, own_answer):
    for result, synthetic in ((synthetic_answer, True), (own_answer, False)):
        for sheet in sheets_for(result):
            title = " ".join(label(sheet.title, lang) for lang in LANGS) + sheet.name
            assert ("SYNTHETIC" in title and "MÔ PHỎNG" in title) == synthetic, (sheet.name, title)


# --- a review that is not synthetic -------------------------------------------------------------------


def small_review() -> pd.DataFrame:
    """24 households of two units, in the record format: every third poor (d1–d3 and more), the next
    near-poor, the rest above the lines with a deprivation or two."""
    rng = np.random.default_rng(7)
    rows = []
    for unit in ("Cam Thành", "Cam Hiếu"):
        for i in range(12):
            poor, near = i % 3 == 0, i % 3 == 1
            flags = rng.random(12) < (0.5 if poor else 0.15)
            flags[:3] |= poor
            if not poor:
                flags[flags.cumsum() > 2] = False  # fewer than 3: never poor by deprivations
            rows.append({"household_id": f"R{len(rows) + 1:04d}", "unit": unit, "members": 4,
                         "income_per_person": 1_100_000 if poor or near else 5_000_000,
                         **dict(zip(DEPRIVATIONS, flags.astype(int))), "ethnic_minority": int(i % 5 == 0),
                         "btxh": int(poor and i % 2 == 0),
                         "status_recorded": "poor" if poor else "near_poor" if near else ""})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    frame = small_review()
    path = write_frame(frame, tmp_path_factory.mktemp("review") / "review.csv")
    return frame, answer04.run({"records_path": str(path), "n_paths": 300})


@pytest.fixture(scope="module")
def own_answer(own):
    return own[1]


def test_a_review_without_a_synthetic_sidecar_carries_no_mark(own_answer):
    assert own_answer.synthetic is False
    for name, part in _parts(own_answer):
        for lang in LANGS:
            text = part.text(lang)
            assert not any(mark in text for mark in MARKS), (name, lang, text)
    for name, table in own_answer.tables.items():
        if isinstance(table, ReaderTable):
            for lang in LANGS:
                assert not any(mark in table.html(lang) for mark in MARKS), (name, lang)


def test_the_population_r0_of_a_review_is_a_plain_recomputation(own):
    frame, result = own
    pairs = result.tables["redundancy"].set_index(["indicator_j", "indicator_k"])
    poor = frame["status_recorded"] == "poor"
    for j, k in [(1, 2), (2, 3), (1, 4), (4, 9)]:
        dj, dk = frame[f"d{j}"] == 1, frame[f"d{k}"] == 1
        for rows, r0 in ((poor, "r0"), (pd.Series(True, index=frame.index), "r0_population")):
            smaller = min((dj & rows).sum(), (dk & rows).sum())
            want = (dj & dk & rows).sum() / smaller if smaller else np.nan
            assert pairs.loc[(j, k), r0] == pytest.approx(want, nan_ok=True), (j, k, r0)
    shown = result.tables["shown_redundancy"].frame_for("en")
    assert {"R0 among poor households (censored)", "R0 over all households (OPHI)"} <= set(shown.columns)
    assert "OPHI's population measure" in result.text["overlaps"].text("en")
    assert "cách tính của OPHI" in result.text["overlaps"].text("vi")


# --- R0 by hand ---------------------------------------------------------------------------------------


def six_households() -> pd.DataFrame:
    """Three poor households and three others, deprived in indicators 1 to 4 only:

    ====  =========  ==============
    hh    status     deprived in
    ====  =========  ==============
    1     poor       1, 2, 3
    2     poor       1, 3, 4
    3     poor       2, 3, 4
    4     near-poor  1, 2
    5     middle     1
    6     middle     (none)
    ====  =========  ==============
    """
    deprived = [(1, 2, 3), (1, 3, 4), (2, 3, 4), (1, 2), (1,), ()]
    return pd.DataFrame({"status": ["poor", "poor", "poor", "near_poor", "middle", "middle"],
                         **{f"d{j}": [int(j in each) for each in deprived] for j in range(1, 13)}})


#: Worked out by hand from the table above: R0 = both / min(deprived in j, deprived in k).
#: Among the poor (1-3): d1 {1,2}, d2 {1,3}, d3 {1,2,3}, d4 {2,3}. Over all: d1 {1,2,4,5}, d2 {1,3,4}.
BY_HAND = {
    (1, 2): (1 / 2, 2 / 3),  # poor: both {1} over min(2, 2); all: both {1, 4} over min(4, 3)
    (1, 3): (2 / 2, 2 / 3),  # poor: {1, 2} over min(2, 3); all: {1, 2} over min(4, 3)
    (3, 4): (2 / 2, 2 / 2),  # only poor households are deprived in 3 and 4: the same
    (2, 4): (1 / 2, 1 / 2),  # poor: {3} over min(2, 2); all: {3} over min(3, 2)
    (1, 5): (None, None),    # nobody deprived in 5: R0 undefined
}


def test_population_r0_and_censored_r0_equal_the_hand_worked_values():
    records = six_households()
    indicators = load_plan_tables().indicators
    pairs = answer04.redundancy_pairs(co_deprivation(records, indicators),
                                      co_deprivation(records, indicators, status=None)).set_index(
        ["indicator_j", "indicator_k"])
    for pair, (poor, everyone) in BY_HAND.items():
        got = pairs.loc[pair, ["r0", "r0_population"]].tolist()
        if poor is None:
            assert np.isnan(got).all(), pair
        else:
            assert got == pytest.approx([poor, everyone]), pair
    assert pairs.loc[(1, 2), ["both", "both_population"]].tolist() == [1, 2]
    # the pairs are in the order of poor households deprived in both, most first
    assert list(pairs.index[:3]) == [(1, 3), (2, 3), (3, 4)]


def test_the_moves_sheet_names_its_rates_in_both_languages_not_by_code(synthetic_answer):
    sheet = sheets_for(synthetic_answer)[1]
    assert sheet.name.startswith("8 Mô phỏng")
    assert "Hộ nghèo CSGN thoát nghèo / CSGN households leaving poverty = 0.5286" in sheet.note
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", sheet.note), sheet.note
