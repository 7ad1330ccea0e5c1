"""Interactive figures for the HTML book, static ones for the PDF, from one table.

A static figure (matplotlib, PNG) and its interactive twin (a Vega or Vega-Lite spec)
are built from the same table and, for maps, the same classes and colours, so the
two cannot disagree. :func:`figure_bundle` packs them into one display output:

- the MyST ``{figure}`` of the PNG, with its alt text, caption, source line and CSV
  link, which every builder renders (the LaTeX builder only this);
- before it, a raw-HTML ``<script type="application/json" class="ie-spec">`` holding
  the spec, which only the HTML builder emits. The book's script
  ``_static/vega/inclusion-figures.js`` replaces the figure's PNG with the interactive
  chart and keeps the caption and the CSV link. Without JavaScript the PNG stays.

The spec builders write every text a reader sees (value with unit, year, flag) in
Python, so the browser only draws and the tests compare those texts with the table.
The choice of Vega and the measurements behind it: ``docs/interactive-figures.md``.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inclusion_evidence.present.geometry_web import topology
from inclusion_evidence.present.palette import PALETTE

VEGA_SCHEMA = "https://vega.github.io/schema/vega/v6.json"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# SVG patterns the page script defines once per page (see inclusion-figures.js): the
# hatch of "no data" and the dots of "low reliability", as on the static maps.
NO_DATA_FILL = "url(#ie-hatch-nodata)"
LOW_RELIABILITY_FILL = "url(#ie-dots-u)"
NO_DATA_LABEL = "No data"
LOW_RELIABILITY_LABEL = "Low reliability (flag u)"
MAX_ZOOM = 12
FONT = "DejaVu Sans, Verdana, sans-serif"

# Eurostat's observation flags (https://ec.europa.eu/eurostat/data/database/information).
FLAG_MEANINGS = {
    "b": "break in time series", "c": "confidential", "d": "definition differs", "e": "estimated",
    "f": "forecast", "n": "not significant", "p": "provisional", "r": "revised", "s": "Eurostat estimate",
    "u": "low reliability", "z": "not applicable",
}

# Geometries already written on this page: the kernel runs one chapter, so a set per
# kernel is a set per page. The first map of a level carries the boundaries, the
# following maps of the same level point to them.
_EMITTED_GEOMETRY: set[str] = set()


def flag_text(flag) -> str:
    """``"u"`` → ``"u (low reliability)"``; several letters are each explained; empty → ``"none"``."""
    letters = [c for c in _flag_str(flag) if c.isalpha()]
    if not letters:
        return "none"
    return ", ".join(f"{c} ({FLAG_MEANINGS[c]})" if c in FLAG_MEANINGS else c for c in letters)


def _flag_str(flag) -> str:
    """A flag as text, ``""`` when missing."""
    if flag is None or (not isinstance(flag, str) and pd.isna(flag)):
        return ""
    return str(flag).strip()


def _is_low(flag) -> bool:
    """Eurostat's ``u``: low reliability."""
    return "u" in _flag_str(flag)


def value_text(value, unit: str = "", value_format: str = "{:.1f}") -> str:
    """The value as the reader reads it, with its unit; ``"no data"`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "no data"
    number = value_format.format(float(value))
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def _clean(value):
    """JSON-safe scalars: NaN → None, numpy → Python."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        # 12 significant digits: the value as the table holds it, without binary noise
        return None if math.isnan(float(value)) else float(f"{float(value):.12g}")
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return None
    return value


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def hex_colour(colour) -> str:
    from matplotlib.colors import to_hex

    return to_hex(colour)


# --------------------------------------------------------------------------- maps


@dataclass(frozen=True)
class MapClasses:
    """What the static choropleth decided, for the interactive twin to reuse.

    ``labels`` and ``colours`` are the legend's classes in order; ``assigned`` gives,
    per region code, the index of its class (absent or ``None``: no data).
    """

    scheme: str
    labels: list[str]
    colours: list[str]
    assigned: dict[str, int | None]


def map_table(regions: pd.DataFrame, column: str, classes: MapClasses, *, id_column: str = "nuts_id",
              name_column: str = "name", unit: str = "", year=None, year_column: str | None = None,
              flag_column: str | None = "flag", value_format: str = "{:.1f}") -> pd.DataFrame:
    """One row per region of the static map: code, name, value, texts, class and colour.

    Columns: ``geo, name, value, value_text, year, flag, flag_text, low, class, colour,
    description``. ``year`` is one year for the map, or ``year_column`` names a column.
    """
    for needed in (id_column, name_column, column):
        if needed not in regions:
            raise KeyError(f"map_table: column {needed!r} is not in the table ({', '.join(map(str, regions.columns))})")
    out = pd.DataFrame({"geo": regions[id_column].astype(str).to_numpy(),
                        "name": regions[name_column].astype(str).to_numpy(),
                        "value": pd.to_numeric(regions[column], errors="coerce").to_numpy(dtype=float)})
    if year_column is not None:
        out["year"] = regions[year_column].to_numpy()
    else:
        out["year"] = year
    flags = regions[flag_column] if flag_column and flag_column in regions else pd.Series([None] * len(regions))
    flags = [_flag_str(f) for f in flags]
    out["flag"] = flags
    out["flag_text"] = [flag_text(f) for f in flags]
    out["value_text"] = [value_text(v, unit, value_format) for v in out["value"]]
    out["low"] = [_is_low(f) and not math.isnan(v) for f, v in zip(flags, out["value"])]
    cls, colour = [], []
    for code, v in zip(out["geo"], out["value"]):
        index = classes.assigned.get(code)
        if math.isnan(v) or index is None:
            cls.append(NO_DATA_LABEL)
            colour.append(NO_DATA_FILL)
        else:
            cls.append(classes.labels[index])
            colour.append(classes.colours[index])
    out["class"], out["colour"] = cls, colour
    year_part = out["year"].map(lambda y: "" if y is None or (isinstance(y, float) and math.isnan(y)) else f", {y}")
    out["description"] = [f"{n} ({g}): {t}{y}; flag: {f}" for n, g, t, y, f in
                          zip(out["name"], out["geo"], out["value_text"], year_part, out["flag_text"])]
    return out


