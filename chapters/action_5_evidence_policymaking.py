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
scope = "EU27"  # countries every count, median, extreme, group and model covers; others are map context only
n_clusters = 2  # number of context groups of regions
cluster_method = "kmeans"  # kmeans or ward
scheme = "quantiles"  # map classes: quantiles, equalinterval, fisherjenks or headtailbreaks
mipex_strand = "overall_with_health"  # MIPEX score used for the policy link
change_threshold = 2.0  # pp; a gap change beyond it counts as widened/narrowed

# %% tags=["remove-input"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common
from inclusion_evidence.analysis import regional as R
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.catalogue import publisher_update
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup
from inclusion_evidence.present.figures import (
    PALETTE,
    glue_numbers,
    missing_evidence_note,
    raise_small_text,
    show_figure,
    show_markdown,
    show_table,
    source_line,
)
from inclusion_evidence.present.findings import Finding, Value, show_key_findings

setup("action_5_evidence_policymaking")

if group not in R.GROUP_LABELS:
    raise ValueError(f"group {group!r}: use FOR or NEU27_2020_FOR")
SCOPE = R.scope_label(scope)  # validates the scope

native = read_table("lfst_r_lfur2gac_nat")  # declared source: empty until the native-born file is added
unemployment_all = R.with_native_born(read_table("regional_unemployment"), native)
indicators_all = R.with_native_born(read_table("regional_indicators"), native)
national_all = read_table("national_gaps")
recode = read_table("nuts2021_2024_recode")
nuts2021 = read_table("nuts2021_level2")
nuts2024 = read_table("nuts2024_level2")
population = read_table("regional_population_2023")
mipex = read_table("mipex_strands")

# Every statistic below covers the scope; the full tables are kept only to draw other countries as context.
unemployment = R.restrict(unemployment_all, scope)
indicators = R.restrict(indicators_all, scope)
national = R.restrict(national_all, scope)

available_years = sorted(unemployment.loc[unemployment[f"rate_{group}"].notna(), "time"].unique())
for name, value in (("year", year), ("compare_year", compare_year)):
    if value not in available_years:
        raise ValueError(f"{name}={value}: the regional extract has {group} values in the {SCOPE} for "
                         f"{available_years[0]}-{available_years[-1]}")
if compare_year == year:
    raise ValueError("compare_year must differ from year")

reference = "native" if R.native_available(unemployment, year, group) else "total"
REF = "native-born" if reference == "native" else "total population"
REF_SHORT = "native-born" if reference == "native" else "total"
GROUP = R.GROUP_LABELS[group]
# Captions cite the regional table (and its native-born rates when used) from the catalogue, with the retrieval date.
LFS_IDS = ["eurostat_lfst_r_lfur2gac"] + ([("eurostat_lfst_r_lfur2gac_nat", "native-born rates")]
                                          if reference == "native" else [])
lfs_updated = publisher_update("eurostat_lfst_r_lfur2gac")  # the date in the file, not typed here
BOUNDARIES = "© EuroGeographics for the administrative boundaries"
best = R.best_year(unemployment, group)
per_year = R.regions_per_year(unemployment, group)
glue_numbers({
    "ch5_year": int(year),
    "ch5_compare_year": int(compare_year),
    "ch5_group_label": GROUP,
    "ch5_scope": SCOPE,
    "ch5_reference": REF,
    "ch5_best_year": int(best),
    "ch5_best_year_regions": int(per_year.loc[best]),
    "ch5_year_is_best": "is" if year == best else "is not",
    "ch5_first_year": int(unemployment["time"].min()),
    "ch5_last_year_regions": int(per_year.iloc[-1]),
    "ch5_last_year": int(unemployment["time"].max()),
    "ch5_n_codes": int(unemployment["geo"].nunique()),
    "ch5_n_codes_all": int(unemployment_all["geo"].nunique()),
    "ch5_lfs_updated": f"{lfs_updated.day} {lfs_updated:%B %Y}" if lfs_updated else "a date its file does not give",
})

# %% [markdown]
# # Action 5: Evidence-based integration policymaking in cities

# %% tags=["remove-input"]
# The numbers behind the key findings (the sections below draw them).
sl = R.year_slice(unemployment, year, group, reference)
summary = R.gap_summary(sl, 5.0)
change = R.gap_change(unemployment, year, compare_year, group, change_threshold, reference)
y0, y1 = sorted((year, compare_year))
features = R.cluster_features(indicators, year, group, reference)
labels = R.cluster_regions(features, n_clusters, method=cluster_method)
scores_m = R.mipex_scores(mipex, year, mipex_strand)
m_year = R.mipex_year_for(mipex, year, mipex_strand)
m_edition = R.mipex_edition(mipex, year, mipex_strand)
models = R.regional_policy_models(features, labels, scores_m)
allm, fem = models.iloc[0], models.iloc[1]
policy = R.national_policy_frame(national, mipex, year)
corr_u = R.correlation(policy[mipex_strand], policy["unemp_gap"])
est = R.native_gap_estimate(features) if reference == "total" else features.iloc[0:0]
LFS = source_line("eurostat_lfst_r_lfur2gac")
MIPEX_ID = common.mipex_edition(m_year)["source_id"]  # the catalogue file of m_edition

widest_any = (f" The widest of all, {summary['max_any']:.1f} pp in {summary['max_any_name']}, is of low "
              "reliability (flag u)." if summary["max_any_low"] else "")
findings = [
    Finding("ch5_key_gap",
            "In {year}, the unemployment rate of the {group} aged 15-64 was above that of the region's {ref} in "
            "{n_pos} of {n} {scope} regions; the median gap was {median} (regional rate of the {group} minus that "
            "of the {ref}).",
            {"group": GROUP, "ref": REF, "n_pos": Value(summary["n_positive"]), "n": Value(summary["n"]),
             "median": Value(summary["median"], "{:.1f} pp")},
            source=LFS, scope=SCOPE, year=year),
    Finding("ch5_key_widest",
            "The widest gap of reliable value was {max} in {name}; {n_u} of the {n} regional gaps rest on a rate "
            "Eurostat flags as of low reliability (u), so single regions should not be ranked on them." + widest_any,
            {"max": Value(summary["max"], "{:.1f} pp"), "name": summary["max_name"], "n_u": Value(summary["n_u"]),
             "n": Value(summary["n"])},
            source=LFS, scope=SCOPE, year=year),
]
if reference == "total":
    findings.append(Finding(
        "ch5_key_understatement",
        "Measured against the native-born rather than the total, the median gap of the {n} regions with a "
        "foreign-born share would be about {native} instead of {total}: the comparison with the total understates "
        "it by a median {under}, and by most where many residents are foreign-born (estimate).",
        {"native": Value(float(est["gap_native_est"].median()), "{:.1f} pp"),
         "total": Value(float(est["gap"].median()), "{:.1f} pp"),
         "under": Value(float(est["understatement"].median()), "{:.1f} pp"), "n": Value(len(est))},
        source=source_line(["eurostat_lfst_r_lfur2gac", "europe_locals_nuts2_2023"]), scope=SCOPE, year=year))
