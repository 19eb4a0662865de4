"""camlo.charts.style and camlo.text.labels: reproducible files, a pinned font, a complete bilingual table."""

from __future__ import annotations

import csv
import importlib
import re
import struct
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

import camlo.charts.fig01_baseline  # noqa: F401  (registers notebook 01's figures)
from camlo.charts import style as figures
from camlo.report.figures import save_figures
from shipped_tables import draw_shipped as draw
from shipped_tables import figure_data
from camlo.text import labels, numbers
from camlo.errors import DataError
from camlo.paths import PROJECT_ROOT
from camlo.clean.annexes import indicators, load_units

#: One of notebook 01's figures: real text in both languages, bars, hatching, a legend.
SAMPLE = "01_poor_split_by_unit"


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        chunks.append((data[at + 4:at + 8], data[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


def save_sample(directory: Path, name: str = SAMPLE) -> list[Path]:
    return save_figures({name: figure_data(name)}, directory)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> list[Path]:
    """The sample figure saved once, in both languages and both formats."""
    return save_sample(tmp_path_factory.mktemp("saved"))


# --- Theme and font -----------------------------------------------------------------------------


def test_theme_pins_dejavu_sans_and_the_svg_salt():
    with figures.theme():
        assert plt.rcParams["font.family"] == ["sans-serif"]
        assert plt.rcParams["font.sans-serif"] == ["DejaVu Sans"]
        assert plt.rcParams["svg.hashsalt"] == "camlo"
        found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
        assert Path(found).name == "DejaVuSans.ttf"


def test_theme_restores_the_callers_settings():
    with plt.rc_context({"font.sans-serif": ["Arial"], "svg.hashsalt": None}):
        with figures.theme():
            assert plt.rcParams["font.sans-serif"] == ["DejaVu Sans"]
        assert plt.rcParams["font.sans-serif"] == ["Arial"]
        assert plt.rcParams["svg.hashsalt"] is None


def test_registered_figures_use_dejavu_sans_whatever_the_caller_set():
    with plt.rc_context({"font.family": ["serif"], "font.sans-serif": ["Arial"]}):
        fig = draw(SAMPLE, "vi")
    fonts = {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname")) if t.get_text()}
    assert fonts == {"DejaVu Sans"}


def test_dejavu_sans_has_every_character_of_every_label():
    charmap = FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    shown = [text for row in labels.LABELS.values() for text in row.values()]
    shown += [labels.unit_label(u, lang) for u in load_units()["unit"] for lang in labels.LANGS]
    shown += [labels.indicator_label(j, lang) for j in range(1, 13) for lang in labels.LANGS]
    missing = {c for text in shown for c in text if c != "\n" and ord(c) not in charmap}
    assert not missing


# --- Byte-reproducible files --------------------------------------------------------------------


def test_saving_twice_gives_identical_files(saved, tmp_path):
    again = save_sample(tmp_path)
    assert len(saved) == len(again) == 4
    for a, b in zip(saved, again):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_files_do_not_depend_on_the_callers_style(saved, tmp_path):
    with plt.style.context("ggplot"), plt.rc_context({"font.sans-serif": ["Arial"], "svg.hashsalt": None}):
        styled = save_sample(tmp_path)
    for a, b in zip(saved, styled):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_files_are_identical_across_processes(saved, tmp_path):
    """A fresh interpreter with another hash seed writes the same bytes."""
    here = saved
    code = ("import sys; from pathlib import Path; from camlo.report.figures import save_figures; "
            "from camlo.answers import baseline; "
            f"save_figures({{{SAMPLE!r}: baseline.run().figures[{SAMPLE!r}]}}, Path(sys.argv[1]))")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, cwd=PROJECT_ROOT,
                   env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    for path in here:
        twin = tmp_path / "there" / path.parent.name / path.name
        assert twin.read_bytes() == path.read_bytes(), twin


def test_png_records_no_software_and_no_time(saved):
    for path in saved:
        if path.suffix != ".png":
            continue
        chunks = png_chunks(path.read_bytes())
        kinds = [kind for kind, _ in chunks]
        assert b"tIME" not in kinds
        keys = [payload.split(b"\0", 1)[0] for kind, payload in chunks if kind in (b"tEXt", b"iTXt", b"zTXt")]
        assert b"Software" not in keys
        assert not any(b"atplotlib" in payload for kind, payload in chunks if kind != b"IDAT")


def test_svg_records_no_date_and_no_version(saved):
    for path in saved:
        if path.suffix != ".svg":
            continue
        text = path.read_text(encoding="utf-8")
        assert "<dc:date>" not in text and "<dc:creator>" not in text
        assert "Matplotlib v" not in text
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d", text)
        assert "<text" not in text  # glyphs drawn as paths: no dependence on the reader's fonts


# --- The registry -------------------------------------------------------------------------------


def test_figure_registers_once_and_refuses_a_second_function():
    def first(data, lang="en"):
        return Figure()

    def second(data, lang="en"):
        return Figure()

    try:
        registered = figures.figure("99_test")(first)
        assert figures.REGISTRY["99_test"].draw is registered and registered.__wrapped__ is first
        assert figures.figure("99_test")(first).__wrapped__ is first  # the same function again: fine
        with pytest.raises(ValueError, match="registered twice"):
            figures.figure("99_test")(second)
    finally:
        figures.REGISTRY.pop("99_test", None)


def test_registered_functions_run_inside_the_theme():
    seen = {}

    def probe(data, lang="en"):
        seen["font"] = list(plt.rcParams["font.sans-serif"])
        return Figure()

    try:
        with plt.rc_context({"font.sans-serif": ["Arial"]}):
            figures.figure("99_probe")(probe)(None)
            assert plt.rcParams["font.sans-serif"] == ["Arial"]
    finally:
        figures.REGISTRY.pop("99_probe", None)
    assert seen["font"] == ["DejaVu Sans"]


def test_every_figure_is_registered_under_its_notebook_number():
    modules = sorted(f"camlo.charts.{p.stem}" for p in Path(figures.__file__).parent.glob("fig[0-9][0-9]_*.py"))
    assert sorted(figures.FIGURE_MODULES) == modules  # every figure module is loaded, so checked below
    registry = figures.load_figure_modules()
    for name, registered in registry.items():
        assert re.fullmatch(r"\d\d_[a-z0-9_]+", name), name
        module = importlib.import_module(registered.draw.__module__)
        assert module.__name__.startswith(f"camlo.charts.fig{name[:2]}_"), (name, module.__name__)
        assert name in module.NAMES


def test_drawing_and_saving_leave_the_callers_matplotlib_settings_alone(tmp_path):
    """Importing camlo, drawing and saving change neither rcParams nor the colour shorthands."""
    import matplotlib as mpl
    from matplotlib import colors

    before = dict(mpl.rcParams)
    shorthand = colors.to_rgb("g")
    draw(SAMPLE, "en")
    save_sample(tmp_path)
    after = dict(mpl.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()
    assert colors.to_rgb("g") == shorthand


# --- The bilingual label table ------------------------------------------------------------------


def label_rows() -> list[dict[str, str]]:
    with labels.LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_label_table_has_no_duplicate_keys():
    counts = Counter(row["key"] for row in label_rows())
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_label_is_given_in_both_languages_in_nfc():
    for row in label_rows():
        assert set(row) == {"key", *labels.LANGS}, row
        for lang in labels.LANGS:
            text = row[lang]
            assert text and text == text.strip(), (row["key"], lang)
            assert unicodedata.is_normalized("NFC", text), (row["key"], lang)
            assert labels.label(row["key"], lang) == text


def test_every_unit_has_a_name_in_both_languages():
    units = load_units()
    for row in units.itertuples():
        assert labels.unit_label(row.unit, "vi") == row.unit
        assert labels.unit_label(row.unit, "en") == row.name_en
    assert labels.unit_label("TT Cam Lộ", "en") == "Cam Lộ township"
    assert labels.unit_label("district", "vi") == labels.label("district", "vi")


def test_every_indicator_and_dimension_has_a_name_in_both_languages():
    table = indicators()
    for row in table.itertuples():
        assert labels.indicator_label(row.indicator, "en") == row.name_en
        assert labels.indicator_label(row.indicator, "vi") == row.name_vi
        assert labels.indicator_label(row.indicator, "vi", numbered=True) == f"{row.indicator}. {row.name_vi}"
        assert labels.dimension_label(row.dimension_en, "vi") == row.dimension_vi
        assert labels.dimension_label(row.dimension_en, "en") == row.dimension_en
    assert len({labels.indicator_label(j, "vi") for j in range(1, 13)}) == 12


def test_unknown_keys_and_languages_fail_loudly():
    with pytest.raises(KeyError, match="no label 'nonsense'"):
        labels.label("nonsense")
    with pytest.raises(ValueError, match="lang must be one of"):
        labels.label("poor", "fr")
    with pytest.raises(KeyError, match="no dimension"):
        labels.dimension_label("Wealth")


def test_a_duplicate_key_is_refused(tmp_path):
    table = tmp_path / "labels.csv"
    table.write_text("key,en,vi\npoor,Poor,Nghèo\npoor,Poor again,Nghèo\n", encoding="utf-8")
    with pytest.raises(DataError, match="label defined twice"):
        labels.read_labels(table)


@pytest.mark.parametrize(("value", "places", "en", "vi"), [
    (14905, 0, "14,905", "14.905"),
    (1234567.891, 2, "1,234,567.89", "1.234.567,89"),
    (0.125, 2, "0.13", "0,13"),
    (0, 2, "0.00", "0,00"),
])
def test_numbers_are_written_as_each_language_prints_them(value, places, en, vi):
    assert numbers.format_number(value, "en", places) == en
    assert numbers.format_number(value, "vi", places) == vi


# --- Drawn once: the PNG cropped from one drawing, the SVG with the same layout ------------------


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("name", ["04_rank_by_k", "02_dimension_rates"])  # constrained layout; tight_layout
def test_a_png_cropped_from_one_drawing_is_what_a_tight_savefig_gives(name):
    import io

    from camlo.charts.style import DPI, theme
    from camlo.report.figures import png_bytes

    fig = draw(name)
    buffer = io.BytesIO()
    with theme():
        fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    ours, tight = _pixels(png_bytes(draw(name))), _pixels(buffer.getvalue())
    # the same picture, placed to the pixel instead of a fraction of one (and so a pixel larger or not)
    assert abs(ours.shape[0] - tight.shape[0]) <= 1 and abs(ours.shape[1] - tight.shape[1]) <= 1
    rows, cols = min(ours.shape[0], tight.shape[0]), min(ours.shape[1], tight.shape[1])
    assert abs(ours[:rows, :cols] - tight[:rows, :cols]).mean() < 6
    assert abs(ours.mean() - tight.mean()) < 0.5


def test_a_figure_drawing_past_its_canvas_is_not_cut():
    from camlo.report.figures import render

    fig = Figure(figsize=(4, 3), layout="constrained")
    fig.subplots().plot([0, 1])
    fig.text(1.2, 0.5, "far to the right")  # past the canvas's right edge
    png, box = render(fig)
    width, _ = struct.unpack(">II", png[16:24])
    assert box.x1 > 4.5 and width == int(box.width * 150)
    assert _pixels(png)[:, -40:].min() < 200  # the text is there, at the right


def test_the_svg_keeps_the_layout_of_the_png_and_the_figure_its_layout_engine(tmp_path):
    from camlo.report.figures import render, save_figure

    fig = draw("04_rank_by_k")
    png, _ = render(fig)
    engine = fig.get_layout_engine()
    positions = [ax.get_position().bounds for ax in fig.axes]
    save_figure(fig, "x", "en", tmp_path, png=png)
    assert fig.get_layout_engine() is engine
    assert [ax.get_position().bounds for ax in fig.axes] == positions
    assert (tmp_path / "en" / "x.png").read_bytes() == png


def test_every_figure_fits_its_canvas_in_both_languages():
    """Nothing is drawn past a figure's edge: its PNG is cropped from one drawing (no second one)."""
    from camlo.charts.style import DPI, theme

    past = []
    for name, registered in sorted(figures.load_figure_modules().items()):
        data = figure_data(name)
        for lang in labels.LANGS:
            fig = registered.draw(data, lang=lang)
            with theme():
                fig.dpi = DPI
                fig.draw_without_rendering()
                drawn = fig.get_tightbbox()
            width, height = fig.get_size_inches()
            if drawn.x0 < 0 or drawn.y0 < 0 or drawn.x1 > width or drawn.y1 > height:
                past.append((name, lang, [round(float(v), 2) for v in drawn.extents]))
    assert past == []


def test_the_callers_matplotlib_settings_do_not_change_the_files(tmp_path):
    """A session with autolayout, images from below and a grey transparent savefig gets the same bytes."""
    import matplotlib as mpl

    from camlo.report.figures import save_figure

    name = "04_co_deprivation"  # constrained layout with a colour bar
    plain = [p.read_bytes() for p in save_figure(draw(name), name, "en", tmp_path / "plain")]
    hostile = {"figure.autolayout": True, "image.origin": "lower", "savefig.facecolor": "#eeeeee",
               "savefig.transparent": True}
    with mpl.rc_context(hostile):
        fig = draw(name)
        engine = fig.get_layout_engine()
        assert [p.read_bytes() for p in save_figure(fig, name, "en", tmp_path / "hostile")] == plain
    assert fig.get_layout_engine() is engine


def test_a_figure_changed_after_it_was_shown_is_saved_as_it_is_now(tmp_path):
    from camlo.report.figures import png_bytes, save_figure

    fig = draw("04_rank_by_k")
    shown = png_bytes(fig)
    fig.suptitle("A title added after the figure was shown\nover two lines")
    png, svg = save_figure(fig, "x", "en", tmp_path, png=shown)
    fresh = draw("04_rank_by_k")
    fresh.suptitle("A title added after the figure was shown\nover two lines")
    again = save_figure(fresh, "y", "en", tmp_path)
    assert png.read_bytes() != shown
    assert png.read_bytes() == again[0].read_bytes() and svg.read_bytes() == again[1].read_bytes()


def test_a_transparent_figure_is_padded_with_transparent_white():
    import io

    import numpy as np
    from PIL import Image

    from camlo.report.figures import png_bytes

    fig = Figure(figsize=(3, 2), layout="constrained", facecolor="none")
    fig.subplots().plot([0, 1])
    corner = np.asarray(Image.open(io.BytesIO(png_bytes(fig))).convert("RGBA"))[0, 0]
    assert corner.tolist() == [255, 255, 255, 0]


def test_every_registered_figure_is_drawn_from_a_notebooks_answer():
    """One convention for a figure's input: a field of its notebook's answer, under the figure's name."""
    from shipped_tables import shipped_answers

    drawn = {name: number for number, answer in shipped_answers().items() for name in answer.figures}
    assert sorted(drawn) == sorted(figures.load_figure_modules())
    assert all(name.startswith(number) for name, number in drawn.items())
