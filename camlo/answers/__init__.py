"""One answer per notebook: everything a notebook shows, computed once from the inputs it is given.

Each module answers one notebook's question. Its ``answer(inputs…, params…)`` takes the
tables it needs (never a file) and returns one frozen :class:`Answer`: the notebook's tables,
the data of each of its figures, its computed sentences and its main finding. The notebook
loads its inputs, calls ``answer`` once and shows the parts; the report build saves the
figures, writes the workbook's sheets and puts the finding on the index from the very answer
the notebook showed, so that none of them can disagree with another.

Each module also declares the data files its notebook reads (``inputs(params)``, named by
:func:`declared`): the build rebuilds a notebook when one of them changes, and only then; and
computes its answer on the shipped data, or on the files its parameters name (``run(params)``),
for the figures command and the tests. The notebook itself shows its loading step by step.

======  ========================================  =======================================
nb      module                                    question
======  ========================================  =======================================
01      :mod:`camlo.answers.baseline`             the 2022 baseline; do the printed figures
                                                  hold together?
02      :mod:`camlo.answers.deprivation`          which deprivations drive poverty where, and
                                                  who must act?
03      :mod:`camlo.answers.targets`              how far is each unit from each target,
                                                  how fast must poverty fall, how likely
                                                  is the 2025 target?
04      :mod:`camlo.answers.records`              what do household records show that the
                                                  printed counts cannot?
======  ========================================  =======================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from camlo.paths import PROJECT_ROOT
from camlo.text.sentences import Prose, Sentence


def declared(files: Iterable[Path], given: str = "file") -> dict[str, Path]:
    """Files named as a build's key names them: a shipped file by its path in the project, any
    other by ``given`` (the parameter that names it) and its file name.

    Examples:
        >>> from camlo.paths import DATA_RAW
        >>> list(declared([DATA_RAW / "phu_luc_1.csv", Path("/elsewhere/mine.csv")], "tables_path"))
        ['data/raw/phu_luc_1.csv', 'tables_path:mine.csv']
    """
    named = {}
    for path in files:
        path = Path(path).resolve()
        inside = path.is_relative_to(PROJECT_ROOT)
        named[path.relative_to(PROJECT_ROOT).as_posix() if inside else f"{given}:{path.name}"] = path
    return named


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Answer:
    """What one notebook shows, computed once.

    Attributes:
        question: The notebook's number (``"01"``).
        text: Its computed sentences (a :class:`~camlo.text.sentences.Sentence` or
            :class:`~camlo.text.sentences.Prose` each), by name.
        tables: Its tables, by name (also what the workbook's sheets are made of).
        figures: The data of each of its figures, by the figure's registered name.
        finding: Its main finding, for the reports' index.
        values: Numbers it states that other steps read (e.g. a probability), by name.
        params: The parameters it was computed with.
        synthetic: Whether its data are synthetic (every product then says so).
    """

    question: str
    text: Mapping[str, Sentence | Prose]
    tables: Mapping[str, Any]
    figures: Mapping[str, Any]
    finding: Sentence | Prose
    values: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False

    def __post_init__(self) -> None:
        for name in ("text", "tables", "figures", "values", "params"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
