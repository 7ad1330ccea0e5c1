"""Tests for chapters 3 (art and culture) and 4 (LGBTQI+ migrants): analysis functions,
synthesis files, the processed ILGA table, and one non-default run per chapter."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from inclusion_evidence.analysis import culture_lgbtqi as cl
from inclusion_evidence.core import paths
from inclusion_evidence.ingest.facts import bib_keys
from inclusion_evidence.ingest.synthesis import bibkeys, load_synthesis, synthesis_matrix

CHAPTER_SOURCES = paths.CHAPTER_SOURCES


def _table(name):
    from inclusion_evidence.orchestration.process import read_table

    path = paths.PROCESSED / f"{name}.parquet"
    if not path.exists():
        pytest.skip(f"processed table {name} not built")
    return read_table(name)


# --------------------------------------------------------------------------- synthesis files


@pytest.mark.parametrize("name, action, n_rows, n_cols", [("culture_inclusion", 3, 10, 12),
                                                          ("lgbtqi_networks", 4, 7, 13)])
def test_synthesis_files_load_and_cite_known_keys(name, action, n_rows, n_cols):
    s = load_synthesis(name)
    assert s.id == name and s.action == action
    assert (len(s.rows), len(s.columns)) == (n_rows, n_cols)
    assert set(s.cells["scope"]) <= {"general", "specific"}
    known = bib_keys()
    cited = {k for frame in (s.cells, s.evidence) for _, row in frame.iterrows() for k in bibkeys(row)}
    assert cited <= known
    matrix = synthesis_matrix(s)
    assert int(matrix.to_numpy().sum()) == len(s.cells)


def test_lgbtqi_evidence_record_is_the_fra_figure():
    s = load_synthesis("lgbtqi_networks")
    rec = cl.evidence_record(s, "fra2020lgbti")
    assert rec["value"] == 40 and rec["unit"] == "percent" and rec["transcribed"] is True
    with pytest.raises(ValueError):
        cl.evidence_record(s, "no_such_key")
    assert load_synthesis("culture_inclusion").evidence.empty


# --------------------------------------------------------------------------- population


def _demo(group_dim="c_birth"):
    rows = []
    for geo, nat_f, for_f in (("AT", 50.6, 51.0), ("BG", 52.1, 48.7)):
        for grp, f in (("NAT", nat_f), ("FOR", for_f)):
            for sex, v in (("T", 100.0), ("F", f), ("M", round(100 - f, 1))):
                rows.append({"freq": "A", group_dim: grp, "age": "TOTAL", "unit": "PC", "sex": sex, "geo": geo,
                             "time": 2024, "value": v, "flag": "p" if geo == "BG" else ""})
    return pd.DataFrame(rows)


def test_within_group_totals_show_the_extract_is_within_group():
    out = cl.within_group_totals(_demo(), "c_birth")
    assert set(out["group"]) == {"NAT", "FOR"}
    assert (out["min"] == 100).all() and (out["max"] == 100).all() and (out["rows"] == 2).all()


def test_sex_composition():
    out = cl.sex_composition(_demo(), "c_birth", 2024)
    assert list(out["geo"]) == ["AT", "BG"] and list(out["country"]) == ["Austria", "Bulgaria"]
    assert out.loc[1, "FOR"] == 48.7 and out.loc[1, "NAT"] == 52.1 and out.loc[1, "flag_FOR"] == "p"
    with pytest.raises(ValueError):
        cl.sex_composition(_demo(), "c_birth", 2010)


def test_foreign_population_shares():
    born = pd.DataFrame({"c_birth": "FOR", "geo": ["AT", "EU27_2020"], "time": 2022,
                         "value": [2_000_000.0, 5.0e7], "flag": ["", "e"]})
    cit = pd.DataFrame({"citizen": "FOR_STLS", "geo": ["AT"], "time": 2022, "value": [1_000_000.0], "flag": ["b"]})
    pop = pd.DataFrame({"geo": ["AT", None], "year": 2022, "population": [10_000_000, 1]})
    out = cl.foreign_population_shares(born, cit, pop, 2022)
    assert list(out["geo"]) == ["AT"]  # no population for the EU aggregate
    assert out.loc[0, "foreign_born_share"] == pytest.approx(20.0)
    assert out.loc[0, "foreign_citizen_share"] == pytest.approx(10.0)
    assert out.loc[0, "flag_citizens"] == "b"
    with pytest.raises(ValueError):
        cl.foreign_population_shares(born, cit, pop, 2019)


def test_regional_share_map_attaches_without_recomputing():
    regions = gpd.GeoDataFrame({"nuts_id": ["AT11", "AT12"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=3035)
    regional = pd.DataFrame({"geo": ["AT11", "UKC1"], "name": ["Burgenland", "Tees"], "parent": ["AT", "UK"],
                             "year": [2023, 2021], "foreign_born_share": [12.34, 5.0]})
    gdf, unmatched = cl.regional_share_map(regional, regions)
    assert gdf.set_index("nuts_id").loc["AT11", "foreign_born_share"] == 12.34
    assert np.isnan(gdf.set_index("nuts_id").loc["AT12", "foreign_born_share"])
    assert unmatched == ["UKC1"]


# --------------------------------------------------------------------------- cities


def _members():
    return pd.DataFrame({"name": ["Milan", "Mechelen", "Berlin", "Flanders"],
                         "type": ["city", "city", "city", "region"], "country": ["IT", "BE", "DE", "BE"]})


def _eurocities():
    return pd.DataFrame({"name": ["Milano", "Berlin", "Berlin", "Gent"], "wikidata_name": ["Milan", "Berlin", None, "Ghent"],
                         "lat": [45.5, 52.5, 0.0, 51.0], "lon": [9.2, 13.4, 0.0, 3.7], "population": [1, 2, 3, 4],
                         "country": ["Italy", "Germany", "Nowhere", "Belgium"], "geo": ["IT", "DE", "XX", "BE"]})


def test_match_member_cities_by_name_alias_and_country():
    out = cl.match_member_cities(_members(), _eurocities()).set_index("member")
    assert list(out.index) == ["Milan", "Mechelen", "Berlin"]  # cities only
    assert out.loc["Milan", "eurocities_name"] == "Milano"
    assert out.loc["Berlin", "lat"] == 52.5  # the same name in another country is not taken
    assert not out.loc["Mechelen", "matched"]
    points = cl.eurocities_points(_eurocities(), out.reset_index())
    assert points.groupby("group").size().to_dict() == {"1_other": 2, "2_member": 2}


def test_match_member_cities_refuses_ambiguity():
    ec = pd.concat([_eurocities(), _eurocities().iloc[[1]]])
    with pytest.raises(ValueError, match="several"):
        cl.match_member_cities(_members(), ec)


def test_normalise_city():
    assert cl.normalise_city("City of Málaga") == "malaga"
    assert cl.normalise_city("Lille Métropole") == "lille"


def test_member_matching_agrees_with_partnership_chapter():
    from inclusion_evidence.analysis.partnership import member_city_locations
    from inclusion_evidence.ingest.facts import load_members

    eurocities = _table("eurocities")
    members = load_members()
    ours = cl.match_member_cities(members, eurocities)
    located, unmatched = member_city_locations(members, eurocities)
    assert set(ours.loc[ours["matched"], "member"]) == set(located["name"])
    assert set(ours.loc[~ours["matched"], "member"]) == set(unmatched)


def test_points_in_frame():
    pts = pd.DataFrame({"lon": [4.9, -70.0], "lat": [52.4, 40.0]})
    assert cl.points_in_frame(pts, (2_500_000, 7_500_000, 1_400_000, 5_500_000)).tolist() == [True, False]


# --------------------------------------------------------------------------- MIPEX


def test_mipex_strands_wide():
    strands = pd.DataFrame({"country": ["AT", "AT", "BE", "CA", "DE"], "year": 2023,
                            "strand": ["anti_discrimination", "political_participation", "anti_discrimination",
                                       "anti_discrimination", "political_participation"],
                            "score": [53.1, 20.0, 100.0, 100.0, 60.0]})
    out = cl.mipex_strands_wide(strands, ["anti_discrimination", "political_participation"], 2023)
    assert list(out["geo"]) == ["AT"]  # BE and DE lack a strand; CA is not in the EU
    one = cl.mipex_strands_wide(strands, ["anti_discrimination"], 2023)
    assert list(one["geo"]) == ["AT", "BE"]
    with pytest.raises(ValueError):
        cl.mipex_strands_wide(strands, ["health"], 2023)


# --------------------------------------------------------------------------- cultural participation


SDMX_HEADER = "DATAFLOW,LAST UPDATE,freq,acl00,citizen,age,sex,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def _culture_fixture(tmp_path):
    lines = [SDMX_HEADER]
    obs = [("AC41", "NAT", "AT", "45.1", ""), ("AC41", "FOR", "AT", "30.2", "u"),
           ("AC41", "NAT", "BE", "50.0", ""), ("AC41", "FOR", "BE", "41.0", ""),
           ("AC42", "NAT", "AT", "20.0", ""), ("AC42", "FOR", "AT", "12.5", "")]
    for act, cit, geo, value, flag in obs:
        for sex, v in (("T", value), ("F", "99")):
            lines.append(f"ESTAT:ILC_SCP03(1.0),01/01/24 23:00:00,A,{act},{cit},Y_GE16,{sex},PC,{geo},2015,{v},{flag}")
    path = tmp_path / "eurostat_ilc_scp_culture.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_culture_participation_from_sdmx_fixture(tmp_path):
    from inclusion_evidence.ingest.readers.eurostat import read_eurostat

    tidy = read_eurostat(_culture_fixture(tmp_path))
    out = cl.culture_participation(tidy)
    assert len(out) == 3 and set(out["item"]) == {"AC41", "AC42"}
    at = out[(out["geo"] == "AT") & (out["item"] == "AC41")].iloc[0]
    assert (at["nationals"], at["foreign"], at["foreign_group"]) == (45.1, 30.2, "FOR")
    assert at["gap"] == pytest.approx(-14.9) and "u" in at["flag"]
    assert at["country"] == "Austria"


def test_culture_participation_empty_and_unusable():
    empty = pd.DataFrame({"geo": pd.Series(dtype=str), "time": pd.Series(dtype="int64"),
                          "value": pd.Series(dtype=float), "flag": pd.Series(dtype=str)})
    assert cl.culture_participation(empty).empty
    with pytest.raises(ValueError, match="citizen"):
        cl.culture_participation(pd.DataFrame({"geo": ["AT"], "time": [2015], "value": [1.0], "flag": [""]}))


# --------------------------------------------------------------------------- ILGA


def _counts():
    return pd.DataFrame({
        "country": ["Austria", "Austria", "Ukraine", "Ukraine"], "geo": ["AT", "AT", "UA", "UA"],
        "category": ["asylum", "family", "asylum", "family"], "met": [3, 11, 0, 1], "regional_only": [0, 0, 0, 0],
        "total": [6, 11, 6, 11], "share": [0.5, 1.0, 0.0, 1 / 11], "weighted_share": [0.5, 1.0, 0.0, 1 / 11]})


def test_ilga_matrix_and_map():
    m = cl.ilga_matrix(_counts())
    assert list(m.index) == ["Austria", "Ukraine"] and list(m.columns) == ["Family", "Asylum"]
    assert m.loc["Austria", "Asylum"] == pytest.approx(50.0)
    assert list(cl.ilga_matrix(_counts(), ["UA"]).index) == ["Ukraine"]
    regions = gpd.GeoDataFrame({"nuts_id": ["AT", "CH"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=3035)
    gdf, outside, total = cl.ilga_category_map(_counts(), "asylum", regions)
    assert total == 6
    assert gdf.set_index("nuts_id").loc["AT", "met"] == 3 and np.isnan(gdf.set_index("nuts_id").loc["CH", "met"])
    assert outside["geo"].tolist() == ["UA"]
    with pytest.raises(ValueError):
        cl.ilga_category_map(_counts(), "nope", regions)


def test_processed_ilga_table_rows_follow_the_raw_files():
    """Row-position join at the processed-table level: every category file's row i is the
    Equality file's country i, and the legend lines are not countries."""
    ilga = _table("ilga_rainbow")
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


