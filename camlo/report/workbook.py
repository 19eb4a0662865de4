"""The Excel workbook for district reports: key tables with Vietnamese and English headers.

Each sheet opens with a title, a line saying where the numbers come from, then two header
rows, Vietnamese (as in the plan's annex tables) above English, and the data below as
numbers (never text), ready to paste into a district report.

The file is byte-reproducible: openpyxl stamps the save time into ``docProps/core.xml`` and
the zip entries, so :func:`normalise_xlsx` rewrites both with a fixed date (the plan's date).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FIXED_TIME = (2022, 2, 18, 0, 0, 0)
FIXED_ISO = "2022-02-18T00:00:00Z"
SOURCE = "Nguồn / Source: Kế hoạch 23/KH-UBND ngày 18/02/2022, UBND huyện Cam Lộ; tính toán của camlo / computed by camlo"


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, bilingual title, and a frame whose columns are (vi, en) pairs."""

    name: str
    title_vi: str
    title_en: str
    frame: pd.DataFrame
    headers: list[tuple[str, str]]
    note: str = ""


def baseline_sheet() -> Sheet:
    """Phụ lục 1 per unit and for the district, rates recomputed, CSGN published and reconciled."""
    from camlo.clean.annexes import load_households

    hh = load_households()
    rows = hh[["commune", "households", "dtts_households", "poor", "btxh", "csgn", "csgn_reconciled"]].copy()
    total = rows.drop(columns="commune").sum()
    rows = pd.concat([rows, pd.DataFrame([{"commune": "Tổng", **total.to_dict()}])], ignore_index=True)
    rows.insert(4, "poor_pct", (100 * rows["poor"] / rows["households"]).round(2))
    rows.insert(5, "poor_published_pct", [*hh["poor_published_pct"], math.nan])
    headers = [
        ("Đơn vị", "Unit"), ("Dân cư (Hộ)", "Households"), ("Hộ DTTS", "Ethnic-minority households"),
        ("Hộ nghèo", "Poor households"), ("Tỷ lệ % (tính lại)", "Poverty rate % (recomputed)"),
        ("Tỷ lệ % (công bố)", "Poverty rate % (published)"), ("Hộ BTXH", "Poor on social protection (BTXH)"),
        ("CSGN (công bố)", "Poor able to escape, CSGN (published)"),
        ("CSGN (đã đối chiếu)", "CSGN (reconciled)"),
    ]
    fixes = "; ".join(f"{r.commune} {r.csgn} -> {r.csgn_reconciled} (= {r.poor} - {r.btxh_reconciled})"
                      for r in hh[hh["split_reconciled"]].itertuples())
    note = (f"CSGN đã đối chiếu / CSGN reconciled: {fixes or 'none'}. Xem sheet Kiểm tra / see the Audit sheet.")
    return Sheet("1 Cơ sở - Baseline", "Hộ nghèo đầu năm 2022 theo đơn vị", "Poor households at the start of 2022, by unit",
                 rows, headers, note)


def audit_sheet() -> Sheet:
    """The audit's findings: every inconsistency in the published tables, with its resolution."""
    from camlo.consistency.checks import audit

    findings = audit()
    frame = findings[["check", "table", "commune", "column", "published", "expected", "difference",
                      "severity", "message", "resolution"]]
    headers = [("Kiểm tra", "Check"), ("Bảng", "Table"), ("Đơn vị", "Unit"), ("Cột", "Column"),
               ("Công bố", "Published"), ("Tính lại", "Expected"), ("Chênh lệch", "Difference"),
               ("Mức độ", "Severity"), ("Mô tả", "Message"), ("Cách xử lý", "Resolution")]
    return Sheet("2 Kiểm tra - Audit", "Kiểm tra tính nhất quán của số liệu công bố",
                 "Consistency of the published figures", frame, headers)


def deprivation_sheet() -> Sheet:
    """Share of each unit's poor households deprived in each indicator, in %."""
    from camlo.clean.annexes import indicators, load_deprivations

    dep = load_deprivations()
    ind = indicators().set_index("indicator")
    wide = dep.pivot(index="commune", columns="indicator", values="deprived").loc[dep["commune"].unique()]
    poor = dep.groupby("commune", sort=False)["poor"].first()
    wide.loc["Tổng"] = wide.sum()
    poor.loc["Tổng"] = poor.sum()
    rates = (100 * wide.div(poor, axis=0)).round(1).reset_index()
    rates.insert(1, "poor", poor.values)
    headers = [("Đơn vị", "Unit"), ("Tổng số hộ nghèo", "Poor households")] + [
        (f"{j}. {ind.loc[j, 'name_vi']}", f"{j}. {ind.loc[j, 'name_en']}") for j in range(1, 13)]
    return Sheet("3 Thiếu hụt - Deprivation", "Tỷ lệ hộ nghèo thiếu hụt các chỉ số dịch vụ xã hội cơ bản (%)",
                 "Poor households deprived in each indicator (% of the unit's poor households)", rates, headers)


