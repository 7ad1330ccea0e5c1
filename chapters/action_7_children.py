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
year_start = 2008  # first year of the asylum statistics shown
year_end = 2024  # last year of the asylum statistics shown
countries = ["AT", "CY", "DE", "EL", "IT", "SE"]  # countries drawn in the trends (all are mapped)
citizenship = "TOTAL"  # citizenship of applicants: TOTAL or UA (Ukraine)
scope = "EU27"  # countries of every EU total, median, extreme and map class; others are context

# %% tags=["remove-input"]

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd

from inclusion_evidence.analysis import children, common
from inclusion_evidence.analysis.synthesis_views import scope_matrix
from inclusion_evidence.core.flags import headline_extreme
from inclusion_evidence.core.geo_codes import in_scope, scope_label
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.present import escape, figures, maps
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup
from inclusion_evidence.present.charts import dumbbell, ranked_bars, trend_lines
from inclusion_evidence.present.figures import (
    PALETTE,
    download_csv,
    evidence_source,
    glue_numbers,
    missing_evidence_note,
    raise_small_text,
    show_figure,
    show_markdown,
    show_table,
    source_line,
)
from inclusion_evidence.present.findings import Finding, Value, show_key_findings
from inclusion_evidence.present.unaccompanied_minors import uam_eurostat_figures

_ = setup("action_7_children")
SCOPE = scope_label(scope)
gaps = load_synthesis("child_protection_gaps")
asylum = read_table("migr_asyappctza")
population = read_table("population_worldbank")
sweden = read_table("sweden_asylum_monthly")
permits = read_table("tps00170")
uam = read_table("uam_2015_2016")
uam_top = read_table("uam_top_citizenships_2016")
unaa = read_table("migr_asyunaa")
age_table = read_table("migr_asyappctza_age")
countries0 = read_table("nuts2021_level0")
# Captions name their files from the catalogue: (id, what the figure takes from it).
ASY_ID = ("eurostat_migr_asyappctza", f"{year_start}-{year_end}, citizen {citizenship}, all ages")
POP_ID = ("worldbank_sp_pop_totl", f"population {int(population['year'].min())}-{int(population['year'].max())}")
ASY_SOURCE = source_line([ASY_ID])
RELEASE_SOURCE = source_line(["uam_news_release_2017", "uam_top_citizenships_2016"],
                             "11 May 2017, table extracted from the PDF by a third party (chrgavalas/data-projects)")
SE_SOURCE = source_line("migrationsverket_monthly")
PLAN_SOURCE = source_line("action_plan", "Action 7, 'What is the specific problem?'")

# --- the plan: missing children, gaps, professionals
missing = gaps.evidence.iloc[0]
assert "emn2018unaccompanied" in (missing["bibkey"] if isinstance(missing["bibkey"], list) else [missing["bibkey"]])
specific = gaps.cells[gaps.cells["scope"] == "specific"]
named_gaps = children.gaps_named_in_plan(gaps)
professions = children.professionals_named(gaps)

# --- unaccompanied minors, news release 80/2017 (2015-2016)
eu_row = uam[uam["geo"].str.startswith("EU")].iloc[0]
uam_totals = children.uam_scope_totals(uam, scope).set_index("year")
panels = children.uam_release_panels(uam, scope)
states = panels[in_scope(panels["geo"], scope).to_numpy()]
top16 = states.sort_values("uam_2016").iloc[-1]
se_rank = int(states["uam_2015"].rank(ascending=False, method="min")[states["geo"] == "SE"].iloc[0])
eu_cit = children.uam_eu_citizenships(uam_top)
cit_counts = children.uam_citizenship_counts(uam_top)
release_long = children.uam_release_long(uam)

# --- Sweden, monthly
annual = children.sweden_annual(sweden)
s15 = annual[annual["year"] == 2015].iloc[0]
s14 = annual[annual["year"] == 2014].iloc[0]
peak_month = sweden.loc[sweden["unacc_minors"].astype(float).idxmax()]

