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
# Parameters of this chapter.
# year: year of the refugee and asylum figures (population denominators: that year or the latest earlier one).
# scope: the countries every statistic, ranking and map class covers ("EU27" by default; e.g.
#   "EU27+EFTA+candidates"); countries outside it with data are shown as context only.
# countries: geo codes to keep within the scope; empty = every country of the scope.
# population_group: FRA EU-LGBTI II (2019) respondent group of the context section.
# citizen_group: the citizenship group compared with nationals (NAT) where EHIS data are present.
year = 2022
scope = "EU27"
countries = []
population_group = "Trans people"
citizen_group = "NEU27_2020_FOR"

# %% tags=["remove-input"]
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup

_ = setup("action_2_mental_health")

# %% tags=["remove-input"]
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common, mental_health
from inclusion_evidence.analysis.synthesis_views import named_in_plan
from inclusion_evidence.core.geo_codes import scope_countries
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import load_synthesis, synthesis_table
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.citizenship import citizenship_page, show_wrapped
from inclusion_evidence.present.declared import declared_results, gap_panels_figure, show_declared_figures
from inclusion_evidence.present.figures import download_csv, glue_numbers, show_markdown, show_table, source_line
from inclusion_evidence.present.findings import Finding, Value, show_key_findings
from inclusion_evidence.present.synthesis_figures import gap_list

GROUP, GROUP_LC, SCOPE, SCOPE_COUNTRIES, IN_SCOPE = citizenship_page(citizen_group, scope, countries)
show = show_wrapped  # figures: small text raised, title wrapped
glue_numbers({"ch2_year": int(year), "ch2_group": GROUP_LC, "ch2_scope": SCOPE,
              "ch2_scope_countries": SCOPE_COUNTRIES,
              "ch2_population_group": population_group.lower()})

# The Action Plan's framework (WHO 2018 guidance areas, stakeholders, stages).
syn = load_synthesis("mental_health_framework")

# Refugees and asylum seekers per 100 000 residents (UNHCR; World Bank population).
rates_all = mental_health.exposure_rates(read_table("migr_asyappctza"), read_table("unhcr_population"),
                                         read_table("population_worldbank"), year=year)
rates = rates_all[rates_all["geo"].isin(IN_SCOPE)].reset_index(drop=True)
pooled = mental_health.pooled_rate(rates, count="refugees_asylum_seekers")

# Depressive symptoms by citizenship or country of birth (EHIS; declared, used when present).
EHIS_SOURCES = {"hlth_ehis_mh1c": "eurostat_hlth_ehis_mh1c", "hlth_ehis_mh1b": "eurostat_hlth_ehis_mh1b"}
ehis_tables = {name: read_table(name) for name in EHIS_SOURCES}
ehis = declared_results(ehis_tables, lambda tab: mental_health.depressive_symptoms_gap(
    tab, group=citizen_group, countries=IN_SCOPE))

# Context: FRA EU-LGBTI II (2019).
fra = read_table("fra_lgbti_2019")
dep = mental_health.fra2019_depressed(fra, target_group=population_group, breakdown="age", countries=IN_SCOPE)
AGE = "25-39"

# %% [markdown]
# # Action 2: Prevention, early identification and treatment of mental health concerns

# %% tags=["remove-input"]
findings = []
r = rates.dropna(subset=["refugees_asylum_seekers_per_100k"])
if pooled["n"]:
    lo, hi = r.loc[r["refugees_asylum_seekers_per_100k"].idxmin()], r.loc[r["refugees_asylum_seekers_per_100k"].idxmax()]
    findings.append(Finding(
        "ch2_key_refugees",
        "At the end of {year}, the {n} " + SCOPE_COUNTRIES + " in UNHCR's figures hosted {rate} refugees and "
        "asylum seekers per 100 000 residents taken together, from {low} in {low_country} to {high} in "
        "{high_country}: the scale of the population whose mental health the action is about.",
        {"n": Value(pooled["n"]), "rate": Value(pooled["rate"], "{:,.0f}"),
         "low": Value(lo["refugees_asylum_seekers_per_100k"], "{:,.0f}"), "low_country": Value(lo["country"]),
         "high": Value(hi["refugees_asylum_seekers_per_100k"], "{:,.0f}"), "high_country": Value(hi["country"])},
        source=source_line(["unhcr_refugee_population", "worldbank_sp_pop_totl"]), scope=SCOPE, year=year))
else:
    findings.append(Finding("ch2_key_refugees", "", scope=SCOPE, year=year,
                            missing=f"UNHCR's figures give no refugee count for the {SCOPE} in {year}"))
