"""camlo.measures.status: households by status, poverty rates by unit, the poor split."""

from __future__ import annotations

from fractions import Fraction

import pytest

import camlo
from camlo.measures import status
from shipped_tables import SHIPPED


def test_household_status():
    table = status.household_status(SHIPPED.households, SHIPPED.headline).set_index("status")
    assert table.index.tolist() == ["poor", "near_poor", "other_households"]
    assert table["households"].tolist() == [453, 634, 14905 - 1087]
    assert table["households"].sum() == 14905
    assert table["share_pct"].round(2).tolist() == [3.04, 4.25, 92.71]
    assert table["share_pct"].sum() == pytest.approx(100)


def test_poverty_rates_are_recomputed_from_counts():
    rates = status.poverty_rate_by_unit(SHIPPED.households)
    units = camlo.load_households()
    assert rates["unit"].tolist() == [*units["unit"], "district"]
    for row in rates.itertuples():
        assert row.rate_pct == pytest.approx(float(Fraction(100 * row.poor, row.households)))
    by_unit = rates.set_index("unit")["rate_pct"]
    assert round(by_unit["Cam Tuyên"], 2) == 7.36  # printed 3.76
    assert round(by_unit["district"], 2) == 3.04
    assert rates.iloc[-1][["households", "poor"]].tolist() == [14905, 453]
    expected = {"Thanh An": 3.94, "TT Cam Lộ": 1.72, "Cam Thành": 1.66, "Cam Thủy": 3.83,
                "Cam Nghĩa": 2.76, "Cam Chính": 1.23, "Cam Hiếu": 2.46}
    assert by_unit.round(2)[list(expected)].to_dict() == expected


def test_poor_split_published_and_reconciled():
    split = status.poor_split(SHIPPED.households).set_index("unit")
    assert split.loc["Cam Tuyên", ["btxh", "csgn", "csgn_reconciled", "btxh_reconciled"]].tolist() == [53, 48, 56, 53]
    assert split["split_reconciled"].sum() == 1 and split.loc["Cam Tuyên", "split_reconciled"]
    assert (split["btxh_reconciled"] + split["csgn_reconciled"] == split["poor"]).all()
    totals = camlo.load_household_totals().iloc[0]
    assert split["csgn_reconciled"].sum() == totals["csgn"] == 108
    assert split["btxh_reconciled"].sum() == totals["btxh"] == 345
    assert split["csgn"].sum() == 100  # as published


def test_district_summary():
    facts = status.district_summary(SHIPPED.households, SHIPPED.headline)
    assert {k: facts[k] for k in ("households", "poor", "near_poor", "poor_and_near_poor", "btxh", "csgn",
                                  "dtts_households", "dtts_poor", "units_above_district")} == {
        "households": 14905, "poor": 453, "near_poor": 634, "poor_and_near_poor": 1087, "btxh": 345,
        "csgn": 108, "dtts_households": 101, "dtts_poor": 42, "units_above_district": 3}
    assert facts["dtts_units"] == ("Cam Tuyên",)
    assert facts["poor_pct"] == pytest.approx(100 * 453 / 14905)
    assert facts["dtts_poverty_pct"] == pytest.approx(100 * 42 / 101)
    assert facts["btxh_of_poor_pct"] + facts["csgn_of_poor_pct"] == pytest.approx(100)
    assert (facts["highest_rate_unit"], round(facts["highest_rate_pct"], 2)) == ("Cam Tuyên", 7.36)
    assert (facts["lowest_rate_unit"], round(facts["lowest_rate_pct"], 2)) == ("Cam Chính", 1.23)


def test_public_names():
    assert camlo.household_status is status.household_status
    assert camlo.poverty_rate_by_unit is status.poverty_rate_by_unit
