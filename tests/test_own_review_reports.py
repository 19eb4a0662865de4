"""A commune's own review of every shape, rendered as a user renders it: through papermill and
through ``python -m camlo build --records FILE [--compare FILE] [--tables FOLDER] --output DIR``.

Four user folders cover the shapes of a commune's own review, each rendered once by the build
(no PDFs) and once by papermill, so that one run checks several shapes:

- ``pair``: two units (Cam Thành, Cam Hiếu), a second review of the same households, and the
  user's own tables in the plan's layout for those two units (feeding notebooks 01–03 too);
- ``successor``: a successor commune's own review (xã Hiếu Giang, dated after 1 July 2025);
- ``partial``: all 8 units, 6 of them without a poor household;
- ``office``: one commune, a handful of households, no ``status_recorded`` column, as an office
  keeps them (an XLSX with a form's title rows, Vietnamese headers and personal columns).

Every number checked is worked out here from the rows and tables the test wrote; every report
is checked for the synthetic label (none: no sidecar says these files are synthetic), for a
traceback, for an empty part of a sentence, for the personal values the file carried, and the
repository is checked to be as it was.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from camlo.paths import NOTEBOOKS, PROJECT_ROOT
from test_own_review import PLAN_UNITS, households, later_review
from test_records_offices import PERSONAL, TITLES, office, to_xlsx

PATHS = 300
SENSITIVITY = 40
#: The synthetic label in each language, as the shipped records' products carry it.
SYNTHETIC_LABEL = ("SYNTHETIC records (made up", "SYNTHETIC household records", "not real data",
                   "không phải số liệu thật", "không phải dữ liệu thật", "MÔ PHỎNG")
#: An empty part of a sentence, once the report's HTML is read as text (a table's missing cell,
#: NaN, is not a sentence's: sentences are checked for it in test_own_review_tables.py).
EMPTY = re.compile(r":\s*\.|\(\s*\)|\s,\s*,|\{|\}")

# --- The user's tables for two units (households, poor, BTXH, CSGN; deprivations 1-12) ---------------

TABLE_UNITS = {"Cam Thành": (2300, 40, 30, 10, [12, 20, 2, 25, 3, 1, 2, 4, 1, 15, 28, 9]),
               "Cam Hiếu": (1800, 50, 41, 9, [18, 30, 3, 31, 2, 0, 1, 3, 2, 14, 33, 17])}
NEAR_POOR = 120
T01 = 19  # the user's target: every CSGN household (10 + 9) out of poverty by 2025


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def write_tables(folder: Path) -> Path:
    """The two units' tables in the plan's layout: Phụ lục 1 with its printed total row, Phụ lục 2
    without one (the loader sums the units), section I and section II for those units."""
    folder.mkdir()
    rows = [f"{unit},{_thousands(n)},,{poor},{100 * poor / n:.2f},,,{btxh},{100 * btxh / n:.2f},{csgn},"
            f"{100 * csgn / n:.2f}" for unit, (n, poor, btxh, csgn, _) in TABLE_UNITS.items()]
    n, poor, btxh, csgn = (sum(v[i] for v in TABLE_UNITS.values()) for i in range(4))
    (folder / "phu_luc_1.csv").write_text(
        "Đơn vị,Dân cư (Hộ),Hộ DTTS,Hộ nghèo,Tỷ lệ %,Trong đó,,,,,\n,,,,,DTTS,Tỷ lệ %,Hộ BTXH,Tỷ lệ %,CSGN,Tỷ lệ %\n"
        + "\n".join(rows) + f"\nTổng,{_thousands(n)},,{poor},{100 * poor / n:.2f},,,{btxh},,{csgn},\n",
        encoding="utf-8")
    (folder / "phu_luc_2.csv").write_text(
        "Stt,Đơn vị,Tổng số hộ nghèo,Chỉ số thiếu hụt DVXH cơ bản HỘ NGHÈO,,,,,,,,,,,\n,,," + ",".join(
            map(str, range(1, 13))) + "\n" + "".join(
            f"{i},xã {unit},{poor},{','.join(map(str, deprived))}\n"
            for i, (unit, (_, poor, _, _, deprived)) in enumerate(TABLE_UNITS.items(), start=1)), encoding="utf-8")
    pct = lambda count: f"{100 * count / n:.2f}".replace(".", ",")  # noqa: E731
    headline = {"households": (n, ""), "dtts_households": (0, ""), "poor_and_near_poor": (poor + NEAR_POOR, ""),
                "poor": (poor, pct(poor)), "dtts_poor": (0, ""), "btxh": (btxh, pct(btxh)),
                "csgn": (csgn, pct(csgn)), "near_poor": (NEAR_POOR, pct(NEAR_POOR))}
    (folder / "section_1_headline.csv").write_text("key,phrase,count,rate_pct\n" + "".join(
        f'{key},"{count} hộ",{_thousands(count)},"{rate}"\n' for key, (count, rate) in headline.items()),
        encoding="utf-8")
    shipped = (PROJECT_ROOT / "data" / "raw" / "section_2_targets.csv").read_text(encoding="utf-8")
    (folder / "section_2_targets.csv").write_text(shipped.replace(
        "giảm 108 hộ nghèo (tương đương giảm từ 0,15 – 0,22%)",
        f"giảm {T01} hộ nghèo (tương đương giảm từ 0,10 – 0,15%)"), encoding="utf-8")
    return folder


# --- Rendering --------------------------------------------------------------------------------------


def _porcelain() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True).stdout


def read_html(path: Path) -> str:
    """A report's visible text (no style, script or image data), its tags dropped."""
    text = re.sub(r"(?s)<style.*?</style>|<script.*?</script>|<img[^>]*>", " ", path.read_text(encoding="utf-8"))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def notebook_text(path: Path) -> tuple[str, list[str]]:
    """An executed notebook's outputs as text, and the names of any errors among them."""
    import nbformat

    shown, errors = [], []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append(output.get("ename", "error"))
            shown.append(output.get("text", ""))
            for value in output.get("data", {}).values():
                if isinstance(value, str) and not value.startswith(("iVBOR", "<?xml")):
                    shown.append(value)
    return "\n".join(shown), errors


