"""Chapter 5 analysis: regional gaps by country of birth, clusters, and the link to MIPEX.

The functions take the processed tables of :mod:`inclusion_evidence.steps.regional`
(``regional_unemployment``, ``regional_indicators``, ``national_gaps``,
``nuts2021_2024_recode``) and the shared ones (``mipex_strands``,
``regional_population_2023``, NUTS geometries), and return frames, series and summary dicts.
Nothing here reads files; the notebook passes the tables in.

Rules the chapter follows (and the tests guard):

* **Scope.** Every count, median, extreme, group and model covers the regions of one
  scope, the EU-27 by default (:data:`DEFAULT_SCOPE`); :func:`in_scope` filters by the
  country prefix of a NUTS code. Other countries appear only as context on maps.
* **No outcome-derived controls.** The groups of regions used as controls or strata
  in the policy models are built from context variables only (:data:`CONTEXT_FEATURES`:
  total unemployment, foreign-born share), never from the outcome (the gap);
  :func:`regional_policy_models` refuses groups whose features include the outcome.
* **Reliability.** A value counts as of low reliability when its flags hold ``u`` (for a
  gap: when either of its two rates is flagged ``u``); ``b`` (break in series) is kept
  apart. Headline extremes come from reliable values (:func:`gap_summary`).
* **Comparison group.** The regional extract has no native-born group, so a gap is the
  group's rate minus the **total** rate. With ``s`` the foreign-born share of the labour
  force, gap to total = (1 - s) x gap to native-born (:func:`native_gap_estimate`).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd

from inclusion_evidence.core.flags import low_reliability as _low_reliability
from inclusion_evidence.core.geo_codes import DEFAULT_SCOPE, in_scope, scope_countries, scope_label  # noqa: F401

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
# Scope
# ---------------------------------------------------------------------------

def restrict(frame: pd.DataFrame, scope: str = DEFAULT_SCOPE, key: str = "geo") -> pd.DataFrame:
    """The rows of ``frame`` whose ``key`` lies in ``scope`` (index reset).

    Scopes are those of :func:`inclusion_evidence.core.geo_codes.scope_countries`
    (``"EU27"``, ``"EU27+EFTA"``, ...); a NUTS code belongs to its country.
    """
    return frame[in_scope(frame[key], scope).to_numpy()].reset_index(drop=True)


def scope_counts(frame: pd.DataFrame, value: str, scope: str = DEFAULT_SCOPE, key: str = "geo") -> dict:
    """Regions with a value in ``value``: inside the scope, outside it (context), and the outside countries."""
    have = frame[frame[value].notna()]
    inside = in_scope(have[key], scope).to_numpy()
    outside = have.loc[~inside, key].astype(str).str[:2].unique().tolist()
    return {"inside": int(inside.sum()), "outside": int((~inside).sum()), "outside_countries": sorted(outside)}


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


def gap_columns(group: str = "FOR", reference: str = "total") -> tuple[str, str]:
    """Columns of the gap of ``group`` against ``reference`` (``"total"`` or ``"native"``) and of its flags."""
    if reference == "total":
        return f"gap_{group}", f"gap_flag_{group}"
    if reference == "native":
        return f"gap_nat_{group}", f"gap_nat_flag_{group}"
    raise ValueError(f"reference {reference!r}: use 'total' or 'native'")


def year_slice(unemployment: pd.DataFrame, year: int, group: str = "FOR", reference: str = "total") -> pd.DataFrame:
    """One row per region for ``year``: rate and gap of ``group`` (with flags) and the total rate.

    ``reference`` chooses the gap: against the total (default) or, when the native-born
    file is present (:func:`with_native_born`), against the native-born.

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
    gap_col, flag_col = gap_columns(group, reference)
    out["gap"] = d[gap_col]
    out["gap_flag"] = d[flag_col].fillna("")
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


def low_reliability(flags: pd.Series) -> pd.Series:
    """True where the flags hold ``u`` (low reliability); missing flags count as reliable (the book's one rule)."""
    return _low_reliability(flags)


def _named(row: pd.Series) -> str:
    return f"{row['name']} ({row['country_name']})"


