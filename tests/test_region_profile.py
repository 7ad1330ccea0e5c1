"""Regional profiles: the fan-out over NUTS-2 regions (off by default) and the numbers of one region's page."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import processed_table
from test_runner import REAL_CATALOGUE, REAL_RAW

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration import fanout, pipeline, runner, toc

REAL_PROCESSED, REAL_PARAMS, REAL_SOURCES = paths.PROCESSED, paths.PARAMS, paths.CHAPTER_SOURCES
INPUTS = ("regional_unemployment", "regional_indicators", "nuts2021_level2")


def region_entry(values, **more) -> dict:
    """The ``region_profile`` entry of the real params.yml, switched on, with ``values``."""
    doc = yaml.safe_load(REAL_PARAMS.read_text(encoding="utf-8"))
    entry = {**doc["profiles"]["region_profile"], "enabled": True, "values": values, **more}
    return {"region_profile": entry}


def tmp_entry(values, **more) -> dict:
    """:func:`region_entry` on the small table of the ``regions`` fixture: no inputs, no labels unless given."""
    return region_entry(values, **{"inputs": [], "labels": None, **more})


def write_params(profiles: dict) -> None:
    doc = {"epoch": 1, "notebooks": {}, "profiles": profiles}
    paths.PARAMS.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


# --------------------------------------------------------------------------- off by default

def test_the_book_declares_regional_profiles_but_leaves_them_off():
    entries = fanout.load_fanouts(REAL_PARAMS)
    assert "region_profile" in entries and not entries["region_profile"].enabled
    _, specs = runner.load_params(REAL_PARAMS)
    assert not [s for s in specs.values() if s.notebook == "region_profile"]
    assert "Regional profiles" not in toc.toc_parts(REAL_PARAMS)
    committed = (paths.BOOK / "_toc.yml").read_text(encoding="utf-8")
    assert "region_" not in committed and not (paths.BOOK / "region_profiles.md").exists()


# --------------------------------------------------------------------------- the values: NUTS-2 codes of a table

@pytest.fixture
def regions(project):
    """A project whose processed folder holds a small regional table."""
    pd.DataFrame({"geo": ["BE21", "BE10", "AT13", "NO01", "BE", "TR10", "DE30", "DE30"],
                  "name": ["Antwerpen", "Bruxelles", "AT13 (former code)", "Oslo", "Belgium", "Istanbul", "Berlin",
                           "Berlin"],
                  "rate_FOR": [5.0, 11.9, 9.0, 4.0, 8.0, 10.0, np.nan, 7.9]}).to_parquet(
        paths.PROCESSED / "tmp_regions.parquet", index=False)
    return project


def test_regions_in_gives_the_nuts2_codes_of_the_scope_in_book_order_with_their_labels(regions):
    rule = {"table": "tmp_regions", "column": "geo"}
    write_params(tmp_entry({"scope": "EU27", "regions_in": rule},
                           labels={"table": "tmp_regions", "column": "geo", "label": "name"}))
    _, specs = runner.load_params()
    # Belgium before Germany before Austria (the EU-27 in the book's order); NO01, TR10 and the country row out.
    assert list(specs) == ["region_BE10", "region_BE21", "region_DE30", "region_AT13"]
    assert specs["region_BE10"].title == "Bruxelles (BE10)"
    assert specs["region_AT13"].title == "AT13 (former code)"          # the code once, not twice
    assert specs["region_BE10"].parameters == {"group": "FOR", "region": "BE10"}
    write_params(tmp_entry({"scope": "EU27+EFTA", "regions_in": rule}))
    assert "region_NO01" in runner.load_params()[1]


def test_having_keeps_the_regions_with_a_value(regions, tmp_path):
    pd.DataFrame({"geo": ["BE10", "BE21"], "rate_FOR": [np.nan, 5.0]}).to_parquet(
        paths.PROCESSED / "tmp_regions.parquet", index=False)
    write_params(tmp_entry({"scope": "EU27", "regions_in": {"table": "tmp_regions", "column": "geo",
                                                                "having": "rate_FOR"}}))
    assert list(runner.load_params()[1]) == ["region_BE21"]


@pytest.mark.parametrize("values, words", [
    ({"scope": "EU27", "regions_in": {"table": "tmp_regions"}}, ["regions_in must be"]),
    ({"scope": "EU27", "regions_in": {"table": "absent", "column": "geo"}}, ["absent", "missing"]),
    ({"scope": "EU27", "regions_in": {"table": "tmp_regions", "column": "geo", "having": "rate_XX"}},
     ["has no column 'rate_XX'"]),
    ({"scope": "EU27", "covered_by": {"table": "tmp_regions", "column": "geo"},
      "regions_in": {"table": "tmp_regions", "column": "geo"}}, ["'values' must be"]),
])
def test_a_bad_regions_rule_is_an_error_naming_the_file_and_the_entry(regions, params_error, values, words):
    write_params(tmp_entry(values))
    params_error("profiles 'region_profile'", words)


def test_the_regional_part_has_an_index_page_headed_region_with_the_labels(regions):
    write_params(tmp_entry(["BE10", "DE30"], labels={"table": "tmp_regions", "column": "geo", "label": "name"}))
    parts = toc.toc_parts()
    assert parts["Regional profiles"] == ["region_profiles", ("chapters/region_BE10", "Bruxelles (BE10)"),
                                          ("chapters/region_DE30", "Berlin (DE30)")]
    page = fanout.index_page_text(fanout.load_fanouts()["region_profile"])
    assert page.splitlines()[4].startswith("| Region | Code | Unemployment gap \\(pp\\) |")
    assert "| {doc}`Bruxelles (BE10) <chapters/region_BE10>` | BE10 | " \
           "{glue:text}`chapters/region_BE10.ipynb::rf_index_gap:s` |" in page


def test_a_link_text_from_data_cannot_end_the_role_or_the_row():
    from inclusion_evidence.orchestration.fanout import _role_title

    assert _role_title("Cataluña (ES51)") == "Cataluña (ES51)"            # shown as it is: no backslashes
    assert _role_title("a`b <../x> c|d\\e\nf") == "ab ../x cde f"


def test_with_the_real_table_the_option_yields_the_eu27_regions_with_a_foreign_born_rate_and_valid_titles():
    unemployment = processed_table("regional_unemployment")
    doc = yaml.safe_load(REAL_PARAMS.read_text(encoding="utf-8"))
    entry = fanout.parse_fanouts({"region_profile": {**doc["profiles"]["region_profile"], "enabled": True}},
                                 "params.yml")["region_profile"]
    from inclusion_evidence.core.geo_codes import in_scope
    eu = unemployment[in_scope(unemployment["geo"], "EU27").to_numpy()].dropna(subset=["rate_FOR"])
    assert set(entry.values) == set(eu["geo"]) and len(entry.values) == len(set(entry.values))
    # every title survives the table of contents' YAML
    toc_doc = yaml.safe_load("\n".join(f"- title: {entry.label(v)}" for v in entry.values))
    assert [d["title"] for d in toc_doc] == [entry.label(v) for v in entry.values]


# --------------------------------------------------------------------------- the numbers of one page

def frame(rows) -> pd.DataFrame:
    cols = ["geo", "time", "rate_TOTAL", "flag_TOTAL", "rate_FOR", "flag_FOR", "gap_FOR", "gap_flag_FOR"]
    out = pd.DataFrame(rows, columns=cols)
    return out.assign(name=out["geo"].map({"BE10": "Bruxelles", "BE21": "Antwerpen", "BE22": "Limburg",
                                           "DE30": "Berlin"}),
                      country=out["geo"].str[:2], nuts_version="NUTS 2021")


UNEMP = frame([
    ["BE10", 2012, 17.5, "", 21.2, "", 3.7, ""], ["BE10", 2022, 11.5, "", 11.9, "u", 0.4, "u"],
    ["BE21", 2012, 6.0, "", 12.0, "", 6.0, ""], ["BE21", 2022, 4.0, "", 7.0, "", 3.0, ""],
    ["BE22", 2022, 4.0, "", 9.0, "", 5.0, ""],
    ["DE30", 2022, 4.8, "", 7.9, "", 3.1, ""], ["DE30", 2015, 9.6, "b", np.nan, "", np.nan, ""],
])


def test_the_gap_is_set_beside_the_chapter_medians_of_the_country_and_the_eu27():
    from inclusion_evidence.analysis import region_profile as RP
    from inclusion_evidence.analysis.regional import gap_distribution_by_year

    gaps = RP.gap_beside(UNEMP, "BE10")
    y22 = gaps[gaps["time"] == 2022].set_index("series")
    assert y22.loc["Bruxelles", "gap"] == 0.4 and y22.loc["Bruxelles", "flag"] == "u"
    assert y22.loc["Median of regions, Belgium", "gap"] == 3.0          # 0.4, 3.0, 5.0
    assert y22.loc["Median of regions, Belgium", "n_regions"] == 3
    eu = gap_distribution_by_year(UNEMP).set_index("time").loc[2022, "median"]   # the chapter's function
    assert y22.loc["Median of regions, EU-27", "gap"] == eu == pytest.approx(3.05)
    assert sorted(gaps["time"].unique()) == [2012, 2022]                  # the years the region has a gap
    change = RP.latest_and_change(gaps, "Bruxelles", "gap")
    assert (change["year"], change["base_year"], change["change"], change["flag"]) == (2022, 2012, -3.3, "u")


def test_a_region_without_a_foreign_born_rate_keeps_its_total_and_has_no_gap():
    from inclusion_evidence.analysis import region_profile as RP

    rates = RP.rate_trend(UNEMP, "DE30")
    assert rates[rates["time"] == 2015][["group", "rate", "flag"]].to_dict("records") == [
        {"group": "TOTAL", "rate": 9.6, "flag": "b"}]
    assert RP.latest_and_change(RP.gap_beside(UNEMP, "DE30"), "Berlin", "gap")["base_year"] is None
    with pytest.raises(ValueError, match="'BE' is not a NUTS-2 region"):
        RP.region_info(UNEMP, "BE")
    with pytest.raises(ValueError, match="'FR10' is not a NUTS-2 region"):
        RP.gap_beside(UNEMP, "FR10")


def test_the_foreign_born_share_ranks_the_region_among_its_countrys_regions():
    from inclusion_evidence.analysis import region_profile as RP

    ind = UNEMP.assign(foreign_born_share=[50.0, 53.4, 20.0, 22.0, 10.0, 18.0, np.nan])
    shares = RP.share_trend(ind, "BE10").set_index(["series", "time"])
    assert shares.loc[("Bruxelles", 2022), ["share", "rank", "of"]].tolist() == [53.4, 1, 3]
    assert shares.loc[("Median of regions, Belgium", 2022), "share"] == 22.0
    assert RP.share_trend(ind, "DE30").set_index("time").loc[2022, "share"].tolist() == [18.0, 18.0]
    assert RP.share_trend(ind.assign(foreign_born_share=np.nan), "BE10").empty


# --------------------------------------------------------------------------- three regions, executed

@pytest.fixture
def real_regions(project, monkeypatch):
    """A project with the real regional tables, catalogue and region notebook, the option on for three regions."""
    for name in INPUTS:
        if not (REAL_PROCESSED / f"{name}.parquet").exists():
            pytest.skip(f"processed table {name} not built (run `make process`)")
        (paths.PROCESSED / f"{name}.parquet").symlink_to(REAL_PROCESSED / f"{name}.parquet")
    monkeypatch.setattr(paths, "RAW", REAL_RAW)
    monkeypatch.setattr(paths, "CATALOGUE", REAL_CATALOGUE)
    shutil.copy2(REAL_CATALOGUE, project / "data" / "raw" / "sources.yml")   # the kernel reads its project's
    shutil.copy2(REAL_SOURCES / "region_profile.ipynb", paths.CHAPTER_SOURCES / "region_profile.ipynb")
    write_params(region_entry(["BE10", "DE30", "ES51"]))
    return project


@pytest.mark.slow
def test_three_regional_profiles_fan_out_execute_and_draw_their_figures(real_regions):
    _, specs = runner.load_params()
    assert list(specs) == ["region_BE10", "region_DE30", "region_ES51"]
    assert specs["region_ES51"].title == "Cataluña (ES51)"
    report = pipeline.update(steps=[], notebooks=None, jobs=2, log=lambda _: None)["notebooks"]
    assert {r["notebook"]: r["status"] for r in report} == {n: "executed" for n in specs}
    for code in ("BE10", "DE30", "ES51"):
        nb = json.loads((paths.EDITION / f"region_{code}.ipynb").read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.get("output_type") == "error"]
        folder = paths.EDITION / "figures" / f"region_{code}"
        for fig in ("locator", "unemployment", "gap", "foreign-born"):
            assert (folder / f"{fig}.png").stat().st_size > 5000, (code, fig)
            assert len(pd.read_csv(folder / f"{fig}.csv")) > 0
        gap = pd.read_csv(folder / "gap.csv")
        assert {f"Median of regions, {c}" for c in ("Belgium", "Germany", "Spain")} & set(gap["series"])
        assert "Median of regions, EU-27" in set(gap["series"])
        text = json.dumps(outputs)
        assert "Key findings" in text and "Not available" not in text     # these three have every number
    unemployment = pd.read_csv(paths.EDITION / "figures" / "region_ES51" / "unemployment.csv",
                               keep_default_na=False)
    assert {"bd", "d"} <= set(unemployment["flag"])                   # Eurostat's flags kept in the data
    again = pipeline.update(steps=[], notebooks=None, jobs=2, log=lambda _: None)["notebooks"]
    assert {r["status"] for r in again} == {"cached"}
