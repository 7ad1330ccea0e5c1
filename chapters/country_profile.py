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
country = "AT"  # Eurostat country code: the member state (or EFTA or candidate country) of this profile
regional_group = "FOR"  # NUTS-2 unemployment gap of: FOR (foreign-born) or NEU27_2020_FOR (born outside the EU)
amif_period = "2014-2020"  # programming period of the AMIF payments
asylum_start = 2008  # first year of the asylum trend

# %% tags=["remove-input"]
import pandas as pd

from inclusion_evidence.analysis import profile as P
from inclusion_evidence.analysis.common import mipex_edition
from inclusion_evidence.analysis.overview import AGE_LABELS
from inclusion_evidence.core.geo_codes import country_name
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.facts import load_members
from inclusion_evidence.ingest.readers.lgbti import ilga_category_counts
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import about_this_page, setup
from inclusion_evidence.present.figures import (
    glue_numbers,
    show_figure,
    show_list,
    show_table,
    show_text,
    source_line,
)
from inclusion_evidence.present.findings import Finding, Value, show_key_findings

setup(f"profile_{country}")
NAME = country_name(country)
T = P.value_text
BOUNDARIES = "© EuroGeographics for the administrative boundaries"

worldbank = read_table("population_worldbank")
pop = P.population_trend(read_table("migr_pop3ctb"), read_table("migr_pop1ctz"), worldbank, country)
born = P.latest_pair(pop, country, "Foreign-born")
citizens = P.latest_pair(pop, country, "Foreign citizens")
born_n = P.latest_pair(pop, country, "Foreign-born", "number")
core = P.core_beside_eu27(country)
employment = core.set_index("indicator").loc["employment_rate"]
unemployment = read_table("regional_unemployment")
map_year = P.regional_year(unemployment, country, regional_group)
mipex_latest, mipex_trend = P.mipex_profile(read_table("mipex_strands"), country)
overall = mipex_latest.set_index("strand").loc[P.MIPEX_OVERALL] if len(mipex_latest) else None
ilga = P.ilga_profile(ilga_category_counts(read_table("ilga_rainbow")), country)
asylum = P.asylum_trend(read_table("migr_asyappctza"), worldbank, country, start=asylum_start)
own_asylum = asylum[(asylum["series"] == NAME)].dropna(subset=["per_100k"])
asylum_last = own_asylum.iloc[-1] if len(own_asylum) else None
eu_asylum = asylum[(asylum["series"] == "EU-27") & (asylum["time"] == (asylum_last["time"] if asylum_last is not None
                                                                         else -1))]
minors, minors_source_id = P.unaccompanied_minors(read_table("migr_asyunaa"), read_table("uam_2015_2016"), country)
minors_source = source_line(minors_source_id)
amif = P.amif_per_citizen(read_table("eu_budget_migration"), read_table("migr_pop1ctz"), country, amif_period)
esif = P.esif_to9_per_head(read_table("esif_planned"), worldbank, country)
members, cities = P.members_in(load_members(), read_table("eurocities"), country)

glue_numbers({
    "pf_name": NAME,
    "pf_code": country,
    # the index page's columns: text for every country, "no data" when the data lack it
    "pf_index_born_share": T(born["value"], "{:.1f}", born["flag"]),
    "pf_index_employment_gap": T(employment["gap_vs_nationals"], "{:+.1f}"),
    "pf_index_mipex": T(overall["score"] if overall is not None else None, "{:.0f}"),
})

# %% [markdown]
# # {glue:text}`pf_name`
#
# What the book's chapters say about {glue:text}`pf_name` ({glue:text}`pf_code`), on one page, with the
# EU-27 beside it wherever the data have an EU-27 value. Every number comes from the same functions as the
# chapter it belongs to; outcome gaps between groups are not in themselves a measure of policy effect.

