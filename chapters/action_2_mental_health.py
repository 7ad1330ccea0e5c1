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
# year: year of the EU-SILC, asylum and refugee figures (population denominators: that year or the latest earlier one).
# countries: geo codes to keep; empty = all countries published.
# population_group: FRA EU-LGBTI II (2019) respondent group for the mental-health item.
# citizen_group: the citizenship group compared with nationals (NAT).
year = 2022
countries = []
population_group = "Trans people"
citizen_group = "NEU27_2020_FOR"

# %% tags=["remove-input"]
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup

setup("action_2_mental_health")
parameters_note(year=year, countries=countries or "all", population_group=population_group,
                citizen_group=citizen_group)

# %% tags=["remove-input"]
from myst_nb import glue

from inclusion_evidence.analysis import common, mental_health
from inclusion_evidence.analysis.synthesis_views import labelled_matrix, relations_table
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import load_synthesis, synthesis_matrix
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.declared import show_declared_figures
from inclusion_evidence.present.figures import glue_numbers, show_figure, show_markdown, show_table
from inclusion_evidence.present.synthesis_figures import cite_roles, gap_list

GROUP = common.CITIZEN_LABELS[citizen_group]
GROUP_LC = GROUP[0].lower() + GROUP[1:]
glue_numbers({
    "ch2_year": int(year),
    "ch2_group": GROUP_LC,
    "ch2_population_group": population_group.lower(),
})

# %% [markdown]
# # Action 2: Prevention, early identification and treatment of mental health concerns

# %% tags=["remove-input"]
at_a_glance(2)

# %% [markdown]
# The Action Plan states that refugees and migrants "generally have a higher prevalence of mental health
# disorders than native populations" and face "linguistic, financial, administrative, cultural, and
# other barriers" to services, and it builds on the WHO Regional Office for Europe's 2018 guidance
# {cite:p}`actionplan2021,who2018mentalhealth`. The text gives no prevalence figures. This chapter lays
# out the framework the text names, then the few indicators in this book's inputs that come near the
# question, each labelled for what it is.
#
# ## The framework: WHO 2018 guidance areas, stakeholders and stages
#
# The Action Plan lists seven aspects of the WHO guidance and names the stakeholders of the action and the
# stages from arrival to long-term integration. The text states {glue:text}`ch2_n_cells` relations between
# them; the number that link a guidance area to a stage is {glue:text}`ch2_n_stage_cells`, and the text
# assigns no area to any action-group member.

# %% tags=["remove-input"]
syn = load_synthesis("mental_health_framework")
glue_numbers({
    "ch2_n_cells": int(len(syn.cells)),
    "ch2_n_stage_cells": int(syn.cells["layer"].notna().sum()),
    "ch2_n_gaps": int(len(syn.gaps)),
})
row_labels = dict(zip(syn.rows["id"], syn.rows["label"]))
col_labels = dict(zip(syn.columns["id"], syn.columns["label"]))
lay_labels = dict(zip(syn.layers["id"], syn.layers["label"]))
m_st = labelled_matrix(synthesis_matrix(syn), row_labels, col_labels)
fig = charts.matrix_heatmap(m_st, xlabel="Stakeholder", ylabel="WHO guidance area",
                            cbar_label="", figsize=(9, 5.5))
_ = show_figure(fig, "ch2-framework-area-stakeholder", title="WHO guidance areas by stakeholder in the Action Plan",
            source="Action Plan 2021-2022, Action 2 (synthesis file mental_health_framework.yml)",
            alt="Heatmap of seven WHO guidance areas against fifteen stakeholders; only the WHO Regional "
                "Office for Europe column is filled, once for each area.",
            data=m_st.reset_index(names="area"),
            caption="Number of relations the text states between a guidance area and a stakeholder (0 = none).")

# %% tags=["remove-input"]
m_stage = labelled_matrix(synthesis_matrix(syn, against="layer"), row_labels, lay_labels)
fig = charts.matrix_heatmap(m_stage, xlabel="Stage", ylabel="WHO guidance area", cbar_label="")
_ = show_figure(fig, "ch2-framework-area-stage", title="WHO guidance areas by stage of the migration trajectory",
            source="Action Plan 2021-2022, Action 2 (synthesis file mental_health_framework.yml)",
            alt="Heatmap of seven WHO guidance areas against four stages (before, during migration, arrival, "
                "medium- and long-term integration); only social integration is linked to a stage.",
            data=m_stage.reset_index(names="area"),
            caption="Number of relations the text states between a guidance area and a stage.")

