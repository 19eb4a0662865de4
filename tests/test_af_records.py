"""camlo.af_from_records, score_distribution, co_deprivation: checked household by household.

The independent computations here are plain Python loops over households, written from the
definitions (OPHI's Alkire–Foster formulas), not from the package's pattern table. Records are
made by hand: random ones with seeded flags and statuses, and ones that reproduce the plan's
printed counts, recorded-poor households with fewer than 3 deprivations included.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.measures import af
from camlo.errors import DataError
from camlo.measures import af_records
from camlo.measures.af_records import OFFICIAL, af_from_records, measure_by_k
from camlo.measures.patterns import OFFICIAL_STATUSES
from camlo.measures.scores import co_deprivation, pair_matrix, score_distribution
from test_af import round_robin_records
from shipped_tables import SHIPPED, COUNTS

INDICATORS = list(range(1, 13))
FLAGS = [f"d{j}" for j in INDICATORS]
UNITS = ["Thanh An", "TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên", "Cam Chính", "Cam Hiếu"]
TOL = 1e-12
NON_EQUAL = dict(zip(INDICATORS, [0.02, 0.08, 0.1, 0.2, 0.05, 0.05, 0.04, 0.06, 0.1, 0.1, 0.15, 0.05]))


def random_records(n: int = 600, seed: int = 7) -> pd.DataFrame:
    """Hand-made records: seeded flags (more deprivations for lower incomes), statuses and groups."""
    rng = np.random.default_rng(seed)
    unit = rng.choice(UNITS, size=n)
    area = np.where(unit == "TT Cam Lộ", "urban", "rural")
    propensity = rng.uniform(0.02, 0.6, size=n)
    flags = (rng.uniform(size=(n, 12)) < propensity[:, None]).astype(np.int64)
    income = rng.integers(500_000, 4_000_000, size=n)
    threshold = np.where(area == "urban", 2_000_000, 1_500_000)
    middle = np.where(area == "urban", 3_000_000, 2_250_000)
    score = flags.sum(axis=1)
    status = np.where(income <= threshold, np.where(score >= 3, "poor", "near_poor"),
                      np.where(income <= middle, "middle", "above_middle"))
    recorded = np.where(status == "poor", "poor", np.where(status == "near_poor", "near_poor", ""))
    # the review's own decisions differ from the standard's for a few households, both ways
    override = rng.uniform(size=n) < 0.05
    recorded = np.where(override, rng.choice(["poor", "near_poor", ""], size=n), recorded).astype(object)
    recorded[recorded == ""] = None
    frame = pd.DataFrame({"household_id": [f"H{i:05d}" for i in range(n)], "unit": unit, "area": area,
                          "members": rng.integers(1, 7, size=n), "income_per_person": income,
                          **dict(zip(FLAGS, flags.T)), "ethnic_minority": (rng.uniform(size=n) < 0.1).astype(int),
                          "btxh": (rng.uniform(size=n) < 0.3).astype(int), "status_recorded": recorded,
                          "deprivations": score, "status": status})
    return frame


def official(record) -> str:
    """The review's decision: recorded where the file has the column; a blank is neither."""
    if "status_recorded" not in record:
        return record["status"]
    if isinstance(record["status_recorded"], str) and record["status_recorded"]:
        return record["status_recorded"]
    return record["status"] if record["status"] in ("middle", "above_middle") else "not_listed"


