"""What a figure costs to make: each is drawn once (when saved), its PNG is the same bytes on
every run, its source line is legible, and ``INCLUSION_FIGURES=static`` leaves out the twin."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from shapely.geometry import box  # noqa: E402

from inclusion_evidence.present import charts, figures, interactive, maps  # noqa: E402

LONG_SOURCE = ("Eurostat, lfst_r_lfu3rt (unemployment rates by sex, age, citizenship and NUTS 2 region), "
               "retrieved 2026-11-23; Eurostat GISCO NUTS 2021 boundaries at 1:60 million, retrieved 2026-11-23")


def _regions() -> gpd.GeoDataFrame:
    """Nine squares in mainland Europe (EPSG:3035), one without a value, one flagged u, one outside the EU."""
    codes = ["AT11", "AT12", "BE10", "DE30", "ES30", "FR10", "IT11", "CH01", "PL91"]
    cells = [box(4_000_000 + 150_000 * i, 2_800_000, 4_120_000 + 150_000 * i, 2_920_000) for i in range(len(codes))]
    return gpd.GeoDataFrame({"nuts_id": codes, "name": codes,
                             "rate": [5.0, 7.5, None, 12.0, 20.0, 9.0, 3.0, 4.0, 15.0],
                             "flag": ["", "u", "", "", "", "", "", "", ""]}, geometry=cells, crs=3035)


def _count_draws(fig) -> list:
    drawn = []
    fig.canvas.mpl_connect("draw_event", lambda event: drawn.append(event))
    return drawn


def _shown(monkeypatch) -> list:
    """Capture what show_figure displays instead of sending it to a kernel."""
    out = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: out.append(obj))
    return out


def test_maps_are_not_drawn_while_their_layers_are_added():
    regions = _regions()
    fig = maps.choropleth(regions, "rate", flag_column="flag", legend_title="Rate (%)", unit="%")
    drawn = _count_draws(fig)
    # the same layers again on the same axes: geopandas' plot() would draw the figure each time
    with maps.no_redraw(fig):
        regions.plot(ax=fig.axes[0], color="#cccccc")
    assert drawn == []
    regions.plot(ax=fig.axes[0], color="#cccccc")   # outside no_redraw, geopandas draws again
    assert len(drawn) == 1
    plt.close(fig)

    counts = []
    for make in (lambda: maps.category_map(regions.assign(c=[1, 2, None, 1, 2, 1, 2, 1, 2]), "c", [1, 2],
                                           ["#1b9e77", "#d95f02"]),
                 lambda: maps.points_map(pd.DataFrame({"lon": [16.4, 13.4], "lat": [48.2, 52.5]}),
                                         background=regions)):
        recorder = []
        original = matplotlib.backend_bases.FigureCanvasBase.draw_idle

        def spy(self, *args, _recorder=recorder, **kwargs):
            _recorder.append(self)
            return original(self, *args, **kwargs)

        matplotlib.backend_bases.FigureCanvasBase.draw_idle = spy
        try:
            fig = make()
        finally:
            matplotlib.backend_bases.FigureCanvasBase.draw_idle = original
        counts.append(len(recorder))
        plt.close(fig)
    assert counts == [0, 0]


def test_show_figure_draws_a_map_once_and_raise_small_text_does_not_draw(tmp_path, monkeypatch):
    _shown(monkeypatch)
    fig = maps.choropleth(_regions(), "rate", flag_column="flag", legend_title="Rate (%)", unit="%")
    drawn = _count_draws(fig)
    figures.raise_small_text(fig)
    assert drawn == []
    figures.show_figure(fig, "map", title="A map", source="Eurostat, x, 2024", alt="A map of nine squares.",
                        data=pd.DataFrame({"a": [1]}), directory=tmp_path)
    assert len(drawn) == 1        # savefig's draw only: no second layout draw


def test_raise_small_text_still_raises_tick_labels_without_drawing():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.tick_params(labelsize=6)
    drawn = _count_draws(fig)
    figures.raise_small_text(fig)
    assert drawn == []
    assert {t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()} == {9.0}
    plt.close(fig)


def _trend():
    df = pd.DataFrame({"year": [2020, 2021, 2022] * 2, "v": [1.0, 2.0, 3.0, 2.0, 2.5, 2.0],
                       "g": ["a"] * 3 + ["b"] * 3})
    return charts.trend_lines(df, x="year", y="v", hue="g", ylabel="Value"), df


def test_png_is_byte_identical_from_run_to_run(tmp_path, monkeypatch):
    _shown(monkeypatch)
    made = []
    for run in ("one", "two"):
        fig, df = _trend()
        figures.show_figure(fig, "trend", title="Trend", source=LONG_SOURCE, alt="Two lines.", data=df,
                            directory=tmp_path / run / "chapter")
        made.append((tmp_path / run / "chapter" / "trend.png").read_bytes())
        fig = maps.choropleth(_regions(), "rate", flag_column="flag", legend_title="Rate (%)")
        figures.show_figure(fig, "map", title="Map", source=LONG_SOURCE, alt="A map.", data=df,
                            directory=tmp_path / run / "chapter")
        made.append((tmp_path / run / "chapter" / "map.png").read_bytes())
    assert made[0] == made[2] and made[1] == made[3]
    assert b"Software" not in made[0] and b"tIME" not in made[0]


@pytest.mark.parametrize("figsize", [(7.5, 4.2), (7.5, 7.2), (3.5, 2.5)])
def test_source_line_is_nine_points_and_inside_the_figure_below_the_plot(tmp_path, monkeypatch, figsize):
    _shown(monkeypatch)
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot([2000, 2020], [0, 100])
    ax.set_xlabel("Year")
    figures.show_figure(fig, "line", title="A line", source=LONG_SOURCE, alt="A line.",
                        data=pd.DataFrame({"a": [1]}), directory=tmp_path)
    source = [t for t in fig.texts if t.get_text().startswith("Source:")]
    assert len(source) == 1 and source[0].get_fontsize() >= 9
    assert " ".join(source[0].get_text().split()) == f"Source: {LONG_SOURCE}"   # every word kept
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()   # show_figure closed the figure
    box_ = source[0].get_window_extent(renderer)
    whole = fig.bbox
    assert whole.x0 <= box_.x0 and box_.x1 <= whole.x1 and whole.y0 <= box_.y0 and box_.y1 <= whole.y1
    plot = ax.get_tightbbox(renderer)          # axes with their tick labels and axis label
    assert box_.y1 <= plot.y0, "the source line runs into the plot"


def test_interactive_twin_is_left_out_with_inclusion_figures_static(tmp_path, monkeypatch):
    shown = _shown(monkeypatch)
    monkeypatch.delenv(figures.FIGURES_ENV, raising=False)
    for mode in (None, "interactive", "static"):
        if mode:
            monkeypatch.setenv(figures.FIGURES_ENV, mode)
        interactive.reset_page()
        fig, df = _trend()
        figures.show_figure(fig, f"trend-{mode or 'unset'}", title="Trend", source="Eurostat, x, 2024", alt="Two lines.",
                            data=df, directory=tmp_path)
    texts = [bundle["text/markdown"] for bundle in shown]
    assert "ie-spec" in texts[0] and "ie-spec" in texts[1]
    assert "ie-spec" not in texts[2] and ":loading: lazy" not in texts[2]
    assert texts[2].startswith("````{figure}") and (tmp_path / "trend-static.png").exists()


def test_unknown_inclusion_figures_value_is_an_error_naming_the_variable(tmp_path, monkeypatch):
    _shown(monkeypatch)
    monkeypatch.setenv(figures.FIGURES_ENV, "svg")
    fig, df = _trend()
    with pytest.raises(ValueError, match=r"INCLUSION_FIGURES='svg'.*interactive or static"):
        figures.show_figure(fig, "trend", title="Trend", source="Eurostat, x, 2024", alt="Two lines.", data=df,
                            directory=tmp_path)
    plt.close(fig)

