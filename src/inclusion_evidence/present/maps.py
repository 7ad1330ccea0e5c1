"""Maps in Eurostat's manner (LAEA Europe, mainland framed, no data distinct): classed choropleths, categories, points."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from inclusion_evidence.core.geo_codes import OUTERMOST_NUTS2
from inclusion_evidence.present.figures import NO_DATA_COLOUR, SEQUENTIAL

# Mainland Europe in EPSG:3035 (metres), as on Eurostat's statistical maps.
EUROPE_FRAME = (2_500_000, 7_500_000, 1_400_000, 5_500_000)
SCHEMES = ("quantiles", "equalinterval", "naturalbreaks", "fisherjenks", "headtailbreaks")
_OUTERMOST_COUNTRY_PARTS = {"FRY": "French outermost regions (FRY1-FRY5)", "ES70": "Canarias (ES70)",
                            "PT20": "Açores (PT20)", "PT30": "Madeira (PT30)"}


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
               cmap: str = SEQUENTIAL, legend_title: str = "", flag_column: str | None = None,
               background: gpd.GeoDataFrame | None = None, ax=None, value_format: str = "{:.1f}",
               figsize=(7.5, 7.2)):
    """Draw a classed choropleth of ``column``.

    Regions without a value are light grey with a hatch ("no data"); values
    flagged ``u`` (low reliability) in ``flag_column`` carry a dotted hatch.
    The classification is named in the legend title. Returns the figure.
    """
    if regions.crs is None or regions.crs.to_epsg() != 3035:
        regions = regions.to_crs(3035)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=figsize)
    if background is not None:
        background.to_crs(3035).plot(ax=ax, color="#f2f2f2", edgecolor="#bdbdbd", linewidth=0.3)
    values = regions[column].astype(float)
    has = values.notna()
    cls = classify(values[has], scheme, k)
    bins = list(cls.bins)
    lower = float(values[has].min())
    colours = plt.get_cmap(cmap)(np.linspace(0.15, 0.95, len(bins)))
    idx = np.searchsorted(bins, values[has].to_numpy(), side="left").clip(0, len(bins) - 1)
    regions[~has].plot(ax=ax, color=NO_DATA_COLOUR, edgecolor="white", linewidth=0.3, hatch="////")
    regions[has].plot(ax=ax, color=colours[idx], edgecolor="white", linewidth=0.3)
    handles = []
    edges = [lower, *bins]
    for i, colour in enumerate(colours):
        handles.append(Patch(facecolor=colour, edgecolor="none",
                             label=f"{value_format.format(edges[i])} – {value_format.format(edges[i + 1])}"))
    handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", hatch="////", label="No data"))
    if flag_column is not None and flag_column in regions:
        low = has & regions[flag_column].fillna("").str.contains("u")
        if low.any():
            regions[low].plot(ax=ax, facecolor="none", edgecolor="#333333", linewidth=0.0, hatch="...")
            handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="...",
                                 label="Low reliability (flag u)"))
    frame_europe(ax)
    ax.legend(handles=handles, title=f"{legend_title}\n({cls.name}, {len(bins)} classes)".strip(),
              loc="upper left", fontsize=7.5, title_fontsize=8, frameon=True)
    return fig


def category_map(regions: gpd.GeoDataFrame, column: str, order: list, colours, *, labels: dict | None = None,
                 legend_title: str = "", flag_column: str | None = None, counts: bool = True, figsize=(7.5, 7.2)):
    """A map of categories (clusters, directions of change, small counts) in the frame of :func:`choropleth`.

    One colour per value in ``order``: ``colours`` is a list (one per value) or
    the name of a sequential colour map to sample. Classed choropleths merge
    neighbouring values into one class; this keeps every category distinct.
    The legend names each category (``labels``), with its number of regions when
    ``counts``. Regions with no category are light grey and hatched ("No data");
    values flagged ``u`` in ``flag_column`` carry a dotted hatch.
    """
    regions = regions.to_crs(3035)
    if isinstance(colours, str):
        colours = list(plt.get_cmap(colours)(np.linspace(0.1, 0.95, len(order))))
    fig, ax = plt.subplots(figsize=figsize)
    has = regions[column].notna()
    if (~has).any():
        regions[~has].plot(ax=ax, color=NO_DATA_COLOUR, edgecolor="white", linewidth=0.3, hatch="////")
    handles = []
    for cat, colour in zip(order, colours):
        part = regions[regions[column] == cat]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="white", linewidth=0.3)
        name = (labels or {}).get(cat, cat)
        handles.append(Patch(facecolor=colour, edgecolor="none", label=f"{name} ({len(part)})" if counts else str(name)))
    handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", hatch="////", label="No data"))
    if flag_column is not None and flag_column in regions:
        low = has & regions[flag_column].fillna("").astype(str).str.contains("u")
        if low.any():
            regions[low].plot(ax=ax, facecolor="none", edgecolor="#333333", linewidth=0.0, hatch="...")
            handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="...",
                                 label="Low reliability (flag u)"))
    frame_europe(ax)
    ax.legend(handles=handles, title=legend_title, loc="upper left", fontsize=7.5, title_fontsize=8, frameon=True)
    return fig


def points_map(points: pd.DataFrame, *, lon: str = "lon", lat: str = "lat", background: gpd.GeoDataFrame,
               hue: str | None = None, labels: dict | None = None, ax=None, figsize=(7.5, 7.2), size=22,
               shade: set | None = None, shade_column: str = "nuts_id"):
    """Cities or other points over a country background, in EPSG:3035.

    ``shade`` names background areas (by ``shade_column``) to fill in a light colour.
    """
    gdf = gpd.GeoDataFrame(points.copy(), geometry=gpd.points_from_xy(points[lon], points[lat]), crs=4326).to_crs(3035)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=figsize)
    background = background.to_crs(3035)
    fills = ["#c6dbef" if shade and key in shade else "#f0f0f0" for key in background[shade_column]] \
        if shade_column in background else "#f0f0f0"
    background.plot(ax=ax, color=fills, edgecolor="#9e9e9e", linewidth=0.4)
    from inclusion_evidence.present.figures import PALETTE

    if hue is None:
        gdf.plot(ax=ax, color=PALETTE[0], markersize=size)
    else:
        for i, (key, part) in enumerate(gdf.groupby(hue, sort=True)):
            part.plot(ax=ax, color=PALETTE[i % len(PALETTE)], markersize=size,
                      label=(labels or {}).get(key, str(key)), edgecolor="white", linewidth=0.3)
        ax.legend(loc="upper left", fontsize=8)
    frame_europe(ax)
    return fig


def mainland(regions: gpd.GeoDataFrame, id_column: str = "nuts_id") -> gpd.GeoDataFrame:
    """Regions without the outermost ones (for statistics that describe the framed map)."""
    return regions[~regions[id_column].isin(OUTERMOST_NUTS2)]
