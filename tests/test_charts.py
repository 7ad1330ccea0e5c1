"""The chart shapes of the presentation layer: one dumbbell, one labelled scatter, one categorical map, synthesis figures."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.figures import PALETTE
from inclusion_evidence.present.synthesis_figures import (
    cite_roles,
    gap_list,
    scope_matrix_figure,
    scope_word_heatmap,
    wrap,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _ticks(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def test_dumbbell_sorts_marks_u_and_drops_incomplete_rows():
    df = pd.DataFrame({"c": ["A", "B", "C"], "l": [1.0, 2.0, np.nan], "r": [5.0, 3.0, 1.0], "flag": ["", "u", ""]})
    fig = charts.dumbbell(df, label="c", left="l", right="r", left_name="L", right_name="R", xlabel="%", flag="flag")
    assert len(fig.axes) == 1
    assert _ticks(fig.axes[0]) == ["B (u)", "A"]  # sorted by the right value, C has no left value
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["L", "R"]


def test_dumbbell_panels_share_x_and_keep_panel_order():
    df = pd.DataFrame({"p": ["r2", "r1", "r2"], "c": ["A", "B", "B"], "l": [1.0, 2.0, 3.0], "r": [2.0, 1.0, 4.0]})
    fig = charts.dumbbell(df, panel="p", label="c", left="l", right="r", left_name="L", right_name="R", xlabel="%")
    assert [ax.get_title() for ax in fig.axes] == ["r2", "r1"]
    assert _ticks(fig.axes[0]) == ["A", "B"] and _ticks(fig.axes[1]) == ["B"]
    assert fig.axes[0].get_shared_x_axes().joined(fig.axes[0], fig.axes[1])
    assert fig.axes[0].get_legend() is None and fig.axes[1].get_legend() is not None


def test_labelled_scatter_hollow_u_points_labels_and_zero_line():
    df = pd.DataFrame({"geo": ["AT", "BE", "CY"], "x": [50.0, 60.0, np.nan], "y": [1.0, -2.0, 3.0],
                       "flag": ["", "u", ""]})
    fig = charts.labelled_scatter(df, x="x", y="y", label="geo", xlabel="x", ylabel="y", flag="flag")
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["AT", "BE"]
    hollow = ax.collections[1]
    assert tuple(hollow.get_facecolor()[0]) == (1.0, 1.0, 1.0, 1.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["estimate", "low reliability (u)"]
    assert [line.get_ydata()[0] for line in ax.lines] == [0]  # the zero line, and no fitted line


def test_labelled_scatter_hue_fit_highlight_and_merged_labels():
    df = pd.DataFrame({"x": [10.0, 20.0, 30.0, 40.0], "y": [1.0, 2.0, 3.0, 4.0], "g": ["b", "a", "a", "b"]})
    fig = charts.labelled_scatter(df, x="x", y="y", label=None, hue="g", fit=True, xlabel="x", ylabel="y")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "Least-squares line"]
    assert not ax.texts
    fitted = ax.lines[0]
    assert fitted.get_ydata()[0] == pytest.approx(1.0) and fitted.get_ydata()[-1] == pytest.approx(4.0)
    scores = pd.DataFrame({"x": [52.5, 53.1, 90.0], "y": [20.0, 20.0, 20.0], "c": ["Estonia", "Austria", "Ireland"]})
    fig = charts.labelled_scatter(scores, x="x", y="y", label="c", xlabel="x", ylabel="y", highlight={"Ireland"},
                                  merge_close_labels=True, zero_line=False, limits=(-5, 108))
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["Estonia, Austria", "Ireland"]
    assert ax.get_xlim() == (-5, 108) and not ax.lines and ax.get_legend() is None
    colours = [tuple(c) for c in ax.collections[0].get_facecolor()]
    assert colours[2] != colours[0]  # Ireland in the accent colour


def test_label_groups_chain_within_a_row():
    chain = pd.DataFrame({"x": [52.5, 53.1, 55.9, 66.7], "y": [20.0] * 4, "c": list("ABCD")})
    assert list(charts._label_groups(chain, "x", "y", "c").values()) == [["A", "B", "C"], ["D"]]


def _regions(values):
    return gpd.GeoDataFrame({"nuts_id": [f"R{i}" for i in range(len(values))], "v": values},
                            geometry=[box(4.0e6 + i * 2e5, 2.6e6, 4.2e6 + i * 2e5, 2.8e6) for i in range(len(values))],
                            crs=3035)


def test_category_map_counts_categories_and_no_data():
    fig = maps.category_map(_regions(["up", "down", None, "up"]), "v", ["up", "down"], [PALETTE[3], PALETTE[0]],
                            labels={"up": "Widened"}, legend_title="Gap")
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Widened (2)", "down (1)", "No data"]
    assert legend.get_title().get_text() == "Gap"


def test_category_map_of_small_counts_samples_a_colour_map():
    fig = maps.category_map(_regions([3.0, np.nan]), "v", list(range(7)), "YlGnBu", counts=False,
                            labels={v: f"{v} of 6" for v in range(7)})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == [f"{v} of 6" for v in range(7)] + ["No data"]


def test_mark_cells_and_borders():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((2, 2)))
    assert charts.mark_cells(ax, pd.DataFrame([[True, False], [False, True]])) == 2
    charts.cell_borders(ax, (2, 2))
    assert list(ax.xaxis.get_minor_locator().locs) == [-0.5, 0.5, 1.5]


def test_scope_matrix_figures():
    m = pd.DataFrame([[2, 0], [1, 1]], index=["need one", "need two"],
                     columns=["Body (long name)", "Network, representing cities"])
    fig = scope_matrix_figure(m, xlabel="Body")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Body", "Network"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Stated specifically", "Follows from a general statement", "Not stated"]
    fig = scope_word_heatmap(m, xlabel="x", ylabel="y", general_word="scope")
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["scope", "scope", "stated"]
    assert fig.axes[0].images[0].get_clim() == (0, 2)


def test_wrap_and_cite_roles():
    assert wrap("a b c d e f", width=3, lines=2).count("\n") == 1
    assert wrap("abcdef ghijkl mnopqr", width=6, lines=2).endswith("…")
    assert cite_roles("quote (fn. 25; [@a2020; @b2021])") == "quote (fn. 25; {cite:p}`a2020,b2021`)"
    assert cite_roles("[@who2018mentalhealth]") == "{cite:p}`who2018mentalhealth`"
    assert cite_roles("no citation") == "no citation"


def test_stacked_bars_and_distribution_trend():
    wide = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, np.nan]}, index=["X", "Y"])
    fig = charts.stacked_bars(wide, xlabel="EUR", value_format="{:.0f}")
    assert [t.get_text() for t in fig.axes[0].texts] == [" 4", " 2"]
    dist = pd.DataFrame({"time": [2020, 2021], "q1": [1.0, 2.0], "median": [2.0, 3.0], "q3": [3.0, 4.0],
                         "n_regions": [10, 12]})
    fig = charts.distribution_trend(dist, ylabel="pp")
    assert len(fig.axes) == 2


def test_glue_numbers_glues_plain_python_values(monkeypatch):
    import myst_nb

    from inclusion_evidence.present.figures import glue_numbers

    seen = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: seen.update({name: (value, display)}))
    glue_numbers({"ch_n": np.int64(5), "ch_share": np.float64(1.5), "ch_name": "Austria"})
    assert seen == {"ch_n": (5, False), "ch_share": (1.5, False), "ch_name": ("Austria", False)}
    assert type(seen["ch_n"][0]) is int


def test_reference_gap_panels_name_the_groups_and_grow_with_countries():
    gaps = pd.DataFrame({"item": ["a", "a", "b"], "country": ["Austria", "Belgium", "Austria"],
                         "geo": ["AT", "BE", "AT"], "reference": [1.0, 2.0, 3.0], "group": [2.0, 1.0, 4.0],
                         "flag": ["", "u", ""]})
    fig = charts.reference_gap_panels(gaps, panel="item", labels={"NAT": "Nationals", "FOR": "Foreign citizens"},
                                      group="FOR", xlabel="%")
    assert [t.get_text() for t in fig.axes[-1].get_legend().get_texts()] == ["Nationals", "Foreign citizens"]
    assert _ticks(fig.axes[0]) == ["Belgium (u)", "Austria"]
    assert fig.get_size_inches()[1] == pytest.approx(3.0)


def test_gap_list():
    from types import SimpleNamespace

    s = SimpleNamespace(gaps=pd.DataFrame({"gap": ["no budget", "no indicator"]}))
    assert gap_list(s) == "- no budget\n- no indicator\n"
    assert gap_list(s, "Not said.") == "**Not said.**\n\n- no budget\n- no indicator\n"


def test_show_ties_lists_each_item_once_writes_the_matrix_and_escapes(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from inclusion_evidence.present import figures, synthesis_figures

    shown = []
    monkeypatch.setattr(figures, "FIGURE_DIR", tmp_path)
    monkeypatch.setattr(figures, "show_markdown", shown.append)
    s = SimpleNamespace(cells=pd.DataFrame({"scope": ["specific", "general", "general"]}),
                        gaps=pd.DataFrame({"gap": ["no *budget*"]}))
    relations = pd.DataFrame({"item": ["Aim A", "Aim A", "Aim B"], "with": ["Body 1", "Body 2", "Body 1"],
                              "relation": ["works with.", "reports to", "meets"], "quote": ["q1", "q2", "q3"],
                              "section": ["S1", "S1", "S2"]})
    matrix = pd.DataFrame([[2, 1], [0, 2]], index=["Aim A", "Aim B"], columns=["Body 1", "Body 2"])
    synthesis_figures.show_ties(s, relations, matrix, "x-matrix", general_from="general statements",
                                matrix_of="aims against bodies")
    text = shown[0]
    assert text.count("- **Aim A**") == 1 and "  - Body 1: works with. “q1” (S1)" in text
    assert "The 2 links that follow only from general statements and the full matrix of aims against bodies" in text
    assert f"<{(tmp_path / 'x-matrix.csv').as_posix()}>" in text
    assert text.endswith("**What the text does not say.**\n\n- no \\*budget\\*")
    assert len(pd.read_csv(tmp_path / "x-matrix.csv")) == 4


def test_show_declared_figures_shows_what_has_rows_else_names_the_missing_sources(monkeypatch):
    from inclusion_evidence.present import declared

    shown, notes = [], []
    monkeypatch.setattr(declared, "show_figure", lambda fig, name, **kw: shown.append((name, kw["title"])))
    monkeypatch.setattr(declared, "missing_evidence_note", lambda what, ids: notes.append((what, ids)))
    tables = {"t_empty": pd.DataFrame(), "t_none": pd.DataFrame({"x": [1]}), "t_full": pd.DataFrame({"x": [2]})}

    def figure(name, table):
        return None if name == "t_none" else {"fig": None, "name": name, "title": f"T {int(table['x'].iloc[0])}"}

    assert declared.show_declared_figures(tables, ["src_a"], "things", figure) is True
    assert shown == [("t_full", "T 2")] and notes == []
    assert declared.show_declared_figures({"t_empty": pd.DataFrame()}, ["src_a"], "things", figure) is False
    assert notes == [("things", ["src_a"])]
