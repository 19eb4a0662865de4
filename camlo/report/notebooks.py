"""The numbered notebooks as the build and the figures command read them: parameters, answers, inputs.

A notebook names its answer module in its metadata (``{"camlo": {"answer":
"camlo.answers.baseline"}}``); that module declares the data files the notebook reads
(``inputs(params)``) and computes its answer on the shipped data (``run(params)``). A
notebook's ``parameters`` cell (tagged ``parameters``, as papermill expects) holds its
parameters and their defaults.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from camlo.paths import DATA, NOTEBOOKS, PROJECT_ROOT

#: The tag of a notebook's parameters cell, and of the cell the build injects after it.
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"


class BuildError(RuntimeError):
    """The build cannot start: a bad output folder or parameter (named in the message)."""


def numbered_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks to render, in order: ``NN_name.ipynb``.

    Examples:
        >>> [p.name for p in numbered_notebooks()][:1]
        ['01_baseline.ipynb']
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def read_notebook(path: Path):
    """The notebook at ``path`` (nbformat v4)."""
    import nbformat

    return nbformat.read(path, as_version=4)


def _parameters_cell(nb) -> int | None:
    return next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
                 and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])), None)


def notebook_parameters(nb) -> dict[str, Any]:
    """The names its ``parameters`` cell assigns, with their values where they are literals.

    Examples:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook()
        >>> nb.cells = [nbformat.v4.new_code_cell("seed = 7\\npath = None  # a file", metadata={"tags": ["parameters"]})]
        >>> notebook_parameters(nb)
        {'seed': 7, 'path': None}
    """
    index = _parameters_cell(nb)
    if index is None:
        return {}
    found = {}
    for node in ast.parse(nb.cells[index].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                found[node.targets[0].id] = None
    return found


def parse_parameter(text: str, cwd: Path | None = None) -> tuple[str, Any]:
    """``NAME=VALUE`` as given to ``build -p``: the value as a Python literal, else as text.

    A name ending in ``_path`` names a file or folder, resolved against ``cwd`` (the caller's
    working directory).

    Examples:
        >>> parse_parameter("csgn_exit=0.45"), parse_parameter("label=end 2024")
        (('csgn_exit', 0.45), ('label', 'end 2024'))
        >>> parse_parameter("records_path=x.csv", Path("/data"))
        ('records_path', '/data/x.csv')
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise BuildError(f"a parameter is given as NAME=VALUE, got {text!r}")
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        parsed = value
    if name.endswith("_path") and parsed is not None:
        parsed = str((Path(cwd or Path.cwd()) / str(parsed)).resolve())
    return name, parsed


def applicable_parameters(nb, given: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of ``given`` that this notebook's ``parameters`` cell defines."""
    defined = notebook_parameters(nb)
    return {name: value for name, value in sorted(given.items()) if name in defined}


def inject_parameters(nb, params: Mapping[str, Any]) -> None:
    """Add a cell setting ``params`` after the notebook's ``parameters`` cell (as papermill does)."""
    import nbformat

    if not params:
        return
    index = _parameters_cell(nb)
    lines = ["# Parameters of this build"] + [f"{name} = {value!r}" for name, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    nb.cells.insert(index + 1, cell)


def answer_module(nb):
    """The module of :mod:`camlo.answers` the notebook's metadata names (``camlo.answer``), or ``None``."""
    name = nb.metadata.get("camlo", {}).get("answer")
    return importlib.import_module(name) if name else None


def declared_inputs(nb, params: Mapping[str, Any]) -> dict[str, Path]:
    """The data files the notebook reads, by name: its answer module's ``inputs(params)``.

    A notebook without an answer module is taken to read every file under ``data/``.
    """
    module = answer_module(nb)
    if module is None:
        return {p.relative_to(PROJECT_ROOT).as_posix(): p for p in sorted(DATA.rglob("*")) if p.is_file()}
    return dict(module.inputs({**notebook_parameters(nb), **params}))


#: A notebook's parameters that must be given for a user's files to feed it: a notebook on
#: household records is rendered on the user's tables or later review only with the user's
#: records, never on the shipped synthetic ones.
NEEDED = ("records_path",)


def notebooks_taking(params: Mapping[str, Any], folder: Path = NOTEBOOKS) -> list[Path]:
    """The numbered notebooks whose ``parameters`` cell defines one of ``params``' names (the
    notebooks a user's files feed, e.g. ``records_path``: notebook 04), leaving out a notebook
    one of whose :data:`NEEDED` parameters is not given.

    Examples:
        >>> [p.name for p in notebooks_taking({"records_path": "mine.csv"})]
        ['04_household_records.ipynb']
        >>> [p.name for p in notebooks_taking({"tables_path": "mine"})]
        ['01_baseline.ipynb', '02_deprivation_patterns.ipynb', '03_targets_2025.ipynb']
        >>> len(notebooks_taking({"tables_path": "mine", "records_path": "mine.csv"}))
        4
    """
    chosen = []
    for path in numbered_notebooks(folder):
        names = set(notebook_parameters(read_notebook(path)))
        if set(params) & names and all(need in params for need in names & set(NEEDED)):
            chosen.append(path)
    return chosen
