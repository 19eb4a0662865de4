"""camlo.measures.af: the Alkire–Foster measures from counts, checked against household-level records.

The independent check: build household records consistent with the published counts (each
poor household's deprivations chosen deterministically), compute H, A, M0 and the
contributions directly from the records, household by household, and require the aggregate
formulas to agree to 1e-12. The bounds are checked against every arrangement of small cases.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.measures import af, bounds
from camlo.errors import DataError
from shipped_tables import SHIPPED, COUNTS

TOL = 1e-12
INDICATORS = list(range(1, 13))
DIMENSIONS = ["Employment", "Health", "Education", "Housing", "Water and sanitation", "Information"]

# Phụ lục 2 as printed, typed in by hand for the hand-checked numbers below.
PRINTED = {
    "Thanh An": (2693, 106, [24, 69, 3, 70, 1, 1, 4, 4, 6, 18, 82, 31]),
    "TT Cam Lộ": (2095, 36, [11, 22, 4, 36, 2, 3, 5, 5, 5, 9, 14, 5]),
    "Cam Thành": (2223, 37, [8, 18, 1, 23, 3, 2, 0, 5, 0, 18, 28, 14]),
    "Cam Thủy": (1489, 57, [31, 18, 3, 36, 5, 0, 5, 3, 14, 17, 29, 11]),
    "Cam Nghĩa": (1667, 46, [0, 42, 0, 28, 1, 0, 2, 2, 0, 43, 33, 10]),
    "Cam Tuyên": (1481, 109, [37, 24, 5, 65, 32, 2, 8, 39, 8, 75, 60, 31]),
    "Cam Chính": (1466, 18, [5, 4, 1, 3, 0, 0, 2, 0, 1, 7, 18, 10]),
    "Cam Hiếu": (1791, 44, [18, 34, 2, 29, 2, 0, 0, 2, 1, 11, 30, 18]),
}

NON_EQUAL_BY_DIMENSION = {"Employment": 0.3, "Health": 0.25, "Education": 0.05, "Housing": 0.1,
                          "Water and sanitation": 0.2, "Information": 0.1}
NON_EQUAL_BY_INDICATOR = dict(zip(INDICATORS, [0.02, 0.08, 0.1, 0.2, 0.05, 0.05,
                                               0.04, 0.06, 0.1, 0.1, 0.15, 0.05]))
WEIGHTINGS = [None, "dimension", NON_EQUAL_BY_DIMENSION, NON_EQUAL_BY_INDICATOR]


# --- household records consistent with the published counts -------------------------------------------


def round_robin_records(counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Household records: one row per household of every unit, a 0/1 column per indicator.

    In each unit the first q households are the poor ones; indicator j's D_j deprivations go to
    the next D_j poor households in a cycle that carries on from indicator to indicator (greedy
    round-robin), so every poor household's score is floor or ceil of sum(D) / q. Non-poor
    households carry no deprivations: they are censored, and the plan does not publish theirs.

    Returns:
        (unit of each household, poor flag, deprivation matrix).
    """
    unit_of, poor, rows = [], [], []
    for unit in [u for u in counts.index if u != af.DISTRICT]:
        n, q = int(counts.loc[unit, "n"]), int(counts.loc[unit, "q"])
        x = np.zeros((n, len(INDICATORS)), dtype=np.int64)
        start = 0
        for col, j in enumerate(INDICATORS):
            d = int(counts.loc[unit, j])
            for step in range(d):
                x[(start + step) % q, col] = 1
            start = (start + d) % q if q else 0
        unit_of += [unit] * n
        poor += [True] * q + [False] * (n - q)
        rows.append(x)
    return np.array(unit_of), np.array(poor), np.vstack(rows)


def random_records(counts: pd.DataFrame, seed: int = 2022) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Records with each indicator's deprivations placed on randomly chosen poor households (seeded)."""
    rng = np.random.default_rng(seed)
    unit_of, poor, rows = [], [], []
    for unit in [u for u in counts.index if u != af.DISTRICT]:
        n, q = int(counts.loc[unit, "n"]), int(counts.loc[unit, "q"])
        x = np.zeros((n, len(INDICATORS)), dtype=np.int64)
        for col, j in enumerate(INDICATORS):
            x[rng.choice(q, size=int(counts.loc[unit, j]), replace=False), col] = 1
        unit_of += [unit] * n
        poor += [True] * q + [False] * (n - q)
        rows.append(x)
    return np.array(unit_of), np.array(poor), np.vstack(rows)


