"""Set-up of the kernels the report build runs its notebooks in (``start``, run as the kernel starts).

A figure is rendered once for display and for its file. When a notebook shows a registered
figure (``charts.x(answer.figures[name])``), the kernel renders it as the PNG file
:func:`camlo.report.figures.png_bytes` makes (150 dpi; the page shows it at the size of a
100 dpi image) and keeps the figure; when the build then saves the answer's figures
(:func:`camlo.report.publish.publish`), that PNG is written as it is and the SVG is drawn from
the same figure with that layout, instead of drawing, laying out and rendering it again.

A figure is matched by its name, its language and the identity of the data object it was drawn
from, and only when it was drawn with nothing but ``(data, lang)``. What the kernel keeps lives
in this module, which only the build's kernels import.
"""

from __future__ import annotations

import base64
import struct
from typing import Any

from matplotlib.figure import Figure

#: (name, lang, id(data)) -> [figure, data (kept alive, so its id stays its own), PNG]: the figures
#: this kernel showed, until the build saves them. Filled only in the build's kernels, by the
#: PNG printer that :func:`start` installs.
_SHOWN: dict[tuple[str, str, int], list] = {}


def start() -> None:
    """Everything the build's kernels do differently (called by ``IPKernelApp.exec_lines``)."""
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


def render_for_display(fig: Figure) -> tuple[str, dict] | None:
    """A registered figure's PNG for display (base64, with the size to show it at), kept for saving.

    A figure drawn by a registered function as ``draw(data, lang)`` carries where it came from
    (:attr:`camlo.charts.style.Drawn`); any other figure gives ``None`` (shown as usual).
    """
    from camlo.charts.style import DPI
    from camlo.report.figures import png_bytes

    drawn = getattr(fig, "camlo_drawn", None)
    if drawn is None:
        return None
    png = png_bytes(fig)
    _SHOWN[(drawn.name, drawn.lang, id(drawn.data))] = [fig, drawn.data, png]
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
    """The figure shown for ``(name, lang, data)`` and its PNG, forgotten once taken."""
    entry = _SHOWN.get((name, lang, id(data)))
    if entry is None or entry[1] is not data:
        return None, None
    del _SHOWN[(name, lang, id(data))]
    return entry[0], entry[2]
