"""Statistics and helpers shared by several chapters.

Country names, flags and country filters; rates per 100 000 residents; the
comparison of one population group with a reference group (EU-SILC, EHIS);
MIPEX strand scores side by side; matching the Partnership's member cities to
a city table; joining values to country geometries. Pure functions on tidy
frames: nothing here reads files or draws.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.core.geo_codes import EU27, country_name

# --------------------------------------------------------------------------- names, flags, country filters

def name_of(geo: str) -> str:
    """English country name of a Eurostat geo code; aggregates get a short name, unknown codes stay as they are."""
    try:
        return country_name(geo)
    except Exception:  # noqa: BLE001 - aggregates (EU27_2020, EU28) and unknown codes
        return {"EU27_2020": "EU-27", "EU28": "EU-28"}.get(str(geo), str(geo))


def country_names(geos: Iterable[str]) -> list[str]:
    """:func:`name_of` for each code."""
    return [name_of(g) for g in geos]


def is_country(geo: str) -> bool:
    """Two-letter codes are countries; aggregates (EU27_2020, EA20, ...) are not."""
    return isinstance(geo, str) and len(geo) == 2

def join_flags(*flags: str) -> str:
    out = []
    for f in flags:
        for ch in str(f or ""):
            if ch.strip() and ch not in out:
                out.append(ch)
    return "".join(out)

def select_countries(frame: pd.DataFrame, countries: Sequence[str] | None, column: str = "geo") -> pd.DataFrame:
    if countries:
        return frame[frame[column].isin(list(countries))]
    return frame

def fix_totals(d: pd.DataFrame, fixed: dict[str, Sequence[str]]) -> pd.DataFrame:
    """Keep the first available total of each fixed dimension present in the table."""
    for dim, candidates in fixed.items():
        if dim in d.columns:
            for code in candidates:
                if (d[dim] == code).any():
                    d = d[d[dim] == code]
                    break
    return d


# --------------------------------------------------------------------------- group against reference (EU-SILC, EHIS)

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
        d = d[d["geo"].map(is_country)]
    d = select_countries(d, countries)
    wide = d.pivot_table(index="geo", columns=group_dim, values="value", aggfunc="first")
    flags = d.pivot_table(index="geo", columns=group_dim, values="flag", aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    out["reference"] = wide.get(reference)
    out["group"] = wide.get(group)
    out["flag_reference"] = flags.get(reference, pd.Series(dtype=object)).reindex(out.index).fillna("")
    out["flag_group"] = flags.get(group, pd.Series(dtype=object)).reindex(out.index).fillna("")
    out = out.dropna(subset=["reference", "group"]).reset_index()
    out["gap"] = out["group"] - out["reference"]
    out["flag"] = [join_flags(a, b) for a, b in zip(out["flag_reference"], out["flag_group"])]
    out.insert(1, "country", out["geo"].map(name_of))
    out["year"] = year
    out["lev_perc"] = lev_perc
    out["group_code"] = group
    return out.sort_values("geo").reset_index(drop=True)

def group_labels(table: pd.DataFrame) -> dict[str, str]:
    """The group labels of a table by citizenship (:data:`CITIZEN_LABELS`) or country of birth (:data:`BIRTH_LABELS`)."""
    return CITIZEN_LABELS if group_dim_of(table) == "citizen" else BIRTH_LABELS


def group_dim_of(table: pd.DataFrame) -> str:
    for dim in ("citizen", "c_birth"):
        if dim in table.columns:
            return dim
    raise ValueError("table has neither a 'citizen' nor a 'c_birth' dimension")

def paired_gaps(d: pd.DataFrame, dim: str, by: list[str], reference: str, group: str) -> pd.DataFrame:
    """Per ``by`` cell where both have a value: reference, group, gap (group minus reference), flags."""
    rows = []
    for keys, part in d.groupby(by, observed=True):
        ref = part[part[dim] == reference]
        grp = part[part[dim] == group]
        if ref.empty or grp.empty or pd.isna(ref["value"].iloc[0]) or pd.isna(grp["value"].iloc[0]):
            continue
        rv, gv = float(ref["value"].iloc[0]), float(grp["value"].iloc[0])
        rows.append({**dict(zip(by, keys)), "reference": rv, "group": gv, "gap": gv - rv,
                     "flag": join_flags(ref["flag"].iloc[0], grp["flag"].iloc[0])})
    return pd.DataFrame(rows, columns=[*by, "reference", "group", "gap", "flag"])


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


# --------------------------------------------------------------------------- MIPEX

def mipex_strands_wide(strands: pd.DataFrame, names: Sequence[str], year: int,
                       geos: Iterable[str] = EU27) -> pd.DataFrame:
    """MIPEX strand scores (0-100) for ``year``, one row per country in ``geos``.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``country`` and one column per strand in ``names``; countries
        without all strands scored that year are left out.
    """
    part = strands[(strands["year"] == year) & strands["strand"].isin(names)
                   & strands["country"].isin(list(geos))]
    if part.empty:
        raise ValueError(f"no MIPEX scores for {list(names)} in {year}")
    wide = part.pivot_table(index="country", columns="strand", values="score", aggfunc="first")
    wide = wide.reindex(columns=list(names)).dropna().reset_index().rename(columns={"country": "geo"})
    wide.columns.name = None
    wide.insert(1, "country", wide["geo"].map(name_of))
    return wide.sort_values("geo").reset_index(drop=True)


# --------------------------------------------------------------------------- member cities

# Exonyms: how the Partnership's member list and Eurocities may spell a city.
CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "milan": ("milano",), "athens": ("athina", "athinai"), "brussels": ("bruxelles", "brussel"),
    "mechelen": ("malines",), "lisbon": ("lisboa",), "vienna": ("wien",), "munich": ("munchen",),
    "gothenburg": ("goteborg",), "the hague": ("den haag",), "prague": ("praha",),
}

def normalise_city(name: str) -> str:
    """Lower-case ASCII, no "City of", punctuation folded to spaces."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    text = re.sub(r"^(city of|municipality of|ville de|comune di)\s+", "", text)
    return re.sub(r"\s+(municipality|city|metropole|metropolitan city)$", "", text)

