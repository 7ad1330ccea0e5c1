"""A country's evidence on one page: the chapters' own computations, called for one country.

Nothing here computes an indicator of its own. Each function selects the
country's rows (and the EU-27's) from what a chapter's function returns:

* population: :func:`.culture.foreign_population_shares` (shares of the World
  Bank population), year by year; for the EU-27 the same function is given the
  sum of the member states' populations as the ``EU27_2020`` row;
* core integration indicators: :func:`.overview.core_indicators` and
  :func:`.overview.beside_eu27`;
* the NUTS-2 unemployment gap: :func:`.regional.year_slice`,
  :func:`.regional.attach_geometry`, :func:`.regional.gap_summary`;
* MIPEX: the ``mipex_strands`` scores and :func:`.common.mipex_strands_wide`
  (the EU-27 median is the median of that table's member-state rows);
* ILGA-Europe: :func:`inclusion_evidence.ingest.readers.lgbti.ilga_category_counts`;
* asylum: :func:`.children.asylum_rates` and :func:`.children.eu_applicants_trend`;
  unaccompanied minors: :func:`.children.uam_eurostat_summary` when
  ``migr_asyunaa`` has rows, else the news-release table ``uam_2015_2016``;
* money: :func:`.funding.amif_payments`, :func:`.funding.period_summary`,
  :func:`.funding.esif_country_shares`, :func:`.funding.denominators`;
* members: the Action Plan's member list and the Eurocities table.

Every function returns a frame or a dict; a value the data lack is missing
(NaN) and comes with the reason, so the page can say so plainly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis import children, culture, funding, overview
from inclusion_evidence.analysis import regional as R
from inclusion_evidence.analysis.common import mipex_strands_wide, name_of
from inclusion_evidence.core.flags import with_reliability
from inclusion_evidence.core.geo_codes import EU27, OUTERMOST_NUTS2, country_of

EU = "EU27_2020"
#: MIPEX's EU edition (2020-2024 workbook) starts in 2020: a break in the series.
MIPEX_BREAK = (2020, "MIPEX EU edition from 2020")
MIPEX_OVERALL = "overall_with_health"
MIPEX_STRANDS = ("labour_market_mobility", "family_reunion", "education", "health", "political_participation",
                 "permanent_residence", "access_to_nationality", "anti_discrimination")
#: Member states outside AMIF: Denmark does not take part in it (Protocol 22 to the Treaties).
AMIF_OPT_OUT = {"DK": "Denmark does not take part in the Asylum, Migration and Integration Fund (it opted out "
                      "under Protocol 22 to the Treaties): the small amounts the EU budget records against Denmark "
                      "are shown as recorded and are not comparable with the other member states' payments."}


def value_text(value, fmt: str = "{:,.1f}", flag: object = "", missing: str = "no data") -> str:
    """A number as the page writes it (with "(low reliability)" for a ``u`` flag), or ``missing``."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return missing
    return with_reliability(fmt.format(value), flag)


def _check_geo(geo: str) -> str:
    if country_of(geo) != geo:
        raise ValueError(f"profile: {geo!r} is not a Eurostat country code (e.g. AT, EL, NO)")
    return geo


# --------------------------------------------------------------------------- population

def eu27_population(population: pd.DataFrame) -> pd.DataFrame:
    """The World Bank table with an ``EU27_2020`` row per year: the sum of the 27 member states.

    A year gets the row only when all 27 member states have a population.
    """
    members = population[population["geo"].isin(EU27)].dropna(subset=["population"])
    sums = members.groupby("year").agg(population=("population", "sum"), n=("geo", "nunique"))
    sums = sums[sums["n"] == len(EU27)].reset_index()
    rows = pd.DataFrame({"geo": EU, "country": "EU-27", "year": sums["year"], "population": sums["population"]})
    return pd.concat([population, rows], ignore_index=True)


