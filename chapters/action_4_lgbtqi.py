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
# Parameters of this chapter (see the "About this page" note at the end).
countries = []  # Eurostat geo codes shown in the ILGA heatmap and FRA figures; empty list: the EU-27 (others as context)
category = "asylum"  # ILGA Rainbow Europe category for the map
survey_item = "T1Q1"  # FRA EU-LGBTI II item (T1Q1 holding hands, T1Q2 avoiding places, T1Q5 feeling down)
mipex_year = 2023  # MIPEX anti-discrimination strand

# %% tags=["remove-input"]
import matplotlib.pyplot as plt
import numpy as np
from myst_nb import glue

from inclusion_evidence.analysis import common, lgbtqi
from inclusion_evidence.analysis.synthesis_views import (
    BY_KIND_AND_ROLE,
    NAMED_KIND_LABELS,
    evidence_record,
    long_matrix,
    named_in_plan,
    scope_matrix,
    stated_relations,
)
from inclusion_evidence.core.geo_codes import EU27
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.readers.lgbti import ilga_category_counts
from inclusion_evidence.ingest.synthesis import bibkeys, load_synthesis
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup
from inclusion_evidence.present.figures import (
    evidence_source,
    glue_numbers,
    raise_small_text,
    show_figure,
    show_markdown,
    show_table,
    source_line,
)
from inclusion_evidence.present.findings import Finding, Value, show_key_findings
from inclusion_evidence.present.synthesis_figures import show_ties

setup("action_4_lgbtqi")
shown = list(countries) or list(EU27)  # the countries in scope; the others are context

# %% [markdown]
# # Action 4: LGBTQI+ migrants

# %% tags=["remove-input"]
s = load_synthesis("lgbtqi_networks")
record = evidence_record(s, "fra2020lgbti")
ilga = read_table("ilga_rainbow")
ILGA_SOURCES = ["ilga_rainbow_asylum", "ilga_rainbow_civil_society", "ilga_rainbow_equality_non_discrimination",
                "ilga_rainbow_family", "ilga_rainbow_hatespeech_hatecrime", "ilga_rainbow_intersex_bodily_integrity",
                "ilga_rainbow_legalgenderrecognition"]
counts = ilga_category_counts(ilga)
label = lgbtqi.ILGA_LABELS[category]
cat = lgbtqi.ilga_scope_summary(counts, category, shown)
fra = read_table("fra_lgbti_2019")
fra_all = lgbtqi.fra2019_by_country(fra, survey_item)
fra_matrix = lgbtqi.scope_rows(fra_all if not countries else lgbtqi.fra2019_by_country(fra, survey_item, countries=countries), shown)
eu = fra_all.loc["EU-28"] if "EU-28" in fra_all.index else None
fra12 = read_table("fra_lgbt_2012")
v12_all, n12_all = lgbtqi.fra2012_by_country(fra12, "discrim1yr", "Yes", countries=countries or None)
v12, n12 = lgbtqi.scope_rows(v12_all, shown), lgbtqi.scope_rows(n12_all, shown)
eu12 = v12_all.loc["EU-28"]
mipex = common.mipex_strands_wide(read_table("mipex_strands"), ["anti_discrimination"], mipex_year)
edition = common.mipex_edition(mipex_year)
ad_low = mipex.loc[mipex["anti_discrimination"].idxmin()]
glue_numbers({
    "ch4_fra_share": int(record["value"]) if float(record["value"]).is_integer() else float(record["value"]),
    "ch4_fra_year": str(record["year"]),
    "ch4_category": label,
    "ch4_cat_total": cat["total"],
    "ch4_cat_n": cat["n"],
    "ch4_cat_none": cat["none"],
    "ch4_cat_all": cat["all"],
    "ch4_cat_median": cat["median"],
    "ch4_cat_lowest": cat["lowest_category"],
    "ch4_fra_eu_gay": float(eu["Gay men"]) if eu is not None else float("nan"),
    "ch4_fra_eu_lesbian": float(eu["Lesbian women"]) if eu is not None else float("nan"),
    "ch4_fra_eu_trans": float(eu["Trans people"]) if eu is not None else float("nan"),
    "ch4_fra12_eu_lesbian": float(eu12["Lesbian"]),
    "ch4_fra12_eu_gay": float(eu12["Gay"]),
    "ch4_fra12_eu_trans": float(eu12["Transgender"]),
    "ch4_mipex_year": int(mipex_year),
    "ch4_mipex_edition": edition["name"],
    "ch4_n_mipex": len(mipex),
    "ch4_ad_median": float(mipex["anti_discrimination"].median()),
    "ch4_ad_min": f"{ad_low['country']} ({ad_low['anti_discrimination']:.1f})",
    "ch4_ad_be": float(mipex.set_index("geo").loc["BE", "anti_discrimination"]) if "BE" in set(mipex["geo"]) else float("nan"),
})
scope_words = "EU member states" if not countries else "countries chosen"
scope_title = "EU-27 member states" if not countries else "selected countries"
scope_short = "EU-27" if not countries else "selected countries"

