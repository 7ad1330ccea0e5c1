"""Chapter 5 processing: regional unemployment by country of birth, NUTS recoding, national gaps.

Outputs (all parquet tables in ``data/processed/``):

``regional_unemployment``
    Eurostat ``lfst_r_lfur2gac`` (unit PC, sex T, age 15-64) made wide: one row
    per NUTS-2 region and year with the unemployment rate of each country-of-birth
    group (``rate_TOTAL``, ``rate_FOR``, ``rate_EU27_2020_FOR``,
    ``rate_NEU27_2020_FOR``), each with its Eurostat flag (``flag_<group>``), the
    gaps of the three foreign-born groups against ``TOTAL`` in percentage points
    (``gap_<group>`` = rate of the group − rate of TOTAL) with the union of the two
    rates' flags (``gap_flag_<group>``), the region's name, country and NUTS
    version. The extract has no native-born (``NAT``) group, so gaps are against
    the whole population aged 15-64, which itself includes the foreign-born:
    they understate the gap to the native-born.
``nuts2021_2024_recode``
    The NUTS-2 correspondence between the NUTS 2021 and NUTS 2024 versions,
    one row per region pair. Codes kept in both versions are ``unchanged``;
    discontinued and new codes are linked by polygon overlap (at least 10 % of
    either region's area), giving ``recoded`` (one-to-one, e.g. NL31 -> NL35)
    or ``split/merged`` (e.g. Portugal's PT16-PT18 -> PT19, PT1A-PT1D) rows;
    UK regions are ``not in NUTS 2024``; BA and XK are ``new in NUTS 2024``.
``regional_indicators``
    One row per NUTS 2021 region and year: the unemployment rates and gaps of
    ``regional_unemployment`` plus the foreign-born share of the LFS 15+
    population from the European Locals compilation (NUTS 2024 codes, 2014-2023),
    carried to NUTS 2021 only where the correspondence is one-to-one
    (``fb_share_geo24`` says from which NUTS 2024 region it came). Ready for the
    clustering of chapter 5.
``national_gaps``
    Eurostat ``lfsa_ergan`` and ``lfsa_urgan`` (sex T, age 15-64): one row per
    country and year with employment and unemployment rates of nationals
    (``NAT``), foreign citizens (``FOR``) and everyone (``TOTAL``), their flags,
    and the gaps FOR − NAT in percentage points (by citizenship, not country of
    birth).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from inclusion_evidence.core.geo_codes import UnknownCountryError, country_name
from inclusion_evidence.steps.registry import step

GROUPS = ("TOTAL", "FOR", "EU27_2020_FOR", "NEU27_2020_FOR")
FOREIGN_GROUPS = ("FOR", "EU27_2020_FOR", "NEU27_2020_FOR")
RECODE_MIN_SHARE = 0.10


def merge_flags(*flags: pd.Series) -> pd.Series:
    """Union of Eurostat flag letters, sorted (``"u"`` + ``"b"`` -> ``"bu"``)."""
    joined = flags[0].fillna("").astype(str)
    for f in flags[1:]:
        joined = joined + f.fillna("").astype(str)
    return joined.map(lambda s: "".join(sorted(set(s.replace(" ", "")))))


def unemployment_wide(tidy: pd.DataFrame, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Make the tidy ``lfst_r_lfur2gac`` frame wide by country of birth, with gaps and flags.

    Parameters
    ----------
    tidy : pandas.DataFrame
        Tidy Eurostat frame (columns ``c_birth, sex, age, unit, geo, time, value, flag``).
        Rows other than unit ``PC``, sex ``T`` and age ``Y15-64`` are ignored.
    regions : pandas.DataFrame, optional
        NUTS 2021 level-2 regions (``nuts_id, country, name, nuts_version``) for names.

    Returns
    -------
    pandas.DataFrame
        One row per ``geo`` and ``time`` with ``rate_<group>``, ``flag_<group>``,
        ``gap_<group>`` and ``gap_flag_<group>`` (foreign-born groups, pp against TOTAL),
        ``country``, ``name``, ``nuts_version``. Groups absent from the input get NaN columns.
    """
    keep = pd.Series(True, index=tidy.index)
    for col, code in (("unit", "PC"), ("sex", "T"), ("age", "Y15-64")):
        if col in tidy:
            keep &= tidy[col] == code
    data = tidy.loc[keep, ["c_birth", "geo", "time", "value", "flag"]]
    if data.duplicated(["c_birth", "geo", "time"]).any():
        raise ValueError("several rows for one region, year and country of birth")
    out = data[["geo", "time"]].drop_duplicates().sort_values(["geo", "time"]).reset_index(drop=True)
    for group in GROUPS:
        part = data[data["c_birth"] == group].rename(columns={"value": f"rate_{group}",
                                                               "flag": f"flag_{group}"})
        out = out.merge(part.drop(columns="c_birth"), on=["geo", "time"], how="left")
        out[f"flag_{group}"] = out[f"flag_{group}"].fillna("").astype(str)
    for group in FOREIGN_GROUPS:
        both = out[f"rate_{group}"].notna() & out["rate_TOTAL"].notna()
        out[f"gap_{group}"] = (out[f"rate_{group}"] - out["rate_TOTAL"]).where(both).round(2)
        out[f"gap_flag_{group}"] = merge_flags(out[f"flag_{group}"], out["flag_TOTAL"]).where(both, "")
    out["country"] = out["geo"].str[:2]
    if regions is not None:
        names = regions.set_index("nuts_id")
        out["name"] = out["geo"].map(names["name"])
        out["nuts_version"] = out["geo"].map(names["nuts_version"]).fillna(
            "code discontinued before NUTS 2021")
    else:
        out["name"] = pd.NA
        out["nuts_version"] = pd.NA
    out["name"] = out["name"].fillna(out["geo"] + " (former code)")
    out["country_name"] = out["country"].map(_safe_country_name)
    return out


