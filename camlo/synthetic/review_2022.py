"""SYNTHETIC household records of the 2022 review, made to reproduce every published count.

Real review records are personal data and are not published. These records are made up: a
seeded generator draws 14,905 households whose tabulation (:func:`camlo.annex_tables`) gives
back exactly what the plan prints: Phụ lục 1 (households, poor, DTTS households and DTTS
poor, BTXH, and CSGN as reconciled), Phụ lục 2 (poor households deprived in each indicator,
per unit) and section I's 634 near-poor households. Everything else comes from the
assumptions in :class:`Assumptions`, which the sidecar repeats.

Every poor household is deprived in at least 3 indicators where the counts allow it. In
Thanh An (313 deprivations for 106 poor households) and Cam Chính (51 for 18) they do not:
there as few recorded-poor households as the counts allow have fewer than 3, and these are
exactly the households :func:`camlo.audit_records` lists.

``python -m camlo synthesize`` writes ``data/synthetic/records_2022.csv`` and its sidecar;
the same seed gives the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from camlo.clean.standard import Standard, load_standard
from camlo.errors import DataError
from camlo.paths import DATA_SYNTHETIC
from camlo.synthetic import blocks
from camlo.synthetic.output import check_output, write_records

OUTPUT = DATA_SYNTHETIC / "records_2022.csv"
DEFAULT_SEED = 20220218  # the plan's date
#: Names written as the official register spells them, to exercise the loader's resolution.
OFFICIAL_NAMES = {"Cam Tuyên": "Cam Tuyền"}


@dataclass(frozen=True)
class Assumptions:
    """What the plan does not publish, and the generator assumes. Each is stated in the sidecar.

    Attributes:
        near_poor_rule: How section I's near-poor total is spread over units.
        poor_income_low: Poor households' income per person: uniform from this share of the
            area's poor line up to the line (inclusive), in steps of 1,000 VND.
        near_poor_income_low: The same for near-poor households.
        middle_share: Share of the households neither poor nor near-poor that have a middle
            income (uniform above the poor line up to the middle-income line, inclusive);
            the others have an income above the middle-income line.
        above_middle_sigma: Incomes above the middle-income line are that line times
            (1 + X), X log-normal with median 1 and this sigma.
        near_poor_deprivations: Probabilities of 0, 1 and 2 deprivations for a near-poor
            household; which indicators, in proportion to the district's poor households
            deprived in each.
        middle_rate_factor, above_middle_rate_factor: Households above the poor line are
            deprived in each indicator independently, at the district poor households' rate
            for that indicator times this factor.
        members_extra_btxh, members_extra: Household size is 1 + Poisson(mean), at most 12;
            smaller for BTXH households (no member able to work).
        shuffles_per_poor: Random moves that spread poor households' deprivation counts
            (per poor household; see ``blocks.deprivation_row_sums``).
        non_poor_btxh: Whether households that are not poor can be in the social-protection
            group (no: the plan counts BTXH among poor households only).
    """

    near_poor_rule: str = ("section I's 634 near-poor households apportioned over the units in proportion "
                           "to their poor households (largest remainder, ties to the unit printed first)")
    poor_income_low: float = 0.3
    near_poor_income_low: float = 0.6
    middle_share: float = 0.10
    above_middle_sigma: float = 0.7
    near_poor_deprivations: tuple[float, float, float] = (0.25, 0.40, 0.35)
    middle_rate_factor: float = 0.20
    above_middle_rate_factor: float = 0.05
    members_extra_btxh: float = 0.6
    members_extra: float = 2.6
    shuffles_per_poor: int = 20
    non_poor_btxh: bool = False
    notes: list[str] = field(default_factory=lambda: [
        "Poor households: each unit's households deprived in each indicator are exactly Phụ lục 2's; "
        "as many as the counts allow are deprived in 3 or more indicators (a 0/1 matrix with those "
        "indicator totals must exist), and the counts are then spread at random.",
        "DTTS: Cam Tuyên's 101 DTTS households, 42 of them poor, as printed; the other units print none.",
        "BTXH and CSGN: Phụ lục 1's BTXH per unit; CSGN as reconciled (Cam Tuyên 56, not the printed 48).",
        "Cam Tuyên is written by its official name, Cam Tuyền; the loader resolves it to the plan's name.",
    ])


def _published_units(households: pd.DataFrame, deprivations: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: the counts the records must reproduce, with D1…D12."""
    key = households.columns[0]
    wide = deprivations.pivot(index=key, columns="indicator", values="deprived")
    poor2 = deprivations.groupby(key, sort=False)["poor"].first()
    units = households.set_index(key)
    if not poor2.reindex(units.index).eq(units["poor"]).all():
        raise DataError("Phụ lục 2's poor households differ from Phụ lục 1's; records cannot match both",
                        row="poor", column="poor")
    if not (units["btxh_reconciled"] + units["csgn_reconciled"]).eq(units["poor"]).all():
        raise DataError("BTXH + CSGN differ from poor households after reconciliation", column="csgn")
    return units.join(wide.rename(columns=lambda j: f"D{j}"))


