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
# year: EU-SILC survey year (2015-2024; 2024 is partial).
# scope: the countries every statistic, ranking and map class covers ("EU27" by default; e.g.
#   "EU27+EFTA+candidates"); countries outside it with data are shown as context only.
# countries: geo codes to keep within the scope; empty = every country of the scope.
# citizen_group: the citizenship group compared with nationals (NAT).
year = 2023
scope = "EU27"
countries = []
citizen_group = "NEU27_2020_FOR"

# %% tags=["remove-input"]
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup

_ = setup("action_1_healthcare")

# %% tags=["remove-input"]
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common, health
from inclusion_evidence.analysis.synthesis_views import named_in_plan
from inclusion_evidence.core.flags import headline_extreme
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
glue_numbers({"ch1_year": int(year), "ch1_group": GROUP_LC, "ch1_scope": SCOPE, "ch1_scope_countries": SCOPE_COUNTRIES})

# Self-perceived health (EU-SILC): the scope's countries, the rest as context only.
silc = read_table("hlth_silc_24")
gaps_all = common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="B_VB")
gap_bad, outside = health.in_scope_gaps(gaps_all, IN_SCOPE)
# Context: countries outside the scope (never members of it left out by `countries`).
context_bad = outside[~outside["geo"].isin(scope_countries(scope))
                      & (outside["geo"].isin(countries) if countries else True)].reset_index(drop=True)
shown_all = pd.concat([gap_bad.assign(in_scope=True), context_bad.assign(in_scope=False)], ignore_index=True)
gap_good, _ = health.in_scope_gaps(
    common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="VG_G"), IN_SCOPE)
eu = common.citizenship_gap(silc, year=year, group=citizen_group, lev_perc="B_VB", countries=["EU27_2020"],
                            include_aggregates=True)
trend = health.gap_trend(silc, group=citizen_group)
levels = health.level_trend(silc, lev_perc="B_VB")
break_geos = health.break_countries(silc, health.EU_SILC_BREAK_YEAR, scope_countries("EU27"))
# The widest gaps: reliable values only; recognised non-citizens (Latvia, Estonia) named apart.
rnc = health.widest_gaps(gap_bad, n=len(gap_bad))
rnc = rnc[rnc["geo"].isin(health.RECOGNISED_NON_CITIZENS)]
others = gap_bad[~gap_bad["geo"].isin(health.RECOGNISED_NON_CITIZENS)]
widest = headline_extreme(others, "gap", "flag", how="max") if len(others) else None
stateless = health.stateless_counts(read_table("unhcr_population"), list(rnc["geo"]), year)

# MIPEX health strand.
strands = read_table("mipex_strands")
indicators = read_table("mipex_indicators")
scores = health.mipex_health_scores(strands, countries=IN_SCOPE)
scored_years = [c for c in scores.columns if isinstance(c, int)]
mipex_year = health.nearest_mipex_year([y for y in scored_years if scores[y].notna().sum() > 0], year)
dims = health.mipex_health_dimensions(indicators, year=mipex_year, countries=IN_SCOPE)

# Unmet needs for medical examination (declared; used when present).
UNMET_SOURCES = {"hlth_silc_30": "eurostat_hlth_silc_30", "hlth_silc_29": "eurostat_hlth_silc_29"}
unmet_tables = {name: read_table(name) for name in UNMET_SOURCES}
unmet = declared_results(unmet_tables, lambda tab: health.unmet_needs_gap(
    tab, year=year if (tab["time"] == year).any() else None, group=citizen_group, countries=IN_SCOPE))

# %% [markdown]
# # Action 1: Improving migrants' and refugees' access to healthcare

# %% tags=["remove-input"]
findings = []
if len(eu):
    e = eu.iloc[0]
    findings.append(Finding(
        "ch1_key_eu_gap",
        "In {year}, {group} of " + GROUP_LC + " aged 16 or over in the EU-27 rated their health bad or very "
        "bad, against {nationals} of nationals: a gap of {gap} (crude shares, not age-standardised).",
        {"group": Value(e["group"], "{:.1f}%", e["flag_group"]),
         "nationals": Value(e["reference"], "{:.1f}%", e["flag_reference"]),
         "gap": Value(e["gap"], "{:+.1f} percentage points", e["flag"])},
        source=source_line("eurostat_hlth_silc_24", "EU-SILC"), scope="EU-27 aggregate", year=year))
else:
    findings.append(Finding("ch1_key_eu_gap", "", scope="EU-27 aggregate", year=year,
                            missing=f"Eurostat publishes no EU-27 aggregate for {year}"))