# --- context: asylum applicants of all ages
rates = children.asylum_rates(asylum, population, citizen=citizenship, start=year_start, end=year_end)
eu = children.eu_applicants_trend(rates, scope)
peak = eu.loc[eu["applicants"].idxmax()]
rated = eu.dropna(subset=["per_100k"])
map_year = children.latest_rate_year(rates)
latest = children.latest_rates(rates, map_year, scope)
latest_in = latest[latest["in_scope"]].dropna(subset=["per_100k"])
top_rate = headline_extreme(latest_in, "per_100k", "flag", how="max")
unaa_window = unaa[unaa["time"].between(year_start, year_end)] if len(unaa) else unaa

glue_numbers({
    "ch7_scope": SCOPE,
    "ch7_missing_children": int(missing["value"]),
    "ch7_missing_years": str(missing["year"]),
    "ch7_n_gaps": int(len(gaps.rows)),
    "ch7_n_professions": int(len(gaps.columns)),
    "ch7_n_specific": int(len(specific)),
    "ch7_n_cells": int(len(gaps.cells)),
    "ch7_uam_eu_2015": int(eu_row["uam_2015"]),
    "ch7_uam_eu_2016": int(eu_row["uam_2016"]),
    "ch7_uam_scope_2015": int(uam_totals.loc[2015, "uam"]),
    "ch7_uam_scope_2016": int(uam_totals.loc[2016, "uam"]),
    "ch7_uam_n_reporting": int(uam_totals.loc[2016, "n_reporting"]),
    "ch7_uam_missing": uam_totals.loc[2016, "missing"] or "none",
    "ch7_uam_top_state": str(top16["country"]),
    "ch7_uam_top_state_2016": int(top16["uam_2016"]),
    "ch7_uam_top_state_share": float(100 * top16["uam_2016"] / uam_totals.loc[2016, "uam"]),
    "ch7_uam_eu_male": float(eu_row["share_male_2016"]),
    "ch7_uam_eu_under14": float(eu_row["share_under14_2016"]),
    "ch7_uam_top_cit": str(eu_cit["citizenship"].iloc[0]),
    "ch7_uam_top_cit_share": float(eu_cit["share"].iloc[0]),
    "ch7_uam_top_cit_states": int(cit_counts["states"].iloc[0]),
    "ch7_uam_top_cit_counted": str(cit_counts["citizenship"].iloc[0]),
    "ch7_se_rank_2015": {1: "first", 2: "second", 3: "third"}.get(se_rank, f"{se_rank}th"),
    "ch7_se_2015_total": int(s15["total"]),
    "ch7_se_2015_minors": int(s15["minors"]),
    "ch7_se_2015_unacc": int(s15["unacc_minors"]),
    "ch7_se_2015_share_unacc": float(s15["share_unacc"]),
    "ch7_se_2014_share_unacc": float(s14["share_unacc"]),
    "ch7_se_2016_unacc": int(annual.loc[annual["year"] == 2016, "unacc_minors"].iloc[0]),
    "ch7_se_peak_month": peak_month["month"].strftime("%B %Y"),
    "ch7_se_peak_unacc": int(peak_month["unacc_minors"]),
    "ch7_se_first": sweden["month"].min().strftime("%B %Y"),
    "ch7_se_last": sweden["month"].max().strftime("%B %Y"),
    "ch7_year_start": int(rates["time"].min()),
    "ch7_year_end": int(rates["time"].max()),
    "ch7_citizenship": "all citizenships" if citizenship == "TOTAL" else f"citizens of {citizenship}",
    "ch7_eu_peak_year": int(peak["time"]),
    "ch7_eu_peak_applicants": int(peak["applicants"]),
    "ch7_eu_rate_peak_year": int(rated.loc[rated["per_100k"].idxmax(), "time"]) if len(rated) else 0,
    "ch7_eu_rate_peak": float(rated["per_100k"].max()) if len(rated) else float("nan"),
    "ch7_map_year": int(map_year),
    "ch7_map_top_country": str(top_rate.reliable["country"]),
    "ch7_map_top_rate": float(top_rate.reliable["per_100k"]),
    "ch7_map_median_rate": float(latest_in["per_100k"].median()),
    "ch7_n_mapped": int(len(latest_in)),
    "ch7_n_context": int((~latest["in_scope"] & latest["per_100k"].notna()).sum()),
    "ch7_unaa_present": "no" if unaa_window.empty else "yes",
})

# %% [markdown]
# # Action 7: Better protecting children in migration

