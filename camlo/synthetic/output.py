"""Where the synthetic records may be written: never over a file camlo did not make.

``python -m camlo synthesize --output FILE`` replaces ``FILE`` only if it does not exist yet or
its sidecar says that camlo synthesized it (``"synthetic": true`` and ``made_by`` naming
``camlo synthesize``): a raw table of the plan, a user's real records or any other file is
refused, and so are a folder and a folder that does not exist (it is never created). The
records and their sidecar are replaced together (:func:`camlo.files.replace_together`).
"""

from __future__ import annotations

import json
from pathlib import Path

from camlo.errors import DataError
from camlo.files import replace_together

SIDECAR_SUFFIX = ".provenance.json"
#: What a sidecar of synthetic records says in ``made_by`` (see the generators' ``sidecar``).
MADE_BY = "camlo synthesize"


def sidecar_of(path: Path) -> Path:
    """The sidecar beside ``path``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def made_by_camlo(path: Path) -> bool:
    """Whether the sidecar beside ``path`` says camlo synthesized it.

    Examples:
        >>> from camlo.paths import DATA_RAW, DATA_SYNTHETIC
        >>> made_by_camlo(DATA_SYNTHETIC / "records_2022.csv"), made_by_camlo(DATA_RAW / "phu_luc_1.csv")
        (True, False)
    """
    try:
        record = json.loads(sidecar_of(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return (isinstance(record, dict) and record.get("synthetic") is True
            and MADE_BY in str(record.get("made_by", "")))


def check_output(path: str | Path) -> Path:
    """The path synthetic records may be written to, or a DataError saying why not.

    Raises:
        DataError: for a folder, a folder that does not exist (or is a file), or a file (or a
            sidecar) that camlo did not synthesize.
    """
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{str(path)!r} is a folder; give the CSV file to write, e.g. "
                        f"{str(path / 'records.csv')!r}", file=path)
    folder = path.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise DataError(f"the folder {str(folder)!r} {what}; create it first (synthesize never creates "
                        "folders)", file=path)
    if (path.exists() or sidecar_of(path).exists()) and not made_by_camlo(path):
        raise DataError("the file exists and camlo did not synthesize it (its sidecar does not say so): "
                        "synthesize never overwrites other data; choose a new file name", file=path)
    return path


def write_records(path: Path, data: bytes, record: dict) -> None:
    """Write the records and their sidecar together, after :func:`check_output`.

    Raises:
        DataError: as :func:`check_output`, or when the file system refuses the write (the
            old files are then left as they were).
    """
    path = check_output(path)
    side = sidecar_of(path)
    try:
        replace_together({path: data,
                          side: (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")})
    except OSError as exc:
        raise DataError(f"cannot be written ({exc.strerror or exc}); the old files are as they were",
                        file=exc.filename or path) from None