findings.append(Finding(
    "ch5_key_change",
    "Between {y0} and {y1}, the gap widened by more than {t} in {w} of the {n} {scope} regions with a gap in both "
    "years and narrowed by more than that in {nr}.",
    {"y0": Value(y0), "y1": Value(y1), "t": Value(change_threshold, "{:g} pp"),
     "w": Value(int((change["direction"] == "widened").sum())), "n": Value(len(change)),
     "nr": Value(int((change["direction"] == "narrowed").sum()))},
    source=LFS, scope=SCOPE, year=f"{y0}-{y1}"))
findings.append(Finding(
    "ch5_key_mipex",
    "Across {n_reg} regions in {n_c} countries, one more point of the country's {label} score in {m_year} "
    "({edition}) went with a regional gap larger by {coef} (95% confidence interval {lo} to {hi}, standard errors "
    "clustered by country{zero}): an association across a few dozen countries, not a policy effect.",
    {"n_reg": Value(int(allm["n"])), "n_c": Value(int(allm["n_clusters"])), "label": R.MIPEX_LABELS[mipex_strand],
     "edition": m_edition, "m_year": Value(m_year), "coef": Value(float(allm["coef"]), "{:.2f} pp"),
     "zero": "; the interval includes zero" if allm["ci_low"] <= 0 <= allm["ci_high"] else "; the interval excludes zero",
     "lo": Value(float(allm["ci_low"]), "{:.2f}"), "hi": Value(float(allm["ci_high"]), "{:.2f}")},
    source=source_line(["eurostat_lfst_r_lfur2gac", MIPEX_ID]), scope=SCOPE, year=year))
_ = show_key_findings(findings, [
    "Action 5 asks for comparable integration indicators below the national level and for a link between regional "
    "outcomes and national integration policy, with MIPEX named as the index to use. Eurostat's regional tables "
    "already give the first pillar for one outcome, unemployment by country of birth, in most EU regions; what "
    "they show is where the foreign-born fare worse than their region, and how that changed.",
    "They cannot yet show the gap to the native-born (the extract lacks that group; Eurostat publishes it and the "
    "chapter uses it when it is added), outcomes of the second generation or by reason for migration, or cities "
    "rather than regions. A national policy score takes one value per country, so the link to MIPEX rests on a "
    "few dozen countries and shows an association, not what a policy does.",
])

# %% tags=["remove-input"]
at_a_glance(5)

# %% [markdown]
# The Action asks two things of the data {cite:p}`actionplan2021`. Its first pillar is comparable integration
# indicators below the national level, building on the Eurostat regional indicators that the Partnership's first
# phase helped to create {cite:p}`urbanagenda2017actionplan`; the Action also recalls the Common Basic
# Principles' call for "clear goals, indicators and evaluation mechanisms" {cite:p}`council2004cbp`. Its second
# pillar links regional integration outcomes to national integration and immigration policies, naming
# {term}`MIPEX` {cite:p}`solano2020mipex` and IMPIC {cite:p}`impic2021`, and relying on groups (clusters) of
# similar regions. This chapter does both with the data in this edition: regional unemployment by country of
# birth, groups of regions with a similar context, and MIPEX scores.
#
# ## The data and how to read it
#
# - **Scope.** Every count, median, extreme, group and model on this page covers the regions of the
#   **{glue:text}`ch5_scope`**, where the Partnership works. The regional extract also holds regions of other
#   European countries ({glue:text}`ch5_n_codes_all` codes in all, {glue:text}`ch5_n_codes` in the
#   {glue:text}`ch5_scope`); the maps show those as context only, in grey hatching, outside every class.
# - **Regional outcomes.** Eurostat's table `lfst_r_lfur2gac` gives unemployment rates of people aged 15-64 by
#   country of birth and {term}`NUTS`-2 region, from the EU Labour Force Survey ({term}`EU-LFS`). This edition uses an extract last
#   updated on {glue:text}`ch5_lfs_updated`: years {glue:text}`ch5_first_year` to {glue:text}`ch5_last_year`, NUTS 2021 codes
#   (with some discontinued older codes in the early years).
# - **The comparison group.** The extract holds the total population and the foreign-born groups (all
#   foreign-born, born in another EU country, born outside the EU), but **not the {term}`native-born <Native-born>`**. Unless the
#   native-born rates are added (below), every regional gap on this page is the *foreign-born group's rate minus
#   the rate of the total population*, in percentage points ({term}`pp`), and the titles say "vs total". Because the
#   total includes the foreign-born, this gap is smaller than the gap to the native-born: if *s* is the
#   foreign-born share of the labour force, the gap to the total equals (1 − *s*) times the gap to the
#   native-born, so the gap to the native-born is the gap to the total divided by (1 − *s*). This page uses
#   the gaps against the {glue:text}`ch5_reference`.
# - **Reliability.** Regional rates for the foreign-born rest on small samples. The page counts a value as of
#   **low reliability when Eurostat {term}`flags <Eurostat flags>` it `u`**, and a gap as of low reliability when either of its two rates
#   is flagged `u`; the flag `b` ({term}`break in series <Series break>`) is kept apart. Low-reliability values are drawn with dots on
#   the maps and hollow on the charts; they are not hidden, but no headline rests on one without saying so. See
#   {ref}`caveat-survey`.
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
#   shares refer to the LFS population aged 15 and over.
# - **NUTS versions.** The labour-market extract uses NUTS 2021 and the population compilation uses NUTS 2024.
#   Each is mapped on its own geometry. To combine them, codes are recoded only where the two versions
#   correspond one to one ({numref}`tbl-action_5_evidence_policymaking-nuts-recode`; {ref}`caveat-nuts`).

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
    source=source_line(["gisco_nuts2021_60m_levl2", "gisco_nuts2024_20m"],
                       f"the two versions' polygons compared for this book; {BOUNDARIES}"),
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
sl_all = R.year_slice(unemployment_all, year, group, reference)
gdf = R.attach_geometry(nuts2021, sl_all)
n_in = R.scope_counts(sl_all, "rate", scope)
with_rate = gdf[gdf["rate"].notna() & R.in_scope(gdf["nuts_id"], scope).to_numpy()]
lost = R.unmapped(nuts2021, sl, "rate")
glue_numbers({
    "ch5_n_regions": int(len(with_rate)),
    "ch5_n_rate_u": int(R.low_reliability(with_rate["flag"]).sum()),
    "ch5_n_context": n_in["outside"],
    "ch5_context_countries": ", ".join(n_in["outside_countries"]) or "none",
})
if lost:
    show_markdown(f"Codes of the {SCOPE} with a value but no NUTS 2021 polygon (discontinued codes), not on the "
                  f"map: {', '.join(lost)}.")
fig = maps.choropleth(gdf, "rate", scheme=scheme, k=5, legend_title=f"Unemployment rate,\n{GROUP} 15-64 (%)",
                      flag_column="flag", scope=scope, unit="%", year=year)