FOLDERS = {
    "pair": {"records": "first.csv", "compare": "second.csv", "tables": "tables"},
    "successor": {"records": "hieu_giang.csv", "params": {"records_date": "2025-12-31"}},
    "partial": {"records": "district.csv"},
    "office": {"records": "ds_ho_cam_nghia.xlsx"},
}


def write_inputs(folder: Path) -> dict:
    """Each shape's files, and the frames they were written from."""
    first = households(["Cam Thành", "Cam Hiếu"], 9)
    second = later_review(first)
    first.to_csv(folder / "first.csv", index=False)
    second.to_csv(folder / "second.csv", index=False)
    write_tables(folder / "tables")
    successor = households(["xã Hiếu Giang"], 12)
    successor.to_csv(folder / "hieu_giang.csv", index=False)
    partial = households(PLAN_UNITS, 6, poor_units={"Thanh An", "Cam Hiếu"})
    partial.to_csv(folder / "district.csv", index=False)
    handful = households(["Cam Nghĩa"], 5, status=False).assign(unit="xã Cam Nghĩa")
    to_xlsx(office(handful), folder / "ds_ho_cam_nghia.xlsx", titles=TITLES)
    return {"pair": (first, second), "successor": (successor,), "partial": (partial,), "office": (handful,)}


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Each folder built by ``python -m camlo build`` and run by papermill, with the repository's
    ``git status`` before and after."""
    papermill = pytest.importorskip("papermill")
    root = tmp_path_factory.mktemp("own_reports")
    frames = write_inputs(root)
    before = _porcelain()
    done = {}
    for name, spec in FOLDERS.items():
        params = {"n_paths": PATHS, **spec.get("params", {})}
        flags = [*("--records", str(root / spec["records"])),
                 *(("--compare", str(root / spec["compare"])) if "compare" in spec else ()),
                 *(("--tables", str(root / spec["tables"])) if "tables" in spec else ())]
        output = root / f"{name}_reports"
        run = subprocess.run([sys.executable, "-m", "camlo", "build", *flags, "--output", str(output), "--no-pdf",
                              "-p", f"n_paths={PATHS}",
                              *(("-p", f"sensitivity_paths={SENSITIVITY}") if "tables" in spec else ()),
                              *(a for k, v in spec.get("params", {}).items() for a in ("-p", f"{k}={v}"))],
                             cwd=root, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-3000:]
        given = {"records_path": str(root / spec["records"]), **params}
        if "compare" in spec:
            given["compare_path"] = str(root / spec["compare"])
        if "tables" in spec:
            given["tables_path"] = str(root / spec["tables"])
        runs = {"04": given}
        if "tables" in spec:  # the tables feed notebooks 01-03 too
            runs |= {"01": {"tables_path": given["tables_path"]}, "02": {"tables_path": given["tables_path"]},
                     "03": {"tables_path": given["tables_path"], "n_paths": PATHS, "sensitivity_paths": SENSITIVITY}}
        executed = {}
        for number, parameters in runs.items():
            source = next(NOTEBOOKS.glob(f"{number}_*.ipynb"))
            out = root / f"{name}_{source.name}"
            papermill.execute_notebook(str(source), str(out), cwd=str(root), parameters=parameters,
                                       progress_bar=False, log_output=False, kernel_name="python3")
            executed[number] = notebook_text(out)
        done[name] = {"frames": frames[name], "output": output, "papermill": executed}
    return done, before, _porcelain()


def reports(done, name: str, number: str) -> dict[str, str]:
    """The English and Vietnamese reports of a notebook in a folder's build, as text."""
    output = done[name]["output"]
    source = next(NOTEBOOKS.glob(f"{number}_*.ipynb")).stem
    return {lang: read_html(output / f"{source}.{lang}.html") for lang in ("en", "vi")}


