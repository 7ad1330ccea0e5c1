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
# year: regional reference year; the default is the year with most regions having foreign-born values
year = 2016
compare_year = 2022  # second year for the change of the gap
group = "FOR"  # country-of-birth group: FOR (foreign-born) or NEU27_2020_FOR (born outside the EU)
n_clusters = 6  # number of groups of regions
cluster_method = "kmeans"  # kmeans or ward
scheme = "quantiles"  # map classes: quantiles, equalinterval, fisherjenks or headtailbreaks
mipex_strand = "overall_with_health"  # MIPEX score used for the policy link
change_threshold = 2.0  # pp; a gap change beyond it counts as widened/narrowed

# %% tags=["remove-input"]
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import regional as R
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup
from inclusion_evidence.present.figures import (
    PALETTE,
    glue_numbers,
    missing_evidence_note,
    show_figure,
    show_markdown,
    show_table,
)

setup("action_5_evidence_policymaking")
parameters_note(year=year, compare_year=compare_year, group=group, n_clusters=n_clusters,
                cluster_method=cluster_method, scheme=scheme, mipex_strand=mipex_strand,
                change_threshold=change_threshold)

unemployment = read_table("regional_unemployment")
indicators = read_table("regional_indicators")
national = read_table("national_gaps")
recode = read_table("nuts2021_2024_recode")
nuts2021 = read_table("nuts2021_level2")
nuts2024 = read_table("nuts2024_level2")
population = read_table("regional_population_2023")
mipex = read_table("mipex_strands")

if group not in R.GROUP_LABELS:
    raise ValueError(f"group {group!r}: use FOR or NEU27_2020_FOR")
available_years = sorted(unemployment.loc[unemployment[f"rate_{group}"].notna(), "time"].unique())
for name, value in (("year", year), ("compare_year", compare_year)):
    if value not in available_years:
        raise ValueError(f"{name}={value}: the regional extract has {group} values for "
                         f"{available_years[0]}-{available_years[-1]}")
if compare_year == year:
    raise ValueError("compare_year must differ from year")

GROUP = R.GROUP_LABELS[group]
LFS_SOURCE = "Eurostat, lfst_r_lfur2gac (extract last updated 27 April 2023)"
BOUNDARIES = "© EuroGeographics for the administrative boundaries"
best = R.best_year(unemployment, group)
per_year = R.regions_per_year(unemployment, group)
glue_numbers({
    "ch5_year": int(year),
    "ch5_compare_year": int(compare_year),
    "ch5_group_label": GROUP,
    "ch5_best_year": int(best),
    "ch5_best_year_regions": int(per_year.loc[best]),
    "ch5_year_is_best": "is" if year == best else "is not",
    "ch5_first_year": int(unemployment["time"].min()),
    "ch5_last_year_regions": int(per_year.iloc[-1]),
    "ch5_last_year": int(unemployment["time"].max()),
    "ch5_n_codes": int(unemployment["geo"].nunique()),
})

# %% [markdown]
# # Action 5: Evidence-based integration policymaking in cities

# %% tags=["remove-input"]
at_a_glance(5)

# %% [markdown]
# The Action asks two things of the data {cite:p}`actionplan2021`. Its first pillar is comparable integration
# indicators below the national level, building on the Eurostat regional indicators that the Partnership's first
# phase helped to create {cite:p}`urbanagenda2017actionplan`; the Action also recalls the Common Basic
# Principles' call for "clear goals, indicators and evaluation mechanisms" {cite:p}`council2004cbp`. Its second
# pillar links regional integration outcomes to national integration and immigration policies, naming MIPEX
# {cite:p}`solano2020mipex` and IMPIC {cite:p}`impic2021`, and relying on groups (clusters) of similar regions.
# This chapter does both with the data in this edition: regional unemployment by country of birth, a grouping
# of regions, and MIPEX scores.
#
# ## The data and how to read it
#
# - **Regional outcomes.** Eurostat's table `lfst_r_lfur2gac` gives unemployment rates of people aged 15-64 by
#   country of birth and NUTS-2 region, from the EU Labour Force Survey. This edition uses an extract last
#   updated on 27 April 2023: {glue:text}`ch5_n_codes` region codes, years {glue:text}`ch5_first_year` to
#   {glue:text}`ch5_last_year`, NUTS 2021 codes (with some discontinued older codes in the early years).
# - **No native-born group.** The extract holds the total population and the foreign-born groups (all
#   foreign-born, born in another EU country, born outside the EU), but **not the native-born**. Every regional
#   gap in this chapter is therefore *foreign-born group minus total*, in percentage points (pp). Because the
#   total includes the foreign-born, this gap is smaller than the gap to the native-born.
# - **Reliability.** Regional rates for the foreign-born rest on small samples. Eurostat flags many of them
#   `u` (low reliability). The maps mark them with dots; they are not hidden. See {ref}`caveat-survey`.
# - **Reference year.** The default year is the year in which most regions have a value for the chosen
#   group (on a tie, the later year). For the {glue:text}`ch5_group_label` that is {glue:text}`ch5_best_year`
#   ({glue:text}`ch5_best_year_regions` regions). This page uses {glue:text}`ch5_year`, which
#   {glue:text}`ch5_year_is_best` that year. Later years have fewer regions with data
#   ({glue:text}`ch5_last_year_regions` in {glue:text}`ch5_last_year`), and the 2021 redesign of the Labour
#   Force Survey breaks many series (flag `b`).
# - **National outcomes.** Eurostat's `lfsa_ergan` and `lfsa_urgan` give employment and unemployment rates
#   (15-64) of nationals and foreign citizens by country. These tables compare groups by **citizenship**, not
#   by country of birth ({ref}`caveat-citizenship`).
# - **Where migrants live.** The foreign-born share of the population comes from a third-party compilation of
#   Eurostat tables (the "European Locals Map" by P. Aliprandi). It combines `lfst_r_lfsd2pwc`,
#   `lfst_r_lfsd2pwn` and `demo_r_pjanaggr3` and uses **NUTS 2024** codes. It is not a Eurostat release. The
#   shares refer to the LFS population aged 15 and over, in 2023.
# - **NUTS versions.** The labour-market extract uses NUTS 2021 and the population compilation uses NUTS 2024.
#   Each is mapped on its own geometry. To combine them, codes are recoded only where the two versions
#   correspond one to one (table below; {ref}`caveat-nuts`).

