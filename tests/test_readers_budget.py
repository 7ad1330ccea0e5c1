"""Tests for the EU budget (spending and revenue) reader."""

from __future__ import annotations

import pytest
from helpers import bad_workbooks_raise, raises_naming, write_workbook

from inclusion_evidence.core.paths import ROOT
from inclusion_evidence.ingest.readers.eu_budget import MIGRATION_LINES, BudgetLine, read_eu_budget_payments

SHARED = ROOT.parent / "shared" / "data"
BUDGET = SHARED / "funding" / "eu_budget_spending_and_revenue_2000-2023.xlsx"
needs_mirror = pytest.mark.skipif(not BUDGET.is_file(), reason="data mirror not present")

# A header needs 10+ Member State codes to count as one, as in the real sheets.
STATES_2014 = ["BE", "BG", "CZ", "DK", "DE", "EE", "IE", "GR", "ES", "FR", "IT", "UK"]  # GR, not EL
STATES_2021 = ["BE", "BG", "CZ", "DK", "DE", "EE", "IE", "EL", "ES", "FR", "IT", "LU*"]
AMIF_2014 = [1.0, 0.5, 0.25, 2.0, 30.0, 0.0, 1.5, 2.0, 10.0, 12.0, 20.0, 4.0]
LINES = (
    BudgetLine("3.0.1", ("asylum", "migration", "integration"), 2014, 2014, "AMIF"),
    BudgetLine("4.0.11", ("asylum", "migration", "integration"), 2021, None, "AMIF"),
)


def _sheet_2014(amif=AMIF_2014, aggregate=None, label="Asylum, Migration and Integration Fund"):
    """2014-2020 layout: header on row 3, codes in column B, labels in C."""
    agg = sum(amif) if aggregate is None else aggregate
    n = len(STATES_2014)
    return [
        [],
        [],
        [None, "2014 (EUR million)", None, "Total", "earmarked", "EU-28", *STATES_2014],
        [],
        [None, "3", "SECURITY AND CITIZENSHIP", 60.0, 0, 60.0, *[5.0] * n],
        [None, "3.0.1", label, agg + 5, 0, agg, *amif],
        [None, "3.0.2", "Internal Security Fund", 12.0, 0, 12.0, *[1.0] * n],
    ]


def _sheet_2021():
    """2021+ layout: header on row 5, codes in column A, a second header below."""
    n = len(STATES_2021)
    return [
        [],
        ["note"],
        [],
        [],
        ["2021\n (EUR million)", None, "Total", "earmarked ", "Other", "EU-27", *STATES_2021],
        [None, None, None, "total\nearmarked"],
        ["3.1.1", "Cluster 08 - Agriculture and Maritime Policy", n, 0, 0, n, *[1] * n],
        ["4.0.1", "Cluster 10 - Migration", 2 * n, 0, 0, 2 * n, *[2] * n],
        ["  4.0.11", "Asylum, Migration and Integration Fund ", 2 * n + 3, 0, 0, 2 * n + 2,
         *[2] * (n - 1), 4],
        [],
        [None, "REVENUE\n (in EUR million)", None, None, None, "EU-27", *STATES_2021],
        ["4.0.11", "Something else", 1, 0, 0, 1, 1, *[0] * (n - 1)],
    ]


@pytest.fixture
def book(tmp_path):
    return write_workbook(tmp_path / "budget.xlsx", {"2014": _sheet_2014(), "2021": _sheet_2021()})


def test_reads_lines_across_drifting_layouts(book):
    df = read_eu_budget_payments(book, lines=LINES)
    assert list(df.columns) == ["year", "programme", "line_code", "line_label", "member_state",
                                "eur_million"]
    assert len(df) == 24
    values = df.set_index(["year", "member_state"])["eur_million"]
    assert values[(2014, "EL")] == 2.0  # GR normalised to EL
    assert values[(2014, "UK")] == 4.0
    assert values[(2021, "LU")] == 4.0  # footnote mark stripped
    assert values[(2021, "EL")] == 2.0
    # The 2021 line comes from the expenditure table, not the revenue table below.
    assert set(df.loc[df["year"] == 2021, "line_label"]) == {"Asylum, Migration and Integration Fund"}
    assert set(df["programme"]) == {"AMIF"}


