"""Malformed tables fail with a DataError naming the file, the row (unit) and the column."""

from __future__ import annotations

import pytest

import camlo
from camlo import DataError


def fails(loader, path, *, row, column, says):
    """Assert that ``loader(path)`` raises a DataError pointing at the right cell."""
    with pytest.raises(DataError) as caught:
        loader(path)
    err = caught.value
    text = str(err)
    assert isinstance(err, ValueError)
    assert err.file == path.name and path.name in text
    assert err.row == row and (row is None or str(row) in text), text
    assert err.column == column and (column is None or column in text), text
    assert says in text, text
    return err


# --- Phụ lục 1 -------------------------------------------------------------------------------

def test_text_in_a_count(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace("Cam Thủy,1.489", "Cam Thủy,n/a"))
    fails(camlo.load_households, path, row="Cam Thủy", column="Dân cư (Hộ)", says="got 'n/a'")


def test_negative_count(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace(",3.83,,,50,", ",3.83,,,-50,"))
    fails(camlo.load_households, path, row="Cam Thủy", column="Hộ BTXH", says="negative")


def test_decimal_in_a_count_is_not_coerced(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace("Cam Hiếu,1.791", "Cam Hiếu,1.79"))
    fails(camlo.load_households, path, row="Cam Hiếu", column="Dân cư (Hộ)", says="whole number")


def test_blank_required_count(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace("Cam Chính,1.466,,18", "Cam Chính,1.466,,"))
    fails(camlo.load_households, path, row="Cam Chính", column="Hộ nghèo", says="blank")


def test_text_in_a_rate(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace(",106,3.94,", ",106,3.9x,"))
    fails(camlo.load_households, path, row="Thanh An", column="Tỷ lệ % (Hộ nghèo)", says="rate")


def test_missing_column(raw_text, write_table):
    lines = [line.rsplit(",", 1)[0] for line in raw_text("phu_luc_1.csv").splitlines()]
    path = write_table("p1.csv", "\n".join(lines) + "\n")
    fails(camlo.load_households, path, row="header", column="Tỷ lệ % (CSGN)", says="missing")


def test_renamed_column(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace("Hộ nghèo,", "Ho ngheo,", 1))
    fails(camlo.load_households, path, row="header", column="Hộ nghèo", says="found 'Ho ngheo'")


def test_extra_column(raw_text, write_table):
    lines = raw_text("phu_luc_1.csv").splitlines()
    lines[0] += ",Ghi chú"
    path = write_table("p1.csv", "\n".join(lines) + "\n")
    fails(camlo.load_households, path, row="header", column="Ghi chú", says="extra column")


