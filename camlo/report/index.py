"""The reports' index: one static page a reader can use offline.

For each notebook: its title and question, its main finding (the finding of the notebook's
answer, as the build's run of the notebook computed it), links to its report and PDF in the
reader's language and to the report with code, and a gallery of its figures as thumbnails that
link to the full PNG and SVG. The page opens in Vietnamese; a switch shows every word of it in
English instead. The switch is CSS only (two radio buttons), so the page needs no script. Then
the workbook.

Thumbnails are small PNGs made from the figures with Pillow; each figure's caption is the
title saved in its PNG (``Title``), in its language.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from camlo.report.html import SOURCE_EN, SOURCE_VI

THUMBNAIL_WIDTH = 360
#: The index's languages, the one it opens in first.
LANGS = ("vi", "en")


@dataclass(frozen=True)
class Entry:
    """What the index shows for one notebook."""

    stem: str
    #: Title, question and main finding per language (``{"en": …, "vi": …}``; a finding may be empty).
    title: Mapping[str, str]
    question: Mapping[str, str]
    finding: Mapping[str, str]
    data_version: str
    pdf: bool
    #: Figure names (``NN_name``) with their caption per language.
    figures: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def notebook_title(nb) -> str:
    """The first Markdown heading of a notebook, without the ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Untitled"


def notebook_question(nb) -> str:
    """The notebook's question: its ``**Question.**`` line, else what follows the title's colon.

    Examples:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook()
        >>> nb.cells = [nbformat.v4.new_markdown_cell("# 03 · Targets: how far, how fast?")]
        >>> notebook_question(nb)
        'How far, how fast?'
    """
    first = next((cell.source for cell in nb.cells if cell.cell_type == "markdown"), "")
    match = re.search(r"^\*\*(?:Question|Câu hỏi)\.?\*\*\.?\s*(.+)$", first, flags=re.MULTILINE)
    if match:
        return match.group(1).strip()
    title = notebook_title(nb)
    question = title.split(":", 1)[1].strip() if ":" in title else title
    return question[:1].upper() + question[1:]


def png_title(path: Path) -> str:
    """The ``Title`` text saved in a PNG, or ``""``."""
    from PIL import Image

    with Image.open(path) as image:
        return str(image.info.get("Title", ""))


