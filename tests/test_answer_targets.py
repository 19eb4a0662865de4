"""Notebook 03's answer for readers: its tables in each language, and what it says of each review's standard."""

from __future__ import annotations

import json
import re

import pytest

from camlo.answers import targets
from camlo.paths import DATA_RAW, NOTEBOOKS
from camlo.text.numbers import LANGS
from camlo.text.tables import ReaderTable

OBSERVED = DATA_RAW / "observed_reviews.csv"
QUICK = {"n_paths": 500, "sensitivity_paths": 100}
#: A snake_case name (an internal column or code) or a missing value written out.
INTERNAL = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\bNaN\b|<NA>|\bTrue\b|\bFalse\b|\bnan\b")
RULE_EN = ("Each review is read under the standard of the year it identifies households for. The review at the end "
           "of 2026 identifies households for 2027, under Decree 351/2025/NĐ-CP (income lines of 2,200,000 VND rural "
           "and 2,800,000 VND urban), by the same reading as the end-2021 review, which identified households for 2022 "
           "under Decree 07/2021/NĐ-CP; no source at hand says so for 2026 explicitly.")
RULE_VI = ("Mỗi cuộc rà soát được đọc theo chuẩn nghèo của năm mà cuộc rà soát đó xác định hộ. Cuộc rà soát cuối năm "
           "2026 xác định hộ cho năm 2027, theo Nghị định số 351/2025/NĐ-CP (chuẩn thu nhập 2.200.000 "
           "đồng/người/tháng ở khu vực nông thôn và 2.800.000 đồng/người/tháng ở khu vực thành thị), theo cùng cách "
           "hiểu với cuộc rà soát cuối năm 2021, vốn xác định hộ cho năm 2022 theo Nghị định số 07/2021/NĐ-CP; chưa "
           "có nguồn nào nêu rõ điều này cho năm 2026.")
NEW_EN = ("A review under Decree 351/2025/NĐ-CP starts a new series with its own baseline: it measures poverty with "
          "other income lines and indicators, so it is not compared with the 2022 baseline, the plan's path or the 2025 "
          "target (1 review(s) left out of the comparison: the review at the end of 2026).")
NEW_VI_END = "(1 cuộc rà soát không đưa vào so sánh: cuộc rà soát cuối năm 2026)."


@pytest.fixture(scope="module")
def shipped():
    return targets.run(QUICK)


def with_2026(tmp_path, line: str, *, header: str | None = None):
    """A copy of the shipped observed file with one more row (and, if given, another header)."""
    lines = OBSERVED.read_text(encoding="utf-8").splitlines()
    if header is not None:
        lines = [lines[0] + header, *(each + "," for each in lines[1:])]
    path = tmp_path / "observed_reviews.csv"
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    return path


def reader_tables(result):
    return {name: table for name, table in result.tables.items() if isinstance(table, ReaderTable)}


