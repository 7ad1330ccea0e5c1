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
# No parameters: the introduction uses the latest year present in the data.

# %% tags=["remove-input"]
import pandas as pd

from inclusion_evidence.analysis.intro import eu_foreign_population
from inclusion_evidence.ingest.facts import load_actions, load_document
from inclusion_evidence.present.chapter import setup
from inclusion_evidence.present.charts import trend_lines
from inclusion_evidence.present.figures import glue_numbers, show_figure

setup("intro")
doc = load_document()
population = eu_foreign_population()
latest = population[population["time"] == population["time"].max()]
latest_year = int(latest["time"].iloc[0])
foreign_born = float(latest.loc[latest["group"] == "Foreign-born", "value"].iloc[0])
foreign_citizens = float(latest.loc[latest["group"] == "Foreign citizens", "value"].iloc[0])
plan_figure = next(f for f in doc["headline_figures"] if f["id"] == "foreign_born_eu_residents")
glue_numbers({
    "intro_latest_year": latest_year,
    "intro_foreign_born_m": foreign_born / 1e6,
    "intro_foreign_citizens_m": foreign_citizens / 1e6,
    "intro_plan_m": plan_figure["value"] / 1e6,
    "intro_n_actions": len(load_actions()),
    "intro_launched": int(doc["partnership"]["launched"]),
    "intro_approved": pd.Period(doc["approved"], "M").strftime("%B %Y"),
    "intro_phase_end": pd.Period(doc["period"]["phase_end"], "M").strftime("%B %Y"),
})

# %% [markdown]
# # Introduction
#
# The Urban Agenda for the EU brings cities, member states, EU institutions and civil society
# together in thematic partnerships. The Partnership on Inclusion of Migrants and Refugees,
# launched in {glue:text}`intro_launched`, adopted in {glue:text}`intro_approved` an Action Plan for
# its second phase, running to {glue:text}`intro_phase_end` {cite:p}`actionplan2021`. It sets out {glue:text}`intro_n_actions` actions, each led by one
# or more members and carried out by an action group.
#
# ## The Action Plan in brief
#
# The plan starts from a simple observation: migrants and refugees live mostly in cities, and
# cities carry much of the day-to-day work of inclusion, while the laws and the money that shape it
# are decided at national and EU level. Migrants with several vulnerabilities at once (women,
# children, people with physical or mental health conditions, LGBTQI+ people) face the most
# persistent disadvantage, and the COVID-19 pandemic deepened it. The plan answers with seven
# actions: access to healthcare, mental health, art and culture, LGBTQI+ migrants, evidence-based
# policymaking, financial instruments, and children in migration. The Partnership works as a
# mobiliser and multiplier: its members and partners bring the resources, and the plan is also an
# outreach document meant to make the work visible and accountable.
#
# ## How many people are we talking about?
#
# The plan speaks of approximately {glue:text}`intro_plan_m:.0f` million people born outside the EU
# {cite:p}`ec2020integrationactionplan`. Eurostat's population statistics count, on
# 1 January {glue:text}`intro_latest_year`, {glue:text}`intro_foreign_born_m:.1f` million
# foreign-born residents of the EU (born in another country, EU or not) and
# {glue:text}`intro_foreign_citizens_m:.1f` million residents who are citizens of another country
# or stateless. The two counts differ because many foreign-born residents have naturalised, and the
# plan's figure counts only people born outside the EU ({ref}`caveat-citizenship`).

# %% tags=["remove-input"]
fig = trend_lines(population, x="time", y="value_m", hue="group", ylabel="Million residents, 1 January")
show_figure(
    fig, "eu-foreign-population",
    title="Foreign-born and foreign-citizen residents of the EU",
    source="Eurostat, migr_pop3ctb and migr_pop1ctz (EU27_2020, 2010-" + str(latest_year) + ")",
    alt=("Line chart of the number of foreign-born residents and of foreign citizens in the EU-27 "
         "from 2010 to " + str(latest_year) + "; both rise, the foreign-born line above the foreign-citizen line."),
    data=population[["group", "time", "value", "flag"]],
    caption="EU-27 (2020 composition). Foreign-born includes people born in another EU country.",
)

# %% [markdown]
# ## How to read this book
#
# Each chapter follows one action. It opens with the action at a glance, taken from the Action
# Plan, then turns the plan's own analysis into structured evidence (which barrier, which group,
# which level of government) and adds what official statistics and policy indices can say. Where
# the evidence an action needs does not exist in public data, or is not yet in this edition, the
# chapter says so and names the dataset to add. The assumptions and limits are collected in
# [Assumptions and caveats](../caveats.md).

# %% tags=["remove-cell", "nbval-check-output"]
print(f"latest year {latest_year}: foreign-born {foreign_born:,.0f}, foreign citizens {foreign_citizens:,.0f}")