raise_small_text(fig)
_ = show_figure(fig, "map-rate", title=f"Unemployment rate, {GROUP} aged 15-64, {SCOPE} regions, {year}",
                source=source_line([*LFS_IDS, "gisco_nuts2021_60m_levl2"], f"{year}; {BOUNDARIES}"),
                alt=f"Map of NUTS-2 regions of the {SCOPE} shaded by the unemployment rate of the {GROUP} aged 15-64 "
                    f"in {year}; {len(with_rate)} regions have a value; regions of other countries are grey context.",
                data=sl_all[sl_all["rate"].notna()].assign(in_scope=lambda d: R.in_scope(d["geo"], scope).to_numpy())[
                    ["geo", "name", "country_name", "in_scope", "rate", "flag", "rate_TOTAL", "flag_TOTAL"]],
                caption=f"Classes from the {len(with_rate)} {SCOPE} regions with a value. Regions of other countries "
                        "with a value are drawn as context (grey hatching) and take no part in the classes or the "
                        f"numbers. Dotted: low reliability (flag u). {maps.left_out_note(with_rate)}")

# %% [markdown]
# {glue:text}`ch5_n_regions` {glue:text}`ch5_scope` regions have a {glue:text}`ch5_group_label` unemployment
# rate for {glue:text}`ch5_year`, and {glue:text}`ch5_n_rate_u` of them are flagged as of low reliability.
# {glue:text}`ch5_n_context` regions of other countries ({glue:text}`ch5_context_countries`) have a value too;
# they are context on the maps and are left out of every number.

# %% tags=["remove-input"]
GAP_THRESHOLD = 5.0
gap_maps = {}
for g in ("FOR", "NEU27_2020_FOR"):
    ref_g = "native" if R.native_available(unemployment, year, g) else "total"
    ref_name = "native-born" if ref_g == "native" else "total"
    s = R.year_slice(unemployment, year, g, ref_g)
    s_all = R.year_slice(unemployment_all, year, g, ref_g)
    summ = R.gap_summary(s, GAP_THRESHOLD)
    gap_maps[g] = (s, summ)
    key = "for" if g == "FOR" else "neu"
    glue_numbers({
        f"ch5_{key}_n": summ["n"],
        f"ch5_{key}_n_u": summ["n_u"],
        f"ch5_{key}_n_reliable": summ["n_reliable"],
        f"ch5_{key}_median": summ["median"],
        f"ch5_{key}_max": summ["max"],
        f"ch5_{key}_max_name": summ["max_name"],
        f"ch5_{key}_min": summ["min"],
        f"ch5_{key}_min_name": summ["min_name"],
        f"ch5_{key}_share_above": summ["share_above"],
        f"ch5_{key}_n_negative": summ["n_negative"],
        f"ch5_{key}_n_positive": summ["n_positive"],
        f"ch5_{key}_max_any_text": (f"The widest gap of all, {summ['max_any']:.1f} pp in {summ['max_any_name']}, "
                                    "is of low reliability (flag u)." if summ["max_any_low"] else
                                    "The widest gap of all is of reliable value."),
    })
    g_gdf = R.attach_geometry(nuts2021, s_all)
    have = g_gdf[g_gdf["gap"].notna() & R.in_scope(g_gdf["nuts_id"], scope).to_numpy()]
    fig = maps.choropleth(g_gdf, "gap", scheme=scheme, k=6, signed=True, scope=scope,
                          legend_title=f"Gap, {R.GROUP_LABELS[g]}\nminus {ref_name} (pp)", flag_column="gap_flag",
                          unit="pp", year=year)
    raise_small_text(fig)
    _ = show_figure(fig, f"map-gap-{key}",
                    title=f"Unemployment gap vs {ref_name}, {R.GROUP_LABELS[g]}, {SCOPE}, {year}",
                    source=source_line([*LFS_IDS, "gisco_nuts2021_60m_levl2"], f"{year}; {BOUNDARIES}"),
                    alt=f"Map of NUTS-2 regions of the {SCOPE} on a diverging palette centred on zero: the unemployment "
                        f"rate of the {R.GROUP_LABELS[g]} minus the rate of the {ref_name} population aged 15-64 in "
                        f"{year}, in percentage points; red above zero, blue below; {summ['n']} regions have a value.",
                    data=s.dropna(subset=["gap"])[["geo", "name", "country_name", "rate", "flag", "rate_TOTAL",
                                                   "flag_TOTAL", "gap", "gap_flag"]],
                    caption=f"Percentage points, against the {ref_name} population"
                            + (" (the extract has no native-born group; the gap to the native-born is larger)"
                               if ref_g == "total" else "")
                            + f". Zero is a class boundary: warm colours, the group fares worse than the {ref_name} "
                            f"population; cool, better. {summ['n']} {SCOPE} regions; other countries grey context. Dotted: low "
                            f"reliability (flag u in either rate). {maps.left_out_note(have)}")

# %% [markdown]
# In {glue:text}`ch5_year`, the unemployment rate of the foreign-born was above that of the region's
# {glue:text}`ch5_reference` in {glue:text}`ch5_for_n_positive` of the {glue:text}`ch5_for_n`
# {glue:text}`ch5_scope` regions with both rates ({numref}`fig-action_5_evidence_policymaking-map-gap-for`).
# The median gap was {glue:text}`ch5_for_median:.1f` pp. Among the {glue:text}`ch5_for_n_reliable` gaps of
# reliable value, it was widest, at {glue:text}`ch5_for_max:.1f` pp, in {glue:text}`ch5_for_max_name`, and
# narrowest, at {glue:text}`ch5_for_min:.1f` pp, in {glue:text}`ch5_for_min_name`.
# {glue:text}`ch5_for_max_any_text` In {glue:text}`ch5_for_share_above:.0f`% of the regions the foreign-born
# rate exceeded the reference by more than 5 points; in {glue:text}`ch5_for_n_negative` it was below it.
#
# For people born outside the EU ({glue:text}`ch5_neu_n` regions,
# {numref}`fig-action_5_evidence_policymaking-map-gap-neu`), the median gap was {glue:text}`ch5_neu_median:.1f`
# pp. The widest gap of reliable value, {glue:text}`ch5_neu_max:.1f` pp, was in {glue:text}`ch5_neu_max_name`,
# and the narrowest, {glue:text}`ch5_neu_min:.1f` pp, in {glue:text}`ch5_neu_min_name`.
# {glue:text}`ch5_neu_max_any_text` In {glue:text}`ch5_neu_share_above:.0f`% of these regions the gap exceeded
# 5 points. Of these regional gaps, {glue:text}`ch5_for_n_u` (foreign-born) and {glue:text}`ch5_neu_n_u` (born
# outside the EU) are flagged `u`.
#
# ### How much the comparison with the total understates the gap

