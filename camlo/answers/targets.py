"""Notebook 03's answer: how far each unit is from each target, how fast poverty must fall, how likely it is.

The projection runs once here, from the latest observed district review within the plan on the exit
rates that review implies (:mod:`camlo.targets.estimate`; from the baseline on the assumed rates when
nothing has been observed); its quantiles, its probability with its range over plausible rates and
the parameters it ran with are what the notebook, the fan chart, the workbook's projection sheet and
the index's finding state. The review's date is read as recorded and one review later. The
counterfactual projections the notebook compares it with (from the baseline, as if nothing had been
observed; with no BTXH exits; the assumed rates from the review on) and the sensitivity analyses are
computed here too.

Examples:
    >>> result = run({"n_paths": 2_000, "sensitivity_paths": 200})
    >>> print(result.finding.text("en"))  # doctest: +NORMALIZE_WHITESPACE
    The plan asks for 108 fewer poor households by the end of 2025 (453 to 345). Starting from the latest
    observed review (end of 2023: 311 poor households, below every path of the assumed rates), the target
    is met in above 99% of simulated paths if the observed pace persists (above 99% throughout over
    plausible rates), and in above 99% (above 99% throughout) if exits return to the assumed rates from
    then on.
    >>> result.values["start"], result.values["baseline_reach"]
    (ObservedStart(step=2, poor=311, households=None), {'reaching': 0, 'paths': 2000, 'lowest': 353})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd

from camlo.answers import Answer, declared
from camlo.answers.scope import (baseline_review, finding_with_scope, is_subset, observed_of_units,
                                 partial_communes, reviews_left_out, with_scope)
from camlo.clean.context import DISTRICT_RATES, POVERTY_RATES, load_district_rates, load_poverty_rates
from camlo.clean.observed import load_observed, review_files, review_sources
from camlo.clean.plan_tables import PlanTables, load_plan_tables, plan_files
from camlo.clean.reconcile import reconciliation_notes
from camlo.clean.standard import Standard, load_standards, standard_files
from camlo.constants import DISTRICT, START, review_at_step
from camlo.targets import gaps as target_gaps_module
from camlo.targets.pace import pace_comparison
from camlo.targets.plan import (
    allocate_reduction,
    allocation_comparison,
    area_baselines,
    area_paths,
    band_readings,
    path_comparison,
    plan_goal,
    poverty_target_status,
)
from camlo.targets.estimate import (
    CONTINUATIONS,
    DRAWS,
    baseline_reach,
    continue_paths,
    fit_rates,
    implied_fall,
    implied_growth,
    implied_households,
)
from camlo.targets.projection import (
    DEFAULT_PATHS,
    DEFAULT_SEED,
    NEWLY_POOR_HOUSEHOLDS,
    ObservedStart,
    ProjectionParameters,
    observed_start,
    project_poverty,
    projection_fan,
)
from camlo.targets.series import PLAN_STANDARD, review_series
from camlo.targets.sensitivity import SENSITIVITY_PATHS, sensitivity_matrix, tornado_table
from camlo.text.labels import LABELS, indicator_label, label, unit_label
from camlo.text.numbers import LANGS, format_number, format_probability
from camlo.text.sentences import (
    Indicator,
    Label,
    Listing,
    ProbabilityRange,
    Prose,
    Sentence,
    Unit,
    paragraphs,
    prose,
    say,
)
from camlo.text.tables import Column, ReaderTable

QUESTION = "03"

#: A tornado swing (in probability) below which no rate is said to move the answer.
SWING_THRESHOLD = 0.005
#: A spread of the heatmap (in points of probability) from which the rates matter more than chance.
WIDE_SPREAD_PCT = 50


@dataclass(frozen=True)
class _InLanguage:
    """A text given in each language (e.g. the reconciliation notes), as a sentence's value."""

    texts: Mapping[str, str]

    def text(self, lang: str = "en") -> str:
        return self.texts[lang]


@dataclass(frozen=True)
class _Number:
    """A number with a fixed number of decimals, as a sentence's value (``3`` or ``0.175``)."""

    value: float
    places: int = 0

    def text(self, lang: str = "en") -> str:
        return format_number(self.value, lang, self.places)


def _commas(parts) -> Prose:
    """Parts joined by commas (no "and"), as the notebook lists units and targets."""
    return Prose(tuple(parts), sep=", ")


def _lines(parts) -> Prose:
    """Parts on lines of their own (a Markdown list)."""
    return Prose(tuple(part for part in parts if part is not None), sep="\n")


# --- Inputs -------------------------------------------------------------------------------------------


def projection_parameters(params: Mapping[str, Any]) -> ProjectionParameters:
    """The :class:`ProjectionParameters` named in ``params`` (the notebook's), the defaults for the rest."""
    return ProjectionParameters(**{f.name: params[f.name] for f in fields(ProjectionParameters)
                                   if params.get(f.name) is not None})


def own_tables_alone(params: Mapping[str, Any]) -> bool:
    """Whether ``params`` give a user's tables (``tables_path``) and no observed review (``observed_path``):
    notebook 03 then reads no review, since the shipped ones are the district's, not the user's."""
    return params.get("tables_path") is not None and params.get("observed_path") is None


def inputs(params: Mapping[str, Any]) -> dict[str, Path]:
    """The data files notebook 03 reads: the plan's tables, the observed reviews it is given
    (``observed_path``; the shipped reviews and their DTTS counts by default) with their sidecar,
    the poverty standards, and the context poverty rates (the country's and the province's, and the
    district's own printed rates). A user's tables without reviews read neither the shipped reviews
    nor the district's printed rates (:func:`own_tables_alone`)."""
    alone = own_tables_alone(params)
    reviews = standard_files() if alone else review_files(params.get("observed_path"))
    return {**declared(plan_files(params.get("tables_path"), reviews=False), "tables_path"),
            **declared(reviews, "observed_path"),
            **declared([POVERTY_RATES] if alone else [POVERTY_RATES, DISTRICT_RATES])}


def review_inputs(tables_path=None, observed_path=None) -> tuple[pd.DataFrame | None, list[str], pd.DataFrame | None]:
    """The observed reviews, the source of each, and the district's printed rates after the
    baseline, as notebook 03 reads them for these paths (the notebook and :func:`run` alike): none
    of them for a user's tables without reviews (:func:`own_tables_alone`), since the shipped ones
    are the district's, not the tables'."""
    if own_tables_alone({"tables_path": tables_path, "observed_path": observed_path}):
        return None, [], None
    return load_observed(observed_path), review_sources(observed_path), load_district_rates()


def run(params: Mapping[str, Any] | None = None) -> Answer:
    """Notebook 03's answer on the files its parameters name (the shipped ones by default)."""
    params = params or {}
    observed, sources, district_rates = review_inputs(params.get("tables_path"), params.get("observed_path"))
    return answer(load_plan_tables(params.get("tables_path"), reviews=False), observed, load_poverty_rates(), sources,
                  params=projection_parameters(params), household_growth=params.get("household_growth"),
                  district_rates=district_rates, seed=params.get("seed", DEFAULT_SEED),
                  n_paths=params.get("n_paths", DEFAULT_PATHS),
                  sensitivity_paths=params.get("sensitivity_paths", SENSITIVITY_PATHS),
                  draws=params.get("draws", DRAWS), continuations=params.get("continuations", CONTINUATIONS),
                  standards=load_standards())


def successor_standard(standards: Sequence[Standard]) -> Standard:
    """The standard that follows the plan's: the one for the year after the plan's standard ends (2027).

    Examples:
        >>> successor_standard(load_standards()).id
        'decree_351_2025'
    """
    plan = next(standard for standard in standards if standard.id == PLAN_STANDARD)
    return next(standard for standard in standards if standard.applies_to(plan.last_year + 1))


# --- 1. How far: the access targets' gaps -------------------------------------------------------------