def af_sheet() -> Sheet:
    """Alkire–Foster measures per unit and for the district (equal indicator weights)."""
    from camlo.measures.af import af_measures

    measures = af_measures()
    unit_level = measures[measures["indicator"].isna() & measures["dimension"].isna()]
    wide = unit_level.pivot(index="unit", columns="measure", values="value").loc[unit_level["unit"].unique()]
    frame = wide[["H", "A", "M0", "M0_share", "pop_share"]].round(6).reset_index()
    frame["unit"] = frame["unit"].replace({"district": "Tổng"})
    headers = [("Đơn vị", "Unit"), ("Tỷ lệ nghèo H", "Headcount ratio H"),
               ("Cường độ thiếu hụt A", "Intensity A"), ("Chỉ số M0 (H × A)", "Adjusted headcount ratio M0"),
               ("Tỷ trọng trong M0 toàn huyện", "Share of district M0"), ("Tỷ trọng số hộ", "Share of households")]
    note = ("Trọng số bằng nhau 1/12 cho mỗi chỉ số; A = tổng số thiếu hụt / (12 × số hộ nghèo) / "
            "Equal weights 1/12 per indicator; A = deprivations / (12 × poor households).")
    return Sheet("4 Chỉ số AF - AF measures", "Chỉ số nghèo đa chiều Alkire–Foster theo đơn vị",
                 "Alkire–Foster measures by unit", frame, headers, note)


def target_gaps_sheet() -> Sheet:
    """For each section II target with an indicator: baseline, target and households to reach."""
    from camlo.targets.plan import target_gaps

    gaps = target_gaps()
    frame = gaps[["target", "indicator", "commune", "poor", "deprived", "target_pct", "baseline_pct",
                  "gap_households", "met"]].copy()
    frame["commune"] = frame["commune"].replace({"district": "Tổng"})
    frame["baseline_pct"] = frame["baseline_pct"].round(2)
    frame["met"] = frame["met"].map({True: "Đạt / met", False: "Chưa đạt / not met"})
    headers = [("Mục tiêu", "Target"), ("Chỉ số", "Indicator"), ("Đơn vị", "Unit"), ("Hộ nghèo", "Poor households"),
               ("Hộ thiếu hụt", "Households deprived"), ("Chỉ tiêu 2025 (%)", "2025 target (%)"),
               ("Hiện trạng 2022 (%)", "2022 baseline (%)"), ("Số hộ cần hỗ trợ", "Households to reach"),
               ("Đánh giá", "Status")]
    return Sheet("5 Mục tiêu - Target gaps", "Khoảng cách đến các chỉ tiêu năm 2025",
                 "Gaps to the 2025 targets", frame, headers)


def projection_sheet() -> Sheet:
    """The projection of poor households to 2025 under the default assumptions."""
    from camlo.targets.projection import ProjectionParameters, project_poverty

    params = ProjectionParameters()
    result = project_poverty(params)
    frame = result.quantiles()[["year", "reference_point", "households", "mean", "p05", "p50", "p95"]].copy()
    frame["mean"] = frame["mean"].round(1)
    frame["households"] = frame["households"].round(0)
    headers = [("Năm", "Year"), ("Thời điểm", "Reference point"), ("Số hộ", "Households"),
               ("Hộ nghèo (trung bình)", "Poor households (mean)"), ("Phân vị 5%", "5th percentile"),
               ("Trung vị", "Median"), ("Phân vị 95%", "95th percentile")]
    assumptions = ", ".join(f"{k} = {v}" for k, v in vars(params).items())
    note = (f"Xác suất đạt mục tiêu / probability of meeting the target: "
            f"{result.probability_target_met:.3f}. Giả định / assumptions: {assumptions}.")
    return Sheet("6 Dự báo - Projection", "Dự báo số hộ nghèo đến năm 2025 (mô phỏng Monte Carlo)",
                 "Projected poor households to 2025 (Monte Carlo)", frame, headers, note)


#: The sheets, in order.
SHEETS: list[Callable[[], Sheet]] = [baseline_sheet, audit_sheet, deprivation_sheet, af_sheet,
                                     target_gaps_sheet, projection_sheet]


def _cell(value):
    """A value openpyxl stores as a number where it is one; missing values as empty cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def write_sheet(ws, sheet: Sheet) -> None:
    """Write one sheet: title rows, Vietnamese and English headers, then the data."""
    from openpyxl.styles import Alignment, Font

    ws.append([sheet.title_vi])
    ws.append([sheet.title_en])
    ws.append([SOURCE])
    if sheet.note:
        ws.append([sheet.note])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append([vi for vi, _ in sheet.headers])
    ws.append([en for _, en in sheet.headers])
    for row in sheet.frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(italic=True)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[header_row + 1]:
        cell.font = Font(italic=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, (vi, en) in enumerate(sheet.headers, start=1):
        width = min(max(len(vi), len(en), 8) + 2, 48)
        ws.column_dimensions[ws.cell(row=header_row, column=index).column_letter].width = width
    ws.freeze_panes = ws.cell(row=header_row + 2, column=2)


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


def write_workbook(path: Path, sheets: list[Callable[[], Sheet]] | None = None) -> Path:
    """Write the workbook of key tables to ``path``; returns the path.

    Examples:
        >>> import tempfile, openpyxl
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     out = write_workbook(Path(folder) / "t.xlsx", [baseline_sheet])
        ...     ws = openpyxl.load_workbook(out).active
        ...     [ws.cell(row=r, column=2).value for r in (6, 7, 8)]
        ['Dân cư (Hộ)', 'Households', 2693]
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for make in sheets or SHEETS:
        sheet = make()
        write_sheet(wb.create_sheet(sheet.name), sheet)
    wb.properties.creator = "camlo"
    wb.properties.title = "Cam Lộ: giảm nghèo bền vững 2022–2025 / sustainable poverty reduction 2022–2025"
    wb.save(path)
    normalise_xlsx(path)
    return path
