"""Notebook 01: the situation at the start of 2022, and whether the published figures hold together.

Two kinds of result live here:

- :func:`published_vs_recomputed`: one row per number printed in section I, Phụ lục 1 and
  Phụ lục 2 (every non-blank cell, unit rows and total rows), with what the other published
  figures imply it should be. It is built on :func:`camlo.audit` (``include_passing=True``):
  each row rests on one audit comparison, so a mismatch carries that finding's message and
  the resolution the analysis uses. A number that nothing else determines (a unit's
  households, a unit's deprivation count) is a *primary* figure: it is only checked through
  a sum, and the row says which.
- the numbers each chart of notebook 01 draws: :func:`household_status`,
  :func:`poverty_rates` and :func:`poor_split`, and the district figures the notebook's
  prose quotes (:func:`district_summary`). Every rate is recomputed from counts; a printed
  rate is never used.

Rows are keyed by ``source`` (``section_1``, ``phu_luc_1``, ``phu_luc_2``), ``unit``
(a unit's printed name, or ``"district"`` for a total row and for section I) and ``figure``
(a count's name such as ``poor``, a rate's name such as ``poor_pct``, or ``deprived_1`` …
``deprived_12`` for Phụ lục 2's indicators).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from camlo.clean import annexes
from camlo.clean.parsing import Blank, parse_count, parse_rate, read_rows
from camlo.clean.plan_tables import PlanTables
from camlo.clean.reconcile import misprinted_part
from camlo.consistency.checks import Figure, audit
from camlo.constants import DISTRICT, POOR_PARTS
from camlo.text.labels import indicator_label, label, unit_label
from camlo.text.numbers import format_number
from camlo.text.sentences import say

SOURCES = ("section_1", "phu_luc_1", "phu_luc_2")
STATUSES = ("match", "mismatch", "primary")

#: The columns of :func:`published_vs_recomputed`.
COLUMNS = ["source", "unit", "figure", "printed", "published", "recomputed", "status", "check",
           "audit_row", "recomputed_from", "finding", "resolution", "recomputed_from_text", "finding_text",
           "resolution_text"]

#: Printed-count columns of Phụ lục 1 and the rates printed beside them.
_COUNTS_1 = ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn")


# --- The printed numbers ------------------------------------------------------------------------


def _figure_name(source: str, column: str, kind: str) -> str:
    """A printed column's figure name: ``poor_published_pct`` -> ``poor_pct``, ``3`` -> ``deprived_3``."""
    if kind == "rate":
        return column.replace("_published_pct", "_pct")
    if source == "phu_luc_2" and column.isdigit():
        return f"deprived_{column}"
    return column


def printed_cells(tables: PlanTables) -> pd.DataFrame:
    """Every number printed in section I, Phụ lục 1 and Phụ lục 2.

    One row per non-blank cell, in printed order (row by row, left to right). Unit names
    and Phụ lục 2's row numbers (``Stt``) are not figures and are left out; a blank cell
    prints no number and is left out too.

    Args:
        tables: The tables (:func:`camlo.load_plan_tables`). Where they were read from files
            (``tables.source``), each cell's text is read as printed there; tables made in
            memory print their values as the plan does (``14.905``, ``3.04``), every cell
            filled.

    Returns:
        Columns ``source``, ``unit`` (``"district"`` for a total row and for section I),
        ``figure``, ``printed`` (the cell's text, e.g. ``"14.905"`` or ``"3,04"``) and
        ``published`` (its value: an ``int`` for a count, a ``float`` for a rate).

    Raises:
        DataError: if a raw table cannot be read (the loaders check it first).

    Examples:
        >>> cells = printed_cells(tables)
        >>> cells.groupby("source", sort=False).size().to_dict()
        {'section_1': 14, 'phu_luc_1': 68, 'phu_luc_2': 117}
        >>> cells.iloc[0][["figure", "printed", "published"]].tolist()
        ['households', '14.905', 14905]
    """
    records = _file_cells(tables.source) if tables.source is not None else _table_cells(tables)
    frame = pd.DataFrame.from_records(records)
    frame["published"] = pd.Series([r["published"] for r in records], dtype=object)  # ints stay ints
    return frame


