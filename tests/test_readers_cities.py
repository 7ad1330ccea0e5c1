"""Tests for the Eurocities member readers."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import raises_naming, write_json, write_text

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.cities import read_eurocities, read_eurocities_list

SHARED = ROOT.parent / "shared" / "data"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="data mirror not present")


def _member(name, qid, lat, lon, population, country):
    return {"name_on_website": name, "wikidata_id": qid, "wikidata_name": name,
            "latitude": lat, "longitude": lon, "population": population,
            "country": "Q1", "country_name": country}


MEMBERS = [
    _member("Izmir", "Q35997", 38.41, 27.14, 4493242.0, "Turkey"),
    _member("Kadikoy", "Q932886", 40.99, 29.04, None, "Turkey"),
    _member("Brno", "Q14960", 49.2, 16.61, 379527.0, "Czechia"),
    _member("Reykjavik", "Q1764", 64.15, -21.93, 139875.0, "Iceland"),
    _member("Belfast", "Q10686", 54.6, -5.93, 345418.0, "United Kingdom"),
]


def _json_file(tmp_path, members=MEMBERS, not_found=("Uppsala",)):
    return write_json(tmp_path, {"members": members, "not_found": list(not_found)}, "eurocities.json")


def test_eurocities_tidy_frame(tmp_path):
    df = read_eurocities(_json_file(tmp_path))
    assert list(df.columns) == ["name", "wikidata_id", "wikidata_name", "lat", "lon",
                                "population", "country", "geo"]
    assert list(df["geo"]) == ["TR", "TR", "CZ", "IS", "UK"]
    assert df.loc[0, "country"] == "Türkiye"
    assert str(df["population"].dtype) == "Int64"
    assert pd.isna(df.loc[1, "population"]) and df.loc[0, "population"] == 4493242
    assert df.attrs["not_found"] == ["Uppsala"]


@pytest.mark.parametrize("change, words", [
    ({"latitude": 8.4, "longitude": 49.02}, ["outside Europe", "swapped"]),
    ({"latitude": None}, ["no coordinates"]),
    ({"latitude": "north"}, ["not a number"]),
    ({"population": -5}, ["negative population"]),
    ({"population": "big"}, ["not a number"]),
    ({"country_name": "Atlantis"}, ["unknown country", "Atlantis"]),
    ({"wikidata_id": "35997"}, ["Wikidata id"]),
])
def test_eurocities_bad_member(tmp_path, change, words):
    members = [dict(m) for m in MEMBERS]
    members[2].update(change)
    err = raises_naming(_json_file(tmp_path, members), read_eurocities, *words)
    assert err.row == 3


def test_eurocities_missing_key(tmp_path):
    members = [dict(m) for m in MEMBERS]
    del members[1]["longitude"]
    err = raises_naming(_json_file(tmp_path, members), read_eurocities, "'longitude'")
    assert err.row == 2 and err.column == "longitude"


def test_eurocities_truncated_and_shapeless(tmp_path):
    path = _json_file(tmp_path)
    path.write_text(path.read_text()[:150])
    raises_naming(path, read_eurocities, "invalid JSON", "truncated")
    write_json(tmp_path, MEMBERS, "eurocities.json")
    raises_naming(path, read_eurocities, "'members'")
    write_json(tmp_path, {"members": []}, "eurocities.json")
    raises_naming(path, read_eurocities, "empty")


def test_eurocities_duplicate_name(tmp_path):
    raises_naming(_json_file(tmp_path, MEMBERS + MEMBERS[:1]), read_eurocities, "twice")


def test_eurocities_missing_file(tmp_path):
    raises_naming(tmp_path / "none.json", read_eurocities, "not found")
    raises_naming(tmp_path / "none.txt", read_eurocities_list, "not found")


# --------------------------------------------------------------------------- website list

def test_eurocities_list(tmp_path):
    text = ("# copy pasted from website\nAarhus\ndenmark\nBrno\nczech republic\n\n"
            "Sarajevo\nbosnia-herzegovina\nIzmir\nturkey\n")
    df = read_eurocities_list(write_text(tmp_path, text, "members.txt"))
    assert list(df.columns) == ["name", "country", "geo"]
    assert list(df["name"]) == ["Aarhus", "Brno", "Sarajevo", "Izmir"]
    assert list(df["geo"]) == ["DK", "CZ", "BA", "TR"]
    assert list(df["country"]) == ["Denmark", "Czechia", "Bosnia and Herzegovina", "Türkiye"]


def test_eurocities_list_truncated(tmp_path):
    path = write_text(tmp_path, "# header\nAarhus\ndenmark\nBrno\n", "members.txt")
    err = raises_naming(path, read_eurocities_list, "odd number of lines", "'Brno'")
    assert err.row == 4


def test_eurocities_list_slipped_by_one_line(tmp_path):
    path = write_text(tmp_path, "# header\nAarhus\nBrno\nczech republic\nGhent\n", "members.txt")
    err = raises_naming(path, read_eurocities_list, "unknown country", "'Brno'")
    assert err.row == 3


def test_eurocities_list_only_header(tmp_path):
    path = write_text(tmp_path, "# copy pasted from website\n", "members.txt")
    raises_naming(path, read_eurocities_list, "no entries")


# --------------------------------------------------------------------------- real files

@needs_mirror
def test_real_eurocities():
    df = read_eurocities(SHARED / "cities" / "eurocities_members_wikidata_enriched_cityvote.json")
    assert len(df) == 209
    assert df["geo"].nunique() == 39
    assert df["lat"].between(27, 72).all() and df["lon"].between(-32, 60).all()
    assert df["population"].isna().sum() == 2
    assert len(df.attrs["not_found"]) == 19
    assert df["wikidata_id"].duplicated().sum() == 3  # metropoles matched to core cities


@needs_mirror
def test_real_eurocities_list():
    df = read_eurocities_list(SHARED / "cities" / "eurocities_members_from_website_cityvote.txt")
    assert len(df) == 227
    assert df["geo"].nunique() == 39
    matched = read_eurocities(
        SHARED / "cities" / "eurocities_members_wikidata_enriched_cityvote.json")
    # All but two matched members carry their website name.
    assert len(set(matched["name"]) - set(df["name"])) == 2