# %% tags=["remove-input"]
changed = recode[recode["relation"].isin(["recoded", "split/merged"])].copy()
changed["share_of_2021"] = (changed["share_of_2021"] * 100).round(0)
changed["share_of_2024"] = (changed["share_of_2024"] * 100).round(0)
counts = recode["relation"].value_counts()
glue("ch5_recode_unchanged", int(counts.get("unchanged", 0)), display=False)
glue("ch5_recode_notin2024", int(counts.get("not in NUTS 2024", 0)), display=False)
_ = show_table(changed.rename(columns={
    "nuts2021": "NUTS 2021", "name2021": "Name (2021)", "nuts2024": "NUTS 2024", "name2024": "Name (2024)",
    "share_of_2021": "% of 2021 region", "share_of_2024": "% of 2024 region", "relation": "Relation"}),
    "nuts-recode", title="NUTS-2 regions whose code changed between NUTS 2021 and NUTS 2024",
    source="Computed from GISCO NUTS 2021 (1:60M) and NUTS 2024 (1:20M) polygons, " + BOUNDARIES,
    floatfmt="{:,.0f}")

# %% [markdown]
# The two versions share {glue:text}`ch5_recode_unchanged` codes, which are taken as the same regions.
# {glue:text}`ch5_recode_notin2024` UK regions have no NUTS 2024 counterpart. The table links the changed codes
# by the overlap of their polygons. The Dutch regions were recoded with small boundary changes. The Portuguese
# ones were split and merged, so values cannot be carried between the versions for them. Because the two
# geometries come at different scales, the overlap percentages are approximate.
#
# ## Regional unemployment gaps

# %% tags=["remove-input"]
sl = R.year_slice(unemployment, year, group)
gdf = R.attach_geometry(nuts2021, sl)
with_rate = gdf[gdf["rate"].notna()]
n_mapped = int(len(with_rate))
lost = R.unmapped(nuts2021, sl, "rate")
glue_numbers({
    "ch5_n_regions": n_mapped,
    "ch5_n_rate_u": int(with_rate["flag"].str.contains("u").sum()),
    "ch5_n_unmapped": len(lost),
    "ch5_unmapped": ", ".join(lost) if lost else "none",
})
fig = maps.choropleth(gdf, "rate", scheme=scheme, k=5, legend_title=f"Unemployment rate,\n{GROUP} 15-64 (%)",
                      flag_column="flag")
_ = show_figure(fig, "map-rate", title=f"Unemployment rate of the {GROUP}, {year}",
            source=f"{LFS_SOURCE}, {year}; NUTS 2021; {BOUNDARIES}",
            alt=f"Map of NUTS-2 regions of Europe shaded by the unemployment rate of the {GROUP} aged 15-64 in "
                f"{year}; {n_mapped} regions have a value, others are hatched as no data.",
            data=sl[sl["rate"].notna()][["geo", "name", "country_name", "rate", "flag", "rate_TOTAL", "flag_TOTAL"]],
            caption=f"Regions with a value: {n_mapped}. Dotted: low reliability (flag u). "
                    f"{maps.left_out_note(with_rate)}")

# %% [markdown]
# {glue:text}`ch5_n_regions` regions have a {glue:text}`ch5_group_label` unemployment rate for
# {glue:text}`ch5_year`, and {glue:text}`ch5_n_rate_u` of them are flagged as of low reliability. Codes with a
# value but no NUTS 2021 polygon (discontinued codes), and therefore not on the map: {glue:text}`ch5_unmapped`.

# %% tags=["remove-input"]
GAP_THRESHOLD = 5.0
gap_maps = {}
for g in ("FOR", "NEU27_2020_FOR"):
    s = R.year_slice(unemployment, year, g)
    summary = R.gap_summary(s, GAP_THRESHOLD)
    gap_maps[g] = (s, summary)
    key = "for" if g == "FOR" else "neu"
    glue_numbers({
        f"ch5_{key}_n": summary["n"],
        f"ch5_{key}_n_u": summary["n_u"],
        f"ch5_{key}_median": summary["median"],
        f"ch5_{key}_max": summary["max"],
        f"ch5_{key}_max_name": summary["max_name"],
        f"ch5_{key}_min": summary["min"],
        f"ch5_{key}_min_name": summary["min_name"],
        f"ch5_{key}_share_above": summary["share_above"],
        f"ch5_{key}_n_negative": summary["n_negative"],
        f"ch5_{key}_n_positive": int((s["gap"] > 0).sum()),
    })
    g_gdf = R.attach_geometry(nuts2021, s)
    have = g_gdf[g_gdf["gap"].notna()]
    fig = maps.choropleth(g_gdf, "gap", scheme=scheme, k=5, cmap="YlOrRd",
                          legend_title=f"Gap, {R.GROUP_LABELS[g]}\nminus total (pp)", flag_column="gap_flag")
    _ = show_figure(fig, f"map-gap-{key}", title=f"Unemployment gap: {R.GROUP_LABELS[g]} minus total, {year}",
                source=f"{LFS_SOURCE}, {year}; NUTS 2021; {BOUNDARIES}",
                alt=f"Map of NUTS-2 regions shaded by the unemployment rate of the {R.GROUP_LABELS[g]} minus the "
                    f"rate of the whole population aged 15-64 in {year}, in percentage points; "
                    f"{summary['n']} regions have a value.",
                data=s.dropna(subset=["gap"])[["geo", "name", "country_name", "rate", "rate_TOTAL", "gap",
                                               "gap_flag"]],
                caption=f"Percentage points; the reference is the total population (the extract has no "
                        f"native-born group). Regions with a value: {summary['n']}. Dotted: low reliability "
                        f"(flag u in either rate). {maps.left_out_note(have)}")

