"""Chapter 5: regional processing steps and analysis (fixtures), and the chapter with other parameters."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from helpers import run_chapter
from shapely.geometry import box

from inclusion_evidence.analysis import regional as R
from inclusion_evidence.core.paths import PROCESSED
from inclusion_evidence.ingest.readers.eurostat import read_eurostat
from inclusion_evidence.steps import regional as S

needs_processed = pytest.mark.skipif(not (PROCESSED / "regional_unemployment.parquet").exists(),
                                     reason="processed tables not built")


def _sdmx(path, dims: dict, rows):
    """Write a Eurostat SDMX-CSV 1.0 file: ``dims`` fixed codes, ``rows`` (varying dims..., geo, time, value, flag)."""
    header = ["DATAFLOW", "LAST UPDATE", "freq", *dims, "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
    lines = [",".join(header)]
    for r in rows:
        *vary, geo, time, value, flag = r
        fixed = dict(dims)
        for (k, _), v in zip([(k, v) for k, v in dims.items() if v is None], vary):
            fixed[k] = v
        lines.append(",".join(["ESTAT:TEST(1.0)", "27/04/23 23:00:00", "A", *[str(fixed[k]) for k in dims],
                               geo, str(time), "" if value is None else str(value), flag]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def lfur(tmp_path):
    """A small lfst_r_lfur2gac extract: a recoded region (NL31), a flagged value, a discontinued code."""
    dims = {"unit": "PC", "c_birth": None, "sex": "T", "age": "Y15-64"}
    rows = [
        ("TOTAL", "NL31", 2016, 5.0, ""), ("FOR", "NL31", 2016, 9.5, "u"), ("NEU27_2020_FOR", "NL31", 2016, 12.0, "u"),
        ("TOTAL", "NL31", 2022, 3.0, "b"), ("FOR", "NL31", 2022, 4.0, ""),
        ("TOTAL", "AT13", 2016, 9.0, ""), ("FOR", "AT13", 2016, 15.0, ""), ("NEU27_2020_FOR", "AT13", 2016, 20.0, ""),
        ("TOTAL", "AT13", 2022, 10.0, ""), ("FOR", "AT13", 2022, 16.0, ""),
        ("TOTAL", "PT17", 2016, 12.0, ""), ("FOR", "PT17", 2016, 11.0, ""),
        ("TOTAL", "PT17", 2022, 7.0, ""), ("FOR", "PT17", 2022, 12.0, ""),
        ("TOTAL", "NO01", 2015, 4.0, ""), ("FOR", "NO01", 2015, None, "u"),
    ]
    return read_eurostat(_sdmx(tmp_path / "lfur.csv", dims, rows))


@pytest.fixture
def geoms():
    """Toy NUTS 2021 and 2024 polygons: unchanged AT13, recoded NL31->NL35, split PT17->PT1A+PT1B, UK gone, XK new."""
    n21 = gpd.GeoDataFrame({"nuts_id": ["AT13", "NL31", "PT17", "UKI3"], "country": ["AT", "NL", "PT", "UK"],
                            "name": ["Wien", "Utrecht", "Área Metropolitana de Lisboa", "Inner London — West"],
                            "nuts_version": "NUTS 2021"},
                           geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10), box(60, 0, 70, 10)],
                           crs=3035)
    n24 = gpd.GeoDataFrame({"nuts_id": ["AT13", "NL35", "PT1A", "PT1B", "XK00"], "country": ["AT", "NL", "PT", "PT", "XK"],
                            "name": ["Wien", "Utrecht", "Grande Lisboa", "Península de Setúbal", "Kosovo"],
                            "nuts_version": "NUTS 2024"},
                           geometry=[box(0, 0, 10, 10), box(20, 0, 30.5, 10), box(40, 0, 45, 10), box(45, 0, 50, 10),
                                     box(80, 0, 90, 10)], crs=3035)
    return n21, n24


# --------------------------------------------------------------------------- steps


def test_unemployment_wide_gaps_flags_names(lfur, geoms):
    wide = S.unemployment_wide(lfur, geoms[0])
    nl = wide[(wide["geo"] == "NL31") & (wide["time"] == 2016)].iloc[0]
    assert nl["rate_FOR"] == 9.5 and nl["gap_FOR"] == pytest.approx(4.5)
    assert nl["gap_NEU27_2020_FOR"] == pytest.approx(7.0)
    assert nl["flag_FOR"] == "u" and nl["gap_flag_FOR"] == "u"  # the flagged value is kept and marked
    assert np.isnan(nl["rate_EU27_2020_FOR"]) and np.isnan(nl["gap_EU27_2020_FOR"])
    assert nl["name"] == "Utrecht" and nl["nuts_version"] == "NUTS 2021"
    nl22 = wide[(wide["geo"] == "NL31") & (wide["time"] == 2022)].iloc[0]
    assert nl22["gap_FOR"] == pytest.approx(1.0) and nl22["gap_flag_FOR"] == "b"
    old = wide[wide["geo"] == "NO01"].iloc[0]
    assert old["nuts_version"].startswith("code discontinued") and "former code" in old["name"]
    assert np.isnan(old["gap_FOR"]) and old["gap_flag_FOR"] == ""
    assert not wide.duplicated(["geo", "time"]).any()


def test_merge_flags_union_sorted():
    out = S.merge_flags(pd.Series(["u", "", None, "b"]), pd.Series(["b", "", "u", "bu"]))
    assert out.tolist() == ["bu", "", "u", "bu"]


def test_recode_table(geoms):
    rec = S.nuts_recode_table(*geoms)
    rel = {(r.nuts2021, r.nuts2024): r.relation for r in rec.itertuples()}
    assert rel[("AT13", "AT13")] == "unchanged"
    assert rel[("NL31", "NL35")] == "recoded"
    assert rel[("PT17", "PT1A")] == rel[("PT17", "PT1B")] == "split/merged"
    assert rec.loc[rec["nuts2021"] == "UKI3", "relation"].item() == "not in NUTS 2024"
    assert rec.loc[rec["nuts2024"] == "XK00", "relation"].item() == "new in NUTS 2024"
    share = rec.loc[rec["nuts2021"] == "NL31", "share_of_2024"].item()
    assert share == pytest.approx(10 / 10.5, abs=1e-3)
    assert S.one_to_one(rec) == {"AT13": "AT13", "NL35": "NL31"}


def test_indicator_table_carries_share_only_one_to_one(lfur, geoms):
    wide = S.unemployment_wide(lfur, geoms[0])
    rec = S.nuts_recode_table(*geoms)
    trend = pd.DataFrame({"geo": ["AT13", "NL35", "PT1A", "PT1B"], "year": 2016,
                          "foreign_born_share": [30.0, 14.0, 18.0, 16.0]})
    ind = S.indicator_table(wide, trend, rec)
    at16 = ind[(ind["time"] == 2016)].set_index("geo")
    assert at16.loc["AT13", "foreign_born_share"] == 30.0
    assert at16.loc["NL31", "foreign_born_share"] == 14.0 and at16.loc["NL31", "fb_share_geo24"] == "NL35"
    assert np.isnan(at16.loc["PT17", "foreign_born_share"])  # split region: not carried
    assert len(ind) == len(wide)


def test_national_gap_table(tmp_path):
    dims = {"unit": "PC", "sex": "T", "age": "Y15-64", "citizen": None}
    e = read_eurostat(_sdmx(tmp_path / "e.csv", dims, [("NAT", "AT", 2020, 75.0, ""), ("FOR", "AT", 2020, 65.5, "u"),
                                                      ("TOTAL", "AT", 2020, 74.0, "")]))
    u = read_eurostat(_sdmx(tmp_path / "u.csv", dims, [("NAT", "AT", 2020, 4.0, ""), ("FOR", "AT", 2020, None, "u")]))
    out = S.national_gap_table(e, u).iloc[0]
    assert out["emp_gap"] == pytest.approx(-9.5) and out["emp_gap_flag"] == "u"
    assert np.isnan(out["unemp_gap"]) and out["country_name"] == "Austria"


# --------------------------------------------------------------------------- analysis


def test_year_rule_slice_summary_and_change(lfur, geoms):
    wide = S.unemployment_wide(lfur, geoms[0])
    assert R.best_year(wide, "FOR") == 2022  # 3 regions in 2016 and 2022: the tie goes to the later year
    sl = R.year_slice(wide, 2016, "FOR")
    summ = R.gap_summary(sl, threshold=5.0)
    assert summ["n"] == 3 and summ["max_geo"] == "AT13" and summ["min_geo"] == "PT17"
    assert summ["n_u"] == 1 and summ["share_above"] == pytest.approx(100 / 3)
    ch = R.gap_change(wide, 2022, 2016, "FOR", threshold=2.0).set_index("geo")
    assert ch.loc["PT17", "change"] == pytest.approx(6.0) and ch.loc["PT17", "direction"] == "widened"
    assert ch.loc["NL31", "direction"] == "narrowed" and set(ch.loc["NL31", "flags"]) == {"b", "u"}
    assert ch.loc["AT13", "direction"] == "within ±2 pp"
    gdf = R.attach_geometry(geoms[0], sl)
    assert len(gdf) == 4 and gdf.set_index("nuts_id").loc["UKI3", "rate"] != gdf.set_index("nuts_id").loc["UKI3", "rate"]
    assert R.unmapped(geoms[0], R.year_slice(wide, 2015, "FOR").assign(rate=[1.0]), "rate") == ["NO01"]


def test_population_join_nuts2024_plus_uk(geoms):
    n21, n24 = geoms
    pop = pd.DataFrame({"geo": ["NL35", "PT1A", "UKI3"], "foreign_born_share": [14.0, 18.0, np.nan],
                        "non_citizen_share": [4.0, 8.0, np.nan], "foreign_born": [1, 2, None], "year": [2023, 2023, 2021]})
    gdf = R.population_share_map_frame(pop, n24, n21).set_index("nuts_id")
    assert gdf.loc["NL35", "foreign_born_share"] == 14.0 and gdf.loc["NL35", "nuts_version"] == "NUTS 2024"
    assert gdf.loc["UKI3", "nuts_version"] == "NUTS 2021" and np.isnan(gdf.loc["UKI3", "foreign_born_share"])
    assert "NL31" not in gdf.index
    without_uk = R.population_share_map_frame(pop[pop["geo"] != "UKI3"], n24, n21)
    assert not without_uk["nuts_id"].str.startswith("UK").any()


def _features(n=60, seed=1):
    rng = np.random.default_rng(seed)
    centres = np.array([[5, 0, 5], [15, 10, 20], [8, 5, 12]])
    rows = []
    for i in range(n):
        c = centres[i % 3]
        rows.append({"geo": f"R{i:03d}", "name": f"Region {i}", "country": f"C{i % 7}", "country_name": f"C{i % 7}",
                     "rate_TOTAL": c[0] + rng.normal(0, 0.5), "gap": c[1] + rng.normal(0, 0.5),
                     "foreign_born_share": c[2] + rng.normal(0, 0.5), "gap_flag": ""})
    return pd.DataFrame(rows)


def test_clustering_deterministic_and_ordered():
    f = _features()
    a = R.cluster_regions(f, 3, "kmeans", random_state=0)
    b = R.cluster_regions(f.sample(frac=1, random_state=3).sort_index(), 3, "kmeans", random_state=0)
    assert a.tolist() == b.tolist()
    medians = f.assign(c=a).groupby("c")["rate_TOTAL"].median()
    assert medians.is_monotonic_increasing  # groups numbered by ascending median total unemployment
    w = R.cluster_regions(f, 3, "ward")
    assert (pd.crosstab(a, w).to_numpy() > 0).sum() == 3  # well-separated: both methods agree
    scores = R.silhouette_by_k(f, range(2, 6))
    assert R.best_k(scores) == 3 and scores["k"].tolist() == [2, 3, 4, 5]
    prof = R.cluster_profiles(f, a)
    assert prof["regions"].sum() == len(f) and list(prof["cluster"]) == [1, 2, 3]
    with pytest.raises(ValueError):
        R.cluster_regions(f, 3, "dbscan")


def test_kmeans_fits_on_one_openmp_thread_with_the_same_labels(monkeypatch):
    """Issue 19: k-means on a few hundred regions ran slower on several OpenMP threads (they wait for
    each other on a busy machine); the fits now run on one, and give the labels of a default fit."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_info

    f = _features()
    z = R._standardise(f)
    default = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(z)  # also loads the OpenMP runtime
    threads, real = [], R._fit_labels

    def spy(*args, **kwargs):
        threads.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")
        return real(*args, **kwargs)

    monkeypatch.setattr(R, "_fit_labels", spy)
    labels = R.cluster_regions(f, 3, "kmeans", random_state=0)
    R.silhouette_by_k(f, range(2, 5))
    assert threads and set(threads) == {1}
    assert pd.crosstab(labels.to_numpy(), default).gt(0).sum().tolist() == [1, 1, 1]  # same partition


