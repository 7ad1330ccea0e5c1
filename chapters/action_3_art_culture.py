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
year = 2022  # foreign-born and foreign-citizen shares by country (migr_pop3ctb, migr_pop1ctz)
composition_year = 2024  # women's share within groups (demo_poppcctb, demo_poppcctz)
mipex_year = 2023  # MIPEX strand scores
scheme = "quantiles"  # classification of the regional map

# %% tags=["remove-input"]
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common, culture
from inclusion_evidence.analysis.synthesis_views import long_matrix, relations_table, scope_matrix
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.facts import load_members
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.present import charts, figures, maps
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup
from inclusion_evidence.present.figures import glue_numbers, show_figure, show_markdown, show_table
from inclusion_evidence.present.synthesis_figures import gap_list, scope_matrix_figure

setup("action_3_art_culture")
parameters_note(year=year, composition_year=composition_year, mipex_year=mipex_year, scheme=scheme)

# %% [markdown]
# # Action 3: Art and culture for inclusion and against racism

# %% tags=["remove-input"]
at_a_glance(3)

# %% tags=["remove-input"]
s = load_synthesis("culture_inclusion")
matrix = scope_matrix(s)
kinds = s.rows.set_index("id")["kind"]
glue_numbers({
    "ch3_n_items": len(s.rows),
    "ch3_n_needs": int((kinds == "need").sum()),
    "ch3_n_approaches": int((kinds == "approach").sum()),
    "ch3_n_partners": len(s.columns),
    "ch3_n_cells": len(s.cells),
    "ch3_n_specific": int((s.cells["scope"] == "specific").sum()),
    "ch3_n_general": int((s.cells["scope"] == "general").sum()),
    "ch3_n_gaps": len(s.gaps),
})
partners_without = [lab for lab, n in (matrix > 0).sum(axis=0).items() if n == 0]
glue("ch3_n_partners_unlinked", len(partners_without), display=False)

# %% [markdown]
# ## What the Action Plan sets out
#
# The Action Plan frames this action as a scoping exercise: a study of what cultural institutions
# need in order to be inclusive and representative of diverse populations, and of what migrant
# and refugee communities need in order to take part in art and culture, followed by a follow-up
# action to be chosen in 2021 {cite:p}`actionplan2021`. It coordinates with the action on
# cultural services and social inclusion of the Partnership on Culture/Cultural Heritage
# {cite:p}`urbanagenda2020culture`.
#
# The synthesis below reads the action's text as a matrix: {glue:text}`ch3_n_items` needs,
# challenges and approaches ({glue:text}`ch3_n_needs` needs or challenges,
# {glue:text}`ch3_n_approaches` approaches) against the {glue:text}`ch3_n_partners` networks,
# programmes and bodies the text names. Of its {glue:text}`ch3_n_cells` stated relations,
# {glue:text}`ch3_n_specific` are specific and {glue:text}`ch3_n_general` follow only from the
# general scope of the scoping paper. {glue:text}`ch3_n_partners_unlinked` of the named partners
# are listed as potential stakeholders without any stated task: the empty columns of the matrix
# are a finding, not missing data.

# %% tags=["remove-input"]
fig = scope_matrix_figure(matrix, xlabel="Partner network, programme or body", figsize=(9.5, 7.8))
_ = show_figure(fig, "a3-synthesis-matrix", title="Needs, approaches and partners named in Action 3",
            source="Action Plan 2021-2022, Action 3 (synthesis file culture_inclusion.yml)",
            alt=("Matrix of the needs, challenges and approaches of Action 3 (rows) against the partner "
                 "networks and bodies the Action Plan names (columns); dark cells are relations stated "
                 "specifically, light cells relations that follow from the general scope of the scoping paper."),
            data=long_matrix(matrix, "strength"),
            caption="Strength 2: the text states the relation; 1: it follows from a general statement; 0: not stated.")

# %% tags=["remove-input"]
table = relations_table(s, {"item_label": "Need, challenge or approach", "partner_label": "Partner",
                            "relation": "Relation", "scope": "Scope", "source": "Source"})
_ = show_table(table, "a3-synthesis-relations", title="The relations behind the matrix, with their sources",
           source="Action Plan 2021-2022, Action 3 (synthesis file culture_inclusion.yml)")
show_markdown(gap_list(s, "What the text does not say."))

# %% tags=["remove-input"]
born, citizens = read_table("demo_poppcctb"), read_table("demo_poppcctz")
totals = pd.concat([culture.within_group_totals(born, "c_birth").assign(table="demo_poppcctb"),
                    culture.within_group_totals(citizens, "citizen").assign(table="demo_poppcctz")])
