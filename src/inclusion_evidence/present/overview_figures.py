"""The introduction's "state of integration at a glance" figure: one strip of member states per indicator.

Draws from :func:`inclusion_evidence.analysis.intro.member_state_table`; nothing is computed here.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from inclusion_evidence.present.figures import PALETTE

_GROUPS = {"NEU27_2020_FOR": "non-EU citizens", "FOR": "foreign citizens"}


def _is_low(flags: pd.Series) -> np.ndarray:
    return flags.fillna("").astype(str).str.contains("u", regex=False).to_numpy()


def gap_strips(table: pd.DataFrame, short_names: dict | None = None, figsize=None):
    """One panel per indicator: each member state's gap to nationals (or, without nationals, its level).

    Dots are member states (hollow: low reliability, flag ``u``); the EU-27 is a filled
    diamond for the latest year and a hollow one for the base year about ten years before.
    Gaps get a line at zero and say on which side the compared group fares worse; the
    least and most favourable gaps of good reliability are named.
    """
    keys = list(dict.fromkeys(table["indicator"]))
    if not keys:
        raise ValueError("gap_strips: the table has no indicator")
    fig, axes = plt.subplots(len(keys), 1, figsize=figsize or (7.5, 1.25 * len(keys) + 1.0), squeeze=False)
    for ax, key in zip(axes[:, 0], keys):
        t = table[table["indicator"] == key]
        first = t.iloc[0]
        gap = first["measure"] == "gap"
        col = "gap_vs_nationals" if gap else "value_group"
        ms = t[(t["geo"] != "EU27_2020") & t[col].notna()].sort_values(col)
        low = ms["low_reliability"].astype(bool).to_numpy() if gap else _is_low(ms["flag_group"])
        y = ((np.arange(len(ms)) % 3) - 1) * 0.28
        ax.scatter(ms[col][~low], y[~low], s=30, color=PALETTE[0], zorder=3)
        ax.scatter(ms[col][low], y[low], s=30, facecolor="white", edgecolor=PALETTE[0], zorder=3)
        eu = t[(t["geo"] == "EU27_2020") & t[col].notna()]
        if len(eu):
            ax.scatter(eu[col], [0], marker="D", s=60, color=PALETTE[3], zorder=4)
            base = "base_gap_vs_nationals" if gap else "base_value_group"
            if eu[base].notna().any():
                ax.scatter(eu[base], [0], marker="D", s=60, facecolor="white", edgecolor=PALETTE[3], zorder=4)
        good = ms[~low]
        for row, va in ((good.iloc[0], "top"), (good.iloc[-1], "top")) if len(good) else ():
            ax.annotate(str(row["country"]), (row[col], -0.42), ha="center", va=va, fontsize=9, color="#333333")
        name = (short_names or {}).get(key, first["name"])
        group = _GROUPS.get(first["group"], first["group_label"])
        if gap:
            ax.axvline(0, color="#777777", linewidth=0.9, zorder=1)
            unit = "pp" if first["gap_unit"] == "pp" else "% of nationals' median"
            worse = "below" if bool(first["higher_is_better"]) else "above"
            title = f"{name}, {group} minus nationals ({unit}); worse {worse} 0"
        else:
            title = f"{name}, {group} (%); no nationals in the table"
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_yticks([])
        ax.set_ylim(-0.75, 0.5)
        ax.tick_params(axis="x", labelsize=9)
        ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], marker="o", linestyle="", color=PALETTE[0], label="Member state"),
               Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=PALETTE[0],
                      label="Low reliability (u)"),
               Line2D([], [], marker="D", linestyle="", color=PALETTE[3], label="EU-27, latest year"),
               Line2D([], [], marker="D", linestyle="", markerfacecolor="white", markeredgecolor=PALETTE[3],
                      label="EU-27, about ten years before")]
    fig.legend(handles=handles, loc="upper center", ncol=4, fontsize=9, frameon=False, bbox_to_anchor=(0.5, 0.955))
    fig.subplots_adjust(hspace=0.9)
    return fig
