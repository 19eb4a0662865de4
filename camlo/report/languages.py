"""One execution of a notebook, a report in each language.

A notebook runs once. What it shows carries both languages where the package wrote it:

- a computed sentence is displayed (:func:`camlo.report.show.show`) with its text in every
  language under :data:`BILINGUAL`, beside the Markdown of the notebook's ``lang``; a table
  for readers (:class:`camlo.text.tables.ReaderTable`) likewise, as HTML under
  :data:`BILINGUAL_HTML`;
- a Markdown cell carries its Vietnamese in its metadata (``{"camlo": {"vi": "…"}}``), its
  source being the English; a cell for reviewers (``{"camlo": {"code_only": true}}``: how the
  numbers are computed, module names, commands) shows in the report with code only;
- a figure is shown in English, and the build saved it in every language from the same data
  (:func:`camlo.report.publish.publish`), so that its other-language file is found by the
  bytes of the English one.

:func:`localised` gives the notebook as a reader of one language sees it, from which the build
writes that language's report.

Examples:
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("# Baseline", metadata={"camlo": {"vi": "# Cơ sở"}})]
    >>> localised(nb, "vi").cells[0].source, localised(nb, "en").cells[0].source
    ('# Cơ sở', '# Baseline')
"""

from __future__ import annotations

import base64
import copy
import hashlib
import struct
from pathlib import Path

from camlo.text.numbers import check_lang

#: The output data holding a displayed text in every language (``{"en": …, "vi": …}``), as
#: Markdown (a sentence) or as HTML (a table for readers).
BILINGUAL = "application/vnd.camlo.text+json"
BILINGUAL_HTML = "application/vnd.camlo.html+json"
#: Shown PNGs are sized as a 100 dpi image of the 150 dpi file, as the kernels show them.
_SHOWN_SCALE = 100 / 150


def cell_text(cell, lang: str) -> str:
    """A Markdown cell's source in ``lang``: its metadata's translation, else its source."""
    return cell.get("metadata", {}).get("camlo", {}).get(check_lang(lang)) or cell.source


def _figure_names(figures: Path | None) -> dict[str, str]:
    """sha256 of each English PNG in ``figures/en`` -> the figure's name."""
    if figures is None or not (Path(figures) / "en").is_dir():
        return {}
    return {hashlib.sha256(path.read_bytes()).hexdigest(): path.stem for path in sorted((Path(figures) / "en").glob("*.png"))}


def _swap_figure(output, figures: Path, names: dict[str, str], lang: str) -> None:
    data = output["data"]
    name = names.get(hashlib.sha256(base64.b64decode(data["image/png"])).hexdigest())
    if name is None:
        return
    png = (Path(figures) / lang / f"{name}.png").read_bytes()
    data["image/png"] = base64.b64encode(png).decode("ascii")
    width, height = struct.unpack(">II", png[16:24])
    output.setdefault("metadata", {})["image/png"] = {"width": round(width * _SHOWN_SCALE),
                                                       "height": round(height * _SHOWN_SCALE)}


def localised(nb, lang: str, figures: Path | None = None):
    """A copy of the executed notebook ``nb`` as a reader of ``lang`` sees it.

    Args:
        nb: The executed notebook.
        lang: ``"en"`` or ``"vi"``.
        figures: The folder the build saved the notebook's figures in (``en/``, ``vi/``): each
            English figure shown is replaced by its file in ``lang``.
    """
    check_lang(lang)
    local = copy.deepcopy(nb)
    local.cells = [cell for cell in local.cells if not cell.get("metadata", {}).get("camlo", {}).get("code_only")]
    names = _figure_names(figures) if lang != "en" else {}
    for cell in local.cells:
        if cell.cell_type == "markdown":
            cell.source = cell_text(cell, lang)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if BILINGUAL in data:
                data["text/markdown"] = data[BILINGUAL][lang]
            if BILINGUAL_HTML in data:
                data["text/html"] = data[BILINGUAL_HTML][lang]
            if "image/png" in data and names:
                _swap_figure(output, figures, names, lang)
    local.metadata["language"] = lang
    return local
