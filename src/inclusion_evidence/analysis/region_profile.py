"""One NUTS-2 region's evidence on one page: chapter 5's tables and functions, called for one region.

Nothing here computes an indicator of its own. The numbers come from the
processed tables of :mod:`inclusion_evidence.steps.regional`:

* the unemployment rates by country of birth (Eurostat ``lfst_r_lfur2gac``,
  ages 15-64) and the gap of a foreign-born group against the **total** (the
  extract has no native-born group; see :mod:`.regional`), from
  ``regional_unemployment``, with their Eurostat flags;
* the comparison with the region's country and the EU-27: the extract holds
  NUTS-2 regions only, no national or EU-27 rate by country of birth, so the
  region's gap is set beside the median of the regional gaps of its country and
  of the EU-27, year by year, from :func:`.regional.gap_distribution_by_year`
  (chapter 5's figure of the regional gaps over time);
* the foreign-born share of the LFS population aged 15+ (European Locals
  compilation, carried to NUTS 2021 where the recoding is one-to-one), from
  ``regional_indicators``.

Every function returns a frame or a dict; a value the data lack is missing
(NaN), so the page can say so plainly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inclusion_evidence.analysis import regional as R
from inclusion_evidence.core.geo_codes import EU27, OUTERMOST_NUTS2, country_name

#: The groups of the regional extract shown on a page, in the legend's order.
RATE_GROUPS = ("FOR", "NEU27_2020_FOR", "TOTAL")
def median_label(place: str) -> str:
    """The legend's name of the median of a place's regions: "Median of regions, Spain"."""
    return f"Median of regions, {place}"


RATE_LABELS = {"FOR": "Foreign-born", "NEU27_2020_FOR": "Born outside the EU", "EU27_2020_FOR":
               "Born in another EU country", "TOTAL": "Whole population"}


def region_info(unemployment: pd.DataFrame, geo: str) -> dict:
    """Name, country and NUTS version of the NUTS-2 region ``geo`` of ``regional_unemployment``.

    Raises ``ValueError`` naming the code when it is not a NUTS-2 code the table holds.
    """
    code = str(geo)
    rows = unemployment[unemployment["geo"] == code]
    if len(code) != 4 or rows.empty:
        raise ValueError(f"region profile: {code!r} is not a NUTS-2 region of the regional table "
                         "(regional_unemployment), e.g. BE10, DE30, ES51")
    first = rows.iloc[0]
    return {"geo": code, "name": str(first["name"]), "country": str(first["country"]),
            "country_name": country_name(str(first["country"])), "nuts_version": str(first["nuts_version"])}


def rate_trend(unemployment: pd.DataFrame, geo: str, groups=RATE_GROUPS) -> pd.DataFrame:
    """The region's unemployment rates by country of birth, one row per group and year.

    Returns ``time``, ``group`` (code), ``series`` (:data:`RATE_LABELS`),
    ``rate`` (%), ``flag`` (Eurostat's flags: ``u`` low reliability, ``b`` break
    in series, ``d`` definition differs); only the years with a value.
    """
    own = unemployment[unemployment["geo"] == geo].sort_values("time")
    parts = [pd.DataFrame({"time": own["time"].astype(int), "group": g, "series": RATE_LABELS.get(g, g),
                           "rate": own[f"rate_{g}"], "flag": own[f"flag_{g}"].fillna("").astype(str)})
             for g in groups if f"rate_{g}" in own]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["time", "group", "series", "rate", "flag"])
    return out.dropna(subset=["rate"]).reset_index(drop=True)


def gap_beside(unemployment: pd.DataFrame, geo: str, group: str = "FOR") -> pd.DataFrame:
    """The region's gap (group − total, pp) by year beside the median regional gap of its country and the EU-27.

    The medians are :func:`.regional.gap_distribution_by_year` over the country's
    regions and over the EU-27's (unweighted, whichever regions have a gap that
    year: a description of the regions, not a national or EU aggregate).

    Returns ``time``, ``series`` (the region's name, :func:`median_label` of
    the country's name and of "EU-27"), ``gap``, ``flag`` (the region's gap
    flags; empty for the medians), ``n_regions`` (regions behind a median).
    """
    info = region_info(unemployment, geo)
    gap_col, flag_col = R.gap_columns(group)
    own = unemployment[(unemployment["geo"] == geo)].dropna(subset=[gap_col])
    rows = [pd.DataFrame({"time": own["time"].astype(int), "series": info["name"], "gap": own[gap_col],
                          "flag": own[flag_col].fillna("").astype(str), "n_regions": 1})]
    prefix = unemployment["geo"].astype(str).str[:2]
    for label, part in ((median_label(info["country_name"]), unemployment[prefix == info["country"]]),
                        (median_label("EU-27"), unemployment[prefix.isin(EU27)])):
        dist = R.gap_distribution_by_year(part, group)
        rows.append(pd.DataFrame({"time": dist["time"].astype(int), "series": label, "gap": dist["median"],
                                  "flag": "", "n_regions": dist["n_regions"].astype(int)}))
    out = pd.concat(rows, ignore_index=True)
    return out[out["time"].isin(own["time"])].reset_index(drop=True)   # the years the region has a gap


def latest_and_change(trend: pd.DataFrame, series: str, value: str, *, span: int = 10) -> dict:
    """The latest ``value`` of ``series`` and its change since about ``span`` years before.

    The base is the earliest year at least ``span`` years back that has a value,
    else the earliest year (``base_year`` None when only one year has a value).
    """
    own = trend[trend["series"] == series].dropna(subset=[value]).sort_values("time")
    if own.empty:
        return {"year": None, "value": np.nan, "flag": "", "base_year": None, "base": np.nan, "change": np.nan}
    last = own.iloc[-1]
    earlier = own[own["time"] <= int(last["time"]) - span]
    base = (earlier.iloc[-1] if len(earlier) else own.iloc[0]) if len(own) > 1 else None
    return {"year": int(last["time"]), "value": float(last[value]), "flag": str(last.get("flag", "") or ""),
            "base_year": int(base["time"]) if base is not None else None,
            "base": float(base[value]) if base is not None else np.nan,
            "change": round(float(last[value] - base[value]), 2) if base is not None else np.nan}


def share_trend(indicators: pd.DataFrame, geo: str) -> pd.DataFrame:
    """The region's foreign-born share (% of the LFS population aged 15+) by year, beside its country's regions.

    Returns ``time``, ``series`` (the region's name, :func:`median_label` of the
    country's name), ``share``, ``n_regions``, and ``rank`` / ``of`` (the region's
    place among its country's regions with a share that year, 1 = highest) on
    the region's rows; empty when ``regional_indicators`` has no share for it.
    """
    info = region_info(indicators, geo)
    have = indicators.dropna(subset=["foreign_born_share"])
    country = have[have["geo"].astype(str).str[:2] == info["country"]]
    own = country[country["geo"] == geo]
    cols = ["time", "series", "share", "n_regions", "rank", "of"]
    if own.empty:
        return pd.DataFrame(columns=cols)
    ranks = country.groupby("time")["foreign_born_share"].rank(ascending=False, method="min")
    mine = pd.DataFrame({"time": own["time"].astype(int), "series": info["name"],
                         "share": own["foreign_born_share"], "n_regions": 1,
                         "rank": ranks.loc[own.index].astype(int),
                         "of": own["time"].map(country.groupby("time")["geo"].nunique()).astype(int)})
    med = country[country["time"].isin(own["time"])].groupby("time")["foreign_born_share"].agg(["median", "size"])
    others = pd.DataFrame({"time": med.index.astype(int), "series": median_label(info["country_name"]),
                           "share": med["median"].round(2).to_numpy(), "n_regions": med["size"].to_numpy(),
                           "rank": pd.NA, "of": pd.NA})
    return pd.concat([mine.sort_values("time"), others], ignore_index=True)[cols]   # the region first


def locator_frame(regions, geo: str, country: str):
    """The country's NUTS-2 polygons with ``role`` "This region" / "Other regions", and the map's limits.

    Returns ``(frame, limits)`` with ``limits = (x0, x1, y0, y1)`` in EPSG:3035:
    the country's frame (outermost regions left out, :func:`.profile.country_frame`),
    or the region's own frame when it is an outermost region; ``(empty, None)``
    when the geometry has no polygon for ``geo`` (a code discontinued before NUTS 2021).
    """
    from inclusion_evidence.analysis.profile import country_frame

    shapes = regions[regions["nuts_id"].astype(str).str[:2] == country].to_crs(3035)
    if not (shapes["nuts_id"] == geo).any():
        return shapes.iloc[0:0], None
    frame = shapes.assign(role=np.where(shapes["nuts_id"] == geo, "This region", "Other regions"))
    if geo not in OUTERMOST_NUTS2:
        return frame, country_frame(frame)
    x0, y0, x1, y1 = frame[frame["nuts_id"] == geo].total_bounds     # an island far from the mainland
    pad = max(x1 - x0, y1 - y0) * 0.25
    return frame, (float(x0 - pad), float(x1 + pad), float(y0 - pad), float(y1 + pad))
