"""A notebook as a self-contained HTML report that reads the same offline, on screen and on paper.

Nothing in a report is fetched from the network:

- formulas (``$…$`` and ``$$…$$`` in Markdown, in cells and in Markdown outputs) are rendered
  to MathML when the report is built (:func:`tex_to_mathml`), which every current browser
  draws without a script; no MathJax;
- the JupyterLab styles are inlined by nbconvert's ``lab`` template, and the template in
  ``templates/camlo_report`` leaves out what a static page does not need and would fetch
  (require.js, mermaid);
- figures are embedded in the page as PNG data, as nbconvert does.

Every report opens with a header giving its title, the source and the data version, and its
print styles lay it out on A4 with page numbers, without splitting a figure or a short table
across pages; a table for readers breaks between its parts and a tall part between its rows,
its header repeated (what :mod:`camlo.report.pdf` prints).
"""

from __future__ import annotations

import html
import re
import threading
from functools import cache
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "camlo_report"

#: Where the numbers come from, on every report's first page (Vietnamese, then English).
SOURCE_VI = "Kế hoạch số 23/KH-UBND ngày 18/02/2022 của UBND huyện Cam Lộ về thực hiện công tác giảm nghèo bền vững giai đoạn 2022–2025"
SOURCE_EN = "Plan 23/KH-UBND of 18 February 2022, People's Committee of Cam Lộ district: sustainable poverty reduction 2022–2025"

#: Styles of every report: a font with every Vietnamese glyph, the header, and print layout.
REPORT_CSS = """
:root { --jp-content-font-family: "DejaVu Sans", sans-serif; --jp-ui-font-family: "DejaVu Sans", sans-serif; }
body { font-family: "DejaVu Sans", sans-serif; }
header.camlo-report { max-width: 60rem; margin: 1.5rem auto 0.5rem; padding: 0 1rem 0.6rem;
  border-bottom: 1px solid #ccc; font-size: 0.85rem; color: #333; line-height: 1.45; }
header.camlo-report .title { font-size: 1.05rem; font-weight: bold; margin: 0 0 0.3rem; }
header.camlo-report p { margin: 0.15rem 0; }
header.camlo-report a { color: inherit; }
math { font-size: 1.05em; }
.camlo-reader-table { margin: 0.4rem 0 0.8rem; }
.camlo-reader-table table.camlo-table { border-collapse: collapse; margin: 0.3rem 0 0.6rem; font-size: 0.9em;
  table-layout: auto; }
.camlo-reader-table th { text-align: left; vertical-align: bottom; border-bottom: 1px solid #888;
  padding: 0.2rem 0.5rem; font-weight: bold; }
.camlo-reader-table td { border-bottom: 1px solid #e4e4e4; padding: 0.15rem 0.5rem; vertical-align: top;
  white-space: normal; overflow-wrap: break-word; }
.camlo-reader-table td.number { text-align: right; white-space: nowrap; }
.jp-RenderedHTMLCommon .camlo-reader-table th.number, .camlo-reader-table th.number { text-align: right; }
.camlo-reader-table td.short { white-space: nowrap; }
.camlo-reader-table td.text { min-width: 12em; }
.jp-RenderedHTMLCommon .camlo-reader-table th, .jp-RenderedHTMLCommon .camlo-reader-table td.short,
.jp-RenderedHTMLCommon .camlo-reader-table td.text { text-align: left; }
.camlo-reader-table .camlo-unit { text-align: right; font-style: italic; margin: 0; font-size: 0.9em; }
.camlo-reader-table .camlo-note { font-size: 0.9em; color: #444; margin: 0.1rem 0 0.6rem; }
@page {
  size: A4;
  margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif;
                   font-size: 8.5pt; color: #555; }
}
@media print {
  body { font-size: 10pt; }
  header.camlo-report { margin-top: 0; max-width: none; }
  header.camlo-report .back { display: none; }
  .jp-Cell { break-inside: auto; }
  .jp-OutputArea-output, .jp-RenderedImage, .jp-RenderedHTMLCommon table, .jp-RenderedMarkdown li,
  img, table, tr, math { break-inside: avoid; }
  /* a table for readers may break between its parts (each kept whole, the unit line with the
     first, the note with the last) and a long part between its rows, its header repeated;
     a figure or a short table may not break */
  .jp-OutputArea-child:has(.camlo-reader-table), .jp-OutputArea-output:has(.camlo-reader-table),
  .camlo-reader-table { break-inside: auto; }
  /* a computed text breaks between its lines, as the notebook's own Markdown does */
  .jp-OutputArea-child:has(> .jp-RenderedMarkdown), .jp-OutputArea-output.jp-RenderedMarkdown { break-inside: auto; }
  .camlo-part { break-inside: avoid; }
  .camlo-part.camlo-long, .camlo-long table.camlo-table { break-inside: auto; }
  .camlo-reader-table thead { display: table-header-group; }
  .camlo-reader-table .camlo-unit { break-after: avoid; }
  h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
  /* text columns wrap rather than push a table past the page (no zoom below 8 pt) */
  .camlo-reader-table td.text { min-width: 7em; }
  .camlo-reader-table table.camlo-table:has(td.text) { width: 100%; }
  /* a formula's sub- and superscripts (0.71 of its size) print at 8 pt or more */
  math { font-size: 11.5pt; }
  .jp-OutputArea-output { overflow: visible !important; }
  .jp-RenderedImage img { max-width: 100% !important; height: auto !important; }
  .jp-RenderedHTMLCommon table { font-size: 8.5pt; }
  .camlo-reader-table table.camlo-table { font-size: 9pt; }
  .jp-InputArea-editor, .jp-RenderedText pre { white-space: pre-wrap; word-break: break-word; }
}
"""


