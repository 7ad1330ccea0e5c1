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
programming_period = "2014-2020"  # budget years of the AMIF payments: 2007-2013 (SOLID), 2014-2020, 2021-2027
fund = "ALL"  # ESIF fund for the country shares: ALL, ERDF, ESF, YEI, CF, EAFRD, EMFF
thematic_objectives = ["09", "08", "10"]  # ESIF thematic objectives shown apart
normalisation = "per_non_eu_citizen"  # per_non_eu_citizen, per_foreign_born, per_capita or none
scope = "EU27"  # countries of every total, ranking and map class; others are shown apart as context

# %% tags=["remove-input"]
import matplotlib.pyplot as plt
import pandas as pd
from myst_nb import glue

from inclusion_evidence.analysis import common, funding
from inclusion_evidence.core.geo_codes import scope_label
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.synthesis import load_synthesis
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import about_this_page, at_a_glance, setup
from inclusion_evidence.present.charts import matrix_heatmap, ranked_bars
from inclusion_evidence.present.figures import (
    PALETTE,
    download_csv,
    glue_numbers,
    missing_evidence_note,
    raise_small_text,
    show_figure,
    show_markdown,
    show_table,
    source_line,
)
from inclusion_evidence.present.findings import Finding, Value, show_key_findings

_ = setup("action_6_financial_instruments")
SCOPE = scope_label(scope)
objectives = [str(o).zfill(2) for o in thematic_objectives]
landscape = load_synthesis("financial_landscape")
esif_all = read_table("esif_planned")
budget = read_table("eu_budget_migration")
non_eu = read_table("migr_pop1ctz_non_eu")
used_normalisation, fallback_reason = funding.choose_normalisation(normalisation, non_eu)
denom = funding.denominators(used_normalisation, foreign_born=read_table("migr_pop3ctb"),
                             population=read_table("population_worldbank"), non_eu_citizens=non_eu)
amif_plan = read_table("amif_2021_2027_planned")
countries0 = read_table("nuts2021_level0")
unit = funding.NORMALISATION_UNITS[used_normalisation]
# The files behind each normalisation's denominator, as (catalogue id, what it counts).
DENOM_SOURCES = {"per_non_eu_citizen": [("eurostat_migr_pop1ctz_non_eu", "denominator: non-EU citizens on 1 January")],
                 "per_foreign_born": [("eurostat_migr_pop3ctb", "denominator: foreign-born residents on 1 January")],
                 "per_capita": [("worldbank_sp_pop_totl", "denominator: population")], "none": []}[used_normalisation]
ESIF_SOURCE = source_line("esif_2014_2020_planned", "EU amount")
BUDGET_SOURCES = [("eu_budget_spending_2000_2023", "payments")]
PLAN_SOURCE = source_line("action_plan", "Action 6, 'How to implement the action?' and 'Which partners?'")

# --- what the plan names
named = funding.named_in_plan(landscape)
kinds = landscape.rows["kind"].fillna("instrument")
specific = landscape.cells[landscape.cells["scope"] == "specific"]
actors = funding.actors_table(landscape)
activities = funding.activities_table(landscape)
n_actors_named = int((actors["Instruments named"] != "none named").sum())

# --- ESIF 2014-2020, programmes of the Member States in scope; Interreg and others apart
esif, _ = funding.split_by_scope(esif_all, scope)
apart = funding.esif_apart(esif_all, scope)
labels = funding.objective_labels(esif_all)
esif_total_bn = float(esif["eu_amount"].sum() / 1e9)
to09_bn = float(esif.loc[esif["to_code"] == "09", "eu_amount"].sum() / 1e9)
by_fund = funding.esif_fund_objective(esif, objectives)
sel_bn = float(by_fund.loc[by_fund["to_code"] != "other", "eur_bn"].sum())