def gap_summary(slice_: pd.DataFrame, threshold: float = 5.0, value: str = "gap", flag: str = "gap_flag") -> dict:
    """Key numbers of a :func:`year_slice`: regions with a gap, widest/narrowest, share above ``threshold``.

    Headline extremes use **reliable** values only (flags without ``u``): ``max``/``min`` and
    their names are the widest/narrowest reliable gaps. The widest and narrowest of *all*
    values are kept apart (``max_any``, ``max_any_name``, ``max_any_low``: True when that value
    is flagged ``u``), so a sentence can name them only with their warning. Ties by code.
    """
    d = slice_.dropna(subset=[value]).sort_values([value, "geo"])
    nan = float("nan")
    out = {"n": int(len(d)), "n_u": 0, "n_reliable": 0, "median": nan, "median_reliable": nan,
           "max": nan, "max_name": "none", "max_geo": "", "min": nan, "min_name": "none", "min_geo": "",
           "max_any": nan, "max_any_name": "none", "max_any_geo": "", "max_any_low": False,
           "min_any": nan, "min_any_name": "none", "min_any_geo": "", "min_any_low": False,
           "share_above": nan, "n_above": 0, "n_negative": 0, "n_positive": 0}
    if d.empty:
        return out
    low = low_reliability(d[flag]) if flag in d else pd.Series(False, index=d.index)
    good = d[~low.to_numpy()]
    out.update({
        "n_u": int(low.sum()), "n_reliable": int(len(good)),
        "median": float(d[value].median()),
        "share_above": float((d[value] > threshold).mean() * 100),
        "n_above": int((d[value] > threshold).sum()),
        "n_negative": int((d[value] < 0).sum()), "n_positive": int((d[value] > 0).sum()),
    })
    widest, narrowest = d.iloc[-1], d.iloc[0]
    out.update({"max_any": float(widest[value]), "max_any_name": _named(widest), "max_any_geo": str(widest["geo"]),
                "max_any_low": bool(low.iloc[-1]),
                "min_any": float(narrowest[value]), "min_any_name": _named(narrowest),
                "min_any_geo": str(narrowest["geo"]), "min_any_low": bool(low.iloc[0])})
    if len(good):
        gw, gn = good.iloc[-1], good.iloc[0]
        out.update({"median_reliable": float(good[value].median()),
                    "max": float(gw[value]), "max_name": _named(gw), "max_geo": str(gw["geo"]),
                    "min": float(gn[value]), "min_name": _named(gn), "min_geo": str(gn["geo"])})
    return out


def gap_change(unemployment: pd.DataFrame, year_a: int, year_b: int, group: str = "FOR",
               threshold: float = 2.0, reference: str = "total") -> pd.DataFrame:
    """Change of the gap between two years, per region with a gap in both.

    ``change`` = gap in the later year − gap in the earlier year (pp). ``direction`` is
    ``widened`` (change > threshold), ``narrowed`` (change < −threshold) or ``within ±threshold``.
    ``flags`` joins the gap flags of both years (``b`` marks a break in series, ``u`` low reliability).
    """
    first, last = sorted((int(year_a), int(year_b)))
    a = year_slice(unemployment, first, group, reference)[["geo", "name", "country", "country_name", "gap", "gap_flag"]]
    b = year_slice(unemployment, last, group, reference)[["geo", "gap", "gap_flag"]]
    d = a.merge(b, on="geo", suffixes=("_from", "_to")).dropna(subset=["gap_from", "gap_to"])
    d["year_from"], d["year_to"] = first, last
    d["change"] = (d["gap_to"] - d["gap_from"]).round(2)
    d["direction"] = np.select([d["change"] > threshold, d["change"] < -threshold],
                               ["widened", "narrowed"], default=f"within ±{threshold:g} pp")
    d["flags"] = (d["gap_flag_from"] + d["gap_flag_to"]).map(lambda s: "".join(sorted(set(s))))
    return d.sort_values(["change", "geo"]).reset_index(drop=True)


def gap_distribution_by_year(unemployment: pd.DataFrame, group: str = "FOR", reference: str = "total") -> pd.DataFrame:
    """Per year: number of regions with a gap, and the median and quartiles of the regional gaps.

    Unweighted across regions, over whichever regions have data that year: a description of
    the regional picture, not an EU aggregate.
    """
    col = gap_columns(group, reference)[0]
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

