"""Malformed tables fail with a DataError naming the file, the row (unit) and the column."""

from __future__ import annotations

import pytest

import camlo
from camlo import DataError
from shipped_tables import SHIPPED


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


# --- Plausibility: each schema says what is plausible ------------------------------------------


def test_btxh_above_poor(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Thủy,1.489,,57,3.83,,,50,", "Cam Thủy,1.489,,57,3.83,,,60,")
    err = fails(camlo.load_households, write_table("p1.csv", text), row="Cam Thủy", column="Hộ BTXH",
                says="btxh <= poor")
    assert "got 60 > 57" in str(err) and "unable to escape poverty" in str(err)


def test_csgn_above_poor(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Hiếu,1.791,,44,2.46,,,30,1.68,14,", "Cam Hiếu,1.791,,44,2.46,,,30,1.68,45,")
    fails(camlo.load_households, write_table("p1.csv", text), row="Cam Hiếu", column="CSGN", says="csgn <= poor")


def test_total_row_is_checked_like_a_unit(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Tổng,14.905,101,453,3.04,42,,345", "Tổng,14.905,101,453,3.04,42,,545")
    fails(camlo.load_household_totals, write_table("p1.csv", text), row="Tổng", column="Hộ BTXH",
          says="btxh <= poor")
    text = raw_text("phu_luc_2.csv").replace(",Tổng cộng,453,134,", ",Tổng cộng,453,534,")
    fails(camlo.load_deprivation_totals, write_table("p2.csv", text), row="Tổng cộng", column="1",
          says="more than the unit's 453 poor households")


@pytest.mark.parametrize("pasted", ["0.220", "0.22", "0,220"])
def test_rate_pasted_into_a_count_is_refused(raw_text, write_table, pasted):
    """``0.220`` is not 220 households: a count with a dot for thousands never starts with '0.'."""
    text = raw_text("phu_luc_1.csv").replace("Thanh An,2.693,,106,3.94,,,100,3.71,6,",
                                             f'Thanh An,2.693,,106,3.94,,,100,3.71,"{pasted}",')
    fails(camlo.load_households, write_table("p1.csv", text), row="Thanh An", column="CSGN",
          says="whole number of households")


def test_a_dotted_count_is_still_thousands(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Thanh An,2.693,", "Thanh An,2.700,")
    assert camlo.load_households(write_table("p1.csv", text))["households"].iloc[0] == 2700


def test_too_large_count_says_so(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("Cam Chính,1.466,", "Cam Chính,99999999999999999999,")
    err = fails(camlo.load_households, write_table("p1.csv", text), row="Cam Chính", column="Dân cư (Hộ)",
                says="too large for a count of households")
    assert "dtype" not in str(err)


@pytest.mark.parametrize(("rate", "says"), [("304", "decimal comma lost, as in '3,04'"),
                                            ("3,04%", "without the % sign")])
def test_headline_rate_must_be_a_percentage(raw_text, write_table, rate, says):
    text = raw_text("section_1_headline.csv").replace(',453,"3,04"', f',453,"{rate}"')
    fails(camlo.load_headline, write_table("s1.csv", text), row="poor", column="rate_pct", says=says)


def test_headline_row_missing(raw_text, write_table):
    lines = [line for line in raw_text("section_1_headline.csv").splitlines() if not line.startswith("near_poor,")]
    fails(camlo.load_headline, write_table("s1.csv", "\n".join(lines) + "\n"), row="near_poor", column="key",
          says="no row for 'near_poor' (near-poor households)")


def test_headline_key_misspelled(raw_text, write_table):
    text = raw_text("section_1_headline.csv").replace("\nnear_poor,", "\nnear_pour,")
    fails(camlo.load_headline, write_table("s1.csv", text), row="near_pour", column="key", says="unknown figure")


def test_headline_part_above_its_whole(raw_text, write_table):
    text = raw_text("section_1_headline.csv").replace("thoát nghèo 345 hộ chiếm 2,31%\",345,", "thoát nghèo 345 hộ chiếm 2,31%\",545,")
    fails(camlo.load_headline, write_table("s1.csv", text), row="btxh", column="count",
          says="545 poor households unable to escape poverty (BTXH), more than the 453 poor households")


def test_target_threshold_above_100(raw_text, write_table):
    text = raw_text("section_2_targets.csv").replace("sinh.,80,2025", "sinh.,800,2025")
    fails(camlo.load_targets, write_table("s2.csv", text), row="T07", column="threshold_pct", says="0 to 100")


@pytest.mark.parametrize("deadline", ["2025.5", "2.025", "25", "năm 2025", ""])
def test_target_deadline_must_be_a_year(raw_text, write_table, deadline):
    text = raw_text("section_2_targets.csv").replace("sinh.,80,2025", f"sinh.,80,{deadline}")
    err = fails(camlo.load_targets, write_table("s2.csv", text), row="T07", column="deadline", says="a year")
    assert "households" not in str(err)


def test_target_deadline_before_the_plan(raw_text, write_table):
    text = raw_text("section_2_targets.csv").replace("sinh.,80,2025", "sinh.,80,2020")
    fails(camlo.load_targets, write_table("s2.csv", text), row="T07", column="deadline",
          says="cannot fall due before the plan")


def test_targets_without_t01(raw_text, write_table):
    lines = [line for line in raw_text("section_2_targets.csv").splitlines() if not line.startswith("T01,")]
    fails(camlo.load_targets, write_table("s2.csv", "\n".join(lines) + "\n"), row="T01", column="target",
          says="no row for T01")


@pytest.mark.parametrize("old, new", [("giảm 108 hộ nghèo", "giảm hộ nghèo"), ("0,15 – 0,22%", "0,15 – 122%")])
def test_a_t01_sentence_that_does_not_read_as_the_goal_is_refused(raw_text, write_table, old, new):
    text = raw_text("section_2_targets.csv").replace(old, new)
    fails(camlo.load_targets, write_table("s2.csv", text), row="T01", column="sentence",
          says="giảm N hộ nghèo" if "108" in old else "0 to 100")
    targets = camlo.load_targets().assign(sentence=lambda t: t["sentence"].str.replace(old, new, regex=False))
    with pytest.raises(camlo.DataError, match="row 'T01', column 'sentence'"):
        camlo.plan_goal(SHIPPED.headline, targets)


def test_plan_goal_refuses_a_t01_without_a_sentence():
    targets = camlo.load_targets()
    targets.loc[targets["target"] == "T01", "sentence"] = None
    with pytest.raises(camlo.DataError, match="row 'T01', column 'sentence'.*got nan"):
        camlo.plan_goal(SHIPPED.headline, targets)


def test_target_misnamed(raw_text, write_table):
    text = raw_text("section_2_targets.csv").replace("\nT07,", "\nT7,")
    fails(camlo.load_targets, write_table("s2.csv", text), row="T7", column="target", says="T01, T02")


# --- File shape ----------------------------------------------------------------------------------


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "phu_luc_1.csv"
    folder.mkdir()
    err = fails(camlo.load_households, folder, row=None, column=None, says="is a folder")
    assert str(folder) in str(err)


def test_a_missing_folder_is_named(tmp_path):
    path = tmp_path / "nowhere" / "p1.csv"
    err = fails(camlo.load_households, path, row=None, column=None, says="does not exist")
    assert str(tmp_path / "nowhere") in str(err)


def test_a_cell_too_long_for_csv(raw_text, write_table):
    text = raw_text("section_1_headline.csv").replace("có tổng số: 14.905 hộ", "x" * 200_000)
    fails(camlo.load_headline, write_table("s1.csv", text), row="line 2", column=None, says="longer than 131,072")


def test_old_mac_line_endings_read_the_same(raw_text, write_table):
    path = write_table("p2.csv", raw_text("phu_luc_2.csv").replace("\n", "\r").encode("utf-8"))
    assert camlo.load_deprivations(path).equals(camlo.load_deprivations())


def test_a_column_named_twice(write_table):
    from camlo.clean.observed import load_observed

    path = write_table("observed.csv", "year,reference_point,commune,poor,near_poor,households,poor\n"
                                       "2022,start-of-year review,district,453,634,14905,400\n")
    fails(load_observed, path, row="header", column="poor", says="named twice")


def test_header_repeated_mid_file(raw_text, write_table):
    text = raw_text("section_2_targets.csv")
    lines = text.splitlines()
    path = write_table("s2.csv", "\n".join(lines[:5] + lines[:1] + lines[5:]) + "\n")
    fails(camlo.load_targets, path, row="line 6", column=None, says="comes again at line 6")


def test_trailing_delimiter_reads_the_same_but_a_value_there_is_refused(raw_text, write_table):
    lines = raw_text("section_1_headline.csv").splitlines()
    path = write_table("s1.csv", "".join(line + ",\n" for line in lines))
    assert camlo.load_headline(path).equals(camlo.load_headline())
    lines = [line + "," for line in lines]
    lines[3] += "oops"
    fails(camlo.load_headline, write_table("s1.csv", "\n".join(lines) + "\n"), row="line 4", column="column 5",
          says="a value 'oops' in a column with no name")


# --- Messages that say what is wrong ---------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab")])
def test_excel_locale_delimiters_are_recognised(raw_text, write_table, delimiter, name):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(raw_text("phu_luc_1.csv"))))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    err = fails(camlo.load_households, write_table("p1.csv", out.getvalue()), row="header", column=None,
                says=f"the file is {name}-delimited")
    assert "CSV UTF-8 (Comma delimited)" in str(err)


def test_an_excel_workbook_says_export_it(raw_text, tmp_path):
    import csv
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(raw_text("phu_luc_1.csv"))):
        book.active.append(row)
    path = tmp_path / "phu_luc_1.xlsx"
    book.save(path)
    fails(camlo.load_households, path, row="line 1", column=None,
          says="this is an Excel workbook (.xlsx, a zip file), not CSV text: open it in Excel and export it "
               "as CSV UTF-8")


def test_misnamed_total_row_says_what_it_must_be_called(raw_text, write_table):
    text = raw_text("phu_luc_1.csv").replace("\nTổng,", "\nTổng cộng,")
    fails(camlo.load_households, write_table("p1.csv", text), row="Tổng cộng", column="Đơn vị",
          says="the last row must be the total row, called 'Tổng' as printed")
    text = raw_text("phu_luc_2.csv").replace(",Tổng cộng,", ",Tong cong,")
    fails(camlo.load_deprivations, write_table("p2.csv", text), row="Tong cong", column="Đơn vị",
          says="called 'Tổng cộng'")


# --- Fail fast ---------------------------------------------------------------------------------------


def test_a_large_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "p1.csv"
    with path.open("wb") as handle:
        handle.write(b"junk," * 10_000_000)  # 50 MB of junk
    fails(camlo.load_households, path, row=None, column=None, says="the file is 50,000,000 bytes")


def test_a_file_of_another_layout_is_refused_at_its_header(write_table):
    """The header is checked before the body is parsed: line 3's NUL-free junk is never reached."""
    body = "".join(f"{i},{'z' * 50}\n" for i in range(20_000)) + "x" * 200_000 + "\n"
    path = write_table("p1.csv", "a,b\nc,d\n" + body)
    fails(camlo.load_households, path, row="header", column="Đơn vị", says="found 'a'")


def test_an_unreadable_file_is_refused(raw_text, write_table, monkeypatch):
    from pathlib import Path

    path = write_table("p1.csv", raw_text("phu_luc_1.csv"))

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    fails(camlo.load_households, path, row=None, column=None, says="cannot be read (Permission denied)")