# --- AMIF payments, Member States in scope; Denmark out of per-head rankings
prog, y0, y1 = funding.period_years(programming_period)
PROG = "AMIF" if prog == "AMIF" else "SOLID"
all_years, all_years_apart = funding.split_by_scope(funding.amif_payments(budget), scope)
yearly_eu = all_years.groupby(["year", "programme"], as_index=False)["eur_million"].sum()
payments_all = funding.amif_payments(budget, programming_period)
payments, payments_apart = funding.split_by_scope(payments_all, scope)
norm = funding.normalise_payments(payments, used_normalisation, denom)
summary = funding.period_summary(payments_all, used_normalisation, denom)
ranking = funding.per_head_ranking(summary, programme=prog, how=used_normalisation, scope=scope)
ranked = ranking[ranking["ranked"]].sort_values("value")
caveats = funding.ranking_ends(ranking)
totals = payments.groupby(["geo", "country"], as_index=False)["eur_million"].sum(min_count=1)
top_total = totals.sort_values("eur_million").iloc[-1]
pay_total = float(payments["eur_million"].sum())
apart_total = float(payments_apart["eur_million"].sum())
not_in_fund = ranking[ranking["excluded"].isin(funding.NOT_IN_AMIF.values())] if prog == "AMIF" else ranking.iloc[0:0]
dk_paid = float(payments.loc[payments["geo"].isin(funding.NOT_IN_AMIF), "eur_million"].sum())
caveat_text = "; ".join(f"{r.country}: {r.caveat}" for r in caveats.itertuples())
alloc = funding.amif_allocations_by_state(amif_plan)
peak = yearly_eu.groupby("year")["eur_million"].sum()

glue_numbers({
    "ch6_scope": SCOPE,
    "ch6_n_instruments": int((kinds == "instrument").sum()),
    "ch6_n_engineering": int((kinds != "instrument").sum()),
    "ch6_n_fields": int(len(landscape.columns)),
    "ch6_n_funds": int(len(landscape.layers)),
    "ch6_n_actors": int(len(actors)),
    "ch6_n_actors_named": n_actors_named,
    "ch6_n_actors_unnamed": int(len(actors)) - n_actors_named,
    "ch6_n_activities": int(len(activities)),
    "ch6_n_specific": int(len(specific)),
    "ch6_esif_total_bn": esif_total_bn,
    "ch6_esif_selected_bn": sel_bn,
    "ch6_esif_selected_share": 100 * sel_bn / esif_total_bn,
    "ch6_to09_bn": to09_bn,
    "ch6_to09_share": 100 * to09_bn / esif_total_bn,
    "ch6_esif_apart": "; ".join(f"{r.part} EUR {r.eur_bn:,.1f} billion" for r in apart.itertuples()) or "none",
    "ch6_objectives": ", ".join(labels.get(o, o) for o in objectives),
    "ch6_n_esif_rows": int(len(esif)),
    "ch6_period": programming_period,
    "ch6_programme": "AMIF" if prog == "AMIF" else "the SOLID funds (AMIF's predecessors)",
    "ch6_pay_first_year": int(payments["year"].min()),
    "ch6_pay_last_year": int(payments["year"].max()),
    "ch6_pay_total_m": pay_total,
    "ch6_pay_top_country": str(top_total["country"]),
    "ch6_pay_top_m": float(top_total["eur_million"]),
    "ch6_pay_top_share": float(100 * top_total["eur_million"] / pay_total),
    "ch6_pay_apart": ("; ".join(f"{r.country} EUR {r.eur_million:,.0f} million" for r in
                                payments_apart.groupby("country", as_index=False)["eur_million"].sum().itertuples()
                                if r.eur_million > 0) or "none"),
    "ch6_unit": unit,
    "ch6_n_ranked": int(len(ranked)),
    "ch6_norm_top_country": str(ranked["country"].iloc[-1]),
    "ch6_norm_top": float(ranked["value"].iloc[-1]),
    "ch6_norm_low_country": str(ranked["country"].iloc[0]),
    "ch6_norm_low": float(ranked["value"].iloc[0]),
    "ch6_norm_median": float(ranked["value"].median()),
    "ch6_dk_paid_m": dk_paid,
    "ch6_peak_year": int(peak.idxmax()),
    "ch6_peak_m": float(peak.max()),
    "ch6_budget_first": int(yearly_eu["year"].min()),
    "ch6_budget_last": int(yearly_eu["year"].max()),
    "ch6_amif_plan_present": "yes" if len(alloc) else "no",
})

# %% [markdown]
# # Action 6: Financial instruments for inclusion by cities

# %% tags=["remove-input"]
bn, m1 = "EUR {:,.1f} billion", "EUR {:,.0f} million"
per = "EUR {:,.0f}" if used_normalisation != "none" else "EUR {:,.0f} million"
excluded_words = (" Denmark, which takes no part in AMIF, is left out." if len(not_in_fund) else "")
caveat_words = (f" ({caveat_text}.)" if caveat_text else "")
fallback_words = (" Until the count of non-EU citizens is added, the denominator is all foreign-born residents, "
                  "which also counts people born in another EU country." if fallback_reason else "")
