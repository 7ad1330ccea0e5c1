"""Tests for the unaccompanied-minor and Swedish monthly readers."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import raises_naming, write_text

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.children import (
    read_migrationsverket_monthly,
    read_uam_news_release,
    read_uam_top_citizenships,
)

SHARED = ROOT.parent / "shared" / "data"
CHILDREN = SHARED / "children"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="data mirror not present")


# --------------------------------------------------------------------------- table 1

RELEASE_HEADER = (",Total,Total,,of which:,\n"
                  ",number,number,,,Share in all minor\n"
                  ",2015,2016,Males,Aged below 14,applicants (%)\n")
RELEASE_ROWS = ("EU,96465,63290,89%,10%,15.9\n"
                'Germany,"22,255",35 935,89%,10%,13.4\n'
                "Czech Republic,15,-,-,-,-\n"
                "Lithuania,5,0,100%,0%,0.6\n")


def test_news_release_tidy_frame(tmp_path):
    df = read_uam_news_release(write_text(tmp_path, RELEASE_HEADER + RELEASE_ROWS))
    assert list(df.columns) == ["country", "geo", "uam_2015", "uam_2016", "share_male_2016",
                                "share_under14_2016", "share_in_minor_applicants_2016"]
    assert list(df["geo"]) == ["EU28", "DE", "CZ", "LT"]
    de = df.set_index("geo").loc["DE"]
    assert de["uam_2015"] == 22255 and de["uam_2016"] == 35935  # thousands separators
    assert de["share_male_2016"] == 89.0  # percent, '%' removed
    cz = df.set_index("geo").loc["CZ"]
    assert cz["country"] == "Czechia" and pd.isna(cz["uam_2016"]) and pd.isna(cz["share_male_2016"])
    assert str(df["uam_2016"].dtype) == "Int64"


@pytest.mark.parametrize("row, words", [
    ("Malta,35,15,120%,0%,3.3\n", ["outside 0-100"]),
    ("Malta,35,-15,100%,0%,3.3\n", ["negative"]),
    ("Malta,35,many,100%,0%,3.3\n", ["not a number"]),
    ("Malta,35,15.5,100%,0%,3.3\n", ["whole number"]),
    ("Atlantis,35,15,100%,0%,3.3\n", ["unknown country", "Atlantis"]),
    ("Malta,35,15\n", ["truncated"]),
    ("Germany,1,2,50%,0%,1\n", ["appears twice"]),
])
def test_news_release_bad_row(tmp_path, row, words):
    err = raises_naming(write_text(tmp_path, RELEASE_HEADER + RELEASE_ROWS + row),
                        read_uam_news_release, *words)
    assert err.row == 8


def test_news_release_header_problems(tmp_path):
    no_years = RELEASE_HEADER.replace(",2015,2016,", ",a,b,")
    raises_naming(write_text(tmp_path, no_years + RELEASE_ROWS), read_uam_news_release,
                  "2015 and 2016")
    no_col = RELEASE_HEADER.replace("Aged below 14", "Aged")
    raises_naming(write_text(tmp_path, no_col + RELEASE_ROWS), read_uam_news_release,
                  "share_under14_2016")
    raises_naming(write_text(tmp_path, RELEASE_HEADER), read_uam_news_release, "no data rows")
    raises_naming(tmp_path / "missing.csv", read_uam_news_release, "not found")


# --------------------------------------------------------------------------- table 2

TOP3_HEADER = (",,Applicants,Three main citizenships of asylum applicants considered "
               "unaccompanied minors,,,,,,,,\n"
               ',#,"First\ncitizenship",#,%,"Second\ncitizenship",#,%,"Third\ncitizenship",#,%,\n')
TOP3_ROWS = (",EU,63290,Afghanistan,23990,38,Syria,11990,19,Iraq,4155,7\n"
             ",Czech Republic,-,-,-,-,-,-,-,-,-,-\n"
             ",Spain,30,Syria,10,32,^,^,^,^,^,^\n"
             ',France,475,Afghanistan,130,28,"Dem. Rep. of the\nCongo",45,10,Sudan,40,8\n'
             ",Hungary,1220,Afghanistan,850,70,Pakistan,150,12,Kosovo*,55,4\n"
             ",Lithuania,0,^,^,^,^,^,^,^,^,^\n")


def test_top_citizenships_long_frame(tmp_path):
    df = read_uam_top_citizenships(write_text(tmp_path, TOP3_HEADER + TOP3_ROWS))
    assert list(df.columns) == ["geo", "country", "uam_2016", "rank", "citizenship", "number",
                                "share", "flag"]
    assert len(df) == 6 * 3
    assert list(df["rank"][:3]) == [1, 2, 3]
    eu = df[df["geo"] == "EU28"]
    assert list(eu["citizenship"]) == ["Afghanistan", "Syria", "Iraq"]
    assert eu["uam_2016"].iloc[0] == 63290 and eu["number"].iloc[0] == 23990
    fr = df[df["geo"] == "FR"]
    assert fr["citizenship"].iloc[1] == "Dem. Rep. of the Congo"  # multi-line cell
    assert df[df["geo"] == "HU"]["citizenship"].iloc[2] == "Kosovo"  # footnote mark removed
    es = df[df["geo"] == "ES"]
    assert list(es["flag"]) == ["", "^", "^"]
    assert es["citizenship"].isna().tolist() == [False, True, True]
    cz = df[df["geo"] == "CZ"]
    assert set(cz["flag"]) == {"-"} and cz["uam_2016"].isna().all()


@pytest.mark.parametrize("row, words", [
    (",Malta,15,Syria,20,67,Eritrea,5,27,^,^,^\n", ["more than the total"]),
    (",Malta,15,Syria,5,67,Eritrea,10,27,^,^,^\n", ["ranked above"]),
    (",Malta,15,Syria,10,67,Eritrea,5\n", ["expected 11"]),
    (",Malta,15,Syria,10,167,Eritrea,5,27,^,^,^\n", ["outside 0-100"]),
    (",Malta,15,Syria,10,67,^,5,27,^,^,^\n", ["'^'"]),
    (",Mordor,15,Syria,10,67,Eritrea,5,27,^,^,^\n", ["unknown country"]),
])
def test_top_citizenships_bad_row(tmp_path, row, words):
    raises_naming(write_text(tmp_path, TOP3_HEADER + TOP3_ROWS + row), read_uam_top_citizenships,
                  *words)


def test_top_citizenships_header_problems(tmp_path):
    raises_naming(write_text(tmp_path, TOP3_ROWS), read_uam_top_citizenships, "Third citizenship")
    bad = TOP3_HEADER.replace("Applicants", "Persons")
    raises_naming(write_text(tmp_path, bad + TOP3_ROWS), read_uam_top_citizenships, "applicants")
    raises_naming(write_text(tmp_path, TOP3_HEADER), read_uam_top_citizenships, "no data rows")


# --------------------------------------------------------------------------- Sweden

SWEDEN_HEADER = ("year_month,total,male,female,minors,unacc_minors,decisions,granted,"
                 "rejected,dublin,others,avg_time\n")
SWEDEN_ROWS = ("2009-11,2402,1573,829,637,247,2754,908,1281,318,247,181\n"
               "2009-12,2469,1605,864,663,280,NA,NA,NA,NA,NA,NA\n"
               "2015-10,39196,28677,10519,17495,9339,6428,3921,887,646,974,256.2882700684505\n")


def test_sweden_tidy_frame(tmp_path):
    df = read_migrationsverket_monthly(write_text(tmp_path, SWEDEN_HEADER + SWEDEN_ROWS))
    assert list(df.columns) == ["month", "total", "male", "female", "minors", "unacc_minors",
                                "decisions", "granted", "rejected", "dublin", "others",
                                "avg_time"]
    assert df["month"].iloc[0] == pd.Timestamp("2009-11-01")
    assert pd.isna(df.loc[1, "decisions"]) and pd.isna(df.loc[1, "avg_time"])
    assert df.loc[2, "unacc_minors"] == 9339
    assert str(df["total"].dtype) == "Int64"


def test_sweden_sorts_months(tmp_path):
    rows = SWEDEN_ROWS.splitlines(keepends=True)
    df = read_migrationsverket_monthly(write_text(tmp_path, SWEDEN_HEADER + "".join(rows[::-1])))
    assert df["month"].is_monotonic_increasing


@pytest.mark.parametrize("row, words", [
    ("2016-01,100,60,40,50,60,NA,NA,NA,NA,NA,NA\n", ["unacc_minors > minors", "2016-01"]),
    ("2016-01,100,60,40,150,60,NA,NA,NA,NA,NA,NA\n", ["minors > total"]),
    ("2016-01,100,60,30,50,10,NA,NA,NA,NA,NA,NA\n", ["male + female != total"]),
    ("2016-01,100,60,40,50,10,10,1,1,1,1,5\n", ["!= decisions"]),
    ("2016-13,100,60,40,50,10,NA,NA,NA,NA,NA,NA\n", ["not a month"]),
    ("2016-01,-100,60,40,50,10,NA,NA,NA,NA,NA,NA\n", ["negative"]),
    ("2016-01,abc,60,40,50,10,NA,NA,NA,NA,NA,NA\n", ["not a number"]),
    ("2016-01,100,60,40,50,10,NA,NA,NA,NA,NA,-3\n", ["negative processing time"]),
    ("2009-12,2469,1605,864,663,280,NA,NA,NA,NA,NA,NA\n", ["appears twice"]),
])
def test_sweden_bad_row(tmp_path, row, words):
    err = raises_naming(write_text(tmp_path, SWEDEN_HEADER + SWEDEN_ROWS + row),
                        read_migrationsverket_monthly, *words)
    assert err.row == 5


def test_sweden_missing_column_and_empty(tmp_path):
    header = SWEDEN_HEADER.replace("unacc_minors", "uam")
    raises_naming(write_text(tmp_path, header + SWEDEN_ROWS), read_migrationsverket_monthly,
                  "missing column", "unacc_minors")
    raises_naming(write_text(tmp_path, SWEDEN_HEADER), read_migrationsverket_monthly, "no rows")
    raises_naming(write_text(tmp_path, ""), read_migrationsverket_monthly, "empty")


# --------------------------------------------------------------------------- real files

@needs_mirror
def test_real_news_release():
    df = read_uam_news_release(
        CHILDREN / "eurostat_newsrelease_80-2017_uam_by_member_state_2015-2016.csv")
    assert len(df) == 33  # EU + 28 member states + IS, LI, NO, CH
    eu = df.iloc[0]
    assert eu["geo"] == "EU28" and eu["uam_2016"] == 63290 and eu["uam_2015"] == 96465
    by_geo = df.set_index("geo")
    assert by_geo.loc["DE", "uam_2016"] == 35935
    assert by_geo.loc["SE", "uam_2015"] == 35250
    # Rounded to 5, the members add up to within a few persons of the EU total.
    members = df[df["geo"] != "EU28"].head(28)
    assert abs(int(members["uam_2016"].sum()) - 63290) <= 10


@needs_mirror
def test_real_top_citizenships():
    df = read_uam_top_citizenships(
        CHILDREN / "eurostat_newsrelease_80-2017_uam_top3_citizenships_by_member_state_2016.csv")
    assert len(df) == 32 * 3  # EU + 28 member states + IS, LI, NO
    first = df[(df["geo"] == "EU28") & (df["rank"] == 1)].iloc[0]
    assert first["citizenship"] == "Afghanistan" and first["number"] == 23990
    assert "Côte d'Ivoire" in set(df["citizenship"].dropna())
    release = read_uam_news_release(
        CHILDREN / "eurostat_newsrelease_80-2017_uam_by_member_state_2015-2016.csv")
    both = df.drop_duplicates("geo").merge(release, on="geo", suffixes=("", "_t1"))
    assert len(both) == 32
    assert (both["uam_2016"].fillna(-1) == both["uam_2016_t1"].fillna(-1)).all()


@needs_mirror
def test_real_sweden():
    df = read_migrationsverket_monthly(
        CHILDREN / "migrationsverket_asylum_applications_monthly_2009-01_2017-05.csv")
    assert len(df) == 101
    expected = pd.date_range("2009-01-01", "2017-05-01", freq="MS")
    assert (df["month"].to_numpy() == expected.to_numpy()).all()
    assert df["decisions"].isna().sum() == 13  # 2009-12 to 2010-12
    oct15 = df[df["month"] == "2015-10-01"].iloc[0]
    assert oct15["unacc_minors"] == 9339 and oct15["total"] == 39196