# %% tags=["remove-input"]
verb = lambda n: "meets" if n == 1 else "meet"  # noqa: E731
findings = [
    Finding("ch4_key_fra_quoted",
            "The Action Plan's one number on LGBTQI+ migrants: {share} of LGBTQI+ respondents to FRA's EU-LGBTI II "
            "survey reported discrimination also on the grounds of ethnic origin or immigrant background (quoted "
            "without a sample size).",
            {"share": Value(record["value"], "{:g}%")},
            source=evidence_source(record), scope="EU-28", year=record["year"]),
    Finding("ch4_key_ilga",
            "Of the {n} " + scope_words + ", {none} " + verb(cat["none"]) + " none of ILGA-Europe's {total} Rainbow "
            "Europe criteria in the category {category}, {all} " + verb(cat["all"]) + " all, and the median meets "
            "{median}" + (f"; for {cat['lowest_category']} of them it is the category with the lowest share of "
                          "criteria met." if category == "asylum" else "."),
            {"n": cat["n"], "none": cat["none"], "total": cat["total"], "category": label.lower(), "all": cat["all"],
             "median": Value(cat["median"], "{:.0f}")},
            source=source_line(ILGA_SOURCES, "edition year not stated, likely 2021 or 2022"), scope=scope_short),
    Finding("ch4_key_fra_2019",
            "{gay} of gay men, {lesbian} of lesbian women and {trans} of trans people living in a city said they "
            "always or often " + lgbtqi.FRA_2019_SHORT[survey_item] + " (all LGBTI respondents: the survey has no "
            "migrant variable).",
            {} if eu is None else {"gay": Value(eu["Gay men"], "{:.0f}%"), "lesbian": Value(eu["Lesbian women"], "{:.0f}%"),
                                   "trans": Value(eu["Trans people"], "{:.0f}%")},
            source=source_line(f"fra_lgbti2019_{survey_item.lower()}", f"item {survey_item}"), scope="EU-28", year=2019,
            missing=None if eu is not None else "FRA's EU-28 aggregate for this survey item is not in the data"),
    Finding("ch4_key_mipex",
            "The median MIPEX anti-discrimination score of the {n} member states was {median} out of 100, the "
            "lowest {lowest_country}'s {lowest}; the strand scores protection against discrimination on grounds "
            "of race, ethnicity, religion and nationality, not sexual orientation or gender identity.",
            {"n": len(mipex), "median": Value(mipex["anti_discrimination"].median(), "{:.1f}"),
             "lowest_country": ad_low["country"], "lowest": Value(ad_low["anti_discrimination"], "{:.1f}")},
            source=source_line(edition["source_id"]), year=mipex_year),
]
meaning = [
    "Action 4 is to gain more insight into the obstacles LGBTQI+ migrants meet and how to contribute to their "
    "inclusion, and to connect existing networks; its expected outcomes are more awareness and know-how among "
    "policymakers at all levels, and more synergies and cooperation between the networks (Action Plan, Action 4).",
    "The public data give policymakers the setting, not the group: which member states protect LGBTI people "
    "seeking asylum in law, how often LGBTI people in cities hide who they are, and how far anti-discrimination "
    "law reaches. No source used here counts LGBTQI+ migrants or reports their experience apart from other LGBTI "
    "people; beyond the plan's one quoted figure, that knowledge has to come from the networks and cities the "
    "action brings together, and from FRA's survey microdata by migrant background.",
]
_ = show_key_findings(findings, meaning)