if len(others) and widest is not None and widest.reliable is not None:
    w = widest.reliable
    text = ("Of the {n} " + SCOPE_COUNTRIES + " that publish both values, " + GROUP_LC + " report bad or very "
            "bad health more often than nationals in {worse}; ")
    values = {"n": Value(len(gap_bad)), "worse": Value(int((gap_bad["gap"] > 0).sum())),
              "widest_country": Value(w["country"]), "widest": Value(w["gap"], "{:+.1f} pp", w["flag"])}
    if len(rnc) and rnc["gap"].max() > w["gap"]:
        above = rnc[rnc["gap"] > w["gap"]]
        names = " and ".join(f"{{rnc_{g}_country}} ({{rnc_{g}}})" for g in above["geo"])
        for _, r in above.iterrows():
            values[f"rnc_{r['geo']}_country"] = Value(r["country"])
            values[f"rnc_{r['geo']}"] = Value(r["gap"], "{:+.1f} pp", r["flag"])
        text += ("the widest gaps are in " + names + ", where most non-EU citizens are long-resident recognised "
                 "non-citizens (stateless) rather than recent migrants, and next in {widest_country} ({widest}).")
    else:
        text += "the widest gap is in {widest_country} ({widest})."
    findings.append(Finding("ch1_key_member_states", text, values, source=source_line("eurostat_hlth_silc_24", "EU-SILC"),
                            scope=SCOPE, year=year))
tb = trend[trend["lev_perc"] == "B_VB"].set_index("time")
if len(tb):
    findings.append(Finding(
        "ch1_key_trend",
        "Across the EU-27 the bad-health gap between " + GROUP_LC + " and nationals was {first} in {first_year} "
        "and {last} in {last_year}; Eurostat flags a break in the series in {break_year} for {break_geos}, "
        "so the years before and after it are not fully comparable.",
        {"first": Value(tb["gap"].iloc[0], "{:+.1f} pp", tb["flag"].iloc[0]), "first_year": Value(int(tb.index[0])),
         "last": Value(tb["gap"].iloc[-1], "{:+.1f} pp", tb["flag"].iloc[-1]), "last_year": Value(int(tb.index[-1])),
         "break_year": Value(health.EU_SILC_BREAK_YEAR),
         "break_geos": Value(", ".join(common.name_of(g) for g in break_geos) or "no member state")},
        source=source_line("eurostat_hlth_silc_24", "EU-SILC"), scope="EU-27 aggregate",
        year=f"{int(tb.index[0])}-{int(tb.index[-1])}"))
if len(dims):
    ranked = dims.sort_values("strand")
    findings.append(Finding(
        "ch1_key_mipex",
        "In {mipex_year}, health policies for migrants scored from {low} ({low_country}) to {high} "
        "({high_country}) out of 100 on the MIPEX health strand across {n} " + SCOPE_COUNTRIES + " "
        "(median {median}); a score of law and policy, not of outcomes.",
        {"mipex_year": Value(int(mipex_year)), "low": Value(ranked["strand"].iloc[0], "{:.0f}"),
         "low_country": Value(ranked["country"].iloc[0]), "high": Value(ranked["strand"].iloc[-1], "{:.0f}"),
         "high_country": Value(ranked["country"].iloc[-1]), "n": Value(len(dims)),
         "median": Value(dims["strand"].median(), "{:.0f}")},
        source=source_line(common.mipex_edition(mipex_year)["source_id"]),
        scope=SCOPE, year=mipex_year))
if unmet:
    name, u = next(iter(unmet.items()))
    any_reason = u[u["reason"] == "TOOEFW"] if (u["reason"] == "TOOEFW").any() else u[u["reason"] == u["reason"].iloc[0]]
    findings.append(Finding(
        "ch1_key_unmet",
        "In {unmet_year}, " + GROUP_LC + " reported an unmet need for a medical examination ({reason}) more "
        "often than nationals in {worse} of {n} " + SCOPE_COUNTRIES + " with both values.",
        {"unmet_year": Value(int(u["year"].iloc[0])), "reason": Value(any_reason["reason_label"].iloc[0].lower()),
         "worse": Value(int((any_reason["gap"] > 0).sum())), "n": Value(len(any_reason))},
        source=source_line(UNMET_SOURCES[name], "EU-SILC"), scope=SCOPE, year=int(u["year"].iloc[0])))
else:
    findings.append(Finding("ch1_key_unmet", "", scope=SCOPE, year=year, missing=(
        "no indicator of access to healthcare by citizenship is in this edition; Eurostat's unmet needs for "
        "medical examination by citizenship (hlth_silc_30) would measure it")))