glue("ch3_n_total_rows", int(totals["rows"].sum()), display=False)
lo, hi = float(totals["min"].min()), float(totals["max"].max())
glue("ch3_total_rows_value", f"{lo:g}%" if lo == hi else f"between {lo:g}% and {hi:g}%", display=False)

shares = culture.foreign_population_shares(read_table("migr_pop3ctb"), read_table("migr_pop1ctz"),
                                      read_table("population_worldbank"), year)
top, low = shares.loc[shares["foreign_born_share"].idxmax()], shares.loc[shares["foreign_born_share"].idxmin()]
glue_numbers({
    "ch3_year": int(year),
    "ch3_n_share_countries": len(shares),
    "ch3_top_born_country": str(top["country"]),
    "ch3_top_born_share": float(top["foreign_born_share"]),
    "ch3_low_born_country": str(low["country"]),
    "ch3_low_born_share": float(low["foreign_born_share"]),
    "ch3_median_born_share": float(shares["foreign_born_share"].median()),
    "ch3_median_citizen_share": float(shares["foreign_citizen_share"].median()),
})
glue("ch3_n_citizen_above_born", int((shares["foreign_citizen_share"] > shares["foreign_born_share"]).sum()),
     display=False)

# %% [markdown]
# ## Whom cultural institutions serve: the foreign-born and foreign-citizen population
#
# The action starts from the observation that European societies have become more diverse and
# that this diversity should be reflected in what cultural institutions offer. The figure below
# gives the size of that population by country in {glue:text}`ch3_year`: foreign-born residents
# and residents without the country's citizenship, as a share of the total population, for
# {glue:text}`ch3_n_share_countries` countries. The foreign-born share ranges from
# {glue:text}`ch3_low_born_share:.1f`% in {glue:text}`ch3_low_born_country` to
# {glue:text}`ch3_top_born_share:.1f`% in {glue:text}`ch3_top_born_country` (median
# {glue:text}`ch3_median_born_share:.1f`%; foreign citizens: median
# {glue:text}`ch3_median_citizen_share:.1f`%). In {glue:text}`ch3_n_citizen_above_born` countries
# foreign citizens outnumber foreign-born residents: there, many people born in the country do not
# hold its citizenship. On the two concepts, see {ref}`caveat-citizenship`.
#
# ```{admonition} Why not demo_poppcctb / demo_poppcctz for these shares
# :class: note
#
# The catalogue's extracts of Eurostat `demo_poppcctb` and `demo_poppcctz` hold only the age
# total. Their percentages are shares *within* each country-of-birth or citizenship group (by
# sex): all {glue:text}`ch3_n_total_rows` sex-total rows are {glue:text}`ch3_total_rows_value`.
# They cannot give a
# group's share of the population. The shares here divide Eurostat's counts of foreign-born
# (`migr_pop3ctb`) and foreign-citizen (`migr_pop1ctz`) residents on 1 January by the World
# Bank's mid-year total population (`SP.POP.TOTL`): two publishers and two reference dates, so
# read them to about a tenth of a percentage point at best. What the Eurostat extracts do hold —
# the sex composition of each group — is shown further down.
# ```

# %% tags=["remove-input"]
plot = shares.assign(flag=(shares["flag_born"].fillna("") + shares["flag_citizens"].fillna("")))
fig = charts.dumbbell(plot, label="country", left="foreign_citizen_share", right="foreign_born_share",
                      left_name="Foreign citizens", right_name="Foreign-born", sort_by="foreign_born_share",
                      xlabel="% of total population")
_ = show_figure(fig, "a3-foreign-population-shares", title=f"Foreign-born and foreign-citizen residents, {year}",
            source=(f"Eurostat, migr_pop3ctb and migr_pop1ctz ({year}, 1 January); World Bank, "
                    f"SP.POP.TOTL ({year}, mid-year); shares computed for this book"),
            alt=(f"Dot chart of {len(shares)} European countries in {year}: for each, the share of foreign "
                 "citizens and the share of foreign-born residents in the total population, sorted by the "
                 "foreign-born share."),
            data=shares,
            caption=("Countries sorted by the foreign-born share. Eurostat flags (b break, e estimated, "
                     "p provisional) are kept in the CSV."))

