"""The Partnership's members placed on the map and counted by type and phase."""

from __future__ import annotations

import pandas as pd

from inclusion_evidence.analysis.common import match_member_cities

TYPE_LABELS = {"member_state": "Member states", "city": "Cities", "region": "Regions",
               "eu_institution": "EU institutions", "organisation": "Networks and organisations",
               "other": "Other"}


def member_city_locations(members: pd.DataFrame, cities: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Coordinates for the member cities that appear in a city table (by name and country).

    The matching is :func:`inclusion_evidence.analysis.common.match_member_cities`.
    Returns the matched cities (name, country, lat, lon, phases) and the names
    of member cities not found, which the map's caption must name.
    """
    matches = match_member_cities(members, cities)
    phases = members.loc[members["type"] == "city", "phases"].map(", ".join).to_numpy()
    found = matches.assign(phases=phases)[matches["matched"]].rename(columns={"member": "name"})
    located = found[["name", "country", "lat", "lon", "phases"]].astype({"lat": float, "lon": float})
    return located.reset_index(drop=True), matches.loc[~matches["matched"], "member"].tolist()


def members_by_type_and_phase(members: pd.DataFrame) -> pd.DataFrame:
    """Counts of members per type in each phase (a member in both phases counts in both)."""
    out = pd.DataFrame({
        "type": [TYPE_LABELS.get(t, t) for t in members["type"]],
        "First phase (2016-2019)": members["first"].astype(int),
        "Current phase (2020-2022)": members["second"].astype(int),
    }).groupby("type", sort=True).sum().reset_index()
    return out
