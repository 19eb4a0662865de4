"""The unit register and resolve_unit: every spelling and code of a unit, the 2025 reorganisation."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd
import pytest

import camlo
from camlo import DataError
from camlo.clean.observed import load_observed
from camlo.clean.units import REGISTER, plan_units, resolve_unit, units

BEFORE, AFTER = "2025-06-30", "2025-07-01"

# The statistics office's codes (issue table; checked against the lists named in the sidecar).
CODES = {"TT Cam Lộ": "19597", "Cam Tuyên": "19600", "Thanh An": "19603", "Cam Thủy": "19606",
         "Cam Thành": "19612", "Cam Hiếu": "19615", "Cam Chính": "19618", "Cam Nghĩa": "19621",
         "xã Cam Lộ": "19597", "xã Hiếu Giang": "19603", "district": "468"}
# Resolution 1680/NQ-UBTVQH15, Article 1, items 45 and 46.
MERGES = {"xã Cam Lộ": ({"TT Cam Lộ", "Cam Thành", "Cam Chính", "Cam Nghĩa"}, "Điều 1 khoản 45"),
          "xã Hiếu Giang": ({"Cam Thủy", "Cam Hiếu", "Cam Tuyên", "Thanh An"}, "Điều 1 khoản 46")}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- the register ------------------------------------------------------------------------------

def test_plan_units_are_the_annexes_units_in_printed_order():
    assert plan_units()["unit"].tolist() == camlo.load_households()["unit"].tolist()
    assert plan_units()["unit"].tolist() == camlo.load_deprivations()["unit"].unique().tolist()


def test_codes_kinds_and_official_names():
    reg = units().set_index("unit")
    assert reg["code"].to_dict() == CODES
    assert reg.loc["Cam Tuyên", ["printed_name", "official_name"]].tolist() == ["Cam Tuyên", "Cam Tuyền"]
    assert reg.loc["TT Cam Lộ", ["official_name", "kind_vi", "area"]].tolist() == ["Cam Lộ", "thị trấn", "urban"]
    plan = reg[reg["role"] == "plan unit"]
    assert (plan["kind_vi"] == "xã").sum() == 7 and (plan["area"] == "rural").sum() == 7
    assert set(plan["district_code"]) == {"468"} and set(plan["province_code"]) == {"45"}
    assert set(reg.loc[list(MERGES), "province_code"]) == {"44"}  # the merged Quảng Trị


def test_successors_follow_resolution_1680():
    reg = units().set_index("unit")
    for successor, (members, item) in MERGES.items():
        row = reg.loc[successor]
        assert set(row["predecessors"].split(";")) == members
        assert (row["resolution"], row["resolution_item"]) == ("1680/NQ-UBTVQH15", item)
        assert row["valid_from"] == pd.Timestamp(AFTER) and pd.isna(row["valid_to"])
        for member in members:
            assert reg.loc[member, ["successor", "resolution_item"]].tolist() == [successor, item]
            assert reg.loc[member, "valid_to"] == pd.Timestamp(BEFORE)


def test_successor_baselines_regroup_phu_luc_1():
    """The register's grouping gives the regrouped 2022 baseline of each successor."""
    hh = camlo.load_households()
    hh["successor"] = hh["unit"].map(units().set_index("unit")["successor"])
    got = hh.groupby("successor")[["households", "poor", "csgn_reconciled"]].sum()
    assert got.loc["xã Cam Lộ"].tolist() == [7451, 137, 25]
    assert got.loc["xã Hiếu Giang"].tolist() == [7454, 316, 83]
    assert got.sum().tolist() == [14905, 453, 108]  # no unit left out, none counted twice


def test_load_units_keeps_its_layout():
    assert camlo.load_units().values.tolist() == [
        ["Thanh An", "Thanh An", "xã", "commune", "rural"],
        ["TT Cam Lộ", "Cam Lộ township", "thị trấn", "township", "urban"],
        ["Cam Thành", "Cam Thành", "xã", "commune", "rural"],
        ["Cam Thủy", "Cam Thủy", "xã", "commune", "rural"],
        ["Cam Nghĩa", "Cam Nghĩa", "xã", "commune", "rural"],
        ["Cam Tuyên", "Cam Tuyên", "xã", "commune", "rural"],
        ["Cam Chính", "Cam Chính", "xã", "commune", "rural"],
        ["Cam Hiếu", "Cam Hiếu", "xã", "commune", "rural"],
    ]