def _file_cells(folder: Path) -> list[dict]:
    """The printed cells, as text, of the files in ``folder`` (laid out as ``data/raw/``)."""
    records: list[dict] = []
    path = folder / annexes.HEADLINE.name
    for key, _phrase, count, rate in read_rows(path)[1:]:
        where = dict(file=path, row=key)
        records.append(dict(source="section_1", unit=DISTRICT, figure=key, printed=count,
                            published=parse_count(count, blank=Blank.REQUIRED, column="count", **where)))
        if rate:
            records.append(dict(source="section_1", unit=DISTRICT, figure=f"{key}_pct", printed=rate,
                                published=parse_rate(rate, blank=Blank.REQUIRED, column="rate_pct", **where)))
    for source, path, columns, total_name in _annexes(folder):
        name_at = [c.kind for c in columns].index("unit")
        for row in read_rows(path, header_rows=2)[2:]:
            label = columns[name_at].label
            unit = DISTRICT if row[name_at] == total_name else annexes.annex_unit(row[name_at], file=path,
                                                                                 column=label)
            for cell, column in zip(row, columns):
                if column.kind not in ("count", "rate") or cell == "":
                    continue
                parse = parse_rate if column.kind == "rate" else parse_count
                records.append(dict(
                    source=source, unit=unit, figure=_figure_name(source, column.name, column.kind),
                    printed=cell,
                    published=parse(cell, blank=Blank.REQUIRED, file=path, row=row[name_at], column=column.label),
                ))
    return records


def _annexes(folder: Path) -> tuple:
    return (("phu_luc_1", folder / annexes.PHU_LUC_1.name, annexes.COLUMNS_PHU_LUC_1, annexes.TOTAL_PHU_LUC_1),
            ("phu_luc_2", folder / annexes.PHU_LUC_2.name, annexes.COLUMNS_PHU_LUC_2, annexes.TOTAL_PHU_LUC_2))


def _printed(value, kind: str) -> str:
    """A value as the plan prints it: counts with a dot for thousands, rates with 2 decimals."""
    return f"{float(value):.2f}" if kind == "rate" else f"{int(value):,}".replace(",", ".")


def _table_cells(tables: PlanTables) -> list[dict]:
    """The cells tables made in memory would print, in the files' order."""
    records: list[dict] = []
    for row in tables.headline.itertuples():
        records.append(dict(source="section_1", unit=DISTRICT, figure=row.key,
                            printed=_printed(row.count, "count"), published=int(row.count)))
        if not pd.isna(row.published_pct):
            records.append(dict(source="section_1", unit=DISTRICT, figure=f"{row.key}_pct",
                                printed=_printed(row.published_pct, "rate"), published=float(row.published_pct)))
    p1 = pd.concat([tables.households, tables.household_totals.assign(unit=DISTRICT)], ignore_index=True)
    wide = tables.deprivations.pivot(index="unit", columns="indicator", values="deprived")
    p2 = pd.concat([
        tables.deprivations.groupby("unit", sort=False)["poor"].first().to_frame()
        .join(wide.rename(columns=str)).reset_index(),
        tables.deprivation_totals.pivot(index="unit", columns="indicator", values="deprived")
        .rename(columns=str).assign(poor=int(tables.deprivation_totals["poor"].iloc[0]), unit=DISTRICT),
    ], ignore_index=True)
    for source, frame, columns in (("phu_luc_1", p1, annexes.COLUMNS_PHU_LUC_1),
                                   ("phu_luc_2", p2, annexes.COLUMNS_PHU_LUC_2)):
        for row in frame.to_dict("records"):
            for column in columns:
                if column.kind not in ("count", "rate") or pd.isna(row[column.name]):
                    continue
                value = row[column.name]
                records.append(dict(source=source, unit=row["unit"],
                                    figure=_figure_name(source, column.name, column.kind),
                                    printed=_printed(value, column.kind),
                                    published=float(value) if column.kind == "rate" else int(value)))
    return records