# --------------------------------------------------------------------------- FRA


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
    m = cl.fra2019_by_country(_fra2019(), "T1Q1")
    assert list(m.index) == ["Austria", "Belgium", "EU-28"]  # by name, aggregate last
    assert m.loc["Belgium", "Gay men"] == 30.0
    assert np.isnan(m.loc["Austria", "Lesbian women"])  # one answer missing -> no sum
    assert list(cl.fra2019_by_country(_fra2019(), "T1Q1", countries=["BE"]).index) == ["Belgium", "EU-28"]
    with pytest.raises(ValueError):
        cl.fra2019_by_country(_fra2019(), "T1Q4")


def test_fra2012_by_country():
    fra12 = pd.DataFrame({"geo": ["AT", "AT", "EU28", "CY"], "country": ["Austria", "Austria", "Average", "Cyprus"],
                          "subset": ["Gay", "Gay", "Gay", "Gay"], "question_code": "discrim1yr",
                          "question": "q", "answer": ["Yes", "No", "Yes", "Yes"],
                          "percentage": [39.0, 61.0, 36.0, np.nan], "note": [None, None, None, "NA: small sample"]})
    values, notes = cl.fra2012_by_country(fra12)
    assert list(values.index) == ["Austria", "Cyprus", "EU-28"]
    assert values.loc["Austria", "Gay"] == 39.0 and notes.loc["Cyprus", "Gay"] == "NA: small sample"
    assert notes.loc["Austria", "Gay"] == ""


