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
# year: EU-SILC survey year (2015-2024; 2024 is partial).
# countries: geo codes to keep; empty = all countries published.
# citizen_group: the citizenship group compared with nationals (NAT).
year = 2023
countries = []
citizen_group = "NEU27_2020_FOR"

# %% tags=["remove-input"]
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup

setup("action_1_healthcare")
parameters_note(year=year, countries=countries or "all", citizen_group=citizen_group)

# %% tags=["remove-input"]
from myst_nb import glue

from inclusion_evidence.analysis import common, health
from inclusion_evidence.analysis.synthesis_views import labelled_matrix, relations_table
from inclusion_evidence.core.geo_codes import CANDIDATES, EFTA, EU27
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import load_synthesis, synthesis_matrix
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.declared import show_declared_figures
from inclusion_evidence.present.figures import glue_numbers, show_figure, show_markdown, show_table
from inclusion_evidence.present.synthesis_figures import cite_roles, gap_list

GROUP = common.CITIZEN_LABELS[citizen_group]
GROUP_LC = GROUP[0].lower() + GROUP[1:]
EUROPE = set(EU27) | set(EFTA) | set(CANDIDATES) | {"UK"}
silc = read_table("hlth_silc_24")
glue("ch1_year", int(year), display=False)
glue("ch1_group", GROUP_LC, display=False)

# %% [markdown]
# # Action 1: Improving migrants' and refugees' access to healthcare

# %% tags=["remove-input"]
at_a_glance(1)

# %% [markdown]
# The Action Plan describes a "migrant health disadvantage" and a set of "hidden barriers" that make
# information campaigns ineffective for hard-to-reach migrant groups {cite:p}`actionplan2021`. This
# chapter first lays out what the text itself says (which barriers, which groups, which levels of
# governance), then sets beside it what European statistics can and cannot show: self-perceived health
# by citizenship (EU-SILC), the health strand of the Migrant Integration Policy Index
# {cite:p}`solano2020mipex`, and LGBT people's experience of healthcare services (FRA, 2012).
#
# ## What the Action Plan says: barriers, groups and levels
#
# The synthesis below is compiled from the text of Action 1 (with the linguistic, financial and
# administrative barriers that Action 2 names for mental-health services). Each cell is one relation the
# text states, traced to a verbatim quote or a cited publication in the table that follows. Of the
# {glue:text}`ch1_n_cells` relations, {glue:text}`ch1_n_general` are *general* statements (the text
# names a set of barriers and a set of groups without pairing them) and {glue:text}`ch1_n_specific`
# are specific.

# %% tags=["remove-input"]
syn = load_synthesis("health_barriers")
glue_numbers({
    "ch1_n_cells": int(len(syn.cells)),
    "ch1_n_general": int((syn.cells["scope"] == "general").sum()),
    "ch1_n_specific": int((syn.cells["scope"] == "specific").sum()),
    "ch1_n_gaps": int(len(syn.gaps)),
})
row_labels = dict(zip(syn.rows["id"], syn.rows["label"]))
col_labels = dict(zip(syn.columns["id"], syn.columns["label"]))
lay_labels = dict(zip(syn.layers["id"], syn.layers["label"]))
m_group = labelled_matrix(synthesis_matrix(syn), row_labels, col_labels)
fig = charts.matrix_heatmap(m_group, xlabel="Hard-to-reach group", ylabel="Barrier",
                            cbar_label="")
_ = show_figure(fig, "ch1-synthesis-barrier-group", title="Barriers by hard-to-reach group in the Action Plan",
            source="Action Plan 2021-2022, Action 1 and Action 2 (synthesis file health_barriers.yml)",
            alt="Heatmap of nine barriers against four hard-to-reach groups; the five hidden barriers "
                "are each linked once to every group, the structural barriers to none.",
            data=m_group.reset_index(names="barrier"),
            caption="Number of relations the text states between a barrier and a group (0 = none stated).")

# %% tags=["remove-input"]
m_level = labelled_matrix(synthesis_matrix(syn, against="layer"), row_labels, lay_labels)
fig = charts.matrix_heatmap(m_level, xlabel="Level of governance", ylabel="Barrier",
                            cbar_label="")