# --- Published against recomputed ---------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """How one printed number is checked: the audit comparison and how to read it."""

    check: str
    table: str
    unit: str
    column: str
    mode: str  # "expected", "other" (the audit's published side), "part" (split), or "primary"
    how: str  # the catalog sentence of recomputed_from, with the audit row's published/expected and context


def _count(value) -> Figure:
    return Figure(int(value))


def _fmt(value) -> Figure:
    """A count with thousands grouped, or a rate to 2 decimals, as the descriptions quote them."""
    return Figure(float(value) if isinstance(value, float) else int(value))


def _rule(source: str, unit: str, figure: str, split_part: str) -> _Rule:
    """The audit comparison a printed number rests on (or is checked through, if primary)."""
    if source == "section_1":
        if figure == "near_poor":
            return _Rule("headline", "section_1", DISTRICT, "poor_and_near_poor", "primary",
                         "audit_how_primary_near_poor")
        if figure.endswith("_pct"):
            return _Rule("headline_rate", "section_1", DISTRICT, figure.removesuffix("_pct"), "expected",
                         "audit_how_headline_rate")
        if figure == "poor_and_near_poor":
            return _Rule("headline", "section_1", DISTRICT, figure, "expected", "audit_how_headline_sum")
        return _Rule("headline", "section_1", DISTRICT, figure, "expected", "audit_how_annex_total")
    if source == "phu_luc_1":
        if figure.endswith("_pct"):
            return _Rule("rate", "phu_luc_1", unit, figure.replace("_pct", "_published_pct"), "expected",
                         "audit_how_rate")
        if unit == DISTRICT:
            return _Rule("total_row", "phu_luc_1", DISTRICT, figure, "expected", "audit_how_units")
        if figure == "poor":
            return _Rule("cross_table", "phu_luc_2", unit, "poor", "other", "audit_how_annex_2")
        if figure == split_part:
            return _Rule("split", "phu_luc_1", unit, "btxh + csgn", "part", "audit_how_split")
        return _Rule("total_row", "phu_luc_1", DISTRICT, figure, "primary", "audit_how_primary_1")
    # phu_luc_2
    column = "poor" if figure == "poor" else figure.removeprefix("deprived_")
    if unit == DISTRICT:
        return _Rule("total_row", "phu_luc_2", DISTRICT, column, "expected", "audit_how_units")
    if figure == "poor":
        return _Rule("cross_table", "phu_luc_2", unit, "poor", "expected", "audit_how_annex_1")
    return _Rule("total_row", "phu_luc_2", DISTRICT, column, "primary", "audit_how_primary_2")


def _context(cell, units: pd.DataFrame, total: pd.Series, headline: pd.Series, split_part: str) -> dict:
    """Numbers a rule's description quotes: the cell's count and households, its unit's split.

    ``units`` is Phụ lục 1 indexed by unit name.
    """
    other = next(p for p in POOR_PARTS if p != split_part)
    context = {"n_units": _count(len(units))}
    if cell.source == "section_1":
        key = cell.figure.removesuffix("_pct")
        context |= {"count": _count(headline[key]), "households": _count(headline["households"]),
                    "poor": _count(headline["poor"]), "near_poor": _count(headline["near_poor"])}
    elif cell.source == "phu_luc_1":
        row = total if cell.unit == DISTRICT else units.loc[cell.unit]
        key = cell.figure.removesuffix("_pct")
        context |= {"count": _count(row[key]) if key in _COUNTS_1 else "",
                    "households": _count(row["households"]),
                    "poor": _count(row["poor"]), "other": other.upper(), "other_count": _count(row[other])}
    return context


