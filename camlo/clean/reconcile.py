"""Reconcile the split of poor households into BTXH and CSGN, where the table disagrees.

Phụ lục 1 splits each unit's poor households into BTXH (on social protection, unable to
escape poverty) and CSGN (able to escape). The two must add up to the unit's poor households.
Where a unit's split falls short, the column totals say which part is misprinted: if exactly
one of the two columns fails to add up to its printed total, by exactly the units' combined
shortfall, that column is the wrong one, and its reconciled value is ``poor`` minus the other
part. Anything less clear-cut is left as printed (the audit reports it as unresolved).

In the 2022 table Cam Tuyên prints 53 BTXH and 48 CSGN for 109 poor households (8 short); the
BTXH column adds up to its printed total (345) while the CSGN column adds up to 100 against a
printed 108 and section I's 108. So Cam Tuyên's CSGN is reconciled to 109 - 53 = 56. The
published value stays beside it.
"""

from __future__ import annotations

import pandas as pd

from camlo.constants import POOR_PARTS


def split_shortfall(units: pd.DataFrame) -> pd.Series:
    """Poor households not covered by the BTXH + CSGN split, per unit (negative: over).

    Examples:
        >>> frame = pd.DataFrame({"poor": [10, 5], "btxh": [6, 5], "csgn": [2, 0]})
        >>> split_shortfall(frame).tolist()
        [2, 0]
    """
    return units["poor"] - units["btxh"] - units["csgn"]


def misprinted_part(units: pd.DataFrame, total: pd.Series) -> str | None:
    """Which part (``btxh`` or ``csgn``) the column totals identify as misprinted, if any.

    Returns None when every unit's split adds up, or when the totals do not single out one
    column whose gap equals the units' combined shortfall.
    """
    shortfall = split_shortfall(units)
    if (shortfall == 0).all():
        return None
    gaps = {part: int(total[part]) - int(units[part].sum()) for part in POOR_PARTS}
    wrong = [part for part, gap in gaps.items() if gap != 0]
    if len(wrong) == 1 and gaps[wrong[0]] == int(shortfall.sum()):
        return wrong[0]
    return None


def reconcile_poor_split(units: pd.DataFrame, total: pd.Series) -> pd.DataFrame:
    """Add ``btxh_reconciled``, ``csgn_reconciled`` and the flag ``split_reconciled``.

    Args:
        units: Phụ lục 1 unit rows, as parsed.
        total: Phụ lục 1's printed total row.

    Returns:
        A copy of ``units`` with the reconciled columns; ``split_reconciled`` is True where a
        reconciled value differs from the published one.

    Examples:
        >>> units = pd.DataFrame({"poor": [10, 5], "btxh": [6, 5], "csgn": [2, 0]})
        >>> total = pd.Series({"poor": 15, "btxh": 11, "csgn": 4})
        >>> reconcile_poor_split(units, total)[["csgn_reconciled", "split_reconciled"]].values.tolist()
        [[4, True], [0, False]]
    """
    out = units.copy()
    for part in POOR_PARTS:
        out[f"{part}_reconciled"] = out[part]
    part = misprinted_part(units, total)
    if part is not None:
        other = next(p for p in POOR_PARTS if p != part)
        out[f"{part}_reconciled"] = out["poor"] - out[other]
    out["split_reconciled"] = (out["btxh_reconciled"] != out["btxh"]) | (out["csgn_reconciled"] != out["csgn"])
    return out


def reconciliation_notes(units: pd.DataFrame, lang: str = "en") -> list[str]:
    """One sentence per reconciled value, in ``lang``: what was printed and what is used.

    The one wording of the reconciliation wherever a reader sees it (a figure's caption, the
    workbook, a notebook); the evidence is the audit's ``split`` finding.

    Args:
        units: Phụ lục 1's unit rows with the reconciled columns (:func:`camlo.load_households`).
        lang: ``"en"`` or ``"vi"``.

    Examples:
        >>> from camlo.clean.annexes import load_households
        >>> reconciliation_notes(load_households())  # doctest: +ELLIPSIS
        ['Cam Tuyên: CSGN printed 48; reconciled to 56 = 109 poor − 53 BTXH, because the column totals ...']
    """
    from camlo.text.labels import label, unit_label

    notes = []
    for row in units[units["split_reconciled"]].itertuples():
        for part in POOR_PARTS:
            other = next(p for p in POOR_PARTS if p != part)
            if getattr(row, f"{part}_reconciled") != getattr(row, part):
                notes.append(label("split_reconciled_note", lang).format(
                    unit=unit_label(row.unit, lang), part=part.upper(), published=getattr(row, part),
                    reconciled=getattr(row, f"{part}_reconciled"), poor=row.poor,
                    other=getattr(row, f"{other}_reconciled"), other_part=other.upper()))
    return notes
