"""Chapter 5 analysis: regional gaps by country of birth, clusters, and the link to MIPEX.

The functions take the processed tables of :mod:`inclusion_evidence.steps.regional`
(``regional_unemployment``, ``regional_indicators``, ``national_gaps``,
``nuts2021_2024_recode``) and the shared ones (``mipex_strands``,
``regional_population_2023``, NUTS geometries), and return frames, series and summary dicts.
Nothing here reads files; the notebook passes the tables in.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

GROUP_LABELS = {
    "FOR": "foreign-born",
    "NEU27_2020_FOR": "born outside the EU",
    "EU27_2020_FOR": "born in another EU country",
}
MIPEX_STRANDS = ("overall_with_health", "labour_market_mobility", "education", "anti_discrimination", "health")
MIPEX_LABELS = {
    "overall_with_health": "MIPEX overall (8 strands, with health)",
    "overall_without_health": "MIPEX overall (7 strands, without health)",
    "labour_market_mobility": "MIPEX labour market mobility",
    "education": "MIPEX education",
    "anti_discrimination": "MIPEX anti-discrimination",
    "health": "MIPEX health",
}


# ---------------------------------------------------------------------------
# Regional unemployment: years, slices, summaries
# ---------------------------------------------------------------------------

def regions_per_year(unemployment: pd.DataFrame, group: str = "FOR") -> pd.Series:
    """Number of regions with a value for ``rate_<group>`` in each year."""
    col = f"rate_{group}"
    return unemployment.loc[unemployment[col].notna()].groupby("time")["geo"].nunique().sort_index()


def best_year(unemployment: pd.DataFrame, group: str = "FOR") -> int:
    """The year with the most regions having a value for the group; ties go to the latest year."""
    counts = regions_per_year(unemployment, group)
    if counts.empty:
        raise ValueError(f"no region has a value for {group}")
    top = counts[counts == counts.max()]
    return int(top.index.max())


def year_slice(unemployment: pd.DataFrame, year: int, group: str = "FOR") -> pd.DataFrame:
    """One row per region for ``year``: rate and gap of ``group`` (with flags) and the total rate.

    Returns
    -------
    pandas.DataFrame
        ``geo, name, country, country_name, nuts_version, rate_TOTAL, flag_TOTAL, rate, flag,
        gap, gap_flag`` (``rate``/``gap`` refer to ``group``); only regions with a value of
        ``rate_<group>`` or ``rate_TOTAL`` in that year.
    """
    d = unemployment[unemployment["time"] == year]
    out = d[["geo", "name", "country", "country_name", "nuts_version", "rate_TOTAL", "flag_TOTAL"]].copy()
    out["rate"] = d[f"rate_{group}"]
    out["flag"] = d[f"flag_{group}"].where(d[f"rate_{group}"].notna(), "")
    out["gap"] = d[f"gap_{group}"]
    out["gap_flag"] = d[f"gap_flag_{group}"]
    out = out[out["rate"].notna() | out["rate_TOTAL"].notna()]
    return out.sort_values("geo").reset_index(drop=True)


def attach_geometry(regions: gpd.GeoDataFrame, table: pd.DataFrame, key: str = "geo") -> gpd.GeoDataFrame:
    """Left-join ``table`` to all regions of ``regions`` (``nuts_id``); regions without data stay (no data)."""
    merged = regions.merge(table.drop(columns=[c for c in ("name", "country", "nuts_version")
                                               if c in table and c in regions]),
                           left_on="nuts_id", right_on=key, how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=regions.crs)


def unmapped(regions: gpd.GeoDataFrame, table: pd.DataFrame, value: str, key: str = "geo") -> list[str]:
    """Codes with a value in ``table`` but no polygon in ``regions`` (e.g. discontinued codes)."""
    have = table.loc[table[value].notna(), key]
    return sorted(set(have) - set(regions["nuts_id"]))


def gap_summary(slice_: pd.DataFrame, threshold: float = 5.0) -> dict:
    """Key numbers of a :func:`year_slice`: regions with a gap, widest/narrowest, share above ``threshold``.

    The widest and narrowest gaps are named by region and country; ties are broken by code.
    """
    d = slice_.dropna(subset=["gap"]).sort_values(["gap", "geo"])
    if d.empty:
        nan = float("nan")
        return {"n": 0, "n_u": 0, "median": nan, "max": nan, "max_name": "none", "max_geo": "", "min": nan,
                "min_name": "none", "min_geo": "", "share_above": nan, "n_above": 0, "n_negative": 0}
    widest, narrowest = d.iloc[-1], d.iloc[0]
    return {
        "n": int(len(d)),
        "n_u": int(d["gap_flag"].str.contains("u").sum()),
        "median": float(d["gap"].median()),
        "max": float(widest["gap"]), "max_name": f"{widest['name']} ({widest['country_name']})",
        "max_geo": str(widest["geo"]),
        "min": float(narrowest["gap"]), "min_name": f"{narrowest['name']} ({narrowest['country_name']})",
        "min_geo": str(narrowest["geo"]),
        "share_above": float((d["gap"] > threshold).mean() * 100),
        "n_above": int((d["gap"] > threshold).sum()),
        "n_negative": int((d["gap"] < 0).sum()),
    }


def gap_change(unemployment: pd.DataFrame, year_a: int, year_b: int, group: str = "FOR",
               threshold: float = 2.0) -> pd.DataFrame:
    """Change of the gap between two years, per region with a gap in both.

    ``change`` = gap in the later year − gap in the earlier year (pp). ``direction`` is
    ``widened`` (change > threshold), ``narrowed`` (change < −threshold) or ``within ±threshold``.
    ``flags`` joins the gap flags of both years (``b`` marks a break in series, ``u`` low reliability).
    """
    first, last = sorted((int(year_a), int(year_b)))
    a = year_slice(unemployment, first, group)[["geo", "name", "country", "country_name", "gap", "gap_flag"]]
    b = year_slice(unemployment, last, group)[["geo", "gap", "gap_flag"]]
    d = a.merge(b, on="geo", suffixes=("_from", "_to")).dropna(subset=["gap_from", "gap_to"])
    d["year_from"], d["year_to"] = first, last
    d["change"] = (d["gap_to"] - d["gap_from"]).round(2)
    d["direction"] = np.select([d["change"] > threshold, d["change"] < -threshold],
                               ["widened", "narrowed"], default=f"within ±{threshold:g} pp")
    d["flags"] = (d["gap_flag_from"] + d["gap_flag_to"]).map(lambda s: "".join(sorted(set(s))))
    return d.sort_values(["change", "geo"]).reset_index(drop=True)


def gap_distribution_by_year(unemployment: pd.DataFrame, group: str = "FOR") -> pd.DataFrame:
    """Per year: number of regions with a gap, and the median and quartiles of the regional gaps.

    Unweighted across regions, over whichever regions have data that year: a description of
    the regional picture, not an EU aggregate.
    """
    col = f"gap_{group}"
    d = unemployment.dropna(subset=[col])
    out = d.groupby("time")[col].agg(n_regions="size", q1=lambda s: s.quantile(0.25), median="median",
                                     q3=lambda s: s.quantile(0.75)).reset_index()
    return out.round(2)


def eu_aggregate(national: pd.DataFrame, geo: str = "EU27_2020") -> pd.DataFrame:
    """Rows of ``national_gaps`` for the EU aggregate (empty when the extract has none)."""
    return national[national["geo"] == geo].dropna(subset=["unemp_gap"], how="all").reset_index(drop=True)


def population_share_map_frame(population: pd.DataFrame, nuts2024: gpd.GeoDataFrame,
                               nuts2021: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Foreign-born share (European Locals, NUTS 2024 codes) on NUTS 2024 polygons, plus UK on NUTS 2021.

    UK regions are drawn from the NUTS 2021 geometry only when the population table has UK
    codes; ``nuts_version`` tells each row's version. Regions without a value keep a NaN share.
    """
    cols = ["geo", "foreign_born_share", "non_citizen_share", "foreign_born", "year"]
    left = nuts2024[~nuts2024["country"].eq("UK")]
    parts = [left]
    if population["geo"].str.startswith("UK").any():
        parts.append(nuts2021[nuts2021["country"] == "UK"])
    regions = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=nuts2024.crs)
    return attach_geometry(regions, population[cols])