# %% tags=["remove-input"]
at_a_glance(4)

# %% tags=["remove-input"]
named = named_in_plan(s, group_by=BY_KIND_AND_ROLE, labels=NAMED_KIND_LABELS, by_section=True)
relations = stated_relations(s, "specific")
general = stated_relations(s, "general")
kinds = s.rows.set_index("id")["kind"]
matrix = scope_matrix(s)
aim_ids = list(kinds[kinds == "aim"].index)
linked = set(long_matrix(scope_matrix(s, labels=False), "strength").query("strength > 0")["element"])
unlinked = [s.label("rows", i) for i in aim_ids if i not in linked]
glue_numbers({
    "ch4_n_aims": int((kinds == "aim").sum()),
    "ch4_n_meetings": int((kinds == "meeting").sum()),
    "ch4_n_bodies": len(s.columns),
    "ch4_n_specific": int((s.cells["scope"] == "specific").sum()),
    "ch4_n_general": int((s.cells["scope"] == "general").sum()),
    "ch4_n_aims_unlinked": len(unlinked),
})
glue("ch4_aims_unlinked", "; ".join(f"“{u}”" for u in unlinked) if unlinked else "none", display=False)

# %% [markdown]
# ## What the Action Plan sets out
#
# The action has {glue:text}`ch4_n_aims` numbered aims and plans {glue:text}`ch4_n_meetings`
# half-day meetings; it brings together {glue:text}`ch4_n_bodies` networks, bodies and participants
# as the action group and the first meeting's presenters {cite:p}`actionplan2021`.
# {numref}`tbl-action_4_lgbtqi-a4-named-in-plan` lists them with the Action Plan's own words. The
# text ties aims and meetings to named bodies in {glue:text}`ch4_n_specific` places, listed below
# the table; {glue:text}`ch4_n_general` further links follow only from general statements.
# {glue:text}`ch4_n_aims_unlinked` of the aims are tied to no named body:
# {glue:text}`ch4_aims_unlinked`.

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
table = named.rename(columns={"dimension": "Named in Action 4", "items": "Items",
                              "quotes": "In the Action Plan's words", "sections": "Section"})
show_table(table[["Named in Action 4", "In the Action Plan's words", "Section"]], "a4-named-in-plan", title="What Action 4 names: aims, meetings, networks and bodies, with their quotes",
           source=source_line("action_plan", "Action 4 (pp. 22-24)"))
show_ties(s, relations, matrix, "a4-synthesis-matrix", general_from="general statements",
          matrix_of="aims and meetings against networks and bodies")

# %% tags=["remove-input"]
geometry = read_table("nuts2021_level0")
gdf, outside, total = lgbtqi.ilga_category_map(counts, category, geometry)
gdf = lgbtqi.with_context(gdf, "met", shown)
glue_numbers({
    "ch4_n_ilga_countries": int(ilga["geo"].nunique()),
    "ch4_n_ilga_categories": int(ilga["category"].nunique()),
    "ch4_n_ilga_criteria": int(ilga[["category", "criterion"]].drop_duplicates().shape[0]),
    "ch4_n_regional": int(ilga["regional_only"].sum()),
})

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
# In the category *{glue:text}`ch4_category`* ({glue:text}`ch4_cat_total` criteria), of the
# {glue:text}`ch4_cat_n` EU member states {glue:text}`ch4_cat_none` meet none and
# {glue:text}`ch4_cat_all` meet all; the median state meets {glue:text}`ch4_cat_median:.0f`
# ({numref}`fig-action_4_lgbtqi-a4-ilga-map`). Other European countries are drawn as context; their
# counts are in the figure's CSV.

