"""Tests for the core integration indicators (analysis.overview).

The fixtures are small tables in the shapes of the processed Eurostat tables
(the tidy columns of ``steps/base.py``), written here; every expected number
is computed from the fixture.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from inclusion_evidence.analysis import overview as ov
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import EU27
from inclusion_evidence.core.tables import table_exists

# --------------------------------------------------------------------------- fixtures


def _frame(dims: dict, rows) -> pd.DataFrame:
    """Tidy Eurostat table: fixed ``dims`` codes, then (geo, citizen, time, value, flag[, overrides])."""
    records = []
    for row in rows:
        geo, citizen, time, value, flag, *extra = row
        rec = {**dims, "citizen": citizen, "geo": geo, "time": time, "value": value, "flag": flag}
        if extra:
            rec.update(extra[0])
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    frame["time"] = frame["time"].astype("int64")
    frame["value"] = frame["value"].astype(float)
    return frame


def lfs(rows, age="Y20-64"):
    """``lfsa_ergan`` / ``lfsa_urgan`` shape."""
    return _frame({"freq": "A", "unit": "PC", "sex": "T", "age": age}, rows)[
        ["freq", "unit", "sex", "age", "citizen", "geo", "time", "value", "flag"]]


def edat(rows):
    """``edat_lfs_9911`` shape; rows carry their isced11 code in the overrides dict."""
    return _frame({"freq": "A", "unit": "PC", "sex": "T", "isced11": "ED0-2", "age": "Y25-64"}, rows)[
        ["freq", "unit", "sex", "isced11", "citizen", "age", "geo", "time", "value", "flag"]]


def silc_income(rows, unit="EUR"):
    return _frame({"freq": "A", "unit": unit, "indic_il": "MED_E", "sex": "T", "age": "Y_GE18"}, rows)[
        ["freq", "unit", "indic_il", "citizen", "sex", "age", "geo", "time", "value", "flag"]]


def silc_health(rows):
    return _frame({"freq": "A", "sex": "T", "age": "Y_GE16", "lev_perc": "VG_G", "unit": "PC"}, rows)[
        ["freq", "sex", "age", "citizen", "lev_perc", "unit", "geo", "time", "value", "flag"]]


def series(geo, citizen, values: dict, flags: dict | None = None):
    flags = flags or {}
    return [(geo, citizen, y, v, flags.get(y, "")) for y, v in values.items()]


def small_tables(**override):
    """One value per indicator for AT and the EU-27 in 2014 and 2024 (tables as processed)."""
    tables = {
        "lfsa_ergan": lfs(series("AT", "NEU27_2020_FOR", {2014: 55.0, 2024: 60.0})
                          + series("AT", "NAT", {2014: 75.0, 2024: 78.0})
                          + series("EU27_2020", "NEU27_2020_FOR", {2014: 56.0, 2024: 62.0})
                          + series("EU27_2020", "NAT", {2014: 70.0, 2024: 76.0})),
        "lfsa_urgan": lfs(series("AT", "NEU27_2020_FOR", {2014: 15.0, 2024: 12.0})
                          + series("AT", "NAT", {2014: 5.0, 2024: 4.0})
                          + series("EU27_2020", "NEU27_2020_FOR", {2014: 18.0, 2024: 13.0})
                          + series("EU27_2020", "NAT", {2014: 9.0, 2024: 5.5})),
        "edat_lfs_9911": edat(series("AT", "NEU27_2020_FOR", {2014: 40.0, 2024: 35.0})
                              + series("AT", "NAT", {2014: 15.0, 2024: 12.0})
                              + [("AT", "NEU27_2020_FOR", 2024, 30.0, "", {"isced11": "ED5-8"}),
                                 ("AT", "NAT", 2024, 33.0, "", {"isced11": "ED5-8"})]),
        "ilc_di15": silc_income(series("AT", "NEU27_2020_FOR", {2015: 15000.0, 2024: 18000.0})
                                + series("AT", "NAT", {2015: 25000.0, 2024: 30000.0})
                                + series("EU27_2020", "NEU27_2020_FOR", {2015: 12000.0, 2023: 16000.0})
                                + series("EU27_2020", "NAT", {2015: 16000.0, 2023: 20000.0})),
        "hlth_silc_24": silc_health(series("AT", "NEU27_2020_FOR", {2015: 70.0, 2024: 72.0}, {2024: "u"})
                                    + series("AT", "NAT", {2015: 68.0, 2024: 69.0})
                                    + series("EU27_2020", "NEU27_2020_FOR", {2015: 72.5, 2023: 73.0})
                                    + series("EU27_2020", "NAT", {2015: 66.5, 2023: 67.5})),
    }
    tables.update(override)
    return tables


def summary_row(long, geo, key):
    s = ov.indicator_summary(long, geo)
    return s.set_index("indicator").loc[key]


# --------------------------------------------------------------------------- the long table


def test_long_table_has_every_indicator_family_and_names_the_groups():
    long = ov.core_indicators(small_tables(), geos=["AT", "EU27_2020"])
    assert list(long.columns) == ov.LONG_COLUMNS
    assert list(dict.fromkeys(long["indicator"])) == [i.key for i in ov.INDICATORS]
    assert set(long["family"]) == set(ov.FAMILIES)
    assert set(long["group"]) == {"NEU27_2020_FOR", "NAT"}
    labels = dict(zip(long["group"], long["group_label"]))
    assert labels == {"NEU27_2020_FOR": "Non-EU citizens", "NAT": "Nationals"}
    at = long[(long["indicator"] == "employment_rate") & (long["geo"] == "AT") & (long["group"] == "NAT")]
    assert at.set_index("year")["value"].to_dict() == {2014: 75.0, 2024: 78.0}
    tertiary = long[(long["indicator"] == "tertiary_attainment") & (long["geo"] == "AT")]
    assert tertiary.set_index("group").loc["NEU27_2020_FOR", "value"] == 30.0


def test_preferred_codes_are_chosen_from_what_the_table_holds():
    both_ages = pd.concat([
        lfs(series("AT", "NEU27_2020_FOR", {2024: 61.0}) + series("AT", "NAT", {2024: 79.0}), age="Y20-64"),
        lfs(series("AT", "NEU27_2020_FOR", {2024: 50.0}) + series("AT", "NAT", {2024: 70.0})
            + series("AT", "FOR", {2024: 52.0}), age="Y15-64"),
    ], ignore_index=True)
    long = ov.core_indicators(small_tables(lfsa_ergan=both_ages), geos=["AT"])
    emp = long[long["indicator"] == "employment_rate"]
    assert set(emp["age"]) == {"Y20-64"} and set(emp["group"]) == {"NEU27_2020_FOR", "NAT"}
    assert emp.set_index("group")["value"].to_dict() == {"NEU27_2020_FOR": 61.0, "NAT": 79.0}

    total_only_at_20_64 = pd.concat([
        lfs(series("AT", "TOTAL", {2024: 74.0}), age="Y20-64"),
        lfs(series("AT", "NEU27_2020_FOR", {2024: 50.0}) + series("AT", "NAT", {2024: 70.0}), age="Y15-64"),
    ], ignore_index=True)
    long = ov.core_indicators(small_tables(lfsa_ergan=total_only_at_20_64), geos=["AT"])
    row = summary_row(long, "AT", "employment_rate")
    assert row["age"] == "Y15-64" and row["gap_vs_nationals"] == pytest.approx(50.0 - 70.0)

    only_15_64_foreign = lfs(series("AT", "FOR", {2024: 52.0}) + series("AT", "NAT", {2024: 70.0}), age="Y15-64")
    long = ov.core_indicators(small_tables(lfsa_ergan=only_15_64_foreign), geos=["AT"])
    emp = long[long["indicator"] == "employment_rate"]
    assert set(emp["age"]) == {"Y15-64"}
    assert set(emp["group_label"]) == {"Foreign citizens (EU and non-EU)", "Nationals"}
    row = summary_row(long, "AT", "employment_rate")
    assert row["group"] == "FOR" and row["gap_vs_nationals"] == pytest.approx(52.0 - 70.0)


def test_income_prefers_pps_and_its_gap_is_a_percentage_of_nationals():
    eur = silc_income(series("AT", "NEU27_2020_FOR", {2024: 18000.0}) + series("AT", "NAT", {2024: 30000.0}))
    pps = silc_income(series("AT", "NEU27_2020_FOR", {2024: 16000.0}) + series("AT", "NAT", {2024: 25000.0}),
                      unit="PPS")
    long = ov.core_indicators(small_tables(ilc_di15=pd.concat([eur, pps], ignore_index=True)), geos=["AT"])
    row = summary_row(long, "AT", "median_income")
    assert row["unit"] == "PPS" and row["gap_unit"] == "%"
    assert row["gap_vs_nationals"] == pytest.approx((16000.0 / 25000.0 - 1) * 100)
    long = ov.core_indicators(small_tables(ilc_di15=eur), geos=["AT"])
    assert summary_row(long, "AT", "median_income")["unit"] == "EUR"


# --------------------------------------------------------------------------- flags and breaks


def test_flags_travel_with_the_values_and_mark_low_reliability():
    long = ov.core_indicators(small_tables(), geos=["AT", "EU27_2020"])
    cell = long[(long["indicator"] == "good_health") & (long["geo"] == "AT")
                & (long["group"] == "NEU27_2020_FOR") & (long["year"] == 2024)]
    assert cell["flag"].tolist() == ["u"]
    row = summary_row(long, "AT", "good_health")
    assert row["flag_group"] == "u" and row["flag_nationals"] == ""
    assert bool(row["low_reliability"]) and "u" in row["flags"]
    assert not bool(summary_row(long, "AT", "employment_rate")["low_reliability"])


def test_breaks_inside_the_window_are_marked_and_a_break_at_the_base_year_is_not():
    values = {2014: 50.0, 2017: 52.0, 2019: 55.0, 2024: 60.0}
    emp = lfs(series("AT", "NEU27_2020_FOR", values, {2014: "b", 2019: "bu"})
              + series("AT", "NAT", values, {2017: "b"}))
    long = ov.core_indicators(small_tables(lfsa_ergan=emp), geos=["AT"])
    row = summary_row(long, "AT", "employment_rate")
    assert row["base_year"] == 2014
    assert row["break_years"] == "2017, 2019" and bool(row["break_in_window"])
    # flags of the values used (2014 "b"), not of the years between
    assert row["flags"] == "b" and not bool(row["low_reliability"])


# --------------------------------------------------------------------------- ten-year change


def _emp_summary(values_group: dict, values_nat: dict | None = None, **kw):
    emp = lfs(series("AT", "NEU27_2020_FOR", values_group) + series("AT", "NAT", values_nat or values_group))
    long = ov.core_indicators(small_tables(lfsa_ergan=emp), geos=["AT"])
    return ov.indicator_summary(long, "AT", **kw).set_index("indicator").loc["employment_rate"]


def test_change_over_ten_years_uses_the_year_ten_years_back():
    row = _emp_summary({2012: 40.0, 2014: 50.0, 2020: 55.0, 2024: 62.0},
                       {2012: 60.0, 2014: 70.0, 2020: 72.0, 2024: 75.0})
    assert (row["year"], row["base_year"], row["span_years"]) == (2024, 2014, 10)
    assert row["change_group"] == pytest.approx(62.0 - 50.0)
    assert row["change_nationals"] == pytest.approx(75.0 - 70.0)
    assert row["change_gap_pp"] == pytest.approx((62.0 - 75.0) - (50.0 - 70.0))
    assert row["change_unit"] == "pp"


@pytest.mark.parametrize("years, base", [
    ((2013, 2016, 2024), 2013),        # 2014 missing: 2013 is nearer than 2016
    ((2012, 2016, 2024), 2012),        # equally near: the earlier year
    ((2017, 2020, 2024), 2017),        # series starts later: its first year, span 7
])
def test_ten_year_fallback_takes_the_nearest_available_year(years, base):
    row = _emp_summary({y: 50.0 + i for i, y in enumerate(years)})
    assert row["base_year"] == base and row["span_years"] == 2024 - base
    assert row["change_group"] == pytest.approx(len(years) - 1.0)
    assert row["reason"] == ""


def test_too_short_a_series_has_no_change_and_says_why():
    row = _emp_summary({2021: 50.0, 2024: 55.0})
    assert row["year"] == 2024 and pd.isna(row["base_year"]) and math.isnan(row["change_group"])
    assert "5 or more years before 2024" in row["reason"]


def test_latest_year_is_the_latest_with_both_groups():
    row = _emp_summary({2014: 50.0, 2023: 55.0, 2024: 57.0}, {2014: 70.0, 2023: 72.0})
    assert row["year"] == 2023 and row["value_group"] == 55.0 and row["value_nationals"] == 72.0
    row = _emp_summary({2014: 50.0, 2023: 55.0, 2024: 57.0}, {2014: 70.0, 2023: 72.0}, year=2020)
    assert row["year"] == 2014 and pd.isna(row["base_year"])


# --------------------------------------------------------------------------- missing data


def test_missing_countries_keep_a_row_with_a_reason():
    long = ov.core_indicators(small_tables())          # default geos: EU-27 members and EU27_2020
    assert set(long["geo"]) == set(EU27) | {"EU27_2020"}
    be = long[(long["indicator"] == "employment_rate") & (long["geo"] == "BE")]
    assert len(be) == 2 and be["value"].isna().all() and be["year"].isna().all()
    assert (be["reason"] == "BE is not in lfsa_ergan").all()

    table = ov.country_table(long, "employment_rate")
    assert len(table) == 28 and table["geo"].iloc[-1] == "EU27_2020" and pd.isna(table["rank"].iloc[-1])
    ranked = table[table["rank"].notna()]
    assert ranked["geo"].tolist() == ["AT"]
    be_row = table.set_index("geo").loc["BE"]
    assert pd.isna(be_row["rank"]) and math.isnan(be_row["value_group"])
    assert "BE is not in lfsa_ergan" in be_row["reason"]


def test_empty_values_and_a_missing_comparison_group_are_explained():
    emp = lfs(series("AT", "NEU27_2020_FOR", {2024: np.nan}, {2024: "c"}) + series("AT", "NAT", {2024: 78.0}))
    long = ov.core_indicators(small_tables(lfsa_ergan=emp), geos=["AT"])
    row = summary_row(long, "AT", "employment_rate")
    assert math.isnan(row["value_group"]) and "only empty values" in row["reason"] and "(flags c)" in row["reason"]

    only_foreign = edat(series("AT", "FOR", {2014: 40.0, 2024: 35.0}))
    long = ov.core_indicators(small_tables(edat_lfs_9911=only_foreign), geos=["AT"])
    row = summary_row(long, "AT", "low_attainment")
    assert row["value_group"] == 35.0 and row["group"] == "FOR" and math.isnan(row["value_nationals"])
    assert math.isnan(row["gap_vs_nationals"])
    assert row["reason"] == "edat_lfs_9911 holds no citizen NAT (nationals) to compare with (it has FOR)"
    assert row["change_group"] == pytest.approx(35.0 - 40.0)
    tertiary = summary_row(long, "AT", "tertiary_attainment")
    assert math.isnan(tertiary["value_group"]) and "no isced11 ED5-8" in tertiary["reason"]


def test_a_table_without_any_compared_group_says_which_groups_it_has():
    emp = lfs(series("AT", "NAT", {2024: 78.0}) + series("AT", "TOTAL", {2024: 74.0}))
    long = ov.core_indicators(small_tables(lfsa_ergan=emp), geos=["AT"])
    row = summary_row(long, "AT", "employment_rate")
    assert math.isnan(row["value_group"])
    assert "no citizen NEU27_2020_FOR or FOR" in row["reason"] and "NAT, TOTAL" in row["reason"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("table, column", [("lfsa_ergan", "citizen"), ("hlth_silc_24", "lev_perc"),
                                           ("ilc_di15", "flag"), ("edat_lfs_9911", "isced11")])
def test_a_missing_column_is_an_error_naming_the_table(table, column):
    tables = small_tables()
    tables[table] = tables[table].drop(columns=[column])
    with pytest.raises(DataError) as exc:
        ov.core_indicators(tables, geos=["AT"])
    assert exc.value.path == table and exc.value.column == column
    assert table in str(exc.value) and repr(column) in str(exc.value)


def test_a_renamed_column_and_a_non_numeric_value_are_errors_naming_the_table():
    tables = small_tables()
    tables["lfsa_urgan"] = tables["lfsa_urgan"].rename(columns={"geo": "GEO"})
    with pytest.raises(DataError, match=r"lfsa_urgan.*'geo'"):
        ov.core_indicators(tables, geos=["AT"])
    tables = small_tables()
    bad = tables["ilc_di15"].astype({"value": object})
    bad.loc[1, "value"] = "18 000"
    tables["ilc_di15"] = bad
    with pytest.raises(DataError) as exc:
        ov.core_indicators(tables, geos=["AT"])
    assert exc.value.path == "ilc_di15" and exc.value.column == "value" and exc.value.row == 1


def test_two_values_for_one_cell_is_an_error():
    emp = lfs(series("AT", "NEU27_2020_FOR", {2024: 60.0}) * 2 + series("AT", "NAT", {2024: 78.0}))
    with pytest.raises(DataError, match=r"lfsa_ergan.*two values for AT, citizen NEU27_2020_FOR, 2024"):
        ov.core_indicators(small_tables(lfsa_ergan=emp), geos=["AT"])


def test_summaries_reject_a_table_that_is_not_the_long_table():
    long = ov.core_indicators(small_tables(), geos=["AT"])
    with pytest.raises(DataError, match="lacks column"):
        ov.indicator_summary(long.drop(columns=["flag"]), "AT")
    with pytest.raises(DataError, match="no rows for geo 'BE'"):
        ov.indicator_summary(long, "BE")
    with pytest.raises(DataError, match="no indicator 'employment'"):
        ov.country_table(long, "employment")


# --------------------------------------------------------------------------- country table and headlines


def test_country_table_ranks_best_outcome_first_on_the_eu27_year():
    # unemployment: lower is better; SE has 2024 and 2023, the EU-27 only 2023
    une = lfs(series("AT", "NEU27_2020_FOR", {2013: 12.0, 2023: 9.0}) + series("AT", "NAT", {2013: 5.0, 2023: 4.0})
              + series("SE", "NEU27_2020_FOR", {2013: 20.0, 2023: 8.0, 2024: 25.0})
              + series("SE", "NAT", {2013: 7.0, 2023: 6.0, 2024: 6.5})
              + series("FR", "NEU27_2020_FOR", {2013: 18.0, 2023: 15.0})
              + series("FR", "NAT", {2013: 8.0, 2023: 7.0})
              + series("EU27_2020", "NEU27_2020_FOR", {2013: 17.0, 2023: 12.0})
              + series("EU27_2020", "NAT", {2013: 9.0, 2023: 6.0}))
    long = ov.core_indicators(small_tables(lfsa_urgan=une), geos=["AT", "SE", "FR", "EU27_2020"])
    table = ov.country_table(long, "unemployment_rate")
    assert table["geo"].tolist() == ["SE", "AT", "FR", "EU27_2020"]
    assert table["rank"].tolist()[:3] == [1, 2, 3] and (table["year"] == 2023).all()
    assert table["country"].tolist() == ["Sweden", "Austria", "France", "EU-27"]
    by_gap = ov.country_table(long, "unemployment_rate", by="gap_vs_nationals")
    assert by_gap["geo"].tolist()[:3] == ["SE", "AT", "FR"]       # gaps 2, 5, 8 pp
    own_latest = ov.country_table(long, "unemployment_rate", year=None).set_index("geo")
    assert own_latest.loc["SE", "year"] == 2024 and own_latest.loc["SE", "rank"] == 3


def test_headline_numbers_have_stable_keys_and_the_summary_values():
    long = ov.core_indicators(small_tables(), geos=["AT", "EU27_2020"])
    heads = ov.headline_numbers(long)
    s = ov.indicator_summary(long, "EU27_2020").set_index("indicator")
    assert heads["eu27_employment_rate_year"] == 2024
    assert heads["eu27_employment_rate_group"] == s.loc["employment_rate", "value_group"] == 62.0
    assert heads["eu27_employment_rate_gap"] == pytest.approx(62.0 - 76.0)
    assert heads["eu27_employment_rate_group_label"] == "Non-EU citizens"
    assert heads["eu27_employment_rate_age"] == "20-64"
    assert heads["eu27_median_income_gap_unit"] == "%" and heads["eu27_median_income_year"] == 2023
    assert heads["eu27_median_income_base_year"] == 2015
    # the EU-27 has no attainment rows in the fixture: same keys, NaN values and a reason
    assert math.isnan(heads["eu27_low_attainment_group"])
    assert heads["eu27_low_attainment_missing"] == "EU27_2020 is not in edat_lfs_9911"
    no_eu = small_tables(lfsa_ergan=lfs(series("AT", "NEU27_2020_FOR", {2024: 60.0})
                                        + series("AT", "NAT", {2024: 78.0})))
    assert set(ov.headline_numbers(ov.core_indicators(no_eu, geos=["AT", "EU27_2020"]))) == set(heads)
    assert all(isinstance(v, (int, float, str, bool)) for v in heads.values())


# --------------------------------------------------------------------------- the processed tables


@pytest.mark.skipif(not all(table_exists(t) for t in ov.TABLES), reason="processed tables not built")
def test_processed_tables_give_a_row_or_a_reason_for_every_indicator_geo_and_group():
    long = ov.core_indicators()
    cells = long.groupby(["indicator", "geo"])["group"].nunique()
    assert len(cells) == len(ov.INDICATORS) * len(ov.DEFAULT_GEOS) and (cells == 2).all()
    assert (long["value"].notna() | (long["reason"] != "")).all()
    summary = ov.indicator_summary(long, "EU27_2020")
    assert summary["indicator"].tolist() == [i.key for i in ov.INDICATORS]
    assert (summary["value_group"].notna() | (summary["reason"] != "")).all()


def test_beside_eu27_puts_the_eu27_value_of_the_same_year_beside_the_country():
    long = ov.core_indicators(small_tables(), geos=["AT", "EU27_2020"])
    profile = ov.beside_eu27(long, "AT").set_index("indicator")
    emp = profile.loc["employment_rate"]
    assert (emp["year"], emp["eu27_year"]) == (2024, 2024)
    assert emp["eu27_value_group"] == 62.0 and emp["eu27_gap_vs_nationals"] == pytest.approx(62.0 - 76.0)
    health = profile.loc["good_health"]                  # AT 2024, the EU-27 only up to 2023
    assert (health["year"], health["eu27_year"]) == (2024, 2023) and health["eu27_value_group"] == 73.0
    attainment = profile.loc["low_attainment"]           # no EU-27 rows in edat_lfs_9911
    assert math.isnan(attainment["eu27_value_group"])
    assert attainment["eu27_reason"] == "EU27_2020 is not in edat_lfs_9911"
    alone = ov.beside_eu27(ov.core_indicators(small_tables(), geos=["AT"]), "AT")
    assert alone["eu27_value_group"].isna().all() and alone["eu27_reason"].str.contains("no EU27_2020").all()
