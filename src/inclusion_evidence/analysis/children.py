"""Chapter 7 (Action 7, children in migration): asylum statistics beside the gaps × professionals synthesis.

Applicants per 100 000 residents (``migr_asyappctza``), the Swedish monthly
series (``sweden_asylum_monthly``), the tables of Eurostat news release
80/2017 (``uam_2015_2016``, ``uam_top_citizenships_2016``) and, when
supplied, the declared Eurostat tables ``migr_asyunaa`` and
``migr_asyappctza_age``. Every function is pure: tidy frames in, frames out.

Scope: EU totals, medians and extremes cover the countries of ``scope`` (the
EU-27 by default); other reporting countries are context, kept apart. The
asylum table counts applicants of all ages: it is context for a chapter on
children, never evidence about them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import country_names, per_100k
from inclusion_evidence.core.geo_codes import DEFAULT_SCOPE, EU27, in_scope, scope_countries

# --------------------------------------------------------------------------- asylum

def asylum_rates(asylum: pd.DataFrame, population: pd.DataFrame, *, citizen: str = "TOTAL",
                 start: int = 2008, end: int = 2024, countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Asylum applicants per 100 000 residents by country and year.

    Parameters
    ----------
    asylum : pandas.DataFrame
        ``migr_asyappctza`` (tidy: citizen, sex, age, asyl_app, geo, time, value, flag).
    population : pandas.DataFrame
        ``population_worldbank`` (geo, year, population).
    citizen : str
        Citizenship code (``TOTAL`` or ``UA`` in this edition's extract).
    start, end : int
        Years kept (inclusive).
    countries : sequence of str, optional
        Eurostat geo codes; ``None`` = every reporting country.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``country``, ``time``, ``applicants``, ``population``,
        ``per_100k`` (missing where the World Bank has no population), ``flag``.
    """
    df = asylum[(asylum["citizen"] == citizen) & asylum["time"].between(start, end)]
    for col, val in (("sex", "T"), ("age", "TOTAL"), ("asyl_app", "ASY_APP")):
        if col in df:
            df = df[df[col] == val]
    if countries:
        df = df[df["geo"].isin(list(countries))]
    if df.empty:
        raise ValueError(f"no asylum applicants for citizen={citizen!r}, {start}-{end}, countries={countries}")
    pop = population[population["geo"].notna()][["geo", "year", "population"]].rename(columns={"year": "time"})
    pop = pop.astype({"geo": str, "population": float})
    counts = df[["geo", "time", "value", "flag"]].rename(columns={"value": "applicants"}).astype({"geo": str})
    out = per_100k(counts, pop, on=("geo", "time"), count="applicants")
    out["country"] = country_names(out["geo"])
    return out[["geo", "country", "time", "applicants", "population", "per_100k", "flag"]].sort_values(
        ["geo", "time"]).reset_index(drop=True)