# %% tags=["remove-input"]
order = list(range(total + 1)) + ["context"]
colours = [*plt.get_cmap("YlGnBu")(np.linspace(0.1, 0.95, total + 1)), "#f7f7f7"]
labels = {v: f"{v} of {total}" for v in range(total + 1)}
labels["context"] = "Outside the EU-27, context"
fig = maps.category_map(gdf, "met", order, colours, counts=False, labels=labels,
                        legend_title=f"{label}: criteria met")
ax = fig.axes[0]
with maps.no_redraw(fig):  # one draw, when the figure is saved
    gdf[gdf["met"] == "context"].to_crs(3035).plot(ax=ax, facecolor="none", edgecolor="#8c8c8c", hatch="---",
                                                   linewidth=0.3)
legend = ax.get_legend()
handles, texts = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
handles[texts.index(labels["context"])].set_hatch("---")
handles[texts.index(labels["context"])].set_edgecolor("#8c8c8c")
ax.legend(handles=handles, labels=texts, title=legend.get_title().get_text(), loc="upper right", fontsize=9,
          title_fontsize=9, frameon=True)  # the upper left is Iceland
raise_small_text(fig)
_ = show_figure(fig, "a4-ilga-map",
                title=f"ILGA-Europe criteria met: {label}, {scope_title}",
                source=source_line([*ILGA_SOURCES, ("gisco_nuts2021_60m_levl0", "level 0")],
                                   "edition year not stated, likely 2021 or 2022"),
                alt=(f"Map of Europe: EU member states coloured by how many of the {total} ILGA-Europe criteria in the "
                     f"category {label} each meets; other European countries hatched as context."),
                data=counts.loc[counts["category"] == category, ["geo", "met", "regional_only", "total"]]
                       .assign(country=lambda d: d["geo"].map(common.name_of), in_scope=lambda d: d["geo"].isin(shown),
                               on_map=lambda d: d["geo"].isin(set(geometry["nuts_id"])))
                       .sort_values("geo"),
                caption=("Criteria met only in some regions count as met. Hatched: countries outside the EU-27, "
                         "drawn as context; their counts, and those of countries not on the map ("
                         + ", ".join(outside["country"]) + "), are in the CSV."))

# %% tags=["remove-input"]
heat_all = lgbtqi.ilga_matrix(counts)
heat = lgbtqi.ilga_matrix(counts, shown)
glue("ch4_heat_rows", len(heat), display=False)

# %% [markdown]
# {numref}`fig-action_4_lgbtqi-a4-ilga-heatmap` puts the seven categories side by side, as the
# share of each category's criteria a member state meets, for {glue:text}`ch4_heat_rows` member
# states (ordered by their mean share). For {glue:text}`ch4_cat_lowest` of them, asylum is the
# category (or one of the categories) with the lowest share.

# %% tags=["remove-input"]
fig = charts.matrix_heatmap(heat.round(0), xlabel="Category", ylabel="", cmap="YlGnBu",
                            cbar_label="Criteria met, % of the category",
                            figsize=(7.5, max(4.0, 0.3 * len(heat) + 2.6)))
raise_small_text(fig)
_ = show_figure(fig, "a4-ilga-heatmap",
                title=f"ILGA-Europe criteria met, % by category, {scope_title}",
                source=source_line(ILGA_SOURCES, "edition year not stated, likely 2021 or 2022"),
                alt=(f"Heatmap of {len(heat)} EU member states (rows) by seven ILGA-Europe categories (columns); each "
                     "cell is the percentage of the category's criteria the country meets."),
                data=long_matrix(heat_all, "share_met_pct").assign(
                    in_scope=lambda d: d["country"].isin(set(heat.index))),
                caption=("Unweighted shares of criteria met (regional criteria count as met); blank cells are 0%. "
                         "The CSV adds the other European countries ILGA-Europe scores, as context."))

