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
year_start = 2008  # first year of the asylum statistics shown
year_end = 2024  # last year of the asylum statistics shown
countries = ["AT", "CY", "DE", "EL", "IT", "SE"]  # countries drawn in the trend (all are mapped)
citizenship = "TOTAL"  # citizenship of applicants: TOTAL or UA (Ukraine)

# %% tags=["remove-input"]
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import children, common
from inclusion_evidence.analysis.synthesis_views import scope_matrix
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import format_source, load_synthesis
from inclusion_evidence.present import maps
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup
from inclusion_evidence.present.charts import dumbbell, ranked_bars, trend_lines
from inclusion_evidence.present.figures import (
    PALETTE,
    glue_numbers,
    missing_evidence_note,
    show_figure,
    show_markdown,
    show_table,
)
from inclusion_evidence.present.synthesis_figures import scope_word_heatmap
from inclusion_evidence.present.unaccompanied_minors import uam_eurostat_figures

setup("action_7_children")
parameters_note(year_start=year_start, year_end=year_end, countries=countries, citizenship=citizenship)
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
ASY_SOURCE = f"Eurostat, migr_asyappctza ({year_start}-{year_end}, citizen {citizenship})"
POP_SOURCE = "; population: World Bank, SP.POP.TOTL (2010-2022)"
RELEASE_SOURCE = ("Eurostat, news release 80/2017 (11 May 2017), table extracted from the PDF by a third party "
                  "(chrgavalas/data-projects)")
SE_SOURCE = ("Swedish Migration Agency (Migrationsverket), monthly statistics, unofficial extraction "
             "(sacamano/se-immigration-data)")
PLAN_SOURCE = "Action Plan 2021, Action 7 (synthesis file child_protection_gaps)"

# %% [markdown]
# # Action 7: Better protecting children in migration

# %% tags=["remove-input"]
at_a_glance(7)

# %% tags=["remove-input"]
missing = gaps.evidence.iloc[0]
assert "emn2018unaccompanied" in (missing["bibkey"] if isinstance(missing["bibkey"], list) else [missing["bibkey"]])
glue_numbers({
    "ch7_missing_children": int(missing["value"]),
    "ch7_missing_years": str(missing["year"]),
    "ch7_n_gaps": int(len(gaps.rows)),
    "ch7_n_professions": int(len(gaps.columns)),
})
specific = gaps.cells[gaps.cells["scope"] == "specific"]
glue("ch7_n_specific", int(len(specific)), display=False)
glue("ch7_n_cells", int(len(gaps.cells)), display=False)

# %% [markdown]
# ## The problem the action addresses
#
# Between {glue:text}`ch7_missing_years`, an estimated {glue:text}`ch7_missing_children:,` children
# went missing in the EU after their arrival {cite:p}`emn2018unaccompanied`. The estimate is for
# the EU as a whole; the plan gives no breakdown by year, country, age or by whether the children
# travelled alone, and no later figure. Missing children are not one group: some are victims of
# trafficking, others move on under the radar to join family {cite:p}`pace2017missingchildren`.
# The action, led by the City of Amsterdam, builds on the 2019 report of Missing Children Europe
# on cross-border cooperation {cite:p}`mce2019interact` and convenes an expert roundtable
# {cite:p}`actionplan2021`.
#
# ## Where cross-border protection breaks down, and who can act
#
# The plan names {glue:text}`ch7_n_gaps` gaps in cross-border cooperation and
# {glue:text}`ch7_n_professions` groups of frontline professionals who form the "safety net". It
# ties a gap to a profession explicitly in only {glue:text}`ch7_n_specific` of the
# {glue:text}`ch7_n_cells` pairs: training (all frontline professionals) and guardianship
# (guardians). All other pairs follow from the general aim of raising every professional's
# awareness of every barrier.