# %% tags=["remove-input"]
shown = relations_table(syn, {"area_label": "WHO area", "stakeholder_label": "Stakeholder", "stage_label": "Stage",
                              "relation": "Relation stated", "scope": "Scope", "source": "Source"})
shown["Source"] = shown["Source"].map(cite_roles)
_ = show_table(shown, "ch2-framework-table", title="Every relation of the mental-health framework and its source",
           source="Action Plan 2021-2022, Action 2; WHO Regional Office for Europe (2018)")

# %% [markdown]
# **What the text does not quantify.** The synthesis file holds no evidence records. Its
# {glue:text}`ch2_n_gaps` recorded gaps are:

# %% tags=["remove-input"]
show_markdown(gap_list(syn))

# %% [markdown]
# ## Feeling downhearted or depressed: LGBTI respondents (FRA, 2019)
#
# The FRA EU-LGBTI II survey asked how often respondents had felt "downhearted or depressed" in the
# past two weeks {cite:p}`fra2020lgbti`. It is the only mental-health item by country in this book's
# inputs. The share below adds the answers "all of the time", "most of the time" and "more than half of
# the time". FRA publishes it by age group, not for all ages together, so no country total is
# computed here. Among {glue:text}`ch2_population_group` aged {glue:text}`ch2_fra_age`, the share
# ranges from {glue:text}`ch2_fra_min` to {glue:text}`ch2_fra_max` across countries (EU-28:
# {glue:text}`ch2_fra_eu`). The survey is an online, non-probability survey of LGBTI people; it does
# not record migration background, so it concerns the LGBTI migrants of Action 4 only in so far as
# they took part ({ref}`caveat-survey`).

# %% tags=["remove-input"]
fra = read_table("fra_lgbti_2019")
dep = mental_health.fra2019_depressed(fra, target_group=population_group, breakdown="age", countries=countries)
AGE = "25-39"
glue("ch2_fra_age", AGE, display=False)
one = dep[(dep["subgroup"] == AGE)].dropna(subset=["share"])
ctry = one[one["geo"] != "EU28"]
glue("ch2_fra_min", f"{ctry['share'].min():.0f}% ({ctry.loc[ctry['share'].idxmin(), 'country']})" if len(ctry) else "n/a",
     display=False)
glue("ch2_fra_max", f"{ctry['share'].max():.0f}% ({ctry.loc[ctry['share'].idxmax(), 'country']})" if len(ctry) else "n/a",
     display=False)
eu_val = one.loc[one["geo"] == "EU28", "share"]
glue("ch2_fra_eu", f"{eu_val.iloc[0]:.0f}%" if len(eu_val) else "not published", display=False)
fig = charts.ranked_bars(one, label="country", value="share", highlight={"EU-28"},
                         xlabel="% downhearted or depressed more than half of the time or more",
                         value_format="{:.0f}")
_ = show_figure(fig, "ch2-fra2019-depressed-ranked",
            title=f"Downhearted or depressed: {population_group.lower()} aged {AGE}, 2019",
            source="FRA, EU-LGBTI II survey 2019, question T1Q5 (via the tidyrainbow extract)",
            alt=f"Ranked bars by country of the share of {population_group.lower()} aged {AGE} who felt "
                "downhearted or depressed more than half of the time or more in the past two weeks; "
                "the EU-28 average highlighted.",
            data=one, caption="Countries where FRA did not publish the estimate (too few respondents) are omitted.")

# %% tags=["remove-input"]
ages = ["15-17", "18-24", "25-39", "40-54", "55+"]
heat = dep.pivot_table(index="country", columns="subgroup", values="share").reindex(columns=ages)
heat = heat.loc[["EU-28"] * ("EU-28" in heat.index) + sorted(i for i in heat.index if i != "EU-28")]
fig = charts.matrix_heatmap(heat, xlabel="Age group", ylabel="", cmap="Purples", cbar_label="%",
                            figsize=(7.5, max(4, 0.22 * len(heat) + 1.5)))
_ = show_figure(fig, "ch2-fra2019-depressed-by-age",
            title=f"Downhearted or depressed by age: {population_group.lower()}, 2019",
            source="FRA, EU-LGBTI II survey 2019, question T1Q5 (via the tidyrainbow extract)",
            alt=f"Heatmap of countries by five age groups of the share of {population_group.lower()} feeling "
                "downhearted or depressed more than half of the time or more; younger groups are darker in most countries.",
            data=dep, caption="Blank: not published. Shares of 'all', 'most' and 'more than half' of the time added.")

