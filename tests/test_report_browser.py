"""The reports as a reader sees them, offline, in headless Chromium (Debian package ``chromium``).

The browser runs with the network blocked: every request it would send off the machine goes to
a proxy on the loopback address that records it and answers nothing, and a test fails if any
page asked for anything (a script, a style, a font, MathJax) from outside. Chromium also calls
its own services (component updates, network time, accounts) whatever page it shows; those
hosts are learnt by loading an empty local page first and are not held against the reports,
while the page's own list of what it loaded (resource timing) must hold only local files. Each page must also
show its formulas typeset (MathML), never as raw ``$…$`` TeX, its figures loaded, and its
Vietnamese text in a font that has the glyphs.

Skips, saying why, only where the browser is not installed (``make test`` installs it where
the machine allows).
"""

from __future__ import annotations

import json
import re
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Iterator

import pytest

from camlo.report.build import numbered_notebooks

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
         "--virtual-time-budget=10000"]

# Appended to a copy of a page: after load, record what the reader would see.
PROBE = """
<script>
window.addEventListener('load', () => {
  const images = [...document.images].map(i => [i.complete, i.naturalWidth]);
  const font = getComputedStyle(document.body).fontFamily;
  const text = document.body.innerText;
  // visible prose: text outside code, inputs, scripts and formulas
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let prose = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('pre, code, script, style, math, .jp-InputArea')) continue;
    if (parent.offsetParent === null && getComputedStyle(parent).position !== 'fixed') continue;
    prose += node.textContent + ' ';
  }
  const maths = [...document.querySelectorAll('math')];
  const resources = performance.getEntriesByType('resource').map(r => r.name);
  let switched = null;
  const en = document.getElementById('lang-en');
  if (en) {
    const shown = cls => [...document.querySelectorAll('figure.' + cls)].filter(f => f.offsetParent !== null).length;
    const before = [shown('en'), shown('vi')];
    en.click();
    switched = [before, [shown('en'), shown('vi')]];
  }
  document.body.setAttribute('data-probe', JSON.stringify({
    images, font, resources, switched,
    dejavu: document.fonts.check('16px "DejaVu Sans"', 'ệ ộ ủ ư ơ đ'),
    vietnamese: (text.match(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/gi) || []).length,
    tex: (prose.match(/\\$[^$\\n]{1,80}\\$/g) || []).slice(0, 5),
    math: maths.length,
    math_drawn: maths.filter(m => m.getBoundingClientRect().width > 0).length,
  }));
});
</script>
"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package "
                                "'chromium'; `make test` installs it where apt-get is usable)")


class _Recorder(socketserver.BaseRequestHandler):
    """A proxy that records the first line of each request and answers nothing."""

    def handle(self) -> None:
        self.request.settimeout(5)
        try:
            first = self.request.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
        except OSError:
            first = "(unreadable request)"
        if first:  # a connection opened and closed without a request asks for nothing
            self.server.requests.append(first)


def host(request_line: str) -> str:
    """The host a proxied request goes to (``CONNECT host:443`` or ``GET http://host/...``).

    Examples:
        >>> host("CONNECT update.googleapis.com:443 HTTP/1.1"), host("GET http://a.example/x.js HTTP/1.1")
        ('update.googleapis.com', 'a.example')
    """
    target = request_line.split(" ")[1] if " " in request_line else request_line
    return re.sub(r"^[a-z]+://", "", target).split("/")[0].split(":")[0]


@pytest.fixture(scope="module")
def offline_proxy(tmp_path_factory) -> Iterator[tuple[str, list[str], set[str]]]:
    """A black-hole proxy on 127.0.0.1 (every request the browser sends out ends up in its list),
    and the hosts Chromium calls on its own, for an empty page."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Recorder)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    proxy = f"127.0.0.1:{server.server_address[1]}"
    try:
        folder = tmp_path_factory.mktemp("blank")
        blank = folder / "blank.html"
        blank.write_text("<html><body><p>ệ ộ ủ ư ơ đ</p></body></html>", encoding="utf-8")
        render(blank, folder, proxy)
        own = {host(r) for r in server.requests}
        yield proxy, server.requests, own
    finally:
        server.shutdown()
        server.server_close()


def render(page, tmp_path, proxy: str) -> dict:
    """Load ``page`` in headless Chromium, network blocked, and return what the probe recorded."""
    probe_copy = page.with_name(f".probe_{page.name}")  # beside the page: its relative links resolve
    probe_copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        result = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--proxy-server=http://{proxy}",
             "--proxy-bypass-list=<-loopback>", "--dump-dom", probe_copy.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        )
    finally:
        probe_copy.unlink()
    match = re.search(r"data-probe=\"([^\"]*)\"", result.stdout)
    assert match, "the page did not finish loading"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))