# %% tags=["remove-input"]
gm = scope_matrix(gaps)
fig = scope_word_heatmap(gm, xlabel="Frontline professionals", ylabel="", general_word="general", fontsize=7,
                         figsize=(8.0, 4.8))
fig.axes[0].set_yticks(range(len(gm)), [textwrap.fill(t, 32) for t in gm.index], fontsize=7.5)
_ = show_figure(
    fig, "gaps-professionals",
    title="Cross-border protection gaps and the professionals concerned",
    source=PLAN_SOURCE,
    alt=("Heatmap of five gaps (rows) by six professions (columns). The training row reads 'stated' for all six "
         "professions, guardianship reads 'stated' for guardians; every other cell reads 'general'."),
    data=gm.reset_index(names="gap"),
    caption=("'stated': the plan ties this gap to this profession; 'general': it follows only from the plan's aim "
             "to raise all professionals' awareness of all barriers (2 and 1 in the CSV)."))

# %% tags=["remove-input"]
gap_table = pd.DataFrame([{
    "Gap": r["label"],
    "Professionals named for it": ", ".join(
        gaps.label("columns", c) for c in specific.loc[specific["row"] == r["id"], "column"]) or "all (general aim)",
    "Source": format_source(r).replace("@", ""),
} for _, r in gaps.rows.iterrows()])
_ = show_table(gap_table, "gaps", title="The five gaps named in Action 7 and their source in the plan",
           source=PLAN_SOURCE)

# %% tags=["remove-input"]
rates = children.asylum_rates(asylum, population, citizen=citizenship, start=year_start, end=year_end)
eu = children.eu_applicants_trend(rates)
peak = eu.loc[eu["applicants"].idxmax()]
map_year = children.latest_rate_year(rates)
glue_numbers({
    "ch7_year_start": int(rates["time"].min()),
    "ch7_year_end": int(rates["time"].max()),
    "ch7_citizenship": "all citizenships" if citizenship == "TOTAL" else f"citizens of {citizenship}",
    "ch7_eu_peak_year": int(peak["time"]),
    "ch7_eu_peak_applicants": int(peak["applicants"]),
})
rated = eu.dropna(subset=["per_100k"])
glue_numbers({
    "ch7_eu_rate_peak_year": int(rated.loc[rated["per_100k"].idxmax(), "time"]) if len(rated) else 0,
    "ch7_eu_rate_peak": float(rated["per_100k"].max()) if len(rated) else float("nan"),
    "ch7_n_reporting": int(rates["geo"].nunique()),
})

# %% [markdown]
# ## Asylum applicants, {glue:text}`ch7_year_start`-{glue:text}`ch7_year_end`
#
# The Eurostat table available in this edition counts asylum applicants of all ages together (age
# TOTAL): it does not separate children. It shows the scale of arrivals the protection system has to
# absorb. For {glue:text}`ch7_citizenship`, applications to EU-27 countries peaked in
# {glue:text}`ch7_eu_peak_year` at {glue:text}`ch7_eu_peak_applicants:,` persons. Per 100 000
# residents, the EU-27 rate was highest in {glue:text}`ch7_eu_rate_peak_year`
# ({glue:text}`ch7_eu_rate_peak:.0f`). Rates need a population, and the World Bank series used
# here covers 2010-2022 only, so no rate is shown for other years. Applications are not people:
# a person who applies twice, or in two countries, is counted each time.

# %% tags=["remove-input"]
fig, ax = plt.subplots(figsize=(7.5, 3.8))
ax.bar(eu["time"], eu["applicants"] / 1000, color=PALETTE[0])
ax.set_ylabel("Applicants, thousands")
ax.set_xticks(list(eu["time"]), [str(t) for t in eu["time"]], rotation=90, fontsize=8)
ax.grid(axis="x", visible=False)
_ = show_figure(
    fig, "asylum-eu-trend",
    title="Asylum applicants in the EU-27 countries, by year",
    source=ASY_SOURCE,
    alt=f"Bar chart of yearly asylum applicants summed over the EU-27 countries, {year_start} to {year_end}.",
    data=eu,
    caption=("Sum over the EU-27 countries that report in each year (column n_countries of the CSV; "
             "fewer than 27 in early years). All ages."))