def readings_text(gaps: pd.DataFrame, readings: pd.DataFrame):
    """Where the district's reading of a target and the units' reading differ, and where they agree."""
    units = gaps[gaps["unit"] != DISTRICT]
    lines = []
    for row in readings[readings["difference"] > 0].itertuples():
        of_target = units[units["target"] == row.target]
        short, met = of_target[~of_target["met"]], of_target[of_target["met"]]
        district = (say("t03_reading_district_short", gap=row.district_gap) if row.district_gap
                    else say("t03_reading_district_met"))
        meeting = (say("t03_reading_met_none") if met.empty else
                   say("t03_reading_met_one", units=Unit(met["unit"].iloc[0])) if len(met) == 1 else
                   say("t03_reading_met_many", units=_commas(map(Unit, met["unit"]))))
        lines.append(say("t03_reading_differs", target=row.target, indicator=Indicator(row.indicator, lower=True),
                         target_pct=row.target_pct, district=district, sum_of_unit_gaps=row.sum_of_unit_gaps,
                         short=_commas(say("t03_unit_gap", unit=Unit(r.unit), gap=r.gap_households)
                                       for r in short.itertuples()),
                         meeting=meeting))
    same = readings[readings["difference"] == 0]
    agree = None
    if len(same):
        key = "t03_readings_agree_full" if (same["target_pct"] == 100).all() else "t03_readings_agree"
        agree = say(key, targets=_commas(same["target"]))
    differ = (prose(say("t03_readings_intro")), _lines(lines)) if lines else ()  # a few units' tables may have none
    return paragraphs(*differ, say("t03_readings_district"), agree)


def worst_text(gaps: pd.DataFrame):
    """For each target, the district's standing and the unit farthest from it; gaps the district hides."""
    lines = []
    for row in target_gaps_module.worst_units(gaps).itertuples():
        district = (say("t03_worst_district_short", district_pct=row.district_pct, district_gap=row.district_gap)
                    if row.district_gap else say("t03_worst_district_met", district_pct=row.district_pct))
        lines.append(say("t03_worst", target=row.target, indicator=Indicator(row.indicator, lower=True),
                         target_pct=row.target_pct, district=district, unit=Unit(row.worst_unit),
                         worst_pct=row.worst_pct, worst_gap=row.worst_gap))
    worst = target_gaps_module.worst_units(gaps)
    hidden = target_gaps_module.hidden_gaps(gaps)
    hidden_part = None
    if len(hidden):
        hidden_part = say("t03_hidden", targets=_commas(worst.loc[worst["district_gap"] == 0, "target"]),
                          units=_commas(say("t03_hidden_unit", unit=Unit(r.unit), pct=r.baseline_pct,
                                            gap=r.gap_households) for r in hidden.itertuples()))
    return paragraphs(_lines(lines), hidden_part)


# --- 2. How fast: the plan's own numbers ----------------------------------------------------------------


def reduction_text(goal, headline: pd.DataFrame):
    """The 108 are the CSGN households; what they are in rates and a year."""
    rate = headline.set_index("key").loc["csgn", "published_pct"]
    in_rates = dict(reduction=goal.reduction, households=goal.households, points=100 * goal.reduction / goal.households,
                    steps=goal.steps, per_step=float(goal.per_step),
                    per_step_points=100 * float(goal.per_step) / goal.households)
    return paragraphs(
        say("t03_reduction_is_csgn", reduction=goal.reduction, baseline_poor=goal.baseline_poor, btxh=goal.btxh,
            csgn=goal.csgn, target_poor=goal.target_poor),
        say("t03_reduction_in_rates", printed=float(rate), **in_rates) if pd.notna(rate) else
        say("own_t03_reduction_in_rates_unprinted", **in_rates))  # a user's section I may print no rate


def band_text(goal, readings: pd.DataFrame, household_growth: float):
    """What the band printed beside T01 can measure, and why the annual fall in the rate is the reading."""
    r = readings.set_index("reading")["value"]
    return paragraphs(
        say("t03_band_reading", annual_pp_4=r["annual_pp_4"], steps=goal.steps, band_low=goal.band_low_pct,
            band_high=goal.band_high_pct, total_pp=r["total_pp"], relative_pct_4=r["relative_pct_4"],
            reduction=goal.reduction, growth=household_growth, target_poor=goal.target_poor,
            annual_pp_4_growth=r["annual_pp_4_growth"]),
        say("t03_band_uncertain", annual_pp_5=r["annual_pp_5"], annual_pp_3=r["annual_pp_3"],
            band_low=goal.band_low_pct, band_high=goal.band_high_pct, target_poor=goal.target_poor))


def allocation_text(households: pd.DataFrame, household_totals: pd.DataFrame, goal, allocation: pd.DataFrame):
    """Who carries the reduction on the CSGN basis, what the poor-households basis would ask instead."""
    by_unit = allocation.set_index("unit")
    top = by_unit["by_csgn"].idxmax()
    none = by_unit.index[by_unit["by_csgn"] == 0]
    share = {"unit": Unit(top), "by_csgn": by_unit.loc[top, "by_csgn"], "reduction": goal.reduction,
             "share": 100 * by_unit.loc[top, "by_csgn"] / goal.reduction,
             "per_year": float(by_unit.loc[top, "by_csgn"]) / goal.steps}
    carries = (say("t03_alloc_csgn", **share, none=Unit(none[0]), none_poor=int(by_unit.loc[none[0], "poor"]))
               if len(none) else say("t03_alloc_csgn_all", **share))
    over = allocate_reduction(households, goal, basis="poor").query("exceeds_csgn")
    by_poor = (say("t03_alloc_by_poor", unit=Unit(top), by_poor=by_unit.loc[top, "by_poor"], n=len(over),
                   units=_commas(map(Unit, over["unit"])))
               if len(over) else say("t03_alloc_by_poor_fits", unit=Unit(top), by_poor=by_unit.loc[top, "by_poor"]))
    notes = {lang: " ".join(reconciliation_notes(households, lang)) for lang in LANGS}
    return paragraphs(
        prose(carries, by_poor, say("t03_alloc_why")),
        say("t03_alloc_reconciled",
            notes=_InLanguage(notes) if any(notes.values()) else say("t03_alloc_none_reconciled"),
            printed_sum=int(households["csgn"].sum()), printed_total=int(household_totals["csgn"].iloc[0])))


# --- 3. Observed reviews ---------------------------------------------------------------------------------


def recorded_source(source: str) -> _InLanguage:
    """A source as the observed file's sidecar records it, in each language: the label whose English is
    the recorded text gives its Vietnamese (``t03_source_...``); a source with none is quoted as recorded."""
    known = [key for key, row in LABELS.items() if key.startswith("t03_source_") and row["en"] == source]
    vi = label(known[0], "vi") if known else label("t03_source_as_recorded", "vi").format(source=source)
    return _InLanguage({"en": source, "vi": vi})


def sources_text(sources: list[str], observed: pd.DataFrame):
    """The source of each addition to the observed file, as its sidecar records it."""
    if sources:
        return paragraphs(*(say("t03_source_added", source=recorded_source(source)) for source in sources))
    later = bool((observed["step"] > 0).any())
    return say("t03_sources_unrecorded") if later else say("t03_sources_baseline_only")


def _review_named(row) -> Prose:
    """A review as running text names it (``the review at the end of 2026``)."""
    key = "t03_review_named_start" if row.reference_point == START else "t03_review_named_end"
    return say(key, year=str(int(row.year)))


def series_text(series: pd.DataFrame, successor: Standard):
    """Which standard each review is read under, and which reviews the plan's comparison leaves out.

    Args:
        series: The reviews in series (:func:`camlo.targets.series.review_series`).
        successor: The standard that follows the plan's (Decree 351/2025/NĐ-CP's), whose income
            lines the default reading names.
    """
    review_year = successor.first_year - 1
    stated = series[series["stated"]]
    successor_stated = stated[(stated["year"] == review_year) & (stated["reference_point"] != START)]
    lines = successor.areas["poor_line"]
    rule = None if len(successor_stated) else say(
        "t03_series_rule", year=str(review_year), identifies=str(successor.first_year),
        rural=int(lines["rural"]), urban=int(lines["urban"]))
    stated_part = say("t03_series_stated", reviews=Listing(map(_review_named, stated.itertuples()))) if len(stated) else None
    later = series[series["standard"] == successor.id]
    left_out = say("t03_series_new", n=len(later), reviews=Listing(map(_review_named, later.itertuples()))) \
        if len(later) else None
    return prose(rule, stated_part, left_out)