# ---------------------------------------------------------------------------
# Clusters
# ---------------------------------------------------------------------------

def cluster_features(indicators: pd.DataFrame, year: int, group: str = "FOR") -> pd.DataFrame:
    """Complete-case indicator matrix for clustering regions in ``year``.

    Indicators: total unemployment rate, the gap of ``group`` against the total (pp), and the
    foreign-born share of the LFS 15+ population (European Locals, carried to NUTS 2021 where
    one-to-one). The share comes from ``year`` if within its years (2014-2023), else the
    nearest year it covers (``share_year``).
    """
    shares = indicators.dropna(subset=["foreign_born_share"])
    years = sorted(shares["time"].unique())
    if not years:
        raise ValueError("no foreign-born share in the indicator table")
    share_year = int(min(max(year, years[0]), years[-1]))
    base = indicators.loc[indicators["time"] == year,
                          ["geo", "name", "country", "country_name", "rate_TOTAL", f"gap_{group}",
                           f"gap_flag_{group}"]]
    share = shares.loc[shares["time"] == share_year, ["geo", "foreign_born_share"]]
    out = base.merge(share, on="geo", how="inner").rename(columns={f"gap_{group}": "gap",
                                                                  f"gap_flag_{group}": "gap_flag"})
    out = out.dropna(subset=["rate_TOTAL", "gap", "foreign_born_share"]).sort_values("geo")
    out["share_year"] = share_year
    return out.reset_index(drop=True)