def measures_from_records(unit_of, poor, x, weights: pd.Series) -> dict[tuple, float]:
    """The measures computed household by household, keyed (unit, measure, indicator, dimension)."""
    w = weights.loc[INDICATORS].to_numpy()
    dimension_of = dict(zip(camlo.indicators()["indicator"], camlo.indicators()["dimension_en"]))
    score = x @ w  # each household's weighted deprivation score
    censored = np.where(poor, score, 0.0)  # non-poor households' scores are censored to 0
    total_censored = censored.sum()
    out = {}
    groups = [(u, unit_of == u) for u in dict.fromkeys(unit_of)] + [(af.DISTRICT, np.ones(len(poor), bool))]
    for unit, members in groups:
        p = poor[members]
        n = members.sum()
        m0 = censored[members].mean()
        out[(unit, "H", None, None)] = p.mean()
        out[(unit, "A", None, None)] = score[members][p].mean()
        out[(unit, "M0", None, None)] = m0
        out[(unit, "M0_share", None, None)] = censored[members].sum() / total_censored
        out[(unit, "pop_share", None, None)] = n / len(poor)
        deprived_and_poor = x[members] * p[:, None]
        for col, j in enumerate(INDICATORS):
            hdk = deprived_and_poor[:, col].mean()
            dim = dimension_of[j]
            out[(unit, "dep_rate", j, dim)] = x[members][p][:, col].mean()
            out[(unit, "hdk", j, dim)] = hdk
            out[(unit, "actb", j, dim)] = w[col] * hdk
            out[(unit, "pctb", j, dim)] = w[col] * hdk / m0
        for dim in DIMENSIONS:
            cols = [c for c, j in enumerate(INDICATORS) if dimension_of[j] == dim]
            dim_score = x[members][:, cols] @ w[cols]  # each household's score in the dimension
            actb = np.where(p, dim_score, 0.0).mean()
            out[(unit, "actb_dim", None, dim)] = actb
            out[(unit, "pctb_dim", None, dim)] = actb / m0
            out[(unit, "dep_rate_dim", None, dim)] = dim_score[p].mean() / w[cols].sum()
    return out


def as_dict(measures: pd.DataFrame) -> dict[tuple, float]:
    return {
        (r.unit, r.measure, None if pd.isna(r.indicator) else int(r.indicator),
         None if pd.isna(r.dimension) else r.dimension): r.value
        for r in measures.itertuples()
    }


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return af.unit_counts(SHIPPED.households, SHIPPED.deprivations)


@pytest.fixture(scope="module")
def records(counts):
    return round_robin_records(counts)


def test_records_are_consistent_with_the_published_counts(counts, records):
    unit_of, poor, x = records
    for unit, (n, q, d) in PRINTED.items():
        members = unit_of == unit
        assert members.sum() == n
        assert poor[members].sum() == q
        assert x[members].sum(axis=0).tolist() == d
        assert x[members & ~poor].sum() == 0
    assert len(poor) == 14905 and poor.sum() == 453


def test_round_robin_gives_three_deprivations_wherever_the_counts_allow(records):
    unit_of, poor, x = records
    scores = x.sum(axis=1)
    for unit, (_, q, d) in PRINTED.items():
        s = scores[(unit_of == unit) & poor]
        assert s.max() - s.min() <= 1
        if sum(d) >= 3 * q:
            assert s.min() >= 3, unit
        else:  # Thanh An (313 < 318) and Cam Chính (51 < 54): impossible for every household
            assert unit in ("Thanh An", "Cam Chính")
            assert (s < 3).sum() == 3 * q - sum(d)


@pytest.mark.parametrize("weights", WEIGHTINGS, ids=["equal", "dimension", "dimension-unequal",
                                                     "indicator-unequal"])
@pytest.mark.parametrize("make", [round_robin_records, random_records], ids=["round-robin", "random"])
def test_aggregate_formulas_agree_with_household_records(counts, weights, make):
    expected = measures_from_records(*make(counts), af.indicator_weights(SHIPPED.indicators, weights=weights))
    got = as_dict(af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators, weights=weights))
    assert set(got) == set(expected)
    worst = max(abs(got[key] - expected[key]) for key in expected)
    assert worst <= TOL, worst


