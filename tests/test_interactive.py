"""The interactive twins of the figures: specs carry the table's values, classes and colours.

These tests need no browser; tests/test_interactive_browser.py draws the specs in Chromium.
"""

from __future__ import annotations

import hashlib
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from inclusion_evidence.core import paths
from inclusion_evidence.present import geometry_web, interactive, sphinx_interactive
from inclusion_evidence.present.figures import PALETTE

FRAME = (0.0, 100_000.0, 0.0, 100_000.0)


def _classes():
    return interactive.MapClasses(scheme="Quantiles", labels=["1.0 – 5.0", "5.0 – 9.0"],
                                  colours=["#ffffcc", "#253494"], assigned={"AA1": 0, "AA2": 1, "AA3": 1})


def _regions():
    # Three squares side by side; AA3 has no value, AA2 is flagged u.
    return gpd.GeoDataFrame(
        {"nuts_id": ["AA1", "AA2", "AA3"], "name": ["Alpha", "Beta", "Gamma"],
         "rate": [1.0, 9.0, np.nan], "flag": ["", "u", None]},
        geometry=[box(10_000.4, 10_000.4, 30_000.6, 30_000.6), box(30_000.6, 10_000.4, 50_000.2, 30_000.6),
                  box(50_000.2, 10_000.4, 70_000.0, 30_000.6)], crs=3035)


# ---------------------------------------------------------------- texts


def test_flag_and_value_texts():
    assert interactive.flag_text("u") == "u (low reliability)"
    assert interactive.flag_text("bu") == "b (break in time series), u (low reliability)"
    assert interactive.flag_text(None) == "none"
    assert interactive.flag_text(float("nan")) == "none"
    assert interactive.value_text(11.64, "%") == "11.6%"
    assert interactive.value_text(-2.0, "pp") == "-2.0 pp"
    assert interactive.value_text(1234.0, "per 100 000", "{:,.0f}") == "1,234 per 100 000"
    assert interactive.value_text(float("nan"), "%") == "no data"


# ---------------------------------------------------------------- geometry


def test_topology_quantises_and_keeps_shared_borders():
    regions = _regions()
    topo = geometry_web.topology(regions["nuts_id"], regions.geometry, frame=FRAME, grid=1000, margin=0)
    features = topo["objects"]["regions"]["geometries"]
    assert [f["id"] for f in features] == ["AA1", "AA2", "AA3"]
    rings = [geometry_web.decode_ring(topo, f["arcs"][0][0]) for f in features]
    for ring, geom in zip(rings, regions.geometry):
        original = np.asarray(geom.exterior.coords)
        assert np.abs(ring - np.rint(original / 1000) * 1000).max() < 1e-6  # snapped to the 1 km grid
    # AA1's east edge and AA2's west edge are the same vertices after quantisation
    east = {tuple(p) for p in rings[0] if p[0] == 30_000}
    west = {tuple(p) for p in rings[1] if p[0] == 30_000}
    assert east and east == west


def test_topology_clips_to_frame_and_keeps_regions_outside_as_null():
    gdf = gpd.GeoDataFrame({"nuts_id": ["IN", "OUT"]},
                           geometry=[box(10_000, 10_000, 20_000, 20_000), box(900_000, 900_000, 950_000, 950_000)])
    topo = geometry_web.topology(gdf["nuts_id"], gdf.geometry, frame=FRAME, margin=0)
    kinds = {f["id"]: f["type"] for f in topo["objects"]["regions"]["geometries"]}
    assert kinds == {"IN": "Polygon", "OUT": None}


def test_topology_refuses_duplicate_ids():
    regions = _regions()
    with pytest.raises(ValueError, match="not unique: AA1"):
        geometry_web.topology(["AA1", "AA1", "AA3"], regions.geometry, frame=FRAME)


def test_topology_is_cached():
    regions = _regions()
    first = geometry_web.topology(regions["nuts_id"], regions.geometry, frame=FRAME)
    assert geometry_web.topology(regions["nuts_id"], regions.geometry, frame=FRAME) is first


# ---------------------------------------------------------------- maps