def _safe_country_name(code: str) -> str:
    try:
        return country_name(code)
    except UnknownCountryError:
        return code


def nuts_recode_table(nuts2021: gpd.GeoDataFrame, nuts2024: gpd.GeoDataFrame,
                      min_share: float = RECODE_MIN_SHARE) -> pd.DataFrame:
    """Correspondence of NUTS-2 regions between the 2021 and 2024 versions.

    A code present in both versions is taken as the same region (NUTS rules give a
    region a new code when its boundaries change materially). Codes present in only
    one version are linked through their polygon overlaps: a pair is kept when the
    overlap is at least ``min_share`` of either region's area. Overlaps are computed
    only among changed codes, because the two geometries come at different scales
    (1:60M and 1:20M) and unchanged regions would show spurious slivers.

    Parameters
    ----------
    nuts2021, nuts2024 : geopandas.GeoDataFrame
        Level-2 regions (``nuts_id, name, geometry``), any CRS.
    min_share : float
        Minimum overlap, as a share of either region's area, for a link.

    Returns
    -------
    pandas.DataFrame
        ``nuts2021, name2021, nuts2024, name2024, share_of_2021, share_of_2024, relation``.
        ``relation`` is ``unchanged`` (same code), ``recoded`` (one-to-one link between
        a discontinued and a new code), ``split/merged`` (a changed region linked to
        more than one region of the other version), ``not in NUTS 2024`` (no
        counterpart, e.g. the UK) or ``new in NUTS 2024`` (e.g. BA, XK). Shares are
        NaN for ``unchanged`` rows.
    """
    a = nuts2021[["nuts_id", "name", "geometry"]].to_crs(3035).rename(
        columns={"nuts_id": "nuts2021", "name": "name2021"})
    b = nuts2024[["nuts_id", "name", "geometry"]].to_crs(3035).rename(
        columns={"nuts_id": "nuts2024", "name": "name2024"})
    same = sorted(set(a["nuts2021"]) & set(b["nuts2024"]))
    unchanged = pd.DataFrame({"nuts2021": same}).merge(
        pd.DataFrame(a[["nuts2021", "name2021"]]), on="nuts2021").merge(
        pd.DataFrame(b[["nuts2024", "name2024"]]), left_on="nuts2021", right_on="nuts2024")
    unchanged = unchanged.assign(share_of_2021=np.nan, share_of_2024=np.nan, relation="unchanged")
    a = a[~a["nuts2021"].isin(same)].copy()
    b = b[~b["nuts2024"].isin(same)].copy()
    a["area2021"] = a.area
    b["area2024"] = b.area
    pairs = gpd.overlay(a, b, how="intersection", keep_geom_type=True) if len(a) and len(b) else \
        gpd.GeoDataFrame(columns=["nuts2021", "name2021", "nuts2024", "name2024", "area2021", "area2024",
                                  "geometry"], geometry="geometry", crs=3035)
    pairs["share_of_2021"] = (pairs.area / pairs["area2021"].astype(float)).round(4)
    pairs["share_of_2024"] = (pairs.area / pairs["area2024"].astype(float)).round(4)
    pairs = pairs[(pairs["share_of_2021"] >= min_share) | (pairs["share_of_2024"] >= min_share)]
    pairs = pd.DataFrame(pairs[["nuts2021", "name2021", "nuts2024", "name2024",
                                "share_of_2021", "share_of_2024"]])
    n_a = pairs.groupby("nuts2021")["nuts2024"].transform("size")
    n_b = pairs.groupby("nuts2024")["nuts2021"].transform("size")
    pairs["relation"] = np.where((n_a == 1) & (n_b == 1), "recoded", "split/merged")
    gone = pd.DataFrame(a.loc[~a["nuts2021"].isin(pairs["nuts2021"]), ["nuts2021", "name2021"]])
    gone = gone.assign(nuts2024=None, name2024=None, share_of_2021=np.nan, share_of_2024=np.nan,
                       relation="not in NUTS 2024")
    new = pd.DataFrame(b.loc[~b["nuts2024"].isin(pairs["nuts2024"]), ["nuts2024", "name2024"]])
    new = new.assign(nuts2021=None, name2021=None, share_of_2021=np.nan, share_of_2024=np.nan,
                     relation="new in NUTS 2024")
    out = pd.concat([unchanged, pairs, gone, new], ignore_index=True)
    out = out[["nuts2021", "name2021", "nuts2024", "name2024", "share_of_2021", "share_of_2024", "relation"]]
    return out.sort_values(["nuts2021", "nuts2024"], na_position="last").reset_index(drop=True)


