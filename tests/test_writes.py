"""Commands that write lose nothing: atomic writes, a lock for `record`, no overwriting of others' data,
and one-line messages (never a traceback) when a write or the output fails.

Fault injection: each write of ``record`` and ``synthesize`` is made to fail at each step (the
write of the new bytes, their flush to disk, each rename), and the files are then found in
their old state, whole, with no temporary file left beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import camlo.files
from camlo import DataError
from camlo.clean.amend import record_addition
from camlo.clean.provenance import read_sidecar, sha256, sidecar_path
from camlo.files import lock_path, locked, replace_together, write_atomic
from camlo.paths import DATA_RAW, PROJECT_ROOT
from camlo.synthetic.output import check_output

SOURCE = "Quyết định x/QĐ-UBND (example)"
ROW = "2024,end-of-year review,district,290,400,15100\n"


def camlo_command(*args: str, **options) -> subprocess.CompletedProcess:
    """``python -m camlo ARGS`` in a process of its own, run from the project's folder."""
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([sys.executable, "-m", "camlo", *args], cwd=PROJECT_ROOT, text=True, timeout=120,
                          **options)


def assert_one_line(stderr: str, *says: str) -> None:
    """A failure is said in one line that starts with ``camlo:``, without a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("camlo: "), stderr
    for part in says:
        assert part in lines[0], stderr


@pytest.fixture
def raw(tmp_path) -> Path:
    """A copy of data/raw/ to record additions in."""
    folder = tmp_path / "raw"
    shutil.copytree(DATA_RAW, folder)
    return folder


def extended(raw: Path, row: str = ROW) -> Path:
    path = raw / "observed_reviews.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(row)
    return path


def files_beside(path: Path) -> set[str]:
    """What a folder holds besides its lock files."""
    return {p.name for p in path.parent.iterdir() if not p.name.endswith(".lock")}


# --- the helpers -----------------------------------------------------------------------------------


class Boom(OSError):
    pass


def failing(name: str, after: int = 0):
    """A replacement for ``os.<name>`` that fails on its call number ``after`` (0: the first)."""
    original = getattr(os, name)
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) == after + 1:
            raise Boom(28, "No space left on device")
        return original(*args, **kwargs)

    return fake


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_write_atomic_cut_short_leaves_the_old_file(tmp_path, monkeypatch, step):
    target = tmp_path / "a.json"
    target.write_bytes(b'{"old": true}\n')
    if step == "write":
        monkeypatch.setattr(camlo.files.os, "fdopen", lambda *a, **k: _FailingFile(a[0]))
    else:
        monkeypatch.setattr(camlo.files.os, step, failing(step))
    with pytest.raises(OSError):
        write_atomic(target, b'{"new": true}\n' * 1000)
    assert target.read_bytes() == b'{"old": true}\n'
    assert files_beside(target) == {"a.json"}


class _FailingFile:
    """A file object whose write stops half-way with a full disk."""

    def __init__(self, handle: int):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.close(self.handle)

    def write(self, data: bytes):
        os.write(self.handle, data[: len(data) // 2])
        raise Boom(28, "No space left on device")


@pytest.mark.parametrize("failing_call", [0, 1, 2, 3])
def test_replace_together_leaves_both_old_files_or_both_new(tmp_path, monkeypatch, failing_call):
    data, side = tmp_path / "r.csv", tmp_path / "r.csv.provenance.json"
    data.write_bytes(b"old data\n")
    side.write_bytes(b"old sidecar\n")
    calls = {"replace": 0}
    original = os.replace

    def replace(source, target):
        calls["replace"] += 1
        # renames: staged data, staged sidecar; then the undo renames of the backups
        if calls["replace"] == failing_call + 1 and Path(target).name in ("r.csv", "r.csv.provenance.json") \
                and ".old" not in str(source):
            raise Boom(5, "Input/output error")
        return original(source, target)

    monkeypatch.setattr(camlo.files.os, "replace", replace)
    try:
        replace_together({data: b"new data\n", side: b"new sidecar\n"})
    except Boom:
        assert (data.read_bytes(), side.read_bytes()) == (b"old data\n", b"old sidecar\n")
    else:
        assert (data.read_bytes(), side.read_bytes()) == (b"new data\n", b"new sidecar\n")
    assert files_beside(data) == {"r.csv", "r.csv.provenance.json"}


def test_a_read_only_file_is_not_replaced_even_by_root(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"{}")
    target.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        write_atomic(target, b"[]")
    assert target.read_bytes() == b"{}"


def test_the_lock_serialises_and_gives_up_after_its_timeout(tmp_path):
    target = tmp_path / "a.csv"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from camlo.files import locked\n"
        f"with locked({str(target)!r}):\n    print('held', flush=True); time.sleep(3)\n")],
        stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(TimeoutError):
            with locked(target, timeout=0.3):
                pass
    finally:
        holder.wait(timeout=30)
    with locked(target, timeout=0.3):  # released when the holder ended
        assert lock_path(target).exists()


# --- record ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "after"), [("fsync", 0), ("replace", 0), ("fdopen", 0)])
def test_record_cut_short_leaves_the_old_sidecar(raw, monkeypatch, name, after):
    path = extended(raw)
    before = sidecar_path(path).read_bytes()
    listing = files_beside(path)
    if name == "fdopen":
        monkeypatch.setattr(camlo.files.os, "fdopen", lambda *a, **k: _FailingFile(a[0]))
    else:
        monkeypatch.setattr(camlo.files.os, name, failing(name, after))
    with pytest.raises(DataError, match="sidecar cannot be written .*sidecar is as it was"):
        record_addition(path, SOURCE, "2026-12-20")
    assert sidecar_path(path).read_bytes() == before
    assert files_beside(path) == listing
    monkeypatch.undo()
    record = record_addition(path, SOURCE, "2026-12-20")  # and it can be recorded afterwards
    assert read_sidecar(path) == record


def test_record_under_a_file_size_limit_keeps_the_old_sidecar(raw):
    """`ulimit -f 2`: the new sidecar cannot be written whole; the old one stays, and no traceback."""
    path = extended(raw)
    before = sidecar_path(path).read_bytes()
    assert len(before) > 2048

    def limit():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    done = camlo_command("record", str(path), "--source", SOURCE, preexec_fn=limit,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 2
    assert_one_line(done.stderr, "sidecar cannot be written", "File too large")
    assert sidecar_path(path).read_bytes() == before
    assert json.loads(before)["sha256"] != sha256(path)


SLOW_RECORD = """
import sys, time
import camlo.clean.registry as registry
validate = registry.validate_file
def slow(path):
    validate(path)
    time.sleep(0.5)  # every run has read the sidecar and validated the file before any writes