def test_exported():
    assert camlo.units is units and camlo.resolve_unit is resolve_unit
    assert {"units", "resolve_unit"} <= set(camlo.__all__)


# --- resolve_unit --------------------------------------------------------------------------------

def spellings(row: pd.Series) -> list[str]:
    """Every way a source may write a unit: printed, official, with its kind, any case, NFD."""
    names = {row["unit"], row["official_name"], f"{row['kind_vi']} {row['official_name']}", row["name_en"]}
    if row["printed_name"]:
        names |= {row["printed_name"], f"{row['kind_vi']} {row['printed_name']}".replace("thị trấn TT ", "thị trấn ")}
    out = []
    for name in names:
        out += [name, name.upper(), name.lower(), nfd(name), nfd(name.upper()), f"  {name.replace(' ', '   ')} "]
    return out


@pytest.mark.parametrize("unit", [u for u in units()["unit"] if u not in {"TT Cam Lộ", "xã Cam Lộ", "district"}])
def test_every_spelling_resolves_to_the_same_unit(unit):
    row = units().set_index("unit").loc[unit].copy()
    row["unit"] = unit
    date = AFTER if row["role"] == "successor" else "2023-12-31"
    for text in spellings(row):
        assert resolve_unit(text, date) == unit, text
        if row["role"] != "successor" or row["code"] not in {"19597", "19603"}:
            assert resolve_unit(text) == unit, text


@pytest.mark.parametrize("text", ["TT Cam Lộ", "TT. Cam Lộ", "tt.cam lộ", "Tt  Cam Lộ", "thị trấn Cam Lộ",
                                  "Thị Trấn Cam Lộ", "THỊ TRẤN CAM LỘ", nfd("Thị trấn Cam Lộ"), "Cam Lộ township"])
def test_the_township(text):
    assert resolve_unit(text) == "TT Cam Lộ"
    assert resolve_unit(text, "2022-01-01") == "TT Cam Lộ"


@pytest.mark.parametrize("text", ["xã Cam Lộ", "Xã Cam Lộ", "XÃ CAM LỘ", nfd("xã Cam Lộ"), "Cam Lộ commune"])
def test_the_new_commune_cam_lo(text):
    assert resolve_unit(text) == "xã Cam Lộ"
    assert resolve_unit(text, "2025-12-31") == "xã Cam Lộ"


@pytest.mark.parametrize("text", ["district", "District", "huyện Cam Lộ", "Huyện Cam Lộ", "Cam Lộ district", "468"])
def test_the_district(text):
    assert resolve_unit(text) == "district"
    assert resolve_unit(text, "2023-12-31") == resolve_unit(text, "2025-12-31") == "district"


@pytest.mark.parametrize(("code", "before", "after"), [("19597", "TT Cam Lộ", "xã Cam Lộ"),
                                                       ("19603", "Thanh An", "xã Hiếu Giang")])
def test_a_reused_code_is_resolved_by_date(code, before, after):
    assert resolve_unit(code, "2022-01-01") == resolve_unit(code, BEFORE) == before
    assert resolve_unit(code, AFTER) == resolve_unit(code, "2026-12-31") == after
    assert resolve_unit(int(code), dt.date(2025, 6, 30)) == before
    assert resolve_unit(code, dt.datetime(2025, 7, 1, 8, 0)) == after
    assert resolve_unit(code, pd.Timestamp("2025-12-31")) == after


@pytest.mark.parametrize(("code", "names"), [("19597", ["thị trấn Cam Lộ", "xã Cam Lộ"]),
                                             ("19603", ["xã Thanh An", "xã Hiếu Giang"])])