FEATURES = ("rate_TOTAL", "gap", "foreign_born_share")
FEATURE_LABELS = {"rate_TOTAL": "Unemployment rate, total (%)", "gap": "Gap vs total (pp)",
                  "foreign_born_share": "Foreign-born share, LFS 15+ (%)"}


def _standardise(features: pd.DataFrame, columns=FEATURES) -> np.ndarray:
    x = features[list(columns)].to_numpy(dtype=float)
    sd = x.std(axis=0, ddof=0)
    sd[sd == 0] = 1.0
    return (x - x.mean(axis=0)) / sd


def _fit_labels(z: np.ndarray, k: int, method: str, random_state: int) -> np.ndarray:
    if method == "kmeans":
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(z)
    if method == "ward":
        from sklearn.cluster import AgglomerativeClustering

        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(z)
    raise ValueError(f"unknown clustering method {method!r}; use 'kmeans' or 'ward'")


def silhouette_by_k(features: pd.DataFrame, ks=range(2, 9), method: str = "kmeans",
                    random_state: int = 0, columns=FEATURES) -> pd.DataFrame:
    """Mean silhouette of the clustering for each k (standardised indicators)."""
    from sklearn.metrics import silhouette_score

    z = _standardise(features, columns)
    rows = [{"k": int(k), "silhouette": float(silhouette_score(z, _fit_labels(z, int(k), method, random_state)))}
            for k in ks if 1 < k < len(features)]
    return pd.DataFrame(rows)


def best_k(scores: pd.DataFrame) -> int:
    """The k with the highest mean silhouette (the smaller k on a tie)."""
    top = scores[scores["silhouette"] == scores["silhouette"].max()]
    return int(top["k"].min())


def cluster_regions(features: pd.DataFrame, k: int, method: str = "kmeans", random_state: int = 0,
                    columns=FEATURES) -> pd.Series:
    """Cluster labels 1..k for the rows of ``features``, numbered by ascending median gap.

    Indicators are standardised (mean 0, sd 1) first. Numbering by the groups' median gap
    (ties by median total unemployment) makes labels stable across runs and methods.
    """
    z = _standardise(features, columns)
    raw = _fit_labels(z, int(k), method, random_state)
    frame = features.assign(_raw=raw)
    order = (frame.groupby("_raw")[["gap", "rate_TOTAL"]].median()
             .sort_values(["gap", "rate_TOTAL"]).index.tolist())
    relabel = {old: i + 1 for i, old in enumerate(order)}
    return pd.Series([relabel[r] for r in raw], index=features.index, name="cluster")


def cluster_profiles(features: pd.DataFrame, labels: pd.Series, columns=FEATURES) -> pd.DataFrame:
    """Typical values per cluster: number of regions and countries, medians of each indicator."""
    d = features.assign(cluster=labels)
    prof = d.groupby("cluster")[list(columns)].median().round(1)
    prof.insert(0, "regions", d.groupby("cluster").size())
    prof.insert(1, "countries", d.groupby("cluster")["country"].nunique())
    prof["examples"] = d.sort_values("geo").groupby("cluster")["name"].apply(
        lambda s: ", ".join(s.head(3)) + (", …" if len(s) > 3 else ""))
    return prof.reset_index()


# ---------------------------------------------------------------------------
# Policy link (MIPEX)
# ---------------------------------------------------------------------------

