"""Chapter 1 (Action 1, access to healthcare): self-perceived health, MIPEX health strand, FRA 2012, unmet needs.

Pure functions on the processed tables: self-perceived health by citizenship
(EU-SILC ``hlth_silc_24``) over time, the MIPEX health strand and its four
dimensions, the FRA EU LGBT survey (2012) and the declared but optional
Eurostat tables on unmet needs (``hlth_silc_30``/``hlth_silc_29``). The
comparison of a group with nationals is in :mod:`inclusion_evidence.analysis.common`.

Nothing here invents or imputes a value: missing observations stay missing
and Eurostat flags are carried through to every output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import (
    CITIZEN_LABELS,
    fix_totals,
    group_dim_of,
    is_country,
    join_flags,
    name_of,
    paired_gaps,
    select_countries,
)

LEVEL_LABELS = {"VG_G": "very good or good", "B_VB": "bad or very bad", "F": "fair",
                "VG": "very good", "G": "good", "B": "bad", "VB": "very bad"}

#: The four dimensions of the MIPEX health strand and their core indicators.
#: The strand score in the MIPEX workbooks is the mean of the four dimension
#: means (checked by :func:`mipex_health_dimensions` with ``check=True``).
MIPEX_HEALTH_DIMENSIONS = {
    "Entitlements": ["145a", "146a", "147a", "148", "149", "150"],
    "Accessibility": ["152c", "153c"],
    "Responsiveness": ["156a", "159"],
    "Measures to achieve change": ["163", "165"],
}

#: Reasons for unmet needs for medical examination (EU-SILC codes) used by Action 1.
UNMET_REASONS = {
    "TOOEFW": "Too expensive, too far to travel or waiting list",
    "TOOEXP": "Too expensive",
    "TOOFAR": "Too far to travel",
    "WAITING": "Waiting list",
}


# --------------------------------------------------------------------------- self-perceived health over time

def gap_trend(silc: pd.DataFrame, *, geo: str = "EU27_2020", group: str, reference: str = "NAT",
              levels: Iterable[str] = ("B_VB", "VG_G"), group_dim: str = "citizen") -> pd.DataFrame:
    """Group-minus-reference gap over time for one geo, one row per level and year.

    Returns columns ``time``, ``lev_perc``, ``level`` (label), ``reference``, ``group``,
    ``gap``, ``flag``.
    """
    d = silc[(silc["geo"] == geo) & silc["lev_perc"].isin(list(levels))
             & silc[group_dim].isin([group, reference])]
    for dim, total in (("sex", "T"), ("age", "Y_GE16")):
        if dim in d and (d[dim] == total).any():
            d = d[d[dim] == total]
    cols = ["time", "lev_perc", "level", "reference", "group", "gap", "flag"]
    if d.empty:
        return pd.DataFrame(columns=cols)
    wide = d.pivot_table(index=["lev_perc", "time"], columns=group_dim, values="value", aggfunc="first")
    flags = d.pivot_table(index=["lev_perc", "time"], columns=group_dim, values="flag", aggfunc="first")
    if group not in wide or reference not in wide:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({"reference": wide[reference], "group": wide[group]}).dropna()
    flags = flags.reindex(out.index)
    out["gap"] = out["group"] - out["reference"]
    out["flag"] = [join_flags(a, b) for a, b in zip(flags.get(reference, pd.Series("", index=out.index)).fillna(""),
                                                      flags.get(group, pd.Series("", index=out.index)).fillna(""))]
    out = out.reset_index()
    out["time"] = out["time"].astype(int)
    out["level"] = out["lev_perc"].map(LEVEL_LABELS).fillna(out["lev_perc"])
    order = {lev: i for i, lev in enumerate(levels)}
    out = out.sort_values(["lev_perc", "time"], key=lambda s: s.map(order) if s.name == "lev_perc" else s)
    return out[cols].reset_index(drop=True)

def level_trend(silc: pd.DataFrame, *, geo: str = "EU27_2020", lev_perc: str = "B_VB",
                groups: Sequence[str] = ("NAT", "FOR", "EU27_2020_FOR", "NEU27_2020_FOR"),
                group_dim: str = "citizen") -> pd.DataFrame:
    """Share in one health level over time for several groups in one geo (long format)."""
    d = silc[(silc["geo"] == geo) & (silc["lev_perc"] == lev_perc) & silc[group_dim].isin(list(groups))]
    for dim, total in (("sex", "T"), ("age", "Y_GE16")):
        if dim in d and (d[dim] == total).any():
            d = d[d[dim] == total]
    out = d[[group_dim, "time", "value", "flag"]].dropna(subset=["value"]).copy()
    out["group"] = out[group_dim].map(CITIZEN_LABELS).fillna(out[group_dim])
    order = {g: i for i, g in enumerate(groups)}
    out = out.sort_values([group_dim, "time"], key=lambda s: s.map(order) if s.name == group_dim else s)
    return out.rename(columns={group_dim: "group_code"}).reset_index(drop=True)


# --------------------------------------------------------------------------- MIPEX

def mipex_health_scores(strands: pd.DataFrame, *, years: Sequence[int] = (2014, 2019, 2020, 2021, 2022, 2023),
                        countries: Sequence[str] | None = None) -> pd.DataFrame:
    """MIPEX health-strand scores by country (rows) and year (columns).

    The health strand is scored for 2014 and 2019 in the core file and for
    2020 onwards (EU Member States only) in the EU update; other years are
    absent, never filled.
    """
    h = strands[(strands["strand"] == "health") & strands["year"].isin(list(years))]
    h = select_countries(h, countries, "country")
    wide = h.pivot_table(index="country", columns="year", values="score", aggfunc="first")
    wide = wide.reindex(columns=[y for y in years if y in wide.columns])
    wide.columns = [int(c) for c in wide.columns]
    wide = wide.reset_index().rename(columns={"country": "geo"})
    wide.insert(1, "country", wide["geo"].map(name_of))
    return wide

def mipex_health_dimensions(indicators: pd.DataFrame, *, year: int, countries: Sequence[str] | None = None,
                            check: bool = True, tolerance: float = 0.01) -> pd.DataFrame:
    """The four dimensions of the MIPEX health strand by country for one year.

    Each dimension score is the mean of its indicators
    (:data:`MIPEX_HEALTH_DIMENSIONS`). With ``check``, the mean of the four
    dimension scores is compared with the workbook's own strand score
    (``strand_average``) and a ``ValueError`` is raised beyond ``tolerance``.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``country``, one column per dimension, ``strand`` (workbook score),
        ``n_indicators`` (indicators with a score).
    """
    h = indicators[(indicators["strand"] == "health") & (indicators["year"] == year)]
    h = select_countries(h, countries, "country")
    if h.empty:
        return pd.DataFrame(columns=["geo", "country", *MIPEX_HEALTH_DIMENSIONS, "strand", "n_indicators"])
    wide = h.pivot_table(index="country", columns="indicator", values="score", aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    for dim, codes in MIPEX_HEALTH_DIMENSIONS.items():
        present = [c for c in codes if c in wide.columns]
        out[dim] = wide[present].mean(axis=1, skipna=False) if present else np.nan
    all_codes = [c for codes in MIPEX_HEALTH_DIMENSIONS.values() for c in codes if c in wide.columns]
    out["n_indicators"] = wide[all_codes].notna().sum(axis=1)
    out["strand"] = wide["strand_average"] if "strand_average" in wide else np.nan
    if check:
        recomputed = out[list(MIPEX_HEALTH_DIMENSIONS)].mean(axis=1, skipna=False)
        diff = (recomputed - out["strand"]).abs()
        bad = diff[diff > tolerance]
        if len(bad):
            raise ValueError(f"MIPEX health dimensions do not reproduce the strand score for "
                             f"{', '.join(bad.index[:5])} ({year})")
    out = out.dropna(subset=list(MIPEX_HEALTH_DIMENSIONS), how="all").reset_index()
    out = out.rename(columns={"country": "geo"})
    out.insert(1, "country", out["geo"].map(name_of))
    return out

def nearest_mipex_year(available: Iterable[int], year: int) -> int:
    """The scored MIPEX health year closest to ``year`` (ties: the earlier one)."""
    years = sorted(int(y) for y in available)
    if not years:
        raise ValueError("no MIPEX health year available")
    return min(years, key=lambda y: (abs(y - year), y))


# --------------------------------------------------------------------------- FRA EU LGBT survey (2012)

def fra2012_item(fra: pd.DataFrame, *, question_code: str = "c4_d", answer: str = "Yes",
                 countries: Sequence[str] | None = None) -> pd.DataFrame:
    """One answer's share by country and subset of the FRA EU LGBT survey (2012).

    Returns ``geo``, ``country``, ``subset``, ``percentage``, ``note``
    (``small sample`` / ``NA: small sample``), the EU-28 average included.
    """
    d = fra[(fra["question_code"] == question_code) & (fra["answer"] == answer)]
    d = select_countries(d, (list(countries) + ["EU28"]) if countries else None)
    out = d[["geo", "subset", "percentage", "note"]].copy()
    out.insert(1, "country", out["geo"].map(lambda g: "EU-28 average" if g == "EU28" else name_of(g)))
    out["note"] = out["note"].fillna("")
    return out.sort_values(["geo", "subset"]).reset_index(drop=True)


# --------------------------------------------------------------------------- declared optional tables

def unmet_needs_gap(table: pd.DataFrame, *, year: int | None = None, group: str = "NEU27_2020_FOR",
                    reference: str = "NAT", reasons: Sequence[str] = tuple(UNMET_REASONS),
                    countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Unmet needs for medical examination by reason, group vs reference, by country.

    Works on tidy ``hlth_silc_30`` (``citizen``) or ``hlth_silc_29`` (``c_birth``).
    ``sex``, ``age``, ``quant_inc`` and ``unit`` are fixed to their totals (``T``,
    ``Y_GE16``, ``TOTAL``, ``PC``) when present. ``year`` ``None`` = the latest year.

    Returns ``geo``, ``country``, ``reason``, ``reason_label``, ``reference``,
    ``group``, ``gap``, ``flag``, ``year`` (empty when nothing matches).
    """
    cols = ["geo", "country", "reason", "reason_label", "reference", "group", "gap", "flag", "year"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    dim = group_dim_of(table)
    d = fix_totals(table, {"sex": ["T"], "age": ["Y_GE16", "Y_GE18", "TOTAL"], "quant_inc": ["TOTAL"],
                            "unit": ["PC"]})
    if year is None:
        year = int(d["time"].max())
    d = d[(d["time"] == year) & d["reason"].isin(list(reasons)) & d["geo"].map(is_country)]
    d = select_countries(d, countries)
    out = paired_gaps(d, dim, ["geo", "reason"], reference, group)
    out["country"] = out["geo"].map(name_of)
    out["reason_label"] = out["reason"].map(lambda r: UNMET_REASONS.get(r, r))
    out["year"] = year
    return out[cols].sort_values(["reason", "geo"]).reset_index(drop=True)


# --------------------------------------------------------------------------- scope, outliers, breaks, small samples

#: Member states where most residents counted as non-EU citizens are long-resident
#: "recognised non-citizens" (Latvia's *nepilsoņi*) or people of undetermined
#: citizenship (Estonia): former USSR citizens settled there before 1991 and their
#: descendants, counted as stateless by UNHCR. They drive the top of any ranking of
#: non-EU citizens' outcomes, without being the recent migrants the actions address.
RECOGNISED_NON_CITIZENS = {
    "LV": "recognised non-citizens of Latvia",
    "EE": "people of undetermined citizenship in Estonia",
}

#: The year of the EU-SILC series break marked on the EU-27 trend: in 2020 Eurostat
#: flags breaks in series (``b``) for Germany (EU-SILC integrated into the Mikrozensus),
#: France, Ireland and Luxembourg, which move the EU-27 aggregate. Which countries
#: carry the flag is read from the data (:func:`break_countries`).
EU_SILC_BREAK_YEAR = 2020


def in_scope_gaps(gaps: pd.DataFrame, scope_codes: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a country table into the rows inside the scope and the rows outside it (context).

    ``scope_codes`` are the geo codes of the scope (e.g. the EU-27). Returns
    ``(inside, outside)``, each keeping the input's columns and order.
    """
    codes = set(scope_codes)
    if not codes:
        raise ValueError("in_scope_gaps: the scope has no country codes")
    mask = gaps["geo"].isin(codes)
    return gaps[mask].reset_index(drop=True), gaps[~mask].reset_index(drop=True)


def widest_gaps(gaps: pd.DataFrame, *, n: int = 3, value: str = "gap",
                exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The ``n`` largest positive values of ``value``, largest first, with their flags.

    Rows whose geo is in ``exclude`` are left out. Returns the selected rows
    (may be fewer than ``n``, or empty when no value is positive).
    """
    d = gaps[(gaps[value] > 0) & ~gaps["geo"].isin(list(exclude))]
    return d.sort_values(value, ascending=False).head(n).reset_index(drop=True)


def stateless_counts(unhcr: pd.DataFrame, geos: Iterable[str], year: int) -> pd.DataFrame:
    """Stateless people (UNHCR, all origins) per country: in ``year`` or the latest earlier year.

    Returns ``geo``, ``stateless``, ``year`` (the year used); countries without
    a count are absent.
    """
    u = unhcr[unhcr["origin"].isna() & unhcr["geo"].isin(list(geos)) & (unhcr["year"] <= year)]
    u = u.dropna(subset=["stateless"]).sort_values("year").groupby("geo", observed=True).tail(1)
    out = pd.DataFrame({"geo": u["geo"].astype(str).to_numpy(),
                        "stateless": u["stateless"].astype(float).to_numpy(),
                        "year": u["year"].astype(int).to_numpy()})
    return out.sort_values("geo").reset_index(drop=True)


def break_countries(silc: pd.DataFrame, year: int, geos: Iterable[str]) -> list[str]:
    """Countries among ``geos`` whose ``hlth_silc_24`` values in ``year`` carry Eurostat's break flag ``b``."""
    d = silc[(silc["time"] == year) & silc["geo"].isin(list(geos))]
    flagged = d[d["flag"].fillna("").astype(str).str.contains("b")]
    return sorted(flagged["geo"].unique().tolist())


def fra2012_matrix(item: pd.DataFrame, subsets: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Country × respondent-group shares of :func:`fra2012_item`, and where they rest on small samples.

    Returns ``(values, small)``: ``values`` the percentages (rows: country,
    ordered by their mean, highest first; columns: ``subsets``), ``small`` a
    boolean frame of the same shape, true where FRA notes the cell as based on a
    small sample (published, but to be read with caution). Cells FRA did not
    publish ("NA: small sample") are missing in ``values`` and false in ``small``.
    """
    values = item.pivot_table(index="country", columns="subset", values="percentage", aggfunc="first")
    values = values.reindex(columns=list(subsets))
    order = values.mean(axis=1).sort_values(ascending=False).index
    values = values.loc[order]
    small = item.assign(_small=item["note"].fillna("").eq("small sample") & item["percentage"].notna())
    small = small.pivot_table(index="country", columns="subset", values="_small", aggfunc="any")
    small = small.reindex(index=values.index, columns=list(subsets)).astype("boolean").fillna(False).astype(bool)
    return values, small