def one_to_one(recode: pd.DataFrame) -> dict[str, str]:
    """NUTS 2024 code -> NUTS 2021 code, for one-to-one pairs only (unchanged or recoded)."""
    ok = recode[recode["relation"].isin(["unchanged", "recoded"])]
    return dict(zip(ok["nuts2024"], ok["nuts2021"]))


def indicator_table(unemployment: pd.DataFrame, population_trend: pd.DataFrame,
                    recode: pd.DataFrame) -> pd.DataFrame:
    """Regional indicators on NUTS 2021 codes: unemployment rates and gaps plus foreign-born share.

    Parameters
    ----------
    unemployment : pandas.DataFrame
        Output of :func:`unemployment_wide`.
    population_trend : pandas.DataFrame
        European Locals trend (``geo`` in NUTS 2024, ``year``, ``foreign_born_share`` in %).
    recode : pandas.DataFrame
        Output of :func:`nuts_recode_table`.

    Returns
    -------
    pandas.DataFrame
        ``unemployment`` with ``foreign_born_share`` and ``fb_share_geo24`` added; the
        share is NaN where the region has no one-to-one NUTS 2024 counterpart or the
        compilation has no value for the year.
    """
    mapping = one_to_one(recode)
    pop = population_trend[population_trend["geo"].isin(mapping)].copy()
    pop["fb_share_geo24"] = pop["geo"]
    pop["geo"] = pop["geo"].map(mapping)
    pop = pop.rename(columns={"year": "time"})[["geo", "time", "foreign_born_share", "fb_share_geo24"]]
    out = unemployment.merge(pop, on=["geo", "time"], how="left")
    return out