def published_vs_recomputed(tables: PlanTables) -> pd.DataFrame:
    """Every number printed in section I, Phụ lục 1 and Phụ lục 2 beside what it should be.

    Each printed number (:func:`printed_cells`) is matched to the :func:`camlo.audit`
    comparison that recomputes it:

    - section I's counts against Phụ lục 1's total row, poor + near-poor against its parts,
      every printed rate against its count over the households (``headline``,
      ``headline_rate``, ``rate``);
    - each total row against the sum of its units (``total_row``);
    - a unit's poor households against the other annex (``cross_table``);
    - a unit's CSGN as poor − BTXH (``split``; the part the column totals single out as
      misprinted, see :mod:`camlo.clean.reconcile`, and CSGN when none is singled out).

    A unit's households, ethnic-minority households and poor among them, its BTXH, its
    deprivation counts, and section I's near-poor households are primary: nothing else
    printed determines them. Their row has status ``primary``, no recomputed value, and
    points to the comparison they are checked through (a total row, or for near-poor
    households section I's poor + near-poor).

    Args:
        tables: The tables to compare; see :func:`printed_cells`.

    Returns:
        One row per printed number, in printed order, with columns :data:`COLUMNS`:
        ``printed`` (text as printed), ``published`` and ``recomputed`` (numbers; missing
        for a primary figure), ``status`` (``match``, ``mismatch`` or ``primary``), ``check``
        and ``audit_row`` (the comparison's check and its row in
        ``camlo.audit(tables, include_passing=True)``), ``recomputed_from`` (how, with the numbers),
        and for a mismatch the audit's ``finding`` and ``resolution``.

    Examples:
        >>> table = published_vs_recomputed(tables)
        >>> table["status"].value_counts().to_dict()
        {'primary': 115, 'match': 78, 'mismatch': 6}
        >>> row = table.query("unit == 'Cam Tuyên' and figure == 'poor_pct'").iloc[0]
        >>> row["printed"], row["recomputed"], row["status"]
        ('3.76', 7.36, 'mismatch')
    """
    cells = printed_cells(tables)
    comparisons = _audit(tables)
    index = {(r.check, r.table, r.unit, r.column): i for i, r in enumerate(comparisons.itertuples())}
    units = tables.households
    total = tables.household_totals.iloc[0]
    headline = tables.headline.set_index("key")["count"]
    split_part = misprinted_part(units, total) or "csgn"
    by_name = units.set_index("unit")

    records = []
    for cell in cells.itertuples(index=False):
        rule = _rule(cell.source, cell.unit, cell.figure, split_part)
        position = index[(rule.check, rule.table, rule.unit, rule.column)]
        found = comparisons.iloc[position]
        published, expected = found["published"], found["expected"]
        if rule.mode == "primary":
            recomputed, status = None, "primary"
        else:
            recomputed = {"expected": expected, "other": published,
                          "part": cell.published - found["difference"]}[rule.mode]
            status = "match" if found["status"] == "ok" else "mismatch"
        how = say(rule.how, published=_fmt(published), expected=_fmt(expected),
                  **_context(cell, by_name, total, headline, split_part))
        mismatch = status == "mismatch"
        records.append({
            **cell._asdict(), "recomputed": recomputed, "status": status, "check": rule.check,
            "audit_row": position, "recomputed_from": how.text("en"),
            "finding": found["message"] if mismatch else "",
            "resolution": found["resolution"] if mismatch else "",
            "recomputed_from_text": how,
            "finding_text": found["message_text"] if mismatch else None,
            "resolution_text": found["resolution_text"] if mismatch else None,
        })
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    for column in ("published", "recomputed", "recomputed_from_text", "finding_text", "resolution_text"):  # counts stay whole numbers, rates decimals
        frame[column] = pd.Series([r[column] for r in records], dtype=object)
    return frame


def _audit(tables: PlanTables) -> pd.DataFrame:
    """Every comparison :func:`camlo.audit` makes on ``tables``, passing or not."""
    return audit(tables, include_passing=True)


