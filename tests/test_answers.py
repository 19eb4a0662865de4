"""One answer per notebook: declared inputs, sentences in both languages, notebooks without logic."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from camlo.paths import DATA
from camlo.report.notebooks import answer_module, notebook_parameters, numbered_notebooks, read_notebook
from camlo.text.sentences import CATALOG

NOTEBOOKS = numbered_notebooks()
ANSWERED = [p for p in NOTEBOOKS if answer_module(read_notebook(p)) is not None]


def _code_cells(path: Path) -> list[str]:
    cells = [c.source for c in read_notebook(path).cells if c.cell_type == "code"]
    # IPython's magics are not Python
    return ["\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
            for source in cells]


LOGIC = (ast.If, ast.IfExp, ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
         ast.JoinedStr, ast.FunctionDef, ast.Lambda, ast.Try)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_holds_no_logic(path):
    """No conditional, loop, comprehension, f-string or function in a code cell: the answer holds them."""
    found = [f"code cell {i + 1}: {type(node).__name__} at line {node.lineno}"
             for i, source in enumerate(_code_cells(path)) for node in ast.walk(ast.parse(source))
             if isinstance(node, LOGIC)]
    assert found == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_names_its_answer(path):
    assert answer_module(read_notebook(path)) is not None


def test_the_logic_check_sees_an_f_string():
    assert any(isinstance(node, LOGIC) for node in ast.walk(ast.parse('x = f"{1}"')))


@pytest.fixture(scope="module")
def answers():
    """Each notebook's answer on the shipped data, with the data files computing it opened."""
    opened: set[Path] = set()
    recording = [True]
    root = DATA.resolve()

    def hook(event, args):
        if recording[0] and event == "open" and args and isinstance(args[0], (str, Path)):
            path = Path(args[0]).resolve()
            if path.is_relative_to(root) and path.is_file():
                opened.add(path)

    sys.addaudithook(hook)  # an audit hook cannot be removed: it stops recording after the fixture
    found = {}
    for path in ANSWERED:
        nb = read_notebook(path)
        module = answer_module(nb)
        opened.clear()
        result = module.run(notebook_parameters(nb))
        found[path.stem] = (module, nb, result, set(opened))
    recording[0] = False
    return found


def test_every_file_an_answer_reads_is_declared(answers):
    for stem, (module, nb, _, opened) in answers.items():
        declared = {Path(p).resolve() for p in module.inputs(notebook_parameters(nb)).values()}
        assert opened and opened <= declared, (stem, sorted(p.name for p in opened - declared))


def test_the_plan_notebooks_do_not_declare_the_reviews(answers):
    """A new observed review rebuilds only the notebooks whose answers read the reviews."""
    for stem in ("01_baseline", "02_deprivation_patterns"):
        if stem in answers:
            module, nb, _, _ = answers[stem]
            assert not any("observed" in name for name in module.inputs(notebook_parameters(nb))), stem


def _texts(result):
    yield "finding", result.finding
    yield from result.text.items()


def test_every_sentence_of_every_answer_reads_in_both_languages(answers):
    for stem, (_, _, result, _) in answers.items():
        for name, part in _texts(result):
            for lang in ("en", "vi"):
                text = part.text(lang)
                where = (stem, name, lang)
                assert text.strip(), where
                assert not re.search(r"[{}]|\bNone\b|\bnan\b|<NA>|: \.|\s\.$", text), (where, text)


def test_the_two_languages_differ(answers):
    for stem, (_, _, result, _) in answers.items():
        for name, part in _texts(result):
            assert part.text("en") != part.text("vi"), (stem, name)


def test_every_sentence_of_the_catalog_is_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "camlo").rglob("*.py"))
    unused = [key for key in CATALOG if not re.search(rf"[\"']{re.escape(key)}[\"']", source)]
    assert unused == []