def match_member_cities(members: pd.DataFrame, eurocities: pd.DataFrame,
                        aliases: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Match the Partnership's member cities to Eurocities members by name and country.

    A member matches a Eurocities row when the normalised member name (or one
    of its aliases) equals the row's normalised ``name`` or ``wikidata_name``
    *and* the country codes agree. Ambiguous matches raise.

    Returns
    -------
    pandas.DataFrame
        One row per member city: ``member``, ``country``, ``eurocities_name``,
        ``lat``, ``lon``, ``matched``.
    """
    aliases = CITY_ALIASES if aliases is None else aliases
    cities = members[members["type"] == "city"]
    ec = eurocities.assign(_n1=eurocities["name"].map(normalise_city),
                           _n2=eurocities["wikidata_name"].fillna("").map(normalise_city))
    rows = []
    for _, m in cities.iterrows():
        key = normalise_city(m["name"])
        names = {key, *aliases.get(key, ())}
        hit = ec[(ec["_n1"].isin(names) | ec["_n2"].isin(names)) & (ec["geo"] == m["country"])]
        if len(hit) > 1:
            raise ValueError(f"member city {m['name']!r} matches several Eurocities rows: "
                             f"{hit['name'].tolist()}")
        found = len(hit) == 1
        rows.append({"member": m["name"], "country": m["country"],
                     "eurocities_name": hit["name"].iloc[0] if found else None,
                     "lat": hit["lat"].iloc[0] if found else np.nan,
                     "lon": hit["lon"].iloc[0] if found else np.nan,
                     "matched": found})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- maps

def map_frame(regions, values: pd.DataFrame, column: str, *, key: str = "geo", flag: str | None = None):
    """Country geometries joined to a value column (countries without a value keep NaN → "no data")."""
    cols = [key, column] + ([flag] if flag else [])
    out = regions.merge(values[cols], left_on="nuts_id", right_on=key, how="left")
    return out


# --------------------------------------------------------------------------- MIPEX editions

# MIPEX scores come from two editions with different indicator sets; a score is
# cited with the edition that publishes its year, and a series crossing 2019 →
# 2020 is marked as broken there.
MIPEX_EDITIONS = (
    {"years": (2007, 2019), "name": "MIPEX core indicators, 2007-2019", "source_id": "mipex_core_2007_2019"},
    {"years": (2020, 2024), "name": "MIPEX EU update, 2020-2024", "source_id": "mipex_eu_2020_2024"},
)


def mipex_edition(year: int) -> dict:
    """The MIPEX edition whose scores cover ``year`` (``name``, ``years``, ``source_id``).

    Raises
    ------
    ValueError
        If no edition covers the year.
    """
    for edition in MIPEX_EDITIONS:
        low, high = edition["years"]
        if low <= int(year) <= high:
            return dict(edition)
    raise ValueError(f"no MIPEX edition covers {year}; editions cover "
                     + ", ".join(f"{e['years'][0]}-{e['years'][1]}" for e in MIPEX_EDITIONS))