def test_cluster_features_share_year_clipped():
    ind = pd.DataFrame({"geo": ["A1", "A1", "B1", "B1"], "name": ["a", "a", "b", "b"], "country": ["A", "A", "B", "B"],
                        "country_name": ["A", "A", "B", "B"], "time": [2010, 2014, 2010, 2014],
                        "rate_TOTAL": [5.0, 6.0, 7.0, 8.0], "gap_FOR": [1.0, 2.0, 3.0, 4.0],
                        "gap_flag_FOR": ["", "", "u", ""], "foreign_born_share": [np.nan, 10.0, np.nan, 20.0]})
    f = R.cluster_features(ind, 2010, "FOR")
    assert f["share_year"].unique().tolist() == [2014] and f["gap"].tolist() == [1.0, 3.0]
    assert f["foreign_born_share"].tolist() == [10.0, 20.0]


def test_clustered_ols_and_models():
    rng = np.random.default_rng(0)
    countries = [f"C{i}" for i in range(12)]
    score = {c: 30 + 4 * i for i, c in enumerate(countries)}
    rows = []
    for c in countries:
        for j in range(6):
            rows.append({"country": c, "mipex": score[c], "gap": 0.1 * score[c] + rng.normal(0, 0.2),
                         "cluster": 1 + (j % 2)})
    d = pd.DataFrame(rows)
    res = R.clustered_ols(d, "gap", "mipex", "country")
    assert res["coef"] == pytest.approx(0.1, abs=0.02) and res["ci_low"] < 0.1 < res["ci_high"]
    assert res["n"] == 72 and res["n_clusters"] == 12
    fe = R.clustered_ols(d, "gap", "mipex", "country", "C(cluster)")
    assert fe["coef"] == pytest.approx(0.1, abs=0.02)
    models = R.regional_policy_models(d[["country", "gap"]], d["cluster"], pd.Series(score), min_countries=13)
    assert models["model"].tolist()[:2] == ["All regions", "All regions, within context groups (group fixed effects)"]
    assert models.iloc[2]["note"].startswith("not estimated")


