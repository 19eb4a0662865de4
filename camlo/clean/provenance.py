"""Provenance sidecars and the checksums that guard the raw files.

Every file in ``data/raw/`` has a sidecar ``<name>.provenance.json`` saying where it comes from
(document, number, date, issuing body, section or annex, date transcribed) and its sha256.
:func:`verify_checksums` recomputes each checksum; a raw file edited after transcription, or
one without a sidecar, fails loudly.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from camlo.errors import DataError
from camlo.paths import DATA_RAW, DATA_REFERENCE

SIDECAR_SUFFIX = ".provenance.json"
REQUIRED_KEYS = ("file", "document", "number", "date", "issuing_body", "section", "transcribed", "sha256")


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of ``path`` lives.

    Examples:
        >>> sidecar_path(Path("data/raw/phu_luc_1.csv")).name
        'phu_luc_1.csv.provenance.json'
    """
    return Path(path).with_name(Path(path).name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict:
    """The provenance record of the data file ``path``.

    Raises:
        DataError: if the sidecar is missing, not JSON, lacks a key or names another file.
    """
    side = sidecar_path(path)
    if not side.exists():
        raise DataError("no provenance sidecar", file=path, column=side.name)
    try:
        record = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"sidecar is not valid JSON in UTF-8 ({exc})", file=side) from None
    except OSError as exc:
        raise DataError(f"sidecar cannot be read ({exc.strerror or exc})", file=side) from None
    if not isinstance(record, dict):
        raise DataError(f"sidecar holds a JSON {type(record).__name__}, expected an object of "
                        f"{', '.join(REQUIRED_KEYS)}", file=side)
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        raise DataError(f"sidecar lacks {', '.join(missing)}", file=side, column=missing[0])
    if record["file"] != Path(path).name:
        raise DataError(f"sidecar describes {record['file']!r}", file=side, column="file")
    return record


def added_bytes(path: Path, digest: str, data: bytes | None = None) -> bytes | None:
    """What was added at the end of ``path`` since it was the file of sha256 ``digest``.

    Each prefix of the file that ends a line (and the whole file) is hashed: one of them must
    be the recorded file, so that earlier lines were left exactly as they were.

    Returns:
        The bytes after the recorded prefix (``b""`` for an unchanged file), or ``None`` if
        no prefix of the file is the recorded file.
    """
    data = Path(path).read_bytes() if data is None else data
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")] + [len(data)]
    for end in ends:
        if hashlib.sha256(data[:end]).hexdigest() == digest:
            return data[end:]
    return None


def appended_to(path: Path, digest: str) -> bool:
    """Whether the file ``path`` is the file of sha256 ``digest`` with whole lines added at its end.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder) / "t.csv"
        ...     _ = path.write_bytes(b"a,b\\n1,2\\n")
        ...     before = sha256(path)
        ...     _ = path.write_bytes(b"a,b\\n1,2\\n3,4\\n")
        ...     added = appended_to(path, before)
        ...     _ = path.write_bytes(b"a,b,c\\n1,2,\\n3,4,\\n")
        ...     added, appended_to(path, before)
        (True, False)
    """
    return added_bytes(path, digest) is not None


def _holds_rows(added: bytes) -> bool:
    """Whether added bytes hold a row with a value (not only blank lines, spaces, commas, quotes)."""
    return bool(added.strip(b" \t\r\n,\""))


def _check_readable(path: Path) -> None:
    """Refuse a missing file, a folder or another non-regular file, saying so (before its sidecar)."""
    from camlo.clean.parsing import check_file

    check_file(path, max_bytes=None)


