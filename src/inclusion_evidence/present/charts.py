"""Chart shapes used by several chapters: dumbbells, trends, synthesis matrices.

Each function draws and returns a matplotlib figure; pass it to
:func:`inclusion_evidence.present.figures.show_figure` with its title, source, alt
text and data.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from inclusion_evidence.core.flags import low_reliability
from inclusion_evidence.present.figures import PALETTE, value_palette


def dumbbell(df: pd.DataFrame, *, label: str, left: str, right: str, left_name: str, right_name: str,
             xlabel: str, flag: str | None = None, sort_by: str | None = None, figsize=None):
    """One row per ``label``: a dot for ``left`` and one for ``right``, joined by a line.

    Rows whose ``flag`` column contains ``u`` get an open marker and a "(u)" mark.
    """
    data = df.dropna(subset=[left, right]).copy()
    data = data.sort_values(sort_by or right)
    n = len(data)
    fig, ax = plt.subplots(figsize=figsize or (7.5, max(2.5, 0.26 * n + 1.2)))
    y = np.arange(n)
    ax.hlines(y, data[left], data[right], color="#9e9e9e", linewidth=1.5, zorder=1)
    ax.scatter(data[left], y, color=PALETTE[0], label=left_name, zorder=2, s=28)
    ax.scatter(data[right], y, color=PALETTE[3], label=right_name, zorder=3, s=28)
    labels = data[label].astype(str).tolist()
    if flag is not None and flag in data:
        low = low_reliability(data[flag]).to_numpy()
        labels = [f"{t} (u)" if lo else t for t, lo in zip(labels, low)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.grid(axis="y", visible=False)
    return fig


def mark_breaks(ax, breaks, *, colour: str = "#4d4d4d") -> list:
    """Mark series breaks on a time axis: a dashed vertical line between two years, labelled.

    ``breaks`` is ``[(year, label), ...]`` where ``year`` is the first year of
    the new series (the line is drawn half-way between ``year - 1`` and
    ``year``), e.g. ``[(2020, "MIPEX EU edition from 2020")]`` or
    ``[(2020, "EU-SILC break in series")]``. Returns the lines drawn.
    """
    import matplotlib.transforms as mtransforms

    lines = []
    for year, label in breaks or ():
        position = float(year) - 0.5
        lines.append(ax.axvline(position, linestyle="--", linewidth=1.1, color=colour, zorder=1.5,
                                label="_break"))
        ax.text(position, 0.98, f" {label} ", transform=mtransforms.blended_transform_factory(ax.transData, ax.transAxes),
                rotation=90, ha="right", va="top", fontsize=8, color=colour, parse_math=False,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0})
    return lines


def trend_lines(df: pd.DataFrame, *, x: str, y: str, hue: str, ylabel: str, xlabel: str = "",
                hue_labels: dict | None = None, flag: str | None = None, figsize=(7.5, 4.2),
                breaks: list[tuple[int, str]] | None = None):
    """Lines over time, one per ``hue`` value; flagged points (``u``) drawn hollow.

    ``breaks=[(year, label)]`` marks series breaks (:func:`mark_breaks`): a
    dashed line between ``year - 1`` and ``year`` with its label.
    """
    fig, ax = plt.subplots(figsize=figsize)
    for i, (key, part) in enumerate(df.sort_values(x).groupby(hue, sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(part[x], part[y], marker="o", markersize=3.5, color=colour,
                label=(hue_labels or {}).get(key, str(key)))
        if flag is not None and flag in part:
            low = low_reliability(part[flag])
            ax.scatter(part.loc[low, x], part.loc[low, y], facecolor="white", edgecolor=colour, zorder=3, s=30)
    mark_breaks(ax, breaks)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8, frameon=True)
    return fig


def matrix_heatmap(matrix: pd.DataFrame, *, xlabel: str, ylabel: str, cbar_label: str = "",
                   annotate: bool = True, cmap: str | None = None, figsize=None, fmt: str = "{:.0f}",
                   signed: bool | None = None):
    """A rows × columns matrix (counts, shares, 0/1 presence, or gaps) as a labelled heatmap.

    The palette follows the data's sign (:func:`~inclusion_evidence.present.figures.value_palette`):
    signed data (both signs, or ``signed=True``) on a diverging map centred on
    zero, one-sided data on a sequential map from zero (``"Blues"`` unless
    ``cmap`` names another sequential map).
    """
    rows, cols = matrix.shape
    fig, ax = plt.subplots(figsize=figsize or (max(5.5, 0.55 * cols + 3.5), max(3.0, 0.38 * rows + 1.5)))
    values = matrix.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    palette = value_palette(finite if finite.size else [0.0], signed, cmap, sequential="Blues")
    if palette.signed:
        vmin, vmax = palette.vmin, palette.vmax
    else:
        vmin, vmax = min(0.0, palette.vmin), max(0.0, palette.vmax) or 1.0
    image = ax.imshow(values, cmap=palette.cmap, aspect="auto", vmin=vmin, vmax=vmax)
    ax.set_xticks(range(cols), [str(c) for c in matrix.columns], rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(rows), [str(r) for r in matrix.index], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(False)
    if annotate:
        top = max(abs(vmin), abs(vmax)) or 1
        for (i, j), v in np.ndenumerate(values):
            if not np.isnan(v) and v != 0:
                ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7,
                        color="white" if abs(v) > 0.6 * top else "black")
    if cbar_label:
        fig.colorbar(image, ax=ax, shrink=0.7, label=cbar_label)
    return fig


def ranked_bars(df: pd.DataFrame, *, label: str, value: str, xlabel: str, highlight: set | None = None,
                flag: str | None = None, figsize=None, value_format: str = "{:,.0f}"):
    """Horizontal bars sorted by value, optional highlighted labels and 'u' marks."""
    data = df.dropna(subset=[value]).sort_values(value)
    n = len(data)
    fig, ax = plt.subplots(figsize=figsize or (7.5, max(2.5, 0.24 * n + 1.2)))
    colours = [PALETTE[3] if highlight and lab in highlight else PALETTE[0] for lab in data[label]]
    ax.barh(range(n), data[value], color=colours)
    labels = data[label].astype(str).tolist()
    if flag is not None and flag in data:
        low = low_reliability(data[flag]).to_numpy()
        labels = [f"{t} (u)" if lo else t for t, lo in zip(labels, low)]
    ax.set_yticks(range(n), labels, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    for i, v in enumerate(data[value]):
        ax.text(v, i, " " + value_format.format(v), va="center", fontsize=7)
    return fig
