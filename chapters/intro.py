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

from inclusion_evidence.analysis import intro as I
from inclusion_evidence.analysis import overview as O
from inclusion_evidence.ingest.facts import load_actions, load_document
from inclusion_evidence.present.chapter import about_this_page, edition, setup
from inclusion_evidence.present.charts import trend_lines
from inclusion_evidence.present.figures import glue_numbers, raise_small_text, show_figure, show_table, source_line
from inclusion_evidence.present.findings import Finding, Value, show_key_findings
from inclusion_evidence.present.overview_figures import gap_strips

setup("intro")
doc = load_document()
population = I.eu_foreign_population()
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
# The edition's version and date (CITATION.cff), for the front page's executive summary.
this_edition = edition()
glue_numbers({"edition_version": this_edition.get("version", "not stated"),
              "edition_date": this_edition.get("date-released", "not stated")})

# The core integration indicators (Eurostat's migrant integration statistics), EU-27 and member states.
long = O.core_indicators()
table = I.member_state_table(long)
eu = O.headline_numbers(long)
spread = {k: I.gap_spread(table, k) for k in ("employment_rate", "unemployment_rate", "low_attainment",
                                              "median_income", "good_health")}
GROUP_OF = {k: table.loc[table["indicator"] == k, "group_label"].iloc[0] for k in dict.fromkeys(table["indicator"])}

# %% [markdown]
# # Introduction

# %% tags=["remove-input"]
emp, une = spread["employment_rate"], spread["unemployment_rate"]
une_warn = (f" The widest gap of all, {une['worst_any_value']:+.1f} pp in {une['worst_any']}, is of low reliability."
            if une["worst_any_low"] else "")
who = {k: ("non-EU citizens" if v == O.GROUP_LABELS[O.NON_EU] else "foreign citizens (EU and non-EU)")
       for k, v in GROUP_OF.items()}
edu_missing = (None if table.loc[table["indicator"] == "low_attainment", "value_nationals"].notna().any() else
               "educational attainment cannot be compared with nationals in this edition, because its extract of "
               "Eurostat's attainment table (edat_lfs_9911) holds foreign citizens only")
findings = [
    Finding("intro_key_employment",
            "In {year}, the employment rate of {who} aged 15-64 was below that of nationals in {n_worse} of the {n} "
            "member states with both rates; among values of good reliability the gap ran from {worst} in {worst_c} to "
            "{best} in {best_c}.",
            {"who": who["employment_rate"], "n_worse": Value(emp["n_worse"]), "n": Value(emp["n"]),
             "worst": Value(emp["worst_value"], "{:+.1f} pp"), "worst_c": emp["worst"],
             "best": Value(emp["best_value"], "{:+.1f} pp"), "best_c": emp["best"]},
            source=source_line("eurostat_lfsa_ergan"), scope="EU-27 member states", year=emp["year"]),
    Finding("intro_key_unemployment",
            "Their unemployment rate was above that of nationals in {n_worse} of {n} member states, by up to {worst} "
            "({worst_c}, the widest gap of good reliability)." + une_warn,
            {"n_worse": Value(une["n_worse"]), "n": Value(une["n"]),
             "worst": Value(une["worst_value"], "{:.1f} pp"), "worst_c": une["worst"]},
            source=source_line("eurostat_lfsa_urgan"), scope="EU-27 member states", year=une["year"]),
    Finding("intro_key_income",
            "In {year}, the median equivalised net income of {who} aged 18 or over in the EU-27 was {gap} below that of nationals "
            "({base_year}: {base_gap}), with a break in the EU-SILC series in {breaks}.",
            {"who": who["median_income"], "gap": Value(-eu["eu27_median_income_gap"], "{:.0f}%"),
             "base_year": Value(eu["eu27_median_income_base_year"]),
             "base_gap": Value(-float(table.query("indicator == 'median_income' and geo == 'EU27_2020'")
                                      ["base_gap_vs_nationals"].iloc[0]), "{:.0f}% below"),
             "breaks": eu["eu27_median_income_break_years"] or "none of these years"},
            source=source_line("eurostat_ilc_di15"), scope="EU-27", year=eu["eu27_median_income_year"]),
    Finding("intro_key_health",
            "In {year}, {group} of {who} aged 16 or over in the EU-27 rated their health good or very good, against "
            "{nat} of nationals; "
            "non-EU citizens are younger on average and these shares are not age-standardised.",
            {"who": who["good_health"], "group": Value(eu["eu27_good_health_group"], "{:.0f}%"),
             "nat": Value(eu["eu27_good_health_nationals"], "{:.0f}%")},
            source=source_line("eurostat_hlth_silc_24"), scope="EU-27", year=eu["eu27_good_health_year"]),
    Finding("intro_key_education",
            "The share of {who} with at most lower secondary education was above that of nationals in {n_worse} of "
            "{n} member states.",
            {"who": who["low_attainment"], "n_worse": Value(spread["low_attainment"]["n_worse"]),
             "n": Value(spread["low_attainment"]["n"])},
            source=source_line("eurostat_edat_lfs_9911"), scope="EU-27 member states", year=spread["low_attainment"]["year"],
            missing=edu_missing),
]
_ = show_key_findings(findings, [
    "People who do not hold the citizenship of the country they live in, the group the Partnership works for, have "
    "less work and less income than nationals in most member states, and the size of the gap differs widely from "
    "one member state to another. These national figures are the frame in which the seven actions work.",
    "They describe; they do not explain. The groups compared differ in age, education and time since arrival, and "
    "the figures say nothing on their own about what a policy does; the chapters add the evidence each action needs "
    "and say where it is missing.",
])