# %% tags=["remove-input"]
n0, pct = "{:,.0f}", "{:.0f}%"
if unaa_window.empty:
    unaa_finding = Finding("ch7_key_unaa", "Unaccompanied minors by Member State after 2016: {n}.", {"n": None},
                           source=source_line("eurostat_migr_asyunaa"), scope=SCOPE, year=f"{year_start}-{year_end}",
                           missing=("Eurostat's yearly table of unaccompanied minors by Member State, citizenship, age "
                                    "and sex (migr_asyunaa) is not in this edition, so nothing after 2016 is shown"))
else:
    unaa_summary = children.uam_eurostat_summary(unaa_window, start=year_start, end=year_end, countries=countries)
    last = unaa_summary["eu_trend"].sort_values("time").iloc[-1]
    unaa_finding = Finding("ch7_key_unaa", "In {year}, {n} asylum applicants considered unaccompanied minors were "
                           "registered in the {scope}.", {"n": Value(float(last["value"]), n0)},
                           source=source_line("eurostat_migr_asyunaa"), scope=SCOPE, year=int(last["time"]))
findings = [
    Finding("ch7_key_uam",
            "Asylum applicants considered unaccompanied minors numbered {y15} in 2015 and {y16} in 2016 in the "
            "{scope} Member States that reported ({n} of 27); {top} registered {share} of the 2016 number.",
            {"y15": Value(uam_totals.loc[2015, "uam"], n0), "y16": Value(uam_totals.loc[2016, "uam"], n0),
             "n": int(uam_totals.loc[2016, "n_reporting"]), "top": str(top16["country"]),
             "share": Value(100 * top16["uam_2016"] / uam_totals.loc[2016, "uam"], pct)},
            source=RELEASE_SOURCE, scope=SCOPE, year="2015-2016"),
    Finding("ch7_key_uam_profile",
            "In 2016, {male} of the unaccompanied minors applying for asylum in the EU-28 were boys and {under14} were "
            "under 14; {cit} was the most frequent citizenship ({cit_share}).",
            {"male": Value(float(eu_row["share_male_2016"]), pct), "under14": Value(float(eu_row["share_under14_2016"]), pct),
             "cit": str(eu_cit["citizenship"].iloc[0]), "cit_share": Value(float(eu_cit["share"].iloc[0]), pct)},
            source=RELEASE_SOURCE, scope="EU-28, as published", year=2016),
    Finding("ch7_key_sweden",
            "In Sweden, unaccompanied minors lodged {n15} asylum applications in 2015, {share15} of all applications "
            "against {share14} in 2014; their monthly number peaked at {peak} in {month}.",
            {"n15": Value(int(s15["unacc_minors"]), n0), "share15": Value(float(s15["share_unacc"]), "{:.1f}%"),
             "share14": Value(float(s14["share_unacc"]), "{:.1f}%"), "peak": Value(int(peak_month["unacc_minors"]), n0),
             "month": peak_month["month"].strftime("%B %Y")},
            source=SE_SOURCE, scope="Sweden", year="2014-2015"),
    Finding("ch7_key_missing",
            "The only figure on missing children in the Action Plan is an estimate for the whole EU: {n} children "
            "went missing after their arrival in {years}, with no breakdown by year, country, age or whether they "
            "travelled alone.",
            {"n": Value(int(missing["value"]), n0), "years": str(missing["year"])},
            source=evidence_source(missing), scope="EU", year=str(missing["year"])),
    Finding("ch7_key_context",
            "Context, applicants of all ages: asylum applications in the {scope} peaked at {peak} in {peak_year}; in "
            "{map_year}, {top_country} had the most applicants per 100 000 residents ({top_rate}; {scope} median {median}).",
            {"peak": Value(int(peak["applicants"]), n0), "peak_year": int(peak["time"]), "map_year": int(map_year),
             "top_country": str(top_rate.reliable["country"]),
             "top_rate": Value(float(top_rate.reliable["per_100k"]), n0, top_rate.reliable["flag"]),
             "median": Value(float(latest_in["per_100k"].median()), n0)},
            source=source_line(["eurostat_migr_asyappctza", "worldbank_sp_pop_totl"]), scope=SCOPE, year=f"{year_start}-{year_end}"),
    unaa_finding,
]
_ = show_key_findings(findings, meaning=[
    "The action's objective is to raise awareness of the barriers to protecting children in migration and to agree "
    "on targeted solutions for cross-border cooperation; its expected outcomes are that awareness, a more nuanced "
    "understanding of why unaccompanied minors go missing, and agreed solutions between levels of government. The "
    "data support the focus on cooperation: unaccompanied minors arrived in large numbers in a few years, were "
    "concentrated in a few Member States and came mostly from a few countries.",
    "The data cannot show what the action is about: how many children go missing, where, when and why. The only "
    "figure is one EU-wide estimate, and no statistic links the gaps the plan names to outcomes for children. The "
    "roundtable's findings, and a count of disappearances by Member State, would be the evidence the action needs.",
])