# %% [markdown]
# ## Experiences: FRA EU-LGBTI II survey (2019), context
#
# {term}`FRA`'s second LGBTI survey asked, among other things, how often respondents avoid showing who
# they are in public. {numref}`fig-action_4_lgbtqi-a4-fra-2019` shows, for respondents living in a
# city, the share who gave the item's most frequent answers, by member state and group. For the
# EU-28, this is {glue:text}`ch4_fra_eu_gay:.0f`% of gay men, {glue:text}`ch4_fra_eu_lesbian:.0f`%
# of lesbian women and {glue:text}`ch4_fra_eu_trans:.0f`% of trans people. The survey does not report
# these results by migrant background, so they describe the environment LGBTQI+ migrants meet,
# not their own experience: this is context, not evidence on the group. Shares are sums of FRA's
# rounded answer percentages; cells marked *n/p* are not published by FRA (too few respondents).
# The EU-28 aggregate is FRA's own and includes the United Kingdom; the United Kingdom, North
# Macedonia and Serbia are shown below the member states as context. The data are a cleaned
# extract of FRA's data explorer (see {ref}`caveat-survey`).

# %% tags=["remove-input"]
question = fra.loc[fra["question_id"] == survey_item, "question"].iloc[0]
answers = " or ".join(f"'{a}'" for a in lgbtqi.FRA_2019_ITEMS[survey_item])
fig = charts.matrix_heatmap(fra_matrix, xlabel="Group", ylabel="", cmap="YlOrRd",
                            cbar_label="% of respondents living in a city",
                            figsize=(7.5, max(4.0, 0.3 * len(fra_matrix) + 2.6)))
charts.mark_missing_cells(fig.axes[0], fra_matrix.isna())
fig.axes[0].axhline(sum(not r.endswith("(context)") for r in fra_matrix.index) - 0.5, color="#262626", linewidth=2)
raise_small_text(fig)
_ = show_figure(fig, "a4-fra-2019",
                title=f"LGBTI people in cities: {lgbtqi.FRA_2019_SHORT[survey_item]}, {scope_short}, 2019",
                source=source_line(f"fra_lgbti2019_{survey_item.lower()}", f"data explorer item {survey_item}"),
                alt=(f"Heatmap of {len(fra_matrix)} rows (EU member states, the EU-28 aggregate, then other countries "
                     f"as context) by LGBTI group (columns): the percentage of respondents living in a city who "
                     f"answered {answers} to the item: {question}. Cells without a published value read n/p."),
                data=long_matrix(fra_matrix, "percentage").assign(published=lambda d: d["percentage"].notna()),
                caption=(f"Question: “{question}” Answers {answers}; all LGBTI respondents living in a city (no "
                         "migrant variable). n/p: not published by FRA (small sample). EU-28 is FRA's aggregate; "
                         "rows marked (context) are outside the EU-27."))

# %% [markdown]
# Seven years earlier, FRA's first survey (2012) asked whether respondents had felt discriminated
# against in the last 12 months because of being lesbian, gay, bisexual or trans
# ({numref}`fig-action_4_lgbtqi-a4-fra-2012-discrimination`). The EU-28 average was
# {glue:text}`ch4_fra12_eu_lesbian:.0f`% of lesbian, {glue:text}`ch4_fra12_eu_gay:.0f`% of gay and
# {glue:text}`ch4_fra12_eu_trans:.0f`% of transgender respondents. The two surveys differ in
# questions and groups (2012 had no intersex category) and cannot be compared item by item. Cells
# marked * rest on a small sample (FRA's note) and should be read with care; cells marked *n/p* are
# not published.

# %% tags=["remove-input"]
q12 = fra12.loc[fra12["question_code"] == "discrim1yr", "question"].iloc[0]
fig = charts.matrix_heatmap(v12, xlabel="Group", ylabel="", cmap="YlOrRd", cbar_label="% answering yes",
                            figsize=(7.5, max(4.0, 0.3 * len(v12) + 2.6)))