# %% tags=["remove-input"]
if reference == "total":
    glue_numbers({
        "ch5_est_n": int(len(est)),
        "ch5_est_s_median": float(est["s"].median() * 100),
        "ch5_est_s_max": float(est["s"].max() * 100),
        "ch5_est_gap_median": float(est["gap"].median()),
        "ch5_est_native_median": float(est["gap_native_est"].median()),
        "ch5_est_under_median": float(est["understatement"].median()),
        "ch5_est_under_max": float(est["understatement"].max()),
        "ch5_est_under_max_name": (lambda r: f"{r['name']} ({r['country_name']})")(
            est.sort_values(["understatement", "geo"]).iloc[-1]),
    })
    under_max = est.sort_values(["understatement", "geo"]).iloc[-1]
    show_markdown(
        f"The native-born rates are not in this edition, so the size of the understatement is estimated. The "
        f"labour-force tables here give rates, not counts, so *s* cannot be computed from them; the foreign-born "
        f"share of the population aged 15 and over ({int(features['share_year'].iloc[0])}, the compilation above) "
        f"stands in for it. Where the foreign-born are less often active than the native-born, the share in the "
        f"labour force is smaller and the estimate somewhat too large; where they are more often active, too small. "
        f"Over the {len(est)} {SCOPE} regions with both values, *s* has a median of {est['s'].median() * 100:.1f}%. "
        f"The median gap to the total, {est['gap'].median():.1f} pp, becomes about "
        f"{est['gap_native_est'].median():.1f} pp against the native-born: a median understatement of "
        f"{est['understatement'].median():.1f} pp, rising to {under_max['understatement']:.1f} pp in "
        f"{under_max['name']} ({under_max['country_name']}), where the foreign-born share is "
        f"{under_max['s'] * 100:.0f}%. Rankings of regions by the gap to the total therefore favour regions with "
        f"many foreign-born residents. The native-born rates are a Eurostat query an online user can add "
        f"(regional unemployment by country of birth, native-born); with them the page measures every gap "
        f"against the native-born.")
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    low = R.low_reliability(est["gap_flag"]).to_numpy()
    ax.scatter(est.loc[~low, "s"] * 100, est.loc[~low, "understatement"], s=16, color=PALETTE[0],
               label="Gap of reliable value")
    ax.scatter(est.loc[low, "s"] * 100, est.loc[low, "understatement"], s=16, facecolor="white",
               edgecolor=PALETTE[0], label="Low reliability (u)")
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_xlabel("Foreign-born share of the population aged 15+ (%), standing in for s")
    ax.set_ylabel("Gap to native-born minus gap to total (pp)")
    ax.legend(fontsize=9, frameon=True)
    raise_small_text(fig)
    _ = show_figure(fig, "gap-understatement",
                    title=f"Understatement of the gap vs total, {SCOPE} regions, {year} (estimate)",
                    source=source_line([*LFS_IDS, "europe_locals_nuts2_2023"],
                                       f"{year}; foreign-born shares {int(features['share_year'].iloc[0])}"),
                    alt="Scatter plot, one point per region, of the foreign-born population share against the "
                        "estimated difference between the gap to the native-born and the gap to the total; the "
                        "difference grows with the share.",
                    data=est[["geo", "name", "country_name", "gap", "gap_flag", "foreign_born_share", "s",
                              "gap_native_est", "understatement"]],
                    caption="gap to native-born = gap to total / (1 − s); s, the foreign-born share of the labour "
                            "force, is approximated by the foreign-born share of the population aged 15+ (not in the "
                            "labour-force tables of this edition). An estimate; hollow: the gap is of low reliability.")
else:
    show_markdown("The native-born rates are in this edition, so the gaps above are measured against the "
                  "native-born directly and no estimate is needed.")

# %% [markdown]
# (ch5-foreign-born-map)=
# ## Where the foreign-born live

# %% tags=["remove-input"]
pop_gdf = R.population_share_map_frame(population, nuts2024, nuts2021)
pop_in = pop_gdf[pop_gdf["foreign_born_share"].notna() & R.in_scope(pop_gdf["nuts_id"], scope).to_numpy()]
pop_out = pop_gdf[pop_gdf["foreign_born_share"].notna() & ~R.in_scope(pop_gdf["nuts_id"], scope).to_numpy()]
top = pop_in.sort_values(["foreign_born_share", "nuts_id"]).iloc[-1]
pop_year = int(population["year"].dropna().max())
glue_numbers({
    "ch5_pop_n": int(len(pop_in)),
    "ch5_pop_context": int(len(pop_out)),
    "ch5_pop_max": float(top["foreign_born_share"]),
    "ch5_pop_max_name": f"{top['name']}, {top['nuts_id']}",
    "ch5_pop_median": float(pop_in["foreign_born_share"].median()),
    "ch5_pop_year": pop_year,
})
fig = maps.choropleth(pop_gdf, "foreign_born_share", scheme=scheme, k=5, cmap="PuBu", scope=scope,
                      legend_title="Foreign-born share of the\nLFS population 15+ (%)", unit="%", year=pop_year)
raise_small_text(fig)
_ = show_figure(fig, "map-foreign-born-share",
                title=f"Foreign-born share of people aged 15+, {SCOPE} regions, {pop_year}",
                source=source_line(["europe_locals_nuts2_2023", "gisco_nuts2024_20m"], f"{pop_year}; {BOUNDARIES}"),
                alt=f"Map of NUTS-2 regions of the {SCOPE} shaded by the share of foreign-born people in the population "
                    f"aged 15 and over in {pop_year}, from a third-party compilation of Eurostat tables; regions "
                    "without a value hatched, other countries grey context.",
                data=pd.DataFrame(pop_gdf[pop_gdf["foreign_born_share"].notna()].assign(
                    in_scope=lambda d: R.in_scope(d["nuts_id"], scope).to_numpy())[
                    ["nuts_id", "name", "country", "in_scope", "nuts_version", "foreign_born_share", "foreign_born"]]),
                caption=f"A third-party compilation of Eurostat tables with NUTS 2024 codes, not a Eurostat release; "
                        f"shares of the LFS population aged 15+. Classes from the {len(pop_in)} {SCOPE} regions; "
                        f"other countries with a value are grey context. {maps.left_out_note(pop_in)}")

# %% [markdown]
# The compilation gives a foreign-born share for {glue:text}`ch5_pop_n` {glue:text}`ch5_scope` regions
# ({numref}`fig-action_5_evidence_policymaking-map-foreign-born-share`). The median region has
# {glue:text}`ch5_pop_median:.1f`% foreign-born. The highest share, {glue:text}`ch5_pop_max:.1f`%, is in
# {glue:text}`ch5_pop_max_name`. This is the book's one map of where the foreign-born live; other chapters refer
# to it.
#
# ## Change over time

# %% tags=["remove-input"]
change_all = R.gap_change(unemployment_all, year, compare_year, group, change_threshold, reference)
dir_counts = change["direction"].value_counts()
within = f"within ±{change_threshold:g} pp"
glue_numbers({
    "ch5_change_n": int(len(change)),
    "ch5_change_widened": int(dir_counts.get("widened", 0)),
    "ch5_change_narrowed": int(dir_counts.get("narrowed", 0)),
    "ch5_change_within": int(dir_counts.get(within, 0)),
    "ch5_change_break": int(change["flags"].str.contains("b").sum()),
    "ch5_change_u": int(R.low_reliability(change["flags"]).sum()),
    "ch5_change_from": int(y0),
    "ch5_change_to": int(y1),
    "ch5_change_threshold": float(change_threshold),
    "ch5_change_median": float(change["change"].median()) if len(change) else float("nan"),
})
ch_gdf = R.attach_geometry(nuts2021, change_all.rename(columns={"flags": "change_flags"}))
fig = maps.choropleth(ch_gdf, "change", scheme=scheme, k=6, signed=True, scope=scope,
                      legend_title=f"Change of the gap ({GROUP}\nvs {REF_SHORT}), {y0} to {y1} (pp)",
                      flag_column="change_flags", unit="pp", year=f"{y0} to {y1}")