# %% [markdown]
# ## The nearest general indicator: bad or very bad self-perceived health
#
# No mental-health indicator by citizenship is in this edition's inputs (see the last section). The
# nearest general indicator is the share reporting **bad or very bad self-perceived health** (EU-SILC),
# which covers physical and mental health together and is **not a measure of mental health**. In
# {glue:text}`ch2_year`, {glue:text}`ch2_group` report it more often than nationals in
# {glue:text}`ch2_n_worse` of {glue:text}`ch2_n_countries` countries. The shares are crude (not
# age-standardised) and foreign citizens are younger on average ({ref}`caveat-citizenship`,
# {ref}`caveat-survey`).

# %% tags=["remove-input"]
silc = read_table("hlth_silc_24")
gap_bad = common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="B_VB", countries=countries)
glue("ch2_n_countries", int(len(gap_bad)), display=False)
glue("ch2_n_worse", int((gap_bad["gap"] > 0).sum()), display=False)
fig = charts.dumbbell(gap_bad, label="country", left="reference", right="group", left_name="Nationals",
                      right_name=GROUP, xlabel="% of adults (16+) reporting bad or very bad health", flag="flag")
_ = show_figure(fig, "ch2-bad-health-proxy", title=f"Bad or very bad health (general indicator), {year}",
            source=f"Eurostat, hlth_silc_24 (EU-SILC, {year})",
            alt=f"Dumbbell chart by country of the share of nationals and of {GROUP_LC} reporting bad or very "
                f"bad self-perceived health in {year}; {len(gap_bad)} countries.",
            data=gap_bad, caption="Self-perceived general health, not mental health. Crude shares. (u): low reliability.")

# %% [markdown]
# ## The population most exposed: asylum applicants and refugees
#
# The Action Plan singles out refugees and asylum seekers, and those "living in insecure situations".
# Their number relative to the resident population gives the scale of the need the action addresses. In
# {glue:text}`ch2_year`, asylum applications per 100 000 residents ranged from
# {glue:text}`ch2_asy_min` to {glue:text}`ch2_asy_max`; refugees and asylum seekers under UNHCR's
# mandate per 100 000 residents ranged from {glue:text}`ch2_ref_min` to {glue:text}`ch2_ref_max`.
# Population denominators are the World Bank's total population for {glue:text}`ch2_pop_year`.
# UNHCR's refugee figures from 2022 include people displaced from Ukraine, most of them under
# temporary protection; the Eurostat asylum figures count applications (first and subsequent), not
# people granted protection.

# %% tags=["remove-input"]
rates = mental_health.exposure_rates(read_table("migr_asyappctza"), read_table("unhcr_population"),
                              read_table("population_worldbank"), year=year, countries=countries)
pop_years = sorted(rates["population_year"].dropna().astype(int).unique())
glue("ch2_pop_year", ", ".join(map(str, pop_years)) or "n/a", display=False)


def _range(col):
    d = rates.dropna(subset=[col])
    if d.empty:
        return "n/a", "n/a"
    lo, hi = d.loc[d[col].idxmin()], d.loc[d[col].idxmax()]
    return f"{lo[col]:,.0f} ({lo['country']})", f"{hi[col]:,.0f} ({hi['country']})"


for key, col in (("asy", "asylum_per_100k"), ("ref", "refugees_asylum_seekers_per_100k")):
    lo, hi = _range(col)
    glue(f"ch2_{key}_min", lo, display=False)
    glue(f"ch2_{key}_max", hi, display=False)

fig = charts.ranked_bars(rates, label="country", value="asylum_per_100k", flag="asylum_flag",
                         xlabel="Asylum applicants per 100 000 residents")
_ = show_figure(fig, "ch2-asylum-per-100k", title=f"Asylum applicants per 100 000 residents, {year}",
            source=f"Eurostat, migr_asyappctza (citizen TOTAL, {year}); World Bank, SP.POP.TOTL ({', '.join(map(str, pop_years))})",
            alt=f"Ranked bars of asylum applicants per 100 000 residents by country in {year}; "
                f"{int(rates['asylum_per_100k'].notna().sum())} countries.",
            data=rates, caption="All applicants (first-time and subsequent), all ages, all citizenships.")

# %% tags=["remove-input"]
fig = charts.ranked_bars(rates, label="country", value="refugees_asylum_seekers_per_100k",
                         xlabel="Refugees and asylum seekers per 100 000 residents")
_ = show_figure(fig, "ch2-refugees-per-100k", title=f"Refugees and asylum seekers per 100 000 residents, {year}",
            source=f"UNHCR Refugee Data Finder ({year}); World Bank, SP.POP.TOTL ({', '.join(map(str, pop_years))})",
            alt=f"Ranked bars of refugees plus asylum seekers per 100 000 residents by country in {year}; "
                f"{int(rates['refugees_asylum_seekers_per_100k'].notna().sum())} countries (the UNHCR extract "
                "has no figures for Portugal, Slovakia or non-EU countries).",
            data=rates, caption="Stock at the end of the year, all countries of origin.")