def national_gap_table(ergan: pd.DataFrame, urgan: pd.DataFrame) -> pd.DataFrame:
    """Employment and unemployment rates of nationals and foreign citizens, and their gaps.

    Parameters
    ----------
    ergan, urgan : pandas.DataFrame
        Tidy ``lfsa_ergan`` and ``lfsa_urgan`` (``unit, sex, age, citizen, geo, time, value, flag``).

    Returns
    -------
    pandas.DataFrame
        One row per ``geo`` and ``time`` (sex T, age Y15-64): ``emp_<c>``, ``emp_flag_<c>``,
        ``unemp_<c>``, ``unemp_flag_<c>`` for c in NAT, FOR, TOTAL; ``emp_gap`` and
        ``unemp_gap`` (FOR − NAT, pp) with ``*_gap_flag``; ``country_name``.
    """
    frames = []
    for prefix, tidy in (("emp", ergan), ("unemp", urgan)):
        d = tidy[(tidy["sex"] == "T") & (tidy["age"] == "Y15-64")]
        if "unit" in d:
            d = d[d["unit"] == "PC"]
        value = d.pivot(index=["geo", "time"], columns="citizen", values="value")
        flag = d.pivot(index=["geo", "time"], columns="citizen", values="flag")
        wide = pd.DataFrame(index=value.index)
        for c in ("NAT", "FOR", "TOTAL"):
            wide[f"{prefix}_{c}"] = value[c] if c in value else np.nan
            wide[f"{prefix}_flag_{c}"] = flag[c].fillna("") if c in flag else ""
        both = wide[f"{prefix}_FOR"].notna() & wide[f"{prefix}_NAT"].notna()
        wide[f"{prefix}_gap"] = (wide[f"{prefix}_FOR"] - wide[f"{prefix}_NAT"]).where(both).round(2)
        wide[f"{prefix}_gap_flag"] = merge_flags(wide[f"{prefix}_flag_FOR"],
                                                 wide[f"{prefix}_flag_NAT"]).where(both, "")
        frames.append(wide)
    out = frames[0].join(frames[1], how="outer").reset_index()
    for col in [c for c in out.columns if "flag" in c]:
        out[col] = out[col].fillna("").astype(str)
    out["country_name"] = out["geo"].map(_safe_country_name)
    return out.sort_values(["geo", "time"]).reset_index(drop=True)


@step("regional", inputs=["eurostat_lfst_r_lfur2gac", "eurostat_lfsa_ergan", "eurostat_lfsa_urgan",
                          "gisco_nuts2021_60m_levl2", "gisco_nuts2024_20m", "europe_locals_nuts2_2023"],
      outputs=["regional_unemployment", "nuts2021_2024_recode", "regional_indicators", "national_gaps"])
def regional(sources):
    from inclusion_evidence.ingest.readers.eurostat import read_eurostat
    from inclusion_evidence.ingest.readers.gisco import read_nuts
    from inclusion_evidence.ingest.readers.regional import read_europe_locals

    # Load
    lfur = read_eurostat(sources["eurostat_lfst_r_lfur2gac"])
    ergan = read_eurostat(sources["eurostat_lfsa_ergan"])
    urgan = read_eurostat(sources["eurostat_lfsa_urgan"])
    nuts2021 = read_nuts(sources["gisco_nuts2021_60m_levl2"], 2, "NUTS 2021")
    nuts2024 = read_nuts(sources["gisco_nuts2024_20m"], 2, "NUTS 2024")
    trend = read_europe_locals(sources["europe_locals_nuts2_2023"]).trend
    # Process
    unemployment = unemployment_wide(lfur, nuts2021)
    recode = nuts_recode_table(nuts2021, nuts2024)
    indicators = indicator_table(unemployment, trend, recode)
    national = national_gap_table(ergan, urgan)
    for frame in (unemployment, recode, indicators, national):
        frame.attrs.clear()
    return {"regional_unemployment": unemployment, "nuts2021_2024_recode": recode,
            "regional_indicators": indicators, "national_gaps": national}
