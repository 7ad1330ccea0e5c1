"""The figures of chapter 7's EU-wide section on unaccompanied minors (Eurostat ``migr_asyunaa``).

The numbers come from :func:`inclusion_evidence.analysis.children.uam_eurostat_summary`;
this module only draws them with the book's chart shapes.
"""

from __future__ import annotations

import pandas as pd

from inclusion_evidence.analysis.common import map_frame
from inclusion_evidence.present import maps
from inclusion_evidence.present.charts import ranked_bars, trend_lines
from inclusion_evidence.present.figures import source_line

AGE_LABELS = {"Y_LT14": "Under 14", "Y14-15": "14-15", "Y16-17": "16-17", "UNK": "Unknown"}
SEX_LABELS = {"M": "Males", "F": "Females", "UNK": "Unknown"}
UNAA_SOURCE = "eurostat_migr_asyunaa"  # catalogue id


def uam_eurostat_figures(summary: dict[str, pd.DataFrame], regions, *, start: int, end: int) -> list[dict]:
    """Figure specs for the section: a map (latest year), the EU trend, the main citizenships, age and sex.

    Returns a list of dicts with ``fig``, ``name``, ``title``, ``source``, ``alt``,
    ``data`` and ``caption``, ready for :func:`inclusion_evidence.present.figures.show_figure`.
    """
    out = []
    by_state = summary["by_state"]
    year = int(by_state["time"].max())
    latest = by_state[by_state["time"] == year]
    frame = map_frame(regions, latest, "value", flag="flag")
    fig = maps.choropleth(frame, "value", scheme="quantiles", k=5, legend_title="Unaccompanied minors",
                          flag_column="flag", value_format="{:,.0f}")
    out.append(dict(fig=fig, name="uam-eurostat-map", title=f"Unaccompanied minors applying for asylum, {year}",
                    source=source_line([UNAA_SOURCE, ("gisco_nuts2021_60m_levl0", "level 0")], str(year)),
                    alt=f"Choropleth map of asylum applicants considered unaccompanied minors per country in {year}.",
                    data=latest, caption=maps.left_out_note(frame)))
    trend = summary["eu_trend"].assign(series="EU")
    fig = trend_lines(trend, x="time", y="value", hue="series", ylabel="Unaccompanied minors (persons)")
    out.append(dict(fig=fig, name="uam-eurostat-trend",
                    title=f"Unaccompanied minors applying for asylum in the EU, {start}-{end}",
                    source=source_line(UNAA_SOURCE, f"{start}-{end}"),
                    alt="Line chart of the yearly number of unaccompanied minors applying for asylum in the EU.",
                    data=trend, caption=f"Basis: {trend['basis'].iloc[0]}."))
    cit = summary["citizenships"]
    if len(cit):
        fig = ranked_bars(cit, label="citizenship", value="value", xlabel="Unaccompanied minors (persons)")
        out.append(dict(fig=fig, name="uam-eurostat-citizenships",
                        title=f"Main citizenships of unaccompanied minors, EU, {start}-{end}",
                        source=source_line(UNAA_SOURCE, f"{start}-{end}"),
                        alt="Horizontal bars of the ten most frequent citizenships of unaccompanied minors over "
                            "the period.",
                        data=cit, caption="Summed over the years of the window; citizenship codes as in Eurostat."))
    parts = []
    for key, labels, dim in (("age", AGE_LABELS, "Age"), ("sex", SEX_LABELS, "Sex")):
        d = summary[key]
        if len(d):
            parts.append(pd.DataFrame({"group": [f"{dim}: {labels.get(v, v)}" for v in d[key]],
                                       "share": d["share"].astype(float), "value": d["value"].astype(float)}))
    if parts:
        both = pd.concat(parts, ignore_index=True)
        fig = ranked_bars(both, label="group", value="share", xlabel="Share of unaccompanied minors (%)",
                          value_format="{:.0f} %")
        out.append(dict(fig=fig, name="uam-eurostat-age-sex",
                        title=f"Unaccompanied minors by age and sex, EU, {start}-{end}",
                        source=source_line(UNAA_SOURCE, f"{start}-{end}"),
                        alt="Horizontal bars of the shares of unaccompanied minors by age group and by sex.",
                        data=both, caption="Shares of the total over the window."))
    return out