def test_short_row(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Hiếu,1.791,,44,2.46,,,30,1.68,14,0.78", "Cam Hiếu,1.791,,44")
    fails(camlo.load_households, write_table("p1.csv", text), row="Cam Hiếu", column="Tỷ lệ % (Hộ nghèo)",
          says="expected 11 cells, found 4")


def test_duplicated_unit(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Thành,2.223", "TT Cam Lộ,2.223")
    fails(camlo.load_households, write_table("p1.csv", text), row="TT Cam Lộ", column="Đơn vị",
          says="listed twice")


def test_unknown_unit(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Thanh An,", "Cam An,")
    fails(camlo.load_households, write_table("p1.csv", text), row="Cam An", column="Đơn vị", says="unknown unit")


def test_missing_total_row(raw_text, write_table):
    lines = raw_text("phu_luc_1.csv").splitlines()[:-1]
    fails(camlo.load_households, write_table("p1.csv", "\n".join(lines) + "\n"), row="Tổng", column="Đơn vị",
          says="no total row")


def test_poor_above_households(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Chính,1.466,,18,1.23,,,18,1.23,0",
                                             "Cam Chính,1.466,,1.500,1.23,,,1.500,1.23,0")
    fails(camlo.load_households, write_table("p1.csv", text), row="Cam Chính", column="Hộ nghèo",
          says="poor <= households")


def test_not_utf8(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").encode("utf-16"))
    fails(camlo.load_households, path, row="line 1", column=None, says="not UTF-8")


def test_vietnamese_legacy_encoding(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").encode("cp1258", errors="replace"))
    err = fails(camlo.load_households, path, row="line 1", column=None, says="not UTF-8")
    assert "save the table as UTF-8" in str(err)


def test_empty_file(write_table):
    fails(camlo.load_households, write_table("p1.csv", ""), row=None, column=None, says="empty")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        camlo.load_households(tmp_path / "nowhere.csv")


def test_unicode_decomposed_names_are_normalised(raw_text, write_table):
    import unicodedata

    text = unicodedata.normalize("NFD", raw_text("phu_luc_1.csv"))
    assert camlo.load_households(write_table("p1.csv", text))["unit"].tolist() == \
        camlo.load_households()["unit"].tolist()


# --- Phụ lục 2 -------------------------------------------------------------------------------

def test_deprivation_above_poor(raw_text, write_table):
    text = raw_text("phu_luc_2.csv").replace("7,Cam Chính,18,5,4,1,3", "7,Cam Chính,18,5,4,1,30")
    err = fails(camlo.load_deprivations, write_table("p2.csv", text), row="Cam Chính", column="4",
                says="more than the unit's 18 poor households")
    assert "30" in str(err)


def test_text_in_a_deprivation_count(raw_text, write_table):
    text = raw_text("phu_luc_2.csv").replace("5,Cam Nghĩa,46,0,", "5,Cam Nghĩa,46,x,")
    fails(camlo.load_deprivations, write_table("p2.csv", text), row="Cam Nghĩa",
          column="1", says="got 'x'")


def test_renamed_indicator_number(raw_text, write_table):
    text = raw_text("phu_luc_2.csv").replace(",,,1,2,3,", ",,,1,2,13,")
    fails(camlo.load_deprivations, write_table("p2.csv", text), row="header", column="3", says="found '13'")


def test_wrong_row_number(raw_text, write_table):
    text = raw_text("phu_luc_2.csv").replace("3,Cam Thành", "4,Cam Thành")
    fails(camlo.load_deprivations, write_table("p2.csv", text), row="Cam Thành", column="Stt",
          says="expected row number 3")


def test_empty_deprivation_file(write_table):
    fails(camlo.load_deprivations, write_table("p2.csv", "\n\n"), row=None, column=None, says="empty")


# --- Section I -------------------------------------------------------------------------------

def test_headline_text_in_count(raw_text, write_table):
    text = raw_text("section_1_headline.csv").replace(",634,", ",six hundred,")
    fails(camlo.load_headline, write_table("s1.csv", text), row="near_poor", column="count", says="whole number")


def test_headline_renamed_column(raw_text, write_table):
    text = raw_text("section_1_headline.csv").replace("key,phrase,count,rate_pct", "key,phrase,value,rate_pct")
    fails(camlo.load_headline, write_table("s1.csv", text), row="header", column="count", says="expected columns")


def test_dtts_poor_above_dtts_households(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Tuyên,1.481,101,109,3.76,42", "Cam Tuyên,1.481,30,109,3.76,42")
    fails(camlo.load_households, write_table("p1.csv", text), row="Cam Tuyên", column="DTTS",
          says="dtts_poor <= dtts_households")


# --- Section II ------------------------------------------------------------------------------

def test_targets_text_in_threshold(raw_text, write_table):
    text = raw_text("section_2_targets.csv").replace('sinh.,80,2025', 'sinh.,eighty,2025')
    fails(camlo.load_targets, write_table("s2.csv", text), row="T07", column="threshold_pct", says="rate")


def test_targets_duplicated(raw_text, write_table):
    text = raw_text("section_2_targets.csv").replace("T08,", "T07,")
    fails(camlo.load_targets, write_table("s2.csv", text), row="T07", column="target", says="listed twice")