if ehis:
    name, d = next(iter(ehis.items()))
    item = d[d["item"] == d["item"].iloc[0]]
    findings.append(Finding(
        "ch2_key_depression",
        "In {ehis_year}, " + GROUP_LC + " reported current depressive symptoms more often than nationals in "
        "{worse} of {n} " + SCOPE_COUNTRIES + " with both values.",
        {"ehis_year": Value(int(d["year"].iloc[0])), "worse": Value(int((item["gap"] > 0).sum())),
         "n": Value(len(item))}, source=source_line(EHIS_SOURCES[name], "EHIS"), scope=SCOPE, year=int(d["year"].iloc[0])))
else:
    findings.append(Finding("ch2_key_depression", "", scope=SCOPE, year=year, missing=(
        "no measure of mental health by citizenship or country of birth is in this edition, so the Action "
        "Plan's statement that migrants and refugees have a higher prevalence of mental health disorders "
        "cannot be checked here; Eurostat's current depressive symptoms by citizenship (EHIS 2019, "
        "hlth_ehis_mh1c) would measure it")))
linked = syn.columns.set_index("id").loc[list(dict.fromkeys(syn.cells["column"].dropna())), "label"].tolist()
findings.append(Finding(
    "ch2_key_plan",
    "The Action Plan names {areas} areas of the WHO Europe 2018 guidance, {stakeholders} stakeholders and "
    "{stages} stages from before migration to long-term integration, but links the areas to {linked} of the "
    "stakeholders ({linked_names}) and ties {stage_links} of them to a stage.",
    {"areas": Value(len(syn.rows)), "stakeholders": Value(len(syn.columns)), "stages": Value(len(syn.layers)),
     "linked": Value(len(linked)), "linked_names": Value("; ".join(linked)),
     "stage_links": Value(int(syn.cells.loc[syn.cells["layer"].notna(), "row"].nunique()))},
    source=source_line("action_plan", "Action 2"), scope=""))
_ = show_key_findings(findings, [
    "Action 2 aims to raise awareness of the barriers to the early identification and treatment of mental "
    "health concerns among refugees and migrants, and to explore prevention and promotion strategies (Action "
    "Plan, Action 2, objective and expected outcomes). This edition holds no European statistic on the mental "
    "health of migrants or refugees, or on their use of mental-health services, so it cannot show where the "
    "barriers are greatest.",
    "What the data show is the scale and spread of the refugee population the roundtable addresses. The "
    "indicator to add first is Eurostat's table of depressive symptoms by citizenship from the European Health "
    "Interview Survey; the LGBTI survey figures at the end of the chapter are context only, with no migrant "
    "variable.",
])

# %% tags=["remove-input"]
at_a_glance(2)

# %% [markdown]
# The Action Plan states that refugees and migrants "generally have a higher prevalence of mental health
# disorders than native populations" and face "linguistic, financial, administrative, cultural, and
# other barriers" to services, and it builds on the {term}`WHO` Regional Office for Europe's 2018 guidance
# {cite:p}`actionplan2021,who2018mentalhealth`. The text gives no prevalence figures. This chapter sets
# out what the text names, then the few indicators in this book's inputs that come near the question,
# each labelled for what it is, for the {glue:text}`ch2_scope_countries`.
#
# ## What the Action Plan names: WHO guidance areas, stakeholders and stages
#
# {numref}`tbl-action_2_mental_health-ch2-named-in-plan` lists, in the plan's own words, the aspects of
# the WHO 2018 guidance the action builds on, the stakeholders it names and the stages of the migration
# trajectory. The text states {glue:text}`ch2_n_cells` relations between them: each guidance area is tied
# to the WHO Regional Office for Europe, whose guidance it comes from, and {glue:text}`ch2_n_stage_cells`
# area to a stage (mental health as an obstacle to medium- and long-term social integration). No area is
# assigned to any member of the action group.

# %% tags=["remove-input"]
glue_numbers({
    "ch2_n_cells": int(len(syn.cells)),
    "ch2_n_stage_cells": int(syn.cells["layer"].notna().sum()),
    "ch2_n_gaps": int(len(syn.gaps)),
})
named = named_in_plan(syn, group_by={"columns": "role"})
shown = pd.DataFrame({"What the plan names": named["dimension"] + ": " + named["n"].astype(str),
                      "Named": named["items"], "In the plan's words (section of the Action Plan)": named["quoted"]})
