"""The what-if of the 2027 income lines on a review: its counts recomputed plainly from the records."""

from __future__ import annotations

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
