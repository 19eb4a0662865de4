"""Showing the parts of an answer in a notebook: sentences as Markdown, tables as tables.

Examples:
    >>> from camlo.text.sentences import Label
    >>> show(Label("poor"), "vi")
    <IPython.core.display.Markdown object>
"""

from __future__ import annotations

from typing import Any


def show(part: Any, lang: str = "en", *, full_text: bool = False) -> None:
    """Display one part of an answer in the notebook.

    Args:
        part: A sentence or prose (anything with ``text(lang)``), shown as Markdown in ``lang``;
            or a table, shown as it is.
        lang: The language of sentences.
        full_text: Show every cell's text whole (for tables of long findings).
    """
    import pandas as pd
    from IPython.display import Markdown, display

    if hasattr(part, "text") and callable(part.text):
        display(Markdown(part.text(lang)))
    elif full_text:
        with pd.option_context("display.max_colwidth", None):
            display(part)
    else:
        display(part)
