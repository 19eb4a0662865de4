"""Set-up of the kernels the report build runs its notebooks in (``start``, run as the kernel starts).

A figure is rendered once for display and for its file. When a notebook shows a registered
figure (``charts.x(answer.figures[name])``), the kernel renders it as the PNG file
:func:`camlo.report.figures.png_bytes` makes (150 dpi; the page shows it at the size of a
100 dpi image) and keeps the figure; when the build then saves the answer's figures
(:func:`camlo.report.publish.publish`), that PNG is written as it is and the SVG is drawn from
the same figure with that layout, instead of drawing, laying out and rendering it again.

A figure is matched by its name, its language and the identity of the data object it was drawn
from, and only when it was drawn with nothing but ``(data, lang)``.
"""

from __future__ import annotations

import base64
import struct
from typing import Any

from matplotlib.figure import Figure

#: (name, lang, id(data)) -> [figure, data (kept alive, so its id stays its own), PNG or None]
_DRAWN: dict[tuple[str, str, int], list] = {}
_BY_FIGURE: dict[int, list] = {}


def start() -> None:
    """Everything the build's kernels do differently (called by ``IPKernelApp.exec_lines``)."""
    from camlo.charts.style import DRAW_HOOKS

    DRAW_HOOKS.append(record_draw)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover (the kernels always have IPython)
        return
    shell = get_ipython()
    if shell is not None:
        # pyplot's inline backend sets its PNG printer when it is first used (or on
        # %matplotlib inline): wrap whichever is there before each cell
        shell.events.register("pre_run_cell", lambda *_: wrap_png_printer(shell))
        wrap_png_printer(shell)


def record_draw(name: str, args: tuple, kwargs: dict, fig: Figure) -> None:
    """Keep a registered figure drawn as ``draw(data, lang)`` (a hook of the figure registry)."""
    lang = args[1] if len(args) > 1 else kwargs.get("lang", "en")
    if not args or len(args) > 2 or set(kwargs) - {"lang"}:
        return
    entry = [fig, args[0], None]
    _DRAWN[(name, lang, id(args[0]))] = entry
    _BY_FIGURE[id(fig)] = entry


def render_for_display(fig: Figure) -> tuple[str, dict] | None:
    """A kept figure's PNG for display (base64, with the size to show it at), or ``None``."""
    from camlo.charts.style import DPI
    from camlo.report.figures import png_bytes

    entry = _BY_FIGURE.get(id(fig))
    if entry is None or entry[0] is not fig:
        return None
    entry[2] = png = png_bytes(fig)
    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    scale = 100 / DPI  # shown at the size of a 100 dpi image, as the inline backend shows figures
    return base64.b64encode(png).decode("ascii"), {"width": round(width * scale), "height": round(height * scale)}


def wrap_png_printer(shell: Any) -> None:
    """Make the shell's PNG printer for figures use :func:`render_for_display` for kept figures."""
    formatter = shell.display_formatter.formatters["image/png"]
    current = formatter.type_printers.get(Figure)
    if current is None or getattr(current, "camlo_kept", False):
        return

    def printer(fig: Figure):
        shown = render_for_display(fig)
        return shown if shown is not None else current(fig)

    printer.camlo_kept = True
    formatter.for_type(Figure, printer)


def take_shown(name: str, lang: str, data: Any) -> tuple[Figure | None, bytes | None]:
    """The figure kept for ``(name, lang, data)`` and the PNG shown for it, forgotten once taken."""
    entry = _DRAWN.get((name, lang, id(data)))
    if entry is None or entry[1] is not data:
        return None, None
    del _DRAWN[(name, lang, id(data))]
    _BY_FIGURE.pop(id(entry[0]), None)
    return entry[0], entry[2]
