# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# Parameters of this chapter (set in book/params.yml).
countries = []  # Eurostat geo codes shown in the ILGA heatmap and FRA figures; empty list: all
category = "asylum"  # ILGA Rainbow Europe category for the map
survey_item = "T1Q1"  # FRA EU-LGBTI II item (T1Q1 holding hands, T1Q2 avoiding places, T1Q5 feeling down)
mipex_year = 2023  # MIPEX anti-discrimination strand

# %% tags=["remove-input"]
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common, lgbtqi
from inclusion_evidence.analysis.synthesis_views import evidence_record, long_matrix, relations_table, scope_matrix
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.readers.lgbti import ilga_category_counts
from inclusion_evidence.ingest.synthesis import bibkeys, load_synthesis
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup
from inclusion_evidence.present.figures import glue_numbers, show_figure, show_markdown, show_table
from inclusion_evidence.present.synthesis_figures import gap_list, scope_matrix_figure

setup("action_4_lgbtqi")
parameters_note(countries=countries or "all", category=category, survey_item=survey_item, mipex_year=mipex_year)

# %% [markdown]
# # Action 4: LGBTQI+ migrants

# %% tags=["remove-input"]
at_a_glance(4)

# %% tags=["remove-input"]
s = load_synthesis("lgbtqi_networks")
matrix = scope_matrix(s)
kinds = s.rows.set_index("id")["kind"]
record = evidence_record(s, "fra2020lgbti")
glue_numbers({
    "ch4_n_aims": int((kinds == "aim").sum()),
    "ch4_n_meetings": int((kinds == "meeting").sum()),
    "ch4_n_bodies": len(s.columns),
    "ch4_n_cells": len(s.cells),
    "ch4_n_specific": int((s.cells["scope"] == "specific").sum()),
})
aim_ids = list(kinds[kinds == "aim"].index)
linked = (long_matrix(scope_matrix(s, labels=False), "strength").query("strength > 0")["element"].unique())
unlinked = [s.label("rows", i) for i in aim_ids if i not in set(linked)]
glue_numbers({
    "ch4_n_aims_unlinked": len(unlinked),
    "ch4_aims_unlinked": "; ".join(f"“{u}”" for u in unlinked),
    "ch4_fra_share": int(record["value"]) if float(record["value"]).is_integer() else float(record["value"]),
    "ch4_fra_year": str(record["year"]),
})

# %% [markdown]
# ## What the Action Plan sets out
#
# The action has {glue:text}`ch4_n_aims` numbered aims and plans {glue:text}`ch4_n_meetings`
# half-day meetings; it brings together {glue:text}`ch4_n_bodies` networks and bodies as the
# action group and the first meeting's presenters {cite:p}`actionplan2021`. The synthesis below
# relates aims and meetings to those bodies: {glue:text}`ch4_n_cells` relations, of which
# {glue:text}`ch4_n_specific` are stated specifically. {glue:text}`ch4_n_aims_unlinked` of the
# aims are tied to no named body: {glue:text}`ch4_aims_unlinked`.

# %% tags=["remove-input"]
keys = bibkeys(record)
show_markdown(
    f"The action's problem statement rests on one number from the FRA EU-LGBTI II survey "
    f"({record['year']}): **{record['value']:g}%** of LGBTQI+ respondents said they suffered discrimination "
    f"also on the grounds of their ethnic origin or immigrant background, on top of their gender "
    f"identity and/or sexual orientation {{cite:p}}`{';'.join(keys)}`. The Action Plan gives no "
    f"country breakdown or sample size for it; the survey results by country below come from FRA's "
    f"data explorer, not from that report."
)

# %% tags=["remove-input"]
fig = scope_matrix_figure(matrix, xlabel="Network or body", figsize=(9.5, 6.2))
_ = show_figure(fig, "a4-synthesis-matrix", title="Aims and meetings of Action 4, by network or body",
            source="Action Plan 2021-2022, Action 4 (synthesis file lgbtqi_networks.yml)",
            alt=("Matrix of the five aims and two meetings of Action 4 (rows) against the networks and bodies "
                 "the Action Plan names (columns); dark cells are relations stated specifically, light cells "
                 "relations that follow from a general statement."),
            data=long_matrix(matrix, "strength"),
            caption="Strength 2: the text states the relation; 1: it follows from a general statement; 0: not stated.")

# %% tags=["remove-input"]
table = relations_table(s, {"element_label": "Aim or meeting", "body_label": "Network or body",
                            "relation": "Relation", "scope": "Scope", "source": "Source"})
_ = show_table(table, "a4-synthesis-relations", title="The relations behind the matrix, with their sources",
           source="Action Plan 2021-2022, Action 4 (synthesis file lgbtqi_networks.yml)")
show_markdown(gap_list(s, "What the text does not say."))

