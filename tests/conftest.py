"""Shared fixtures: copies of the raw tables that a test can break on purpose."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from camlo.paths import DATA_RAW


@pytest.fixture
def raw_text():
    """Read a shipped raw file's text by name."""
    return lambda name: (DATA_RAW / name).read_text(encoding="utf-8")


@pytest.fixture
def write_table(tmp_path: Path):
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def project_state() -> dict[str, tuple[int, int]]:
    """Every file of the project that git sees (tracked, or untracked and not ignored): mtime and size."""
    from camlo.paths import PROJECT_ROOT

    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    state = {}
    for name in filter(None, listed):
        path = PROJECT_ROOT / name
        if path.is_file():
            stat = path.stat()
            state[name] = (stat.st_mtime_ns, stat.st_size)
    return state


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full report build into a temporary folder, shared by the tests.

    ``root / "project_before"`` and ``"project_after"`` hold the project's state around it.
    """
    import json

    from camlo.report.build import build

    root = tmp_path_factory.mktemp("build")
    before = project_state()
    assert build(output=root / "reports") == 0
    (root / "project_before.json").write_text(json.dumps(before), encoding="utf-8")
    (root / "project_after.json").write_text(json.dumps(project_state()), encoding="utf-8")
    return root
