"""The Partnership's members placed on the map and counted by type and phase."""

from __future__ import annotations

import unicodedata

import pandas as pd

TYPE_LABELS = {"member_state": "Member states", "city": "Cities", "region": "Regions",
               "eu_institution": "EU institutions", "organisation": "Networks and organisations",
               "other": "Other"}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def member_city_locations(members: pd.DataFrame, cities: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Coordinates for the member cities that appear in a city table (by name and country).

    Returns the matched cities (name, country, lat, lon, phases) and the names
    of member cities not found, which the map's caption must name.
    """
    member_cities = members[members["type"] == "city"].copy()
    lookup = cities.assign(_k=cities["name"].map(_key), _kw=cities["wikidata_name"].map(_key))
    rows, unmatched = [], []
    for _, m in member_cities.iterrows():
        k = _key(m["name"])
        hit = lookup[((lookup["_k"] == k) | (lookup["_kw"] == k)) & (lookup["geo"] == m["country"])]
        if hit.empty:
            unmatched.append(m["name"])
            continue
        rows.append({"name": m["name"], "country": m["country"], "lat": float(hit["lat"].iloc[0]),
                     "lon": float(hit["lon"].iloc[0]), "phases": ", ".join(m["phases"])})
    return pd.DataFrame(rows, columns=["name", "country", "lat", "lon", "phases"]), unmatched


def members_by_type_and_phase(members: pd.DataFrame) -> pd.DataFrame:
    """Counts of members per type in each phase (a member in both phases counts in both)."""
    out = pd.DataFrame({
        "type": [TYPE_LABELS.get(t, t) for t in members["type"]],
        "First phase (2016-2019)": members["first"].astype(int),
        "Current phase (2020-2022)": members["second"].astype(int),
    }).groupby("type", sort=True).sum().reset_index()
    return out
