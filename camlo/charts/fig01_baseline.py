"""Notebook 01's figures: the district's households by status, poverty by unit, the poor split.

Each figure draws exactly the table it is given (from :mod:`camlo.measures.status`, tested in
``tests/test_status.py``), takes every visible word from :mod:`camlo.labels` and every
number's format from the language, and is registered with :func:`camlo.charts.style.figure`
under a ``01_`` name with the function that computes its data from the tables.

Figures are built on :class:`matplotlib.figure.Figure` directly (not pyplot), so making one
neither opens a window nor leaves a figure behind in pyplot's list.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from camlo.charts.style import PALETTE, figure, wrap
from camlo.clean.reconcile import PARTS, reconciliation_notes
from camlo.constants import DISTRICT
from camlo.labels import format_number, format_pct, label, unit_label
from camlo.measures import status

#: Space (in font points) between a bar's end and its annotation.
_GAP = 3


def _number_axis(axis, lang: str, places: int = 0) -> None:
    """Tick labels in ``lang``'s number format (``14.905`` and ``3,04`` in Vietnamese)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(value, lang, places)))


def _caption(fig: Figure, lines: list[str]) -> None:
    """Small grey lines at the foot of the figure (the source, and any note), left-aligned.

    The constrained layout is confined above them, so that they never overlap the axis title
    and a long line does not narrow the axes.
    """
    bottom = (0.16 * len(lines) + 0.12) / fig.get_figheight()  # 0.16 inch a line, 0.12 margin
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.005, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize="x-small", color="dimgray")


def _finish_bars(fig: Figure, ax, lang: str, *, xmax: float, xlabel: str, title: str, source: str) -> None:
    """Units (or statuses) top to bottom, the value axis from 0 in ``lang``'s numbers, title and source."""
    ax.invert_yaxis()
    ax.set_xlim(0, xmax)
    ax.set_xlabel(label(xlabel, lang))
    _number_axis(ax.xaxis, lang)
    ax.grid(axis="y", visible=False)
    ax.set_title(label(title, lang), loc="left")
    _caption(fig, [label(source, lang)])


