"""The Excel workbook for district reports: key tables with Vietnamese and English headers.

Each sheet opens with a title, a line saying where the numbers come from, then two header
rows, Vietnamese (as in the plan's annex tables) above English, and the data below as
numbers (never text), ready to paste into a district report.

A sheet is made from a notebook's answer (:mod:`camlo.answers`), never computed again:
:data:`SHEETS` lists each notebook's sheets; the report build's kernel writes them as JSON
(:func:`write_sheets_json`) beside the report, and the build writes the workbook from the
sheets of every notebook (:func:`write_workbook`).

The file is byte-reproducible: openpyxl stamps the save time into ``docProps/core.xml`` and
the zip entries, so :func:`normalise_xlsx` rewrites both with a fixed date (the plan's date).
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from camlo.clean.annexes import TOTAL_PHU_LUC_1
from camlo.clean.reconcile import reconciliation_notes
from camlo.constants import DISTRICT, INDICATORS, N_INDICATORS, PLAN_DATE
from camlo.text.labels import LABELS, indicator_label, label, review_label
from camlo.text.sentences import ProbabilityRange
from camlo.text.numbers import format_number, format_probability
from camlo.measures.transitions import AFTER

#: The workbook's file times: the plan's date (no build time), as its PDFs carry it.
FIXED_TIME = (PLAN_DATE.year, PLAN_DATE.month, PLAN_DATE.day, 0, 0, 0)
FIXED_ISO = f"{PLAN_DATE.isoformat()}T00:00:00Z"
#: The name the total row carries in the workbook, as in the plan's Phụ lục 1.
TOTAL = TOTAL_PHU_LUC_1

Header = str | tuple[str, str]


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, the label key of its title, a frame, and one header per column.

    A header is a key of :mod:`camlo.text.labels` (both languages come from the label table) or,
    for names that live in another bilingual table (the indicators), a ``(vi, en)`` pair.
    ``source`` is the label key of the line saying where the numbers come from.
    """

    name: str
    title: str
    frame: pd.DataFrame
    headers: list[Header]
    note: str = ""
    source: str = "wb_source"

    def header_pairs(self) -> list[tuple[str, str]]:
        """Each column's (Vietnamese, English) header."""
        return [h if isinstance(h, tuple) else (label(h, "vi"), label(h, "en")) for h in self.headers]


def _both(key: str, **values) -> str:
    """A label in Vietnamese, then English: ``"vi / en"``."""
    return " / ".join(label(key, lang).format(**values) for lang in ("vi", "en"))


def _in_language(key: str, lang: str) -> tuple[str, str]:
    """A text column's (Vietnamese, English) header, naming the language its cells are written in."""
    return tuple(f"{label(key, each)} ({label(f'wb_lang_{lang}', each)})" for each in ("vi", "en"))


def baseline_sheet(answer) -> Sheet:
    """Phụ lục 1 per unit and for the district, rates recomputed, CSGN published and reconciled.

    The total row adds up the units (what the analysis uses), except in the columns headed
    "published": there it holds what the plan's total row prints (its CSGN and its rate), which
    may differ from the units' sum (the audit says where).
    """
    hh = answer.tables["households"]
    printed = answer.tables["household_totals"].iloc[0]
    rows = hh[["unit", "households", "dtts_households", "poor", "btxh", "csgn", "csgn_reconciled"]].copy()
    total = {**rows.drop(columns="unit").sum().to_dict(), "csgn": int(printed["csgn"])}
    rows = pd.concat([rows, pd.DataFrame([{"unit": TOTAL, **total}])], ignore_index=True)
    rows.insert(4, "poor_pct", (100 * rows["poor"] / rows["households"]).round(2))
    rows.insert(5, "poor_published_pct", [*hh["poor_published_pct"], float(printed["poor_published_pct"])])
    headers = ["wb_unit", "wb_households", "wb_dtts_households", "wb_poor", "wb_poor_pct_recomputed",
               "wb_poor_pct_published", "wb_btxh", "wb_csgn_published", "wb_csgn_reconciled"]
    notes = [" ".join(reconciliation_notes(hh, lang)) for lang in ("vi", "en")]
    note = " / ".join(notes) + f" ({_both('wb_see_audit')})" if any(notes) else ""
    return Sheet("1 Cơ sở - Baseline", "wb_baseline_title", rows, headers, note)


