"""Chapter 3 (Action 3, art and culture): foreign-born and foreign-citizen residents, cities, cultural participation.

Every function takes processed tables (see :func:`inclusion_evidence.core.tables.read_table`)
and returns a small frame ready to plot or to glue; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import name_of
from inclusion_evidence.core.geo_codes import EU27

# --------------------------------------------------------------------------- population

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

def scope_split(frame: pd.DataFrame, codes: Sequence[str] = EU27, geo: str = "geo",
                inside: str = "EU-27 member states", outside: str = "Other countries (context)") -> pd.DataFrame:
    """``frame`` with a ``scope`` column: ``inside`` for the codes in ``codes``, else ``outside``.

    Rows in scope come first (their order kept), the context rows after them;
    aggregates (EU27_2020) count as in scope.
    """
    in_scope = frame[geo].isin(list(codes)) | frame[geo].astype(str).str.startswith("EU27")
    out = frame.assign(scope=np.where(in_scope, inside, outside))
    return pd.concat([out[in_scope], out[~in_scope]]).reset_index(drop=True)


def population_total_share(shares: pd.DataFrame, codes: Sequence[str] = EU27,
                           count: str = "foreign_born") -> dict:
    """One share (%) for a group of countries: the sum of ``count`` over the sum of population.

    Only countries with both a count and a population enter; the result names
    how many of ``codes`` that is, and which are missing, so that a partial
    total is never passed off as the EU-27's.

    Returns
    -------
    dict
        ``share`` (%, NaN when no country has both), ``n`` (countries summed),
        ``of`` (``len(codes)``), ``missing`` (codes left out, sorted).
    """
    part = shares[shares["geo"].isin(list(codes))].dropna(subset=[count, "population"])
    missing = sorted(set(codes) - set(part["geo"]))
    value = 100 * part[count].astype(float).sum() / part["population"].astype(float).sum() if len(part) else np.nan
    return {"share": float(value), "n": len(part), "of": len(set(codes)), "missing": missing}


# --------------------------------------------------------------------------- cities

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


def points_on_map(points: pd.DataFrame, frame: tuple[float, float, float, float], drawn: Sequence[str],
                  geo: str = "geo") -> pd.Series:
    """Whether each point can be drawn: inside the frame *and* in a country the map draws.

    A dot over a blank area (a city of a country the background does not
    draw, e.g. Ukraine on a NUTS map) would float in the sea; such cities are
    left out and named under the map instead.
    """
    return points_in_frame(points, frame) & points[geo].isin(list(drawn))


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
