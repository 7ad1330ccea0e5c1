"""Tests for the ILGA Rainbow Map and FRA LGBT(I) survey readers."""

from __future__ import annotations

import math

import pytest
from helpers import bad_workbooks_raise, raises_naming, write_text, write_workbook

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.lgbti import (
    ILGA_CATEGORIES,
    ilga_category_counts,
    read_fra_lgbt_2012,
    read_fra_lgbti_2019,
    read_ilga_rainbow,
)

SHARED = ROOT.parent / "shared" / "data"
LGBTI = SHARED / "lgbti"
needs_mirror = pytest.mark.skipif(not LGBTI.is_dir(), reason="data mirror not present")


# ----------------------------------------------------------------------------- ILGA

COUNTRIES = ["Greece", "Spain", "United Kingdom"]
LEGEND = ["NA", "Symbols", "x - national / federal application",
          "o - applicable in some regions only"]


def _ilga_folder(tmp_path, *, countries=COUNTRIES, family_rows=None, family_tail=None):
    """Seven category files as tidyrainbow ships them: 3 countries + 4 legend lines."""
    folder = tmp_path / "ilga"
    folder.mkdir()
    equality = ["country,constitution_sexual_orientation,employment_sexual_orientation"]
    equality += [f"{c},{v}" for c, v in zip(countries, ["1,NA", "0.5,1", "NA,NA"])]
    equality += [f"{line},NA,NA" for line in LEGEND]
    (folder / "Equality&non_Discrimination.csv").write_text("\n".join(equality) + "\n")
    family = ["marriage_equality"] + (family_rows or ["NA", "1", "1"])
    family += family_tail if family_tail is not None else ["NA"] * 4
    (folder / "Family.csv").write_text("\n".join(family) + "\n")
    for name in ILGA_CATEGORIES:
        if name not in ("Equality&non_Discrimination.csv", "Family.csv"):
            (folder / name).write_text("\n".join(["criterion_a"] + ["1"] * 3 + ["NA"] * 4) + "\n")
    return folder


def test_ilga_joins_files_by_position(tmp_path):
    df = read_ilga_rainbow(_ilga_folder(tmp_path))
    assert list(df.columns) == ["country", "geo", "category", "criterion", "value", "met",
                                "regional_only"]
    assert set(df["country"]) == set(COUNTRIES)  # legend lines dropped
    assert set(df["geo"]) == {"EL", "ES", "UK"}
    assert len(df) == 3 * (2 + 1 + 5)
    family = df[df["category"] == "family"].set_index("geo")["met"]
    assert family.to_dict() == {"EL": False, "ES": True, "UK": True}


def test_ilga_regional_values(tmp_path):
    df = read_ilga_rainbow(_ilga_folder(tmp_path)).set_index(["geo", "criterion"])
    spain = df.loc[("ES", "constitution_sexual_orientation")]
    assert spain["value"] == 0.5 and spain["met"] and spain["regional_only"]
    assert not df.loc[("EL", "employment_sexual_orientation"), "met"]


def test_ilga_category_counts(tmp_path):
    counts = ilga_category_counts(read_ilga_rainbow(_ilga_folder(tmp_path)))
    assert list(counts.columns) == ["country", "geo", "category", "met", "regional_only",
                                    "total", "share", "weighted_share"]
    spain = counts.set_index(["geo", "category"]).loc[("ES", "equality_non_discrimination")]
    assert spain["met"] == 2 and spain["total"] == 2 and spain["share"] == 1.0
    assert spain["weighted_share"] == 0.75
    assert len(counts) == 3 * 7


def test_ilga_row_count_mismatch_names_file(tmp_path):
    folder = _ilga_folder(tmp_path, family_rows=["NA", "1"])  # one country row lost
    raises_naming(folder / "Family.csv", lambda _: read_ilga_rainbow(folder),
                  "6 rows", "cannot be matched")


def test_ilga_values_in_legend_rows_mean_misalignment(tmp_path):
    folder = _ilga_folder(tmp_path, family_tail=["1", "NA", "NA", "NA"])
    raises_naming(folder / "Family.csv", lambda _: read_ilga_rainbow(folder), "misaligned")


