"""Shared fixtures: copies of the raw tables that a test can break on purpose."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full report build into a temporary folder (reports and figures), shared by the tests."""
    from camlo.report.build import build

    root = tmp_path_factory.mktemp("build")
    assert build(output=root / "reports", figures=root / "figures") == 0
    return root