# %% tags=["remove-input"]
at_a_glance(7)

# %% [markdown]
# ## The problem the action addresses
#
# Between {glue:text}`ch7_missing_years`, an estimated {glue:text}`ch7_missing_children:,` children
# went missing in the EU after their arrival {cite:p}`emn2018unaccompanied`. The estimate is for
# the EU as a whole; the plan gives no breakdown by year, country, age or by whether the children
# travelled alone, and no later figure. Missing children are not one group: some are victims of
# trafficking, others move on under the radar to join family {cite:p}`pace2017missingchildren`.
# The action, led by the City of Amsterdam, builds on the 2019 report of Missing Children Europe
# ({term}`MCE`) on cross-border cooperation {cite:p}`mce2019interact` and convenes an expert
# roundtable {cite:p}`actionplan2021`.
#
# ## Unaccompanied minors across the EU, 2015-2016
#
# The children most at risk of going missing are those who travel alone. Eurostat's news release
# 80/2017 published the numbers of asylum applicants considered unaccompanied minors by country:
# {glue:text}`ch7_uam_eu_2015:,` in the EU-28 in 2015 and {glue:text}`ch7_uam_eu_2016:,` in 2016.
# Summed over the {glue:text}`ch7_uam_n_reporting` {glue:text}`ch7_scope` Member States that reported
# (no figure: {glue:text}`ch7_uam_missing`), they were {glue:text}`ch7_uam_scope_2015:,` and
# {glue:text}`ch7_uam_scope_2016:,`. {glue:text}`ch7_uam_top_state` registered the most in 2016
# ({glue:text}`ch7_uam_top_state_2016:,`, {glue:text}`ch7_uam_top_state_share:.0f` % of the
# {glue:text}`ch7_scope` number; {numref}`fig-action_7_children-uam-2015-2016`). In 2016,
# {glue:text}`ch7_uam_eu_male:.0f` % of those in the EU-28 were boys and
# {glue:text}`ch7_uam_eu_under14:.0f` % were under 14 (the release gives these shares for the EU-28
# only). The numbers come from the release's table as extracted from its PDF by a third party, not
# from Eurostat's database; they are rounded to the nearest 5, and Eurostat later revised both EU
# totals slightly downwards (in its 2018 release).

# %% tags=["remove-input"]
zeros = sorted(panels.loc[panels["uam_2016"] == 0, "country"])
fig = dumbbell(panels, label="country", left="uam_2015", right="uam_2016", left_name="2015", right_name="2016",
               xlabel="Unaccompanied minors applying for asylum", sort_by="uam_2016", panel="panel",
               figsize=(7.5, 7.4))
top = float(panels[["uam_2015", "uam_2016"]].max().max())
ticks = [0] + [10 ** k for k in range(0, len(str(int(top))) + 1)]
for ax in fig.axes:
    # zero is a real value here (no minors registered): a symmetric-log axis draws it, a log axis cannot
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlim(-0.3, ticks[-1] * 1.2)
    ax.xaxis.set_major_locator(mticker.FixedLocator(ticks))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_minor_locator(mticker.NullLocator())
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_xlabel("Unaccompanied minors\n(symmetric log scale)")
if len(fig.axes) > 1:
    # the context panel keeps the rows' spacing of the first panel, so its few rows sit apart at the bottom
    fig.axes[-1].set_ylim(fig.axes[0].get_ylim())
    fig.axes[-1].set_title("Other countries (context)", fontsize=10, color="#595959")
    fig.axes[-1].legend(loc="upper right")
