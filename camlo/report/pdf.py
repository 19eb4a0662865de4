"""Each report without code as an A4 PDF, printed by headless Chromium.

Why Chromium: the reports are HTML laid out by JupyterLab's styles, with formulas as MathML;
the browser that shows them is the one that prints them the same, and Debian's ``chromium``
(installed by ``scripts/install_browser.sh``, which ``make reports`` runs) needs nothing else.
WeasyPrint would need the system's Pango and draws neither MathML nor some of the lab's CSS.

The page layout is the report's own print stylesheet (:data:`camlo.report.html.REPORT_CSS`):
A4, page numbers in the footer, figures and tables kept whole, and the first page opening
with the title, the source and the data version. The copy that is printed also scales any
table wider than the page down to its width (:data:`FIT_SCRIPT`). Vietnamese text is drawn in DejaVu Sans
(Debian's ``fonts-dejavu-core``), embedded in the file.

Chromium stamps the time of printing into the file; :func:`normalise_pdf` replaces it with the
plan's date so that the same report always prints to the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from camlo.constants import PLAN_DATE

#: The date written into every PDF instead of the time it was printed (the plan's date).
FIXED_DATE = f"D:{PLAN_DATE:%Y%m%d}000000+00'00'".encode("ascii")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--mute-audio"]
TIMEOUT = 180
#: Width of an A4 page's text area in CSS pixels (210 mm less the 14 mm margins of REPORT_CSS).
PRINT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)

#: Added to the copy of a page that is printed: a table wider than the page is scaled to fit.
FIT_SCRIPT = f"""
<script>
window.addEventListener('load', () => {{
  for (const table of document.querySelectorAll('table')) {{
    const width = table.scrollWidth;
    if (width > {PRINT_WIDTH_PX}) table.style.zoom = ({PRINT_WIDTH_PX} / width).toFixed(3);
  }}
}});
</script>
"""


class PdfFailed(RuntimeError):
    """Chromium did not print a report."""


def chromium() -> str | None:
    """The Chromium executable on ``PATH`` (``chromium`` or ``chromium-browser``), if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@cache
def chromium_version(executable: str) -> str:
    """``Chromium 156.0.…`` (part of a PDF's key: another browser may lay a page out differently)."""
    result = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60)
    return result.stdout.strip()


def normalise_pdf(data: bytes) -> bytes:
    """Replace the creation and modification dates with :data:`FIXED_DATE`, byte for byte.

    The replacement has the same length, so the file's cross-reference offsets stay valid.

    Examples:
        >>> normalise_pdf(b"/CreationDate (D:20261129185628+00'00')")
        b"/CreationDate (D:20220218000000+00'00')"
    """
    def fixed(match: re.Match) -> bytes:
        stamp = match.group(2)
        return b"/%s (%s)" % (match.group(1), FIXED_DATE[:len(stamp)].ljust(len(stamp)))

    return re.sub(rb"/(CreationDate|ModDate) \((D:[^)]*)\)", fixed, data)


def print_pdf(page: Path, target: Path, executable: str | None = None) -> Path:
    """Print the HTML file ``page`` to ``target`` as PDF (the page's CSS sets A4 and the footer).

    Raises:
        PdfFailed: No Chromium, or it printed nothing (its error output is given).
    """
    executable = executable or chromium()
    if executable is None:
        raise PdfFailed("Chromium is not installed (Debian package 'chromium'; "
                        "scripts/install_browser.sh installs it as root)")
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="camlo-pdf-") as profile:
        out, printed = Path(profile) / "out.pdf", Path(profile) / "page.html"
        printed.write_text(Path(page).read_text(encoding="utf-8").replace("</body>", FIT_SCRIPT + "</body>", 1),
                           encoding="utf-8")
        result = subprocess.run(
            [executable, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", printed.as_uri()],
            capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, "TZ": "UTC"},
        )
        if result.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise PdfFailed(f"Chromium could not print {Path(page).name}: {result.stderr.strip()[-500:]}")
        target.write_bytes(normalise_pdf(out.read_bytes()))
    return target