_ = show_table(shown,
               "ch2-named-in-plan",
               title="WHO guidance areas, stakeholders and stages of the migration trajectory named in Action 2",
               source=source_line("action_plan", "Action 2; WHO Regional Office for Europe (2018)"), floatfmt="{:.0f}")
_ = download_csv(synthesis_table(syn), "ch2-framework-relations",
             "Every relation between a guidance area and a stakeholder or stage that the text states, with its "
             "quote (CSV)")

# %% [markdown]
# **What the text does not say.** The {glue:text}`ch2_n_gaps` open points are:

# %% tags=["remove-input"]
show_markdown(gap_list(syn))

# %% [markdown]
# ## The population most exposed: refugees and asylum seekers
#
# The Action Plan singles out refugees and asylum seekers, and those "living in insecure situations".
# Their number relative to the resident population gives the scale of the need the action addresses
# ({numref}`fig-action_2_mental_health-ch2-refugees-per-100k`). At the end of {glue:text}`ch2_year`,
# refugees and asylum seekers under UNHCR's mandate numbered {glue:text}`ch2_ref_pooled` per 100 000
# residents across the {glue:text}`ch2_ref_n` {glue:text}`ch2_scope_countries` in UNHCR's figures,
# from {glue:text}`ch2_ref_min` to {glue:text}`ch2_ref_max`
# ({numref}`fig-action_2_mental_health-ch2-refugees-per-100k-map` maps them). Population denominators are the World
# Bank's total population for {glue:text}`ch2_pop_year`. UNHCR's figures from 2022 include people
# displaced from Ukraine, most of them under temporary protection. Applications for asylum per 100 000
# residents, a flow rather than a stock, are shown once, in chapter 7
# ({ref}`asylum applicants per 100 000 residents <fig-asylum-applicants-per-100k>`).

# %% tags=["remove-input"]
pop_years = sorted(rates["population_year"].dropna().astype(int).unique())
glue("ch2_pop_year", ", ".join(map(str, pop_years)) or "n/a", display=False)
col = "refugees_asylum_seekers_per_100k"
d = rates.dropna(subset=[col])
if len(d):
    lo, hi = d.loc[d[col].idxmin()], d.loc[d[col].idxmax()]
    glue("ch2_ref_min", f"{lo[col]:,.0f} ({lo['country']})", display=False)
    glue("ch2_ref_max", f"{hi[col]:,.0f} ({hi['country']})", display=False)
else:
    glue("ch2_ref_min", "n/a", display=False)
    glue("ch2_ref_max", "n/a", display=False)
glue("ch2_ref_pooled", f"{pooled['rate']:,.0f}" if pooled["n"] else "n/a", display=False)
glue("ch2_ref_n", int(pooled["n"]), display=False)
no_count = sorted(common.name_of(g) for g in IN_SCOPE if g not in set(d["geo"]))
fig = charts.ranked_bars(d, label="country", value=col,
                         xlabel="Refugees and asylum seekers per 100 000 residents")
_ = show(fig, "ch2-refugees-per-100k",
                title=f"Refugees and asylum seekers under UNHCR's mandate per 100 000 residents, all ages, "
                      f"{SCOPE}, end of {year}",
                source=source_line(["unhcr_refugee_population", "worldbank_sp_pop_totl"],
                                   f"refugees {year}; population {', '.join(map(str, pop_years))}"),
                alt=f"Ranked bars of refugees plus asylum seekers per 100 000 residents by country ({SCOPE}) at the "
                    f"end of {year}; {len(d)} countries.",
                data=rates,
                caption="Stock at the end of the year, all countries of origin and all ages. "
                        + (f"Not in UNHCR's figures: {', '.join(no_count)}." if no_count else ""))

# %% tags=["remove-input"]
geo = read_table("nuts2021_level0")
context = rates_all[~rates_all["geo"].isin(scope_countries(scope))
                    & (rates_all["geo"].isin(countries) if countries else True)]
mapped = geo.merge(pd.concat([rates, context])[["geo", col]], left_on="nuts_id", right_on="geo", how="left")
fig = maps.choropleth(mapped, col, scope=scope, scheme="quantiles", k=5,
                      legend_title="Refugees + asylum seekers per 100 000", value_format="{:,.0f}")