def status_text(status: pd.DataFrame, observed: pd.DataFrame, goal):
    """Where the latest observed review puts the district against the target and the path."""
    latest = status.iloc[-1]
    year = str(review_at_step(int(latest["step"]))[0])
    if latest["step"] == 0:
        return say("t03_status_baseline_only", poor=latest["poor"], year=year)
    place = (say("t03_place_below") if latest["poor"] < latest["target_poor"] else
             say("t03_place_at") if latest["target_met"] else say("t03_place_above"))
    pace = (say("t03_pace_ahead") if latest["reduction"] > latest["plan_reduction"] else
            say("t03_pace_on") if latest["on_track"] else say("t03_pace_behind"))
    beyond = int(latest["reduction"]) - goal.csgn
    district = observed[observed["unit"] == DISTRICT]
    now = district[district["step"] == latest["step"]]
    base = district[district["step"] == 0]
    dtts = None
    if len(now) and len(base) and now["poor_dtts"].notna().all() and base["poor_dtts"].notna().all():
        counts, near = now.iloc[0], now.iloc[0]["near_poor_dtts"]
        dtts = (say("t03_status_dtts", poor_dtts=counts["poor_dtts"], base=base.iloc[0]["poor_dtts"]) if pd.isna(near)
                else say("t03_status_dtts_near", poor_dtts=counts["poor_dtts"], near_poor_dtts=near,
                         base=base.iloc[0]["poor_dtts"]))
    return prose(
        say("t03_status_latest", year=year, poor=latest["poor"], place=place, target_poor=latest["target_poor"],
            reduction=latest["reduction"], plan_reduction=latest["plan_reduction"], pace=pace),
        say("t03_status_beyond", csgn=goal.csgn, beyond=beyond, btxh=goal.btxh, share=100 * beyond / goal.btxh)
        if beyond > 0 else None,
        dtts)


def open_text(status: pd.DataFrame, commune_status: pd.DataFrame, observed: pd.DataFrame, goal):
    """What the observed reviews do not answer yet."""
    later = observed[observed["step"] > 0]
    per_unit = later[later["unit"] != DISTRICT]
    items = [
        say("t03_open_target_review", year=str(review_at_step(goal.steps)[0]))
        if status[status["step"] == goal.steps].empty else None,
        (say("t03_open_communes") if per_unit.empty else say("t03_open_communes_units"))
        if commune_status[commune_status["step"] > 0].empty else None,
        say("t03_open_dtts") if later["poor_dtts"].notna().any() else None,
        say("t03_open_access"),
    ]
    return paragraphs(say("t03_open_intro"), _lines(items))


# --- 4. The communes formed on 1 July 2025 ----------------------------------------------------------------


def communes_text(baselines: pd.DataFrame, commune_status: pd.DataFrame, goal):
    """Each commune's baseline, share of the reduction and target; whether a review reports it."""
    all_dtts = int(baselines["dtts_poor"].sum())
    lines = []
    for row in baselines.itertuples():
        values = {"unit": Unit(row.unit), "members": _commas(map(Unit, row.predecessors.split(";"))),
                  "poor": row.poor, "households": row.households, "poor_pct": row.poor_pct, "csgn": row.csgn,
                  "btxh": row.btxh, "reduction": goal.reduction, "share": row.reduction,
                  "target_poor": row.target_poor, "target_pct": row.target_pct}
        lines.append(say("t03_commune_dtts", **values, dtts_poor=row.dtts_poor) if row.dtts_poor and
                     row.dtts_poor == all_dtts else say("t03_commune", **values))
    reported = commune_status[commune_status["step"] > 0]
    tail = (say("t03_communes_unreported") if reported.empty else
            say("t03_communes_reported", rows=len(reported)))
    summed = say("t03_communes_sum", target_poor=goal.target_poor) if len(baselines) > 1 else None  # one: a few units' tables
    return paragraphs(_lines(lines), prose(summed, say("t03_communes_allocated"), tail))


# --- 5. How likely: the projection --------------------------------------------------------------------------


#: Newly poor households a year at which the projection is checked against an earlier reading
#: (the all-BTXH start): about 65% and 27% of paths met the target there.
REFERENCE_INFLOWS = (25.0, 30.0)


@dataclass(frozen=True, eq=False)
class Scenario:
    """One reading of the observed review's date, and what the projection says under it.

    Attributes:
        start: The observed review, at the step this reading gives it.
        fall: The net annual fall the count implies (:func:`camlo.targets.estimate.implied_fall`).
        reach: How many paths from the baseline on the assumed rates reach as low as the count.
        fit: The draws of exit rates that reach the count (``None`` when none does).
        persist: Every kept draw continued on its own rates: the observed pace, persisting.
        assumed: Every kept draw continued on the assumed rates from the review on.
    """

    start: ObservedStart
    fall: Any
    reach: dict
    fit: Any
    persist: Any
    assumed: Any


def date_scenarios(start: ObservedStart, goal, params: ProjectionParameters, prior, *, seed: int, draws: int,
                   continuations: int) -> list[Scenario]:
    """The observed review read at its recorded date and, before the plan's last review, one review later.

    The source of the shipped review says "to date" without naming it; the later reading (the
    end of 2024 for the recorded end of 2023) is shown beside the recorded one, as a scenario.
    """
    readings = [start] + ([replace(start, step=start.step + 1)] if start.step < goal.steps else [])
    scenarios = []
    for reading in readings:
        fit = fit_rates(goal, reading, params, seed=seed, draws=draws)
        scenarios.append(Scenario(
            start=reading, fall=implied_fall(goal.baseline_poor, reading.poor, reading.step),
            reach=baseline_reach(prior, reading), fit=fit,
            persist=None if fit is None else continue_paths(fit, seed=seed, continuations=continuations),
            assumed=None if fit is None else continue_paths(fit, params, seed=seed, continuations=continuations)))
    return scenarios


def _range(run) -> dict:
    """A continued projection's probability, pooled and over the kept draws (5th, 50th, 95th percentile),
    and its range as a sentence writes it."""
    low, median, high = run.probability_range()
    return {"probability": run.probability, "low": low, "median": median, "high": high,
            "range": ProbabilityRange(low, high)}


def _year(step: int) -> str:
    return str(review_at_step(step)[0])


def reach_text(scenarios: list[Scenario], prior) -> Prose:
    """Whether the paths from the baseline on the assumed rates reach the observed count (the data's verdict)."""
    first, *later = scenarios
    then = prior.quantiles().set_index("step").loc[first.start.step]
    values = {"paths": first.reach["paths"], "poor": first.start.poor, "year": _year(first.start.step),
              "lowest": first.reach["lowest"], "p50": then["p50"], "reaching": first.reach["reaching"],
              "share": first.reach["reaching"] / first.reach["paths"]}
    parts = [say("t03_reach_none" if first.reach["reaching"] == 0 else "t03_reach_some", **values)]
    for other in later:
        parts.append(say("t03_reach_later", year=_year(other.start.step), reaching=other.reach["reaching"],
                         paths=other.reach["paths"], lowest=other.reach["lowest"]))
    return prose(*parts)


