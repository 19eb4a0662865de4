"""The data notebook 04's figures draw, computed from household records.

Each function bundles what one figure of :mod:`camlo.charts.fig04_records` draws with the
flag ``synthetic``: when true, the figure's source line says the records are made up, so that
what it shows (the score distribution, the overlaps, the transitions) is the generator's
assumptions, not findings about Cam Lộ.

The figure registry computes a figure's data from a :class:`~camlo.clean.plan_tables.PlanTables`,
which holds no household records; for the registry, :func:`shipped_records` loads the shipped
SYNTHETIC records (``data/synthetic/records_2022.csv`` and its end-2023 follow-up).
"""

from __future__ import annotations

import pandas as pd

from camlo.measures.af_records import OFFICIAL, af_from_records, group_summary, measure_by_k, rank_by_k
from camlo.measures.scores import pair_matrix, score_distribution
from camlo.measures.transitions import Transitions

#: The group columns of the decomposition, in the order drawn.
DECOMPOSITION = ("unit", "area", "ethnic_minority")


def shipped_records(follow_up: bool = False) -> pd.DataFrame:
    """The shipped SYNTHETIC records, classified: the 2022 review, or its end-2023 follow-up."""
    from camlo.clean.records import SYNTHETIC_FOLLOW_UP, load_records
    from camlo.clean.standard import load_standard
    from camlo.measures.classify import classify

    return classify(load_records(SYNTHETIC_FOLLOW_UP if follow_up else None), load_standard())


def score_data(records: pd.DataFrame, indicators: pd.DataFrame, synthetic: bool) -> dict:
    """What :func:`score_distribution_chart` draws: households by deprivations and status, per unit."""
    return {"table": score_distribution(records, indicators), "synthetic": synthetic}


def by_k_data(measures: pd.DataFrame, synthetic: bool) -> dict:
    """What :func:`measures_by_k_chart` draws: H, A and M0 per unit (and district) and identification."""
    return {**{m: measure_by_k(measures, m) for m in ("H", "A", "M0")}, "synthetic": synthetic}


def rank_data(measures: pd.DataFrame, synthetic: bool) -> dict:
    """What :func:`rank_by_k_chart` draws: units' M0 ranks at the identifications where every unit has poor."""
    return {"ranks": rank_by_k(measures, "M0"), "synthetic": synthetic}


def co_deprivation_data(pairs: pd.DataFrame, synthetic: bool) -> dict:
    """What :func:`co_deprivation_chart` draws: the district's pairs (:func:`co_deprivation` of the poor)."""
    return {"both": pair_matrix(pairs, "both"), "r0": pair_matrix(pairs, "r0"), "synthetic": synthetic}


def decomposition_data(records: pd.DataFrame, indicators: pd.DataFrame, synthetic: bool) -> dict:
    """What :func:`decomposition_chart` draws: official H, A, M0 and shares by unit, area and ethnic minority."""
    out = {by: group_summary(af_from_records(records, indicators, k=OFFICIAL, by=by), by)
           for by in DECOMPOSITION}
    return {**out, "synthetic": synthetic}


def transitions_data(moves: Transitions, synthetic: bool) -> dict:
    """What :func:`transitions_chart` draws: the status-to-status table of two reviews."""
    return {"table": moves.table, "steps": moves.steps, "synthetic": synthetic}
