"""The plan's cleaned tables as one value, for steps that need several of them.

Every analysis step takes the tables it needs as arguments and reads no file; only the loaders
(and :func:`load_plan_tables`) default to the shipped files. :class:`PlanTables` carries a whole set (the shipped tables, a later review's, or tables
tabulated from household records) through a notebook or the figure registry in one argument;
its fields are exactly what the loaders return.

Examples:
    >>> tables = load_plan_tables()
    >>> int(tables.households["poor"].sum()), len(tables.deprivations)
    (453, 96)
    >>> changed = tables.replace(households=tables.households.assign(poor=0))
    >>> int(changed.households["poor"].sum()), int(tables.households["poor"].sum())
    (0, 453)
    >>> tables.source.name, changed.source
    ('raw', None)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from camlo.clean import annexes
from camlo.clean.observed import OBSERVED, OBSERVED_DTTS, load_observed
from camlo.clean.standard import standard_files
from camlo.clean.units import REGISTER, units
from camlo.paths import DATA_RAW, INDICATORS_FILE

#: The shipped files :func:`load_plan_tables` reads without the observed reviews: the plan's
#: transcribed tables and the reference tables they are checked against.
PLAN_FILES: tuple[Path, ...] = (
    annexes.PHU_LUC_1, annexes.PHU_LUC_2, annexes.PHU_LUC_2_LEGEND, annexes.HEADLINE, annexes.TARGETS,
    annexes.TARGET_READINGS, INDICATORS_FILE, REGISTER,
)


@dataclass(frozen=True)
class PlanTables:
    """One set of the plan's cleaned tables.

    Attributes:
        households: Phụ lục 1's unit rows (:func:`camlo.load_households`).
        household_totals: Phụ lục 1's total row (:func:`camlo.load_household_totals`).
        deprivations: Phụ lục 2's unit rows, long (:func:`camlo.load_deprivations`).
        deprivation_totals: Phụ lục 2's total row (:func:`camlo.load_deprivation_totals`).
        headline: Section I's figures (:func:`camlo.load_headline`).
        targets: Section II's numeric targets (:func:`camlo.load_targets`).
        observed: Observed reviews (:func:`camlo.load_observed`); ``None`` when loaded
            without them (``load_plan_tables(reviews=False)``).
        indicators: The 12 indicators with dimension, target and office (:func:`camlo.indicators`).
        register: The unit register, across the 2025 reorganisation (:func:`camlo.units`).
        source: The folder the annexes and section I were read from, where their printed text
            can be found (``None`` for tables made in memory, e.g. from household records).
    """

    households: pd.DataFrame
    household_totals: pd.DataFrame
    deprivations: pd.DataFrame
    deprivation_totals: pd.DataFrame
    headline: pd.DataFrame
    targets: pd.DataFrame
    observed: pd.DataFrame | None
    indicators: pd.DataFrame
    register: pd.DataFrame
    source: Path | None = None

    def replace(self, **tables: pd.DataFrame) -> PlanTables:
        """A copy with some tables replaced (the others are shared, never modified).

        The copy has no ``source``: its tables are no longer those of the files.
        """
        return dataclasses.replace(self, source=None, **tables)


def plan_files(folder: str | Path | None = None, observed: str | Path | None = None,
               observed_dtts: str | Path | None = None, *, reviews: bool = True) -> tuple[Path, ...]:
    """The files :func:`load_plan_tables` reads with the same arguments, in no particular order.

    Examples:
        >>> sorted(p.name for p in plan_files(reviews=False))[:3]
        ['indicators.csv', 'phu_luc_1.csv', 'phu_luc_2.csv']
        >>> sorted(p.name for p in set(plan_files()) - set(plan_files(reviews=False)))  # doctest: +NORMALIZE_WHITESPACE
        ['decree_07_2021.toml', 'decree_351_2025.toml', 'observed_reviews.csv', 'observed_reviews_dtts.csv']
    """
    shipped = {path.name: path for path in PLAN_FILES}
    if folder is not None:
        for path in (annexes.PHU_LUC_1, annexes.PHU_LUC_2, annexes.HEADLINE, annexes.TARGETS):
            shipped[path.name] = Path(folder) / path.name
    files = list(shipped.values())
    if reviews:
        observed, observed_dtts = _observed_files(folder, observed, observed_dtts)
        files += [Path(observed) if observed is not None else OBSERVED, *standard_files()]
        if observed_dtts is not None or observed is None:
            files.append(Path(observed_dtts) if observed_dtts is not None else OBSERVED_DTTS)
    return tuple(files)


def _observed_files(folder, observed, observed_dtts) -> tuple[Path | None, Path | None]:
    """The observed reviews and their DTTS counts that a folder of tables brings, unless given."""
    if observed is None and folder is not None and (Path(folder) / OBSERVED.name).exists():
        observed = Path(folder) / OBSERVED.name
        if observed_dtts is None and (Path(folder) / OBSERVED_DTTS.name).exists():
            observed_dtts = Path(folder) / OBSERVED_DTTS.name
    return observed, observed_dtts


def load_plan_tables(folder: str | Path | None = None, observed: str | Path | None = None,
                     observed_dtts: str | Path | None = None, *, reviews: bool = True) -> PlanTables:
    """Load every table of the plan from one folder of files laid out like ``data/raw/``.

    Args:
        folder: A folder holding ``phu_luc_1.csv``, ``phu_luc_2.csv``,
            ``section_1_headline.csv`` and ``section_2_targets.csv``; ``None`` reads the
            shipped transcriptions.
        observed: The observed reviews file; ``None`` reads ``observed_reviews.csv`` in
            ``folder`` when there is one, else the shipped file.
        observed_dtts: The file of ethnic-minority counts completing it; ``None`` reads
            ``observed_reviews_dtts.csv`` beside the observed file read from ``folder`` when
            there is one, the shipped one with the shipped observed file, else none (see
            :func:`camlo.load_observed`).
        reviews: ``False`` leaves the observed reviews out (``observed`` is ``None``): for a
            step that reads only the plan, so that a new review does not change its inputs.

    Raises:
        DataError: from the loader of the first table that cannot be read.
    """
    def path(default: Path) -> Path | None:
        return None if folder is None else Path(folder) / default.name

    observed, observed_dtts = _observed_files(folder, observed, observed_dtts)
    return PlanTables(
        households=annexes.load_households(path(annexes.PHU_LUC_1)),
        household_totals=annexes.load_household_totals(path(annexes.PHU_LUC_1)),
        deprivations=annexes.load_deprivations(path(annexes.PHU_LUC_2)),
        deprivation_totals=annexes.load_deprivation_totals(path(annexes.PHU_LUC_2)),
        headline=annexes.load_headline(path(annexes.HEADLINE)),
        targets=annexes.load_targets(path(annexes.TARGETS)),
        observed=load_observed(observed, observed_dtts) if reviews else None,
        indicators=annexes.indicators(),
        register=units(),
        source=DATA_RAW if folder is None else Path(folder),
    )