fig.axes[0].set_title(f"{SCOPE} Member States", fontsize=10)
raise_small_text(fig)
_ = show_figure(
    fig, "uam-2015-2016",
    title=f"Unaccompanied minors applying for asylum, 2015 and 2016,\n{SCOPE} and other countries as context",
    source=RELEASE_SOURCE,
    alt=(f"Dumbbell chart in two panels: the {SCOPE} Member States (left) and other European countries as context "
         "(right), with the number of unaccompanied minors applying for asylum in 2015 and 2016 on a symmetric "
         "logarithmic axis that also shows zero."),
    data=panels,
    caption=("Countries without a figure for either year are left out ('-' in the release). The axis is logarithmic "
             "above 1 and linear between 0 and 1, so zeros are drawn"
             + (" (zero in 2016: " + ", ".join(zeros) + ")" if zeros else "") + ". Figures rounded to 5 by Eurostat."))

# %% [markdown]
# The release also lists the three main citizenships in each country
# ({numref}`tbl-action_7_children-uam-eu-citizenships`). At EU level, {glue:text}`ch7_uam_top_cit`
# accounted for {glue:text}`ch7_uam_top_cit_share:.0f` % of unaccompanied minors in 2016;
# {glue:text}`ch7_uam_top_cit_counted` was among the top three citizenships in
# {glue:text}`ch7_uam_top_cit_states` of the reporting countries.

# %% tags=["remove-input"]
_ = show_table(eu_cit.rename(columns={"rank": "Rank", "citizenship": "Citizenship", "number": "Unaccompanied minors",
                                     "share": "Share (%)"}),
               "uam-eu-citizenships", title="Three main citizenships of unaccompanied minors applying for asylum, EU-28, 2016",
               source=RELEASE_SOURCE, floatfmt="{:,.0f}")
fig = ranked_bars(cit_counts, label="citizenship", value="states",
                  xlabel="Reporting countries where the citizenship is among the top three")
raise_small_text(fig)
_ = show_figure(
    fig, "uam-top-citizenships",
    title="Citizenships among the top three for unaccompanied minors, 2016",
    source=RELEASE_SOURCE,
    alt=("Horizontal bars: for each citizenship, the number of reporting countries (EU-28 and EFTA) where it is "
         "among the three main citizenships of unaccompanied minors applying for asylum."),
    data=cit_counts,
    caption=("Reporting countries of the release: EU-28 and EFTA. The 'minors' column of the CSV sums only the "
             "top-three entries, so it undercounts every citizenship."))

# %% [markdown]
# ### The EU-wide series by age, sex and citizenship
#
# Eurostat publishes unaccompanied minors by country, citizenship, age and sex every year
# (`migr_asyunaa`), and all asylum applicants by age group (`migr_asyappctza` with ages under 18).
# With them this section shows a map, the EU trend, the main citizenships and the age and sex split
# for the selected years.

# %% tags=["remove-input"]
if unaa_window.empty:
    missing_evidence_note("unaccompanied minors by country, citizenship, age and sex (EU-wide, yearly)",
                          ["eurostat_migr_asyunaa"],
                          why=("Without it, the chapter has no count of unaccompanied minors after 2016 and no "
                               "country breakdown by age or sex."))
else:
    summary = children.uam_eurostat_summary(unaa_window, start=year_start, end=year_end, countries=countries)
    for spec in uam_eurostat_figures(summary, countries0, start=year_start, end=year_end):
        raise_small_text(spec["fig"])
        show_figure(spec.pop("fig"), spec.pop("name"), **spec)
age_window = age_table[age_table["time"].between(year_start, year_end)] if len(age_table) else age_table
if age_window.empty:
    missing_evidence_note("asylum applicants under 18 by country", ["eurostat_migr_asyappctza_age"],
                          why="Without it, the chapter cannot say how many of all asylum applicants were children.")