def reference_measures(records: pd.DataFrame, k, weights: pd.Series, by: str | list[str]) -> dict:
    """H, A, M0 and the indicator and dimension measures, household by household in plain loops."""
    by = [by] if isinstance(by, str) else by
    w = [float(weights.loc[j]) for j in INDICATORS]
    table = camlo.indicators()
    dimension_of = dict(zip(table["indicator"], table["dimension_en"]))
    dimensions = list(dict.fromkeys(table["dimension_en"]))
    rows = records.to_dict("records")
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(r[c] for c in by), []).append(r)
    groups[tuple(af.DISTRICT for _ in by)] = rows
    out = {}
    total_n = len(rows)
    district_m0 = None
    for key in [tuple(af.DISTRICT for _ in by)] + [g for g in groups if g[0] != af.DISTRICT]:
        members = groups[key]
        n = len(members)
        poor_scores, censored_total = [], 0.0
        hd = dict.fromkeys(INDICATORS, 0)
        hdk = dict.fromkeys(INDICATORS, 0)
        hd_dim = dict.fromkeys(dimensions, 0)
        hdk_dim = dict.fromkeys(dimensions, 0)
        for r in members:
            score = 0.0
            for i, j in enumerate(INDICATORS):
                score += w[i] * r[f"d{j}"]
            if k == OFFICIAL:
                poor = official(r) == "poor"
            else:
                poor = score >= k / 12 - 1e-9
            if poor:
                poor_scores.append(score)
                censored_total += score
            for j in INDICATORS:
                if r[f"d{j}"] == 1:
                    hd[j] += 1
                    if poor:
                        hdk[j] += 1
            for dim in dimensions:
                if any(r[f"d{j}"] == 1 for j in INDICATORS if dimension_of[j] == dim):
                    hd_dim[dim] += 1
                    if poor:
                        hdk_dim[dim] += 1
        m0 = censored_total / n
        if key[0] == af.DISTRICT:
            district_m0 = m0
        out[(key, "H", None, None)] = len(poor_scores) / n
        out[(key, "A", None, None)] = sum(poor_scores) / len(poor_scores) if poor_scores else math.nan
        out[(key, "M0", None, None)] = m0
        out[(key, "pop_share", None, None)] = n / total_n
        out[(key, "M0_share", None, None)] = (n / total_n) * m0 / district_m0 if district_m0 else math.nan
        for i, j in enumerate(INDICATORS):
            dim = dimension_of[j]
            out[(key, "hd", j, dim)] = hd[j] / n
            out[(key, "hdk", j, dim)] = hdk[j] / n
            out[(key, "actb", j, dim)] = w[i] * hdk[j] / n
            out[(key, "pctb", j, dim)] = w[i] * hdk[j] / n / m0 if m0 else math.nan
        for dim in dimensions:
            actb = sum(w[i] * hdk[j] / n for i, j in enumerate(INDICATORS) if dimension_of[j] == dim)
            out[(key, "hd_dim", None, dim)] = hd_dim[dim] / n
            out[(key, "hdk_dim", None, dim)] = hdk_dim[dim] / n
            out[(key, "actb_dim", None, dim)] = actb
            out[(key, "pctb_dim", None, dim)] = actb / m0 if m0 else math.nan
    return out


def as_dict(measures: pd.DataFrame, k, by: str | list[str]) -> dict:
    by = [by] if isinstance(by, str) else by
    rows = measures[measures["k"].map(lambda v: v == k and type(v) is type(k))]
    return {(tuple(getattr(r, c) for c in by), r.measure, None if pd.isna(r.indicator) else int(r.indicator),
             r.dimension if isinstance(r.dimension, str) else None): r.value
            for r in rows.itertuples()}


def assert_same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for key, value in want.items():
        if math.isnan(value):
            assert math.isnan(got[key]), key
        else:
            assert got[key] == pytest.approx(value, abs=TOL, rel=TOL), key


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return random_records()


# --- against the household-by-household computation ----------------------------------------------------


@pytest.mark.parametrize("weights", [None, NON_EQUAL])
@pytest.mark.parametrize("by", ["unit", "area", "ethnic_minority", ["unit", "ethnic_minority"]])
def test_every_cutoff_equals_the_loop_over_households(records, weights, by):
    w = camlo.indicator_weights(SHIPPED.indicators, weights=weights)
    measures = af_from_records(records, SHIPPED.indicators, weights=weights, by=by)
    assert list(dict.fromkeys(measures["k"])) == [*INDICATORS, OFFICIAL]
    for k in [*INDICATORS, OFFICIAL]:
        assert_same(as_dict(measures, k, by), reference_measures(records, k, w, by))