def mipex_year_for(mipex: pd.DataFrame, year: int, strand: str) -> int:
    """The MIPEX year used for an outcome year: the same year if scored, else the latest earlier one,
    else the earliest available."""
    years = sorted(mipex.loc[mipex["strand"] == strand, "year"].unique())
    if not years:
        raise ValueError(f"MIPEX has no strand {strand!r}")
    earlier = [y for y in years if y <= year]
    return int(earlier[-1] if earlier else years[0])


def mipex_scores(mipex: pd.DataFrame, year: int, strand: str) -> pd.Series:
    """MIPEX score (0-100) by country (Eurostat geo code) for ``strand`` in :func:`mipex_year_for`."""
    y = mipex_year_for(mipex, year, strand)
    d = mipex[(mipex["strand"] == strand) & (mipex["year"] == y)]
    return d.set_index("country")["score"].rename(strand)


def national_policy_frame(national: pd.DataFrame, mipex: pd.DataFrame, year: int,
                          strands=MIPEX_STRANDS) -> pd.DataFrame:
    """National employment/unemployment gaps (FOR − NAT) in ``year`` joined to MIPEX strand scores."""
    d = national.loc[national["time"] == year,
                     ["geo", "country_name", "emp_gap", "emp_gap_flag", "unemp_gap", "unemp_gap_flag"]]
    for s in strands:
        d = d.merge(mipex_scores(mipex, year, s).rename(s), left_on="geo", right_index=True, how="left")
    return d.reset_index(drop=True)


def correlation(x: pd.Series, y: pd.Series) -> dict:
    """Pearson r, Spearman rho and n over the pairs where both are present."""
    from scipy import stats

    d = pd.DataFrame({"x": x, "y": y}).dropna()
    if len(d) < 3:
        return {"n": int(len(d)), "pearson": float("nan"), "pearson_p": float("nan"), "spearman": float("nan")}
    r, p = stats.pearsonr(d["x"], d["y"])
    rho, _ = stats.spearmanr(d["x"], d["y"])
    return {"n": int(len(d)), "pearson": float(r), "pearson_p": float(p), "spearman": float(rho)}


def clustered_ols(df: pd.DataFrame, y: str, x: str, groups: str, controls: str = "") -> dict:
    """OLS of ``y`` on ``x`` (plus a formula fragment ``controls``) with standard errors clustered by ``groups``.

    Returns
    -------
    dict
        ``coef, se, ci_low, ci_high, p`` for ``x``, ``n`` (observations), ``n_clusters``, ``r2``.
    """
    import statsmodels.formula.api as smf

    cols = [y, x, groups] + [c.strip()[2:-1] for c in controls.split("+") if c.strip().startswith("C(")]
    d = df.dropna(subset=[c for c in cols if c in df]).copy()
    formula = f"{y} ~ {x}" + (f" + {controls}" if controls else "")
    codes = pd.factorize(d[groups])[0]
    fit = smf.ols(formula, data=d).fit(cov_type="cluster", cov_kwds={"groups": codes})
    lo, hi = fit.conf_int().loc[x]
    return {"coef": float(fit.params[x]), "se": float(fit.bse[x]), "ci_low": float(lo), "ci_high": float(hi),
            "p": float(fit.pvalues[x]), "n": int(fit.nobs), "n_clusters": int(len(set(codes))),
            "r2": float(fit.rsquared)}