def test_map_table_holds_the_values_classes_and_colours():
    table = interactive.map_table(_regions(), "rate", _classes(), unit="%", year=2022)
    by = table.set_index("geo")
    assert by.loc["AA1", "value_text"] == "1.0%" and by.loc["AA1", "colour"] == "#ffffcc"
    assert by.loc["AA2", "class"] == "5.0 – 9.0" and by.loc["AA2", "colour"] == "#253494"
    assert bool(by.loc["AA2", "low"]) and by.loc["AA2", "flag_text"] == "u (low reliability)"
    assert by.loc["AA3", "class"] == interactive.NO_DATA_LABEL and by.loc["AA3", "colour"] == interactive.NO_DATA_FILL
    assert by.loc["AA3", "value_text"] == "no data" and not bool(by.loc["AA3", "low"])
    assert by.loc["AA2", "description"] == "Beta (AA2): 9.0%, 2022; flag: u (low reliability)"


def test_map_table_names_a_missing_column():
    with pytest.raises(KeyError, match="'share' is not in the table"):
        interactive.map_table(_regions(), "share", _classes())


def test_choropleth_spec_carries_table_and_legend():
    regions = _regions()
    classes = _classes()
    table = interactive.map_table(regions, "rate", classes, unit="%", year=2022)
    spec = interactive.choropleth_spec(table, regions, classes=classes, legend_title="Rate (%)\n(Quantiles, 2 classes)",
                                       frame=FRAME, alt="A test map.")
    assert spec["$schema"].endswith("/vega/v6.json") and spec["description"] == "A test map."
    rows = {r["geo"]: r for r in next(d for d in spec["data"] if d["name"] == "table")["values"]}
    signals = {s["name"]: s.get("value") for s in spec["signals"]}
    for _, r in table.iterrows():
        # the spec derives colour and class from the index, as the browser does
        assert signals["classColours"][rows[r["geo"]]["c"]] == r["colour"]
        assert signals["classLabels"][rows[r["geo"]]["c"]] == r["class"]
        assert rows[r["geo"]]["v"] == r["value_text"]
        assert rows[r["geo"]].get("f", "none") == r["flag_text"]
        assert rows[r["geo"]].get("low", False) == r["low"]
    assert signals["mapYear"] == 2022 and not any("y" in r for r in rows.values())
    assert [r["name"] for r in rows.values()] == ["Alpha", "Beta", "Gamma"]  # the keyboard's order
    scale = spec["scales"][0]
    assert scale["domain"] == [*classes.labels, "No data", "Low reliability (flag u)"]
    assert scale["range"] == [*classes.colours, interactive.NO_DATA_FILL, interactive.LOW_RELIABILITY_FILL]
    assert spec["legends"][0]["title"] == ["Rate (%)", "(Quantiles, 2 classes)"]
    json.dumps(spec, allow_nan=False)  # valid JSON, no NaN


def test_choropleth_spec_refuses_regions_without_geometry():
    regions = _regions()
    table = interactive.map_table(regions, "rate", _classes())
    with pytest.raises(ValueError, match="no geometry: AA3"):
        interactive.choropleth_spec(table, regions.iloc[:2], classes=_classes(), legend_title="x", frame=FRAME,
                                    alt="x")


# ---------------------------------------------------------------- charts


@pytest.fixture
def series():
    return pd.DataFrame({"time": [2021, 2020, 2020, 2021, 2022], "group": ["B", "B", "A", "A", "A"],
                         "value": [2.0, 1.0, 5.5, 6.0, np.nan], "flag": ["u", "", "", "e", ""]})


def test_trend_spec_has_the_static_order_colours_and_values(series):
    spec = interactive.trend_spec(series, x="time", y="value", hue="group", ylabel="%", alt="Trend.", flag="flag",
                                  unit="%", hue_labels={"A": "Group A"})
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    # the static chart sorts by x and colours the series in order of first appearance
    assert colour == {"domain": ["B", "Group A"], "range": PALETTE[:2]}
    rows = spec["data"]["values"]
    assert len(rows) == 4  # the missing value is not drawn
    b2021 = next(r for r in rows if r["series"] == "B" and r["x"] == 2021)
    assert b2021["value_text"] == "2.0%" and b2021["low"] and b2021["flag_text"] == "u (low reliability)"
    assert spec["layer"][0]["params"][0]["bind"] == "legend"  # on the first layer with the colour