def cluster_features(indicators: pd.DataFrame, year: int, group: str = "FOR", reference: str = "total") -> pd.DataFrame:
    """Complete-case matrix of the regions in ``year``: context variables and the outcome.

    Context (what groups are built from, :data:`CONTEXT_FEATURES`): the total unemployment
    rate and the foreign-born share of the LFS 15+ population (European Locals, carried to
    NUTS 2021 where one-to-one; from ``year`` if within its years, else the nearest year it
    covers, ``share_year``). Outcome (carried for the models, never used to group): ``gap``,
    the gap of ``group`` against ``reference`` (pp), with ``gap_flag``.
    """
    gap_col, flag_col = gap_columns(group, reference)
    shares = indicators.dropna(subset=["foreign_born_share"])
    years = sorted(shares["time"].unique())
    if not years:
        raise ValueError("no foreign-born share in the indicator table")
    share_year = int(min(max(year, years[0]), years[-1]))
    base = indicators.loc[indicators["time"] == year,
                          ["geo", "name", "country", "country_name", "rate_TOTAL", gap_col, flag_col]]
    share = shares.loc[shares["time"] == share_year, ["geo", "foreign_born_share"]]
    out = base.merge(share, on="geo", how="inner").rename(columns={gap_col: "gap", flag_col: "gap_flag"})
    out = out.dropna(subset=["rate_TOTAL", "gap", "foreign_born_share"]).sort_values("geo")
    out["share_year"] = share_year
    return out.reset_index(drop=True)


#: Context variables the groups of regions are built from: the local labour market and the
#: migration profile. The outcome of the policy models (the gap) is never among them.
CONTEXT_FEATURES = ("rate_TOTAL", "foreign_born_share")
FEATURES = CONTEXT_FEATURES
OUTCOME = "gap"
FEATURE_LABELS = {"rate_TOTAL": "Unemployment rate, total (%)", "gap": "Gap vs total (pp)",
                  "foreign_born_share": "Foreign-born share, LFS 15+ (%)"}


def check_controls(columns, outcome: str = OUTCOME) -> None:
    """Raise ``ValueError`` when the features behind a control (groups) include the outcome column.

    Groups built on the outcome make a model of that outcome on group fixed effects fit by
    construction (its R² is mechanical); groups used as controls must come from other variables.
    """
    cols = list(columns)
    if outcome in cols:
        raise ValueError(f"the groups used as controls are built from {', '.join(cols)}, which include the "
                         f"outcome {outcome!r}: build them from context variables only (e.g. {', '.join(CONTEXT_FEATURES)})")


def _standardise(features: pd.DataFrame, columns=FEATURES) -> np.ndarray:
    x = features[list(columns)].to_numpy(dtype=float)
    sd = x.std(axis=0, ddof=0)
    sd[sd == 0] = 1.0
    return (x - x.mean(axis=0)) / sd