# %% tags=["remove-input"]
latest = rates[rates["time"] == map_year]
regions = common.map_frame(countries0, latest, "per_100k", flag="flag")
top = latest.dropna(subset=["per_100k"]).sort_values("per_100k")
glue_numbers({
    "ch7_map_year": int(map_year),
    "ch7_map_top_country": str(top["country"].iloc[-1]),
    "ch7_map_top_rate": float(top["per_100k"].iloc[-1]),
    "ch7_map_median_rate": float(top["per_100k"].median()),
    "ch7_n_mapped": int(regions["per_100k"].notna().sum()),
})

# %% [markdown]
# In {glue:text}`ch7_map_year`, the latest year with a population, {glue:text}`ch7_map_top_country`
# had the most applicants per 100 000 residents ({glue:text}`ch7_map_top_rate:,.0f`); the median of
# the {glue:text}`ch7_n_mapped` countries mapped was {glue:text}`ch7_map_median_rate:,.0f`.

# %% tags=["remove-input"]
fig = maps.choropleth(regions, "per_100k", scheme="quantiles", k=5, legend_title="Applicants per 100 000",
                      flag_column="flag", value_format="{:,.0f}")
_ = show_figure(
    fig, "asylum-rate-map",
    title=f"Asylum applicants per 100 000 residents, {map_year}",
    source=f"Eurostat, migr_asyappctza ({map_year}, citizen {citizenship}){POP_SOURCE}; boundaries: Eurostat GISCO, NUTS 2021 level 0",
    alt=f"Choropleth map of asylum applicants per 100 000 residents by country in {map_year}, five quantile classes.",
    data=latest,
    caption=("Applicants of all ages. Countries that do not report are hatched as no data. "
             + maps.left_out_note(regions)).strip())

# %% tags=["remove-input"]
sel = rates[rates["geo"].isin(countries)].dropna(subset=["per_100k"])
if sel.empty:
    show_markdown("```{note}\nNone of the selected countries has a rate in the selected years.\n```\n")
else:
    fig = trend_lines(sel, x="time", y="per_100k", hue="country", ylabel="Applicants per 100 000 residents")
    show_figure(
        fig, "asylum-rate-trend",
        title="Asylum applicants per 100 000 residents, selected countries",
        source=ASY_SOURCE + POP_SOURCE,
        alt="Line chart of asylum applicants per 100 000 residents over time for the selected countries.",
        data=sel,
        caption="Years without a World Bank population (before 2010, after 2022) have no rate.")

# %% tags=["remove-input"]
annual = children.sweden_annual(sweden)
s15 = annual[annual["year"] == 2015].iloc[0]
s14 = annual[annual["year"] == 2014].iloc[0]
peak_month = sweden.loc[sweden["unacc_minors"].astype(float).idxmax()]
glue_numbers({
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
})

# %% [markdown]
# ## A case study: Sweden in 2015-2016
#
# The EU-wide table of unaccompanied minors (`migr_asyunaa`) is not in this edition's inputs (see
# below). Sweden gives a monthly view; by the news release discussed below, it ranked
# {glue:text}`ch7_se_rank_2015` among the reporting countries by the number of unaccompanied minors in
# 2015. The series ({glue:text}`ch7_se_first` to {glue:text}`ch7_se_last`) was
# extracted by a third party from the Swedish Migration Agency's monthly files; it is **not an
# official release** and should be checked against the agency's annual tables.
#
# In 2015, Sweden received {glue:text}`ch7_se_2015_total:,` asylum applications, of which
# {glue:text}`ch7_se_2015_minors:,` from minors and {glue:text}`ch7_se_2015_unacc:,` from
# unaccompanied minors ({glue:text}`ch7_se_2015_share_unacc:.1f` % of all applications, against
# {glue:text}`ch7_se_2014_share_unacc:.1f` % in 2014). Unaccompanied minors' applications peaked in
# {glue:text}`ch7_se_peak_month` at {glue:text}`ch7_se_peak_unacc:,` in one month, then fell to
# {glue:text}`ch7_se_2016_unacc:,` for the whole of 2016.