def test_explicit_design_ols_matches_the_formula_interface():
    """The design matrix built by hand gives statsmodels' formula results to 1e-12 (issue 19: the
    formula machinery was the chapter's slowest import)."""
    smf = pytest.importorskip("statsmodels.formula.api")
    rng = np.random.default_rng(3)
    n = 90
    d = pd.DataFrame({"country": rng.choice([f"C{i}" for i in range(14)], n), "mipex": rng.uniform(20, 80, n),
                      "cluster": rng.integers(1, 4, n), "gap": rng.normal(3, 2, n)})
    d.loc[[4, 17], "gap"] = np.nan  # rows the model drops
    for controls in ("", "C(cluster)"):
        res = R.clustered_ols(d, "gap", "mipex", "country", controls)
        full = d.dropna()
        fit = smf.ols("gap ~ mipex" + (f" + {controls}" if controls else ""), data=full).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(full["country"])[0]})
        lo, hi = fit.conf_int().loc["mipex"]
        expected = {"coef": fit.params["mipex"], "se": fit.bse["mipex"], "ci_low": lo, "ci_high": hi,
                    "p": fit.pvalues["mipex"], "r2": fit.rsquared}
        for key, value in expected.items():
            assert res[key] == pytest.approx(float(value), rel=1e-12, abs=1e-12), (controls, key)
        assert res["n"] == int(fit.nobs) == n - 2
        assert list(R.ols_design(full, "mipex", controls).columns) == list(fit.model.exog_names)