# --------------------------------------------------------------------------- small helpers


def test_long_matrix():
    m = pd.DataFrame([[1, 0]], index=pd.Index(["r"], name="row"), columns=pd.Index(["a", "b"], name="col"))
    assert cl.long_matrix(m, "v").to_dict("records") == [{"row": "r", "col": "a", "v": 1}, {"row": "r", "col": "b", "v": 0}]


# --------------------------------------------------------------------------- notebooks (slow)


def _run(tmp_path, name, parameters):
    import papermill as pm

    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(CHAPTER_SOURCES / f"{name}.ipynb"), str(out), parameters=parameters,
                        cwd=str(tmp_path), kernel_name="python3", progress_bar=False)
    nb = json.loads(out.read_text())
    glued = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("scrapbook", {})
            if meta.get("name"):
                glued[meta["name"]] = o.get("data", {}).get("application/papermill.record/text/plain")
    return nb, glued


@pytest.mark.slow
def test_chapter3_runs_with_other_parameters(tmp_path):
    _, glued = _run(tmp_path, "action_3_art_culture",
                    {"year": 2019, "composition_year": 2022, "mipex_year": 2019, "scheme": "equalinterval"})
    assert glued["ch3_year"] == "2019" and glued["ch3_mipex_year"] == "2019"
    figures = tmp_path / "figures" / "action_3_art_culture"
    shares = pd.read_csv(figures / "a3-foreign-population-shares.csv")
    assert len(shares) > 20 and shares["foreign_born_share"].between(0, 100).all()
    assert (figures / "a3-regional-foreign-born.png").exists() and (figures / "a3-eurocities-map.png").exists()
    assert len(pd.read_csv(figures / "a3-mipex-strands.csv")) == 27


@pytest.mark.slow
def test_chapter4_runs_with_other_parameters(tmp_path):
    chosen = ["BE", "NL", "DE", "ES", "PL"]
    _, glued = _run(tmp_path, "action_4_lgbtqi",
                    {"countries": chosen, "category": "family", "survey_item": "T1Q2", "mipex_year": 2022})
    assert glued["ch4_category"] == "'Family'" and glued["ch4_fra_share"] == "40"
    figures = tmp_path / "figures" / "action_4_lgbtqi"
    assert (figures / "a4-ilga-map-family.png").exists()
    fra = pd.read_csv(figures / "a4-fra-2019-t1q2.csv")
    assert set(fra["country"]) == {"Belgium", "Netherlands", "Germany", "Spain", "Poland", "EU-28"}
    heat = pd.read_csv(figures / "a4-ilga-heatmap.csv")
    assert heat["country"].nunique() == len(chosen)
