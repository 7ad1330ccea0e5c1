"""Chapter 2 (Action 2, mental health): FRA EU-LGBTI II, asylum and refugee rates, depressive symptoms (EHIS).

The general-health comparison by citizenship (``hlth_silc_24``) is
:func:`inclusion_evidence.analysis.common.citizenship_gap`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import (
    fix_totals,
    group_dim_of,
    is_country,
    name_of,
    paired_gaps,
    per_100k,
    population_for,
    select_countries,
)

#: FRA EU-LGBTI II (2019) answers to "Feeling downhearted / depressed in the past
#: 2 weeks" counted as "more than half of the time or more often".
FRA_DEPRESSED_ANSWERS = ("All of the time", "Most of the time", "More than half of the time")


# --------------------------------------------------------------------------- FRA EU-LGBTI II (2019)

def fra2019_depressed(fra: pd.DataFrame, *, target_group: str, breakdown: str = "age",
                      answers: Sequence[str] = FRA_DEPRESSED_ANSWERS,
                      countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Share feeling downhearted or depressed "more than half of the time" or more often.

    FRA EU-LGBTI II (2019), question T1Q5, for one target group by country and
    subgroup of one breakdown. The shares of ``answers`` are summed; a
    country-subgroup with any of them missing is missing (not a partial sum).

    Returns ``geo``, ``country``, ``target_group``, ``breakdown``, ``subgroup``,
    ``share``.
    """
    d = fra[(fra["question_id"] == "T1Q5") & (fra["target_group"] == target_group)
            & (fra["breakdown"] == breakdown) & fra["answer"].isin(list(answers))]
    d = select_countries(d, (list(countries) + ["EU28"]) if countries else None)
    grouped = d.groupby(["geo", "subgroup"], observed=True)
    share = grouped["percentage"].sum(min_count=1)
    complete = grouped["percentage"].apply(lambda s: s.notna().sum() == len(answers))
    share = share.where(complete)
    out = share.rename("share").reset_index()
    out.insert(1, "country", out["geo"].map(lambda g: "EU-28" if g == "EU28" else name_of(g)))
    out.insert(2, "target_group", target_group)
    out.insert(3, "breakdown", breakdown)
    return out.sort_values(["geo", "subgroup"]).reset_index(drop=True)


# --------------------------------------------------------------------------- rates

def exposure_rates(asylum: pd.DataFrame, unhcr: pd.DataFrame, population: pd.DataFrame, *, year: int,
                   countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Asylum applicants and refugees + asylum seekers per 100 000 residents, by country.

    ``asylum``: tidy ``migr_asyappctza`` (``citizen`` TOTAL is used);
    ``unhcr``: ``unhcr_population`` (refugees + asylum seekers, all origins);
    ``population``: ``population_worldbank`` (the year's population or the
    latest earlier one, see :func:`population_for`).
    """
    a = asylum[(asylum["citizen"] == "TOTAL") & (asylum["time"] == year)]
    for dim, total in (("sex", "T"), ("age", "TOTAL")):
        if dim in a:
            a = a[a[dim] == total]
    a = a[a["geo"].map(is_country)][["geo", "value", "flag"]].rename(
        columns={"value": "asylum_applicants", "flag": "asylum_flag"})
    u = unhcr[(unhcr["year"] == year) & unhcr["origin"].isna()].copy()
    u["refugees_asylum_seekers"] = (u["refugees"].astype("Float64") + u["asylum_seekers"].astype("Float64")).astype(float)
    u = u[["geo", "refugees", "asylum_seekers", "refugees_asylum_seekers"]].astype({"geo": str})
    both = a.merge(u, on="geo", how="outer")
    both = select_countries(both, countries)
    pop = population_for(population, year)
    both["year"] = year
    pop["year"] = year
    r = per_100k(both, pop, count="asylum_applicants", out="asylum_per_100k")
    r["refugees_asylum_seekers_per_100k"] = np.where(
        r["population"] > 0, r["refugees_asylum_seekers"] / r["population"] * 100_000, np.nan)
    r.insert(1, "country", r["geo"].map(name_of))
    return r.sort_values("geo").reset_index(drop=True)


# --------------------------------------------------------------------------- declared optional tables

def depressive_symptoms_gap(table: pd.DataFrame, *, group: str = "NEU27_2020_FOR", reference: str = "NAT",
                            year: int | None = None, countries: Sequence[str] | None = None) -> pd.DataFrame:
    """EHIS current depressive symptoms, group vs reference, by country and item.

    Works on tidy ``hlth_ehis_mh1c`` (``citizen``) or ``hlth_ehis_mh1b``
    (``c_birth``). ``sex``, ``age``, ``unit`` are fixed to their totals when
    present; any other dimension (e.g. the severity of the symptoms) becomes
    the ``item`` column, so every published item is kept.
    """
    cols = ["geo", "country", "item", "reference", "group", "gap", "flag", "year"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    dim = group_dim_of(table)
    d = fix_totals(table, {"sex": ["T"], "age": ["Y_GE15", "TOTAL", "Y_GE18"], "unit": ["PC"],
                            "isced11": ["TOTAL"], "quant_inc": ["TOTAL"]})
    if year is None:
        year = int(d["time"].max())
    d = d[(d["time"] == year) & d["geo"].map(is_country)]
    d = select_countries(d, countries)
    fixed = {"freq", "sex", "age", "unit", "isced11", "quant_inc", dim, "geo", "time", "value", "flag"}
    items = [c for c in d.columns if c not in fixed]
    d = d.copy()
    d["item"] = d[items].astype(str).agg(" / ".join, axis=1) if items else "total"
    out = paired_gaps(d, dim, ["geo", "item"], reference, group)
    out["country"] = out["geo"].map(name_of)
    out["year"] = year
    return out[cols].sort_values(["item", "geo"]).reset_index(drop=True)


def pooled_rate(rates: pd.DataFrame, *, count: str, population: str = "population") -> dict:
    """One rate per 100 000 residents for a group of countries: summed counts over summed population.

    Only countries with both a count and a positive population enter, so the
    rate is never diluted by a country without a count. Returns ``rate``,
    ``count`` (sum), ``population`` (sum), ``n`` (countries) and ``geos``;
    ``rate`` is NaN when no country has both.
    """
    d = rates.dropna(subset=[count, population])
    d = d[d[population] > 0]
    total, pop = float(d[count].sum()), float(d[population].sum())
    return {"rate": total / pop * 100_000 if pop > 0 else float("nan"), "count": total, "population": pop,
            "n": int(len(d)), "geos": sorted(d["geo"].astype(str))}