else:
    minors = children.minors_from_age_table(age_window, start=year_start, end=year_end)
    sel_minors = minors[minors["geo"].isin(countries)] if countries else minors
    fig = trend_lines(sel_minors, x="time", y="minors", hue="country", ylabel="Applicants under 18")
    raise_small_text(fig)
    show_figure(fig, "minors-trend", title="Asylum applicants under 18, selected countries",
                source=source_line("eurostat_migr_asyappctza_age", f"ages under 18, {year_start}-{year_end}"),
                alt="Line chart of asylum applicants under 18 per year for the selected countries.",
                data=sel_minors, caption="All citizenships, both sexes.")

# %% [markdown]
# ## A case study: Sweden in 2015-2016
#
# Sweden gives a monthly view; by the news release above, it ranked {glue:text}`ch7_se_rank_2015`
# among the {glue:text}`ch7_scope` Member States by the number of unaccompanied minors in 2015. The
# series ({glue:text}`ch7_se_first` to {glue:text}`ch7_se_last`) was extracted by a third party from
# the Swedish Migration Agency's monthly files; it is **not an official release** and should be
# checked against the agency's annual tables.
#
# In 2015, Sweden received {glue:text}`ch7_se_2015_total:,` asylum applications, of which
# {glue:text}`ch7_se_2015_minors:,` from minors and {glue:text}`ch7_se_2015_unacc:,` from
# unaccompanied minors ({glue:text}`ch7_se_2015_share_unacc:.1f` % of all applications, against
# {glue:text}`ch7_se_2014_share_unacc:.1f` % in 2014). Unaccompanied minors' applications peaked in
# {glue:text}`ch7_se_peak_month` at {glue:text}`ch7_se_peak_unacc:,` in one month, then fell to
# {glue:text}`ch7_se_2016_unacc:,` for the whole of 2016
# ({numref}`fig-action_7_children-sweden-monthly`).

# %% tags=["remove-input"]
long = children.sweden_long(sweden)
fig, ax = plt.subplots(figsize=(7.5, 4.0))
for i, (name, part) in enumerate(long.groupby("series", sort=False)):
    ax.plot(part["month"], part["applications"], color=PALETTE[i], label=name, linewidth=1.4)
ax.set_ylabel("Applications per month")
ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
ax.legend(loc="upper left")
raise_small_text(fig)
_ = show_figure(
    fig, "sweden-monthly",
    title="Asylum applications per month to Sweden: all applicants,\nminors and unaccompanied minors",
    source=SE_SOURCE,
    alt=(f"Line chart of monthly asylum applications to Sweden from {sweden['month'].min():%B %Y} to "
         f"{sweden['month'].max():%B %Y}: all applicants, minors and unaccompanied minors, all peaking in autumn 2015."),
    data=long,
    caption="Unofficial extraction from the agency's monthly files; minors include unaccompanied minors.")

# %% [markdown]
# ## What the Action Plan names: gaps in cross-border protection, and who can act
#
# The plan names {glue:text}`ch7_n_gaps` gaps in cross-border cooperation, taken from Missing
# Children Europe's report, and {glue:text}`ch7_n_professions` groups of frontline professionals who
# form the "safety net" ({numref}`tbl-action_7_children-gaps-named`). It ties a gap to professionals
# itself only for training (all of them) and guardianship (guardians); every other pairing follows
# only from its general aim of raising every professional's awareness of every barrier.

# %% tags=["remove-input"]
_ = show_table(named_gaps.rename(columns={"gap": "Gap", "quote": "In the plan's words",
                                          "professionals": "Professionals the plan ties to it",
                                          "section": "Action Plan section"}),
               "gaps-named", title="The gaps Action 7 names, in the plan's words", source=PLAN_SOURCE)
show_markdown(f"**Frontline professionals named:** {escape.text(', '.join(professions['labels']))}, "
              f"in the plan's words {escape.text(professions['quote'])}.\n")
gm = scope_matrix(gaps)
_ = download_csv(gm.reset_index(names="gap"), "gaps-professionals",
                 "Full gaps × professionals matrix (CSV; 2 = stated by the plan, 1 = general aim only)")