def group_findings(tables: PlanTables, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit findings that no single printed number carries (e.g. a unit's deprivation sum).

    :func:`published_vs_recomputed` attaches each mismatch to the printed number it
    recomputes. Some checks bound a sum of several numbers, none of which can be blamed
    alone; those findings are listed here, with their row in ``audit(tables, include_passing=True)``.

    Args:
        tables: The tables audited.
        table: Their :func:`published_vs_recomputed`, if already computed (``None``: computed here).

    Examples:
        >>> group_findings(tables)[["check", "unit", "published", "expected"]].values.tolist()
        [['deprivation_sum', 'Thanh An', 313, 318], ['deprivation_sum', 'Cam Chính', 51, 54]]
    """
    comparisons = _audit(tables).rename_axis("audit_row").reset_index()
    table = published_vs_recomputed(tables) if table is None else table
    carried = set(table.loc[table["status"] == "mismatch", "audit_row"])
    left = comparisons[(comparisons["status"] == "mismatch") & ~comparisons["audit_row"].isin(carried)]
    return left.reset_index(drop=True)


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """How many printed numbers each source has, by status, with a total row and column.

    Args:
        table: :func:`published_vs_recomputed`.

    Examples:
        >>> coverage(published_vs_recomputed(tables)).loc["total"].to_dict()
        {'match': 78, 'mismatch': 6, 'primary': 115, 'printed': 199}
    """
    counts = (pd.crosstab(pd.Categorical(table["source"], SOURCES), pd.Categorical(table["status"], STATUSES))
              .reindex(index=list(SOURCES), columns=list(STATUSES), fill_value=0))
    counts.index.name, counts.columns.name = "source", None
    counts.columns = list(STATUSES)
    counts["printed"] = counts.sum(axis=1)
    counts.loc["total"] = counts.sum()
    return counts.astype("int64")


def figure_label(figure: str, lang: str = "en") -> str:
    """What a figure name means, in ``lang``, from the bilingual label table.

    Examples:
        >>> figure_label("poor_pct"), figure_label("deprived_10", "vi")
        ('Poor households, rate (%)', '10. Nhà tiêu hợp vệ sinh')
    """
    if figure.startswith("deprived_"):
        return indicator_label(int(figure.removeprefix("deprived_")), lang, numbered=True)
    if figure.endswith("_pct"):
        return f"{label(figure.removesuffix('_pct'), lang)}, {label('rate_pct', lang)}"
    return label(figure, lang)


def comparison_view(table: pd.DataFrame, source: str, *, lang: str = "en") -> pd.DataFrame:
    """A compact published-vs-recomputed table of one source, for display.

    Columns ``unit``, ``figure`` (what it is, from the label table), ``printed`` (the printed
    value, as ``lang`` writes numbers: the plan's own typography mixes both ways),
    ``recomputed`` (rates to 2 decimals, ``"—"`` for a primary figure) and ``status``, of
    ``table`` (:func:`published_vs_recomputed`).

    Examples:
        >>> comparison_view(published_vs_recomputed(tables), "section_1").iloc[2].tolist()
        ['Cam Lộ district', 'Ethnic-minority households (DTTS), rate (%)', '0.67', '0.68', 'mismatch']
        >>> comparison_view(published_vs_recomputed(tables), "section_1", lang="vi").iloc[0]["printed"]
        '14.905'
    """
    table = table.query("source == @source")
    return pd.DataFrame({
        "unit": [unit_label(c, lang) for c in table["unit"]],
        "figure": [figure_label(f, lang) for f in table["figure"]],
        "printed": [_display(v, lang) for v in table["published"]],
        "recomputed": [_display(v, lang) for v in table["recomputed"]],
        "status": table["status"].tolist(),
    })


def _display(value, lang: str = "en") -> str:
    """A recomputed value as ``lang`` writes it: rates to 2 decimals, counts grouped, ``—`` for none."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return format_number(value, lang, 2) if isinstance(value, float) else format_number(int(value), lang)


def annex_grid(table: pd.DataFrame, source: str, lang: str = "en") -> pd.DataFrame:
    """A printed annex laid out as printed, each number marked against its recomputation.

    A cell reads ``3.94 ✓`` (matches), ``3.76 ≠ 7.36`` (printed, then recomputed) or the
    bare printed number for a primary figure, numbers as ``lang`` writes them; a blank cell
    stays blank.

    Args:
        table: :func:`published_vs_recomputed`.
        source: ``"phu_luc_1"`` or ``"phu_luc_2"``.
        lang: The language the numbers are written in.

    Examples:
        >>> grid = annex_grid(published_vs_recomputed(tables), "phu_luc_1")
        >>> grid.loc["Cam Tuyên", ["poor", "poor_pct", "csgn"]].tolist()
        ['109 ✓', '3.76 ≠ 7.36', '48 ≠ 56']
        >>> grid.loc["district", "csgn"], annex_grid(published_vs_recomputed(tables), "phu_luc_1", "vi").loc[
        ...     "Cam Tuyên", "poor_pct"]
        ('108 ≠ 100', '3,76 ≠ 7,36')
    """
    if source not in SOURCES[1:]:
        raise ValueError(f"source must be 'phu_luc_1' or 'phu_luc_2', got {source!r}")
    table = table.query("source == @source")
    marks = [
        _display(printed, lang) if status == "primary" else
        f"{_display(printed, lang)} ✓" if status == "match" else
        f"{_display(printed, lang)} ≠ {_display(recomputed, lang)}"
        for printed, recomputed, status in zip(table["published"], table["recomputed"], table["status"])
    ]
    columns = annexes.COLUMNS_PHU_LUC_1 if source == "phu_luc_1" else annexes.COLUMNS_PHU_LUC_2
    printed_order = [_figure_name(source, c.name, c.kind) for c in columns if c.kind in ("count", "rate")]
    grid = (table.assign(cell=marks)
            .pivot(index="unit", columns="figure", values="cell")
            .reindex(index=list(dict.fromkeys(table["unit"])), columns=printed_order)
            .astype(object).fillna(""))  # a column none of the tables' units prints is all blank
    grid.index.name, grid.columns.name = None, None
    return grid


def mismatch_view(table: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """The printed numbers that disagree with their recomputation, with the audit's finding.

    Args:
        table: :func:`published_vs_recomputed`.
        lang: The language of the unit and figure names.

    Returns:
        One row per mismatch: ``source``, ``unit`` and ``figure`` (names in ``lang``),
        ``printed``, ``recomputed`` (rates to 2 decimals), ``finding`` and ``resolution``.

    Examples:
        >>> mismatch_view(published_vs_recomputed(tables)).query("unit == 'Cam Tuyên'")[["printed", "recomputed"]].values.tolist()[:2]
        [['3.76', '7.36'], ['0.28', '2.84']]
    """
    mismatches = table[table["status"] == "mismatch"]
    return pd.DataFrame({
        "source": mismatches["source"],
        "unit": [unit_label(u, lang) for u in mismatches["unit"]],
        "figure": [figure_label(f, lang) for f in mismatches["figure"]],
        "printed": [_display(v, lang) for v in mismatches["published"]],
        "recomputed": [_display(v, lang) for v in mismatches["recomputed"]],
        "finding": [_in(text, lang) for text in mismatches["finding_text"]],
        "resolution": [_in(text, lang) for text in mismatches["resolution_text"]],
    }).reset_index(drop=True)


def _in(text, lang: str) -> str:
    """An audit text (a catalog sentence, or none) in ``lang``."""
    return "" if text is None else text.text(lang)


def group_findings_view(findings: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """:func:`group_findings` for display: the unit's name in ``lang``, the finding, the resolution.

    Examples:
        >>> group_findings_view(group_findings(tables))["unit"].tolist()
        ['Thanh An', 'Cam Chính']
    """
    return pd.DataFrame({
        "unit": [unit_label(u, lang) for u in findings["unit"]],
        "finding": [_in(text, lang) for text in findings["message_text"]],
        "resolution": [_in(text, lang) for text in findings["resolution_text"]],
    })