# %% [markdown]
# In {glue:text}`ch5_year`, the unemployment rate of the foreign-born was above the regional total in
# {glue:text}`ch5_for_n_positive` of the {glue:text}`ch5_for_n` regions with both rates. The median gap was {glue:text}`ch5_for_median:.1f` pp. It
# was widest, at {glue:text}`ch5_for_max:.1f` pp, in {glue:text}`ch5_for_max_name`, and narrowest, at
# {glue:text}`ch5_for_min:.1f` pp, in {glue:text}`ch5_for_min_name`. In {glue:text}`ch5_for_share_above:.0f`% of
# these regions the foreign-born rate exceeded the total by more than 5 points. In
# {glue:text}`ch5_for_n_negative` regions it was below the total.
#
# For people born outside the EU ({glue:text}`ch5_neu_n` regions), the median gap was
# {glue:text}`ch5_neu_median:.1f` pp. The widest gap, {glue:text}`ch5_neu_max:.1f` pp, was in
# {glue:text}`ch5_neu_max_name`, and the narrowest, {glue:text}`ch5_neu_min:.1f` pp, in
# {glue:text}`ch5_neu_min_name`. In {glue:text}`ch5_neu_share_above:.0f`% of these regions the gap exceeded
# 5 points. Of these regional gaps, {glue:text}`ch5_for_n_u` (foreign-born) and {glue:text}`ch5_neu_n_u` (born
# outside the EU) are flagged `u`, so single regions should not be ranked on them.
#
# ## Where the foreign-born live

# %% tags=["remove-input"]
pop_gdf = R.population_share_map_frame(population, nuts2024, nuts2021)
pop_have = pop_gdf[pop_gdf["foreign_born_share"].notna()]
uk_rows = population[population["geo"].str.startswith("UK")]
glue_numbers({
    "ch5_pop_n": int(len(pop_have)),
    "ch5_pop_uk_rows": int(len(uk_rows)),
    "ch5_pop_uk_values": int(uk_rows["foreign_born_share"].notna().sum()),
})
top = pop_have.sort_values(["foreign_born_share", "nuts_id"]).iloc[-1]
glue_numbers({
    "ch5_pop_max": float(top["foreign_born_share"]),
    "ch5_pop_max_name": f"{top['name']}, {top['nuts_id']}",
    "ch5_pop_median": float(pop_have["foreign_born_share"].median()),
})
fig = maps.choropleth(pop_gdf, "foreign_born_share", scheme=scheme, k=5, cmap="PuBu",
                      legend_title="Foreign-born share of the\nLFS population 15+ (%)")
_ = show_figure(fig, "map-foreign-born-share", title="Foreign-born share of the population aged 15+, 2023",
            source="European Locals Map (P. Aliprandi), compiling Eurostat lfst_r_lfsd2pwc and demo_r_pjanaggr3 "
                   f"(2023); NUTS 2024 (UK: NUTS 2021); {BOUNDARIES}",
            alt="Map of NUTS-2 regions shaded by the share of foreign-born people in the population aged 15 and "
                "over in 2023, from a third-party compilation of Eurostat tables; regions without a value hatched.",
            data=pd.DataFrame(pop_have[["nuts_id", "name", "country", "nuts_version", "foreign_born_share",
                                        "foreign_born"]]),
            caption="A third-party compilation of Eurostat tables with NUTS 2024 codes, not a Eurostat release; "
                    "shares of the LFS population aged 15+. UK regions (NUTS 2021) are in the file without "
                    f"values and show as no data. {maps.left_out_note(pop_have)}")

# %% [markdown]
# The compilation gives a foreign-born share for {glue:text}`ch5_pop_n` regions. The median region has
# {glue:text}`ch5_pop_median:.1f`% foreign-born. The highest share, {glue:text}`ch5_pop_max:.1f`%, is in
# {glue:text}`ch5_pop_max_name`. The file lists {glue:text}`ch5_pop_uk_rows` UK regions with NUTS 2021 codes,
# of which {glue:text}`ch5_pop_uk_values` have a value.
#
# ## Change over time
#
# ### Regions where the gap widened or narrowed