def audit_sheet(answer) -> Sheet:
    """The audit's findings: every inconsistency in the published tables, with its resolution."""
    findings = answer.tables["audit"]
    frame = findings[["check", "table", "unit", "column", "published", "expected", "difference", "severity"]].copy()
    for part in ("message", "resolution"):
        for lang in ("vi", "en"):
            frame[f"{part}_{lang}"] = [text.text(lang) for text in findings[f"{part}_text"]]
    headers = ["wb_check", "wb_table", "wb_unit", "wb_column", "wb_published", "wb_expected", "wb_difference",
               "wb_severity", *(_in_language(f"wb_{part}", lang) for part in ("message", "resolution")
                                for lang in ("vi", "en"))]
    return Sheet("2 Kiểm tra - Audit", "wb_audit_title", frame, headers)


def deprivation_sheet(answer) -> Sheet:
    """Share of each unit's poor households deprived in each indicator, in % (notebook 02's rates)."""
    rates = (100 * answer.tables["deprivation_rates"]).round(1)
    rates.insert(0, "poor", answer.tables["counts"].loc[rates.index, "q"])
    rates = rates.rename(index={DISTRICT: TOTAL}).rename_axis("unit").reset_index()
    headers: list[Header] = ["wb_unit", "wb_poor_total"] + [
        (indicator_label(j, "vi", numbered=True), indicator_label(j, "en", numbered=True)) for j in INDICATORS]
    return Sheet("3 Thiếu hụt - Deprivation", "wb_deprivation_title", rates, headers)


def af_sheet(answer) -> Sheet:
    """Alkire–Foster measures per unit and for the district (equal indicator weights), from notebook 02's."""
    measures = answer.tables["measures"]
    unit_level = measures[measures["indicator"].isna() & measures["dimension"].isna()]
    wide = unit_level.pivot(index="unit", columns="measure", values="value").loc[unit_level["unit"].unique()]
    frame = wide[["H", "A", "M0", "M0_share", "pop_share"]].round(6).reset_index()
    frame["unit"] = frame["unit"].replace({DISTRICT: TOTAL})
    headers = ["wb_unit", "wb_H", "wb_A", "wb_M0", "wb_M0_share", "wb_pop_share"]
    return Sheet("4 Chỉ số AF - AF measures", "wb_af_title", frame, headers, _both("wb_af_note", n=N_INDICATORS))


def rule_sheet(answer) -> Sheet:
    """Poor households with exactly 3 deprivations and with more, under Decree 07's rule where the
    counts allow it (notebook 02's bounds)."""
    rule = answer.tables["rule"]
    frame = rule[["q", "excess", "rule_holds", "exactly_min", "exactly_max", "more_min", "more_max", "fewer_min",
                  "fewer_max", "nearest_min", "nearest_max"]].copy()
    frame["rule_holds"] = [_both("d02_tbl_rule_yes" if ok else "d02_tbl_rule_no") for ok in frame["rule_holds"]]
    frame.loc[DISTRICT, "rule_holds"] = None
    frame = frame.rename(index={DISTRICT: TOTAL}).rename_axis("unit").reset_index()
    headers: list[Header] = ["wb_unit", "wb_poor", "d02_tbl_excess", "d02_tbl_rule_holds"] + [
        (f"{label(key, 'vi')}: {label(end, 'vi')}", f"{label(key, 'en')}: {label(end, 'en')}")
        for key in ("d02_tbl_exactly", "d02_tbl_more", "d02_tbl_fewer", "d02_tbl_nearest") for end in ("wb_min", "wb_max")]
    return Sheet("4b Quy tắc - Rule bounds", "wb_rule_title", frame, headers, _both("d02_tbl_rule_note"))


def ranks_sheet(answer) -> Sheet:
    """Each unit's M0 rank under equal, nested and random weights (notebook 02's)."""
    frame = answer.tables["ranks"].reset_index()
    headers = ["wb_unit", "d02_tbl_rank_equal", "d02_tbl_rank_dimension", "d02_tbl_rank_keeps",
               "d02_tbl_rank_best", "d02_tbl_rank_worst", "d02_tbl_rank_median"]
    return Sheet("4c Xếp hạng - Rank stability", "wb_ranks_title", frame, headers, _both("d02_tbl_rank_note"))