raise_small_text(fig)
_ = show_figure(fig, "map-gap-change",
                title=f"Change in unemployment gap ({GROUP} vs {REF_SHORT}), {SCOPE}, {y0}-{y1}",
                source=source_line([*LFS_IDS, "gisco_nuts2021_60m_levl2"], f"{y0} and {y1}; {BOUNDARIES}"),
                alt=f"Map of NUTS-2 regions of the {SCOPE} on a diverging palette centred on zero: the change of the "
                    f"unemployment gap between the {GROUP} and the {REF} from {y0} to {y1}, in percentage points; "
                    "red where the gap widened, blue where it narrowed.",
                data=change[["geo", "name", "country_name", "year_from", "gap_from", "year_to", "gap_to", "change",
                             "direction", "flags"]],
                caption=f"{SCOPE} regions with a gap in both years: {len(change)}. Zero is a class boundary; other "
                        "countries grey context. Dotted: a low-reliability value (u) in either year. Flag b (break "
                        "in series, e.g. the 2021 LFS redesign) is listed in the CSV. "
                        f"{maps.left_out_note(ch_gdf[ch_gdf['change'].notna() & R.in_scope(ch_gdf['nuts_id'], scope).to_numpy()])}")
extremes = pd.concat([change.head(5), change.tail(5)]).drop_duplicates("geo")
_ = show_table(extremes[["name", "country_name", "gap_from", "gap_to", "change", "flags"]].rename(columns={
    "name": "Region", "country_name": "Country", "gap_from": f"Gap {y0} (pp)", "gap_to": f"Gap {y1} (pp)",
    "change": "Change (pp)", "flags": "Flags (u: low reliability, b: break)"}), "gap-change-extremes",
    title=f"The five largest narrowings and widenings of the gap ({GROUP} vs {REF_SHORT}), {SCOPE} regions, {y0} to {y1}",
    source=source_line(LFS_IDS, f"{y0} and {y1}"))

# %% [markdown]
# Between {glue:text}`ch5_change_from` and {glue:text}`ch5_change_to`, {glue:text}`ch5_change_n`
# {glue:text}`ch5_scope` regions have a gap in both years
# ({numref}`fig-action_5_evidence_policymaking-map-gap-change`). In {glue:text}`ch5_change_widened` of them the
# gap widened by more than {glue:text}`ch5_change_threshold:.0f` points. In {glue:text}`ch5_change_narrowed` it
# narrowed by more than that. In {glue:text}`ch5_change_within` it stayed within that band. The median change was
# {glue:text}`ch5_change_median:.1f` pp. For {glue:text}`ch5_change_break` regions, at least one of the four
# rates carries a break in series (`b`), and for {glue:text}`ch5_change_u` one is of low reliability (`u`). Large
# single changes there may reflect the survey more than the labour market.
#
# ### The European trend

# %% tags=["remove-input"]
eu = R.eu_aggregate(national_all)
dist = R.gap_distribution_by_year(unemployment, group, reference)
glue("ch5_eu_rows", int(len(eu)), display=False)
if len(eu):
    fig = charts.trend_lines(eu.assign(series="EU27_2020"), x="time", y="unemp_gap", hue="series",
                             ylabel="Foreign minus national citizens (pp)", flag="unemp_gap_flag")
    raise_small_text(fig)
    _ = show_figure(fig, "eu-trend", title="Unemployment gap, foreign vs national citizens aged 15-64, EU-27",
                    source=source_line("eurostat_lfsa_urgan"), alt="Line chart of the EU-27 unemployment gap by citizenship over time.",
                    data=eu[["geo", "time", "unemp_NAT", "unemp_FOR", "unemp_gap", "unemp_gap_flag"]])
else:
    show_markdown("```{note}\nThere is no EU-level trend on this page: the regional table has NUTS-2 regions "
                  "only, and the national table in this edition has countries but no EU-27 total. The chart below "
                  "describes the regions of the " + SCOPE + " instead. It is not an EU aggregate.\n```\n")
fig = charts.distribution_trend(dist, ylabel=f"Gap, {GROUP} vs {REF_SHORT} (pp)")
raise_small_text(fig)
_ = show_figure(fig, "regional-gap-trend",
                title=f"Regional unemployment gaps ({GROUP} vs {REF_SHORT}), {SCOPE}, "
                      f"{int(dist['time'].min())}-{int(dist['time'].max())}",
                source=source_line(LFS_IDS, f"{int(dist['time'].min())}-{int(dist['time'].max())}"),
                alt=f"Line chart of the median regional unemployment gap between the {GROUP} and the {REF} in the "
                    f"{SCOPE}, with the band between the 25th and 75th percentile of regions and bars for the number "
                    "of regions with data.",
                data=dist,
                caption="Unweighted median and quartiles across the regions with a gap in each year. The set of regions "
                        "changes from year to year (bars), so this describes the regions, not the EU as a whole. "
                        "The 2021 redesign of the Labour Force Survey breaks many regional series.")
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
    raise_small_text(fig)
    _ = show_figure(fig, "national-gap-trend",
                    title=f"Unemployment gap, foreign vs national citizens, {SCOPE}, {year} and {latest}",
                    source=source_line("eurostat_lfsa_urgan", f"{year} and {latest}; sex total, age 15-64"),
                    alt=f"Dumbbell chart of the unemployment gap between foreign and national citizens by {SCOPE} "
                        f"country in {year} and {latest}.",
                    data=trend, caption="Countries with the gap in both years. (u): low reliability in either year.")

# %% [markdown]
# In {glue:text}`ch5_nat_latest`, {glue:text}`ch5_nat_n` {glue:text}`ch5_scope` countries report employment
# rates for both nationals and foreign citizens; the introduction compares them, with the other core
# integration indicators, member state by member state ({ref}`intro-at-a-glance`). Here the national
# unemployment gap is set beside this chapter's reference year. Of the {glue:text}`ch5_nat_trend_n` countries with an
# unemployment gap in both {glue:text}`ch5_year` and {glue:text}`ch5_nat_latest`, the gap was smaller in the
# later year in {glue:text}`ch5_nat_trend_narrowed`.
#
# ## Groups of regions with a similar context
#
# The Action plans to build on the clusters of a 2019/20 pilot. Those clusters are not among this edition's
# inputs, so this chapter forms its own groups of {glue:text}`ch5_scope` regions. They are built from **context
# only**, two indicators per region:
#
# - the total unemployment rate (the local labour market);
# - the foreign-born share of the population aged 15+ (migration profile; from the third-party compilation,
#   carried to NUTS 2021 where the codes correspond one to one).
#
# The outcome, the gap of the foreign-born, is **not** among them. Groups built on the outcome and then used as
# controls in a model of that same outcome would explain it by construction: an earlier edition of this page
# did that, and its "within groups" fit was mechanical. Each indicator is standardised (mean 0, standard
# deviation 1). Regions are grouped by k-means (with a fixed random seed) or by Ward's method. **Rule for the number of
# groups:** the mean {term}`silhouette <Silhouette>` score is computed for k = 2 to 8 and shown below; the default number of groups is
# the k with the highest score for the default year. The groups are numbered from the lowest to the highest
# median total unemployment.

