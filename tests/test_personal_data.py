"""Personal data never leaves the loader: a review's household codes, names, ID-card and phone
numbers, and a note about a person in a header, appear in no product of a build of its records.

One build of notebook 04 on a user's file (every tenth household of the shipped synthetic
review, with a code of its own and three personal columns); every file the build writes
(reports with and without code, PDF text, the workbook's cells, the manifest, the sheets, the
index, the SVG files) and what it prints are searched for every personal value.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from camlo.paths import DATA_SYNTHETIC, NOTEBOOKS
from camlo.report.build import build

NOTE = "Ghi chú: ông Tèo nợ tiền"  # a header that carries a note about a person


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> tuple[Path, list[str]]:
    """A user's records with personal values in every personal column, and those values."""
    folder = tmp_path_factory.mktemp("review")
    with (DATA_SYNTHETIC / "records_2022.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[::10]
    secrets: list[str] = []
    path = folder / "ho_ngheo_xa.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        columns = ["household_id", "Họ và tên chủ hộ", "Số CCCD", "Số điện thoại", NOTE, *list(rows[0])[1:]]
        writer = csv.writer(handle)
        writer.writerow(columns)
        for i, row in enumerate(rows):
            personal = [f"0792{i:08d}", f"Nguyễn Văn Tèo{i:04d}", f"0381{i:08d}", f"0912{i:06d}", f"nợ {i:05d} đồng"]
            secrets += personal
            writer.writerow([*personal, *list(row.values())[1:]])
    return path, secrets


@pytest.fixture(scope="module")
def products(review, tmp_path_factory):
    path, _ = review
    output = tmp_path_factory.mktemp("built") / "reports"
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build(output=output, notebooks=[NOTEBOOKS / "04_household_records.ipynb"],
                     params={"records_path": str(path)})
    assert code == 0, err.getvalue()
    return output, out.getvalue() + err.getvalue()


def texts(folder: Path) -> dict[str, str]:
    """Every product's text: pages, manifest, sheets, index, SVG; the workbook's XML; the PDFs' text."""
    found = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = file.relative_to(folder).as_posix()
        if file.suffix in (".html", ".json", ".svg", ".txt") or file.name.startswith("."):
            found[name] = file.read_text(encoding="utf-8", errors="replace")
        elif file.suffix == ".xlsx":
            with zipfile.ZipFile(file) as book:
                found[name] = "\n".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
        elif file.suffix == ".pdf":
            pypdf = pytest.importorskip("pypdf")
            found[name] = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(file).pages)
    return found


def test_no_personal_value_reaches_any_product(review, products):
    _, secrets = review
    output, printed = products
    everything = {**texts(output), "(what the build printed)": printed}
    assert len(everything) > 10
    leaks = sorted({(name, secret) for name, text in everything.items() for secret in secrets if secret in text})
    assert leaks == []
    assert not any(NOTE in text or "Tèo" in text for text in everything.values())


def test_the_search_would_see_a_leak(review, products):
    """The records were read (the build reports on them), so a value that leaked would be found."""
    _, secrets = review
    output, _ = products
    report = (output / "04_household_records.en.html").read_text(encoding="utf-8")
    assert re.search(r"1,491|1.491", report)  # the households of the file, counted
    assert secrets[0] not in report and "0792" + "0" * 8 in secrets[0]
