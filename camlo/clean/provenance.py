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
