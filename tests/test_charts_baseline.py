"""camlo.charts.fig01_baseline: notebook 01's figures draw exactly the numbers camlo.consistency.published returns.

nbval does not compare images, so the numbers behind each figure are asserted here, in both
languages, together with where every visible word comes from.
"""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from camlo.measures import status as st
from camlo.charts import fig01_baseline as charts
from camlo.report.figures import save_figures
from camlo.text.labels import label, unit_label
from camlo.text.numbers import LANGS, format_number, format_pct
from camlo.paths import FIGURES
from shipped_tables import SHIPPED, draw_shipped, figure_data

LANG = pytest.mark.parametrize("lang", LANGS)


def bars(fig: Figure) -> list[Rectangle]:
    """The bar rectangles of the figure's one axes, in drawing order."""
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]


def texts(fig: Figure) -> list[str]:
    """Every non-empty text the figure shows (titles, ticks, annotations, legend, captions)."""
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


# --- Households by status -----------------------------------------------------------------------


@LANG
def test_households_by_status_draws_the_status_counts(lang):
    status = st.household_status(SHIPPED.households, SHIPPED.headline)
    fig = charts.households_by_status(st.household_status(SHIPPED.households, SHIPPED.headline), lang)
    assert [b.get_width() for b in bars(fig)] == status["households"].tolist() == [453, 634, 13818]
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [label(s, lang) for s in status["status"]]
    assert ax.get_title(loc="left") == label("b01_status_title", lang)
    assert ax.get_xlabel() == label("households", lang)
    notes = [a.get_text() for a in ax.texts]
    assert notes == [f"{format_number(n, lang)} ({format_pct(s, lang)})"
                     for n, s in zip(status["households"], status["share_pct"])]
    assert notes[-1] == {"en": "13,818 (92.71%)", "vi": "13.818 (92,71%)"}[lang]
    assert label("b01_source_section_1", lang) in texts(fig)


# --- Poverty rate by unit -----------------------------------------------------------------------


@LANG
def test_poverty_rate_by_unit_draws_recomputed_rates(lang):
    rates = st.poverty_rate_by_unit(SHIPPED.households)
    units, district = rates.iloc[:-1], float(rates["rate_pct"].iloc[-1])
    fig = charts.poverty_rate_by_unit(st.poverty_rate_by_unit(SHIPPED.households), lang)
    ax = fig.axes[0]
    widths = [b.get_width() for b in bars(fig)]
    assert widths == pytest.approx(units["rate_pct"].tolist())
    assert round(widths[5], 2) == 7.36  # Cam Tuyên, printed 3.76
    lines = [line for line in ax.get_lines() if isinstance(line, Line2D)]
    assert [line.get_xdata()[0] for line in lines] == pytest.approx([district])
    assert round(district, 2) == 3.04
    assert [t.get_text() for t in ax.get_yticklabels()] == [unit_label(c, lang) for c in units["unit"]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{label('district_rate', lang)}: {format_pct(district, lang)}"]
    assert legend[0].endswith({"en": "3.04%", "vi": "3,04%"}[lang])
    assert ax.get_xlabel() == label("poverty_rate_pct", lang)
    assert ax.get_title(loc="left") == label("b01_rates_title", lang)


def test_poverty_rate_units_read_top_to_bottom_in_printed_order():
    ax = charts.poverty_rate_by_unit(st.poverty_rate_by_unit(SHIPPED.households), "en").axes[0]
    assert ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Thanh An", "Cam Lộ township"]


# --- Poor households split ----------------------------------------------------------------------


@LANG
def test_poor_split_draws_published_parts_and_the_reconciled_value(lang):
    split = st.poor_split(SHIPPED.households)
    fig = charts.poor_split_by_unit(figure_data("01_poor_split_by_unit"), lang)
    rectangles = bars(fig)
    filled = [b for b in rectangles if b.get_fill()]
    outlined = [b for b in rectangles if not b.get_fill()]
    n = len(split)
    assert [b.get_width() for b in filled[:n]] == split["btxh"].tolist()
    assert [b.get_width() for b in filled[n:]] == split["csgn"].tolist()  # published, 48 for Cam Tuyên
    assert [b.get_x() for b in filled[n:]] == split["btxh_reconciled"].tolist()
    # Cam Tuyên's reconciled CSGN: an outline of 56 from the same start, the 8 missing hatched
    outline, gap = outlined
    cam_tuyen = split.index[split["unit"] == "Cam Tuyên"][0]
    assert (outline.get_x(), outline.get_width(), outline.get_y() + outline.get_height() / 2) == (53, 56, cam_tuyen)
    assert (gap.get_x(), gap.get_width(), gap.get_hatch()) == (101, 8, "///")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [label("btxh", lang), label("csgn", lang), label("csgn_reconciled", lang)]
    assert label("reconciled", lang) in legend[-1]
    totals = [a.get_text() for a in fig.axes[0].texts]
    assert totals == [format_number(p, lang) for p in split["poor"]]


@LANG
def test_poor_split_note_says_why(lang):
    shown = "\n".join(texts(charts.poor_split_by_unit(figure_data("01_poor_split_by_unit"), lang)))
    note = label("split_reconciled_note", lang).format(unit="Cam Tuyên", part="CSGN", published=48, reconciled=56,
                                                poor=109, other=53, other_part="BTXH")
    assert note in shown
    assert label("b01_source_phu_luc_1", lang) in shown


# --- Languages and files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", charts.NAMES)
def test_vietnamese_figures_show_no_english_label(name):
    english = {label(key, "en") for key in ("households", "poor", "near_poor", "btxh", "csgn", "district_rate",
                                             "poverty_rate_pct", "csgn_reconciled", "b01_status_title",
                                             "b01_rates_title", "b01_split_title")}
    shown = texts(draw_shipped(name, "vi"))
    assert not english & set(shown)
    assert "Cam Lộ township" not in shown  # the township's Vietnamese name is "TT Cam Lộ"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    directory = tmp_path_factory.mktemp("figures")
    return directory, save_figures({name: figure_data(name) for name in charts.NAMES}, directory)


def test_save_all_writes_png_and_svg_in_both_languages(saved):
    directory, written = saved
    assert sorted(p.relative_to(directory).as_posix() for p in written) == sorted(
        f"{lang}/{name}.{ext}" for name in charts.NAMES for lang in LANGS for ext in ("png", "svg"))


def test_committed_figures_are_what_the_code_makes_now(saved):
    """A re-run leaves the committed ``figures/{en,vi}/01_*`` files byte-identical."""
    directory, written = saved
    for path in written:
        committed = FIGURES / path.relative_to(directory)
        assert committed.exists(), f"{committed.name} missing: run notebooks/01_baseline.ipynb"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is out of date"
