"""Checksums guard the raw files; every raw file has a provenance sidecar."""

from __future__ import annotations

import json
import shutil

import pytest

from camlo import DataError
from camlo.clean.provenance import (
    REQUIRED_KEYS,
    data_files,
    read_sidecar,
    sha256,
    sidecar_path,
    verify_checksums,
)
from camlo.paths import DATA_RAW


def test_every_raw_file_matches_its_checksum():
    checked = verify_checksums()
    assert {p.name for p in data_files(DATA_RAW)} <= set(checked)


@pytest.mark.parametrize("path", data_files(DATA_RAW), ids=lambda p: p.name)
def test_sidecar_is_complete(path):
    record = read_sidecar(path)
    for key in REQUIRED_KEYS:
        assert record[key], key
    assert record["sha256"] == sha256(path)


def test_an_edited_raw_file_is_caught(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    path = raw / "phu_luc_1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2.693", "2.694"), encoding="utf-8")
    with pytest.raises(DataError, match="must not be edited") as caught:
        verify_checksums(raw=raw, reference=tmp_path)
    assert caught.value.file == "phu_luc_1.csv"


def test_a_raw_file_without_sidecar_is_caught(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    (raw / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(DataError, match="no provenance sidecar"):
        verify_checksums(raw=raw, reference=tmp_path)


def test_sidecar_naming_another_file_is_caught(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x\n", encoding="utf-8")
    sidecar_path(path).write_text(json.dumps({k: "b.csv" for k in REQUIRED_KEYS}), encoding="utf-8")
    with pytest.raises(DataError, match="describes 'b.csv'"):
        read_sidecar(path)


def test_recording_an_added_review(tmp_path):
    from camlo.clean.amend import record_addition

    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    path = raw / "observed_reviews.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2022,end-of-year review,district,430,600,15000\n")
    with pytest.raises(DataError, match="must not be edited"):
        verify_checksums(raw=raw, reference=tmp_path)
    record = record_addition(path, "Quyết định x/QĐ-UBND (example)", "2026-12-20")
    assert record["amendments"][-1]["source"] == "Quyết định x/QĐ-UBND (example)"
    assert "observed_reviews.csv" in verify_checksums(raw=raw, reference=tmp_path)


def test_the_plan_transcription_is_never_amended(tmp_path):
    from camlo.clean.amend import record_addition

    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    with pytest.raises(DataError, match="never amended"):
        record_addition(raw / "phu_luc_1.csv", "anything", "2026-12-20")


def test_recording_refuses_a_file_whose_earlier_lines_changed(tmp_path):
    """Raw data is appended to, never edited: a new column rewrites every line and is refused."""
    from camlo.clean.amend import record_addition
    from camlo.clean.provenance import appended_to

    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    path = raw / "observed_reviews.csv"
    before = read_sidecar(path)["sha256"]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",poor_dtts", *(line + "," for line in lines[1:])]) + "\n",
                    encoding="utf-8")
    assert not appended_to(path, before)
    with pytest.raises(DataError, match="earlier lines never edited") as caught:
        record_addition(path, "anything", "2026-12-20")
    assert caught.value.file == "observed_reviews.csv"
    assert read_sidecar(path)["sha256"] == before  # the sidecar is left as it was


def test_the_public_end_2023_result_is_recorded_with_its_source_and_caveat():
    for name in ("observed_reviews.csv", "observed_reviews_dtts.csv"):
        record = read_sidecar(DATA_RAW / name)
        assert record["appendable"] is True
        source = record["amendments"][-1]["source"]
        assert "VietnamNet" in source and "Cam Lộ tích cực triển khai các hoạt động giảm nghèo bền vững đa chiều" in source
        assert "end-of-2023 review" in source and "đến nay" in source
def _raw_copy(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    return raw / "observed_reviews.csv"


@pytest.mark.parametrize(("row", "says"), [
    ("2023,end-of-year review,district,4.00.0,,", "row '2023 end-of-year review / district', column 'poor'"),
    ("2023,end-of-year review,Cam Lo,40,,", "column 'commune': unknown unit 'Cam Lo'"),
    ("2023.5,end-of-year review,district,400,,", "column 'year': expected a year"),
])
def test_record_refuses_a_file_its_loader_refuses_and_writes_nothing(tmp_path, capsys, row, says):
    from camlo.__main__ import main

    path = _raw_copy(tmp_path)
    sidecar = sidecar_path(path)
    before = sidecar.read_bytes()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    assert main(["record", str(path), "--source", "Quyết định x/QĐ-UBND (example)"]) == 2
    err = capsys.readouterr().err
    assert "observed_reviews.csv" in err and says in err, err
    assert sidecar.read_bytes() == before


def test_record_accepts_a_valid_addition(tmp_path, capsys):
    from camlo.__main__ import main

    path = _raw_copy(tmp_path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2024,end-of-year review,district,290,400,15100\n")
    assert main(["record", str(path), "--source", "Quyết định x/QĐ-UBND (example)"]) == 0
    record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert record["sha256"] == sha256(path) and record["amendments"][-1]["source"] == "Quyết định x/QĐ-UBND (example)"
    assert capsys.readouterr().out.startswith("recorded: observed_reviews.csv")


def test_record_refuses_an_unchanged_file_and_a_blank_source(tmp_path):
    from camlo.clean.amend import record_addition

    path = _raw_copy(tmp_path)
    with pytest.raises(DataError, match="unchanged since its recorded checksum"):
        record_addition(path, "Quyết định x/QĐ-UBND (example)", "2026-12-20")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2024,end-of-year review,district,290,400,15100\n")
    with pytest.raises(DataError, match="source of the new rows is blank"):
        record_addition(path, "  ", "2026-12-20")


def test_a_sidecar_that_is_not_a_json_object_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x\n", encoding="utf-8")
    sidecar_path(path).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(DataError, match="holds a JSON list"):
        read_sidecar(path)
    sidecar_path(path).write_bytes(b"\xff\xfe{")
    with pytest.raises(DataError, match="not valid JSON in UTF-8"):
        read_sidecar(path)
