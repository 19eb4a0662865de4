"""The package's import graph: every import goes down the stages, and no module imports itself round.

Every ``import`` counts, at the top of a module or inside a function (an import inside a
function hides a dependency, it does not remove it). The stages, from the bottom:

- shared names (``errors``, ``paths``, ``constants``, ``files``) import nothing of camlo but each other;
- ``text`` (labels, numbers, sentences) imports only the shared names;
- ``clean`` → ``consistency`` → ``measures`` → ``targets`` → ``synthetic`` each import the stages below;
- ``charts`` only draw: they import the shared names, ``text`` and each other's style, nothing
  that computes;
- ``answers`` import the computing stages (not the charts, not the reports);
- ``report`` may import everything; ``camlo/__init__.py`` and ``__main__.py`` are the entry points.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "camlo"
SHARED = {"errors", "paths", "constants", "files"}
COMPUTING = ["clean", "consistency", "measures", "targets", "synthetic"]
ALLOWED: dict[str, set[str]] = {
    **{name: SHARED for name in SHARED},
    "text": SHARED,
    **{stage: SHARED | {"text"} | set(COMPUTING[:i]) for i, stage in enumerate(COMPUTING)},
    "charts": SHARED | {"text"},
    "answers": SHARED | {"text", *COMPUTING},
    "report": SHARED | {"text", *COMPUTING, "charts", "answers"},
}
ENTRY_POINTS = {"camlo", "camlo.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every camlo module ``path`` imports (``from camlo.x import y`` counts ``camlo.x.y`` if it is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("camlo")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("camlo"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args \
                and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith("camlo"):
            found.add(node.args[0].value)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}


def stage(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_every_import_goes_down_the_stages():
    upward = sorted(f"{module} imports {target}" for module, targets in graph().items()
                    if module not in ENTRY_POINTS and stage(module) in ALLOWED
                    for target in targets
                    if stage(target) != stage(module) and stage(target) not in ALLOWED[stage(module)])
    assert upward == []


def test_every_module_belongs_to_a_stage():
    assert sorted({stage(m) for m in graph()} - set(ALLOWED) - ENTRY_POINTS - {"__main__"}) == []


def test_no_import_cycle():
    edges = graph()
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [node, target]) if target in trail
                              else f"{node} -> {target}")
            elif target not in state:
                visit(target, trail + [node])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    assert cycles == []


@pytest.mark.parametrize("source", ["from camlo.charts import style\n", "import camlo.report.build\n"])
def test_the_check_sees_an_upward_import(tmp_path, source):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert any(stage(m) not in ALLOWED["measures"] for m in imports(path))
