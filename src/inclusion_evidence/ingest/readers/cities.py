"""Eurocities member lists.

* :func:`read_eurocities`: the members matched to Wikidata (JSON with
  ``members`` and ``not_found``), with coordinates and population.
* :func:`read_eurocities_list`: the member list as copied from the
  eurocities.eu website (text: a ``#`` comment header, then alternating
  city-name and country lines).

Both add the Eurostat ``geo`` code of the country and raise
:class:`~inclusion_evidence.core.errors.DataError` naming the file and the problem.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, country_name, name_to_eurostat
from inclusion_evidence.ingest.readers._common import read_json, read_text

# Box around geographic Europe with the Azores, Canaries, Iceland, Cyprus, the
# Caucasus and Türkiye: a point outside it has swapped or wrong coordinates.
EUROPE_LAT = (27.0, 72.0)
EUROPE_LON = (-32.0, 60.0)

_MEMBER_KEYS = ("name_on_website", "wikidata_id", "wikidata_name", "latitude",
                "longitude", "population", "country_name")


def _geo(path: Path, name: str, row: int, column: str) -> str:
    try:
        return name_to_eurostat(name)
    except UnknownCountryError as exc:
        raise DataError(path, str(exc), row=row, column=column) from None


def _float(path: Path, value: Any, row: int, column: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DataError(path, f"{value!r} is not a number", row=row, column=column)
    try:
        return float(value)
    except ValueError:
        raise DataError(path, f"{value!r} is not a number", row=row, column=column) from None


def read_eurocities(json_path: str | Path) -> pd.DataFrame:
    """Read the Eurocities members matched to Wikidata.

    Parameters
    ----------
    json_path
        JSON object with ``members`` (one object per member with
        ``name_on_website``, ``wikidata_id``, ``wikidata_name``,
        ``latitude``, ``longitude``, ``population``, ``country`` (Q-id) and
        ``country_name``) and optionally ``not_found`` (names not matched).

    Returns
    -------
    pandas.DataFrame
        One row per member: ``name`` (as on the website), ``wikidata_id``,
        ``wikidata_name``, ``lat``, ``lon`` (degrees, WGS84, rounded to
        0.01 by the source), ``population`` (nullable Int64; NA where
        Wikidata has none), ``country`` (the book's English name) and
        ``geo``. ``attrs['not_found']`` lists the members the source could
        not match. Two members may share a Wikidata id (a metropolitan body
        matched to its core city).

    Raises
    ------
    DataError
        If the file is missing, empty or not JSON (e.g. truncated), a member
        lacks a key, has a malformed Wikidata id, coordinates outside Europe
        or missing, a negative or non-numeric population, an unknown country
        or a duplicated name.
    """
    path = Path(json_path)
    doc = read_json(path)
    if not isinstance(doc, dict) or "members" not in doc:
        raise DataError(path, "no 'members' list at the top level")
    members = doc["members"]
    if not isinstance(members, list) or not members:
        raise DataError(path, "'members' is empty or not a list")

    rows = []
    for i, m in enumerate(members, start=1):
        if not isinstance(m, dict):
            raise DataError(path, "member is not an object", row=i)
        for key in _MEMBER_KEYS:
            if key not in m:
                raise DataError(path, f"member has no '{key}' key", row=i, column=key)
        name = str(m["name_on_website"] or "").strip()
        if not name:
            raise DataError(path, "member without a name", row=i, column="name_on_website")
        qid = str(m["wikidata_id"] or "").strip()
        if not re.fullmatch(r"Q\d+", qid):
            raise DataError(path, f"{qid!r} is not a Wikidata id (Q followed by digits)",
                            row=i, column="wikidata_id")
        lat = _float(path, m["latitude"], i, "latitude")
        lon = _float(path, m["longitude"], i, "longitude")
        if math.isnan(lat) or math.isnan(lon):
            raise DataError(path, f"{name} has no coordinates", row=i, column="latitude")
        if not (EUROPE_LAT[0] <= lat <= EUROPE_LAT[1] and EUROPE_LON[0] <= lon <= EUROPE_LON[1]):
            raise DataError(path, f"{name} at lat {lat}, lon {lon} is outside Europe "
                                  "(latitude and longitude swapped?)", row=i, column="latitude")
        population = _float(path, m["population"], i, "population")
        if population < 0:
            raise DataError(path, f"negative population {m['population']!r} for {name}",
                            row=i, column="population")
        geo = _geo(path, str(m["country_name"] or ""), i, "country_name")
        rows.append((name, qid, str(m["wikidata_name"] or "").strip() or None, lat, lon,
                     population, country_name(geo), geo))

    df = pd.DataFrame(rows, columns=["name", "wikidata_id", "wikidata_name", "lat", "lon",
                                     "population", "country", "geo"])
    dup = df["name"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(path, f"member {df.at[i, 'name']!r} listed twice", row=i + 1,
                        column="name_on_website")
    df["population"] = df["population"].round().astype("Int64")
    df.attrs["not_found"] = [str(n) for n in doc.get("not_found", []) or []]
    return df


def read_eurocities_list(txt_path: str | Path) -> pd.DataFrame:
    """Read the Eurocities member list copied from the website.

    Parameters
    ----------
    txt_path
        Text file: optional ``#`` comment lines, then alternating lines of
        city name and country name (lower-case on the website). Blank lines
        are ignored.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``country`` (the book's English name, e.g. "Czechia" for
        "czech republic") and ``geo``, in file order.

    Raises
    ------
    DataError
        If the file is missing or empty, has no entries, ends with a city
        without a country (truncated), or a country line is not a known
        country (which also catches a list that has slipped by one line).
    """
    path = Path(txt_path)
    lines = [(n, line.strip()) for n, line in enumerate(read_text(path).splitlines(), start=1)]
    entries = [(n, line) for n, line in lines if line and not line.startswith("#")]
    if not entries:
        raise DataError(path, "no entries after the comment header")
    if len(entries) % 2:
        n, last = entries[-1]
        raise DataError(path, f"odd number of lines: {last!r} has no country line "
                              "(truncated file?)", row=n)
    rows = []
    for (n_city, city), (n_country, country) in zip(entries[::2], entries[1::2]):
        geo = _geo(path, country, n_country, "country")
        rows.append((city, country_name(geo), geo))
    return pd.DataFrame(rows, columns=["name", "country", "geo"])
