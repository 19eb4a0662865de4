"""Every number camlo loads equals the printed one (values read off the source by hand)."""

from __future__ import annotations

import unicodedata

import pandas as pd

import camlo

# Phụ lục 1 as printed: households, DTTS households, poor, rate, DTTS poor, rate, BTXH, rate, CSGN, rate
PHU_LUC_1 = {
    "Thanh An": (2693, 0, 106, 3.94, 0, None, 100, 3.71, 6, 0.22),
    "TT Cam Lộ": (2095, 0, 36, 1.72, 0, None, 25, 1.19, 11, 0.53),
    "Cam Thành": (2223, 0, 37, 1.66, 0, None, 33, 1.49, 4, 0.18),
    "Cam Thủy": (1489, 0, 57, 3.83, 0, None, 50, 3.36, 7, 0.47),
    "Cam Nghĩa": (1667, 0, 46, 2.76, 0, None, 36, 2.16, 10, 0.60),
    "Cam Tuyên": (1481, 101, 109, 3.76, 42, 0.28, 53, 3.58, 48, 3.24),
    "Cam Chính": (1466, 0, 18, 1.23, 0, None, 18, 1.23, 0, 0.00),
    "Cam Hiếu": (1791, 0, 44, 2.46, 0, None, 30, 1.68, 14, 0.78),
}
P1_COLUMNS = ["households", "dtts_households", "poor", "poor_published_pct", "dtts_poor",
              "dtts_poor_published_pct", "btxh", "btxh_published_pct", "csgn", "csgn_published_pct"]

PHU_LUC_2 = {
    "Thanh An": (106, [24, 69, 3, 70, 1, 1, 4, 4, 6, 18, 82, 31]),
    "TT Cam Lộ": (36, [11, 22, 4, 36, 2, 3, 5, 5, 5, 9, 14, 5]),
    "Cam Thành": (37, [8, 18, 1, 23, 3, 2, 0, 5, 0, 18, 28, 14]),
    "Cam Thủy": (57, [31, 18, 3, 36, 5, 0, 5, 3, 14, 17, 29, 11]),
    "Cam Nghĩa": (46, [0, 42, 0, 28, 1, 0, 2, 2, 0, 43, 33, 10]),
    "Cam Tuyên": (109, [37, 24, 5, 65, 32, 2, 8, 39, 8, 75, 60, 31]),
    "Cam Chính": (18, [5, 4, 1, 3, 0, 0, 2, 0, 1, 7, 18, 10]),
    "Cam Hiếu": (44, [18, 34, 2, 29, 2, 0, 0, 2, 1, 11, 30, 18]),
}
P2_TOTAL = (453, [134, 231, 19, 290, 46, 8, 26, 60, 35, 198, 294, 130])


def test_households_equal_printed_values():
    hh = camlo.load_households().set_index("unit")
    assert list(hh.index) == list(PHU_LUC_1)
    for unit, printed in PHU_LUC_1.items():
        for column, value in zip(P1_COLUMNS, printed):
            got = hh.loc[unit, column]
            if value is None:
                assert pd.isna(got), (unit, column)
            else:
                assert got == value, (unit, column, got, value)


def test_household_dtypes_are_integers_for_counts():
    hh = camlo.load_households()
    for column in ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn", "csgn_reconciled"):
        assert hh[column].dtype == "int64", column
    for column in P1_COLUMNS:
        if column.endswith("_pct"):
            assert hh[column].dtype == "float64", column