# %% tags=["remove-input"]
scores = R.silhouette_by_k(features, range(2, 9), method=cluster_method)
k_best = R.best_k(scores)
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

fig, ax = plt.subplots(figsize=(7.5, 3.4))
ax.plot(scores["k"], scores["silhouette"], marker="o", color=PALETTE[0])
ax.axvline(n_clusters, color=PALETTE[3], linestyle="--", linewidth=1, label=f"k used ({n_clusters})")
ax.set_xlabel("Number of groups k")
ax.set_ylabel("Mean silhouette")
ax.legend(fontsize=9)
raise_small_text(fig)
_ = show_figure(fig, "cluster-silhouette",
                title=f"Choosing the number of context groups ({cluster_method}), {SCOPE}, {year}",
                source=source_line([*LFS_IDS, "europe_locals_nuts2_2023"],
                                   f"{year}; foreign-born shares {int(features['share_year'].iloc[0])}"),
                alt="Line chart of the mean silhouette score of the grouping for k from 2 to 8, with the k used marked.",
                data=scores.round(4),
                caption=f"{len(features)} {SCOPE} regions with both context indicators and a gap.")
cl_gdf = R.attach_geometry(nuts2021, features.assign(cluster=labels))
# Regions of other countries with data that year are context: drawn apart, never grouped.
context = ~R.in_scope(cl_gdf["nuts_id"], scope).to_numpy() & cl_gdf["nuts_id"].isin(
    sl_all.loc[sl_all["rate_TOTAL"].notna(), "geo"]).to_numpy()
cl_gdf["cluster"] = cl_gdf["cluster"].astype(object)
cl_gdf.loc[context, "cluster"] = "context"
fig = maps.category_map(cl_gdf, "cluster", [*range(1, n_clusters + 1), "context"],
                        [*PALETTE[:n_clusters], "#e6e6e6"],
                        labels={**{c: f"Group {c}" for c in range(1, n_clusters + 1)},
                                "context": maps.context_label(scope) + ", not grouped"},
                        legend_title="Context group")
raise_small_text(fig)
_ = show_figure(fig, "map-clusters",
                title=f"Regions grouped by labour market and foreign-born share, {SCOPE}, {year}",
                source=source_line([*LFS_IDS, "europe_locals_nuts2_2023", "gisco_nuts2021_60m_levl2"],
                                   f"{year}; foreign-born shares {int(features['share_year'].iloc[0])}, NUTS 2024 "
                                   f"recoded to NUTS 2021; {BOUNDARIES}"),
                alt=f"Map of NUTS-2 regions of the {SCOPE} coloured by the context group ({n_clusters} groups) they "
                    "fall into on total unemployment and the foreign-born share; regions of other countries in plain light "
                    "grey as context; regions without data hatched.",
                data=features.assign(cluster=labels)[["geo", "name", "country_name", "cluster", "rate_TOTAL",
                                                      "foreign_born_share", "share_year", "gap", "gap_flag"]],
                caption=f"Only {SCOPE} regions are grouped; regions of other countries with data are light grey "
                        f"context. {SCOPE} regions without both indicators or without a gap are hatched (no data), "
                        "among them the Portuguese regions whose codes changed. "
                        f"{maps.left_out_note(cl_gdf[cl_gdf['cluster'].notna() & ~context])}")
_ = show_table(profiles.rename(columns={"cluster": "Group", "regions": "Regions", "countries": "Countries",
                                        **R.FEATURE_LABELS, "examples": "Examples"}).rename(
    columns={"Gap vs total (pp)": f"Gap, {GROUP} vs {REF_SHORT} (pp; outcome, not used to group)"}),
    "cluster-profiles", title=f"Typical values (medians) of each context group of {SCOPE} regions, {year}",
    source=source_line([*LFS_IDS, "europe_locals_nuts2_2023"], f"{year}"))

# %% [markdown]
# {glue:text}`ch5_cluster_n` {glue:text}`ch5_scope` regions have both context indicators and a gap
# (foreign-born share of {glue:text}`ch5_cluster_share_year`). With {glue:text}`ch5_cluster_k` groups, the choice
# {glue:text}`ch5_cluster_k_is_best` the silhouette rule's best k ({glue:text}`ch5_cluster_kbest`). The
# mean silhouette of the grouping used is {glue:text}`ch5_silhouette_used:.2f`; the highest over k = 2 to 8 is
# {glue:text}`ch5_silhouette_max:.2f`. Values near 1 would mean well-separated groups, and values near 0
# overlapping ones. The groups are therefore a summary, not natural types. The table gives each group's typical
# values, the gap among them for description only. Of the {glue:text}`ch5_countries_multi` countries with two
# or more grouped regions, {glue:text}`ch5_countries_one_group` have all their regions in one group; in the
# others, regions of the same country fall into different groups.
#
# ## National integration policy and outcome gaps
#
# {term}`MIPEX` scores integration **policy** on a 0-100 scale; higher means more favourable to migrants'
# integration {cite:p}`solano2020mipex`. It comes in two editions: the core indicators, scored 2007-2019, and
# the EU policy indicators, scored 2020-2024. The step from 2019 to 2020 mixes a change of method with changes
# of policy, so this page never compares scores across it: it uses one year's scores and names their edition.
# IMPIC scores the **restrictiveness** of immigration policy on a 0-1 scale {cite:p}`impic2021`. It measures
# something else and is not in this edition, so it is not used and the two are never mixed. See
# {ref}`caveat-policy`.
#
# **What the models can and cannot show.** The comparisons below are **associations across countries**.
# A national policy score takes one value per country, so however many regions enter a model, the policy
# varies only between the {glue:text}`ch5_scope` countries with data: a few dozen observations. Standard
# errors are clustered by country, and with this few clusters even clustered errors tend to be too small, so
# the intervals are, if anything, too narrow. The models are not the effect of a policy: countries differ in
# who migrates to them, why and when, and policy responds to outcomes as well as shaping them.

# %% tags=["remove-input"]
glue("ch5_mipex_year", int(m_year), display=False)
glue("ch5_mipex_label", R.MIPEX_LABELS[mipex_strand], display=False)
glue("ch5_mipex_edition", m_edition, display=False)
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
raise_small_text(fig)
_ = show_figure(fig, "mipex-national",
                title=f"MIPEX score and unemployment gap, foreign vs nationals, {SCOPE}, {year}",
                source=source_line([MIPEX_ID, "eurostat_lfsa_urgan"], f"MIPEX scores of {m_year}; unemployment {year}"),
                alt=f"Scatter plot, one labelled point per {SCOPE} country, of the {R.MIPEX_LABELS[mipex_strand]} score "
                    f"against the unemployment gap between foreign and national citizens in {year}.",
                data=policy.dropna(subset=[mipex_strand, "unemp_gap"])[["geo", "country_name", mipex_strand,
                                                                        "unemp_gap", "unemp_gap_flag"]],
                caption=f"Pearson r = {corr_u['pearson']:.2f} over {corr_u['n']} countries. Hollow: low reliability "
                        "(u). An association, not a policy effect.")