# %% tags=["remove-input"]
geo = read_table("nuts2021_level0")
mapped = geo.merge(rates[["geo", "refugees_asylum_seekers_per_100k"]], left_on="nuts_id", right_on="geo", how="left")
fig = maps.choropleth(mapped, "refugees_asylum_seekers_per_100k", scheme="quantiles", k=5,
                      legend_title="Refugees + asylum seekers per 100 000", value_format="{:,.0f}")
_ = show_figure(fig, "ch2-refugees-per-100k-map", title=f"Refugees and asylum seekers per 100 000 residents, {year}",
            source=f"UNHCR Refugee Data Finder ({year}); World Bank SP.POP.TOTL; boundaries © EuroGeographics, "
                   "GISCO NUTS 2021 level 0",
            alt="Map of European countries coloured by refugees and asylum seekers per 100 000 residents; "
                "countries outside the UNHCR extract hatched grey.",
            data=mapped.drop(columns=["geometry", "geo"]),
            caption="No data: not in the UNHCR extract. " + maps.left_out_note(mapped))

# %% [markdown]
# ## Depressive symptoms by citizenship and country of birth (EHIS 2019)
#
# The European Health Interview Survey (2019) measures current depressive symptoms (PHQ-8) and Eurostat
# publishes them by citizenship (`hlth_ehis_mh1c`) and by country of birth (`hlth_ehis_mh1b`). This is
# the indicator that would answer the Action Plan's claim of a higher prevalence among migrants.

# %% tags=["remove-input"]
ehis_sources = {"hlth_ehis_mh1c": "eurostat_hlth_ehis_mh1c", "hlth_ehis_mh1b": "eurostat_hlth_ehis_mh1b"}


def depressive_symptoms_figure(name, tab):
    labels = common.group_labels(tab)
    d = mental_health.depressive_symptoms_gap(tab, group=citizen_group, countries=countries)
    if d.empty:
        return None
    group_name = labels.get(citizen_group, citizen_group).lower()
    return dict(fig=charts.reference_gap_panels(d, panel="item", labels=labels, group=citizen_group,
                                                xlabel="% of the population (15+)"),
                name=f"ch2-depressive-symptoms-{name.replace('_', '-')}",
                title=f"Current depressive symptoms, {labels['NAT'].lower()} and {group_name}, {d['year'].iloc[0]}",
                source=f"Eurostat, {name} (EHIS, {d['year'].iloc[0]})",
                alt=f"Dumbbell panels by country comparing the share with current depressive symptoms of "
                    f"{labels['NAT'].lower()} and {group_name}.",
                data=d, caption="(u): low reliability.")


rendered = show_declared_figures({name: read_table(name) for name in ehis_sources}, list(ehis_sources.values()),
                                 "depressive symptoms by citizenship and country of birth (EHIS 2019)",
                                 depressive_symptoms_figure)

# %% [markdown]
# ## What this evidence can and cannot say
#
# - No table in this edition measures the mental health of migrants or refugees by citizenship or
#   country of birth unless the EHIS section above shows data; the Action Plan's statement of a higher
#   prevalence is not tested here.
# - Bad or very bad self-perceived health is a general indicator; it mixes physical and mental health,
#   is not age-standardised here, and EU-SILC does not reach people in reception centres or without a
#   registered address, where the Action Plan places the highest risk ({ref}`caveat-survey`,
#   {ref}`caveat-citizenship`).
# - The FRA item is from a non-probability online survey of LGBTI people, by age group only, with no
#   migration variable.
# - Rates per 100 000 residents show scale, not need: they count applications or protection status, not
#   people with a mental-health condition.

# %% tags=["remove-cell", "nbval-check-output"]
print(f"framework cells: {len(syn.cells)}; stage cells: {int(syn.cells['layer'].notna().sum())}")
print(f"FRA {population_group} {AGE}: {len(ctry)} countries; EU28 {eu_val.round(0).tolist()}")
print(f"bad-health countries: {len(gap_bad)}; group worse: {int((gap_bad['gap'] > 0).sum())}")
print(f"asylum rates: {int(rates['asylum_per_100k'].notna().sum())}; refugee rates: "
      f"{int(rates['refugees_asylum_seekers_per_100k'].notna().sum())}")
print(f"max refugee rate: {rates['refugees_asylum_seekers_per_100k'].max():.0f}")
print(f"EHIS rendered: {rendered}")