# %% tags=["remove-input"]
change = R.gap_change(unemployment, year, compare_year, group, change_threshold)
y0, y1 = sorted((year, compare_year))
dir_counts = change["direction"].value_counts()
within = f"within ±{change_threshold:g} pp"
glue_numbers({
    "ch5_change_n": int(len(change)),
    "ch5_change_widened": int(dir_counts.get("widened", 0)),
    "ch5_change_narrowed": int(dir_counts.get("narrowed", 0)),
    "ch5_change_within": int(dir_counts.get(within, 0)),
    "ch5_change_break": int(change["flags"].str.contains("b").sum()),
    "ch5_change_from": int(y0),
    "ch5_change_to": int(y1),
    "ch5_change_threshold": float(change_threshold),
    "ch5_change_median": float(change["change"].median()) if len(change) else float("nan"),
})
ch_gdf = R.attach_geometry(nuts2021, change.rename(columns={"flags": "change_flags"}))
fig = maps.category_map(ch_gdf, "direction", ["widened", within, "narrowed"], [PALETTE[3], "#e3d7b8", PALETTE[0]],
                        labels={"widened": f"Widened by more than {change_threshold:g} pp",
                                "narrowed": f"Narrowed by more than {change_threshold:g} pp"},
                        legend_title=f"Gap ({GROUP} minus total),\n{y0} to {y1}", flag_column="change_flags")
_ = show_figure(fig, "map-gap-change", title=f"Change of the unemployment gap of the {GROUP}, {y0} to {y1}",
            source=f"{LFS_SOURCE}, {y0} and {y1}; NUTS 2021; {BOUNDARIES}",
            alt=f"Map of NUTS-2 regions coloured by whether the unemployment gap between the {GROUP} and the total "
                f"widened, narrowed or stayed within {change_threshold:g} points between {y0} and {y1}.",
            data=change[["geo", "name", "country_name", "year_from", "gap_from", "year_to", "gap_to", "change",
                         "direction", "flags"]],
            caption=f"Regions with a gap in both years: {len(change)}. Dotted: a low-reliability value in either "
                    "year. Flag b (break in series, e.g. the 2021 LFS redesign) is listed in the CSV. "
                    f"{maps.left_out_note(ch_gdf[ch_gdf['direction'].notna()])}")
extremes = pd.concat([change.head(5), change.tail(5)]).drop_duplicates("geo")
_ = show_table(extremes[["name", "country_name", "gap_from", "gap_to", "change", "flags"]].rename(columns={
    "name": "Region", "country_name": "Country", "gap_from": f"Gap {y0} (pp)", "gap_to": f"Gap {y1} (pp)",
    "change": "Change (pp)", "flags": "Flags"}), "gap-change-extremes",
    title=f"The five largest narrowings and widenings of the gap, {y0} to {y1}",
    source=f"{LFS_SOURCE}, {y0} and {y1}")

# %% [markdown]
# Between {glue:text}`ch5_change_from` and {glue:text}`ch5_change_to`, {glue:text}`ch5_change_n` regions have a
# gap in both years. In {glue:text}`ch5_change_widened` of them the gap widened by more than
# {glue:text}`ch5_change_threshold:.0f` points. In {glue:text}`ch5_change_narrowed` it narrowed by more than that.
# In {glue:text}`ch5_change_within` it stayed within that band. The median change was
# {glue:text}`ch5_change_median:.1f` pp. For {glue:text}`ch5_change_break` regions, at least one of the four
# rates carries a break in series (`b`). Large single changes there, and in `u`-flagged regions, may reflect the
# survey more than the labour market.
#
# ### The European trend

# %% tags=["remove-input"]
eu = R.eu_aggregate(national)
dist = R.gap_distribution_by_year(unemployment, group)
glue("ch5_eu_rows", int(len(eu)), display=False)
if len(eu):
    fig = charts.trend_lines(eu.assign(series="EU27_2020"), x="time", y="unemp_gap", hue="series",
                             ylabel="Foreign minus national citizens (pp)", flag="unemp_gap_flag")
    _ = show_figure(fig, "eu-trend", title="Unemployment gap, foreign minus national citizens, EU-27",
                source="Eurostat, lfsa_urgan", alt="Line chart of the EU-27 unemployment gap by citizenship over time.",
                data=eu[["geo", "time", "unemp_NAT", "unemp_FOR", "unemp_gap", "unemp_gap_flag"]])
else:
    show_markdown("```{note}\nThe extracts in this edition have no EU aggregate rows: the regional table "
                  "`lfst_r_lfur2gac` has NUTS-2 regions only, and the national table `lfsa_urgan` has countries "
                  "but no `EU27_2020` row. There is therefore no EU-level trend on this page. The chart below "
                  "describes the *regions* instead. It is not an EU aggregate.\n```\n")
fig = charts.distribution_trend(dist, ylabel=f"Gap, {GROUP} minus total (pp)")
_ = show_figure(fig, "regional-gap-trend",
            title=f"Regional unemployment gaps of the {GROUP}, {int(dist['time'].min())}-{int(dist['time'].max())}",
            source=f"{LFS_SOURCE}, {int(dist['time'].min())}-{int(dist['time'].max())}",
            alt=f"Line chart of the median regional unemployment gap between the {GROUP} and the total, with the "
                "band between the 25th and 75th percentile of regions and bars for the number of regions with data.",
            data=dist,
            caption="Unweighted median and quartiles across the regions with a gap in each year. The set of regions "
                    "changes from year to year (bars), so this describes the regions, not the EU as a whole.")
glue_numbers({
    "ch5_dist_first_year": int(dist["time"].min()),
    "ch5_dist_first_n": int(dist["n_regions"].iloc[0]),
    "ch5_dist_max_n": int(dist["n_regions"].max()),
})

# %% [markdown]
# The regional series starts in {glue:text}`ch5_dist_first_year` with {glue:text}`ch5_dist_first_n` regions and
# covers at most {glue:text}`ch5_dist_max_n`. Early years describe a smaller, different set of regions.
#
# ## The national picture: nationals and foreign citizens