def test_columns_and_types(records):
    measures = af_from_records(records, SHIPPED.indicators, k=[3, OFFICIAL])
    assert list(measures.columns) == ["unit", "k", "measure", "indicator", "dimension", "value", "over"]
    assert str(measures["indicator"].dtype) == "Int64" and measures["value"].dtype == "float64"
    assert list(dict.fromkeys(measures["unit"])) == [*UNITS, af.DISTRICT]
    assert set(measures["measure"]) == set(af_records.MEASURE_DEFINITIONS)


def test_k_selects(records):
    assert af_from_records(records, SHIPPED.indicators, k=5)["k"].unique().tolist() == [5]
    assert af_from_records(records, SHIPPED.indicators, k=OFFICIAL)["k"].unique().tolist() == [OFFICIAL]
    for bad in (0, 13, "3", 2.5, True, []):
        with pytest.raises(ValueError, match="k must"):
            af_from_records(records, SHIPPED.indicators, k=bad)


def test_a_score_at_the_cutoff_reaches_it():
    # seven weights of 1/12 add up to slightly less than the float 7/12
    assert sum([1 / 12] * 7) < 7 / 12
    records = pd.DataFrame({"unit": ["Thanh An"], "status": ["poor"],
                            **{f: [int(j <= 7)] for j, f in zip(INDICATORS, FLAGS)}})
    h = measure_by_k(af_from_records(records, SHIPPED.indicators, k=[7, 8]), "H")
    assert h.loc["Thanh An"].tolist() == [1.0, 0.0]


def test_no_poor_households_give_nan_not_zero():
    records = pd.DataFrame({"unit": ["Thanh An", "Cam Hiếu"], "status": ["middle", "middle"],
                            **{f: [1, 0] for f in FLAGS}})
    m = af_from_records(records, SHIPPED.indicators, k=12)
    cam_hieu = m[m["unit"] == "Cam Hiếu"].set_index("measure")
    assert cam_hieu.loc["H", "value"] == 0 and cam_hieu.loc["M0", "value"] == 0
    assert math.isnan(cam_hieu.loc["A", "value"])
    assert cam_hieu.loc["pctb", "value"].isna().all()


def test_records_are_not_changed(records):
    before = records.copy()
    af_from_records(records, SHIPPED.indicators, by=["unit", "area"])
    score_distribution(records, SHIPPED.indicators)
    co_deprivation(records, SHIPPED.indicators, by="unit")
    pd.testing.assert_frame_equal(records, before)


# --- decomposition ------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["unit", "area", "ethnic_minority", ["unit", "area"], ["area", "ethnic_minority"]])
@pytest.mark.parametrize("weights", [None, "dimension", NON_EQUAL])
def test_population_weighted_group_m0s_add_up_to_the_district(records, by, weights):
    columns = [by] if isinstance(by, str) else by
    measures = af_from_records(records, SHIPPED.indicators, weights=weights, by=by)
    for k, rows in measures.groupby("k", sort=False):
        wide = rows[rows["indicator"].isna() & rows["dimension"].isna()].pivot_table(
            index=columns, columns="measure", values="value", sort=False)
        is_district = np.array([all(v == af.DISTRICT for v in (key if isinstance(key, tuple) else (key,)))
                                for key in wide.index])
        groups, district = wide[~is_district], wide[is_district].iloc[0]
        assert (groups["pop_share"] * groups["M0"]).sum() == pytest.approx(district["M0"], abs=TOL)
        assert (groups["pop_share"] * groups["H"]).sum() == pytest.approx(district["H"], abs=TOL)
        assert groups["pop_share"].sum() == pytest.approx(1, abs=TOL)
        if district["M0"] > 0:
            assert groups["M0_share"].sum() == pytest.approx(1, abs=TOL)
        # within each group, contributions add up to M0, and shares to 1
        for measure, total in (("actb", "M0"), ("actb_dim", "M0")):
            sums = rows[rows["measure"] == measure].groupby(columns, sort=False)["value"].sum()
            for key, value in sums.items():
                assert value == pytest.approx(wide.loc[key, total], abs=TOL)