# %% tags=["remove-input"]
ilga = read_table("ilga_rainbow")
counts = ilga_category_counts(ilga)
geometry = read_table("nuts2021_level0")
gdf, outside, total = lgbtqi.ilga_category_map(counts, category, geometry)
part = counts[counts["category"] == category]
label = lgbtqi.ILGA_LABELS[category]
glue_numbers({
    "ch4_n_ilga_countries": int(ilga["geo"].nunique()),
    "ch4_n_ilga_categories": int(ilga["category"].nunique()),
    "ch4_n_ilga_criteria": int(ilga[["category", "criterion"]].drop_duplicates().shape[0]),
    "ch4_n_regional": int(ilga["regional_only"].sum()),
    "ch4_category": label,
    "ch4_cat_total": total,
    "ch4_cat_none": int((part["met"] == 0).sum()),
    "ch4_cat_all": int((part["met"] == total).sum()),
    "ch4_cat_median": float(part["met"].median()),
    "ch4_n_outside": len(outside),
})
outside_text = ", ".join(f"{r.country} {r.met}" for r in outside.itertuples())
glue("ch4_outside", outside_text, display=False)

# %% [markdown]
# ## Law and policy: ILGA-Europe's Rainbow Europe criteria
#
# ILGA-Europe's *Rainbow Europe* map scores {glue:text}`ch4_n_ilga_countries` European countries
# on {glue:text}`ch4_n_ilga_criteria` legal and policy criteria in
# {glue:text}`ch4_n_ilga_categories` categories, one of which is asylum: whether law or policy
# protects people who seek asylum on grounds of sexual orientation, gender identity or sex
# characteristics. The copy used here (cleaned by the *tidyrainbow* project) does not state the
# edition year; its set of categories points to the 2021 or 2022 edition. It holds criterion
# flags (met, met in some regions only, not met), not ILGA's weighted percentage scores, so the
# counts below are not the published Rainbow Map scores ({glue:text}`ch4_n_regional`
# country-criterion pairs are met only regionally and count as met). See {ref}`caveat-policy`.
#
# In the category *{glue:text}`ch4_category`* ({glue:text}`ch4_cat_total` criteria),
# {glue:text}`ch4_cat_none` countries meet none and {glue:text}`ch4_cat_all` meet all; the median
# country meets {glue:text}`ch4_cat_median:.0f`. {glue:text}`ch4_n_outside` of the countries
# scored are not in the NUTS map and are listed under it with their count.

# %% tags=["remove-input"]
fig = maps.category_map(gdf, "met", list(range(total + 1)), "YlGnBu", counts=False,
                        labels={v: f"{v} of {total}" for v in range(total + 1)},
                        legend_title=f"{label}: criteria met")
_ = show_figure(fig, f"a4-ilga-map-{category.replace('_', '-')}", title=f"ILGA-Europe Rainbow Europe: {label} criteria met",
            source="ILGA-Europe, Rainbow Europe criteria (edition year not stated; via tidyrainbow); GISCO, NUTS 2021 (level 0)",
            alt=(f"Map of European countries coloured by how many of the {total} ILGA-Europe criteria in the "
                 f"category {label} each meets; countries without a score are grey and hatched."),
            data=pd.concat([gdf.loc[gdf["met"].notna(), ["nuts_id", "name", "met", "regional_only", "total"]]
                            .rename(columns={"nuts_id": "geo", "name": "country"}), outside]).sort_values("geo"),
            caption=(f"Countries scored but not in NUTS 2021 (criteria met): {outside_text}. "
                     "Criteria met only in some regions count as met."))

# %% tags=["remove-input"]
heat = lgbtqi.ilga_matrix(counts, countries)
glue("ch4_heat_rows", len(heat), display=False)
asylum_col = lgbtqi.ILGA_LABELS["asylum"]
glue("ch4_n_asylum_lowest", int((heat[asylum_col] == heat.min(axis=1)).sum()), display=False)

# %% [markdown]
# The heatmap puts the seven categories side by side, as the share of each category's criteria
# a country meets, for {glue:text}`ch4_heat_rows` countries (ordered by their mean share). In
# {glue:text}`ch4_n_asylum_lowest` of them, asylum is the category (or one of the categories)
# with the lowest share.

# %% tags=["remove-input"]
fig = charts.matrix_heatmap(heat.round(0), xlabel="Category", ylabel="", cmap="YlGnBu",
                            cbar_label="Criteria met, % of the category",
                            figsize=(7.5, max(4.0, 0.2 * len(heat) + 2.2)))
