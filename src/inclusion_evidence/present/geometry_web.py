"""Boundaries for the screen: clipped to the map's frame, quantised, as compact TopoJSON.

The static maps draw GISCO's NUTS boundaries in EPSG:3035. The interactive maps draw the
same boundaries, already projected, so that the browser needs no projection of its own
(Vega's ``identity`` projection): every vertex is snapped to a grid of ``grid`` metres
(1 km by default) inside the frame and written as delta-encoded integers. Two regions that
share a border share its vertices in GISCO's files, and the same vertex always snaps to
the same grid point, so borders still meet after quantisation. Consecutive duplicate
points are dropped, and rings that collapse to fewer than four points are left out.

The result is cached per geometry (a checksum of the WKB), so a chapter with several
maps of the same level converts the boundaries once.
"""

from __future__ import annotations

import hashlib

import numpy as np
import shapely

# Mainland Europe in EPSG:3035 (metres): the frame of the static maps (maps.EUROPE_FRAME),
# widened by 200 km so that panning shows the coast beyond the static frame's edge.
MARGIN = 200_000


def _ring_arc(coords: np.ndarray, x0: float, y0: float, grid: float) -> list[list[int]] | None:
    q = np.rint((coords[:, :2] - (x0, y0)) / grid).astype(np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)
    q = q[keep]
    if len(q) < 4:
        return None
    if (q[0] != q[-1]).any():
        q = np.vstack([q, q[:1]])
    delta = np.vstack([q[:1], np.diff(q, axis=0)])
    return delta.tolist()


def _polygons(geom) -> list:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type == "MultiPolygon":
        return list(geom.geoms)
    if geom.geom_type == "GeometryCollection":
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def topology(ids: list[str], geometries, *, frame: tuple[float, float, float, float],
             grid: float = 1000.0, object_name: str = "regions", margin: float = MARGIN) -> dict:
    """TopoJSON of ``geometries`` (EPSG:3035, in the order of ``ids``), clipped to ``frame`` + ``margin``.

    ``frame`` is ``(x0, x1, y0, y1)`` in metres, as :data:`inclusion_evidence.present.maps.EUROPE_FRAME`.
    Each feature's ``id`` is its code; a region wholly outside the frame has a null geometry
    (it stays in the object so that the spec can still list it).
    """
    ids = [str(i) for i in ids]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"geometry ids are not unique: {', '.join(dup[:5])}")
    geoms = list(geometries)
    if len(geoms) != len(ids):
        raise ValueError(f"{len(ids)} ids but {len(geoms)} geometries")
    digest = hashlib.sha1()
    for code, g in zip(ids, geoms):
        digest.update(code.encode())
        digest.update(b"" if g is None else shapely.to_wkb(g))
    key = (digest.hexdigest(), tuple(frame), float(grid), object_name, float(margin))
    if key not in _CACHE:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _encode(key, ids, geoms)
    return _CACHE[key]


_CACHE: dict = {}


def _encode(key, ids, geoms) -> dict:
    (_, frame, grid, object_name, margin) = key
    x0, x1, y0, y1 = frame
    bx0, bx1, by0, by1 = x0 - margin, x1 + margin, y0 - margin, y1 + margin
    arcs: list = []
    features = []
    for code, geom in zip(ids, geoms):
        clipped = shapely.clip_by_rect(geom, bx0, by0, bx1, by1) if geom is not None else None
        polys = []
        for poly in _polygons(clipped):
            rings = []
            for ring in (poly.exterior, *poly.interiors):
                arc = _ring_arc(np.asarray(ring.coords), bx0, by0, grid)
                if arc is None:
                    if ring is poly.exterior:
                        break
                    continue
                arcs.append(arc)
                rings.append([len(arcs) - 1])
            if rings and rings[0]:
                polys.append(rings)
        if not polys:
            features.append({"type": None, "id": code})
        elif len(polys) == 1:
            features.append({"type": "Polygon", "id": code, "arcs": polys[0]})
        else:
            features.append({"type": "MultiPolygon", "id": code, "arcs": polys})
    return {
        "type": "Topology",
        "transform": {"scale": [grid, grid], "translate": [bx0, by0]},
        "objects": {object_name: {"type": "GeometryCollection", "geometries": features}},
        "arcs": arcs,
    }


def decode_ring(topo: dict, arc_index: int) -> np.ndarray:
    """The absolute coordinates (metres, EPSG:3035) of one arc: the inverse of the encoding (for tests)."""
    delta = np.asarray(topo["arcs"][arc_index], dtype=float)
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    q = np.cumsum(delta, axis=0)
    return np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty])
