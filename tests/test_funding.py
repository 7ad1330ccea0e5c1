"""Chapter 6 (financial instruments): the landscape synthesis, ESIF, AMIF payments and plans, the chapter run."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import run_chapter, write_text

from inclusion_evidence.analysis import funding
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.steps.funding_children import AMIF_PLAN_COLUMNS, amif_2021_2027, read_cohesion_financial_plan


@pytest.fixture(scope="module")
def landscape():
    return load_synthesis("financial_landscape")


def test_financial_landscape_schema(landscape):
    assert landscape.action == 6
    assert landscape.has_layers
    assert {"actors", "activities"} <= set(landscape.extras)
    ids = {"rows": set(landscape.rows["id"]), "columns": set(landscape.columns["id"]),
           "layers": set(landscape.layers["id"])}
    # every id an actor or activity names is declared
    for _, actor in landscape.extras["actors"].iterrows():
        assert set(funding._ids(actor.get("instruments"))) <= ids["rows"]
    for _, act in landscape.extras["activities"].iterrows():
        assert set(funding._ids(act.get("instruments"))) <= ids["rows"]
        assert set(funding._ids(act.get("funds"))) <= ids["layers"]
        assert set(funding._ids(act.get("fields"))) <= ids["columns"]
        assert set(funding._ids(act.get("actors"))) <= set(landscape.extras["actors"]["id"])


def test_landscape_matrix_blocks(landscape):
    m = funding.landscape_matrix(landscape)
    assert m.shape == (len(landscape.rows), len(landscape.columns) + len(landscape.layers))
    assert sum(c.startswith("Field: ") for c in m.columns) == len(landscape.columns)
    assert m.loc["Blending", "Fund: AMIF"] == 2
    assert m.loc["Loans", "Fund: AMIF"] == 1


def test_landscape_network_keeps_unnamed_actors_unconnected(landscape):
    g = funding.landscape_network(landscape)
    actors = landscape.extras["actors"]
    assert sum(d["kind"] == "actor" for _, d in g.nodes(data=True)) == len(actors)
    eib = "actor:eib"
    assert g.degree(eib) == 0 and not g.nodes[eib]["connected"]
    assert g.has_edge("actor:guarantee_societies", "instrument:guarantees")
    assert g.edges["instrument:blending", "fund:amif"]["strength"] == "specific"
    assert g.edges["instrument:loans", "fund:amif"]["strength"] == "general"
    from inclusion_evidence.present.charts import layered_network

    fig = layered_network(g, column_titles=["A", "I", "F"])
    assert fig.axes
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_actor_and_activity_tables(landscape):
    actors = funding.actors_table(landscape)
    assert len(actors) == len(landscape.extras["actors"])
    row = actors.set_index("Actor").loc["Guarantee societies"]
    assert row["Instruments named"] == "Guarantees" and row["Basis"] == "in the actor's name"
    acts = funding.activities_table(landscape)
    assert len(acts) == len(landscape.extras["activities"])
    assert "AMIF" in acts.set_index("Activity").iloc[10]["Instruments, funds, fields or actors named"]


@pytest.fixture
def esif():
    rows = [
        # ms, geo, fund, to_code, to_short, eu_amount
        ("DE", "DE", "ESF", "09", "Social Inclusion", 30.0),
        ("DE", "DE", "ESF", "08", "Employment", 50.0),
        ("DE", "DE", "ERDF", "01", "Research", 20.0),
        ("EL", "EL", "ERDF", "09", "Social Inclusion", 10.0),
        ("EL", "EL", "ERDF", "04", "Low-Carbon", 90.0),
        ("TC", None, "ERDF", "09", "Social Inclusion", 1000.0),
    ]
    df = pd.DataFrame(rows, columns=["ms", "geo", "fund", "to_code", "to_short", "eu_amount"])
    return df.assign(national_amount=0.0, total_amount=df["eu_amount"])


def test_esif_fund_objective_pools_other(esif):
    out = funding.esif_fund_objective(esif, ["9"])
    erdf = out[out["fund"] == "ERDF"].set_index("to_code")
    assert erdf.loc["09", "eur_bn"] == pytest.approx(1010 / 1e9)
    assert erdf.loc["other", "objective"] == funding.OTHER_OBJECTIVES
    assert out.groupby("fund")["share_of_fund"].sum().to_numpy() == pytest.approx([100, 100])
    assert out["fund"].iloc[0] == "ERDF"  # largest fund first


def test_esif_country_shares_excludes_interreg_and_fills_zero(esif):
    out = funding.esif_country_shares(esif, ["09", "08"])
    assert set(out["geo"]) == {"DE", "EL"}  # TC (Interreg) left out
    de = out[out["geo"] == "DE"].set_index("to_code")
    assert de.loc["09", "share"] == pytest.approx(30.0)
    assert de.loc["08", "share"] == pytest.approx(50.0)
    assert out[(out["geo"] == "EL") & (out["to_code"] == "08")]["share"].iloc[0] == 0.0
    esf = funding.esif_country_shares(esif, ["09"], fund="ESF")
    assert list(esf["geo"]) == ["DE"]
    with pytest.raises(ValueError, match="YEI"):
        funding.esif_country_shares(esif, ["09"], fund="YEI")


@pytest.fixture
def budget():
    rows = []
    for year, prog in ((2013, "SOLID"), (2014, "AMIF"), (2015, "AMIF"), (2021, "AMIF")):
        for geo, amount in (("DE", 10.0), ("MT", 2.0), ("DK", None)):
            rows.append({"year": year, "programme": prog, "line_code": "x", "line_label": "x",
                         "member_state": geo, "eur_million": amount})
    return pd.DataFrame(rows)


def test_amif_payments_period_and_blank_cells(budget):
    p = funding.amif_payments(budget, "2014-2020")
    assert sorted(p["year"].unique()) == [2014, 2015]
    assert set(p["programme"]) == {"AMIF"}
    assert p[p["geo"] == "DK"]["eur_million"].isna().all()  # blank stays missing, not zero
    assert len(funding.amif_payments(budget)) == 12
    with pytest.raises(ValueError, match="programming period"):
        funding.period_years("2028-2034")


def test_normalisation_per_foreign_born_and_summary(budget):
    fb = pd.DataFrame({"c_birth": "FOR", "geo": ["DE", "DE", "MT"], "time": [2014, 2015, 2014],
                       "value": [1e6, 3e6, 1e5], "flag": ""})
    denom = funding.denominators("per_foreign_born", foreign_born=fb)
    p = funding.amif_payments(budget, "2014-2020")
    norm = funding.normalise_payments(p, "per_foreign_born", denom).set_index(["geo", "year"])
    assert norm.loc[("DE", 2014), "value"] == pytest.approx(10.0)
    assert norm.loc[("DE", 2015), "value"] == pytest.approx(10 / 3)
    assert math.isnan(norm.loc[("MT", 2015), "value"])  # no denominator: not filled in
    summary = funding.period_summary(p, "per_foreign_born", denom).set_index("geo")
    assert summary.loc["DE", "value"] == pytest.approx(20e6 / 2e6)
    assert summary.loc["MT", "denominator_years"] == "2014"
    assert math.isnan(summary.loc["DK", "value"])
    none = funding.period_summary(p, "none", funding.denominators("none")).set_index("geo")
    assert none.loc["DE", "value"] == 20.0
    with pytest.raises(ValueError, match="normalisation"):
        funding.denominators("per_household")


def test_per_capita_denominator_uses_world_bank_geo():
    wb = pd.DataFrame({"iso3": ["DEU", "ABW"], "geo": ["DE", None], "country": ["Germany", "Aruba"],
                       "year": [2014, 2014], "population": pd.array([80_000_000, 100_000], dtype="Int64")})
    d = funding.denominators("per_capita", population=wb)
    assert list(d["geo"]) == ["DE"] and d["denominator"].dtype == float


def _budget_workbook(path, sheets):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


STATES = ["BE", "BG", "CZ", "DK", "DE", "EE", "IE", "EL", "ES", "FR", "HR", "IT"]


def test_budget_workbook_with_drifting_layout_feeds_amif_payments(tmp_path):
    """Header row and code column move between sheets; the analysis sees one tidy series."""
    from inclusion_evidence.ingest.readers.eu_budget import BudgetLine, read_eu_budget_payments

    amounts = list(range(1, len(STATES) + 1))
    s2014 = [["EU spending 2014"], [], ["Code", "Heading", "Total", *STATES],
             ["3.0.1", "Asylum, Migration and Integration Fund", sum(amounts), *amounts]]
    s2021 = [["title"], ["note"], [], [None, "Code", "Label", "Total", "EU-27", *STATES],
             [None, "4.0.11", "Asylum, Migration and Integration Fund", sum(amounts), sum(amounts),
              *[a * 2 for a in amounts]]]
    s2021[4][4] = sum(a * 2 for a in amounts)
    path = _budget_workbook(tmp_path / "budget.xlsx", {"2014": s2014, "2021": s2021})
    lines = [BudgetLine("3.0.1", ("asylum",), 2014, 2014, "AMIF"),
             BudgetLine("4.0.11", ("asylum",), 2021, 2021, "AMIF")]
    tidy = read_eu_budget_payments(path, lines)
    p = funding.amif_payments(tidy)
    assert len(p) == 2 * len(STATES)
    de = p[p["geo"] == "DE"].set_index("year")["eur_million"]
    assert de[2014] == STATES.index("DE") + 1 and de[2021] == 2 * (STATES.index("DE") + 1)
    assert funding.amif_payments(tidy, "2021-2027")["year"].unique().tolist() == [2021]


def test_budget_workbook_error_cell_stops_the_pipeline(tmp_path):
    from inclusion_evidence.ingest.readers.eu_budget import BudgetLine, read_eu_budget_payments

    amounts = [1] * len(STATES)
    amounts[3] = "#REF!"
    s2014 = [["Code", "Heading", "Total", *STATES], ["3.0.1", "Asylum, Migration and Integration Fund", 11, *amounts]]
    path = _budget_workbook(tmp_path / "budget.xlsx", {"2014": s2014})
    with pytest.raises(DataError, match="non-numeric"):
        funding.amif_payments(read_eu_budget_payments(path, [BudgetLine("3.0.1", ("asylum",), 2014, 2014, "AMIF")]))


COHESION_CSV = (
    "ms,cci,cci_title,fund,financial_allocation_category,y2021,y2022,y2023,y2024,y2025,y2026,y2027,total\n"
    "GR,2021GR65AMPR001,AMIF Greece,AMIF,,100,200,300,0,0,0,0,600\n"
    "GR,2021GR65AMPR001,AMIF Greece,AMIF,TA,10,0,0,0,0,0,0,10\n"
    "DE,2021DE65AMPR001,AMIF Germany,AMIF,,\"1,000\",0,0,0,0,0,0,1000\n"
    "DE,2021DE16FFPR001,ESF+ Germany,ESF,,999,0,0,0,0,0,0,999\n"
)


def test_cohesion_plan_reader_and_summary(tmp_path):
    plan = read_cohesion_financial_plan(write_text(tmp_path, COHESION_CSV))
    assert list(plan.columns) == list(AMIF_PLAN_COLUMNS)
    assert set(plan["geo"]) == {"EL", "DE"}  # GR written as ISO, stored as Eurostat EL
    assert set(plan["fund"]) == {"AMIF"}  # ESF+ row dropped
    el21 = plan[(plan["geo"] == "EL") & (plan["year"] == 2021)]["eur"]
    assert el21.tolist() == [110.0]  # allocation categories summed
    alloc = funding.amif_allocations_by_state(plan)
    assert alloc["geo"].tolist() == ["DE", "EL"]
    assert alloc["eur_million"].tolist() == pytest.approx([1000 / 1e6, 610 / 1e6])


def test_cohesion_plan_reader_display_headers(tmp_path):
    text = "MS,CCI,Title,Fund,2021,2022\nAT,2021AT65AMPR001,AMIF Austria,AMIF,5,6\n"
    plan = read_cohesion_financial_plan(write_text(tmp_path, text))
    assert plan["eur"].sum() == 11.0 and plan["programme"].iloc[0] == "AMIF Austria"


@pytest.mark.parametrize("text, words", [
    ("cci,fund,y2021\nx,AMIF,1\n", ["'ms'"]),
    ("ms,fund,total\nDE,AMIF,1\n", ["yearly amount"]),
    ("ms,fund,y2021\nDE,AMIF,n/a\n", ["row 2", "y2021", "not a number"]),
    ("ms,fund,y2021\nDE,AMIF,1\nXX,AMIF,1\n", ["row 3", "unknown Member State"]),
    ("ms,fund,y2021\n", ["no rows"]),
])
def test_cohesion_plan_reader_errors_name_the_problem(tmp_path, text, words):
    path = write_text(tmp_path, text)
    with pytest.raises(DataError) as exc:
        read_cohesion_financial_plan(path)
    for word in [str(path), *words]:
        assert word in str(exc.value)


def test_amif_step_empty_without_source_and_filled_with_it(tmp_path):
    empty = amif_2021_2027({})["amif_2021_2027_planned"]
    assert empty.empty and list(empty.columns) == list(AMIF_PLAN_COLUMNS)
    assert funding.amif_allocations_by_state(empty).empty
    full = amif_2021_2027({"cohesion_2021_2027_amif": write_text(tmp_path, COHESION_CSV)})["amif_2021_2027_planned"]
    assert len(full) == 2 * 7


@pytest.mark.slow
def test_chapter_6_runs_with_other_parameters(tmp_path):
    _, glued = run_chapter(tmp_path, "action_6_financial_instruments",
                           {"programming_period": "2021-2027", "fund": "ESF", "thematic_objectives": ["09"],
                           "normalisation": "per_capita"})
    assert glued["ch6_period"] == "'2021-2027'" and glued["ch6_unit"] == "'EUR per resident'"
    assert glued["ch6_pay_first_year"] == "2021"
    assert "Denmark" not in glued["ch6_norm_low_country"] and glued["ch6_scope"] == "'EU-27'"
    ranked = pd.read_csv(tmp_path / "figures" / "action_6_financial_instruments" / "amif-payments-ranked.csv")
    assert not ranked.set_index("geo").loc["DK", "ranked"]          # Denmark takes no part in AMIF
    figs = tmp_path / "figures" / "action_6_financial_instruments"
    assert (figs / "amif-payments-map.png").exists() and (figs / "esif-country-shares.csv").exists()


# --------------------------------------------------------------------------- issue 14: scope, Denmark, target group

def test_per_non_eu_citizen_denominator_keeps_only_non_eu_citizens_and_flags():
    pop = pd.DataFrame({"citizen": ["NEU27_2020_FOR", "EU27_2020_FOR", "NEU27_2020_FOR"], "age": "TOTAL",
                        "unit": "NR", "sex": "T", "geo": ["DE", "DE", "MT"], "time": [2014, 2014, 2014],
                        "value": [5e6, 4e6, 2e4], "flag": ["", "", "e"]})
    d = funding.denominators("per_non_eu_citizen", non_eu_citizens=pop).set_index("geo")
    assert d.loc["DE", "denominator"] == 5e6          # the EU citizens are not AMIF's target group
    assert d.loc["MT", "denominator_flag"] == "e"
    with pytest.raises(ValueError, match="migr_pop1ctz"):
        funding.denominators("per_non_eu_citizen", non_eu_citizens=pop.iloc[0:0])


def test_choose_normalisation_says_why_it_falls_back():
    empty = pd.DataFrame({"geo": [], "time": [], "value": [], "flag": []})
    used, why = funding.choose_normalisation("per_non_eu_citizen", empty)
    assert used == "per_foreign_born" and "non-EU citizens" in why
    full = pd.DataFrame({"geo": ["DE"], "time": [2014], "value": [1.0], "flag": [""]})
    assert funding.choose_normalisation("per_non_eu_citizen", full) == ("per_non_eu_citizen", "")
    assert funding.choose_normalisation("per_capita", empty) == ("per_capita", "")


def test_per_head_ranking_leaves_denmark_and_non_members_out_and_notes_latvia():
    summary = pd.DataFrame({"geo": ["DE", "DK", "UK", "LV", "MT", "EL"], "country": "x",
                            "value": [10.0, 0.5, 8.0, 1.0, float("nan"), 900.0]})
    r = funding.per_head_ranking(summary, how="per_non_eu_citizen").set_index("geo")
    assert not r.loc["DK", "ranked"] and "AMIF" in r.loc["DK", "excluded"]
    assert not r.loc["UK", "ranked"] and r.loc["UK", "excluded"] == "outside the scope"
    assert not r.loc["MT", "ranked"]
    assert set(r.index[r["ranked"]]) == {"DE", "LV", "EL"}
    assert "non-citizens" in r.loc["LV", "caveat"]
    ends = funding.ranking_ends(funding.per_head_ranking(summary, how="per_non_eu_citizen"), n=1)
    assert list(ends["geo"]) == ["LV"]                  # Latvia at the bottom of the ranking carries its caveat
    wider = funding.per_head_ranking(summary, how="per_capita", scope="EU27+UK").set_index("geo")
    assert wider.loc["UK", "ranked"] and wider.loc["LV", "caveat"] == ""


def test_esif_scope_split_keeps_interreg_and_uk_apart():
    esif = pd.DataFrame({"geo": ["DE", "UK", None], "eu_amount": [3e9, 2e9, 1e9]})
    inside, apart = funding.split_by_scope(esif)
    assert list(inside["geo"]) == ["DE"] and len(apart) == 2
    a = funding.esif_apart(esif).set_index("part")
    assert a.loc["United Kingdom", "eur_bn"] == 2.0
    assert a.loc["Interreg (cross-border) programmes", "eur_bn"] == 1.0


def test_named_in_plan_is_short_and_quotes_the_plan(landscape):
    t = funding.named_in_plan(landscape)
    assert len(t) <= 8
    fields = t.set_index("what").loc["Policy fields"]
    assert fields["n"] == 4 and "housing" in fields["quote"]
    pair = t.set_index("what").loc["Instrument tied to a fund or field by the plan itself"]
    assert pair["items"] == "Blending under AMIF" and "blending facility" in pair["quote"]