_ = show_figure(fig, "ch1-synthesis-barrier-level", title="Barriers by level of governance in the Action Plan",
            source="Action Plan 2021-2022, Action 1 (synthesis file health_barriers.yml)",
            alt="Heatmap of nine barriers against four levels of governance (local, regional, national, EU); "
                "hidden barriers are linked to all four levels, linguistic barriers and entitlements to the "
                "local and national levels, financial and administrative barriers to none.",
            data=m_level.reset_index(names="barrier"),
            caption="Number of relations the text states between a barrier and a level of governance.")

# %% tags=["remove-input"]
shown = relations_table(syn, {"barrier_label": "Barrier", "group_label": "Group", "level_label": "Level",
                              "relation": "Relation stated", "scope": "Scope", "source": "Source"})
shown["Source"] = shown["Source"].map(cite_roles)
_ = show_table(shown, "ch1-synthesis-table", title="Every relation of the barrier synthesis and its source",
           source="Action Plan 2021-2022, Action 1 and Action 2; publications cited in its footnotes")

# %% [markdown]
# **What the text does not quantify.** The synthesis file holds no evidence records: Action 1 gives no
# number for any barrier, group or outcome. The {glue:text}`ch1_n_gaps` gaps recorded with the synthesis
# are:

# %% tags=["remove-input"]
show_markdown(gap_list(syn))

# %% [markdown]
# ## Self-perceived health of nationals and non-nationals
#
# EU-SILC asks adults (16 years or over) to rate their health from "very good" to "very bad". Eurostat
# publishes the shares by citizenship (`hlth_silc_24`). Below, the share of
# {glue:text}`ch1_group` is set against nationals in {glue:text}`ch1_year`, first for "bad or very bad"
# health, then for "very good or good" health. In {glue:text}`ch1_year`, {glue:text}`ch1_n_countries`
# countries publish both values; in {glue:text}`ch1_n_worse` of them {glue:text}`ch1_group` report bad or
# very bad health more often than nationals. {glue:text}`ch1_eu_sentence`
#
# These are crude shares: Eurostat does not standardise them by age, and foreign citizens are on
# average younger than nationals, so a lower share of bad health among them says as much about age as
# about health ("healthy migrant" selection also plays a part). Naturalised migrants count as nationals
# ({ref}`caveat-citizenship`). Many values for small groups carry Eurostat's low-reliability flag `u`;
# they are marked "(u)" and kept ({ref}`caveat-survey`).

# %% tags=["remove-input"]
gap_bad = common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="B_VB", countries=countries)
gap_good = common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="VG_G", countries=countries)
glue_numbers({
    "ch1_n_countries": int(len(gap_bad)),
    "ch1_n_worse": int((gap_bad["gap"] > 0).sum()),
    "ch1_n_flag_u": int(gap_bad["flag"].str.contains("u").sum()),
})
eu = common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="B_VB", countries=["EU27_2020"],
                            include_aggregates=True)
if len(eu):
    e = eu.iloc[0]
    eu_sentence = (f"For the EU-27 as a whole, {e['group']:.1f}% of {GROUP_LC} and {e['reference']:.1f}% "
                   f"of nationals rated their health bad or very bad (a gap of {e['gap']:+.1f} percentage points).")
else:
    eu_sentence = f"Eurostat publishes no EU-27 aggregate for {year} in this extract."
glue("ch1_eu_sentence", eu_sentence, display=False)

fig = charts.dumbbell(gap_bad, label="country", left="reference", right="group", left_name="Nationals",
                      right_name=GROUP, xlabel="% of adults (16+) reporting bad or very bad health", flag="flag")
_ = show_figure(fig, "ch1-bad-health-gap", title=f"Bad or very bad health: nationals and {GROUP_LC}, {year}",
            source=f"Eurostat, hlth_silc_24 (EU-SILC, {year})",
            alt=f"Dumbbell chart by country of the share of nationals and of {GROUP_LC} reporting bad or "
                f"very bad health in {year}; {len(gap_bad)} countries.",
            data=gap_bad, caption="Crude shares, not age-standardised. (u): low reliability for at least one of the two values.")