def make_thumbnail(png: Path, target: Path, width: int = THUMBNAIL_WIDTH) -> Path:
    """A copy of ``png`` at most ``width`` pixels wide (byte-reproducible: no metadata, fixed settings)."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB")
    small.thumbnail((width, 10 * width), Image.Resampling.LANCZOS, reducing_gap=2.0)
    target.parent.mkdir(parents=True, exist_ok=True)
    small.save(target, format="PNG")
    return target


def caption(name: str, title: str) -> str:
    """A figure's caption: its saved title, else its file name in words.

    Examples:
        >>> caption("02_unit_profiles", "")
        'Unit profiles'
    """
    if title:
        return title
    words = name.split("_", 1)[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


_CSS = """
body { font-family: "DejaVu Sans", sans-serif; max-width: 70rem; margin: 0 auto; padding: 1rem 1.5rem 3rem;
       line-height: 1.5; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 0.4rem; border-top: 1px solid #ddd; padding-top: 1.2rem; }
.source { color: #444; font-size: 0.9rem; margin: 0.2rem 0; }
.switch { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; border-bottom: 1px solid #eee; z-index: 1; }
.switch label { margin-right: 1rem; cursor: pointer; }
.question, .finding { margin: 0.4rem 0; }
.links a { margin-right: 1.2rem; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; margin-top: 0.8rem; }
figure { margin: 0; border: 1px solid #e3e3e3; border-radius: 4px; padding: 0.4rem; background: #fafafa; }
figure img { width: 100%; height: auto; display: block; background: #fff; }
figcaption { font-size: 0.8rem; margin-top: 0.3rem; }
figcaption .formats { color: #666; white-space: nowrap; }
code { font-size: 0.85em; }
body:has(#lang-vi:checked) .en { display: none; }
body:has(#lang-en:checked) .vi { display: none; }
"""


def _both(en: str, vi: str, tag: str = "span") -> str:
    """The same text in both languages; the switch shows one."""
    return (f'<{tag} class="vi" lang="vi">{html.escape(vi)}</{tag}>'
            f'<{tag} class="en" lang="en">{html.escape(en)}</{tag}>')


def _each(texts: Mapping[str, str], tag: str = "span") -> str:
    return _both(texts.get("en", ""), texts.get("vi", ""), tag)


def _gallery(entry: Entry) -> str:
    cards = []
    for lang in LANGS:
        for name, captions in entry.figures.items():
            text = html.escape(captions.get(lang, ""))
            full = f"figures/{lang}/{name}"
            cards.append(
                f'<figure class="{lang}" lang="{lang}"><a href="{full}.png">'
                f'<img src="thumbnails/{lang}/{name}.png" alt="{text}"></a>'
                f'<figcaption>{text} <span class="formats">(<a href="{full}.png">PNG</a>, '
                f'<a href="{full}.svg">SVG</a>)</span></figcaption></figure>'
            )
    return '<div class="gallery">\n' + "\n".join(cards) + "\n</div>" if cards else ""


def _links(e: Entry) -> str:
    links = []
    for lang, report, pdf in (("vi", "Báo cáo", "PDF (A4, để in)"), ("en", "Report", "PDF (A4, for print)")):
        links.append(f'<a class="{lang}" lang="{lang}" href="{e.stem}.{lang}.html">{html.escape(report)}</a>')
        if e.pdf:
            links.append(f'<a class="{lang}" lang="{lang}" href="{e.stem}.{lang}.pdf">{html.escape(pdf)}</a>')
    links.append(f'<a href="{e.stem}.html">{_both("Report with code (English)", "Báo cáo kèm mã (tiếng Anh)")}</a>')
    return " ".join(links)


def index_page(entries: Sequence[Entry], workbook: str, data_version: str) -> str:
    """The index page's HTML (see the module's docstring)."""
    sections = []
    for e in entries:
        finding = (f'<p class="finding"><strong>{_both("Main finding.", "Kết quả chính.")}</strong> '
                   f'{_each(e.finding)}</p>' if e.finding.get("en") else "")
        own = _both("This report's data version", "Phiên bản dữ liệu của báo cáo này")
        version = (f'<p class="source">{own}: <code>{html.escape(e.data_version)}</code></p>\n'
                   if e.data_version != data_version else "")
        sections.append(
            f'<section id="nb{e.stem[:2]}">\n<h2>{_each(e.title)}</h2>\n'
            f'<p class="question"><strong>{_both("Question.", "Câu hỏi.")}</strong> {_each(e.question)}</p>\n'
            f'{finding}\n<p class="links">{_links(e)}</p>\n{version}'
            f"{_gallery(e)}\n</section>"
        )
    body = "\n".join(sections)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Huyện Cam Lộ: giảm nghèo bền vững giai đoạn 2022–2025 (báo cáo) / Cam Lộ: sustainable poverty reduction 2022–2025 (reports)</title>
<style>{_CSS}</style>
</head>
<body>
<div class="switch" role="radiogroup" aria-label="Ngôn ngữ / Language">
<input type="radio" name="lang" id="lang-vi" checked><label for="lang-vi">Tiếng Việt</label>
<input type="radio" name="lang" id="lang-en"><label for="lang-en">English</label>
</div>
<header>
<h1>{_both("Cam Lộ district: sustainable poverty reduction 2022–2025", "Huyện Cam Lộ: giảm nghèo bền vững giai đoạn 2022–2025")}</h1>
<p class="source">{_both(SOURCE_EN + ".", SOURCE_VI + ".")}</p>
<p class="source">{_both("Every number is computed from the plan's tables with the camlo package.",
                         "Mọi số liệu được tính từ các bảng của kế hoạch bằng gói phần mềm camlo.")}
{_both("Data version", "Phiên bản dữ liệu")}: <code>{html.escape(data_version)}</code>.</p>
</header>
<main>
{body}
<section id="workbook">
<h2>{_both("Tables for district reports", "Bảng số liệu cho báo cáo của huyện")}</h2>
<p><a href="{html.escape(workbook)}">{html.escape(workbook)}</a>:
{_both("Excel workbook, Vietnamese and English headers, numbers stored as numbers.",
       "Tệp Excel, tiêu đề tiếng Việt và tiếng Anh, số liệu lưu dạng số.")}</p>
</section>
</main>
</body>
</html>
"""