findings = [
    Finding("ch6_key_plan",
            "Action 6 names {n_inst} financial instruments, {n_eng} forms of financial engineering, {n_fields} policy "
            "fields and {n_funds} EU funds as its scope, but ties an instrument to a fund only once (blending under "
            "AMIF), and names no instrument for {n_unnamed} of the {n_actors} actors it lists, among them the EIB "
            "and the CEB.",
            {"n_inst": int((kinds == "instrument").sum()), "n_eng": int((kinds != "instrument").sum()),
             "n_fields": len(landscape.columns), "n_funds": len(landscape.layers),
             "n_unnamed": int(len(actors)) - n_actors_named, "n_actors": int(len(actors))},
            source=source_line("action_plan", "Action 6"), scope="", year=2021),
    Finding("ch6_key_esif",
            "The {scope} Member States' cohesion programmes for 2014-2020 planned {to09} of EU money for social "
            "inclusion (thematic objective 9), {share} of their planned EU amount of {total}; no line of it is "
            "earmarked for migrants.",
            {"to09": Value(to09_bn, bn), "share": Value(100 * to09_bn / esif_total_bn, "{:.1f}%"),
             "total": Value(esif_total_bn, bn)},
            source=ESIF_SOURCE, scope=SCOPE, year="2014-2020"),
    Finding("ch6_key_amif_total",
            "In budget years {first}-{last}, " + ("AMIF" if prog == "AMIF" else "the SOLID funds") + " paid {total} "
            "to the {scope} Member States; {top_country} received the most, {top} ({top_share} of the total).",
            {"first": int(payments["year"].min()), "last": int(payments["year"].max()),
             "total": Value(pay_total, m1), "top_country": str(top_total["country"]),
             "top": Value(float(top_total["eur_million"]), m1),
             "top_share": Value(100 * float(top_total["eur_million"]) / pay_total, "{:.0f}%")},
            source=source_line(BUDGET_SOURCES), scope=SCOPE,
            year=programming_period),
    Finding("ch6_key_amif_per_head",
            "Per " + unit.removeprefix("EUR per ") + ", payments over the period ranged from {low} in {low_country} "
            "to {high} in {high_country} across {n} Member States (median {median})." + excluded_words
            + caveat_words + fallback_words,
            {"low": Value(float(ranked["value"].iloc[0]), per), "low_country": str(ranked["country"].iloc[0]),
             "high": Value(float(ranked["value"].iloc[-1]), per), "high_country": str(ranked["country"].iloc[-1]),
             "median": Value(float(ranked["value"].median()), per), "n": int(len(ranked))},
            source=source_line(BUDGET_SOURCES + DENOM_SOURCES), scope=SCOPE,
            year=programming_period),
    Finding("ch6_key_allocations",
            "AMIF 2021-2027 allocations per Member State: {total}.",
            {"total": Value(float(alloc["eur_million"].sum()) if len(alloc) else None, m1)},
            source=source_line("cohesion_2021_2027_amif"), scope=SCOPE,
            year="2021-2027",
            missing=None if len(alloc) else ("the 2021-2027 AMIF financial plans are published on the Commission's "
                                             "Cohesion Open Data platform but are not in this edition")),
]
_ = show_key_findings(findings, meaning=[
    "The action's objective is to pool resources and complement local, national and EU funding for integration; "
    "its expected outcomes are more capacity and partnerships for financial instruments, more social impact "
    "investment on migration with EU funds or InvestEU, and possibly blending facilities by 2024. The data here "
    "show the public money such instruments would complement: large cohesion budgets for social inclusion that "
    "are not earmarked for migrants, and AMIF payments that reach national authorities, not cities, and differ "
    "widely per head between Member States.",
    "No data set counts loans, guarantees, equity or social outcomes contracts for migrant inclusion, so none of "
    "these figures measures the instruments the action promotes or their results. The repository of social "
    "investments the action plans would be the first such evidence; the Partnership could ask for it to record "
    "amounts, instruments, cities and target groups.",
])

# %% tags=["remove-input"]
at_a_glance(6)