# %% tags=["remove-input"]
fig = charts.dumbbell(gap_good, label="country", left="reference", right="group", left_name="Nationals",
                      right_name=GROUP, xlabel="% of adults (16+) reporting very good or good health", flag="flag")
_ = show_figure(fig, "ch1-good-health-gap", title=f"Very good or good health: nationals and {GROUP_LC}, {year}",
            source=f"Eurostat, hlth_silc_24 (EU-SILC, {year})",
            alt=f"Dumbbell chart by country of the share of nationals and of {GROUP_LC} reporting very good "
                f"or good health in {year}; {len(gap_good)} countries.",
            data=gap_good, caption="Crude shares, not age-standardised. (u): low reliability for at least one of the two values.")

# %% [markdown]
# ### The EU-27 over time
#
# Across the EU-27, the gap in bad or very bad health between {glue:text}`ch1_group` and nationals was
# {glue:text}`ch1_trend_first_gap:+.1f` percentage points in {glue:text}`ch1_trend_first` and
# {glue:text}`ch1_trend_last_gap:+.1f` in {glue:text}`ch1_trend_last` (negative: the group reports bad
# health less often than nationals). {glue:text}`ch1_trend_flags`

# %% tags=["remove-input"]
levels = health.level_trend(silc, lev_perc="B_VB")
fig = charts.trend_lines(levels, x="time", y="value", hue="group", ylabel="% reporting bad or very bad health",
                         flag="flag")
_ = show_figure(fig, "ch1-eu-bad-health-trend", title="Bad or very bad self-perceived health by citizenship, EU-27",
            source=f"Eurostat, hlth_silc_24 (EU-SILC, {levels['time'].min()}-{levels['time'].max()})",
            alt="Lines from 2015 for nationals, foreign citizens, other-EU citizens and non-EU citizens in the "
                "EU-27: nationals report bad or very bad health more often than the foreign-citizen groups throughout.",
            data=levels, caption="EU27_2020 aggregate. Hollow points: low reliability (u).")

# %% tags=["remove-input"]
trend = health.gap_trend(silc, group=citizen_group)
glue("ch1_trend_first", int(trend["time"].min()), display=False)
glue("ch1_trend_last", int(trend["time"].max()), display=False)
tb = trend[trend["lev_perc"] == "B_VB"].set_index("time")["gap"]
glue("ch1_trend_first_gap", float(tb.iloc[0]), display=False)
glue("ch1_trend_last_gap", float(tb.iloc[-1]), display=False)
flag_e = sorted(trend.loc[trend["flag"].str.contains("e"), "time"].unique())
glue("ch1_trend_flags", (f"The EU values for {', '.join(map(str, flag_e))} carry Eurostat's flag e (estimated)."
                         if flag_e else "No EU value in the series is flagged as estimated."), display=False)
fig = charts.trend_lines(trend, x="time", y="gap", hue="level", flag="flag",
                         ylabel="Gap (percentage points)")
fig.axes[0].axhline(0, color="#777777", linewidth=0.8, linestyle="--")
_ = show_figure(fig, "ch1-eu-health-gap-trend", title=f"Health gap between {GROUP_LC} and nationals, EU-27",
            source=f"Eurostat, hlth_silc_24 (EU-SILC, {trend['time'].min()}-{trend['time'].max()})",
            alt=f"Two lines of the gap, in percentage points, between {GROUP_LC} and nationals in the "
                "EU-27: the bad-health gap below zero and the good-health gap above zero in every year.",
            data=trend, caption="Above zero: the group reports that level of health more often than nationals.")

# %% tags=["remove-input"]
geo = read_table("nuts2021_level0")
mapped = geo.merge(gap_bad[["geo", "gap", "flag"]], left_on="nuts_id", right_on="geo", how="left")
fig = maps.choropleth(mapped, "gap", scheme="quantiles", k=5, flag_column="flag",
                      legend_title=f"{GROUP} minus nationals (pp)")
_ = show_figure(fig, "ch1-bad-health-gap-map", title=f"Bad-health gap, {GROUP_LC} minus nationals, {year}",
            source=f"Eurostat, hlth_silc_24 (EU-SILC, {year}); boundaries © EuroGeographics, GISCO NUTS 2021 level 0",
            alt=f"Map of European countries coloured by the difference in percentage points between {GROUP_LC} "
                "and nationals reporting bad or very bad health; countries without data hatched grey.",
            data=mapped.drop(columns="geometry").drop(columns=["geo"]),
            caption="Percentage points; positive values: the group reports bad or very bad health more often than nationals. " + maps.left_out_note(mapped))

