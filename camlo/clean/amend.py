"""Recording a deliberate addition to a raw file (a later review's rows) in its provenance sidecar.

``python -m camlo record FILE --source …`` (:func:`record_addition`): the file is validated by
every loader that reads it (:mod:`camlo.clean.registry`) before its new checksum is recorded
(:mod:`camlo.clean.provenance`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from camlo.clean.parsing import check_file
from camlo.clean.provenance import added_bytes, read_sidecar, sidecar_path
from camlo.clean.registry import validate_file
from camlo.errors import DataError
from camlo.files import lock_path, locked, write_atomic


def _holds_rows(added: bytes) -> bool:
    """Whether added bytes hold a row with a value (not only blank lines, spaces, commas, quotes)."""
    return bool(added.strip(b" \t\r\n,\""))


def _check_readable(path: Path) -> None:
    """Refuse a missing file, a folder or another non-regular file, saying so (before its sidecar)."""

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

        failed = Path(exc.filename or side)
        if failed == path:
            raise DataError(f"the file cannot be read ({exc.strerror or exc})", file=path) from None
        what = "its lock file cannot be created" if failed == lock_path(path) else "the sidecar cannot be written"
        raise DataError(f"{what} ({exc.strerror or exc}); nothing was recorded and the sidecar is as it was",
                        file=side) from None
    return record
