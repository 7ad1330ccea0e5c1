"""Tests for chapters 6 and 7: synthesis schemas, analysis functions, declared sources, notebook runs."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from inclusion_evidence.analysis import funding_children as fc
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.paths import BOOK, EDITION
from inclusion_evidence.ingest.readers.eurostat import read_eurostat
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.steps.funding_children import AMIF_PLAN_COLUMNS, amif_2021_2027, read_cohesion_financial_plan


def _write(tmp_path, text, name="file.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- synthesis files

@pytest.fixture(scope="module")
def landscape():
    return load_synthesis("financial_landscape")


@pytest.fixture(scope="module")
def gaps():
    return load_synthesis("child_protection_gaps")


def _bib_keys():
    return set(re.findall(r"^@\w+\{([^,]+),", (BOOK / "references.bib").read_text(encoding="utf-8"), re.M))


def test_financial_landscape_schema(landscape):
    assert landscape.action == 6
    assert landscape.has_layers
    assert {"actors", "activities"} <= set(landscape.extras)
    ids = {"rows": set(landscape.rows["id"]), "columns": set(landscape.columns["id"]),
           "layers": set(landscape.layers["id"])}
    # every id an actor or activity names is declared
    for _, actor in landscape.extras["actors"].iterrows():
        assert set(fc._ids(actor.get("instruments"))) <= ids["rows"]
    for _, act in landscape.extras["activities"].iterrows():
        assert set(fc._ids(act.get("instruments"))) <= ids["rows"]
        assert set(fc._ids(act.get("funds"))) <= ids["layers"]
        assert set(fc._ids(act.get("fields"))) <= ids["columns"]
        assert set(fc._ids(act.get("actors"))) <= set(landscape.extras["actors"]["id"])


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
    m = fc.scope_matrix(gaps, labels=False)
    assert m.shape == (len(gaps.rows), len(gaps.columns))
    assert set(np.unique(m.to_numpy())) <= {0, 1, 2}
    assert (m.loc["frontline_training"] == 2).all()
    assert m.loc["guardianship", "guardians"] == 2
    assert m.loc["guardianship", "social_workers"] == 1
    specific = gaps.cells[gaps.cells["scope"] == "specific"]
    assert int((m == 2).to_numpy().sum()) == len(specific)


def test_landscape_matrix_blocks(landscape):
    m = fc.landscape_matrix(landscape)
    assert m.shape == (len(landscape.rows), len(landscape.columns) + len(landscape.layers))
    assert sum(c.startswith("Field: ") for c in m.columns) == len(landscape.columns)
    assert m.loc["Blending", "Fund: AMIF"] == 2
    assert m.loc["Loans", "Fund: AMIF"] == 1


def test_landscape_network_keeps_unnamed_actors_unconnected(landscape):
    g = fc.landscape_network(landscape)
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
    actors = fc.actors_table(landscape)
    assert len(actors) == len(landscape.extras["actors"])
    row = actors.set_index("Actor").loc["Guarantee societies"]
    assert row["Instruments named"] == "Guarantees" and row["Basis"] == "in the actor's name"
    acts = fc.activities_table(landscape)
    assert len(acts) == len(landscape.extras["activities"])
    assert "AMIF" in acts.set_index("Activity").iloc[10]["Instruments, funds, fields or actors named"]


# --------------------------------------------------------------------------- ESIF

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
    out = fc.esif_fund_objective(esif, ["9"])
    erdf = out[out["fund"] == "ERDF"].set_index("to_code")
    assert erdf.loc["09", "eur_bn"] == pytest.approx(1010 / 1e9)
    assert erdf.loc["other", "objective"] == fc.OTHER_OBJECTIVES
    assert out.groupby("fund")["share_of_fund"].sum().to_numpy() == pytest.approx([100, 100])
    assert out["fund"].iloc[0] == "ERDF"  # largest fund first


def test_esif_country_shares_excludes_interreg_and_fills_zero(esif):
    out = fc.esif_country_shares(esif, ["09", "08"])
    assert set(out["geo"]) == {"DE", "EL"}  # TC (Interreg) left out
    de = out[out["geo"] == "DE"].set_index("to_code")
    assert de.loc["09", "share"] == pytest.approx(30.0)
    assert de.loc["08", "share"] == pytest.approx(50.0)
    assert out[(out["geo"] == "EL") & (out["to_code"] == "08")]["share"].iloc[0] == 0.0
    esf = fc.esif_country_shares(esif, ["09"], fund="ESF")
    assert list(esf["geo"]) == ["DE"]
    with pytest.raises(ValueError, match="YEI"):
        fc.esif_country_shares(esif, ["09"], fund="YEI")


# --------------------------------------------------------------------------- AMIF payments

@pytest.fixture
def budget():
    rows = []
    for year, prog in ((2013, "SOLID"), (2014, "AMIF"), (2015, "AMIF"), (2021, "AMIF")):
        for geo, amount in (("DE", 10.0), ("MT", 2.0), ("DK", None)):
            rows.append({"year": year, "programme": prog, "line_code": "x", "line_label": "x",
                         "member_state": geo, "eur_million": amount})
    return pd.DataFrame(rows)


def test_amif_payments_period_and_blank_cells(budget):
    p = fc.amif_payments(budget, "2014-2020")
    assert sorted(p["year"].unique()) == [2014, 2015]
    assert set(p["programme"]) == {"AMIF"}
    assert p[p["geo"] == "DK"]["eur_million"].isna().all()  # blank stays missing, not zero
    assert len(fc.amif_payments(budget)) == 12
    with pytest.raises(ValueError, match="programming period"):
        fc.period_years("2028-2034")


def test_normalisation_per_foreign_born_and_summary(budget):
    fb = pd.DataFrame({"c_birth": "FOR", "geo": ["DE", "DE", "MT"], "time": [2014, 2015, 2014],
                       "value": [1e6, 3e6, 1e5], "flag": ""})
    denom = fc.denominators("per_foreign_born", foreign_born=fb)
    p = fc.amif_payments(budget, "2014-2020")
    norm = fc.normalise_payments(p, "per_foreign_born", denom).set_index(["geo", "year"])
    assert norm.loc[("DE", 2014), "value"] == pytest.approx(10.0)
    assert norm.loc[("DE", 2015), "value"] == pytest.approx(10 / 3)
    assert math.isnan(norm.loc[("MT", 2015), "value"])  # no denominator: not filled in
    summary = fc.period_summary(p, "per_foreign_born", denom).set_index("geo")
    assert summary.loc["DE", "value"] == pytest.approx(20e6 / 2e6)
    assert summary.loc["MT", "denominator_years"] == "2014"
    assert math.isnan(summary.loc["DK", "value"])
    none = fc.period_summary(p, "none", fc.denominators("none")).set_index("geo")
    assert none.loc["DE", "value"] == 20.0
    with pytest.raises(ValueError, match="normalisation"):
        fc.denominators("per_household")


def test_per_capita_denominator_uses_world_bank_geo():
    wb = pd.DataFrame({"iso3": ["DEU", "ABW"], "geo": ["DE", None], "country": ["Germany", "Aruba"],
                       "year": [2014, 2014], "population": pd.array([80_000_000, 100_000], dtype="Int64")})
    d = fc.denominators("per_capita", population=wb)
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
    p = fc.amif_payments(tidy)
    assert len(p) == 2 * len(STATES)
    de = p[p["geo"] == "DE"].set_index("year")["eur_million"]
    assert de[2014] == STATES.index("DE") + 1 and de[2021] == 2 * (STATES.index("DE") + 1)
    assert fc.amif_payments(tidy, "2021-2027")["year"].unique().tolist() == [2021]


def test_budget_workbook_error_cell_stops_the_pipeline(tmp_path):
    from inclusion_evidence.ingest.readers.eu_budget import BudgetLine, read_eu_budget_payments

    amounts = [1] * len(STATES)
    amounts[3] = "#REF!"
    s2014 = [["Code", "Heading", "Total", *STATES], ["3.0.1", "Asylum, Migration and Integration Fund", 11, *amounts]]
    path = _budget_workbook(tmp_path / "budget.xlsx", {"2014": s2014})
    with pytest.raises(DataError, match="non-numeric"):
        fc.amif_payments(read_eu_budget_payments(path, [BudgetLine("3.0.1", ("asylum",), 2014, 2014, "AMIF")]))


# --------------------------------------------------------------------------- AMIF 2021-2027 (declared source)

COHESION_CSV = (
    "ms,cci,cci_title,fund,financial_allocation_category,y2021,y2022,y2023,y2024,y2025,y2026,y2027,total\n"
    "GR,2021GR65AMPR001,AMIF Greece,AMIF,,100,200,300,0,0,0,0,600\n"
    "GR,2021GR65AMPR001,AMIF Greece,AMIF,TA,10,0,0,0,0,0,0,10\n"
    "DE,2021DE65AMPR001,AMIF Germany,AMIF,,\"1,000\",0,0,0,0,0,0,1000\n"
    "DE,2021DE16FFPR001,ESF+ Germany,ESF,,999,0,0,0,0,0,0,999\n"
)


def test_cohesion_plan_reader_and_summary(tmp_path):
    plan = read_cohesion_financial_plan(_write(tmp_path, COHESION_CSV))
    assert list(plan.columns) == list(AMIF_PLAN_COLUMNS)
    assert set(plan["geo"]) == {"EL", "DE"}  # GR written as ISO, stored as Eurostat EL
    assert set(plan["fund"]) == {"AMIF"}  # ESF+ row dropped
    el21 = plan[(plan["geo"] == "EL") & (plan["year"] == 2021)]["eur"]
    assert el21.tolist() == [110.0]  # allocation categories summed
    alloc = fc.amif_allocations_by_state(plan)
    assert alloc["geo"].tolist() == ["DE", "EL"]
    assert alloc["eur_million"].tolist() == pytest.approx([1000 / 1e6, 610 / 1e6])


def test_cohesion_plan_reader_display_headers(tmp_path):
    text = "MS,CCI,Title,Fund,2021,2022\nAT,2021AT65AMPR001,AMIF Austria,AMIF,5,6\n"
    plan = read_cohesion_financial_plan(_write(tmp_path, text))
    assert plan["eur"].sum() == 11.0 and plan["programme"].iloc[0] == "AMIF Austria"


@pytest.mark.parametrize("text, words", [
    ("cci,fund,y2021\nx,AMIF,1\n", ["'ms'"]),
    ("ms,fund,total\nDE,AMIF,1\n", ["yearly amount"]),
    ("ms,fund,y2021\nDE,AMIF,n/a\n", ["row 2", "y2021", "not a number"]),
    ("ms,fund,y2021\nDE,AMIF,1\nXX,AMIF,1\n", ["row 3", "unknown Member State"]),
    ("ms,fund,y2021\n", ["no rows"]),
])
def test_cohesion_plan_reader_errors_name_the_problem(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as exc:
        read_cohesion_financial_plan(path)
    for word in [str(path), *words]:
        assert word in str(exc.value)


def test_amif_step_empty_without_source_and_filled_with_it(tmp_path):
    empty = amif_2021_2027({})["amif_2021_2027_planned"]
    assert empty.empty and list(empty.columns) == list(AMIF_PLAN_COLUMNS)
    assert fc.amif_allocations_by_state(empty).empty
    full = amif_2021_2027({"cohesion_2021_2027_amif": _write(tmp_path, COHESION_CSV)})["amif_2021_2027_planned"]
    assert len(full) == 2 * 7


# --------------------------------------------------------------------------- chapter 7: asylum

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
    r = fc.asylum_rates(asylum, population, start=2009, end=2016).set_index(["geo", "time"])
    assert r.loc[("SE", 2015), "per_100k"] == pytest.approx(7000 / 10e6 * 1e5)
    assert math.isnan(r.loc[("DE", 2016), "per_100k"])  # zero population: missing, not infinite
    assert math.isnan(r.loc[("DE", 2009), "per_100k"])  # no population that year
    ua = fc.asylum_rates(asylum, population, citizen="UA", start=2009, end=2009)
    assert ua["applicants"].tolist() == [5.0]
    sel = fc.asylum_rates(asylum, population, start=2015, end=2015, countries=["SE"])
    assert sel["geo"].tolist() == ["SE"]
    with pytest.raises(ValueError, match="no asylum applicants"):
        fc.asylum_rates(asylum, population, citizen="SY")


def test_eu_trend_rate_only_when_every_country_has_population(asylum, population):
    r = fc.asylum_rates(asylum, population, start=2009, end=2016)
    eu = fc.eu_applicants_trend(r).set_index("time")
    assert eu.loc[2015, "applicants"] == 14000  # DE + SE; CH is not EU
    assert eu.loc[2015, "per_100k"] == pytest.approx(14000 / 90e6 * 1e5)
    assert math.isnan(eu.loc[2016, "per_100k"])  # DE 2016 has no usable population
    assert fc.latest_rate_year(r) == 2016  # SE has a 2016 rate


def test_sweden_annual_and_long():
    months = pd.date_range("2015-01-01", "2016-02-01", freq="MS")
    df = pd.DataFrame({"month": months, "total": pd.array([100] * len(months), dtype="Int64"),
                       "minors": pd.array([40] * len(months), dtype="Int64"),
                       "unacc_minors": pd.array([20] * len(months), dtype="Int64")})
    a = fc.sweden_annual(df).set_index("year")
    assert a.loc[2015, "months"] == 12 and a.loc[2016, "months"] == 2
    assert a.loc[2015, "share_unacc"] == pytest.approx(20.0)
    long = fc.sweden_long(df, start=2016)
    assert len(long) == 3 * 2 and set(long["series"]) == {"All applicants", "Minors (incl. unaccompanied)",
                                                          "Unaccompanied minors"}


def test_news_release_helpers():
    uam = pd.DataFrame({"country": ["EU-28", "Germany", "Czechia"], "geo": ["EU28", "DE", "CZ"],
                        "uam_2015": pd.array([100, 60, 15], dtype="Int64"),
                        "uam_2016": pd.array([80, 70, None], dtype="Int64")})
    long = fc.uam_release_long(uam)
    assert set(long["geo"]) == {"DE", "CZ"} and long["uam"].isna().sum() == 1
    top = pd.DataFrame({"geo": ["EU28", "DE", "DE", "AT"], "country": "x", "uam_2016": 1,
                        "rank": [1, 1, 2, 1], "citizenship": ["Afghanistan", "Syria", "Afghanistan", "Afghanistan"],
                        "number": pd.array([10, 5, 4, 3], dtype="Int64"), "share": 1.0, "flag": ""})
    assert fc.uam_eu_citizenships(top)["citizenship"].tolist() == ["Afghanistan"]
    counts = fc.uam_citizenship_counts(top)
    assert counts.iloc[0]["citizenship"] == "Afghanistan" and counts.iloc[0]["states"] == 2


# --------------------------------------------------------------------------- chapter 7: declared Eurostat tables

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
    return _write(tmp_path, UNAA_HEADER + "\n".join(lines) + "\n", "migr_asyunaa.csv")


def test_migr_asyunaa_present_case_renders(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    from inclusion_evidence.present.figures import show_figure

    unaa = read_eurostat(_unaa_fixture(tmp_path))
    s = fc.uam_eurostat_summary(unaa, start=2015, end=2016, countries=["SE"])
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
    for spec in specs:
        show_figure(spec.pop("fig"), spec.pop("name"), directory=tmp_path / "figs", **spec)
    assert (tmp_path / "figs" / "uam-eurostat-map.png").exists()
    assert len(list((tmp_path / "figs").glob("*.csv"))) == 4


def test_migr_asyunaa_window_without_rows_is_an_error(tmp_path):
    unaa = read_eurostat(_unaa_fixture(tmp_path))
    with pytest.raises(ValueError, match="2020-2021"):
        fc.uam_eurostat_summary(unaa, start=2020, end=2021)


def test_minors_from_age_table_fixture(tmp_path):
    header = "DATAFLOW,LAST UPDATE,freq,unit,citizen,sex,age,asyl_app,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    rows = ["ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y_LT14,ASY_APP,AT,2015,20000,",
            "ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y14-17,ASY_APP,AT,2015,15000,",
            "ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y_LT14,ASY_APP,AT,2016,9000,",
            "ESTAT:MIGR_ASYAPPCTZA(1.0),x,A,PER,TOTAL,T,Y14-17,ASY_APP,AT,2016,4000,"]
    table = read_eurostat(_write(tmp_path, header + "\n".join(rows) + "\n"))
    out = fc.minors_from_age_table(table, start=2015, end=2016).set_index("time")["minors"]
    assert out[2015] == 35000 and out[2016] == 13000
    with_lt18 = pd.concat([table, table.iloc[[0]].assign(age="Y_LT18", value=1.0)])
    assert fc.minors_from_age_table(with_lt18, start=2015, end=2015)["minors"].tolist() == [1.0]


# --------------------------------------------------------------------------- notebooks (slow)

def _run(tmp_path, name, parameters):
    import papermill as pm

    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(EDITION.parent.parent / "chapters" / f"{name}.ipynb"), str(out),
                        parameters=parameters, cwd=str(tmp_path), kernel_name="python3", progress_bar=False)
    import nbformat

    nb = nbformat.read(out, as_version=4)
    glued = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if "scrapbook" in o.get("metadata", {}):
                glued[o["metadata"]["scrapbook"]["name"]] = next(
                    v for k, v in o["data"].items() if k.endswith("text/plain"))
    return glued


@pytest.mark.slow
def test_chapter_6_runs_with_other_parameters(tmp_path):
    glued = _run(tmp_path, "action_6_financial_instruments",
                 {"programming_period": "2021-2027", "fund": "ESF", "thematic_objectives": ["09"],
                  "normalisation": "per_capita"})
    assert glued["ch6_period"] == "'2021-2027'" and glued["ch6_unit"] == "'EUR per resident'"
    assert glued["ch6_pay_first_year"] == "2021"
    figs = tmp_path / "figures" / "action_6_financial_instruments"
    assert (figs / "amif-payments-map.png").exists() and (figs / "esif-country-shares.csv").exists()


@pytest.mark.slow
def test_chapter_7_runs_with_other_parameters(tmp_path):
    glued = _run(tmp_path, "action_7_children",
                 {"year_start": 2014, "year_end": 2020, "countries": ["BE", "NL"], "citizenship": "UA"})
    assert glued["ch7_year_start"] == "2014" and glued["ch7_year_end"] == "2020"
    assert glued["ch7_map_year"] == "2020"
    figs = tmp_path / "figures" / "action_7_children"
    assert (figs / "asylum-rate-map.png").exists()
    trend = pd.read_csv(figs / "asylum-rate-trend.csv")
    assert set(trend["geo"]) == {"BE", "NL"}