def unit_shares_sheet(answer) -> Sheet:
    """Each unit's share of the district's poor households deprived in each indicator, in %."""
    shares = (100 * answer.tables["shares_by_indicator"]).round(1).rename_axis("unit").reset_index()
    headers: list[Header] = ["wb_unit"] + [
        (indicator_label(j, "vi", numbered=True), indicator_label(j, "en", numbered=True)) for j in INDICATORS]
    return Sheet("4d Tỷ trọng - Unit shares", "wb_shares_title", shares, headers, _both("d02_tbl_shares_note"))


def target_gaps_sheet(answer) -> Sheet:
    """For each section II target with an indicator: baseline, target and households to reach
    (notebook 03's answer)."""
    gaps = answer.tables["gaps"]
    frame = gaps[["target", "indicator", "unit", "poor", "deprived", "target_pct", "baseline_pct",
                  "gap_households", "met"]].copy()
    frame["unit"] = frame["unit"].replace({DISTRICT: TOTAL})
    frame["baseline_pct"] = frame["baseline_pct"].round(2)
    frame["met"] = frame["met"].map({True: _both("wb_met"), False: _both("wb_not_met")})
    headers = ["wb_target", "wb_indicator", "wb_unit", "wb_poor", "wb_deprived", "wb_target_pct",
               "wb_baseline_pct", "wb_gap", "wb_status"]
    return Sheet("5 Mục tiêu - Target gaps", "wb_gaps_title", frame, headers)


def projection_sheet(answer) -> Sheet:
    """The projection of poor households to 2025 that notebook 03 ran, with the assumptions it ran
    with, its paths starting from the latest observed review; its probability with its range over
    plausible rates, never written as certain."""
    frame = answer.tables["projection"][["year", "reference_point", "households", "mean", "p05", "p50", "p95"]].copy()
    frame["mean"] = frame["mean"].round(1)
    frame["households"] = frame["households"].round(0)
    headers = ["wb_year", "wb_reference_point", "wb_households", "wb_poor_mean", "wb_p05", "wb_p50", "wb_p95"]
    assumptions = ", ".join(f"{k} = {v}" for k, v in answer.params.items())
    low, _, high = answer.values["probability_range"]
    probability = " / ".join(label("wb_probability_range", lang).format(
        p=format_probability(answer.values["probability_target_met"], lang),
        range=ProbabilityRange(low, high).text(lang)) for lang in ("vi", "en"))
    note = f"{_both('wb_probability')}: {probability}. {_both('wb_assumptions')}: {assumptions}."
    start = answer.values["start"]
    if start is not None:
        note += " " + " / ".join(label("t03_fan_start", lang).format(
            review=review_label(start.step, lang), poor=format_number(start.poor, lang)) for lang in ("vi", "en")) + "."
    return Sheet("6 Dự báo - Projection", "wb_projection_title", frame, headers, note)


def records_af_sheet(answer) -> Sheet:
    """Household records: official H, A, M0 per unit and M0 at every cutoff k (deprivations alone).

    From notebook 04's answer (``tables["measures_by_k"]``); its title and source line say the
    records are SYNTHETIC exactly when they are.
    """
    frame = answer.tables["measures_by_k"].round(6)
    frame["unit"] = frame["unit"].replace({DISTRICT: TOTAL})
    ks = [c.removeprefix("M0_k") for c in frame.columns if c.startswith("M0_k")]
    headers: list[Header] = ["wb_unit", "wb_H_official", "wb_A_official", "wb_M0_official"] + [
        tuple(label("wb_m0_at_k", lang).format(k=k) for lang in ("vi", "en")) for k in ks]
    synthetic = answer.synthetic
    return Sheet("7 Mô phỏng AF - Synthetic AF" if synthetic else "7 AF hộ - Records AF",
                 "wb_records_af_title" if synthetic else "wb_records_af_title_records", frame, headers,
                 _both("wb_records_af_note", n=N_INDICATORS), source="wb_source_synthetic" if synthetic else
                 "wb_source_records")


