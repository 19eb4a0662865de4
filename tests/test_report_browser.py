"""The HTML reports as a reader sees them, in headless Chromium (Debian package ``chromium``).

Skips, saying why, only where the browser is not installed (``make test`` installs it where
the machine allows).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from camlo.report.build import numbered_notebooks

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=10000"]

# Appended to a copy of a report: after load, record each image's state and the body font.
PROBE = """
<script>
window.addEventListener('load', () => {
  const images = [...document.images].map(i => [i.complete, i.naturalWidth]);
  const font = getComputedStyle(document.body).fontFamily;
  const text = document.body.innerText;
  document.body.setAttribute('data-probe', JSON.stringify({
    images, font, dejavu: document.fonts.check('16px "DejaVu Sans"', 'ệ ộ ủ ư ơ đ'),
    vietnamese: (text.match(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/gi) || []).length,
  }));
});
</script>
"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package "
                                "'chromium'; `make test` installs it where apt-get is usable)")


def render(page, tmp_path) -> dict:
    """Load ``page`` in headless Chromium and return what the probe recorded."""
    probe_copy = tmp_path / f"probe_{page.name}"
    probe_copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe_copy.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    match = re.search(r"data-probe=\"([^\"]*)\"", result.stdout)
    assert match, "the page did not finish loading"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.parametrize("variant", ["", "_no_code"])
def test_every_figure_loads_and_vietnamese_renders(built, tmp_path, variant):
    for notebook in numbered_notebooks():
        page = built / "reports" / f"{notebook.stem}{variant}.html"
        seen = render(page, tmp_path)
        assert seen["images"], f"{page.name} shows no figure"
        broken = [i for i, (complete, width) in enumerate(seen["images"]) if not complete or width == 0]
        assert not broken, f"{page.name}: images {broken} did not load"
        assert seen["vietnamese"] > 20, f"{page.name}: little Vietnamese text on the page"
        assert seen["dejavu"], "DejaVu Sans (which carries every Vietnamese glyph) is not available"


def test_index_page_links_resolve(built, tmp_path):
    index = built / "reports" / "index.html"
    seen = render(index, tmp_path)
    assert seen["vietnamese"] > 10
    for href in re.findall(r'href="([^"]+)"', index.read_text(encoding="utf-8")):
        assert (index.parent / href).exists(), href
