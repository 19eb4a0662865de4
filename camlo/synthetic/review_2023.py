"""SYNTHETIC records of an end-2023 follow-up review of the same households as the 2022 review.

Real review records are personal data and are not published; nor is any per-commune figure
after the plan's baseline. These records are made up. Starting from the synthetic 2022
records (:mod:`camlo.synthetic.review_2022`), a seeded generator moves the same households
between statuses over the two annual review steps from the start of 2022 to the end of 2023,
removes some households from the file and adds new ones, so that notebook 04 can show how
:func:`camlo.transitions` measures the rates that notebook 03's projection otherwise assumes.

**Calibrated to** (:class:`Calibration`): the district's end-2023 totals as a public article
reports them (VietnamNet, October 2024), recorded in ``data/raw/observed_reviews.csv`` and
``observed_reviews_dtts.csv``: poor and near-poor households, and the same among
ethnic-minority households. The records give back exactly these four totals, and with the
households the generator keeps, the rates the article prints beside them too. Nothing else
is calibrated: how the totals split over the 8 units, which households move, and every rate
of :class:`Assumptions` are the generator's assumptions, not findings about Cam Lộ.

How the totals are met, separately for ethnic-minority households and the others: the
households that fall into poverty and those that leave the file are fixed shares
(:class:`Assumptions`); the number of poor households that **leave poverty** is then what
makes the stratum's poor total come out as published, split between CSGN and BTXH
households with CSGN households ``csgn_exit_weight`` times as likely to leave; and the net
movement **between near-poor and other households** is what makes the near-poor total come
out as published (near-poor households rising above the near-poor line where there are too
many, households falling to near-poor where there are too few). The generator refuses
(``ValueError``) assumptions with which a total cannot be met.

Each household's income and deprivations follow its new status, so that
:func:`camlo.classify` gives the status recorded, except for households that stay poor: they
keep their 2022 record, and the 2022 review's recorded-poor households with fewer than 3
deprivations that stay poor remain :func:`camlo.audit_records` findings.

``python -m camlo synthesize`` writes ``data/synthetic/records_2023.csv`` and its sidecar
after the 2022 file; the same seeds give the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from camlo.clean.observed import load_observed
from camlo.constants import review_step
from camlo.clean.records import SYNTHETIC_FOLLOW_UP
from camlo.clean.standard import Standard, load_standard
from camlo.constants import BASELINE_YEAR, DISTRICT, END, START
from camlo.synthetic import blocks
from camlo.synthetic import review_2022
from camlo.synthetic.output import check_output, write_records

OUTPUT = SYNTHETIC_FOLLOW_UP
DEFAULT_SEED = 20231231  # the review's reference point, the end of 2023
#: The review these records are of: the end-of-year review of 2023.
REVIEW = (2023, END)
#: Annual review steps from the 2022 baseline (start of 2022) to this review (end of 2023): 2.
STEPS = review_step(*REVIEW) - review_step(BASELINE_YEAR, START)

# Each household's state in one review, as the generator tracks it.
CSGN, BTXH, NEAR_POOR, MIDDLE, ABOVE = range(5)
_RECORDED = {CSGN: "poor", BTXH: "poor", NEAR_POOR: "near_poor", MIDDLE: "", ABOVE: ""}


@dataclass(frozen=True)
class Calibration:
    """The published end-2023 totals the synthetic review reproduces exactly (district only).

    :meth:`observed` reads the totals from the review's rows in ``data/raw/observed_reviews.csv``
    and ``observed_reviews_dtts.csv``, where they are recorded with their source.

    Attributes:
        poor, near_poor: Poor and near-poor households in the district.
        dtts_poor, dtts_near_poor: The same among ethnic-minority (DTTS) households.
        poor_pct, near_poor_pct: The rates the article prints beside them (% of households;
            the observed files have no column for rates), which the records' households
            must reproduce when rounded to two decimals.
        source: Where the totals come from.
    """

    poor: int
    near_poor: int
    dtts_poor: int
    dtts_near_poor: int
    poor_pct: float = 2.09
    near_poor_pct: float = 2.88
    source: str = ('VietnamNet, October 2024, "Cam Lộ tích cực triển khai các hoạt động giảm nghèo bền vững đa '
                   'chiều", reported "đến nay", most likely the end-2023 review: the district\'s row of that '
                   'review in data/raw/observed_reviews.csv and observed_reviews_dtts.csv')

    @classmethod
    def observed(cls, observed: pd.DataFrame, year: int = REVIEW[0],
                 reference_point: str = REVIEW[1]) -> Calibration:
        """The district's totals of review ``(year, reference_point)`` as recorded.

        Args:
            observed: The observed reviews (:func:`camlo.load_observed`).
            year, reference_point: The review (by default the end-2023 one).

        Raises:
            ValueError: if the district has no such review, or a total of it is not recorded.

        Examples:
            >>> c = Calibration.observed(tables.observed)
            >>> c.poor, c.near_poor, c.dtts_poor, c.dtts_near_poor
            (311, 429, 13, 39)
        """
        row = observed[(observed["year"] == year) & (observed["reference_point"] == reference_point)
                       & (observed["unit"] == DISTRICT)]
        columns = ("poor", "near_poor", "poor_dtts", "near_poor_dtts")
        if len(row) != 1 or row[list(columns)].isna().any(axis=None):
            raise ValueError(f"no district row of the {reference_point} {year} with {', '.join(columns)} recorded")
        poor, near_poor, dtts_poor, dtts_near_poor = (int(row[c].iloc[0]) for c in columns)
        return cls(poor, near_poor, dtts_poor, dtts_near_poor)


@dataclass(frozen=True)
class Assumptions:
    """What no published source gives, and the generator assumes (over the two review steps).

    Attributes:
        btxh_left: Share of BTXH households (no member able to work, often one elderly person)
            that leave the file: the household dies out or joins relatives.
        left: Share of the other households that leave the file (move away, merge).
        entered: New households (split off from their parents' or moved in), as a share of
            the 2022 households, apportioned over units by their households; ethnic-minority
            in each unit's 2022 proportion; incomes and deprivations drawn like the 2022
            households that are neither poor nor near-poor (``review_2022.Assumptions``).
        near_poor_to_poor: Share of near-poor households that fall into poverty.
        middle_to_poor: Share of middle-income households (income above the poor line up to
            the middle-income line; new households included) that fall into poverty.
        csgn_exit_weight: A CSGN household (able to escape) is this many times as likely to
            leave poverty as a BTXH household; how many leave is calibrated (module docstring).
        exit_to_near_poor: Share of the households leaving poverty that stay near-poor (income
            still at or below the poor line, fewer than 3 deprivations); the others rise above
            the poor line.
        resolved_on_exit: Each deprivation of a household that rises above the poor line is
            resolved with this probability (support for housing, water, latrines…).
    """

    btxh_left: float = 0.08
    left: float = 0.005
    entered: float = 0.006
    near_poor_to_poor: float = 0.04
    middle_to_poor: float = 0.005
    csgn_exit_weight: float = 4.0
    exit_to_near_poor: float = 0.8
    resolved_on_exit: float = 0.5
    notes: list[str] = field(default_factory=lambda: [
        "Households that fall into poverty get an income per person drawn like the 2022 poor households' and as "
        "many deprivations as a 2022 poor household drawn at random (at least 3), the new ones chosen in proportion "
        "to the district's 2022 rates; they are CSGN (btxh 0).",
        "Households that leave poverty but stay near-poor get a near-poor income (as in 2022) and keep at most 2 of "
        "their deprivations (0, 1 or 2 with the 2022 near-poor probabilities); those that rise above the poor line "
        "get a middle income; a BTXH household leaving poverty leaves the social-protection group (btxh 0).",
        "Near-poor households rising above the near-poor line get a middle income and keep their deprivations; "
        "households falling to near-poor (middle-income first) get a near-poor income and keep at most 2.",
        "Households that stay in their status keep their 2022 record (income, deprivations, members).",
        "Which households move is drawn at random within ethnic-minority and other households, across units: "
        "the split of the totals over units is not calibrated (no per-commune figure after 2022 is public).",
        "The recorded status (status_recorded) is the status each household was moved to.",
    ])


def _states(records: pd.DataFrame, standard: Standard) -> np.ndarray:
    """Each 2022 household's state, from its recorded status, BTXH flag and income."""
    recorded = records["status_recorded"].fillna("").astype(str).to_numpy()
    middle_line = standard.areas.loc[records["area"].astype(str), "middle_line"].to_numpy()
    other = np.where(records["income_per_person"].to_numpy() <= middle_line, MIDDLE, ABOVE)
    btxh = records["btxh"].to_numpy() == 1
    return np.select([(recorded == "poor") & btxh, recorded == "poor", recorded == "near_poor"],
                     [BTXH, CSGN, NEAR_POOR], other).astype("int64")


def _leave(rng: np.random.Generator, state: np.ndarray, assumptions: Assumptions) -> np.ndarray:
    """Which 2022 households leave the file (a boolean mask)."""
    gone = np.zeros(len(state), dtype=bool)
    btxh = np.flatnonzero(state == BTXH)
    others = np.flatnonzero(state != BTXH)
    gone[blocks.choose_among(rng, btxh, round(assumptions.btxh_left * len(btxh)))] = True
    gone[blocks.choose_among(rng, others, round(assumptions.left * len(others)))] = True
    return gone


def _entered(rng: np.random.Generator, before: pd.DataFrame, standard: Standard, base: review_2022.Assumptions,
             assumptions: Assumptions) -> pd.DataFrame:
    """New households per unit, drawn like the 2022 households neither poor nor near-poor."""
    units = before.groupby("unit", sort=False).agg(households=("household_id", "size"), area=("area", "first"),
                                                   dtts=("ethnic_minority", "sum"))
    counts = blocks.apportion(round(assumptions.entered * len(before)), units["households"].to_numpy())
    rates = before.loc[before["status_recorded"] == "poor", standard.indicator_columns].mean().to_numpy()
    frames = []
    for (unit, row), n in zip(units.iterrows(), counts):
        n = int(n)
        poor_line = int(standard.areas.loc[row["area"], "poor_line"])
        middle_line = int(standard.areas.loc[row["area"], "middle_line"])
        middle = int(round(n * base.middle_share))
        flags = np.vstack([
            blocks.draw_independent_deprivations(rng, middle, rates * base.middle_rate_factor),
            blocks.draw_independent_deprivations(rng, n - middle, rates * base.above_middle_rate_factor),
        ])
        income = np.concatenate([blocks.draw_incomes(rng, middle, poor_line + 1, middle_line),
                                 blocks.draw_incomes_above(rng, n - middle, middle_line, base.above_middle_sigma)])
        dtts = blocks.apportion(n, [int(row["dtts"]), int(row["households"] - row["dtts"])])[0]
        number = list(units.index).index(unit) + 1
        frames.append(pd.DataFrame({
            "household_id": [f"S23-{number}-{i:05d}" for i in range(1, n + 1)],
            "unit": unit, "area": row["area"], "members": blocks.draw_members(rng, n, base.members_extra),
            "income_per_person": income,
            **{column: flags[:, j] for j, column in enumerate(standard.indicator_columns)},
            "ethnic_minority": blocks.choose(rng, n, int(dtts)), "btxh": np.zeros(n, dtype="int8"),
            "status_recorded": "",
        }))
    return pd.concat(frames, ignore_index=True)


def _move_stratum(rng: np.random.Generator, state: np.ndarray, members: np.ndarray, poor_target: int,
                  near_target: int, assumptions: Assumptions, name: str) -> np.ndarray:
    """New states of one stratum's households (positions ``members``), meeting its two totals.

    Raises:
        ValueError: if the assumptions leave no way to meet a total.
    """
    new = state.copy()
    of = {s: members[state[members] == s] for s in (CSGN, BTXH, NEAR_POOR, MIDDLE, ABOVE)}
    from_near = blocks.choose_among(rng, of[NEAR_POOR], round(assumptions.near_poor_to_poor * len(of[NEAR_POOR])))
    from_middle = blocks.choose_among(rng, of[MIDDLE], round(assumptions.middle_to_poor * len(of[MIDDLE])))
    new[from_near] = CSGN
    new[from_middle] = CSGN
    poor = len(of[CSGN]) + len(of[BTXH])
    exits = poor + len(from_near) + len(from_middle) - poor_target
    if not 0 <= exits <= poor:
        raise ValueError(f"{name}: {poor} poor households staying and {len(from_near) + len(from_middle)} falling "
                         f"into poverty cannot give {poor_target} poor households")
    csgn_exits, btxh_exits = blocks.apportion_capped(
        exits, [assumptions.csgn_exit_weight * len(of[CSGN]), len(of[BTXH])], [len(of[CSGN]), len(of[BTXH])])
    leaving = np.sort(np.concatenate([blocks.choose_among(rng, of[CSGN], int(csgn_exits)),
                                      blocks.choose_among(rng, of[BTXH], int(btxh_exits))]))
    to_near = blocks.choose_among(rng, leaving, round(assumptions.exit_to_near_poor * exits))
    new[leaving] = MIDDLE
    new[to_near] = NEAR_POOR
    near = int((new[members] == NEAR_POOR).sum())
    if near > near_target:  # near-poor households rise above the near-poor line
        staying_near = members[(state[members] == NEAR_POOR) & (new[members] == NEAR_POOR)]
        if near - near_target > len(staying_near):
            raise ValueError(f"{name}: too many households leave poverty as near-poor to give {near_target} near-poor")
        new[blocks.choose_among(rng, staying_near, near - near_target)] = MIDDLE
    elif near < near_target:  # households fall to near-poor, middle-income ones first
        need = near_target - near
        middle = members[(state[members] == MIDDLE) & (new[members] == MIDDLE)]
        above = members[(state[members] == ABOVE) & (new[members] == ABOVE)]
        if need > len(middle) + len(above):
            raise ValueError(f"{name}: too few households to give {near_target} near-poor")
        chosen = blocks.choose_among(rng, middle, min(need, len(middle)))
        if need > len(middle):
            chosen = np.concatenate([chosen, blocks.choose_among(rng, above, need - len(middle))])
        new[chosen] = NEAR_POOR
    return new


def _records_for(rng: np.random.Generator, frame: pd.DataFrame, state: np.ndarray, new: np.ndarray,
                 standard: Standard, base: review_2022.Assumptions, assumptions: Assumptions,
                 poor_scores: np.ndarray, rates: np.ndarray) -> pd.DataFrame:
    """The households' records after their moves: income, deprivations and BTXH follow the new state."""
    columns = standard.indicator_columns
    flags = frame[columns].to_numpy(dtype="int8").copy()
    income = frame["income_per_person"].to_numpy().astype("int64").copy()
    btxh = frame["btxh"].to_numpy(dtype="int8").copy()
    poor_line = standard.areas.loc[frame["area"].astype(str), "poor_line"].to_numpy(dtype="int64")
    middle_line = standard.areas.loc[frame["area"].astype(str), "middle_line"].to_numpy(dtype="int64")
    was_poor, now_poor = np.isin(state, (CSGN, BTXH)), np.isin(new, (CSGN, BTXH))

    def incomes(rows: np.ndarray, low_share: float | None) -> np.ndarray:
        """Incomes of ``rows``: in the poor-line band from ``low_share`` of the line, or middle (None)."""
        out = np.empty(len(rows), dtype="int64")
        for i, row in enumerate(rows):
            if low_share is None:
                out[i] = blocks.draw_incomes(rng, 1, int(poor_line[row]) + 1, int(middle_line[row]))[0]
            else:
                out[i] = blocks.draw_incomes(rng, 1, int(low_share * poor_line[row]), int(poor_line[row]))[0]
        return out

    def near_counts(n: int) -> np.ndarray:
        return rng.choice(len(base.near_poor_deprivations), size=n, p=list(base.near_poor_deprivations))

    falling = np.flatnonzero(now_poor & ~was_poor)
    income[falling] = incomes(falling, base.poor_income_low)
    flags[falling] = blocks.add_deprivations(rng, flags[falling], rng.choice(poor_scores, size=len(falling)), rates)
    btxh[falling] = 0

    to_near = np.flatnonzero((new == NEAR_POOR) & (state != NEAR_POOR))
    income[to_near] = incomes(to_near, base.near_poor_income_low)
    flags[to_near] = blocks.keep_deprivations(rng, flags[to_near], near_counts(len(to_near)))

    rising = np.flatnonzero(was_poor & (new == MIDDLE))
    income[rising] = incomes(rising, None)
    flags[rising] = blocks.resolve_deprivations(rng, flags[rising], assumptions.resolved_on_exit)

    near_up = np.flatnonzero((state == NEAR_POOR) & (new == MIDDLE))
    income[near_up] = incomes(near_up, None)
    btxh[~now_poor] = 0

    out = frame.copy()
    out["income_per_person"] = income
    for j, column in enumerate(columns):
        out[column] = flags[:, j]
    out["btxh"] = btxh
    out["status_recorded"] = [_RECORDED[s] for s in new]
    return out


def synthesize_2023(before: pd.DataFrame, standard: Standard, calibration: Calibration, *,
                    seed: int = DEFAULT_SEED, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """SYNTHETIC records of the end-2023 review of the households of ``before``.

    Args:
        before: The 2022 records as :func:`camlo.synthetic.review_2022.synthesize_2022`
            makes them.
        standard: The standard (:func:`camlo.load_standard`).
        calibration: The published totals to meet (:meth:`Calibration.observed`).
        seed: Seed of the random generator.
        assumptions: See :class:`Assumptions`.

    Returns:
        The records in the record format: the 2022 households still in the file, in their
        2022 order, each unit's new households after its own (``household_id`` ``S23-…``).

    Raises:
        ValueError: if the assumptions cannot meet the calibration's totals.
    """
    assumptions = Assumptions() if assumptions is None else assumptions
    base = review_2022.Assumptions()
    columns = standard.indicator_columns
    poor_2022 = before["status_recorded"] == "poor"
    rates = before.loc[poor_2022, columns].mean().to_numpy()
    scores = before.loc[poor_2022, columns].sum(axis=1).to_numpy()
    poor_scores = scores[scores >= standard.deprivation_cutoff]

    rng = np.random.default_rng(seed)
    state = _states(before, standard)
    gone = _leave(rng, state, assumptions)
    entered = _entered(rng, before, standard, base, assumptions)
    frame = pd.concat([before.loc[~gone], entered], ignore_index=True)
    state = np.concatenate([state[~gone], _states(entered, standard)])

    new = state.copy()
    dtts = frame["ethnic_minority"].to_numpy() == 1
    for members, poor, near, name in (
            (np.flatnonzero(dtts), calibration.dtts_poor, calibration.dtts_near_poor, "ethnic-minority households"),
            (np.flatnonzero(~dtts), calibration.poor - calibration.dtts_poor,
             calibration.near_poor - calibration.dtts_near_poor, "other households")):
        moved = _move_stratum(rng, state, members, poor, near, assumptions, name)
        new[members] = moved[members]

    records = _records_for(rng, frame, state, new, standard, base, assumptions, poor_scores, rates)
    order = {unit: i for i, unit in enumerate(dict.fromkeys(before["unit"]))}
    records = records.iloc[np.argsort(records["unit"].map(order).to_numpy(), kind="stable")]
    return records.reset_index(drop=True)[list(before.columns)]


def implied_rates(records: pd.DataFrame) -> dict[str, float]:
    """Poor and near-poor households as a % of the records' households, rounded as printed (2 places).

    Examples:
        >>> implied_rates(pd.DataFrame({"status_recorded": ["poor", "near_poor", "", ""]}))
        {'poor_pct': 25.0, 'near_poor_pct': 25.0}
    """
    from camlo.text.numbers import pct, round_pct

    n = len(records)
    return {f"{status}_pct": round_pct(pct(int((records["status_recorded"] == status).sum()), n))
            for status in ("poor", "near_poor")}


def sidecar(records: pd.DataFrame, data: bytes, seed: int, before: bytes, before_seed: int,
            calibration: Calibration, assumptions: Assumptions) -> dict:
    """The provenance record of the file: SYNTHETIC, how it was made, what it is calibrated to."""
    dtts = records["ethnic_minority"] == 1
    return {
        "file": OUTPUT.name,
        "synthetic": True,
        "title": ("SYNTHETIC household records of an end-2023 follow-up poverty review of Cam Lộ district "
                  "(the same households as records_2022.csv): made up, not real data"),
        "made_by": "python -m camlo synthesize (camlo.synthetic.review_2023.synthesize_2023)",
        "seed": seed,
        "follows": {"file": review_2022.OUTPUT.name, "seed": before_seed,
                    "sha256": hashlib.sha256(before).hexdigest()},
        "review": "end-of-year review 2023 (2 annual review steps after the start-2022 baseline)",
        "households": len(records),
        "calibrated_to": {
            "source": calibration.source,
            "district": {"poor": calibration.poor, "near_poor": calibration.near_poor,
                         "poor_pct": calibration.poor_pct, "near_poor_pct": calibration.near_poor_pct},
            "ethnic_minority": {"poor": calibration.dtts_poor, "near_poor": calibration.dtts_near_poor},
        },
        "reproduces": {
            "poor": int((records["status_recorded"] == "poor").sum()),
            "near_poor": int((records["status_recorded"] == "near_poor").sum()),
            "ethnic_minority_poor": int(((records["status_recorded"] == "poor") & dtts).sum()),
            "ethnic_minority_near_poor": int(((records["status_recorded"] == "near_poor") & dtts).sum()),
            **implied_rates(records),
        },
        "calibration_method": (
            "separately for ethnic-minority and other households: the households falling into poverty and leaving "
            "the file are fixed shares (assumptions); the number of poor households leaving poverty is what gives "
            "the published poor total (CSGN households csgn_exit_weight times as likely to leave as BTXH ones); "
            "the net movement between near-poor and other households is what gives the published near-poor total; "
            "the households total follows from the shares leaving and entering"),
        "not_calibrated": ("the split over the 8 units, which households move, deprivations, incomes and the rates "
                           "below: the generator's assumptions, not findings about Cam Lộ"),
        "standard": "decree_07_2021 (data/reference/standards/decree_07_2021.toml)",
        "assumptions": asdict(assumptions),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def write_synthetic_2023(path: str | Path | None = None, seed: int = DEFAULT_SEED, *,
                         before: pd.DataFrame | None = None, before_seed: int = review_2022.DEFAULT_SEED) -> Path:
    """Make the synthetic end-2023 records of the shipped tables and write them with their sidecar
    (``<name>.provenance.json``); the command ``python -m camlo synthesize`` calls it.

    Args:
        path: The CSV file (``None``: ``data/synthetic/records_2023.csv``).
        seed: The generator's seed.
        before: The 2022 records it follows (``None``: made with ``before_seed``).
        before_seed: The seed ``before`` was made with (recorded in the sidecar).

    Returns:
        The path of the CSV file written.

    Raises:
        DataError: where :func:`camlo.synthetic.output.check_output` refuses the path (as for the
            2022 records), before anything is made.
    """
    path = check_output(Path(path) if path is not None else OUTPUT)
    before = review_2022.shipped_2022(before_seed) if before is None else before
    calibration, assumptions = Calibration.observed(load_observed()), Assumptions()
    records = synthesize_2023(before, load_standard(), calibration, seed=seed, assumptions=assumptions)
    data = review_2022.records_csv(records)
    record = sidecar(records, data, seed, review_2022.records_csv(before), before_seed, calibration, assumptions)
    record["file"] = path.name
    write_records(path, data, record)
    return path