def test_an_undated_reused_code_is_refused_with_the_reason(code, names):
    with pytest.raises(DataError) as caught:
        resolve_unit(code)
    text = str(caught.value)
    assert f"code {code} names two units" in text
    assert all(name in text for name in names)
    assert "until 2025-06-30" in text and "from 2025-07-01" in text
    assert "reused the code" in text and "date" in text


def test_a_code_used_once_needs_no_date():
    assert [resolve_unit(CODES[u]) for u in ["Cam Tuyên", "Cam Thủy", "Cam Thành", "Cam Hiếu", "Cam Chính",
                                              "Cam Nghĩa"]] == ["Cam Tuyên", "Cam Thủy", "Cam Thành", "Cam Hiếu",
                                                                "Cam Chính", "Cam Nghĩa"]
    assert resolve_unit("019600") == "Cam Tuyên"  # zero-padded as the lists print short codes


def test_a_former_unit_still_resolves_after_the_reorganisation():
    assert resolve_unit("Thanh An", "2025-12-31") == "Thanh An"
    assert resolve_unit("xã Cam Tuyền", "2026-12-31") == "Cam Tuyên"
    assert resolve_unit("19600", "2026-12-31") == "Cam Tuyên"  # a retired code, held by one unit only


def test_bare_cam_lo_is_the_township_or_district_before_and_the_commune_after():
    assert resolve_unit("Cam Lộ", "2025-12-31") == "xã Cam Lộ"
    with pytest.raises(DataError, match="more than one unit on 2023-12-31") as caught:
        resolve_unit("Cam Lộ", "2023-12-31")
    assert "thị trấn Cam Lộ" in str(caught.value) and "huyện Cam Lộ" in str(caught.value)
    assert "'TT Cam Lộ'" in str(caught.value) and "'district'" in str(caught.value)
    with pytest.raises(DataError, match="give the source's date") as caught:
        resolve_unit("cam lộ")
    assert "xã Cam Lộ" in str(caught.value)


@pytest.mark.parametrize("text", ["xã Hiếu Giang", "19603 ", "Hiếu Giang"])
def test_a_successor_does_not_exist_before_1_july_2025(text):
    if text.strip() == "19603":
        assert resolve_unit(text, "2024-12-31") == "Thanh An"
        return
    with pytest.raises(DataError, match="did not exist on 2024-12-31") as caught:
        resolve_unit(text, "2024-12-31")
    assert "Thanh An, Cam Thủy, Cam Tuyên, Cam Hiếu" in str(caught.value)


@pytest.mark.parametrize(("text", "closest"), [
    ("Cam Tuyen", "Cam Tuyên"), ("Cam Thanh", "Cam Thành"), ("Hieu Giang", "xã Hiếu Giang"),
    ("Thanh Ann", "Thanh An"), ("Cam Lo", "TT Cam Lộ"), ("Quảng Trị", ""), ("Tổng", ""),
])
def test_unknown_names_fail_with_the_closest_known_names(text, closest):
    with pytest.raises(DataError, match="unknown unit") as caught:
        resolve_unit(text)
    message = str(caught.value)
    assert repr(text) in message and "closest known names: " in message
    suggested = message.split("closest known names: ")[1].split(", ")
    assert 1 <= len(suggested) <= 3
    if closest:
        assert closest in suggested


@pytest.mark.parametrize(("text", "says"), [
    ("45", "province's code"), ("44", "province's code"), ("12345", "unknown unit code 12345"),
    ("", "blank unit name"), ("   ", "blank unit name"), (None, "expected a unit's name or code"),
    (19603.0, "expected a unit's name or code"), (True, "expected a unit's name or code"),
])
def test_other_bad_input(text, says):
    with pytest.raises(DataError, match=says):
        resolve_unit(text, "2023-12-31")


@pytest.mark.parametrize("date", ["31/12/2025", "2025-13-01", 2025, "yesterday"])
def test_a_bad_date_is_refused(date):
    with pytest.raises(DataError, match="expected a date"):
        resolve_unit("Thanh An", date)


def test_a_register_may_be_passed():
    reg = units()
    assert resolve_unit("Cam Tuyền", register=reg) == "Cam Tuyên"