def _common_year(table: pd.DataFrame):
    years = {_clean(y) for y in table["year"]} - {None}
    return years.pop() if len(years) == 1 else None


def compact_rows(table: pd.DataFrame, legend_labels: list[str]) -> list[dict]:
    """The rows of :func:`map_table` as the spec carries them, sorted by name (the keyboard order).

    ``geo``, ``name``, ``v`` (value with unit), ``c`` (index of the class in
    ``legend_labels``), ``y`` (year, only when the regions' years differ), ``f`` (flag
    explained, only when flagged), ``low`` (only when true). The spec derives class,
    colour, year and the read-out description from them.
    """
    common = _common_year(table)
    rows = []
    for r in table.sort_values("name", key=lambda s: s.str.casefold()).to_dict(orient="records"):
        row = {"geo": r["geo"], "name": r["name"], "v": r["value_text"], "c": legend_labels.index(r["class"])}
        year = _clean(r["year"])
        if year is not None and year != common:
            row["y"] = year
        if r["flag_text"] != "none":
            row["f"] = r["flag_text"]
        if r["low"]:
            row["low"] = True
        rows.append(row)
    return rows


_VALUE_TOOLTIP = ("{title: datum.d.name + ' (' + datum.id + ')', 'Value': datum.d.v, "
                  "'Year': datum.d.year != null ? datum.d.year : 'not given', 'Class': datum.d['class'], "
                  "'Eurostat flag': datum.d.flag_text}")
_CATEGORY_TOOLTIP = ("{title: datum.d.name + ' (' + datum.id + ')', 'Category': datum.d['class'], "
                     "'Eurostat flag': datum.d.flag_text}")


def choropleth_spec(table: pd.DataFrame, geometry, *, classes: MapClasses, legend_title: str | list[str],
                    frame: tuple[float, float, float, float], alt: str, id_column: str = "nuts_id",
                    background=None, categorical: bool = False, outlined: tuple[int, ...] = ()) -> dict:
    """A Vega spec of a classed choropleth: hover/tap/keyboard details, zoom and pan, legend.

    ``table`` is :func:`map_table`'s; ``geometry`` a GeoDataFrame in EPSG:3035 holding the
    regions (``id_column``); ``background`` optional land drawn light grey under them.
    The colours are the table's, so the same as the static map's. ``categorical``: the
    classes are categories (:func:`category_table`), so the tooltip names the category only;
    regions of the classes at the indexes ``outlined`` (context) get a grey outline, as on the PNG.
    """
    geo = geometry if geometry.crs is None or geometry.crs.to_epsg() == 3035 else geometry.to_crs(3035)
    topo = topology(geo[id_column].astype(str).tolist(), geo.geometry, frame=frame)
    missing = sorted(set(table["geo"]) - set(geo[id_column].astype(str)))
    if missing:
        raise ValueError(f"choropleth_spec: {len(missing)} region(s) of the table have no geometry: {', '.join(missing[:8])}")
    legend_labels = [*classes.labels, NO_DATA_LABEL]
    legend_colours = [*classes.colours, NO_DATA_FILL]
    if bool(table["low"].any()):
        legend_labels.append(LOW_RELIABILITY_LABEL)
        legend_colours.append(LOW_RELIABILITY_FILL)
    data = [
        {"name": "topo", "values": topo, "format": {"type": "topojson", "feature": "regions"}},
        {"name": "table", "values": compact_rows(table, legend_labels),
         # the texts a reader sees, from the compact rows (see compact_rows)
         "transform": [{"type": "formula", "as": "class", "expr": "classLabels[datum.c]"},
                       {"type": "formula", "as": "colour", "expr": "classColours[datum.c]"},
                       {"type": "formula", "as": "year", "expr": "datum.y != null ? datum.y : mapYear"},
                       {"type": "formula", "as": "flag_text", "expr": "datum.f || 'none'"},
                       {"type": "formula", "as": "description",
                        "expr": "datum.name + ' (' + datum.geo + '): ' + datum.v + "
                                "(datum.year != null ? ', ' + datum.year : '') + '; flag: ' + datum.flag_text"}]},
        {"name": "regions", "source": "topo", "transform": [
            {"type": "filter", "expr": "datum.geometry != null"},
            {"type": "lookup", "from": "table", "key": "geo", "fields": ["id"], "as": ["d"]},
            {"type": "filter", "expr": "datum.d != null"}]},
        {"name": "low", "source": "regions", "transform": [{"type": "filter", "expr": "datum.d.low"}]},
    ]
    usermeta = {"ie_kind": "map", "ie_geometry": ["topo"], "ie_focus_data": "table"}
    marks = []
    if background is not None:
        bg = background if background.crs is None or background.crs.to_epsg() == 3035 else background.to_crs(3035)
        bg_topo = topology([f"bg{i}" for i in range(len(bg))], bg.geometry, frame=frame)
        data.insert(0, {"name": "background", "values": bg_topo, "format": {"type": "topojson", "feature": "regions"}})
        usermeta["ie_geometry"].append("background")
        marks.append({"type": "shape", "from": {"data": "background"}, "interactive": False, "aria": False,
                      "encode": {"enter": {"fill": {"value": "#f2f2f2"}, "stroke": {"value": "#bdbdbd"},
                                           "strokeWidth": {"value": 0.3}}},
                      "transform": [{"type": "geoshape", "projection": "projection"}]})
    marks.append({
        "type": "shape", "name": "areas", "from": {"data": "regions"},
        "encode": {
            "enter": {"stroke": {"value": "#ffffff"}, "strokeWidth": {"value": 0.4}, "cursor": {"value": "pointer"}},
            "update": {
                "fill": {"field": "d.colour"},
                "stroke": {"signal": "datum.id === focused ? '#000000' : "
                                     f"(indexof({json.dumps(list(outlined))}, datum.d.c) >= 0 ? '#8c8c8c' : '#ffffff')"},
                "strokeWidth": {"signal": "datum.id === focused ? 2 : 0.4"},
                "zindex": {"signal": "datum.id === focused ? 1 : 0"},
                "description": {"field": "d.description"},
                "tooltip": {"signal": _CATEGORY_TOOLTIP if categorical else _VALUE_TOOLTIP},
            },
            "hover": {"stroke": {"value": "#000000"}, "strokeWidth": {"value": 1.5}, "zindex": {"value": 1}},
        },
        "transform": [{"type": "geoshape", "projection": "projection"}]})
    marks.append({
        "type": "shape", "from": {"data": "low"}, "interactive": False, "aria": False,
        "encode": {"update": {"fill": {"value": LOW_RELIABILITY_FILL}, "stroke": {"value": "#333333"},
                              "strokeWidth": {"value": 0.6}}},
        "transform": [{"type": "geoshape", "projection": "projection"}]})
    # One legend, below the map at every width, its title in short lines: readable on a phone.
    title_lines = [line.strip() for line in legend_title.split("\n") if line.strip()] \
        if isinstance(legend_title, str) else list(legend_title)
    legends = [{"fill": "classes", "title": title_lines, "orient": "bottom", "direction": "vertical",
                "columns": {"signal": "max(1, min(3, floor(width / 190)))"}, "symbolType": "square",
                "symbolSize": 160, "symbolStrokeColor": "#999999", "symbolStrokeWidth": 0.5,
                "labelFontSize": 12, "titleFontSize": 12, "titleLimit": {"signal": "width - 8"}, "labelLimit": 0,
                "aria": True, "description": "Legend: " + " ".join(title_lines)}]
    scales = [{"name": "classes", "type": "ordinal", "domain": legend_labels, "range": legend_colours}]
    signals = [
        *_zoom_signals(frame),
        {"name": "classLabels", "value": legend_labels},
        {"name": "classColours", "value": legend_colours},
        {"name": "mapYear", "value": _common_year(table)},
    ]
    return _map_spec(alt=alt, usermeta=usermeta, signals=signals, frame=frame, data=data, scales=scales,
                     legends=legends, marks=marks)


