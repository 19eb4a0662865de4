"""Observed reviews in series: one per standard, each from its own baseline.

A review is read under the standard of the year it identifies households for
(:mod:`camlo.clean.observed`). Reviews under one standard form a series; the first review of a
series is its baseline ("đầu kỳ"). The plan's series is Decree 07/2021/NĐ-CP's, from the 2022
baseline; a review under Decree 351/2025/NĐ-CP (by default the end-of-2026 review, which
identifies households for 2027) starts a new series with its own baseline: its counts measure
poverty with other income lines and indicators and are never compared with the 2022 baseline
as if the measure were the same. :func:`plan_series` keeps the plan's series, which is all the
plan's targets (:mod:`camlo.targets.plan`) read; :func:`review_series` lists every review with
its series and its place in it, for a notebook to say which reviews the plan's comparison
leaves out and why.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from camlo.clean.standard import DEFAULT_STANDARD, Standard

#: The standard the plan is measured by.
PLAN_STANDARD = DEFAULT_STANDARD.stem
SERIES_COLUMNS = ["year", "reference_point", "step", "identifies_for", "standard", "stated", "plan_series",
                  "series_step", "series_baseline", "document"]


def plan_series(observed: pd.DataFrame) -> pd.DataFrame:
    """The rows of reviews read under the plan's standard (Decree 07/2021/NĐ-CP), as they are.

    A table without a ``standard`` column (built by hand, or by an older loader) is taken whole,
    as the plan's series.

    Examples:
        >>> obs = pd.DataFrame({"year": [2022, 2026], "standard": ["decree_07_2021", "decree_351_2025"]})
        >>> plan_series(obs)["year"].tolist()
        [2022]
    """
    if "standard" not in observed:
        return observed
    return observed[observed["standard"] == PLAN_STANDARD]


def _documents(standards: Iterable[Standard] | None = None) -> dict[str, str]:
    from camlo.clean.standard import load_standards

    return {standard.id: standard.document for standard in (standards if standards is not None else load_standards())}


def review_series(observed: pd.DataFrame, standards: Iterable[Standard] | None = None) -> pd.DataFrame:
    """Each observed review once, with its standard and its place in that standard's series.

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`).
        standards: The standards the reviews are read under, whose documents the table names
            (:func:`camlo.clean.standard.load_standards`; ``None``: the shipped ones, read here).

    Returns:
        One row per review, in review order: ``year``, ``reference_point``, ``step`` (steps since
        the plan's baseline), ``identifies_for``, ``standard``, ``stated`` (the file stated the
        standard; else the default reading), ``plan_series`` (read under the plan's standard),
        ``series_step`` (0 for the first review of its series, its baseline; then one per
        review), ``series_baseline`` (the baseline review of its series, e.g. ``2026
        end-of-year review``) and ``document`` (the standard's legal document).

    Examples:
        >>> obs = pd.DataFrame({"year": [2022, 2023, 2026], "reference_point": ["start-of-year review"]
        ...     + ["end-of-year review"] * 2, "step": [0, 2, 5], "identifies_for": [2022, 2024, 2027],
        ...     "standard": ["decree_07_2021"] * 2 + ["decree_351_2025"], "stated": [False] * 3})
        >>> review_series(obs)[["year", "plan_series", "series_step", "series_baseline"]].values.tolist()
        [[2022, True, 0, '2022 start-of-year review'], [2023, True, 1, '2022 start-of-year review'], [2026, False, 0, '2026 end-of-year review']]
    """
    keys = ["year", "reference_point", "step", "identifies_for", "standard", "stated"]
    reviews = (observed[keys].drop_duplicates(["year", "reference_point"]).sort_values("step", kind="stable")
               .reset_index(drop=True))
    reviews["plan_series"] = reviews["standard"] == PLAN_STANDARD
    reviews["series_step"] = reviews.groupby("standard", sort=False).cumcount().astype("int64")
    first = reviews[reviews["series_step"] == 0].set_index("standard")
    names = first["year"].astype(str) + " " + first["reference_point"]
    reviews["series_baseline"] = reviews["standard"].map(names)
    reviews["document"] = reviews["standard"].map(_documents(standards))
    return reviews[SERIES_COLUMNS]
