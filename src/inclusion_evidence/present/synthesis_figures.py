"""Figures and table cells of the Action Plan syntheses (relations coded 0/1/2 by how the text states them).

The matrices come from :mod:`inclusion_evidence.analysis.synthesis_views`; these
functions only draw and format them.
"""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from inclusion_evidence.present.charts import cell_borders, matrix_heatmap


def wrap(label: str, width: int = 48, lines: int = 2) -> str:
    """Wrap a long label onto at most ``lines`` lines (shortened with "…")."""
    parts = textwrap.wrap(str(label), width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _short_name(label: str) -> str:
    """A body's name without its parenthesis or its ", representing ..." clause."""
    return str(label).split(" (")[0].split(", representing")[0]


def scope_matrix_figure(matrix: pd.DataFrame, *, xlabel: str, figsize=(9.5, 7.8)):
    """Rows × bodies coded 2 (stated), 1 (follows from a general statement), 0 (not stated), as shaded cells.

    Long row labels are wrapped, column labels shortened to the body's name; the
    legend beside the matrix explains the three shades.
    """
    plot = matrix.copy()
    plot.index = [wrap(i, 60) for i in plot.index]
    plot.columns = [wrap(_short_name(c), 40) for c in plot.columns]
    fig = matrix_heatmap(plot, xlabel=xlabel, ylabel="", cmap="Blues", annotate=False, figsize=figsize)
    ax = fig.axes[0]
    ax.tick_params(axis="x", labelsize=6.5)
    cell_borders(ax, matrix.shape)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(handles=[Patch(facecolor=plt.get_cmap("Blues")(1.0), label="Stated specifically"),
                       Patch(facecolor=plt.get_cmap("Blues")(0.5), label="Follows from a general statement"),
                       Patch(facecolor="white", edgecolor="#999999", label="Not stated")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=True)
    return fig


def scope_word_heatmap(matrix: pd.DataFrame, *, xlabel: str, ylabel: str, general_word: str,
                       fontsize: float = 6.5, figsize=(8.0, 4.6)):
    """The same 0/1/2 coding with words in the cells: "stated" (2) and ``general_word`` (1)."""
    fig = matrix_heatmap(matrix, xlabel=xlabel, ylabel=ylabel, annotate=False, cmap="Blues", figsize=figsize)
    ax = fig.axes[0]
    ax.images[0].set_clim(0, 2)
    for (i, j), v in pd.DataFrame(matrix.to_numpy()).stack().items():
        if v:
            ax.text(j, i, "stated" if v == 2 else general_word, ha="center", va="center", fontsize=fontsize,
                    color="white" if v == 2 else "#333333")
    return fig


def cite_roles(text: str) -> str:
    """Turn ``[@a; @b]`` citations of :func:`synthesis.format_source` into MyST ``{cite:p}`` roles."""
    def repl(match):
        keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        return "{cite:p}`" + ",".join(keys) + "`"
    return re.sub(r"\[(@[^\]]+)\]", repl, str(text))


def gap_list(s, heading: str = "") -> str:
    """The synthesis' gaps (what the text does not say) as a Markdown list, under an optional bold heading."""
    items = "\n".join(f"- {g}" for g in s.gaps["gap"]) + "\n"
    return f"**{heading}**\n\n{items}" if heading else items