_ = show_key_findings(findings, [
    "Action 1 aims to raise awareness of the barriers migrants and refugees meet in reaching healthcare, to "
    "identify good practice and to recommend how the levels of governance can improve access (Action Plan, "
    "Action 1, objective and expected outcomes). The statistics here describe health, not access: self-perceived "
    "health is a crude, survey-based outcome that also reflects age and the selection of who migrates.",
    "No EU statistic in this edition measures the hidden barriers the plan names (trust, literacy, "
    "invisibility) or reaches the hard-to-reach groups it lists. The indicator to add first, to follow the "
    "expected outcome on outreach and service uptake, is unmet need for medical care by citizenship; the MIPEX "
    "dimensions show where entitlements and responsiveness are weakest, a starting point for the search for "
    "good practice.",
])

# %% tags=["remove-input"]
at_a_glance(1)

# %% [markdown]
# The Action Plan describes a "migrant health disadvantage" and a set of "hidden barriers" that make
# information campaigns ineffective for hard-to-reach migrant groups {cite:p}`actionplan2021`. This
# chapter sets out what the text names (barriers, groups, levels of governance), then what European
# statistics can and cannot show for the {glue:text}`ch1_scope_countries`: self-perceived health by
# citizenship ({term}`EU-SILC`), the health strand of the Migrant Integration Policy Index ({term}`MIPEX`)
# {cite:p}`solano2020mipex` and, as context, LGBT people's experience of healthcare services
# ({term}`FRA`, 2012).
# Other European countries appear only as context, set apart in each figure.
#
# ## What the Action Plan names: barriers, groups and levels
#
# {numref}`tbl-action_1_healthcare-ch1-named-in-plan` lists what Action 1 names, in the plan's own words
# (with the structural barriers that Action 2 names for mental-health services). The text names the
# barriers and the hard-to-reach groups as two separate lists: of the {glue:text}`ch1_n_cells`
# relations between them that the text supports, {glue:text}`ch1_n_general` follow only from a general
# statement (the hidden barriers "may be especially pronounced" for the groups as a whole) and
# {glue:text}`ch1_n_specific` are stated for one barrier and one level of governance: multilingual
# information and wider formal entitlements, by local and national governments during COVID-19.

# %% tags=["remove-input"]
syn = load_synthesis("health_barriers")
glue_numbers({
    "ch1_n_cells": int(len(syn.cells)),
    "ch1_n_general": int((syn.cells["scope"] == "general").sum()),
    "ch1_n_specific": int((syn.cells["scope"] == "specific").sum()),
    "ch1_n_gaps": int(len(syn.gaps)),
})
named = named_in_plan(syn, group_by={"rows": "kind"})
shown = pd.DataFrame({"What the plan names": named["dimension"] + ": " + named["n"].astype(str),
                      "Named": named["items"], "In the plan's words (section of the Action Plan)": named["quoted"]})
_ = show_table(shown,
               "ch1-named-in-plan", title="Barriers, hard-to-reach groups and levels of governance named in Action 1",
               source=source_line("action_plan", "Action 1 (hidden barriers, groups, levels) and Action 2 "
                                                 "(structural barriers)"), floatfmt="{:.0f}")
cells = synthesis_table(syn)
_ = download_csv(cells, "ch1-barrier-relations",
             "Every relation between a barrier and a group or level that the text states, with its quote (CSV)")

# %% [markdown]
# **What the text does not say.** Action 1 gives no number for any barrier, group or outcome. The
# {glue:text}`ch1_n_gaps` open points are:

# %% tags=["remove-input"]
show_markdown(gap_list(syn))

# %% [markdown]
# ## Self-perceived health: non-EU citizens and nationals
#
# EU-SILC asks adults (16 years or over) to rate their health from "very good" to "very bad". Eurostat
# publishes the shares by citizenship (dataset hlth_silc_24). {numref}`fig-action_1_healthcare-ch1-bad-health-gap`
# sets the share of {glue:text}`ch1_group` reporting bad or very bad health against that of nationals in
# {glue:text}`ch1_year`: {glue:text}`ch1_n_countries` {glue:text}`ch1_scope_countries` publish both
# values, and in {glue:text}`ch1_n_worse` of them {glue:text}`ch1_group` report bad or very bad health more
# often than nationals. Gaps are in percentage points (pp): the group's share minus the
# nationals' share. {glue:text}`ch1_eu_sentence` {glue:text}`ch1_rnc_sentence`
# {numref}`fig-action_1_healthcare-ch1-good-health-gap` shows the other end of the scale, very good or
# good health.
#
# These are crude shares: Eurostat does not standardise them by age, and foreign citizens are on
# average younger than nationals, so a lower share of bad health among them says as much about age as
# about health ("healthy migrant" selection also plays a part). Naturalised migrants count as nationals
# ({ref}`caveat-citizenship`). Values of low reliability (Eurostat flag u, small samples) are marked "(u)"
# and never headline a sentence without that warning ({ref}`caveat-survey`); {glue:text}`ch1_n_flag_u` of
# the {glue:text}`ch1_n_countries` pairs carry it.

