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
year = 2022  # foreign-born and foreign-citizen shares by country (migr_pop3ctb, migr_pop1ctz)
composition_year = 2024  # women's share within groups (demo_poppcctb, demo_poppcctz)
mipex_year = 2023  # MIPEX political participation strand

# %% tags=["remove-input"]
from myst_nb import glue

from inclusion_evidence.analysis import common, culture
from inclusion_evidence.analysis.synthesis_views import (
    BY_KIND_AND_ROLE,
    NAMED_KIND_LABELS,
    named_in_plan,
    scope_matrix,
    stated_relations,
)
from inclusion_evidence.core.flags import headline_extreme
from inclusion_evidence.core.geo_codes import EU27
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.facts import load_members
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.present import charts, escape, figures, maps
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup
from inclusion_evidence.present.figures import glue_numbers, raise_small_text, show_figure, show_table, source_line
from inclusion_evidence.present.findings import Finding, Value, show_key_findings
from inclusion_evidence.present.synthesis_figures import show_ties

_ = setup("action_3_art_culture")

# %% [markdown]
# # Action 3: Art and culture for inclusion and against racism

# %% tags=["remove-input"]
shares = culture.foreign_population_shares(read_table("migr_pop3ctb"), read_table("migr_pop1ctz"),
                                           read_table("population_worldbank"), year)
eu_shares = shares[shares["geo"].isin(EU27)]
eu_born = culture.population_total_share(shares, EU27, "foreign_born")
eu_cit = culture.population_total_share(shares, EU27, "foreign_citizens")
born_low = headline_extreme(eu_shares, "foreign_born_share", "flag_born", how="min")
born_high = headline_extreme(eu_shares, "foreign_born_share", "flag_born", how="max")
born, citizens = read_table("demo_poppcctb"), read_table("demo_poppcctz")
comp_born = culture.sex_composition(born, "c_birth", composition_year, groups=("NAT", "FOR"))
comp_cit = culture.sex_composition(citizens, "citizen", composition_year, groups=("NAT", "NEU27_2020_FOR"))
eu_comp_born = comp_born.set_index("geo").reindex(["EU27_2020"]).iloc[0]
eu_comp_cit = comp_cit.set_index("geo").reindex(["EU27_2020"]).iloc[0]
women_low = headline_extreme(comp_born[comp_born["geo"].isin(EU27)], "FOR", "flag_FOR", how="min")
women_high = headline_extreme(comp_born[comp_born["geo"].isin(EU27)], "FOR", "flag_FOR", how="max")
mipex = common.mipex_strands_wide(read_table("mipex_strands"), ["political_participation"], mipex_year)
edition = common.mipex_edition(mipex_year)
participation = culture.culture_participation(read_table("ilc_scp_culture"))
members = load_members()
eurocities = read_table("eurocities")
matches = common.match_member_cities(members, eurocities)
glue_numbers({
    "ch3_year": int(year),
    "ch3_eu_born_share": eu_born["share"],
    "ch3_eu_citizen_share": eu_cit["share"],
    "ch3_eu_n": eu_born["n"],
    "ch3_low_born_country": str(born_low.reliable["country"]),
    "ch3_low_born_share": float(born_low.reliable["foreign_born_share"]),
    "ch3_top_born_country": str(born_high.reliable["country"]),
    "ch3_top_born_share": float(born_high.reliable["foreign_born_share"]),
    "ch3_median_born_share": float(eu_shares["foreign_born_share"].median()),
    "ch3_median_citizen_share": float(eu_shares["foreign_citizen_share"].median()),
    "ch3_n_citizen_above_born": int((eu_shares["foreign_citizen_share"] > eu_shares["foreign_born_share"]).sum()),
    "ch3_composition_year": int(composition_year),
    "ch3_eu_women_for": float(eu_comp_born["FOR"]),
    "ch3_eu_women_nat": float(eu_comp_born["NAT"]),
    "ch3_eu_women_neu": float(eu_comp_cit["NEU27_2020_FOR"]),
    "ch3_eu_women_natcit": float(eu_comp_cit["NAT"]),
    "ch3_women_for_low": f"{women_low.reliable['FOR']:.1f}% in {women_low.reliable['country']}",
    "ch3_women_for_high": f"{women_high.reliable['FOR']:.1f}% in {women_high.reliable['country']}",
    "ch3_mipex_year": int(mipex_year),
    "ch3_mipex_edition": edition["name"],
    "ch3_n_mipex": len(mipex),
    "ch3_pp_median": float(mipex["political_participation"].median()),
    "ch3_n_pp_below_50": int((mipex["political_participation"] < 50).sum()),
    "ch3_n_member_cities": len(matches),
    "ch3_n_matched": int(matches["matched"].sum()),
})