def test_dumbbell_spec_keeps_rows_order_and_marks_u():
    df = pd.DataFrame({"country": ["X", "Y", "Z"], "ref": [1.0, 3.0, 2.0], "grp": [2.0, 1.0, np.nan],
                       "flag": ["u", "", ""]})
    spec = interactive.dumbbell_spec(df, label="country", left="ref", right="grp", left_name="Nationals",
                                     right_name="Non-EU", xlabel="%", alt="D.", flag="flag", unit="%")
    rows = spec["data"]["values"]
    assert {r["label"] for r in rows} == {"X (u)", "Y"}  # Z has no value on the right
    point = spec["layer"][1]["encoding"]
    assert point["y"]["sort"] == ["X (u)", "Y"]  # top to bottom, as the static chart
    assert point["color"]["scale"] == {"domain": ["Nationals", "Non-EU"], "range": [PALETTE[0], PALETTE[3]]}
    x_u = next(r for r in rows if r["label"] == "X (u)" and r["series"] == "Non-EU")
    assert x_u["value_text"] == "2.0%"


def test_scatter_spec_labels_points():
    df = pd.DataFrame({"geo": ["AT", "BE"], "country": ["Austria", "Belgium"], "x": [40.0, 55.0],
                       "y": [1.5, -0.5], "flag": ["", "u"]})
    spec = interactive.scatter_spec(df, x="x", y="y", label="geo", name="country", xlabel="Score", ylabel="Gap",
                                    alt="S.", flag="flag", y_unit="pp")
    rows = {r["label"]: r for r in spec["data"]["values"]}
    assert rows["BE"]["name"] == "Belgium" and rows["BE"]["y_text"] == "-0.5 pp" and rows["BE"]["low"]
    assert any(layer["mark"]["type"] == "text" for layer in spec["layer"])


# ---------------------------------------------------------------- output


def _figure_md(label):
    return f"```{{figure}} figures/x/a.png\n:alt: Alt text.\n:name: {label}\n:width: 100%\n\n**T.** Source: S.\n```\n"


def test_figure_bundle_puts_spec_before_a_lazy_png():
    interactive.reset_page()
    spec = interactive.trend_spec(pd.DataFrame({"t": [1, 2], "g": ["a", "a"], "v": [1.0, 2.0]}), x="t", y="v",
                                  hue="g", ylabel="v", alt="A.")
    bundle = interactive.figure_bundle(_figure_md("fig-x-a"), spec, label="fig-x-a")
    text = bundle["text/markdown"]
    assert text.startswith('<script type="application/json" class="ie-spec" data-figure="fig-x-a">')
    assert "```{figure} figures/x/a.png\n:loading: lazy\n:alt: Alt text." in text
    assert json.loads(re.search(r">(\{.*\})</script>", text).group(1)) == spec
    plain = interactive.figure_bundle(_figure_md("fig-x-a"), None, label="fig-x-a")
    assert plain["text/markdown"] == _figure_md("fig-x-a")
    with pytest.raises(ValueError, match="expected a MyST"):
        interactive.figure_bundle("![png](a.png)", spec, label="fig-x-a")


def test_html_block_writes_geometry_once_per_page_and_escapes_script_ends():
    interactive.reset_page()
    regions = _regions()
    regions.loc[0, "name"] = "</script><script>alert(1)</script>"
    table = interactive.map_table(regions, "rate", _classes())
    spec = interactive.choropleth_spec(table, regions, classes=_classes(), legend_title="x", frame=FRAME, alt="x")
    first = interactive.html_block(spec, label="fig-p-one")
    second = interactive.html_block(spec, label="fig-p-two")
    assert first.count('class="ie-geometry"') == 1 and second.count('class="ie-geometry"') == 0
    key = re.search(r'data-key="([0-9a-f]+)"', first).group(1)
    spec_two = json.loads(re.search(r'class="ie-spec"[^>]*>(.*)</script>', second).group(1))
    assert spec_two["usermeta"]["ie_geometry"] == {"topo": key}
    assert next(d for d in spec_two["data"] if d["name"] == "topo")["values"] == []
    assert first.count("</script>") == 2  # the region's name cannot close the element
    assert spec["data"][0]["values"]["type"] == "Topology"  # the caller's spec is untouched


