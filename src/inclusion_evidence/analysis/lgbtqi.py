"""Chapter 4 (Action 4, LGBTQI+ migrants): ILGA-Europe Rainbow Europe criteria and the FRA LGBT(I) surveys.

Every function takes processed tables and returns a small frame ready to plot
or to glue; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.analysis.common import name_of
from inclusion_evidence.core.geo_codes import EU27

# --------------------------------------------------------------------------- ILGA

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
    # Eurostat's country names (Czechia, Türkiye), not the source's spelling
    wide = data.pivot_table(index="geo", columns="category", values=value, aggfunc="first") * 100
    wide.index = [name_of(g) for g in wide.index]
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
    outside = part[~part["geo"].isin(set(regions["nuts_id"]))][["geo", "met", "total"]]
    outside.insert(1, "country", outside["geo"].map(name_of))
    return gdf, outside.sort_values("country").reset_index(drop=True), total


def ilga_scope_summary(counts: pd.DataFrame, category: str, codes: Sequence[str] = EU27) -> dict:
    """How the countries in ``codes`` fare on one ILGA category.

    Returns
    -------
    dict
        ``n`` (countries scored), ``total`` (criteria in the category), ``none``
        and ``all`` (countries meeting none / all), ``median`` (criteria met),
        ``lowest_category`` (countries for which this category has the lowest
        share of criteria met, ties included), ``missing`` (codes not scored).
    """
    part = counts[(counts["category"] == category) & counts["geo"].isin(list(codes))]
    if part.empty:
        raise ValueError(f"no ILGA scores for {category!r} in the {len(set(codes))} countries asked")
    total = int(part["total"].max())
    shares = counts[counts["geo"].isin(list(codes))].pivot_table(index="geo", columns="category",
                                                                 values="share", aggfunc="first")
    lowest = int((shares[category] == shares.min(axis=1)).sum())
    return {"n": int(part["geo"].nunique()), "total": total, "none": int((part["met"] == 0).sum()),
            "all": int((part["met"] == total).sum()), "median": float(part["met"].median()),
            "lowest_category": lowest, "missing": sorted(set(codes) - set(part["geo"]))}


def with_context(gdf, column: str, codes: Sequence[str] = EU27, key: str = "nuts_id",
                 context: str = "context"):
    """``gdf`` with ``column`` replaced by ``context`` outside ``codes`` where it has a value.

    For category maps: countries in scope keep their category, countries
    outside it that have data are drawn as one context class, and countries
    without data stay missing ("no data").
    """
    out = gdf.copy()
    outside = ~out[key].isin(list(codes)) & out[column].notna()
    out[column] = out[column].astype(object)
    out.loc[outside, column] = context
    return out


def scope_rows(matrix: pd.DataFrame, codes: Sequence[str] = EU27,
               aggregates: Sequence[str] = ("EU-28",), suffix: str = " (context)") -> pd.DataFrame:
    """Rows of a country-by-group matrix (index: country names) in scope first, then aggregates, then context.

    Countries outside ``codes`` keep their values but their name gets
    ``suffix``, so that a figure shows them as context, apart from the scope.
    """
    names_in = {name_of(g) for g in codes}
    inside = [r for r in matrix.index if r in names_in]
    aggs = [r for r in matrix.index if r in aggregates]
    others = [r for r in matrix.index if r not in names_in and r not in aggregates]
    out = matrix.loc[inside + aggs + others].copy()
    out.index = inside + aggs + [f"{r}{suffix}" for r in others]
    out.index.name = matrix.index.name
    return out


# --------------------------------------------------------------------------- FRA

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
