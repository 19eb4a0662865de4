"""Each report without code as an A4 PDF, printed by headless Chromium.

Why Chromium: the reports are HTML laid out by JupyterLab's styles, with formulas as MathML;
the browser that shows them is the one that prints them the same, and Debian's ``chromium``
(installed by ``scripts/install_browser.sh``, which ``make reports`` runs) needs nothing else.
WeasyPrint would need the system's Pango and draws neither MathML nor some of the lab's CSS.

The page layout is the report's own print stylesheet (:data:`camlo.report.html.REPORT_CSS`):
A4, page numbers in the footer, figures and short tables kept whole (a table for readers
breaks between its parts, a tall part between its rows with its header repeated, and a
computed text between its lines, so that no page is left mostly blank), and the first page opening
with the title, the source and the data version. The copy that is printed also scales any
table wider than the page down to its width (:data:`FIT_SCRIPT`). Vietnamese text is drawn in DejaVu Sans
(Debian's ``fonts-dejavu-core``), embedded in the file.

One browser prints every PDF of a build (:func:`print_pdfs`), several pages at a time, driven
over its DevTools pipe (no port, no extra package): starting Chromium once per PDF cost about a
second each.

Chromium stamps the time of printing into the file; :func:`normalise_pdf` replaces it with the
plan's date so that the same report always prints to the same bytes.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
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

#: The smallest text a printed page may carry, in CSS pixels (8 pt).
SMALLEST_PX = 8 * 96 / 72

#: Added to the copy of a page that is printed: a table wider than the page is scaled to fit,
#: never so far that its text prints below 8 pt. A table for readers is never scaled: it is cut
#: in parts that fit (:class:`camlo.text.tables.ReaderTable`) and its text wraps.
FIT_SCRIPT = f"""
<script>
window.addEventListener('load', () => {{
  for (const table of document.querySelectorAll('table:not(.camlo-table)')) {{
    const width = table.scrollWidth;
    if (width <= {PRINT_WIDTH_PX}) continue;
    const size = parseFloat(getComputedStyle(table).fontSize) || {SMALLEST_PX:.3f};
    const zoom = Math.max({PRINT_WIDTH_PX} / width, Math.min(1, {SMALLEST_PX:.3f} / size));
    if (zoom < 1) table.style.zoom = zoom.toFixed(3);
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


def _printed_copy(page: Path, folder: Path, name: str) -> Path:
    """The copy of ``page`` that is printed: :data:`FIT_SCRIPT` added before ``</body>``."""
    printed = folder / name
    printed.write_text(Path(page).read_text(encoding="utf-8").replace("</body>", FIT_SCRIPT + "</body>", 1),
                       encoding="utf-8")
    return printed


class _Browser:
    """One headless Chromium, driven over its DevTools pipe (``--remote-debugging-pipe``: JSON
    messages ending in NUL, commands on the browser's file descriptor 3, replies on 4).

    One browser prints every report, several pages at a time: the browser starts once instead of
    once per PDF, and pages lay out side by side in its renderer processes.
    """

    def __init__(self, executable: str, profile: Path) -> None:
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire() -> None:  # in the child, before exec: the pipe ends at 3 and 4, inherited
            commands = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10)  # above 4: neither is overwritten
            replies = fcntl.fcntl(replies_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self._log = (profile / "chromium.log").open("wb")
        self._process = subprocess.Popen(  # noqa: S603 - the executable is the system's Chromium
            [executable, *(f for f in FLAGS if f != "--no-pdf-header-footer"), "--remote-debugging-pipe",
             f"--user-data-dir={profile}"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log, pass_fds=(3, 4),
            preexec_fn=wire, env={**os.environ, "TZ": "UTC"})
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next = 0
        self._waiting: dict[int, Callable[[dict], None]] = {}
        self._events: dict[tuple[str, str], Callable[[dict], None]] = {}

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             then: Callable[[dict], None] | None = None) -> None:
        """Send a command; ``then`` gets its result."""
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._waiting[self._next] = then or (lambda result: None)
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._commands, data):]

    def on(self, session: str, event: str, handler: Callable[[dict], None]) -> None:
        """Call ``handler`` (once) when ``event`` arrives from ``session``."""
        self._events[(session, event)] = handler

    def run(self, done: Callable[[], bool], deadline: float) -> None:
        """Read the browser's messages and dispatch them until ``done()``."""
        while not done():
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise PdfFailed(f"Chromium did not print within {TIMEOUT} s")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise PdfFailed(f"Chromium stopped: {self.log()}")
            self._buffer += chunk
            *messages, self._buffer = self._buffer.split(b"\0")
            for raw in messages:
                self._dispatch(json.loads(raw))

    def _dispatch(self, message: dict) -> None:
        if "id" in message:
            then = self._waiting.pop(message["id"], None)
            if "error" in message:
                raise PdfFailed(f"Chromium refused a command: {message['error'].get('message', message['error'])}")
            if then is not None:
                then(message.get("result", {}))
        else:
            handler = self._events.pop((message.get("sessionId", ""), message.get("method", "")), None)
            if handler is not None:
                handler(message.get("params", {}))

    def log(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace").strip()[-500:]

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._commands)
            os.close(self._replies)
            self._log.close()


#: What each page is printed with: the page's own CSS size (A4) and margins, its backgrounds,
#: no browser header or footer (the page's CSS numbers the pages), as ``--print-to-pdf`` prints.
PRINT_OPTIONS = {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False,
                 "transferMode": "ReturnAsBase64"}
#: After the load event, the page settles two frames (FIT_SCRIPT's zoom laid out) before printing.
SETTLE = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def print_pdfs(jobs: Iterable[tuple[Path, Path]], executable: str | None = None, *, parallel: int = 2,
               printed: Callable[[Path], None] | None = None) -> list[Path]:
    """Print each HTML page to its PDF with one headless Chromium, ``parallel`` pages at a time.

    Args:
        jobs: ``(page, target)`` pairs: the HTML file and the PDF to write.
        executable: The Chromium to use (:func:`chromium` when ``None``).
        parallel: How many pages are laid out at once.
        printed: Called with each target once it is written.

    Raises:
        PdfFailed: No Chromium, or it did not print a page (its error output is given).
    """
    jobs = [(Path(page), Path(target)) for page, target in jobs]
    executable = executable or chromium()
    if executable is None:
        raise PdfFailed("Chromium is not installed (Debian package 'chromium'; "
                        "scripts/install_browser.sh installs it as root)")
    if not jobs:
        return []
    with tempfile.TemporaryDirectory(prefix="camlo-pdf-") as folder:
        folder = Path(folder)
        copies = [_printed_copy(page, folder, f"page_{i}.html") for i, (page, _) in enumerate(jobs)]
        queue = list(range(len(jobs)))
        finished: list[int] = []
        browser = _Browser(executable, folder)
        try:
            def start(i: int) -> None:
                def attached(result: dict) -> None:
                    session = result["sessionId"]
                    browser.on(session, "Page.loadEventFired", lambda _: browser.send(
                        "Runtime.evaluate", {"expression": SETTLE, "awaitPromise": True}, session,
                        lambda _: browser.send("Page.printToPDF", PRINT_OPTIONS, session,
                                               lambda pdf: write(i, target_id, pdf))))
                    browser.send("Page.enable", {}, session,
                                 lambda _: browser.send("Page.navigate", {"url": copies[i].as_uri()}, session))

                def created(result: dict) -> None:
                    nonlocal target_id
                    target_id = result["targetId"]
                    browser.send("Target.attachToTarget", {"targetId": target_id, "flatten": True}, then=attached)

                target_id = ""
                browser.send("Target.createTarget", {"url": "about:blank"}, then=created)

            def write(i: int, target_id: str, pdf: dict) -> None:
                target = jobs[i][1]
                data = base64.b64decode(pdf.get("data", ""))
                if not data.startswith(b"%PDF"):
                    raise PdfFailed(f"Chromium could not print {jobs[i][0].name}: {browser.log()}")
                target.write_bytes(normalise_pdf(data))
                browser.send("Target.closeTarget", {"targetId": target_id})
                finished.append(i)
                if printed is not None:
                    printed(target)
                if queue:
                    start(queue.pop(0))

            for _ in range(min(parallel, len(queue))):
                start(queue.pop(0))
            browser.run(lambda: len(finished) == len(jobs), time.monotonic() + TIMEOUT * len(jobs))
        finally:
            browser.close()
    return [target for _, target in jobs]


def print_pdf(page: Path, target: Path, executable: str | None = None) -> Path:
    """Print the HTML file ``page`` to ``target`` as PDF (the page's CSS sets A4 and the footer).

    Raises:
        PdfFailed: No Chromium, or it printed nothing (its error output is given).
    """
    return print_pdfs([(page, target)], executable, parallel=1)[0]
