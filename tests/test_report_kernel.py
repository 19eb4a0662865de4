"""The report build's kernels: a figure a notebook shows is saved as shown, byte for byte."""

from __future__ import annotations

import base64

from camlo.charts.style import DPI, load_figure_modules
from matplotlib.figure import Figure

from camlo.report import figures, kernel
from shipped_tables import figure_data, shipped_answers

NAME = "01_households_by_status"


def test_a_shown_figure_is_saved_as_drawn_anew_would_be(tmp_path):
    registry = load_figure_modules()
    data = figure_data(NAME).copy()  # an object of its own: the kernel keeps figures by the data's identity
    fresh = figures.save_figures({NAME: data}, tmp_path / "fresh")
    fig = registry[NAME].draw(data, "en")  # as the notebook shows it
    shown, size = kernel.render_for_display(fig)
    kept = figures.save_figures({NAME: data}, tmp_path / "kept")
    assert [p.read_bytes() for p in kept] == [p.read_bytes() for p in fresh]
    assert base64.b64decode(shown) == (tmp_path / "kept" / "en" / f"{NAME}.png").read_bytes()
    width = int.from_bytes(base64.b64decode(shown)[16:20], "big")
    assert size["width"] == round(width * 100 / DPI)  # shown at the size of a 100 dpi image
    assert kernel.take_shown(NAME, "en", data) == (None, None)  # used once, then forgotten


def test_only_figures_drawn_from_the_same_data_object_are_kept(tmp_path):
    registry = load_figure_modules()
    data = figure_data(NAME).copy()  # an object of its own: the kernel keeps figures by the data's identity
    fig = registry[NAME].draw(data, "en")
    kernel.render_for_display(fig)
    assert kernel.take_shown(NAME, "en", data.copy()) == (None, None)
    assert kernel.take_shown(NAME, "vi", data) == (None, None)
    assert kernel.take_shown(NAME, "en", data)[0] is fig
    assert kernel.render_for_display(Figure()) is None  # a figure of no registered function: shown as usual


def test_saving_side_by_side_writes_the_same_files(tmp_path):
    data = shipped_answers()["01"].figures
    serial = figures.save_figures(data, tmp_path / "serial")
    forked = figures.save_figures(data, tmp_path / "forked", workers=2)
    assert [p.relative_to(tmp_path / "forked") for p in forked] == [p.relative_to(tmp_path / "serial") for p in serial]
    assert [p.read_bytes() for p in forked] == [p.read_bytes() for p in serial]