# %% [markdown]
# ## Health policy for migrants: the MIPEX health strand
#
# The Migrant Integration Policy Index scores the health strand for {glue:text}`ch1_mipex_years`
# {cite:p}`solano2020mipex`. Its twelve indicators fall into four dimensions: **entitlements** (conditions
# and documents for legal migrants, asylum seekers and undocumented migrants), **accessibility**
# (information on entitlements and on health promotion), **responsiveness** (interpreters, involvement of
# migrants in services) and **measures to achieve change** (research on migrant health, a
# whole-organisation approach). The grouping used here reproduces the strand score in the MIPEX
# workbooks as the mean of the four dimension means. In {glue:text}`ch1_mipex_year`,
# {glue:text}`ch1_mipex_n` European countries are scored; the highest health-strand score is
# {glue:text}`ch1_mipex_top` and the lowest {glue:text}`ch1_mipex_bottom`.
#
# A policy score is not an outcome ({ref}`caveat-policy`): the paired table and scatter set the two side
# by side and do not estimate any effect.

# %% tags=["remove-input"]
strands = read_table("mipex_strands")
indicators = read_table("mipex_indicators")
scores = health.mipex_health_scores(strands, countries=countries)
scored_years = [c for c in scores.columns if isinstance(c, int)]
glue("ch1_mipex_years", "2014 and 2019 (56 countries) and, in the EU update, 2020-2023 (EU Member States)",
     display=False)
eu_scores = scores[scores["geo"].isin(EUROPE)].copy()
eu_scores = eu_scores[eu_scores[scored_years].notna().any(axis=1)]
eu_scores = eu_scores[eu_scores["geo"].isin(list(gap_bad["geo"]) + list(scores.loc[scores[2023].notna(), "geo"]))]
shown = eu_scores.rename(columns={y: str(y) for y in scored_years}).drop(columns="geo")
_ = show_table(shown.sort_values("country"), "ch1-mipex-health-scores",
           title="MIPEX health-strand score by country, scored years",
           source="MIPEX 2020 core indicators 2007-2019 and EU update 2020-2024 (Solano & Huddleston 2020)",
           floatfmt="{:.0f}")

# %% tags=["remove-input"]
mipex_year = health.nearest_mipex_year([y for y in scored_years if scores[y].notna().sum() > 0], year)
dims = health.mipex_health_dimensions(indicators, year=mipex_year, countries=countries)
dims = dims[dims["geo"].isin(EUROPE)]
glue("ch1_mipex_year", int(mipex_year), display=False)
glue("ch1_mipex_n", int(len(dims)), display=False)
top, bottom = dims.sort_values("strand").iloc[-1], dims.sort_values("strand").iloc[0]
glue("ch1_mipex_top", f"{top['country']} ({top['strand']:.0f})", display=False)
glue("ch1_mipex_bottom", f"{bottom['country']} ({bottom['strand']:.0f})", display=False)
heat = dims.set_index("country")[list(health.MIPEX_HEALTH_DIMENSIONS)].sort_values("Entitlements")
heat = heat.loc[dims.set_index("country")["strand"].sort_values(ascending=False).index]
fig = charts.matrix_heatmap(heat, xlabel="MIPEX health dimension", ylabel="", cbar_label="Score (0-100)",
                            cmap="YlGnBu", figsize=(7.5, max(4, 0.22 * len(heat) + 1.5)))
_ = show_figure(fig, "ch1-mipex-health-dimensions", title=f"MIPEX health strand by dimension, {mipex_year}",
            source=f"MIPEX ({'EU update 2020-2024' if mipex_year >= 2020 else 'core indicators 2007-2019'}), "
                   f"health strand, {mipex_year}",
            alt=f"Heatmap of {len(heat)} countries (rows, ordered by health-strand score) by the four health "
                "dimensions: entitlements, accessibility, responsiveness, measures to achieve change.",
            data=dims, caption="Each dimension is the mean of its indicators; 100 = most favourable policy. Unlabelled pale cells score 0.")

