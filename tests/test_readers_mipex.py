"""Tests for the MIPEX workbook and CITRIX/MIPEX readers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import bad_workbooks_raise, raises_naming, write_text, write_workbook

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.mipex import (
    STRANDS,
    mipex_strands,
    read_citrix_mipex,
    read_mipex_scores,
    read_mipex_workbook,
)

SHARED = ROOT.parent / "shared" / "data"
MIPEX = SHARED / "mipex"
needs_mirror = pytest.mark.skipif(not (MIPEX / "mipex_core_2007-2019.xlsx").is_file(),
                                  reason="data mirror not present")

STRAND_LABELS = {
    "labour_market_mobility": "Labour Market Mobility Strand",
    "family_reunion": " Family Reunification Strand",
    "education": "Education Strand",
    "political_participation": "Political Participation Strand",
    "permanent_residence": "Permanent Residence Strand",
    "access_to_nationality": "Citizenship Strand",
    "anti_discrimination": "Antidiscrimination Strand",
    "health": "Health Strand",
}


# ------------------------------------------------------------------- fixture writer


def _sheet_rows(years, *, overall=None, lmm=None, family=None, skip_strand=None,
                eu_style=False):
    """Rows of one MIPEX country sheet, laid out as the publisher does.

    ``overall`` maps year -> (with health, without health, without health and
    education); ``lmm`` and ``family`` map year -> list of cell values for the
    strand average and each indicator. The other strands get an average only.
    """
    rows = [["Overall Scores"],
            ["Year", "Overall Score (with health)", "Overall Score (with/out health)",
             "Overall Score (with/out health and education)"]]
    for y in years:
        rows.append([y, *(overall or {}).get(y, (None, 50.0, 50.0))])
    rows.append([])
    blocks = {
        # strand: (indicator codes, sub-indicator codes, titles, year -> scores)
        "labour_market_mobility": (["a", "aa1", None], [None, None, "aa1a"],
                                   ["Labour Market Mobility", "Immediate access",
                                    "a. Sub access"], lmm),
        "family_reunion": (["b", "ba21"], [None, None], ["Family Reunion", "Residence period"],
                           family),
    }
    for strand, label in STRAND_LABELS.items():
        if strand == skip_strand:
            continue
        codes, subs, titles, scores = blocks.get(
            strand, ([strand[0]], [None], [strand.title()], None))
        if eu_style:
            # The 2020-2024 file writes every code in the Sub-indicator row.
            subs = [None] + [s or c for c, s in zip(codes[1:], subs[1:])]
            codes = [codes[0]] + [None] * (len(codes) - 1)
        rows.append(["Policy strand", label])
        for name, values in (("Indicator", codes), ("Sub-indicator", subs), ("Title ", titles),
                             ("Description ", ["Average of the strand"] + ["d"] * (len(codes) - 1)),
                             ("Answer options ", ["TO BE FILLED AUTOMATICALLY"]
                              + ["100 - yes\n0 - no"] * (len(codes) - 1))):
            row = []
            for value in values:
                row += [name, value, None]
            rows.append(row)
        rows.append(["Year", "Score", "Comments"] + ["Year ", "Score ", "Comments "] * (len(codes) - 1))
        for y in years:
            values = (scores or {}).get(y, [40.0] + [50] * (len(codes) - 1))
            row = []
            for value in values:
                row += [y, value, None]
            rows.append(row)
        rows.append([])
    return rows


@pytest.fixture
def core_book(tmp_path):
    years = [2014, 2015, 2019]
    greece = _sheet_rows(
        years,
        overall={2014: (60.0, 55.5, 54.0), 2019: (62.25, 57.0, 56.0)},
        lmm={2014: [70.0, 50, 100], 2015: [75.0, "#DIV/0!", 100], 2019: [80.0, 100, 50]},
        family={2014: [30.0, 0], 2019: [35.0, "#DIV/0! "]},
    )
    greece.insert(4, [None, 99.0, None, None])  # a value without a year: dropped
    turkey = _sheet_rows(years)
    return write_workbook(tmp_path / "core.xlsx", {"GR": greece, "TU": turkey})


# -------------------------------------------------------------------- the workbook


def test_workbook_tidy_columns_and_codes(core_book):
    df = read_mipex_workbook(core_book)
    assert list(df.columns) == ["country", "mipex_code", "year", "strand", "indicator",
                                "indicator_title", "score", "note", "comment"]
    assert set(zip(df["country"], df["mipex_code"])) == {("EL", "GR"), ("TR", "TU")}
    assert set(df["strand"]) == set(STRANDS) | {
        "overall_with_health", "overall_without_health", "overall_without_health_education"}
    assert df["year"].dtype == "int64" and df["score"].dtype == "float64"


def test_workbook_values_by_block(core_book):
    df = read_mipex_workbook(core_book).set_index(["country", "year", "strand", "indicator"])
    assert df.loc[("EL", 2019, "overall_with_health", "overall"), "score"] == 62.25
    assert df.loc[("EL", 2014, "overall_without_health_education", "overall"), "score"] == 54
    assert df.loc[("EL", 2019, "labour_market_mobility", "strand_average"), "score"] == 80
    assert df.loc[("EL", 2014, "labour_market_mobility", "aa1"), "indicator_title"] == \
        "Immediate access"
    # A code only in the Sub-indicator row is still read.
    assert df.loc[("EL", 2019, "labour_market_mobility", "aa1a"), "score"] == 50
    assert df.loc[("EL", 2014, "family_reunion", "ba21"), "score"] == 0


def test_excel_errors_become_nan_with_note(core_book):
    df = read_mipex_workbook(core_book)
    errors = df[df["note"].notna()]
    assert len(errors) == 2
    assert errors["score"].isna().all()
    assert errors["note"].str.contains("#DIV/0!").all()
    assert set(errors["indicator"]) == {"aa1", "ba21"}


def test_blank_cells_are_dropped(core_book):
    df = read_mipex_workbook(core_book)
    with_health = df[(df["strand"] == "overall_with_health") & (df["country"] == "EL")]
    assert list(with_health["year"]) == [2014, 2019]  # 2015 blank in the source
    assert 99.0 not in set(df["score"])  # the row without a year


def test_layout_shift_is_found_by_labels(tmp_path):
    rows = _sheet_rows([2019], overall={2019: (70.0, 60.0, 50.0)})
    book = write_workbook(tmp_path / "shifted.xlsx", {"SE": rows}, offset=(3, 2))
    df = read_mipex_workbook(book).set_index(["strand", "indicator"])
    assert df.loc[("overall_with_health", "overall"), "score"] == 70
    assert df.loc[("labour_market_mobility", "aa1"), "score"] == 50


def test_eu_style_codes_in_subindicator_row(tmp_path):
    rows = _sheet_rows([2020, 2021], eu_style=True)
    df = read_mipex_workbook(write_workbook(tmp_path / "eu.xlsx", {"DE": rows}))
    lmm = df[df["strand"] == "labour_market_mobility"]
    assert set(lmm["indicator"]) == {"strand_average", "aa1", "aa1a"}


def test_row_year_wins_over_a_wrong_indicator_year_cell(tmp_path):
    rows = _sheet_rows([2014, 2019])
    header = next(i for i, r in enumerate(rows) if r[:2] == ["Year", "Score"])
    rows[header + 1][3] = 2019  # aa1's own Year cell in the 2014 row is wrong
    df = read_mipex_workbook(write_workbook(tmp_path / "slip.xlsx", {"IL": rows}))
    aa1 = df[df["indicator"] == "aa1"]
    assert list(aa1["year"]) == [2014, 2019]
    assert "reads '2019'" in aa1.iloc[0]["note"]


def test_template_text_in_score_cell_is_a_note(tmp_path):
    rows = _sheet_rows([2014, 2015], lmm={2015: ["DON'T FILL THESE YEARS FOR HEALTH", 50, 50]})
    df = read_mipex_workbook(write_workbook(tmp_path / "t.xlsx", {"JO": rows}))
    row = df[(df["indicator"] == "strand_average") & (df["year"] == 2015)
             & (df["strand"] == "labour_market_mobility")].iloc[0]
    assert math.isnan(row["score"]) and "template text" in row["note"]


# ---------------------------------------------------------------------- error cases


def test_score_outside_range_raises(tmp_path):
    rows = _sheet_rows([2019], lmm={2019: [80.0, 140, 50]})
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    raises_naming(path, read_mipex_workbook, "140", "outside 0-100", "sheet 'SE'")


def test_non_numeric_score_raises(tmp_path):
    rows = _sheet_rows([2019], lmm={2019: [80.0, "yes", 50]})
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    raises_naming(path, read_mipex_workbook, "non-numeric score", "'yes'")


def test_text_in_year_column_raises(tmp_path):
    rows = _sheet_rows([2019])
    rows[2][0] = "twenty"
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    error = raises_naming(path, read_mipex_workbook, "'twenty' is not a year", "cell A3")
    assert error.row == 3


def test_unknown_country_sheet_raises(tmp_path):
    path = write_workbook(tmp_path / "bad.xlsx", {"XX": _sheet_rows([2019])})
    raises_naming(path, read_mipex_workbook, "sheet 'XX'", "unknown MIPEX country code")


def test_missing_strand_block_raises(tmp_path):
    rows = _sheet_rows([2019], skip_strand="health")
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    raises_naming(path, read_mipex_workbook, "missing strand", "health")


def test_missing_overall_block_raises(tmp_path):
    rows = _sheet_rows([2019])
    rows[0] = ["Scores"]
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    raises_naming(path, read_mipex_workbook, "no 'Overall Scores' block")


def test_missing_overall_variant_raises(tmp_path):
    rows = _sheet_rows([2019])
    rows[1][1] = "Something else"
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    raises_naming(path, read_mipex_workbook, "overall_with_health")


def test_unknown_strand_label_raises(tmp_path):
    rows = _sheet_rows([2019])
    strand_row = next(r for r in rows if r[:1] == ["Policy strand"])
    strand_row[1] = "Housing Strand"
    path = write_workbook(tmp_path / "bad.xlsx", {"SE": rows})
    raises_naming(path, read_mipex_workbook, "unknown policy strand", "housing")


def test_missing_empty_and_truncated_files_raise(tmp_path, core_book):
    bad_workbooks_raise(tmp_path, read_mipex_workbook, core_book, cut_at=2000)


# ------------------------------------------------------------ combining and strands


def test_scores_combine_editions(tmp_path):
    core = write_workbook(tmp_path / "core.xlsx", {"SE": _sheet_rows([2018, 2019, 2020])})
    eu = write_workbook(tmp_path / "eu.xlsx", {"SE": _sheet_rows([2020, 2021])})
    df = read_mipex_scores(core, eu)
    editions = df.groupby("year")["edition"].unique().map(list).to_dict()
    assert editions == {2018: ["core_2007_2019"], 2019: ["core_2007_2019"],
                        2020: ["eu_2020_2024"], 2021: ["eu_2020_2024"]}
    assert not df.duplicated(["country", "year", "strand", "indicator"]).any()


def test_strands_keep_overall_and_averages(core_book):
    strands = mipex_strands(read_mipex_workbook(core_book))
    assert list(strands.columns) == ["country", "year", "strand", "score"]
    assert len(strands[(strands["country"] == "EL") & (strands["year"] == 2014)]) == 11
    assert strands["score"].notna().all()


def test_strands_rejects_other_tables():
    with pytest.raises(ValueError, match="not a MIPEX table"):
        mipex_strands(pd.DataFrame({"country": ["SE"]}))


# --------------------------------------------------------------------------- CITRIX

CITRIX_HEADER = ("year,iso3,cntry,country_name,cntryID,CITRIX_v2,period,"
                 "var1_corrected_justification,MIPEX_ATN_2020\n")


def _citrix(tmp_path, rows):
    return write_text(tmp_path, CITRIX_HEADER + rows, "citrix.csv")


def test_citrix_tidy(tmp_path):
    path = _citrix(tmp_path, "2018,,gr,Greece,11,40.5,Post Refugee Crisis,,53.1\n"
                             "2019,GRC,gr,Greece,11,41,Post Refugee Crisis,note,53.1\n"
                             "2019,ARG,,Argentina,,,,,70\n")
    df = read_citrix_mipex(path)
    assert list(df.columns) == ["country", "country_name", "year", "variable", "value"]
    assert set(df["country"]) == {"EL", "AR"}  # iso3 blank in 2018: filled by name
    assert set(df["variable"]) == {"CITRIX_v2", "MIPEX_ATN_2020"}  # text columns not melted
    assert len(df) == 5  # empty values dropped


@pytest.mark.parametrize("rows, words", [
    ("2019,XXX,,Atlantis,,1,,,50\n", ["unknown country", "Atlantis"]),
    ("2019,GRC,,Greece,,high,,,50\n", ["non-numeric", "CITRIX_v2"]),
    ("2019,GRC,,Greece,,1,,,140\n", ["outside 0-100", "140"]),
    ("20x9,GRC,,Greece,,1,,,40\n", ["not a number", "year"]),
])
def test_citrix_errors(tmp_path, rows, words):
    raises_naming(_citrix(tmp_path, rows), read_citrix_mipex, *words)


def test_citrix_missing_column(tmp_path):
    path = write_text(tmp_path, "year,iso3,country_name\n2019,GRC,Greece\n", "citrix.csv")
    raises_naming(path, read_citrix_mipex, "MIPEX_ATN_2020", "missing required column")


# ----------------------------------------------------------------- real mirror files


@pytest.fixture(scope="module")
def real_core():
    return read_mipex_workbook(MIPEX / "mipex_core_2007-2019.xlsx")


@needs_mirror
def test_real_core_matches_published_headlines(real_core):
    strands = mipex_strands(real_core)
    headline = strands[(strands["year"] == 2019) & (strands["strand"] == "overall_with_health")]
    scores = headline.set_index("country")["score"].round(1)
    assert scores[["SE", "FI", "PT", "DE", "HU", "CA"]].tolist() == \
        [86.4, 84.6, 81.4, 58.3, 42.7, 79.6]


@needs_mirror
def test_real_core_shape(real_core):
    assert real_core["country"].nunique() == 56
    assert {"EL", "TR", "UK"} <= set(real_core["country"])
    assert real_core["year"].min() == 2007 and real_core["score"].dropna().between(0, 100).all()
    # Health is scored only in 2014 and 2019.
    health = real_core[(real_core["strand"] == "health") & real_core["score"].notna()]
    assert set(health.loc[health["country"] == "SE", "year"]) == {2014, 2019}


@needs_mirror
def test_real_combined_and_citrix_agree(real_core):
    both = read_mipex_scores(MIPEX / "mipex_core_2007-2019.xlsx", MIPEX / "mipex_EU_2020-2024.xlsx")
    eu = both[both["edition"] == "eu_2020_2024"]
    assert eu["country"].nunique() == 28 and eu["year"].between(2020, 2024).all()
    citrix = read_citrix_mipex(MIPEX / "citrix_mipex_ATN2020_vink2022.csv")
    atn = citrix[citrix["variable"] == "MIPEX_ATN_2020"]
    strands = mipex_strands(real_core)
    merged = atn.merge(strands[strands["strand"] == "access_to_nationality"],
                       on=["country", "year"])
    assert len(merged) == len(atn) == 541
    assert (merged["value"] - merged["score"]).abs().max() < 1e-9