# %% tags=["remove-input"]
comp_born = culture.sex_composition(born, "c_birth", composition_year, groups=("NAT", "FOR"))
comp_cit = culture.sex_composition(citizens, "citizen", composition_year, groups=("NAT", "NEU27_2020_FOR"))
glue("ch3_composition_year", int(composition_year), display=False)
cb = comp_born[comp_born["geo"] != "EU27_2020"]
cc = comp_cit[comp_cit["geo"] != "EU27_2020"]
glue_numbers({
    "ch3_n_comp": len(cb),
    "ch3_n_comp_women_more": int((cb["FOR"] > cb["NAT"]).sum()),
    "ch3_comp_for_min": float(cb["FOR"].min()),
    "ch3_comp_for_max": float(cb["FOR"].max()),
    "ch3_n_comp_cit": len(cc),
    "ch3_n_comp_cit_women_less": int((cc["NEU27_2020_FOR"] < cc["NAT"]).sum()),
})

# %% [markdown]
# What `demo_poppcctb` does tell is who the foreign-born are by sex. In
# {glue:text}`ch3_composition_year`, women make up between {glue:text}`ch3_comp_for_min:.1f`% and
# {glue:text}`ch3_comp_for_max:.1f`% of the foreign-born population of the
# {glue:text}`ch3_n_comp` countries shown (besides the EU-27), and a larger share than among the native-born in
# {glue:text}`ch3_n_comp_women_more` of them. Among citizens of non-EU countries
# (`demo_poppcctz`), women are a smaller share than among nationals in
# {glue:text}`ch3_n_comp_cit_women_less` of {glue:text}`ch3_n_comp_cit` countries (in the figure's CSV). The
# composition differs from country to country, which matters for outreach that treats migrants
# as one audience. The EU-27 row is Eurostat's aggregate.

# %% tags=["remove-input"]
fig = charts.dumbbell(comp_born, label="country", left="NAT", right="FOR", left_name="Native-born",
                      right_name="Foreign-born", sort_by="FOR", xlabel="Women, % of the group")
_ = show_figure(fig, "a3-women-share-by-birth", title=f"Women's share among native-born and foreign-born residents, {composition_year}",
            source=f"Eurostat, demo_poppcctb ({composition_year}, 1 January)",
            alt=(f"Dot chart of {len(cb)} countries and the EU-27: the percentage of women among native-born and "
                 f"among foreign-born residents in {composition_year}, sorted by the foreign-born value."),
            data=comp_born.merge(comp_cit.rename(columns={"NAT": "NAT_citizens", "NEU27_2020_FOR": "non_EU_citizens",
                                                          "flag_NAT": "flag_NAT_citizens",
                                                          "flag_NEU27_2020_FOR": "flag_non_EU_citizens"}),
                                 on=["geo", "country"], how="outer"),
            caption=("The CSV adds the same shares by citizenship (nationals and citizens of non-EU "
                     "countries, demo_poppcctz)."))

# %% tags=["remove-input"]
regional = read_table("regional_population_2023")
regions = read_table("nuts2024_level2")
gdf, unmatched_regions = culture.regional_share_map(regional, regions, "foreign_born_share")
mapped = gdf[gdf["foreign_born_share"].notna()]
framed = maps.mainland(mapped)
rmax, rmin = framed.loc[framed["foreign_born_share"].idxmax()], framed.loc[framed["foreign_born_share"].idxmin()]
glue_numbers({
    "ch3_n_regions": len(mapped),
    "ch3_n_region_rows": len(regional),
    "ch3_n_regions_nodata": int(regional["foreign_born_share"].isna().sum()),
    "ch3_reg_max_name": f"{rmax['region_name']} ({rmax['nuts_id']})",
    "ch3_reg_max_share": float(rmax["foreign_born_share"]),
    "ch3_reg_min_name": f"{rmin['region_name']} ({rmin['nuts_id']})",
    "ch3_reg_min_share": float(rmin["foreign_born_share"]),
    "ch3_reg_median": float(mapped["foreign_born_share"].median()),
})

# %% [markdown]
# ## Diversity is local: foreign-born residents by region
#
# National shares hide large differences between regions, which is where cities and their cultural
# institutions work. The map shows the foreign-born share of the population aged 15 and over in
# {glue:text}`ch3_n_regions` NUTS-2 regions in 2023, from a third-party compilation of Eurostat
# Labour Force Survey tables (`lfst_r_lfsd2pwc`), the *Europe-locals* project; the figures are
# taken from it as published, not recomputed. Within the mapped mainland, the share runs from
# {glue:text}`ch3_reg_min_share:.1f`% in {glue:text}`ch3_reg_min_name` to
# {glue:text}`ch3_reg_max_share:.1f`% in {glue:text}`ch3_reg_max_name` (median of all mapped
# regions {glue:text}`ch3_reg_median:.1f`%). {glue:text}`ch3_n_regions_nodata` of the
# compilation's {glue:text}`ch3_n_region_rows` regions have no foreign-born figure. The LFS counts
# cover people aged 15 and over in private households; the compiler notes that these shares are
# not comparable with all-age population totals. See {ref}`caveat-survey` and {ref}`caveat-nuts`.