# --- the official identification and the printed counts ------------------------------------------------


def records_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Records that reproduce the plan's counts: each unit's q poor households recorded poor,
    indicator j's D_j deprivations spread over them round-robin (``test_af.round_robin_records``,
    so Thanh An's and Cam Chính's come out with fewer than 3 for some), every other household
    with no deprivation."""
    unit_of, poor, x = round_robin_records(counts)
    position = pd.Series(unit_of).groupby(unit_of).cumcount().to_numpy()
    score = x.sum(axis=1)
    return pd.DataFrame({
        "household_id": [f"{unit}-{i}" for unit, i in zip(unit_of, position)], "unit": unit_of,
        **dict(zip(FLAGS, x.T)),
        # low incomes for the poor: the standard says near-poor where fewer than 3
        "status": np.where(poor, np.where(score >= 3, "poor", "near_poor"), "middle"),
        "status_recorded": np.where(poor, "poor", None)})


@pytest.fixture(scope="module")
def printed_records() -> pd.DataFrame:
    return records_from_counts(af.unit_counts(SHIPPED.households, SHIPPED.deprivations))


@pytest.mark.parametrize("weights", [None, "dimension", NON_EQUAL])
def test_official_measures_equal_af_measures_exactly(printed_records, weights):
    """Exactly, not approximately: the same counts through the same arithmetic."""
    got = af_from_records(printed_records, SHIPPED.indicators, k=OFFICIAL, weights=weights)
    want = camlo.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators, weights=weights)
    shared = ["H", "A", "M0", "pop_share", "M0_share", "hdk", "actb", "pctb", "actb_dim", "pctb_dim"]
    key = ["unit", "measure", "indicator", "dimension"]
    merged = want[want["measure"].isin(shared)].merge(got, on=key, how="left", suffixes=("_printed", "_records"))
    assert len(merged) == (len(UNITS) + 1) * (5 + 3 * 12 + 2 * 6)
    assert (merged["value_records"] == merged["value_printed"]).all()


def test_no_score_cutoff_reproduces_the_official_poor(printed_records):
    """Thanh An and Cam Chính have recorded-poor households with fewer than 3 deprivations."""
    h = measure_by_k(af_from_records(printed_records, SHIPPED.indicators, k=[3, OFFICIAL]), "H")
    short = (printed_records.assign(short=lambda f: f[FLAGS].sum(axis=1) < 3)
             .query("status_recorded == 'poor' and short").groupby("unit").size())
    assert set(short.index) == {"Thanh An", "Cam Chính"}
    n = printed_records.groupby("unit").size()
    for unit in UNITS:
        assert h.loc[unit, OFFICIAL] - h.loc[unit, 3] == pytest.approx(short.get(unit, 0) / n[unit], abs=TOL)


# --- score distribution -------------------------------------------------------------------------------------


def test_score_distribution_counts_households(records):
    table = score_distribution(records, SHIPPED.indicators, by="area")
    assert list(table.columns) == ["area", "deprivations", "status", "households", "share"]
    assert len(table) == 3 * 13 * 5  # the random records have households not listed
    assert (table.query("status == 'not_listed'")["households"] > 0).any()
    counted = {}
    for r in records.to_dict("records"):
        for group in (r["area"], af.DISTRICT):
            key = (group, sum(r[f] for f in FLAGS), official(r))
            counted[key] = counted.get(key, 0) + 1
    for row in table.itertuples():
        assert row.households == counted.get((row.area, row.deprivations, row.status), 0)
    shares = table.groupby("area")["share"].sum()
    assert np.allclose(shares, 1)


def test_score_distribution_within_the_bounds_of_the_counts(printed_records):
    """The records reproduce the counts, so their score distribution lies within notebook 02's bounds."""
    table = score_distribution(printed_records, SHIPPED.indicators).query("status == 'poor'")
    bounds = camlo.score_bounds(COUNTS)
    for unit in [*UNITS, af.DISTRICT]:
        poor = table[table["unit"] == unit].set_index("deprivations")["households"]
        for k in INDICATORS:
            at_least = int(poor.loc[k:].sum())
            row = bounds[(bounds["unit"] == unit) & (bounds["k"] == k)].iloc[0]
            assert row["fewest"] <= at_least <= row["most"], (unit, k)


