"""The Partnership page: members by type and phase, member cities placed on the map."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from helpers import processed_table
from shapely.geometry import box

from inclusion_evidence.analysis import partnership


def _members():
    return pd.DataFrame({
        "name": ["Amsterdam", "Mechelen", "Atlantis", "Belgium"],
        "type": ["city", "city", "city", "member_state"],
        "country": ["NL", "BE", "EL", "BE"],
        "phases": [["first", "second"], ["second"], ["first"], ["second"]],
        "first": [True, False, True, False], "second": [True, True, False, True]})


def _cities():
    # a Eurocities-like list without Mechelen (it is not a Eurocities member)
    return pd.DataFrame({"name": ["Amsterdam", "Antwerp"], "wikidata_name": ["Amsterdam", "Antwerpen"],
                         "geo": ["NL", "BE"], "lat": [52.37, 51.22], "lon": [4.90, 4.40]})


def _nuts3():
    # EPSG:3035 boxes around Mechelen and Antwerp; "Arr. Mechelen" is how GISCO names BE212
    return gpd.GeoDataFrame({"nuts_id": ["BE211", "BE212", "EL303"], "country": ["BE", "BE", "EL"],
                             "name": ["Arr. Antwerpen", "Arr. Mechelen", "Dytikos Tomeas Athinon"]},
                            geometry=[box(3_920_000, 3_110_000, 3_960_000, 3_150_000),
                                      box(3_930_000, 3_080_000, 3_960_000, 3_105_000),
                                      box(5_500_000, 1_750_000, 5_520_000, 1_770_000)], crs=3035)


def test_a_member_city_missing_from_the_city_list_is_placed_in_its_nuts3_region():
    located, unmatched = partnership.member_city_locations(_members(), _cities(), _nuts3())
    assert list(located["name"]) == ["Amsterdam", "Mechelen"]
    mechelen = located.set_index("name").loc["Mechelen"]
    assert mechelen["located_by"] == "NUTS-3 region Arr. Mechelen (BE212)"
    # the point lies in the Mechelen box, not in Antwerp's
    point = gpd.GeoSeries(gpd.points_from_xy([mechelen["lon"]], [mechelen["lat"]]), crs=4326).to_crs(3035)
    assert _nuts3().geometry.iloc[1].contains(point.iloc[0])
    assert located.set_index("name").loc["Amsterdam", "located_by"] == "city list"
    assert unmatched == ["Atlantis"]  # no region named after it: named, never guessed


def test_without_regions_unlisted_cities_are_named_as_not_located():
    located, unmatched = partnership.member_city_locations(_members(), _cities())
    assert list(located["name"]) == ["Amsterdam"] and unmatched == ["Mechelen", "Atlantis"]


def test_nuts3_city_key_and_ambiguous_regions():
    assert partnership.nuts3_city_key("Arr. Mechelen") == "mechelen"
    assert partnership.nuts3_city_key("Kreisfreie Stadt Berlin") == "berlin"
    twice = pd.concat([_nuts3(), _nuts3().iloc[[1]]])
    assert partnership.locate_in_nuts3("Mechelen", "BE", twice) is None
    assert partnership.locate_in_nuts3("Mechelen", "NL", _nuts3()) is None  # country must agree


def test_every_member_city_of_the_action_plan_is_on_the_map():
    from inclusion_evidence.ingest.facts import load_members

    members = load_members()
    located, unmatched = partnership.member_city_locations(members, processed_table("eurocities"),
                                                            processed_table("nuts2024_level3"))
    assert unmatched == []
    assert "Mechelen" in set(located["name"])
    assert len(located) == int((members["type"] == "city").sum())


def test_members_by_type_and_phase():
    out = partnership.members_by_type_and_phase(_members()).set_index("type")
    assert out.loc["Cities", "First phase (2016-2019)"] == 2 and out.loc["Cities", "Current phase (2020-2022)"] == 2
    assert out.loc["Member states", "Current phase (2020-2022)"] == 1


@pytest.mark.parametrize("name", ["Arr. Mechelen", "Stadtkreis Mechelen"])
def test_nuts3_words_are_dropped(name):
    assert partnership.nuts3_city_key(name) == "mechelen"
