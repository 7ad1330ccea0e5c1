"""Shared analysis: rates per 100 000, MIPEX strands side by side, member-city matching, country names, matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import processed_table

from inclusion_evidence.analysis import common, culture, synthesis_views
from inclusion_evidence.ingest.synthesis import load_synthesis


def test_per_100k_basic_and_guards():
    counts = pd.DataFrame({"geo": ["AT", "BE", "XX", "ZZ"], "year": 2022, "value": [100.0, 50.0, 5.0, 1.0]})
    pop = pd.DataFrame({"geo": ["AT", "BE", "ZZ"], "year": 2022, "population": [1_000_000, 500_000, 0]})
    r = common.per_100k(counts, pop).set_index("geo")
    assert r.loc["AT", "per_100k"] == pytest.approx(10.0)
    assert r.loc["BE", "per_100k"] == pytest.approx(10.0)
    assert np.isnan(r.loc["XX", "per_100k"])  # no population
    assert np.isnan(r.loc["ZZ", "per_100k"])  # zero population: missing, not infinite
    with pytest.raises(ValueError, match="more than one row"):
        common.per_100k(counts, pd.concat([pop, pop]))


def test_population_for_uses_latest_earlier_year():
    pop = pd.DataFrame({"geo": ["AT", "AT", "BE"], "year": [2021, 2022, 2020],
                        "population": [9_000_000, 9_100_000, 11_000_000]})
    p = common.population_for(pop, 2023).set_index("geo")
    assert p.loc["AT", "population_year"] == 2022 and p.loc["AT", "population"] == 9_100_000
    assert p.loc["BE", "population_year"] == 2020


def _members():
    return pd.DataFrame({"name": ["Milan", "Mechelen", "Berlin", "Flanders"],
                         "type": ["city", "city", "city", "region"], "country": ["IT", "BE", "DE", "BE"]})


def _eurocities():
    return pd.DataFrame({"name": ["Milano", "Berlin", "Berlin", "Gent"], "wikidata_name": ["Milan", "Berlin", None, "Ghent"],
                         "lat": [45.5, 52.5, 0.0, 51.0], "lon": [9.2, 13.4, 0.0, 3.7], "population": [1, 2, 3, 4],
                         "country": ["Italy", "Germany", "Nowhere", "Belgium"], "geo": ["IT", "DE", "XX", "BE"]})


def test_match_member_cities_by_name_alias_and_country():
    out = common.match_member_cities(_members(), _eurocities()).set_index("member")
    assert list(out.index) == ["Milan", "Mechelen", "Berlin"]  # cities only
    assert out.loc["Milan", "eurocities_name"] == "Milano"
    assert out.loc["Berlin", "lat"] == 52.5  # the same name in another country is not taken
    assert not out.loc["Mechelen", "matched"]
    points = culture.eurocities_points(_eurocities(), out.reset_index())
    assert points.groupby("group").size().to_dict() == {"1_other": 2, "2_member": 2}


def test_match_member_cities_refuses_ambiguity():
    ec = pd.concat([_eurocities(), _eurocities().iloc[[1]]])
    with pytest.raises(ValueError, match="several"):
        common.match_member_cities(_members(), ec)


def test_normalise_city():
    assert common.normalise_city("City of Málaga") == "malaga"
    assert common.normalise_city("Lille Métropole") == "lille"


def test_member_matching_agrees_with_partnership_chapter():
    from inclusion_evidence.analysis.partnership import member_city_locations
    from inclusion_evidence.ingest.facts import load_members

    eurocities = processed_table("eurocities")
    members = load_members()
    ours = common.match_member_cities(members, eurocities)
    located, unmatched = member_city_locations(members, eurocities)
    assert set(ours.loc[ours["matched"], "member"]) == set(located["name"])
    assert set(ours.loc[~ours["matched"], "member"]) == set(unmatched)


def test_mipex_strands_wide():
    strands = pd.DataFrame({"country": ["AT", "AT", "BE", "CA", "DE"], "year": 2023,
                            "strand": ["anti_discrimination", "political_participation", "anti_discrimination",
                                       "anti_discrimination", "political_participation"],
                            "score": [53.1, 20.0, 100.0, 100.0, 60.0]})
    out = common.mipex_strands_wide(strands, ["anti_discrimination", "political_participation"], 2023)
    assert list(out["geo"]) == ["AT"]  # BE and DE lack a strand; CA is not in the EU
    one = common.mipex_strands_wide(strands, ["anti_discrimination"], 2023)
    assert list(one["geo"]) == ["AT", "BE"]
    with pytest.raises(ValueError):
        common.mipex_strands_wide(strands, ["health"], 2023)


def test_long_matrix():
    m = pd.DataFrame([[1, 0]], index=pd.Index(["r"], name="row"), columns=pd.Index(["a", "b"], name="col"))
    assert synthesis_views.long_matrix(m, "v").to_dict("records") == [{"row": "r", "col": "a", "v": 1}, {"row": "r", "col": "b", "v": 0}]


def test_name_of_one_spelling_for_countries_and_aggregates():
    assert common.name_of("DE") == "Germany" and common.name_of("EL") == "Greece"
    assert common.name_of("EU27_2020") == "EU-27" and common.name_of("EU28") == "EU-28"
    assert common.name_of("XX_UNKNOWN") == "XX_UNKNOWN"
    assert common.country_names(["FR", "EU28"]) == ["France", "EU-28"]


def test_group_labels_follow_the_group_dimension():
    assert common.group_labels(pd.DataFrame(columns=["citizen", "geo"]))["NAT"] == "Nationals"
    assert common.group_labels(pd.DataFrame(columns=["c_birth", "geo"]))["NAT"] == "Native-born"
    with pytest.raises(ValueError, match="neither"):
        common.group_labels(pd.DataFrame(columns=["geo"]))


def test_relations_table_keeps_and_renames_columns():
    s = load_synthesis("culture_inclusion")
    table = synthesis_views.relations_table(s, {"partner_label": "Partner", "item_label": "Item"})
    assert list(table.columns) == ["Partner", "Item"] and len(table) == len(s.cells)
