"""Maps in Eurostat's manner (LAEA Europe, mainland framed, no data distinct): classed choropleths, categories, points."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from inclusion_evidence.core.flags import low_reliability
from inclusion_evidence.core.geo_codes import DEFAULT_SCOPE, OUTERMOST_NUTS2, in_scope, scope_label
from inclusion_evidence.present import interactive
from inclusion_evidence.present.figures import NO_DATA_COLOUR, value_palette

# Mainland Europe in EPSG:3035 (metres), as on Eurostat's statistical maps.
EUROPE_FRAME = (2_500_000, 7_500_000, 1_400_000, 5_500_000)
SCHEMES = ("quantiles", "equalinterval", "naturalbreaks", "fisherjenks", "headtailbreaks")
# Regions outside the scope that have data: drawn as context, visibly apart from classes and "no data".
CONTEXT_COLOUR, CONTEXT_EDGE, CONTEXT_HATCH = "#f7f7f7", "#8c8c8c", "---"
_OUTERMOST_COUNTRY_PARTS = {"FRY": "French outermost regions (FRY1-FRY5)", "ES70": "Canarias (ES70)",
                            "PT20": "Açores (PT20)", "PT30": "Madeira (PT30)"}


@contextmanager
def no_redraw(fig):
    """Draw layers on ``fig`` without the full redraw that each ``GeoDataFrame.plot`` asks for.

    geopandas ends every ``plot`` with ``canvas.draw_idle()``, which on the Agg canvas draws
    the whole figure at once: a map of five layers was drawn five times before being saved
    (measured: as long as saving it). The figure is drawn once, when it is saved.
    """
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None   # shadows the method on this canvas only
    try:
        yield fig
    finally:
        del canvas.draw_idle


def polygon_paths(geoms) -> list:
    """One matplotlib ``Path`` per (Multi)Polygon of ``geoms``, built for all geometries at once.

    The same paths as geopandas draws (geometries normalised, each ring closed, exterior then
    holes, every part of a MultiPolygon in one compound path), but from shapely's array functions instead
    of one Python loop per polygon and ring: geopandas spent about 1.5 ms a region on
    them, 0.3-0.6 s a NUTS-2 map.
    """
    import shapely
    from matplotlib.path import Path

    # normalised as geopandas does before drawing (ring orientation decides what is a hole)
    arr = shapely.normalize(np.asarray(getattr(geoms, "values", geoms), dtype=object))
    kinds = shapely.get_type_id(arr)
    if len(arr) and not np.isin(kinds, (3, 6)).all():  # 3 Polygon, 6 MultiPolygon
        raise ValueError("polygon_paths: every geometry must be a Polygon or MultiPolygon")
    parts, part_of = shapely.get_parts(arr, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)  # exterior first, then the holes
    coords, vertex_of = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    ends = np.cumsum(np.bincount(vertex_of, minlength=len(rings)))
    starts = ends - np.bincount(vertex_of, minlength=len(rings))
    filled = ends > starts
    codes[starts[filled]] = Path.MOVETO
    codes[ends[filled] - 1] = Path.CLOSEPOLY
    per_geometry = np.bincount(part_of[ring_of[vertex_of]], minlength=len(arr))
    bounds = np.cumsum(per_geometry)[:-1]
    return [Path(v, c) for v, c in zip(np.split(coords, bounds), np.split(codes, bounds))]


def draw_polygons(ax, frame, *, color=None, facecolor=None, edgecolor=None, linewidth=None, hatch=None):
    """Draw the (Multi)Polygons of ``frame`` on ``ax`` as one collection, as ``frame.plot(ax=ax, ...)`` does.

    ``color`` (one colour or one per row) is the fill, as in geopandas; the axes get an
    equal aspect (the maps are projected). Returns the collection. No redraw of the figure
    is asked for (geopandas asks for one after every layer), and the paths are built at
    once (:func:`polygon_paths`).
    """
    from matplotlib.collections import PathCollection
    from matplotlib.colors import is_color_like

    geoms = frame.geometry if hasattr(frame, "geometry") else frame
    keep = ~(geoms.isna() | geoms.is_empty).to_numpy()
    fill = facecolor if color is None else color
    if fill is not None and not is_color_like(fill):  # one colour per row
        fill = np.asarray(fill)[keep]
    kwargs = {"facecolor": fill, "edgecolor": edgecolor, "linewidth": linewidth, "hatch": hatch}
    collection = PathCollection(polygon_paths(geoms[keep]), **{k: v for k, v in kwargs.items() if v is not None})
    ax.set_aspect("equal")
    ax.add_collection(collection, autolim=True)
    ax.autoscale_view()
    return collection


@dataclass(frozen=True)
class Classes:
    """Class upper bounds (the last one is the maximum) and the scheme's name for the legend."""

    name: str
    bins: np.ndarray