def record_addition(path: Path, source: str, today: str) -> dict:
    """Record a deliberate addition to a raw file (a later review's rows) in its sidecar.

    The old checksum and the source of the new rows go into the sidecar's ``amendments``
    list, and ``sha256`` takes the file's new checksum. Only for files meant to grow, such as
    ``observed_reviews.csv``, and only for rows added at the end (:func:`appended_to`); a
    transcription of the plan is never amended.

    The file is read with its loader first, and with the files read together with it (the
    ethnic-minority counts with the reviews they complete; see :mod:`camlo.clean.registry`):
    a file the loader refuses gets no new checksum, and its sidecar is left as it was.

    The sidecar is never rewritten in place: the new one is written beside it and renamed over
    it (:func:`camlo.files.write_atomic`), so that a write cut short leaves the old sidecar.
    Runs on the same file are serialised (:func:`camlo.files.locked`): the second reads the
    sidecar the first wrote, and finds the addition already recorded.

    Args:
        path: The raw file, already extended.
        source: Where the new rows come from (document, number, date and issuing body).
        today: The date of the addition, ISO format.

    Returns:
        The updated provenance record.

    Raises:
        DataError: if the file is missing, a folder or not a regular file, if it is a
            transcription of the plan (never amended), if its earlier lines changed (rows are
            appended, never edited), if the addition holds no row (blank lines only), if its
            loader refuses it (naming file, row and column), if the source is blank, or if the
            sidecar cannot be written (read-only, a full disk), which is then left as it was.
    """
    from camlo.clean.registry import validate_file
    from camlo.files import locked, write_atomic

    path = Path(path)
    _check_readable(path)
    side = sidecar_path(path)
    try:
        with locked(path):
            record = read_sidecar(path)
            if not record.get("appendable"):
                raise DataError("this file is a transcription of the plan and is never amended", file=path,
                                column="appendable")
            if not source.strip():
                raise DataError("the source of the new rows is blank; name the document, number, date and "
                                "issuing body", file=path)
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest == record["sha256"]:
                raise DataError("the file is unchanged since its recorded checksum: add the new rows first "
                                "(or they are recorded already)", file=path)
            added = added_bytes(path, record["sha256"], data)
            if added is None:
                raise DataError(f"the file no longer begins with the bytes recorded (sha256 "
                                f"{record['sha256'][:16]}…): rows may be added at its end, earlier lines never "
                                "edited (a new column is a new file)", file=path, column="sha256")
            if not _holds_rows(added):
                raise DataError("the addition holds no row, only blank lines or empty cells: a source is "
                                "recorded for the rows it gives", file=path)
            validate_file(path)
            record.setdefault("amendments", []).append(
                {"date": today, "source": source, "sha256_before": record["sha256"]})
            record["sha256"] = digest
            write_atomic(side, (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except TimeoutError as exc:
        raise DataError(f"another camlo record is writing this file ({exc.strerror}); try again when it "
                        "ends", file=path) from None
    except OSError as exc:
        from camlo.files import lock_path

        failed = Path(exc.filename or side)
        if failed == path:
            raise DataError(f"the file cannot be read ({exc.strerror or exc})", file=path) from None
        what = "its lock file cannot be created" if failed == lock_path(path) else "the sidecar cannot be written"
        raise DataError(f"{what} ({exc.strerror or exc}); nothing was recorded and the sidecar is as it was",
                        file=side) from None
    return record


def data_files(directory: Path) -> list[Path]:
    """The data files of a folder (everything but sidecars), sorted."""
    return sorted(p for p in Path(directory).iterdir()
                  if p.is_file() and not p.name.endswith(SIDECAR_SUFFIX) and not p.name.startswith("."))


def verify_checksums(raw: Path = DATA_RAW, reference: Path = DATA_REFERENCE) -> dict[str, str]:
    """Check every raw file (and every reference file with a sidecar) against its sha256.

    Returns:
        ``{file name: sha256}`` for every file verified.

    Raises:
        DataError: naming the file whose bytes differ from its recorded checksum, or the raw
            file that has no sidecar.

    Examples:
        >>> "phu_luc_1.csv" in verify_checksums()
        True
    """
    checked = {}
    files = data_files(raw) + [p for p in data_files(reference) if sidecar_path(p).exists()]
    for path in files:
        record = read_sidecar(path)
        actual = sha256(path)
        if actual != record["sha256"]:
            raise DataError(
                f"sha256 {actual} differs from the recorded {record['sha256']}: raw data must not be "
                "edited; put corrections in code", file=path, column="sha256")
        checked[path.name] = actual
    return checked
