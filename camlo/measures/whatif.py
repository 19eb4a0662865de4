"""What another standard's income lines do to a review: its households re-identified.

:func:`reidentify` classifies the households of one review twice, under today's standard (the
one the review applied) and under another (Decree 351/2025/NĐ-CP's 2027 income lines, say), with
an indicator set given explicitly: Decree 351/2025's own list is not confirmed, so today's
indicators stand in for it, and the result names the stand-in (``standard_new``). It counts the
households by area (unit, the commune formed on 1 July 2025, the district), by today's status
and by the status the other standard would give: how many near-poor and middle-income households
the new lines would make poor or near-poor. It is a what-if on the stand-in indicators, not a
review under the new standard: the deprivation flags are today's, measured by today's indicators.

Only counts leave this module; no household's row or code.
"""

from __future__ import annotations

import pandas as pd

from camlo.clean.standard import Standard
from camlo.measures.classify import classify

WHAT_IF_COLUMNS = ["level", "area", "status_today", "status_new", "households", "standard_today", "standard_new"]
#: The levels of :func:`reidentify`'s rows, in order.
LEVELS = ("unit", "commune", "district")
DISTRICT = "district"


def _communes(register: pd.DataFrame) -> dict[str, str]:
    """Each plan unit's commune from 1 July 2025 (the register's successors), and each commune its own
    (records of a review held by commune name the commune)."""
    found = {}
    for row in register[register["role"] == "successor"].itertuples():
        for part in str(row.predecessors).split(";"):
            found[part] = row.unit
        found[row.unit] = row.unit
    return found


def reidentify(records: pd.DataFrame, register: pd.DataFrame, *, today: Standard, new: Standard,
               stand_in: Standard | pd.DataFrame) -> pd.DataFrame:
    """Households of a review by area, today's status and the status under ``new``'s lines.

    Args:
        records: Household records of one review (:func:`camlo.load_records`).
        register: The unit register (:func:`camlo.units`), for each unit's commune.
        today: The standard the review applied (Decree 07/2021/NĐ-CP).
        new: The other standard (Decree 351/2025/NĐ-CP).
        stand_in: The indicator set to identify with under ``new`` (required: pass ``today``
            for today's indicators as the stand-in); named in ``standard_new``.

    Returns:
        One row per level (``unit``, ``commune``, ``district``), area (in the register's order),
        today's status and the new status, every combination of the statuses that occur,
        zeros included: ``households`` (int64), ``standard_today`` and ``standard_new`` (the
        standards' labels, the stand-in named).

    Examples:
        >>> from camlo import load_standard, units
        >>> from camlo.clean.standard import STANDARDS
        >>> frame = pd.DataFrame({"unit": ["Thanh An", "TT Cam Lộ"], "area": ["rural", "urban"],
        ...     "income_per_person": [2_000_000.0, 2_500_000.0], **{f"d{j}": [int(j < 4), 0] for j in range(1, 13)}})
        >>> table = reidentify(frame, units(), today=load_standard(),
        ...                    new=load_standard(STANDARDS / "decree_351_2025.toml"), stand_in=load_standard())
        >>> district = table.query("level == 'district' and households > 0")
        >>> district[["status_today", "status_new", "households"]].values.tolist()
        [['middle', 'poor', 1], ['middle', 'near_poor', 1]]
    """
    before = classify(records, today)
    after = classify(records, new, stand_in=stand_in)
    communes = _communes(register)
    units_ = [u for u in register.loc[register["role"] == "plan unit", "unit"]]
    frame = pd.DataFrame({"unit": before["unit"].astype(str).to_numpy(),
                          "status_today": before["status"].to_numpy(), "status_new": after["status"].to_numpy()})
    frame["commune"] = frame["unit"].map(communes)
    frame["district"] = DISTRICT
    today_categories = list(before["status"].cat.categories)
    new_categories = list(after["status"].cat.categories)
    areas = {"unit": units_, "commune": list(dict.fromkeys(communes.values())), "district": [DISTRICT]}
    parts = []
    for level in LEVELS:
        index = pd.MultiIndex.from_product([areas[level], today_categories, new_categories],
                                           names=["area", "status_today", "status_new"])
        counts = (frame.groupby([level, "status_today", "status_new"], observed=True).size()
                  .rename_axis(["area", "status_today", "status_new"]).reindex(index, fill_value=0))
        parts.append(counts.reset_index(name="households").assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    out["households"] = out["households"].astype("int64")
    out["standard_today"] = before.attrs["standard"]
    out["standard_new"] = after.attrs["standard"]
    return out[WHAT_IF_COLUMNS]


def newly_identified(table: pd.DataFrame, level: str = "district") -> pd.DataFrame:
    """From :func:`reidentify`: per area, today's near-poor and middle-income households that the new
    lines make poor or near-poor.

    Returns:
        One row per area of ``level``: ``near_poor_to_poor``, ``middle_to_poor``,
        ``middle_to_near_poor``, ``middle`` (today's middle-income households) and ``near_poor``.
    """
    rows = table[table["level"] == level]
    pick = lambda today, new: rows[(rows["status_today"] == today) & (rows["status_new"] == new)].groupby(
        "area", sort=False)["households"].sum()
    total = lambda today: rows[rows["status_today"] == today].groupby("area", sort=False)["households"].sum()
    out = pd.DataFrame({"near_poor_to_poor": pick("near_poor", "poor"), "middle_to_poor": pick("middle", "poor"),
                        "middle_to_near_poor": pick("middle", "near_poor"), "middle": total("middle"),
                        "near_poor": total("near_poor")})
    return out.rename_axis("area").reset_index()