def test_long_format_layout():
    m = af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators)
    assert list(m.columns) == ["unit", "measure", "indicator", "dimension", "value"]
    assert list(dict.fromkeys(m["unit"])) == [*PRINTED, "district"]
    assert str(m["indicator"].dtype) == "Int64"
    per_unit = len(af.UNIT_MEASURES) + 12 * len(af.INDICATOR_MEASURES) + 6 * len(af.DIMENSION_MEASURES)
    assert len(m) == 9 * per_unit
    unit_level = m[m["measure"].isin(af.UNIT_MEASURES)]
    assert unit_level["indicator"].isna().all() and unit_level["dimension"].isna().all()
    indicator_level = m[m["measure"].isin(af.INDICATOR_MEASURES)]
    assert indicator_level["indicator"].notna().all() and indicator_level["dimension"].notna().all()
    dimension_level = m[m["measure"].isin(af.DIMENSION_MEASURES)]
    assert dimension_level["indicator"].isna().all()
    assert set(dimension_level["dimension"]) == set(DIMENSIONS)
    assert set(m["measure"]) == set(af.MEASURE_DEFINITIONS)
    assert not m.duplicated(["unit", "measure", "indicator", "dimension"]).any()


def test_hand_checked_values():
    m = af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators)
    value = {(r.unit, r.measure, None if pd.isna(r.indicator) else int(r.indicator)): r.value
             for r in m.itertuples() if r.measure in (*af.UNIT_MEASURES, *af.INDICATOR_MEASURES)}
    assert value[("Cam Tuyên", "dep_rate", 10)] == pytest.approx(75 / 109, abs=TOL)
    assert value[("Cam Tuyên", "hdk", 10)] == pytest.approx(75 / 1481, abs=TOL)
    assert value[("district", "H", None)] == pytest.approx(453 / 14905, abs=TOL)
    assert value[("district", "A", None)] == pytest.approx(1471 / (453 * 12), abs=TOL)
    assert value[("district", "M0", None)] == pytest.approx(1471 / (14905 * 12), abs=TOL)
    assert value[("district", "pctb", 11)] == pytest.approx(294 / 1471, abs=TOL)
    for unit, (n, q, d) in PRINTED.items():
        assert value[(unit, "H", None)] == pytest.approx(q / n, abs=TOL)
        assert value[(unit, "A", None)] == pytest.approx(sum(d) / (12 * q), abs=TOL)
        assert value[(unit, "M0", None)] == pytest.approx(sum(d) / (12 * n), abs=TOL)
        assert value[(unit, "M0_share", None)] == pytest.approx(sum(d) / 1471, abs=TOL)
        assert value[(unit, "pop_share", None)] == pytest.approx(n / 14905, abs=TOL)


def test_units_below_the_decree_minimum_of_three_deprivations():
    a = af.measure_table(af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators), "A")
    assert sorted(a[a < 3 / 12].index) == ["Cam Chính", "Thanh An"]
    assert a["Thanh An"] == pytest.approx(313 / (106 * 12), abs=TOL)
    assert a["Cam Chính"] == pytest.approx(51 / (18 * 12), abs=TOL)


@pytest.mark.parametrize("weights", WEIGHTINGS)
def test_identities(weights):
    m = af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators, weights=weights)
    h, a, m0 = (af.measure_table(m, k) for k in ("H", "A", "M0"))
    np.testing.assert_allclose(m0, h * a, rtol=0, atol=TOL)
    np.testing.assert_allclose(af.measure_table(m, "pctb").sum(axis=1), 1, rtol=0, atol=TOL)
    np.testing.assert_allclose(af.measure_table(m, "pctb_dim").sum(axis=1), 1, rtol=0, atol=TOL)
    np.testing.assert_allclose(af.measure_table(m, "actb").sum(axis=1), m0, rtol=0, atol=TOL)
    share = af.measure_table(m, "M0_share").drop("district")
    pop = af.measure_table(m, "pop_share").drop("district")
    assert share.sum() == pytest.approx(1, abs=TOL)
    # district M0 = sum_c (n_c / N) M0_c
    assert (pop * m0.drop("district")).sum() == pytest.approx(m0["district"], abs=TOL)


def test_dimension_weights_equal_equal_weights_for_six_pairs():
    pd.testing.assert_frame_equal(af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators, weights="dimension"), af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators))
    assert (af.indicator_weights(SHIPPED.indicators, weights="dimension") == 1 / 12).all()