def test_figure_id_is_sphinx_id():
    assert interactive.figure_id("fig-action_5-nuts2_map") == "fig-action-5-nuts2-map"


def test_sphinx_extension_keeps_libraries_off_the_page_list():
    scripts = ["sphinx-thebe.js", "vega/vega.min.js", ("vega/vega-lite.min.js", {}), "vega/inclusion-figures.js",
               "vega/vega-embed.min.js"]
    assert sphinx_interactive.page_scripts(scripts) == ["sphinx-thebe.js", "vega/inclusion-figures.js"]


def test_vendored_libraries_are_the_recorded_versions():
    folder = paths.BOOK / "_static" / "vega"
    manifest = (folder / "VERSIONS.txt").read_text()
    recorded = dict(re.findall(r"^([0-9a-f]{64})  (\S+)$", manifest, flags=re.M))
    assert set(recorded.values()) == {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}
    for digest, name in recorded.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, f"{name} differs from VERSIONS.txt"
        assert "sourceMappingURL" not in (folder / name).read_text(), f"{name} would request a source map"
    script = (folder / "inclusion-figures.js").read_text()
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", script), "the page script names another site"


def test_dumbbell_on_a_log_axis_leaves_out_zeros_as_the_static_chart_must():
    df = pd.DataFrame({"country": ["X", "Y"], "a": [10.0, 5.0], "b": [0.0, 50.0]})
    spec = interactive.dumbbell_spec(df, label="country", left="a", right="b", left_name="2015", right_name="2016",
                                     xlabel="n", alt="D.", log_x=True)
    assert [(r["label"], r["series"]) for r in spec["data"]["values"]] == [("X", "2015"), ("Y", "2015"), ("Y", "2016")]
    assert spec["layer"][1]["encoding"]["x"]["scale"]["type"] == "log"


def test_scatter_groups_and_fit_follow_the_static_scatter():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 3.0, 2.0, 5.0], "grp": ["b", "a", "b", "a"]})
    spec = interactive.scatter_spec(df, x="x", y="y", label=None, xlabel="X", ylabel="Y", alt="S.", hue="grp",
                                    fit=True)
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert points["encoding"]["color"]["scale"] == {"domain": ["a", "b"], "range": PALETTE[:2]}  # sorted groups
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")["data"]["values"]
    slope, intercept = np.polyfit(df["x"], df["y"], 1)
    assert line[0]["y"] == pytest.approx(intercept + slope * 1.0) and line[1]["y"] == pytest.approx(intercept + slope * 4.0)


# ------------------------------------------------- category and point maps from the static call


def _static_faces(ax, n):
    """Face colours of the collections of ``n`` patches, in drawing order."""
    from matplotlib.colors import to_hex

    return [to_hex(face) for c in ax.collections if len(c.get_facecolors()) == n for face in c.get_facecolors()]


def test_category_map_twin_has_the_static_categories_colours_and_legend():
    from matplotlib.colors import to_hex

    from inclusion_evidence.present import maps

    regions = _regions().assign(group=[2, "context", None])
    order, colours = [1, 2, "context"], [PALETTE[0], PALETTE[1], "#f7f7f7"]
    labels = {1: "Group 1", 2: "Group 2", "context": "Outside, context"}
    fig = maps.category_map(regions, "group", order, colours, labels=labels, legend_title="Context group",
                            flag_column="flag")
    spec = interactive.spec_for(fig, alt="Groups.")
    signals = {s["name"]: s.get("value") for s in spec["signals"]}
    rows = {r["geo"]: r for r in next(d for d in spec["data"] if d["name"] == "table")["values"]}
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    # legend words and order, with counts, as on the PNG; then "No data", then low reliability
    assert signals["classLabels"] == legend == ["Group 1 (0)", "Group 2 (1)", "Outside, context (1)", "No data",
                                                "Low reliability (flag u)"]
    assert signals["classColours"][:3] == [to_hex(c) for c in colours]
    # region by region: AA1 is group 2, AA2 context (and flagged u), AA3 has no category
    assert signals["classLabels"][rows["AA1"]["c"]] == "Group 2 (1)" and rows["AA1"]["v"] == "Group 2 (1)"
    assert signals["classLabels"][rows["AA2"]["c"]] == "Outside, context (1)" and rows["AA2"].get("low")
    assert signals["classLabels"][rows["AA3"]["c"]] == "No data"
    # the colours drawn on the PNG for AA1 and AA2 are the twin's
    ax = fig.axes[0]
    assert signals["classColours"][rows["AA1"]["c"]] in _static_faces(ax, 1)
    assert signals["classColours"][rows["AA2"]["c"]] in _static_faces(ax, 1)
    areas = next(m for m in spec["marks"][0]["marks"] if m.get("name") == "areas")
    tooltip = areas["encode"]["update"]["tooltip"]["signal"]
    assert "'Category'" in tooltip and "'Value'" not in tooltip
    # the context category (index 2) is outlined grey, the others white
    assert "indexof([2], datum.d.c) >= 0 ? '#8c8c8c'" in areas["encode"]["update"]["stroke"]["signal"]
    assert spec["legends"][0]["title"] == ["Context group"]
    json.dumps(spec, allow_nan=False)


