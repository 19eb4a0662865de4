"""Who entered or left poverty between two reviews: households matched by their code.

Notebook 03 projects the poor households with assumed annual rates, because the plan gives
none. Two reviews of the same households measure them: :func:`transitions` matches the
records by ``household_id`` and counts the households by official status in each review
(poor, split into CSGN and BTXH as the plan splits them; near-poor; other), with those that
entered the file (new households) and those that left it (moved away, merged, died out).
:class:`camlo.ProjectionParameters` can be built from the result
(``ProjectionParameters.from_transitions``), so the projection can run on measured rates.

The rates, as the projection defines them (:mod:`camlo.targets.projection`):

- ``csgn_exit``: CSGN households (poor, able to escape: ``btxh`` = 0) in the first review that
  are not poor in the second, leaving the file included (it takes them off the poor count),
  over the CSGN households in the first review;
- ``btxh_exit``: the same for BTXH households (``btxh`` = 1);
- ``newly_poor``: households poor in the second review that were not poor in the first
  (new households included), less those that fell back; a count, per year;
- ``repoor`` (fallen back, tái nghèo): households that had escaped during the plan (poor in
  the ``baseline`` review, not poor in the first) and are poor in the second, over those that
  had escaped. Only a third review tells who had escaped: without ``baseline``, or with the
  baseline as the first review, nobody had yet, and the rate is not measured (NaN);
- ``household_growth``: households in the second review over the first, less 1.

Two reviews ``steps`` annual review steps apart (see :func:`camlo.clean.observed.review_step`; the
start of 2022 to the end of 2023 is 2) give rates over the interval; their annual forms are
``1 − (1 − p)^(1/steps)`` for probabilities, ``count / steps`` for newly poor households and
``(1 + g)^(1/steps) − 1`` for growth. Those treat every year alike and ignore exits and
returns within the interval that two reviews cannot see.

The reviews are censuses: the counts are exact and the rates are the population's, with no
sampling error. Only counts leave this module, never a household's row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from camlo.errors import DataError
from camlo.measures.patterns import _row_name, _shown, official_status, require_columns

#: Official status in one review, poor split as the plan splits it.
STATES = ("poor_csgn", "poor_btxh", "near_poor", "other")
#: Rows of the table: the status in the first review, or not in it.
BEFORE = (*STATES, "entered")
#: Columns of the table: the status in the second review, or not in it.
AFTER = (*STATES, "left")
#: The rates :class:`Transitions` measures, in this order.
RATES = ("csgn_exit", "btxh_exit", "newly_poor", "repoor", "household_growth")


@dataclass(frozen=True, eq=False)
class Transitions:
    """Households by status in two reviews, and the transition rates they measure.

    Attributes:
        table: Counts, index ``before`` (:data:`BEFORE`), columns ``after`` (:data:`AFTER`);
            the ``entered`` row and the ``left`` column hold households in one review only
            (``entered`` × ``left`` is 0). Poor = ``poor_csgn`` + ``poor_btxh``.
        rates: One row per rate (:data:`RATES`): ``rate``, ``numerator``, ``denominator``
            (NaN for the count of newly poor households), ``value`` over the interval,
            ``annual`` and ``measured`` (false where the reviews cannot tell: no household in
            the denominator).
        steps: Annual review steps between the two reviews.
    """

    table: pd.DataFrame
    rates: pd.DataFrame
    steps: int

    def annual_rates(self) -> dict[str, float]:
        """The measured annual rates, by name (those not measured left out).

        Examples:
            >>> t = transitions(_example("before"), _example("after"))
            >>> t.annual_rates()
            {'csgn_exit': 0.5, 'btxh_exit': 0.0, 'newly_poor': 1.0, 'household_growth': 0.0}
        """
        measured = self.rates[self.rates["measured"]]
        return {row.rate: float(row.annual) for row in measured.itertuples()}


def _states(records: pd.DataFrame, which: str) -> tuple[pd.Index, np.ndarray]:
    """Household codes (validated unique) and each household's state code into :data:`STATES`."""
    require_columns(records, ["household_id", "btxh"], f"(the {which} review)")
    ids = records["household_id"]
    if ids.isna().any():
        first = int(np.argmax(ids.isna().to_numpy()))
        raise DataError(f"every household needs a household_id (the {which} review)", row=_row_name(records, first),
                        column="household_id")
    index = pd.Index(ids.astype(str))
    if index.has_duplicates:
        first = int(np.argmax(index.duplicated()))
        raise DataError(f"household_id is not unique within the {which} review",
                        row=_row_name(records, first), column="household_id")
    btxh = records["btxh"].to_numpy()
    valid = np.isin(btxh, (0, 1)) & ~pd.isna(btxh)
    if btxh.dtype.kind not in "biuf" or not valid.all():
        first = int(np.argmax(~valid)) if not valid.all() else 0
        raise DataError(f"btxh must be 0 or 1 (the {which} review), got {_shown(btxh[first])}",
                        row=_row_name(records, first), column="btxh")
    status = official_status(records)  # 0 poor, 1 near_poor, 2 middle, 3 above_middle
    state = np.where(status == 0, np.where(btxh.astype(bool), 1, 0), np.where(status == 1, 2, 3))
    return index, state.astype(np.int64)