# %% [markdown]
# ## Context: asylum applicants of all ages, {glue:text}`ch7_year_start`-{glue:text}`ch7_year_end`
#
# This section is context, not evidence about children: the Eurostat table in this edition counts
# asylum applicants of **all ages** together (age TOTAL) and does not separate children. It shows the
# scale of arrivals the protection system has to absorb. For {glue:text}`ch7_citizenship`,
# applications to the {glue:text}`ch7_scope` Member States peaked in {glue:text}`ch7_eu_peak_year` at
# {glue:text}`ch7_eu_peak_applicants:,` ({numref}`fig-action_7_children-asylum-eu-trend`). Per 100 000
# residents, the {glue:text}`ch7_scope` rate was highest in {glue:text}`ch7_eu_rate_peak_year`
# ({glue:text}`ch7_eu_rate_peak:.0f`). Rates need a population, and the World Bank series used here
# covers 2010-2022 only, so no rate is shown for other years. Applications are not people: a person
# who applies twice, or in two countries, is counted each time.

# %% tags=["remove-input"]
fig, ax = plt.subplots(figsize=(7.5, 3.8))
ax.bar(eu["time"], eu["applicants"] / 1000, color=PALETTE[0])
ax.set_ylabel("Applicants, thousands")
ax.set_xticks(list(eu["time"]), [str(t) for t in eu["time"]], rotation=90)
ax.grid(axis="x", visible=False)
raise_small_text(fig)
_ = show_figure(
    fig, "asylum-eu-trend",
    title=f"Context: asylum applicants of all ages, {SCOPE}, by year",
    source=ASY_SOURCE,
    alt=f"Bar chart of yearly asylum applicants of all ages summed over the {SCOPE} Member States, {year_start} to {year_end}.",
    data=eu,
    caption=(f"Context, all ages: children are not separated. Sum over the {SCOPE} Member States that report in each "
             "year (column n_countries of the CSV; fewer than 27 in early years)."))

# %% [markdown]
# In {glue:text}`ch7_map_year`, the latest year with a population, {glue:text}`ch7_map_top_country`
# had the most applicants of all ages per 100 000 residents among the {glue:text}`ch7_scope` Member
# States ({glue:text}`ch7_map_top_rate:,.0f`); their median was {glue:text}`ch7_map_median_rate:,.0f`
# ({numref}`fig-asylum-applicants-per-100k`). {glue:text}`ch7_n_context` other reporting countries are
# drawn as context and take no part in the classes.

# %% tags=["remove-input"]
regions = common.map_frame(countries0, latest, "per_100k", flag="flag")
fig = maps.choropleth(regions, "per_100k", scheme="quantiles", k=5, legend_title="Applicants per 100 000",
                      flag_column="flag", value_format="{:,.0f}", scope=scope)
fig.axes[0].get_legend().set_loc("upper right")  # the north-east corner is empty sea and land outside the map; Iceland stays visible
raise_small_text(fig)
# One exhibit for this fact in the book (chapter 2 cross-references it): the figure's label is
# fig-<folder>-<name>, so the folder "asylum" and the name "applicants-per-100k" give the stable
# label fig-asylum-applicants-per-100k.
_ = show_figure(
    fig, "applicants-per-100k", directory=figures.FIGURE_DIR / "asylum",
    title=f"Context: asylum applicants of all ages per 100 000 residents,\n{SCOPE}, {map_year}",
    source=source_line([("eurostat_migr_asyappctza", f"{map_year}, citizen {citizenship}, all ages"), POP_ID,
                        ("gisco_nuts2021_60m_levl0", "level 0")]),
    alt=(f"Choropleth map of asylum applicants of all ages per 100 000 residents by country in {map_year}, five "
         f"quantile classes over the {SCOPE} Member States; other reporting countries hatched as context."),
    data=latest,
    caption=(f"Context, all ages: children are not separated. Classes from the {SCOPE} Member States only; other "
             "reporting countries are hatched as context, countries that do not report as no data. "
             + maps.left_out_note(regions)).strip())

# %% tags=["remove-input"]
sel = rates[rates["geo"].isin(countries)].dropna(subset=["per_100k"]).copy()
if sel.empty:
    show_markdown("```{note}\nNone of the selected countries has a rate in the selected years.\n```\n")