def test_ilga_unknown_country(tmp_path):
    folder = _ilga_folder(tmp_path, countries=["Greece", "Atlantis", "Spain"])
    raises_naming(folder / "Equality&non_Discrimination.csv",
                  lambda _: read_ilga_rainbow(folder), "unknown country 'Atlantis'")


def test_ilga_bad_value_and_missing_file(tmp_path):
    folder = _ilga_folder(tmp_path, family_rows=["NA", "yes", "1"])
    raises_naming(folder / "Family.csv", lambda _: read_ilga_rainbow(folder),
                  "'yes' is not 1, 0.5 or NA")
    (folder / "Asylum.csv").unlink()
    raises_naming(folder / "Asylum.csv", lambda _: read_ilga_rainbow(folder), "file not found")


# ------------------------------------------------------------------------- FRA 2019

FRA_HEADER = ["CountryCode", "question_label", "target_group", None, "answer", "percentage"]


def _fra_book(path, sheets):
    """{sheet name: (subgroup column, rows)} saved as an FRA workbook, a header row first."""
    return write_workbook(path, {name: [[column if h is None else h for h in FRA_HEADER], *rows]
                                 for name, (column, rows) in sheets.items()})


Q = "Avoid holding hands in public"


@pytest.fixture
def fra_book(tmp_path):
    return _fra_book(tmp_path / "FRA_EU-T1Q1.xlsx", {
        "LGBTI-age": ("age", [
            ["Greece", Q, "Gay men", "18-24", "Always", 30],
            ["Greece", Q, "Gay men", "18-24", "Often ", ":"],
            ["EU-28", Q, "Gay men", "18-24", "Always", 25.0],
            ["Czechia", Q, "Lesbian women", "18-24", "Always", None],
        ]),
        "T1Q1-T-gender": ("gender_id", [
            ["United Kingdom", Q, "Trans people", "Trans woman", "Never", 12],
            ["United Kingdom", Q, "Trans people", "Trans woman", "Never", 12],  # repeated
        ]),
    })


def test_fra_2019_tidy(fra_book):
    df = read_fra_lgbti_2019(fra_book)
    assert list(df.columns) == ["geo", "country", "question_id", "question", "target_group",
                                "breakdown", "subgroup", "answer", "percentage"]
    assert list(df["geo"]) == ["EL", "EL", "EU28", "CZ", "UK"]  # repeated row kept once
    assert set(df["breakdown"]) == {"age", "trans_subgroup"}
    assert set(df["question_id"]) == {"T1Q1"}
    assert df["answer"].iloc[1] == "Often"  # trailing space stripped
    assert math.isnan(df["percentage"].iloc[1]) and math.isnan(df["percentage"].iloc[3])
    assert df["percentage"].iloc[0] == 30


@pytest.mark.parametrize("row, words", [
    (["Greece", Q, "Gay men", "18-24", "Always", 140], ["percentage 140", "outside 0-100"]),
    (["Greece", Q, "Gay men", "18-24", "Always", "lots"], ["non-numeric percentage 'lots'"]),
    (["Atlantis", Q, "Gay men", "18-24", "Always", 1], ["unknown country 'Atlantis'"]),
])
def test_fra_2019_bad_rows(tmp_path, row, words):
    path = _fra_book(tmp_path / "FRA_EU-T1Q2.xlsx", {"LGBTI-age": ("age", [row])})
    raises_naming(path, read_fra_lgbti_2019, *words)


def test_fra_2019_conflicting_duplicates(tmp_path):
    rows = [["Greece", Q, "Gay men", "18-24", "Always", 30],
            ["Greece", Q, "Gay men", "18-24", "Always", 31]]
    path = _fra_book(tmp_path / "FRA_EU-T1Q2.xlsx", {"LGBTI-age": ("age", rows)})
    raises_naming(path, read_fra_lgbti_2019, "conflicting percentages")


def test_fra_2019_unknown_sheet_and_missing_column(tmp_path):
    path = _fra_book(tmp_path / "a.xlsx", {"LGBTI-religion": ("religion", [])})
    raises_naming(path, read_fra_lgbti_2019, "sheet 'LGBTI-religion'",
                  "unknown breakdown")
    path = write_workbook(tmp_path / "b.xlsx", {
        "LGBTI-age": [["CountryCode", "question_label", "age", "answer", "percentage"]]})
    error = raises_naming(path, read_fra_lgbti_2019, "missing required column")
    assert error.column == "target_group"