def _zoom_signals(frame) -> list[dict]:
    """Width from the container, height from the frame, wheel/slider zoom, drag pan, double click resets."""
    x0, x1, y0, y1 = frame
    return [
        {"name": "width", "init": "max(280, containerSize()[0] || 640)",
         "on": [{"events": "window:resize", "update": "max(280, containerSize()[0] || 640)"}]},
        {"name": "height", "update": "round(width * %.4f)" % ((y1 - y0) / (x1 - x0))},
        {"name": "base", "update": f"min(width / {x1 - x0}, height / {y1 - y0})"},
        {"name": "zoom", "value": 1,
         "on": [{"events": {"type": "wheel", "consume": True},
                 "update": f"clamp(zoom * pow(1.002, -event.deltaY * pow(16, event.deltaMode)), 1, {MAX_ZOOM})"},
                {"events": "dblclick", "update": "1"}],
         "bind": {"input": "range", "min": 1, "max": MAX_ZOOM, "step": 0.5, "name": "Zoom "}},
        {"name": "k", "update": "base * zoom"},
        {"name": "anchor", "value": [0, 0], "on": [{"events": "mousedown, touchstart", "update": "xy()"}]},
        {"name": "start", "value": [(x0 + x1) / 2, (y0 + y1) / 2],
         "on": [{"events": "mousedown, touchstart", "update": "[cx, cy]"}]},
        {"name": "cx", "value": (x0 + x1) / 2,
         "on": [{"events": "[mousedown, window:mouseup] > window:mousemove, [touchstart, touchend] > touchmove",
                 "update": f"clamp(start[0] - (x() - anchor[0]) / k, {x0}, {x1})"},
                {"events": "dblclick", "update": str((x0 + x1) / 2)}]},
        {"name": "cy", "value": (y0 + y1) / 2,
         "on": [{"events": "[mousedown, window:mouseup] > window:mousemove, [touchstart, touchend] > touchmove",
                 "update": f"clamp(start[1] + (y() - anchor[1]) / k, {y0}, {y1})"},
                {"events": "dblclick", "update": str((y0 + y1) / 2)}]},
        {"name": "focused", "value": None},
    ]


def _map_spec(*, alt, usermeta, signals, frame, data, scales, legends, marks) -> dict:
    """The Vega map around its layers: EPSG:3035 coordinates drawn as they are, zoomed and panned."""
    return {
        "$schema": VEGA_SCHEMA,
        "description": alt,
        "autosize": "pad",
        "padding": 4,
        "usermeta": usermeta,
        "config": {"font": FONT},
        "signals": signals,
        "projections": [{"name": "projection", "type": "identity", "reflectY": True,
                         "scale": {"signal": "k"},
                         "translate": {"signal": "[width / 2 - cx * k, height / 2 + cy * k]"}}],
        "data": data,
        "scales": scales,
        "legends": legends,
        "marks": [{"type": "group", "encode": {"enter": {"clip": {"value": True}},
                                               "update": {"width": {"signal": "width"}, "height": {"signal": "height"}}},
                   "marks": marks}],
    }