# %% [markdown]
# ## What the plan proposes: a landscape, not a budget
#
# The action does not fund anything itself. It sets up an Action Group (DG HOME, with the City of
# Amsterdam as co-chair, in close cooperation with the {term}`EIB` and the {term}`CEB`) to raise awareness
# of financial instruments and build cities' capacity to use them {cite:p}`actionplan2021`.
# {numref}`tbl-action_6_financial_instruments-named-in-plan` lists, in the plan's own words, what it names:
# {glue:text}`ch6_n_instruments` financial instruments, {glue:text}`ch6_n_engineering` forms of financial
# engineering, {glue:text}`ch6_n_fields` policy fields and {glue:text}`ch6_n_funds` EU funds or frameworks,
# all stated together as the *scope* of the initiatives. The plan ties an instrument to a fund for
# itself only {glue:text}`ch6_n_specific` time: blending under the Asylum, Migration and Integration
# Fund ({term}`AMIF`), through an "EU migration blending facility". It names an instrument for only
# {glue:text}`ch6_n_actors_named` of the {glue:text}`ch6_n_actors` actors it lists; for the other
# {glue:text}`ch6_n_actors_unnamed`, including the EIB, the CEB and the European Investment Fund, it names none.

# %% tags=["remove-input"]
_ = show_table(named.rename(columns={"what": "What the plan names", "n": "Number", "items": "Items",
                                     "quote": "In the plan's words", "section": "Action Plan section"}),
               "named-in-plan", title="What Action 6 names: instruments, fields, funds and actors, in the plan's words",
               source=PLAN_SOURCE, floatfmt="{:,.0f}")
matrix = funding.landscape_matrix(landscape)
_ = download_csv(matrix.reset_index(names="instrument"), "landscape-matrix",
                 "Full instrument × field and fund matrix (CSV; 2 = stated for the pair, 1 = general scope only)")
_ = download_csv(actors, "actors", "All actors and the instruments the text links to them (CSV)")

# %% [markdown]
# What the action will do, as the plan lists it ({numref}`tbl-action_6_financial_instruments-activities`):
# webinars, a repository of social investments, questionnaires, guidance and the fine-tuning of a
# blending facility. Most activities name no instrument, fund or field.

# %% tags=["remove-input"]
_ = show_table(activities, "activities",
               title="Activities of Action 6 and the instruments, funds, fields or actors they name",
               source=PLAN_SOURCE)

# %% [markdown]
# ## Money that exists: cohesion funds planned for 2014-2020
#
# No data set tags spending as "for migrants". The nearest lines are the thematic objectives of the
# 2014-2020 European Structural and Investment Funds (ESIF): social inclusion (TO09), employment
# (TO08) and education (TO10). The Commission's planned-finance file has
# {glue:text}`ch6_n_esif_rows` lines for the programmes of the {glue:text}`ch6_scope` Member States
# (programme × fund × priority × objective × category of region). They planned EUR
# {glue:text}`ch6_esif_total_bn:,.1f` billion of EU money for 2014-2020; the objectives selected here
# ({glue:text}`ch6_objectives`) account for EUR {glue:text}`ch6_esif_selected_bn:,.1f` billion,
# {glue:text}`ch6_esif_selected_share:.1f` % of it, and social inclusion (TO09) alone for EUR
# {glue:text}`ch6_to09_bn:,.1f` billion ({glue:text}`ch6_to09_share:.1f` %). Programmes outside that
# scope are left out of these sums: {glue:text}`ch6_esif_apart`. These are plans, not spending, and
# the share for migrants inside them is not known ({ref}`caveat-money`).

# %% tags=["remove-input"]
wide = by_fund.pivot(index="fund", columns="objective", values="eur_bn").fillna(0.0)
wide = wide[[labels[o] for o in objectives if labels.get(o) in wide.columns]
            + ([funding.OTHER_OBJECTIVES] if funding.OTHER_OBJECTIVES in wide.columns else [])]
wide = wide.loc[wide.sum(axis=1).sort_values().index]
fig = charts.stacked_bars(wide, xlabel="Planned EU amount, EUR billion", value_format="{:,.1f}",
                          colours=PALETTE[:len(objectives)] + ["#bdbdbd"], figsize=(7.5, 3.8))
