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
programming_period = "2014-2020"  # budget years of the AMIF payments: 2007-2013 (SOLID), 2014-2020, 2021-2027
fund = "ALL"  # ESIF fund for the country shares: ALL, ERDF, ESF, YEI, CF, EAFRD, EMFF
thematic_objectives = ["09", "08", "10"]  # ESIF thematic objectives shown apart
normalisation = "per_foreign_born"  # per_foreign_born, per_capita or none

# %% tags=["remove-input"]
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common, funding
from inclusion_evidence.analysis.synthesis_views import short_label
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import at_a_glance, parameters_note, setup
from inclusion_evidence.present.charts import matrix_heatmap, ranked_bars
from inclusion_evidence.present.figures import PALETTE, glue_numbers, missing_evidence_note, show_figure, show_table
from inclusion_evidence.present.synthesis_figures import scope_word_heatmap

setup("action_6_financial_instruments")
parameters_note(programming_period=programming_period, fund=fund, thematic_objectives=thematic_objectives,
                normalisation=normalisation)
objectives = [str(o).zfill(2) for o in thematic_objectives]
landscape = load_synthesis("financial_landscape")
esif = read_table("esif_planned")
budget = read_table("eu_budget_migration")
denom = funding.denominators(normalisation, foreign_born=read_table("migr_pop3ctb"),
                        population=read_table("population_worldbank"))
amif_plan = read_table("amif_2021_2027_planned")
countries0 = read_table("nuts2021_level0")
unit = funding.NORMALISATION_UNITS[normalisation]
DENOM_SOURCE = {"per_foreign_born": "; denominator: Eurostat, migr_pop3ctb (foreign-born residents on 1 January, 2010-2022)",
                "per_capita": "; denominator: World Bank, SP.POP.TOTL (2010-2022)", "none": ""}[normalisation]
ESIF_SOURCE = ("European Commission, DG REGIO Cohesion Open Data, ESIF 2014-2020 Finances Planned Details "
               "(snapshot 2019-04-11), EU amount")
BUDGET_SOURCE = "European Commission, DG BUDG, EU spending and revenue workbook (payments, sheets 2007-2024)"
PLAN_SOURCE = "Action Plan 2021, Action 6 (synthesis file financial_landscape)"

# %% [markdown]
# # Action 6: Financial instruments for inclusion by cities

# %% tags=["remove-input"]
at_a_glance(6)

# %% tags=["remove-input"]
matrix = funding.landscape_matrix(landscape)
actors = funding.actors_table(landscape)
activities = funding.activities_table(landscape)
n_actors_named = int((actors["Instruments named"] != "none named").sum())
glue_numbers({
    "ch6_n_instruments": int(len(landscape.rows)),
    "ch6_n_fields": int(len(landscape.columns)),
    "ch6_n_funds": int(len(landscape.layers)),
    "ch6_n_actors": int(len(actors)),
    "ch6_n_actors_named": n_actors_named,
    "ch6_n_actors_unnamed": int(len(actors)) - n_actors_named,
    "ch6_n_activities": int(len(activities)),
})
specific = landscape.cells[landscape.cells["scope"] == "specific"]
glue("ch6_n_specific", int(len(specific)), display=False)
glue("ch6_specific_pairs", "; ".join(
    f"{short_label(landscape.label('rows', c['row']))} under "
    f"{short_label(landscape.label('layers', c['layer']) or landscape.label('columns', c['column']))}"
    for _, c in specific.iterrows()), display=False)

# %% [markdown]
# ## What the plan proposes: a landscape, not a budget
#
# The action does not fund anything itself. It sets up an Action Group (DG HOME with the City of
# Amsterdam as co-chair, the European Investment Bank and the Council of Europe Development Bank)
# to raise awareness of financial instruments and build cities' capacity to use them
# {cite:p}`actionplan2021`. The plan names {glue:text}`ch6_n_instruments` instruments and forms of
# financial engineering, {glue:text}`ch6_n_fields` policy fields and {glue:text}`ch6_n_funds` EU funds
# or frameworks as the *scope* of the work. It does not say which instrument suits which field or
# fund: almost every link below follows from that general statement of scope. The links stated
# for a particular pair number {glue:text}`ch6_n_specific` ({glue:text}`ch6_specific_pairs`, through
# the "EU migration blending facility"). The matrix and the diagram show this plainly, so that
# a reader does not mistake the scope for a plan of investments.

