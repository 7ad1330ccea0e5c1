"""Health evidence for Actions 1 (access to healthcare) and 2 (mental health).

Pure functions on the processed tables: self-perceived health by citizenship
(EU-SILC ``hlth_silc_24``), the MIPEX health strand and its four dimensions,
FRA LGBT(I) survey items, rates per 100 000 residents, and the declared but
optional Eurostat tables on unmet needs (``hlth_silc_30``/``hlth_silc_29``)
and depressive symptoms (``hlth_ehis_mh1c``/``hlth_ehis_mh1b``).

Nothing here invents or imputes a value: missing observations stay missing
and Eurostat flags are carried through to every output.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.core.geo_codes import country_name

#: Citizenship groups of ``hlth_silc_24`` and their labels.
CITIZEN_LABELS = {
    "NAT": "Nationals",
    "FOR": "Foreign citizens",
    "EU27_2020_FOR": "Citizens of another EU country",
    "NEU27_2020_FOR": "Non-EU citizens",
    "EU28_FOR": "Citizens of another EU-28 country",
    "NEU28_FOR": "Non-EU-28 citizens",
}
#: Country-of-birth groups (``c_birth``) use the same codes.
BIRTH_LABELS = {
    "NAT": "Native-born",
    "FOR": "Foreign-born",
    "EU27_2020_FOR": "Born in another EU country",
    "NEU27_2020_FOR": "Born outside the EU",
    "EU28_FOR": "Born in another EU-28 country",
    "NEU28_FOR": "Born outside the EU-28",
}
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

#: FRA EU-LGBTI II (2019) answers to "Feeling downhearted / depressed in the past
#: 2 weeks" counted as "more than half of the time or more often".
FRA_DEPRESSED_ANSWERS = ("All of the time", "Most of the time", "More than half of the time")


def _countries(frame: pd.DataFrame, countries: Sequence[str] | None, column: str = "geo") -> pd.DataFrame:
    if countries:
        return frame[frame[column].isin(list(countries))]
    return frame


def _is_country(geo: str) -> bool:
    """Two-letter codes are countries; aggregates (EU27_2020, EA20, ...) are not."""
    return isinstance(geo, str) and len(geo) == 2


def _name(geo: str) -> str:
    try:
        return country_name(geo)
    except Exception:  # noqa: BLE001 - aggregates and unknown codes keep their code
        return {"EU27_2020": "EU-27 (2020)", "EU28": "EU-28"}.get(geo, geo)


def _join_flags(*flags: str) -> str:
    out = []
    for f in flags:
        for ch in str(f or ""):
            if ch.strip() and ch not in out:
                out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- self-perceived health

def citizenship_gap(silc: pd.DataFrame, *, year: int, group: str, lev_perc: str = "B_VB",
                    reference: str = "NAT", countries: Sequence[str] | None = None,
                    group_dim: str = "citizen", include_aggregates: bool = False) -> pd.DataFrame:
    """Share of one group and of the reference group in a health level, by country.

    Parameters
    ----------
    silc
        Tidy ``hlth_silc_24`` (or any table with ``group_dim``, ``lev_perc``,
        ``geo``, ``time``, ``value``, ``flag``). ``sex``/``age`` are filtered to
        their totals (``T``, ``Y_GE16``) when present.
    year
        Survey year.
    group, reference
        Codes of the compared group and of the reference (``NAT``).
    lev_perc
        Health level code (``B_VB`` bad or very bad, ``VG_G`` very good or good).
    countries
        Restrict to these geo codes (empty or ``None``: all).
    include_aggregates
        Keep EU/euro-area aggregates (default: countries only).

    Returns
    -------
    pandas.DataFrame
        One row per geo with both values: ``geo``, ``country``, ``reference``,
        ``group``, ``gap`` (group minus reference, percentage points),
        ``flag_reference``, ``flag_group``, ``flag`` (union of both), sorted by geo.
        Countries where either value is missing are dropped.
    """
    d = silc[(silc["time"] == year) & (silc["lev_perc"] == lev_perc)
             & (silc[group_dim].isin([group, reference]))]
    for dim, total in (("sex", "T"), ("age", "Y_GE16")):
        if dim in d and (d[dim] == total).any():
            d = d[d[dim] == total]
    if not include_aggregates:
        d = d[d["geo"].map(_is_country)]
    d = _countries(d, countries)
    wide = d.pivot_table(index="geo", columns=group_dim, values="value", aggfunc="first")
    flags = d.pivot_table(index="geo", columns=group_dim, values="flag", aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    out["reference"] = wide.get(reference)
    out["group"] = wide.get(group)
    out["flag_reference"] = flags.get(reference, pd.Series(dtype=object)).reindex(out.index).fillna("")
    out["flag_group"] = flags.get(group, pd.Series(dtype=object)).reindex(out.index).fillna("")
    out = out.dropna(subset=["reference", "group"]).reset_index()
    out["gap"] = out["group"] - out["reference"]
    out["flag"] = [_join_flags(a, b) for a, b in zip(out["flag_reference"], out["flag_group"])]
    out.insert(1, "country", out["geo"].map(_name))
    out["year"] = year
    out["lev_perc"] = lev_perc
    out["group_code"] = group
    return out.sort_values("geo").reset_index(drop=True)


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
    out["flag"] = [_join_flags(a, b) for a, b in zip(flags.get(reference, pd.Series("", index=out.index)).fillna(""),
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
    h = _countries(h, countries, "country")
    wide = h.pivot_table(index="country", columns="year", values="score", aggfunc="first")
    wide = wide.reindex(columns=[y for y in years if y in wide.columns])
    wide.columns = [int(c) for c in wide.columns]
    wide = wide.reset_index().rename(columns={"country": "geo"})
    wide.insert(1, "country", wide["geo"].map(_name))
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
    h = _countries(h, countries, "country")
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
    out.insert(1, "country", out["geo"].map(_name))
    return out


def nearest_mipex_year(available: Iterable[int], year: int) -> int:
    """The scored MIPEX health year closest to ``year`` (ties: the earlier one)."""
    years = sorted(int(y) for y in available)
    if not years:
        raise ValueError("no MIPEX health year available")
    return min(years, key=lambda y: (abs(y - year), y))


# --------------------------------------------------------------------------- FRA surveys

def fra2012_item(fra: pd.DataFrame, *, question_code: str = "c4_d", answer: str = "Yes",
                 countries: Sequence[str] | None = None) -> pd.DataFrame:
    """One answer's share by country and subset of the FRA EU LGBT survey (2012).

    Returns ``geo``, ``country``, ``subset``, ``percentage``, ``note``
    (``small sample`` / ``NA: small sample``), the EU-28 average included.
    """
    d = fra[(fra["question_code"] == question_code) & (fra["answer"] == answer)]
    d = _countries(d, (list(countries) + ["EU28"]) if countries else None)
    out = d[["geo", "subset", "percentage", "note"]].copy()
    out.insert(1, "country", out["geo"].map(lambda g: "EU-28 average" if g == "EU28" else _name(g)))
    out["note"] = out["note"].fillna("")
    return out.sort_values(["geo", "subset"]).reset_index(drop=True)


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
    d = _countries(d, (list(countries) + ["EU28"]) if countries else None)
    grouped = d.groupby(["geo", "subgroup"], observed=True)
    share = grouped["percentage"].sum(min_count=1)
    complete = grouped["percentage"].apply(lambda s: s.notna().sum() == len(answers))
    share = share.where(complete)
    out = share.rename("share").reset_index()
    out.insert(1, "country", out["geo"].map(lambda g: "EU-28" if g == "EU28" else _name(g)))
    out.insert(2, "target_group", target_group)
    out.insert(3, "breakdown", breakdown)
    return out.sort_values(["geo", "subgroup"]).reset_index(drop=True)


# --------------------------------------------------------------------------- rates

def per_100k(counts: pd.DataFrame, population: pd.DataFrame, *, on: Sequence[str] = ("geo", "year"),
             count: str = "value", pop: str = "population", out: str = "per_100k",
             how: str = "left") -> pd.DataFrame:
    """Counts per 100 000 residents: ``count / population * 100 000``.

    Parameters
    ----------
    counts
        Table with the ``on`` keys and a ``count`` column.
    population
        Table with the ``on`` keys and a ``pop`` column (residents).
    on
        Join keys (default ``geo`` and ``year``); the population must hold one
        row per key.
    count, pop, out
        Column names of the count, the population and the result.
    how
        Merge type; with ``"left"`` counts without a population get a missing rate.

    Returns
    -------
    pandas.DataFrame
        ``counts`` with the population column(s) and the rate added (other
        population columns, e.g. the year of the population, are kept). A missing
        or non-positive population gives a missing rate, never an infinite one.
    """
    on = list(on)
    if population.duplicated(subset=on).any():
        raise ValueError(f"population has more than one row per {on}")
    extra = [c for c in population.columns if c not in on and (c == pop or c not in counts.columns)]
    merged = counts.merge(population[on + extra], on=on, how=how)
    p = pd.to_numeric(merged[pop], errors="coerce").astype(float)
    c = pd.to_numeric(merged[count], errors="coerce").astype(float)
    merged[out] = np.where(p > 0, c / p.where(p > 0) * 100_000, np.nan)
    return merged


def population_for(population: pd.DataFrame, year: int, *, geo: str = "geo", time: str = "year",
                   value: str = "population") -> pd.DataFrame:
    """Each country's population in ``year``, or in its latest earlier year.

    Returns ``geo``, ``population``, ``population_year`` (the year used).
    """
    p = population.dropna(subset=[geo, value])
    p = p[p[time] <= year].sort_values(time)
    last = p.groupby(geo, observed=True).tail(1)
    return pd.DataFrame({"geo": last[geo].astype(str).to_numpy(),
                         "population": last[value].astype(float).to_numpy(),
                         "population_year": last[time].astype(int).to_numpy()})


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
    a = a[a["geo"].map(_is_country)][["geo", "value", "flag"]].rename(
        columns={"value": "asylum_applicants", "flag": "asylum_flag"})
    u = unhcr[(unhcr["year"] == year) & unhcr["origin"].isna()].copy()
    u["refugees_asylum_seekers"] = (u["refugees"].astype("Float64") + u["asylum_seekers"].astype("Float64")).astype(float)
    u = u[["geo", "refugees", "asylum_seekers", "refugees_asylum_seekers"]].astype({"geo": str})
    both = a.merge(u, on="geo", how="outer")
    both = _countries(both, countries)
    pop = population_for(population, year)
    both["year"] = year
    pop["year"] = year
    r = per_100k(both, pop, count="asylum_applicants", out="asylum_per_100k")
    r["refugees_asylum_seekers_per_100k"] = np.where(
        r["population"] > 0, r["refugees_asylum_seekers"] / r["population"] * 100_000, np.nan)
    r.insert(1, "country", r["geo"].map(_name))
    return r.sort_values("geo").reset_index(drop=True)


# --------------------------------------------------------------------------- declared optional tables

def _group_dim(table: pd.DataFrame) -> str:
    for dim in ("citizen", "c_birth"):
        if dim in table.columns:
            return dim
    raise ValueError("table has neither a 'citizen' nor a 'c_birth' dimension")


def _fix_totals(d: pd.DataFrame, fixed: dict[str, Sequence[str]]) -> pd.DataFrame:
    """Keep the first available total of each fixed dimension present in the table."""
    for dim, candidates in fixed.items():
        if dim in d.columns:
            for code in candidates:
                if (d[dim] == code).any():
                    d = d[d[dim] == code]
                    break
    return d


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
    dim = _group_dim(table)
    d = _fix_totals(table, {"sex": ["T"], "age": ["Y_GE16", "Y_GE18", "TOTAL"], "quant_inc": ["TOTAL"],
                            "unit": ["PC"]})
    if year is None:
        year = int(d["time"].max())
    d = d[(d["time"] == year) & d["reason"].isin(list(reasons)) & d["geo"].map(_is_country)]
    d = _countries(d, countries)
    out = _paired_gaps(d, dim, ["geo", "reason"], reference, group)
    out["country"] = out["geo"].map(_name)
    out["reason_label"] = out["reason"].map(lambda r: UNMET_REASONS.get(r, r))
    out["year"] = year
    return out[cols].sort_values(["reason", "geo"]).reset_index(drop=True)


def _paired_gaps(d: pd.DataFrame, dim: str, by: list[str], reference: str, group: str) -> pd.DataFrame:
    """Per ``by`` cell where both have a value: reference, group, gap (group minus reference), flags."""
    rows = []
    for keys, part in d.groupby(by, observed=True):
        ref = part[part[dim] == reference]
        grp = part[part[dim] == group]
        if ref.empty or grp.empty or pd.isna(ref["value"].iloc[0]) or pd.isna(grp["value"].iloc[0]):
            continue
        rv, gv = float(ref["value"].iloc[0]), float(grp["value"].iloc[0])
        rows.append({**dict(zip(by, keys)), "reference": rv, "group": gv, "gap": gv - rv,
                     "flag": _join_flags(ref["flag"].iloc[0], grp["flag"].iloc[0])})
    return pd.DataFrame(rows, columns=[*by, "reference", "group", "gap", "flag"])


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
    dim = _group_dim(table)
    d = _fix_totals(table, {"sex": ["T"], "age": ["Y_GE15", "TOTAL", "Y_GE18"], "unit": ["PC"],
                            "isced11": ["TOTAL"], "quant_inc": ["TOTAL"]})
    if year is None:
        year = int(d["time"].max())
    d = d[(d["time"] == year) & d["geo"].map(_is_country)]
    d = _countries(d, countries)
    fixed = {"freq", "sex", "age", "unit", "isced11", "quant_inc", dim, "geo", "time", "value", "flag"}
    items = [c for c in d.columns if c not in fixed]
    d = d.copy()
    d["item"] = d[items].astype(str).agg(" / ".join, axis=1) if items else "total"
    out = _paired_gaps(d, dim, ["geo", "item"], reference, group)
    out["country"] = out["geo"].map(_name)
    out["year"] = year
    return out[cols].sort_values(["item", "geo"]).reset_index(drop=True)


# --------------------------------------------------------------------------- synthesis display


def labelled_matrix(matrix: pd.DataFrame, row_labels: dict, column_labels: dict) -> pd.DataFrame:
    """A synthesis matrix with its ids replaced by labels (order kept)."""
    out = matrix.copy()
    out.index = [row_labels.get(i, i) for i in out.index]
    out.columns = [column_labels.get(c, c) for c in out.columns]
    return out