def unit_records(rng: np.random.Generator, unit: pd.Series, near_poor: int, lines: pd.Series,
                 district_rates: np.ndarray, standard: Standard, assumptions: Assumptions) -> pd.DataFrame:
    """The synthetic households of one unit, in random order (no ``household_id`` yet).

    Args:
        rng: The random generator.
        unit: The unit's published counts (``households``, ``poor``, ``btxh``,
            ``csgn_reconciled``, ``dtts_households``, ``dtts_poor``, ``D1``…``D12``).
        near_poor: Near-poor households to make.
        lines: The area's ``poor_line`` and ``middle_line``.
        district_rates: The district's poor households' rate of deprivation per indicator.
        standard: The standard (its cutoff).
        assumptions: See :class:`Assumptions`.
    """
    n, q = int(unit["households"]), int(unit["poor"])
    width = len(standard.indicators)
    rest = n - q - near_poor
    if rest < 0:
        raise DataError(f"{q} poor and {near_poor} near-poor exceed the {n} households", row=unit.name,
                        column="households")
    poor_line, middle_line = int(lines["poor_line"]), int(lines["middle_line"])

    column_sums = unit[[f"D{j}" for j in range(1, width + 1)]].to_numpy(dtype="int64")
    rows = blocks.deprivation_row_sums(rng, column_sums, q, standard.deprivation_cutoff,
                                       assumptions.shuffles_per_poor * q)
    poor_flags = blocks.fill_matrix(rng, rows, column_sums)
    near_flags = blocks.draw_few_deprivations(rng, near_poor, list(assumptions.near_poor_deprivations),
                                              district_rates)
    middle = int(round(rest * assumptions.middle_share))
    rates = np.asarray(district_rates)
    other_flags = np.vstack([
        blocks.draw_independent_deprivations(rng, middle, rates * assumptions.middle_rate_factor),
        blocks.draw_independent_deprivations(rng, rest - middle, rates * assumptions.above_middle_rate_factor),
    ])
    btxh = np.concatenate([blocks.choose(rng, q, int(unit["btxh"])), np.zeros(near_poor + rest, dtype="int8")])
    dtts = np.concatenate([blocks.choose(rng, q, int(unit["dtts_poor"])),
                           blocks.choose(rng, near_poor + rest, int(unit["dtts_households"] - unit["dtts_poor"]))])
    income = np.concatenate([
        blocks.draw_incomes(rng, q, int(assumptions.poor_income_low * poor_line), poor_line),
        blocks.draw_incomes(rng, near_poor, int(assumptions.near_poor_income_low * poor_line), poor_line),
        blocks.draw_incomes(rng, middle, poor_line + 1, middle_line),
        blocks.draw_incomes_above(rng, rest - middle, middle_line, assumptions.above_middle_sigma),
    ])
    members = np.where(btxh == 1, blocks.draw_members(rng, n, assumptions.members_extra_btxh),
                       blocks.draw_members(rng, n, assumptions.members_extra))
    status = np.array(["poor"] * q + ["near_poor"] * near_poor + [""] * rest, dtype=object)
    flags = np.vstack([poor_flags, near_flags, other_flags])
    frame = pd.DataFrame({
        "members": members, "income_per_person": income,
        **{column: flags[:, j] for j, column in enumerate(standard.indicator_columns)},
        "ethnic_minority": dtts, "btxh": btxh, "status_recorded": status,
    })
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


