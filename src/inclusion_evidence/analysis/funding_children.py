"""Analysis for chapters 6 (financial instruments) and 7 (children in migration).

Chapter 6 combines the Action Plan's landscape of financial instruments
(synthesis file ``financial_landscape``) with money from real files: planned
2014-2020 cohesion spending (``esif_planned``) and actual payments from the
EU budget to Member States for migration (``eu_budget_migration``).

Chapter 7 combines the gaps × professionals matrix (``child_protection_gaps``)
with asylum statistics: applicants per 100 000 residents (``migr_asyappctza``),
the Swedish monthly series (``sweden_asylum_monthly``), the tables of
Eurostat news release 80/2017 (``uam_2015_2016``,
``uam_top_citizenships_2016``) and, when supplied, the declared Eurostat
tables ``migr_asyunaa`` and ``migr_asyappctza_age``.

Every function is pure: it takes tidy frames and returns frames (drawing is in
:mod:`inclusion_evidence.present`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.health import per_100k  # one rate function for chapters 1, 2 and 7
from inclusion_evidence.core.geo_codes import EU27, country_name

# --------------------------------------------------------------------------- shared

NORMALISATIONS = ("per_foreign_born", "per_capita", "none")
PERIODS = {
    # programming period -> (programme in eu_budget_migration, first budget year, last budget year)
    "2007-2013": ("SOLID", 2007, 2013),
    "2014-2020": ("AMIF", 2014, 2020),
    "2021-2027": ("AMIF", 2021, 2027),
}


def _names(geos: Iterable[str]) -> list[str]:
    out = []
    for g in geos:
        try:
            out.append(country_name(g))
        except Exception:  # aggregates such as EU27_2020
            out.append(str(g))
    return out


# --------------------------------------------------------------------------- synthesis views

def scope_matrix(s, *, against: str = "column", labels: bool = True) -> pd.DataFrame:
    """Rows × columns (or rows × layers) coded by the strength of the statement.

    ``2`` = the Action Plan states the relation specifically, ``1`` = it
    follows only from a general statement of scope, ``0`` = not stated.

    Parameters
    ----------
    s : inclusion_evidence.ingest.synthesis.Synthesis
        A loaded synthesis file.
    against : {"column", "layer"}
        Which dimension forms the matrix columns.
    labels : bool
        Use the declared labels instead of ids for index and columns.
    """
    from inclusion_evidence.ingest.synthesis import synthesis_matrix

    general = synthesis_matrix(s, against=against, scope="general", presence=True)
    specific = synthesis_matrix(s, against=against, scope="specific", presence=True)
    any_ = synthesis_matrix(s, against=against, presence=True)
    coded = any_.astype(int) + specific.astype(int)
    # a cell without scope counts as general
    coded = coded.where(~(general & specific), 2)
    if labels:
        frame = s.layers if against == "layer" else s.columns
        coded.index = [s.label("rows", r) for r in coded.index]
        coded.columns = list(frame.set_index("id").loc[list(coded.columns), "label"])
    return coded


def short_label(label: str) -> str:
    """The part of a label before its first parenthesis ("AMIF (Asylum ...)" -> "AMIF")."""
    return str(label).split(" (")[0].strip()


def landscape_matrix(s) -> pd.DataFrame:
    """Instruments × (policy fields, then EU funds), coded 0/1/2 as in :func:`scope_matrix`.

    Column labels are prefixed "Field: " and "Fund: " so that the two blocks
    stay distinguishable in one heatmap.
    """
    fields = scope_matrix(s, against="column")
    funds = scope_matrix(s, against="layer")
    fields.columns = [f"Field: {c}" for c in fields.columns]
    funds.columns = [f"Fund: {short_label(c)}" for c in funds.columns]
    out = pd.concat([fields, funds], axis=1)
    out.index = [short_label(i) for i in out.index]
    return out


def _ids(value) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    return []


def actors_table(s) -> pd.DataFrame:
    """The ``actors`` list of the landscape: actor, category, instruments named, basis, note."""
    actors = s.extras["actors"]
    rows = []
    for _, a in actors.iterrows():
        inst = [short_label(s.label("rows", i) or i) for i in _ids(a.get("instruments"))]
        basis = a.get("instruments_basis")
        rows.append({
            "Actor": a["label"],
            "Category": str(a.get("category", "")).replace("_", " "),
            "Instruments named": ", ".join(inst) if inst else "none named",
            "Basis": {"stated": "stated in the text", "name": "in the actor's name"}.get(basis, "")
            if isinstance(basis, str) else "",
            "Note": a.get("note") if isinstance(a.get("note"), str) else "",
        })
    return pd.DataFrame(rows)


def activities_table(s) -> pd.DataFrame:
    """The ``activities`` list: activity, phase, type, and the instruments, funds, fields, actors named."""
    acts = s.extras["activities"]
    rows = []
    for _, a in acts.iterrows():
        named = []
        for key, dim in (("instruments", "rows"), ("funds", "layers"), ("fields", "columns")):
            named += [short_label(s.label(dim, i) or i) for i in _ids(a.get(key))]
        named += [str(s.extras["actors"].set_index("id").loc[i, "label"]) for i in _ids(a.get("actors"))]
        rows.append({
            "Activity": a["label"],
            "Phase": str(a.get("phase", "")).replace("_", " "),
            "Type": a.get("type", ""),
            "Instruments, funds, fields or actors named": ", ".join(named) if named else "none named",
        })
    return pd.DataFrame(rows)


def landscape_network(s):
    """A directed graph actors → instruments → EU funds from the landscape file.

    Nodes carry ``kind`` (actor/instrument/fund), ``label`` and ``column``
    (0, 1, 2 for the drawing). Edges carry ``strength``: ``"specific"``
    (stated for this pair, or an actor's stated or name-given instrument) or
    ``"general"`` (follows from the plan's general statement of scope).
    Actors for whom the text names no instrument are kept, unconnected.
    """
    import networkx as nx

    g = nx.DiGraph()
    for _, a in s.extras["actors"].iterrows():
        g.add_node(f"actor:{a['id']}", kind="actor", label=short_label(a["label"]), column=0,
                   connected=bool(_ids(a.get("instruments"))))
    for _, r in s.rows.iterrows():
        g.add_node(f"instrument:{r['id']}", kind="instrument", label=short_label(r["label"]), column=1,
                   connected=True)
    for _, f in s.layers.iterrows():
        g.add_node(f"fund:{f['id']}", kind="fund", label=short_label(f["label"]), column=2, connected=True)
    for _, a in s.extras["actors"].iterrows():
        for i in _ids(a.get("instruments")):
            g.add_edge(f"actor:{a['id']}", f"instrument:{i}", strength="specific",
                       basis=a.get("instruments_basis"))
    cells = s.cells[s.cells["layer"].notna()]
    for _, c in cells.iterrows():
        strength = "specific" if c["scope"] == "specific" else "general"
        g.add_edge(f"instrument:{c['row']}", f"fund:{c['layer']}", strength=strength)
    return g


# --------------------------------------------------------------------------- ESIF 2014-2020 (planned)

ESIF_FUNDS = ("ERDF", "ESF", "YEI", "CF", "EAFRD", "EMFF", "IPAE")
OTHER_OBJECTIVES = "Other objectives"


def objective_labels(esif: pd.DataFrame) -> dict[str, str]:
    """Thematic-objective code -> "TO09 Social Inclusion" style label (most common short name)."""
    pairs = (esif.dropna(subset=["to_code"]).groupby("to_code")["to_short"]
             .agg(lambda s: s.value_counts().index[0]))
    return {code: (f"TO{code} {name}" if str(code).isdigit() else f"{code} {name}") for code, name in pairs.items()}


def esif_fund_objective(esif: pd.DataFrame, objectives: Sequence[str], amount: str = "eu_amount") -> pd.DataFrame:
    """Planned amounts by fund and thematic objective; objectives not selected pooled as "Other objectives".

    Parameters
    ----------
    esif : pandas.DataFrame
        The ``esif_planned`` table (one row per programme × fund × priority × objective × category).
    objectives : sequence of str
        Thematic-objective codes to keep apart, e.g. ``["09", "08", "10"]``.
    amount : str
        ``eu_amount`` (EU contribution), ``national_amount`` or ``total_amount``.

    Returns
    -------
    pandas.DataFrame
        Columns ``fund``, ``objective`` (label), ``to_code`` (or ``"other"``),
        ``eur_bn`` and ``share_of_fund`` (% of the fund's planned amount).
    """
    objectives = [str(o).zfill(2) for o in objectives]
    labels = objective_labels(esif)
    df = esif.assign(to=esif["to_code"].where(esif["to_code"].isin(objectives), "other"))
    out = df.groupby(["fund", "to"], as_index=False)[amount].sum()
    out["eur_bn"] = out[amount] / 1e9
    out["share_of_fund"] = 100 * out[amount] / out.groupby("fund")[amount].transform("sum")
    out["objective"] = out["to"].map(lambda c: labels.get(c, c) if c != "other" else OTHER_OBJECTIVES)
    order = {c: i for i, c in enumerate(objectives + ["other"])}
    out = out.rename(columns={"to": "to_code"})
    out["_o"] = out["to_code"].map(order)
    fund_total = out.groupby("fund")["eur_bn"].transform("sum")
    out = out.assign(_f=-fund_total).sort_values(["_f", "fund", "_o"]).drop(columns=["_o", "_f", amount])
    return out.reset_index(drop=True)


def esif_country_shares(esif: pd.DataFrame, objectives: Sequence[str], fund: str = "ALL",
                        amount: str = "eu_amount") -> pd.DataFrame:
    """Share of each selected thematic objective in each Member State's planned total.

    Interreg programmes (``ms == "TC"``) belong to no single Member State and
    are left out. ``fund="ALL"`` uses every fund, otherwise one fund's rows.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``country``, ``to_code``, ``objective``, ``eur_m`` (EUR
        million), ``country_total_eur_m`` and ``share`` (%); one row per
        country × selected objective (0 when the country plans nothing).
    """
    objectives = [str(o).zfill(2) for o in objectives]
    labels = objective_labels(esif)
    df = esif[esif["geo"].notna()]
    if fund != "ALL":
        df = df[df["fund"] == fund]
    if df.empty:
        raise ValueError(f"no planned ESIF amounts for fund {fund!r}")
    totals = df.groupby("geo")[amount].sum()
    part = (df[df["to_code"].isin(objectives)].groupby(["geo", "to_code"])[amount].sum()
            .reindex(pd.MultiIndex.from_product([totals.index, objectives], names=["geo", "to_code"]),
                     fill_value=0.0).reset_index())
    part["country_total_eur_m"] = part["geo"].map(totals) / 1e6
    part["eur_m"] = part[amount] / 1e6
    part["share"] = 100 * part["eur_m"] / part["country_total_eur_m"]
    part["country"] = _names(part["geo"])
    part["objective"] = part["to_code"].map(lambda c: labels.get(c, c))
    return part[["geo", "country", "to_code", "objective", "eur_m", "country_total_eur_m", "share"]]


# --------------------------------------------------------------------------- AMIF payments

def period_years(period: str) -> tuple[str, int, int]:
    """(programme, first year, last year) of a programming period; ValueError if unknown."""
    if period not in PERIODS:
        raise ValueError(f"unknown programming period {period!r}; choose one of {', '.join(PERIODS)}")
    return PERIODS[period]


def amif_payments(budget: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """Payments per Member State and year (EUR million) for one programming period, or all years.

    Returns ``geo``, ``country``, ``year``, ``programme``, ``eur_million``.
    """
    df = budget.rename(columns={"member_state": "geo"})
    if period is not None:
        prog, y0, y1 = period_years(period)
        df = df[(df["programme"] == prog) & df["year"].between(y0, y1)]
    # a blank cell (nothing recorded) stays missing, never becomes a zero payment
    df = df.groupby(["geo", "year", "programme"], as_index=False)["eur_million"].sum(min_count=1)
    df["country"] = _names(df["geo"])
    return df[["geo", "country", "year", "programme", "eur_million"]].sort_values(["geo", "year"]).reset_index(drop=True)


def denominators(how: str, *, foreign_born: pd.DataFrame | None = None,
                 population: pd.DataFrame | None = None) -> pd.DataFrame:
    """The population a payment is divided by, per ``geo`` and ``year``.

    Parameters
    ----------
    how : {"per_foreign_born", "per_capita", "none"}
        ``per_foreign_born``: residents born abroad on 1 January (Eurostat
        ``migr_pop3ctb``, c_birth FOR); ``per_capita``: total population
        (World Bank SP.POP.TOTL, ``population_worldbank``); ``none``: empty.
    """
    if how not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {how!r}; choose one of {', '.join(NORMALISATIONS)}")
    if how == "per_foreign_born":
        if foreign_born is None:
            raise ValueError("per_foreign_born needs the migr_pop3ctb table")
        d = foreign_born
        if "c_birth" in d:
            d = d[d["c_birth"] == "FOR"]
        return (d.rename(columns={"time": "year", "value": "denominator"})[["geo", "year", "denominator"]]
                .dropna().reset_index(drop=True))
    if how == "per_capita":
        if population is None:
            raise ValueError("per_capita needs the population_worldbank table")
        d = population[population["geo"].notna()].rename(columns={"population": "denominator"})
        return d[["geo", "year", "denominator"]].astype({"denominator": float}).dropna().reset_index(drop=True)
    return pd.DataFrame({"geo": pd.Series(dtype=str), "year": pd.Series(dtype=int),
                         "denominator": pd.Series(dtype=float)})


def normalise_payments(payments: pd.DataFrame, how: str, denom: pd.DataFrame) -> pd.DataFrame:
    """Add ``value`` to yearly payments: EUR per person of the denominator, or EUR million.

    Rows without a denominator get a missing ``value`` (never filled in).
    """
    out = payments.merge(denom, on=["geo", "year"], how="left") if how != "none" else payments.assign(denominator=np.nan)
    if how == "none":
        out["value"] = out["eur_million"]
    else:
        out["value"] = out["eur_million"] * 1e6 / out["denominator"].where(out["denominator"] > 0)
    return out


def period_summary(payments: pd.DataFrame, how: str, denom: pd.DataFrame) -> pd.DataFrame:
    """Per Member State: payments summed over the period's years and, if normalised, per person.

    The denominator is the average over the period's years for which it exists
    (``denominator_years`` says which); payments are summed over all years.

    Returns ``geo``, ``country``, ``eur_million``, ``first_year``, ``last_year``,
    ``denominator``, ``denominator_years`` and ``value`` (EUR per person, or
    EUR million when ``how == "none"``).
    """
    years = sorted(payments["year"].unique())
    tot = payments.groupby(["geo", "country"], as_index=False)["eur_million"].sum(min_count=1)
    tot["first_year"], tot["last_year"] = (min(years), max(years)) if years else (np.nan, np.nan)
    if how == "none":
        tot["denominator"] = np.nan
        tot["denominator_years"] = ""
        tot["value"] = tot["eur_million"]
        return tot
    d = denom[denom["year"].isin(years)]
    avg = d.groupby("geo").agg(denominator=("denominator", "mean"),
                               denominator_years=("year", lambda y: f"{min(y)}-{max(y)}" if len(y) > 1 else str(min(y))))
    tot = tot.merge(avg, left_on="geo", right_index=True, how="left")
    tot["value"] = tot["eur_million"] * 1e6 / tot["denominator"].where(tot["denominator"] > 0)
    return tot


NORMALISATION_UNITS = {
    "per_foreign_born": "EUR per foreign-born resident",
    "per_capita": "EUR per resident",
    "none": "EUR million",
}


# --------------------------------------------------------------------------- AMIF 2021-2027 (declared)

def amif_allocations_by_state(plan: pd.DataFrame) -> pd.DataFrame:
    """Planned AMIF 2021-2027 EU amounts per Member State (from the declared Cohesion Open Data export).

    ``plan`` is the ``amif_2021_2027_planned`` table (``geo``, ``year``,
    ``eur``). Returns ``geo``, ``country``, ``eur_million`` sorted descending.
    """
    if plan.empty:
        return pd.DataFrame(columns=["geo", "country", "eur_million"])
    out = plan.groupby("geo", as_index=False)["eur"].sum()
    out["eur_million"] = out["eur"] / 1e6
    out["country"] = _names(out["geo"])
    return out[["geo", "country", "eur_million"]].sort_values("eur_million", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------- chapter 7: asylum

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
    out["country"] = _names(out["geo"])
    return out[["geo", "country", "time", "applicants", "population", "per_100k", "flag"]].sort_values(
        ["geo", "time"]).reset_index(drop=True)


def eu_applicants_trend(rates: pd.DataFrame) -> pd.DataFrame:
    """Sum of applicants over the EU-27 countries present each year, with how many reported.

    Returns ``time``, ``applicants``, ``n_countries``, ``population`` (of the
    same countries, where known) and ``per_100k``.
    """
    eu = rates[rates["geo"].isin(EU27)]
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


# --------------------------------------------------------------------------- chapter 7: Sweden

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


# --------------------------------------------------------------------------- chapter 7: news release 80/2017

def uam_release_long(uam: pd.DataFrame) -> pd.DataFrame:
    """Unaccompanied minors by Member State, 2015 and 2016, long form (EU/EFTA aggregates dropped)."""
    df = uam[~uam["geo"].str.startswith("EU")]
    long = df.melt(id_vars=["geo", "country"], value_vars=["uam_2015", "uam_2016"], var_name="year",
                   value_name="uam")
    long["year"] = long["year"].str[-4:].astype(int)
    long["uam"] = long["uam"].astype(float)
    return long


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


# --------------------------------------------------------------------------- chapter 7: declared Eurostat tables

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
    by_state["country"] = _names(by_state["geo"])
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
    out["country"] = _names(out["geo"])
    return out[["geo", "country", "time", "minors"]]


# --------------------------------------------------------------------------- maps

def map_frame(regions, values: pd.DataFrame, column: str, *, key: str = "geo", flag: str | None = None):
    """Country geometries joined to a value column (countries without a value keep NaN → "no data")."""
    cols = [key, column] + ([flag] if flag else [])
    out = regions.merge(values[cols], left_on="nuts_id", right_on=key, how="left")
    return out


