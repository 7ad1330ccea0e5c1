"""Chapter 1 (access to healthcare): the label-only SILC reader, health analysis, MIPEX, FRA 2012, unmet needs, the chapter run."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from helpers import processed_table, run_chapter, write_sdmx

from inclusion_evidence.analysis import common, health, synthesis_views
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.paths import BOOK
from inclusion_evidence.ingest.readers.eurostat import read_eurostat
from inclusion_evidence.ingest.synthesis import load_synthesis

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
    path = tmp_path / "bad.csv"
    path.write_text(LABEL_HEADER + "\n" + _label_row("Martians", "Bad or very bad", "Austria", 2023, "1.0") + "\n")
    with pytest.raises(DataError, match="unknown label 'Martians'"):
        read_eurostat(path)


def test_citizenship_gap_on_label_fixture(tmp_path):
    silc = read_eurostat(_silc_label_file(tmp_path))
    gap = common.citizenship_gap(silc, year=2023, group="NEU27_2020_FOR", lev_perc="B_VB")
    assert list(gap["geo"]) == ["AT", "HU"]  # aggregates dropped by default
    at = gap.set_index("geo").loc["AT"]
    assert at["reference"] == pytest.approx(8.1) and at["group"] == pytest.approx(10.9)
    assert at["gap"] == pytest.approx(2.8)
    assert gap.set_index("geo").loc["HU", "flag"] == "u"
    assert gap.set_index("geo").loc["AT", "country"] == "Austria"
    # a group with a missing value is dropped, not filled
    other = common.citizenship_gap(silc, year=2023, group="EU27_2020_FOR", lev_perc="B_VB")
    assert other.empty
    # country filter and aggregates
    eu = common.citizenship_gap(silc, year=2023, group="NEU27_2020_FOR", countries=["EU27_2020"],
                                include_aggregates=True)
    assert eu["gap"].item() == pytest.approx(-1.0)
    # the flag of either value is carried
    good = common.citizenship_gap(silc, year=2023, group="NEU27_2020_FOR", lev_perc="VG_G")
    assert good["flag"].item() == "u"


def test_gap_trend_and_level_trend(tmp_path):
    silc = read_eurostat(_silc_label_file(tmp_path))
    trend = health.gap_trend(silc, group="NEU27_2020_FOR", levels=("B_VB",))
    assert list(trend["time"]) == [2022, 2023]
    assert trend["gap"].round(1).tolist() == [-1.1, -1.0]
    lv = health.level_trend(silc, groups=("NAT", "NEU27_2020_FOR"))
    assert set(lv["group"]) == {"Nationals", "Non-EU citizens"}
    assert len(lv) == 4


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


def test_mipex_dimensions_reproduce_every_published_strand_score():
    ind = processed_table("mipex_indicators")
    for year in (2014, 2019, 2020, 2021, 2022, 2023):
        d = health.mipex_health_dimensions(ind, year=year)  # raises on any mismatch
        assert len(d) > 0


def test_fra2012_item_with_eu_average():
    fra = pd.DataFrame({"geo": ["AT", "AT", "EU28", "BE"], "subset": ["Gay", "Gay", "Gay", "Gay"],
                        "question_code": ["c4_d", "c4_d", "c4_d", "c4_d"], "answer": ["Yes", "No", "Yes", "Yes"],
                        "percentage": [11.0, 88.0, 9.0, 5.0], "note": [None, None, None, "small sample"]})
    out = health.fra2012_item(fra, countries=["AT"])
    assert out["geo"].tolist() == ["AT", "EU28"]
    assert out.set_index("geo").loc["EU28", "country"] == "EU-28 average"


def _unmet_fixture(tmp_path):
    dims = ["reason", "quant_inc", "sex", "age", "unit", "citizen"]
    rows = []
    for geo, nat, neu in (("AT", 0.5, 1.5), ("BE", 1.0, 3.0)):
        for reason, k in (("TOOEXP", 1), ("TOOFAR", 0.2), ("WAITING", 0.5), ("NO_UNMET", 90)):
            rows.append([reason, "TOTAL", "T", "Y_GE16", "PC", "NAT", geo, 2022, nat * k, ""])
            rows.append([reason, "TOTAL", "T", "Y_GE16", "PC", "NEU27_2020_FOR", geo, 2022, neu * k,
                         "u" if geo == "BE" else ""])
    return write_sdmx(tmp_path / "hlth_silc_30.csv", dims, rows, "hlth_silc_30")


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


def test_synthesis_bibkeys_exist():
    """Every key the chapters turn into {cite:p} roles is in references.bib."""
    from inclusion_evidence.ingest.synthesis import synthesis_table
    from inclusion_evidence.present.synthesis_figures import cite_roles

    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for name in ("health_barriers", "mental_health_framework"):
        for src in synthesis_table(load_synthesis(name))["source"]:
            for role in re.findall(r"\{cite:p\}`([^`]+)`", cite_roles(src)):
                assert set(role.split(",")) <= keys, role


def test_labelled_matrix():
    m = pd.DataFrame([[1, 0], [0, 1]], index=["a", "b"], columns=["x", "y"])
    lm = synthesis_views.labelled_matrix(m, {"a": "A"}, {"y": "Y"})
    assert list(lm.index) == ["A", "b"] and list(lm.columns) == ["x", "Y"]


@pytest.mark.slow
def test_chapter1_runs_with_other_parameters(tmp_path):
    chosen = {"AT", "DE", "FR", "IT", "SE", "ES", "BE", "NL"}
    nb, glued = run_chapter(tmp_path, "action_1_healthcare",
                            {"year": 2019, "countries": sorted(chosen), "citizen_group": "FOR"})
    assert {"ch1_n_countries", "ch1_mipex_year", "ch1_group", "ch1_key_eu_gap", "ch1_key_member_states",
            "ch1_key_trend", "ch1_key_mipex", "ch1_key_unmet"} <= glued.keys()
    figures = tmp_path / "figures" / "action_1_healthcare"
    assert (figures / "ch1-bad-health-gap.png").exists()
    gap = pd.read_csv(figures / "ch1-bad-health-gap.csv")
    assert set(gap["geo"]) <= chosen  # members left out by `countries` are not shown as context either
    assert set(gap["year"]) == {2019} and set(gap["group_code"]) == {"FOR"}
    # MIPEX year nearest to 2019 is 2019
    assert set(pd.read_csv(figures / "ch1-mipex-vs-gap.csv")["geo"]) <= set(gap["geo"])
    map_data = pd.read_csv(figures / "ch1-bad-health-gap-map.csv")
    assert set(map_data.dropna(subset=["gap"])["nuts_id"]) <= chosen


@pytest.mark.slow
def test_chapter1_default_scope_is_eu27_with_context_apart(tmp_path):
    """EU-27 by default; other countries only as context; Latvia's recognised non-citizens named;
    the widest-gap headline uses a reliable value; the 2020 break is marked; no build text on the page."""
    from inclusion_evidence.core.geo_codes import EU27

    nb, glued = run_chapter(tmp_path, "action_1_healthcare", {})
    figures = tmp_path / "figures" / "action_1_healthcare"
    gap = pd.read_csv(figures / "ch1-bad-health-gap.csv")
    inside, context = gap[gap["in_scope"]], gap[~gap["in_scope"]]
    assert set(inside["geo"]) <= set(EU27) and len(inside) == int(glued["ch1_n_countries"])
    assert len(context) and not set(context["geo"]) & set(EU27)
    assert int(glued["ch1_n_worse"]) == int((inside["gap"] > 0).sum())
    member_states = glued["ch1_key_member_states"]
    assert "recognised non-citizens" in member_states and "Latvia" in member_states
    widest = inside.set_index("country").loc[glued["ch1_key_member_states_widest_country"].strip("'")]
    assert "u" not in str(widest["flag"]) or "low reliability" in member_states
    trend = pd.read_csv(figures / "ch1-eu-bad-health-trend.csv")
    assert trend.loc[trend["break_in_series"], "time"].tolist() and set(trend.loc[trend["break_in_series"], "time"]) == {2020}
    shown = " ".join("".join(o.get("data", {}).get("text/markdown", "")) for c in nb["cells"]
                     for o in c.get("outputs", []))
    assert not re.search(r"\bmake (run|html|pdf|fetch|process|add-data|refresh|book)\b", shown)
    assert "params.yml" not in shown and ".yml" not in shown
    small = pd.read_csv(figures / "ch1-fra2012-healthcare-discrimination.csv")
    assert small["small_sample"].sum() == int(glued["ch1_fra_small"]) > 0


# ------------------------------------------------------------------ issue 14/15: scope, outliers, breaks, small samples

def _gaps():
    return pd.DataFrame({"geo": ["LV", "EE", "FR", "AT", "PT", "TR", "CH"],
                         "gap": [14.2, 5.3, 3.8, 2.8, -11.1, -3.2, 1.3],
                         "flag": ["", "", "", "", "", "", "u"]})


def test_in_scope_gaps_keeps_eu27_and_sets_the_rest_apart():
    from inclusion_evidence.core.geo_codes import EU27

    inside, outside = health.in_scope_gaps(_gaps(), EU27)
    assert set(inside["geo"]) == {"LV", "EE", "FR", "AT", "PT"}
    assert set(outside["geo"]) == {"TR", "CH"}
    with pytest.raises(ValueError, match="no country codes"):
        health.in_scope_gaps(_gaps(), [])


def test_widest_gaps_excludes_recognised_non_citizens_on_request():
    assert health.widest_gaps(_gaps(), n=2)["geo"].tolist() == ["LV", "EE"]
    rest = health.widest_gaps(_gaps(), n=2, exclude=health.RECOGNISED_NON_CITIZENS)
    assert rest["geo"].tolist() == ["FR", "AT"]
    assert health.widest_gaps(_gaps().assign(gap=-1.0)).empty  # no positive gap: nothing to headline


def test_stateless_counts_take_the_latest_year_not_after_the_given_one():
    unhcr = pd.DataFrame({"year": [2022, 2023, 2024, 2023, 2023], "geo": ["LV", "LV", "LV", "EE", "EE"],
                          "origin": [None, None, None, None, "RU"],
                          "stateless": [187564, 180614, 1.0, 65944, 5]})
    out = health.stateless_counts(unhcr, ["LV", "EE", "LT"], 2023).set_index("geo")
    assert out.loc["LV", "stateless"] == 180614 and out.loc["LV", "year"] == 2023
    assert out.loc["EE", "stateless"] == 65944  # the all-origins row, not a single origin
    assert "LT" not in out.index


def test_break_countries_reads_the_b_flag():
    silc = pd.DataFrame({"geo": ["DE", "FR", "IT", "DE", "NO"], "time": [2020, 2020, 2020, 2021, 2020],
                         "flag": ["b", "bu", "", "b", "b"]})
    assert health.break_countries(silc, 2020, ["DE", "FR", "IT"]) == ["DE", "FR"]
    assert health.break_countries(silc, 2019, ["DE"]) == []


def test_fra2012_matrix_marks_small_samples_and_leaves_unpublished_cells_blank():
    item = pd.DataFrame({"geo": ["AT", "AT", "BE", "BE"], "country": ["Austria", "Austria", "Belgium", "Belgium"],
                         "subset": ["Gay", "Transgender", "Gay", "Transgender"],
                         "percentage": [10.0, 30.0, 5.0, np.nan],
                         "note": ["", "small sample", "", "NA: small sample"]})
    values, small = health.fra2012_matrix(item, ["Gay", "Transgender", "Lesbian"])
    assert list(values.index) == ["Austria", "Belgium"]  # highest mean first
    assert list(values.columns) == ["Gay", "Transgender", "Lesbian"]
    assert small.loc["Austria", "Transgender"] and not small.loc["Austria", "Gay"]
    assert not small.loc["Belgium", "Transgender"] and np.isnan(values.loc["Belgium", "Transgender"])
    assert int(small.to_numpy().sum()) == 1


def test_named_in_plan_of_the_barrier_synthesis_quotes_every_item():
    s = load_synthesis("health_barriers")
    summary = synthesis_views.named_in_plan(s, group_by={"rows": "kind"})
    assert summary["n"].sum() == len(s.rows) + len(s.columns) + len(s.layers)
    assert list(summary["dimension"]) == ["Barrier (hidden)", "Barrier (structural)", "Hard-to-reach group",
                                          "Level of governance"]
    assert summary["quotes"].str.len().gt(0).all() and summary["sections"].str.startswith("Action").all()
    hidden = summary.set_index("dimension").loc["Barrier (hidden)"]
    assert hidden["n"] == 5 and "“lack of trust in public institutions”" in hidden["quotes"]
    # a quote shared by several items is shown once
    structural = summary.set_index("dimension").loc["Barrier (structural)"]
    assert structural["quotes"].count("linguistic, financial, administrative") == 1
    # quotes grouped by the section they come from, each section named once
    assert structural["quoted"].count("(Action 2 – What is the specific problem?)") == 1
    assert structural["quoted"].endswith("(Action 1 – How to implement the action?)")
    # readers' words for a field value replace the dimension's label
    worded = synthesis_views.named_in_plan(s, group_by={"rows": "kind"}, labels={"hidden": "Hidden barriers"})
    assert worded["dimension"].iloc[0] == "Hidden barriers"
    with pytest.raises(ValueError, match="no field"):
        synthesis_views.named_in_plan(s, group_by={"rows": "nonexistent"})