# %% tags=["remove-input"]
long = children.sweden_long(sweden)
fig, ax = plt.subplots(figsize=(7.5, 4.0))
for i, (name, part) in enumerate(long.groupby("series", sort=False)):
    ax.plot(part["month"], part["applications"], color=PALETTE[i], label=name, linewidth=1.4)
ax.set_ylabel("Applications per month")
ax.legend(fontsize=8, loc="upper left")
_ = show_figure(
    fig, "sweden-monthly",
    title="Monthly asylum applications to Sweden, by minors and unaccompanied minors",
    source=SE_SOURCE,
    alt=("Line chart of monthly asylum applications to Sweden from January 2009 to May 2017: all applicants, "
         "minors and unaccompanied minors, all peaking in autumn 2015."),
    data=long,
    caption="Unofficial extraction from the agency's monthly files; minors include unaccompanied minors.")

# %% tags=["remove-input"]
eu_permits = permits[(permits["geo"] == "EU27_2020")].sort_values("time")
eu_permits = eu_permits[eu_permits["time"].between(year_start, year_end)]
glue_numbers({
    "ch7_permits_first": int(eu_permits["time"].min()),
    "ch7_permits_last": int(eu_permits["time"].max()),
    "ch7_permits_last_m": float(eu_permits["value"].iloc[-1] / 1e6),
})
ctx = pd.concat([
    eu_permits.assign(series="First residence permits (all reasons), EU-27")[["time", "value", "flag", "series"]],
    eu[eu["time"].between(eu_permits["time"].min(), eu_permits["time"].max())].rename(columns={"applicants": "value"})
    .assign(flag="", series="Asylum applicants, sum of EU-27 countries")[["time", "value", "flag", "series"]],
], ignore_index=True)
ctx["value_m"] = ctx["value"] / 1e6

# %% [markdown]
# Asylum is one route among several. First residence permits, issued for work, family, study and
# other reasons (including protection), show the wider context: in {glue:text}`ch7_permits_last`
# the EU-27 issued {glue:text}`ch7_permits_last_m:.2f` million first permits. The two series count
# different things (a permit is issued once per person and reason; an application may be repeated),
# so they are shown side by side, not subtracted.

# %% tags=["remove-input"]
fig = trend_lines(ctx, x="time", y="value_m", hue="series", ylabel="Millions", flag="flag")
fig.axes[0].set_ylim(bottom=0)
_ = show_figure(
    fig, "permits-context",
    title="First residence permits and asylum applicants, EU-27",
    source=f"Eurostat, tps00170 ({int(eu_permits['time'].min())}-{int(eu_permits['time'].max())}); {ASY_SOURCE}",
    alt="Two lines over time: first residence permits issued in the EU-27 and asylum applicants in EU-27 countries, in millions.",
    data=ctx,
    caption="Hollow points: values flagged by Eurostat as of low reliability (u), if any.")