def test_category_map_twin_starts_on_the_frame_the_notebook_set():
    from inclusion_evidence.present import maps

    fig = maps.category_map(_regions().assign(role=["This", "Other", "Other"]), "role", ["This", "Other"],
                            ["#b2182b", "#d9d9d9"], counts=False)
    fig.axes[0].set_xlim(0, 80_000)
    fig.axes[0].set_ylim(0, 40_000)
    spec = interactive.spec_for(fig, alt="Locator.")
    cx = next(s for s in spec["signals"] if s["name"] == "cx")
    assert cx["value"] == 40_000 and "80000" in cx["on"][0]["update"]


def test_category_map_names_a_missing_code_column():
    from inclusion_evidence.present import maps

    with pytest.raises(ValueError, match="column 'code'"):
        maps.category_map(_regions(), "rate", [1.0], ["#000000"], id_column="code")


def test_points_map_twin_has_the_static_points_groups_colours_and_legend():
    from matplotlib.colors import to_hex

    from inclusion_evidence.present import maps

    countries = gpd.GeoDataFrame({"nuts_id": ["AT", "BE"]},
                                 geometry=[box(4_400_000, 2_600_000, 4_800_000, 2_900_000),
                                           box(3_800_000, 3_000_000, 4_000_000, 3_200_000)], crs=3035)
    points = pd.DataFrame({"name": ["Wien", "Graz", "Bruxelles"], "lon": [16.37, 15.44, 4.35],
                           "lat": [48.21, 47.07, 50.85], "group": ["2_member", "1_other", "2_member"]})
    words = {"1_other": "Eurocities member", "2_member": "Also a member city"}
    fig = maps.points_map(points, background=countries, hue="group", labels=words, shade={"BE"})
    spec = interactive.spec_for(fig, alt="Cities.")
    rows = next(d for d in spec["data"] if d["name"] == "table")["values"]
    assert [r["name"] for r in rows] == ["Wien", "Graz", "Bruxelles"]
    assert [r["group"] for r in rows] == ["Also a member city", "Eurocities member", "Also a member city"]
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    scale = spec["scales"][0]
    assert scale["domain"] == legend == ["Eurocities member", "Also a member city"]
    static = {}
    for collection, word in zip([c for c in ax.collections[1:]], legend):  # the background is drawn first
        static[word] = to_hex(collection.get_facecolors()[0])
    assert dict(zip(scale["domain"], scale["range"])) == static
    assert {r["name"]: r["colour"] for r in rows} == {"Wien": static["Also a member city"],
                                                     "Graz": static["Eurocities member"],
                                                     "Bruxelles": static["Also a member city"]}
    # the same projected position as the PNG's point (EPSG:3035)
    wien = ax.collections[2].get_offsets()[0]
    assert rows[0]["x"] == pytest.approx(wien[0], abs=1) and rows[0]["y"] == pytest.approx(wien[1], abs=1)
    assert rows[0]["description"] == "Wien: Also a member city"
    fill = spec["marks"][0]["marks"][0]["encode"]["enter"]["fill"]["signal"]
    assert '["BE"]' in fill
    assert spec["usermeta"]["ie_geometry"] == ["background"]
    json.dumps(spec, allow_nan=False)
