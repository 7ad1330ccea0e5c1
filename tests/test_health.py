"""Tests for the health analysis functions (Actions 1 and 2) and their inputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from inclusion_evidence.analysis import health
from inclusion_evidence.core.paths import CHAPTER_SOURCES, PROCESSED
from inclusion_evidence.ingest.readers.eurostat import read_eurostat

# --------------------------------------------------------------------------- label-only reader

LABEL_HEADER = ("DATAFLOW,LAST UPDATE,freq,sex,age,citizen,lev_perc,unit,geo,TIME_PERIOD,OBS_VALUE,"
                "OBS_FLAG,CONF_STATUS")


def _label_row(citizen, lev, geo, year, value, flag=""):
    return (f"ESTAT:HLTH_SILC_24(1.0),21/03/25 23:00:00,Annual,Total,16 years or over,{citizen},{lev},"
            f"Percentage,{geo},{year},{value},{flag},")


def _silc_label_file(tmp_path):
    rows = [
        _label_row("Reporting country", "Bad or very bad", "Austria", 2023, "8.1"),
        _label_row("Non-EU27 countries (from 2020) nor reporting country", "Bad or very bad", "Austria", 2023, "10.9"),
        _label_row("Reporting country", "Very good or good", "Austria", 2023, "71.0"),
        _label_row("Non-EU27 countries (from 2020) nor reporting country", "Very good or good", "Austria", 2023,
                   "70.2", "u"),
        _label_row("Foreign country", "Bad or very bad", "Austria", 2023, "8.3"),
        _label_row("EU27 countries (from 2020) except reporting country", "Bad or very bad", "Austria", 2023, ""),
        _label_row("Reporting country", "Bad or very bad", "Hungary", 2023, "9.3"),
        _label_row("Non-EU27 countries (from 2020) nor reporting country", "Bad or very bad", "Hungary", 2023,
                   "0.0", "u"),
        _label_row("Reporting country", "Bad or very bad",
                   "European Union - 27 countries (from 2020)", 2022, "8.8"),
        _label_row("Non-EU27 countries (from 2020) nor reporting country", "Bad or very bad",
                   "European Union - 27 countries (from 2020)", 2022, "7.7"),
        _label_row("Reporting country", "Bad or very bad",
                   "European Union - 27 countries (from 2020)", 2023, "8.9"),
        _label_row("Non-EU27 countries (from 2020) nor reporting country", "Bad or very bad",
                   "European Union - 27 countries (from 2020)", 2023, "7.9"),
    ]
    path = tmp_path / "hlth_silc_24_labels.csv"
    path.write_text(LABEL_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_label_only_reader_maps_labels_to_codes(tmp_path):
    df = read_eurostat(_silc_label_file(tmp_path))
    assert df.attrs["shape"] == "sdmx-csv-labels"
    assert df.attrs["dataset"] == "hlth_silc_24"
    assert list(df.columns) == ["freq", "sex", "age", "citizen", "lev_perc", "unit", "geo", "time", "value", "flag"]
    assert set(df["freq"]) == {"A"} and set(df["sex"]) == {"T"} and set(df["age"]) == {"Y_GE16"}
    assert set(df["unit"]) == {"PC"}
    assert set(df["citizen"]) == {"NAT", "NEU27_2020_FOR", "FOR", "EU27_2020_FOR"}
    assert set(df["lev_perc"]) == {"B_VB", "VG_G"}
    assert set(df["geo"]) == {"AT", "HU", "EU27_2020"}
    assert df["time"].dtype.kind == "i"
    # empty value -> missing, flags kept
    missing = df[(df["citizen"] == "EU27_2020_FOR")]
    assert missing["value"].isna().all()
    assert df.loc[(df["geo"] == "HU") & (df["citizen"] == "NEU27_2020_FOR"), "flag"].item() == "u"


def test_label_only_reader_rejects_unknown_label(tmp_path):
    from inclusion_evidence.core.errors import DataError

    path = tmp_path / "bad.csv"
    path.write_text(LABEL_HEADER + "\n" + _label_row("Martians", "Bad or very bad", "Austria", 2023, "1.0") + "\n")
    with pytest.raises(DataError, match="unknown label 'Martians'"):
        read_eurostat(path)


# --------------------------------------------------------------------------- self-perceived health

def test_citizenship_gap_on_label_fixture(tmp_path):
    silc = read_eurostat(_silc_label_file(tmp_path))
    gap = health.citizenship_gap(silc, year=2023, group="NEU27_2020_FOR", lev_perc="B_VB")
    assert list(gap["geo"]) == ["AT", "HU"]  # aggregates dropped by default
    at = gap.set_index("geo").loc["AT"]
    assert at["reference"] == pytest.approx(8.1) and at["group"] == pytest.approx(10.9)
    assert at["gap"] == pytest.approx(2.8)
    assert gap.set_index("geo").loc["HU", "flag"] == "u"
    assert gap.set_index("geo").loc["AT", "country"] == "Austria"
    # a group with a missing value is dropped, not filled
    other = health.citizenship_gap(silc, year=2023, group="EU27_2020_FOR", lev_perc="B_VB")
    assert other.empty
    # country filter and aggregates
    eu = health.citizenship_gap(silc, year=2023, group="NEU27_2020_FOR", countries=["EU27_2020"],
                                include_aggregates=True)
    assert eu["gap"].item() == pytest.approx(-1.0)
    # the flag of either value is carried
    good = health.citizenship_gap(silc, year=2023, group="NEU27_2020_FOR", lev_perc="VG_G")
    assert good["flag"].item() == "u"


def test_gap_trend_and_level_trend(tmp_path):
    silc = read_eurostat(_silc_label_file(tmp_path))
    trend = health.gap_trend(silc, group="NEU27_2020_FOR", levels=("B_VB",))
    assert list(trend["time"]) == [2022, 2023]
    assert trend["gap"].round(1).tolist() == [-1.1, -1.0]
    lv = health.level_trend(silc, groups=("NAT", "NEU27_2020_FOR"))
    assert set(lv["group"]) == {"Nationals", "Non-EU citizens"}
    assert len(lv) == 4


# --------------------------------------------------------------------------- MIPEX

def _mipex_indicators(strand_score=None):
    scores = {"145a": 50, "146a": 50, "147a": 100, "148": 100, "149": 100, "150": 0,
              "152c": 67, "153c": 100, "156a": 100, "159": 100, "163": 100, "165": 50}
    dims = [np.mean([scores[c] for c in codes]) for codes in health.MIPEX_HEALTH_DIMENSIONS.values()]
    scores["strand_average"] = float(np.mean(dims)) if strand_score is None else strand_score
    return pd.DataFrame({"country": "AT", "year": 2019, "strand": "health",
                         "indicator": list(scores), "score": list(scores.values())})


def test_mipex_dimensions_reproduce_strand():
    d = health.mipex_health_dimensions(_mipex_indicators(), year=2019)
    row = d.iloc[0]
    assert row["Entitlements"] == pytest.approx(400 / 6)
    assert row["Accessibility"] == pytest.approx(83.5)
    assert row["Responsiveness"] == pytest.approx(100)
    assert row["Measures to achieve change"] == pytest.approx(75)
    assert row["strand"] == pytest.approx(81.2916667)
    assert row["n_indicators"] == 12


def test_mipex_dimensions_check_fails_on_mismatch():
    with pytest.raises(ValueError, match="do not reproduce"):
        health.mipex_health_dimensions(_mipex_indicators(strand_score=50.0), year=2019)


def test_mipex_scores_and_nearest_year():
    strands = pd.DataFrame({"country": ["AT", "AT", "AT", "DE"], "year": [2014, 2019, 2023, 2019],
                            "strand": ["health", "health", "health", "education"],
                            "score": [80.0, 81.0, 82.0, 50.0]})
    s = health.mipex_health_scores(strands)
    assert list(s.columns) == ["geo", "country", 2014, 2019, 2023]
    assert s["geo"].tolist() == ["AT"]
    assert health.nearest_mipex_year([2014, 2019, 2020, 2023], 2024) == 2023
    assert health.nearest_mipex_year([2014, 2019], 2016) == 2014  # the nearer year
    assert health.nearest_mipex_year([2014, 2019], 2017) == 2019


@pytest.mark.skipif(not (PROCESSED / "mipex_indicators.parquet").exists(), reason="processed data absent")
def test_mipex_dimensions_reproduce_every_published_strand_score():
    from inclusion_evidence.orchestration.process import read_table

    ind = read_table("mipex_indicators")
    for year in (2014, 2019, 2020, 2021, 2022, 2023):
        d = health.mipex_health_dimensions(ind, year=year)  # raises on any mismatch
        assert len(d) > 0


# --------------------------------------------------------------------------- FRA

def test_fra2019_depressed_sums_answers_and_keeps_missing():
    rows = []
    for geo, values in (("AT", [3, 5, 7, 10, 50, 25]), ("BE", [np.nan, 5, 7, 10, 50, 25])):
        for answer, v in zip(["All of the time", "Most of the time", "More than half of the time",
                              "Less than half of the time", "Some of the time", "At no time"], values):
            rows.append({"geo": geo, "question_id": "T1Q5", "target_group": "Trans people",
                         "breakdown": "age", "subgroup": "25-39", "answer": answer, "percentage": v})
    fra = pd.DataFrame(rows)
    out = health.fra2019_depressed(fra, target_group="Trans people").set_index("geo")
    assert out.loc["AT", "share"] == pytest.approx(15)
    assert np.isnan(out.loc["BE", "share"])  # not a partial sum


def test_fra2012_item_with_eu_average():
    fra = pd.DataFrame({"geo": ["AT", "AT", "EU28", "BE"], "subset": ["Gay", "Gay", "Gay", "Gay"],
                        "question_code": ["c4_d", "c4_d", "c4_d", "c4_d"], "answer": ["Yes", "No", "Yes", "Yes"],
                        "percentage": [11.0, 88.0, 9.0, 5.0], "note": [None, None, None, "small sample"]})
    out = health.fra2012_item(fra, countries=["AT"])
    assert out["geo"].tolist() == ["AT", "EU28"]
    assert out.set_index("geo").loc["EU28", "country"] == "EU-28 average"


# --------------------------------------------------------------------------- rates

def test_per_100k_basic_and_guards():
    counts = pd.DataFrame({"geo": ["AT", "BE", "XX", "ZZ"], "year": 2022, "value": [100.0, 50.0, 5.0, 1.0]})
    pop = pd.DataFrame({"geo": ["AT", "BE", "ZZ"], "year": 2022, "population": [1_000_000, 500_000, 0]})
    r = health.per_100k(counts, pop).set_index("geo")
    assert r.loc["AT", "per_100k"] == pytest.approx(10.0)
    assert r.loc["BE", "per_100k"] == pytest.approx(10.0)
    assert np.isnan(r.loc["XX", "per_100k"])  # no population
    assert np.isnan(r.loc["ZZ", "per_100k"])  # zero population: missing, not infinite
    with pytest.raises(ValueError, match="more than one row"):
        health.per_100k(counts, pd.concat([pop, pop]))


def test_population_for_uses_latest_earlier_year():
    pop = pd.DataFrame({"geo": ["AT", "AT", "BE"], "year": [2021, 2022, 2020],
                        "population": [9_000_000, 9_100_000, 11_000_000]})
    p = health.population_for(pop, 2023).set_index("geo")
    assert p.loc["AT", "population_year"] == 2022 and p.loc["AT", "population"] == 9_100_000
    assert p.loc["BE", "population_year"] == 2020


def test_exposure_rates():
    asylum = pd.DataFrame({"citizen": ["TOTAL", "UA", "TOTAL"], "sex": "T", "age": "TOTAL",
                           "geo": ["AT", "AT", "BE"], "time": 2022, "value": [1000.0, 10.0, 500.0], "flag": ""})
    unhcr = pd.DataFrame({"year": 2022, "geo": ["AT"], "origin": [pd.NA], "refugees": pd.array([900], "Int64"),
                          "asylum_seekers": pd.array([100], "Int64")})
    pop = pd.DataFrame({"geo": ["AT", "BE"], "year": [2022, 2021], "population": [1_000_000, 2_000_000]})
    r = health.exposure_rates(asylum, unhcr, pop, year=2022).set_index("geo")
    assert r.loc["AT", "asylum_per_100k"] == pytest.approx(100.0)
    assert r.loc["AT", "refugees_asylum_seekers_per_100k"] == pytest.approx(100.0)
    assert r.loc["BE", "asylum_per_100k"] == pytest.approx(25.0)
    assert r.loc["BE", "population_year"] == 2021
    assert np.isnan(r.loc["BE", "refugees_asylum_seekers_per_100k"])


# --------------------------------------------------------------------------- declared optional tables

SDMX10 = "DATAFLOW,LAST UPDATE,freq,{dims},geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"


def _sdmx_file(path, dims, rows, dataset):
    lines = [SDMX10.format(dims=",".join(dims)).rstrip("\n")]
    for r in rows:
        lines.append(f"ESTAT:{dataset.upper()}(1.0),01/01/25 23:00:00,A," + ",".join(map(str, r)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _unmet_fixture(tmp_path):
    dims = ["reason", "quant_inc", "sex", "age", "unit", "citizen"]
    rows = []
    for geo, nat, neu in (("AT", 0.5, 1.5), ("BE", 1.0, 3.0)):
        for reason, k in (("TOOEXP", 1), ("TOOFAR", 0.2), ("WAITING", 0.5), ("NO_UNMET", 90)):
            rows.append([reason, "TOTAL", "T", "Y_GE16", "PC", "NAT", geo, 2022, nat * k, ""])
            rows.append([reason, "TOTAL", "T", "Y_GE16", "PC", "NEU27_2020_FOR", geo, 2022, neu * k,
                         "u" if geo == "BE" else ""])
    return _sdmx_file(tmp_path / "hlth_silc_30.csv", dims, rows, "hlth_silc_30")


def test_unmet_needs_present_case_through_step(tmp_path):
    import inclusion_evidence.steps  # noqa: F401  (registers the steps)
    from inclusion_evidence.orchestration.process import STEPS

    path = _unmet_fixture(tmp_path)
    tables = STEPS["hlth_silc_30"].func({"eurostat_hlth_silc_30": path})
    tab = tables["hlth_silc_30"]
    assert not tab.empty and "citizen" in tab.columns
    u = health.unmet_needs_gap(tab, group="NEU27_2020_FOR")
    assert set(u["reason"]) == {"TOOEXP", "TOOFAR", "WAITING"}  # NO_UNMET not a reason of interest
    at = u[(u["geo"] == "AT") & (u["reason"] == "TOOEXP")].iloc[0]
    assert at["gap"] == pytest.approx(1.0) and at["year"] == 2022
    assert u.loc[u["geo"] == "BE", "flag"].eq("u").all()
    assert u["reason_label"].isin(health.UNMET_REASONS.values()).all()


def test_unmet_needs_absent_case_is_empty():
    import inclusion_evidence.steps  # noqa: F401
    from inclusion_evidence.orchestration.process import STEPS

    empty = STEPS["hlth_silc_29"].func({})["hlth_silc_29"]
    assert empty.empty
    assert health.unmet_needs_gap(empty).empty


def test_depressive_symptoms_present_case_country_of_birth(tmp_path):
    import inclusion_evidence.steps  # noqa: F401
    from inclusion_evidence.orchestration.process import STEPS

    dims = ["unit", "hlth_pb", "sex", "age", "c_birth"]
    rows = []
    for geo, nat, neu in (("AT", 6.0, 9.0), ("DE", 8.0, 7.5)):
        for item, k in (("DPR", 1.0), ("MJDPR", 0.4)):
            rows.append(["PC", item, "T", "Y_GE15", "NAT", geo, 2019, nat * k, ""])
            rows.append(["PC", item, "T", "Y_GE15", "NEU27_2020_FOR", geo, 2019, neu * k, ""])
            rows.append(["PC", item, "F", "Y_GE15", "NAT", geo, 2019, 99, ""])  # filtered out
    path = _sdmx_file(tmp_path / "hlth_ehis_mh1b.csv", dims, rows, "hlth_ehis_mh1b")
    tab = STEPS["hlth_ehis_mh1b"].func({"eurostat_hlth_ehis_mh1b": path})["hlth_ehis_mh1b"]
    d = health.depressive_symptoms_gap(tab, group="NEU27_2020_FOR")
    assert set(d["item"]) == {"DPR", "MJDPR"}
    row = d[(d["geo"] == "AT") & (d["item"] == "DPR")].iloc[0]
    assert row["reference"] == pytest.approx(6.0) and row["gap"] == pytest.approx(3.0)
    assert health.depressive_symptoms_gap(pd.DataFrame()).empty


# --------------------------------------------------------------------------- display helpers

def test_synthesis_bibkeys_exist():
    """Every key the chapters turn into {cite:p} roles is in references.bib."""
    import re

    from inclusion_evidence.core.paths import BOOK
    from inclusion_evidence.ingest.synthesis import load_synthesis, synthesis_table
    from inclusion_evidence.present.synthesis_figures import cite_roles

    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for name in ("health_barriers", "mental_health_framework"):
        for src in synthesis_table(load_synthesis(name))["source"]:
            for role in re.findall(r"\{cite:p\}`([^`]+)`", cite_roles(src)):
                assert set(role.split(",")) <= keys, role


def test_labelled_matrix():
    m = pd.DataFrame([[1, 0], [0, 1]], index=["a", "b"], columns=["x", "y"])
    lm = health.labelled_matrix(m, {"a": "A"}, {"y": "Y"})
    assert list(lm.index) == ["A", "b"] and list(lm.columns) == ["x", "Y"]


# --------------------------------------------------------------------------- notebooks (slow)

def _run(tmp_path, name, parameters):
    import papermill as pm

    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(CHAPTER_SOURCES / f"{name}.ipynb"), str(out), parameters=parameters,
                        cwd=str(tmp_path), kernel_name="python3", progress_bar=False)
    nb = json.loads(out.read_text())
    glued = set()
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("scrapbook", {})
            if meta.get("name"):
                glued.add(meta["name"])
    return nb, glued


@pytest.mark.slow
def test_chapter1_runs_with_other_parameters(tmp_path):
    nb, glued = _run(tmp_path, "action_1_healthcare",
                     {"year": 2019, "countries": ["AT", "DE", "FR", "IT", "SE", "ES", "BE", "NL"],
                      "citizen_group": "FOR"})
    assert {"ch1_n_countries", "ch1_mipex_year", "ch1_group"} <= glued
    figures = tmp_path / "figures" / "action_1_healthcare"
    assert (figures / "ch1-bad-health-gap.png").exists()
    gap = pd.read_csv(figures / "ch1-bad-health-gap.csv")
    assert set(gap["geo"]) <= {"AT", "DE", "FR", "IT", "SE", "ES", "BE", "NL"}
    assert set(gap["year"]) == {2019} and set(gap["group_code"]) == {"FOR"}
    # MIPEX year nearest to 2019 is 2019
    assert set(pd.read_csv(figures / "ch1-mipex-vs-gap.csv")["geo"]) <= set(gap["geo"])


@pytest.mark.slow
def test_chapter2_runs_with_other_parameters(tmp_path):
    nb, glued = _run(tmp_path, "action_2_mental_health",
                     {"year": 2019, "countries": ["AT", "DE", "EL", "IT", "SE"], "population_group": "Gay men",
                      "citizen_group": "FOR"})
    assert {"ch2_asy_max", "ch2_fra_eu", "ch2_n_countries"} <= glued
    figures = tmp_path / "figures" / "action_2_mental_health"
    dep = pd.read_csv(figures / "ch2-fra2019-depressed-ranked.csv")
    assert set(dep["target_group"]) == {"Gay men"}
    rates = pd.read_csv(figures / "ch2-asylum-per-100k.csv")
    assert set(rates["geo"]) <= {"AT", "DE", "EL", "IT", "SE"} and set(rates["year"]) == {2019}
    assert (rates["population_year"] == 2019).all()