# %% [markdown]
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
# or stateless ({numref}`fig-intro-eu-foreign-population`). The two counts differ because many
# foreign-born residents have naturalised, and the plan's figure counts only people born outside the
# EU ({ref}`caveat-citizenship`).

# %% tags=["remove-input"]
fig = trend_lines(population, x="time", y="value_m", hue="group", ylabel="Million residents, 1 January")
raise_small_text(fig)
show_figure(fig, "eu-foreign-population",
    title="Foreign-born and foreign-citizen residents of the EU-27",
    source=source_line(["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz"], f"EU27_2020, 2010-{latest_year}"),
    alt=("Line chart of the number of foreign-born residents and of foreign citizens in the EU-27 "
         "from 2010 to " + str(latest_year) + "; both rise, the foreign-born line above the foreign-citizen line."),
    data=population[["group", "time", "value", "flag"]],
    caption="EU-27 (2020 composition). Foreign-born includes people born in another EU country.",
)

# %% [markdown]
# (intro-at-a-glance)=
# ## The state of integration at a glance
#
# Eurostat's migrant integration statistics follow a set of core indicators in four areas: employment,
# education, social inclusion and health. The overview below takes them from Eurostat's tables by
# citizenship and compares a group of non-nationals with **{term}`nationals <Nationals>`** of the same member state, in the
# latest year and over about ten years:
#
# - **Employment:** the *employment rate* and the *unemployment rate* (EU Labour Force Survey, {term}`EU-LFS`, `lfsa_ergan`,
#   `lfsa_urgan`);
# - **Education:** the *highest level of education attained*, at most lower secondary (ISCED 0-2) and
#   tertiary (ISCED 5-8) (`edat_lfs_9911`);
# - **Social inclusion:** the *median equivalised net income* ({term}`EU-SILC`, `ilc_di15`);
# - **Health:** *self-perceived health*, the share rating it good or very good (EU-SILC, `hlth_silc_24`).
#
# The compared group is **{term}`non-EU citizens <Non-EU citizens>`** wherever the table holds them. The employment and education
# extracts in this edition hold only **foreign citizens** as a whole (EU and non-EU together), so for those
# indicators the comparison is foreign citizens against nationals, and every figure and table says which
# group it shows. The education extract has no values for nationals at all, so attainment is shown as the
# foreign citizens' own level, without a gap. The EU-27 total is in the income and health tables only.
# A gap is the group's value minus that of nationals, in percentage points ({term}`pp`); for income it is the
# difference from the nationals' median in per cent. Values Eurostat {term}`flags <Eurostat flags>` `u` are of {term}`low reliability <Low reliability>` and
# drawn hollow; the ten-year comparison crosses {term}`series breaks <Series break>` where the table marks them (EU-SILC in 2020,
# the Labour Force Survey in 2021), so small changes should not be read as trends ({ref}`caveat-citizenship`).

# %% tags=["remove-input"]
rows = table[table["indicator"].isin(["employment_rate", "unemployment_rate", "low_attainment", "median_income",
                                      "good_health"])]
fig = gap_strips(rows, {**I.SHORT_NAMES, "low_attainment": "At most lower secondary education",
                        "good_health": "Good or very good health"})