# %% tags=["remove-input"]
latest = R.latest_covered_year(national, "emp_gap")
glue("ch5_nat_latest", int(latest), display=False)
nat_latest = national[(national["time"] == latest)].dropna(subset=["emp_gap"])
glue("ch5_nat_n", int(len(nat_latest)), display=False)
fig = charts.dumbbell(nat_latest, label="country_name", left="emp_NAT", right="emp_FOR",
                      left_name="Nationals", right_name="Foreign citizens", xlabel="Employment rate, 15-64 (%)",
                      flag="emp_flag_FOR", sort_by="emp_gap")
_ = show_figure(fig, "national-employment", title=f"Employment rates of nationals and foreign citizens, {latest}",
            source=f"Eurostat, lfsa_ergan ({latest}), sex total, age 15-64",
            alt=f"Dumbbell chart, one row per country, of the employment rate of nationals and of foreign citizens "
                f"aged 15-64 in {latest}.",
            data=nat_latest[["geo", "country_name", "emp_NAT", "emp_FOR", "emp_gap", "emp_gap_flag"]],
            caption="Sorted by the gap (foreign minus nationals). (u): low reliability. By citizenship, not country "
                    "of birth.")
nat_latest_u = national[(national["time"] == latest)].dropna(subset=["unemp_gap"])
fig = charts.dumbbell(nat_latest_u, label="country_name", left="unemp_NAT", right="unemp_FOR",
                      left_name="Nationals", right_name="Foreign citizens", xlabel="Unemployment rate, 15-64 (%)",
                      flag="unemp_flag_FOR", sort_by="unemp_gap")
_ = show_figure(fig, "national-unemployment", title=f"Unemployment rates of nationals and foreign citizens, {latest}",
            source=f"Eurostat, lfsa_urgan ({latest}), sex total, age 15-64",
            alt=f"Dumbbell chart, one row per country, of the unemployment rate of nationals and of foreign citizens "
                f"aged 15-64 in {latest}.",
            data=nat_latest_u[["geo", "country_name", "unemp_NAT", "unemp_FOR", "unemp_gap", "unemp_gap_flag"]],
            caption="Sorted by the gap (foreign minus nationals). (u): low reliability. Countries where the "
                    "foreign-citizen rate is suppressed are left out.")
trend = national[national["time"].isin([year, latest])].pivot(index=["geo", "country_name"], columns="time",
                                                               values="unemp_gap")
trend = trend.dropna().reset_index().rename(columns={year: "gap_year", latest: "gap_latest"})
trend_flags = national[national["time"].isin([year, latest])].groupby("geo")["unemp_gap_flag"].agg("".join)
trend["flag"] = trend["geo"].map(trend_flags).fillna("")
glue("ch5_nat_trend_n", int(len(trend)), display=False)
glue("ch5_nat_trend_narrowed", int((trend["gap_latest"] < trend["gap_year"]).sum()), display=False)
if year != latest and len(trend):
    fig = charts.dumbbell(trend, label="country_name", left="gap_year", right="gap_latest", left_name=str(year),
                          right_name=str(latest), xlabel="Unemployment gap, foreign minus national citizens (pp)",
                          flag="flag")
    _ = show_figure(fig, "national-gap-trend", title=f"Unemployment gap by citizenship, {year} and {latest}",
                source=f"Eurostat, lfsa_urgan ({year}, {latest}), sex total, age 15-64",
                alt=f"Dumbbell chart of the unemployment gap between foreign and national citizens by country in "
                    f"{year} and {latest}.",
                data=trend, caption="Countries with the gap in both years. (u): low reliability in either year.")

# %% [markdown]
# In {glue:text}`ch5_nat_latest`, {glue:text}`ch5_nat_n` countries report employment rates for both nationals
# and foreign citizens. Of the {glue:text}`ch5_nat_trend_n` countries with an unemployment gap in both
# {glue:text}`ch5_year` and {glue:text}`ch5_nat_latest`, the gap was smaller in the later year in
# {glue:text}`ch5_nat_trend_narrowed`.
#
# ## Groups of regions with similar profiles
#
# The Action plans to build on the clusters of a 2019/20 pilot. Those clusters are not among this edition's
# inputs, so this chapter forms its own groups from three indicators per region:
#
# - the total unemployment rate (the local labour market);
# - the gap of the chosen group against the total (integration outcome);
# - the foreign-born share of the population aged 15+ (migration profile; from the third-party compilation,
#   carried to NUTS 2021 where the codes correspond one to one).
#
# Each indicator is standardised (mean 0, standard deviation 1). Regions are grouped by k-means
# (`random_state=0`, 20 starts) or by Ward's method. **Rule for the number of groups:** the mean silhouette
# score is computed for k = 2 to 8 and shown below. The default `n_clusters` is the k with the highest score for
# the default year. The groups are numbered from the smallest to the largest median gap.

# %% tags=["remove-input"]
features = R.cluster_features(indicators, year, group)
scores = R.silhouette_by_k(features, range(2, 9), method=cluster_method)
k_best = R.best_k(scores)
labels = R.cluster_regions(features, n_clusters, method=cluster_method)
profiles = R.cluster_profiles(features, labels)
glue_numbers({
    "ch5_cluster_n": int(len(features)),
    "ch5_cluster_k": int(n_clusters),
    "ch5_cluster_kbest": int(k_best),
    "ch5_cluster_share_year": int(features["share_year"].iloc[0]),
    "ch5_cluster_k_is_best": "equals" if n_clusters == k_best else "differs from",
    "ch5_silhouette_max": float(scores["silhouette"].max()),
})
glue("ch5_silhouette_used", float(scores.loc[scores["k"] == n_clusters, "silhouette"].iloc[0])
     if (scores["k"] == n_clusters).any() else float("nan"), display=False)