# %% tags=["remove-input"]
fig = scope_word_heatmap(matrix, xlabel="Policy field or EU fund named in the plan", ylabel="Instrument",
                         general_word="scope", figsize=(8.0, 4.6))
ax = fig.axes[0]
ax.axvline(len(landscape.columns) - 0.5, color="black", linewidth=1)
_ = show_figure(
    fig, "landscape-matrix",
    title="Financial instruments, policy fields and EU funds named in Action 6",
    source=PLAN_SOURCE,
    alt=("Heatmap with the eight instruments named in Action 6 as rows and the four policy fields and five "
         "EU funds as columns. Every cell reads 'scope' (a general statement) except blending under AMIF, "
         "which reads 'stated'."),
    data=matrix.reset_index(names="instrument"),
    caption=("'scope': the plan lists the instrument and the field or fund in the same general sentence on the "
             "scope of the action; 'stated': the plan names this pair specifically (2 in the CSV, 1 for "
             "scope). The plan's list of funds also contains 'EFRD', which is not in the synthesis (see its gaps)."))

# %% [markdown]
# The diagram reads from left to right: who provides finance, which instrument, through which EU
# fund. The Action Plan names an instrument for only {glue:text}`ch6_n_actors_named` of the
# {glue:text}`ch6_n_actors` actors it lists; for the other {glue:text}`ch6_n_actors_unnamed`
# (including the EIB, the CEB and the European Investment Fund) it names none, and the diagram
# leaves them unconnected rather than guess.

# %% tags=["remove-input"]
graph = funding.landscape_network(landscape)
fig = charts.layered_network(graph, column_titles=["Actor", "Instrument", "EU fund or framework"],
                           figsize=(8.5, 7.0))
edges = pd.DataFrame([{"from": graph.nodes[u]["label"], "to": graph.nodes[v]["label"], "link": d["strength"]}
                      for u, v, d in graph.edges(data=True)])
_ = show_figure(
    fig, "landscape-network",
    title="Who offers which instrument, through which EU fund",
    source=PLAN_SOURCE,
    alt=("Three-column diagram: actors on the left, instruments in the middle, EU funds on the right. "
         "Bold links join guarantee societies to guarantees, microfinance institutions and the EU Microfinance "
         "Network to micro-finance, crowd platforms to crowdfunding, risk capital operators and non-banking "
         "institutions to loans and equity, and blending to AMIF; thin grey links join every instrument to "
         "every fund."),
    data=edges,
    caption=("Bold: the plan states the link (for actors: the instrument is stated or is in the actor's name). "
             "Grey: the link follows only from the plan's general statement of scope. Grey dots: actors for "
             "whom the plan names no instrument."))

# %% [markdown]
# The actors and what the action will do, as the plan lists them:

# %% tags=["remove-input"]
_ = show_table(actors, "actors", title="Actors named in Action 6 and the instruments the text links to them",
           source=PLAN_SOURCE)
_ = show_table(activities, "activities",
           title="Activities of Action 6 and the instruments, funds, fields or actors they name",
           source=PLAN_SOURCE)

# %% tags=["remove-input"]
labels = funding.objective_labels(esif)
by_fund = funding.esif_fund_objective(esif, objectives)
wide = by_fund.pivot(index="fund", columns="objective", values="eur_bn").fillna(0.0)
wide = wide[[labels[o] for o in objectives if labels.get(o) in wide.columns]
            + ([funding.OTHER_OBJECTIVES] if funding.OTHER_OBJECTIVES in wide.columns else [])]