def test_ols_controls_other_than_categorical_terms_are_an_error():
    d = pd.DataFrame({"country": ["A", "B", "C"], "mipex": [1.0, 2.0, 3.0], "gap": [1.0, 2.0, 2.5],
                      "share": [1.0, 5.0, 3.0]})
    with pytest.raises(ValueError, match="share"):
        R.clustered_ols(d, "gap", "mipex", "country", "share")


def test_mipex_year_rule():
    m = pd.DataFrame({"country": ["AT", "AT", "AT"], "year": [2014, 2019, 2020], "strand": "overall_with_health",
                      "score": [50.0, 52.0, 53.0]})
    assert R.mipex_year_for(m, 2016, "overall_with_health") == 2014
    assert R.mipex_year_for(m, 2010, "overall_with_health") == 2014
    assert R.mipex_scores(m, 2022, "overall_with_health").to_dict() == {"AT": 53.0}
    c = R.correlation(pd.Series([1.0, 2.0, 3.0, 4.0]), pd.Series([2.0, 4.0, 6.0, 9.0]))
    assert c["n"] == 4 and c["pearson"] > 0.95 and c["spearman"] == pytest.approx(1.0)


# --------------------------------------------------------------------------- declared tables, present case


def test_declared_employment_table_present(tmp_path, geoms):
    """lfst_r_lfe2emprc as Eurostat SDMX-CSV -> reader -> rate_gap_table -> map frame and map."""
    dims = {"unit": "PC", "sex": "T", "age": None, "c_birth": None}
    rows = [("Y20-64", "NAT", "AT13", 2022, 75.0, ""), ("Y20-64", "FOR", "AT13", 2022, 62.5, "u"),
            ("Y20-64", "TOTAL", "AT13", 2022, 72.0, ""), ("Y20-64", "NAT", "NL35", 2022, 83.0, ""),
            ("Y20-64", "FOR", "NL35", 2022, 70.0, ""), ("Y15-64", "FOR", "NL35", 2022, 60.0, ""),
            ("Y20-64", "FOR", "NL35", 2021, 69.0, ""), ("Y20-64", "NAT", "NL35", 2021, 82.0, "")]
    frame = read_eurostat(_sdmx(tmp_path / "eurostat_lfst_r_lfe2emprc.csv", dims, rows))
    gaps = R.rate_gap_table(frame, "c_birth", "FOR")
    assert gaps["time"].unique().tolist() == [2022] and gaps["age"].unique().tolist() == ["Y20-64"]
    assert gaps["reference"].unique().tolist() == ["NAT"]
    at = gaps.set_index("geo").loc["AT13"]
    assert at["gap"] == pytest.approx(-12.5) and at["gap_flag"] == "u"
    n21, n24 = geoms
    version = R.best_geometry(gaps["geo"], {"NUTS 2021": n21, "NUTS 2024": n24})
    assert version == "NUTS 2024"
    gdf = R.attach_geometry(n24, gaps)
    assert gdf["gap"].notna().sum() == 2
    from inclusion_evidence.present import maps

    fig = maps.choropleth(gdf, "gap", k=2, flag_column="gap_flag")
    assert fig.axes
    assert R.rate_gap_table(frame.iloc[0:0], "c_birth", "FOR").empty