by_country = features.assign(cluster=labels).groupby("country")["cluster"].agg(["size", "nunique"])
multi = by_country[by_country["size"] >= 2]
glue("ch5_countries_multi", int(len(multi)), display=False)
glue("ch5_countries_one_group", int((multi["nunique"] == 1).sum()), display=False)
import matplotlib.pyplot as plt  # noqa: E402

fig, ax = plt.subplots(figsize=(7.5, 3.4))
ax.plot(scores["k"], scores["silhouette"], marker="o", color=PALETTE[0])
ax.axvline(n_clusters, color=PALETTE[3], linestyle="--", linewidth=1, label=f"k used ({n_clusters})")
ax.set_xlabel("Number of groups k")
ax.set_ylabel("Mean silhouette")
ax.legend(fontsize=8)
_ = show_figure(fig, "cluster-silhouette", title=f"Choosing the number of groups ({cluster_method}, {year})",
            source=f"{LFS_SOURCE}, {year}; European Locals Map compilation of Eurostat data, "
                   f"{int(features['share_year'].iloc[0])}",
            alt="Line chart of the mean silhouette score of the clustering for k from 2 to 8, with the k used marked.",
            data=scores.round(4), caption=f"{len(features)} regions with all three indicators.")
cl_gdf = R.attach_geometry(nuts2021, features.assign(cluster=labels))
fig = maps.category_map(cl_gdf, "cluster", list(range(1, n_clusters + 1)), PALETTE[:n_clusters],
                        labels={c: f"Group {c}" for c in range(1, n_clusters + 1)}, legend_title="Group of regions",
                        flag_column="gap_flag")
_ = show_figure(fig, "map-clusters", title=f"Groups of regions with similar profiles, {year}",
            source=f"{LFS_SOURCE}, {year}; European Locals Map compilation of Eurostat data "
                   f"({int(features['share_year'].iloc[0])}, NUTS 2024 recoded to NUTS 2021); NUTS 2021; {BOUNDARIES}",
            alt=f"Map of NUTS-2 regions coloured by the group ({n_clusters} groups) they fall into on total "
                "unemployment, the foreign-born gap and the foreign-born share; regions without all three hatched.",
            data=features.assign(cluster=labels)[["geo", "name", "country_name", "cluster", "rate_TOTAL", "gap",
                                                  "gap_flag", "foreign_born_share", "share_year"]],
            caption="Regions without all three indicators are hatched (no data), among them the Portuguese regions "
                    "whose codes changed, UK regions and regions without a foreign-born rate. Dotted: the gap "
                    f"is of low reliability. {maps.left_out_note(cl_gdf[cl_gdf['cluster'].notna()])}")
_ = show_table(profiles.rename(columns={"cluster": "Group", "regions": "Regions", "countries": "Countries",
                                    **R.FEATURE_LABELS, "examples": "Examples"}).rename(
    columns={"Gap vs total (pp)": f"Gap, {GROUP} minus total (pp)"}),
    "cluster-profiles", title=f"Typical values (medians) of each group of regions, {year}",
    source=f"{LFS_SOURCE}, {year}; European Locals Map compilation of Eurostat data")

# %% [markdown]
# {glue:text}`ch5_cluster_n` regions have all three indicators (foreign-born share of
# {glue:text}`ch5_cluster_share_year`). With {glue:text}`ch5_cluster_k` groups, the choice
# {glue:text}`ch5_cluster_k_is_best` the silhouette rule's best k ({glue:text}`ch5_cluster_kbest`). The
# mean silhouette of the grouping used is {glue:text}`ch5_silhouette_used:.2f`; the highest over k = 2 to 8 is
# {glue:text}`ch5_silhouette_max:.2f`. Values near 1 would mean well-separated groups, and values near 0
# overlapping ones. The groups are therefore a summary, not natural types. The table gives each group's typical
# values. Of the {glue:text}`ch5_countries_multi` countries with two or more grouped regions,
# {glue:text}`ch5_countries_one_group` have all their regions in one group; in the others, regions of the same
# country fall into different groups. National policy is the same for all regions of a country, so this
# within-country variety is what the regional policy comparison below can and cannot use.
#
# ## National integration policy and outcome gaps
#
# MIPEX scores integration **policy** on a 0-100 scale; higher means more favourable to migrants' integration
# {cite:p}`solano2020mipex`. IMPIC scores the **restrictiveness** of immigration policy on a 0-1 scale
# {cite:p}`impic2021`. It measures something else and is not in this edition (catalogue id `impic_2016`), so it
# is not used and the two are never mixed. See {ref}`caveat-policy`. The comparisons below are
# **associations across countries**. They are not the effect of a policy: countries differ in who migrates to
# them, why, and when, and policy responds to outcomes as well as shaping them.

# %% tags=["remove-input"]
policy = R.national_policy_frame(national, mipex, year)
m_year = R.mipex_year_for(mipex, year, mipex_strand)
glue("ch5_mipex_year", int(m_year), display=False)
glue("ch5_mipex_label", R.MIPEX_LABELS[mipex_strand], display=False)
corr_u = R.correlation(policy[mipex_strand], policy["unemp_gap"])
corr_e = R.correlation(policy[mipex_strand], policy["emp_gap"])
glue_numbers({
    "ch5_corr_unemp": corr_u["pearson"],
    "ch5_corr_unemp_rho": corr_u["spearman"],
    "ch5_corr_unemp_n": corr_u["n"],
    "ch5_corr_emp": corr_e["pearson"],
    "ch5_corr_emp_n": corr_e["n"],
    "ch5_corr_direction": "larger" if corr_u["pearson"] > 0 else "smaller",
})
fig = charts.labelled_scatter(policy, x=mipex_strand, y="unemp_gap", label="geo", fit=True,
                              xlabel=f"{R.MIPEX_LABELS[mipex_strand]}, {m_year}",
                              ylabel="Unemployment gap, foreign minus nationals (pp)", flag="unemp_gap_flag")
