"""What a report is built from, as content hashes: the build redoes a notebook only when they change.

A notebook's **key** is the sha256 of its inputs, each itself a sha256 of file contents:

- ``notebook``: the ``.ipynb`` file;
- ``camlo``: every file of the package (its code, ``labels.csv`` and the report templates),
  as one digest over their paths and contents;
- ``requirements.lock``: the exact versions of every library, with the Python version;
- ``data/…``: each data file the notebook's kernel opened when it last ran. The kernel records
  them itself (:func:`start_recording`, an audit hook on ``open``), so a new observed review
  rebuilds notebook 03 and nothing else.

Nothing else goes in (no dates, no paths of the machine), so the same inputs give the same key
on any machine. The data files a notebook reads can only change when the notebook or the
package changes, and both are in the key.

The **data version** printed on each report is a short digest of the data files it read.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from camlo.paths import DATA, PROJECT_ROOT

PACKAGE = Path(__file__).resolve().parents[1]
LOCK = PROJECT_ROOT / "requirements.lock"

_READS: set[str] = set()


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_of(entries: Mapping[str, str]) -> str:
    """One sha256 over named digests, independent of their order.

    Examples:
        >>> digest_of({"a": "1", "b": "2"}) == digest_of({"b": "2", "a": "1"})
        True
    """
    return hashlib.sha256(json.dumps(dict(sorted(entries.items())), separators=(",", ":")).encode()).hexdigest()


def package_files(root: Path = PACKAGE) -> list[Path]:
    """Every file of the package that can change what a report shows (no caches)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix not in (".pyc", ".pyo"))


def package_digest(root: Path = PACKAGE) -> str:
    """One digest over the package's files: their paths (relative to it) and contents."""
    return digest_of({p.relative_to(root).as_posix(): sha256_file(p) for p in package_files(root)})


def lock_digest(lock: Path = LOCK) -> str:
    """The locked library versions and the Python version (``major.minor``)."""
    content = sha256_file(lock) if lock.exists() else "missing"
    return digest_of({"requirements.lock": content, "python": "%d.%d" % sys.version_info[:2]})


def relative(path: Path) -> str:
    """``path`` relative to the project, with forward slashes."""
    return Path(path).resolve().relative_to(PROJECT_ROOT).as_posix()


def file_digests(paths: Iterable[str]) -> dict[str, str]:
    """sha256 of each project-relative path; ``"missing"`` for a file that is gone."""
    found = {}
    for name in sorted(set(paths)):
        path = PROJECT_ROOT / name
        found[name] = sha256_file(path) if path.is_file() else "missing"
    return found


def notebook_inputs(notebook: Path, data_files: Iterable[str], *, package: str | None = None,
                    lock: str | None = None) -> dict[str, str]:
    """The named digests a notebook's key is made of (see the module's docstring)."""
    return {
        "notebook": sha256_file(notebook),
        "camlo": package if package is not None else package_digest(),
        "requirements.lock": lock if lock is not None else lock_digest(),
        **file_digests(data_files),
    }


def data_version(inputs: Mapping[str, str]) -> str:
    """A short digest of the data files among ``inputs`` (what the report's numbers come from).

    Examples:
        >>> data_version({"notebook": "x", "data/raw/a.csv": "1"}) == data_version({"data/raw/a.csv": "1"})
        True
    """
    return digest_of({k: v for k, v in inputs.items() if k.startswith("data/")})[:12]


# --- Recording the data files a kernel reads ------------------------------------------------------


def start_recording(folder: Path = DATA) -> None:
    """From now on, remember every file under ``folder`` that this process opens.

    Installed in each notebook's kernel when it starts (an audit hook cannot be removed, and
    each notebook gets a fresh kernel).
    """
    root = str(Path(folder).resolve())

    def hook(event: str, args: tuple) -> None:
        if event == "open" and args and isinstance(args[0], (str, Path)):
            path = str(args[0])
            if path.startswith(root) or (not path.startswith("/") and str(Path(path).resolve()).startswith(root)):
                _READS.add(str(Path(path).resolve()))

    sys.addaudithook(hook)


def recorded_reads() -> list[str]:
    """The data files opened since :func:`start_recording`, relative to the project, sorted."""
    return sorted({relative(Path(p)) for p in _READS if Path(p).is_file()})
