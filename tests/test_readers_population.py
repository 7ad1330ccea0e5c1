"""Tests for the World Bank, UN DESA and UNHCR population readers."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import raises_naming, write_json, write_text, write_workbook

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.population import (
    read_undesa_migrant_stock,
    read_unhcr_population,
    read_worldbank_population,
)

SHARED = ROOT.parent / "shared" / "data"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="data mirror not present")


# --------------------------------------------------------------------------- World Bank

def _wb_record(iso3, wb_id, name, year, value):
    return {"indicator": {"id": "SP.POP.TOTL", "value": "Population, total"},
            "country": {"id": wb_id, "value": name}, "countryiso3code": iso3,
            "date": str(year), "value": value, "unit": "", "obs_status": "", "decimal": 0}


def _wb_file(tmp_path, records, **meta):
    header = {"page": 1, "pages": 1, "per_page": 20000, "total": len(records),
              "sourceid": "2", "lastupdated": "2026-07-13", **meta}
    return write_json(tmp_path, [header, records], "wb.json")


WB_RECORDS = [
    _wb_record("WLD", "1W", "World", 2022, 7950946801),
    _wb_record("GRC", "GR", "Greece", 2022, 10426919),
    _wb_record("GRC", "GR", "Greece", 2021, 10566531),
    _wb_record("XKX", "XK", "Kosovo", 2022, 1761985),
    _wb_record("", "XY", "Not classified", 2022, None),
]


def test_worldbank_tidy_frame(tmp_path):
    df = read_worldbank_population(_wb_file(tmp_path, WB_RECORDS))
    assert list(df.columns) == ["iso3", "geo", "country", "year", "population"]
    assert len(df) == 5
    greece = df[df["iso3"] == "GRC"]
    assert list(greece["year"]) == [2021, 2022]  # sorted
    assert set(greece["geo"]) == {"EL"}
    assert df.loc[df["iso3"] == "XKX", "geo"].item() == "XK"
    assert pd.isna(df.loc[df["iso3"] == "WLD", "geo"].item())
    assert str(df["population"].dtype) == "Int64"
    assert pd.isna(df.loc[df["country"] == "Not classified", "population"].item())
    assert pd.isna(df.loc[df["country"] == "Not classified", "iso3"].item())
    assert df.attrs["indicator"] == "SP.POP.TOTL" and df.attrs["last_updated"] == "2026-07-13"


def test_worldbank_truncated_json(tmp_path):
    path = _wb_file(tmp_path, WB_RECORDS)
    path.write_text(path.read_text()[:-40])
    raises_naming(path, read_worldbank_population, "invalid JSON", "truncated")


def test_worldbank_missing_key(tmp_path):
    records = [dict(r) for r in WB_RECORDS]
    del records[1]["date"]
    err = raises_naming(_wb_file(tmp_path, records), read_worldbank_population, "'date'")
    assert err.row == 2


def test_worldbank_negative_and_text_values(tmp_path):
    bad = WB_RECORDS[:1] + [_wb_record("DEU", "DE", "Germany", 2022, -5)]
    raises_naming(_wb_file(tmp_path, bad), read_worldbank_population, "negative")
    bad = WB_RECORDS[:1] + [_wb_record("DEU", "DE", "Germany", 2022, "many")]
    raises_naming(_wb_file(tmp_path, bad), read_worldbank_population, "not a number")


def test_worldbank_refuses_a_partial_page(tmp_path):
    path = _wb_file(tmp_path, WB_RECORDS, total=500, pages=2)
    raises_naming(path, read_worldbank_population, "5 of 500", "per_page")


def test_worldbank_api_error_and_wrong_shape(tmp_path):
    path = write_json(tmp_path, [{"message": [{"id": "120", "value": "Invalid value"}]}], "err.json")
    raises_naming(path, read_worldbank_population, "API error")
    write_json(tmp_path, {"records": []}, "err.json")
    raises_naming(path, read_worldbank_population, "[metadata, records]")


def test_worldbank_duplicate(tmp_path):
    raises_naming(_wb_file(tmp_path, WB_RECORDS + WB_RECORDS[1:2]), read_worldbank_population,
                  "duplicated")


def test_missing_and_empty_file(tmp_path):
    raises_naming(tmp_path / "nope.json", read_worldbank_population, "not found")
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    raises_naming(empty, read_worldbank_population, "empty")
    raises_naming(empty, read_undesa_migrant_stock, "empty")
    raises_naming(empty, read_unhcr_population, "empty")


# --------------------------------------------------------------------------- UN DESA

YEARS = [1990, 2000, 2024]


def _undesa_sheet(title, rows, *, extra_blank=0, header=None):
    return [
        [],
        [None, None, None, None, None, "International Migrant Stock 2024: Destination"],
        [None, None, None, None, None, f"{title}: some title"],
        [None, None, None, None, None, "POP/DB/MIG/Stock/Rev.2024"],
        *[[] for _ in range(3 + extra_blank)],
        [None] * 5 + ["International migrant stock at mid-year, both sexes combined",
                      None, None, "..., males", None, None],
        [],
        [None, None, "Migrant notes"],
        header or [None, "Region, development group, country or area", "Coverage",
                   "Data type", "Location code", *YEARS, *YEARS],
        *rows,
    ]


STOCK = [
    (1, "World", None, None, 900, 153916063, 174566152, 304021813, 1, 2, 3),
    (2, "Germany", None, "B R", 276, 6960112, 10397459, 16750084, 1, 2, 3),
    (3, "Republic of Moldova*", None, "B R", 498, 533397, 250134, 188207, 1, 2, 3),
    (4, "Saint Barthélemy*", None, None, 652, None, None, None, None, None, None),
    (5, "Channel Islands*", 10, "B", 830, 61660, 64301, "..", 1, 2, 3),
]
SHARE = [
    (1, "World", None, None, 900, 2.89, 2.83, 3.72, 1, 2, 3),
    (2, "Germany", None, "B R", 276, 8.73, 12.71, 19.81, 1, 2, 3),
    (3, "Republic of Moldova*", None, "B R", 498, 11.98, 5.91, 6.2, 1, 2, 3),
    (4, "Saint Barthélemy*", None, None, 652, None, None, None, None, None, None),
    (5, "Channel Islands*", 10, "B", 830, 43.1, 43.4, 100.004, 1, 2, 3),
]


def _undesa_file(tmp_path, stock=STOCK, share=SHARE, sheets=("Table 1", "Table 3"), **kw):
    book = {"Table of contents": []}
    if "Table 1" in sheets:
        book["Table 1"] = _undesa_sheet("Table 1", stock, **kw)
    if "Table 3" in sheets:
        # A different header position: the reader must find it by content.
        book["Table 3"] = _undesa_sheet("Table 3", share, extra_blank=2)
    return write_workbook(tmp_path / "undesa.xlsx", book)


def test_undesa_tidy_frame(tmp_path):
    df = read_undesa_migrant_stock(_undesa_file(tmp_path))
    assert list(df.columns) == ["location", "location_code", "geo", "data_type", "year",
                                "migrant_stock", "share_pct"]
    assert len(df) == 5 * len(YEARS)  # only the both-sexes block
    de = df[df["geo"] == "DE"].set_index("year")
    assert de.loc[2024, "migrant_stock"] == 16750084
    assert de.loc[2000, "share_pct"] == pytest.approx(12.71)
    md = df[df["location_code"] == 498]
    assert set(md["location"]) == {"Republic of Moldova"} and set(md["geo"]) == {"MD"}
    assert pd.isna(df.loc[df["location"] == "World", "geo"]).all()
    assert pd.isna(df.loc[df["location"] == "World", "data_type"]).all()
    ci = df[(df["location_code"] == 830) & (df["year"] == 2024)]
    assert pd.isna(ci["migrant_stock"].item())  # '..' = not available
    assert ci["share_pct"].item() == pytest.approx(100.004)  # rounding, kept
    assert str(df["migrant_stock"].dtype) == "Int64"


def test_undesa_missing_sheet(tmp_path):
    path = _undesa_file(tmp_path, sheets=("Table 1",))
    raises_naming(path, read_undesa_migrant_stock, "no sheet 'Table 3'")


def test_undesa_no_header(tmp_path):
    header = [None, "Region, development group, country or area", "Coverage", "Data type",
              "Code", *YEARS, *YEARS]
    path = _undesa_file(tmp_path, header=header)
    raises_naming(path, read_undesa_migrant_stock, "Location code")


def test_undesa_negative_text_and_share_out_of_range(tmp_path):
    stock = [*STOCK[:1], (2, "Germany", None, "B R", 276, -1, 2, 3, 1, 2, 3)]
    raises_naming(_undesa_file(tmp_path, stock=stock, share=SHARE[:2]),
                  read_undesa_migrant_stock, "negative")
    stock = [*STOCK[:1], (2, "Germany", None, "B R", 276, "lots", 2, 3, 1, 2, 3)]
    raises_naming(_undesa_file(tmp_path, stock=stock, share=SHARE[:2]),
                  read_undesa_migrant_stock, "'lots' is not a number")
    share = [*SHARE[:1], (2, "Germany", None, "B R", 276, 150.0, 2, 3, 1, 2, 3)]
    raises_naming(_undesa_file(tmp_path, stock=STOCK[:2], share=share),
                  read_undesa_migrant_stock, "above 100%")


def test_undesa_tables_must_list_the_same_locations(tmp_path):
    raises_naming(_undesa_file(tmp_path, share=SHARE[:3]), read_undesa_migrant_stock,
                  "different locations")


def test_undesa_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("<html>not found</html>")
    raises_naming(path, read_undesa_migrant_stock, "not a readable xlsx")


# --------------------------------------------------------------------------- UNHCR

UNHCR_HEADER = ('Year,"Country of Asylum","Country of Origin","Country of Asylum ISO",'
                '"Country of Origin ISO",Refugees,"Returned Refugees","Asylum Seekers",IDPs,'
                '"Returned IDPs",Stateless,HST,OOC\n')
UNHCR_ROWS = ("2008,Austria,-,AUT,-,37546,299,36687,0,0,464,0,0\n"
              '2008,"Netherlands (Kingdom of the)",-,NLD,-,77609,0,7409,0,0,0,0,0\n'
              "2009,Greece,-,GRC,-,1695,0,45672,0,0,1,0,0\n")


def _unhcr_file(tmp_path, text):
    return write_text(tmp_path, text, "unhcr.csv")


def test_unhcr_tidy_frame(tmp_path):
    df = read_unhcr_population(_unhcr_file(tmp_path, UNHCR_HEADER + UNHCR_ROWS))
    assert list(df.columns[:6]) == ["year", "geo", "iso3", "country", "origin", "origin_iso3"]
    assert {"refugees", "asylum_seekers", "stateless", "returned_idps", "hst", "ooc"} <= set(df)
    assert list(df["geo"]) == ["AT", "NL", "EL"]
    assert df["origin"].isna().all()  # '-' = all origins
    assert df.loc[df["geo"] == "NL", "refugees"].item() == 77609
    assert str(df["refugees"].dtype) == "Int64"


def test_unhcr_errors(tmp_path):
    no_col = UNHCR_HEADER.replace(",Refugees,", ",Refugeez,")
    raises_naming(_unhcr_file(tmp_path, no_col + UNHCR_ROWS), read_unhcr_population,
                  "missing column", "Refugees")
    negative = UNHCR_ROWS.replace("37546", "-37546")
    raises_naming(_unhcr_file(tmp_path, UNHCR_HEADER + negative), read_unhcr_population,
                  "negative")
    text = UNHCR_ROWS.replace("37546", "n/a")
    raises_naming(_unhcr_file(tmp_path, UNHCR_HEADER + text), read_unhcr_population,
                  "not a number")
    unknown = UNHCR_ROWS + "2009,United States,-,USA,-,1,0,0,0,0,0,0,0\n"
    err = raises_naming(_unhcr_file(tmp_path, UNHCR_HEADER + unknown), read_unhcr_population,
                        "'USA'")
    assert err.row == 5
    dup = UNHCR_ROWS + UNHCR_ROWS.splitlines(keepends=True)[0]
    raises_naming(_unhcr_file(tmp_path, UNHCR_HEADER + dup), read_unhcr_population,
                  "duplicated")
    raises_naming(_unhcr_file(tmp_path, UNHCR_HEADER), read_unhcr_population, "no rows")


# --------------------------------------------------------------------------- real files

@needs_mirror
def test_real_worldbank():
    df = read_worldbank_population(SHARED / "worldbank" / "wb_SP.POP.TOTL_2010-2022.json")
    assert len(df) == 3445
    assert set(df["year"]) == set(range(2010, 2023))
    from inclusion_evidence.core.geo_codes import EU27
    assert set(EU27) <= set(df["geo"].dropna())
    assert df.loc[(df["geo"] == "DE") & (df["year"] == 2022), "population"].item() == 83177813


@needs_mirror
def test_real_undesa():
    df = read_undesa_migrant_stock(
        SHARED / "undesa" / "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx")
    assert df["location_code"].nunique() == 287
    assert len(df) == 287 * 8
    assert sorted(df["year"].unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024]
    de = df[(df["geo"] == "DE") & (df["year"] == 2024)]
    assert de["migrant_stock"].item() == 16750084
    assert de["share_pct"].item() == pytest.approx(19.81, abs=0.01)
    assert df["share_pct"].max() <= 100.01


@needs_mirror
def test_real_unhcr():
    df = read_unhcr_population(SHARED / "unhcr" / "unhcr_refugee_population_EU_UK_2008-2024.csv")
    assert len(df) == 425
    assert df["geo"].nunique() == 25
    assert not {"UK", "PT", "SK"} & set(df["geo"])  # despite the file name
    assert (df["refugees"] >= 0).all()