# --- co-deprivation --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["poor", None, ["poor", "near_poor"]])
def test_co_deprivation_equals_the_loop(records, status):
    pairs = co_deprivation(records, SHIPPED.indicators, status=status, by="unit")
    wanted = OFFICIAL_STATUSES if status is None else ([status] if isinstance(status, str) else status)
    chosen = [r for r in records.to_dict("records") if official(r) in wanted]
    for unit in [*UNITS, af.DISTRICT]:
        members = [r for r in chosen if unit in (r["unit"], af.DISTRICT)]
        rows = pairs[pairs["unit"] == unit]
        assert len(rows) == 66
        for row in rows.itertuples():
            dj = sum(r[f"d{row.indicator_j}"] for r in members)
            dk = sum(r[f"d{row.indicator_k}"] for r in members)
            both = sum(r[f"d{row.indicator_j}"] * r[f"d{row.indicator_k}"] for r in members)
            assert (row.households, row.deprived_j, row.deprived_k, row.both) == (len(members), dj, dk, both)
            assert (math.isnan(row.r0) if min(dj, dk) == 0 else row.r0 == both / min(dj, dk))
            assert row.expected_both == pytest.approx(dj * dk / len(members))


def test_co_deprivation_within_the_bounds_of_the_counts(printed_records):
    pairs = co_deprivation(printed_records, SHIPPED.indicators, by="unit")
    bounds = camlo.overlap_bounds(COUNTS)
    merged = pairs.merge(bounds, on=["unit", "indicator_j", "indicator_k"], validate="one_to_one")
    assert len(merged) == 9 * 66
    assert ((merged["both_min"] <= merged["both"]) & (merged["both"] <= merged["both_max"])).all()


def test_co_deprivation_of_the_district_alone(records):
    alone = co_deprivation(records, SHIPPED.indicators)
    assert list(alone.columns[:2]) == ["indicator_j", "indicator_k"] and len(alone) == 66
    grouped = co_deprivation(records, SHIPPED.indicators, by="unit").query("unit == 'district'").drop(columns="unit")
    pd.testing.assert_frame_equal(alone, grouped.reset_index(drop=True))
    matrix = pair_matrix(alone, "both")
    assert (matrix.values == matrix.values.T).all()
    assert [matrix.loc[j, j] for j in INDICATORS] == [
        sum(official(r) == "poor" and r[f"d{j}"] for r in records.to_dict("records")) for j in INDICATORS]
    with pytest.raises(ValueError, match="status"):
        co_deprivation(records, SHIPPED.indicators, status="rich")


# --- bad input -------------------------------------------------------------------------------------------


def test_bad_flags_name_the_household_and_column(records):
    for value, shown in ((2, "2"), (np.nan, "a blank"), ("1", "the text '1'")):
        broken = records.copy()
        broken["d4"] = broken["d4"].astype(object)
        broken.loc[5, "d4"] = value
        with pytest.raises(DataError, match=f"row 'record 6', column 'd4'.*got {shown}"):
            af_from_records(broken, SHIPPED.indicators)


def test_missing_columns_and_statuses(records):
    with pytest.raises(DataError, match="column 'd12'"):
        af_from_records(records.drop(columns="d12"), SHIPPED.indicators, k=3)
    with pytest.raises(DataError, match="column 'area'"):
        af_from_records(records.drop(columns="area"), SHIPPED.indicators, k=3, by="area")
    broken = records.copy()
    broken.loc[3, "status_recorded"] = "rich"
    with pytest.raises(DataError, match="row 'record 4', column 'status_recorded'"):
        af_from_records(broken, SHIPPED.indicators, k=OFFICIAL)
    broken = records.copy()
    broken.loc[8, "unit"] = None
    with pytest.raises(DataError, match="row 'record 9', column 'unit'"):
        af_from_records(broken, SHIPPED.indicators, k=3)
    # the cutoffs alone need no status
    assert len(af_from_records(records.drop(columns=["status", "status_recorded"]), SHIPPED.indicators, k=3))
    with pytest.raises(ValueError, match="by must"):
        af_from_records(records, SHIPPED.indicators, by=[])
    with pytest.raises(ValueError, match="weights must sum to 1"):
        af_from_records(records, SHIPPED.indicators, weights=[0.1] * 12)


