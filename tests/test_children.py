"""Chapter 7 (children in migration): the gaps synthesis, asylum rates, Sweden, release 80/2017, migr_asyunaa, the chapter run."""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from helpers import run_chapter, write_text
from shapely.geometry import box

from inclusion_evidence.analysis import children, funding
from inclusion_evidence.core.paths import BOOK
from inclusion_evidence.ingest.readers.eurostat import read_eurostat
from inclusion_evidence.ingest.synthesis import load_synthesis


@pytest.fixture(scope="module")
def gaps():
    return load_synthesis("child_protection_gaps")


def _bib_keys():
    return set(re.findall(r"^@\w+\{([^,]+),", (BOOK / "references.bib").read_text(encoding="utf-8"), re.M))


def test_child_protection_gaps_schema_and_missing_children(gaps):
    assert gaps.action == 7
    assert not gaps.has_layers
    ev = gaps.evidence
    assert len(ev) == 1
    row = ev.iloc[0]
    assert row["value"] == 30000 and row["year"] == "2014-2017"
    keys = row["bibkey"] if isinstance(row["bibkey"], list) else [row["bibkey"]]
    assert keys == ["emn2018unaccompanied"]
    assert set(keys) <= _bib_keys()


def test_scope_matrix_codes_specific_and_general(gaps):
    m = funding.scope_matrix(gaps, labels=False)
    assert m.shape == (len(gaps.rows), len(gaps.columns))
    assert set(np.unique(m.to_numpy())) <= {0, 1, 2}
    assert (m.loc["frontline_training"] == 2).all()
    assert m.loc["guardianship", "guardians"] == 2
    assert m.loc["guardianship", "social_workers"] == 1
    specific = gaps.cells[gaps.cells["scope"] == "specific"]
    assert int((m == 2).to_numpy().sum()) == len(specific)


@pytest.fixture
def asylum():
    rows = []
    for geo in ("DE", "SE", "CH"):
        for t in (2009, 2015, 2016):
            rows.append({"freq": "A", "citizen": "TOTAL", "sex": "T", "unit": "PER", "age": "TOTAL",
                         "asyl_app": "ASY_APP", "geo": geo, "time": t, "value": 1000.0 * (t - 2008), "flag": ""})
    rows.append({**rows[0], "citizen": "UA", "value": 5.0})
    return pd.DataFrame(rows)


@pytest.fixture
def population():
    rows = [("DE", 2015, 80e6), ("DE", 2016, 0), ("SE", 2015, 10e6), ("SE", 2016, 10e6), ("CH", 2015, 8e6)]
    return pd.DataFrame(rows, columns=["geo", "year", "population"]).assign(iso3="x", country="x")


def test_asylum_rates_per_100k_and_missing_denominators(asylum, population):
    r = children.asylum_rates(asylum, population, start=2009, end=2016).set_index(["geo", "time"])
    assert r.loc[("SE", 2015), "per_100k"] == pytest.approx(7000 / 10e6 * 1e5)
    assert math.isnan(r.loc[("DE", 2016), "per_100k"])  # zero population: missing, not infinite
    assert math.isnan(r.loc[("DE", 2009), "per_100k"])  # no population that year
    ua = children.asylum_rates(asylum, population, citizen="UA", start=2009, end=2009)
    assert ua["applicants"].tolist() == [5.0]
    sel = children.asylum_rates(asylum, population, start=2015, end=2015, countries=["SE"])
    assert sel["geo"].tolist() == ["SE"]
    with pytest.raises(ValueError, match="no asylum applicants"):
        children.asylum_rates(asylum, population, citizen="SY")


def test_eu_trend_rate_only_when_every_country_has_population(asylum, population):
    r = children.asylum_rates(asylum, population, start=2009, end=2016)
    eu = children.eu_applicants_trend(r).set_index("time")
    assert eu.loc[2015, "applicants"] == 14000  # DE + SE; CH is not EU
    assert eu.loc[2015, "per_100k"] == pytest.approx(14000 / 90e6 * 1e5)
    assert math.isnan(eu.loc[2016, "per_100k"])  # DE 2016 has no usable population
    assert children.latest_rate_year(r) == 2016  # SE has a 2016 rate


def test_sweden_annual_and_long():
    months = pd.date_range("2015-01-01", "2016-02-01", freq="MS")
    df = pd.DataFrame({"month": months, "total": pd.array([100] * len(months), dtype="Int64"),
                       "minors": pd.array([40] * len(months), dtype="Int64"),
                       "unacc_minors": pd.array([20] * len(months), dtype="Int64")})
    a = children.sweden_annual(df).set_index("year")
    assert a.loc[2015, "months"] == 12 and a.loc[2016, "months"] == 2
    assert a.loc[2015, "share_unacc"] == pytest.approx(20.0)
    long = children.sweden_long(df, start=2016)
    assert len(long) == 3 * 2 and set(long["series"]) == {"All applicants", "Minors (incl. unaccompanied)",
                                                          "Unaccompanied minors"}