# %% tags=["remove-input"]
eu_part = participation[participation["geo"] == "EU27_2020"] if len(participation) else participation
pct = "{:.1f}%"
coverage = "" if eu_born["n"] == eu_born["of"] else f" ({eu_born['n']} of the {eu_born['of']} member states with data)"
findings = [
    Finding("ch3_key_population",
            "On 1 January {year}, {born} of the EU-27's population had been born in another country (in another "
            "member state or outside the EU) and {citizens} were citizens of another country" + coverage + ".",
            {"born": Value(eu_born["share"], pct), "citizens": Value(eu_cit["share"], pct)},
            source=source_line(["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz", "worldbank_sp_pop_totl"],
                               "shares of the mid-year population"),
            year=year),
    Finding("ch3_key_range",
            "Among the 27 member states, the foreign-born share of the population ranged from {low} in {low_country} "
            "to {high} in {high_country} (median {median}).",
            {"low": Value(born_low.reliable["foreign_born_share"], pct, born_low.reliable["flag_born"]),
             "low_country": born_low.reliable["country"],
             "high": Value(born_high.reliable["foreign_born_share"], pct, born_high.reliable["flag_born"]),
             "high_country": born_high.reliable["country"],
             "median": Value(eu_shares["foreign_born_share"].median(), pct)},
            source=source_line(["eurostat_migr_pop3ctb", "worldbank_sp_pop_totl"]), year=year),
    Finding("ch3_key_women",
            "Women were {women_for} of the EU-27's foreign-born residents and {women_nat} of its native-born ones; "
            "among citizens of non-EU countries they were {women_neu}, against {women_natcit} of nationals; across "
            "member states, women's share of the foreign-born ranged from {women_low} in {low_country} to "
            "{women_high} in {high_country}.",
            {"women_for": Value(eu_comp_born["FOR"], pct, eu_comp_born["flag_FOR"]),
             "women_nat": Value(eu_comp_born["NAT"], pct, eu_comp_born["flag_NAT"]),
             "women_neu": Value(eu_comp_cit["NEU27_2020_FOR"], pct, eu_comp_cit["flag_NEU27_2020_FOR"]),
             "women_natcit": Value(eu_comp_cit["NAT"], pct, eu_comp_cit["flag_NAT"]),
             "women_low": Value(women_low.reliable["FOR"], pct, women_low.reliable["flag_FOR"]),
             "low_country": women_low.reliable["country"],
             "women_high": Value(women_high.reliable["FOR"], pct, women_high.reliable["flag_FOR"]),
             "high_country": women_high.reliable["country"]},
            source=source_line(["eurostat_demo_poppcctb", "eurostat_demo_poppcctz"], "1 January"), year=composition_year),
    Finding("ch3_key_political_participation",
            "The median MIPEX score of the {n} member states for migrants' political participation (voting rights, "
            "consultative bodies, support for migrant organisations) was {median} out of 100, and {below} scored "
            "below 50.",
            {"n": len(mipex), "median": Value(mipex["political_participation"].median(), "{:.1f}"),
             "below": int((mipex["political_participation"] < 50).sum())},
            source=source_line(edition["source_id"]), year=mipex_year),
    Finding("ch3_key_eurocities",
            "{matched} of the Partnership's {cities} member cities belong to Eurocities, whose working group on "
            "culture the Action Plan names as a potential partner.",
            {"matched": int(matches["matched"].sum()), "cities": len(matches)},
            source=source_line(["eurocities_members", "action_plan"], "Table 1"), scope="Partnership member cities", year=2025),
    Finding("ch3_key_cultural_participation",
            "In {year}, {foreign} of foreign citizens aged 16 and over in the EU-27 took part in cultural activities "
            "({item}), against {nationals} of nationals.",
            {} if eu_part.empty else {"foreign": Value(eu_part["foreign"].iloc[-1], pct, eu_part["flag"].iloc[-1]),
                                      "nationals": Value(eu_part["nationals"].iloc[-1], pct),
                                      "item": eu_part["item"].iloc[-1]},
            source=source_line("eurostat_ilc_scp_culture", "EU-SILC"), year=None if eu_part.empty else int(eu_part["time"].max()),
            missing=("whether migrants take part in cultural life as often as nationals cannot be shown here: "
                     "Eurostat's cultural participation by citizenship (EU-SILC ad-hoc module) is not in this "
                     "edition's data") if eu_part.empty else None),
]
meaning = [
    "Action 3 is to support migrant and minority populations' access to and participation in arts and culture, "
    "and to use art and culture for social inclusion and cohesion (Action Plan, Action 3). The plan sets it no "
    "expected outcomes: its steps are a scoping paper on what cultural institutions and migrant communities need "
    "(2021) and a follow-up action to be chosen from it.",
    "The numbers above describe the audience such work is for: how many residents were born or are citizens "
    "elsewhere, and how much that population differs in size and make-up from one member state to another, so "
    "that outreach cannot treat migrants as one audience. They do not show whether migrants take part in "
    "cultural life less than nationals, nor which approaches work: the first needs the EU-SILC data by "
    "citizenship, the second is what the scoping paper was to collect. MIPEX scores laws and policies, not "
    "participation itself.",
]
_ = show_key_findings(findings, meaning)