def test_the_repository_is_left_as_it_was(rendered):
    _, before, after = rendered
    assert after == before


@pytest.mark.parametrize("name", list(FOLDERS))
def test_every_product_is_free_of_the_synthetic_label_of_tracebacks_and_of_empty_parts(rendered, name):
    done, _, _ = rendered
    output = done[name]["output"]
    pages = sorted(output.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "04_household_records.en.html", "04_household_records.vi.html"}
    assert ("01_baseline.en.html" in {p.name for p in pages}) == (name == "pair")  # only the tables feed 01-03
    for page in pages:
        text = read_html(page)
        assert "Traceback" not in text and not re.search(r"\b[A-Z]\w*Error\b", text), page.name
        assert not any(label in text for label in SYNTHETIC_LABEL), page.name
        if page.name.endswith((".en.html", ".vi.html")):  # the reports for readers: sentences only
            assert not EMPTY.search(text), (page.name, EMPTY.search(text))
    for number, (text, errors) in done[name]["papermill"].items():
        assert not errors, (name, number, errors)
        assert "Traceback" not in text and not any(label in text for label in SYNTHETIC_LABEL), (name, number)


def test_two_units_with_a_second_review_and_their_own_tables(rendered):
    done, _, _ = rendered
    first, second = done["pair"]["frames"]
    n, poor = (sum(v[i] for v in TABLE_UNITS.values()) for i in range(2))
    csgn = sum(v[3] for v in TABLE_UNITS.values())
    covers = "These tables cover 2 of the plan's 8 units (Cam Thành and Cam Hiếu)"
    # notebook 01: the tables' own households and poor, said to be those of the 2 units
    first_report = reports(done, "pair", "01")["en"]
    assert covers in first_report
    assert f"{n:,} households" in first_report and f"{poor} of them were poor ({100 * poor / n:.2f}%)" in first_report
    assert "Các bảng này gồm 2 trên 8 đơn vị" in reports(done, "pair", "01")["vi"]
    # notebook 02: H over the 2 units' households
    assert f"{100 * poor / n:.2f}% of households are poor (H = {poor / n:.4f})" in reports(done, "pair", "02")["en"]
    # notebook 03: the user's target, from the tables' baseline; no observed review given, the district's not read
    third = reports(done, "pair", "03")
    assert f"The {T01} are the district's CSGN households." in third["en"]
    assert f"leaving {poor - T01} poor households" in third["en"]
    assert ("No observed review was given with these tables: the projection starts from the tables' baseline "
            f"(start of 2022: {poor} poor households, {poor - T01} to reach by the end of 2025)") in third["en"]
    assert f"dự báo bắt đầu từ số liệu đầu kỳ của các bảng (đầu năm 2022: {poor} hộ nghèo" in third["vi"]
    assert "311 poor households" not in third["en"]  # the district's end-2023 count, from the shipped observed reviews
    assert "are left out (1)" not in third["en"]  # no district review is read, so none is left out
    assert T01 == csgn
    # notebook 04: the records, compared with the user's tables, projected from the second review
    fourth = reports(done, "pair", "04")["en"]
    assert "This review covers 2 of the plan's 8 units (Cam Thành and Cam Hiếu)" in fourth
    second_poor = int((second["status_recorded"] == "poor").sum())
    assert f"Starting from the second review's {second_poor} poor households (step 2)" in fourth
    assert f"their baseline of {poor}" in fourth
    assert f"Of the {int((first['status_recorded'] == 'poor').sum())} poor households" in fourth
    papermill_text = done["pair"]["papermill"]["01"][0]
    assert covers in papermill_text and f"{n:,} households" in papermill_text
    assert f"leaving {poor - T01} poor households" in done["pair"]["papermill"]["03"][0]
    assert f"(start of 2022: {poor} poor households" in done["pair"]["papermill"]["03"][0]
    index = read_html(done["pair"]["output"] / "index.html")
    assert index.count(covers) == 3  # the findings of notebooks 01, 02 and 03
    assert f"The plan asks for {T01} fewer poor households by the end of 2025 ({poor} to {poor - T01})" in index