def test_declared_urbanisation_table_present(tmp_path):
    dims = {"unit": "PC", "sex": "T", "age": "Y15-64", "isced11": "TOTAL", "citizen": None, "deg_urb": None}
    rows = [("NAT", "DEG1", "DE", 2022, 78.0, ""), ("FOR", "DEG1", "DE", 2022, 66.0, ""),
            ("NAT", "DEG3", "DE", 2022, 80.0, ""), ("FOR", "DEG3", "DE", 2022, 70.0, "u")]
    frame = read_eurostat(_sdmx(tmp_path / "eurostat_lfst_r_ergau.csv", dims, rows))
    out = R.rate_gap_table(frame, "citizen", "FOR", by=("deg_urb",)).set_index("deg_urb")
    assert out.loc["DEG1", "gap"] == pytest.approx(-12.0) and out.loc["DEG3", "gap_flag"] == "u"


# --------------------------------------------------------------------------- processed tables (real data)


@needs_processed
def test_processed_tables_consistent():
    from inclusion_evidence.orchestration.process import read_table

    u = read_table("regional_unemployment")
    assert not u.duplicated(["geo", "time"]).any()
    both = u.dropna(subset=["rate_FOR", "rate_TOTAL"])
    assert np.allclose(both["gap_FOR"], (both["rate_FOR"] - both["rate_TOTAL"]).round(2))
    assert u.loc[u["flag_FOR"].str.contains("u") & u["rate_FOR"].notna()].shape[0] > 0  # flagged values kept
    rec = read_table("nuts2021_2024_recode")
    assert set(rec.loc[rec["relation"] == "recoded", "nuts2021"]) == {"NL31", "NL33"}
    assert R.best_year(u, "FOR") in range(2012, 2020)


