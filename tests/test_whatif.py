"""The what-if of the 2027 income lines on a review: its counts recomputed plainly from the records."""

from __future__ import annotations

import pandas as pd
import pytest

import camlo
from camlo import DataError
from camlo.clean.standard import STANDARDS, load_standard
from camlo.measures.whatif import newly_identified, reidentify

TODAY = load_standard()
NEW = load_standard(STANDARDS / "decree_351_2025.toml")


@pytest.fixture(scope="module")
def records():
    return camlo.load_records()


def plain_status(row, lines: dict, middle: dict | None) -> str:
    """The status of one household, written out by hand: income test, then 3 of the 12 flags."""
    deprived = sum(int(row[f"d{j}"]) for j in range(1, 13))
    if row["income_per_person"] <= lines[row["area"]]:
        return "poor" if deprived >= 3 else "near_poor"
    if middle is None:
        return "above_poor_line"
    return "middle" if row["income_per_person"] <= middle[row["area"]] else "above_middle"


def test_the_what_if_counts_equal_a_plain_recomputation(records):
    table = reidentify(records, camlo.units(), today=TODAY, new=NEW, stand_in=TODAY)
    communes = {"TT Cam Lộ": "xã Cam Lộ", "Cam Thành": "xã Cam Lộ", "Cam Nghĩa": "xã Cam Lộ",
                "Cam Chính": "xã Cam Lộ", "Thanh An": "xã Hiếu Giang", "Cam Thủy": "xã Hiếu Giang",
                "Cam Tuyên": "xã Hiếu Giang", "Cam Hiếu": "xã Hiếu Giang"}
    expected: dict[tuple, int] = {}
    for row in records.to_dict("records"):
        today = plain_status(row, {"rural": 1_500_000, "urban": 2_000_000}, {"rural": 2_250_000, "urban": 3_000_000})
        new = plain_status(row, {"rural": 2_200_000, "urban": 2_800_000}, None)
        for key in (("unit", row["unit"]), ("commune", communes[row["unit"]]), ("district", "district")):
            expected[(*key, today, new)] = expected.get((*key, today, new), 0) + 1
    got = {(r.level, r.area, r.status_today, r.status_new): r.households for r in table.itertuples() if r.households}
    assert got == expected
    assert table["households"].sum() == 3 * len(records)
    assert set(table["standard_new"]) == {"decree_351_2025 with decree_07_2021's indicators as a stand-in"}


def test_newly_identified_households(records):
    table = reidentify(records, camlo.units(), today=TODAY, new=NEW, stand_in=TODAY)
    summary = newly_identified(table).iloc[0]
    district = table[table["level"] == "district"]
    assert summary["middle_to_poor"] + summary["middle_to_near_poor"] == district[
        (district["status_today"] == "middle") & district["status_new"].isin(["poor", "near_poor"])]["households"].sum()
    assert summary["middle_to_poor"] + summary["middle_to_near_poor"] > 0  # the new lines are higher
    # nobody poor today is less than near-poor under higher lines with the same flags
    assert district[(district["status_today"] == "poor") & (district["status_new"] != "poor")]["households"].sum() == 0


def test_the_what_if_needs_an_explicit_indicator_set(records):
    with pytest.raises(TypeError):
        reidentify(records, camlo.units(), today=TODAY, new=NEW)  # no stand_in: refused
    with pytest.raises(DataError, match="not confirmed"):
        camlo.classify(records, NEW)


def test_the_answers_what_if_counts_equal_a_plain_recomputation(records):
    """Notebook 04's what-if table and values, each count recomputed from the records by hand."""
    from camlo.answers import records as nb04

    answer = nb04.run({"n_paths": 500})
    table = answer.tables["whatif"].frame.copy()
    table["area"] = [a if isinstance(a, str) else "district" for a in table["area"]]
    expected: dict[str, dict[str, int]] = {}
    for row in records.to_dict("records"):
        today = plain_status(row, {"rural": 1_500_000, "urban": 2_000_000}, {"rural": 2_250_000, "urban": 3_000_000})
        new = plain_status(row, {"rural": 2_200_000, "urban": 2_800_000}, None)
        for area in (row["unit"], "district"):
            counts = expected.setdefault(area, dict.fromkeys(nb04.WHAT_IF_SHOWN, 0))
            counts["poor_today"] += today == "poor"
            counts["poor_new"] += new == "poor"
            counts["near_poor"] += today == "near_poor"
            counts["near_poor_to_poor"] += today == "near_poor" and new == "poor"
            counts["middle"] += today == "middle"
            counts["middle_to_poor"] += today == "middle" and new == "poor"
            counts["middle_to_near_poor"] += today == "middle" and new == "near_poor"
    got = {r["area"]: {k: int(r[k]) for k in nb04.WHAT_IF_SHOWN} for r in table.to_dict("records")}
    assert got == expected
    assert list(table["area"])[-1] == "district" and len(table) == 9
    assert {k: answer.values[f"whatif_{k}"] for k in nb04.WHAT_IF_SHOWN} == expected["district"]
    assert expected["district"]["middle_to_poor"] + expected["district"]["middle_to_near_poor"] > 0
    en, vi = (answer.text["whatif"].text(lang) for lang in ("en", "vi"))
    assert en.startswith("**SYNTHETIC records") and vi.startswith("**Dữ liệu hộ mô phỏng")
    district = expected["district"]
    assert (f"of its {district['middle']:,} middle-income households {district['middle_to_poor']:,} would be poor "
            f"and {district['middle_to_near_poor']:,} near-poor") in en
    assert "what-if on the stand-in indicators" in en and "kết quả giả định" in vi
    assert nb04.NEXT_STANDARD in nb04.inputs({}).values()


def test_a_review_by_commune_is_re_identified_by_commune(tmp_path):
    """Records of a review held by commune (after 1 July 2025) are counted by commune."""
    from camlo.answers import records as nb04

    flags = {f"d{j}": [int(j <= 3), 0, 0, int(j <= 4)] for j in range(1, 13)}
    frame = pd.DataFrame({"household_id": ["A", "B", "C", "D"], "unit": ["xã Hiếu Giang"] * 4, "members": [3] * 4,
                          "income_per_person": [1_400_000, 1_400_000, 2_100_000, 2_100_000], **flags,
                          "ethnic_minority": [0] * 4, "btxh": [0] * 4})
    path = tmp_path / "review.csv"
    frame.to_csv(path, index=False)
    answer = nb04.run({"records_path": str(path), "records_date": "2025-12-31", "n_paths": 300})
    table = answer.tables["whatif"].frame
    assert table["area"].iloc[0] == "xã Hiếu Giang" and len(table) == 2
    # A poor, B near-poor, C middle with no deprivation (near-poor in 2027), D middle with 4 (poor in 2027)
    row = table.iloc[0]
    assert [int(row[k]) for k in nb04.WHAT_IF_SHOWN] == [1, 2, 1, 0, 2, 1, 1]
    assert answer.synthetic is False and "SYNTHETIC" not in answer.text["whatif"].text("en")