wide = wide.loc[wide.sum(axis=1).sort_values().index]
esif_total_bn = float(esif["eu_amount"].sum() / 1e9)
sel_bn = float(by_fund.loc[by_fund["to_code"] != "other", "eur_bn"].sum())
to09_bn = float(esif.loc[esif["to_code"] == "09", "eu_amount"].sum() / 1e9)
esf = by_fund[by_fund["fund"] == "ESF"]
glue_numbers({
    "ch6_esif_total_bn": esif_total_bn,
    "ch6_esif_selected_bn": sel_bn,
    "ch6_esif_selected_share": 100 * sel_bn / esif_total_bn,
    "ch6_to09_bn": to09_bn,
    "ch6_to09_share": 100 * to09_bn / esif_total_bn,
    "ch6_esf_selected_share": float(esf.loc[esf["to_code"] != "other", "share_of_fund"].sum()),
    "ch6_objectives": ", ".join(labels.get(o, o) for o in objectives),
    "ch6_n_esif_rows": int(len(esif)),
})

# %% [markdown]
# ## Money that exists: cohesion funds planned for 2014-2020
#
# No data set tags spending as "for migrants". The nearest lines are the thematic objectives of the
# 2014-2020 European Structural and Investment Funds (ESIF): social inclusion (TO09), employment
# (TO08) and education (TO10). The Commission's planned-finance file has
# {glue:text}`ch6_n_esif_rows` lines (programme × fund × priority × objective × category of region).
# In all, the EU planned EUR {glue:text}`ch6_esif_total_bn:.1f` billion of EU money for 2014-2020; the
# objectives selected here ({glue:text}`ch6_objectives`) account for EUR
# {glue:text}`ch6_esif_selected_bn:.1f` billion, {glue:text}`ch6_esif_selected_share:.1f` % of it.
# Social inclusion (TO09) alone holds EUR {glue:text}`ch6_to09_bn:.1f` billion
# ({glue:text}`ch6_to09_share:.1f` %). The European Social Fund puts
# {glue:text}`ch6_esf_selected_share:.1f` % of its planned EU amount into the selected objectives.
# These are plans, not spending, and a share for migrants inside them is not known
# ({ref}`caveat-money`).

# %% tags=["remove-input"]
fig = charts.stacked_bars(wide, xlabel="Planned EU amount, EUR billion", value_format="{:,.1f}",
                          colours=PALETTE[:len(objectives)] + ["#bdbdbd"], figsize=(7.5, 3.8))
_ = show_figure(
    fig, "esif-fund-objective",
    title="Planned EU amounts 2014-2020 by fund and thematic objective",
    source=ESIF_SOURCE,
    alt=("Stacked horizontal bars, one per fund (ERDF, EAFRD, ESF, CF, YEI, EMFF, IPAE), split into the "
         "selected thematic objectives and all other objectives, in EUR billion."),
    data=by_fund,
    caption=("EU amount planned per fund; the selected objectives are coloured, all others grey. "
             "YEI = Youth Employment Initiative; IPAE = IPA cross-border programmes (Interreg)."))

# %% tags=["remove-input"]
shares = funding.esif_country_shares(esif, objectives, fund=fund)
sw = shares.pivot(index="country", columns="objective", values="share")
sw = sw[[labels[o] for o in objectives if labels.get(o) in sw.columns]]
sw = sw.loc[sw.sum(axis=1).sort_values().index]
first = shares[shares["to_code"] == objectives[0]].sort_values("share")
glue_numbers({
    "ch6_fund_label": "all funds" if fund == "ALL" else fund,
    "ch6_first_objective": labels.get(objectives[0], objectives[0]),
    "ch6_first_top_country": str(first["country"].iloc[-1]),
    "ch6_first_top_share": float(first["share"].iloc[-1]),
    "ch6_first_low_country": str(first["country"].iloc[0]),
    "ch6_first_low_share": float(first["share"].iloc[0]),
    "ch6_first_median_share": float(first["share"].median()),
})

# %% [markdown]
# Countries weigh these objectives very differently. With {glue:text}`ch6_fund_label`, the share of
# {glue:text}`ch6_first_objective` in a country's planned EU amount ranges from
# {glue:text}`ch6_first_low_share:.1f` % ({glue:text}`ch6_first_low_country`) to
# {glue:text}`ch6_first_top_share:.1f` % ({glue:text}`ch6_first_top_country`); the median country
# plans {glue:text}`ch6_first_median_share:.1f` %. Interreg programmes, which belong to no single
# country, are left out of this comparison.