def _new_figure(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


@figure("01_households_by_status", data=lambda tables: status.household_status(tables.households, tables.headline))
def households_by_status(table: pd.DataFrame, lang: str = "en") -> Figure:
    """The district's households: poor, near-poor and other (:func:`camlo.measures.status.household_status`).

    Examples:
        >>> fig = households_by_status(status.household_status(tables.households, tables.headline), "vi")
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
        ['Hộ nghèo', 'Hộ cận nghèo', 'Hộ khác']
    """
    fig, ax = _new_figure(9, 3.4)
    positions = range(len(table))
    ax.barh(positions, table["households"], color=[PALETTE[s] for s in table["status"]], height=0.6)
    for y, (count, share) in enumerate(zip(table["households"], table["share_pct"])):
        ax.annotate(f"{format_number(count, lang)} ({format_pct(share, lang)})", (count, y),
                    xytext=(_GAP, 0), textcoords="offset points", va="center", fontsize="small")
    ax.set_yticks(list(positions), [label(s, lang) for s in table["status"]])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    _finish_bars(fig, ax, lang, xmax=table["households"].max() * 1.25, xlabel="households",
                 title="b01_status_title", source="b01_source_section_1")
    return fig


@figure("01_poverty_rate_by_unit", data=lambda tables: status.poverty_rate_by_unit(tables.households))
def poverty_rate_by_unit(rates: pd.DataFrame, lang: str = "en") -> Figure:
    """Each unit's poverty rate against the district's (:func:`camlo.measures.status.poverty_rate_by_unit`).

    Units in printed order, top to bottom; rates recomputed from counts.

    Examples:
        >>> fig = poverty_rate_by_unit(status.poverty_rate_by_unit(tables.households), "en")
        >>> [round(float(bar.get_width()), 2) for bar in fig.axes[0].patches][5]  # Cam Tuyên
        7.36
    """
    units = rates[rates["unit"] != DISTRICT]
    district = float(rates.loc[rates["unit"] == DISTRICT, "rate_pct"].iloc[0])
    fig, ax = _new_figure(8, 4.6)
    positions = range(len(units))
    ax.barh(positions, units["rate_pct"], color=PALETTE["poor"], height=0.6)
    for y, rate in enumerate(units["rate_pct"]):
        ax.annotate(format_pct(rate, lang), (rate, y), xytext=(_GAP, 0), textcoords="offset points",
                    va="center", fontsize="small", zorder=3,  # over the district line
                    bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
    ax.axvline(district, color=PALETTE["district"], linestyle="--", linewidth=1.5,
               label=f"{label('district_rate', lang)}: {format_pct(district, lang)}")
    ax.set_yticks(list(positions), [unit_label(c, lang) for c in units["unit"]])
    ax.legend(loc="upper right", frameon=True)
    _finish_bars(fig, ax, lang, xmax=units["rate_pct"].max() * 1.15, xlabel="poverty_rate_pct",
                 title="b01_rates_title", source="b01_source_phu_luc_1")
    return fig


@figure("01_poor_split_by_unit", data=lambda tables: status.poor_split(tables.households))
def poor_split_by_unit(split: pd.DataFrame, lang: str = "en") -> Figure:
    """Each unit's poor households, BTXH and CSGN (:func:`camlo.measures.status.poor_split`).

    Published values are solid bars; a reconciled value (Cam Tuyên's CSGN: 56 where 48 is
    printed) is drawn over them as a hatched outline from the same start, with its own
    legend entry and a note under the axes saying why.

    Examples:
        >>> fig = poor_split_by_unit(status.poor_split(tables.households), "en")
        >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][-1]
        'CSGN, reconciled'
    """
    fig, ax = _new_figure(9, 4.9)
    positions = list(range(len(split)))
    colours = {"btxh": PALETTE["btxh"], "csgn": PALETTE["csgn"]}
    start = {"btxh": [0] * len(split), "csgn": split["btxh_reconciled"].tolist()}
    for part in PARTS:
        ax.barh(positions, split[part], left=start[part], color=colours[part], height=0.6)
        for y, left, published, reconciled in zip(positions, start[part], split[part],
                                                   split[f"{part}_reconciled"]):
            if reconciled == published:
                continue
            # the reconciled value as an outline from the same start; the gap to it hatched
            ax.barh(y, reconciled, left=left, height=0.6, fill=False, edgecolor=PALETTE["reconciled"],
                    linewidth=1.5)
            ax.barh(y, reconciled - published, left=left + published, height=0.6, fill=False,
                    edgecolor=PALETTE["reconciled"], hatch="///", linewidth=0)
    totals = split["btxh_reconciled"] + split["csgn_reconciled"]
    for y, total in enumerate(totals):
        ax.annotate(format_number(total, lang), (total, y), xytext=(_GAP, 0), textcoords="offset points",
                    va="center", fontsize="small")
    ax.set_yticks(positions, [unit_label(c, lang) for c in split["unit"]])
    ax.invert_yaxis()
    ax.set_xlim(0, totals.max() * 1.45)  # room for the legend beside the short bars
    ax.set_xlabel(label("poor", lang))
    _number_axis(ax.xaxis, lang)
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=colours[p], label=label(p, lang)) for p in PARTS]
    handles += [Patch(fill=False, edgecolor=PALETTE["reconciled"], hatch="///", linewidth=1.5,
                      label=label(f"{p}_reconciled", lang))
                for p in PARTS if (split[f"{p}_reconciled"] != split[p]).any()]
    ax.legend(handles=handles, loc="lower right", frameon=True)
    ax.set_title(wrap(label("b01_split_title", lang), 72), loc="left")
    _caption(fig, [*reconciliation_notes(split, lang), label("b01_source_phu_luc_1", lang)])
    return fig


#: The registered names, in the order notebook 01 shows them.
NAMES = ("01_households_by_status", "01_poverty_rate_by_unit", "01_poor_split_by_unit")