def records_transitions_sheet(answer) -> Sheet:
    """Households by status in two reviews of the same households, and the annual rates they measure.

    From notebook 04's answer (``tables["transitions"]``, ``values["annual_rates"]``); without a
    second review, the sheet says that none was given. SYNTHETIC exactly when either review is.
    """
    headers = ["wb_status_before", *(f"wb_after_{state}" for state in AFTER)]
    if "transitions" not in answer.tables:
        frame = pd.DataFrame(columns=["before", *AFTER])
        return Sheet("8 Chuyển dịch - Moves", "wb_transitions_title_records", frame, headers,
                     _both("wb_transitions_none"), source="wb_source_records")
    frame = answer.tables["transitions"].reset_index()
    frame["before"] = [_both(f"r04_state_{state}") for state in frame["before"]]
    rates = ", ".join(f"{_both(f'r04_rate_{name}')} = {value:.4f}" for name, value in answer.values["annual_rates"].items())
    note = f"{_both('wb_transitions_note', steps=answer.values['steps'])}: {rates}."
    synthetic = answer.values["pair_synthetic"]
    return Sheet("8 Mô phỏng chuyển dịch - Moves" if synthetic else "8 Chuyển dịch - Moves",
                 "wb_transitions_title" if synthetic else "wb_transitions_title_records", frame, headers, note,
                 source="wb_source_synthetic" if synthetic else "wb_source_records")


#: Each notebook's sheets (by its number), in order: each makes its sheet from the notebook's answer.
SHEETS: dict[str, tuple[Callable, ...]] = {"01": (baseline_sheet, audit_sheet), "02": (deprivation_sheet, af_sheet, rule_sheet, ranks_sheet,
                                                                            unit_shares_sheet),
                                           "03": (target_gaps_sheet, projection_sheet),
                                           "04": (records_af_sheet, records_transitions_sheet)}


def sheet_order(sheet: Sheet) -> tuple[int, str]:
    """Where a sheet stands in the workbook: by the number its name starts with, then its letter
    (``4`` before ``4b``).

    Examples:
        >>> sorted(["4b x", "10 y", "4 z"], key=lambda n: sheet_order(Sheet(n, "", pd.DataFrame(), [])))
        ['4 z', '4b x', '10 y']
    """
    head = sheet.name.split()[0]
    digits = head.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits), head[len(digits):]


def sheets_for(answer) -> list[Sheet]:
    """The workbook's sheets made from one notebook's answer (none for a notebook without sheets)."""
    return [make(answer) for make in SHEETS.get(answer.question, ())]