# %% tags=["remove-input"]
fig = charts.stacked_bars(sw, xlabel="Share of the country's planned EU amount (%)", value_format="{:.0f} %",
                          colours=PALETTE[:len(objectives)])
_ = show_figure(
    fig, "esif-country-shares",
    title="Selected objectives as a share of planned EU amounts, 2014-2020",
    source=ESIF_SOURCE,
    alt=("Stacked horizontal bars, one per Member State, showing the percentage of its planned ESIF EU amount "
         "that goes to each selected thematic objective; countries sorted by the combined share."),
    data=shares,
    caption="Fund: " + ("all ESIF funds" if fund == "ALL" else fund) + ". Interreg (cross-border) programmes are excluded.")

# %% tags=["remove-input"]
prog, y0, y1 = funding.period_years(programming_period)
all_years = funding.amif_payments(budget)
yearly_eu = all_years.groupby(["year", "programme"], as_index=False)["eur_million"].sum()
payments = funding.amif_payments(budget, programming_period)
norm = funding.normalise_payments(payments, normalisation, denom)
summary = funding.period_summary(payments, normalisation, denom)
summary = summary[summary["geo"] != "UK"] if programming_period == "2021-2027" else summary
top_total = summary.sort_values("eur_million").iloc[-1]
ranked = summary.dropna(subset=["value"]).sort_values("value")
peak = yearly_eu.groupby("year")["eur_million"].sum()
glue_numbers({
    "ch6_period": programming_period,
    "ch6_programme": "AMIF" if prog == "AMIF" else "the SOLID funds (AMIF's predecessors)",
    "ch6_pay_first_year": int(payments["year"].min()),
    "ch6_pay_last_year": int(payments["year"].max()),
    "ch6_pay_total_m": float(payments["eur_million"].sum()),
    "ch6_pay_top_country": str(top_total["country"]),
    "ch6_pay_top_m": float(top_total["eur_million"]),
    "ch6_pay_top_share": float(100 * top_total["eur_million"] / payments["eur_million"].sum()),
    "ch6_unit": unit,
    "ch6_norm_top_country": str(ranked["country"].iloc[-1]),
    "ch6_norm_top": float(ranked["value"].iloc[-1]),
    "ch6_norm_low_country": str(ranked["country"].iloc[0]),
    "ch6_norm_low": float(ranked["value"].iloc[0]),
    "ch6_norm_median": float(ranked["value"].median()),
    "ch6_peak_year": int(peak.idxmax()),
    "ch6_peak_m": float(peak.max()),
    "ch6_budget_first": int(yearly_eu["year"].min()),
    "ch6_budget_last": int(yearly_eu["year"].max()),
})

# %% [markdown]
# ## Money that was paid: AMIF and its predecessors
#
# The Asylum, Migration and Integration Fund (AMIF) is the EU fund closest to the action. The
# Commission's "EU spending and revenue" workbook gives what the EU budget actually *paid* to each
# Member State each year, from {glue:text}`ch6_budget_first` to {glue:text}`ch6_budget_last`: the
# 2007-2013 "Solidarity and management of migration flows" funds (labelled SOLID here: refugee,
# integration, return and external-borders funds combined), then AMIF. Payments are not
# allocations: a year's payments can settle programmes of earlier years, advances and closures make
# them uneven, and the money goes to national authorities, not to cities ({ref}`caveat-money`).
#
# Payments to Member States peaked at EUR {glue:text}`ch6_peak_m:,.0f` million in
# {glue:text}`ch6_peak_year`. For the {glue:text}`ch6_period` period (budget years
# {glue:text}`ch6_pay_first_year`-{glue:text}`ch6_pay_last_year`), {glue:text}`ch6_programme` paid
# EUR {glue:text}`ch6_pay_total_m:,.0f` million to Member States; {glue:text}`ch6_pay_top_country`
# received the most, EUR {glue:text}`ch6_pay_top_m:,.0f` million
# ({glue:text}`ch6_pay_top_share:.0f` %).