# %% tags=["remove-input"]
paired = dims[["geo", "country", "strand", *health.MIPEX_HEALTH_DIMENSIONS]].merge(
    gap_bad[["geo", "gap", "flag"]].rename(columns={"gap": "gap_bad"}), on="geo", how="inner").merge(
    gap_good[["geo", "gap"]].rename(columns={"gap": "gap_good"}), on="geo", how="left")
glue("ch1_n_paired", int(len(paired)), display=False)
fig = charts.labelled_scatter(paired, x="strand", y="gap_bad", label="geo", flag="flag",
                              xlabel=f"MIPEX health-strand score, {mipex_year} (0-100)",
                              ylabel=f"Bad-health gap {year} (pp)")
_ = show_figure(fig, "ch1-mipex-vs-gap", title="Health policy score and the bad-health gap",
            source=f"MIPEX health strand ({mipex_year}); Eurostat, hlth_silc_24 (EU-SILC, {year})",
            alt=f"Scatter of {len(paired)} countries: MIPEX health-strand score on the x axis, gap in bad or "
                f"very bad health between {GROUP_LC} and nationals on the y axis; points labelled by country code.",
            data=paired, caption="No line is fitted: the comparison is descriptive, without controls for age or "
                                 "other differences between the groups.")
_ = show_table(paired.drop(columns=["geo"]).rename(columns={
    "strand": "MIPEX health", "gap_bad": "Gap bad/very bad (pp)", "gap_good": "Gap very good/good (pp)",
    "flag": "SILC flags", "country": "Country"}).sort_values("MIPEX health", ascending=False),
    "ch1-mipex-outcome-paired", title=f"MIPEX health dimensions ({mipex_year}) beside the self-perceived health gap ({year})",
    source=f"MIPEX health strand ({mipex_year}); Eurostat, hlth_silc_24 (EU-SILC, {year})")

# %% [markdown]
# ## Discrimination in healthcare: LGBT respondents (FRA, 2012)
#
# The FRA EU LGBT survey (2012) is not a survey of migrants; it is the only source in this book's
# inputs that asks directly about discrimination *by healthcare personnel*, which is one of the hidden
# barriers of trust the Action Plan describes, and it concerns a group the Partnership addresses in
# Action 4. Across the EU-28, {glue:text}`ch1_fra_trans:.0f`% of transgender respondents and
# {glue:text}`ch1_fra_gay:.0f`% of gay men said they had felt discriminated against by healthcare
# personnel in the previous 12 months (question c4_d). The survey was an online, non-probability
# survey; {glue:text}`ch1_fra_small` of the country × group cells below rest on small samples (marked
# in the CSV) ({ref}`caveat-survey`).

# %% tags=["remove-input"]
fra = read_table("fra_lgbt_2012")
c4d = health.fra2012_item(fra, question_code="c4_d", answer="Yes", countries=countries)
eu28 = c4d[c4d["geo"] == "EU28"].set_index("subset")["percentage"]
glue_numbers({
    "ch1_fra_trans": float(eu28.get("Transgender", float("nan"))),
    "ch1_fra_gay": float(eu28.get("Gay", float("nan"))),
    "ch1_fra_small": int(c4d["note"].str.contains("small").sum()),
})
subsets = ["Lesbian", "Gay", "Bisexual women", "Bisexual men", "Transgender"]
heat = c4d.pivot_table(index="country", columns="subset", values="percentage").reindex(columns=subsets)
order = heat.mean(axis=1).sort_values(ascending=False).index
fig = charts.matrix_heatmap(heat.loc[order], xlabel="Respondents", ylabel="", cmap="Oranges",
                            cbar_label="% discriminated against by healthcare personnel",
                            figsize=(7.5, max(4, 0.22 * len(heat) + 1.5)))
_ = show_figure(fig, "ch1-fra2012-healthcare-discrimination",
            title="Discriminated against by healthcare personnel, LGBT respondents, 2012",
            source="FRA, EU LGBT survey 2012, question c4_d (via the tidyrainbow extract)",
            alt="Heatmap of EU-28 countries by five LGBT respondent groups; transgender respondents report "
                "discrimination by healthcare personnel most often in most countries.",
            data=c4d, caption="Share answering 'Yes' to having felt discriminated against by healthcare personnel in the past 12 months. Blank: not published (sample too small). Cells based on small samples are flagged in the CSV's note column.")

