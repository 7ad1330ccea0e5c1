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
region = "BE10"  # NUTS-2 code (NUTS 2021) of the region of this profile
group = "FOR"  # unemployment of: FOR (foreign-born) or NEU27_2020_FOR (born outside the EU), against the total

# %% tags=["remove-input"]
import pandas as pd

from inclusion_evidence.analysis import region_profile as RP
from inclusion_evidence.analysis.profile import value_text as T
from inclusion_evidence.analysis.regional import GROUP_LABELS
from inclusion_evidence.core.flags import low_reliability
from inclusion_evidence.core.geo_codes import OUTERMOST_NUTS2
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import about_this_page, setup
from inclusion_evidence.present.figures import glue_numbers, show_figure, show_list, show_text, source_line
from inclusion_evidence.present.findings import Finding, Value, show_key_findings

setup(f"region_{region}")
unemployment = read_table("regional_unemployment")
info = RP.region_info(unemployment, region)
NAME, COUNTRY = info["name"], info["country_name"]
SHORT = NAME if len(NAME) <= 28 else region   # figure titles are one line
WHO = {"FOR": "foreign-born residents"}.get(group, f"residents {GROUP_LABELS[group]}")   # "residents born outside the EU"
LFS = source_line("eurostat_lfst_r_lfur2gac", "sex total, age 15-64")
LOCALS = source_line("europe_locals_nuts2_2023", "LFS population aged 15+")
BOUNDARIES = source_line("gisco_nuts2021_60m_levl2", "© EuroGeographics for the administrative boundaries")

rates = RP.rate_trend(unemployment, region, groups=(group, "TOTAL"))
gaps = RP.gap_beside(unemployment, region, group)
own_rate = RP.latest_and_change(rates, RP.RATE_LABELS[group], "rate")
total = rates[(rates["group"] == "TOTAL") & (rates["time"] == own_rate["year"])]
own_gap = RP.latest_and_change(gaps, NAME, "gap")
at_year = gaps[gaps["time"] == own_gap["year"]].set_index("series")
country_median = at_year["gap"].get(RP.median_label(COUNTRY), float("nan"))
eu_median = at_year["gap"].get(RP.median_label("EU-27"), float("nan"))
shares = RP.share_trend(read_table("regional_indicators"), region)
own_share = RP.latest_and_change(shares, NAME, "share")
share_row = shares[(shares["series"] == NAME) & (shares["time"] == own_share["year"])]

glue_numbers({
    "rf_name": NAME, "rf_code": region, "rf_country": COUNTRY,
    # the index page's columns: text for every region, "not available" when the data lack it
    "rf_index_gap": T(own_gap["value"], "{:+.1f}", own_gap["flag"]),
    "rf_index_gap_year": str(own_gap["year"] or "not available"),
    "rf_index_share": T(own_share["value"], "{:.1f}"),
})

# %% [markdown]
# # {glue:text}`rf_name`
#
# NUTS-2 region {glue:text}`rf_code`, {glue:text}`rf_country`. What chapter 5's regional tables say about
# this region: the unemployment of residents born abroad against the whole population over time, beside the
# other regions of its country and of the EU-27, and the share of its residents born abroad. Eurostat's
# regional extract has no national or EU-27 rate by country of birth and no native-born group: the region's
# gap is the rate of the foreign-born group minus the rate of the whole population, and the country and the
# EU-27 are the medians of their regions' gaps.