def regional_policy_models(features: pd.DataFrame, labels: pd.Series, scores: pd.Series,
                           min_countries: int = 5) -> pd.DataFrame:
    """Regional gap on the country's MIPEX score: all regions, with cluster fixed effects, and per cluster.

    Standard errors are clustered by country. Per-cluster models are fitted only when the
    cluster spans at least ``min_countries`` countries (fewer clusters make clustered errors
    meaningless); others are listed with ``note``.
    """
    d = features.assign(cluster=labels.values, mipex=features["country"].map(scores))
    rows = []
    for label, sub, controls in [("All regions", d, ""), ("All regions, within groups (group fixed effects)",
                                                          d, "C(cluster)")]:
        rows.append({"model": label, **clustered_ols(sub, "gap", "mipex", "country", controls), "note": ""})
    for c, sub in d.groupby("cluster"):
        n_c = sub.dropna(subset=["mipex"])["country"].nunique()
        if n_c >= min_countries:
            rows.append({"model": f"Group {c}", **clustered_ols(sub, "gap", "mipex", "country"), "note": ""})
        else:
            rows.append({"model": f"Group {c}", "n": int(sub["mipex"].notna().sum()), "n_clusters": int(n_c),
                         "note": f"not estimated: fewer than {min_countries} countries"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Declared tables (employment / activity by country of birth, degree of urbanisation)
# ---------------------------------------------------------------------------

_KNOWN = {"freq", "geo", "time", "value", "flag"}


def rate_gap_table(frame: pd.DataFrame, group_dim: str = "c_birth", group: str = "FOR",
                   by: tuple[str, ...] = (), year: int | None = None) -> pd.DataFrame:
    """Rate of ``group`` against the native/national group (or the total) from a tidy Eurostat frame.

    Works for ``lfst_r_lfe2emprc`` / ``lfst_r_lfp2actrc`` (``group_dim="c_birth"``) and
    ``lfst_r_ergau`` (``group_dim="citizen"``, ``by=("deg_urb",)``). Other dimensions are
    fixed at sex ``T``, unit ``PC``, age ``Y20-64`` (else ``Y15-64``, else the first), and
    ``TOTAL`` where available.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy Eurostat frame (dimension columns, ``geo, time, value, flag``).
    group_dim, group : str
        Dimension and code of the group of interest.
    by : tuple of str
        Dimensions kept as rows (besides ``geo``).
    year : int, optional
        Year to keep; default the year with most ``geo`` values for ``group`` (latest on ties).

    Returns
    -------
    pandas.DataFrame
        ``geo, *by, time, rate, flag, reference, rate_ref, flag_ref, gap, gap_flag, age`` where
        ``reference`` is ``NAT`` when present, else ``TOTAL``; ``gap = rate − rate_ref`` (pp).
        Empty frame (same columns) when ``frame`` is empty.
    """
    cols = ["geo", *by, "time", "rate", "flag", "reference", "rate_ref", "flag_ref", "gap", "gap_flag", "age"]
    if frame.empty or group_dim not in frame:
        return pd.DataFrame(columns=cols)
    d = frame.copy()
    if "sex" in d:
        d = d[d["sex"] == "T"]
    if "unit" in d:
        d = d[d["unit"] == "PC"]
    age = None
    if "age" in d:
        ages = list(d["age"].unique())
        age = next((a for a in ("Y20-64", "Y15-64") if a in ages), sorted(ages)[0])
        d = d[d["age"] == age]
    for dim in set(d.columns) - _KNOWN - {group_dim, "sex", "unit", "age", *by}:
        if "TOTAL" in set(d[dim]):
            d = d[d[dim] == "TOTAL"]
    reference = "NAT" if "NAT" in set(d[group_dim]) else "TOTAL"
    g = d[(d[group_dim] == group) & d["value"].notna()]
    if year is None:
        counts = g.groupby("time")["geo"].nunique()
        year = int(counts[counts == counts.max()].index.max()) if len(counts) else None
    if year is None:
        return pd.DataFrame(columns=cols)
    keys = ["geo", *by]
    a = g[g["time"] == year][keys + ["time", "value", "flag"]].rename(columns={"value": "rate"})
    r = d[(d[group_dim] == reference) & (d["time"] == year)][keys + ["value", "flag"]].rename(
        columns={"value": "rate_ref", "flag": "flag_ref"})
    out = a.merge(r, on=keys, how="left")
    out["reference"] = reference
    out["gap"] = (out["rate"] - out["rate_ref"]).round(2)
    out["gap_flag"] = (out["flag"].fillna("") + out["flag_ref"].fillna("")).map(lambda s: "".join(sorted(set(s))))
    out["age"] = age
    return out[cols].sort_values(keys).reset_index(drop=True)


def best_geometry(codes, geometries: dict[str, gpd.GeoDataFrame]) -> str:
    """The NUTS version (key of ``geometries``) whose polygons match most of ``codes``; first on ties."""
    codes = set(codes)
    return max(geometries, key=lambda v: (len(codes & set(geometries[v]["nuts_id"])),
                                          -list(geometries).index(v)))


def latest_covered_year(df: pd.DataFrame, column: str, key: str = "geo", min_share: float = 0.9) -> int:
    """The latest year in which ``column`` has values for at least ``min_share`` of the best-covered year's keys."""
    counts = df.dropna(subset=[column]).groupby("time")[key].nunique()
    return int(counts[counts >= min_share * counts.max()].index.max())