def eu_applicants_trend(rates: pd.DataFrame, scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """Sum of applicants over the countries of ``scope`` (EU-27) present each year, with how many reported.

    Returns ``time``, ``applicants``, ``n_countries``, ``population`` (of the
    same countries, where known) and ``per_100k``.
    """
    eu = rates[in_scope(rates["geo"], scope).to_numpy()]
    out = eu.groupby("time").agg(applicants=("applicants", "sum"),
                                 n_countries=("applicants", lambda v: int(v.notna().sum())))
    with_pop = eu[eu["population"] > 0].groupby("time").agg(
        population=("population", "sum"), n_pop=("population", "size"))
    out = out.join(with_pop)
    # a rate only when every reporting country has a population
    pop = out.loc[out["n_pop"] == out["n_countries"], ["population"]].reset_index()
    return per_100k(out[["applicants", "n_countries"]].reset_index(), pop, on=("time",), count="applicants")

def latest_rate_year(rates: pd.DataFrame) -> int | None:
    """The most recent year in which at least one rate can be computed."""
    have = rates.dropna(subset=["per_100k"])
    return int(have["time"].max()) if len(have) else None


def latest_rates(rates: pd.DataFrame, year: int, scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """The rates of one year with ``in_scope`` (bool): in-scope countries first, then context, each by rate."""
    out = rates[rates["time"] == year].copy()
    out["in_scope"] = in_scope(out["geo"], scope).to_numpy()
    return out.sort_values(["in_scope", "per_100k"], ascending=[False, False]).reset_index(drop=True)


# --------------------------------------------------------------------------- what the Action Plan names

def gaps_named_in_plan(gaps) -> pd.DataFrame:
    """The gaps Action 7 names, each in the plan's words, with the professionals the plan ties to it.

    Replaces the gaps × professionals matrix, whose cells almost all follow
    from one general aim (raise every professional's awareness of every
    barrier); the full matrix stays available as a CSV.

    Returns
    -------
    pandas.DataFrame
        ``gap``, ``quote`` (the plan's words), ``professionals`` (those the plan
        ties to this gap itself, or "all (general aim)"), ``section``.
    """
    specific = gaps.cells[gaps.cells["scope"] == "specific"]
    rows = []
    for _, r in gaps.rows.iterrows():
        named = [gaps.label("columns", c) for c in specific.loc[specific["row"] == r["id"], "column"]]
        if len(named) == len(gaps.columns):
            who = f"all {len(named)} professions named (stated)"
        else:
            who = ", ".join(named) + " (stated)" if named else "all (general aim only)"
        rows.append({"gap": r["label"], "quote": f"“{r['quote'].strip()}”" if isinstance(r["quote"], str) else "",
                     "professionals": who, "section": r["section"]})
    return pd.DataFrame(rows, columns=["gap", "quote", "professionals", "section"])


def professionals_named(gaps) -> dict:
    """The frontline professionals Action 7 names: their labels and the plan's words (one quote)."""
    quotes = list(dict.fromkeys(q.strip() for q in gaps.columns["quote"] if isinstance(q, str) and q.strip()))
    return {"labels": list(gaps.columns["label"]), "quote": " … ".join(f"“{q}”" for q in quotes),
            "section": "; ".join(dict.fromkeys(gaps.columns["section"].dropna()))}


# --------------------------------------------------------------------------- Sweden

def sweden_annual(monthly: pd.DataFrame) -> pd.DataFrame:
    """Yearly sums of the Swedish monthly series, with the number of months each year covers.

    Returns ``year``, ``months``, ``total``, ``minors``, ``unacc_minors``,
    ``share_minors`` and ``share_unacc`` (% of all applications).
    """
    df = monthly.assign(year=monthly["month"].dt.year)
    out = df.groupby("year").agg(months=("month", "size"), total=("total", "sum"),
                                 minors=("minors", "sum"), unacc_minors=("unacc_minors", "sum")).reset_index()
    for col in ("total", "minors", "unacc_minors", "months"):
        out[col] = out[col].astype(int)
    out["share_minors"] = 100 * out["minors"] / out["total"]
    out["share_unacc"] = 100 * out["unacc_minors"] / out["total"]
    return out

def sweden_long(monthly: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Monthly series in long form for plotting: ``month``, ``series`` (label), ``applications``."""
    df = monthly
    if start is not None:
        df = df[df["month"].dt.year >= start]
    if end is not None:
        df = df[df["month"].dt.year <= end]
    labels = {"total": "All applicants", "minors": "Minors (incl. unaccompanied)",
              "unacc_minors": "Unaccompanied minors"}
    long = df.melt(id_vars="month", value_vars=list(labels), var_name="series", value_name="applications")
    long["series"] = long["series"].map(labels)
    long["applications"] = long["applications"].astype(float)
    return long


# --------------------------------------------------------------------------- news release 80/2017

def uam_release_long(uam: pd.DataFrame) -> pd.DataFrame:
    """Unaccompanied minors by Member State, 2015 and 2016, long form (EU/EFTA aggregates dropped)."""
    df = uam[~uam["geo"].str.startswith("EU")]
    long = df.melt(id_vars=["geo", "country"], value_vars=["uam_2015", "uam_2016"], var_name="year",
                   value_name="uam")
    long["year"] = long["year"].str[-4:].astype(int)
    long["uam"] = long["uam"].astype(float)
    return long

def uam_scope_totals(uam: pd.DataFrame, scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """Unaccompanied minors summed over the countries of ``scope`` that report, per year (release 80/2017).

    The release's own total is the EU-28 (with the United Kingdom); this sums
    its country rows in the scope instead. Returns ``year``, ``uam`` (sum),
    ``n_reporting``, ``n_in_scope`` and ``missing`` (names of the countries in
    scope without a figure, "; "-joined).
    """
    members = scope_countries(scope)
    rows = uam[uam["geo"].isin(members)]
    out = []
    for year in (2015, 2016):
        values = rows[f"uam_{year}"].astype(float)
        missing = sorted(country_names(rows.loc[values.isna(), "geo"]))
        out.append({"year": year, "uam": float(values.sum(min_count=1)), "n_reporting": int(values.notna().sum()),
                    "n_in_scope": len(members), "missing": "; ".join(missing)})
    return pd.DataFrame(out)


def uam_release_panels(uam: pd.DataFrame, scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """Country rows of the release (2015, 2016 as floats) with ``panel``: the scope's members, or context.

    Aggregates (EU-28) are dropped; countries are named by the book's country
    table (Eurostat's names). Countries without a figure for either year are left out.
    """
    from inclusion_evidence.core.geo_codes import scope_label

    df = uam[~uam["geo"].str.startswith("EU")].copy()
    df["country"] = country_names(df["geo"])
    df["uam_2015"] = df["uam_2015"].astype(float)
    df["uam_2016"] = df["uam_2016"].astype(float)
    inside = in_scope(df["geo"], scope).to_numpy()
    df["panel"] = np.where(inside, f"{scope_label(scope)} Member States", "Other countries (context)")
    df = df.dropna(subset=["uam_2015", "uam_2016"])
    return df.sort_values(["panel", "uam_2016"], key=lambda c: c if c.name != "panel" else c.str.startswith("Other"))\
        .reset_index(drop=True)


def uam_eu_citizenships(top: pd.DataFrame, aggregate: str = "EU28") -> pd.DataFrame:
    """The three main citizenships of unaccompanied minors at EU level (release table)."""
    return top[top["geo"] == aggregate][["rank", "citizenship", "number", "share"]].reset_index(drop=True)

def uam_citizenship_counts(top: pd.DataFrame, aggregate: str = "EU28") -> pd.DataFrame:
    """How many Member States (and EFTA) have each citizenship among their top three (2016)."""
    df = top[(top["geo"] != aggregate) & top["citizenship"].notna()]
    out = (df.groupby("citizenship").agg(states=("geo", "nunique"), minors=("number", "sum"))
           .reset_index().sort_values(["states", "minors"], ascending=False))
    out["minors"] = out["minors"].astype(float)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- declared Eurostat tables

def _total(df: pd.DataFrame, **keep) -> pd.DataFrame:
    for col, val in keep.items():
        if col in df:
            df = df[df[col] == val]
    return df

def uam_eurostat_summary(unaa: pd.DataFrame, *, start: int, end: int,
                         countries: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Summaries of ``migr_asyunaa`` (unaccompanied minors) for the chapter's EU-wide section.

    Parameters
    ----------
    unaa : pandas.DataFrame
        Tidy ``migr_asyunaa`` (dimensions citizen, sex, age, unit, geo, time, value, flag).
    start, end : int
        Years kept.
    countries : sequence of str, optional
        Member States kept for the trend; the map and the EU totals use all.

    Returns
    -------
    dict of pandas.DataFrame
        ``by_state`` (geo, country, time, value, flag: all citizenships, both
        sexes, all ages), ``eu_trend`` (time, value: the EU-27 aggregate if
        present, else the sum of EU-27 states, with ``n_states``),
        ``citizenships`` (top ten citizenships over the period, EU),
        ``age`` and ``sex`` (EU distribution over the period, %).
    """
    df = unaa[unaa["time"].between(start, end)]
    if df.empty:
        raise ValueError(f"migr_asyunaa has no rows for {start}-{end}")
    base = _total(df, citizen="TOTAL", sex="T", age="TOTAL")
    states = base[base["geo"].isin(list(EU27) + ["IS", "LI", "NO", "CH", "UK"])]
    by_state = states[["geo", "time", "value", "flag"]].copy()
    by_state["country"] = country_names(by_state["geo"])
    if countries:
        by_state_sel = by_state[by_state["geo"].isin(list(countries))]
    else:
        by_state_sel = by_state
    agg = base[base["geo"] == "EU27_2020"]
    if len(agg):
        eu = agg.groupby("time", as_index=False)["value"].sum().assign(n_states=np.nan, basis="EU27_2020")
    else:
        eu_states = base[base["geo"].isin(EU27)]
        eu = eu_states.groupby("time").agg(value=("value", "sum"), n_states=("geo", "nunique")).reset_index()
        eu["basis"] = "sum of EU-27 states"
    eu_rows = df[df["geo"] == "EU27_2020"] if (df["geo"] == "EU27_2020").any() else df[df["geo"].isin(EU27)]
    cit = _total(eu_rows, sex="T", age="TOTAL")
    cit = cit[~cit["citizen"].isin(["TOTAL", "EXT_EU27_2020", "EXT_EU28", "EU27_2020_FOR", "UNK"])]
    citizenships = (cit.groupby("citizen", as_index=False)["value"].sum()
                    .sort_values("value", ascending=False).head(10).reset_index(drop=True))
    citizenships["citizenship"] = citizenships["citizen"]
    age = _total(eu_rows, citizen="TOTAL", sex="T")
    age = age[age["age"] != "TOTAL"].groupby("age", as_index=False)["value"].sum()
    age["share"] = 100 * age["value"] / age["value"].sum() if age["value"].sum() else np.nan
    sex = _total(eu_rows, citizen="TOTAL", age="TOTAL")
    sex = sex[sex["sex"] != "T"].groupby("sex", as_index=False)["value"].sum()
    sex["share"] = 100 * sex["value"] / sex["value"].sum() if sex["value"].sum() else np.nan
    return {"by_state": by_state.reset_index(drop=True), "by_state_selected": by_state_sel.reset_index(drop=True),
            "eu_trend": eu.reset_index(drop=True), "citizenships": citizenships, "age": age, "sex": sex}

def minors_from_age_table(age_table: pd.DataFrame, *, start: int, end: int) -> pd.DataFrame:
    """Asylum applicants under 18 by country and year from ``migr_asyappctza_age``.

    Uses age ``Y_LT18`` when present, else the sum of ``Y_LT14`` and
    ``Y14-17``; citizenship TOTAL, both sexes. Returns geo, country, time, minors.
    """
    df = _total(age_table[age_table["time"].between(start, end)], citizen="TOTAL", sex="T", asyl_app="ASY_APP")
    if df.empty:
        raise ValueError(f"migr_asyappctza_age has no rows for {start}-{end}")
    if (df["age"] == "Y_LT18").any():
        out = df[df["age"] == "Y_LT18"].groupby(["geo", "time"], as_index=False)["value"].sum()
    else:
        out = df[df["age"].isin(["Y_LT14", "Y14-17"])].groupby(["geo", "time"], as_index=False)["value"].sum()
    out = out.rename(columns={"value": "minors"})
    out["country"] = country_names(out["geo"])
    return out[["geo", "country", "time", "minors"]]