# ------------------------------------------------------- category maps and point maps


def category_table(regions: pd.DataFrame, column: str, classes: MapClasses, *, id_column: str = "nuts_id",
                   name_column: str = "name", flag_column: str | None = None) -> pd.DataFrame:
    """:func:`map_table`'s columns for a map of categories: the value a reader sees is the category.

    ``classes.assigned`` maps each region code to the index of its category in
    ``classes.labels`` (absent or ``None``: no category, "No data").
    """
    for needed in (id_column, column):
        if needed not in regions:
            raise KeyError(f"category_table: column {needed!r} is not in the table "
                           f"({', '.join(map(str, regions.columns))})")
    geo = regions[id_column].astype(str).to_numpy()
    names = regions[name_column].astype(str).to_numpy() if name_column in regions else geo
    flags = regions[flag_column] if flag_column and flag_column in regions else pd.Series([None] * len(regions))
    flags = [_flag_str(f) for f in flags]
    index = [classes.assigned.get(g) for g in geo]
    out = pd.DataFrame({"geo": geo, "name": names, "value": np.nan, "year": None})
    out["class"] = [NO_DATA_LABEL if i is None else classes.labels[i] for i in index]
    out["colour"] = [NO_DATA_FILL if i is None else classes.colours[i] for i in index]
    out["value_text"] = out["class"]
    out["flag"] = flags
    out["flag_text"] = [flag_text(f) for f in flags]
    out["low"] = [_is_low(f) and i is not None for f, i in zip(flags, index)]
    out["description"] = [f"{n} ({g}): {c}; flag: {f}" for n, g, c, f in
                          zip(out["name"], out["geo"], out["class"], out["flag_text"])]
    return out


def points_table(points: pd.DataFrame, *, x: str, y: str, label: str | None, group: str | None,
                 group_labels: dict | None = None) -> pd.DataFrame:
    """One row per point of the static map, in its drawing order: coordinates, texts, group and colour.

    Groups are sorted and coloured as :func:`maps.points_map` colours them (the book's
    palette in that order); ``group_labels`` are the legend's words.
    """
    names = points[label].astype(str).to_numpy() if label and label in points else np.array(
        [f"Point {i + 1}" for i in range(len(points))])
    out = pd.DataFrame({"name": names, "x": points[x].astype(float).to_numpy(),
                        "y": points[y].astype(float).to_numpy()})
    if group is None:
        out["group"], out["colour"] = "", hex_colour(PALETTE[0])
    else:
        keys = sorted(points[group].dropna().unique().tolist())
        word = {k: (group_labels or {}).get(k, str(k)) for k in keys}
        colour = {k: hex_colour(PALETTE[i % len(PALETTE)]) for i, k in enumerate(keys)}
        out["group"] = [word.get(k, NO_DATA_LABEL) for k in points[group]]
        out["colour"] = [colour.get(k, "#9e9e9e") for k in points[group]]
    out["key"] = [f"p{i}" for i in range(len(out))]
    out["description"] = [f"{n}: {g}" if g else n for n, g in zip(out["name"], out["group"])]
    return out


def points_spec(table: pd.DataFrame, background, *, frame: tuple[float, float, float, float], alt: str,
                legend: list[tuple[str, str]], shade: set | None = None, shade_column: str = "nuts_id",
                legend_title: str = "") -> dict:
    """A Vega map of points (:func:`points_table`, EPSG:3035 ``x``/``y``) over light grey land.

    Hover, tap or keyboard shows a point's name and group; zoom and pan as the choropleths.
    ``shade`` names background areas (by ``shade_column``) filled light blue, as on the PNG;
    ``legend`` is ``[(group label, colour), ...]`` in the static legend's order.
    """
    bg = background if background.crs is None or background.crs.to_epsg() == 3035 else background.to_crs(3035)
    ids = (bg[shade_column].astype(str).tolist() if shade_column in bg else [f"bg{i}" for i in range(len(bg))])
    topo = topology(ids, bg.geometry, frame=frame)
    shaded = sorted(str(s) for s in (shade or set()) if str(s) in set(ids))
    rows = [{k: _clean(v) for k, v in r.items()} for r in
            table[["key", "name", "group", "colour", "description", "x", "y"]].to_dict(orient="records")]
    data = [{"name": "background", "values": topo, "format": {"type": "topojson", "feature": "regions"}},
            {"name": "table", "values": rows}]
    tooltip = ("{title: datum.name, 'Group': datum.group}" if any(r["group"] for r in rows)
               else "{title: datum.name}")
    marks = [
        {"type": "shape", "from": {"data": "background"}, "interactive": False, "aria": False,
         "encode": {"enter": {"fill": {"signal": f"indexof({json.dumps(shaded)}, datum.id) >= 0 ? '#c6dbef' : '#f0f0f0'"},
                              "stroke": {"value": "#9e9e9e"}, "strokeWidth": {"value": 0.4}}},
         "transform": [{"type": "geoshape", "projection": "projection"}]},
        {"type": "symbol", "name": "points", "from": {"data": "table"},
         "encode": {
             "enter": {"shape": {"value": "circle"}, "stroke": {"value": "#ffffff"}, "cursor": {"value": "pointer"},
                       "fill": {"field": "colour"}, "description": {"field": "description"},
                       "tooltip": {"signal": tooltip}},
             "update": {"x": {"signal": "width / 2 + (datum.x - cx) * k"},
                        "y": {"signal": "height / 2 - (datum.y - cy) * k"},
                        "size": {"signal": "datum.key === focused ? 220 : 70"},
                        "strokeWidth": {"signal": "datum.key === focused ? 2 : 0.6"},
                        "zindex": {"signal": "datum.key === focused ? 1 : 0"}},
             "hover": {"size": {"value": 160}, "zindex": {"value": 1}}}},
    ]
    legends = []
    scales = []
    if legend:
        scales.append({"name": "groups", "type": "ordinal", "domain": [name for name, _ in legend],
                       "range": [colour for _, colour in legend]})
        title = [line for line in legend_title.split("\n") if line.strip()]
        legends.append({"fill": "groups", "orient": "bottom", "direction": "vertical", "symbolType": "circle",
                        "columns": {"signal": "max(1, min(3, floor(width / 190)))"}, "symbolSize": 120,
                        "labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0, "aria": True,
                        **({"title": title} if title else {}),
                        "description": "Legend: " + ", ".join(name for name, _ in legend)})
    usermeta = {"ie_kind": "map", "ie_geometry": ["background"], "ie_focus_data": "table"}
    return _map_spec(alt=alt, usermeta=usermeta, signals=_zoom_signals(frame), frame=frame, data=data,
                     scales=scales, legends=legends, marks=marks)