# %% tags=["remove-input"]
at_a_glance(3)

# %% tags=["remove-input"]
s = load_synthesis("culture_inclusion")
named = named_in_plan(s, group_by=BY_KIND_AND_ROLE, labels=NAMED_KIND_LABELS, by_section=True)
relations = stated_relations(s, "specific")
general = stated_relations(s, "general")
kinds = s.rows.set_index("id")["kind"]
glue_numbers({
    "ch3_n_needs": int((kinds == "need").sum()),
    "ch3_n_approaches": int((kinds == "approach").sum()),
    "ch3_n_partners": len(s.columns),
    "ch3_n_specific": int((s.cells["scope"] == "specific").sum()),
    "ch3_n_general": int((s.cells["scope"] == "general").sum()),
})
matrix = scope_matrix(s)
glue("ch3_n_partners_unlinked", int(((matrix > 0).sum(axis=0) == 0).sum()), display=False)

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
# {numref}`tbl-action_3_art_culture-a3-named-in-plan` lists what the action's text names: the
# {glue:text}`ch3_n_needs` needs or challenges the scoping study is to explore, the
# {glue:text}`ch3_n_approaches` approaches it mentions, and the {glue:text}`ch3_n_partners`
# networks, programmes and bodies it names, each with the Action Plan's own words. The text ties
# them together in {glue:text}`ch3_n_specific` places, listed below the table;
# {glue:text}`ch3_n_general` further links follow only from the general scope of the scoping paper,
# and {glue:text}`ch3_n_partners_unlinked` of the named partners are listed without any stated task.

# %% tags=["remove-input"]
table = named.rename(columns={"dimension": "Named in Action 3", "n": "Number", "items": "Items",
                              "quotes": "In the Action Plan's words", "sections": "Section"})
show_table(table[["Named in Action 3", "In the Action Plan's words", "Section"]], "a3-named-in-plan", title="What Action 3 names: needs, approaches and partners, with their quotes",
           source=source_line("action_plan", "Action 3 (pp. 20-21)"))
show_ties(s, relations, matrix, "a3-synthesis-matrix",
          general_from="the scoping paper's general remit "
                       f"(“{escape.text(general['quote'].iloc[0]) if len(general) else ''}”)",
          matrix_of="needs and approaches against partners")