@contextmanager
def _one_openmp_thread():
    """Run scikit-learn's k-means on one OpenMP thread.

    The regions are a few hundred rows: spreading each Lloyd iteration over threads costs more
    than it saves, and on a busy 2-core machine the threads wait for each other (seven k-means
    fits took 1.3-2.4 s on several threads, 0.2 s on one; the labels were the same). One thread
    also makes the sums' order the same on every machine.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="openmp"):
        yield


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
    with _one_openmp_thread():
        rows = [{"k": int(k), "silhouette": float(silhouette_score(z, _fit_labels(z, int(k), method, random_state)))}
                for k in ks if 1 < k < len(features)]
    return pd.DataFrame(rows)


def best_k(scores: pd.DataFrame) -> int:
    """The k with the highest mean silhouette (the smaller k on a tie)."""
    top = scores[scores["silhouette"] == scores["silhouette"].max()]
    return int(top["k"].min())


def cluster_regions(features: pd.DataFrame, k: int, method: str = "kmeans", random_state: int = 0,
                    columns=FEATURES) -> pd.Series:
    """Cluster labels 1..k for the rows of ``features``, numbered by ascending median of the first column.

    Indicators are standardised (mean 0, sd 1) first. Numbering by the groups' median of the
    first clustering column (ties by the next) makes labels stable across runs and methods;
    with the default context features, group 1 has the lowest total unemployment.
    The labels carry the clustering columns in ``attrs["features"]``.
    """
    columns = list(columns)
    z = _standardise(features, columns)
    with _one_openmp_thread():
        raw = _fit_labels(z, int(k), method, random_state)
    frame = features.assign(_raw=raw)
    order = (frame.groupby("_raw")[columns].median()
             .sort_values(columns).index.tolist())
    relabel = {old: i + 1 for i, old in enumerate(order)}
    labels = pd.Series([relabel[r] for r in raw], index=features.index, name="cluster")
    labels.attrs["features"] = tuple(columns)
    return labels


def cluster_profiles(features: pd.DataFrame, labels: pd.Series, columns=(*FEATURES, OUTCOME)) -> pd.DataFrame:
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


MIPEX_EDITION_LABELS = {
    "core_2007_2019": "MIPEX 2020 core indicators, scored 2007-2019",
    "eu_2020_2024": "MIPEX EU policy indicators, scored 2020-2024",
}


def mipex_edition(mipex: pd.DataFrame, year: int, strand: str) -> str:
    """The MIPEX edition behind the scores used for an outcome ``year`` (cite it with those years).

    MIPEX's core set (2007-2019) and its EU update (2020-2024) are two editions; the
    2019-to-2020 step mixes a change of method with changes of policy, so a comparison never
    spans it silently. Falls back to the year rule (to 2019: core) when the table has no
    ``edition`` column.
    """
    y = mipex_year_for(mipex, year, strand)
    if "edition" in mipex:
        editions = mipex.loc[(mipex["strand"] == strand) & (mipex["year"] == y), "edition"].dropna().unique()
        if len(editions) == 1:
            return MIPEX_EDITION_LABELS.get(str(editions[0]), str(editions[0]))
    return MIPEX_EDITION_LABELS["core_2007_2019" if y <= 2019 else "eu_2020_2024"]


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


def _control_columns(controls: str) -> list[str]:
    """The columns named by a controls fragment: ``"C(a) + C(b)"`` -> ``["a", "b"]`` (categorical terms only)."""
    names = []
    for term in (t.strip() for t in controls.split("+") if t.strip()):
        m = re.fullmatch(r"C\((\w+)\)", term)
        if m is None:
            raise ValueError(f"controls {controls!r}: term {term!r} is not a categorical C(column)")
        names.append(m.group(1))
    return names


def ols_design(d: pd.DataFrame, x: str, controls: str = "") -> pd.DataFrame:
    """The design matrix of ``y ~ x + controls`` as statsmodels' formula interface builds it.

    Columns in the formula's order: ``Intercept``, then for each categorical control
    ``C(col)`` one treatment dummy ``C(col)[T.level]`` per level after the first (levels
    sorted), then ``x``. Built directly, it spares the formula machinery (its import alone
    cost chapter 5 about 0.2 s) and gives the same numbers.
    """
    parts = {"Intercept": np.ones(len(d))}
    for col in _control_columns(controls):
        levels = sorted(d[col].unique())
        for level in levels[1:]:
            parts[f"C({col})[T.{level}]"] = (d[col] == level).to_numpy(dtype=float)
    parts[x] = d[x].to_numpy(dtype=float)
    return pd.DataFrame(parts, index=d.index)


def clustered_ols(df: pd.DataFrame, y: str, x: str, groups: str, controls: str = "") -> dict:
    """OLS of ``y`` on ``x`` (plus categorical controls ``"C(col) + ..."``) with standard errors clustered by ``groups``.

    Returns
    -------
    dict
        ``coef, se, ci_low, ci_high, p`` for ``x``, ``n`` (observations), ``n_clusters``, ``r2``.
    """
    from statsmodels.regression.linear_model import OLS

    cols = [y, x, groups] + _control_columns(controls)
    d = df.dropna(subset=[c for c in cols if c in df]).copy()
    codes = pd.factorize(d[groups])[0]
    fit = OLS(d[y].astype(float), ols_design(d, x, controls)).fit(cov_type="cluster", cov_kwds={"groups": codes})
    lo, hi = fit.conf_int().loc[x]
    return {"coef": float(fit.params[x]), "se": float(fit.bse[x]), "ci_low": float(lo), "ci_high": float(hi),
            "p": float(fit.pvalues[x]), "n": int(fit.nobs), "n_clusters": int(len(set(codes))),
            "r2": float(fit.rsquared)}


def regional_policy_models(features: pd.DataFrame, labels: pd.Series, scores: pd.Series,
                           min_countries: int = 5, outcome: str = OUTCOME,
                           feature_columns=None) -> pd.DataFrame:
    """Regional ``outcome`` on the country's MIPEX score: all regions, with group fixed effects, and per group.

    The groups (``labels``) must be built from context variables, not from the outcome:
    ``feature_columns`` (default ``labels.attrs["features"]``, else :data:`FEATURES`) are
    checked with :func:`check_controls`, which raises ``ValueError`` when they include
    ``outcome``. Standard errors are clustered by country. Per-group models are fitted only
    when the group spans at least ``min_countries`` countries; others are listed with ``note``.
    """
    check_controls(feature_columns if feature_columns is not None else labels.attrs.get("features", FEATURES),
                   outcome)
    d = features.assign(cluster=labels.values, mipex=features["country"].map(scores))
    rows = []
    for label, sub, controls in [("All regions", d, ""), ("All regions, within context groups (group fixed effects)",
                                                          d, "C(cluster)")]:
        rows.append({"model": label, **clustered_ols(sub, outcome, "mipex", "country", controls), "note": ""})
    for c, sub in d.groupby("cluster"):
        n_c = sub.dropna(subset=["mipex"])["country"].nunique()
        if n_c >= min_countries:
            rows.append({"model": f"Group {c}", **clustered_ols(sub, outcome, "mipex", "country"), "note": ""})
        else:
            rows.append({"model": f"Group {c}", "n": int(sub["mipex"].notna().sum()), "n_clusters": int(n_c),
                         "note": f"not estimated: fewer than {min_countries} countries"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Comparison group: gap to the total vs gap to the native-born
# ---------------------------------------------------------------------------

def native_gap_estimate(frame: pd.DataFrame, gap: str = "gap", share: str = "foreign_born_share") -> pd.DataFrame:
    """Gap to the native-born implied by the gap to the total and the foreign-born share.

    With ``s`` the foreign-born share of the labour force, the total rate is
    ``s·u_FOR + (1 − s)·u_NAT``, so ``gap_total = u_FOR − u_TOTAL = (1 − s)(u_FOR − u_NAT)``
    and ``gap_native = gap_total / (1 − s)``. The labour-force share is not in the tables,
    so ``s`` is approximated by ``share`` (the foreign-born share of the population aged 15+,
    in %); the result is an estimate. Adds ``s``, ``gap_native_est`` and
    ``understatement`` (= gap_native_est − gap_total, pp) to the rows with both values.
    """
    d = frame.dropna(subset=[gap, share]).copy()
    s = d[share].astype(float) / 100.0
    if ((s < 0) | (s >= 1)).any():
        bad = d.loc[(s < 0) | (s >= 1), share].iloc[0]
        raise ValueError(f"foreign-born share {bad!r} is not a percentage below 100")
    d["s"] = s.round(4)
    d["gap_native_est"] = (d[gap] / (1 - s)).round(2)
    d["understatement"] = (d["gap_native_est"] - d[gap]).round(2)
    return d.reset_index(drop=True)


def with_native_born(unemployment: pd.DataFrame, native: pd.DataFrame, groups=("FOR", "NEU27_2020_FOR")) -> pd.DataFrame:
    """Add the native-born rate and the gaps to it, when the native-born file is present.

    ``native`` is the tidy ``lfst_r_lfur2gac`` extract with ``c_birth=NAT`` (the declared
    source); empty: ``unemployment`` is returned unchanged. Otherwise adds ``rate_NAT``,
    ``flag_NAT`` and, per group, ``gap_nat_<group>`` (group rate − native-born rate, pp)
    with ``gap_nat_flag_<group>`` (the union of both rates' flags).
    """
    if native is None or native.empty:
        return unemployment
    d = native.copy()
    for dim, code in (("c_birth", "NAT"), ("sex", "T"), ("unit", "PC"), ("age", "Y15-64")):
        if dim in d:
            d = d[d[dim] == code]
    d = d.dropna(subset=["value"])
    if d.duplicated(["geo", "time"]).any():
        raise ValueError("native-born extract (lfst_r_lfur2gac, c_birth=NAT): two values for one region and year")
    nat = d[["geo", "time", "value", "flag"]].rename(columns={"value": "rate_NAT", "flag": "flag_NAT"})
    out = unemployment.drop(columns=[c for c in ("rate_NAT", "flag_NAT") if c in unemployment]).merge(
        nat, on=["geo", "time"], how="left")
    out["flag_NAT"] = out["flag_NAT"].fillna("")
    for g in groups:
        if f"rate_{g}" not in out:
            continue
        both = out[f"rate_{g}"].notna() & out["rate_NAT"].notna()
        out[f"gap_nat_{g}"] = (out[f"rate_{g}"] - out["rate_NAT"]).where(both).round(2)
        flags = (out[f"flag_{g}"].fillna("") + out["flag_NAT"]).map(lambda x: "".join(sorted(set(x))))
        out[f"gap_nat_flag_{g}"] = flags.where(both, "")
    return out


def native_available(unemployment: pd.DataFrame, year: int, group: str = "FOR") -> bool:
    """Whether the native-born gap of ``group`` has values in ``year``."""
    col = f"gap_nat_{group}"
    return col in unemployment and bool(unemployment.loc[unemployment["time"] == year, col].notna().any())


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