def test_every_shown_table_is_for_readers(shipped):
    """The notebook shows only reader tables; the workbook's raw frames stay under their own names."""
    notebook = json.loads((NOTEBOOKS / "03_targets_2025.ipynb").read_text(encoding="utf-8"))
    shown = set(re.findall(r'show\(answer\.tables\["(\w+)"\]', "".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code")))
    assert shown and shown <= set(reader_tables(shipped))
    bare = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"
            and re.search(r'^answer\.tables\[', "".join(cell["source"]), re.M)]
    assert bare == []
    assert {"gaps", "projection"} <= set(shipped.tables) - set(reader_tables(shipped))


@pytest.mark.parametrize("lang", LANGS)
def test_reader_tables_show_no_internal_names_or_missing_values(shipped, lang):
    assert len(reader_tables(shipped)) == 15
    found = {name: [text for text in table.texts(lang) if INTERNAL.search(text)]
             for name, table in reader_tables(shipped).items()}
    assert {name: texts for name, texts in found.items() if texts} == {}


def test_reader_tables_print_in_parts_that_fit_a4(shipped):
    """No part has more than 8 columns; the successor communes' table is one column per commune."""
    for name, table in reader_tables(shipped).items():
        for lang in LANGS:
            assert all(part.shape[1] <= min(table.max_columns, 8) for part in table.parts(lang)), name
    communes = shipped.tables["commune_baselines"].frame_for("vi")
    assert communes.columns.tolist() == ["Nội dung", "Xã Cam Lộ", "Xã Hiếu Giang"]
    assert communes.iloc[0].tolist()[1] == "TT Cam Lộ, Cam Thành, Cam Nghĩa, Cam Chính"
    assert shipped.tables["commune_baselines"].frame_for("en").set_index("Figure").loc[
        "Poverty rate (%)"].tolist() == ["1.84", "4.24"]


def test_numbers_in_tables_follow_each_language(shipped):
    observed = {lang: shipped.tables["observed"].parts(lang)[0] for lang in LANGS}
    assert "14.905" in observed["vi"].iloc[:, 3].tolist() and "14,905" in observed["en"].iloc[:, 3].tolist()
    assert observed["vi"].iloc[-1, 0] == "Huyện Cam Lộ, cuối năm 2023"
    status = shipped.tables["status"].frame_for("vi")
    assert status["Tỷ lệ hộ nghèo (%)"].tolist() == ["3,04", ""]  # the end-2023 rate is not reported


def test_the_untracked_targets_give_their_reason_in_each_language(shipped):
    table = shipped.tables["untracked"]
    reasons = {lang: table.frame_for(lang).iloc[:, 2].tolist() for lang in LANGS}
    assert reasons["en"][1].startswith("Fee exemption") and reasons["vi"][1].startswith("Miễn giảm học phí")
    assert all(en != vi for en, vi in zip(reasons["en"], reasons["vi"]))


def test_the_reviews_show_each_ones_standard(shipped):
    second = shipped.tables["observed"].parts("en")[1]
    assert second.columns.tolist()[1:] == ["Identifies households for", "Standard it is read under",
                                           "The source states the standard"]
    assert second.iloc[-1, 1:].tolist() == ["2024", "Decree 07/2021/NĐ-CP", "no"]


def test_the_shipped_reviews_say_the_reading_and_no_new_series(shipped):
    assert shipped.text["series"].text("en") == RULE_EN
    assert shipped.text["series"].text("vi") == RULE_VI


def test_a_review_under_decree_351_is_left_out_of_the_comparison(tmp_path):
    result = targets.run({**QUICK, "observed_path": with_2026(tmp_path, "2026,end-of-year review,district,520,610,")})
    assert result.text["series"].text("en") == RULE_EN + " " + NEW_EN
    vi = result.text["series"].text("vi")
    assert vi.startswith(RULE_VI + " Cuộc rà soát theo Nghị định số 351/2025/NĐ-CP mở đầu một chuỗi số liệu mới")
    assert vi.endswith(NEW_VI_END)
    assert [row[-2:] for row in result.tables["observed"].parts("en")[1].values.tolist()][-1] == [
        "Decree 351/2025/NĐ-CP", "no"]
    assert len(result.tables["status"].frame) == 2  # the end-2026 review is not set against the plan


def test_a_stated_standard_replaces_the_default_reading(tmp_path):
    path = with_2026(tmp_path, "2026,end-of-year review,district,330,,,decree_07_2021", header=",standard")
    result = targets.run({**QUICK, "observed_path": path})
    text = result.text["series"].text("en")
    assert text == ("The source states the standard of the review at the end of 2026; every other review is read "
                    "under the standard of the year it identifies households for.")
    assert "Decree 351" not in text and "351/2025" not in result.text["series"].text("vi")


def test_a_recorded_source_comes_in_each_language(shipped):
    vi = shipped.text["sources"].text("vi")
    assert "Báo VietnamNet (vietnamnet.vn)" in vi and "the district has" not in vi
    assert shipped.text["sources"].text("en").endswith("634 − 205 = 429.")
    mine = targets.recorded_source("Commune report of 5 January 2026")
    assert mine.text("en") == "Commune report of 5 January 2026"
    assert mine.text("vi") == "Commune report of 5 January 2026 (nguyên văn như đã ghi trong hồ sơ số liệu)"