# %% tags=["remove-input"]
fig = maps.choropleth(gdf, "foreign_born_share", scheme=scheme, k=5,
                      legend_title="Foreign-born, % of population 15+")
note = maps.left_out_note(mapped)
_ = show_figure(fig, "a3-regional-foreign-born", title="Foreign-born share of the population aged 15+ by NUTS-2 region, 2023",
            source=("Eurostat, lfst_r_lfsd2pwc (LFS, 2023), as compiled by the Europe-locals project "
                    "(third-party compilation); GISCO, NUTS 2024 (level 2)"),
            alt=(f"Choropleth map of Europe's NUTS-2 regions coloured by the foreign-born share of the "
                 f"population aged 15 and over in 2023; {len(mapped)} regions have a value, the others are "
                 "grey and hatched."),
            data=mapped[["nuts_id", "region_name", "parent", "year", "foreign_born_share"]].sort_values("nuts_id"),
            caption=("Grey hatched: no foreign-born figure in the compilation (it leaves out Switzerland and "
                     "the candidate countries of the Western Balkans; some regions of Bulgaria, Poland, Romania "
                     "and others have no figure). The United Kingdom is not drawn: the compilation gives its "
                     "regions in NUTS 2021 and without an LFS figure. " + note).strip())

# %% tags=["remove-input"]
eurocities = read_table("eurocities")
members = load_members()
matches = common.match_member_cities(members, eurocities)
points = culture.eurocities_points(eurocities, matches)
inside = culture.points_in_frame(points, maps.EUROPE_FRAME)
unmatched = matches.loc[~matches["matched"], "member"].tolist()
glue_numbers({
    "ch3_n_eurocities": len(eurocities),
    "ch3_n_ec_countries": int(eurocities["geo"].nunique()),
    "ch3_n_member_cities": len(matches),
    "ch3_n_matched": int(matches["matched"].sum()),
    "ch3_unmatched": ", ".join(unmatched) if unmatched else "none",
    "ch3_n_outside_frame": int((~inside).sum()),
})

# %% [markdown]
# ## The city networks the action works through
#
# Eurocities is both a member of the action group and, through its Working Group on cultural
# services and culture for inclusive cities, a potential partner. Its member list has
# {glue:text}`ch3_n_eurocities` cities in {glue:text}`ch3_n_ec_countries` countries. Of the
# Partnership's {glue:text}`ch3_n_member_cities` member cities, {glue:text}`ch3_n_matched` appear
# in it (matched by name and country); not found: {glue:text}`ch3_unmatched`. The list and its
# coordinates come from a third-party copy of the Eurocities website enriched with Wikidata;
# metropolitan members are placed at their core city.

# %% tags=["remove-input"]
fig = maps.points_map(points[inside], background=read_table("nuts2021_level0"), hue="group",
                      labels={"1_other": "Eurocities member",
                              "2_member": "Eurocities member and Partnership member city"}, size=14)
outside_note = (f" {int((~inside).sum())} member(s) outside the frame are not shown: "
                + ", ".join(points.loc[~inside, "name"]) + ".") if (~inside).any() else ""
_ = show_figure(fig, "a3-eurocities-map", title="Eurocities members and the Partnership's member cities",
            source=("Eurocities member list (eurocities.eu, copied by the city-vote project, 2025) with "
                    "Wikidata coordinates; Action Plan 2021-2022, Table 1; GISCO, NUTS 2021 (level 0)"),
            alt=(f"Map of Europe with {int(inside.sum())} Eurocities member cities as dots; the "
                 f"{int(matches['matched'].sum())} that are also Partnership member cities are in a second colour."),
            data=points,
            caption=(f"Partnership member cities not in the Eurocities list: {', '.join(unmatched) or 'none'}."
                     + outside_note))

# %% tags=["remove-input"]
mipex = common.mipex_strands_wide(read_table("mipex_strands"), ["anti_discrimination", "political_participation"],
                              mipex_year)