# --- against PyPI mpitb ------------------------------------------------------------------------------------
#
# mpitb 0.2 (pure Python, after Suppa's Stata mpitb) identifies with `score >= k / 100`, k in
# percent. Two of its behaviours matter here: (1) at cutoffs of k/12 the float comparison
# misses households exactly at the cutoff (1/12 >= 8.333333333333334 / 100 is false), so the
# comparison lowers each cutoff by 1e-9 percent; (2) it adds a score and a poor column per
# cutoff to the frame it is given. It also reports a sampling standard error for every
# estimate (meaningless for a census), gives A = 0 rather than NaN where nobody is poor, has
# no dimension-level measures, and knows no official (income and recorded-status)
# identification, so only the cutoffs are compared.


def mpitb_estimates(records: pd.DataFrame, ks: list[float], weights: dict | None = None) -> pd.DataFrame:
    from mpitb.core import MPIToolbox

    table = camlo.indicators()
    dims = [([f"d{j}" for j in table.loc[table["dimension_en"] == d, "indicator"]], d)
            for d in dict.fromkeys(table["dimension_en"])]
    toolbox = MPIToolbox()
    toolbox.set(name="decree07", dimensions=dims)
    frame = records[["unit", *FLAGS]].copy()
    chosen = "equal" if weights is None else {f"d{j}": w for j, w in weights.items()}
    return pd.DataFrame(toolbox.est(frame, "decree07", klist=ks, weights=chosen, over=["unit"])), frame


@pytest.mark.parametrize("weights", [None, NON_EQUAL])
def test_cutoffs_agree_with_mpitb(records, weights):
    ks = [100 * k / 12 - 1e-9 for k in INDICATORS]
    theirs, _ = mpitb_estimates(records, ks, weights)
    theirs["k"] = theirs["k"].map(dict(zip(ks, INDICATORS)))
    theirs["unit"] = np.where(theirs["loa"] == "nat", af.DISTRICT, theirs["subg"])
    theirs["indicator"] = theirs["indicator"].map(lambda v: int(v[1:]) if isinstance(v, str) else None)
    ours = af_from_records(records, SHIPPED.indicators, k=INDICATORS, weights=weights)
    ours = ours[ours["measure"].isin(["H", "A", "M0", "hd", "hdk", "actb", "pctb"])]
    merged = ours.merge(theirs.astype({"indicator": "Int64"}), on=["unit", "k", "measure", "indicator"],
                        validate="one_to_one")
    assert len(merged) == len(ours) == 9 * 12 * (3 + 4 * 12)
    nobody_poor = merged["measure"].isin(["A", "pctb"]) & merged["value"].isna()
    assert (merged.loc[nobody_poor, "b"] == 0).all()  # mpitb's 0 where we give NaN
    assert np.allclose(merged.loc[~nobody_poor, "value"], merged.loc[~nobody_poor, "b"], rtol=0, atol=1e-12)
    assert (merged.loc[merged["measure"] == "H", "se"] > 0).any()  # sampling errors, for a census


def test_mpitb_misses_households_exactly_at_a_cutoff_and_changes_its_input(records):
    theirs, frame = mpitb_estimates(records, [100 * 1 / 12])
    h_theirs = theirs.query("loa == 'nat' and measure == 'H'")["b"].iloc[0]
    h = measure_by_k(af_from_records(records, SHIPPED.indicators, k=[1, 2]), "H").loc[af.DISTRICT]
    assert h[1] > h[2] and h_theirs == h[2]  # households with exactly one deprivation are missed
    assert len(frame.columns) == 1 + 12 + 2