# %% tags=["remove-input"]
rate_missing = None if own_rate["year"] else f"the regional extract has no unemployment rate of {WHO} for {NAME}"
findings = [
    Finding("rf_key_rate",
            "In {year}, the unemployment rate of " + WHO + " aged 15-64 in {scope} was {rate}, against "
            "{total} for the whole population aged 15-64.",
            {"rate": Value(own_rate["value"], "{:.1f}%", own_rate["flag"]),
             "total": Value(float(total["rate"].iloc[0]) if len(total) else None, "{:.1f}%",
                            total["flag"].iloc[0] if len(total) else None)},
            source=LFS, scope=NAME, year=own_rate["year"], missing=rate_missing),
    Finding("rf_key_gap",
            "In {year}, the gap in {scope} was {gap}; the median gap over the regions of " + COUNTRY + " was "
            "{country}, and over the EU-27's regions {eu}.",
            {"gap": Value(own_gap["value"], "{:+.1f} pp", own_gap["flag"]),
             "country": Value(country_median, "{:+.1f} pp"), "eu": Value(eu_median, "{:+.1f} pp")},
            source=LFS, scope=NAME, year=own_gap["year"],
            missing=None if own_gap["year"] else f"the regional extract has no gap of {WHO} for {NAME}"),
    Finding("rf_key_change",
            "Between {base} and {year}, the gap in {scope} changed by {change}.",
            {"change": Value(own_gap["change"], "{:+.1f} pp"), "base": own_gap["base_year"]},
            source=LFS, scope=NAME, year=own_gap["year"],
            missing=None if own_gap["base_year"] else
            f"the regional extract has a gap for {NAME} in one year only, so no change over time"),
    Finding("rf_key_share",
            "In {year}, {share} of the residents aged 15 and over of {scope} were born abroad; of the "
            + str(int(share_row["of"].iloc[0]) if len(share_row) else 0) + " regions of " + COUNTRY
            + " with a value, it ranks {rank} (1 = the highest share).",
            {"share": Value(own_share["value"], "{:.1f}%"),
             "rank": Value(int(share_row["rank"].iloc[0]) if len(share_row) else None, "{}")},
            source=LOCALS, scope=NAME, year=own_share["year"],
            missing=None if own_share["year"] else
            f"the European Locals compilation has no foreign-born share for {NAME} on NUTS 2021 codes"),
]
_ = show_key_findings(findings, [
    f"A city or region in the Partnership can set {NAME}'s figures beside the other regions of {COUNTRY} and of "
    "the EU-27: a wider gap than its neighbours' points to where the labour market works less well for "
    "residents born abroad.",
    "A gap against the whole population understates the gap to the native-born, more so where the foreign-born "
    "share is high; regional survey estimates are uncertain (flag u), and a gap does not say why it arose.",
])

# %% [markdown]
# ## Where the region is

# %% tags=["remove-input"]
frame, limits = RP.locator_frame(read_table("nuts2021_level2"), region, info["country"])
if limits is None:
    show_text(f"{region} is a region of an earlier NUTS version, discontinued before NUTS 2021: the NUTS 2021 "
              f"boundaries have no polygon for it, so no map is drawn. Eurostat's regional extract keeps its "
              f"values for the years before the change.")
else:
    fig = maps.category_map(frame, "role", ["This region", "Other regions"], ["#b2182b", "#d9d9d9"],
                            labels={"Other regions": f"Other regions of {COUNTRY}"}, counts=False,
                            figsize=(7.0, 5.6))
    ax = fig.axes[0]
    ax.set_xlim(limits[0], limits[1])
    ax.set_ylim(limits[2], limits[3])
    _ = show_figure(
        fig, "locator", title=f"{SHORT} in {COUNTRY}", source=BOUNDARIES,
        alt=f"Map of the {len(frame)} NUTS-2 regions of {COUNTRY} with {NAME} ({region}) highlighted.",
        data=pd.DataFrame(frame.drop(columns="geometry"))[["nuts_id", "name", "role"]],
        caption=maps.left_out_note(frame) if region not in OUTERMOST_NUTS2 else
        f"{NAME} is one of the EU's outermost regions, far from the mainland: the map shows it on its own frame.")

# %% [markdown]
# ## Unemployment by country of birth
#
# Eurostat's regional Labour Force Survey estimates, ages 15-64. Hollow points are of low reliability
# (flag u); Eurostat also flags breaks in series (b) and differing definitions (d), listed under the figure.

# %% tags=["remove-input"]
if rates.empty:
    show_text(f"The regional extract (Eurostat lfst_r_lfur2gac) has no unemployment rate for {NAME}.")