glue_numbers({
    "ch3_mipex_year": int(mipex_year),
    "ch3_n_mipex": len(mipex),
    "ch3_ad_median": float(mipex["anti_discrimination"].median()),
    "ch3_pp_median": float(mipex["political_participation"].median()),
    "ch3_n_pp_below_50": int((mipex["political_participation"] < 50).sum()),
    "ch3_n_ad_100": int((mipex["anti_discrimination"] == 100).sum()),
})

# %% [markdown]
# ## Policy context: anti-discrimination and political participation
#
# The action's aim of fighting racism and of bringing migrant-led organisations into cultural
# policy meets two strands of the Migrant Integration Policy Index (MIPEX)
# {cite:p}`solano2020mipex`: anti-discrimination law and policy, and migrants' political
# participation (voting rights, consultative bodies, support for migrant organisations). In
# {glue:text}`ch3_mipex_year`, across {glue:text}`ch3_n_mipex` EU Member States, the median
# anti-discrimination score is {glue:text}`ch3_ad_median:.1f` out of 100 (the maximum in
# {glue:text}`ch3_n_ad_100` states), while the median political-participation score is
# {glue:text}`ch3_pp_median:.1f`; {glue:text}`ch3_n_pp_below_50` states score below 50. These are
# scores of laws and policies, not of outcomes; see {ref}`caveat-policy`.

# %% tags=["remove-input"]
leads = {common.name_of(g) for g in ("IE", "NL", "DE", "BE")}
fig = charts.labelled_scatter(mipex, x="anti_discrimination", y="political_participation", label="country",
                              xlabel="Anti-discrimination (MIPEX score, 0-100)",
                              ylabel="Political participation (MIPEX score, 0-100)", highlight=leads,
                              merge_close_labels=True, zero_line=False, limits=(-5, 108), figsize=(7.5, 6.0))
_ = show_figure(fig, "a3-mipex-strands", title=f"MIPEX anti-discrimination and political participation, {mipex_year}",
            source=f"MIPEX (CIDOB and MPG), EU policy indicator scores, strand averages ({mipex_year})",
            alt=(f"Scatter plot of {len(mipex)} EU Member States: anti-discrimination score on the horizontal "
                 "axis, political-participation score on the vertical axis, each point labelled with the country."),
            data=mipex,
            caption=("Orange: countries of the action's leader (Ireland) and of its member governments and "
                     "cities (Belgium, Germany, the Netherlands). Neighbouring points with similar scores share "
                     "one label, listed left to right; exact scores are in the CSV."))

# %% tags=["remove-input"]
participation = culture.culture_participation(read_table("ilc_scp_culture"))
glue("ch3_culture_present", "yes" if len(participation) else "no", display=False)

# %% [markdown]
# ## Cultural participation by citizenship
#
# Whether migrants take part in cultural life as often as nationals is the question the scoping
# study was to explore. Eurostat measures it in the EU-SILC ad-hoc modules on cultural
# participation, broken down by citizenship; see {ref}`caveat-survey`.

# %% tags=["remove-input"]
if participation.empty:
    figures.missing_evidence_note("cultural participation by citizenship (EU-SILC)", ["eurostat_ilc_scp_culture"])
else:
    latest = int(participation["time"].max())
    item = sorted(participation["item"].unique())[0]
    part = participation[(participation["time"] == latest) & (participation["item"] == item)]
    fig = charts.dumbbell(part, label="country", left="foreign", right="nationals", left_name="Foreign citizens",
                          right_name="Nationals", flag="flag", xlabel="% of people aged 16+")
    _ = show_figure(fig, "a3-culture-participation", title=f"Participation in cultural activities by citizenship, {latest}",
                source=f"Eurostat, ilc_scp_culture (EU-SILC, {latest})",
                alt=(f"Dot chart of {len(part)} countries: the share of nationals and of foreign citizens "
                     f"taking part in cultural activities ({item}) in {latest}."),
                data=part, caption=f"Item: {item}. '(u)': low reliability.")

# %% tags=["remove-cell", "nbval-check-output"]
print("synthesis:", len(s.rows), "x", len(s.columns), "cells", len(s.cells))
print("shares", year, len(shares), top["geo"], round(float(top["foreign_born_share"]), 1),
      low["geo"], round(float(low["foreign_born_share"]), 1))
print("composition", composition_year, len(comp_born), len(comp_cit))
print("regions mapped:", len(mapped), "unmatched codes:", unmatched_regions)
print("eurocities:", len(eurocities), "matched:", int(matches["matched"].sum()), "unmatched:", unmatched)
print("mipex", mipex_year, len(mipex), round(float(mipex["anti_discrimination"].median()), 1),
      round(float(mipex["political_participation"].median()), 1))
print("culture participation rows:", len(participation))