def test_commune_names_are_nfc_and_exact():
    names = camlo.load_households()["unit"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert "Cam Thủy" in set(names) and "TT Cam Lộ" in set(names)


def test_household_total_row_equals_printed():
    total = camlo.load_household_totals().iloc[0]
    assert total["unit"] == "Tổng"
    expected = dict(households=14905, dtts_households=101, poor=453, poor_published_pct=3.04, dtts_poor=42,
                    btxh=345, btxh_published_pct=2.31, csgn=108, csgn_published_pct=0.72)
    for column, value in expected.items():
        assert total[column] == value, column
    assert pd.isna(total["dtts_poor_published_pct"])


def test_reconciled_split_is_flagged_beside_published():
    hh = camlo.load_households().set_index("unit")
    assert hh.loc["Cam Tuyên", "csgn"] == 48
    assert hh.loc["Cam Tuyên", "csgn_reconciled"] == 56
    assert hh["split_reconciled"].sum() == 1 and hh.loc["Cam Tuyên", "split_reconciled"]
    assert (hh["btxh_reconciled"] + hh["csgn_reconciled"] == hh["poor"]).all()
    assert hh["csgn_reconciled"].sum() == 108


def test_deprivations_equal_printed_values():
    dep = camlo.load_deprivations()
    assert list(dep.columns) == ["unit", "indicator", "deprived", "poor"]
    assert len(dep) == 8 * 12
    for unit, (poor, counts) in PHU_LUC_2.items():
        rows = dep[dep["unit"] == unit].sort_values("indicator")
        assert rows["indicator"].tolist() == list(range(1, 13))
        assert rows["deprived"].tolist() == counts
        assert (rows["poor"] == poor).all()


def test_deprivation_totals_equal_printed_values():
    total = camlo.load_deprivation_totals()
    assert total["deprived"].tolist() == P2_TOTAL[1]
    assert (total["poor"] == P2_TOTAL[0]).all()


def test_headline_equals_section_one():
    head = camlo.load_headline().set_index("key")
    expected = {"households": (14905, None), "dtts_households": (101, 0.67), "poor_and_near_poor": (1087, None),
                "poor": (453, 3.04), "dtts_poor": (42, 0.28), "btxh": (345, 2.31), "csgn": (108, 0.72),
                "near_poor": (634, 4.25)}
    assert set(head.index) == set(expected)
    for key, (count, rate) in expected.items():
        assert head.loc[key, "count"] == count
        assert pd.isna(head.loc[key, "published_pct"]) if rate is None else head.loc[key, "published_pct"] == rate


def test_phrases_quote_the_source(raw_text):
    head = camlo.load_headline()
    for phrase, count in zip(head["phrase"], head["count"]):
        assert f"{count:,}".replace(",", ".") in phrase


def test_indicators_table():
    ind = camlo.indicators()
    assert ind["indicator"].tolist() == list(range(1, 13))
    assert ind.groupby("dimension_en").size().to_dict() == {
        "Education": 2, "Employment": 2, "Health": 2, "Housing": 2, "Information": 2, "Water and sanitation": 2}
    assert ind["mapping_note"].str.len().min() > 20
    assert ind["target"].dropna().tolist() == ["T02", "T04", "T05", "T06", "T07", "T08", "T09"]


def test_targets_table():
    targets = camlo.load_targets()
    assert len(targets) == 15 and targets["target"].is_unique
    assert targets.set_index("target").loc["T07", "threshold_pct"] == 80
    assert targets.set_index("target").loc["T06", "threshold_pct"] == 90
    assert pd.isna(targets.set_index("target").loc["T01", "threshold_pct"])
    assert (targets["deadline"] == 2025).all()
    assert targets["reading"].str.len().min() > 10
    # every target mapped to an indicator agrees with the indicators table
    mapped = targets.dropna(subset=["indicator"]).set_index("target")["indicator"].astype(int).to_dict()
    ind = camlo.indicators().dropna(subset=["target"]).set_index("target")["indicator"].to_dict()
    assert mapped == ind


SOURCE = "ke_hoach_23_kh_ubnd.txt"  # the plan's text, shipped in data/raw/ with its checksum


def test_annex_rows_are_the_source_rows_cell_for_cell(raw_text):
    """Each transcribed annex row, cells joined by tabs, is a line of the plan's annex tables."""
    import csv
    import io

    lines = set(raw_text(SOURCE).splitlines())
    for name in ("phu_luc_1.csv", "phu_luc_2.csv"):
        rows = list(csv.reader(io.StringIO(raw_text(name))))
        assert len(rows) == 11
        for row in rows:  # two header rows, the 8 units and the total
            assert "\t".join(row) in lines, (name, row)


def test_target_sentences_and_headline_phrases_quote_the_source(raw_text):
    text = raw_text(SOURCE)
    for sentence in camlo.load_targets()["sentence"]:
        assert sentence in text, sentence
    for phrase in camlo.load_headline()["phrase"]:
        assert phrase in text, phrase
    for number, name in camlo.load_indicator_legend().items():
        assert f"{number}: {name}" in text, (number, name)


def test_another_path_reads_a_table_of_the_same_layout(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Thanh An,2.693,,106", "Thanh An,2.700,,100")
    hh = camlo.load_households(write_table("review_2023.csv", text))
    assert hh.set_index("unit").loc["Thanh An", ["households", "poor"]].tolist() == [2700, 100]


def test_loaders_return_fresh_copies():
    first = camlo.load_households()
    first.loc[0, "poor"] = -1
    assert camlo.load_households().loc[0, "poor"] == 106
