"""Tables in, never fetched: below the public entry points no step opens a data file.

The tables, the standard and the records are loaded first; then the steps of the audit, the
measures, the targets and the synthetic reviews run under an audit hook that records every
file opened under ``data/``. A step that fell back on a shipped file when an argument was
missing would open it there. A second test reads the steps' signatures: no parameter named
like a table defaults to ``None`` (the shape such a fallback takes).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

import camlo
from camlo.answers.targets import answer as targets_answer
from camlo.consistency import checks, published
from camlo.clean.records import SYNTHETIC_FOLLOW_UP
from camlo.clean.standard import load_standards
from camlo.consistency.records import annex_comparison, explain_differences
from camlo.text.labels import unit_label
from camlo.measures import bounds, offices, profiles, status
from camlo.paths import DATA
from camlo.synthetic import review_2022, review_2023
from camlo.targets import gaps, pace, plan, projection, sensitivity

_OPENED: list[str] | None = None  # recording while a list


def _hook(event: str, args: tuple) -> None:
    if event != "open" or _OPENED is None or not isinstance(args[0], (str, bytes, Path)):
        return
    path = Path(args[0].decode() if isinstance(args[0], bytes) else args[0]).resolve()
    if path.is_relative_to(DATA.resolve()):
        _OPENED.append(str(path.relative_to(DATA.resolve().parent)))


sys.addaudithook(_hook)  # records only inside ``opened_files()``; in this test process only


@contextmanager
def opened_files():
    """Record the data files opened inside the block (into the list it yields)."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


@pytest.fixture(scope="module")
def given():
    """Everything the steps read, loaded before any step runs."""
    tables = camlo.load_plan_tables()
    standard = camlo.load_standard()
    raw = camlo.load_records()
    records = camlo.classify(raw, standard)
    later = camlo.classify(camlo.load_records(SYNTHETIC_FOLLOW_UP), standard)
    unit_label(tables.households["unit"].iloc[0], "en")  # the label table, loaded once for the views
    return {"tables": tables, "standard": standard, "raw": raw, "records": records, "later": later,
            "rates": camlo.load_poverty_rates(), "units": camlo.load_units(), "standards": load_standards()}


def run_every_step(given) -> None:
    """The steps of camlo/consistency, measures, targets and synthetic, on the given tables."""
    t, standard, records, later = given["tables"], given["standard"], given["records"], given["later"]
    memory = t.replace()  # printed_cells reads its text from tables.source, the folder tables say they came from
    # consistency
    checks.audit(t, include_passing=True, observed_sums=True)
    table = published.published_vs_recomputed(memory)
    published.group_findings_view(published.group_findings(memory, table))
    published.coverage(table), published.mismatch_view(table), published.annex_grid(table, "phu_luc_1")
    published.comparison_view(table, "section_1")
    # measures
    status.district_summary(t.households, t.headline), status.poor_split(t.households)
    counts = camlo.unit_counts(t.households, t.deprivations)
    measures = camlo.af_measures(t.households, t.deprivations, t.indicators)
    profiles.profile_clusters(measures), profiles.largest_deviations(measures), profiles.af_summary(measures)
    bounds.score_bounds_table(counts), bounds.overlap_minimum_matrix(counts), bounds.cutoff_share_bounds(counts)
    offices.office_workload_matrix(counts, t.indicators), offices.targeting_table(counts, t.indicators)
    offices.office_label(t.indicators, "Education and Training", lang="vi")
    # household records
    camlo.audit_records(camlo.classify(given["raw"], standard), standard)
    annex = camlo.annex_tables(records)
    explain_differences(annex_comparison(annex, t), checks.audit(t))
    annex.plan_tables(t)
    camlo.af_from_records(records, t.indicators), camlo.co_deprivation(records, t.indicators, by="unit")
    camlo.score_distribution(records, t.indicators)
    moves = camlo.transitions(records, later, steps=2)
    # targets
    goal = plan.plan_goal(t.headline, t.targets)
    found = gaps.target_gaps(t.deprivations, t.targets)
    gaps.gap_readings(found), gaps.hidden_gaps(found), gaps.worst_units(found), gaps.untracked_targets(t.targets)
    plan.band_readings(goal), plan.allocation_comparison(t.households, goal)
    for by in plan.BY:
        plan.poverty_target_status(t.observed, t.households, t.register, goal, by=by)
        plan.area_baselines(t.households, t.register, goal, by=by)
    plan.area_paths(t.observed, t.households, t.register, goal)
    paths = plan.path_comparison(t.observed, t.households, t.register, goal)
    pace.pace_comparison(given["rates"], goal)
    start = projection.latest_start(t, goal)
    projection.projection_fan(projection.project_poverty(goal, n_paths=200, start=start), paths)
    targets_answer(t, t.observed, given["rates"], [], n_paths=200, sensitivity_paths=50,
                   standards=given["standards"])  # notebook 03's answer
    projection.measured_projection(moves, goal, paths, True, n_paths=200)
    sensitivity.sensitivity_matrix(goal, n_paths=100, csgn_exit=(0.3,), newly_poor=(6.0,), start=start)
    sensitivity.tornado_table(goal, n_paths=100)
    # synthetic reviews
    before = review_2022.synthesize_2022(t.households, t.deprivations, t.headline, given["units"], standard)
    review_2023.synthesize_2023(before, standard, review_2023.Calibration.observed(t.observed))