else:
    fig = charts.trend_lines(rates, x="time", y="rate", hue="series", ylabel="Unemployment rate (%)", flag="flag")
    flagged = rates[rates["flag"] != ""].groupby(["series", "flag"], sort=False)["time"]
    marks = [f"{s}, {f} in {', '.join(map(str, years))}" for (s, f), years in flagged]
    n_low = int(low_reliability(rates["flag"]).sum())
    _ = show_figure(
        fig, "unemployment", title=f"Unemployment rate by country of birth, {SHORT}",
        source=source_line("eurostat_lfst_r_lfur2gac",
                           f"sex total, age 15-64; {int(rates['time'].min())}-{int(rates['time'].max())}"),
        alt=f"Line chart of the unemployment rates of {WHO} and of the whole population aged 15-64 in "
            f"{NAME} by year; in {own_rate['year']}, {T(own_rate['value'], '{:.1f}%')} for {WHO}.",
        data=rates,
        caption=f"{n_low} of {len(rates)} values are of low reliability (hollow). "
                + ("Flagged values (b: break in series, d: definition differs, u: low reliability): "
                   + "; ".join(marks) + "." if marks else "No value is flagged."))
    if rates[rates["group"] == group].empty:
        show_text(f"The regional extract has the whole population's rate for {NAME} but no rate of {WHO}: "
                  "Eurostat does not publish estimates this small.")

# %% [markdown]
# ## The gap, beside the country and the EU-27
#
# The unemployment rate of the group minus that of the whole population, in percentage points, in the years the
# region has one; the country's and the EU-27's lines are the medians of their regions' gaps that year
# (unweighted, over the regions with a value: a description of the regions, not a national figure).

# %% tags=["remove-input"]
if gaps.empty:
    show_text(f"The regional extract has no gap of {WHO} for {NAME} in any year, so it cannot be set beside "
              f"{COUNTRY} or the EU-27.")
else:
    fig = charts.trend_lines(gaps, x="time", y="gap", hue="series", ylabel="Gap to the whole population (pp)",
                             flag="flag")
    _ = show_figure(
        fig, "gap", title=f"Unemployment gap, {SHORT}, {COUNTRY} and the EU-27",
        source=source_line("eurostat_lfst_r_lfur2gac",
                           f"sex total, age 15-64; {int(gaps['time'].min())}-{int(gaps['time'].max())}"),
        alt=f"Line chart of the unemployment gap of {WHO} in {NAME} by year, with the median gap of the "
            f"regions of {COUNTRY} and of the EU-27; in {own_gap['year']}, {T(own_gap['value'], '{:+.1f}')} pp "
            f"against {T(country_median, '{:+.1f}')} and {T(eu_median, '{:+.1f}')}.",
        data=gaps, caption=f"The unemployment rate of {WHO} minus that of the whole population. Hollow points: "
                           "the region's gap rests on a rate of low reliability. The column n_regions of the data "
                           "gives the number of regions behind each median.")

# %% [markdown]
# ## Residents born abroad
#
# The foreign-born share of the Labour Force Survey population aged 15 and over, from the European Locals
# compilation of Eurostat tables (NUTS 2024 codes, carried to the region's NUTS 2021 code only where the two
# versions match one to one), beside the median of the country's regions.

# %% tags=["remove-input"]
if shares.empty:
    show_text(f"The European Locals compilation has no foreign-born share for {NAME} on NUTS 2021 codes (its "
              "regions changed between NUTS 2021 and 2024, or the compilation lacks it).")
else:
    fig = charts.trend_lines(shares, x="time", y="share", hue="series", ylabel="% of residents aged 15+")
    _ = show_figure(
        fig, "foreign-born", title=f"Residents born abroad, {SHORT}",
        source=source_line("europe_locals_nuts2_2023",
                           f"LFS population aged 15+; {int(shares['time'].min())}-{int(shares['time'].max())}"),
        alt=f"Line chart of the share of residents aged 15 and over born abroad in {NAME} and the median share "
            f"of the regions of {COUNTRY} by year; {T(own_share['value'], '{:.1f}%')} in {own_share['year']}.",
        data=shares, caption="The rank column of the data places the region among its country's regions "
                             "(1 = the highest share).")

# %% tags=["remove-input"]
missing = [f.sentence() for f in findings if f.reason_missing]
if missing:
    show_list(missing, lead="What this page cannot show")

# %% tags=["remove-input"]
about_this_page({"region": f"{NAME} ({region})", "group": WHO},
                sources=["eurostat_lfst_r_lfur2gac", "europe_locals_nuts2_2023", "gisco_nuts2021_60m_levl2"])
