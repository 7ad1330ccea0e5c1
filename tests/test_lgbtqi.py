"""Chapter 4 (LGBTQI+ migrants): the FRA evidence record, ILGA criteria, FRA surveys, the chapter run."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from helpers import processed_table, run_chapter
from shapely.geometry import box

from inclusion_evidence.analysis import lgbtqi, synthesis_views
from inclusion_evidence.core import paths
from inclusion_evidence.ingest.synthesis import load_synthesis


def test_lgbtqi_evidence_record_is_the_fra_figure():
    s = load_synthesis("lgbtqi_networks")
    rec = synthesis_views.evidence_record(s, "fra2020lgbti")
    assert rec["value"] == 40 and rec["unit"] == "percent" and rec["transcribed"] is True
    with pytest.raises(ValueError):
        synthesis_views.evidence_record(s, "no_such_key")
    assert load_synthesis("culture_inclusion").evidence.empty


def _counts():
    return pd.DataFrame({
        "country": ["Austria", "Austria", "Ukraine", "Ukraine"], "geo": ["AT", "AT", "UA", "UA"],
        "category": ["asylum", "family", "asylum", "family"], "met": [3, 11, 0, 1], "regional_only": [0, 0, 0, 0],
        "total": [6, 11, 6, 11], "share": [0.5, 1.0, 0.0, 1 / 11], "weighted_share": [0.5, 1.0, 0.0, 1 / 11]})


def test_ilga_matrix_and_map():
    m = lgbtqi.ilga_matrix(_counts())
    assert list(m.index) == ["Austria", "Ukraine"] and list(m.columns) == ["Family", "Asylum"]
    assert m.loc["Austria", "Asylum"] == pytest.approx(50.0)
    assert list(lgbtqi.ilga_matrix(_counts(), ["UA"]).index) == ["Ukraine"]
    regions = gpd.GeoDataFrame({"nuts_id": ["AT", "CH"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=3035)
    gdf, outside, total = lgbtqi.ilga_category_map(_counts(), "asylum", regions)
    assert total == 6
    assert gdf.set_index("nuts_id").loc["AT", "met"] == 3 and np.isnan(gdf.set_index("nuts_id").loc["CH", "met"])
    assert outside["geo"].tolist() == ["UA"]
    with pytest.raises(ValueError):
        lgbtqi.ilga_category_map(_counts(), "nope", regions)


def test_processed_ilga_table_rows_follow_the_raw_files():
    """Row-position join at the processed-table level: every category file's row i is the
    Equality file's country i, and the legend lines are not countries."""
    ilga = processed_table("ilga_rainbow")
    from inclusion_evidence.ingest.readers.lgbti import ILGA_CATEGORIES

    folder = paths.RAW / "lgbti" / "ilga_rainbow_europe_tidyrainbow"
    if not folder.is_dir():
        pytest.skip("raw ILGA files not fetched")
    key = pd.read_csv(folder / "Equality&non_Discrimination.csv", dtype=str, keep_default_na=False)
    countries = [c for c in key["country"] if c.strip() and c.strip() != "NA"
                 and not c.lower().startswith(("symbols", "x -", "o -"))]
    assert ilga["country"].nunique() == len(countries) == 49
    assert ilga["category"].nunique() == 7
    assert not ilga["country"].str.lower().str.contains("symbol|national|regions only").any()
    for file, category in ILGA_CATEGORIES.items():
        raw = pd.read_csv(folder / file, dtype=str, keep_default_na=False).drop(columns=["country"], errors="ignore")
        raw = raw.iloc[:len(countries)].replace({"": "0", "NA": "0"}).astype(float)
        part = ilga[ilga["category"] == category]
        wide = part.pivot(index="country", columns="criterion", values="value").loc[countries, list(raw.columns)]
        assert np.array_equal(wide.to_numpy(), raw.to_numpy()), category
        # each country has the same number of criteria in a category
        assert part.groupby("country").size().nunique() == 1


def _fra2019():
    rows = []
    for geo, country in (("BE", "Belgium"), ("AT", "Austria"), ("EU28", "EU-28")):
        for group in ("Lesbian women", "Gay men"):
            for answer, pct in (("Always", 10.0), ("Often", 20.0), ("Rarely", 30.0), ("Never", 40.0)):
                value = np.nan if (geo == "AT" and group == "Lesbian women" and answer == "Often") else pct
                rows.append({"geo": geo, "country": country, "question_id": "T1Q1", "question": "Avoid holding hands",
                             "target_group": group, "breakdown": "residence", "subgroup": "City",
                             "answer": answer, "percentage": value})
    return pd.DataFrame(rows)