# %% tags=["remove-input"]
emp_age = AGE_LABELS.get(employment["age"], employment["age"])
emp_group = str(employment["group_label"])[:1].lower() + str(employment["group_label"])[1:]
asylum_year = int(asylum_last["time"]) if asylum_last is not None else None
findings = [
    Finding("pf_key_born",
            "On 1 January {year}, {share} of the residents of {scope} were born abroad; in the EU-27, {eu}.",
            {"share": Value(born["value"], "{:.1f}%", born["flag"]), "eu": Value(born["eu27"], "{:.1f}%")},
            source=source_line(["eurostat_migr_pop3ctb", "worldbank_sp_pop_totl"]), scope=NAME, year=born["year"]),
    Finding("pf_key_employment",
            "In {year}, " + emp_group + " aged " + str(emp_age) + " in {scope} had an employment rate of {rate}, "
            "against {nationals} for nationals"
            + ("; the gap in the EU-27 was {eu_gap}." if pd.notna(employment["eu27_gap_vs_nationals"]) else
               " (the employment table in this edition has no EU-27 value)."),
            {"rate": Value(employment["value_group"], "{:.1f}%", employment["flag_group"]),
             "nationals": Value(employment["value_nationals"], "{:.1f}%", employment["flag_nationals"]),
             **({"eu_gap": Value(employment["eu27_gap_vs_nationals"], "{:+.1f} pp")}
                if pd.notna(employment["eu27_gap_vs_nationals"]) else {})},
            source=source_line("eurostat_lfsa_ergan"), scope=NAME,
            year=None if pd.isna(employment["year"]) else int(employment["year"]),
            missing=employment["reason"] or None if pd.isna(employment["value_group"]) else None),
    Finding("pf_key_asylum",
            "In {year}, {scope} received {rate} asylum applicants per 100 000 residents; the EU-27, {eu}.",
            {"rate": Value(asylum_last["per_100k"] if asylum_last is not None else None, "{:,.0f}"),
             "eu": Value(float(eu_asylum["per_100k"].iloc[0]) if len(eu_asylum) else None, "{:,.0f}")},
            source=source_line(["eurostat_migr_asyappctza", "worldbank_sp_pop_totl"]), scope=NAME, year=asylum_year,
            missing=None if asylum_last is not None else f"no asylum applicants with a population for {NAME}"),
    Finding("pf_key_mipex",
            "In {year}, {scope} scored {score} out of 100 on MIPEX's integration policy index (with health); "
            "the EU-27 median was {median}.",
            {"score": Value(overall["score"] if overall is not None else None, "{:.0f}"),
             "median": Value(overall["eu27_median"] if overall is not None else None, "{:.0f}")},
            source=source_line([mipex_edition(int(overall["year"]))["source_id"]] if overall is not None
                               else ["mipex_core_2007_2019", "mipex_eu_2020_2024"]), scope=NAME, year=int(overall["year"]) if overall is not None else None,
            missing=None if overall is not None else f"MIPEX does not score {NAME}"),
    Finding("pf_key_amif",
            "Over {period}, AMIF paid {scope} EUR {value} per " + amif["group"] + "; EUR {eu} across the EU-27.",
            {"value": Value(amif["value"], "{:,.0f}"), "eu": Value(amif["eu27"], "{:,.0f}"), "period": amif["years"]},
            source=source_line([("eu_budget_spending_2000_2023", "AMIF payments"), "eurostat_migr_pop1ctz"]), scope=NAME, year=amif["years"],
            missing=(amif["opt_out"].rstrip(".") or (f"the EU budget file records no AMIF payment to {NAME}"
                                         if pd.isna(amif["eur_million"]) else None))),
]
_ = show_key_findings(findings, [
    f"The Partnership's members and partners in {NAME} can read these numbers against the EU-27: the size of "
    "the population concerned, how it fares against nationals, the policies in place and the EU money spent.",
    "A gap or a score does not say why it arose, nor what a city can change; the chapters give the context and "
    "the caveats.",
])

# %% [markdown]
# ## Population
#
# Residents born abroad (in another EU country or outside the EU) and residents who are citizens of another
# country, as counted by Eurostat on 1 January, and as a share of the World Bank's mid-year population. The
# EU-27's share uses the sum of the 27 member states' populations.