fig.axes[0].tick_params(axis="y", labelsize=6.5)
_ = show_figure(fig, "a4-ilga-heatmap", title="Share of Rainbow Europe criteria met, by category",
            source="ILGA-Europe, Rainbow Europe criteria (edition year not stated; via tidyrainbow)",
            alt=(f"Heatmap of {len(heat)} countries (rows) by seven ILGA-Europe categories (columns); each cell is "
                 "the percentage of the category's criteria the country meets."),
            data=long_matrix(heat, "share_met_pct"),
            caption="Unweighted shares of criteria met (regional criteria count as met); blank cells are 0%.")

# %% tags=["remove-input"]
fra = read_table("fra_lgbti_2019")
fra_matrix = lgbtqi.fra2019_by_country(fra, survey_item, countries=countries)
question = fra.loc[fra["question_id"] == survey_item, "question"].iloc[0]
answers = " or ".join(f"'{a}'" for a in lgbtqi.FRA_2019_ITEMS[survey_item])
eu = fra_matrix.loc["EU-28"] if "EU-28" in fra_matrix.index else None
countries_only = fra_matrix.drop(index="EU-28", errors="ignore")
glue_numbers({
    "ch4_item": question,
    "ch4_item_answers": answers,
    "ch4_fra_n_countries": len(countries_only),
    "ch4_fra_n_missing": int(fra_matrix.isna().sum().sum()),
    "ch4_fra_eu_gay": float(eu["Gay men"]) if eu is not None else float("nan"),
    "ch4_fra_eu_lesbian": float(eu["Lesbian women"]) if eu is not None else float("nan"),
    "ch4_fra_eu_trans": float(eu["Trans people"]) if eu is not None else float("nan"),
})
gay = countries_only["Gay men"].dropna()
glue("ch4_fra_gay_min", f"{gay.idxmin()} ({gay.min():.0f}%)", display=False)
glue("ch4_fra_gay_max", f"{gay.idxmax()} ({gay.max():.0f}%)", display=False)

# %% [markdown]
# ## Experiences: FRA EU-LGBTI II survey (2019)
#
# FRA's second LGBTI survey asked, among other things, how often respondents avoid showing who
# they are in public. The figure shows, for respondents living in a city, the share who answered
# {glue:text}`ch4_item_answers` to the item "{glue:text}`ch4_item`", by country and group. For the
# EU-28, this is {glue:text}`ch4_fra_eu_gay:.0f`% of gay men, {glue:text}`ch4_fra_eu_lesbian:.0f`%
# of lesbian women and {glue:text}`ch4_fra_eu_trans:.0f`% of trans people; among gay men it ranges
# from {glue:text}`ch4_fra_gay_min` to {glue:text}`ch4_fra_gay_max`. The survey does not report
# these results by migrant background, so they describe the environment LGBTQI+ migrants meet,
# not their own experience. Shares are sums of FRA's rounded answer percentages;
# {glue:text}`ch4_fra_n_missing` cells are blank because FRA gives no figure (small samples). The
# data are a cleaned extract of FRA's data explorer (see {ref}`caveat-survey`).

# %% tags=["remove-input"]
fig = charts.matrix_heatmap(fra_matrix, xlabel="Group", ylabel="", cmap="YlOrRd",
                            cbar_label="% of respondents living in a city",
                            figsize=(7.5, max(4.0, 0.24 * len(fra_matrix) + 2.2)))
fig.axes[0].tick_params(axis="y", labelsize=7)
_ = show_figure(fig, f"a4-fra-2019-{survey_item.lower()}", title=f"FRA EU-LGBTI II 2019: {lgbtqi.FRA_2019_SHORT[survey_item]}",
            source=f"FRA, EU-LGBTI II survey (2019), data explorer item {survey_item} (via tidyrainbow)",
            alt=(f"Heatmap of {len(fra_matrix)} countries (rows) by LGBTI group (columns): the percentage of "
                 f"respondents living in a city who answered {answers} to the item: {question}."),
            data=long_matrix(fra_matrix, "percentage"),
            caption=(f"Answers {answers}; respondents living in a city. Blank: no figure published (small "
                     "sample). EU-28 is FRA's aggregate."))

# %% tags=["remove-input"]
fra12 = read_table("fra_lgbt_2012")
v12, n12 = lgbtqi.fra2012_by_country(fra12, "discrim1yr", "Yes", countries=countries)
q12 = fra12.loc[fra12["question_code"] == "discrim1yr", "question"].iloc[0]
eu12 = v12.loc["EU-28"]
glue_numbers({
    "ch4_fra12_eu_lesbian": float(eu12["Lesbian"]),
    "ch4_fra12_eu_gay": float(eu12["Gay"]),
    "ch4_fra12_eu_trans": float(eu12["Transgender"]),
    "ch4_fra12_n_small": int((n12 != "").sum().sum()),
    "ch4_fra12_n_countries": len(v12) - 1,
})