# %% [markdown]
# ## Whom cultural institutions serve: the foreign-born and foreign-citizen population
#
# The action starts from the observation that European societies have become more diverse and
# that this diversity should be reflected in what cultural institutions offer.
# {numref}`fig-action_3_art_culture-a3-foreign-population-shares` gives the size of that
# population in each member state in {glue:text}`ch3_year`: residents born in another country, and
# residents without the citizenship of the country they live in, as a share of the total
# population. Across the EU-27 the shares are {glue:text}`ch3_eu_born_share:.1f`% and
# {glue:text}`ch3_eu_citizen_share:.1f`%. Among the member states the foreign-born share ranges from
# {glue:text}`ch3_low_born_share:.1f`% in {glue:text}`ch3_low_born_country` to
# {glue:text}`ch3_top_born_share:.1f`% in {glue:text}`ch3_top_born_country` (median
# {glue:text}`ch3_median_born_share:.1f`%; foreign citizens: median
# {glue:text}`ch3_median_citizen_share:.1f`%). In {glue:text}`ch3_n_citizen_above_born` member
# states foreign citizens outnumber foreign-born residents: there, many people born in the country
# do not hold its citizenship. European countries outside the EU are shown below the member
# states as context. On the two concepts, see {ref}`caveat-citizenship`.
#
# ```{admonition} How these shares are computed
# :class: note
#
# Eurostat publishes the number of foreign-born residents (`migr_pop3ctb`) and of foreign
# citizens (`migr_pop1ctz`) on 1 January. The shares here divide them by the World Bank's mid-year
# total population (`SP.POP.TOTL`); the EU-27 share divides the sum of the member states' counts
# by the sum of their populations. Two publishers and two reference dates: read the shares to about
# a tenth of a percentage point at best. Eurostat's `demo_poppcctb` and `demo_poppcctz` extracts
# cannot give these shares: their percentages are shares *within* each group. What they do hold,
# the sex composition of each group, is shown further down.
# ```

# %% tags=["remove-input"]
plot = culture.scope_split(shares.assign(flag=shares["flag_born"].fillna("") + shares["flag_citizens"].fillna("")))
fig = charts.dumbbell_with_context(plot.assign(context=plot["scope"] != "EU-27 member states"), label="country",
                                   left="foreign_citizen_share", right="foreign_born_share",
                                   left_name="Foreign citizens", right_name="Foreign-born",
                                   sort_by="foreign_born_share", xlabel="% of total population", context="context",
                                   flag="flag")
raise_small_text(fig)
_ = show_figure(fig, "a3-foreign-population-shares",
                title=f"Foreign-born and foreign citizens, % of population, EU-27, {year}",
                source=source_line(["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz", "worldbank_sp_pop_totl"],
                                   f"residents on 1 January {year} over the mid-year population; shares computed "
                                   "for this book"),
                alt=(f"Dot chart of the {len(eu_shares)} EU member states in {year}, and below them "
                     f"{len(plot) - len(eu_shares)} other European countries as context: for each, the share of foreign "
                     "citizens and the share of foreign-born residents in the total population, sorted by the "
                     "foreign-born share."),
                data=plot,
                caption=("Member states sorted by the foreign-born share; below the dashed rule, other European "
                         "countries as context. Eurostat flags (b break, e estimated, p provisional) are in the CSV; "
                         "no value is flagged of low reliability (u)." if not plot["flag"].str.contains("u").any() else
                         "Member states sorted by the foreign-born share; below the dashed rule, other European "
                         "countries as context. (u): low reliability."))

# %% [markdown]
# ## Not one audience: women among the foreign-born
#
# What `demo_poppcctb` does tell is who the foreign-born are by sex.
# {numref}`fig-action_3_art_culture-a3-women-share-by-birth` shows, for {glue:text}`ch3_composition_year`,
# women's share among foreign-born and among native-born residents of each member state. Across the
# EU-27, women were {glue:text}`ch3_eu_women_for:.1f`% of the foreign-born and
# {glue:text}`ch3_eu_women_nat:.1f`% of the native-born; among citizens of non-EU countries they were
# {glue:text}`ch3_eu_women_neu:.1f`%, against {glue:text}`ch3_eu_women_natcit:.1f`% of nationals
# (`demo_poppcctz`, in the figure's CSV). The EU-wide balance hides differences between member
# states: women's share of the foreign-born ranges from {glue:text}`ch3_women_for_low` to
# {glue:text}`ch3_women_for_high`, which matters for outreach that treats migrants as one audience.

# %% tags=["remove-input"]
comp_plot = culture.scope_split(comp_born)
fig = charts.dumbbell_with_context(comp_plot.assign(context=comp_plot["scope"] != "EU-27 member states"),
                                   label="country", left="NAT", right="FOR", left_name="Native-born",
                                   right_name="Foreign-born", sort_by="FOR", xlabel="Women, % of the group",
                                   context="context", flag="flag_FOR")