# %% tags=["remove-input"]
if pop[pop["geo"] == country].empty:
    show_text(f"Eurostat's population tables in this edition have no count of foreign-born residents or foreign "
              f"citizens for {NAME}.")
else:
    shown = pop.assign(series=pop["geo"].map({country: NAME, "EU27_2020": "EU-27"}) + ", " + pop["group"].str.lower())
    fig = charts.trend_lines(shown, x="year", y="share", hue="series", ylabel="% of residents", flag="flag")
    _ = show_figure(
        fig, "population", title=f"Foreign-born residents and foreign citizens, {NAME} and the EU-27",
        source=source_line(["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz", "worldbank_sp_pop_totl"],
                           f"{int(pop['year'].min())}-{int(pop['year'].max())}"),
        alt=f"Line chart of the shares of foreign-born residents and of foreign citizens in {NAME} and in the "
            f"EU-27 by year; in {born['year']} {T(born['value'], '{:.1f}%')} of {NAME}'s residents were born abroad.",
        data=pop, caption=f"Latest year, {NAME}: {T(born_n['value'], '{:,.0f}')} foreign-born residents "
                          f"({T(born['value'], '{:.1f}%', born['flag'])}), "
                          f"{T(P.latest_pair(pop, country, 'Foreign citizens', 'number')['value'], '{:,.0f}')} "
                          f"foreign citizens ({T(citizens['value'], '{:.1f}%', citizens['flag'])}). "
                          "Hollow points: low reliability.")

# %% [markdown]
# ## Core integration indicators
#
# Eurostat's core migrant integration indicators, the compared group against nationals: the latest year,
# the gap, and the change of the gap over about ten years, with the EU-27 beside them.

# %% tags=["remove-input"]
table = pd.DataFrame({
    "Indicator": core["name"],
    "Group": core["group_label"],
    "Year": core["year"].astype("string").fillna(""),
    NAME: [T(v, "{:,.1f}", f) for v, f in zip(core["value_group"], core["flag_group"])],
    "Nationals": [T(v, "{:,.1f}", f) for v, f in zip(core["value_nationals"], core["flag_nationals"])],
    "Gap": [T(v, "{:+.1f} " + u) for v, u in zip(core["gap_vs_nationals"], core["gap_unit"])],
    "Gap, EU-27": [T(v, "{:+.1f} " + u) for v, u in zip(core["eu27_gap_vs_nationals"], core["gap_unit"])],
    "Change of the gap (pp)": [T(v, "{:+.1f}") + (f" since {b}" if pd.notna(b) and pd.notna(v) else "")
                               for v, b in zip(core["change_gap_pp"], core["base_year"])],
})
show_table(table, "core-indicators", title=f"Core integration indicators, {NAME} and the EU-27",
           source=source_line(["eurostat_lfsa_ergan", "eurostat_lfsa_urgan", "eurostat_edat_lfs_9911", "eurostat_ilc_di15", "eurostat_hlth_silc_24"]))
gaps = [f"{r['name']}: {r['reason']}" for _, r in core[core["gap_vs_nationals"].isna()].iterrows() if r["reason"]]
gaps += [f"{r['name']}, EU-27: {r['eu27_reason']}" for _, r in core[core["eu27_gap_vs_nationals"].isna()].iterrows()
         if r["eu27_reason"]]
if gaps:
    show_list(gaps, lead="Not available")

# %% [markdown]
# ## Regions
#
# The unemployment rate of foreign-born residents aged 15-64 minus that of the whole population, in
# percentage points, in the country's NUTS-2 regions: chapter 5's map, on the country's frame.

# %% tags=["remove-input"]
if map_year is None:
    show_text(f"The regional extract (Eurostat lfst_r_lfur2gac) has no unemployment gap for any region of {NAME}.")