def test_a_successor_communes_review(rendered):
    done, _, _ = rendered
    (frame,) = done["successor"]["frames"]
    poor = int((frame["status_recorded"] == "poor").sum())
    for text in (reports(done, "successor", "04")["en"], done["successor"]["papermill"]["04"][0]):
        assert "Hiếu Giang commune: 1 of the 2 communes" in text
        assert f"Officially, H = {100 * poor / len(frame):.2f}%" in text
        assert "No second review was given" in text


def test_units_without_a_poor_household(rendered):
    done, _, _ = rendered
    (frame,) = done["partial"]["frames"]
    poor = int((frame["status_recorded"] == "poor").sum())
    without = [u for u in PLAN_UNITS if not (frame.loc[frame["unit"] == u, "status_recorded"] == "poor").any()]
    assert len(without) == 6
    for text in (reports(done, "partial", "04")["en"], done["partial"]["papermill"]["04"][0]):
        assert "The records cover the whole district" in text
        assert "have no poor household" in text and "Cam Lộ township, Cam Thành" in text
        assert f"Of the {poor} poor households" in text


def test_a_handful_of_an_offices_households_without_recorded_status(rendered):
    done, _, _ = rendered
    (frame,) = done["office"]["frames"]
    from test_own_review import standard_poor

    poor = int(standard_poor(frame).sum())
    english, vietnamese = reports(done, "office", "04").values()
    for text in (english, done["office"]["papermill"]["04"][0]):
        assert "covers 1 of the plan's 8 units (Cam Nghĩa)" in text
        assert f"Only {len(frame)} households" in text
        assert "The file has no `status_recorded` column" in text or "no status_recorded column" in text
        assert f"The loader left out {len(PERSONAL)} column(s)" in text
        assert f"Officially, H = {100 * poor / len(frame):.2f}%" in text
    assert f"{len(PERSONAL)} cột không thuộc mẫu dữ liệu hộ đã được loại bỏ" in vietnamese
    for page in done["office"]["output"].rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".csv", ".svg"):
            content = page.read_text(encoding="utf-8", errors="replace")
            assert not any(value in content for value in PERSONAL.values()), page.name
            assert not any(code in content for code in frame["household_id"] if len(code) > 3), page.name
    workbook = pd.ExcelFile(done["office"]["output"] / "camlo_tables.xlsx")
    for sheet in workbook.sheet_names:
        cells = pd.read_excel(workbook, sheet, header=None).astype(str).to_numpy().ravel()
        assert not set(PERSONAL.values()) & set(cells), sheet