fig.axes[0].set_xlim(right=fig.axes[0].get_xlim()[1] * 1.08)  # room for the largest total's label
raise_small_text(fig)
_ = show_figure(
    fig, "esif-fund-objective",
    title=f"Planned ESIF EU amounts 2014-2020 by fund, {SCOPE}",
    source=ESIF_SOURCE,
    alt=("Stacked horizontal bars, one per fund, split into the selected thematic objectives and all other "
         f"objectives, in EUR billion, for the programmes of the {SCOPE} Member States."),
    data=by_fund,
    caption=(f"EU amount planned per fund in the programmes of the {SCOPE} Member States; the selected objectives "
             "are coloured, all others grey. Interreg (cross-border) programmes and Member States outside the "
             "scope are left out. YEI = Youth Employment Initiative."))

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
    "ch6_n_share_states": int(first["geo"].nunique()),
})

# %% [markdown]
# Member States weigh these objectives very differently
# ({numref}`fig-action_6_financial_instruments-esif-country-shares`). With {glue:text}`ch6_fund_label`,
# the share of {glue:text}`ch6_first_objective` in a Member State's planned EU amount ranges from
# {glue:text}`ch6_first_low_share:.1f` % ({glue:text}`ch6_first_low_country`) to
# {glue:text}`ch6_first_top_share:.1f` % ({glue:text}`ch6_first_top_country`) across the
# {glue:text}`ch6_n_share_states` {glue:text}`ch6_scope` Member States; the median plans
# {glue:text}`ch6_first_median_share:.1f` %.

# %% tags=["remove-input"]
fig = charts.stacked_bars(sw, xlabel="Share of the Member State's planned EU amount (%)", value_format="{:.0f} %",
                          colours=PALETTE[:len(objectives)])
raise_small_text(fig)
_ = show_figure(
    fig, "esif-country-shares",
    title=f"Selected objectives in planned ESIF amounts, {SCOPE}, 2014-2020",
    source=ESIF_SOURCE,
    alt=(f"Stacked horizontal bars, one per {SCOPE} Member State, showing the percentage of its planned ESIF EU "
         "amount that goes to each selected thematic objective; sorted by the combined share."),
    data=shares,
    caption=("Fund: " + ("all ESIF funds" if fund == "ALL" else fund) + f". {SCOPE} Member States only; "
             "Interreg (cross-border) programmes are excluded."))

# %% [markdown]
# ## Money that was paid: AMIF and its predecessors
#
# {term}`AMIF` is the EU fund closest to the action. The Commission's "EU spending and revenue"
# workbook gives what the EU budget actually *paid* to each Member State each year, from
# {glue:text}`ch6_budget_first` to {glue:text}`ch6_budget_last`: the 2007-2013 "Solidarity and
# management of migration flows" funds (labelled SOLID here: refugee, integration, return and
# external-borders funds combined), then AMIF. Payments are not allocations: a year's payments can
# settle programmes of earlier years, advances and closures make them uneven, and the money goes to
# national authorities, not to cities ({ref}`caveat-money`). Denmark does not take part in AMIF (its
# opt-out from EU justice and home affairs); the budget records EUR {glue:text}`ch6_dk_paid_m:,.1f`
# million for it in the selected years, which is not a national AMIF programme.
#
# Summed over the {glue:text}`ch6_scope` Member States, payments peaked at EUR
# {glue:text}`ch6_peak_m:,.0f` million in {glue:text}`ch6_peak_year`
# ({numref}`fig-action_6_financial_instruments-amif-payments-eu`). For the {glue:text}`ch6_period`
# period (budget years {glue:text}`ch6_pay_first_year`-{glue:text}`ch6_pay_last_year`),
# {glue:text}`ch6_programme` paid EUR {glue:text}`ch6_pay_total_m:,.0f` million to them;
# {glue:text}`ch6_pay_top_country` received the most, EUR {glue:text}`ch6_pay_top_m:,.0f` million
# ({glue:text}`ch6_pay_top_share:.0f` %). Paid to countries outside the scope in the same years
# (context): {glue:text}`ch6_pay_apart`.

