"""Chapter 3 (art and culture): synthesis files, population shares, cities, cultural participation, the chapter run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import run_chapter

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
                           {"year": 2019, "composition_year": 2022, "mipex_year": 2019})
    assert glued["ch3_year"] == "2019" and glued["ch3_mipex_year"] == "2019"
    assert "2007-2019" in glued["ch3_mipex_edition"]  # a 2019 score is cited with the core edition
    figures = tmp_path / "figures" / "action_3_art_culture"
    shares = pd.read_csv(figures / "a3-foreign-population-shares.csv")
    assert len(shares) > 20 and shares["foreign_born_share"].between(0, 100).all()
    assert shares["scope"].iloc[0] == "EU-27 member states"
    assert not (figures / "a3-regional-foreign-born.png").exists()  # the regional map is chapter 5's
    assert (figures / "a3-eurocities-map.png").exists()
    assert len(pd.read_csv(figures / "a3-mipex-political-participation.csv")) == 27


def _shares():
    return pd.DataFrame({"geo": ["AT", "BE", "NO", "EU27_2020"], "country": ["Austria", "Belgium", "Norway", "EU-27"],
                         "foreign_born": [2.0e6, 2.5e6, 1.0e6, np.nan], "foreign_citizens": [1.5e6, 1.5e6, 0.5e6, np.nan],
                         "population": [9.0e6, 11.5e6, 5.4e6, np.nan], "foreign_born_share": [22.2, 21.7, 18.5, np.nan],
                         "flag_born": ["", "u", "", ""]})


def test_scope_split_puts_the_scope_first():
    out = culture.scope_split(_shares().iloc[[2, 0, 3, 1]], ["AT", "BE"])
    assert list(out["geo"]) == ["AT", "EU27_2020", "BE", "NO"]
    assert list(out["scope"]) == ["EU-27 member states"] * 3 + ["Other countries (context)"]


def test_population_total_share_sums_counts_and_names_what_is_missing():
    out = culture.population_total_share(_shares(), ["AT", "BE", "DE"], "foreign_born")
    assert out["share"] == pytest.approx(100 * 4.5e6 / 20.5e6)  # not the mean of the two shares
    assert (out["n"], out["of"], out["missing"]) == (2, 3, ["DE"])


def test_points_on_map_drops_cities_of_countries_not_drawn():
    pts = pd.DataFrame({"lon": [4.9, 30.5, -70.0], "lat": [52.4, 50.45, 40.0], "geo": ["NL", "UA", "US"]})
    out = culture.points_on_map(pts, (2_500_000, 7_500_000, 1_400_000, 5_500_000), ["NL", "US"])
    assert out.tolist() == [True, False, False]  # Kyiv is in the frame but Ukraine is not drawn


def test_named_in_plan_and_stated_relations_of_action_3():
    from inclusion_evidence.analysis.synthesis_views import (
        BY_KIND_AND_ROLE,
        NAMED_KIND_LABELS,
        named_in_plan,
        stated_relations,
    )

    s = load_synthesis("culture_inclusion")
    named = named_in_plan(s, group_by=BY_KIND_AND_ROLE, labels=NAMED_KIND_LABELS, by_section=True)
    assert named["n"].sum() == len(s.rows) + len(s.columns)
    assert not named["sections"].str.contains("; ").any()  # one section a group
    approaches = named[named["dimension"] == "Approaches the plan names"]
    # three approaches share one sentence of the plan: the quote is shown once
    shared = "some have used art and culture as tools for empowerment, educational inclusion, and intercultural exchange"
    assert sum(q.count(shared) for q in approaches["quotes"]) == 1
    assert len(named) < len(s.rows) + len(s.columns)
    specific = stated_relations(s, "specific")
    assert len(specific) <= int((s.cells["scope"] == "specific").sum())
    assert specific["quote"].notna().all() and set(specific.columns) >= {"item", "with", "quote"}
    general = stated_relations(s, "general")
    assert general["quote"].nunique() == 1  # every general link rests on the scoping paper's remit
    with pytest.raises(ValueError):
        stated_relations(s, "scope")


def test_mipex_edition_by_year():
    from inclusion_evidence.analysis.common import mipex_edition

    assert mipex_edition(2019)["source_id"] == "mipex_core_2007_2019"
    assert mipex_edition(2020)["source_id"] == "mipex_eu_2020_2024"
    with pytest.raises(ValueError, match="2007-2019"):
        mipex_edition(2030)