# ------------------------------------------------------------------------ charts


def _base_vl(rows: list[dict], alt: str, height: int) -> dict:
    return {"$schema": VEGA_LITE_SCHEMA, "description": alt, "width": "container", "height": height,
            "autosize": {"type": "fit-x", "contains": "padding"},
            "data": {"name": "table", "values": rows},
            "config": {"font": FONT, "axis": {"labelFontSize": 12, "titleFontSize": 12},
                       "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": 2,
                                  "labelLimit": 0}},
            "usermeta": {"ie_kind": "chart", "ie_focus_data": "table"},
            "params": [{"name": "focused", "value": None}]}


def _dots_and_rings(encoding: dict, size: int = 45) -> list[dict]:
    """Points as on the static charts: dots, and hollow rings for low reliability (flag u).

    Both are stroked marks (a dot is a ring with a thick stroke), so that the colour is one
    channel and the chart keeps one legend, which a click can toggle.
    """
    return [
        {"transform": [{"filter": "!datum.low"}],
         "mark": {"type": "point", "filled": False, "strokeWidth": 4, "size": size // 3}, "encoding": encoding},
        {"transform": [{"filter": "datum.low"}],
         "mark": {"type": "point", "filled": False, "strokeWidth": 1.5, "fill": "#ffffff", "size": size},
         "encoding": encoding},
    ]


def _axis_scale(domain, **extra) -> dict:
    """A quantitative scale over ``domain`` (the static chart's limits), else from zero-free data."""
    if domain is None:
        return {"zero": False, **extra}
    low, high = (float(v) for v in domain)
    return {"domain": [low, high], "nice": False, "zero": False, **extra}


# A click on a legend entry keeps that series (shift-click adds one, double-click resets).
# In a layered chart a selection belongs to one layer; the others read it.
_LEGEND_TOGGLE = {"name": "series", "select": {"type": "point", "fields": ["series"]}, "bind": "legend"}


def series_order(df: pd.DataFrame, *, x: str, hue: str) -> list:
    """The order in which :func:`charts.trend_lines` draws (and colours) its series."""
    return list(dict.fromkeys(df.sort_values(x)[hue].tolist()))


def trend_spec(df: pd.DataFrame, *, x: str, y: str, hue: str, ylabel: str, alt: str, xlabel: str = "",
               hue_labels: dict | None = None, flag: str | None = None, unit: str = "",
               value_format: str = "{:.1f}", zero_line: bool = False, y_domain=None) -> dict:
    """Lines over time, as :func:`charts.trend_lines`: same series, order and colours.

    ``y_domain`` (low, high) fixes the value axis, as the static chart's (``spec_for``
    passes the PNG's own limits).

    Hover (or tap, or arrow keys) shows series, year, value with unit and flag; a click
    on a legend entry shows that series alone (shift-click adds one, double-click resets).
    """
    order = series_order(df, x=x, hue=hue)
    names = [(hue_labels or {}).get(k, str(k)) for k in order]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(order))]
    data = df.sort_values(x)
    rows = pd.DataFrame({
        "series": [(hue_labels or {}).get(k, str(k)) for k in data[hue]],
        "x": data[x].to_numpy(),
        "y": pd.to_numeric(data[y], errors="coerce").to_numpy(dtype=float),
    })
    flags = data[flag].tolist() if flag and flag in data else [None] * len(data)
    rows["flag_text"] = [flag_text(f) for f in flags]
    rows["low"] = [_is_low(f) for f in flags]
    rows["value_text"] = [value_text(v, unit, value_format) for v in rows["y"]]
    rows["key"] = rows["series"] + "|" + rows["x"].astype(str)
    rows["description"] = [f"{s}, {xx}: {t}; flag: {f}" for s, xx, t, f in
                           zip(rows["series"], rows["x"], rows["value_text"], rows["flag_text"])]
    rows = rows.dropna(subset=["y"])
    x_type = "temporal" if np.issubdtype(np.asarray(rows["x"]).dtype, np.datetime64) else "quantitative"
    if x_type == "temporal":
        rows["x"] = pd.to_datetime(rows["x"]).dt.strftime("%Y-%m-%d")
    x_enc = {"field": "x", "type": x_type, "title": xlabel or None,
             "axis": {"format": "d", "tickMinStep": 1} if x_type == "quantitative" else {}}
    colour = {"field": "series", "type": "nominal", "title": None,
              "scale": {"domain": names, "range": colours}}
    opacity = {"condition": {"param": "series", "value": 1}, "value": 0.12}
    tooltip = [{"field": "series", "title": "Series"}, {"field": "x", "title": xlabel or "Year",
                                                         **({"timeUnit": "yearmonth"} if x_type == "temporal" else {})},
               {"field": "value_text", "title": "Value"}, {"field": "flag_text", "title": "Eurostat flag"}]
    spec = _base_vl(_records(rows), alt, 300)
    y_enc = {"field": "y", "type": "quantitative", "title": ylabel, "scale": _axis_scale(y_domain)}
    points = {"x": x_enc, "y": y_enc, "color": colour, "opacity": opacity,
              "size": {"condition": {"test": "datum.key === focused", "value": 160}, "value": 45},
              "tooltip": tooltip, "description": {"field": "description"}}
    layers = [
        # the legend toggle belongs to the first layer that has the colour
        {"mark": {"type": "line", "strokeWidth": 2}, "params": [_LEGEND_TOGGLE],
         "encoding": {"x": x_enc, "y": y_enc, "color": colour, "opacity": opacity}},
        # no rings layer without a low-reliability point: an empty mark group is an unlabelled
        # graphics symbol to screen readers (axe-core: svg-img-alt)
        *_dots_and_rings(points)[:2 if rows["low"].any() else 1],
    ]
    if zero_line:
        layers.insert(0, {"mark": {"type": "rule", "color": "#777777", "strokeDash": [4, 3]},
                          "encoding": {"y": {"datum": 0}}})
    spec["layer"] = layers
    return spec