def test_no_step_opens_a_data_file(given):
    with opened_files() as opened:
        run_every_step(given)
    assert opened == [], f"steps opened data files: {sorted(set(opened))}"


def test_the_hook_sees_a_loader_open_its_file():
    """The check itself can fail: a loader run inside the block is recorded."""
    with opened_files() as opened:
        camlo.load_households()
    assert "data/raw/phu_luc_1.csv" in opened


def test_the_public_audit_alone_loads_the_shipped_tables(given):
    with opened_files() as opened:
        shipped = camlo.audit()
    assert opened and shipped.equals(checks.audit(given["tables"]))
    with pytest.raises(TypeError):
        checks.audit()


#: Parameters named like a table: none of them may default to None in a step.
TABLE_NAMES = {"households", "household_totals", "deprivations", "deprivation_totals", "headline", "targets",
               "observed", "indicators", "register", "units", "tables", "goal", "standard", "counts", "measures",
               "gaps", "table", "status", "paths", "rates", "records", "before", "after", "calibration",
               "findings", "annex", "run", "moves"}
#: The exceptions, each a value computed from the step's own arguments when not given.
COMPUTED_FROM_ARGUMENTS = {
    ("camlo.consistency.published", "group_findings", "table"): "published_vs_recomputed(tables)",
    ("camlo.targets.projection", "latest_start", "goal"): "plan_goal(tables.headline, tables.targets)",
}
#: The public entry points in the stages' modules: shipped files are their defaults by design.
PUBLIC_ENTRIES = {"audit_with_default",  # camlo.audit
                  "write_synthetic_2022", "write_synthetic_2023", "shipped_2022"}  # python -m camlo synthesize
STAGES = ("camlo.consistency", "camlo.measures", "camlo.targets", "camlo.synthetic")


def steps():
    """Every public function defined in the stages' modules, with its module's name."""
    for stage in STAGES:
        package = importlib.import_module(stage)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{stage}.{info.name}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_") and name not in PUBLIC_ENTRIES:
                    yield module.__name__, name, function


def test_no_step_defaults_a_table_to_none():
    found = [(module, name, p.name) for module, name, function in steps()
             for p in inspect.signature(function).parameters.values()
             if p.name in TABLE_NAMES and p.default is None]
    assert sorted(set(found) - set(COMPUTED_FROM_ARGUMENTS)) == []
    assert set(COMPUTED_FROM_ARGUMENTS) <= set(found)  # the exceptions are still there to be excused
    assert len({name for _, name, _ in steps()}) > 100  # the stages were read


def test_a_steps_tables_come_before_its_parameters():
    """Inputs first, then parameters: every table-named parameter precedes every keyword-only one."""
    late = []
    for module, name, function in steps():
        parameters = list(inspect.signature(function).parameters.values())
        first_keyword = next((i for i, p in enumerate(parameters) if p.kind is p.KEYWORD_ONLY), len(parameters))
        late += [(module, name, p.name) for p in parameters[first_keyword:] if p.name in TABLE_NAMES - {"status"}]
    assert late == []