def test_fra_2019_missing_empty_and_truncated(tmp_path, fra_book):
    bad_workbooks_raise(tmp_path, read_fra_lgbti_2019, fra_book, cut_at=1000)


# ------------------------------------------------------------------------- FRA 2012

FRA_2012 = (
    "CountryCode,subset,question_code,question_label,answer,percentage,notes\n"
    'Austria,Lesbian,c10,"Healthcare, as L, G, B or T?",Difficulty in access,2,[0]\n'
    'Austria,Lesbian,c10,"Healthcare, as L, G, B or T?",Changed doctor,8,\n'
    'Malta,Transgender,c10,"Healthcare, as L, G, B or T?",Changed doctor,:, [1] \n'
    'Average,Gay,c10,"Healthcare, as L, G, B or T?",Changed doctor,5,[2]\n'
)


def _csv(tmp_path, text):
    return write_text(tmp_path, text, "LGBT_Survey_Discrimination.csv")


def test_fra_2012_notes_decoded(tmp_path):
    df = read_fra_lgbt_2012(_csv(tmp_path, FRA_2012))
    assert list(df.columns) == ["geo", "country", "subset", "question_code", "question",
                                "answer", "percentage", "note"]
    assert list(df["geo"]) == ["AT", "AT", "MT", "EU28"]
    assert list(df["note"].fillna("-")) == ["small sample", "-", "NA: small sample", "missing"]
    assert math.isnan(df["percentage"].iloc[2]) and df["percentage"].iloc[1] == 8


@pytest.mark.parametrize("old, new, words", [
    (",[2]", ",[9]", ["unknown notes flag '[9]'"]),
    ("Malta", "Narnia", ["unknown country 'Narnia'"]),
    (",8,", ",108,", ["outside 0-100"]),
    ("notes\n", "remarks\n", ["missing required column", "notes"]),
])
def test_fra_2012_errors(tmp_path, old, new, words):
    path = _csv(tmp_path, FRA_2012.replace(old, new, 1))
    raises_naming(path, read_fra_lgbt_2012, *words)


def test_fra_2012_empty_and_truncated(tmp_path):
    path = _csv(tmp_path, "")
    raises_naming(path, read_fra_lgbt_2012, "file is empty")
    path = _csv(tmp_path, FRA_2012 + 'Malta,Gay,c10,"Healthcare, as')
    raises_naming(path, read_fra_lgbt_2012, "cannot parse CSV")


# ----------------------------------------------------------------- real mirror files


@needs_mirror
def test_real_ilga():
    df = read_ilga_rainbow(LGBTI / "ilga_rainbow_europe_tidyrainbow")
    assert df["country"].nunique() == 49 and df["geo"].nunique() == 49
    assert df["criterion"].nunique() == 73 and len(df) == 49 * 73
    assert {"EL", "UK", "XK", "TR"} <= set(df["geo"])
    assert set(df["value"]) == {0.0, 0.5, 1.0}
    counts = ilga_category_counts(df)
    assert len(counts) == 49 * 7
    assert counts["share"].between(0, 1).all()


@needs_mirror
@pytest.mark.parametrize("name", ["FRA_EU-T1Q1.xlsx", "FRA_EU-T1Q3.xlsx", "FR_EU-T1Q5.xlsx"])
def test_real_fra_2019(name):
    df = read_fra_lgbti_2019(LGBTI / "fra_eu_lgbti_ii_2019_tidyrainbow" / name)
    assert df["geo"].nunique() == 31  # EU-28, its aggregate, MK and RS
    assert {"EU28", "EL", "UK", "MK", "RS"} <= set(df["geo"])
    assert df["percentage"].dropna().between(0, 100).all()


@needs_mirror
def test_real_fra_2012():
    df = read_fra_lgbt_2012(LGBTI / "fra_eu_lgbt_2012_tidyrainbow" / "LGBT_Survey_Discrimination.csv")
    assert len(df) == 15775 and df["geo"].nunique() == 29
    assert (df["note"] == "NA: small sample").sum() == df["percentage"].isna().sum() == 1198
    assert "c10" in set(df["question_code"])
