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


def show_ties(s, relations: pd.DataFrame, matrix: pd.DataFrame, name: str, *, general_from: str,
              matrix_of: str) -> None:
    """Show what an action's text ties together, the matrix's CSV link and what the text does not say.

    ``relations`` are the stated relations
    (:func:`~inclusion_evidence.analysis.synthesis_views.stated_relations`), one
    bullet per item with a sub-bullet per tie (the bodies, the relation, the
    quote and its section); ``matrix`` (the scope matrix) is written as
    ``<name>.csv`` beside the chapter's figures and linked. ``general_from`` says
    where the general links come from ("general statements"), ``matrix_of``
    what the matrix crosses ("aims against bodies"). All the synthesis text is
    escaped for Markdown.
    """
    from inclusion_evidence.analysis.synthesis_views import long_matrix
    from inclusion_evidence.present import escape, figures

    lines = []
    for item, group in relations.rename(columns={"with": "with_"}).groupby("item", sort=False):
        lines.append(f"- **{escape.text(item)}**")
        lines += [f"  - {escape.text(r.with_)}: {escape.text(r.relation.rstrip('.'))}. “{escape.text(r.quote)}” "
                  f"({escape.text(r.section)})" for r in group.itertuples()]
    matrix_csv = figures.FIGURE_DIR / f"{name}.csv"
    long_matrix(matrix, "strength").to_csv(matrix_csv, index=False)
    figures.show_markdown(
        "**What the text ties together.**\n\n" + "\n".join(lines)
        + f"\n\nThe {int((s.cells['scope'] == 'general').sum())} links that follow only from {general_from} and the "
        f"full matrix of {matrix_of} (2: stated, 1: general, 0: not stated) are in the "
        f"{{download}}`matrix (CSV) <{matrix_csv.as_posix()}>`.\n\n"
        "**What the text does not say.**\n\n" + "\n".join(f"- {escape.text(g)}" for g in s.gaps["gap"]))