# %% tags=["remove-input"]
import matplotlib.pyplot as plt

pivot = yearly_eu.pivot(index="year", columns="programme", values="eur_million").fillna(0.0)
fig, ax = plt.subplots(figsize=(7.5, 4.2))
bottom = pd.Series(0.0, index=pivot.index)
for i, col in enumerate(["SOLID", "AMIF"]):
    if col in pivot:
        ax.bar(pivot.index, pivot[col], bottom=bottom, color=PALETTE[i], label=(
            "SOLID (2007-2013 migration funds)" if col == "SOLID" else "AMIF"))
        bottom += pivot[col]
ax.axvspan(y0 - 0.5, min(y1, int(pivot.index.max())) + 0.5, color="#f0f0f0", zorder=0,
           label=f"Selected period ({programming_period})")
ax.set_ylabel("EUR million")
ax.set_xticks(list(pivot.index), [str(y) for y in pivot.index], rotation=90, fontsize=8)
ax.grid(axis="x", visible=False)
ax.legend(fontsize=8, loc="upper left")
_ = show_figure(
    fig, "amif-payments-eu",
    title="EU payments to Member States from migration funds",
    source=BUDGET_SOURCE,
    alt=("Bar chart of yearly payments to all Member States combined, 2007 to 2024, from the SOLID funds "
         "(2007-2013) and then AMIF, in EUR million; the selected programming period is shaded."),
    data=yearly_eu,
    caption=("Sum over the Member States in each year's sheet (EU-28 up to 2020, EU-27 from 2021), current prices. "
             "Payments, not allocations."))

# %% [markdown]
# Per person, the ranking changes, and the spread is wide. Over the selected period, {glue:text}`ch6_norm_top_country`
# received the most ({glue:text}`ch6_norm_top:,.1f` {glue:text}`ch6_unit`) and
# {glue:text}`ch6_norm_low_country` the least ({glue:text}`ch6_norm_low:,.1f`); the median Member State
# received {glue:text}`ch6_norm_median:,.1f`. The denominator is the average over the period's years
# for which it exists (the foreign-born counts of `migr_pop3ctb` and the World Bank totals stop in
# 2022, and start in 2010); the CSV beside each figure says which years were used. Foreign-born
# residents include people born in another EU country, who are not AMIF's target group; the count of
# non-EU-born residents by country is not in this edition's inputs ({ref}`caveat-citizenship`).

# %% tags=["remove-input"]
heat = norm.pivot(index="country", columns="year", values="value")
heat = heat.loc[heat.mean(axis=1).sort_values(ascending=False).index]
fmt = "{:.0f}" if normalisation != "none" else "{:.0f}"
fig = matrix_heatmap(heat, xlabel="Budget year", ylabel="Member State", cbar_label=unit, cmap="YlGnBu",
                     fmt=fmt, figsize=(7.5, 8.2))
for t in fig.axes[0].texts:
    t.set_fontsize(6)
_ = show_figure(
    fig, "amif-payments-by-state",
    title=f"{'AMIF' if prog == 'AMIF' else 'SOLID'} payments by Member State and year",
    source=BUDGET_SOURCE + DENOM_SOURCE,
    alt=(f"Heatmap of payments per Member State (rows, sorted by their average) and budget year (columns), in "
         f"{unit}; empty cells have no denominator for that year."),
    data=norm,
    caption=("Empty cells: no payment recorded or no denominator for that year. Values are rounded; "
             "the CSV has them in full."))

# %% tags=["remove-input"]
regions = common.map_frame(countries0, summary, "value")
fig = maps.choropleth(regions, "value", scheme="quantiles", k=5, legend_title=unit,
                      value_format="{:,.0f}")
