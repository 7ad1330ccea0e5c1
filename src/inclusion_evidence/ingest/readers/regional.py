"""Sub-national (NUTS-2) migrant data.

:func:`read_europe_locals` reads the "European Locals Map" compilation of
Eurostat tables (``europe-locals_nuts2-2023.json``): one JSON record per
NUTS-2 region with the all-age population, LFS counts of local-born,
foreign-born and non-citizen residents aged 15+, their shares, the Census 2021
top countries of birth and a yearly LFS trend.

Share scale: the file stores shares as **percentages (0-100)**, e.g.
``foreignBornShare`` 14.31 for Lombardia; the reader checks this from the
data (local-born + foreign-born shares add up to about 100, not 1) and
converts fractions to percentages if a file ever holds 0-1 shares, so the
frames always carry percentages. The LFS shares have the LFS 15+ population
as denominator and are not comparable with ``total_population`` (all ages);
the origin shares are the author's, relative to ``total_population``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, to_eurostat
from inclusion_evidence.ingest.readers._common import read_json

_NUTS2 = re.compile(r"[A-Z]{2}[A-Z0-9]{2}")
_REQUIRED = ("geoId", "geoName", "totalPopulation", "foreignBornPopulation",
             "nonCitizenPopulation", "foreignBornShare", "nonCitizenShare")
_SHARE_KEYS = ("localBornShare", "foreignBornShare", "nonCitizenShare")


@dataclass(frozen=True)
class EuropeLocals:
    """The three tables of the European Locals compilation.

    Attributes
    ----------
    regions
        One row per NUTS-2 region: ``geo``, ``name``, ``parent`` (Eurostat
        country code), ``year`` (reference year of the record),
        ``total_population`` (all ages, 1 January), ``local_born``,
        ``foreign_born``, ``non_citizen`` (LFS, aged 15+, persons),
        ``foreign_born_share`` and ``non_citizen_share`` (percent 0-100 of
        the LFS 15+ population). Counts are nullable Int64.
    trend
        One row per region and year: ``geo``, ``year``, ``foreign_born``,
        ``local_born`` (LFS 15+, persons), ``foreign_born_share`` (percent)
        and ``lfs_population`` (the LFS 15+ total the share refers to).
    origins
        Top countries of birth (Census 2021), one row per region and rank:
        ``geo``, ``rank`` (1 = largest), ``origin_code`` (ISO2 as given),
        ``country_of_birth``, ``persons`` and ``share_pct`` (percent of
        ``total_population``).
    """

    regions: pd.DataFrame
    trend: pd.DataFrame
    origins: pd.DataFrame

    def __getitem__(self, name: str) -> pd.DataFrame:
        """Dictionary-style access, ``result["regions"]``."""
        if name not in ("regions", "trend", "origins"):
            raise KeyError(name)
        return getattr(self, name)


def _number(path: Path, value: Any, row: int, column: str, *, count: bool) -> float:
    """A finite non-negative number or NaN for null."""
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(path, f"{value!r} is not a number", row=row, column=column)
    if not math.isfinite(value):
        raise DataError(path, f"{value!r} is not a finite number", row=row, column=column)
    if value < 0:
        raise DataError(path, f"negative {'count' if count else 'value'} {value!r}",
                        row=row, column=column)
    return float(value)


def _share_factor(path: Path, records: list[dict]) -> float:
    """100 when the file stores fractions, 1 when it stores percentages."""
    sums = [r["localBornShare"] + r["foreignBornShare"] for r in records
            if isinstance(r.get("localBornShare"), (int, float))
            and isinstance(r.get("foreignBornShare"), (int, float))]
    if sums:
        typical = float(np.median(sums))
        if 95 <= typical <= 105:
            return 1.0
        if 0.95 <= typical <= 1.05:
            return 100.0
        raise DataError(path, f"local-born and foreign-born shares add up to {typical:g}, "
                              "neither 1 nor 100: cannot tell their scale")
    shares = [r[k] for r in records for k in _SHARE_KEYS if isinstance(r.get(k), (int, float))]
    if shares and max(shares) > 1:
        return 1.0
    raise DataError(path, "cannot tell whether shares are fractions or percentages "
                          "(no record with both local-born and foreign-born shares)")


def _share(path: Path, value: Any, factor: float, row: int, column: str) -> float:
    number = _number(path, value, row, column, count=False)
    if math.isnan(number):
        return number
    number *= factor
    if number > 100:
        raise DataError(path, f"share {value!r} above 100%", row=row, column=column)
    return number


def read_europe_locals(path: str | Path) -> EuropeLocals:
    """Read the European Locals NUTS-2 compilation into three tidy frames.

    Parameters
    ----------
    path
        ``europe-locals_nuts2-2023.json``: an object with ``records`` (or a
        bare list of records), each with ``geoId``, ``geoName``,
        ``parentGeoId``, ``totalPopulation``, ``localBornPopulation``,
        ``foreignBornPopulation``, ``nonCitizenPopulation``, the three shares,
        ``origins`` and ``migrationTrend``.

    Returns
    -------
    EuropeLocals
        ``regions``, ``trend`` and ``origins`` frames (see
        :class:`EuropeLocals`); also reachable as ``result["regions"]``.
        Shares are percentages (0-100). ``regions.attrs`` holds
        ``generated_at`` and ``year`` from the file.

    Raises
    ------
    DataError
        If the file is missing, empty or not JSON (e.g. truncated), a record
        lacks a key or has a malformed or repeated NUTS-2 code, an unknown
        country, a non-numeric or negative count, a share outside 0-100, or
        a repeated trend year.
    """
    path = Path(path)
    doc = read_json(path)
    records = doc.get("records") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        raise DataError(path, "no 'records' list")
    if not records:
        raise DataError(path, "'records' is empty")
    if not all(isinstance(r, dict) for r in records):
        raise DataError(path, "a record is not an object")
    factor = _share_factor(path, records)

    regions, trend, origins = [], [], []
    for i, rec in enumerate(records, start=1):
        for key in _REQUIRED:
            if key not in rec:
                raise DataError(path, f"record has no '{key}' key", row=i, column=key)
        geo = str(rec["geoId"] or "").strip()
        if not _NUTS2.fullmatch(geo):
            raise DataError(path, f"{geo!r} is not a NUTS-2 code", row=i, column="geoId")
        parent = str(rec.get("parentGeoId") or geo[:2]).strip()
        try:
            parent = to_eurostat(parent)
        except UnknownCountryError as exc:
            raise DataError(path, str(exc), row=i, column="parentGeoId") from None
        if parent != geo[:2]:
            raise DataError(path, f"{geo} is not a region of {parent}", row=i,
                            column="parentGeoId")
        year = rec.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise DataError(path, f"{geo}: year {year!r} is not a year", row=i, column="year")
        counts = {col: _number(path, rec.get(key), i, key, count=True) for col, key in (
            ("total_population", "totalPopulation"), ("local_born", "localBornPopulation"),
            ("foreign_born", "foreignBornPopulation"), ("non_citizen", "nonCitizenPopulation"))}
        regions.append({
            "geo": geo, "name": str(rec["geoName"] or "").strip(), "parent": parent,
            "year": year, **counts,
            "foreign_born_share": _share(path, rec["foreignBornShare"], factor, i,
                                         "foreignBornShare"),
            "non_citizen_share": _share(path, rec["nonCitizenShare"], factor, i,
                                        "nonCitizenShare"),
        })
        trend.extend(_trend_rows(path, geo, rec.get("migrationTrend") or [], factor, i))
        origins.extend(_origin_rows(path, geo, rec.get("origins") or [], factor, i))

    region_df = pd.DataFrame.from_records(regions)
    dup = region_df["geo"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(path, f"region {region_df['geo'].iloc[i]} appears twice", row=i + 1,
                        column="geoId")
    for col in ("year", "total_population", "local_born", "foreign_born", "non_citizen"):
        region_df[col] = region_df[col].astype("Float64").round().astype("Int64")
    region_df.attrs["generated_at"] = doc.get("generatedAt") if isinstance(doc, dict) else None
    region_df.attrs["year"] = doc.get("year") if isinstance(doc, dict) else None

    trend_df = pd.DataFrame(trend, columns=["geo", "year", "foreign_born", "local_born",
                                            "foreign_born_share", "lfs_population"])
    for col in ("foreign_born", "local_born", "lfs_population"):
        trend_df[col] = trend_df[col].astype("Float64").round().astype("Int64")
    trend_df["year"] = trend_df["year"].astype(int)
    origin_df = pd.DataFrame(origins, columns=["geo", "rank", "origin_code",
                                               "country_of_birth", "persons", "share_pct"])
    origin_df["persons"] = origin_df["persons"].astype("Float64").round().astype("Int64")
    return EuropeLocals(regions=region_df, trend=trend_df, origins=origin_df)


def _trend_rows(path: Path, geo: str, points: Any, factor: float, row: int) -> list[tuple]:
    if not isinstance(points, list):
        raise DataError(path, f"{geo}: 'migrationTrend' is not a list", row=row,
                        column="migrationTrend")
    out, years = [], set()
    for p in points:
        if not isinstance(p, dict) or "year" not in p:
            raise DataError(path, f"{geo}: trend point without a year", row=row,
                            column="migrationTrend")
        year = p["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            raise DataError(path, f"{geo}: trend year {year!r} is not a year", row=row,
                            column="migrationTrend")
        if year in years:
            raise DataError(path, f"{geo}: trend year {year} appears twice", row=row,
                            column="migrationTrend")
        years.add(year)
        col = f"migrationTrend[{year}]"
        out.append((
            geo, year,
            _number(path, p.get("foreignBornPopulation"), row, col, count=True),
            _number(path, p.get("localBornPopulation"), row, col, count=True),
            _share(path, p.get("foreignBornShare"), factor, row, col),
            _number(path, p.get("totalPopulation"), row, col, count=True),
        ))
    return out


def _origin_rows(path: Path, geo: str, items: Any, factor: float, row: int) -> list[tuple]:
    if not isinstance(items, list):
        raise DataError(path, f"{geo}: 'origins' is not a list", row=row, column="origins")
    out = []
    for rank, item in enumerate(items, start=1):
        col = f"origins[{rank}]"
        if not isinstance(item, dict) or not str(item.get("originName") or "").strip():
            raise DataError(path, f"{geo}: origin {rank} has no name", row=row, column=col)
        persons = _number(path, item.get("population"), row, col, count=True)
        out.append((geo, rank, str(item.get("originId") or "").strip() or None,
                    str(item["originName"]).strip(), persons,
                    _share(path, item.get("share"), factor, row, col)))
    # The list is the top 25 by size; a rank out of order means a mangled list.
    persons = [p[4] for p in out if not math.isnan(p[4])]
    if any(a < b for a, b in zip(persons, persons[1:])):
        raise DataError(path, f"{geo}: origins are not sorted from largest to smallest",
                        row=row, column="origins")
    return out
