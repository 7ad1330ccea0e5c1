"""Map methods: EU-27 scope with other countries as visible context, palette from the data's sign,
and the heatmap's palette from the same rule (issue 14, items 2 and 3)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from inclusion_evidence.core.geo_codes import (  # noqa: E402
    DEFAULT_SCOPE,
    country_of,
    in_scope,
    scope_countries,
    scope_label,
)
from inclusion_evidence.present import charts, maps  # noqa: E402


def test_scope_default_is_the_eu27():
    assert DEFAULT_SCOPE == "EU27"
    eu = scope_countries()
    assert len(eu) == 27 and {"EL", "DE", "SE"} <= eu and not {"UK", "TR", "CH", "NO"} & eu


def test_wider_scopes_and_single_countries():
    wide = scope_countries("EU27+EFTA+candidates")
    assert {"CH", "NO", "IS", "LI", "TR", "RS", "ME", "MK"} <= wide and "UK" not in wide
    assert "UK" in scope_countries("EU27+UK") and "UK" in scope_countries("eu27+gb")
    assert scope_label("EU27+EFTA+candidates") == "EU-27, EFTA and candidate countries"
    assert scope_label() == "EU-27"


@pytest.mark.parametrize("bad", ["EU28", "EU27+Atlantis", "", "EU27+"])
def test_unknown_scope_is_refused_with_the_choices(bad):
    with pytest.raises(ValueError, match="EU27"):
        scope_countries(bad)


def test_in_scope_reads_country_and_nuts_codes_by_their_prefix():
    codes = ["EL30", "GR", "UKI3", "GB", "TR10", "DE", "EU27_2020", None, "FRY1", "CH01", "EA20"]
    assert in_scope(codes).tolist() == [True, True, False, False, False, True, False, False, True, False, False]
    assert in_scope(codes, "EU27+EFTA+candidates").tolist()[4] and in_scope(codes, "EU27+EFTA+candidates")[9]
    assert in_scope("UKI3", "EU27+UK") and not in_scope("UKI3")
    assert country_of("GR") == "EL" and country_of("UKC1") == "UK" and country_of("EU27_2020") is None
    series = pd.Series(["DE11", "TR10"], index=[5, 9])
    assert in_scope(series).index.tolist() == [5, 9]


def _regions(values: dict) -> gpd.GeoDataFrame:
    rows = []
    for i, (code, value) in enumerate(values.items()):
        x = 3_000_000 + 400_000 * (i % 6)
        y = 2_000_000 + 400_000 * (i // 6)
        rows.append({"nuts_id": code, "value": value, "flag": None, "geometry": box(x, y, x + 300_000, y + 300_000)})
    return gpd.GeoDataFrame(rows, crs=3035)


def _legend(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def _hatched(fig, hatch) -> int:
    return sum(len(c.get_paths()) for c in fig.axes[0].collections if c.get_hatch() == hatch)


def test_outside_scope_is_context_with_data_only_and_classes_use_the_eu27():
    regions = _regions({"DE11": 10.0, "DE12": 12.0, "FR10": 14.0, "ES30": 20.0, "EL30": 22.0, "PL91": 16.0,
                        "TR10": 95.0, "CH01": 70.0, "NO01": None, "DE13": None})
    fig = maps.choropleth(regions, "value", k=3, legend_title="Rate (%)")
    labels = _legend(fig)
    assert "Outside the EU-27, context" in labels and "No data" in labels
    # Classes from the EU-27 values only: Türkiye's 95 and Switzerland's 70 set no class bound.
    bounds = [float(part) for label in labels if " – " in label for part in label.split(" – ")]
    assert max(bounds) == 22.0 and min(bounds) == 10.0
    assert _hatched(fig, maps.CONTEXT_HATCH) == 2          # TR10 and CH01, not NO01 (no data)
    assert _hatched(fig, "////") == 1                       # DE13: in scope, no data
    plt.close(fig)


def test_a_wider_scope_classes_every_country_in_it():
    regions = _regions({"DE11": 10.0, "FR10": 14.0, "TR10": 95.0, "CH01": 70.0, "UKI3": 30.0})
    fig = maps.choropleth(regions, "value", k=2, scope="EU27+EFTA+candidates")
    labels = _legend(fig)
    assert any(label.endswith("95.0") for label in labels)
    assert "Outside the EU-27, EFTA and candidate countries, context" in labels
    assert _hatched(fig, maps.CONTEXT_HATCH) == 1          # the UK
    plt.close(fig)


def test_signed_map_is_diverging_and_names_its_classification():
    regions = _regions({"DE11": -6.0, "DE12": -2.5, "FR10": 1.0, "ES30": 4.0, "EL30": 9.0, "PL91": 12.5})
    fig = maps.choropleth(regions, "value", k=4, legend_title="Gap (pp)")
    legend = fig.axes[0].get_legend()
    assert "on each side of 0" in legend.get_title().get_text()
    labels = _legend(fig)
    assert any(label.endswith("– 0.0") for label in labels) and any(label.startswith("0.0 –") for label in labels)
    plt.close(fig)


def test_one_sided_map_is_sequential():
    regions = _regions({"DE11": 6.0, "DE12": 2.5, "FR10": 1.0, "ES30": 4.0})
    fig = maps.choropleth(regions, "value", k=2)
    assert "each side" not in fig.axes[0].get_legend().get_title().get_text()
    plt.close(fig)


def test_scope_needs_the_code_column():
    regions = _regions({"DE11": 6.0}).rename(columns={"nuts_id": "code"})
    with pytest.raises(ValueError, match="'nuts_id'"):
        maps.choropleth(regions, "value")
    plt.close("all")


def test_heatmap_palette_follows_the_sign():
    signed = pd.DataFrame([[-3.0, 1.0], [2.0, 5.0]], index=["a", "b"], columns=["x", "y"])
    fig = charts.matrix_heatmap(signed, xlabel="x", ylabel="y")
    image = fig.axes[0].images[0]
    assert image.get_cmap().name == "RdBu_r"
    low, high = image.get_clim()
    assert low == -high == -5.0
    plt.close(fig)
    counts = pd.DataFrame(np.array([[0.0, 2.0], [3.0, 4.0]]), index=["a", "b"], columns=["x", "y"])
    fig = charts.matrix_heatmap(counts, xlabel="x", ylabel="y")
    image = fig.axes[0].images[0]
    assert image.get_cmap().name == "Blues" and image.get_clim() == (0.0, 4.0)
    plt.close(fig)
