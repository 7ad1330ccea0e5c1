"""The introduction's "state of integration at a glance": member-state table, spread for headlines, display table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inclusion_evidence.analysis import intro as I


def _rows(indicator, higher, measure, values, eu=None, unit="pp"):
    """Rows in the shape of :func:`intro.member_state_table`: (country, geo, gap, value, flags, change)."""
    out = []
    for country, geo, gap, value, flags, change in values:
        out.append({"indicator": indicator, "name": indicator, "family": "x", "unit": "%", "age": "Y15-64",
                    "geo": geo, "country": country, "group": "FOR", "group_label": "Foreign citizens (EU and non-EU)",
                    "year": 2024, "value_group": value, "flag_group": flags, "value_nationals":
                    (None if measure == "level" else 70.0), "gap_vs_nationals": gap, "gap_unit": unit,
                    "base_year": 2014, "base_gap_vs_nationals": None if gap is None else gap - (change or 0),
                    "change_gap_pp": change, "low_reliability": "u" in flags, "higher_is_better": higher,
                    "measure": measure, "break_years": "", "reason": ""})
    return out


@pytest.fixture
def table():
    rows = _rows("employment_rate", True, "gap", [
        ("Bulgaria", "BG", -20.0, 50.0, "u", -11.0), ("Germany", "DE", -14.0, 66.0, "", -2.0),
        ("Malta", "MT", 9.0, 85.0, "", 3.0), ("Poland", "PL", 7.0, 79.0, "", None)])
    rows += _rows("unemployment_rate", False, "gap", [
        ("Croatia", "HR", 20.0, 25.0, "u", None), ("Sweden", "SE", 11.0, 16.0, "", -1.0),
        ("Czechia", "CZ", 1.2, 3.8, "", 0.5)])
    rows += _rows("low_attainment", False, "level", [
        ("Ireland", "IE", None, 7.0, "", None), ("Italy", "IT", None, 48.0, "u", None)])
    return pd.DataFrame(rows)


def test_gap_spread_headlines_reliable_values_and_counts_the_worse_side(table):
    emp = I.gap_spread(table, "employment_rate")
    assert emp["n"] == 4 and emp["n_worse"] == 2 and emp["n_low"] == 1
    assert (emp["worst"], emp["worst_value"]) == ("Germany", -14.0)     # Bulgaria's -20 is flagged u
    assert emp["worst_any"] == "Bulgaria" and emp["worst_any_low"]
    assert (emp["best"], emp["best_value"]) == ("Malta", 9.0)
    une = I.gap_spread(table, "unemployment_rate")
    assert une["n_worse"] == 3                                             # higher is worse for unemployment
    assert (une["worst"], une["worst_value"]) == ("Sweden", 11.0) and une["worst_any"] == "Croatia"
    assert (une["best"], une["best_value"]) == ("Czechia", 1.2)
    edu = I.gap_spread(table, "low_attainment")
    assert edu["n"] == 0 and math.isnan(edu["worst_value"])                # no nationals: no gap to headline


def test_glance_table_cells_say_gap_change_and_reliability(table):
    glance = I.glance_table(table)
    wide = glance.set_index("Country")
    emp = next(c for c in wide.columns if c.startswith("Employment"))
    assert emp == "Employment"
    assert "foreign citizens aged 15-64, gap to nationals in pp, 2024, change since 2014" in glance.attrs["notes"][0]
    assert wide.loc["Germany", emp] == "-14.0 (-2.0)"
    assert wide.loc["Bulgaria", emp] == "-20.0 (-11.0) u"
    assert wide.loc["Poland", emp] == "+7.0"
    assert wide.loc["Ireland", emp] == "–"
    edu = next(c for c in wide.columns if c.startswith("Low education"))
    assert "no values for nationals" in glance.attrs["notes"][2] and wide.loc["Italy", edu] == "48.0 u"


def test_member_state_table_marks_indicators_without_nationals_as_levels():
    from test_overview import small_tables

    from inclusion_evidence.analysis import overview as ov

    tables = small_tables()
    tables["edat_lfs_9911"] = tables["edat_lfs_9911"][tables["edat_lfs_9911"]["citizen"] != "NAT"]
    long = ov.core_indicators(tables, geos=["AT", "EU27_2020"])
    t = I.member_state_table(long)
    measure = t.drop_duplicates("indicator").set_index("indicator")["measure"]
    assert measure["employment_rate"] == "gap" and measure["low_attainment"] == "level"
    assert set(t["geo"]) == {"AT", "EU27_2020"} and t.groupby("indicator")["geo"].last().eq("EU27_2020").all()


def test_gap_strips_draws_one_panel_per_indicator(table):
    from inclusion_evidence.present.overview_figures import gap_strips

    fig = gap_strips(table, I.SHORT_NAMES)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert len(titles) == 3 and "worse above 0" in titles[1] and "no nationals" in titles[2]
    with pytest.raises(ValueError):
        gap_strips(table.iloc[0:0])


def test_glance_table_splits_gaps_and_changes_for_narrow_pages(table):
    gaps = I.glance_table(table, "gap").set_index("Country")
    assert gaps.loc["Germany", "Employment"] == "-14.0"
    assert gaps.loc["Bulgaria", "Employment"] == "-20.0 u"
    changes = I.glance_table(table, "change")
    assert "Low education" not in changes.columns  # no gap, no change
    assert changes.set_index("Country").loc["Germany", "Employment"] == "-2.0"
    assert "change of the gap to nationals from 2014 to 2024" in changes.attrs["notes"][0]
    with pytest.raises(ValueError, match="show"):
        I.glance_table(table, "level")
