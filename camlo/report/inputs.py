"""What a report is built from, as content hashes: the build redoes a notebook only when they change.

A notebook's **key** is the sha256 of its inputs, each itself a sha256 of file contents:

- ``notebook``: the ``.ipynb`` file;
- ``camlo``: every file of the package (its code, ``labels.csv`` and the report templates),
  as one digest over their paths and contents;
- ``requirements.lock``: the exact versions of every library, with the Python version;
- its data files, as its answer module declares them (``inputs(params)``, see
  :mod:`camlo.answers`): a shipped file by its path in the project (``data/raw/…``), a file
  given as a parameter by the parameter's name (``records_path``). A new observed review
  rebuilds only the notebooks that declare the reviews; ``tests/test_answers.py`` checks that
  every file an answer opens is declared.

Nothing else goes in (no dates, no paths of the machine), so the same inputs give the same key
on any machine.

The **data version** printed on each report is a short digest of its data files.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from camlo.paths import PROJECT_ROOT

PACKAGE = Path(__file__).resolve().parents[1]
LOCK = PROJECT_ROOT / "requirements.lock"
#: Inputs of a key that are not data files.
NOT_DATA = ("notebook", "camlo", "requirements.lock", "parameters")


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


def file_digests(files: Mapping[str, Path]) -> dict[str, str]:
    """sha256 of each named file; ``"missing"`` for a file that is not there (or is not a file)."""
    return {name: sha256_file(path) if Path(path).is_file() else "missing" for name, path in sorted(files.items())}


def notebook_inputs(notebook: Path, data_files: Mapping[str, Path], *, package: str | None = None,
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
    return digest_of({k: v for k, v in inputs.items() if k not in NOT_DATA})[:12]