# --------------------------------------------------------------------------- the chapter (slow)


@pytest.mark.slow
@needs_processed
def test_chapter5_runs_with_other_parameters(tmp_path):
    nb, glued = run_chapter(tmp_path, "action_5_evidence_policymaking",
                            {"year": 2019, "compare_year": 2012, "group": "NEU27_2020_FOR", "n_clusters": 4,
                             "cluster_method": "ward", "scheme": "fisherjenks",
                             "mipex_strand": "labour_market_mobility"})
    assert {"ch5_n_regions", "ch5_cluster_k", "ch5_corr_unemp", "ch5_ols_coef", "ch5_for_max_name"} <= glued.keys()
    figures = tmp_path / "figures" / "action_5_evidence_policymaking"
    clusters = pd.read_csv(figures / "map-clusters.csv")
    assert clusters["cluster"].nunique() == 4
    change = pd.read_csv(figures / "map-gap-change.csv")
    assert set(change["year_from"]) == {2012} and set(change["year_to"]) == {2019}
    check = next(c for c in nb["cells"] if "nbval-check-output" in c.get("metadata", {}).get("tags", []))
    text = "".join("".join(o.get("text", "")) for o in check["outputs"])
    assert "group=NEU27_2020_FOR scope=EU27" in text and "k=4 method=ward" in text
    # EU-27 scope by default: no region of another country in any group, count or model
    assert clusters["geo"].str[:2].isin(R.scope_countries("EU27")).all()
    gaps = pd.read_csv(figures / "map-gap-neu.csv")
    assert gaps["geo"].str[:2].isin(R.scope_countries("EU27")).all() and not gaps["geo"].str.startswith("TR").any()


# --------------------------------------------------------------------------- methods rules (issue 14)


def test_groups_used_as_controls_never_include_the_outcome():
    """The context groups behind the fixed-effects model must not be built from the gap they explain."""
    assert R.OUTCOME not in R.CONTEXT_FEATURES and R.OUTCOME not in R.FEATURES
    f = _features()
    labels = R.cluster_regions(f, 3, "kmeans")
    assert labels.attrs["features"] == R.CONTEXT_FEATURES
    scores = pd.Series({f"C{i}": 30.0 + 5 * i for i in range(7)})
    models = R.regional_policy_models(f, labels, scores)
    assert "within context groups" in models.iloc[1]["model"]
    outcome_groups = R.cluster_regions(f, 3, "kmeans", columns=("rate_TOTAL", "gap", "foreign_born_share"))
    with pytest.raises(ValueError, match="outcome 'gap'"):
        R.regional_policy_models(f, outcome_groups, scores)
    with pytest.raises(ValueError, match="context variables"):
        R.check_controls(["gap", "rate_TOTAL"])


def test_context_groups_numbered_by_total_unemployment():
    f = _features()
    labels = R.cluster_regions(f, 3, "kmeans")
    medians = f.assign(c=labels).groupby("c")["rate_TOTAL"].median()
    assert medians.is_monotonic_increasing


def test_scope_defaults_to_eu27_and_keeps_context_apart():
    codes = pd.Series(["AT13", "TR10", "UKI3", "CH01", "EL30", "NO01", "DE30"])
    assert R.in_scope(codes).tolist() == [True, False, False, False, True, False, True]
    assert R.in_scope(codes, "EU27+EFTA").tolist() == [True, False, False, True, True, True, True]
    frame = pd.DataFrame({"geo": codes, "gap": [1.0, 9.0, np.nan, 2.0, 3.0, np.nan, 4.0]})
    assert R.restrict(frame)["geo"].tolist() == ["AT13", "EL30", "DE30"]
    counts = R.scope_counts(frame, "gap")
    assert counts == {"inside": 3, "outside": 2, "outside_countries": ["CH", "TR"]}
    assert R.scope_label("EU27") == "EU-27" and R.scope_label("EU27+EFTA") == "EU-27 and EFTA"
    with pytest.raises(ValueError, match="unknown part"):
        R.scope_countries("EU28")


