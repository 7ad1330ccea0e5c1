"""Tests for the ESIF 2014-2020 planned-finances reader."""

from __future__ import annotations

import pytest
from helpers import raises_naming, write_text

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.esif import esif_by, read_esif_planned

SHARED = ROOT.parent / "shared" / "data"
ESIF = SHARED / "funding" / "ESIF_2014-2020_FINANCES_PLANNED_DETAILS_190411.csv"
needs_mirror = pytest.mark.skipif(not ESIF.is_file(), reason="data mirror not present")

HEADER = ("MS,MS Name,CCI,Ver,Programme Title,Fund,Priority,TO_code,To short,TO long,"
          "Category of region,EAFRD Measure code,Measure short description,"
          "EAFRD Focus Area code,Focus area short description,EU Amount,National Amount,"
          "Total Amount,EU co-financing\n")
ROWS = (
    'IT,Italy,2014IT16RFOP007,4,Campania - ERDF,ERDF,9,9,Social Inclusion,'
    '"Promoting social inclusion, combating poverty",Less developed,VOID,VOID,VOID,VOID,'
    '100.5,33.5,134,75\n'
    "IT,Italy,2014IT16RFOP007,4,Campania - ERDF,ERDF,10,TA,Technical Assistance,"
    "Technical Assistance,Less developed,VOID,VOID,VOID,VOID,10,5,15,66.67\n"
    "GR,Greece,2014GR05M9OP001,3,Human Resources,ESF,2,09,Social Inclusion,x,"
    "More developed,VOID,VOID,VOID,VOID,40,10,50,80\n"
    "TC,Interreg,2014TC16RFCB001,2,Interreg A,ERDF,1,01,Research & Innovation,x,VOID,"
    "VOID,VOID,VOID,VOID,20,0,20,100\n"
)


def test_tidy_columns_and_types(tmp_path):
    df = read_esif_planned(write_text(tmp_path, HEADER + ROWS))
    for column in ("ms", "ms_name", "cci", "programme_title", "fund", "priority", "to_code",
                   "to_short", "category_of_region", "eu_amount", "national_amount",
                   "total_amount", "eu_co_financing", "geo"):
        assert column in df.columns
    assert df["eu_amount"].dtype == "float64" and df["total_amount"].sum() == 219
    assert list(df["to_code"]) == ["09", "TA", "09", "01"]  # '9' padded, 'TA' kept
    assert df["to_long"].iloc[0] == "Promoting social inclusion, combating poverty"
    assert list(df["geo"].fillna("-")) == ["IT", "IT", "EL", "-"]  # GR -> EL, TC has none
    assert list(df["ms"]) == ["IT", "IT", "GR", "TC"]  # source codes kept


def test_esif_by_sums(tmp_path):
    df = read_esif_planned(write_text(tmp_path, HEADER + ROWS))
    by_to = esif_by(df, by=["to_code"]).set_index("to_code")
    assert by_to.loc["09", "eu_amount"] == 140.5
    assert by_to.loc["09", "total_amount"] == 184
    default = esif_by(df)
    assert list(default.columns) == ["ms", "fund", "to_code", "eu_amount", "national_amount",
                                     "total_amount"]
    assert len(default) == 4
    with pytest.raises(ValueError, match="region"):
        esif_by(df, by=["region"])


def test_missing_column_is_named(tmp_path):
    text = (HEADER + ROWS).replace("National Amount", "Nat Amount")
    error = raises_naming(write_text(tmp_path, text), read_esif_planned, "missing required column")
    assert error.column == "national_amount"


def test_empty_and_header_only_files(tmp_path):
    raises_naming(write_text(tmp_path, ""), read_esif_planned, "file is empty")
    raises_naming(write_text(tmp_path, HEADER, "header.csv"), read_esif_planned, "no data rows")
    raises_naming(tmp_path / "absent.csv", read_esif_planned, "file not found")


def test_truncated_csv(tmp_path):
    cut = (HEADER + ROWS)[:-30]  # the last row loses its amounts
    error = raises_naming(write_text(tmp_path, cut), read_esif_planned, "fields", "truncated")
    assert error.row == 5
    path = write_text(tmp_path, HEADER + 'IT,Italy,"2014IT', "quote.csv")
    raises_naming(path, read_esif_planned, "cannot parse CSV")


@pytest.mark.parametrize("old, new, words", [
    (",100.5,", ",lots,", ["'lots' is not a number", "eu_amount"]),
    (",100.5,", ",,", ["blank amount"]),
    (",100.5,33.5,134,", ",100.5,33.5,-134,", ["negative"]),
    (",100.5,33.5,134,", ",100.5,33.5,999,", ["differs from total"]),
    ("GR,Greece", "XX,Nowhere", ["unknown Member State code 'XX'"]),
])
def test_bad_values(tmp_path, old, new, words):
    raises_naming(write_text(tmp_path, HEADER + ROWS.replace(old, new, 1)), read_esif_planned, *words)


# ----------------------------------------------------------------- real mirror file


@needs_mirror
def test_real_file():
    df = read_esif_planned(ESIF)
    assert len(df) == 7524
    assert set(df["fund"]) == {"ERDF", "ESF", "YEI", "CF", "EAFRD", "EMFF", "IPAE"}
    assert df["ms"].nunique() == 29  # 28 Member States + TC
    # Provenance: TO 09 holds about EUR 46 bn of EU amount.
    to09 = esif_by(df, by=["to_code"]).set_index("to_code").loc["09", "eu_amount"]
    assert to09 == pytest.approx(45.95e9, rel=1e-3)
    assert {"01", "09", "TA", "VOID", "IPA-TA"} <= set(df["to_code"])
    assert not df["geo"].eq("GR").any() and df["geo"].eq("EL").any()