def _annual_probability(p: float, steps: int) -> float:
    return 1 - (1 - p) ** (1 / steps) if not math.isnan(p) else math.nan


def transitions(before: pd.DataFrame, after: pd.DataFrame, *, steps: int = 1,
                baseline: pd.DataFrame | None = None) -> Transitions:
    """Match two reviews' records by ``household_id``; count status changes and measure the rates.

    Args:
        before: The first review's records (``household_id``, ``btxh``, flags, ``status``
            and optionally ``status_recorded``; unclassified records are classified).
        after: The second review's records, of the same district.
        steps: Annual review steps between them (1 for consecutive annual reviews).
        baseline: An earlier review (the plan's baseline), to tell who had escaped poverty
            before ``before`` and so who fell back; ``None``: not measured.

    Returns:
        A :class:`Transitions`: the status-to-status table and the rates (module docstring).

    Raises:
        DataError: for a missing or duplicated ``household_id``, a ``btxh`` other than 0 or
            1, or a status not as expected, naming the review and the household.
        ValueError: for ``steps`` below 1.

    Examples:
        >>> t = transitions(_example("before"), _example("after"))
        >>> t.table.loc[["poor_csgn", "entered"], ["poor_csgn", "near_poor", "left"]].values.tolist()
        [[1, 0, 1], [1, 0, 0]]
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a whole number of annual review steps, 1 or more; got {steps!r}")
    ids_before, state_before = _states(before, "first")
    ids_after, state_after = _states(after, "second")
    where = ids_before.get_indexer(ids_after)  # position in `before` of each `after` household
    matched = where >= 0
    n_states = len(STATES)
    cells = np.bincount(state_before[where[matched]] * n_states + state_after[matched],
                        minlength=n_states * n_states).reshape(n_states, n_states)
    stayed = np.zeros(len(ids_before), dtype=bool)
    stayed[where[matched]] = True
    left = np.bincount(state_before[~stayed], minlength=n_states)
    entered = np.bincount(state_after[~matched], minlength=n_states)
    table = np.zeros((len(BEFORE), len(AFTER)), dtype=np.int64)
    table[:n_states, :n_states] = cells
    table[:n_states, -1] = left
    table[-1, :n_states] = entered
    frame = pd.DataFrame(table, index=pd.Index(BEFORE, name="before"), columns=pd.Index(AFTER, name="after"))

    poor_after = np.zeros(len(ids_before), dtype=bool)  # per `before` household: poor in `after`
    poor_after[where[matched]] = state_after[matched] <= 1
    fallen_back = escaped = 0
    if baseline is not None:
        ids_base, state_base = _states(baseline, "baseline")
        position = ids_base.get_indexer(ids_before)
        was_poor = np.zeros(len(ids_before), dtype=bool)
        was_poor[position >= 0] = state_base[position[position >= 0]] <= 1
        had_escaped = was_poor & (state_before >= 2)
        escaped = int(had_escaped.sum())
        fallen_back = int((had_escaped & poor_after).sum())

    rows = []
    for name, group in (("csgn_exit", 0), ("btxh_exit", 1)):
        denominator = int((state_before == group).sum())
        numerator = int(((state_before == group) & ~poor_after).sum())
        value = numerator / denominator if denominator else math.nan
        rows.append((name, numerator, denominator, value, _annual_probability(value, steps)))
    into_poverty = int(frame.loc[["near_poor", "other", "entered"], ["poor_csgn", "poor_btxh"]].to_numpy().sum())
    newly = into_poverty - fallen_back
    rows.append(("newly_poor", newly, math.nan, float(newly), newly / steps))
    value = fallen_back / escaped if escaped else math.nan
    rows.append(("repoor", fallen_back, escaped, value, _annual_probability(value, steps)))
    n_before, n_after = len(ids_before), len(ids_after)
    growth = n_after / n_before - 1 if n_before else math.nan
    rows.append(("household_growth", n_after, n_before, growth,
                 (n_after / n_before) ** (1 / steps) - 1 if n_before else math.nan))
    rates = pd.DataFrame(rows, columns=["rate", "numerator", "denominator", "value", "annual"])
    rates["numerator"] = rates["numerator"].astype("int64")
    rates["denominator"] = rates["denominator"].astype("float64")
    rates["measured"] = ~rates["annual"].isna()
    return Transitions(table=frame, rates=rates, steps=int(steps))


def _example(which: str) -> pd.DataFrame:
    """Two tiny reviews for the doctests: households a–e, then a, c, f, g and h."""
    flags = {f"d{j}": 0 for j in range(1, 13)}
    if which == "before":
        return pd.DataFrame({"household_id": list("abcde"), "btxh": [0, 0, 1, 0, 0],
                             "status": ["poor", "poor", "poor", "near_poor", "middle"], **flags})
    return pd.DataFrame({"household_id": list("acfgh"), "btxh": [0, 1, 0, 0, 0],
                         "status": ["poor", "poor", "poor", "middle", "middle"], **flags})