# %% tags=["remove-input"]
release_long = children.uam_release_long(uam)
eu_row = uam[uam["geo"].str.startswith("EU")].iloc[0]
states = uam[~uam["geo"].str.startswith("EU")].copy()
states["uam_2015"] = states["uam_2015"].astype(float)
states["uam_2016"] = states["uam_2016"].astype(float)
top16 = states.dropna(subset=["uam_2016"]).sort_values("uam_2016").iloc[-1]
eu_cit = children.uam_eu_citizenships(uam_top)
cit_counts = children.uam_citizenship_counts(uam_top)
glue_numbers({
    "ch7_uam_eu_2015": int(eu_row["uam_2015"]),
    "ch7_uam_eu_2016": int(eu_row["uam_2016"]),
    "ch7_uam_top_state": str(top16["country"]),
})
se_rank = int(states["uam_2015"].rank(ascending=False, method="min")[states["geo"] == "SE"].iloc[0])
glue_numbers({
    "ch7_se_rank_2015": {1: "first", 2: "second", 3: "third"}.get(se_rank, f"{se_rank}th"),
    "ch7_uam_top_state_2016": int(top16["uam_2016"]),
    "ch7_uam_top_state_share": float(100 * top16["uam_2016"] / eu_row["uam_2016"]),
    "ch7_uam_eu_male": float(eu_row["share_male_2016"]),
    "ch7_uam_eu_under14": float(eu_row["share_under14_2016"]),
    "ch7_uam_top_cit": str(eu_cit["citizenship"].iloc[0]),
    "ch7_uam_top_cit_share": float(eu_cit["share"].iloc[0]),
    "ch7_uam_top_cit_states": int(cit_counts["states"].iloc[0]),
    "ch7_uam_top_cit_counted": str(cit_counts["citizenship"].iloc[0]),
})

# %% [markdown]
# ## Unaccompanied minors across the EU, 2015-2016
#
# Eurostat's news release 80/2017 published the EU-wide numbers: {glue:text}`ch7_uam_eu_2015:,`
# asylum applicants considered unaccompanied minors in the EU-28 in 2015 and
# {glue:text}`ch7_uam_eu_2016:,` in 2016. {glue:text}`ch7_uam_top_state` registered the most in 2016
# ({glue:text}`ch7_uam_top_state_2016:,`, {glue:text}`ch7_uam_top_state_share:.0f` % of the EU total).
# In 2016, {glue:text}`ch7_uam_eu_male:.0f` % were boys and {glue:text}`ch7_uam_eu_under14:.0f` %
# were under 14. The numbers here come from the release's table as extracted from its PDF by a third
# party, not from Eurostat's database; Eurostat later revised both EU totals slightly downwards (in
# its 2018 release).

# %% tags=["remove-input"]
plot = states.dropna(subset=["uam_2015", "uam_2016"])
zeros = sorted(plot.loc[plot["uam_2016"] == 0, "country"])
fig = dumbbell(plot, label="country", left="uam_2015", right="uam_2016", left_name="2015", right_name="2016",
               xlabel="Unaccompanied minors applying for asylum (log scale)", sort_by="uam_2016")
fig.axes[0].set_xscale("log")
_ = show_figure(
    fig, "uam-2015-2016",
    title="Unaccompanied minors applying for asylum, 2015 and 2016",
    source=RELEASE_SOURCE,
    alt=("Dumbbell chart, one row per country (EU-28 and EFTA), with the number of unaccompanied minors in 2015 "
         "and 2016 on a logarithmic axis."),
    data=release_long,
    caption=("Countries without a figure for either year are left out ('-' in the release). Log scale, because "
             "the numbers range from a few to tens of thousands; a zero cannot be drawn on it"
             + (" (zero in 2016: " + ", ".join(zeros) + ")" if zeros else "") + "."))

# %% [markdown]
# The release also lists the three main citizenships in each country. At EU level,
# {glue:text}`ch7_uam_top_cit` accounted for {glue:text}`ch7_uam_top_cit_share:.0f` % of
# unaccompanied minors in 2016; {glue:text}`ch7_uam_top_cit_counted` was among the top three
# citizenships in {glue:text}`ch7_uam_top_cit_states` of the reporting countries.

# %% tags=["remove-input"]
_ = show_table(eu_cit.rename(columns={"rank": "Rank", "citizenship": "Citizenship", "number": "Unaccompanied minors",
                                 "share": "Share (%)"}),
           "uam-eu-citizenships", title="Three main citizenships of unaccompanied minors, EU-28, 2016",
           source=RELEASE_SOURCE, floatfmt="{:,.0f}")
