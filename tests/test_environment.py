"""pyproject.toml, environment.yml and requirements.lock list the same dependencies, in step."""

from __future__ import annotations

import re
import tomllib

from camlo.paths import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject_dependencies() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return {_name(r) for r in project["dependencies"] + extras}


def environment_dependencies() -> dict[str, str]:
    """Dependencies of environment.yml as {name: version}: conda ones and pinned pip ones (python and pip left out)."""
    deps: dict[str, str] = {}
    in_deps = False
    for line in (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        match = (re.fullmatch(r"  - ([A-Za-z0-9_.-]+)(?:=([^=\s]+))?", line)
                 or re.fullmatch(r"      - ([A-Za-z0-9_.-]+)==([^=\s]+)(?:  #.*)?", line))  # pip-only ones
        if in_deps and match and match.group(1) not in ("python", "pip"):
            deps[match.group(1).lower()] = match.group(2)
    return deps


def lock_versions() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def test_environment_lists_the_same_dependencies_as_pyproject():
    assert set(environment_dependencies()) == pyproject_dependencies()


def test_environment_versions_match_the_lock():
    lock = lock_versions()
    for name, version in environment_dependencies().items():
        assert version == lock[name], name


def test_lock_pins_every_dependency_exactly():
    lock = lock_versions()
    assert pyproject_dependencies() <= set(lock)


def test_environment_installs_the_package_itself():
    text = (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "conda-forge" in text and "- -e ." in text
