"""Chapter 2 (mental health): FRA EU-LGBTI II, asylum and refugee rates, depressive symptoms, the chapter run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import run_chapter, write_sdmx

from inclusion_evidence.analysis import mental_health


def test_fra2019_depressed_sums_answers_and_keeps_missing():
    rows = []
    for geo, values in (("AT", [3, 5, 7, 10, 50, 25]), ("BE", [np.nan, 5, 7, 10, 50, 25])):
        for answer, v in zip(["All of the time", "Most of the time", "More than half of the time",
                              "Less than half of the time", "Some of the time", "At no time"], values):
            rows.append({"geo": geo, "question_id": "T1Q5", "target_group": "Trans people",
                         "breakdown": "age", "subgroup": "25-39", "answer": answer, "percentage": v})
    fra = pd.DataFrame(rows)
    out = mental_health.fra2019_depressed(fra, target_group="Trans people").set_index("geo")
    assert out.loc["AT", "share"] == pytest.approx(15)
    assert np.isnan(out.loc["BE", "share"])  # not a partial sum


def test_exposure_rates():
    asylum = pd.DataFrame({"citizen": ["TOTAL", "UA", "TOTAL"], "sex": "T", "age": "TOTAL",
                           "geo": ["AT", "AT", "BE"], "time": 2022, "value": [1000.0, 10.0, 500.0], "flag": ""})
    unhcr = pd.DataFrame({"year": 2022, "geo": ["AT"], "origin": [pd.NA], "refugees": pd.array([900], "Int64"),
                          "asylum_seekers": pd.array([100], "Int64")})
    pop = pd.DataFrame({"geo": ["AT", "BE"], "year": [2022, 2021], "population": [1_000_000, 2_000_000]})
    r = mental_health.exposure_rates(asylum, unhcr, pop, year=2022).set_index("geo")
    assert r.loc["AT", "asylum_per_100k"] == pytest.approx(100.0)
    assert r.loc["AT", "refugees_asylum_seekers_per_100k"] == pytest.approx(100.0)
    assert r.loc["BE", "asylum_per_100k"] == pytest.approx(25.0)
    assert r.loc["BE", "population_year"] == 2021
    assert np.isnan(r.loc["BE", "refugees_asylum_seekers_per_100k"])


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
    path = write_sdmx(tmp_path / "hlth_ehis_mh1b.csv", dims, rows, "hlth_ehis_mh1b")
    tab = STEPS["hlth_ehis_mh1b"].func({"eurostat_hlth_ehis_mh1b": path})["hlth_ehis_mh1b"]
    d = mental_health.depressive_symptoms_gap(tab, group="NEU27_2020_FOR")
    assert set(d["item"]) == {"DPR", "MJDPR"}
    row = d[(d["geo"] == "AT") & (d["item"] == "DPR")].iloc[0]
    assert row["reference"] == pytest.approx(6.0) and row["gap"] == pytest.approx(3.0)
    assert mental_health.depressive_symptoms_gap(pd.DataFrame()).empty


@pytest.mark.slow
def test_chapter2_runs_with_other_parameters(tmp_path):
    chosen = {"AT", "DE", "EL", "IT", "SE"}
    nb, glued = run_chapter(tmp_path, "action_2_mental_health",
                            {"year": 2019, "countries": sorted(chosen), "population_group": "Gay men",
                             "citizen_group": "FOR"})
    assert {"ch2_ref_max", "ch2_fra_eu", "ch2_key_refugees", "ch2_key_depression", "ch2_key_plan"} <= glued.keys()
    figures = tmp_path / "figures" / "action_2_mental_health"
    dep = pd.read_csv(figures / "ch2-fra2019-depressed-ranked.csv")
    assert set(dep["target_group"]) == {"Gay men"}
    rates = pd.read_csv(figures / "ch2-refugees-per-100k.csv")
    assert set(rates["geo"]) <= chosen and set(rates["year"]) == {2019}
    assert (rates["population_year"] == 2019).all()
    # One exhibit per fact: no bad-health dumbbell (chapter 1) and no asylum-applicant bars (chapter 7) here.
    assert not (figures / "ch2-bad-health-proxy.png").exists()
    assert not (figures / "ch2-asylum-per-100k.png").exists()
    # Context exhibits say so in their titles, and come after the evidence.
    text = [("".join(o.get("data", {}).get("text/markdown", ""))) for c in nb["cells"] for o in c.get("outputs", [])]
    figures_in_order = [t for t in text if t.startswith("````{figure}")]
    fra = [i for i, t in enumerate(figures_in_order) if "fra2019" in t]
    assert fra and min(fra) > 0 and all("Context" in figures_in_order[i] for i in fra)
    assert "fig-asylum-applicants-per-100k" in " ".join(
        "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
