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
import geopandas as gpd
import matplotlib.pyplot as plt

from inclusion_evidence.analysis.partnership import member_city_locations, members_by_type_and_phase
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.ingest.facts import load_members
from inclusion_evidence.present.chapter import setup
from inclusion_evidence.present.figures import (
    PALETTE,
    glue_numbers,
    raise_small_text,
    show_figure,
    show_table,
    source_line,
)
from inclusion_evidence.present.maps import points_map

setup("partnership")
members = load_members()
counts = members_by_type_and_phase(members)
countries = read_table("nuts2021_level0")
located, unmatched = member_city_locations(members, read_table("eurocities"), read_table("nuts2024_level3"))
by_region = located[located["located_by"] != "city list"]
glue_numbers({
    "pt_n_members": len(members),
    "pt_n_first": int(members["first"].sum()),
    "pt_n_second": int(members["second"].sum()),
    "pt_n_both": int((members["first"] & members["second"]).sum()),
    "pt_n_cities": int((members["type"] == "city").sum()),
    "pt_n_states": int((members["type"] == "member_state").sum()),
})

# %% [markdown]
# # The Partnership
#
# Table 1 of the Action Plan lists {glue:text}`pt_n_members` members across the two phases of
# the Partnership: {glue:text}`pt_n_first` took part in the first phase (2016-2019) and
# {glue:text}`pt_n_second` in the current one (2020-2022); {glue:text}`pt_n_both` took part in both
# {cite:p}`actionplan2021`. They include {glue:text}`pt_n_cities` cities and
# {glue:text}`pt_n_states` national governments, alongside EU institutions, city networks and
# civil-society organisations ({numref}`fig-partnership-members-by-type-phase`,
# {numref}`fig-partnership-members-map`).

# %% tags=["remove-input"]
fig, ax = plt.subplots(figsize=(7.5, 3.8))
plot = counts.set_index("type")
plot.plot.barh(ax=ax, color=[PALETTE[5], PALETTE[0]], width=0.75)
ax.set_xlabel("Members")
ax.set_ylabel("")
# Above the bars, not over them.
ax.legend(fontsize=9, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
raise_small_text(fig)
show_figure(fig, "members-by-type-phase", title="Partnership members by type, first and current phase",
            source=source_line("action_plan", "Table 1"),
            alt="Horizontal bar chart of the number of Partnership members of each type in the first and the current phase.",
            data=counts)

# %% tags=["remove-input"]
member_countries = set(members.loc[members["type"].isin(["member_state", "city", "region"]), "country"].dropna())
fig = points_map(located, background=countries, hue="phases", shade=member_countries, size=26,
                 labels={"first, second": "City, both phases", "second": "City, current phase", "first": "City, first phase"})
ax = fig.axes[0]
ax.legend(loc="upper right", fontsize=9, frameon=True)  # the upper left is Iceland
projected = gpd.GeoSeries(gpd.points_from_xy(located["lon"], located["lat"]), crs=4326).to_crs(3035)
for name, pt in zip(located["name"], projected):
    ax.annotate(name, (pt.x, pt.y), xytext=(4, 3), textcoords="offset points", fontsize=9)
raise_small_text(fig)
placed = (" " + "; ".join(f"{r.name} is not in the Eurocities list and is placed inside its {r.located_by}"
                          for r in by_region.itertuples()) + ".") if len(by_region) else ""
missing_note = (" Member cities without a location, not shown: " + ", ".join(unmatched) + ".") if unmatched else ""
show_figure(fig, "members-map", title="The Partnership's member cities and the countries of its members",
            source=source_line([("action_plan", "Table 1"), ("eurocities_members", "city coordinates"),
                                ("gisco_nuts2024_20m", "level 3, for cities not in that list"),
                                ("gisco_nuts2021_60m_levl0", "level 0")]),
            alt=("Map of Europe with the countries of member governments, cities and regions shaded and the "
                 f"{len(located)} member cities marked by dots coloured by phase and labelled."),
            data=located,
            caption="Shaded: countries with a member national government, city or region." + placed + missing_note)

# %% tags=["remove-input"]
table = members[["name", "type_label", "country", "first", "second"]].rename(columns={
    "name": "Member", "type_label": "Type (as in Table 1)", "country": "Country",
    "first": "First phase", "second": "Current phase"})
table = table.replace({True: "yes", False: ""})
show_table(table, "members", title="Partnership members (Action Plan, Table 1)",
           source=source_line("action_plan", "Table 1"))

# %% tags=["remove-cell", "nbval-check-output"]
print(counts.to_string(index=False))
print("located:", len(located), "by NUTS-3:", by_region["name"].tolist(), "unmatched cities:", sorted(unmatched))