_ = show(fig, "ch2-refugees-per-100k-map",
                title=f"Refugees and asylum seekers under UNHCR's mandate per 100 000 residents, {SCOPE}, "
                      f"end of {year}",
                source=source_line(["unhcr_refugee_population", "worldbank_sp_pop_totl",
                                    ("gisco_nuts2021_60m_levl0", "level 0")], f"refugees {year}; © EuroGeographics for the administrative boundaries"),
                alt=f"Map of the {SCOPE_COUNTRIES} coloured by refugees and asylum seekers per 100 000 residents; "
                    "countries without a UNHCR figure hatched grey.",
                data=mapped.drop(columns=["geometry", "geo"]),
                caption="A one-sided rate: sequential palette, classes on the " + SCOPE + " values. No data: not "
                        "in UNHCR's figures. " + maps.left_out_note(mapped))


# %% [markdown]
# ## Depressive symptoms by citizenship and country of birth (EHIS 2019)
#
# The European Health Interview Survey (2019) measures current depressive symptoms with a standard
# questionnaire (PHQ-8), and Eurostat publishes the results by citizenship and by country of birth. It is
# the indicator that would test the Action Plan's statement of a higher prevalence among migrants.

# %% tags=["remove-input"]
_ = show_declared_figures(
    ehis_tables, list(EHIS_SOURCES.values()), "depressive symptoms by citizenship and by country of birth",
    gap_panels_figure(ehis, group=citizen_group, scope=SCOPE, prefix="ch2-depressive-symptoms", panel="item",
                      xlabel="% of the population (15+)", survey="EHIS", source_ids=EHIS_SOURCES,
                      subject="People aged 15+ with current depressive symptoms",
                      alt="Dumbbell panels by country ({scope}) comparing the share with current depressive symptoms "
                          "of {nat} and {group}."),
    why="The Action Plan says that refugees and migrants generally have more mental health disorders than native "
        "populations. The share of people with current depressive symptoms, by citizenship and by country of "
        "birth, is the only EU-wide statistic that could test this for the member states; without it this "
        "chapter cannot say where migrants' mental health is worse. Eurostat publishes it from the European "
        "Health Interview Survey, held every six years (latest wave 2019).")

# %% [markdown]
# ## General health: see chapter 1
#
# The nearest general indicator in this book, the share of adults reporting **bad or very bad
# self-perceived health** by citizenship (EU-SILC), is shown once, in chapter 1
# ({numref}`fig-action_1_healthcare-ch1-bad-health-gap`). It covers physical and mental health
# together and is not a measure of mental health.
#
# ## Context: LGBTI respondents feeling downhearted or depressed (FRA, 2019)
#
# ```{note}
# This section is context, not evidence for the action: the FRA EU-LGBTI II survey is an online,
# non-probability survey of LGBTI people and does not record migration background. It concerns the LGBTI
# migrants of Action 4 only in so far as they took part ({ref}`caveat-survey`).
# ```
#
# The survey of the EU Agency for Fundamental Rights ({term}`FRA`) asked how often respondents had felt
# "downhearted or depressed" in the past two weeks
# {cite:p}`fra2020lgbti`; the share below adds the answers "all of the time", "most of the time" and
# "more than half of the time". FRA publishes it by age group, not for all ages together, so no country
# total is computed here. Among {glue:text}`ch2_population_group` aged {glue:text}`ch2_fra_age`, the
# share ranges from {glue:text}`ch2_fra_min` to {glue:text}`ch2_fra_max` across the
# {glue:text}`ch2_fra_n` {glue:text}`ch2_scope_countries` with a published estimate (EU-28:
# {glue:text}`ch2_fra_eu`; {numref}`fig-action_2_mental_health-ch2-fra2019-depressed-ranked`).
# {numref}`fig-action_2_mental_health-ch2-fra2019-depressed-by-age` shows every age group: the share is
# highest among the youngest respondents (aged {glue:text}`ch2_fra_youngest`) in
# {glue:text}`ch2_fra_young_n` of the {glue:text}`ch2_fra_young_of` countries with estimates.

# %% tags=["remove-input"]
glue("ch2_fra_age", AGE, display=False)
one = dep[(dep["subgroup"] == AGE)].dropna(subset=["share"])
ctry = one[one["geo"] != "EU28"]
glue("ch2_fra_n", int(len(ctry)), display=False)
glue("ch2_fra_min", f"{ctry['share'].min():.0f}% ({ctry.loc[ctry['share'].idxmin(), 'country']})" if len(ctry) else "n/a",
     display=False)
glue("ch2_fra_max", f"{ctry['share'].max():.0f}% ({ctry.loc[ctry['share'].idxmax(), 'country']})" if len(ctry) else "n/a",
     display=False)