def test_weight_forms():
    by_dimension = af.indicator_weights(SHIPPED.indicators, weights=NON_EQUAL_BY_DIMENSION)
    assert by_dimension.loc[[1, 2]].tolist() == [0.15, 0.15]
    assert by_dimension.loc[[5, 6]].tolist() == [0.025, 0.025]
    assert math.fsum(by_dimension) == pytest.approx(1)
    assert af.indicator_weights(SHIPPED.indicators, weights=NON_EQUAL_BY_INDICATOR).tolist() == list(NON_EQUAL_BY_INDICATOR.values())
    assert af.indicator_weights(SHIPPED.indicators, weights=list(NON_EQUAL_BY_INDICATOR.values())).tolist() == list(
        NON_EQUAL_BY_INDICATOR.values())
    assert af.indicator_weights(SHIPPED.indicators, weights=pd.Series(NON_EQUAL_BY_INDICATOR)).tolist() == list(
        NON_EQUAL_BY_INDICATOR.values())
    assert af.indicator_weights(SHIPPED.indicators, weights=np.full(12, 1 / 12)).tolist() == [1 / 12] * 12
    assert list(af.indicator_weights(SHIPPED.indicators).index) == INDICATORS


BAD_WEIGHTS = [
    ({j: 0.1 for j in INDICATORS}, r"must sum to 1; they sum to 1\.2"),
    ({**NON_EQUAL_BY_DIMENSION, "Employment": -0.3, "Health": 0.85}, r"'Employment' must not be negative"),
    ({**NON_EQUAL_BY_INDICATOR, 13: 0.0}, r"unknown indicator\(s\) 13 in weights; expected 1 to 12"),
    ({**NON_EQUAL_BY_DIMENSION, "Income": 0.0}, r"unknown dimension\(s\) 'Income'"),
    ({k: v for k, v in NON_EQUAL_BY_DIMENSION.items() if k != "Housing"},
     r"must name every dimension; missing: 'Housing'"),
    ({k: v for k, v in NON_EQUAL_BY_INDICATOR.items() if k != 4}, r"must name every indicator; missing: 4"),
    ([1 / 11] * 11, r"one weight per indicator \(12\); got 11"),
    ([1 / 13] * 13, r"one weight per indicator \(12\); got 13"),
    ({1: 0.5, "Health": 0.5}, r"keys must all be indicator numbers \(int\) or all English dimension names"),
    ({**NON_EQUAL_BY_INDICATOR, 1: float("nan")}, r"indicator 1 must be a finite number"),
    ({**NON_EQUAL_BY_INDICATOR, 1: "0.02"}, r"indicator 1 must be a finite number; got '0.02'"),
    ("income", r"got the string 'income'"),
    (0.5, r"got float"),
    ({}, r"weights mapping is empty"),
]


@pytest.mark.parametrize(("weights", "message"), BAD_WEIGHTS)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ValueError, match=message):
        af.indicator_weights(SHIPPED.indicators, weights=weights)
    with pytest.raises(ValueError, match=message):
        af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators, weights=weights)


def test_annexes_must_agree_on_poor_households():
    households = camlo.load_households()
    households.loc[households["unit"] == "Cam Hiếu", "poor"] = 45
    with pytest.raises(DataError, match=r"row 'Cam Hiếu', column 'poor': Phụ lục 1 prints 45 poor"):
        af.af_measures(households, SHIPPED.deprivations, SHIPPED.indicators)
    deprivations = camlo.load_deprivations()
    deprivations = deprivations[deprivations["unit"] != "Cam Hiếu"]
    with pytest.raises(DataError, match=r"list different units"):
        af.af_measures(SHIPPED.households, deprivations, SHIPPED.indicators)


def test_a_unit_without_poor_households_gives_nan_not_a_warning():
    households = pd.DataFrame({"unit": ["A", "B"], "households": [10, 20], "poor": [0, 4]})
    deprivations = pd.DataFrame({
        "unit": ["A"] * 12 + ["B"] * 12, "indicator": INDICATORS * 2,
        "deprived": [0] * 12 + [4, 2, 1] + [0] * 9, "poor": [0] * 12 + [4] * 12})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = af.af_measures(households, deprivations, SHIPPED.indicators)
    a = af.measure_table(m, "A")
    assert math.isnan(a["A"]) and a["B"] == pytest.approx(7 / 48)
    assert af.measure_table(m, "H")["A"] == 0
    assert af.measure_table(m, "pctb").loc["A"].isna().all()
    assert af.measure_table(m, "M0")["district"] == pytest.approx(7 / 12 / 30)


