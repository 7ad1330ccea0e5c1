"""GISCO NUTS geometries (GeoJSON or shapefile) as GeoDataFrames in EPSG:3035."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import OUTERMOST_NUTS2  # noqa: F401 - re-exported
from inclusion_evidence.ingest.readers._common import read_bytes

NUTS_COLUMNS = ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN"]


def read_nuts(path: str | Path, level: int | None = None, version: str | None = None) -> gpd.GeoDataFrame:
    """Read NUTS regions, keep one level, and tag them with their NUTS version.

    Returns columns ``nuts_id, level, country, name, nuts_version, geometry``
    in EPSG:3035.
    """
    path = Path(path)
    gdf = _read_geometry(path)
    missing = [c for c in NUTS_COLUMNS if c not in gdf.columns]
    if missing:
        raise DataError(path, f"missing NUTS attribute(s) {', '.join(missing)}", column=missing[0])
    if gdf.crs is None:
        raise DataError(path, "no coordinate reference system")
    if level is not None:
        gdf = gdf[gdf["LEVL_CODE"].astype(int) == level]
        if gdf.empty:
            raise DataError(path, f"no regions at NUTS level {level}")
    out = gpd.GeoDataFrame({
        "nuts_id": gdf["NUTS_ID"].astype(str),
        "level": gdf["LEVL_CODE"].astype(int),
        "country": gdf["CNTR_CODE"].astype(str),
        "name": gdf["NAME_LATN"].astype(str),
        "nuts_version": version or _version_from_name(path.name),
    }, geometry=gdf.geometry.values, crs=gdf.crs).to_crs(3035)
    if out["nuts_id"].duplicated().any():
        dup = out.loc[out["nuts_id"].duplicated(), "nuts_id"].iloc[0]
        raise DataError(path, f"duplicated region code {dup}")
    return out.sort_values("nuts_id").reset_index(drop=True)


def _read_geometry(path: Path) -> gpd.GeoDataFrame:
    """The features of a GeoJSON or shapefile, or a DataError naming the file."""
    if not path.exists():
        raise DataError(path, "file not found")
    _check_json(path)
    try:
        return gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise DataError(path, f"cannot be read as geometry ({exc})") from None


def _check_json(path: Path) -> None:
    """A GeoJSON cut off half way is invalid JSON: say so (and where) rather than show a GDAL trace."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return
    raw = read_bytes(path)
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"not valid GeoJSON ({exc.msg} at character {exc.pos}; truncated download?)",
                        row=exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not valid GeoJSON (not UTF-8 text at byte {exc.start})") from None


def _version_from_name(name: str) -> str:
    for year in ("2024", "2021", "2016", "2013", "2010"):
        if f"_{year}_" in name:
            return f"NUTS {year}"
    return "NUTS (version unknown)"


def read_borders(path: str | Path) -> gpd.GeoDataFrame:
    """Boundary lines (``NUTS_BN_*``), for drawing borders over polygons."""
    path = Path(path)
    gdf = _read_geometry(path)
    keep = [c for c in ("EU_FLAG", "EFTA_FLAG", "CC_FLAG", "COAS_FLAG", "OTHR_FLAG") if c in gdf.columns]
    return gdf[keep + ["geometry"]].to_crs(3035)