def dumbbell_spec(df: pd.DataFrame, *, label: str, left: str, right: str, left_name: str, right_name: str,
                  xlabel: str, alt: str, flag: str | None = None, sort_by: str | None = None, unit: str = "",
                  value_format: str = "{:.1f}", log_x: bool = False, x_domain=None) -> dict:
    """Dumbbells as :func:`charts.dumbbell`: same rows and order, same two colours.

    Hover shows both values; clicking a legend entry keeps that end only.
    """
    data = df.dropna(subset=[left, right]).sort_values(sort_by or right)
    flags = data[flag].tolist() if flag and flag in data else [None] * len(data)
    low = [_is_low(f) for f in flags]
    drawable = (lambda v: v > 0) if log_x else (lambda v: True)  # a log axis cannot place zero
    labels = [f"{t} (u)" if lo else str(t) for t, lo in zip(data[label], low)]
    order = labels[::-1]  # the static chart puts the first row at the bottom
    rows = []
    for lab, (_, r), f in zip(labels, data.iterrows(), flags):
        for end, name in ((left, left_name), (right, right_name)):
            v = float(r[end])
            if not drawable(v):
                continue
            rows.append({"label": lab, "series": name, "x": v, "value_text": value_text(v, unit, value_format),
                         "left": float(r[left]), "right": float(r[right]), "flag_text": flag_text(f),
                         "key": f"{lab}|{name}",
                         "description": f"{lab}, {name}: {value_text(v, unit, value_format)}; flag: {flag_text(f)}"})
    names, colours = [left_name, right_name], [PALETTE[0], PALETTE[3]]
    y = {"field": "label", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 220}}
    scale = _axis_scale(x_domain, type="log") if log_x else _axis_scale(x_domain)
    spec = _base_vl(_records(pd.DataFrame(rows)), alt, max(160, 18 * len(labels)))
    spec["layer"] = [
        {"transform": [{"filter": {"field": "series", "equal": left_name}},
                       *([{"filter": "datum.left > 0 && datum.right > 0"}] if log_x else [])],
         "mark": {"type": "rule", "color": "#9e9e9e", "strokeWidth": 1.5},
         "encoding": {"y": y, "x": {"field": "left", "type": "quantitative", "scale": scale}, "x2": {"field": "right"}}},
        {"mark": {"type": "point", "filled": True, "size": 60}, "params": [_LEGEND_TOGGLE],
         "encoding": {"y": y, "x": {"field": "x", "type": "quantitative", "title": xlabel, "scale": scale},
                      "color": {"field": "series", "type": "nominal", "title": None,
                                "scale": {"domain": names, "range": colours}},
                      "opacity": {"condition": {"param": "series", "value": 1}, "value": 0.12},
                      "size": {"condition": {"test": "datum.key === focused", "value": 200}, "value": 60},
                      "tooltip": [{"field": "label", "title": "Country"}, {"field": "series", "title": "Group"},
                                  {"field": "value_text", "title": "Value"},
                                  {"field": "flag_text", "title": "Eurostat flag"}],
                      "description": {"field": "description"}}},
    ]
    return spec


