"""Tests for the European Locals NUTS-2 reader."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from helpers import raises_naming, write_json

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.regional import EuropeLocals, read_europe_locals

SHARED = ROOT.parent / "shared" / "data"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="data mirror not present")


LOMBARDIA = {
    "geoId": "ITC4", "geoName": "Lombardia", "granularity": "nuts2", "year": 2023,
    "totalPopulation": 9976509, "localBornPopulation": 7388000,
    "foreignBornPopulation": 1234200, "nonCitizenPopulation": 909100,
    "irregularPresenceDetections": None,
    "localBornShare": 85.69, "foreignBornShare": 14.31, "nonCitizenShare": 10.54,
    "unknownBirthPopulation": 0,
    "origins": [
        {"originId": "RO", "originName": "Romania", "population": 133229, "share": 1.34},
        {"originId": "AL", "originName": "Albania", "population": 103309, "share": 1.04},
    ],
    "migrationTrend": [
        {"year": 2014, "totalPopulation": 8498100, "localBornPopulation": 7422400,
         "foreignBornPopulation": 1075800, "localBornShare": 87.34, "foreignBornShare": 12.66},
        {"year": 2015, "totalPopulation": 8528800, "localBornPopulation": 7420300,
         "foreignBornPopulation": None, "localBornShare": 87, "foreignBornShare": None},
    ],
    "parentGeoId": "IT", "parentGeoName": "Italy",
}
ATTIKI = {**copy.deepcopy(LOMBARDIA), "geoId": "EL30", "geoName": "Attiki", "parentGeoId": "EL",
          "parentGeoName": "Greece", "origins": [], "localBornShare": 88.0,
          "foreignBornShare": 12.0, "nonCitizenShare": 8.0}
LONDON = {"geoId": "UKI7", "geoName": "Outer London — West and North West", "granularity": "nuts2",
          "year": 2021, "totalPopulation": None, "localBornPopulation": None,
          "foreignBornPopulation": None, "nonCitizenPopulation": None,
          "irregularPresenceDetections": None, "localBornShare": None, "foreignBornShare": None,
          "nonCitizenShare": None, "origins": [], "migrationTrend": [], "parentGeoId": "UK",
          "parentGeoName": "United Kingdom"}


def _file(tmp_path, records):
    doc = {"generatedAt": "2026-07-28T11:51:46.376Z", "year": 2023, "records": records}
    return write_json(tmp_path, doc, "nuts2.json")


def _records():
    return copy.deepcopy([LOMBARDIA, ATTIKI, LONDON])


def test_three_tidy_frames(tmp_path):
    result = read_europe_locals(_file(tmp_path, _records()))
    assert isinstance(result, EuropeLocals)
    regions = result.regions
    assert list(regions.columns) == ["geo", "name", "parent", "year", "total_population",
                                     "local_born", "foreign_born", "non_citizen",
                                     "foreign_born_share", "non_citizen_share"]
    assert list(regions["geo"]) == ["ITC4", "EL30", "UKI7"]
    assert list(regions["parent"]) == ["IT", "EL", "UK"]
    lomb = regions.iloc[0]
    assert lomb["foreign_born_share"] == pytest.approx(14.31)  # percent, as in the file
    assert lomb["foreign_born"] == 1234200
    assert regions.iloc[2][["total_population", "foreign_born_share"]].isna().all()
    assert str(regions["total_population"].dtype) == "Int64"
    assert regions.attrs["year"] == 2023

    assert list(result.trend.columns) == ["geo", "year", "foreign_born", "local_born",
                                          "foreign_born_share", "lfs_population"]
    assert len(result.trend) == 4  # two regions x two years, London has none
    assert pd.isna(result.trend.iloc[1]["foreign_born"])

    origins = result["origins"]
    assert list(origins.columns) == ["geo", "rank", "origin_code", "country_of_birth", "persons",
                                     "share_pct"]
    assert list(origins["rank"]) == [1, 2]
    assert origins.iloc[0]["country_of_birth"] == "Romania"


def test_fraction_shares_become_percentages(tmp_path):
    records = _records()
    for rec in records[:2]:
        for key in ("localBornShare", "foreignBornShare", "nonCitizenShare"):
            rec[key] = rec[key] / 100
        for point in rec["migrationTrend"]:
            for key in ("localBornShare", "foreignBornShare"):
                if point[key] is not None:
                    point[key] = point[key] / 100
        for origin in rec["origins"]:
            origin["share"] = origin["share"] / 100
    result = read_europe_locals(_file(tmp_path, records))
    assert result.regions.iloc[0]["foreign_born_share"] == pytest.approx(14.31)
    assert result.trend.iloc[0]["foreign_born_share"] == pytest.approx(12.66)
    assert result.origins.iloc[0]["share_pct"] == pytest.approx(1.34)


def test_missing_key(tmp_path):
    records = _records()
    del records[1]["geoId"]
    err = raises_naming(_file(tmp_path, records), read_europe_locals, "'geoId'")
    assert err.row == 2


def test_truncated_json(tmp_path):
    path = _file(tmp_path, _records())
    path.write_text(path.read_text(encoding="utf-8")[:300], encoding="utf-8")
    raises_naming(path, read_europe_locals, "invalid JSON", "truncated")


@pytest.mark.parametrize("change, words", [
    ({"foreignBornPopulation": -10}, ["negative count"]),
    ({"totalPopulation": "many"}, ["not a number"]),
    ({"nonCitizenShare": 150.0}, ["above 100%"]),
    ({"nonCitizenShare": -1.0}, ["negative"]),
    ({"geoId": "EL3"}, ["not a NUTS-2 code"]),
    ({"year": "2023"}, ["is not a year"]),
    ({"geoId": "ZZ30", "parentGeoId": "ZZ"}, ["unknown country", "'ZZ'"]),
    ({"geoId": "DE30"}, ["not a region of EL"]),
    ({"geoId": "ITC4", "parentGeoId": "IT"}, ["appears twice"]),
    ({"migrationTrend": [{"year": 2014}, {"year": 2014}]}, ["2014 appears twice"]),
    ({"migrationTrend": [{"year": 2014, "foreignBornShare": 101}]}, ["above 100%"]),
    ({"origins": [{"originName": "A", "population": 1}, {"originName": "B", "population": 5}]},
     ["not sorted"]),
    ({"origins": [{"originName": "", "population": 1}]}, ["no name"]),
])
def test_bad_record(tmp_path, change, words):
    records = _records()
    records[1].update(change)
    raises_naming(_file(tmp_path, records), read_europe_locals, *words)


def test_shapeless_files(tmp_path):
    path = write_json(tmp_path, {"generatedAt": "x"}, "x.json")
    raises_naming(path, read_europe_locals, "'records'")
    write_json(tmp_path, {"records": []}, "x.json")
    raises_naming(path, read_europe_locals, "empty")
    records = _records()
    records[0]["localBornShare"], records[0]["foreignBornShare"] = 40.0, 20.0
    records[1]["localBornShare"], records[1]["foreignBornShare"] = 40.0, 20.0
    raises_naming(_file(tmp_path, records), read_europe_locals, "cannot tell their scale")
    raises_naming(tmp_path / "none.json", read_europe_locals, "not found")


def test_bare_list_of_records(tmp_path):
    path = write_json(tmp_path, _records(), "list.json")
    assert len(read_europe_locals(path).regions) == 3


@needs_mirror
def test_real_europe_locals():
    result = read_europe_locals(SHARED / "other" / "europe-locals_nuts2-2023.json")
    regions = result.regions
    assert len(regions) == 320 and regions["geo"].is_unique
    assert (regions["parent"] == "UK").sum() == 41
    assert regions.loc[regions["parent"] == "UK", "total_population"].isna().all()
    for col in ("foreign_born_share", "non_citizen_share"):
        assert regions[col].dropna().between(0, 100).all()
    assert regions["foreign_born_share"].max() > 1  # percentages, not fractions
    lomb = regions.set_index("geo").loc["ITC4"]
    assert lomb["foreign_born_share"] == pytest.approx(14.31)
    assert result.origins["geo"].nunique() == 243
    assert result.origins.groupby("geo").size().eq(25).all()
    assert set(result.trend["year"]) == set(range(2014, 2024))
    assert len(result.trend) == 2720