else:
    outside = ~in_scope(sel["geo"], scope)
    sel["series"] = sel["country"].where(~outside, sel["country"] + " (context)")
    fig = trend_lines(sel, x="time", y="per_100k", hue="series", ylabel="Applicants per 100 000 residents")
    raise_small_text(fig)
    show_figure(
        fig, "asylum-rate-trend",
        title="Context: asylum applicants of all ages per 100 000 residents,\nselected countries",
        source=source_line([ASY_ID, POP_ID]),
        alt="Line chart of asylum applicants of all ages per 100 000 residents over time for the selected countries.",
        data=sel,
        caption=("Context, all ages. Years without a World Bank population (before 2010, after 2022) have no rate; "
                 f"countries outside the {SCOPE} are marked '(context)'."))

# %% tags=["remove-input"]
eu_permits = permits[(permits["geo"] == "EU27_2020")].sort_values("time")
eu_permits = eu_permits[eu_permits["time"].between(year_start, year_end)]
glue_numbers({
    "ch7_permits_first": int(eu_permits["time"].min()),
    "ch7_permits_last": int(eu_permits["time"].max()),
    "ch7_permits_last_m": float(eu_permits["value"].iloc[-1] / 1e6),
})
ctx = pd.concat([
    eu_permits.assign(series="First residence permits (all reasons, all ages), EU-27")[["time", "value", "flag", "series"]],
    eu[eu["time"].between(eu_permits["time"].min(), eu_permits["time"].max())].rename(columns={"applicants": "value"})
    .assign(flag="", series=f"Asylum applicants (all ages), {SCOPE}")[["time", "value", "flag", "series"]],
], ignore_index=True)
ctx["value_m"] = ctx["value"] / 1e6

# %% [markdown]
# Asylum is one route among several. First residence permits, issued for work, family, study and
# other reasons (including protection), show the wider context: in {glue:text}`ch7_permits_last`
# the EU-27 issued {glue:text}`ch7_permits_last_m:.2f` million first permits
# ({numref}`fig-action_7_children-permits-context`). The two series count different things (a permit
# is issued once per person and reason; an application may be repeated), so they are shown side by
# side, not subtracted.

# %% tags=["remove-input"]
fig = trend_lines(ctx, x="time", y="value_m", hue="series", ylabel="Millions", flag="flag")
fig.axes[0].set_ylim(bottom=0)
raise_small_text(fig)
_ = show_figure(
    fig, "permits-context",
    title="Context: first residence permits and asylum applicants,\nall ages, EU-27",
    source=source_line([("eurostat_tps00170", f"{int(eu_permits['time'].min())}-{int(eu_permits['time'].max())}"),
                        ASY_ID]),
    alt=(f"Two lines over time: first residence permits issued in the EU-27 and asylum applicants of all ages in the "
         f"{SCOPE} Member States, in millions."),
    data=ctx,
    caption="Context, all ages. Hollow points: values flagged by Eurostat as of low reliability (u), if any.")

# %% tags=["remove-input"]
about_this_page({"year_start": year_start, "year_end": year_end, "countries": countries, "citizenship": citizenship,
                 "scope": SCOPE},
                sources=["uam_news_release_2017", "uam_top_citizenships_2016", "migrationsverket_monthly",
                         "eurostat_migr_asyunaa", "eurostat_migr_asyappctza_age", "eurostat_migr_asyappctza",
                         "worldbank_sp_pop_totl", "eurostat_tps00170", "gisco_nuts2021_60m_levl0"])

# %% tags=["remove-cell", "nbval-check-output"]
print(f"gaps={len(gaps.rows)} professions={len(gaps.columns)} specific={len(specific)} missing={int(missing['value'])}")
print(f"asylum {year_start}-{year_end} {citizenship} {scope}: peak={int(peak['time'])} {int(peak['applicants'])}")
print(f"map year={map_year} in scope={len(latest_in)} top={top_rate.reliable['geo']} "
      f"{float(top_rate.reliable['per_100k']):.1f} median={latest_in['per_100k'].median():.1f}")
print(f"sweden 2015 unacc={int(s15['unacc_minors'])} share={s15['share_unacc']:.2f}")
print(f"uam eu28 2015={int(eu_row['uam_2015'])} 2016={int(eu_row['uam_2016'])} {scope} 2015="
      f"{int(uam_totals.loc[2015, 'uam'])} 2016={int(uam_totals.loc[2016, 'uam'])} top={top16['geo']}")
print(f"migr_asyunaa rows={len(unaa)} migr_asyappctza_age rows={len(age_table)}")