fig = ranked_bars(cit_counts, label="citizenship", value="states",
                  xlabel="Countries where the citizenship is among the top three")
_ = show_figure(
    fig, "uam-top-citizenships",
    title="Citizenships among the top three for unaccompanied minors, 2016",
    source=RELEASE_SOURCE,
    alt="Horizontal bars: for each citizenship, the number of reporting countries where it is among the three main citizenships of unaccompanied minors.",
    data=cit_counts,
    caption="The 'minors' column of the CSV sums only the top-three entries, so it undercounts every citizenship.")

# %% [markdown]
# ## The EU-wide series by age, sex and citizenship
#
# Eurostat publishes unaccompanied minors by country, citizenship, age and sex every year
# (`migr_asyunaa`), and all asylum applicants by age group (`migr_asyappctza` with ages under 18).
# With them this section shows a map, the EU trend, the main citizenships and the age and sex split
# for the selected years.

# %% tags=["remove-input"]
unaa_window = unaa[unaa["time"].between(year_start, year_end)] if len(unaa) else unaa
if unaa_window.empty:
    glue("ch7_unaa_present", "no", display=False)
    missing_evidence_note("unaccompanied minors by country, citizenship, age and sex (EU-wide, yearly)",
                          ["eurostat_migr_asyunaa"])
else:
    glue("ch7_unaa_present", "yes", display=False)
    summary = children.uam_eurostat_summary(unaa_window, start=year_start, end=year_end, countries=countries)
    for spec in uam_eurostat_figures(summary, countries0, start=year_start, end=year_end):
        show_figure(spec.pop("fig"), spec.pop("name"), **spec)

# %% tags=["remove-input"]
age_window = age_table[age_table["time"].between(year_start, year_end)] if len(age_table) else age_table
if age_window.empty:
    missing_evidence_note("asylum applicants under 18 by country", ["eurostat_migr_asyappctza_age"])
else:
    minors = children.minors_from_age_table(age_window, start=year_start, end=year_end)
    sel_minors = minors[minors["geo"].isin(countries)] if countries else minors
    fig = trend_lines(sel_minors, x="time", y="minors", hue="country", ylabel="Applicants under 18")
    show_figure(fig, "minors-trend", title="Asylum applicants under 18, selected countries",
                source=f"Eurostat, migr_asyappctza (ages under 18, {year_start}-{year_end})",
                alt="Line chart of asylum applicants under 18 per year for the selected countries.",
                data=sel_minors, caption="All citizenships, both sexes.")

# %% [markdown]
# ## What this means for the action
#
# The numbers show why cross-border cooperation matters: unaccompanied minors arrived in large
# numbers in a few years, concentrated in a few countries, and many came from the same few countries
# of origin. They do not show what the action is about: how many children go missing, where, and why.
# The only figure on missing children is the plan's EU-wide estimate, and no statistic links the
# gaps the plan names to outcomes for children. The roundtable's findings, not this data, are the
# evidence the action will produce.

# %% tags=["remove-cell", "nbval-check-output"]
print(f"gaps={len(gaps.rows)} professions={len(gaps.columns)} specific={len(specific)} missing={int(missing['value'])}")
print(f"asylum {year_start}-{year_end} {citizenship}: peak={int(peak['time'])} {int(peak['applicants'])}")
print(f"map year={map_year} mapped={int(regions['per_100k'].notna().sum())} top={top['geo'].iloc[-1]} "
      f"{top['per_100k'].iloc[-1]:.1f}")
print(f"sweden 2015 unacc={int(s15['unacc_minors'])} share={s15['share_unacc']:.2f}")
print(f"uam eu 2015={int(eu_row['uam_2015'])} 2016={int(eu_row['uam_2016'])} top={top16['geo']}")
print(f"migr_asyunaa rows={len(unaa)} migr_asyappctza_age rows={len(age_table)}")
