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
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from inclusion_evidence.ingest.facts import actions_timeline, load_actions
from inclusion_evidence.present.chapter import about_this_page, setup
from inclusion_evidence.present.figures import (
    PALETTE,
    glue_numbers,
    raise_small_text,
    show_figure,
    show_table,
    source_line,
)

_ = setup("annexes")
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
# The seven actions as the Action Plan's Annex I and the action sections describe them
# {cite:p}`actionplan2021`.

# %% tags=["remove-input"]
overview = pd.DataFrame([{
    "Action": a["number"], "Title": a["title"], "Leader(s)": "; ".join(a["leaders"]),
    "Objective": a["objective"], "Expected outcomes": len(a["expected_outcomes"]),
    "Milestones": len(a["timeline"]),
} for a in actions])
show_table(overview, "annex-1-overview", title="Overview of the actions", source=source_line("action_plan", "Annex I"),
           floatfmt="{:.0f}")

# %% [markdown]
# ## Annex II: timeline 2021-2022
#
# The {glue:text}`ann_n_milestones` milestones of Annex II run from {glue:text}`ann_first_month` to
# {glue:text}`ann_last_month` ({numref}`fig-annexes-annex-2-timeline`). Annex II places each milestone in
# a month column; where it does not say how long a milestone lasts, the end month follows the
# action's own section of the plan (for example "second half 2021"), and the data behind the figure
# says which rule was used for each.

# %% tags=["remove-input"]
rows = timeline.sort_values(["action", "start"]).reset_index(drop=True)
basis = {(int(a["number"]), t["milestone"], str(t["start"])): t.get("basis", "") for a in actions for t in a["timeline"]}
rows["basis"] = [basis.get((int(r.action), r.milestone, r.start.strftime("%Y-%m")), "") for r in rows.itertuples()]
# Whole milestone names, wrapped: no label is cut, and each row is as tall as its label.
labels = [textwrap.fill(f"A{r.action}: {r.milestone}", 44) for r in rows.itertuples()]
heights = [1 + 0.55 * (label.count("\n")) for label in labels]
y, pos = [], 0.0
for h in heights:
    y.append(pos + h / 2)
    pos += h
fig, ax = plt.subplots(figsize=(7.5, 0.27 * pos + 1.6))
for yi, r in zip(y, rows.itertuples()):
    ax.barh(yi, (r.end - r.start).days + 1, left=r.start, height=0.62,
            color=PALETTE[(int(r.action) - 1) % len(PALETTE)])
ax.set_yticks(y, labels, fontsize=9)
ax.set_ylim(pos, 0)
# One tick every six months, month over year: the date labels never overlap.
ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[4, 10]))
ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
ax.grid(axis="y", visible=False)
ax.grid(axis="x", which="minor", color="#eeeeee")
raise_small_text(fig)
show_figure(fig, "annex-2-timeline", title="Timeline of the actions' milestones, 2021-2022",
            source=source_line("action_plan", "Annex II, and each action's section"),
            alt=("Gantt chart with one bar per milestone of the seven actions, coloured by action, from April 2021 "
                 "to the end of 2022; each milestone is named in full."),
            data=rows.assign(start=rows["start"].dt.strftime("%Y-%m"), end=rows["end"].dt.strftime("%Y-%m")))

# %% tags=["remove-input"]
about_this_page()

# %% tags=["remove-cell", "nbval-check-output"]
print(rows.groupby("action").size().to_string())
