"""The maps draw their regions from paths built at once (issue 19): same pixels as geopandas' plot."""

import io

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from geopandas.plotting import _PolygonPatch  # noqa: E402
from shapely.geometry import MultiPolygon, Polygon, box  # noqa: E402

from inclusion_evidence.present import maps  # noqa: E402

HOLED = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
ISLANDS = MultiPolygon([box(5, 0, 6, 1), Polygon([(7, 0), (9, 0), (8, 2)], [[(7.8, 0.4), (8.2, 0.4), (8, 0.8)]])])


@pytest.fixture
def regions():
    return gpd.GeoDataFrame({"nuts_id": ["AT11", "AT12", "AT13"], "value": [1.0, 2.0, 3.0]},
                            geometry=[HOLED, ISLANDS, box(0, 5, 3, 7)], crs=3035)


def test_paths_are_geopandas_paths(regions):
    for mine, geom in zip(maps.polygon_paths(regions.geometry), regions.geometry):
        theirs = _PolygonPatch(geom.normalize()).get_path()  # geopandas normalises before drawing
        np.testing.assert_array_equal(mine.vertices, theirs.vertices)
        np.testing.assert_array_equal(mine.codes, theirs.codes)


def test_only_polygons_are_accepted():
    with pytest.raises(ValueError, match="Polygon"):
        maps.polygon_paths(gpd.GeoSeries.from_xy([0.0], [1.0]))


def _png(draw) -> bytes:
    fig, ax = plt.subplots(figsize=(3, 3))
    with maps.no_redraw(fig):
        draw(ax)
    ax.set_axis_off()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=60, metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


def test_same_pixels_as_geopandas_plot(regions):
    colours = np.array(["#1b9e77", "#d95f02", "#7570b3"])

    def theirs(ax):
        regions.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.3)
        regions.iloc[[1]].plot(ax=ax, facecolor="none", edgecolor="#333333", linewidth=0.0, hatch="...")

    def mine(ax):
        maps.draw_polygons(ax, regions, color=colours, edgecolor="white", linewidth=0.3)
        maps.draw_polygons(ax, regions.iloc[[1]], facecolor="none", edgecolor="#333333", linewidth=0.0, hatch="...")

    assert _png(mine) == _png(theirs)