years = ", ".join(f"{I.SHORT_NAMES[k]} {int(v)}" for k, v in
                  rows.dropna(subset=["year"]).groupby("indicator", sort=False)["year"].max().items())
raise_small_text(fig)
show_figure(fig, "integration-at-a-glance",
    title="Core integration indicators: non-nationals vs nationals, EU-27",
    source=source_line(["eurostat_lfsa_ergan", "eurostat_lfsa_urgan", "eurostat_edat_lfs_9911", "eurostat_ilc_di15", "eurostat_hlth_silc_24"],
                       f"latest years: {years}"),
    alt=("Five strips, one per core integration indicator, each with one dot per EU member state for the gap "
         "between non-nationals and nationals (or, for education, the foreign citizens' share), a line at zero, and "
         "the EU-27 value as a diamond where the table has it."),
    data=table[["indicator", "name", "family", "group_label", "age", "unit", "geo", "country", "year", "value_group",
               "flag_group", "value_nationals", "flag_nationals", "gap_vs_nationals", "gap_unit", "base_year",
               "base_gap_vs_nationals", "change_gap_pp", "break_years", "low_reliability", "reason"]],
    caption="Each dot is a member state in its latest year (hollow: low reliability, flag u); the member states "
            "with the least and the most favourable gap of good reliability are named. Employment and education: "
            "foreign citizens (EU and non-EU) aged 15-64; income: non-EU citizens aged 18 or over; health: non-EU "
            "citizens aged 16 or over. In Latvia and Estonia most non-EU citizens are long-resident recognised "
            "non-citizens (stateless former Soviet citizens), older on average than nationals: keep that in mind "
            "when reading their place in the health and employment strips.",
)
for show, name, what in (("gap", "integration-by-member-state", "gap to nationals in the latest year"),
                         ("change", "integration-change-by-member-state",
                          "change of the gap to nationals over about ten years")):
    wide = I.glance_table(table, show)
    show_table(wide, name,
               title=f"Core integration indicators by member state: {what}; u: low reliability. "
                     + "; ".join(wide.attrs["notes"]),
               source=source_line(["eurostat_lfsa_ergan", "eurostat_lfsa_urgan", "eurostat_edat_lfs_9911", "eurostat_ilc_di15", "eurostat_hlth_silc_24"],
                                  "every value, flag and year, and the reason where a value is missing, are in "
                                  "the data of the figure above"))

# %% [markdown]
# The strips ({numref}`fig-intro-integration-at-a-glance`) and the member-state tables
# ({numref}`tbl-intro-integration-by-member-state`, {numref}`tbl-intro-integration-change-by-member-state`)
# show the same pattern in every area with a comparison:
# in most member states non-nationals are less often employed, more often unemployed and have lower incomes
# than nationals, while more of them report good health, as a younger population would. The spread between
# member states is wide, and in a few the non-nationals fare better than nationals; who the non-nationals are
# (recent refugees, EU movers, long-resident non-citizens) differs from one member state to another, and
# shapes each comparison: in Latvia and Estonia, for instance, most non-EU citizens are long-resident
# {term}`recognised non-citizens <Recognised non-citizen>`, stateless since the end of the Soviet Union, and older than nationals on average. Chapter 5 goes
# below the national level, to regions and country of birth.
#
# ## How to read this book
#
# Each chapter follows one action. It opens with its key findings and what they mean for the
# Partnership, then the action at a glance, taken from the Action Plan, then turns the plan's own
# analysis into structured evidence (which barrier, which group, which level of government) and adds
# what official statistics and policy indices can say. Where the evidence an action needs does not
# exist in public data, or is not yet in this edition, the chapter says so and names the dataset.
# The assumptions and limits are collected in [Assumptions and caveats](../caveats.md).

# %% tags=["remove-input"]
about_this_page(sources=["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz", "eurostat_lfsa_ergan",
                         "eurostat_lfsa_urgan", "eurostat_edat_lfs_9911", "eurostat_ilc_di15",
                         "eurostat_hlth_silc_24"])

# %% tags=["remove-cell", "nbval-check-output"]
print(f"latest year {latest_year}: foreign-born {foreign_born:,.0f}, foreign citizens {foreign_citizens:,.0f}")
for k, v in spread.items():
    print(k, {kk: (round(vv, 2) if isinstance(vv, float) else vv) for kk, vv in v.items()})
print("EU-27 income gap", round(eu["eu27_median_income_gap"], 2), eu["eu27_median_income_year"],
      "health", eu["eu27_good_health_group"], eu["eu27_good_health_nationals"])
