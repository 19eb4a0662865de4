"""What a notebook's kernel hands to the report build once every cell has run: one answer, saved.

The build appends one cell to each notebook it runs, calling :func:`publish` with the
notebook's :class:`~camlo.answers.Answer` (its variable ``answer``) and folders of the build's
output. From that very answer it saves the figures, writes the workbook's sheets
(:func:`camlo.report.workbook.sheets_for`) as JSON, and displays the main finding in each
language, which the build reads and removes with the cell. The index, the workbook and the
figures therefore state what the report states.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from camlo.text.numbers import LANGS

#: The output of the appended cell, read by the build.
METADATA_MIME = "application/vnd.camlo.report+json"


def publish(answer: Any, *, figures: str | Path, sheets: str | Path, workers: int = 1) -> None:
    """Save ``answer``'s figures into ``figures`` and its sheets as ``sheets``; display its finding.

    Args:
        answer: The notebook's answer (``None`` for a notebook without one: nothing is saved,
            and its finding on the index is empty).
        figures: The folder whose ``en/`` and ``vi/`` receive the figures.
        sheets: The JSON file the notebook's workbook sheets are written to.
        workers: Processes that save figures side by side.
    """
    from IPython.display import display

    from camlo.report.figures import save_figures
    from camlo.report.workbook import sheets_for, write_sheets_json

    finding = {lang: "" for lang in LANGS}
    if answer is not None:
        save_figures(answer.figures, figures, workers=workers)
        write_sheets_json(sheets_for(answer), Path(sheets))
        finding = {lang: answer.finding.text(lang) for lang in LANGS}
    display({METADATA_MIME: {"finding": finding}}, raw=True)


def publish_cell(*, figures: Path, sheets: Path, workers: int) -> str:
    """The source of the cell the build appends to a notebook.

    Examples:
        >>> print(publish_cell(figures=Path("f"), sheets=Path("s.json"), workers=2))
        __import__('camlo.report.publish', fromlist=['_']).publish(globals().get('answer'), figures='f', sheets='s.json', workers=2)
    """
    return (f"__import__('camlo.report.publish', fromlist=['_']).publish(globals().get('answer'), "
            f"figures={str(figures)!r}, sheets={str(sheets)!r}, workers={workers})")
