"""Notebook 02's answer: its sentences and workbook sheets state numbers worked out by hand.

The hand-worked numbers come from the printed Phụ lục 1 and 2 (see ``test_af.PRINTED``): the
district's 1471 deprivations among 453 poor households of 14905, the leading indicators' counts
294 (telecom), 290 (health insurance), 231 (dependants) and 198 (latrine).
"""

from __future__ import annotations

import pytest

from camlo.answers import deprivation
from camlo.report.workbook import SHEETS, sheets_for
from camlo.text.tables import ReaderTable

ANSWER = deprivation.run()


def test_the_answer_reads_the_plan_tables_only():
    names = deprivation.inputs({})
    assert names and not any("observed" in name for name in names)
    assert ANSWER.question == deprivation.QUESTION == "02"


def test_the_finding_states_the_leading_indicators_share():
    share = (294 + 290 + 231 + 198) / 1471  # 68.9%
    assert f"{share:.0%}" == "69%"
    en, vi = ANSWER.finding.text("en"), ANSWER.finding.text("vi")
    assert "make up 69% of the district's adjusted headcount ratio M0" in en
    assert "use of telecom services, health insurance, dependants in the household and hygienic latrine" in en
    assert "Thanh An, Cam Thủy and Cam Tuyên carry more of it" in en
    assert "69%" in vi and "các xã Thanh An, Cam Thủy và Cam Tuyền" in vi
    assert ANSWER.values["leading_share_of_M0"] == pytest.approx(share, abs=1e-12)


def test_the_measures_sentence():
    text = ANSWER.text["af"].text("en")
    assert f"in {1471 / 453:.2f} of the 12 indicators" in text  # 3.25
    assert f"M0 = H × A = {1471 / (12 * 14905):.4f}" in text  # 0.0082
    # Thanh An: 313 deprivations among 106 poor households, where 3 each would need 318
    assert "Thanh An: 313 deprivations among 106 poor households, 2.95 each on average" in text
    assert "would need 318" in text and "would need 54" in text
    vi = ANSWER.text["af"].text("vi")
    assert "3,25 trong 12 chỉ số" in vi and "0,0082" in vi


def test_the_targeting_sentence_counts_the_cells():
    held = 82 + 75 + 70 + 69 + 65 + 60 + 43 + 42 + 39 + 37  # the ten largest cells
    text = ANSWER.text["targeting"].text("en")
    assert f"These 10 of the 96 unit × indicator cells hold {held} of the district's 1,471" in text
    assert "1.471" in ANSWER.text["targeting"].text("vi")


def test_the_answers_name_the_busiest_office_in_each_language():
    text = ANSWER.text["answers"]
    assert "Culture and Information has the largest load (424 household-deprivations, most in Thanh An: 113)" \
        in text.text("en")
    assert "Phòng Văn hóa - Thông tin" in text.text("vi")
    assert len(text.text("en").split("\n\n")) == 5  # drivers, where, who, caveat, the rule


def test_the_workbook_sheets_come_from_the_answer():
    assert SHEETS["02"]
    deprivations, measures, *_ = sheets_for(ANSWER)
    rows = deprivations.frame.set_index("unit")
    assert rows.loc["Cam Tuyên", 10] == round(100 * 75 / 109, 1)
    assert rows.loc["Cam Tuyên", "poor"] == 109
    assert rows.iloc[-1]["poor"] == 453
    af = measures.frame.set_index("unit")
    assert af.iloc[-1]["M0"] == round(1471 / (12 * 14905), 6)
    assert af.loc["Cam Tuyên", "M0_share"] == round(386 / 1471, 6)


READER_TABLES = ("af_summary", "leading", "largest_deviations", "targeting", "office_workload",
                 "district_workload", "score_bounds", "unit_shares", "rank_stability", "rule_bounds")


@pytest.mark.parametrize("name", READER_TABLES)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_shown_table_is_for_readers(name, lang):
    """No index, no snake_case header or internal code, no NaN; every part printable in HTML."""
    table = ANSWER.tables[name]
    assert isinstance(table, ReaderTable)
    texts = table.texts(lang)
    assert not [t for t in texts if "_" in t or t in ("nan", "NaN", "<NA>", "True", "False", "district")]
    assert "camlo-table" in table.html(lang)
    assert all(part.shape[1] <= table.max_columns <= 8 for part in table.parts(lang))


def _rows(name: str, lang: str):
    return ANSWER.tables[name].frame_for(lang).set_index(ANSWER.tables[name].columns[0].title(lang))


def test_the_measures_table_in_each_language():
    en, vi = _rows("af_summary", "en"), _rows("af_summary", "vi")
    assert en.loc["District", "Headcount ratio H (%)"] == f"{100 * 453 / 14905:.2f}"  # 3.04
    assert vi.loc["Toàn huyện", "Chỉ số nghèo đa chiều M0"] == f"{1471 / (12 * 14905):.4f}".replace(".", ",")
    assert en.loc["Cam Tuyên", "Intensity A"] == f"{386 / (12 * 109):.3f}"  # 0.295
    assert list(en.index[:2]) == ["Thanh An", "Cam Lộ township"] and vi.index[1] == "TT Cam Lộ"


def test_the_targeting_table_names_indicators_and_offices():
    en, vi = ANSWER.tables["targeting"].frame_for("en"), ANSWER.tables["targeting"].frame_for("vi")
    first = en.iloc[0]
    assert (first["Unit"], first["Indicator"], first["Poor households deprived"], first["Poor households"]) == \
        ("Thanh An", "11. Use of telecom services", "82", "106")
    assert first["Share of the unit's poor households"] == f"{82 / 106:.1%}"  # 77.4%
    assert vi.iloc[0]["Cơ quan chịu trách nhiệm (mục VII)"].startswith("Phòng Văn hóa - Thông tin")


def test_the_workload_table_has_units_as_rows_and_the_district_last():
    en = _rows("office_workload", "en")
    assert en.loc["Thanh An", "Culture and Information"] == "113"
    assert en.loc["District", "Culture and Information"] == "424"
    assert list(_rows("office_workload", "vi").index)[-1] == "Toàn huyện"


def test_the_score_bounds_table_writes_each_range_in_each_language():
    en, vi = _rows("score_bounds", "en"), _rows("score_bounds", "vi")
    assert en.loc["Thanh An", "3 or more deprivations"] == "22–104"
    assert vi.loc["Toàn huyện", "Từ 3 chỉ số thiếu hụt trở lên"] == "116–449"
    assert ANSWER.tables["score_bounds"].note.text("vi").startswith("Mỗi ô")


def test_vietnamese_sentences_name_units_by_kind_and_official_name():
    text = "\n".join(part.text("vi") for part in ANSWER.text.values())
    assert "xã Cam Tuyền" in text and "Cam Tuyên" not in text
    assert "thị trấn Cam Lộ và các xã Thanh An, Cam Thành, Cam Thủy, Cam Hiếu" in text
    assert "camlo" not in text.lower() and "camlo" not in ANSWER.text["af"].text("en")
    assert "Mục V xác định cận" in ANSWER.text["af"].text("vi")
