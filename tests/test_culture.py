"""Chapter 3 (art and culture): synthesis files, population shares, cities, cultural participation, the chapter run."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from helpers import run_chapter
from shapely.geometry import box

from inclusion_evidence.analysis import culture
from inclusion_evidence.ingest.facts import bib_keys
from inclusion_evidence.ingest.readers.eurostat import read_eurostat
from inclusion_evidence.ingest.synthesis import bibkeys, load_synthesis, synthesis_matrix


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


def _demo(group_dim="c_birth"):
    rows = []
    for geo, nat_f, for_f in (("AT", 50.6, 51.0), ("BG", 52.1, 48.7)):
        for grp, f in (("NAT", nat_f), ("FOR", for_f)):
            for sex, v in (("T", 100.0), ("F", f), ("M", round(100 - f, 1))):
                rows.append({"freq": "A", group_dim: grp, "age": "TOTAL", "unit": "PC", "sex": sex, "geo": geo,
                             "time": 2024, "value": v, "flag": "p" if geo == "BG" else ""})
    return pd.DataFrame(rows)


def test_within_group_totals_show_the_extract_is_within_group():
    out = culture.within_group_totals(_demo(), "c_birth")
    assert set(out["group"]) == {"NAT", "FOR"}
    assert (out["min"] == 100).all() and (out["max"] == 100).all() and (out["rows"] == 2).all()


def test_sex_composition():
    out = culture.sex_composition(_demo(), "c_birth", 2024)
    assert list(out["geo"]) == ["AT", "BG"] and list(out["country"]) == ["Austria", "Bulgaria"]
    assert out.loc[1, "FOR"] == 48.7 and out.loc[1, "NAT"] == 52.1 and out.loc[1, "flag_FOR"] == "p"
    with pytest.raises(ValueError):
        culture.sex_composition(_demo(), "c_birth", 2010)


def test_foreign_population_shares():
    born = pd.DataFrame({"c_birth": "FOR", "geo": ["AT", "EU27_2020"], "time": 2022,
                         "value": [2_000_000.0, 5.0e7], "flag": ["", "e"]})
    cit = pd.DataFrame({"citizen": "FOR_STLS", "geo": ["AT"], "time": 2022, "value": [1_000_000.0], "flag": ["b"]})
    pop = pd.DataFrame({"geo": ["AT", None], "year": 2022, "population": [10_000_000, 1]})
    out = culture.foreign_population_shares(born, cit, pop, 2022)
    assert list(out["geo"]) == ["AT"]  # no population for the EU aggregate
    assert out.loc[0, "foreign_born_share"] == pytest.approx(20.0)
    assert out.loc[0, "foreign_citizen_share"] == pytest.approx(10.0)
    assert out.loc[0, "flag_citizens"] == "b"
    with pytest.raises(ValueError):
        culture.foreign_population_shares(born, cit, pop, 2019)


def test_regional_share_map_attaches_without_recomputing():
    regions = gpd.GeoDataFrame({"nuts_id": ["AT11", "AT12"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=3035)
    regional = pd.DataFrame({"geo": ["AT11", "UKC1"], "name": ["Burgenland", "Tees"], "parent": ["AT", "UK"],
                             "year": [2023, 2021], "foreign_born_share": [12.34, 5.0]})
    gdf, unmatched = culture.regional_share_map(regional, regions)
    assert gdf.set_index("nuts_id").loc["AT11", "foreign_born_share"] == 12.34
    assert np.isnan(gdf.set_index("nuts_id").loc["AT12", "foreign_born_share"])
    assert unmatched == ["UKC1"]


def test_points_in_frame():
    pts = pd.DataFrame({"lon": [4.9, -70.0], "lat": [52.4, 40.0]})
    assert culture.points_in_frame(pts, (2_500_000, 7_500_000, 1_400_000, 5_500_000)).tolist() == [True, False]


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
    tidy = read_eurostat(_culture_fixture(tmp_path))
    out = culture.culture_participation(tidy)
    assert len(out) == 3 and set(out["item"]) == {"AC41", "AC42"}
    at = out[(out["geo"] == "AT") & (out["item"] == "AC41")].iloc[0]
    assert (at["nationals"], at["foreign"], at["foreign_group"]) == (45.1, 30.2, "FOR")
    assert at["gap"] == pytest.approx(-14.9) and "u" in at["flag"]
    assert at["country"] == "Austria"


def test_culture_participation_empty_and_unusable():
    empty = pd.DataFrame({"geo": pd.Series(dtype=str), "time": pd.Series(dtype="int64"),
                          "value": pd.Series(dtype=float), "flag": pd.Series(dtype=str)})
    assert culture.culture_participation(empty).empty
    with pytest.raises(ValueError, match="citizen"):
        culture.culture_participation(pd.DataFrame({"geo": ["AT"], "time": [2015], "value": [1.0], "flag": [""]}))


@pytest.mark.slow
def test_chapter3_runs_with_other_parameters(tmp_path):
    _, glued = run_chapter(tmp_path, "action_3_art_culture",
                           {"year": 2019, "composition_year": 2022, "mipex_year": 2019, "scheme": "equalinterval"})
    assert glued["ch3_year"] == "2019" and glued["ch3_mipex_year"] == "2019"
    figures = tmp_path / "figures" / "action_3_art_culture"
    shares = pd.read_csv(figures / "a3-foreign-population-shares.csv")
    assert len(shares) > 20 and shares["foreign_born_share"].between(0, 100).all()
    assert (figures / "a3-regional-foreign-born.png").exists() and (figures / "a3-eurocities-map.png").exists()
    assert len(pd.read_csv(figures / "a3-mipex-strands.csv")) == 27