def estimate_text(scenarios: list[Scenario], goal, params: ProjectionParameters) -> Prose:
    """The net fall the count implies (closed form, beta interval), and the exit rates and split that reach it."""
    first, *later = scenarios
    fall = first.fall
    parts = [say("t03_estimate_fall", baseline=goal.baseline_poor, poor=first.start.poor, steps=first.start.step,
                 central=100 * fall.central, low=100 * fall.low, high=100 * fall.high)]
    for other in later:
        parts.append(say("t03_estimate_fall_later", year=_year(other.start.step), steps=other.start.step,
                         central=100 * other.fall.central, low=100 * other.fall.low, high=100 * other.fall.high))
    parts.append(say("t03_estimate_method"))
    fit = first.fit
    if fit is None:
        return prose(*parts, say("t03_estimate_unreached", poor=first.start.poor, tried=DRAWS))
    b05, b50, b95 = fit.interval("btxh_exit")
    c05, _, c95 = fit.interval("csgn_exit")
    btxh05, btxh50, btxh95 = fit.interval("btxh")
    csgn05, csgn50, csgn95 = fit.interval("csgn")
    required = goal.baseline_poor - first.start.poor - goal.csgn
    parts += [say("t03_estimate_rates", newly_poor=params.newly_poor, repoor=params.repoor, poor=first.start.poor,
                  kept=fit.kept, tried=fit.tried, b05=b05, b50=b50, b95=b95, b_assumed=params.btxh_exit,
                  c05=c05, c95=c95),
              say("t03_estimate_split", poor=first.start.poor, btxh05=btxh05, btxh50=btxh50, btxh95=btxh95,
                  csgn05=csgn05, csgn50=csgn50, csgn95=csgn95, btxh=goal.btxh,
                  least=int(goal.btxh - fit.draws["btxh"].max()))]
    if required > 0:
        parts.append(say("t03_estimate_required", required=required, btxh=goal.btxh))
    return prose(*parts)


def projection_text(goal, scenarios: list[Scenario], prior, no_btxh_prior, params: ProjectionParameters,
                    run, sensitivity) -> Prose:
    """The projection's answer: from the observed review on the rates it implies (and on the assumed ones),
    each probability with its range; from the baseline when nothing has been observed."""
    if not scenarios:
        low, high = sensitivity.table.min().min() / 100, sensitivity.table.max().max() / 100
        summary = run.summary()
        result = say("t03_projection_result", p50=summary["poor_2025_p50"], p05=summary["poor_2025_p05"],
                     p95=summary["poor_2025_p95"], target_poor=goal.target_poor,
                     probability=summary["probability_target_met"], n_paths=run.n_paths,
                     range=ProbabilityRange(low, high))
        return paragraphs(result, say("t03_projection_no_btxh", probability=no_btxh_prior.probability_target_met))
    first, *later = scenarios
    parts = [reach_text(scenarios, prior), estimate_text(scenarios, goal, params)]
    if first.persist is not None:
        summary = first.persist.run.summary()
        persist = [say("t03_result_persist", continuations=first.persist.continuations, p50=summary["poor_2025_p50"],
                       p05=summary["poor_2025_p05"], p95=summary["poor_2025_p95"], target_poor=goal.target_poor,
                       **_range(first.persist))]
        assumed = [say("t03_result_assumed", c=params.csgn_exit, b=params.btxh_exit, newly_poor=params.newly_poor,
                       **_range(first.assumed))]
        for other in later:
            if other.persist is not None:
                persist.append(say("t03_result_later", year=_year(other.start.step), **_range(other.persist)))
                assumed.append(say("t03_result_later", year=_year(other.start.step), **_range(other.assumed)))
        start = first.start
        margin, left = goal.target_poor - start.poor, goal.steps - start.step
        margin_part = (say("t03_margin_one" if left == 1 else "t03_margin", margin=margin, left=left) if margin >= 0
                       else say("t03_above_one" if left == 1 else "t03_above", above=-margin, left=left))
        parts += [prose(*persist), prose(*assumed, margin_part)]
    return paragraphs(*parts)


def sensitivity_text(tornado: pd.DataFrame, sensitivity, reference: dict | None = None) -> Prose:
    """Which rate moves the probability most, how far the heatmap's probabilities spread, and the check
    against the all-BTXH start."""
    top = tornado.iloc[0]
    places = 0 if top["parameter"] == "newly_poor" else 2
    most = (say("t03_tornado_top", parameter=Label(_PARAMETER_LABELS[top["parameter"]]),
                probability_low=top["probability_low"], low=_Number(top["low"], places),
                probability_high=top["probability_high"], high=_Number(top["high"], places))
            if top["swing"] >= SWING_THRESHOLD else say("t03_tornado_flat"))
    matrix = sensitivity.table
    low, high = matrix.min().min(), matrix.max().max()
    spread = say("t03_heatmap_wide" if high - low >= WIDE_SPREAD_PCT else "t03_heatmap_narrow", low=low / 100,
                 high=high / 100)
    split = (say("t03_sensitivity_split", poor=sensitivity.start.poor, year=_year(sensitivity.start.step))
             if sensitivity.uncertain_split else None)
    check = None
    if reference is not None:
        holds = reference["p25"] >= reference["q25"] and reference["p30"] >= reference["q30"]
        check = say("t03_sensitivity_reference" if holds else "t03_sensitivity_reference_plain", **reference)
    return prose(split, most, spread, check)