def test_measure_table_refuses_unknown_measure():
    with pytest.raises(ValueError, match="no measure 'M1'"):
        af.measure_table(af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators), "M1")


# --- bounds -------------------------------------------------------------------------------------------


def arrangements(counts: list[int], q: int):
    """Every 0/1 q x m matrix with the given column sums."""
    columns = [list(itertools.combinations(range(q), d)) for d in counts]
    for choice in itertools.product(*columns):
        x = np.zeros((q, len(counts)), dtype=int)
        for col, rows in enumerate(choice):
            x[list(rows), col] = 1
        yield x


SMALL_CASES = [(counts, q) for q in range(0, 5) for m in (1, 2, 3)
               for counts in itertools.product(range(q + 1), repeat=m)]
SMALL_CASES += [(counts, 3) for counts in itertools.product(range(4), repeat=4)]


def test_score_count_bounds_are_sharp_on_every_small_case():
    for counts, q in SMALL_CASES:
        scores = [x.sum(axis=1) for x in arrangements(list(counts), q)]
        for k in range(0, len(counts) + 2):
            at_least = [int((s >= k).sum()) for s in scores]
            assert bounds.score_count_bounds(counts, q, k) == (min(at_least), max(at_least)), (counts, q, k)


def test_pair_and_union_bounds_are_sharp_on_every_small_case():
    for counts, q in SMALL_CASES:
        if len(counts) < 2:
            continue
        xs = list(arrangements(list(counts), q))
        both = [int((x[:, 0] & x[:, 1]).sum()) for x in xs]
        assert bounds.pair_overlap_bounds(counts[0], counts[1], q) == (min(both), max(both))
        anyone = [int(x.any(axis=1).sum()) for x in xs]
        assert bounds.union_bounds(counts, q) == (min(anyone), max(anyone))


def test_bounds_refuse_impossible_counts():
    with pytest.raises(ValueError, match="between 0 and q = 3"):
        bounds.score_count_bounds([4, 1], 3, 2)
    with pytest.raises(ValueError, match="between 0 and q = 3"):
        bounds.pair_overlap_bounds(-1, 1, 3)
    with pytest.raises(ValueError, match="undefined"):
        bounds.mean_score([0, 0], 0)


def test_mean_score_is_twelve_times_a():
    a = af.measure_table(af.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators), "A")
    for unit, (_, q, d) in PRINTED.items():
        assert bounds.mean_score(d, q) == pytest.approx(12 * a[unit], abs=TOL)


def test_plan_bounds_contain_both_reconstructions(counts, records):
    score = bounds.score_bounds(counts).set_index(["unit", "k"])
    overlaps = bounds.overlap_bounds(counts).set_index(["unit", "indicator_j", "indicator_k"])
    for unit_of, poor, x in (records, random_records(counts)):
        for unit in PRINTED:
            poor_x = x[(unit_of == unit) & poor]
            scores = poor_x.sum(axis=1)
            for k in range(1, 13):
                lo, hi = score.loc[(unit, k), ["fewest", "most"]]
                assert lo <= (scores >= k).sum() <= hi
            for j, k in itertools.combinations(INDICATORS, 2):
                lo, hi = overlaps.loc[(unit, j, k), ["both_min", "both_max"]]
                assert lo <= (poor_x[:, j - 1] & poor_x[:, k - 1]).sum() <= hi


def test_district_bounds_are_sums_of_units():
    scores = bounds.score_bounds(COUNTS, ks=[1, 3, 5])
    units = scores[scores["unit"] != "district"].groupby("k")[["q", "fewest", "most"]].sum()
    district = scores[scores["unit"] == "district"].set_index("k")[["q", "fewest", "most"]]
    pd.testing.assert_frame_equal(units, district, check_names=False)
    assert district.loc[3].tolist() == [453, 116, 449]
    overlaps = bounds.overlap_bounds(COUNTS)
    assert len(overlaps) == 9 * 66
    row = overlaps.query("unit == 'district' and indicator_j == 4 and indicator_k == 11")
    expected_min = sum(max(0, d[3] + d[10] - q) for _, q, d in PRINTED.values())
    assert row["both_min"].item() == expected_min == 131