glue("ch6_n_mapped", int(regions["value"].notna().sum()), display=False)
_ = show_figure(
    fig, "amif-payments-map",
    title=f"{'AMIF' if prog == 'AMIF' else 'SOLID'} payments {programming_period} ({unit})",
    source=BUDGET_SOURCE + DENOM_SOURCE + "; boundaries: Eurostat GISCO, NUTS 2021 level 0",
    alt=(f"Choropleth map of Europe: payments in budget years {int(payments['year'].min())}-"
         f"{int(payments['year'].max())} per Member State, {unit}, in five quantile classes; "
         "non-members are hatched grey as no data."),
    data=summary,
    caption=("Payments summed over the period's budget years; the denominator is averaged over the years in the "
             "'denominator_years' column of the CSV. " + maps.left_out_note(regions)).strip())

# %% tags=["remove-input"]
fig = ranked_bars(ranked, label="country", value="value", xlabel=unit,
                  value_format="{:,.1f}" if normalisation != "none" else "{:,.0f}")
_ = show_figure(
    fig, "amif-payments-ranked",
    title=f"{'AMIF' if prog == 'AMIF' else 'SOLID'} payments {programming_period}, ranked",
    source=BUDGET_SOURCE + DENOM_SOURCE,
    alt=f"Horizontal bars, one per Member State, sorted by payments in {unit} over the period.",
    data=ranked,
    caption="The same values as the map, with the exact figure for each country.")

# %% [markdown]
# ## What is still missing: AMIF 2021-2027 allocations
#
# What cities and Member States can plan with is the allocation, not the payment. The 2021-2027 AMIF
# programmes' financial plans are published on the Commission's Cohesion Open Data platform, but no
# export is in this edition's inputs.

# %% tags=["remove-input"]
alloc = funding.amif_allocations_by_state(amif_plan)
glue("ch6_amif_plan_present", "yes" if len(alloc) else "no", display=False)
if alloc.empty:
    missing_evidence_note("AMIF 2021-2027 allocations per Member State", ["cohesion_2021_2027_amif"])
else:
    glue("ch6_amif_plan_total_m", float(alloc["eur_million"].sum()), display=False)
    fig = ranked_bars(alloc, label="country", value="eur_million", xlabel="Planned EU amount 2021-2027, EUR million")
    show_figure(
        fig, "amif-2021-2027-plan",
        title="AMIF 2021-2027: planned EU amounts per Member State",
        source="European Commission, Cohesion Open Data, 2021-2027 Financial Plan details by year (9qee-iv7c), AMIF",
        alt="Horizontal bars of the planned AMIF EU amount per Member State for 2021-2027, in EUR million.",
        data=alloc,
        caption="Programmed EU amounts summed over 2021-2027 and over each country's programme(s).")

# %% [markdown]
# ## What this means for the action
#
# The evidence supports three plain statements. First, the plan maps a scope, not a set of
# investments: beyond the EU migration blending facility it does not tie instruments to funds or
# fields, and it names no instrument for the development banks that co-lead the action. Second, the
# EU money closest to inclusion (the social-inclusion, employment and education objectives of the
# cohesion funds) is large but not earmarked for migrants, and its weight varies widely between
# countries. Third, AMIF payments per person vary even more between Member States; they reach
# national authorities first, which is why the action's interest in instruments that cities can
# access directly matters. None of these figures measures financial instruments for migrant
# inclusion: no data set on loans, guarantees or social outcomes contracts for this purpose was found.

# %% tags=["remove-cell", "nbval-check-output"]
print(f"instruments={len(landscape.rows)} fields={len(landscape.columns)} funds={len(landscape.layers)} "
      f"actors={len(actors)} named={n_actors_named}")
print(f"esif total bn={esif_total_bn:.2f} selected bn={sel_bn:.2f} to09 bn={to09_bn:.2f}")
print(f"payments {programming_period}: total m={payments['eur_million'].sum():.1f} top={top_total['geo']}")
print(f"normalised ({normalisation}): top={ranked['geo'].iloc[-1]} {ranked['value'].iloc[-1]:.2f} "
      f"median={ranked['value'].median():.2f} mapped={int(regions['value'].notna().sum())}")
print(f"amif 2021-2027 plan rows={len(amif_plan)}")