eu_val = one.loc[one["geo"] == "EU28", "share"]
glue("ch2_fra_eu", f"{eu_val.iloc[0]:.0f}%" if len(eu_val) else "not published", display=False)
unpublished = sorted(common.name_of(g) for g in IN_SCOPE if g not in set(ctry["geo"]))
WHO = population_group.lower()
fig = charts.ranked_bars(one, label="country", value="share", highlight={"EU-28"},
                         xlabel="% downhearted or depressed more than half of the time or more",
                         value_format="{:.0f}")
_ = show(fig, "ch2-fra2019-depressed-ranked",
                title=f"Context, no migrant variable: LGBTI survey respondents ({WHO}, aged {AGE}) who felt "
                      f"downhearted or depressed more than half of the time in the past two weeks, {SCOPE} and "
                      "EU-28, 2019",
                source=source_line("fra_lgbti2019_t1q5", "question T1Q5"),
                alt=f"Ranked bars by country ({SCOPE}) of the share of {WHO} aged {AGE} who felt downhearted or "
                    "depressed more than half of the time or more in the past two weeks; the EU-28 average "
                    "highlighted.",
                data=one,
                caption="Online, non-probability survey of LGBTI people; no migration variable. "
                        + (f"No estimate published by FRA (too few respondents): {', '.join(unpublished)}."
                           if unpublished else ""))

# %% tags=["remove-input"]
ages = ["15-17", "18-24", "25-39", "40-54", "55+"]
heat = dep.pivot_table(index="country", columns="subgroup", values="share").reindex(columns=ages)
heat = heat.loc[["EU-28"] * ("EU-28" in heat.index) + sorted(i for i in heat.index if i != "EU-28")]
countries_only = heat.drop(index="EU-28", errors="ignore").dropna(how="all")
youngest = next((a for a in ages if heat[a].notna().any()), ages[0])
glue_numbers({"ch2_fra_youngest": youngest,
              "ch2_fra_young_n": int((countries_only.idxmax(axis=1) == youngest).sum()),
              "ch2_fra_young_of": int(len(countries_only))})
fig = charts.matrix_heatmap(heat, xlabel="Age group", ylabel="", cmap="Purples", cbar_label="%",
                            figsize=(7.5, max(4, 0.26 * len(heat) + 2.0)))
_ = show(fig, "ch2-fra2019-depressed-by-age",
                title=f"Context, no migrant variable: LGBTI survey respondents ({WHO}) who felt downhearted or "
                      f"depressed more than half of the time, by age, {SCOPE} and EU-28, 2019",
                source=source_line("fra_lgbti2019_t1q5", "question T1Q5"),
                alt=f"Heatmap of {SCOPE_COUNTRIES} by five age groups of the share of {WHO} feeling "
                    "downhearted or depressed more than half of the time or more; blank cells not published.",
                data=dep, caption="Blank: not published by FRA (too few respondents). Shares of 'all', 'most' and "
                                  "'more than half' of the time added.")

# %% [markdown]
# ## What this evidence can and cannot say
#
# - No table in this edition measures the mental health of migrants or refugees by citizenship or
#   country of birth unless the EHIS section above shows data; the Action Plan's statement of a higher
#   prevalence is not tested here.
# - Bad or very bad self-perceived health (chapter 1) is a general indicator; it mixes physical and
#   mental health, is not age-standardised, and EU-SILC does not reach people in reception centres or
#   without a registered address, where the Action Plan places the highest risk ({ref}`caveat-survey`,
#   {ref}`caveat-citizenship`).
# - The FRA item is from a non-probability online survey of LGBTI people, by age group only, with no
#   migration variable: context, not evidence for the action.
# - Rates per 100 000 residents show scale, not need: they count people under UNHCR's mandate, not
#   people with a mental-health condition.

# %% tags=["remove-input"]
about_this_page({"year": year, "scope": SCOPE, "countries": countries or "all in the scope",
                 "FRA respondent group": population_group, "compared group": GROUP},
                sources=["unhcr_refugee_population", "worldbank_sp_pop_totl", "fra_lgbti2019_t1q5",
                         "gisco_nuts2021_60m_levl0"])

# %% tags=["remove-cell", "nbval-check-output"]
print(f"framework cells: {len(syn.cells)}; stage cells: {int(syn.cells['layer'].notna().sum())}")
print(f"FRA {population_group} {AGE}: {len(ctry)} countries; EU28 {eu_val.round(0).tolist()}")
print(f"refugee rates in scope: {int(rates['refugees_asylum_seekers_per_100k'].notna().sum())}; pooled: {pooled['rate']:.0f}")
print(f"max refugee rate: {rates['refugees_asylum_seekers_per_100k'].max():.0f}")
print(f"EHIS rendered: {bool(ehis)}")
