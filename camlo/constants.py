"""Names and numbers shared by every stage: one home for each.

The unit key: every table names a unit by the plan's printed name in a column ``unit``, and
the whole district by :data:`DISTRICT`.

The standard (Decree 07/2021/NĐ-CP, Article 3): 12 indicators of basic social services,
numbered as in Phụ lục 2; a household with income at or below the poverty line is poor when
deprived in at least :data:`DEPRIVATION_CUTOFF` of them, near-poor when deprived in fewer.

The plan's timeline, in review steps:

======  =====================  ===========================================
step    review                 row in the observed reviews file
======  =====================  ===========================================
0       start of 2022          ``2022,start-of-year review,...`` (baseline)
1       end of 2022            ``2022,end-of-year review,...``
2       end of 2023            ``2023,end-of-year review,...``
3       end of 2024            ``2024,end-of-year review,...``
4       end of 2025            ``2025,end-of-year review,...`` (the target)
5       end of 2026            ``2026,end-of-year review,...`` (a new series by default)
======  =====================  ===========================================

The baseline was taken at the start of 2022 ("đầu năm 2022", section I) and the annual review
of 2022 at its end, so four annual steps separate the baseline from the 2025 target, the
plan's period "từ năm 2022 đến hết năm 2025" (section III.3). The end-of-2026 review is step 5,
but it identifies households for 2027, under Decree 351/2025/NĐ-CP by the default reading (see
:mod:`camlo.clean.observed`): it starts a new series and is monitoring after the plan only where
the review states the 2022–2025 standard.

Examples:
    >>> INDICATORS[0], INDICATORS[-1], len(INDICATORS)
    (1, 12, 12)
    >>> DEPRIVATION_CUTOFF / N_INDICATORS  # the lowest intensity A a poor household can have
    0.25
    >>> STEPS
    4
"""

from __future__ import annotations

import datetime as dt

#: The key of the whole district's row in every table keyed by ``unit``.
DISTRICT = "district"

#: Number of indicators of the 2022–2025 standard.
N_INDICATORS = 12
#: The indicators' numbers, as printed in Phụ lục 2.
INDICATORS: tuple[int, ...] = tuple(range(1, N_INDICATORS + 1))
#: Decree 07/2021: a poor household is deprived in at least this many indicators.
DEPRIVATION_CUTOFF = 3
#: The two parts Phụ lục 1 splits poor households into: social protection (BTXH, unable to
#: escape poverty) and the target of poverty-reduction policy (CSGN).
POOR_PARTS = ("btxh", "csgn")

#: The plan's date (Kế hoạch 23/KH-UBND, 18 February 2022): its tables name units as they were
#: then, which decides codes that the 2025 reorganisation reused.
PLAN_DATE = dt.date(2022, 2, 18)

#: Reference points of a review within its year.
START = "start-of-year review"
END = "end-of-year review"
REFERENCE_POINTS = (START, END)
#: The plan's baseline review (start of this year) and its target (end of this year).
BASELINE_YEAR = 2022
TARGET_YEAR = 2025
#: Annual review steps from the baseline (start of 2022) to the target (end of 2025).
STEPS = TARGET_YEAR - BASELINE_YEAR + 1


# --- The review calendar ---------------------------------------------------------------------------


def review_step(year: int, reference_point: str) -> int:
    """The number of annual review steps from the baseline to a review.

    Args:
        year: The review's year.
        reference_point: ``"start-of-year review"`` (only the 2022 baseline) or
            ``"end-of-year review"``.

    Returns:
        0 for the baseline (start of 2022), 1 for the end of 2022, …, 4 for the end of 2025
        (the target), 5 for the end of 2026 (monitoring after the plan).

    Examples:
        >>> review_step(2022, "start-of-year review"), review_step(2022, "end-of-year review")
        (0, 1)
        >>> review_step(2025, "end-of-year review") == STEPS
        True
    """
    if reference_point == START:
        return year - BASELINE_YEAR
    if reference_point == END:
        return year - BASELINE_YEAR + 1
    raise ValueError(f"reference_point must be one of {REFERENCE_POINTS}, got {reference_point!r}")


def review_at_step(step: int) -> tuple[int, str]:
    """The ``(year, reference_point)`` of review step ``step`` (inverse of :func:`review_step`).

    Steps after the target (:data:`STEPS`) are reviews after the plan; which of them the
    plan's standard still classifies is the standard's to say
    (:func:`camlo.clean.observed.last_step`).

    Examples:
        >>> review_at_step(0), review_at_step(4), review_at_step(5)
        ((2022, 'start-of-year review'), (2025, 'end-of-year review'), (2026, 'end-of-year review'))
    """
    if step < 0:
        raise ValueError(f"step must be 0 (the baseline) or later, got {step}")
    return (BASELINE_YEAR, START) if step == 0 else (BASELINE_YEAR + step - 1, END)


def review_date(year: int, reference_point: str) -> dt.date:
    """The date a review refers to, by which its units' names and codes are resolved.

    A start-of-year review refers to the first day of its year, an end-of-year review to the
    last: the end-of-2025 review falls after the reorganisation of 1 July 2025.

    Examples:
        >>> review_date(2022, "start-of-year review"), review_date(2025, "end-of-year review")
        (datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))
    """
    review_step(year, reference_point)  # checks reference_point
    return dt.date(year, 1, 1) if reference_point == START else dt.date(year, 12, 31)