# --- a malformed register --------------------------------------------------------------------------

@pytest.fixture
def register_text():
    return REGISTER.read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "row", "column", "says"), [
    ("Cam Hiếu,plan unit,8,Cam Hiếu", "Cam Chính,plan unit,8,Cam Chính", "Cam Chính", "unit", "listed twice"),
    ("19606,468", "19600,468", "Cam Tuyên", "code", "held by 'Cam Thủy' and 'Cam Tuyên'"),
    ("19603,,44,2025-07-01", "19603,,44,2025-06-01", "xã Hiếu Giang", "code", "on the same days"),
    ("19612,468,45,,2025-06-30,xã Cam Lộ", "19612,468,45,,2025-06-30,xã Hiếu Giang", "xã Cam Lộ",
     "predecessors", "names another successor"),
    (",2025-06-30,xã Cam Lộ,,1680", ",30/06/2025,xã Cam Lộ,,1680", "TT Cam Lộ", "valid_to", "YYYY-MM-DD"),
    ("Thanh An,plan unit", "Thanh An,plan-unit", "Thanh An", "role", "expected a role"),
    ("xã,commune,rural,Cam Thủy", "xã,township,rural,Cam Thủy", "Cam Thủy", "kind_en", "is not one of"),
    ("xã,commune,rural,Cam Thủy", "xa,commune,rural,Cam Thủy", "Cam Thủy", "kind_vi", "is not one of"),
    ("19606,468,45", "19606,4680,45", "Cam Thủy", "district_code", "at most 3"),
    ("19606,468,45,,2025-06-30,xã Hiếu Giang,,", "19606,468,45,,2025-06-30,,,", "Cam Thủy", "successor",
     "needs its successor"),
    ("19615,468", "1961S,468", "Cam Hiếu", "code", "digits"),
    ("Cam Nghĩa,plan unit,5,", "Cam Nghĩa,plan unit,9,", "Cam Nghĩa", "plan_order", "1 to 8"),
    ("Cam Nghĩa,plan unit,5,", "Cam Nghĩa,plan unit,4,", "Cam Nghĩa", "plan_order", "also 'Cam Thủy'"),
    ("Cam Tuyên,plan unit,6,Cam Tuyên", "Cam Tuyên,plan unit,6,Cam Tuyen", "Cam Tuyên", "printed_name",
     "key is its printed name"),
    ("19606,468,45,,2025-06-30,xã Hiếu Giang", "19606,468,45,,2025-06-30,xã Hiếu Gian", "Cam Thủy", "successor",
     "not a successor unit"),
    ("Cam Tuyên,plan unit,6,Cam Tuyên", "Cam Tuyền,plan unit,6,Cam Tuyên", "Cam Tuyền", "unit",
     "key is its printed name"),
    ("resolution,resolution_item", "resolution,item", "header", "resolution_item", "in that order"),
    ("code,district_code", "district_code,code", "header", "code", "in that order"),
    ("resolution_item\n", "resolution_item,note\n", "header", "note", "in that order"),
])
def test_a_malformed_register_is_refused(register_text, write_table, old, new, row, column, says):
    assert old in register_text, old
    path = write_table("units.csv", register_text.replace(old, new, 1))
    with pytest.raises(DataError) as caught:
        units(path)
    err = caught.value
    assert (err.file, err.row, err.column) == ("units.csv", row, column), str(err)
    assert says in str(err), str(err)


def test_a_successor_missing_a_predecessor_is_refused(register_text, write_table):
    text = register_text.replace("Thanh An;Cam Thủy;Cam Tuyên;Cam Hiếu", "Thanh An;Cam Thủy;Cam Tuyên")
    with pytest.raises(DataError, match="differ from the units whose successor it is") as caught:
        units(write_table("units.csv", text))
    assert caught.value.row == "xã Hiếu Giang"


# --- loaders resolve through the register ------------------------------------------------------------

