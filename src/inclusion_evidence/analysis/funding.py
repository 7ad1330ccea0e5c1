"""Chapter 6 (Action 6, financial instruments): the landscape synthesis, planned ESIF money, AMIF payments.

Combines the Action Plan's landscape of financial instruments (synthesis file
``financial_landscape``) with money from real files: planned 2014-2020
cohesion spending (``esif_planned``), actual payments from the EU budget to
Member States for migration (``eu_budget_migration``) and, when supplied, the
planned AMIF 2021-2027 amounts. Every function is pure: tidy frames in, frames out.

Scope: every total, ranking and map defaults to the EU-27 (``scope``); other
countries (the United Kingdom, a Member State until 2020; Interreg programmes,
which belong to no single country) are reported apart. Denmark takes no part in
AMIF, and AMIF's target group is third-country nationals, so per-head AMIF
figures divide by non-EU citizens when that count is available and leave
Denmark out of the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import country_names
from inclusion_evidence.analysis.synthesis_views import scope_matrix, short_label
from inclusion_evidence.core.geo_codes import DEFAULT_SCOPE, in_scope

NORMALISATIONS = ("per_non_eu_citizen", "per_foreign_born", "per_capita", "none")

# Member States that do not take part in AMIF. Denmark is not bound by the AMIF
# regulations (Regulation (EU) No 516/2014, Regulation (EU) 2021/1147), under
# Protocol No 22 to the Treaties on its position (the justice and home affairs
# opt-out); the few payments the budget records for it are not a national programme.
NOT_IN_AMIF = {"DK": "Denmark does not take part in AMIF (its justice and home affairs opt-out)"}

# Where "non-EU citizens" are mostly long-resident recognised non-citizens
# (stateless people of the Soviet era and their descendants), not recent
# third-country migrants: a per-head figure there is not about AMIF's target group.
RECOGNISED_NON_CITIZENS = {
    "LV": "most of Latvia's non-EU citizens are recognised non-citizens (nepilsoņi), long-resident and stateless",
    "EE": "many of Estonia's non-EU citizens are people of undetermined citizenship, long-resident and stateless",
}

# Citizenship code of the non-EU citizens in Eurostat's migr_pop1ctz.
NON_EU_CITIZENS = "NEU27_2020_FOR"

PERIODS = {
    # programming period -> (programme in eu_budget_migration, first budget year, last budget year)
    "2007-2013": ("SOLID", 2007, 2013),
    "2014-2020": ("AMIF", 2014, 2020),
    "2021-2027": ("AMIF", 2021, 2027),
}


# --------------------------------------------------------------------------- synthesis views

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


def _quotes(values) -> str:
    """Distinct quotes in order, each in quotation marks, joined by " … "."""
    return " … ".join(f"“{q}”" for q in dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def named_in_plan(s) -> pd.DataFrame:
    """What Action 6 names, in a few lines, each with the plan's own words.

    One line per kind of item (financial instruments, forms of financial
    engineering, policy fields, EU funds), then the one instrument-fund pair
    the plan states for itself, the actors for whom it names an instrument and
    those for whom it names none. This replaces the instruments × fields × funds
    matrix, whose cells almost all say the same thing ("within the general
    scope"); the full matrix stays available as a CSV.

    Returns
    -------
    pandas.DataFrame
        ``what``, ``n``, ``items`` (labels joined by "; "), ``quote`` (the
        plan's words), ``section`` (where in the Action Plan).
    """
    rows = []

    def line(what, frame, labels=None):
        items = labels if labels is not None else [short_label(x) for x in frame["label"]]
        rows.append({"what": what, "n": len(items), "items": "; ".join(items),
                     "quote": _quotes(frame["quote"]), "section": "; ".join(dict.fromkeys(frame["section"].dropna()))})

    kinds = s.rows["kind"].fillna("instrument") if "kind" in s.rows else pd.Series("instrument", index=s.rows.index)
    line("Financial instruments", s.rows[kinds == "instrument"])
    if (kinds != "instrument").any():
        line("Forms of financial engineering", s.rows[kinds != "instrument"])
    line("Policy fields", s.columns)
    line("EU funds and financial frameworks", s.layers)
    specific = s.cells[s.cells["scope"] == "specific"]
    if len(specific):
        pairs = [f"{short_label(s.label('rows', c['row']))} under "
                 f"{short_label(s.label('layers', c['layer']) if isinstance(c['layer'], str) else s.label('columns', c['column']))}"
                 for _, c in specific.iterrows()]
        line("Instrument tied to a fund or field by the plan itself", specific, pairs)
    actors = s.extras["actors"]
    named = actors[[bool(_ids(i)) for i in actors["instruments"]]]
    unnamed = actors[[not _ids(i) for i in actors["instruments"]]]
    if len(named):
        line("Actors for whom the plan names an instrument", named,
             [f"{short_label(a['label'])} ({', '.join(short_label(s.label('rows', i)) for i in _ids(a['instruments']))})"
              for _, a in named.iterrows()])
    if len(unnamed):
        rows.append({"what": "Actors for whom the plan names no instrument", "n": len(unnamed),
                     "items": "; ".join(short_label(x) for x in unnamed["label"]), "quote": "",
                     "section": "; ".join(dict.fromkeys(unnamed["section"].dropna()))})
    return pd.DataFrame(rows, columns=["what", "n", "items", "quote", "section"])


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
    part["country"] = country_names(part["geo"])
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
    df["country"] = country_names(df["geo"])
    return df[["geo", "country", "year", "programme", "eur_million"]].sort_values(["geo", "year"]).reset_index(drop=True)

def denominators(how: str, *, foreign_born: pd.DataFrame | None = None,
                 population: pd.DataFrame | None = None,
                 non_eu_citizens: pd.DataFrame | None = None) -> pd.DataFrame:
    """The population a payment is divided by, per ``geo`` and ``year``.

    Parameters
    ----------
    how : {"per_non_eu_citizen", "per_foreign_born", "per_capita", "none"}
        ``per_non_eu_citizen``: residents who are citizens of a non-EU country
        on 1 January (Eurostat ``migr_pop1ctz``, citizen NEU27_2020_FOR), AMIF's
        target group; ``per_foreign_born``: residents born abroad (Eurostat
        ``migr_pop3ctb``, c_birth FOR), which also counts people born in another
        EU country; ``per_capita``: total population (World Bank SP.POP.TOTL,
        ``population_worldbank``); ``none``: empty.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``year``, ``denominator`` and ``denominator_flag`` (Eurostat's
        flag of the count, empty for the World Bank).
    """
    if how not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {how!r}; choose one of {', '.join(NORMALISATIONS)}")
    if how == "per_non_eu_citizen":
        if non_eu_citizens is None or non_eu_citizens.empty:
            raise ValueError("per_non_eu_citizen needs the count of non-EU citizens (Eurostat migr_pop1ctz, "
                             f"citizen {NON_EU_CITIZENS}), which this edition does not have")
        d = non_eu_citizens
        if "citizen" in d:
            d = d[d["citizen"] == NON_EU_CITIZENS]
        for col, val in (("sex", "T"), ("age", "TOTAL"), ("unit", "NR")):
            if col in d:
                d = d[d[col] == val]
        if d.empty:
            raise ValueError(f"the non-EU citizens table has no rows for citizen {NON_EU_CITIZENS}, all ages, both sexes")
        return _tidy_denominator(d)
    if how == "per_foreign_born":
        if foreign_born is None:
            raise ValueError("per_foreign_born needs the migr_pop3ctb table")
        d = foreign_born
        if "c_birth" in d:
            d = d[d["c_birth"] == "FOR"]
        return _tidy_denominator(d)
    if how == "per_capita":
        if population is None:
            raise ValueError("per_capita needs the population_worldbank table")
        d = population[population["geo"].notna()].rename(columns={"population": "denominator"})
        d = d[["geo", "year", "denominator"]].astype({"denominator": float}).dropna()
        return d.assign(denominator_flag="").reset_index(drop=True)
    return pd.DataFrame({"geo": pd.Series(dtype=str), "year": pd.Series(dtype=int),
                         "denominator": pd.Series(dtype=float), "denominator_flag": pd.Series(dtype=str)})


def _tidy_denominator(d: pd.DataFrame) -> pd.DataFrame:
    """A tidy Eurostat count (geo, time, value, flag) as ``geo``, ``year``, ``denominator``, ``denominator_flag``."""
    flags = d["flag"].fillna("").astype(str) if "flag" in d else pd.Series("", index=d.index)
    out = pd.DataFrame({"geo": d["geo"].astype(str), "year": d["time"].astype(int),
                        "denominator": d["value"].astype(float), "denominator_flag": flags})
    return out.dropna(subset=["denominator"]).reset_index(drop=True)


def choose_normalisation(requested: str, non_eu_citizens: pd.DataFrame | None) -> tuple[str, str]:
    """The normalisation the chapter can use, and why it differs from the one asked for ("" if it does not).

    ``per_non_eu_citizen`` needs the declared count of non-EU citizens; until
    that file is supplied the chapter falls back to the foreign-born, a wider
    group than AMIF's target (it also counts people born in another EU country),
    and says so.
    """
    if requested not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {requested!r}; choose one of {', '.join(NORMALISATIONS)}")
    if requested == "per_non_eu_citizen" and (non_eu_citizens is None or non_eu_citizens.empty):
        return "per_foreign_born", ("the count of non-EU citizens by Member State (Eurostat migr_pop1ctz) is not in "
                                    "this edition, so payments are divided by all foreign-born residents instead")
    return requested, ""

def normalise_payments(payments: pd.DataFrame, how: str, denom: pd.DataFrame) -> pd.DataFrame:
    """Add ``value`` to yearly payments: EUR per person of the denominator, or EUR million.

    Rows without a denominator get a missing ``value`` (never filled in).
    """
    out = (payments.merge(denom, on=["geo", "year"], how="left") if how != "none"
           else payments.assign(denominator=np.nan, denominator_flag=""))
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
        tot["denominator_flags"] = ""
        tot["value"] = tot["eur_million"]
        return tot
    d = denom[denom["year"].isin(years)]
    if "denominator_flag" not in d:
        d = d.assign(denominator_flag="")
    avg = d.groupby("geo").agg(denominator=("denominator", "mean"),
                               denominator_years=("year", lambda y: f"{min(y)}-{max(y)}" if len(y) > 1 else str(min(y))),
                               denominator_flags=("denominator_flag",
                                                  lambda f: "".join(dict.fromkeys("".join(f.fillna("").astype(str))))))
    tot = tot.merge(avg, left_on="geo", right_index=True, how="left")
    tot["value"] = tot["eur_million"] * 1e6 / tot["denominator"].where(tot["denominator"] > 0)
    return tot

def split_by_scope(frame: pd.DataFrame, scope: str = DEFAULT_SCOPE, geo: str = "geo") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(in scope, apart)``: rows whose country code lies in ``scope``, and the others.

    Rows without a country (Interreg programmes, ``geo`` missing) are apart.
    """
    inside = in_scope(frame[geo].where(frame[geo].notna(), ""), scope).to_numpy()
    return frame[inside].reset_index(drop=True), frame[~inside].reset_index(drop=True)


def esif_apart(esif: pd.DataFrame, scope: str = DEFAULT_SCOPE, amount: str = "eu_amount") -> pd.DataFrame:
    """Planned ESIF amounts outside ``scope``: Interreg programmes and each Member State outside it (the UK).

    Returns ``part`` (words), ``geo`` (empty for Interreg) and ``eur_bn``, largest first.
    """
    _, apart = split_by_scope(esif, scope)
    if apart.empty:
        return pd.DataFrame({"part": pd.Series(dtype=str), "geo": pd.Series(dtype=str), "eur_bn": pd.Series(dtype=float)})
    key = apart["geo"].where(apart["geo"].notna(), "")
    out = apart.assign(_key=key).groupby("_key", as_index=False)[amount].sum()
    out["eur_bn"] = out[amount] / 1e9
    out["geo"] = out["_key"]
    out["part"] = [country_names([g])[0] if g else "Interreg (cross-border) programmes" for g in out["geo"]]
    return out[["part", "geo", "eur_bn"]].sort_values("eur_bn", ascending=False).reset_index(drop=True)


def per_head_ranking(summary: pd.DataFrame, *, programme: str = "AMIF", how: str = "per_non_eu_citizen",
                     scope: str = DEFAULT_SCOPE) -> pd.DataFrame:
    """The per-head ranking of :func:`period_summary`: in scope, with a value, and taking part in the fund.

    Adds ``in_scope`` (bool), ``excluded`` (why a country is left out of the
    ranking: outside the scope, not in AMIF, no denominator; "" when ranked),
    ``caveat`` (e.g. Latvia's and Estonia's recognised non-citizens when the
    denominator counts non-EU citizens or the foreign-born) and ``ranked``
    (bool), sorted by ``value`` ascending with the ranked rows first.
    """
    out = summary.copy()
    out["in_scope"] = in_scope(out["geo"], scope).to_numpy()
    reasons = []
    for geo, inside, value in zip(out["geo"], out["in_scope"], out["value"]):
        if not inside:
            reasons.append("outside the scope")
        elif programme == "AMIF" and geo in NOT_IN_AMIF:
            reasons.append(NOT_IN_AMIF[geo])
        elif pd.isna(value):
            reasons.append("no denominator for the period" if how != "none" else "no payment recorded")
        else:
            reasons.append("")
    out["excluded"] = reasons
    population_based = how in ("per_non_eu_citizen", "per_foreign_born")
    out["caveat"] = [RECOGNISED_NON_CITIZENS.get(g, "") if population_based else "" for g in out["geo"]]
    out["ranked"] = out["excluded"] == ""
    return out.sort_values(["ranked", "value"], ascending=[False, True]).reset_index(drop=True)


def ranking_ends(ranking: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` lowest and ``n`` highest ranked rows of :func:`per_head_ranking` that carry a caveat.

    These are the countries whose caveat must be said where the ranking is
    reported (e.g. Latvia at the bottom of AMIF per non-EU citizen).
    """
    ranked = ranking[ranking["ranked"]].sort_values("value")
    ends = pd.concat([ranked.head(n), ranked.tail(n)]).drop_duplicates(subset=["geo"])
    return ends[ends["caveat"] != ""].reset_index(drop=True)


NORMALISATION_UNITS = {
    "per_non_eu_citizen": "EUR per non-EU citizen",
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
    out["country"] = country_names(out["geo"])
    return out[["geo", "country", "eur_million"]].sort_values("eur_million", ascending=False).reset_index(drop=True)