raise_small_text(fig)
_ = show_figure(fig, "a3-women-share-by-birth",
                title=f"Women, % of native-born and of foreign-born residents, EU-27, {composition_year}",
                source=source_line("eurostat_demo_poppcctb", f"1 January {composition_year}"),
                alt=(f"Dot chart of the EU-27 and its member states, with other European countries below as context: "
                     f"the percentage of women among native-born and among foreign-born residents in {composition_year}, "
                     "sorted by the foreign-born value."),
                data=comp_plot.merge(comp_cit.rename(columns={"NAT": "NAT_citizens", "NEU27_2020_FOR": "non_EU_citizens",
                                                              "flag_NAT": "flag_NAT_citizens",
                                                              "flag_NEU27_2020_FOR": "flag_non_EU_citizens"}),
                                     on=["geo", "country"], how="left"),
                caption=("EU-27 is Eurostat's aggregate. Below the dashed rule, other European countries as context. "
                         "The CSV adds the same shares by citizenship (nationals and citizens of non-EU countries, "
                         "demo_poppcctz)."))

# %% [markdown]
# ## Diversity is local
#
# National shares hide large differences between regions, which is where cities and their
# cultural institutions work. The regional picture, the foreign-born share of the population by
# NUTS-2 region, is mapped once in this book, in the chapter on evidence-based policymaking:
# see {numref}`fig-action_5_evidence_policymaking-map-foreign-born-share`.

# %% tags=["remove-input"]
background = read_table("nuts2021_level0")
points = culture.eurocities_points(eurocities, matches)
shown = culture.points_on_map(points, maps.EUROPE_FRAME, background["nuts_id"])
unmatched = matches.loc[~matches["matched"], "member"].tolist()
not_shown = points.loc[~shown].assign(country=lambda d: d["geo"].map(common.name_of))
glue_numbers({
    "ch3_n_eurocities": len(eurocities),
    "ch3_n_ec_countries": int(eurocities["geo"].nunique()),
    "ch3_n_not_shown": int((~shown).sum()),
})
glue("ch3_unmatched_sentence",
     ("Member cities not in it: " + ", ".join(unmatched) + ".") if unmatched else
     "Every member city is in it.", display=False)

# %% [markdown]
# ## The city networks the action works through
#
# Eurocities is both a member of the action group (with {term}`URBACT`) and, through its Working Group on cultural
# services and culture for inclusive cities, a potential partner. Its member list has
# {glue:text}`ch3_n_eurocities` cities in {glue:text}`ch3_n_ec_countries` countries. Of the
# Partnership's {glue:text}`ch3_n_member_cities` member cities, {glue:text}`ch3_n_matched` appear
# in it (matched by name and country). {glue:text}`ch3_unmatched_sentence` The list and its
# coordinates come from a third-party copy of the Eurocities website enriched with Wikidata;
# metropolitan members are placed at their core city.
# {numref}`fig-action_3_art_culture-a3-eurocities-map` maps them; {glue:text}`ch3_n_not_shown` member
# cities lie outside the mapped frame or in countries the map does not draw and are named under it.

# %% tags=["remove-input"]
fig = maps.points_map(points[shown], background=background, hue="group",
                      labels={"1_other": "Eurocities member",
                              "2_member": "Also a Partnership member city"}, size=16)
ax = fig.axes[0]
ax.legend(loc="upper right", fontsize=9, frameon=True)  # the upper left is Iceland
raise_small_text(fig)
outside_note = (" Not drawn (outside the frame, or in a country the map does not draw): "
                + ", ".join(f"{r.name} ({r.country})" for r in not_shown.itertuples()) + ".") if len(not_shown) else ""
_ = show_figure(fig, "a3-eurocities-map", title="Eurocities member cities and the Partnership's member cities",
                source=source_line(["eurocities_members", ("action_plan", "Table 1"),
                                    ("gisco_nuts2021_60m_levl0", "level 0")]),
                alt=(f"Map of Europe with {int(shown.sum())} Eurocities member cities as dots; the "
                     f"{int(matches['matched'].sum())} that are also Partnership member cities are in a second colour."),
                data=points.assign(on_map=shown),
                caption=(("Partnership member cities not in the Eurocities list: " + ", ".join(unmatched) + "."
                          if unmatched else "") + outside_note).strip() or "All cities are drawn.")

# %% [markdown]
# ## Policy context: migrants' political participation
#
# The action's aim of bringing migrant-led organisations into cultural policy meets the political
# participation strand of the Migrant Integration Policy Index ({term}`MIPEX`) {cite:p}`solano2020mipex`:
# voting rights, consultative bodies and support for migrant organisations.
# {numref}`fig-action_3_art_culture-a3-mipex-political-participation` shows the
# {glue:text}`ch3_n_mipex` member states' scores in {glue:text}`ch3_mipex_year`, from the
# {glue:text}`ch3_mipex_edition` edition: the median is {glue:text}`ch3_pp_median:.1f` out of 100,
# and {glue:text}`ch3_n_pp_below_50` states score below 50. The action's other concern, fighting
# racism, meets MIPEX's anti-discrimination strand, shown once, in the chapter on LGBTQI+ migrants:
# {numref}`fig-action_4_lgbtqi-a4-mipex-anti-discrimination`. These are scores of laws and
# policies, not of outcomes; see {ref}`caveat-policy`.