def scatter_spec(df: pd.DataFrame, *, x: str, y: str, label: str | None, xlabel: str, ylabel: str, alt: str,
                 name: str | None = None, flag: str | None = None, x_unit: str = "", y_unit: str = "",
                 value_format: str = "{:.1f}", zero_line: bool = True, highlight: set | None = None,
                 hue: str | None = None, fit: bool = False, x_domain=None, y_domain=None) -> dict:
    """A scatter with the label (and ``name``) of each point on hover; ``u`` points hollow.

    ``hue`` colours groups as the static scatter does (sorted groups, the book's palette; a
    click on a legend entry keeps that group); ``highlight`` colours the listed labels
    instead; ``fit`` draws the least-squares line of the same points. Drag to pan, wheel
    to zoom.
    """
    data = df.dropna(subset=[x, y])
    flags = data[flag].tolist() if flag and flag in data else [None] * len(data)
    labels = data[label].astype(str).to_numpy() if label else np.array([""] * len(data))
    rows = pd.DataFrame({
        "label": labels,
        "name": data[name].astype(str).to_numpy() if name else labels,
        "x": data[x].astype(float).to_numpy(), "y": data[y].astype(float).to_numpy()})
    rows["x_text"] = [value_text(v, x_unit, value_format) for v in rows["x"]]
    rows["y_text"] = [value_text(v, y_unit, value_format) for v in rows["y"]]
    rows["flag_text"] = [flag_text(f) for f in flags]
    rows["low"] = [_is_low(f) for f in flags]
    if hue is not None:
        groups = sorted(data[hue].dropna().unique().tolist())
        rows["series"] = data[hue].astype(str).to_numpy()
        colour_of = {str(g): PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
        rows["colour"] = [colour_of[g] for g in rows["series"]]
    else:
        rows["series"] = ""
        rows["colour"] = [PALETTE[3] if highlight and lab in highlight else PALETTE[0] for lab in rows["label"]]
    rows["key"] = [f"{lab}|{i}" for i, lab in enumerate(rows["label"])]
    who = [f"{n} ({lab})" if n != lab else lab for n, lab in zip(rows["name"], rows["label"])]
    rows["description"] = [f"{w}: {xlabel} {xt}; {ylabel} {yt}; flag: {f}".lstrip(": ") for w, xt, yt, f in
                           zip(who, rows["x_text"], rows["y_text"], rows["flag_text"])]
    spec = _base_vl(_records(rows), alt, 340)
    enc = {"x": {"field": "x", "type": "quantitative", "title": xlabel, "scale": _axis_scale(x_domain)},
           "y": {"field": "y", "type": "quantitative", "title": ylabel, "scale": _axis_scale(y_domain)}}
    if hue is not None:
        names = [str(g) for g in groups]
        colour = {"field": "series", "type": "nominal", "title": None,
                  "scale": {"domain": names, "range": [PALETTE[i % len(PALETTE)] for i in range(len(names))]}}
    else:
        colour = {"field": "colour", "type": "nominal", "scale": None}
    tooltip = [*([{"field": "name", "title": "Name"}, {"field": "label", "title": "Code"}] if label else []),
               *([{"field": "series", "title": "Group"}] if hue is not None else []),
               {"field": "x_text", "title": xlabel}, {"field": "y_text", "title": ylabel},
               {"field": "flag_text", "title": "Eurostat flag"}]
    encoding = {**enc, "color": colour,
                "size": {"condition": {"test": "datum.key === focused", "value": 200}, "value": 55},
                "tooltip": tooltip, "description": {"field": "description"}}
    if hue is not None:
        encoding["opacity"] = {"condition": {"param": "series", "value": 1}, "value": 0.15}
    points, hollow = _dots_and_rings(encoding, size=55)
    points["params"] = [{"name": "zoom", "select": {"type": "interval", "encodings": ["x", "y"]}, "bind": "scales"},
                        *([_LEGEND_TOGGLE] if hue is not None else [])]
    layers = [points, hollow] if rows["low"].any() else [points]   # no empty (unlabelled) mark group
    if label:
        layers.append({"mark": {"type": "text", "dx": 4, "dy": -5, "align": "left", "fontSize": 10,
                                "color": "#333333"}, "encoding": {**enc, "text": {"field": "label"}}})
    if zero_line:
        layers.insert(0, {"mark": {"type": "rule", "color": "#999999"}, "encoding": {"y": {"datum": 0}}})
    if fit and len(rows) >= 3:
        slope, intercept = np.polyfit(rows["x"], rows["y"], 1)
        x_min, x_max = float(rows["x"].min()), float(rows["x"].max())
        layers.insert(0, {"data": {"values": [{"x": x_min, "y": intercept + slope * x_min},
                                              {"x": x_max, "y": intercept + slope * x_max}]},
                          "mark": {"type": "line", "color": "#666666", "strokeDash": [5, 3], "strokeWidth": 1},
                          "encoding": {"x": {"field": "x", "type": "quantitative"},
                                       "y": {"field": "y", "type": "quantitative"}}})
    spec["layer"] = layers
    return spec


# ------------------------------------------------------------------------ output


def _script_json(payload) -> str:
    """JSON safe inside a ``<script>`` element (no ``</``, no HTML comment openers)."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def figure_id(label: str) -> str:
    """The HTML id Sphinx gives a figure ``:name:`` (docutils' normalisation)."""
    from docutils.nodes import make_id

    return make_id(label)


def html_block(spec: dict, *, label: str) -> str:
    """The raw-HTML block that carries ``spec`` to the page script, one line per script element.

    Geometry (``usermeta.ie_geometry``) is written once per page: later maps of the same
    boundaries point to the first one's.
    """
    spec = dict(spec)
    parts = []
    names = (spec.get("usermeta") or {}).get("ie_geometry") or []
    if names:
        spec["data"] = [dict(d) for d in spec["data"]]
        keys = {}
        for d in spec["data"]:
            if d["name"] not in names:
                continue
            text = _script_json(d["values"])
            key = hashlib.sha1(text.encode()).hexdigest()[:16]
            if key not in _EMITTED_GEOMETRY:
                parts.append(f'<script type="application/json" class="ie-geometry" data-key="{key}">{text}</script>')
                _EMITTED_GEOMETRY.add(key)
            keys[d["name"]] = key
            d["values"] = []
        spec["usermeta"] = {**spec["usermeta"], "ie_geometry": keys}
    parts.append(f'<script type="application/json" class="ie-spec" data-figure="{html.escape(figure_id(label))}">'
                 f"{_script_json(spec)}</script>")
    return "\n".join(parts) + "\n"


def figure_bundle(figure_markdown: str, spec: dict | None, *, label: str) -> dict:
    """The display bundle of one figure: MyST figure (all builders) + interactive spec (HTML only).

    ``figure_markdown`` is the ``{figure}`` directive of the PNG (as ``show_figure`` writes it)
    whose ``:name:`` is ``label``. With a spec, the PNG gets ``:loading: lazy`` (the browser
    does not fetch it when the script has put the chart in its place), and the raw HTML
    goes in a separate markdown block before the figure, which the LaTeX builder drops.
    Display it with ``IPython.display.display(bundle, raw=True)``.
    """
    if spec is None:
        return {"text/markdown": figure_markdown, "text/plain": f"<figure {label}>"}
    head, sep, rest = figure_markdown.partition("\n")
    if not (head.lstrip("`").startswith("{figure}") and head.startswith("```")) or not sep:
        raise ValueError(f"figure {label}: expected a MyST {{figure}} directive, got {head[:60]!r}")
    text = html_block(spec, label=label) + "\n" + head + "\n:loading: lazy\n" + rest
    return {"text/markdown": text, "text/plain": f"<figure {label}>"}


# ------------------------------------------------- the static figure's interactive twin


_ATTR = "_inclusion_interactive"


def attach(fig, kind: str, **arguments) -> None:
    """Remember on a matplotlib figure how to build its interactive twin.

    Called by the static figure functions (``maps.choropleth``, ``charts.trend_lines``,
    ``charts.dumbbell``, scatters) with the very table and classes they draw, so that
    :func:`spec_for` builds the twin from the same inputs. ``kind`` is ``map``,
    ``categories``, ``points``, ``trend``, ``dumbbell`` or ``scatter``.
    """
    if kind not in _BUILDERS:
        raise ValueError(f"unknown interactive figure kind {kind!r}; one of {', '.join(_BUILDERS)}")
    setattr(fig, _ATTR, (kind, arguments))


def spec_for(fig, *, alt: str) -> dict | None:
    """The interactive spec of a figure that :func:`attach` marked, else ``None``.

    Changes the notebook made to the figure after drawing it are carried over where they
    change the reading: a logarithmic x axis (dumbbells), a line at zero (trends), and the
    axes' limits (so the interactive chart starts where the PNG starts).
    """
    marked = getattr(fig, _ATTR, None)
    if marked is None:
        return None
    kind, arguments = marked
    arguments = dict(arguments)
    ax = fig.axes[0] if fig.axes else None
    if ax is not None and kind == "dumbbell" and ax.get_xscale() == "log":
        arguments["log_x"] = True
    if ax is not None and kind == "trend":
        arguments.setdefault("y_domain", ax.get_ylim())
    if ax is not None and kind == "dumbbell":
        arguments.setdefault("x_domain", ax.get_xlim())
    if ax is not None and kind == "scatter":
        arguments.setdefault("x_domain", ax.get_xlim())
        arguments.setdefault("y_domain", ax.get_ylim())
    if ax is not None and kind in ("categories", "points"):
        # a notebook may frame the map anew (the locator maps do): the twin starts on the same frame
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        arguments["frame"] = (float(x0), float(x1), float(y0), float(y1))
    if ax is not None and kind == "trend" and "zero_line" not in arguments:
        arguments["zero_line"] = any(
            len(set(line.get_ydata())) == 1 and float(line.get_ydata()[0]) == 0.0 and line.get_xdata()[0] == 0
            for line in ax.get_lines() if len(line.get_ydata()) == 2)
    return _BUILDERS[kind](alt=alt, **arguments)


def _map_from_static(*, alt: str, regions, column: str, classes: MapClasses, legend_title: str, frame,
                     id_column: str = "nuts_id", name_column: str = "name", flag_column: str | None = None,
                     unit: str = "", year=None, value_format: str = "{:.1f}", background=None) -> dict:
    year_column = next((c for c in ("time", "year") if c in regions and year is None), None)
    table = map_table(regions, column, classes, id_column=id_column, name_column=name_column, unit=unit,
                      year=year, year_column=year_column, flag_column=flag_column, value_format=value_format)
    title = legend_title.strip() or column
    return choropleth_spec(table, regions[[id_column, "geometry"]], classes=classes,
                           legend_title=[*title.split("\n"), f"({classes.scheme}, {len(classes.labels)} classes)"],
                           frame=frame, alt=alt, id_column=id_column, background=background)


def _categories_from_static(*, alt: str, regions, column: str, classes: MapClasses, legend_title: str, frame,
                            id_column: str = "nuts_id", name_column: str = "name",
                            flag_column: str | None = None, outlined: tuple[int, ...] = ()) -> dict:
    table = category_table(regions, column, classes, id_column=id_column, name_column=name_column,
                           flag_column=flag_column)
    return choropleth_spec(table, regions[[id_column, "geometry"]], classes=classes,
                           legend_title=legend_title.strip() or column, frame=frame, alt=alt, id_column=id_column,
                           categorical=True, outlined=outlined)


def _points_from_static(*, alt: str, points, background, frame, label: str | None, group: str | None,
                        group_labels: dict | None = None, shade: set | None = None, shade_column: str = "nuts_id",
                        legend_title: str = "") -> dict:
    table = points_table(points, x="x", y="y", label=label, group=group, group_labels=group_labels)
    legend = []
    if group is not None:  # the static legend: sorted groups, the book's palette in that order
        keys = sorted(points[group].dropna().unique().tolist())
        legend = [((group_labels or {}).get(k, str(k)), hex_colour(PALETTE[i % len(PALETTE)]))
                  for i, k in enumerate(keys)]
    return points_spec(table, background, frame=frame, alt=alt, legend=legend, shade=shade,
                       shade_column=shade_column, legend_title=legend_title)


_BUILDERS = {"map": _map_from_static, "categories": _categories_from_static, "points": _points_from_static,
             "trend": trend_spec, "dumbbell": dumbbell_spec, "scatter": scatter_spec}


def reset_page() -> None:
    """Forget the geometries written so far (a new page; for tests and re-run kernels)."""
    _EMITTED_GEOMETRY.clear()
