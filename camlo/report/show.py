"""Showing the parts of an answer in a notebook: sentences as Markdown, tables as tables.

A sentence is shown in the notebook's language and carries its text in every language
(:data:`camlo.report.languages.BILINGUAL`), from which the build writes the report of each.
"""

from __future__ import annotations

from typing import Any


def show(part: Any, lang: str = "en", *, full_text: bool = False) -> None:
    """Display one part of an answer in the notebook.

    Args:
        part: ``None`` (shows nothing: a part the answer could not compute, whose text says why);
            a sentence or prose (anything with ``text(lang)``), shown as Markdown in ``lang``;
            a table for readers (:class:`~camlo.text.tables.ReaderTable`), in ``lang``; or any
            other table, shown as it is.
        lang: The language of sentences.
        full_text: Show every cell's text whole (for tables of long findings).
    """
    import pandas as pd
    from IPython.display import display

    from camlo.report.languages import BILINGUAL, BILINGUAL_HTML
    from camlo.text.numbers import LANGS
    from camlo.text.tables import ReaderTable

    if part is None:  # a part the answer has not (e.g. no second review): its text says why
        return
    if isinstance(part, ReaderTable):
        display({"text/html": part.html(lang), "text/plain": part.frame_for(lang).to_string(index=False),
                 BILINGUAL_HTML: {each: part.html(each) for each in LANGS}}, raw=True)
    elif hasattr(part, "text") and callable(part.text):
        display({"text/markdown": part.text(lang), "text/plain": part.text(lang),
                 BILINGUAL: {each: part.text(each) for each in LANGS}}, raw=True)
    elif full_text:
        with pd.option_context("display.max_colwidth", None):
            display(part)
    else:
        display(part)