# %% tags=["remove-input"]
glue_numbers({
    "ch1_n_countries": int(len(gap_bad)),
    "ch1_n_worse": int((gap_bad["gap"] > 0).sum()),
    "ch1_n_flag_u": int(gap_bad["flag"].str.contains("u").sum()),
})
if len(eu):
    e = eu.iloc[0]
    eu_sentence = (f"For the EU-27 as a whole, {e['group']:.1f}% of {GROUP_LC} and {e['reference']:.1f}% "
                   f"of nationals rated their health bad or very bad (a gap of {e['gap']:+.1f} percentage points).")
else:
    eu_sentence = f"Eurostat publishes no EU-27 aggregate for {year}."
glue("ch1_eu_sentence", eu_sentence, display=False)
if len(rnc):
    counts = stateless.set_index("geo")
    parts = [f"{r['country']} ({r['gap']:+.1f} pp"
             + (f"; UNHCR counts {counts.loc[r['geo'], 'stateless']:,.0f} stateless people there in "
                f"{int(counts.loc[r['geo'], 'year'])}" if r["geo"] in counts.index else "") + ")"
             for _, r in rnc.iterrows()]
    who = " and ".join(health.RECOGNISED_NON_CITIZENS[g] for g in rnc["geo"])
    rnc_sentence = (f"The largest gaps include {' and '.join(parts)}: most non-EU citizens there are {who}, "
                    "former Soviet citizens who settled before 1991 and their descendants, not recent "
                    "migrants, so these gaps say little about newcomers.")
    if widest is not None and widest.reliable is not None:
        rnc_sentence += (f" Without them, the widest gap is in {widest.reliable['country']} "
                         f"({widest.reliable['gap']:+.1f} pp).")
else:
    rnc_sentence = ""
glue("ch1_rnc_sentence", rnc_sentence, display=False)
context_note = ("Outside the " + SCOPE + ", as context only (not in the counts): "
                + "; ".join(f"{r['country']} {r['gap']:+.1f} pp" + (" (u)" if "u" in r["flag"] else "")
                            for _, r in context_bad.sort_values("country").iterrows()) + "."
                if len(context_bad) else "")
rnc_note = (" †: " + ", ".join(sorted(common.name_of(g) for g in rnc["geo"]))
            + ", where most non-EU citizens are long-resident recognised non-citizens (stateless).") if len(rnc) else ""
RNC_MARK = " †"
shown_bad = gap_bad.assign(label=gap_bad["country"] + gap_bad["geo"].map(
    lambda g: RNC_MARK if g in health.RECOGNISED_NON_CITIZENS else ""))
shown_ctx = pd.concat([shown_bad.assign(context=False),
                       context_bad.assign(label=context_bad["country"], context=True)], ignore_index=True)
fig = charts.dumbbell_with_context(shown_ctx, label="label", left="reference", right="group", left_name="Nationals",
                                   right_name=GROUP, xlabel="% of adults (16+) reporting bad or very bad health",
                                   flag="flag", context="context", sort_by="group",
                                   context_label=f"Outside the {SCOPE} (context)")
_ = show(fig, "ch1-bad-health-gap",
                title=f"Adults reporting bad or very bad health: nationals and {GROUP_LC}, {SCOPE}, {year}",
                source=source_line("eurostat_hlth_silc_24", f"EU-SILC, {year}"),
                alt=f"Dumbbell chart by country ({SCOPE}) of the share of nationals and of {GROUP_LC} aged 16 or "
                    f"over reporting bad or very bad health in {year}; {len(gap_bad)} countries.",
                data=shown_all,
                caption="Crude shares, not age-standardised. (u): low reliability for at least one of the two "
                        "values." + rnc_note + " " + context_note)

# %% tags=["remove-input"]
fig = charts.dumbbell(gap_good, label="country", left="reference", right="group", left_name="Nationals",
                      right_name=GROUP, xlabel="% of adults (16+) reporting very good or good health", flag="flag")
_ = show(fig, "ch1-good-health-gap",
                title=f"Adults reporting very good or good health: nationals and {GROUP_LC}, {SCOPE}, {year}",
                source=source_line("eurostat_hlth_silc_24", f"EU-SILC, {year}"),
                alt=f"Dumbbell chart by country ({SCOPE}) of the share of nationals and of {GROUP_LC} aged 16 or "
                    f"over reporting very good or good health in {year}; {len(gap_good)} countries.",
                data=gap_good, caption="Crude shares, not age-standardised. (u): low reliability for at least one "
                                       "of the two values.")

