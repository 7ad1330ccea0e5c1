"""Evidence for Action 3 (art and culture) and Action 4 (LGBTQI+ migrants).

Every function takes processed tables (see :func:`inclusion_evidence.core.tables.read_table`)
and returns a small frame ready to plot or to glue; nothing here reads files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.core.geo_codes import EU27, country_name

# --------------------------------------------------------------------------- helpers


def name_of(geo: str) -> str:
    """English country name of a Eurostat geo code; the code itself for aggregates."""
    try:
        return country_name(geo)
    except Exception:  # aggregates (EU27_2020, EU28) and unknown codes
        return {"EU27_2020": "EU-27", "EU28": "EU-28"}.get(str(geo), str(geo))


# --------------------------------------------------------------------------- population (Action 3)


def within_group_totals(df: pd.DataFrame, group_dim: str) -> pd.DataFrame:
    """What the ``demo_poppcct*`` percentages add up to, per group, for sex = total.

    Eurostat's ``demo_poppcctz``/``demo_poppcctb`` give the share of an age
    group (and sex) *within* each citizenship / country-of-birth group. With
    age = TOTAL only, the sex-total rows are 100 % for every group: the
    extract cannot give a group's share of the whole population.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``rows`` (sex-total rows), ``min``, ``max`` of their values.
    """
    total = df[(df["sex"] == "T")]
    out = (total.groupby(group_dim)["value"].agg(rows="size", min="min", max="max")
           .reset_index().rename(columns={group_dim: "group"}))
    return out


def sex_composition(df: pd.DataFrame, group_dim: str, year: int,
                    groups: Sequence[str] = ("NAT", "FOR")) -> pd.DataFrame:
    """Women's share (%) within each group, one row per country, for ``year``.

    Parameters
    ----------
    df
        ``demo_poppcctb`` (``group_dim="c_birth"``) or ``demo_poppcctz``
        (``group_dim="citizen"``).
    year
        Reference year (1 January).
    groups
        Two group codes: left and right of the comparison.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``country``, one column per group (women's share, %), and
        ``flag_<group>`` columns with Eurostat's flags.
    """
    part = df[(df["sex"] == "F") & (df["time"] == year) & (df[group_dim].isin(groups))
              & (df["age"] == "TOTAL") & (df["unit"] == "PC")]
    if part.empty:
        raise ValueError(f"no women's shares for {groups} in {year}")
    values = part.pivot_table(index="geo", columns=group_dim, values="value", aggfunc="first")
    flags = part.pivot_table(index="geo", columns=group_dim, values="flag", aggfunc="first")
    out = values.reindex(columns=list(groups)).join(
        flags.reindex(columns=list(groups)).add_prefix("flag_")).reset_index()
    out.columns.name = None
    out.insert(1, "country", out["geo"].map(name_of))
    return out.dropna(subset=list(groups)).sort_values("geo").reset_index(drop=True)


def foreign_population_shares(born: pd.DataFrame, citizens: pd.DataFrame,
                              population: pd.DataFrame, year: int) -> pd.DataFrame:
    """Foreign-born and foreign-citizen residents as a share (%) of total population.

    Parameters
    ----------
    born
        ``migr_pop3ctb`` (``c_birth == "FOR"``, counts on 1 January).
    citizens
        ``migr_pop1ctz`` (``citizen == "FOR_STLS"``, counts on 1 January).
    population
        ``population_worldbank`` (``geo``, ``year``, ``population``; mid-year).
    year
        Reference year.

    Returns
    -------
    pandas.DataFrame
        One row per country with ``geo``, ``country``, ``foreign_born``,
        ``foreign_citizens``, ``population``, ``foreign_born_share``,
        ``foreign_citizen_share`` (%), and the Eurostat flags
        ``flag_born``/``flag_citizens``. Aggregates (EU27_2020) are left out:
        the World Bank table has no EU-27 row.
    """
    b = born[(born["c_birth"] == "FOR") & (born["time"] == year)][["geo", "value", "flag"]]
    c = citizens[(citizens["citizen"] == "FOR_STLS") & (citizens["time"] == year)][["geo", "value", "flag"]]
    p = population[(population["year"] == year) & population["geo"].notna()][["geo", "population"]]
    out = (b.rename(columns={"value": "foreign_born", "flag": "flag_born"})
           .merge(c.rename(columns={"value": "foreign_citizens", "flag": "flag_citizens"}),
                  on="geo", how="outer")
           .merge(p, on="geo", how="inner"))
    if out.empty:
        raise ValueError(f"no foreign-born or foreign-citizen counts with a population for {year}")
    pop = out["population"].astype(float)
    out["foreign_born_share"] = 100 * out["foreign_born"].astype(float) / pop
    out["foreign_citizen_share"] = 100 * out["foreign_citizens"].astype(float) / pop
    out.insert(1, "country", out["geo"].map(name_of))
    return out.sort_values("geo").reset_index(drop=True)


def regional_share_map(regional: pd.DataFrame, regions, column: str = "foreign_born_share"):
    """Join the processed regional table to NUTS-2 geometries (no recomputation).

    Returns
    -------
    tuple
        (GeoDataFrame of all geometries with ``column`` attached, list of
        region codes in the table that have no geometry in this NUTS version).
    """
    keep = regional[["geo", "name", "parent", "year", column]].rename(columns={"name": "region_name"})
    gdf = regions.merge(keep, left_on="nuts_id", right_on="geo", how="left")
    unmatched = sorted(set(regional.loc[regional[column].notna(), "geo"]) - set(regions["nuts_id"]))
    return gdf, unmatched


# --------------------------------------------------------------------------- cities (Action 3)

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


def eurocities_points(eurocities: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Eurocities members with a ``group`` column: Partnership member city or not."""
    hit = matches[matches["matched"]]
    members = set(zip(hit["eurocities_name"], hit["country"]))
    out = eurocities[["name", "geo", "country", "lat", "lon", "population"]].copy()
    is_member = [(n, g) in members for n, g in zip(out["name"], out["geo"])]
    out["group"] = np.where(is_member, "2_member", "1_other")
    return out.sort_values(["group", "name"]).reset_index(drop=True)


def points_in_frame(points: pd.DataFrame, frame: tuple[float, float, float, float]) -> pd.Series:
    """Whether each lon/lat point falls inside an EPSG:3035 frame (x0, x1, y0, y1)."""
    import geopandas as gpd

    g = gpd.GeoSeries(gpd.points_from_xy(points["lon"], points["lat"]), crs=4326).to_crs(3035)
    x0, x1, y0, y1 = frame
    return pd.Series((g.x >= x0) & (g.x <= x1) & (g.y >= y0) & (g.y <= y1), index=points.index)


# --------------------------------------------------------------------------- MIPEX (both chapters)

MIPEX_STRAND_LABELS = {
    "political_participation": "Political participation",
    "anti_discrimination": "Anti-discrimination",
}


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


# --------------------------------------------------------------------------- cultural participation


CULTURE_FOREIGN_CODES = ("FOR", "FOR_STLS", "NEU27_2020_FOR", "EU27_2020_FOR")
_TOTAL_CODES = {"sex": ("T",), "age": ("Y_GE16", "Y16-74", "Y_GE15", "TOTAL"), "unit": ("PC",),
                "isced11": ("TOTAL",), "quant_inc": ("TOTAL",), "deg_urb": ("TOTAL",),
                "hhtyp": ("TOTAL",)}


def culture_participation(df: pd.DataFrame) -> pd.DataFrame:
    """Cultural participation (%) of nationals and foreign citizens, one row per country, year and item.

    Works on any Eurostat tidy table with a ``citizen`` dimension (the
    declared ``ilc_scp_culture`` source): sex, age and unit are set to their
    totals (``T``, 16+ or total age, ``PC``); every other dimension with
    several codes (activity, frequency, ...) is kept as the ``item`` label.

    Returns
    -------
    pandas.DataFrame
        ``geo``, ``country``, ``time``, ``item``, ``nationals``, ``foreign``
        (the first foreign group present among ``FOR``, ``FOR_STLS``,
        ``NEU27_2020_FOR``, ``EU27_2020_FOR``), ``foreign_group``,
        ``gap`` (foreign - nationals, percentage points) and ``flag``.
    """
    if df.empty:
        return pd.DataFrame(columns=["geo", "country", "time", "item", "nationals", "foreign",
                                     "foreign_group", "gap", "flag"])
    if "citizen" not in df.columns:
        raise ValueError("cultural participation table has no 'citizen' dimension")
    data = df.copy()
    for dim, wanted in _TOTAL_CODES.items():
        if dim in data.columns and data[dim].nunique() > 1:
            pick = next((w for w in wanted if (data[dim] == w).any()), None)
            if pick is None:
                raise ValueError(f"no total code for {dim!r} among {sorted(data[dim].unique())}")
            data = data[data[dim] == pick]
    foreign = next((c for c in CULTURE_FOREIGN_CODES if (data["citizen"] == c).any()), None)
    if foreign is None or not (data["citizen"] == "NAT").any():
        raise ValueError("cultural participation table lacks nationals (NAT) or a foreign group")
    dims = [c for c in data.columns if c not in ("geo", "time", "value", "flag", "citizen", "freq",
                                                  *_TOTAL_CODES)]
    varying = [c for c in dims if data[c].nunique() > 1]
    data["item"] = data[varying].astype(str).agg(" / ".join, axis=1) if varying else "all"
    key = ["geo", "time", "item"]
    nat = data[data["citizen"] == "NAT"].set_index(key)
    fgn = data[data["citizen"] == foreign].set_index(key)
    out = pd.DataFrame({"nationals": nat["value"], "foreign": fgn["value"]}).dropna()
    flags = (nat["flag"].fillna("").astype(str) + fgn["flag"].fillna("").astype(str)).reindex(out.index)
    out["flag"] = flags.fillna("")
    out = out.reset_index()
    out["foreign_group"] = foreign
    out["gap"] = out["foreign"] - out["nationals"]
    out.insert(1, "country", out["geo"].map(name_of))
    return out.sort_values(key).reset_index(drop=True)


# --------------------------------------------------------------------------- ILGA (Action 4)

ILGA_LABELS = {
    "equality_non_discrimination": "Equality & non-discrimination",
    "family": "Family",
    "hate_crime_hate_speech": "Hate crime & hate speech",
    "legal_gender_recognition": "Legal gender recognition",
    "intersex_bodily_integrity": "Intersex bodily integrity",
    "civil_society_space": "Civil society space",
    "asylum": "Asylum",
}


def ilga_matrix(counts: pd.DataFrame, countries: Sequence[str] | None = None,
                value: str = "share") -> pd.DataFrame:
    """Countries × ILGA categories: the share (%) of criteria met.

    Parameters
    ----------
    counts
        Output of :func:`inclusion_evidence.ingest.readers.lgbti.ilga_category_counts`.
    countries
        Geo codes to keep (all when empty or ``None``).
    value
        ``share`` (met incl. regionally) or ``weighted_share``.

    Returns
    -------
    pandas.DataFrame
        Index: country names ordered by their mean share (highest first);
        columns: category labels in :data:`ILGA_LABELS` order; values in %.
    """
    data = counts if not countries else counts[counts["geo"].isin(list(countries))]
    if data.empty:
        raise ValueError(f"no ILGA rows for countries {list(countries or [])}")
    wide = data.pivot_table(index="country", columns="category", values=value, aggfunc="first") * 100
    order = [c for c in ILGA_LABELS if c in wide.columns]
    wide = wide[order].rename(columns=ILGA_LABELS)
    wide = wide.loc[wide.mean(axis=1).sort_values(ascending=False, kind="stable").index]
    wide.index.name = "country"
    wide.columns.name = "category"
    return wide


def ilga_category_map(counts: pd.DataFrame, category: str, regions):
    """Criteria met in ``category`` joined to country geometries.

    Returns
    -------
    tuple
        (GeoDataFrame with ``met`` and ``total`` (NaN = not in ILGA),
        frame of ILGA countries that have no geometry in ``regions``,
        number of criteria in the category).
    """
    part = counts[counts["category"] == category]
    if part.empty:
        raise ValueError(f"unknown ILGA category {category!r}; choose one of {sorted(ILGA_LABELS)}")
    total = int(part["total"].max())
    gdf = regions.merge(part[["geo", "met", "regional_only", "total"]], left_on="nuts_id",
                        right_on="geo", how="left")
    outside = part[~part["geo"].isin(set(regions["nuts_id"]))][["geo", "country", "met", "total"]]
    return gdf, outside.sort_values("country").reset_index(drop=True), total


# --------------------------------------------------------------------------- FRA (Action 4)


def _by_name(geos: Iterable[str]) -> list[str]:
    """Geo codes ordered by country name, the EU-28 aggregate last."""
    geos = list(geos)
    return sorted((g for g in geos if g != "EU28"), key=name_of) + (["EU28"] if "EU28" in geos else [])

# The answers that count as "yes" for each usable EU-LGBTI II item.
FRA_2019_ITEMS: dict[str, tuple[str, ...]] = {
    "T1Q1": ("Always", "Often"),
    "T1Q2": ("Always", "Often"),
    "T1Q5": ("All of the time", "Most of the time", "More than half of the time"),
}


# Short wording of the items for figure titles.
FRA_2019_SHORT: dict[str, str] = {
    "T1Q1": "avoid holding hands in public",
    "T1Q2": "avoid certain places",
    "T1Q5": "downhearted or depressed",
}


def fra2019_by_country(fra: pd.DataFrame, question_id: str, *, breakdown: str = "residence",
                       subgroup: str = "City", countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Countries × target groups: the share (%) giving the item's "yes" answers.

    The shares are sums of FRA's rounded answer percentages for one
    breakdown subgroup (default: respondents living in a city); a cell is
    missing when any of the summed answers is missing (small samples).

    Returns
    -------
    pandas.DataFrame
        Index: country names (EU-28 aggregate last); columns: target groups.
    """
    if question_id not in FRA_2019_ITEMS:
        raise ValueError(f"survey item {question_id!r} has no answer set; use one of {sorted(FRA_2019_ITEMS)}")
    answers = FRA_2019_ITEMS[question_id]
    part = fra[(fra["question_id"] == question_id) & (fra["breakdown"] == breakdown)
               & (fra["subgroup"] == subgroup) & fra["answer"].isin(answers)]
    if countries:
        part = part[part["geo"].isin([*countries, "EU28"])]
    if part.empty:
        raise ValueError(f"no FRA rows for {question_id}, {breakdown} = {subgroup!r}")
    sums = (part.groupby(["geo", "target_group"], sort=False)["percentage"]
            .agg(lambda s: s.sum() if s.notna().all() and len(s) == len(answers) else np.nan)
            .unstack())
    groups = [g for g in part["target_group"].drop_duplicates()]
    sums = sums.reindex(columns=groups)
    geos = _by_name(sums.index)
    sums = sums.loc[geos]
    sums.index = [name_of(g) for g in geos]
    sums.index.name = "country"
    sums.columns.name = "target_group"
    return sums


def fra2012_by_country(fra12: pd.DataFrame, question_code: str = "discrim1yr", answer: str = "Yes",
                       countries: Sequence[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Countries × subsets (lesbian, gay, ...): the share (%) giving ``answer``.

    Returns
    -------
    tuple
        (values, notes): two frames with the same shape; ``notes`` holds the
        decoded small-sample note (or ``""``). EU-28 average last.
    """
    part = fra12[(fra12["question_code"] == question_code) & (fra12["answer"] == answer)]
    if countries:
        part = part[part["geo"].isin([*countries, "EU28"])]
    if part.empty:
        raise ValueError(f"no FRA 2012 rows for {question_code!r}, answer {answer!r}")
    subsets = list(part["subset"].drop_duplicates())
    values = part.pivot_table(index="geo", columns="subset", values="percentage", aggfunc="first")
    notes = part.assign(note=part["note"].fillna("")).pivot_table(
        index="geo", columns="subset", values="note", aggfunc="first")
    geos = _by_name(part["geo"].unique())
    values, notes = values.reindex(index=geos, columns=subsets), notes.reindex(index=geos, columns=subsets)
    values.index = notes.index = [name_of(g) for g in geos]
    values.index.name = notes.index.name = "country"
    return values, notes.fillna("")


def long_matrix(matrix: pd.DataFrame, value: str = "value") -> pd.DataFrame:
    """A matrix as a long frame (row, column, value) for the figure's CSV."""
    index_name = matrix.index.name or "row"
    column_name = matrix.columns.name or "column"
    out = matrix.rename_axis(index=index_name, columns=column_name).stack(future_stack=True)
    return out.rename(value).reset_index()


# --------------------------------------------------------------------------- synthesis evidence


def evidence_record(s, bibkey: str) -> pd.Series:
    """The one evidence record of a synthesis file whose source cites ``bibkey``."""
    from inclusion_evidence.ingest.synthesis import bibkeys

    hits = [row for _, row in s.evidence.iterrows() if bibkey in bibkeys(row)]
    if len(hits) != 1:
        raise ValueError(f"{s.id}: expected one evidence record citing {bibkey!r}, found {len(hits)}")
    return hits[0]




