"""What a set of tables covers: the plan's 8 units, or a user's tables for a few of them.

A user's tables in the plan's layout may hold a few of the plan's units (one commune's, say):
their total row is then the sum over those units (or the user's printed total row), and every
answer of notebooks 01–03 says so in a sentence before its first figure and in its finding.
"""

from __future__ import annotations

import pandas as pd

from camlo.clean.observed import OUTPUT_COLUMNS
from camlo.clean.plan_tables import PlanTables
from camlo.clean.units import plan_units
from camlo.constants import BASELINE_YEAR, START
from camlo.text.sentences import Listing, Prose, Sentence, Unit, paragraphs, prose, say


def covered_units(tables: PlanTables) -> list[str]:
    """The plan's units the tables hold, in the plan's order.

    Examples:
        >>> import camlo
        >>> len(covered_units(camlo.load_plan_tables(reviews=False)))
        8
    """
    held = set(tables.households["unit"])
    return [unit for unit in plan_units(tables.register)["unit"] if unit in held]


def is_subset(tables: PlanTables) -> bool:
    """Whether the tables hold fewer than the plan's units."""
    return len(covered_units(tables)) < len(plan_units(tables.register))


def scope_sentence(tables: PlanTables) -> Sentence | None:
    """The sentence that says which of the plan's units the tables cover; ``None`` for all of them.

    Examples:
        >>> import camlo
        >>> tables = camlo.load_plan_tables(reviews=False)
        >>> scope_sentence(tables) is None
        True
        >>> two = tables.replace(households=tables.households[tables.households["unit"].isin(["Cam Tuyên", "Cam Hiếu"])])
        >>> print(scope_sentence(two).text("en"))  # doctest: +NORMALIZE_WHITESPACE
        These tables cover 2 of the plan's 8 units (Cam Tuyên and Cam Hiếu): every figure below is
        over those 2, and what is said of the district is said of their total.
    """
    units, total = covered_units(tables), len(plan_units(tables.register))
    if len(units) == total:
        return None
    if len(units) == 1:
        return say("own_tables_one", total=total, units=Unit(units[0]))
    return say("own_tables_units", n=len(units), total=total, units=Listing(map(Unit, units)))


def with_scope(tables: PlanTables, part: Sentence | Prose) -> Sentence | Prose:
    """``part`` after the scope sentence, as its own paragraph, when the tables cover a few units."""
    scope = scope_sentence(tables)
    return part if scope is None else paragraphs(scope, part)


def finding_with_scope(tables: PlanTables, finding: Sentence | Prose) -> Sentence | Prose:
    """A finding after the scope sentence, in one paragraph, when the tables cover a few units."""
    scope = scope_sentence(tables)
    return finding if scope is None else prose(scope, finding)


def observed_of_units(tables: PlanTables, observed):
    """The observed reviews' rows that count the tables' units, and how many reviews had none.

    For the plan's 8 units, every row. For a few units, each unit's own row and a new commune's
    row where the tables hold all its former units; a district row (which counts units the
    tables do not hold) is left out, so that notebook 03 never sets the district's reviews
    against a few units' baseline.

    Returns:
        ``(rows, dropped)``: the rows kept, and the number of reviews none of whose rows is kept.

    Examples:
        >>> import camlo
        >>> tables = camlo.load_plan_tables(reviews=False)
        >>> two = tables.replace(households=tables.households[tables.households["unit"].isin(["Cam Tuyên", "Cam Hiếu"])])
        >>> rows, dropped = observed_of_units(two, camlo.load_observed())
        >>> rows[["year", "unit", "poor"]].values.tolist(), dropped
        ([[2022, 'Cam Tuyên', 109], [2022, 'Cam Hiếu', 44]], 1)
    """
    if not is_subset(tables):
        return observed, 0
    held = set(covered_units(tables))
    register = tables.register.set_index("unit")
    communes = {area for area, former in register.loc[register["role"] == "successor", "predecessors"].items()
                if set(str(former).split(";")) <= held}
    kept = observed[observed["unit"].isin(held | communes)]
    reviews = observed.groupby(["year", "reference_point"], sort=False).ngroups
    return kept.reset_index(drop=True), reviews - kept.groupby(["year", "reference_point"], sort=False).ngroups


def baseline_review(tables: PlanTables, standard: str) -> pd.DataFrame:
    """The tables' own baseline as the only review: each unit's poor and households at the start of 2022.

    For a user's tables given without observed reviews, so that notebook 03 judges them from
    their own baseline and never from the district's reviews (which count other households).

    Args:
        tables: The plan's tables (Phụ lục 1's unit rows are read).
        standard: The id of the standard the baseline is read under (the plan's).

    Returns:
        A table in :func:`camlo.load_observed`'s layout, one row per unit, at step 0.

    Examples:
        >>> import camlo
        >>> tables = camlo.load_plan_tables(reviews=False)
        >>> two = tables.replace(households=tables.households[tables.households["unit"].isin(["Cam Tuyên", "Cam Hiếu"])])
        >>> baseline_review(two, "decree_07_2021")[["year", "step", "unit", "poor", "households"]].values.tolist()
        [[2022, 0, 'Cam Tuyên', 109, 1481], [2022, 0, 'Cam Hiếu', 44, 1791]]
    """
    units = tables.households
    frame = pd.DataFrame({"year": BASELINE_YEAR, "reference_point": START, "step": 0, "unit": units["unit"],
                          "poor": units["poor"], "near_poor": pd.NA, "households": units["households"],
                          "poor_dtts": units["dtts_poor"], "near_poor_dtts": pd.NA,
                          "identifies_for": BASELINE_YEAR, "standard": standard, "stated": False})
    frame = frame.astype({"year": "int64", "step": "int64", "poor": "int64", "near_poor": "Int64",
                          "households": "Int64", "poor_dtts": "Int64", "near_poor_dtts": "Int64",
                          "identifies_for": "int64", "standard": "str", "stated": "bool"})
    return frame[list(OUTPUT_COLUMNS)].reset_index(drop=True)


def reviews_left_out(dropped: int) -> Sentence | None:
    """The sentence that says how many observed reviews count none of the tables' units."""
    return say("own_t03_reviews_left_out", n=dropped) if dropped else None


def partial_communes(baselines, register) -> Sentence | Prose | None:
    """For each new commune of which the tables hold only some former units, a sentence saying
    that its figures are those units' (``None`` when every commune is whole).

    Args:
        baselines: The communes' baselines (:func:`camlo.targets.plan.area_baselines`), whose
            ``predecessors`` are the former units the tables hold.
        register: The unit register (:func:`camlo.units`).
    """
    every = register.set_index("unit")["predecessors"]
    parts = []
    for row in baselines.itertuples():
        held, former = row.predecessors.split(";"), str(every[row.unit]).split(";")
        if len(held) < len(former):
            parts.append(say("own_t03_commune_part", unit=Unit(row.unit), held=Listing(map(Unit, held)),
                             missing=Listing(Unit(u) for u in former if u not in held)))
    return prose(*parts) if parts else None