def test_default_lines_need_every_year_sheet(book):
    raises_naming(book, read_eu_budget_payments, "no sheet for year(s) 2007", "3.1.1")


def test_code_reused_with_other_label_raises(book):
    line = BudgetLine("3.1.1", ("solidarity", "migration"), 2021, 2021, "SOLID")
    error = raises_naming(book, lambda p: read_eu_budget_payments(p, lines=[line]),
                          "sheet '2021'", "3.1.1", "Agriculture")
    assert error.row == 7


def test_missing_line_raises_naming_sheet(tmp_path):
    rows = _sheet_2014()
    del rows[5]
    path = write_workbook(tmp_path / "b.xlsx", {"2014": rows})
    raises_naming(path, lambda p: read_eu_budget_payments(p, lines=LINES[:1]),
                  "sheet '2014'", "budget line 3.0.1 not found")


def test_aggregate_mismatch_raises(tmp_path):
    path = write_workbook(tmp_path / "b.xlsx", {"2014": _sheet_2014(aggregate=99.0)})
    raises_naming(path, lambda p: read_eu_budget_payments(p, lines=LINES[:1]),
                  "sum to 83.250", "99.000")


def test_non_numeric_amount_raises(tmp_path):
    amif = AMIF_2014[:7] + ["n/a"] + AMIF_2014[8:]
    path = write_workbook(tmp_path / "b.xlsx", {"2014": _sheet_2014(amif=amif, aggregate=81.25)})
    error = raises_naming(path, lambda p: read_eu_budget_payments(p, lines=LINES[:1]),
                          "non-numeric amount", "'n/a'")
    assert error.column == "EL"


def test_unknown_country_code_in_header_raises(tmp_path):
    rows = _sheet_2014()
    rows[2][-1] = "XX"
    path = write_workbook(tmp_path / "b.xlsx", {"2014": rows})
    raises_naming(path, lambda p: read_eu_budget_payments(p, lines=LINES[:1]),
                  "unknown country code 'XX'")


def test_sheet_without_header_raises(tmp_path):
    path = write_workbook(tmp_path / "b.xlsx", {"2014": [["nothing here"]]})
    raises_naming(path, lambda p: read_eu_budget_payments(p, lines=LINES[:1]),
                  "no header row with Member State codes")


def test_missing_empty_and_truncated_files_raise(tmp_path, book):
    bad_workbooks_raise(tmp_path, read_eu_budget_payments, book, cut_at=1500)


def test_default_lines_cover_three_frameworks():
    assert [(x.code, x.first_year, x.programme) for x in MIGRATION_LINES] == [
        ("3.1.1", 2007, "SOLID"), ("3.0.1", 2014, "AMIF"), ("4.0.11", 2021, "AMIF")]


# ----------------------------------------------------------------- real mirror file


@pytest.fixture(scope="module")
def real():
    return read_eu_budget_payments(BUDGET)


@needs_mirror
def test_real_rows_per_programme(real):
    counts = real.groupby(["programme", "line_code"]).size().to_dict()
    assert counts == {("SOLID", "3.1.1"): 7 * 28, ("AMIF", "3.0.1"): 7 * 28,
                      ("AMIF", "4.0.11"): 4 * 27}
    assert real["year"].min() == 2007 and real["year"].max() == 2024
    assert "GR" not in set(real["member_state"]) and "EL" in set(real["member_state"])
    assert "UK" not in set(real.loc[real["year"] >= 2021, "member_state"])


@needs_mirror
def test_real_values(real):
    values = real.set_index(["year", "member_state"])["eur_million"]
    assert values[(2016, "EL")] == pytest.approx(143.780592, abs=1e-6)
    assert values[(2022, "DE")] == pytest.approx(218.160116, abs=1e-6)
    totals = real.groupby("year")["eur_million"].sum()
    assert totals[2016] == pytest.approx(925.597, abs=1e-3)
    assert totals[2024] == pytest.approx(1291.291, abs=1e-3)