# %% tags=["remove-input"]
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
ax.set_xticks(list(pivot.index), [str(y) for y in pivot.index], rotation=90)
ax.grid(axis="x", visible=False)
ax.legend(loc="upper left")
raise_small_text(fig)
_ = show_figure(
    fig, "amif-payments-eu",
    title=f"EU payments from migration funds to the {SCOPE} Member States",
    source=source_line(BUDGET_SOURCES),
    alt=(f"Bar chart of yearly payments to the {SCOPE} Member States combined, {int(pivot.index.min())} to "
         f"{int(pivot.index.max())}, from the SOLID funds (2007-2013) and then AMIF, in EUR million; the selected "
         "programming period is shaded."),
    data=yearly_eu,
    caption=(f"Sum over the {SCOPE} Member States in each year's sheet, current prices; payments to the United "
             "Kingdom (a Member State until 2020) are left out. Payments, not allocations."))

# %% [markdown]
# ### Per head of AMIF's target group
#
# AMIF's target group is third-country nationals, so payments are compared per
# {glue:text}`ch6_unit` ({numref}`fig-action_6_financial_instruments-amif-payments-ranked`). Over the
# selected period, {glue:text}`ch6_norm_top_country` received the most ({glue:text}`ch6_norm_top:,.0f`
# {glue:text}`ch6_unit`) and {glue:text}`ch6_norm_low_country` the least
# ({glue:text}`ch6_norm_low:,.1f`); the median of the {glue:text}`ch6_n_ranked` Member States ranked
# received {glue:text}`ch6_norm_median:,.0f`. Denmark is not ranked: it takes no part in AMIF. The
# denominator is the average over the period's years for which it exists; the CSV beside each
# figure says which years were used and carries Eurostat's flags on the counts.

# %% tags=["remove-input"]
notes = []
if fallback_reason:
    missing_evidence_note(
        "non-EU citizens by Member State, the denominator for AMIF per head",
        ["eurostat_migr_pop1ctz_non_eu"],
        why=("AMIF is for third-country nationals. Without their number, payments are divided by all foreign-born "
             "residents, which also counts people born in another EU country: per-head amounts are then too low "
             "where many residents come from other Member States (Luxembourg, Belgium, Ireland, Austria) and the "
             "ranking is not a ranking of payments per member of AMIF's target group."))
if len(caveats):
    show_markdown("```{note}\nAt the ends of this ranking: " + caveat_text.replace("_", " ")
                  + ". Their count of non-EU citizens, and of the foreign-born, is mostly a long-resident population "
                  "of the Soviet era, not recent third-country migrants, which makes their per-head amount low.\n```\n")

# %% tags=["remove-input"]
fig = ranked_bars(ranked, label="country", value="value", xlabel=unit,
                  value_format="{:,.0f}" if used_normalisation != "none" else "{:,.0f}")
raise_small_text(fig)
_ = show_figure(
    fig, "amif-payments-ranked",
    title=f"{PROG} payments {programming_period} per head, {SCOPE}",
    source=source_line(BUDGET_SOURCES + DENOM_SOURCES),
    alt=(f"Horizontal bars, one per ranked {SCOPE} Member State, sorted by payments over the period in {unit}; "
         "Denmark, which takes no part in AMIF, is not ranked."),
    data=ranking,
    caption=(f"Unit: {unit}. Payments summed over budget years {int(payments['year'].min())}-"
             f"{int(payments['year'].max())}, divided by the average denominator over those years. Not ranked "
             "(see the 'excluded' column of the CSV): Member States outside the scope, Denmark (not in AMIF) and "
             "countries without a denominator."))

# %% tags=["remove-input"]
map_values = ranking.assign(value=ranking["value"].where(ranking["ranked"] | ~ranking["in_scope"]))
regions = common.map_frame(countries0, map_values, "value")
fig = maps.choropleth(regions, "value", scheme="quantiles", k=5, legend_title=unit, value_format="{:,.0f}",
                      scope=scope)
fig.axes[0].get_legend().set_loc("upper right")  # the north-east corner is empty sea and land outside the map; Iceland stays visible
raise_small_text(fig)
glue("ch6_n_mapped", int(regions["value"].notna().sum()), display=False)
_ = show_figure(
    fig, "amif-payments-map",
    title=f"{PROG} payments {programming_period} per head, {SCOPE}",
    source=source_line(BUDGET_SOURCES + DENOM_SOURCES + [("gisco_nuts2021_60m_levl0", "level 0")]),
    alt=(f"Choropleth map of Europe: {PROG} payments in budget years {int(payments['year'].min())}-"
         f"{int(payments['year'].max())} per {SCOPE} Member State, {unit}, in five quantile classes; "
         "Denmark, which takes no part in AMIF, is hatched as no data; other countries with payments are drawn as "
         "context."),
    data=map_values,
    caption=(f"Classes from the {SCOPE} Member States only; countries outside the scope with payments are hatched "
             "as context. Denmark is shown as no data: it takes no part in AMIF. " + maps.left_out_note(regions)).strip())