# %% [markdown]
# {numref}`fig-action_1_healthcare-ch1-bad-health-gap-map` maps the same gap. It is a signed quantity, so
# the palette diverges from zero: red where {glue:text}`ch1_group` report bad health more often than
# nationals, blue where less often, and no class holds values on both sides of zero.

# %% tags=["remove-input"]
geo = read_table("nuts2021_level0")
mapped = geo.merge(shown_all[["geo", "gap", "flag"]], left_on="nuts_id", right_on="geo", how="left")
fig = maps.choropleth(mapped, "gap", signed=True, scope=scope, k=6, flag_column="flag", value_format="{:+.1f}",
                      legend_title=f"{GROUP} minus nationals (pp)")
_ = show(fig, "ch1-bad-health-gap-map",
                title=f"Bad or very bad health, {GROUP_LC} minus nationals (pp), adults 16+, {SCOPE}, {year}",
                source=source_line(["eurostat_hlth_silc_24", ("gisco_nuts2021_60m_levl0", "level 0")],
                                   f"EU-SILC, {year}; © EuroGeographics for the administrative boundaries"),
                alt=f"Map of the {SCOPE_COUNTRIES} coloured by the difference in percentage points between "
                    f"{GROUP_LC} and nationals reporting bad or very bad health in {year}, on a palette diverging "
                    "from zero; countries without data hatched grey; other European countries with data drawn "
                    "as context.",
                data=mapped.drop(columns=["geometry", "geo"]),
                caption="Percentage points; above zero: the group reports bad or very bad health more often than "
                        "nationals. Classes are computed on the " + SCOPE + " values only." + rnc_note + " "
                        + maps.left_out_note(mapped))

# %% [markdown]
# ### The EU-27 over time
#
# Across the EU-27, the gap in bad or very bad health between {glue:text}`ch1_group` and nationals was
# {glue:text}`ch1_trend_first_gap:+.1f` percentage points in {glue:text}`ch1_trend_first` and
# {glue:text}`ch1_trend_last_gap:+.1f` in {glue:text}`ch1_trend_last` (negative: the group reports bad
# health less often than nationals). The dashed line in
# {numref}`fig-action_1_healthcare-ch1-eu-bad-health-trend` and
# {numref}`fig-action_1_healthcare-ch1-eu-health-gap-trend` marks the break in series of
# {glue:text}`ch1_break_year`, which Eurostat flags for {glue:text}`ch1_break_geos`; the rise of the
# group's share from 2019 to 2020 falls on it. {glue:text}`ch1_trend_flags`

# %% tags=["remove-input"]
glue("ch1_trend_first", int(tb.index[0]), display=False)
glue("ch1_trend_last", int(tb.index[-1]), display=False)
glue("ch1_trend_first_gap", float(tb["gap"].iloc[0]), display=False)
glue("ch1_trend_last_gap", float(tb["gap"].iloc[-1]), display=False)
glue_numbers({"ch1_break_year": int(health.EU_SILC_BREAK_YEAR),
              "ch1_break_geos": ", ".join(common.name_of(g) for g in break_geos) or "no member state"})
flag_e = sorted(trend.loc[trend["flag"].str.contains("e"), "time"].unique())
glue("ch1_trend_flags", (f"The EU values for {', '.join(map(str, flag_e))} carry Eurostat's flag e (estimated)."
                         if flag_e else "No EU value in the series is flagged as estimated."), display=False)
BREAKS = [(health.EU_SILC_BREAK_YEAR, "EU-SILC break in series")]
fig = charts.trend_lines(levels, x="time", y="value", hue="group", flag="flag", breaks=BREAKS,
                         ylabel="% of adults (16+), bad or very bad health")
_ = show(fig, "ch1-eu-bad-health-trend",
                title="Adults reporting bad or very bad health by citizenship, EU-27 aggregate",
                source=source_line("eurostat_hlth_silc_24", f"EU-SILC, {levels['time'].min()}-{levels['time'].max()}"),
                alt="Lines from 2015 for nationals, foreign citizens, other-EU citizens and non-EU citizens aged 16 "
                    "or over in the EU-27, with a dashed line at the 2020 break in series: nationals report bad "
                    "or very bad health more often than the foreign-citizen groups throughout.",
                data=levels.assign(break_in_series=levels["time"] == health.EU_SILC_BREAK_YEAR),
                caption="EU27_2020 aggregate. Hollow points: low reliability (u). Dashed line: break in series "
                        f"in {health.EU_SILC_BREAK_YEAR} (flagged b for "
                        + (", ".join(common.name_of(g) for g in break_geos) or "no member state") + ").")