def pages(built) -> list:
    reports = built / "reports"
    return [reports / "index.html", *(reports / f"{nb.stem}{variant}.html"
                                      for nb in numbered_notebooks() for variant in (".vi", ".en", ""))]


def test_every_page_reads_offline(built, tmp_path, offline_proxy):
    """No page asks for anything off the machine; formulas are typeset; figures and Vietnamese show."""
    proxy, requests, own = offline_proxy
    for page in pages(built):
        before = len(requests)
        seen = render(page, tmp_path, proxy)
        sent = [r for r in requests[before:] if host(r) not in own]
        assert sent == [], f"{page.name} sent requests off the machine: {sent}"
        outside = [r for r in seen["resources"] if not r.startswith(("file:", "data:"))]
        assert not outside, f"{page.name} loaded {outside}"
        assert seen["tex"] == [], f"{page.name} shows raw TeX: {seen['tex']}"
        assert seen["math"] == seen["math_drawn"], f"{page.name}: formulas not drawn"
        assert seen["images"], f"{page.name} shows no figure"
        broken = [i for i, (complete, width) in enumerate(seen["images"]) if not complete or width == 0]
        assert not broken, f"{page.name}: images {broken} did not load"
        assert seen["vietnamese"] > 10, f"{page.name}: little Vietnamese text on the page"
        assert seen["dejavu"], "DejaVu Sans (which carries every Vietnamese glyph) is not available"


def test_formulas_are_typeset(built, tmp_path, offline_proxy):
    """Notebook 02 writes its formulas in TeX; its report shows them as MathML."""
    proxy, _, _ = offline_proxy
    page = built / "reports" / "02_deprivation_patterns.vi.html"
    seen = render(page, tmp_path, proxy)
    assert seen["math"] >= 10 and seen["math_drawn"] == seen["math"]
    assert seen["tex"] == []


def test_the_probe_sees_raw_tex_and_outside_requests(tmp_path, offline_proxy):
    """The checks above can fail: a page with raw TeX and a remote script is caught on both counts."""
    proxy, requests, own = offline_proxy
    page = tmp_path / "bad.html"
    page.write_text('<html><body><p>weight $w_j = 1/12$ ệ ộ ủ ư ơ đ ệ ộ ủ ư ơ đ</p>'
                    '<script src="http://example.invalid/x.js"></script></body></html>', encoding="utf-8")
    before = len(requests)
    seen = render(page, tmp_path, proxy)
    assert seen["tex"] == ["$w_j = 1/12$"]
    assert "example.invalid" not in own
    assert any(host(r) == "example.invalid" for r in requests[before:])
    assert any("example.invalid" in r for r in seen["resources"])


def test_index_opens_in_vietnamese_and_switches_to_english(built, tmp_path, offline_proxy):
    proxy, _, _ = offline_proxy
    seen = render(built / "reports" / "index.html", tmp_path, proxy)
    (en_before, vi_before), (en_after, vi_after) = seen["switched"]
    assert vi_before > 0 and en_before == 0
    assert vi_after == 0 and en_after == vi_before


def test_index_page_links_resolve(built):
    index = built / "reports" / "index.html"
    for target in re.findall(r'(?:href|src)="([^"]+)"', index.read_text(encoding="utf-8")):
        assert (index.parent / target).exists(), target