# %% tags=["remove-input"]
heat = norm[norm["geo"].isin(ranked["geo"])].pivot(index="country", columns="year", values="value")
heat = heat.loc[heat.mean(axis=1).sort_values(ascending=False).index]
fig = matrix_heatmap(heat, xlabel="Budget year", ylabel="", cbar_label=unit, cmap="YlGnBu",
                     fmt="{:.0f}", figsize=(7.5, 0.3 * len(heat) + 1.8))
raise_small_text(fig)
_ = show_figure(
    fig, "amif-payments-by-state",
    title=f"{PROG} payments per head by Member State and year, {SCOPE}",
    source=source_line(BUDGET_SOURCES + DENOM_SOURCES),
    alt=(f"Heatmap of payments per ranked {SCOPE} Member State (rows, sorted by their average) and budget year "
         f"(columns), in {unit}; empty cells have no payment or no denominator for that year."),
    data=norm,
    caption=("Empty cells: no payment recorded or no denominator for that year. Values are rounded; "
             "the CSV has them in full. Yearly payments are uneven: advances and closures fall in single years."))

# %% [markdown]
# ## What is still missing: AMIF 2021-2027 allocations
#
# What cities and Member States can plan with is the allocation, not the payment. The 2021-2027 AMIF
# programmes' financial plans are published on the Commission's Cohesion Open Data platform.

# %% tags=["remove-input"]
if alloc.empty:
    missing_evidence_note("AMIF 2021-2027 allocations per Member State", ["cohesion_2021_2027_amif"],
                          why=("Allocations say what each Member State can programme for integration until 2027; "
                               "payments only show what was settled in a year."))
else:
    in_alloc, _ = funding.split_by_scope(alloc, scope)
    glue("ch6_amif_plan_total_m", float(in_alloc["eur_million"].sum()), display=False)
    fig = ranked_bars(in_alloc, label="country", value="eur_million",
                      xlabel="Planned EU amount 2021-2027, EUR million")
    raise_small_text(fig)
    show_figure(
        fig, "amif-2021-2027-plan",
        title=f"AMIF 2021-2027: planned EU amounts, {SCOPE}",
        source=source_line("cohesion_2021_2027_amif", "2021-2027 Financial Plan details by year"),
        alt=f"Horizontal bars of the planned AMIF EU amount per {SCOPE} Member State for 2021-2027, in EUR million.",
        data=in_alloc,
        caption="Programmed EU amounts summed over 2021-2027 and over each Member State's programme(s).")

# %% tags=["remove-input"]
about_this_page({"programming_period": programming_period, "fund": fund, "thematic_objectives": thematic_objectives,
                 "normalisation": normalisation + (f" (used: {used_normalisation})" if fallback_reason else ""),
                 "scope": SCOPE},
                sources=["esif_2014_2020_planned", "eu_budget_spending_2000_2023", "eurostat_migr_pop1ctz_non_eu",
                         "eurostat_migr_pop3ctb", "worldbank_sp_pop_totl", "cohesion_2021_2027_amif",
                         "gisco_nuts2021_60m_levl0"])

# %% tags=["remove-cell", "nbval-check-output"]
print(f"instruments={int((kinds == 'instrument').sum())} fields={len(landscape.columns)} funds={len(landscape.layers)} "
      f"actors={len(actors)} named={n_actors_named} named-in-plan lines={len(named)}")
print(f"esif {scope} total bn={esif_total_bn:.2f} selected bn={sel_bn:.2f} to09 bn={to09_bn:.2f} apart={len(apart)}")
print(f"payments {programming_period}: total m={pay_total:.1f} top={top_total['geo']} apart m={apart_total:.1f}")
print(f"normalised ({used_normalisation}): ranked={len(ranked)} top={ranked['geo'].iloc[-1]} "
      f"{ranked['value'].iloc[-1]:.2f} low={ranked['geo'].iloc[0]} median={ranked['value'].median():.2f} "
      f"mapped={int(regions['value'].notna().sum())}")
print(f"amif 2021-2027 plan rows={len(amif_plan)}")
