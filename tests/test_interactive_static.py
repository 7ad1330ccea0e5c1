"""The interactive twin and the PNG come from one call: same regions, classes, colours, order.

Draws the static figures with the chapters' functions on processed tables and compares what
matplotlib drew with the spec that show_figure would put in the HTML.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from inclusion_evidence.core import paths
from inclusion_evidence.core.geo_codes import EU27
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.present import charts, interactive, maps

pytestmark = pytest.mark.skipif(not (paths.PROCESSED / "regional_unemployment.parquet").exists(),
                                reason="processed tables missing: run `make process`")


@pytest.fixture(scope="module")
def unemployment():
    return read_table("regional_unemployment")


EU27_PREFIXES = {"EL" if c == "GR" else c for c in EU27}


def _map_rows(spec):
    signals = {s["name"]: s.get("value") for s in spec["signals"]}
    rows = next(d for d in spec["data"] if d["name"] == "table")["values"]
    return {r["geo"]: (signals["classColours"][r["c"]], signals["classLabels"][r["c"]], r) for r in rows}


def test_map_spec_has_the_static_maps_colours_region_by_region(unemployment):
    year = int(unemployment["time"].max())
    latest = unemployment[unemployment["time"] == year][["geo", "time", "rate_FOR", "flag_FOR"]]
    regions = maps.mainland(read_table("nuts2021_level2").merge(latest, left_on="nuts_id", right_on="geo", how="left"))
    fig = maps.choropleth(regions, "rate_FOR", flag_column="flag_FOR", legend_title="Rate (%)", unit="%", scope=None)
    spec = interactive.spec_for(fig, alt="A map.")
    rows = _map_rows(spec)
    ax = fig.axes[0]
    has = regions["rate_FOR"].notna().to_numpy()
    # the static map draws the regions without a value first, then those with one, in table order
    drawn = [c for c in ax.collections if len(c.get_facecolors()) == int(has.sum())][0]
    for code, face in zip(regions.loc[has, "nuts_id"], drawn.get_facecolors()):
        assert rows[code][0] == to_hex(face), code
    for code in regions.loc[~has, "nuts_id"]:
        assert rows[code][1] == interactive.NO_DATA_LABEL
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:5] == next(s["value"] for s in spec["signals"] if s["name"] == "classLabels")[:5]
    for code, value, flag in zip(regions["nuts_id"], regions["rate_FOR"], regions["flag_FOR"].fillna("")):
        text = rows[code][2]["v"]
        assert text == ("no data" if pd.isna(value) else f"{value:.1f}%"), code
        assert rows[code][2].get("low", False) == ("u" in flag and not pd.isna(value)), code


def test_trend_and_dumbbell_specs_follow_the_static_charts(unemployment):
    part = unemployment[unemployment["geo"].isin(["AT13", "BE10", "DE30", "ES30"])]
    fig = charts.trend_lines(part, x="time", y="rate_TOTAL", hue="name", ylabel="%", flag="flag_TOTAL")
    spec = interactive.spec_for(fig, alt="Lines.")
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 2]
    assert scale["domain"] == [ln.get_label() for ln in lines]
    assert [c.lower() for c in scale["range"]] == [to_hex(ln.get_color()) for ln in lines]
    # the value axis starts and ends where the PNG's does
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == list(fig.axes[0].get_ylim())

    latest = part[part["time"] == part["time"].max()]
    fig = charts.dumbbell(latest, label="name", left="rate_TOTAL", right="rate_FOR", left_name="Total",
                          right_name="Foreign", xlabel="%", flag="flag_FOR")
    spec = interactive.spec_for(fig, alt="Dumbbells.")
    static_rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert spec["layer"][1]["encoding"]["y"]["sort"] == static_rows[::-1]  # matplotlib lists bottom to top


def test_map_spec_keeps_to_the_static_maps_scope(unemployment):
    year = int(unemployment["time"].max())
    latest = unemployment[unemployment["time"] == year][["geo", "time", "rate_FOR", "flag_FOR"]]
    regions = maps.mainland(read_table("nuts2021_level2").merge(latest, left_on="nuts_id", right_on="geo", how="left"))
    fig = maps.choropleth(regions, "rate_FOR", flag_column="flag_FOR", legend_title="Rate (%)", unit="%")
    rows = _map_rows(interactive.spec_for(fig, alt="A map."))
    outside = regions.loc[~regions["nuts_id"].str[:2].isin(EU27_PREFIXES), "nuts_id"]
    assert len(outside) and not set(outside) & set(rows)   # context regions are background, not classes
    assert set(rows) <= set(regions["nuts_id"])