def population_trend(born: pd.DataFrame, citizens: pd.DataFrame, population: pd.DataFrame,
                     geo: str) -> pd.DataFrame:
    """Foreign-born and foreign-citizen residents of ``geo`` and of the EU-27: number and share, by year.

    Returns
    -------
    pandas.DataFrame
        ``geo`` (the country or ``EU27_2020``), ``year``, ``group`` (Foreign-born,
        Foreign citizens), ``number``, ``share`` (% of the population), ``flag``;
        years in which :func:`.culture.foreign_population_shares` has a row.
    """
    _check_geo(geo)
    pop = eu27_population(population)
    rows = []
    years = sorted(set(born["time"]) | set(citizens["time"]))
    for year in years:
        try:
            shares = culture.foreign_population_shares(born, citizens, pop, int(year))
        except ValueError:      # no count with a population that year
            continue
        for _, r in shares[shares["geo"].isin([geo, EU])].iterrows():
            rows.append({"geo": r["geo"], "year": int(year), "group": "Foreign-born", "number": r["foreign_born"],
                         "share": r["foreign_born_share"], "flag": r["flag_born"]})
            rows.append({"geo": r["geo"], "year": int(year), "group": "Foreign citizens",
                         "number": r["foreign_citizens"], "share": r["foreign_citizen_share"],
                         "flag": r["flag_citizens"]})
    out = pd.DataFrame(rows, columns=["geo", "year", "group", "number", "share", "flag"])
    out["flag"] = out["flag"].fillna("").astype(str)
    return out.dropna(subset=["number"]).sort_values(["geo", "group", "year"]).reset_index(drop=True)


def latest_pair(trend: pd.DataFrame, geo: str, group: str, value: str = "share") -> dict:
    """The country's latest ``value`` of ``group`` and the EU-27's in the same year (NaN when absent)."""
    own = trend[(trend["geo"] == geo) & (trend["group"] == group)].dropna(subset=[value])
    if own.empty:
        return {"year": None, "value": np.nan, "flag": "", "eu27": np.nan}
    last = own.iloc[-1]
    eu = trend[(trend["geo"] == EU) & (trend["group"] == group) & (trend["year"] == last["year"])]
    return {"year": int(last["year"]), "value": float(last[value]), "flag": str(last["flag"]),
            "eu27": float(eu[value].iloc[0]) if len(eu) and pd.notna(eu[value].iloc[0]) else np.nan}


# --------------------------------------------------------------------------- core indicators

def core_beside_eu27(geo: str, tables: dict | None = None) -> pd.DataFrame:
    """The core integration indicators of ``geo`` with the EU-27's beside them (:func:`.overview.beside_eu27`)."""
    _check_geo(geo)
    long = overview.core_indicators(tables, geos=[geo, EU])
    return overview.beside_eu27(long, geo)


# --------------------------------------------------------------------------- regions

def regional_year(unemployment: pd.DataFrame, geo: str, group: str = "FOR") -> int | None:
    """The latest year in which the country's regions have the gap of ``group`` (most regions covered)."""
    own = unemployment[unemployment["geo"].astype(str).str[:2] == geo]
    if own[f"gap_{group}"].notna().sum() == 0:
        return None
    return R.latest_covered_year(own, f"gap_{group}")


def regional_gaps(unemployment: pd.DataFrame, regions, geo: str, year: int, group: str = "FOR"):
    """The country's NUTS-2 regions with the unemployment gap of ``group`` in ``year``.

    Returns ``(frame, summary, eu27_summary)``: the regions of ``geo`` with
    their geometry (no data kept), :func:`.regional.gap_summary` of the country
    and of all EU-27 regions the same year.
    """
    _check_geo(geo)
    whole = R.year_slice(unemployment, year, group)
    own = whole[whole["geo"].astype(str).str[:2] == geo]
    eu = whole[whole["geo"].astype(str).str[:2].isin(EU27)]
    shapes = regions[regions["nuts_id"].astype(str).str[:2] == geo]
    frame = R.attach_geometry(shapes, own)
    return frame, R.gap_summary(own), R.gap_summary(eu)


def country_frame(regions, margin: float = 0.06) -> tuple[float, float, float, float]:
    """Map limits ``(x0, x1, y0, y1)`` in EPSG:3035 around the regions, outermost regions left out."""
    shapes = regions.to_crs(3035)
    shapes = shapes[~shapes["nuts_id"].isin(OUTERMOST_NUTS2)] if "nuts_id" in shapes else shapes
    x0, y0, x1, y1 = shapes.total_bounds
    pad = max(x1 - x0, y1 - y0) * margin
    return float(x0 - pad), float(x1 + pad), float(y0 - pad), float(y1 + pad)


# --------------------------------------------------------------------------- policy

