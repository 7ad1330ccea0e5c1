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
# No parameters.

# %% tags=["remove-input"]
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from inclusion_evidence.ingest.facts import actions_timeline, load_actions
from inclusion_evidence.present.chapter import setup
from inclusion_evidence.present.figures import PALETTE, glue_numbers, show_figure, show_table

setup("annexes")
actions = load_actions()
timeline = actions_timeline()
glue_numbers({
    "ann_n_milestones": len(timeline),
    "ann_first_month": timeline["start"].min().strftime("%B %Y"),
    "ann_last_month": timeline["end"].max().strftime("%B %Y"),
})

# %% [markdown]
# # Annexes I and II
#
# ## Annex I: overview of the actions
#
# Generated from the Action Plan facts compiled in `data/raw/action_plan/actions.yml`
# {cite:p}`actionplan2021`.

# %% tags=["remove-input"]
overview = pd.DataFrame([{
    "Action": a["number"], "Title": a["title"], "Leader(s)": "; ".join(a["leaders"]),
    "Objective": a["objective"], "Expected outcomes": len(a["expected_outcomes"]),
    "Milestones": len(a["timeline"]),
} for a in actions])
show_table(overview, "annex-1-overview", title="Overview of the actions", source="Action Plan 2021-2022, Annex I",
           floatfmt="{:.0f}")

# %% [markdown]
# ## Annex II: timeline 2021-2022
#
# The {glue:text}`ann_n_milestones` milestones of Annex II run from {glue:text}`ann_first_month` to
# {glue:text}`ann_last_month`. Annex II places each milestone in a month column; where it does not
# say how long a milestone lasts, the end month follows the rule recorded with each milestone in
# the facts file.

# %% tags=["remove-input"]
fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(timeline) + 1.5))
rows = timeline.sort_values(["action", "start"]).reset_index(drop=True)
for i, r in rows.iterrows():
    ax.barh(i, (r["end"] - r["start"]).days + 1, left=r["start"], height=0.6,
            color=PALETTE[(int(r["action"]) - 1) % len(PALETTE)])
ax.set_yticks(range(len(rows)), [f"A{r.action}: {r.milestone[:55]}" + ("…" if len(r.milestone) > 55 else "")
                                 for r in rows.itertuples()], fontsize=7)
ax.invert_yaxis()
ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
ax.grid(axis="y", visible=False)
show_figure(fig, "annex-2-timeline", title="Timeline of the actions, 2021-2022",
            source="Action Plan 2021-2022, Annex II (compiled in data/raw/action_plan/actions.yml)",
            alt="Gantt chart with one bar per milestone of the seven actions, coloured by action, from 2021 to the end of 2022.",
            data=rows.assign(start=rows["start"].dt.strftime("%Y-%m"), end=rows["end"].dt.strftime("%Y-%m")))

# %% tags=["remove-cell", "nbval-check-output"]
print(rows.groupby("action").size().to_string())