fig = charts.trend_lines(trend, x="time", y="gap", hue="level", flag="flag", breaks=BREAKS,
                         ylabel="Gap (percentage points)")
fig.axes[0].axhline(0, color="#777777", linewidth=0.8)
_ = show(fig, "ch1-eu-health-gap-trend",
                title=f"Self-perceived health, {GROUP_LC} minus nationals (pp), adults 16+, EU-27 aggregate",
                source=source_line("eurostat_hlth_silc_24", f"EU-SILC, {trend['time'].min()}-{trend['time'].max()}"),
                alt=f"Two lines of the gap, in percentage points, between {GROUP_LC} and nationals in the "
                    "EU-27, for bad or very bad and for very good or good health, with a dashed line at the 2020 "
                    "break in series.",
                data=trend.assign(break_in_series=trend["time"] == health.EU_SILC_BREAK_YEAR),
                caption="Above zero: the group reports that level of health more often than nationals. Dashed "
                        f"line: break in series in {health.EU_SILC_BREAK_YEAR}.")


# %% [markdown]
# ## Health policy for migrants: the MIPEX health strand
#
# The Migrant Integration Policy Index scores the health strand for 2014 and 2019 in its 2020 edition
# (core indicators) and for 2020-2023 in its EU update, a later edition for the EU Member States only
# {cite:p}`solano2020mipex`; {numref}`tbl-action_1_healthcare-ch1-mipex-health-scores` keeps the two
# editions apart. The strand's twelve indicators fall into four dimensions: **entitlements** (conditions
# and documents for legal migrants, asylum seekers and undocumented migrants), **accessibility**
# (information on entitlements and on health promotion), **responsiveness** (interpreters, involvement of
# migrants in services) and **measures to achieve change** (research on migrant health, a
# whole-organisation approach). The grouping used here reproduces the strand score in the MIPEX
# workbooks as the mean of the four dimension means. In {glue:text}`ch1_mipex_year`,
# {glue:text}`ch1_mipex_n` {glue:text}`ch1_scope_countries` are scored; the highest health-strand score is
# {glue:text}`ch1_mipex_top` and the lowest {glue:text}`ch1_mipex_bottom`
# ({numref}`fig-action_1_healthcare-ch1-mipex-health-dimensions`).
#
# A policy score is not an outcome ({ref}`caveat-policy`):
# {numref}`fig-action_1_healthcare-ch1-mipex-vs-gap` sets the two side by side and estimates no effect.

# %% tags=["remove-input"]
def edition_column(y):
    return f"{y} (core)" if y < 2020 else f"{y} (EU update)"


table = scores[scores[scored_years].notna().any(axis=1)].drop(columns="geo")
table = table.rename(columns={y: edition_column(y) for y in scored_years}).sort_values("country")
_ = show_table(table.rename(columns={"country": "Country"}), "ch1-mipex-health-scores",
               title=f"MIPEX health-strand score (0-100) by country and scored year, {SCOPE}",
               source=source_line(["mipex_core_2007_2019", "mipex_eu_2020_2024"],
                                  "years marked core and EU update; Solano & Huddleston 2020"),
               floatfmt="{:.0f}")
glue("ch1_mipex_year", int(mipex_year), display=False)
glue("ch1_mipex_n", int(len(dims)), display=False)
top, bottom = dims.sort_values("strand").iloc[-1], dims.sort_values("strand").iloc[0]
glue("ch1_mipex_top", f"{top['country']} ({top['strand']:.0f})", display=False)
glue("ch1_mipex_bottom", f"{bottom['country']} ({bottom['strand']:.0f})", display=False)
heat = dims.set_index("country")[list(health.MIPEX_HEALTH_DIMENSIONS)]
heat = heat.loc[dims.set_index("country")["strand"].sort_values(ascending=False).index]
fig = charts.matrix_heatmap(heat, xlabel="MIPEX health dimension", ylabel="", cbar_label="Score (0-100)",
                            cmap="YlGnBu", figsize=(7.5, max(4, 0.24 * len(heat) + 1.8)))
_ = show(fig, "ch1-mipex-health-dimensions",
                title=f"MIPEX health-strand policy score by dimension, {SCOPE}, {mipex_year}",
                source=source_line(common.mipex_edition(mipex_year)["source_id"], f"health strand, {mipex_year}"),
                alt=f"Heatmap of {len(heat)} {SCOPE_COUNTRIES} (rows, ordered by health-strand score) by the four "
                    "health dimensions: entitlements, accessibility, responsiveness, measures to achieve change.",
                data=dims, caption="Each dimension is the mean of its indicators; 100 = most favourable policy. "
                                   "Unlabelled pale cells score 0.")