registry.validate_file = slow
from camlo.__main__ import run
sys.exit(run(["record", sys.argv[1], "--source", sys.argv[2]]))
"""


def test_three_records_at_once_lose_no_source(raw):
    """Three `record` runs at once are serialised: each source reported recorded is in the sidecar,
    and the runs that find the addition already recorded say so (exit 2), never "recorded"."""
    path = extended(raw)
    amendments = len(read_sidecar(path)["amendments"])
    runs = [subprocess.Popen([sys.executable, "-c", SLOW_RECORD, str(path), f"{SOURCE} #{n}"], cwd=PROJECT_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(3)]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    recorded = [n for n, (code, out, _) in enumerate(results) if code == 0 and out.startswith("recorded")]
    sources = [a["source"] for a in read_sidecar(path)["amendments"]]
    assert len(recorded) == 1, results
    assert sources[amendments:] == [f"{SOURCE} #{n}" for n in recorded]
    for code, _, err in (results[n] for n in range(3) if n not in recorded):
        assert code == 2
        assert_one_line(err, "unchanged since its recorded checksum")
    assert read_sidecar(path)["sha256"] == sha256(path)


def test_record_checks_the_ethnic_minority_counts_against_the_reviews(raw):
    dtts = raw / "observed_reviews_dtts.csv"
    before = sidecar_path(dtts).read_bytes()
    with dtts.open("a", encoding="utf-8") as handle:
        handle.write("2024,end-of-year review,district,10,30\n")  # no 2024 row in observed_reviews.csv
    with pytest.raises(DataError, match="no row for this review and unit in observed_reviews.csv"):
        record_addition(dtts, SOURCE, "2026-12-20")
    assert sidecar_path(dtts).read_bytes() == before
    extended(raw)  # with the review's row, both can be recorded
    record_addition(raw / "observed_reviews.csv", SOURCE, "2026-12-20")
    assert record_addition(dtts, SOURCE, "2026-12-20")["sha256"] == sha256(dtts)


@pytest.mark.parametrize("addition", ["\n", "\n\n \n", ",,,,,\n", '"","","","","",""\n'])
def test_record_refuses_an_addition_of_blank_lines(raw, addition):
    path = extended(raw, addition)
    before = sidecar_path(path).read_bytes()
    with pytest.raises(DataError, match="the addition holds no row"):
        record_addition(path, SOURCE, "2026-12-20")
    assert sidecar_path(path).read_bytes() == before


def test_record_on_a_missing_file_or_a_folder_says_so(tmp_path):
    done = camlo_command("record", str(tmp_path / "observed_reviews.csv"), "--source", SOURCE)
    assert done.returncode == 2
    assert_one_line(done.stderr, "file not found")
    assert "sidecar" not in done.stderr
    (tmp_path / "folder.csv").mkdir()
    done = camlo_command("record", str(tmp_path / "folder.csv"), "--source", SOURCE)
    assert done.returncode == 2
    assert_one_line(done.stderr, "is a folder")


def test_record_with_a_read_only_sidecar_says_so_and_writes_nothing(raw):
    path = extended(raw)
    sidecar_path(path).chmod(0o444)
    before = sidecar_path(path).read_bytes()
    done = camlo_command("record", str(path), "--source", SOURCE)
    assert done.returncode == 2
    assert_one_line(done.stderr, "sidecar cannot be written", "read-only")
    assert sidecar_path(path).read_bytes() == before


# --- synthesize ------------------------------------------------------------------------------------


def test_synthesize_never_overwrites_a_raw_table_or_a_users_records(raw, tmp_path):
    table = raw / "phu_luc_1.csv"
    before = table.read_bytes(), sidecar_path(table).read_bytes()
    done = camlo_command("synthesize", "--review", "2022", "--output", str(table))
    assert done.returncode == 2
    assert_one_line(done.stderr, "camlo did not synthesize it")
    assert (table.read_bytes(), sidecar_path(table).read_bytes()) == before
    mine = tmp_path / "ra_soat_2022.csv"
    mine.write_bytes(b"household_id,unit\n")  # a user's file, no sidecar
    with pytest.raises(DataError, match="did not synthesize it"):
        check_output(mine)
    assert mine.read_bytes() == b"household_id,unit\n"
    alone = tmp_path / "new.csv"
    sidecar_path(alone).write_text('{"file": "new.csv"}', encoding="utf-8")  # someone's sidecar, no file
    with pytest.raises(DataError, match="did not synthesize it"):
        check_output(alone)


def test_synthesize_refuses_a_folder_and_a_missing_folder(tmp_path):
    done = camlo_command("synthesize", "--review", "2022", "--output", str(tmp_path))
    assert done.returncode == 2
    assert_one_line(done.stderr, "is a folder")
    missing = tmp_path / "not" / "there" / "records.csv"
    done = camlo_command("synthesize", "--review", "2023", "--output", str(missing))
    assert done.returncode == 2
    assert_one_line(done.stderr, "does not exist; create it first")
    assert not (tmp_path / "not").exists()


def test_synthesize_replaces_its_own_file_together_with_its_sidecar(tmp_path, monkeypatch):
    from camlo.synthetic.review_2022 import write_synthetic_2022

    path = write_synthetic_2022(tmp_path / "records.csv", seed=1)
    before = path.read_bytes(), sidecar_path(path).read_bytes()
    original, calls = os.replace, []

    def replace(source, target):  # the sidecar's rename fails, after the records' succeeded
        calls.append(target)
        if Path(target) == sidecar_path(path) and ".old" not in str(source):
            raise Boom(5, "Input/output error")
        return original(source, target)

    monkeypatch.setattr(camlo.files.os, "replace", replace)
    with pytest.raises(DataError, match="cannot be written .*old files are as they were"):
        write_synthetic_2022(path, seed=2)
    assert (path.read_bytes(), sidecar_path(path).read_bytes()) == before
    assert files_beside(path) == {"records.csv", "records.csv.provenance.json"}
    monkeypatch.undo()
    write_synthetic_2022(path, seed=2)  # a file camlo made is replaced, with its sidecar
    assert path.read_bytes() != before[0]
    assert json.loads(sidecar_path(path).read_text(encoding="utf-8"))["seed"] == 2


# --- the output of a command -----------------------------------------------------------------------


def test_audit_into_a_closed_pipe_ends_quietly():
    process = subprocess.Popen([sys.executable, "-m", "camlo", "audit", "--all"], cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(10)  # like `head -c 10`: read a little, then stop reading
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, stderr
    assert stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_verify_into_a_full_device_says_so_in_one_line():
    with open("/dev/full", "w") as full:
        done = camlo_command("verify", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert_one_line(done.stderr, "cannot write the standard output", "No space left on device")