ax = fig.axes[0]
n_small = charts.mark_cells(ax, (n12 != "") & v12.notna(), "*")
n_np = charts.mark_missing_cells(ax, v12.isna())
ax.axhline(sum(not r.endswith("(context)") for r in v12.index) - 0.5, color="#262626", linewidth=2)
raise_small_text(fig)
_ = show_figure(fig, "a4-fra-2012-discrimination",
                title=f"LGBT people who felt discriminated against, 12 months, {scope_short}, 2012",
                source=source_line("fra_lgbt2012_discrimination", "data explorer, discrimination domain, item discrim1yr"),
                alt=(f"Heatmap of {len(v12)} rows (EU member states, the EU-28 average, then other countries as "
                     "context) by group (columns): the percentage who felt discriminated against in the last 12 "
                     f"months because of being L, G, B or T; {n_small} cells on a small sample carry a star, "
                     f"{n_np} unpublished cells read n/p."),
                data=long_matrix(v12, "percentage").merge(long_matrix(n12, "note"), on=["country", "subset"]),
                caption=(f"Question: “{q12}” *: small sample (FRA's note; read with care). n/p: not published "
                         "(small sample). Rows marked (context) are outside the EU-27."))
glue_numbers({"ch4_fra12_n_small": int(n_small), "ch4_fra12_n_np": int(n_np)})

# %% [markdown]
# ## Policy context: MIPEX anti-discrimination strand
#
# LGBTQI+ migrants face discrimination on more than one ground. {term}`MIPEX`'s anti-discrimination
# strand scores how far each country's law protects migrants against discrimination on grounds of
# race, ethnicity, religion and nationality, and how strong its enforcement and equality bodies
# are {cite:p}`solano2020mipex`. It does not score protection on grounds of sexual orientation or
# gender identity (that is what the ILGA criteria above cover). In {glue:text}`ch4_mipex_year`
# ({glue:text}`ch4_mipex_edition` edition) the median score across {glue:text}`ch4_n_mipex` EU
# member states is {glue:text}`ch4_ad_median:.1f`, the lowest {glue:text}`ch4_ad_min`; Belgium,
# home of the action's leaders (Flanders and Mechelen), scores {glue:text}`ch4_ad_be:.1f`
# ({numref}`fig-action_4_lgbtqi-a4-mipex-anti-discrimination`). The chapter on art and culture
# refers to this figure too. See {ref}`caveat-policy`.

# %% tags=["remove-input"]
group = {common.name_of(g) for g in ("BE", "NL", "ES", "DE")}
fig = charts.ranked_bars(mipex, label="country", value="anti_discrimination", highlight=group,
                         xlabel="MIPEX anti-discrimination score (0-100)", value_format="{:.0f}")
raise_small_text(fig)
_ = show_figure(fig, "a4-mipex-anti-discrimination",
                title=f"MIPEX anti-discrimination score, EU-27 member states, {mipex_year}",
                source=source_line(edition["source_id"], f"anti-discrimination strand average, {mipex_year}"),
                alt=f"Horizontal bar chart of the MIPEX anti-discrimination score of {len(mipex)} EU member states in {mipex_year}.",
                data=mipex.assign(edition=edition["name"]),
                caption=("Orange: countries of the action's leaders and member cities (Belgium, the Netherlands, "
                         "Spain, Germany). Scores from the MIPEX edition that covers the year; the 2007-2019 core "
                         "edition and the 2020-2024 EU update use different indicator sets."))

# %% tags=["remove-input"]
about_this_page({"countries": countries or "EU-27", "category": category, "survey_item": survey_item,
                 "mipex_year": mipex_year},
                sources=[*ILGA_SOURCES, f"fra_lgbti2019_{survey_item.lower()}", "fra_lgbt2012_discrimination", edition["source_id"],
                         "gisco_nuts2021_60m_levl0"])

# %% tags=["remove-cell", "nbval-check-output"]
print("synthesis:", len(s.rows), "x", len(s.columns), "cells", len(s.cells), "fra evidence", record["value"])
print("ilga:", ilga["geo"].nunique(), "countries", category, "EU-27", cat)
print("outside NUTS:", outside["geo"].tolist())
print("fra 2019", survey_item, fra_matrix.shape, "EU-28", None if eu is None else eu.round(0).to_dict())
print("fra 2012", v12.shape, "small", int(n_small), "not published", int(n_np))
print("mipex", mipex_year, edition["name"], len(mipex), round(float(mipex["anti_discrimination"].median()), 1))
