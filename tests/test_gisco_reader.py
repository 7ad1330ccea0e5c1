"""The GISCO NUTS reader: a level of a small FeatureCollection, and clear errors for bad files."""

from __future__ import annotations

import json

import pytest

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.readers.gisco import read_nuts

# Three 100 km squares in EPSG:3035 metres: a country and two of its NUTS 2 regions.
REGIONS = [
    ("AT", 0, "AT", "Österreich", (4_600_000, 2_600_000, 4_800_000, 2_800_000)),
    ("AT13", 2, "AT", "Wien", (4_700_000, 2_700_000, 4_800_000, 2_800_000)),
    ("AT11", 2, "AT", "Burgenland", (4_600_000, 2_600_000, 4_700_000, 2_700_000)),
]


def _square(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _collection(drop: str | None = None) -> dict:
    features = []
    for nuts_id, level, country, name, box in REGIONS:
        props = {"NUTS_ID": nuts_id, "LEVL_CODE": level, "CNTR_CODE": country, "NAME_LATN": name}
        props.pop(drop, None)
        features.append({"type": "Feature", "properties": props, "geometry": _square(*box)})
    return {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}},
            "features": features}


@pytest.fixture
def nuts_file(tmp_path):
    path = tmp_path / "NUTS_RG_60M_2021_3035.geojson"
    path.write_text(json.dumps(_collection(), ensure_ascii=False), encoding="utf-8")
    return path


def test_reads_one_level_in_3035(nuts_file):
    gdf = read_nuts(nuts_file, level=2)
    assert list(gdf.columns) == ["nuts_id", "level", "country", "name", "nuts_version", "geometry"]
    assert gdf["nuts_id"].tolist() == ["AT11", "AT13"]          # sorted, level 0 left out
    assert gdf["level"].tolist() == [2, 2]
    assert gdf["name"].tolist() == ["Burgenland", "Wien"]
    assert set(gdf["country"]) == {"AT"}
    assert gdf.crs.to_epsg() == 3035
    assert gdf.geometry.area.tolist() == pytest.approx([1e10, 1e10])   # coordinates not reprojected
    assert set(gdf["nuts_version"]) == {"NUTS 2021"}                    # from the file name


def test_level_zero_and_explicit_version(nuts_file):
    gdf = read_nuts(nuts_file, level=0, version="NUTS 2024")
    assert gdf["nuts_id"].tolist() == ["AT"]
    assert gdf["name"].item() == "Österreich"
    assert gdf["nuts_version"].item() == "NUTS 2024"


def test_all_levels_when_none_given(nuts_file):
    assert len(read_nuts(nuts_file)) == len(REGIONS)


def test_level_not_in_file(nuts_file):
    with pytest.raises(DataError) as exc:
        read_nuts(nuts_file, level=3)
    assert nuts_file.name in str(exc.value) and "level 3" in str(exc.value)


def test_geojson_cut_off_half_way(nuts_file):
    text = nuts_file.read_text(encoding="utf-8")
    cut = nuts_file.with_name("NUTS_cut.geojson")
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_nuts(cut, level=2)
    assert cut.name in str(exc.value)
    assert "not valid GeoJSON" in str(exc.value) and "truncated" in str(exc.value)


def test_missing_nuts_id_column(tmp_path):
    path = tmp_path / "no_id.geojson"
    path.write_text(json.dumps(_collection(drop="NUTS_ID")), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_nuts(path, level=2)
    assert path.name in str(exc.value)
    assert "NUTS_ID" in str(exc.value) and exc.value.column == "NUTS_ID"


def test_duplicated_region(tmp_path):
    doc = _collection()
    doc["features"].append(doc["features"][1])
    path = tmp_path / "dup.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_nuts(path, level=2)
    assert path.name in str(exc.value) and "AT13" in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(DataError) as exc:
        read_nuts(tmp_path / "nothing.geojson")
    assert "nothing.geojson" in str(exc.value) and "not found" in str(exc.value)