else:
    frame, summary, eu_summary = P.regional_gaps(unemployment, read_table("nuts2021_level2"), country, map_year,
                                                 regional_group)
    if summary["n"] == 0:
        show_text(f"No region of {NAME} has an unemployment gap in {map_year}.")
    else:
        fig = maps.choropleth(frame, "gap", k=min(5, max(2, summary["n"] // 2)), signed=True, scope=None,
                              legend_title="Gap (pp)", flag_column="gap_flag", figsize=(8.0, 5.6))
        ax = fig.axes[0]
        x0, x1, y0, y1 = P.country_frame(frame)     # the country's frame, not Europe's
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.get_legend().set_bbox_to_anchor((1.02, 1.0), transform=ax.transAxes)   # beside the map, not over it
        _ = show_figure(
            fig, "regional-gap", title=f"Unemployment gap of the foreign-born, {NAME}, {map_year}",
            source=source_line(["eurostat_lfst_r_lfur2gac", "gisco_nuts2021_60m_levl2"], f"{map_year}; {BOUNDARIES}"),
            alt=f"Map of the NUTS-2 regions of {NAME} shaded by the unemployment rate of the foreign-born minus "
                f"that of the whole population in {map_year}; {summary['n']} regions have a value, from "
                f"{summary['min']:+.1f} to {summary['max']:+.1f} percentage points.",
            data=pd.DataFrame(frame.drop(columns="geometry")).dropna(subset=["gap"])[
                ["nuts_id", "name", "rate", "rate_TOTAL", "gap", "gap_flag"]],
            caption=f"Median gap over {summary['n']} regions: {summary['median']:+.1f} pp; over the EU-27's "
                    f"{eu_summary['n']} regions with a value: {T(eu_summary['median'], '{:+.1f}')} pp. Widest: "
                    f"{summary['max_name']}. Hatched: no data; dotted: low reliability (flag u). "
                    f"{maps.left_out_note(frame[frame['gap'].notna()])}")

# %% [markdown]
# ## Integration policy
#
# The Migrant Integration Policy Index scores national law and policy from 0 to 100. Scores up to 2019 come
# from MIPEX's core edition and from 2020 from its EU edition, which scores the EU member states only: the
# series breaks between 2019 and 2020.

# %% tags=["remove-input"]
if mipex_latest.empty:
    show_text(f"MIPEX does not score {NAME}.")
else:
    fig = charts.trend_lines(mipex_trend, x="year", y="score", hue="series", ylabel="MIPEX score (0-100)",
                             breaks=[P.MIPEX_BREAK])
    _ = show_figure(fig, "mipex", title=f"MIPEX integration policy score, {NAME} and the EU-27 median",
                    source=source_line(["mipex_core_2007_2019", "mipex_eu_2020_2024"],
                                       f"{int(mipex_trend['year'].min())}-{int(mipex_trend['year'].max())}"),
                    alt=f"Line chart of {NAME}'s overall MIPEX score with health and of the EU-27 median by year, "
                        "with a dashed line marking the change of MIPEX edition in 2020.",
                    data=mipex_trend, caption="The EU-27 median is over the member states scored each year.")
    strands = mipex_latest.assign(strand=mipex_latest["strand"].str.replace("_", " ").str.capitalize())
    show_table(strands.rename(columns={"strand": "Strand", "year": "Year", "score": NAME,
                                       "eu27_median": "EU-27 median", "n_eu": "Member states scored"}),
               "mipex-strands", title=f"MIPEX strands, {NAME} against the EU-27 median, {int(overall['year'])}",
               source=source_line(mipex_edition(int(overall["year"]))["source_id"], f"{int(overall['year'])}"), floatfmt="{:,.0f}")
if pd.isna(ilga["met"]):
    show_text(f"ILGA-Europe's Rainbow Europe criteria do not cover {NAME}.")
else:
    show_text(f"ILGA-Europe's Rainbow Europe index: {NAME} meets {ilga['met']:.0f} of the {ilga['total']} asylum "
              f"criteria (protection for LGBTI asylum seekers in law and policy); the median member state meets "
              f"{ilga['eu27_median']:.0f}. Source: {source_line('ilga_rainbow_asylum')}.")

# %% [markdown]
# ## Asylum
#
# Asylum applicants per 100 000 residents (all citizenships), the country against the EU-27 (the member
# states' applicants summed, over their summed population).

# %% tags=["remove-input"]
if own_asylum.empty:
    show_text(f"Eurostat's asylum table (migr_asyappctza) in this edition has no applicants for {NAME}.")
else:
    shown = asylum.dropna(subset=["per_100k"])
    fig = charts.trend_lines(shown, x="time", y="per_100k", hue="series", ylabel="Applicants per 100 000 residents")
    _ = show_figure(fig, "asylum", title=f"Asylum applicants per 100 000 residents, {NAME} and the EU-27",
                    source=source_line(["eurostat_migr_asyappctza", "worldbank_sp_pop_totl"],
                                       f"{int(shown['time'].min())}-{int(shown['time'].max())}"),
                    alt=f"Line chart of asylum applicants per 100 000 residents in {NAME} and in the EU-27 by year; "
                        f"in {asylum_year}, {T(asylum_last['per_100k'], '{:,.0f}')} in {NAME}.",
                    data=asylum, caption="Years without a World Bank population have no rate.")
if minors.empty:
    show_text(f"Unaccompanied minors: the data in this edition ({minors_source}) have no count for {NAME}.")
else:
    wide = minors.pivot_table(index="series", columns="time", values="value", aggfunc="first").reset_index()
    wide.columns = [str(c) for c in wide.columns]
    show_table(wide.rename(columns={"series": "Unaccompanied minors applying for asylum"}), "unaccompanied-minors",
               title=f"Unaccompanied minors applying for asylum, {NAME}", source=minors_source, floatfmt="{:,.0f}")

# %% [markdown]
# ## EU money
#
# Payments of the Asylum, Migration and Integration Fund (AMIF) and the European Structural and Investment
# Funds planned for thematic objective 9 (social inclusion, poverty and discrimination), per person.

# %% tags=["remove-input"]
money = pd.DataFrame({
    "Measure": [f"AMIF payments {amif['years']}, EUR per {amif['group']}",
                "ESIF 2014-2020 planned for thematic objective 9, EUR per resident"],
    NAME: [T(amif["value"], "{:,.0f}"), T(esif["value"], "{:,.0f}")],
    "EU-27": [T(amif["eu27"], "{:,.0f}"), T(esif["eu27"], "{:,.0f}")],
})
show_table(money, "eu-money", title=f"EU money for inclusion per person, {NAME} and the EU-27",
           source=source_line([("eu_budget_spending_2000_2023", "AMIF payments"), "esif_2014_2020_planned",
                               "eurostat_migr_pop1ctz", "worldbank_sp_pop_totl"]))
notes = [amif["opt_out"]] if amif["opt_out"] else []
if amif["group"] != "non-EU citizen":
    notes.append("Eurostat's citizenship extract in this edition counts all foreign citizens only, so AMIF is "
                 "divided by foreign citizens (EU and non-EU), not by non-EU citizens.")
if notes:
    show_list(notes, lead="Read with care")

# %% [markdown]
# ## The Partnership and Eurocities here

# %% tags=["remove-input"]
if members.empty:
    show_text(f"No member of the Partnership (Action Plan, Table 1) is based in {NAME}.")
else:
    show_table(members.rename(columns={"name": "Member", "type_label": "Type", "phases": "Phases"}), "members",
               title=f"Members of the Partnership based in {NAME}", source=source_line("action_plan", "Table 1"))
if cities.empty:
    show_text(f"No Eurocities member is based in {NAME}.")
else:
    show_list(cities["name"], lead=f"Eurocities members in {NAME} ({len(cities)})")

# %% tags=["remove-input"]
about_this_page({"country": NAME, "regional group": regional_group, "AMIF period": amif_period},
                sources=["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz", "worldbank_sp_pop_totl",
                         "eurostat_lfsa_ergan", "eurostat_lfsa_urgan", "eurostat_edat_lfs_9911", "eurostat_ilc_di15",
                         "eurostat_hlth_silc_24", "eurostat_lfst_r_lfur2gac",
                         "mipex_core_2007_2019", "mipex_eu_2020_2024", "ilga_rainbow_asylum",
                         "eurostat_migr_asyappctza", "uam_news_release_2017", "eu_budget_spending_2000_2023",
                         "esif_2014_2020_planned", "eurocities_members"])