def test_news_release_helpers():
    uam = pd.DataFrame({"country": ["EU-28", "Germany", "Czechia"], "geo": ["EU28", "DE", "CZ"],
                        "uam_2015": pd.array([100, 60, 15], dtype="Int64"),
                        "uam_2016": pd.array([80, 70, None], dtype="Int64")})
    long = children.uam_release_long(uam)
    assert set(long["geo"]) == {"DE", "CZ"} and long["uam"].isna().sum() == 1
    top = pd.DataFrame({"geo": ["EU28", "DE", "DE", "AT"], "country": "x", "uam_2016": 1,
                        "rank": [1, 1, 2, 1], "citizenship": ["Afghanistan", "Syria", "Afghanistan", "Afghanistan"],
                        "number": pd.array([10, 5, 4, 3], dtype="Int64"), "share": 1.0, "flag": ""})
    assert children.uam_eu_citizenships(top)["citizenship"].tolist() == ["Afghanistan"]
    counts = children.uam_citizenship_counts(top)
    assert counts.iloc[0]["citizenship"] == "Afghanistan" and counts.iloc[0]["states"] == 2


UNAA_HEADER = "DATAFLOW,LAST UPDATE,freq,unit,citizen,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"


def _unaa_fixture(tmp_path):
    lines = []
    data = {("DE", 2015): 22255, ("DE", 2016): 35935, ("SE", 2015): 35250, ("SE", 2016): 2190,
            ("NO", 2016): 270}
    for (geo, year), v in data.items():
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,TOTAL,T,TOTAL,{geo},{year},{v},")
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,AF,T,TOTAL,{geo},{year},{v // 2},")
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,SY,T,TOTAL,{geo},{year},{v // 4},")
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,TOTAL,M,TOTAL,{geo},{year},{v - v // 10},")
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,TOTAL,F,TOTAL,{geo},{year},{v // 10},")
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,TOTAL,T,Y_LT14,{geo},{year},{v // 10},")
        lines.append(f"ESTAT:MIGR_ASYUNAA(1.0),01/01/25 23:00:00,A,PER,TOTAL,T,Y16-17,{geo},{year},{v - v // 10},u")
    return write_text(tmp_path, UNAA_HEADER + "\n".join(lines) + "\n", "migr_asyunaa.csv")


def test_migr_asyunaa_present_case_renders(tmp_path):
    from inclusion_evidence.present.figures import show_figure

    unaa = read_eurostat(_unaa_fixture(tmp_path))
    s = children.uam_eurostat_summary(unaa, start=2015, end=2016, countries=["SE"])
    eu = s["eu_trend"].set_index("time")["value"]
    assert eu[2015] == 22255 + 35250 and eu[2016] == 35935 + 2190  # EU-27 states only (not NO)
    assert s["by_state_selected"]["geo"].unique().tolist() == ["SE"]
    assert s["citizenships"]["citizen"].tolist() == ["AF", "SY"]
    assert s["age"]["share"].sum() == pytest.approx(100) and s["sex"]["share"].sum() == pytest.approx(100)
    regions = gpd.GeoDataFrame({"nuts_id": ["DE", "SE", "NO", "FR"], "level": 0, "country": ["DE", "SE", "NO", "FR"],
                                "name": "x", "nuts_version": "2021",
                                "geometry": [box(4.0e6 + i * 2e5, 3.0e6, 4.1e6 + i * 2e5, 3.1e6) for i in range(4)]},
                               crs=3035)
    from inclusion_evidence.present.unaccompanied_minors import uam_eurostat_figures

    specs = uam_eurostat_figures(s, regions, start=2015, end=2016)
    assert [x["name"] for x in specs] == ["uam-eurostat-map", "uam-eurostat-trend", "uam-eurostat-citizenships",
                                          "uam-eurostat-age-sex"]
    # Source lines from the catalogue entries, the map's boundaries too.
    assert specs[0]["source"].startswith("Eurostat, migr_asyunaa") and "NUTS 2021" in specs[0]["source"]
    assert all(spec["source"].endswith("2015-2016") for spec in specs[1:])
    for spec in specs:
        show_figure(spec.pop("fig"), spec.pop("name"), directory=tmp_path / "figs", **spec)
    assert (tmp_path / "figs" / "uam-eurostat-map.png").exists()
    assert len(list((tmp_path / "figs").glob("*.csv"))) == 4


def test_migr_asyunaa_window_without_rows_is_an_error(tmp_path):
    unaa = read_eurostat(_unaa_fixture(tmp_path))
    with pytest.raises(ValueError, match="2020-2021"):
        children.uam_eurostat_summary(unaa, start=2020, end=2021)


def test_minors_from_age_table_fixture(tmp_path):
    header = "DATAFLOW,LAST UPDATE,freq,unit,citizen,sex,age,asyl_app,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    rows = ["ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y_LT14,ASY_APP,AT,2015,20000,",
            "ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y14-17,ASY_APP,AT,2015,15000,",
            "ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y_LT14,ASY_APP,AT,2016,9000,",
            "ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y14-17,ASY_APP,AT,2016,4000,"]
    table = read_eurostat(write_text(tmp_path, header + "\n".join(rows) + "\n"))
    out = children.minors_from_age_table(table, start=2015, end=2016).set_index("time")["minors"]
    assert out[2015] == 35000 and out[2016] == 13000
    with_lt18 = pd.concat([table, table.iloc[[0]].assign(age="Y_LT18", value=1.0)])
    assert children.minors_from_age_table(with_lt18, start=2015, end=2015)["minors"].tolist() == [1.0]


@pytest.mark.slow
def test_chapter_7_runs_with_other_parameters(tmp_path):
    nb, glued = run_chapter(tmp_path, "action_7_children",
                            {"year_start": 2014, "year_end": 2020, "countries": ["BE", "NL", "CH"], "citizenship": "UA"})
    assert glued["ch7_year_start"] == "2014" and glued["ch7_year_end"] == "2020"
    assert glued["ch7_map_year"] == "2020"
    figs = tmp_path / "figures" / "action_7_children"
    # one exhibit for the fact in the book, with the label chapter 2 cross-references
    assert (figs / "asylum" / "applicants-per-100k.png").exists()
    trend = pd.read_csv(figs / "asylum-rate-trend.csv")
    assert set(trend["geo"]) == {"BE", "NL", "CH"}
    assert (trend.loc[trend["geo"] == "CH", "series"].str.endswith("(context)")).all()
    text = "\n".join(o["data"]["text/markdown"] if isinstance(o["data"]["text/markdown"], str)
                     else "".join(o["data"]["text/markdown"])
                     for c in nb["cells"] for o in c.get("outputs", []) if "text/markdown" in o.get("data", {}))
    assert ":name: fig-asylum-applicants-per-100k" in text
    # children-specific evidence leads; the all-ages exhibits are context, said so in every title
    figures_in_order = [line.split("-", 1)[1] for line in text.splitlines() if line.startswith(":name: fig-")]
    assert figures_in_order.index("action_7_children-uam-2015-2016") < figures_in_order.index("asylum-applicants-per-100k")
    for title in (line for line in text.splitlines() if line.startswith("**") and "asylum applicants" in line.lower()
                  and "unaccompanied" not in line.lower()):
        assert "all ages" in title, title
    assert text.index("Key findings") < text.index("Action 7 at a glance") < text.index("About this page")


# --------------------------------------------------------------------------- issue 14: scope, all ages apart

def test_eu_trend_sums_only_the_scope(asylum, population):
    rates = children.asylum_rates(asylum, population)
    eu = children.eu_applicants_trend(rates).set_index("time")
    wider = children.eu_applicants_trend(rates, scope="EU27+EFTA+UK").set_index("time")
    in_eu = rates[rates["geo"].isin(children.EU27)].groupby("time")["applicants"].sum()
    assert (eu["applicants"] == in_eu).all()
    assert (wider["applicants"] >= eu["applicants"]).all()


def test_uam_scope_totals_drop_the_uk_and_say_who_is_missing():
    uam = pd.DataFrame({"geo": ["EU28", "DE", "UK", "EE"], "country": "x",
                        "uam_2015": pd.array([100, 60, 30, None], dtype="Int64"),
                        "uam_2016": pd.array([50, 40, 5, None], dtype="Int64")})
    t = children.uam_scope_totals(uam).set_index("year")
    assert t.loc[2015, "uam"] == 60 and t.loc[2016, "uam"] == 40     # not the release's EU-28 total
    assert t.loc[2016, "n_reporting"] == 1 and t.loc[2016, "missing"] == "Estonia"
    panels = children.uam_release_panels(uam).set_index("geo")
    assert panels.loc["DE", "panel"] == "EU-27 Member States"
    assert panels.loc["UK", "panel"] == "Other countries (context)"
    assert "EE" not in panels.index


def test_gaps_named_in_plan_quotes_each_gap(gaps):
    t = children.gaps_named_in_plan(gaps)
    assert len(t) == len(gaps.rows)
    assert t["quote"].str.startswith("“").all()
    by_gap = t.set_index("gap")["professionals"]
    assert by_gap.str.contains("stated").sum() == 2                 # training and guardianship only
    assert children.professionals_named(gaps)["quote"].count("“") == 1