def synthesize_2022(households: pd.DataFrame, deprivations: pd.DataFrame, headline: pd.DataFrame,
                    units: pd.DataFrame, standard: Standard, *, seed: int = DEFAULT_SEED,
                    assumptions: Assumptions | None = None) -> pd.DataFrame:
    """SYNTHETIC records of the 2022 review: one row per household, in the record format.

    Args:
        households, deprivations, headline, units: The published tables (``load_households()``,
            ``load_deprivations()``, ``load_headline()``) and the units' areas
            (``load_units()``).
        standard: The standard the records are made under (:func:`camlo.load_standard`).
        seed: Seed of the random generator.
        assumptions: See :class:`Assumptions`.

    Returns:
        The records, as written to ``records_2022.csv`` (incomes in whole VND; ``unit`` as
        the official name where it differs from the plan's).
    """
    assumptions = Assumptions() if assumptions is None else assumptions

    published = _published_units(households, deprivations)
    near_total = int(headline.set_index("key").loc["near_poor", "count"])
    near = blocks.apportion(near_total, published["poor"].to_numpy())
    area = units.set_index(units.columns[0])["area"]
    width = len(standard.indicators)
    rates = (published[[f"D{j}" for j in range(1, width + 1)]].sum() / published["poor"].sum()).to_numpy()

    rng = np.random.default_rng(seed)
    frames = []
    for number, ((name, unit), near_poor) in enumerate(zip(published.iterrows(), near), start=1):
        made = unit_records(rng, unit, int(near_poor), standard.areas.loc[area[name]], rates, standard,
                            assumptions)
        made.insert(0, "household_id", [f"S22-{number}-{i:05d}" for i in range(1, len(made) + 1)])
        made.insert(1, "unit", OFFICIAL_NAMES.get(name, name))
        made.insert(2, "area", area[name])
        frames.append(made)
    return pd.concat(frames, ignore_index=True)


def records_csv(records: pd.DataFrame) -> bytes:
    """The records as UTF-8 CSV bytes, byte-reproducible (``\\n`` line ends, whole numbers)."""
    return records.to_csv(index=False, lineterminator="\n").encode("utf-8")


def sidecar(records: pd.DataFrame, data: bytes, seed: int, assumptions: Assumptions) -> dict:
    """The provenance record of the synthetic file: it is SYNTHETIC, how it was made, seed, assumptions."""
    return {
        "file": OUTPUT.name,
        "synthetic": True,
        "title": "SYNTHETIC household records of the 2022 poverty review of Cam Lộ district: made up, not real data",
        "made_by": "python -m camlo synthesize (camlo.synthetic.review_2022.synthesize_2022)",
        "seed": seed,
        "households": len(records),
        "reproduces": [
            "Phụ lục 1 of Plan 23/KH-UBND (18 Feb 2022), per unit: households, DTTS households, poor households, "
            "DTTS poor, BTXH, CSGN (reconciled)",
            "Phụ lục 2, per unit: poor households deprived in each of the 12 indicators",
            "Section I: near-poor households in the district (634)",
        ],
        "standard": "decree_07_2021 (data/reference/standards/decree_07_2021.toml)",
        "assumptions": asdict(assumptions),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def shipped_2022(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """:func:`synthesize_2022` of the shipped tables and standard (what ``python -m camlo synthesize`` writes)."""
    from camlo.clean import annexes

    return synthesize_2022(annexes.load_households(), annexes.load_deprivations(), annexes.load_headline(),
                           annexes.load_units(), load_standard(), seed=seed, assumptions=Assumptions())


def write_synthetic_2022(path: str | Path | None = None, seed: int = DEFAULT_SEED) -> Path:
    """Make the synthetic 2022 records of the shipped tables and write them with their sidecar
    (``<name>.provenance.json``); the command ``python -m camlo synthesize`` calls it.

    Returns:
        The path of the CSV file written.

    Raises:
        DataError: for a folder, a missing folder, or a file camlo did not synthesize
            (:func:`camlo.synthetic.output.check_output`), before anything is made.
    """
    path = check_output(Path(path) if path is not None else OUTPUT)
    assumptions = Assumptions()
    records = shipped_2022(seed)
    data = records_csv(records)
    record = sidecar(records, data, seed, assumptions)
    record["file"] = path.name
    write_records(path, data, record)
    return path
