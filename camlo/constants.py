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
5       end of 2026            ``2026,end-of-year review,...`` (monitoring)
======  =====================  ===========================================

The baseline was taken at the start of 2022 ("đầu năm 2022", section I) and the annual review
of 2022 at its end, so four annual steps separate the baseline from the 2025 target, the
plan's period "từ năm 2022 đến hết năm 2025" (section III.3). The end-of-2026 review is still
classified by the 2022–2025 standard (Decree 351/2025/NĐ-CP keeps it in force for 2026; see
:func:`camlo.clean.observed.last_comparable_year`), so it is read as monitoring after the plan.

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