# %% tags=["remove-input"]
paired = dims[["geo", "country", "strand", *health.MIPEX_HEALTH_DIMENSIONS]].merge(
    gap_bad[["geo", "gap", "flag"]].rename(columns={"gap": "gap_bad"}), on="geo", how="inner").merge(
    gap_good[["geo", "gap"]].rename(columns={"gap": "gap_good"}), on="geo", how="left")
glue("ch1_n_paired", int(len(paired)), display=False)
paired["label"] = paired["geo"] + paired["geo"].map(lambda g: RNC_MARK.strip() if g in health.RECOGNISED_NON_CITIZENS else "")
fig = charts.labelled_scatter(paired, x="strand", y="gap_bad", label="label", flag="flag",
                              xlabel=f"MIPEX health-strand score, {mipex_year} (0-100)",
                              ylabel=f"Bad-health gap, {year} (pp)")
_ = show(fig, "ch1-mipex-vs-gap",
                title=f"MIPEX health-strand score and the bad-health gap ({GROUP_LC} vs nationals), {SCOPE}",
                source=source_line([common.mipex_edition(mipex_year)["source_id"], "eurostat_hlth_silc_24"],
                                   f"MIPEX health strand, {mipex_year}; EU-SILC, {year}"),
                alt=f"Scatter of {len(paired)} {SCOPE_COUNTRIES}: MIPEX health-strand score on the x axis, gap in "
                    f"bad or very bad health between {GROUP_LC} and nationals on the y axis; points labelled by "
                    "country code; hollow points: low reliability.",
                data=paired, caption="No line is fitted: the comparison is descriptive, across countries, without "
                                     "controls for age or other differences between the groups. Hollow points: "
                                     "low reliability (u)." + rnc_note)

# %% [markdown]
# ## Context: LGBT respondents' experience of healthcare (FRA, 2012)
#
# ```{note}
# This section is context, not evidence on migrants: the FRA EU LGBT survey (2012) has no migration
# variable. It is the only source in this book's inputs that asks about discrimination *by healthcare
# personnel*, one of the barriers of trust the Action Plan describes, for a group the Partnership
# addresses in Action 4.
# ```
#
# Across the EU-28, {glue:text}`ch1_fra_trans:.0f`% of transgender respondents and
# {glue:text}`ch1_fra_gay:.0f`% of gay men said they had felt discriminated against by healthcare
# personnel in the previous 12 months (question c4_d). The survey was online and not a probability
# sample; {glue:text}`ch1_fra_small` of the published country × group cells in
# {numref}`fig-action_1_healthcare-ch1-fra2012-healthcare-discrimination` rest on small samples and are
# marked with an asterisk ({ref}`caveat-survey`). {numref}`tbl-action_1_healthcare-ch1-fra2012-c10-eu28`
# lists what respondents had ever experienced when using or trying to access healthcare.

# %% tags=["remove-input"]
fra = read_table("fra_lgbt_2012")
c4d = health.fra2012_item(fra, question_code="c4_d", answer="Yes", countries=IN_SCOPE)
eu28 = c4d[c4d["geo"] == "EU28"].set_index("subset")["percentage"]
subsets = ["Lesbian", "Gay", "Bisexual women", "Bisexual men", "Transgender"]
values, small = health.fra2012_matrix(c4d, subsets)
first = [c for c in values.index if c.startswith("EU-28")]
values = values.loc[first + [c for c in values.index if c not in first]]
small = small.loc[values.index]
glue_numbers({
    "ch1_fra_trans": float(eu28.get("Transgender", float("nan"))),
    "ch1_fra_gay": float(eu28.get("Gay", float("nan"))),
    "ch1_fra_small": int(small.to_numpy().sum()),
})
fig = charts.matrix_heatmap(values, xlabel="Respondents", ylabel="", cmap="Oranges",
                            cbar_label="% discriminated against by healthcare personnel",
                            figsize=(7.5, max(4, 0.24 * len(values) + 1.8)))
charts.mark_cells(fig.axes[0], small)
_ = show(fig, "ch1-fra2012-healthcare-discrimination",
                title=f"Context: LGBT respondents who felt discriminated against by healthcare personnel in the "
                      f"past 12 months, {SCOPE_COUNTRIES} and EU-28 average, 2012",
                source=source_line("fra_lgbt2012_discrimination", "question c4_d"),
                alt=f"Heatmap of {SCOPE_COUNTRIES} and the EU-28 average by five LGBT respondent groups; "
                    "transgender respondents report discrimination by healthcare personnel most often in most "
                    "countries; cells resting on small samples carry an asterisk.",
                data=c4d.assign(small_sample=c4d["note"].eq("small sample")),
                caption="Share answering 'Yes'. *: small sample, read with caution. Blank: not published by FRA "
                        "(sample too small). Not a survey of migrants.")

