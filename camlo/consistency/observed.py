"""Whether an observed review's district row agrees with the parts it reports beside it.

A review may report the district and some of its parts (the plan's units, or the communes
formed on 1 July 2025). Published figures are transcribed as printed, so a district row and
parts that add up to a different total are both kept; they are never added together (the
district's count is its own row, see :func:`camlo.targets.plan.area_reviews`), and the
disagreement is a finding here, in the audit's layout (:data:`camlo.consistency.checks.COLUMNS`),
listed by ``python -m camlo audit``. A review that reports an area twice (a new commune and
one of its former units) is not a finding but an error of the loader
(:func:`camlo.load_observed`): its households would be counted twice whatever is done next.

- Parts that cover the district exactly once: each count (poor, near-poor, households,
  ethnic-minority poor and near-poor) summed over them must equal the district row's, where
  every part and the district give it.
- Parts that cover only some units: their sum must not exceed the district row's.
"""

from __future__ import annotations

import pandas as pd

from camlo.clean.observed import load_observed
from camlo.clean.units import plan_units, units
from camlo.consistency.checks import COLUMNS
from camlo.constants import DISTRICT

CHECK = "observed_parts"
TABLE = "observed_reviews.csv"
_COUNTS = ("poor", "near_poor", "households", "poor_dtts", "near_poor_dtts")
_RESOLUTION = ("The district's count is its own row, as published; each part is used for its own area "
               "(poverty_target_status by='successor' or 'unit'); the two are never added together.")


def _covered(parts: pd.DataFrame, register: pd.DataFrame) -> list[str]:
    merged = register.set_index("unit")["predecessors"]
    covered: list[str] = []
    for unit in parts["unit"]:
        covered += merged[unit].split(";") if merged.get(unit) else [unit]
    return covered


def observed_findings(observed: pd.DataFrame | None = None, include_passing: bool = False,
                      register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare each review's district row with the parts reported beside it.

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`); ``None`` loads the shipped files.
        include_passing: Also return the comparisons that agree (``status == "ok"``).
        register: The unit register (:func:`camlo.units`); ``None`` reads the shipped one.

    Returns:
        One row per comparison that fails (or, with ``include_passing``, per comparison
        made), in the audit's columns: ``check`` (``observed_parts``), ``table``, ``unit``
        (``district``), ``column``, ``published`` (the district row), ``expected`` (the sum
        of the parts), ``difference``, ``status``, ``severity``, ``message``, ``resolution``.

    Examples:
        >>> passing = observed_findings(include_passing=True)  # the baseline: 8 units, 1 district row
        >>> passing[["column", "published", "expected", "status"]].values.tolist()
        [['poor', 453, 453, 'ok'], ['households', 14905, 14905, 'ok']]
        >>> observed_findings().empty
        True
    """
    observed = load_observed() if observed is None else observed
    register = units() if register is None else register
    every = sorted(plan_units(register)["unit"])
    rows = []
    for (year, reference_point), review in observed.groupby(["year", "reference_point"], sort=False):
        district = review[review["unit"] == DISTRICT]
        parts = review[review["unit"] != DISTRICT]
        if district.empty or parts.empty:
            continue
        whole = sorted(_covered(parts, register)) == every
        listed = ", ".join(parts["unit"])
        for column in _COUNTS:
            published = district[column].iloc[0]
            if pd.isna(published) or parts[column].isna().any():
                continue
            published, summed = int(published), int(parts[column].sum())
            ok = summed == published if whole else summed <= published
            relation = "the sum of" if whole else "more than the district row in"
            message = (f"{year} {reference_point}: the district row gives {published}, {relation} its parts "
                       f"({listed}) {summed}" if not ok else
                       f"{year} {reference_point}: the district row and its parts ({listed}) agree")
            rows.append({"check": CHECK, "table": TABLE, "unit": DISTRICT, "column": column,
                         "published": published, "expected": summed, "difference": published - summed,
                         "status": "ok" if ok else "mismatch", "severity": "major", "message": message,
                         "resolution": "" if ok else _RESOLUTION})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not include_passing:
        frame = frame[frame["status"] == "mismatch"]
    return frame.reset_index(drop=True)