def classify(values: pd.Series, scheme: str = "quantiles", k: int = 5) -> Classes:
    """Class breaks for a choropleth; ``scheme`` is validated.

    The same breaks as mapclassify's classifiers (the tests compare them), computed
    here with numpy: importing mapclassify costs two seconds per notebook (it
    loads scipy.stats and scikit-learn).
    """
    scheme_key = scheme.lower().replace("_", "").replace("-", "")
    if scheme_key not in SCHEMES:
        raise ValueError(f"unknown classification scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    data = np.sort(pd.Series(values).dropna().to_numpy(dtype=float))
    if data.size == 0:
        raise ValueError("no values to classify")
    k = max(2, min(k, len(np.unique(data))))
    if scheme_key == "quantiles":
        return Classes("Quantiles", np.unique(np.quantile(data, np.arange(1, k + 1) / k)))
    if scheme_key == "equalinterval":
        width = (data[-1] - data[0]) / k
        bins = data[0] + width * np.arange(1, k + 1)
        bins[-1] = data[-1]
        return Classes("Equal intervals", bins)
    if scheme_key == "headtailbreaks":
        return Classes("Head/tail breaks", _head_tail_breaks(data))
    # NaturalBreaks starts from random seeds; Fisher-Jenks gives the optimal
    # breaks deterministically, so "naturalbreaks" is served by it.
    return Classes("Fisher-Jenks natural breaks", _fisher_jenks(data, k))


def _fisher_jenks(data: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the k classes of sorted ``data`` with the least within-class sum of squares."""
    n = data.size
    s1 = np.concatenate([[0.0], np.cumsum(data)])
    s2 = np.concatenate([[0.0], np.cumsum(data * data)])

    def ssd(i: np.ndarray, j: int) -> np.ndarray:  # sum of squared deviations of data[i:j]
        m = j - i
        return s2[j] - s2[i] - (s1[j] - s1[i]) ** 2 / m

    cost = np.full((k + 1, n + 1), np.inf)
    split = np.zeros((k + 1, n + 1), dtype=int)
    cost[1, 1:] = [ssd(np.array([0]), j)[0] for j in range(1, n + 1)]
    for c in range(2, k + 1):
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)                    # the last class is data[i:j]
            total = cost[c - 1, i] + ssd(i, j)
            best = int(np.argmin(total))
            cost[c, j], split[c, j] = total[best], i[best]
    ends, j = [], n
    for c in range(k, 0, -1):
        ends.append(j)
        j = split[c, j]
    return data[np.array(ends[::-1]) - 1]


def _head_tail_breaks(data: np.ndarray) -> np.ndarray:
    """Means of ever smaller heads (values above the previous mean), ending at the maximum."""
    bins = []
    head = data
    while True:
        mean = head.mean()
        bins.append(mean)
        if np.unique(head).size <= 1:
            return np.array(bins)
        head = head[head > mean]


@dataclass(frozen=True)
class MapClasses:
    """The classes of a choropleth: intervals from low to high, their colours and the legend's words.

    For signed data (``kind == "diverging"``) zero is always a class boundary:
    the negative values are classed by their distance from zero and the positive
    ones on their own, so no class holds values on both sides of zero, and the
    n-th class from zero has the same depth of colour on either side.
    """

    name: str
    kind: str                      # "diverging" or "sequential"
    cmap: str
    intervals: tuple               # ((low, high), ...) from the lowest class to the highest
    colours: tuple                 # one RGBA tuple per interval
    _negative: np.ndarray          # signed: upper bounds of the distances from zero of negative values
    _positive: np.ndarray          # signed: upper bounds of the values >= 0; sequential: all upper bounds

    @property
    def edges(self) -> list[float]:
        """Class boundaries from the lowest to the highest (zero among them for signed data)."""
        return [self.intervals[0][0], *(high for _, high in self.intervals)]

    def assign(self, values) -> np.ndarray:
        """Index of the class of each value (values must not be missing)."""
        v = np.asarray(values, dtype=float)
        if self.kind == "sequential":
            return np.searchsorted(self._positive, v, side="left").clip(0, len(self._positive) - 1)
        n_neg = len(self._negative)
        out = np.empty(v.shape, dtype=int)
        neg = v < 0
        if n_neg:
            rank = np.searchsorted(self._negative, -v[neg], side="left").clip(0, n_neg - 1)
            out[neg] = n_neg - 1 - rank
        elif neg.any():
            raise ValueError("a negative value has no class")
        if len(self._positive):
            out[~neg] = n_neg + np.searchsorted(self._positive, v[~neg], side="left").clip(0, len(self._positive) - 1)
        else:  # zeros with only negative classes: the class next to zero
            out[~neg] = n_neg - 1
        return out


def map_classes(values: pd.Series, scheme: str = "quantiles", k: int = 5, *, signed: bool | None = None,
                cmap: str | None = None) -> MapClasses:
    """Classes and palette for a choropleth, chosen from the data's sign.

    Signed data (values on both sides of zero, or ``signed=True`` for gaps and
    changes) get a diverging palette centred on zero and classes split at zero:
    of the ``k`` classes, each side gets a share in proportion to its number of
    values (at least one), classed with ``scheme``. One-sided data get a
    sequential palette and ``k`` classes by ``scheme`` (:func:`classify`).
    ``cmap`` is kept only if it is of the right kind (see
    :func:`~inclusion_evidence.present.figures.value_palette`).
    """
    data = pd.Series(values, dtype=float).dropna().to_numpy()
    if data.size == 0:
        raise ValueError("no values to classify")
    palette = value_palette(data, signed, cmap)
    colour_map = plt.get_cmap(palette.cmap)
    if palette.kind == "sequential":
        cls = classify(data, scheme, k)
        bins = np.asarray(cls.bins, dtype=float)
        lows = [float(data.min()), *map(float, bins[:-1])]
        colours = colour_map(np.linspace(0.15, 0.95, len(bins)))
        return MapClasses(cls.name, "sequential", palette.cmap, tuple(zip(lows, map(float, bins))),
                          tuple(map(tuple, colours)), np.array([]), bins)
    negative, positive = data[data < 0], data[data >= 0]
    k_neg, k_pos = _split_classes(k, negative, positive)
    neg_bins = (np.asarray(classify(-negative, scheme, max(k_neg, 1)).bins, dtype=float) if k_neg
                else np.array([]))
    pos_bins = (np.asarray(classify(positive, scheme, max(k_pos, 1)).bins, dtype=float) if k_pos
                else np.array([]))
    if k_neg == 1:  # classify() makes at least two classes; one class per side was asked
        neg_bins = neg_bins[-1:]
    if k_pos == 1:
        pos_bins = pos_bins[-1:]
    if pos_bins.size and pos_bins[0] == 0 and pos_bins.size > 1:
        pos_bins = pos_bins[1:]  # zero is already a boundary
    intervals = [(-float(hi), 0.0 - float(lo)) for lo, hi in zip([0.0, *neg_bins[:-1]], neg_bins)][::-1]
    intervals += list(zip([0.0, *map(float, pos_bins[:-1])], map(float, pos_bins)))
    depth = max(len(neg_bins), len(pos_bins))
    steps = np.linspace(0.3, 0.95, depth) if depth > 1 else np.array([0.7])
    colours = [colour_map(0.5 - 0.5 * steps[r]) for r in range(len(neg_bins))][::-1]
    colours += [colour_map(0.5 + 0.5 * steps[r]) for r in range(len(pos_bins))]
    name = f"{classify(np.abs(data), scheme, 2).name} on each side of 0"
    return MapClasses(name, "diverging", palette.cmap, tuple(intervals), tuple(map(tuple, colours)),
                      neg_bins, pos_bins)


def _split_classes(k: int, negative: np.ndarray, positive: np.ndarray) -> tuple[int, int]:
    """How many of ``k`` classes each side of zero gets: in proportion to its values, and at
    least two per side (when ``k >= 4`` and the side has two distinct values), so that one
    wide class never hides the spread of the smaller side."""
    if not negative.size or not positive.size:
        return (max(k, 1), 0) if negative.size else (0, max(k, 1))
    k = max(k, 2)
    floor_neg = min(2 if k >= 4 else 1, len(np.unique(negative)))
    floor_pos = min(2 if k >= 4 else 1, len(np.unique(positive)))
    k_neg = min(max(int(round(k * negative.size / (negative.size + positive.size))), floor_neg), k - floor_pos)
    return k_neg, k - k_neg


def left_out_note(regions: gpd.GeoDataFrame, id_column: str = "nuts_id") -> str:
    """Name the outermost regions that have data but fall outside the frame."""
    ids = set(regions[id_column])
    names = []
    if any(i.startswith("FRY") for i in ids):
        names.append(_OUTERMOST_COUNTRY_PARTS["FRY"])
    for code in ("ES70", "PT20", "PT30"):
        if code in ids:
            names.append(_OUTERMOST_COUNTRY_PARTS[code])
    return ("Not shown (outside the frame): " + ", ".join(names) + ".") if names else ""


def frame_europe(ax) -> None:
    """Frame ``ax`` on mainland Europe (:data:`EUROPE_FRAME`, EPSG:3035), axes hidden."""
    x0, x1, y0, y1 = EUROPE_FRAME
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_axis_off()


def choropleth(regions: gpd.GeoDataFrame, column: str, *, scheme: str = "quantiles", k: int = 5,
               cmap: str | None = None, legend_title: str = "", flag_column: str | None = None,
               background: gpd.GeoDataFrame | None = None, ax=None, value_format: str = "{:.1f}",
               figsize=(7.5, 7.2), signed: bool | None = None, scope: str | None = DEFAULT_SCOPE,
               id_column: str = "nuts_id", unit: str = "", year=None):
    """Draw a classed choropleth of ``column``.

    The palette follows the data's sign (:func:`map_classes`): signed data
    (values on both sides of zero, or ``signed=True`` for gaps and changes) get a
    diverging palette centred on zero with zero as a class boundary; one-sided
    data a sequential one. ``cmap`` is a preference kept only if of the right kind.

    Only regions in ``scope`` (``"EU27"`` by default, e.g. ``"EU27+EFTA+candidates"``;
    ``None`` for all) are classed; regions outside it that have a value are drawn
    as context in a light grey hatch, labelled "Outside the <scope>, context",
    and those without a value are left out. Codes are read from ``id_column``
    (NUTS or country codes, by their country prefix).

    In-scope regions without a value are light grey with a hatch ("no data");
    values flagged ``u`` (low reliability) in ``flag_column`` carry a dotted
    hatch. The classification is named in the legend title. Returns the figure,
    which carries its interactive twin for the HTML (same classes and colours;
    context regions drawn as its grey background); ``unit`` (e.g. ``"%"``, ``"pp"``)
    and ``year`` are what its tooltips show beside each value.
    """
    if regions.crs is None or regions.crs.to_epsg() != 3035:
        regions = regions.to_crs(3035)
    if scope is not None:
        if id_column not in regions:
            raise ValueError(f"choropleth: scope {scope!r} needs the region codes in column {id_column!r}; "
                             f"the columns are {', '.join(map(str, regions.columns))}")
        inside = in_scope(regions[id_column], scope).to_numpy()
    else:
        inside = np.ones(len(regions), dtype=bool)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=figsize)
    with no_redraw(fig):
        _draw_choropleth(fig, ax, regions, column, inside, scheme=scheme, k=k, cmap=cmap, legend_title=legend_title,
                         flag_column=flag_column, background=background, value_format=value_format, signed=signed,
                         scope=scope, id_column=id_column, unit=unit, year=year)
    return fig


def _draw_choropleth(fig, ax, regions, column, inside, *, scheme, k, cmap, legend_title, flag_column, background,
                     value_format, signed, scope, id_column, unit, year):
    if background is not None:
        draw_polygons(ax, background.to_crs(3035), color="#f2f2f2", edgecolor="#bdbdbd", linewidth=0.3)
    values = regions[column].astype(float)
    has = values.notna().to_numpy()
    classed = has & inside
    if not classed.any():
        raise ValueError(f"choropleth: no region in scope {scope!r} has a value in {column!r}")
    classes = map_classes(values[classed], scheme, k, signed=signed, cmap=cmap)
    colours = np.array(classes.colours)
    context = has & ~inside
    if context.any():
        draw_polygons(ax, regions[context], facecolor=CONTEXT_COLOUR, edgecolor=CONTEXT_EDGE, linewidth=0.3,
                              hatch=CONTEXT_HATCH)
    if (~has & inside).any():
        draw_polygons(ax, regions[~has & inside], color=NO_DATA_COLOUR, edgecolor="white", linewidth=0.3, hatch="////")
    draw_polygons(ax, regions[classed], color=colours[classes.assign(values[classed])], edgecolor="white", linewidth=0.3)
    handles = [Patch(facecolor=colour, edgecolor="none",
                     label=f"{value_format.format(low)} – {value_format.format(high)}")
               for (low, high), colour in zip(classes.intervals, classes.colours)]
    handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", hatch="////", label="No data"))
    if context.any():
        handles.append(Patch(facecolor=CONTEXT_COLOUR, edgecolor=CONTEXT_EDGE, hatch=CONTEXT_HATCH,
                             label=context_label(scope)))
    if flag_column is not None and flag_column in regions:
        low = classed & low_reliability(regions[flag_column]).to_numpy()
        if low.any():
            draw_polygons(ax, regions[low], facecolor="none", edgecolor="#333333", linewidth=0.0, hatch="...")
            handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="...",
                                 label="Low reliability (flag u)"))
    frame_europe(ax)
    ax.legend(handles=handles, title=f"{legend_title}\n({classes.name}, {len(classes.intervals)} classes)".strip(),
              loc="upper left", fontsize=7.5, title_fontsize=8, frameon=True)
    # The interactive twin (HTML) takes the same classes and colours; context regions are its background.
    codes = regions[id_column].astype(str)
    twin_background = regions[context] if context.any() else None
    if background is not None:
        bg = background.to_crs(3035)
        twin_background = bg if twin_background is None else pd.concat([bg, twin_background[["geometry"]]])
    interactive.attach(fig, "map", regions=regions[inside], column=column, legend_title=legend_title,
                       frame=EUROPE_FRAME, id_column=id_column,
                       classes=interactive.MapClasses(
                           scheme=classes.name, labels=[h.get_label() for h in handles[:len(classes.colours)]],
                           colours=[interactive.hex_colour(c) for c in classes.colours],
                           assigned=dict(zip(codes[classed], classes.assign(values[classed]).tolist()))),
                       flag_column=flag_column, value_format=value_format, background=twin_background,
                       unit=unit, year=year)


def category_map(regions: gpd.GeoDataFrame, column: str, order: list, colours, *, labels: dict | None = None,
                 legend_title: str = "", flag_column: str | None = None, counts: bool = True, figsize=(7.5, 7.2),
                 id_column: str = "nuts_id", name_column: str = "name", context="context"):
    """A map of categories (clusters, directions of change, small counts) in the frame of :func:`choropleth`.

    One colour per value in ``order``: ``colours`` is a list (one per value) or
    the name of a sequential colour map to sample. Classed choropleths merge
    neighbouring values into one class; this keeps every category distinct.
    The legend names each category (``labels``), with its number of regions when
    ``counts``. Regions with no category are light grey and hatched ("No data");
    values flagged ``u`` in ``flag_column`` carry a dotted hatch. The figure carries its
    interactive twin for the HTML (same categories, colours and legend words; hover names the
    region, from ``name_column``, its code, from ``id_column``, and its category). The category
    ``context`` (if in ``order``: regions drawn as context) is outlined in grey there, as
    :func:`choropleth` outlines its context regions.
    """
    regions = regions.to_crs(3035)
    if id_column not in regions:
        raise ValueError(f"category_map: the region codes are read from column {id_column!r}; "
                         f"the columns are {', '.join(map(str, regions.columns))}")
    if isinstance(colours, str):
        colours = list(plt.get_cmap(colours)(np.linspace(0.1, 0.95, len(order))))
    fig, ax = plt.subplots(figsize=figsize)
    with no_redraw(fig):
        handles = _draw_categories(ax, regions, column, order, colours, labels=labels, legend_title=legend_title,
                                   flag_column=flag_column, counts=counts)
    position = {cat: i for i, cat in enumerate(order)}
    interactive.attach(fig, "categories", regions=regions, column=column, legend_title=legend_title,
                       frame=EUROPE_FRAME, id_column=id_column, name_column=name_column, flag_column=flag_column,
                       outlined=(position[context],) if context in position else (),
                       classes=interactive.MapClasses(
                           scheme="categories", labels=[h.get_label() for h in handles[:len(order)]],
                           colours=[interactive.hex_colour(c) for c in colours[:len(order)]],
                           assigned={code: position.get(cat) for code, cat in
                                     zip(regions[id_column].astype(str), regions[column])}))
    return fig


def _draw_categories(ax, regions, column, order, colours, *, labels, legend_title, flag_column, counts):
    has = regions[column].notna()
    if (~has).any():
        draw_polygons(ax, regions[~has], color=NO_DATA_COLOUR, edgecolor="white", linewidth=0.3, hatch="////")
    handles = []
    for cat, colour in zip(order, colours):
        part = regions[regions[column] == cat]
        if len(part):
            draw_polygons(ax, part, color=colour, edgecolor="white", linewidth=0.3)
        name = (labels or {}).get(cat, cat)
        handles.append(Patch(facecolor=colour, edgecolor="none", label=f"{name} ({len(part)})" if counts else str(name)))
    handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", hatch="////", label="No data"))
    if flag_column is not None and flag_column in regions:
        low = has & low_reliability(regions[flag_column])
        if low.any():
            draw_polygons(ax, regions[low], facecolor="none", edgecolor="#333333", linewidth=0.0, hatch="...")
            handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="...",
                                 label="Low reliability (flag u)"))
    frame_europe(ax)
    ax.legend(handles=handles, title=legend_title, loc="upper left", fontsize=7.5, title_fontsize=8, frameon=True)
    return handles


def context_label(scope: str | None) -> str:
    """The legend's words for regions drawn as context: "Outside the EU-27, context"."""
    return f"Outside the {scope_label(scope or DEFAULT_SCOPE)}, context"


def points_map(points: pd.DataFrame, *, lon: str = "lon", lat: str = "lat", background: gpd.GeoDataFrame,
               hue: str | None = None, labels: dict | None = None, ax=None, figsize=(7.5, 7.2), size=22,
               shade: set | None = None, shade_column: str = "nuts_id", label: str | None = "name"):
    """Cities or other points over a country background, in EPSG:3035.

    ``shade`` names background areas (by ``shade_column``) to fill in a light colour.
    The figure carries its interactive twin for the HTML: the same background and points,
    the same colours per ``hue`` group and legend words (``labels``); hover names the
    point (column ``label``) and its group.
    """
    gdf = gpd.GeoDataFrame(points.copy(), geometry=gpd.points_from_xy(points[lon], points[lat]), crs=4326).to_crs(3035)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=figsize)
    with no_redraw(fig):
        _draw_points(ax, gdf, background, hue=hue, labels=labels, size=size, shade=shade, shade_column=shade_column)
    projected = pd.DataFrame(gdf.drop(columns="geometry")).assign(x=gdf.geometry.x, y=gdf.geometry.y)
    interactive.attach(fig, "points", points=projected, background=background.to_crs(3035), frame=EUROPE_FRAME,
                       label=label if label in projected else None, group=hue, group_labels=labels, shade=shade,
                       shade_column=shade_column)
    return fig


def _draw_points(ax, gdf, background, *, hue, labels, size, shade, shade_column):
    background = background.to_crs(3035)
    fills = ["#c6dbef" if shade and key in shade else "#f0f0f0" for key in background[shade_column]] \
        if shade_column in background else "#f0f0f0"
    draw_polygons(ax, background, color=fills, edgecolor="#9e9e9e", linewidth=0.4)
    from inclusion_evidence.present.figures import PALETTE

    if hue is None:
        gdf.plot(ax=ax, color=PALETTE[0], markersize=size)
    else:
        for i, (key, part) in enumerate(gdf.groupby(hue, sort=True)):
            part.plot(ax=ax, color=PALETTE[i % len(PALETTE)], markersize=size,
                      label=(labels or {}).get(key, str(key)), edgecolor="white", linewidth=0.3)
        ax.legend(loc="upper left", fontsize=8)
    frame_europe(ax)


def mainland(regions: gpd.GeoDataFrame, id_column: str = "nuts_id") -> gpd.GeoDataFrame:
    """Regions without the outermost ones (for statistics that describe the framed map)."""
    return regions[~regions[id_column].isin(OUTERMOST_NUTS2)]