def mipex_profile(strands: pd.DataFrame, geo: str, *, names: Sequence[str] = MIPEX_STRANDS,
                  year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """MIPEX scores of ``geo`` against the EU-27 median.

    Returns ``(latest, trend)``: ``latest`` has one row per strand of ``names``
    for the latest year (or ``year``) with the country's scores (``strand``,
    ``year``, ``score``, ``eu27_median``, ``n_eu``); ``trend`` has ``year``,
    ``series`` (the country's name, "EU-27 median") and ``score`` of the
    overall score (:data:`MIPEX_OVERALL`), every year it is scored.
    """
    _check_geo(geo)
    own = strands[(strands["country"] == geo) & strands["strand"].isin([*names, MIPEX_OVERALL])]
    years = sorted(own["year"].unique())
    if year is None:
        year = int(years[-1]) if years else None
    latest = pd.DataFrame(columns=["strand", "year", "score", "eu27_median", "n_eu"])
    if year is not None:
        wide = mipex_strands_wide(strands, [*names, MIPEX_OVERALL], year)
        mine = own[own["year"] == year].set_index("strand")["score"]
        latest = pd.DataFrame({"strand": [*names, MIPEX_OVERALL], "year": year})
        latest["score"] = latest["strand"].map(mine).astype(float)
        latest["eu27_median"] = latest["strand"].map(wide[[*names, MIPEX_OVERALL]].median()).astype(float)
        latest["n_eu"] = len(wide)
    rows = []
    overall = strands[strands["strand"] == MIPEX_OVERALL]
    for y in sorted(overall["year"].unique()):
        try:
            wide = mipex_strands_wide(strands, [MIPEX_OVERALL], int(y))
        except ValueError:
            continue
        rows.append({"year": int(y), "series": "EU-27 median", "score": float(wide[MIPEX_OVERALL].median())})
        mine = overall[(overall["year"] == y) & (overall["country"] == geo)]["score"]
        if len(mine):
            rows.append({"year": int(y), "series": name_of(geo), "score": float(mine.iloc[0])})
    return latest, pd.DataFrame(rows, columns=["year", "series", "score"])


def ilga_profile(counts: pd.DataFrame, geo: str, category: str = "asylum") -> dict:
    """ILGA-Europe criteria of ``category`` met by ``geo``, with the EU-27 median (of member states)."""
    _check_geo(geo)
    part = counts[counts["category"] == category]
    own = part[part["geo"] == geo]
    eu = part[part["geo"].isin(EU27)]
    return {"met": float(own["met"].iloc[0]) if len(own) else np.nan,
            "total": int(part["total"].max()) if len(part) else 0,
            "regional_only": float(own["regional_only"].iloc[0]) if len(own) else np.nan,
            "eu27_median": float(eu["met"].median()) if len(eu) else np.nan, "n_eu": int(eu["geo"].nunique())}


# --------------------------------------------------------------------------- asylum

def asylum_trend(asylum: pd.DataFrame, population: pd.DataFrame, geo: str, *, start: int = 2008,
                 end: int = 2024) -> pd.DataFrame:
    """Asylum applicants per 100 000 residents of ``geo`` and of the EU-27 by year.

    Returns ``series`` (country name, "EU-27"), ``time``, ``applicants``,
    ``per_100k``, ``flag`` (the EU-27 is the sum of the member states reporting,
    with a rate only in years all of them have a population).
    """
    _check_geo(geo)
    rates = children.asylum_rates(asylum, population, start=start, end=end)
    own = rates[rates["geo"] == geo].assign(series=name_of(geo))
    eu = children.eu_applicants_trend(rates).assign(series="EU-27", flag="")
    cols = ["series", "time", "applicants", "per_100k", "flag"]
    return pd.concat([own[cols], eu[cols]], ignore_index=True)


def unaccompanied_minors(unaa: pd.DataFrame, release: pd.DataFrame, geo: str) -> tuple[pd.DataFrame, str]:
    """Unaccompanied minors applying for asylum in ``geo``: ``(frame, source_id)``.

    From ``migr_asyunaa`` (:func:`.children.uam_eurostat_summary`) when it has
    rows, else from the 2015 and 2016 counts of Eurostat news release 80/2017
    (``uam_2015_2016``), with the EU row of that table beside them. ``frame``
    has ``series``, ``time``, ``value``; empty when the country is in neither.
    ``source_id`` is the catalogue id of the file used, for the source line.
    """
    _check_geo(geo)
    if len(unaa):
        years = unaa["time"]
        summary = children.uam_eurostat_summary(unaa, start=int(years.min()), end=int(years.max()))
        own = summary["by_state"][summary["by_state"]["geo"] == geo]
        out = pd.concat([own.assign(series=name_of(geo))[["series", "time", "value"]],
                         summary["eu_trend"].assign(series="EU-27")[["series", "time", "value"]]], ignore_index=True)
        return (out if len(own) else out.iloc[0:0]), "eurostat_migr_asyunaa"
    rows = []
    eu = release[release["geo"].astype(str).str.startswith("EU")]
    for label, part in ((name_of(geo), release[release["geo"] == geo]),
                        (str(eu["country"].iloc[0]) if len(eu) else "EU", eu)):
        if len(part):
            for year in (2015, 2016):
                value = pd.to_numeric(part[f"uam_{year}"], errors="coerce").astype(float).iloc[0]
                if pd.notna(value):     # a country the release lists without a count for that year
                    rows.append({"series": label, "time": year, "value": float(value)})
    out = pd.DataFrame(rows, columns=["series", "time", "value"])
    if not (out["series"] == name_of(geo)).any():
        out = out.iloc[0:0]
    return out, "uam_news_release_2017"


# --------------------------------------------------------------------------- money

def amif_per_citizen(budget: pd.DataFrame, citizens: pd.DataFrame, geo: str,
                     period: str = "2014-2020") -> dict:
    """AMIF payments over ``period`` per non-EU citizen (or per foreign citizen, if that is all the table has).

    The country's figure and the EU-27's (the payments of the 27 member states
    summed, over Eurostat's EU-27 count) come from :func:`.funding.period_summary`.
    Returns ``value``, ``eur_million``, ``eu27``, ``group`` (the denominator's
    words), ``years``, ``opt_out`` (a sentence, or "").
    """
    _check_geo(geo)
    group_code = "NEU27_2020_FOR" if (citizens["citizen"] == "NEU27_2020_FOR").any() else "FOR_STLS"
    group = "non-EU citizen" if group_code == "NEU27_2020_FOR" else "foreign citizen (EU and non-EU)"
    denom = (citizens[citizens["citizen"] == group_code]
             .rename(columns={"time": "year", "value": "denominator"})[["geo", "year", "denominator"]].dropna())
    payments = funding.amif_payments(budget, period)
    eu_pay = (payments[payments["geo"].isin(EU27)].groupby(["year", "programme"], as_index=False)["eur_million"]
              .sum(min_count=1).assign(geo=EU, country="EU-27"))
    how = "per_citizen"
    mine = payments[payments["geo"] == geo]
    # a country outside AMIF (EFTA, candidates) has no payment: no row, said plainly by the page
    own = funding.period_summary(mine, how, denom) if len(mine) else mine.iloc[0:0].assign(value=np.nan)
    eu = funding.period_summary(eu_pay, how, denom)
    _, y0, y1 = funding.period_years(period)
    return {"value": float(own["value"].iloc[0]) if len(own) else np.nan,
            "eur_million": float(own["eur_million"].iloc[0]) if len(own) else np.nan,
            "eu27": float(eu["value"].iloc[0]) if len(eu) else np.nan,
            "group": group, "years": f"{y0}-{y1}", "opt_out": AMIF_OPT_OUT.get(geo, "")}


def esif_to9_per_head(esif: pd.DataFrame, population: pd.DataFrame, geo: str, *, years=(2014, 2020)) -> dict:
    """ESIF 2014-2020 planned for thematic objective 9 (social inclusion) per resident of ``geo`` and of the EU-27.

    Amounts from :func:`.funding.esif_country_shares` (EU amount, all funds);
    residents from :func:`.funding.denominators` (``per_capita``), averaged over
    the programming years; the EU-27 figure is the member states' sum over their
    summed population.
    """
    _check_geo(geo)
    shares = funding.esif_country_shares(esif, ["09"])
    denom = funding.denominators("per_capita", population=population)
    denom = denom[denom["year"].between(*years)].groupby("geo")["denominator"].mean()
    own = shares[shares["geo"] == geo]
    value = float(own["eur_m"].iloc[0] * 1e6 / denom[geo]) if len(own) and geo in denom else np.nan
    eu = shares[shares["geo"].isin(EU27)]
    eu_pop = denom.reindex(eu["geo"]).sum(min_count=len(eu))
    eu27 = float(eu["eur_m"].sum() * 1e6 / eu_pop) if len(eu) and pd.notna(eu_pop) else np.nan
    return {"value": value, "eur_m": float(own["eur_m"].iloc[0]) if len(own) else np.nan,
            "share": float(own["share"].iloc[0]) if len(own) else np.nan, "eu27": eu27,
            "n_eu": int(eu["geo"].nunique())}


# --------------------------------------------------------------------------- members

def members_in(members: pd.DataFrame, eurocities: pd.DataFrame, geo: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Partnership's members based in ``geo`` and the Eurocities members there."""
    _check_geo(geo)
    own = members[members["country"] == geo][["name", "type_label", "phases"]].copy()
    own["phases"] = own["phases"].map(", ".join)
    cities = eurocities[eurocities["geo"] == geo][["name", "population"]].sort_values("name")
    return own.reset_index(drop=True), cities.reset_index(drop=True)