_ = show_figure(fig, "mipex-national", title=f"MIPEX score and the unemployment gap by citizenship, {year}",
            source=f"MIPEX ({m_year}), CIDOB and MPG; Eurostat, lfsa_urgan ({year})",
            alt=f"Scatter plot, one labelled point per country, of the {R.MIPEX_LABELS[mipex_strand]} score against "
                f"the unemployment gap between foreign and national citizens in {year}.",
            data=policy.dropna(subset=[mipex_strand, "unemp_gap"])[["geo", "country_name", mipex_strand,
                                                                    "unemp_gap", "unemp_gap_flag"]],
            caption=f"Pearson r = {corr_u['pearson']:.2f} over {corr_u['n']} countries. Hollow: low reliability. "
                    "An association, not a policy effect.")
rows = []
for s in R.MIPEX_STRANDS:
    for outcome, name in (("unemp_gap", "Unemployment gap"), ("emp_gap", "Employment gap")):
        c = R.correlation(policy[s], policy[outcome])
        rows.append({"MIPEX score": R.MIPEX_LABELS[s], "Outcome (foreign minus nationals, pp)": name,
                     "Countries": c["n"], "Pearson r": round(c["pearson"], 2), "Spearman rho": round(c["spearman"], 2)})
_ = show_table(pd.DataFrame(rows), "mipex-correlations",
           title=f"Correlation of MIPEX scores ({m_year}) with national gaps ({year}) across countries",
           source=f"MIPEX ({m_year}); Eurostat, lfsa_ergan and lfsa_urgan ({year})", floatfmt="{:.2f}")

# %% [markdown]
# Across {glue:text}`ch5_corr_unemp_n` countries, the {glue:text}`ch5_mipex_label` score
# ({glue:text}`ch5_mipex_year`) and the unemployment gap between foreign and national citizens in
# {glue:text}`ch5_year` have a Pearson correlation of {glue:text}`ch5_corr_unemp:.2f` (Spearman
# {glue:text}`ch5_corr_unemp_rho:.2f`). For the employment gap it is {glue:text}`ch5_corr_emp:.2f`
# ({glue:text}`ch5_corr_emp_n` countries). Countries with higher scores tended to have
# {glue:text}`ch5_corr_direction` unemployment gaps. This does not mean that their policies change the gaps,
# in either direction. Countries with long immigration histories and large humanitarian intakes may both
# score higher and have larger gaps. Small samples of foreign citizens make some national gaps uncertain
# (hollow points).
#
# ### Regions: the regional gap and the country's policy

# %% tags=["remove-input"]
scores_m = R.mipex_scores(mipex, year, mipex_strand)
models = R.regional_policy_models(features, labels, scores_m)
allm = models.iloc[0]
fem = models.iloc[1]
glue_numbers({
    "ch5_ols_coef": float(allm["coef"]),
    "ch5_ols_lo": float(allm["ci_low"]),
    "ch5_ols_hi": float(allm["ci_high"]),
    "ch5_ols_n": int(allm["n"]),
    "ch5_ols_countries": int(allm["n_clusters"]),
    "ch5_olsfe_coef": float(fem["coef"]),
    "ch5_olsfe_lo": float(fem["ci_low"]),
    "ch5_olsfe_hi": float(fem["ci_high"]),
})
table = models.rename(columns={"model": "Model", "coef": "Coefficient (pp per MIPEX point)", "se": "Std. error",
                               "ci_low": "95% CI low", "ci_high": "95% CI high", "p": "p-value", "n": "Regions",
                               "n_clusters": "Countries", "r2": "R²", "note": "Note"})
_ = show_table(table, "regional-mipex-ols",
           title=f"Regional gap ({GROUP} minus total, {year}) on the country's {R.MIPEX_LABELS[mipex_strand]} "
                 f"score ({m_year}): OLS, standard errors clustered by country",
           source=f"{LFS_SOURCE}, {year}; MIPEX ({m_year}); groups as above", floatfmt="{:.3f}")
reg = features.assign(cluster=labels.map(lambda c: f"Group {c}"), mipex=features["country"].map(scores_m))
fig = charts.labelled_scatter(reg, x="mipex", y="gap", label=None, fit=True, hue="cluster", flag="gap_flag",
                              xlabel=f"{R.MIPEX_LABELS[mipex_strand]} of the country, {m_year}",
                              ylabel=f"Regional gap, {GROUP} minus total (pp)")
_ = show_figure(fig, "mipex-regional", title=f"Regional unemployment gaps and national MIPEX scores, {year}",
            source=f"{LFS_SOURCE}, {year}; MIPEX ({m_year}), CIDOB and MPG",
            alt="Scatter plot of regional unemployment gaps against the MIPEX score of the region's country, "
                "coloured by group of regions, with a least-squares line.",
            data=reg.dropna(subset=["mipex"])[["geo", "name", "country", "cluster", "mipex", "gap", "gap_flag"]],
            caption="Regions of one country share one MIPEX score, so they line up vertically; that is why the "
                    "standard errors are clustered by country. Hollow: low reliability.")