def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """A TeX formula as MathML, with the TeX kept as the formula's text alternative.

    Examples:
        >>> print(tex_to_mathml("q"))
        <math alttext="q" xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><mi>q</mi></mrow></math>
        >>> 'alttext="w_j = 1/12"' in tex_to_mathml("w_j = 1/12")
        True
    """
    from latex2mathml.converter import convert

    mathml = convert(tex.strip(), display="block" if display else "inline")
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex.strip(), quote=True)}" ', 1)


_FOCUSABLE = re.compile(r'<div class="((?:[^"]* )?jp-(?:Cell-inputWrapper|OutputArea-output)(?: [^"]*)?)"')
_IMG_WITHOUT_ALT = re.compile(r"<img (?![^>]*\balt=)")


def _accessible(page: str) -> str:
    """What nbconvert's HTML exporter adds: focusable inputs and outputs, images with alt text.

    Examples:
        >>> _accessible('<div class="jp-OutputArea-output jp-x"><img src="a.png"></div>')
        '<div class="jp-OutputArea-output jp-x" tabindex="0"><img alt="Figure" src="a.png"></div>'
    """
    page = _FOCUSABLE.sub(r'<div class="\1" tabindex="0"', page)
    return _IMG_WITHOUT_ALT.sub('<img alt="Figure" ', page)


@cache
def _exporter_class():
    """:class:`nbconvert.HTMLExporter` whose Markdown renders formulas as MathML."""
    from nbconvert import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from jinja2 import pass_context

    class MathMLRenderer(IPythonRenderer):
        def inline_math(self, body: str) -> str:
            return tex_to_mathml(body)

        def block_math(self, body: str) -> str:
            return tex_to_mathml(body, display=True)

        def latex_environment(self, name: str, body: str) -> str:
            return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    class ReportExporter(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = MathMLRenderer(
                escape=False, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text, exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter's, without its final pass through BeautifulSoup (a parse and rewrite of
            # the whole page, a third of the export's time): the same attributes are added by
            # _accessible below.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            output, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(output), resources

    return ReportExporter


#: The header's words in each language (``None``: both, for the report with code).
HEADER_WORDS = {
    "en": {"source": f"Source: {SOURCE_EN}. Computed with the camlo package from the plan's tables.",
           "version": "Data version", "back": "← All reports"},
    "vi": {"source": f"Nguồn: {SOURCE_VI}. Số liệu được tính bằng gói phần mềm camlo từ các bảng của kế hoạch.",
           "version": "Phiên bản dữ liệu", "back": "← Tất cả báo cáo"},
}


def report_header(title: str, data_version: str, *, back: str | None = "index.html", lang: str | None = None) -> str:
    """The block that opens every report: title, source, data version (and a link to the index).

    Args:
        lang: The report's language; ``None`` writes the source in both (the report with code).

    Examples:
        >>> "Nguồn:" in report_header("T", "abc", lang="vi"), "Source:" in report_header("T", "abc", lang="vi")
        (True, False)
    """
    langs = ("vi", "en") if lang is None else (lang,)
    words = {key: " / ".join(HEADER_WORDS[each][key] for each in langs) for key in ("version", "back")}
    back_link = f'<p class="back"><a href="{html.escape(back)}">{html.escape(words["back"])}</a></p>' if back else ""
    sources = "\n".join(f'<p lang="{each}">{html.escape(HEADER_WORDS[each]["source"])}</p>' for each in langs)
    return (
        '<header class="camlo-report">\n'
        f'<p class="title">{html.escape(title)}</p>\n{sources}\n'
        f'<p>{html.escape(words["version"])}: <code>{html.escape(data_version)}</code></p>\n'
        f"{back_link}\n</header>"
    )


_EXPORTERS: dict[bool, object] = {}
_EXPORT_LOCK = threading.Lock()


def export_html(nb, *, with_code: bool, header: str = "", lang: str = "en") -> str:
    """The notebook as a standalone, offline HTML page (JupyterLab style), with or without code.

    The two exporters (with and without code) are made once per process and reused, one call at
    a time: building an exporter compiles its templates.

    Args:
        nb: An executed notebook (``nbformat.NotebookNode``).
        with_code: Keep code cells' input and prompts; without, only their outputs show.
        header: HTML placed at the top of the page (see :func:`report_header`).
        lang: The page's language (``<html lang>``).
    """
    with _EXPORT_LOCK:
        exporter = _EXPORTERS.get(with_code)
        if exporter is None:
            exporter = _EXPORTERS[with_code] = _exporter_class()(
                template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)], exclude_input=not with_code,
                exclude_input_prompt=not with_code, exclude_output_prompt=not with_code,
            )
        exporter.language_code = lang
        body, _ = exporter.from_notebook_node(nb, resources={"camlo_css": REPORT_CSS, "camlo_header": header})
    return body