def test_headline_extremes_use_reliable_values():
    sl = pd.DataFrame({"geo": ["A1", "B1", "C1", "D1"], "name": ["a", "b", "c", "d"],
                       "country_name": ["A", "B", "C", "D"], "gap": [28.0, 10.0, -3.0, -6.0],
                       "gap_flag": ["u", "", "b", "bu"]})
    s = R.gap_summary(sl)
    assert s["max"] == 10.0 and s["max_geo"] == "B1"          # 28.0 is flagged u: not the headline
    assert s["max_any"] == 28.0 and s["max_any_low"]          # kept apart, with its warning
    assert s["min"] == -3.0 and s["min_any"] == -6.0 and s["min_any_low"]
    assert s["n_u"] == 2 and s["n_reliable"] == 2             # u counted one way: flag holds u
    assert s["n_positive"] == 2 and s["n_negative"] == 2


def test_native_gap_estimate_and_native_file():
    f = pd.DataFrame({"geo": ["A1", "B1"], "gap": [4.0, 2.0], "foreign_born_share": [20.0, 50.0]})
    est = R.native_gap_estimate(f).set_index("geo")
    assert est.loc["A1", "gap_native_est"] == pytest.approx(5.0)   # 4 / (1 - 0.2)
    assert est.loc["B1", "understatement"] == pytest.approx(2.0)   # 2 / 0.5 - 2
    with pytest.raises(ValueError, match="percentage"):
        R.native_gap_estimate(f.assign(foreign_born_share=[120.0, 10.0]))
    u = pd.DataFrame({"geo": ["A1", "A1"], "time": [2016, 2017], "rate_FOR": [10.0, 9.0], "flag_FOR": ["u", ""],
                      "rate_TOTAL": [6.0, 5.0]})
    assert R.with_native_born(u, pd.DataFrame()) is u
    nat = pd.DataFrame({"c_birth": ["NAT", "NAT"], "sex": "T", "unit": "PC", "age": "Y15-64", "geo": ["A1", "A1"],
                        "time": [2016, 2017], "value": [5.0, 4.5], "flag": ["", "b"]})
    w = R.with_native_born(u, nat)
    assert w["gap_nat_FOR"].tolist() == [5.0, 4.5] and w["gap_nat_flag_FOR"].tolist() == ["u", "b"]
    assert R.native_available(w, 2016) and not R.native_available(u, 2016)


def test_mipex_edition_cited_for_its_years():
    m = pd.DataFrame({"country": ["AT", "AT"], "year": [2019, 2020], "strand": "overall_with_health",
                      "score": [50.0, 45.0], "edition": ["core_2007_2019", "eu_2020_2024"]})
    assert "2007-2019" in R.mipex_edition(m, 2016, "overall_with_health")
    assert "2020-2024" in R.mipex_edition(m, 2022, "overall_with_health")
    assert "2007-2019" in R.mipex_edition(m.drop(columns="edition"), 2019, "overall_with_health")


def test_native_born_file_switches_every_gap_to_the_native_born():
    u = pd.DataFrame({"geo": ["A1", "B1"], "name": ["a", "b"], "country": ["AT", "AT"], "country_name": "Austria",
                      "nuts_version": "NUTS 2021", "time": 2016, "rate_TOTAL": [6.0, 8.0], "flag_TOTAL": "",
                      "rate_FOR": [10.0, 9.0], "flag_FOR": ["", "u"], "gap_FOR": [4.0, 1.0], "gap_flag_FOR": ["", "u"]})
    assert R.year_slice(u, 2016)["gap"].tolist() == [4.0, 1.0]
    nat = pd.DataFrame({"c_birth": "NAT", "sex": "T", "unit": "PC", "age": "Y15-64", "geo": ["A1", "B1"],
                        "time": 2016, "value": [5.5, 7.9], "flag": ""})
    w = R.with_native_born(u, nat)
    assert R.native_available(w, 2016)
    native = R.year_slice(w, 2016, "FOR", "native")
    assert native["gap"].tolist() == [4.5, 1.1] and native["gap_flag"].tolist() == ["", "u"]
    with pytest.raises(ValueError, match="reference"):
        R.year_slice(w, 2016, "FOR", "nationals")