# %% tags=["remove-input"]
c10 = fra[(fra["question_code"] == "c10") & (fra["geo"] == "EU28")]
c10w = c10.pivot_table(index="answer", columns="subset", values="percentage").reindex(columns=subsets)
c10w = c10w.sort_values("Transgender", ascending=False).reset_index().rename(columns={"answer": "Situation (c10)"})
_ = show_table(c10w, "ch1-fra2012-c10-eu28",
               title="Context: situations LGBT respondents ever experienced when using or trying to access "
                     "healthcare, EU-28 average, 2012 (%)",
               source=source_line("fra_lgbt2012_discrimination", "question c10"), floatfmt="{:.0f}")


# %% [markdown]
# ## Unmet needs for medical examination
#
# The Action Plan asks "where/for whom is access most difficult". EU-SILC measures self-reported unmet
# needs for a medical examination and their main reason (too expensive, too far to travel, waiting
# list), by citizenship and by country of birth.

# %% tags=["remove-input"]
_ = show_declared_figures(
    unmet_tables, list(UNMET_SOURCES.values()), "unmet needs for medical care by citizenship and country of birth",
    gap_panels_figure(unmet, group=citizen_group, scope=SCOPE, prefix="ch1-unmet-needs", panel="reason_label",
                      xlabel="% of adults (16+)", survey="EU-SILC", source_ids=UNMET_SOURCES,
                      subject="Adults with unmet needs for a medical examination by main reason",
                      alt="Dumbbell panels by reason of unmet medical needs comparing {nat} and {group} by country "
                          "({scope})."),
    why="Unmet need for a medical examination, and its reason (cost, distance, waiting list), is the closest "
        "European measure of access to healthcare, the subject of Action 1: it would show for whom access is "
        "most difficult, the question the Action Plan asks. Self-perceived health, above, measures health, not "
        "access. Eurostat publishes it every year from EU-SILC.")

# %% [markdown]
# ## What this evidence can and cannot say
#
# - Self-perceived health is a single survey question. It tracks mortality and chronic illness well in
#   general populations, but answers depend on language, culture and expectations, which differ between
#   the groups compared; it says nothing directly about *access* to care ({ref}`caveat-survey`).
# - The shares are crude (not age-standardised); foreign citizens are younger on average. A lower share
#   of bad health among them is not evidence of good access to healthcare. Outcome gaps are not in
#   themselves a measure of the effect of policy.
# - Citizenship is not migration background; refugees, undocumented migrants and other hard-to-reach
#   groups the Action Plan names cannot be identified in EU-SILC, which samples people living in private
#   households with a registered address ({ref}`caveat-citizenship`). In Latvia and Estonia most non-EU
#   citizens are long-resident recognised non-citizens, not recent migrants.
# - The EU-27 series has a break in {glue:text}`ch1_break_year`; changes across it are partly changes of
#   method.
# - MIPEX scores law and policy, not implementation or outcomes ({ref}`caveat-policy`); its 2020 core
#   edition and its EU update are separate editions.
# - Nothing on the barriers the Action Plan lists (trust, literacy, invisibility) is measured by any
#   table here.

# %% tags=["remove-input"]
about_this_page({"year": year, "scope": SCOPE, "countries": countries or "all in the scope",
                 "compared group": GROUP},
                sources=["eurostat_hlth_silc_24", "mipex_core_2007_2019", "mipex_eu_2020_2024",
                         "fra_lgbt2012_discrimination", "unhcr_refugee_population", "gisco_nuts2021_60m_levl0"])

# %% tags=["remove-cell", "nbval-check-output"]
print(f"synthesis cells: {len(syn.cells)}; countries in scope with both values: {len(gap_bad)}; context: {len(context_bad)}")
print(f"group worse than nationals (bad health): {int((gap_bad['gap'] > 0).sum())}")
print(f"EU gap first/last: {tb['gap'].iloc[0]:.1f} / {tb['gap'].iloc[-1]:.1f}; break {health.EU_SILC_BREAK_YEAR}: {break_geos}")
print(f"MIPEX year {mipex_year}: {len(dims)} countries; paired: {len(paired)}")
print(f"FRA c4_d EU28 trans/gay: {eu28.get('Transgender')} / {eu28.get('Gay')}; small-sample cells: {int(small.to_numpy().sum())}")
print(f"unmet needs rendered: {bool(unmet)}")
