"""The shipped tables, loaded once, and what the tests pass to the steps that read them.

Every step takes its tables as arguments; the tests that check a step on the shipped data
pass these (``from shipped_tables import SHIPPED, GOAL``).
"""

from __future__ import annotations

import functools

import camlo

#: The shipped tables (:func:`camlo.load_plan_tables`).
SHIPPED = camlo.load_plan_tables()
#: The plan's goal read from them.
GOAL = camlo.plan_goal(SHIPPED.headline, SHIPPED.targets)
#: Decree 07/2021 as shipped (:func:`camlo.load_standard`).
STANDARD = camlo.load_standard()
#: Alkire–Foster measures of the shipped tables, equal weights.
MEASURES = camlo.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators)
#: The counts the measures are computed from.
COUNTS = camlo.unit_counts(SHIPPED.households, SHIPPED.deprivations)
#: The access targets' gaps.
GAPS = camlo.target_gaps(SHIPPED.deprivations, SHIPPED.targets)
#: Every printed number beside its recomputation.
PUBLISHED = camlo.published_vs_recomputed(SHIPPED)
#: The plan's path and the observed district counts.
PATHS = camlo.path_comparison(SHIPPED.observed, SHIPPED.households, SHIPPED.register, GOAL)
#: The district's status in each observed review.
STATUS = camlo.poverty_target_status(SHIPPED.observed, SHIPPED.households, SHIPPED.register, GOAL)


@functools.cache
def shipped_answers() -> dict:
    """Each notebook's answer on the shipped data (with the notebook's default parameters), by number."""
    from camlo.report.notebooks import answer_module, notebook_parameters, numbered_notebooks, read_notebook

    found = {}
    for path in numbered_notebooks():
        nb = read_notebook(path)
        module = answer_module(nb)
        if module is not None:
            found[path.stem[:2]] = module.run(notebook_parameters(nb))
    return found


def figure_data(name: str):
    """The data figure ``name`` draws, from its notebook's answer on the shipped data."""
    return shipped_answers()[name[:2]].figures[name]


def draw_shipped(name: str, lang: str = "en"):
    """Figure ``name`` drawn from its notebook's answer on the shipped data."""
    from camlo.report.figures import draw

    return draw(name, figure_data(name), lang)