def test_phu_luc_1_with_official_names_and_codes_loads_as_printed(raw_text, write_table):
    text = (raw_text("phu_luc_1.csv").replace("\nCam Tuyên,", "\nxã Cam Tuyền,")
            .replace("\nTT Cam Lộ,", "\n19597,").replace("\nThanh An,", "\n" + nfd("XÃ THANH AN") + ","))
    got = camlo.load_households(write_table("p1.csv", text))
    pd.testing.assert_frame_equal(got, camlo.load_households())


def test_phu_luc_2_with_official_names_loads_as_printed(raw_text, write_table):
    text = raw_text("phu_luc_2.csv").replace(",Cam Tuyên,", ",Cam Tuyền,").replace(",TT Cam Lộ,", ",thị trấn Cam Lộ,")
    got = camlo.load_deprivations(write_table("p2.csv", text))
    pd.testing.assert_frame_equal(got, camlo.load_deprivations())


@pytest.mark.parametrize(("name", "says"), [
    ("xã Hiếu Giang", "did not exist on 2022-02-18"),
    ("district", "not one of the plan's units"),
    ("Cam Lộ", "more than one unit"),
    ("Cam Tuyen", "closest known names: Cam Tuyên"),
])
def test_an_annex_row_naming_no_plan_unit_is_refused(raw_text, write_table, name, says):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace("\nCam Hiếu,", f"\n{name},"))
    with pytest.raises(DataError) as caught:
        camlo.load_households(path)
    err = caught.value
    assert (err.file, err.row, err.column) == ("p1.csv", name, "Đơn vị")
    assert says in str(err), str(err)


def test_an_annex_unit_under_two_spellings_is_listed_twice(raw_text, write_table):
    path = write_table("p1.csv", raw_text("phu_luc_1.csv").replace("\nCam Hiếu,", "\nCam Tuyền,"))
    with pytest.raises(DataError, match="listed twice") as caught:
        camlo.load_households(path)
    assert caught.value.row == "Cam Tuyền"


HEADER = "year,reference_point,commune,poor,near_poor,households\n"


def test_observed_rows_resolve_names_and_codes_by_review_date(write_table):
    body = ("2022,start-of-year review,district,453,634,14905\n"
            "2023,end-of-year review,xã Cam Tuyền,90,,\n"
            "2023,end-of-year review,19603,80,,\n"
            f"2023,end-of-year review,{nfd('Thị trấn Cam Lộ')},30,,\n"
            "2023,end-of-year review,huyện Cam Lộ,311,429,\n")
    obs = load_observed(write_table("obs.csv", HEADER + body))
    assert obs[["year", "unit", "poor"]].values.tolist() == [
        [2022, "district", 453], [2023, "Thanh An", 80], [2023, "TT Cam Lộ", 30], [2023, "Cam Tuyên", 90],
        [2023, "district", 311]]


@pytest.mark.parametrize(("line", "says"), [
    ("2023,end-of-year review,xã Hiếu Giang,300,,\n", "did not exist on 2023-12-31"),
    ("2023,end-of-year review,19597 ,30,,\n", "TT Cam Lộ"),
    ("2023,end-of-year review,Cam Lộ,30,,\n", "more than one unit on 2023-12-31"),
    ("2023,end-of-year review,Cam Tuyen,30,,\n", "closest known names: Cam Tuyên"),
])
def test_observed_rows_that_do_not_resolve(write_table, line, says):
    path = write_table("obs.csv", HEADER + line)
    if says == "TT Cam Lộ":  # a code resolves by the review's date
        assert load_observed(path)["unit"].tolist() == ["TT Cam Lộ"]
        return
    with pytest.raises(DataError) as caught:
        load_observed(path)
    err = caught.value
    assert err.file == "obs.csv" and err.column == "commune" and err.row.startswith("2023 end-of-year review / ")
    assert says in str(err), str(err)


def test_observed_unit_under_two_spellings_is_listed_twice(write_table):
    body = "2023,end-of-year review,Cam Tuyên,90,,\n2023,end-of-year review,19600,90,,\n"
    with pytest.raises(DataError, match="listed twice"):
        load_observed(write_table("obs.csv", HEADER + body))