rows = []
for s in R.MIPEX_STRANDS:
    for outcome, name in (("unemp_gap", "Unemployment gap"), ("emp_gap", "Employment gap")):
        c = R.correlation(policy[s], policy[outcome])
        rows.append({"MIPEX score": R.MIPEX_LABELS[s], "Outcome (foreign minus nationals, pp)": name,
                     "Countries": c["n"], "Pearson r": round(c["pearson"], 2), "Spearman rho": round(c["spearman"], 2)})
_ = show_table(pd.DataFrame(rows), "mipex-correlations",
               title=f"Correlation of MIPEX scores ({m_year}) with national gaps ({year}) across {SCOPE} countries",
               source=source_line([MIPEX_ID, "eurostat_lfsa_ergan", "eurostat_lfsa_urgan"],
                                  f"MIPEX scores of {m_year}; outcomes {year}"), floatfmt="{:.2f}")

# %% [markdown]
# Across {glue:text}`ch5_corr_unemp_n` {glue:text}`ch5_scope` countries, the {glue:text}`ch5_mipex_label`
# score ({glue:text}`ch5_mipex_year`, {glue:text}`ch5_mipex_edition`) and the unemployment gap between foreign
# and national citizens in {glue:text}`ch5_year` have a Pearson correlation of {glue:text}`ch5_corr_unemp:.2f`
# (Spearman {glue:text}`ch5_corr_unemp_rho:.2f`; {numref}`fig-action_5_evidence_policymaking-mipex-national`).
# For the employment gap it is {glue:text}`ch5_corr_emp:.2f` ({glue:text}`ch5_corr_emp_n` countries). Countries
# with higher scores tended to have {glue:text}`ch5_corr_direction` unemployment gaps. This does not mean that
# their policies change the gaps, in either direction. Countries with long immigration histories and large
# humanitarian intakes may both score higher and have larger gaps. Small samples of foreign citizens make some
# national gaps uncertain (hollow points).
#
# ### Regions: the regional gap and the country's policy

# %% tags=["remove-input"]
glue_numbers({
    "ch5_ols_coef": float(allm["coef"]),
    "ch5_ols_lo": float(allm["ci_low"]),
    "ch5_ols_hi": float(allm["ci_high"]),
    "ch5_ols_n": int(allm["n"]),
    "ch5_ols_countries": int(allm["n_clusters"]),
    "ch5_ols_r2": float(allm["r2"]),
    "ch5_olsfe_coef": float(fem["coef"]),
    "ch5_olsfe_lo": float(fem["ci_low"]),
    "ch5_olsfe_hi": float(fem["ci_high"]),
    "ch5_olsfe_r2": float(fem["r2"]),
    "ch5_ols_ci_text": ("The interval includes zero, so the data are also consistent with no association."
                        if allm["ci_low"] <= 0 <= allm["ci_high"] else "The interval excludes zero."),
})
table = models.rename(columns={"model": "Model", "coef": "Coefficient (pp per MIPEX point)", "se": "Std. error",
                               "ci_low": "95% CI low", "ci_high": "95% CI high", "p": "p-value", "n": "Regions",
                               "n_clusters": "Countries", "r2": "R²", "note": "Note"})
_ = show_table(table, "regional-mipex-ols",
               title=f"Regional gap ({GROUP} vs {REF_SHORT}, {SCOPE}, {year}) on the country's "
                     f"{R.MIPEX_LABELS[mipex_strand]} score ({m_year}): OLS, standard errors clustered by country",
               source=source_line([*LFS_IDS, MIPEX_ID], f"{year}; MIPEX scores of {m_year}; context groups as above"),
               floatfmt="{:.3f}")
est_rows = models.dropna(subset=["coef"]).iloc[::-1]
fig, ax = plt.subplots(figsize=(7.5, max(3.0, 0.6 * len(est_rows) + 1.4)))
yy = np.arange(len(est_rows))
ax.errorbar(est_rows["coef"], yy, xerr=[est_rows["coef"] - est_rows["ci_low"], est_rows["ci_high"] - est_rows["coef"]],
            fmt="o", color=PALETTE[0], ecolor=PALETTE[0], capsize=3)
ax.axvline(0, color="#999999", linewidth=0.8)
short = {models.iloc[1]["model"]: "Within context groups"}
ax.set_yticks(yy, [f"{short.get(m, m)}\n{int(n)} regions, {int(c)} countries" for m, n, c in
                   zip(est_rows["model"], est_rows["n"], est_rows["n_clusters"])], fontsize=9)
ax.set_xlabel("pp of regional gap per MIPEX point, with 95% confidence interval")
ax.grid(axis="y", visible=False)
raise_small_text(fig)
_ = show_figure(fig, "regional-mipex-coefficients",
                title=f"MIPEX score and regional gap vs {REF_SHORT}: estimates, {SCOPE}, {year}",
                source=source_line([*LFS_IDS, MIPEX_ID], f"{year}; MIPEX scores of {m_year}"),
                alt="Dot-and-whisker chart of the coefficient of the MIPEX score in each regional model with its 95% "
                    "confidence interval; a vertical line marks zero.",
                data=est_rows[["model", "coef", "se", "ci_low", "ci_high", "p", "n", "n_clusters", "r2"]],
                caption="Standard errors clustered by country; with few countries the intervals are, if anything, "
                        "too narrow. Per-group models only where a group spans at least five countries.")
reg = features.assign(cluster=labels.map(lambda c: f"Group {c}"), mipex=features["country"].map(scores_m))
fig = charts.labelled_scatter(reg, x="mipex", y="gap", label=None, fit=True, hue="cluster", flag="gap_flag",
                              xlabel=f"{R.MIPEX_LABELS[mipex_strand]} of the country, {m_year}",
                              ylabel=f"Regional gap, {GROUP} vs {REF_SHORT} (pp)")
raise_small_text(fig)
_ = show_figure(fig, "mipex-regional",
                title=f"Regional gaps ({GROUP} vs {REF_SHORT}) and MIPEX, {SCOPE}, {year}",
                source=source_line([*LFS_IDS, MIPEX_ID], f"{year}; MIPEX scores of {m_year}"),
                alt="Scatter plot of regional unemployment gaps against the MIPEX score of the region's country, "
                    "coloured by context group, with a least-squares line.",
                data=reg.dropna(subset=["mipex"])[["geo", "name", "country", "cluster", "mipex", "gap", "gap_flag"]],
                caption="Regions of one country share one MIPEX score, so they line up vertically; that is why the "
                        "standard errors are clustered by country. Hollow: low reliability (u).")