def test_fra2019_by_country():
    m = lgbtqi.fra2019_by_country(_fra2019(), "T1Q1")
    assert list(m.index) == ["Austria", "Belgium", "EU-28"]  # by name, aggregate last
    assert m.loc["Belgium", "Gay men"] == 30.0
    assert np.isnan(m.loc["Austria", "Lesbian women"])  # one answer missing -> no sum
    assert list(lgbtqi.fra2019_by_country(_fra2019(), "T1Q1", countries=["BE"]).index) == ["Belgium", "EU-28"]
    with pytest.raises(ValueError):
        lgbtqi.fra2019_by_country(_fra2019(), "T1Q4")


def test_fra2012_by_country():
    fra12 = pd.DataFrame({"geo": ["AT", "AT", "EU28", "CY"], "country": ["Austria", "Austria", "Average", "Cyprus"],
                          "subset": ["Gay", "Gay", "Gay", "Gay"], "question_code": "discrim1yr",
                          "question": "q", "answer": ["Yes", "No", "Yes", "Yes"],
                          "percentage": [39.0, 61.0, 36.0, np.nan], "note": [None, None, None, "NA: small sample"]})
    values, notes = lgbtqi.fra2012_by_country(fra12)
    assert list(values.index) == ["Austria", "Cyprus", "EU-28"]
    assert values.loc["Austria", "Gay"] == 39.0 and notes.loc["Cyprus", "Gay"] == "NA: small sample"
    assert notes.loc["Austria", "Gay"] == ""


@pytest.mark.slow
def test_chapter4_runs_with_other_parameters(tmp_path):
    chosen = ["BE", "NL", "DE", "ES", "PL"]
    _, glued = run_chapter(tmp_path, "action_4_lgbtqi",
                           {"countries": chosen, "category": "family", "survey_item": "T1Q2", "mipex_year": 2022})
    assert glued["ch4_category"] == "'Family'" and glued["ch4_fra_share"] == "40"
    figures = tmp_path / "figures" / "action_4_lgbtqi"
    assert (figures / "a4-ilga-map.png").exists()
    fra = pd.read_csv(figures / "a4-fra-2019.csv")
    assert set(fra["country"]) == {"Belgium", "Netherlands", "Germany", "Spain", "Poland", "EU-28"}
    heat = pd.read_csv(figures / "a4-ilga-heatmap.csv")
    assert heat.loc[heat["in_scope"], "country"].nunique() == len(chosen)
    assert heat["country"].nunique() > len(chosen)  # the other countries stay in the CSV as context


def test_ilga_scope_summary_counts_only_the_scope():
    counts = pd.concat([_counts(), pd.DataFrame({
        "country": ["Belgium", "Belgium"], "geo": ["BE", "BE"], "category": ["asylum", "family"], "met": [6, 2],
        "regional_only": [0, 0], "total": [6, 11], "share": [1.0, 2 / 11], "weighted_share": [1.0, 2 / 11]})])
    out = lgbtqi.ilga_scope_summary(counts, "asylum", ["AT", "BE", "DK"])
    assert (out["n"], out["total"], out["none"], out["all"], out["median"]) == (2, 6, 0, 1, 4.5)
    assert out["missing"] == ["DK"] and out["lowest_category"] == 1  # Austria: asylum 50% < family 100%
    everyone = lgbtqi.ilga_scope_summary(counts, "asylum", ["AT", "BE", "UA"])
    assert everyone["none"] == 1  # Ukraine counts only when it is in scope
    with pytest.raises(ValueError):
        lgbtqi.ilga_scope_summary(counts, "asylum", ["FR"])


def test_with_context_keeps_scope_and_no_data_apart():
    gdf = gpd.GeoDataFrame({"nuts_id": ["AT", "UA", "CH"], "met": [3.0, 0.0, np.nan]},
                           geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs=3035)
    out = lgbtqi.with_context(gdf, "met", ["AT"])
    assert out["met"].tolist()[:2] == [3.0, "context"] and pd.isna(out["met"].iloc[2])


def test_scope_rows_puts_the_scope_first_and_marks_context():
    m = pd.DataFrame({"Gay men": [1.0, 2.0, 3.0, 4.0]}, index=pd.Index(["Serbia", "EU-28", "Austria", "Czechia"],
                                                                        name="country"))
    out = lgbtqi.scope_rows(m, ["AT", "CZ"])
    assert list(out.index) == ["Austria", "Czechia", "EU-28", "Serbia (context)"]
    assert out.loc["Serbia (context)", "Gay men"] == 1.0 and out.index.name == "country"


def test_ilga_tables_use_eurostat_country_names():
    counts = _counts().assign(country=["Austria", "Austria", "Ukraine", "Ukraine"])
    counts.loc[counts["geo"] == "AT", ["geo", "country"]] = ["CZ", "Czech Republic"]
    m = lgbtqi.ilga_matrix(counts)
    assert "Czechia" in m.index and "Czech Republic" not in m.index
    regions = gpd.GeoDataFrame({"nuts_id": ["CZ"]}, geometry=[box(0, 0, 1, 1)], crs=3035)
    _, outside, _ = lgbtqi.ilga_category_map(counts, "asylum", regions)
    assert outside["country"].tolist() == ["Ukraine"]
