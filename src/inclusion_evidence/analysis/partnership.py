"""The Partnership's members placed on the map and counted by type and phase."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import match_member_cities, normalise_city

TYPE_LABELS = {"member_state": "Member states", "city": "Cities", "region": "Regions",
               "eu_institution": "EU institutions", "organisation": "Networks and organisations",
               "other": "Other"}

# Words around a city's name in the names of NUTS-3 regions ("Arr. Mechelen",
# "Kreisfreie Stadt Berlin", "Helsinki-Uusimaa" is not the city and does not match).
_NUTS3_WORDS = re.compile(r"^(arr|arrondissement|kreisfreie stadt|stadtkreis|stadt|landkreis|bezirk|"
                          r"provincia di|metropolitan city of|city of)\s+")


def nuts3_city_key(name: str) -> str:
    """The city part of a NUTS-3 region's name, normalised as city names are ("Arr. Mechelen" -> "mechelen")."""
    return _NUTS3_WORDS.sub("", normalise_city(name)).strip()


def locate_in_nuts3(city: str, country: str, regions3) -> dict | None:
    """The NUTS-3 region named after ``city`` in ``country``, with a point inside it (WGS 84).

    A region matches when its name, without administrative words ("Arr.",
    "Kreisfreie Stadt", ...), is the city's name. No match, or more than one,
    gives ``None``: the city is then named as not located, never guessed.
    """
    key = normalise_city(city)
    part = regions3[regions3["country"] == country]
    hit = part[part["name"].map(nuts3_city_key) == key]
    if len(hit) != 1:
        return None
    point = hit.to_crs(4326).geometry.iloc[0].representative_point()
    return {"lat": float(point.y), "lon": float(point.x), "nuts_id": str(hit["nuts_id"].iloc[0]),
            "nuts_name": str(hit["name"].iloc[0])}


def member_city_locations(members: pd.DataFrame, cities: pd.DataFrame,
                          regions3=None) -> tuple[pd.DataFrame, list[str]]:
    """Coordinates for the member cities: from a city table, else from their NUTS-3 region.

    The city table is matched by name and country
    (:func:`inclusion_evidence.analysis.common.match_member_cities`). A member
    city that is not in it (Mechelen is not a Eurocities member) is placed, when
    ``regions3`` (NUTS-3 regions) is given, at a point inside the NUTS-3 region
    named after it (:func:`locate_in_nuts3`).

    Returns
    -------
    tuple
        The located cities (``name``, ``country``, ``lat``, ``lon``, ``phases``,
        ``located_by``: "city list" or "NUTS-3 region <name> (<code>)"), and the
        names of member cities still without coordinates, which the map's
        caption must name.
    """
    matches = match_member_cities(members, cities)
    matches["phases"] = members.loc[members["type"] == "city", "phases"].map(", ".join).to_numpy()
    matches["located_by"] = np.where(matches["matched"], "city list", None)
    if regions3 is not None:
        for i in matches.index[~matches["matched"]]:
            place = locate_in_nuts3(matches.at[i, "member"], matches.at[i, "country"], regions3)
            if place is not None:
                matches.loc[i, ["lat", "lon"]] = place["lat"], place["lon"]
                matches.at[i, "located_by"] = f"NUTS-3 region {place['nuts_name']} ({place['nuts_id']})"
    found = matches[matches["located_by"].notna()].rename(columns={"member": "name"})
    located = found[["name", "country", "lat", "lon", "phases", "located_by"]].astype({"lat": float, "lon": float})
    return located.reset_index(drop=True), matches.loc[matches["located_by"].isna(), "member"].tolist()


def members_by_type_and_phase(members: pd.DataFrame) -> pd.DataFrame:
    """Counts of members per type in each phase (a member in both phases counts in both)."""
    out = pd.DataFrame({
        "type": [TYPE_LABELS.get(t, t) for t in members["type"]],
        "First phase (2016-2019)": members["first"].astype(int),
        "Current phase (2020-2022)": members["second"].astype(int),
    }).groupby("type", sort=True).sum().reset_index()
    return out