def write_sheets_json(sheets: Iterable[Sheet], path: Path) -> Path:
    """Write sheets as JSON (values as the workbook stores them), for :func:`read_sheets_json`."""
    records = []
    for sheet in sheets:
        record = asdict(sheet)
        record["frame"] = {"columns": [str(c) for c in sheet.frame.columns],
                           "rows": [[_cell(v) for v in row] for row in sheet.frame.itertuples(index=False)]}
        records.append(record)
    Path(path).write_text(json.dumps(records, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return Path(path)


def read_sheets_json(path: Path) -> list[Sheet]:
    """The sheets :func:`write_sheets_json` wrote.

    Examples:
        >>> import tempfile
        >>> sheet = Sheet("1 x", "wb_baseline_title", pd.DataFrame({"a": [1, None]}, dtype=object), ["wb_unit"], "n")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     back = read_sheets_json(write_sheets_json([sheet], Path(folder) / "s.json"))[0]
        >>> back.name, back.frame["a"].tolist(), back.headers
        ('1 x', [1, None], ['wb_unit'])
    """
    sheets = []
    for record in json.loads(Path(path).read_text(encoding="utf-8")):
        table = record.pop("frame")
        frame = pd.DataFrame(table["rows"], columns=table["columns"], dtype=object)
        sheets.append(Sheet(frame=frame, headers=[h if isinstance(h, str) else tuple(h) for h in record.pop("headers")],
                            **record))
    return sheets


def _cell(value):
    """A value openpyxl stores as a number where it is one; missing values as empty cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


#: Number formats as an office reads them: counts grouped, rates with the plan's decimals,
#: shares (fractions: H, A, M0, contributions) as percentages.
COUNT_FORMAT, RATE_FORMAT, SHARE_FORMAT = "#,##0", "0.00", "0.00%"
#: Header keys whose column holds a share between 0 and 1 (written as a percentage).
SHARE_HEADERS = re.compile(r"^wb_(H|A|M0)(_official)?$|^wb_(M0|pop)_share$")
#: Widest a column is made (characters); longer text wraps.
MAX_WIDTH = 60


def value_text(value):
    """A cell as the workbook shows it: an internal code (``total_row``, ``major``) in both languages.

    Examples:
        >>> value_text("major"), value_text(3), value_text("Cam Tuyên")
        ('nghiêm trọng / major', 3, 'Cam Tuyên')
    """
    key = f"wb_value_{value}" if isinstance(value, str) else None
    if key not in LABELS:
        return value
    return label(key, "vi") if label(key, "vi") == label(key, "en") else _both(key)


def number_format(header: Header, values: list, value) -> str | None:
    """The format of ``value`` in a column of ``values``: shares as %, counts grouped, rates with decimals.

    A column of whole numbers is a column of counts; in a column that mixes counts and rates (the
    audit's published and expected values), each whole number (an ``int``) is a count.

    Examples:
        >>> number_format("wb_poor", [1.0, 2.0], 2.0), number_format("wb_published", [108, 1.49], 108)
        ('#,##0', '#,##0')
        >>> number_format("wb_published", [108, 1.49], 1.49), number_format("wb_H", [0.03], 0.03)
        ('0.00', '0.00%')
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if isinstance(header, str) and SHARE_HEADERS.match(header) or isinstance(header, tuple) and header[1].startswith("M0"):
        return SHARE_FORMAT
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if all(float(v).is_integer() for v in numbers) or isinstance(value, int):
        return COUNT_FORMAT
    return RATE_FORMAT


def write_sheet(ws, sheet: Sheet) -> None:
    """Write one sheet: title rows, Vietnamese and English headers, then the data, laid out for print.

    Numbers are stored as numbers with an office's formats (:func:`number_format`); codes are
    written in both languages (:func:`value_text`); columns are as wide as their text up to
    :data:`MAX_WIDTH` characters, longer text wraps; a sheet of more than six columns prints in
    landscape; every sheet prints fitted to the page's width with its header rows repeated.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([label(sheet.title, "vi")])
    ws.append([label(sheet.title, "en")])
    ws.append([_both(sheet.source)])
    if sheet.note:
        ws.append([sheet.note])
    ws.append([])
    header_row = ws.max_row + 1
    headers = sheet.header_pairs()
    ws.append([vi for vi, _ in headers])
    ws.append([en for _, en in headers])
    rows = [[value_text(_cell(v)) for v in row] for row in sheet.frame.itertuples(index=False)]
    for row in rows:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(italic=True)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[header_row + 1]:
        cell.font = Font(italic=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, ((vi, en), header) in enumerate(zip(headers, sheet.headers), start=1):
        column = [row[index - 1] for row in rows]
        letter = get_column_letter(index)
        longest = max([len(str(v)) for v in column if v is not None] + [len(vi), len(en), 8])
        ws.column_dimensions[letter].width = min(longest + 2, MAX_WIDTH)
        for offset, value in enumerate(column):
            cell = ws.cell(row=header_row + 2 + offset, column=index)
            fmt = number_format(header, column, value)
            if fmt:
                cell.number_format = fmt
            elif isinstance(value, str) and len(value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=header_row + 2, column=2)
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.page_setup.orientation = "landscape" if len(headers) > 6 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def normalise_xlsx(path: Path) -> None:
    """Rewrite an .xlsx with fixed timestamps, so the same tables give the same bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


def write_workbook(path: Path, sheets: Iterable[Sheet]) -> Path:
    """Write the workbook of ``sheets`` to ``path``, byte-reproducibly; returns the path.

    Examples:
        >>> import tempfile, openpyxl
        >>> sheet = Sheet("1 x", "wb_baseline_title", pd.DataFrame({"unit": ["Thanh An"], "n": [2693]}),
        ...               ["wb_unit", "wb_households"])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     out = write_workbook(Path(folder) / "t.xlsx", [sheet])
        ...     ws = openpyxl.load_workbook(out).active
        ...     [ws.cell(row=r, column=2).value for r in (5, 6, 7)]
        ['Dân cư (Hộ)', 'Households', 2693]
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        write_sheet(wb.create_sheet(sheet.name), sheet)
    if not wb.sheetnames:  # no notebook gave a sheet: say so rather than write no workbook
        wb.create_sheet("0").append([_both("wb_no_tables")])
    wb.properties.creator = "camlo"
    wb.properties.title = "Cam Lộ: giảm nghèo bền vững 2022–2025 / sustainable poverty reduction 2022–2025"
    wb.save(path)
    normalise_xlsx(path)
    return path