# %% tags=["remove-input"]
c10 = fra[(fra["question_code"] == "c10") & (fra["geo"] == "EU28")]
c10w = c10.pivot_table(index="answer", columns="subset", values="percentage").reindex(columns=subsets)
c10w = c10w.sort_values("Transgender", ascending=False).reset_index().rename(columns={"answer": "Situation (c10)"})
_ = show_table(c10w, "ch1-fra2012-c10-eu28",
           title="Situations ever experienced when using or trying to access healthcare as an LGBT person, EU-28 average (%)",
           source="FRA, EU LGBT survey 2012, question c10", floatfmt="{:.0f}")

# %% [markdown]
# ## Unmet needs for medical examination
#
# The Action Plan asks "where/for whom is access most difficult". EU-SILC measures self-reported unmet
# needs for a medical examination and their main reason (too expensive, too far to travel, waiting
# list), by citizenship (`hlth_silc_30`) and country of birth (`hlth_silc_29`).

# %% tags=["remove-input"]
unmet_sources = {"hlth_silc_30": "eurostat_hlth_silc_30", "hlth_silc_29": "eurostat_hlth_silc_29"}


def unmet_needs_figure(name, tab):
    labels = common.group_labels(tab)
    u = health.unmet_needs_gap(tab, year=year if (tab["time"] == year).any() else None,
                               group=citizen_group, countries=countries)
    if u.empty:
        return None
    return dict(fig=charts.reference_gap_panels(u, panel="reason_label", labels=labels, group=citizen_group,
                                                xlabel="% of adults (16+)"),
                name=f"ch1-unmet-needs-{name.replace('_', '-')}",
                title=f"Unmet needs for medical examination by main reason, {u['year'].iloc[0]}",
                source=f"Eurostat, {name} (EU-SILC, {u['year'].iloc[0]})",
                alt=f"Dumbbell panels by reason of unmet medical needs comparing {labels['NAT'].lower()} and "
                    f"{labels.get(citizen_group, citizen_group).lower()} by country.",
                data=u, caption="(u): low reliability.")


rendered = show_declared_figures({name: read_table(name) for name in unmet_sources}, list(unmet_sources.values()),
                                 "unmet needs for medical examination by citizenship and country of birth",
                                 unmet_needs_figure)

# %% [markdown]
# ## What this evidence can and cannot say
#
# - Self-perceived health is a single survey question. It tracks mortality and chronic illness well in
#   general populations, but answers depend on language, culture and expectations, which differ between
#   the groups compared; it says nothing directly about *access* to care ({ref}`caveat-survey`).
# - The shares are crude (not age-standardised); foreign citizens are younger on average. A lower share
#   of bad health among them is not evidence of good access to healthcare.
# - Citizenship is not migration background; refugees, undocumented migrants and other hard-to-reach
#   groups the Action Plan names cannot be identified in EU-SILC, which samples people living in private
#   households with a registered address ({ref}`caveat-citizenship`).
# - MIPEX scores law and policy, not implementation or outcomes ({ref}`caveat-policy`).
# - Missing in this edition: unmet needs for medical care by citizenship or country of birth
#   (`hlth_silc_30`, `hlth_silc_29`) unless the section above shows them; nothing on the barriers the
#   Action Plan lists (trust, literacy, invisibility) is measured by any table here.

# %% tags=["remove-cell", "nbval-check-output"]
print(f"synthesis cells: {len(syn.cells)}; countries with both values: {len(gap_bad)}")
print(f"group worse than nationals (bad health): {int((gap_bad['gap'] > 0).sum())}")
print(f"EU gap first/last: {tb.iloc[0]:.1f} / {tb.iloc[-1]:.1f}")
print(f"MIPEX year {mipex_year}: {len(dims)} countries; paired: {len(paired)}")
print(f"FRA c4_d EU28 trans/gay: {eu28.get('Transgender')} / {eu28.get('Gay')}")
print(f"unmet needs rendered: {rendered}")