# %% tags=["remove-input"]
leads = {common.name_of(g) for g in ("IE", "NL", "DE", "BE")}
fig = charts.ranked_bars(mipex, label="country", value="political_participation", highlight=leads,
                         xlabel="MIPEX political participation score (0-100)", value_format="{:.0f}")
raise_small_text(fig)
_ = show_figure(fig, "a3-mipex-political-participation",
                title=f"MIPEX political participation score, EU-27 member states, {mipex_year}",
                source=source_line(edition["source_id"], f"political participation strand average, {mipex_year}"),
                alt=(f"Horizontal bar chart of the MIPEX political participation score of {len(mipex)} EU member "
                     f"states in {mipex_year}, sorted."),
                data=mipex.assign(edition=edition["name"]),
                caption=("Orange: countries of the action's leader (Ireland) and of its member governments and "
                         "cities (Belgium, Germany, the Netherlands). Scores from the MIPEX edition that covers the "
                         "year; the 2007-2019 core edition and the 2020-2024 EU update use different indicator sets."))

# %% [markdown]
# ## Cultural participation by citizenship
#
# Whether migrants take part in cultural life as often as nationals is the question the scoping
# study was to explore. Eurostat measures it in the {term}`EU-SILC` ad-hoc modules on cultural
# participation, broken down by citizenship; see {ref}`caveat-survey`.

# %% tags=["remove-input"]
if participation.empty:
    figures.missing_evidence_note("cultural participation by citizenship (EU-SILC)", ["eurostat_ilc_scp_culture"])
else:
    latest = int(participation["time"].max())
    item = sorted(participation["item"].unique())[0]
    part = culture.scope_split(participation[(participation["time"] == latest) & (participation["item"] == item)])
    fig = charts.dumbbell_with_context(part.assign(context=part["scope"] != "EU-27 member states"), label="country",
                                       left="foreign", right="nationals", left_name="Foreign citizens",
                                       right_name="Nationals", flag="flag", xlabel="% of people aged 16+",
                                       context="context")
    raise_small_text(fig)
    _ = show_figure(fig, "a3-culture-participation",
                    title=f"Participation in cultural activities, foreign citizens and nationals aged 16+, EU-27, {latest}",
                    source=source_line("eurostat_ilc_scp_culture", f"EU-SILC, {latest}"),
                    alt=(f"Dot chart of {len(part)} countries: the share of nationals and of foreign citizens "
                         f"taking part in cultural activities ({item}) in {latest}."),
                    data=part, caption=f"Item: {item}. (u): low reliability.")

# %% tags=["remove-input"]
about_this_page({"year": year, "composition_year": composition_year, "mipex_year": mipex_year},
                sources=["eurostat_migr_pop3ctb", "eurostat_migr_pop1ctz", "worldbank_sp_pop_totl",
                         "eurostat_demo_poppcctb", "eurostat_demo_poppcctz", edition["source_id"],
                         "eurocities_members", "gisco_nuts2021_60m_levl0", "eurostat_ilc_scp_culture"])

# %% tags=["remove-cell", "nbval-check-output"]
print("named in plan:", len(named), "groups;", "stated relations", len(relations), "general", len(general))
print("shares", year, len(shares), "EU-27", round(eu_born["share"], 1), round(eu_cit["share"], 1), eu_born["n"],
      born_low.reliable["geo"], round(float(born_low.reliable["foreign_born_share"]), 1),
      born_high.reliable["geo"], round(float(born_high.reliable["foreign_born_share"]), 1))
print("composition", composition_year, len(comp_born), len(comp_cit), round(float(eu_comp_born["FOR"]), 1))
print("eurocities:", len(eurocities), "matched:", int(matches["matched"].sum()), "not drawn:", int((~shown).sum()))
print("mipex", mipex_year, edition["name"], len(mipex), round(float(mipex["political_participation"].median()), 1))
print("culture participation rows:", len(participation))