def reference_check(goal, fit, params: ProjectionParameters, *, seed: int, n_paths: int) -> dict | None:
    """P(target met) at :data:`REFERENCE_INFLOWS` from the uncertain split, and from the all-BTXH start."""
    if fit is None:
        return None
    low, high = REFERENCE_INFLOWS
    ours = {inflow: continue_paths(fit, replace(params, newly_poor=inflow), seed=seed,
                                   continuations=max(1, -(-n_paths // fit.kept))).probability
            for inflow in REFERENCE_INFLOWS}
    all_btxh = {inflow: project_poverty(goal, params=replace(params, newly_poor=inflow), seed=seed, n_paths=n_paths,
                                        start=fit.start).probability_target_met for inflow in REFERENCE_INFLOWS}
    return {"n25": low, "n30": high, "c": params.csgn_exit, "p25": ours[low], "p30": ours[high],
            "q25": all_btxh[low], "q30": all_btxh[high], "poor": fit.start.poor}


#: The label of each assumed rate of the projection.
_PARAMETER_LABELS = {"csgn_exit": "t03_csgn_exit", "btxh_exit": "t03_btxh_exit", "newly_poor": "t03_newly_poor",
                     "repoor": "t03_repoor", "household_growth": "t03_household_growth"}


# --- 6. Context ------------------------------------------------------------------------------------------------


def context_text(pace, rates: pd.DataFrame, goal, observed_since: bool = True):
    """The plan's pace beside the national and provincial ones and the district's own observed one,
    rates compared at the same date; ``observed_since``: whether a review after the baseline is observed."""
    p = pace.table.set_index("key")
    national = pace.table[pace.table["key"] == "vietnam"]
    province = p.loc["quang_tri"]
    by_year = rates.set_index(["area", "year"])["poor_rate_pct"]
    province_2022 = by_year.loc[("Quảng Trị", 2022)]
    parts = [say("t03_context", plan_fall=p.loc["plan", "fall_pp"], plan_relative=p.loc["plan", "relative_fall_pct"],
                 national_low=national["fall_pp"].min(), national_high=national["fall_pp"].max(),
                 national_relative_low=national["relative_fall_pct"].min(),
                 national_relative_high=national["relative_fall_pct"].max(), province_fall=province["fall_pp"],
                 province_relative=province["relative_fall_pct"], province_year=str(int(province["to_year"])))]
    if "cam_lo" in p.index:
        observed = p.loc["cam_lo"]
        year = int(observed["to_year"])
        parts.append(say("t03_context_observed", baseline_rate=goal.baseline_rate_pct, observed_rate=observed["to_pct"],
                         year=str(year), observed_fall=observed["fall_pp"],
                         observed_relative=observed["relative_fall_pct"], steps=int(observed["steps"]),
                         province_relative=province["relative_fall_pct"]))
        if ("Quảng Trị", year) in by_year.index:
            parts.append(say("t03_context_same_date", year=str(year), observed_rate=observed["to_pct"],
                             province_same=by_year.loc[("Quảng Trị", year)], baseline_rate=goal.baseline_rate_pct,
                             province_2022=province_2022))
    else:
        parts.append(say("t03_context_dates", baseline_rate=goal.baseline_rate_pct, province_2022=province_2022))
    parts.append(say("t03_context_btxh" if observed_since else "own_t03_context_btxh_unobserved",
                     btxh_share=100 * goal.btxh / goal.baseline_poor))
    return prose(*parts)


def no_review_text(goal) -> Sentence:
    """For a user's tables given without observed reviews: the projection starts from their baseline."""
    return say("own_t03_no_review", poor=goal.baseline_poor, target_poor=goal.target_poor)


def newly_poor_text(tables: PlanTables, goal, params: ProjectionParameters) -> Sentence | None:
    """For tables covering a few units, that the assumed newly poor households a year are the district's
    (the default's), and what the same rate would be over the tables' share of its households."""
    if not is_subset(tables) or params.newly_poor != ProjectionParameters().newly_poor:
        return None
    share = goal.households / NEWLY_POOR_HOUSEHOLDS
    return say("own_t03_newly_poor_district", newly_poor=params.newly_poor, district=NEWLY_POOR_HOUSEHOLDS,
               households=goal.households, share=share, scaled=params.newly_poor * share)


def growth_text(growth: dict) -> Sentence:
    """Where the households' growth comes from: the observed reviews, or an assumption."""
    if growth["source"] == "reviews" and growth["rate"] is None:
        return say("t03_growth_counted", growth=growth["value"], year=_year(growth["step"]),
                   households=growth["households"], baseline=growth["baseline"])
    if growth["source"] == "given":
        return say("t03_growth_given", growth=growth["value"])
    if growth["source"] == "reviews":
        return say("t03_growth_implied", growth=growth["value"], year=_year(growth["step"]), poor=growth["poor"],
                   rate=growth["rate"], households=growth["households"], baseline=growth["baseline"])
    return say("t03_growth_assumed", growth=growth["value"])


def finding_text(goal, scenarios: list[Scenario], run, sensitivity):
    """The index's finding: the plan's reduction, and the probability with its range."""
    goal_part = say("t03_finding_goal", reduction=goal.reduction, baseline_poor=goal.baseline_poor,
                    target_poor=goal.target_poor)
    if scenarios and scenarios[0].persist is not None:
        first = scenarios[0]
        assumed = _range(first.assumed)
        return prose(goal_part, say("t03_finding_from_review", year=_year(first.start.step), poor=first.start.poor,
                                    **_range(first.persist), assumed=assumed["probability"],
                                    assumed_range=assumed["range"],
                                    below=Label("t03_below_every_path") if first.reach["reaching"] == 0 else ""))
    low, high = sensitivity.table.min().min() / 100, sensitivity.table.max().max() / 100
    return prose(goal_part, say("t03_finding_from_baseline", probability=run.probability_target_met,
                                n_paths=run.n_paths, range=ProbabilityRange(low, high)))


# --- 1b. What the gaps mean ---------------------------------------------------------------------------------

#: The indicators of T05's housing support: housing quality and housing area per person.
HOUSING_INDICATORS = (7, 8)
#: The indicator whose deprivation the state budget's health-insurance contribution for poor households removes.
HEALTH_INSURANCE = 4


def housing_union(deprivations: pd.DataFrame) -> dict[str, int]:
    """Bounds on the poor households deprived in either housing indicator (T05), from the counts.

    Per unit, with ``a`` and ``b`` deprived in housing quality and in housing area: at least
    ``max(a, b)`` and at most ``min(a + b, poor)``; the district's bounds are the units' sums.

    Examples:
        >>> housing_union(tables.deprivations)
        {'quality': 26, 'area': 60, 'low': 64, 'high': 86}
    """
    wide = (deprivations[deprivations["indicator"].isin(HOUSING_INDICATORS)]
            .pivot(index="unit", columns="indicator", values="deprived"))
    poor = deprivations.drop_duplicates("unit").set_index("unit")["poor"].reindex(wide.index)
    quality, area = wide[HOUSING_INDICATORS[0]], wide[HOUSING_INDICATORS[1]]
    return {"quality": int(quality.sum()), "area": int(area.sum()),
            "low": int(pd.concat([quality, area], axis=1).max(axis=1).sum()),
            "high": int(pd.concat([quality + area, poor], axis=1).min(axis=1).sum())}


def gap_notes_text(gaps: pd.DataFrame, deprivations: pd.DataFrame, observed_poor: int | None):
    """What three gaps mean: T05's both housing indicators, T02's insurance cards, and the 2022 poor."""
    by_target = gaps[gaps["unit"] == DISTRICT].set_index("target")
    union = housing_union(deprivations)
    parts = []
    if "T05" in by_target.index:
        parts.append(say("t03_t05_union", mapped=int(by_target.loc["T05", "gap_households"]), **union))
    insurance = by_target[by_target["indicator"] == HEALTH_INSURANCE]
    if len(insurance):
        parts.append(say("t03_insurance_cards", target=insurance.index[0],
                         gap=int(insurance["gap_households"].iloc[0]),
                         deprived=int(insurance["deprived"].iloc[0])))
    parts.append(say("t03_gaps_same_poor_observed", poor=observed_poor) if observed_poor is not None
                 else say("t03_gaps_same_poor"))
    return paragraphs(*parts)


# --- Tables for readers --------------------------------------------------------------------------------------


def _each(write) -> dict[str, str]:
    """A cell that gives its text per language, ``write(lang)`` in each."""
    return {lang: write(lang) for lang in LANGS}


def _review(year: int, reference_point: str) -> dict[str, str]:
    """A review by its time, as a table names it (``End 2023``, ``Cuối năm 2023``)."""
    key = "t03_review_start" if reference_point == START else "t03_review_end"
    return _each(lambda lang: label(key, lang).format(year=int(year)))


def _capital(text: str) -> str:
    """``text`` with a capital first letter, as a table's cell or header begins (``Xã Cam Lộ``)."""
    return text[:1].upper() + text[1:]


def _places(value: float) -> int:
    """The fewest decimals (at most 4) that write ``value`` as it is (``0.35`` → 2, ``6.0`` → 0)."""
    return next((places for places in range(4) if round(float(value), places) == float(value)), 4)


def _target_header(target: str, indicator: int, target_pct: float) -> dict[str, str]:
    """A target's header: its code, its indicator and its threshold (``T06: Domestic water source (90%)``)."""
    return _each(lambda lang: label("t03_target_row", lang).format(
        target=target, indicator=indicator_label(int(indicator), lang), pct=format_number(target_pct, lang)))


def assumptions_table(params: ProjectionParameters, growth: dict | None = None) -> ReaderTable:
    """The projection's rates, each by its name and value, and how each is used: assumed throughout, or
    assumed from the baseline only and estimated from an observed review (the exit probabilities), or
    implied by the reviews (the households' growth)."""
    values = params.as_dict()
    source = (growth or {}).get("source", "assumed")

    def role(name: str) -> str:
        if name in ("csgn_exit", "btxh_exit"):
            return "t03_role_estimated"
        if name == "household_growth" and source == "reviews":
            return "t03_role_reviews"
        return "t03_role_assumed"

    frame = pd.DataFrame({"parameter": [_PARAMETER_LABELS[name] for name in values],
                          "value": [_Number(value, min(_places(value), 4)) for value in values.values()],
                          "role": [role(name) for name in values]})
    return ReaderTable(frame, (Column("parameter", "t03_tbl_assumption", "label"),
                               Column("value", "t03_tbl_assumed_value"), Column("role", "t03_tbl_role", "label")))


def estimates_table(scenarios: list[Scenario], params: ProjectionParameters) -> ReaderTable:
    """Per reading of the review's date: the rates the count implies and the probability, each with its 90% interval."""
    def interval(low: float, median: float, high: float, places: int, pct: bool = False):
        scale = 100 if pct else 1
        return _each(lambda lang: label("t03_tbl_interval", lang).format(
            value=format_number(scale * median, lang, places), low=format_number(scale * low, lang, places),
            high=format_number(scale * high, lang, places)))

    def probability(run):
        low, _, high = run.probability_range()
        return _each(lambda lang: f"{format_probability(run.probability, lang)} ({ProbabilityRange(low, high).text(lang)})")

    rows = []
    for sc in scenarios:
        if sc.fit is None:
            continue
        rows.append({"review": _review(*review_at_step(sc.start.step)), "steps": sc.start.step,
                     "fall": interval(sc.fall.low, sc.fall.central, sc.fall.high, 1, pct=True),
                     "btxh_exit": interval(*sc.fit.interval("btxh_exit"), 2),
                     "csgn_exit": interval(*sc.fit.interval("csgn_exit"), 2),
                     "btxh": interval(*sc.fit.interval("btxh"), 0), "kept": sc.fit.kept,
                     "persist": probability(sc.persist), "assumed": probability(sc.assumed)})
    return ReaderTable(pd.DataFrame(rows), (
        Column("review", "t03_tbl_review_read_as"), Column("steps", "t03_tbl_steps", "count"),
        Column("fall", "t03_tbl_implied_fall"), Column("btxh_exit", "t03_tbl_btxh_exit_estimated"),
        Column("csgn_exit", "t03_tbl_csgn_exit_estimated"), Column("btxh", "t03_tbl_btxh_at_review"),
        Column("kept", "t03_tbl_draws_kept", "count"), Column("persist", "t03_tbl_probability_persist"),
        Column("assumed", "t03_tbl_probability_assumed")), note=Label("t03_tbl_estimates_note"), max_columns=5)


def _unit_rows(matrix: pd.DataFrame) -> list[dict[str, str]]:
    """The units of a unit × target matrix's columns by name, the district as computed on its totals."""
    return [_each(lambda lang, unit=unit: label("t03_district_totals", lang) if unit == DISTRICT
                  else unit_label(unit, lang)) for unit in matrix.columns]


def gap_table(gaps: pd.DataFrame) -> ReaderTable:
    """Poor households short of each access target, one row per unit (the district on its totals)."""
    matrix = target_gaps_module.gap_matrix(gaps, value="gap_households")
    heads = gaps.drop_duplicates("target").set_index("target")
    frame = pd.DataFrame({"unit": _unit_rows(matrix), **{t: matrix.loc[t].tolist() for t in matrix.index}})
    columns = [Column("unit", "commune"), *(
        Column(t, _target_header(t, heads.loc[t, "indicator"], heads.loc[t, "target_pct"]), "count")
        for t in matrix.index)]
    return ReaderTable(frame, tuple(columns), unit="t03_tbl_unit_households", max_columns=5)


def baseline_table(gaps: pd.DataFrame) -> ReaderTable:
    """The share of each unit's poor households not deprived, under each target's threshold."""
    matrix = target_gaps_module.gap_matrix(gaps, value="baseline_pct", target_pct=True)
    units = matrix.drop(columns="target_pct")
    heads = gaps.drop_duplicates("target").set_index("target")
    frame = pd.DataFrame({"unit": [_each(lambda lang: label("t03_tbl_target_2025", lang)), *_unit_rows(units)],
                          **{t: [matrix.loc[t, "target_pct"], *units.loc[t].tolist()] for t in matrix.index}})
    columns = [Column("unit", "commune"), *(
        Column(t, _each(lambda lang, t=t: f"{t}: {indicator_label(int(heads.loc[t, 'indicator']), lang)}"), "rate1")
        for t in matrix.index)]
    return ReaderTable(frame, tuple(columns), unit="t03_tbl_unit_pct_not_deprived", max_columns=5)


def readings_table(readings: pd.DataFrame) -> ReaderTable:
    """Each target's gap read on the district's totals and as the sum of the units' gaps."""
    frame = readings.assign(name=[_target_header(r.target, r.indicator, r.target_pct)
                                  for r in readings.itertuples()])
    return ReaderTable(frame, (Column("name", "t03_tbl_target"),
                               Column("district_gap", "t03_tbl_district_gap", "count"),
                               Column("sum_of_unit_gaps", "t03_tbl_sum_of_unit_gaps", "count"),
                               Column("difference", "t03_tbl_difference", "count"),
                               Column("units_short", "t03_tbl_units_short", "count")),
                       unit="t03_tbl_unit_households")


def untracked_table(targets: pd.DataFrame) -> ReaderTable:
    """The targets with no baseline in the tables, and why (the project's reading of each)."""
    frame = target_gaps_module.untracked_targets(targets)
    frame = frame.assign(reason=[{"en": row.reason, "vi": label(f"t03_tbl_reason_{row.target}", "vi")}
                                 for row in frame.itertuples()])
    return ReaderTable(frame, (Column("target", "t03_tbl_target"), Column("threshold_pct", "t03_tbl_threshold", "count"),
                               Column("reason", "t03_tbl_reason")),
                       note=Label("t03_tbl_untracked_note") if frame["threshold_pct"].isna().any() else None)


def band_table(band: pd.DataFrame) -> ReaderTable:
    """What the band printed beside T01 could measure: each reading's value, and whether it is in the band."""
    frame = band.assign(reading=[f"t03_tbl_band_{key}" for key in band["reading"]],
                        value=[_Number(value, 3) for value in band["value"]],
                        unit=[f"t03_tbl_band_unit_{'pp' if unit == 'pp' else 'pct'}" for unit in band["unit"]])
    return ReaderTable(frame, (Column("reading", "t03_tbl_reading", "label"), Column("steps", "t03_tbl_steps", "count"),
                               Column("household_growth_pct", "t03_tbl_household_growth", "rate1"),
                               Column("value", "t03_tbl_band_value"), Column("unit", "t03_tbl_band_unit", "label"),
                               Column("in_band", "t03_tbl_in_band", "yesno")))


def allocation_table(allocation: pd.DataFrame) -> ReaderTable:
    """Each unit's share of the reduction on each basis."""
    return ReaderTable(allocation, (Column("unit", "commune", "unit"), Column("poor", "poor", "count"),
                                    Column("csgn", "csgn", "count"), Column("by_csgn", "t03_by_csgn", "count"),
                                    Column("by_poor", "t03_by_poor", "count"),
                                    Column("by_households", "t03_by_households", "count")),
                       unit="t03_tbl_unit_households")


def _unit_at_review(unit: str, year: int, reference_point: str) -> dict[str, str]:
    """A unit at a review, as a table's first column names it (``Xã Cam Lộ, đầu năm 2022``)."""
    review = _review(year, reference_point)
    return _each(lambda lang: f"{_capital(unit_label(unit, lang))}, {review[lang].lower()}")


def observed_table(observed: pd.DataFrame) -> ReaderTable:
    """The observed reviews as reported, each with the standard it is read under and whether its source says so."""
    frame = observed.assign(
        area=[_unit_at_review(r.unit, r.year, r.reference_point) for r in observed.itertuples()],
        identifies=observed["identifies_for"].astype(str),
        standard=[f"t03_tbl_standard_{standard}" for standard in observed["standard"]])
    return ReaderTable(frame, (Column("area", "t03_tbl_unit_review"), Column("poor", "poor", "count"),
                               Column("near_poor", "near_poor", "count"), Column("households", "households", "count"),
                               Column("poor_dtts", "t03_tbl_poor_dtts", "count"),
                               Column("near_poor_dtts", "t03_tbl_near_poor_dtts", "count"),
                               Column("identifies", "t03_tbl_identifies_for"),
                               Column("standard", "t03_tbl_standard", "label"),
                               Column("stated", "t03_tbl_standard_stated", "yesno")),
                       unit="t03_tbl_unit_households", note=Label("t03_tbl_blank_not_reported"), max_columns=6)


#: How a status row's count was found, by the label that names it.
_SOURCE_LABELS = {"district row": "t03_tbl_source_district_row", "sum of units": "t03_tbl_source_sum_of_units",
                  "commune row": "t03_tbl_source_commune_row", "sum of former units": "t03_tbl_source_former_units",
                  "unit row": "t03_tbl_source_unit_row"}

_STATUS_COLUMNS = (Column("source", "t03_tbl_source", "label"), Column("poor", "poor", "count"),
                   Column("households", "households", "count"), Column("poor_pct", "poverty_rate_pct", "rate"),
                   Column("reduction", "t03_tbl_reduction", "count"),
                   Column("plan_reduction", "t03_tbl_plan_reduction", "count"),
                   Column("on_track", "t03_tbl_on_track", "yesno"), Column("target_poor", "t03_tbl_target_poor", "count"),
                   Column("target_met", "t03_tbl_target_met", "yesno"), Column("after_plan", "t03_tbl_after_plan", "yesno"))


def status_table(status: pd.DataFrame) -> ReaderTable:
    """The district at each observed review of the plan's series, against the plan's path and target."""
    frame = status.assign(review=[_review(r.year, r.reference_point) for r in status.itertuples()],
                          source=status["source"].map(_SOURCE_LABELS))
    return ReaderTable(frame, (Column("review", "t03_tbl_review"), *_STATUS_COLUMNS),
                       note=Label("t03_tbl_blank_not_reported"), max_columns=6)


def commune_status_table(status: pd.DataFrame) -> ReaderTable:
    """Each commune formed on 1 July 2025 at each review that reports it (or its former units)."""
    frame = status.assign(area=[_unit_at_review(r.unit, r.year, r.reference_point) for r in status.itertuples()],
                          source=status["source"].map(_SOURCE_LABELS))
    return ReaderTable(frame, (Column("area", "t03_tbl_commune_review"), *_STATUS_COLUMNS),
                       note=Prose((Label("t03_tbl_blank_not_reported"), Label("t03_tbl_commune_allocated_note"))),
                       max_columns=6)


def commune_baselines_table(baselines: pd.DataFrame) -> ReaderTable:
    """Each commune formed on 1 July 2025 at the start of 2022: one column per commune, one row per figure."""
    rows = [("predecessors", "t03_tbl_predecessors", None), ("households", "households", 0), ("poor", "poor", 0),
            ("poor_pct", "poverty_rate_pct", 2), ("csgn", "csgn_reconciled", 0), ("btxh", "btxh", 0),
            ("dtts_poor", "dtts_poor", 0), ("reduction", "t03_tbl_commune_reduction", 0),
            ("target_poor", "t03_tbl_commune_target_poor", 0), ("target_pct", "t03_tbl_commune_target_pct", 2)]

    def cell(row, column, places):
        if places is None:
            return _each(lambda lang: ", ".join(unit_label(u, lang) for u in row[column].split(";")))
        return _Number(row[column], places)

    frame = pd.DataFrame({"figure": [key for _, key, _ in rows],
                          **{r.unit: [cell(r._asdict(), column, places) for column, _, places in rows]
                             for r in baselines.itertuples()}})
    return ReaderTable(frame, (Column("figure", "t03_tbl_figure", "label"), *(
        Column(unit, _each(lambda lang, unit=unit: _capital(unit_label(unit, lang))))
        for unit in baselines["unit"])), note=Label("t03_tbl_commune_allocated_note"))


def projection_table(quantiles: pd.DataFrame) -> ReaderTable:
    """The projection's households and poor households at each review left to the end of 2025."""
    frame = quantiles.assign(review=[_review(r.year, r.reference_point) for r in quantiles.itertuples()])
    return ReaderTable(frame, (Column("review", "t03_tbl_review"), Column("households", "t03_tbl_projected_households",
                                                                           "count"),
                               Column("mean", "t03_tbl_mean", "rate1"), Column("p05", "wb_p05", "rate1"),
                               Column("p25", "t03_tbl_p25", "rate1"), Column("p50", "wb_p50", "rate1"),
                               Column("p75", "t03_tbl_p75", "rate1"), Column("p95", "wb_p95", "rate1")),
                       unit="t03_tbl_unit_households")


def swings_table(tornado: pd.DataFrame) -> ReaderTable:
    """Each assumption at the low and high ends of its plausible values, and the probability of meeting the
    target at each."""
    frame = tornado.assign(
        parameter=tornado["parameter"].map(_PARAMETER_LABELS),
        **{name: [_Number(v, _places(v)) for v in tornado[name]] for name in ("base", "low", "high")},
        swing_points=100 * tornado["swing"])
    return ReaderTable(frame, (Column("parameter", "t03_tbl_assumption", "label"), Column("base", "t03_tbl_base"),
                               Column("low", "t03_tornado_low"), Column("high", "t03_tornado_high"),
                               Column("probability_base", "t03_tbl_probability_base", "probability"),
                               Column("probability_low", "t03_tbl_probability_low", "probability"),
                               Column("probability_high", "t03_tbl_probability_high", "probability"),
                               Column("swing_points", "t03_tbl_swing", "rate1")), max_columns=5)


def pace_table(pace: pd.DataFrame) -> ReaderTable:
    """The fall in the poverty rate a year: the country's, the province's, the district's observed one and the
    plan's, each with the rate (and its date) it starts and ends at."""
    frame = pace.assign(area=[f"t03_tbl_area_{key}" for key in pace["key"]],
                        period=[_each(lambda lang, r=r: label("t03_tbl_period", lang).format(
                            start=int(r.from_year), end=int(r.to_year))) for r in pace.itertuples()])
    frame = frame.assign(from_review=[_each(lambda lang, r=r: label(
        "t03_tbl_start_of" if r.key in ("plan", "cam_lo") else "t03_tbl_end_of", lang).format(
            year=int(r.from_year), pct=format_number(r.from_pct, lang, 2))) for r in pace.itertuples()],
        to_review=[_each(lambda lang, r=r: label("t03_tbl_end_of", lang).format(
            year=int(r.to_year), pct=format_number(r.to_pct, lang, 2))) for r in pace.itertuples()])
    return ReaderTable(frame, (Column("area", "t03_tbl_area", "label"), Column("period", "t03_tbl_period_header"),
                               Column("from_review", "t03_tbl_rate_from"), Column("to_review", "t03_tbl_rate_to"),
                               Column("fall_pp", "t03_tbl_fall_pp", "rate"),
                               Column("relative_fall_pct", "t03_tbl_relative_fall", "rate1")))


# --- The answer ---------------------------------------------------------------------------------------------------


def households_growth(status: pd.DataFrame, district_rates: pd.DataFrame | None, goal, start) -> dict | None:
    """The households' annual growth the observed reviews imply, or ``None`` when none gives households.

    The latest review within the plan with households counted gives them; one without, whose
    printed poverty rate the district's rates hold (:func:`camlo.clean.context.load_district_rates`),
    gives poor households over that rate (311 at 2.09%: about 14,880 households at the end of 2023).
    """
    if start is None:
        return None
    households, rate = start.households, None
    if households is None and district_rates is not None:
        year, reference_point = review_at_step(start.step)
        row = district_rates[(district_rates["year"] == year) & (district_rates["reference_point"] == reference_point)]
        if len(row):
            rate = float(row["poor_rate_pct"].iloc[0])
            households = implied_households(start.poor, rate)
    if households is None:
        return None
    return {"source": "reviews", "value": implied_growth(goal.households, households, start.step), "step": start.step,
            "poor": start.poor, "rate": rate, "households": households, "baseline": goal.households}


def answer(tables: PlanTables, observed: pd.DataFrame | None, rates: pd.DataFrame, sources: list[str], *,
           params: ProjectionParameters | None = None, household_growth: float | None = None,
           district_rates: pd.DataFrame | None = None, seed: int = DEFAULT_SEED, n_paths: int = DEFAULT_PATHS,
           sensitivity_paths: int = SENSITIVITY_PATHS, draws: int = DRAWS, continuations: int = CONTINUATIONS,
           standards: Sequence[Standard]) -> Answer:
    """Everything notebook 03 shows, from the plan's tables, the observed reviews and the context rates.

    Args:
        tables: The plan's tables (their own ``observed`` is not read).
        observed: The observed reviews (:func:`camlo.load_observed`); ``None``: none, the tables'
            baseline alone (:func:`camlo.answers.scope.baseline_review`), as :func:`review_inputs`
            gives for a user's tables without reviews.
        rates: The national and provincial poverty rates (:func:`camlo.load_poverty_rates`).
        sources: The source of each addition to the observed file (:func:`camlo.clean.observed.review_sources`).
        params: The projection's assumed rates (``None``: the documented defaults); their
            ``household_growth`` is replaced unless ``household_growth`` is given.
        household_growth: The households' annual growth; ``None``: what the observed reviews imply
            (:func:`households_growth`), else ``params``' assumption.
        district_rates: The district's printed rates after the baseline
            (:func:`camlo.clean.context.load_district_rates`): its observed pace, and the households
            a review implies; ``None``: neither.
        seed: The projection's seed; every projection and sensitivity run uses it.
        n_paths: Paths of the projection from the baseline and of its counterfactuals.
        sensitivity_paths: Paths of each cell of the sensitivity analyses.
        draws, continuations: Draws of exit rates tried, and paths continued from each kept one
            (:func:`camlo.targets.estimate.fit_rates`, :func:`camlo.targets.estimate.continue_paths`).
        standards: The poverty standards, each review read under its own
            (:func:`camlo.clean.standard.load_standards`).
    """
    params = params or ProjectionParameters()
    unreviewed = observed is None
    if unreviewed:
        observed, left_out, sources = baseline_review(tables, PLAN_STANDARD), 0, []
    else:
        observed, left_out = observed_of_units(tables, observed)  # a few units' tables: their own reviews only
    goal = plan_goal(tables.headline, tables.targets)
    status = poverty_target_status(observed, tables.households, tables.register, goal)
    start = observed_start(status, goal)
    growth = households_growth(status, district_rates, goal, start)
    if household_growth is not None:
        growth = {"source": "given", "value": household_growth}
    elif growth is None:
        growth = {"source": "assumed", "value": params.household_growth}
    params = replace(params, household_growth=growth["value"])
    gaps = target_gaps_module.target_gaps(tables.deprivations, tables.targets)
    readings = target_gaps_module.gap_readings(gaps)
    band = band_readings(goal, household_growth=params.household_growth)
    paths = path_comparison(observed, tables.households, tables.register, goal)
    allocation = allocation_comparison(tables.households, goal)
    commune_status = poverty_target_status(observed, tables.households, tables.register, goal, by="successor")
    baselines = area_baselines(tables.households, tables.register, goal, by="successor")
    successor_paths = area_paths(observed, tables.households, tables.register, goal, by="successor")
    prior = project_poverty(goal, params=params, seed=seed, n_paths=n_paths)  # from the baseline, as if unobserved
    no_btxh = ProjectionParameters(**{**params.as_dict(), "btxh_exit": 0.0})
    no_btxh_prior = project_poverty(goal, params=no_btxh, seed=seed, n_paths=n_paths)
    scenarios = ([] if start is None else
                 date_scenarios(start, goal, params, prior, seed=seed, draws=draws, continuations=continuations))
    fit = scenarios[0].fit if scenarios else None
    # the projection, once: from the observed review on the rates it implies, else from the baseline
    run = scenarios[0].persist.run if fit is not None else (prior if start is None else project_poverty(
        goal, params=params, seed=seed, n_paths=n_paths, start=start))
    fan = projection_fan(run, paths)
    probability_range = scenarios[0].persist.probability_range() if fit is not None else None
    sensitivity = sensitivity_matrix(goal, params=params, seed=seed, n_paths=sensitivity_paths, start=start, fit=fit)
    tornado = tornado_table(goal, params=params, seed=seed, n_paths=sensitivity_paths, start=start, fit=fit)
    if probability_range is None:
        probability_range = (sensitivity.table.min().min() / 100, run.probability_target_met,
                             sensitivity.table.max().max() / 100)
    fan = replace(fan, probability_range=probability_range)
    reference = reference_check(goal, fit, params, seed=seed, n_paths=sensitivity_paths)
    pace = pace_comparison(rates, goal, district_rates)
    summary = run.summary()
    first = scenarios[0] if fit is not None else None
    return Answer(
        question=QUESTION,
        text={
            "readings": with_scope(tables, readings_text(gaps, readings)),
            "worst": worst_text(gaps),
            "gap_notes": gap_notes_text(gaps, tables.deprivations, None if start is None else start.poor),
            "t01": say("t03_t01_quote", sentence=tables.targets.set_index("target").loc["T01", "sentence"]),
            "reduction": reduction_text(goal, tables.headline),
            "band": prose(band_text(goal, band, params.household_growth), growth_text(growth)),
            "allocation": allocation_text(tables.households, tables.household_totals, goal, allocation),
            "sources": sources_text(sources if not left_out or (observed["step"] > 0).any() else [], observed),
            "series": series_text(review_series(observed, standards), successor_standard(standards)),
            "status": (no_review_text(goal) if unreviewed else
                       prose(reviews_left_out(left_out), status_text(status, observed, goal))),
            "open": open_text(status, commune_status, observed, goal),
            "communes": paragraphs(communes_text(baselines, commune_status, goal),
                                   partial_communes(baselines, tables.register)),
            "projection": paragraphs(projection_text(goal, scenarios, prior, no_btxh_prior, params, run, sensitivity),
                                     newly_poor_text(tables, goal, params)),
            "sensitivity": sensitivity_text(tornado, sensitivity, reference),
            "context": context_text(pace, rates, goal, observed_since=not unreviewed),
        },
        tables={
            "assumptions": assumptions_table(params, growth),
            "gaps": gaps,
            "gap_matrix": gap_table(gaps),
            "baseline_matrix": baseline_table(gaps),
            "readings": readings_table(readings),
            "untracked": untracked_table(tables.targets),
            "band_readings": band_table(band),
            "allocation": allocation_table(allocation),
            "observed": observed_table(observed),
            "status": status_table(status),
            "commune_baselines": commune_baselines_table(baselines),
            "commune_status": commune_status_table(commune_status),
            "projection": run.quantiles(),
            "projection_table": projection_table(run.quantiles()),
            "estimates": None if first is None else estimates_table(scenarios, params),  # none: from the baseline
            "tornado": swings_table(tornado),
            "pace": pace_table(pace.table),
        },
        figures={
            "03_target_gaps": {"counts": target_gaps_module.gap_matrix(gaps, value="gap_households"),
                               "shortfall": target_gaps_module.gap_matrix(gaps, value="shortfall_pp"),
                               "rows": gaps.drop_duplicates("target").set_index("target")[["indicator", "target_pct"]]},
            "03_target_baselines": {"gaps": gaps, "worst": target_gaps_module.worst_units(gaps)},
            "03_plan_paths": paths,
            "03_successor_paths": successor_paths,
            "03_allocation": allocation,
            "03_projection_fan": fan,
            "03_sensitivity_heatmap": sensitivity,
            "03_sensitivity_tornado": tornado,
            "03_context_pace": pace,
        },
        finding=finding_with_scope(tables, finding_text(goal, scenarios, run, sensitivity)),
        values={"probability_target_met": run.probability_target_met, "probability_range": probability_range,
                "probability_assumed_rates": None if first is None else _range(first.assumed),
                "start": start, "n_paths": run.n_paths,
                "seed": seed, "poor_2025": {k: v for k, v in summary.items() if k.startswith("poor_2025")},
                "probability_from_baseline": prior.probability_target_met,
                "baseline_reach": None if first is None else first.reach,
                "implied_fall": None if first is None else first.fall,
                "scenarios": [{"step": sc.start.step, "fall": sc.fall, "reach": sc.reach,
                               "persist": None if sc.persist is None else _range(sc.persist),
                               "assumed": None if sc.assumed is None else _range(sc.assumed)} for sc in scenarios],
                "household_growth": growth, "housing_union": housing_union(tables.deprivations),
                "reference_check": reference,
                "probability_no_btxh_exits": no_btxh_prior.probability_target_met, "goal": goal},
        params={**params.as_dict(), "seed": seed, "n_paths": n_paths, "sensitivity_paths": sensitivity_paths,
                "draws": draws, "continuations": continuations},
    )