# %% [markdown]
# Across {glue:text}`ch5_ols_n` {glue:text}`ch5_scope` regions in {glue:text}`ch5_ols_countries` countries,
# one more MIPEX point goes with a regional gap larger by {glue:text}`ch5_ols_coef:.3f` pp (95% confidence
# interval {glue:text}`ch5_ols_lo:.3f` to {glue:text}`ch5_ols_hi:.3f`, standard errors clustered by country;
# {numref}`fig-action_5_evidence_policymaking-regional-mipex-coefficients`). {glue:text}`ch5_ols_ci_text`
# Comparing regions only within the
# same context group (group fixed effects), the coefficient is {glue:text}`ch5_olsfe_coef:.3f`
# ({glue:text}`ch5_olsfe_lo:.3f` to {glue:text}`ch5_olsfe_hi:.3f`; R² {glue:text}`ch5_olsfe_r2:.2f`, against
# {glue:text}`ch5_ols_r2:.2f` without the groups). Because the groups are built from context and not from the
# gap, that R² is not fitted by construction. The per-group rows are estimated only where a group spans at
# least five countries. All of these are associations across a few dozen countries; none is a policy effect.
#
# ## Employment, activity and urban-rural gaps (declared tables)
#
# The regional employment and activity rates by country of birth, and employment by degree of urbanisation, are
# published by Eurostat but not in this edition. Each section below renders when its file is added.

# %% tags=["remove-input"]
geometries = {"NUTS 2021": nuts2021, "NUTS 2024": nuts2024}
GEOMETRY_SOURCES = {"NUTS 2021": "gisco_nuts2021_60m_levl2", "NUTS 2024": "gisco_nuts2024_20m"}
declared = {"lfst_r_lfe2emprc": ("employment", "eurostat_lfst_r_lfe2emprc"),
            "lfst_r_lfp2actrc": ("activity", "eurostat_lfst_r_lfp2actrc")}
declared_status = {}
for table_name, (what, source_id) in declared.items():
    frame = read_table(table_name)
    gaps_all = R.rate_gap_table(frame, "c_birth", group)
    gaps = R.restrict(gaps_all, scope) if len(gaps_all) else gaps_all
    declared_status[table_name] = len(gaps)
    if len(gaps):
        version = R.best_geometry(gaps["geo"], geometries)
        d_gdf = R.attach_geometry(geometries[version], gaps_all)
        ref = gaps["reference"].iloc[0]
        ref_name = "native-born" if ref == "NAT" else "total"
        d_year = int(gaps["time"].iloc[0])
        fig = maps.choropleth(d_gdf, "gap", scheme=scheme, k=6, signed=True, scope=scope,
                              legend_title=f"{what.capitalize()} rate gap,\n{GROUP} minus {ref_name} (pp)",
                              flag_column="gap_flag")
        raise_small_text(fig)
        _ = show_figure(fig, f"map-{what}-gap",
                        title=f"{what.capitalize()} rate gap, {GROUP} vs {ref_name}, {SCOPE} regions, {d_year}",
                        source=source_line([source_id, GEOMETRY_SOURCES[version]], f"{d_year}; {BOUNDARIES}"),
                        alt=f"Map of {SCOPE} regions on a diverging palette centred on zero: the {what} rate of the "
                            f"{GROUP} minus that of the {ref_name} population in {d_year}.",
                        data=gaps, caption=f"Age {gaps['age'].iloc[0]}. {SCOPE} regions with a value: {len(gaps)}; "
                                           "other countries grey context. Dotted: low reliability (u). "
                                           f"{maps.left_out_note(d_gdf[d_gdf['gap'].notna()])}")
    else:
        missing_evidence_note(f"regional {what} rates by country of birth", [source_id])
ergau = read_table("lfst_r_ergau")
urb_all = R.rate_gap_table(ergau, "citizen", "FOR", by=("deg_urb",))
urb = R.restrict(urb_all, scope) if len(urb_all) else urb_all
declared_status["lfst_r_ergau"] = len(urb)
if len(urb):
    wide = urb.pivot(index="geo", columns="deg_urb", values="gap").reset_index()
    _ = show_table(wide, "urbanisation-gaps",
                   title=f"Employment rate gap, foreign vs {urb['reference'].iloc[0]} citizens, by degree of "
                         f"urbanisation, {SCOPE}, {int(urb['time'].iloc[0])} (pp)",
                   source=source_line("eurostat_lfst_r_ergau", f"{int(urb['time'].iloc[0])}"))
else:
    missing_evidence_note("employment rates by citizenship and degree of urbanisation (cities, towns, rural areas)",
                          ["eurostat_lfst_r_ergau"])

# %% [markdown]
# ## What this evidence cannot show
#
# - **Native-born comparison at regional level.** Unless the native-born rates are added, the gaps are against
#   the total and understate the foreign/native gap; the estimate above gives the order of magnitude, not the
#   value for any one region.
# - **Second generation and reasons for migration.** These are the Action's first-pillar requests. They are not
#   in any table of this edition.
# - **Cities.** NUTS-2 regions are larger than cities. Employment by degree of urbanisation is published by
#   Eurostat but not in this edition.
# - **Policy effects.** National policy scores vary only between countries; the models compare a few dozen
#   countries and show associations. Policy changes within countries over time, on one edition of the index,
#   would be needed to say more.
# - **IMPIC.** Immigration-policy restrictiveness is not in this edition.
# - **The 2019/20 pilot's clusters.** They are not among this edition's inputs, so the groups here are this
#   chapter's own.

# %% tags=["remove-input"]
about_this_page(dict(year=year, compare_year=compare_year, group=group, scope=scope, n_clusters=n_clusters,
                     cluster_method=cluster_method, scheme=scheme, mipex_strand=mipex_strand,
                     change_threshold=change_threshold),
                sources=["eurostat_lfst_r_lfur2gac", "eurostat_lfsa_ergan", "eurostat_lfsa_urgan",
                         "mipex_core_2007_2019", "mipex_eu_2020_2024"])

# %% tags=["remove-cell", "nbval-check-output"]
print(f"year={year} compare_year={compare_year} group={group} scope={scope} reference={reference} k={n_clusters} "
      f"method={cluster_method}")
print(f"regions mapped (rate, in scope): {len(with_rate)}; context regions: {n_in['outside']}")
for g, (s, summ) in gap_maps.items():
    print(f"{g}: n={summ['n']} median={summ['median']:.1f} max(reliable)={summ['max']:.1f} {summ['max_geo']} "
          f"max(any)={summ['max_any']:.1f} {summ['max_any_geo']} low={summ['max_any_low']} "
          f"min={summ['min']:.1f} {summ['min_geo']} share>5pp={summ['share_above']:.1f}")
print(f"change regions: {len(change)} widened={int((change['direction'] == 'widened').sum())} "
      f"narrowed={int((change['direction'] == 'narrowed').sum())}")
print(f"cluster regions: {len(features)} best k={k_best} features={labels.attrs['features']}")
print("cluster sizes:", dict(sorted(labels.value_counts().to_dict().items())))
print(f"MIPEX {mipex_strand} {m_year} vs national unemployment gap: r={corr_u['pearson']:.3f} n={corr_u['n']}")
print(f"regional OLS coef={allm['coef']:.4f} CI=({allm['ci_low']:.4f}, {allm['ci_high']:.4f}) r2={allm['r2']:.3f}; "
      f"FE coef={fem['coef']:.4f} r2={fem['r2']:.3f}")
if len(est):
    print(f"understatement median={est['understatement'].median():.2f} native est median={est['gap_native_est'].median():.2f}")
print("declared tables rows:", dict(sorted(declared_status.items())))