# %% [markdown]
# Seven years earlier, FRA's first survey (2012) asked whether respondents had felt discriminated
# against in the last 12 months because of being lesbian, gay, bisexual or trans. Across the
# {glue:text}`ch4_fra12_n_countries` surveyed countries the EU-28 average was
# {glue:text}`ch4_fra12_eu_lesbian:.0f`% of lesbian, {glue:text}`ch4_fra12_eu_gay:.0f`% of gay and
# {glue:text}`ch4_fra12_eu_trans:.0f`% of transgender respondents. The two surveys differ in
# questions and groups (2012 had no intersex category) and cannot be compared item by item;
# {glue:text}`ch4_fra12_n_small` cells rest on small samples (marked *) or are not published.

# %% tags=["remove-input"]
fig = charts.matrix_heatmap(v12, xlabel="Group", ylabel="", cmap="YlOrRd", cbar_label="% answering yes",
                            figsize=(7.5, max(4.0, 0.24 * len(v12) + 2.2)))
ax = fig.axes[0]
ax.tick_params(axis="y", labelsize=7)
charts.mark_cells(ax, n12 != "", "*")
_ = show_figure(fig, "a4-fra-2012-discrimination", title="FRA LGBT survey 2012: felt discriminated against, last 12 months",
            source="FRA, EU LGBT survey (2012), data explorer, discrimination domain, item discrim1yr (via tidyrainbow)",
            alt=(f"Heatmap of {len(v12)} countries (rows) by group (columns): the percentage who felt "
                 "discriminated against in the last 12 months because of being L, G, B or T."),
            data=long_matrix(v12, "percentage").merge(long_matrix(n12, "note"), on=["country", "subset"]),
            caption=f"Question: “{q12}” Cells marked * rest on a small sample; blank: not published (small sample).")

# %% tags=["remove-input"]
mipex = common.mipex_strands_wide(read_table("mipex_strands"), ["anti_discrimination"], mipex_year)
glue_numbers({
    "ch4_mipex_year": int(mipex_year),
    "ch4_n_mipex": len(mipex),
    "ch4_ad_median": float(mipex["anti_discrimination"].median()),
})
glue("ch4_ad_min", f"{mipex.loc[mipex['anti_discrimination'].idxmin(), 'country']} "
                   f"({mipex['anti_discrimination'].min():.1f})", display=False)
glue("ch4_ad_be", float(mipex.set_index("geo").loc["BE", "anti_discrimination"]) if "BE" in set(mipex["geo"])
     else float("nan"), display=False)

# %% [markdown]
# ## Policy context: MIPEX anti-discrimination strand
#
# LGBTQI+ migrants face discrimination on more than one ground. MIPEX's anti-discrimination
# strand scores how far each country's law protects migrants against discrimination on grounds of
# race, ethnicity, religion and nationality, and how strong its enforcement and equality bodies
# are {cite:p}`solano2020mipex`. It does not score protection on grounds of sexual orientation or
# gender identity (that is what the ILGA criteria above cover). In {glue:text}`ch4_mipex_year` the
# median score across {glue:text}`ch4_n_mipex` EU Member States is
# {glue:text}`ch4_ad_median:.1f`, the lowest {glue:text}`ch4_ad_min`; Belgium, home of the
# action's leaders (Flanders and Mechelen), scores {glue:text}`ch4_ad_be:.1f`. See
# {ref}`caveat-policy`.

# %% tags=["remove-input"]
group = {common.name_of(g) for g in ("BE", "NL", "ES", "DE")}
fig = charts.ranked_bars(mipex, label="country", value="anti_discrimination", highlight=group,
                         xlabel="MIPEX anti-discrimination score (0-100)", value_format="{:.0f}")
_ = show_figure(fig, "a4-mipex-anti-discrimination", title=f"MIPEX anti-discrimination strand, {mipex_year}",
            source=f"MIPEX (CIDOB and MPG), EU policy indicator scores, strand average ({mipex_year})",
            alt=f"Horizontal bar chart of the MIPEX anti-discrimination score of {len(mipex)} EU Member States in {mipex_year}.",
            data=mipex,
            caption=("Orange: countries of the action's leaders and member cities (Belgium, the Netherlands, "
                     "Spain, Germany)."))

# %% tags=["remove-cell", "nbval-check-output"]
print("synthesis:", len(s.rows), "x", len(s.columns), "cells", len(s.cells), "fra evidence", record["value"])
print("ilga:", ilga["geo"].nunique(), "countries", category, "total", total,
      "met counts", part["met"].value_counts().sort_index().to_dict())
print("outside NUTS:", outside["geo"].tolist())
print("fra 2019", survey_item, fra_matrix.shape, "EU-28", None if eu is None else eu.round(0).to_dict())
print("fra 2012", v12.shape, "small", int((n12 != "").sum().sum()))
print("mipex", mipex_year, len(mipex), round(float(mipex["anti_discrimination"].median()), 1))
