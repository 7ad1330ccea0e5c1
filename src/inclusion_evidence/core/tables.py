"""The processed tables in ``data/processed/``: where they are and how to read them.

Kept apart from ``process`` (the orchestration of steps) so that a notebook's
cache key, which covers the code the notebook imports, does not change when
only the orchestration does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError


def table_path(name: str) -> Path:
    return paths.PROCESSED / f"{name}.parquet"


def table_exists(name: str) -> bool:
    return table_path(name).exists()


def read_table(name: str) -> pd.DataFrame:
    """Read a processed table (a GeoDataFrame when it holds geometry)."""
    path = table_path(name)
    if not path.exists():
        raise DataError(path, "processed table missing: run `make data` (fetch + process) first")
    import pyarrow.parquet as pq

    if b"geo" in (pq.read_schema(path).metadata or {}):
        import geopandas as gpd

        return gpd.read_parquet(path)
    return pd.read_parquet(path)