# %% [markdown]
# Across {glue:text}`ch5_ols_n` regions in {glue:text}`ch5_ols_countries` countries, one more MIPEX point goes
# with a regional gap larger by {glue:text}`ch5_ols_coef:.3f` pp (95% confidence interval
# {glue:text}`ch5_ols_lo:.3f` to {glue:text}`ch5_ols_hi:.3f`, standard errors clustered by country). Comparing
# regions only within the same group (group fixed effects), the coefficient is {glue:text}`ch5_olsfe_coef:.3f`
# ({glue:text}`ch5_olsfe_lo:.3f` to {glue:text}`ch5_olsfe_hi:.3f`). A policy score varies only between countries,
# so even the regional models rest on a few dozen national observations. The per-group rows in the table are
# estimated only where a group spans at least five countries. All of these are associations; none is a policy
# effect.
#
# ## Employment, activity and urban-rural gaps (declared tables)
#
# The regional employment and activity rates by country of birth, and employment by degree of urbanisation, are
# declared in the catalogue. Each section below renders when its file is added.

# %% tags=["remove-input"]
geometries = {"NUTS 2021": nuts2021, "NUTS 2024": nuts2024}
declared = {"lfst_r_lfe2emprc": ("employment", "eurostat_lfst_r_lfe2emprc"),
            "lfst_r_lfp2actrc": ("activity", "eurostat_lfst_r_lfp2actrc")}
declared_status = {}
for table_name, (what, source_id) in declared.items():
    frame = read_table(table_name)
    gaps = R.rate_gap_table(frame, "c_birth", group)
    declared_status[table_name] = len(gaps)
    if len(gaps):
        version = R.best_geometry(gaps["geo"], geometries)
        d_gdf = R.attach_geometry(geometries[version], gaps)
        ref = gaps["reference"].iloc[0]
        ref_name = "native-born" if ref == "NAT" else "total"
        d_year = int(gaps["time"].iloc[0])
        fig = maps.choropleth(d_gdf, "gap", scheme=scheme, k=5, cmap="PuOr",
                              legend_title=f"{what.capitalize()} rate gap,\n{GROUP} minus {ref_name} (pp)",
                              flag_column="gap_flag")
        _ = show_figure(fig, f"map-{what}-gap", title=f"{what.capitalize()} rate gap, {GROUP} minus {ref_name}, {d_year}",
                    source=f"Eurostat, {table_name} ({d_year}); {version}; {BOUNDARIES}",
                    alt=f"Map of regions shaded by the {what} rate of the {GROUP} minus that of the {ref_name} "
                        f"population in {d_year}.",
                    data=gaps, caption=f"Age {gaps['age'].iloc[0]}. Regions with a value: {len(gaps)}. Dotted: low "
                                       f"reliability. {maps.left_out_note(d_gdf[d_gdf['gap'].notna()])}")
    else:
        missing_evidence_note(f"regional {what} rates by country of birth", [source_id])
ergau = read_table("lfst_r_ergau")
urb = R.rate_gap_table(ergau, "citizen", "FOR", by=("deg_urb",))
declared_status["lfst_r_ergau"] = len(urb)
if len(urb):
    wide = urb.pivot(index="geo", columns="deg_urb", values="gap").reset_index()
    _ = show_table(wide, "urbanisation-gaps",
               title=f"Employment rate gap, foreign minus {urb['reference'].iloc[0]} citizens, by degree of "
                     f"urbanisation, {int(urb['time'].iloc[0])} (pp)",
               source=f"Eurostat, lfst_r_ergau ({int(urb['time'].iloc[0])})")
else:
    missing_evidence_note("employment rates by citizenship and degree of urbanisation (cities, towns, rural areas)",
                          ["eurostat_lfst_r_ergau"])

# %% [markdown]
# ## What this evidence cannot show
#
# - **Native-born comparison at regional level.** The extract has no native-born group; gaps against the total
#   understate the foreign/native gap. The regional employment table `lfst_r_lfe2emprc` would give it, if added.
# - **Second generation and reasons for migration.** These are the Action's first-pillar requests. They are not
#   in any table of this edition.
# - **Cities.** NUTS-2 regions are larger than cities. Degree-of-urbanisation data (`lfst_r_ergau`) is declared
#   but absent.
# - **IMPIC.** Immigration-policy restrictiveness is not in this edition (`impic_2016`).
# - **The 2019/20 pilot's clusters.** They are not among this edition's inputs, so the groups here are this
#   chapter's own.

# %% tags=["remove-cell", "nbval-check-output"]
print(f"year={year} compare_year={compare_year} group={group} k={n_clusters} method={cluster_method}")
print(f"regions mapped (rate): {n_mapped}")
for g, (s, summ) in gap_maps.items():
    print(f"{g}: n={summ['n']} median={summ['median']:.1f} max={summ['max']:.1f} {summ['max_geo']} "
          f"min={summ['min']:.1f} {summ['min_geo']} share>5pp={summ['share_above']:.1f}")
print(f"change regions: {len(change)} widened={int((change['direction'] == 'widened').sum())} "
      f"narrowed={int((change['direction'] == 'narrowed').sum())}")
print(f"cluster regions: {len(features)} best k={k_best}")
print("cluster sizes:", dict(sorted(labels.value_counts().to_dict().items())))
print(f"MIPEX {mipex_strand} {m_year} vs national unemployment gap: r={corr_u['pearson']:.3f} n={corr_u['n']}")
print(f"regional OLS coef={allm['coef']:.4f} CI=({allm['ci_low']:.4f}, {allm['ci_high']:.4f})")
print("declared tables rows:", dict(sorted(declared_status.items())))
