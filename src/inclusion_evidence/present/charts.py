"""Chart shapes used by the chapters: dumbbells, labelled scatters, trends, heatmaps, bars, networks.

Each function draws and returns a matplotlib figure; pass it to
:func:`inclusion_evidence.present.figures.show_figure` with its title, source, alt
text and data.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from inclusion_evidence.core.flags import low_reliability
from inclusion_evidence.present import interactive
from inclusion_evidence.present.figures import PALETTE, value_palette


def _flagged(data: pd.DataFrame, flag: str | None) -> pd.Series:
    """Rows whose ``flag`` marks low reliability (``core.flags``); all False without the column."""
    if flag and flag in data:
        return low_reliability(data[flag])
    return pd.Series(False, index=data.index)


def dumbbell(df: pd.DataFrame, *, label: str, left: str, right: str, left_name: str, right_name: str,
             xlabel: str, flag: str | None = None, sort_by: str | None = None, panel: str | None = None,
             figsize=None):
    """One row per ``label``: a dot for ``left`` and one for ``right``, joined by a line.

    Rows whose ``flag`` column contains ``u`` get a "(u)" mark. With ``panel``, one
    compact panel per value of that column (in order of appearance), sharing the
    x axis, each titled with its value.
    """
    if panel is None:
        parts = [(None, df.dropna(subset=[left, right]))]
        n_rows = len(parts[0][1])
        size, font, height = 28, 8, max(2.5, 0.26 * n_rows + 1.2)
    else:
        parts = [(key, df[df[panel] == key].dropna(subset=[left, right])) for key in dict.fromkeys(df[panel])]
        n_rows = max(len(df[df[panel] == key]) for key, _ in parts) if parts else 1
        size, font, height = 22, 7, max(2.5, 0.26 * n_rows + 1.5)
    fig, axes = plt.subplots(1, len(parts), sharex=True, squeeze=False, figsize=figsize or (7.5, height))
    for ax, (key, part) in zip(axes[0], parts):
        data = part.sort_values(sort_by or right)
        y = np.arange(len(data))
        ax.hlines(y, data[left], data[right], color="#9e9e9e", linewidth=1.5, zorder=1)
        ax.scatter(data[left], y, color=PALETTE[0], label=left_name, zorder=2, s=size)
        ax.scatter(data[right], y, color=PALETTE[3], label=right_name, zorder=3, s=size)
        low = _flagged(data, flag).to_numpy()
        labels = [f"{t} (u)" if lo else t for t, lo in zip(data[label].astype(str), low)]
        ax.set_yticks(y, labels, fontsize=font)
        if key is not None:
            ax.set_title(str(key), fontsize=9)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
    axes[0][-1].legend(loc="lower right", fontsize=font, frameon=True)
    if panel is None:  # panels stay static
        interactive.attach(fig, "dumbbell", df=df, label=label, left=left, right=right, left_name=left_name,
                           right_name=right_name, xlabel=xlabel, flag=flag, sort_by=sort_by)
    return fig


def reference_gap_panels(gaps: pd.DataFrame, *, panel: str, labels: dict[str, str], group: str, xlabel: str):
    """:func:`dumbbell` panels of a group against nationals or the native-born (``labels["NAT"]``), by country.

    ``gaps`` has ``country``, ``geo``, ``reference``, ``group``, ``flag`` and the
    ``panel`` column (one panel per reason, item, ...); the figure grows with the
    number of countries.
    """
    return dumbbell(gaps, panel=panel, label="country", left="reference", right="group", left_name=labels["NAT"],
                    right_name=labels.get(group, group), xlabel=xlabel, flag="flag",
                    figsize=(9, max(3, 0.24 * gaps["geo"].nunique() + 1.8)))


def _label_groups(df: pd.DataFrame, x: str, y: str, label: str, dx: float = 9.0, dy: float = 2.5) -> dict:
    """Labels of neighbouring points joined at the group's first point, so none overlap.

    Points are taken left to right within rows of similar ``y``; a point joins
    the current group when it lies within ``dx`` of the group's last point
    and within ``dy`` of its first.
    """
    groups: dict = {}
    anchor, last = None, None
    for _, row in df.sort_values([y, x]).iterrows():
        if anchor is not None and abs(row[y] - anchor[1]) < dy and abs(row[x] - last) < dx:
            groups[anchor].append(str(row[label]))
        else:
            anchor = (row[x], row[y])
            groups[anchor] = [str(row[label])]
        last = row[x]
    return groups


def labelled_scatter(df: pd.DataFrame, *, x: str, y: str, label: str | None, xlabel: str, ylabel: str,
                     flag: str | None = None, hue: str | None = None, highlight: set | None = None,
                     fit: bool = False, zero_line: bool = True, merge_close_labels: bool = False,
                     limits: tuple[float, float] | None = None, figsize=(7.5, 5.2)):
    """A scatter with a text label per point (``label`` ``None``: no labels).

    - ``flag``: points whose flag contains ``u`` are drawn hollow (low reliability).
    - ``hue``: one colour per value of that column, named in the legend.
    - ``highlight``: points whose label is in the set are drawn in the accent colour.
    - ``fit``: a least-squares line over all points. Off by default: with a few
      dozen countries and no controls, a slope suggests an effect the data cannot show.
    - ``zero_line``: a horizontal line at 0 ("no gap").
    - ``merge_close_labels``: neighbouring points with similar values share one
      label, listed left to right, so none overlap (for scores on a 0-100 scale).
    - ``limits``: the same (low, high) limits on both axes.
    """
    data = df.dropna(subset=[x, y])
    fig, ax = plt.subplots(figsize=figsize)
    any_low = bool(_flagged(data, flag).any())
    groups = [(None, data)] if hue is None else list(data.groupby(hue, sort=True))
    for i, (key, part) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        low = _flagged(part, flag)
        solid = part[~low]
        colours = ([PALETTE[3] if v in highlight else colour for v in solid[label]] if highlight else colour)
        name = str(key) if key is not None else ("estimate" if any_low else None)
        ax.scatter(solid[x], solid[y], c=colours if highlight else None, color=None if highlight else colour,
                   s=30, zorder=3, label=name)
        if low.any():
            ax.scatter(part.loc[low, x], part.loc[low, y], facecolor="white", edgecolor=colour, s=30, zorder=3,
                       label="low reliability (u)" if hue is None else None)
    if label is not None and merge_close_labels:
        previous, below = None, False
        for (px, py), names in _label_groups(data, x, y, label).items():
            # a group whose label would run into the previous one on the same row goes below its point
            crowded = previous is not None and abs(py - previous[1]) < 2.5 and px - previous[0] < 1.2 * len(previous[2])
            below = (not below) if crowded else False
            previous = (px, py, ", ".join(names))
            ax.annotate(", ".join(names), (px, py), xytext=(3, -10 if below else 3), textcoords="offset points",
                        fontsize=7)
    elif label is not None:
        for _, r in data.iterrows():
            ax.annotate(str(r[label]), (r[x], r[y]), xytext=(3, 3), textcoords="offset points", fontsize=7)
    if fit and len(data) >= 3:
        slope, intercept = np.polyfit(data[x].astype(float), data[y].astype(float), 1)
        xs = np.linspace(data[x].min(), data[x].max(), 50)
        ax.plot(xs, intercept + slope * xs, color="#666666", linewidth=1, linestyle="--", label="Least-squares line")
    if zero_line:
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if limits is not None:
        ax.set_xlim(*limits)
        ax.set_ylim(*limits)
    if hue is not None or fit or any_low:
        ax.legend(fontsize=8, frameon=True)
    interactive.attach(fig, "scatter", df=data, x=x, y=y, label=label, xlabel=xlabel, ylabel=ylabel, hue=hue,
                       fit=fit, flag=flag, highlight=highlight, zero_line=zero_line,
                       name="country_name" if label and "country_name" in data else None)
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
    interactive.attach(fig, "trend", df=df, x=x, y=y, hue=hue, ylabel=ylabel, xlabel=xlabel,
                       hue_labels=hue_labels, flag=flag)
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


def mark_cells(ax, mask: pd.DataFrame, symbol: str = "*") -> int:
    """Put ``symbol`` in the upper right of every heatmap cell where ``mask`` is true; return how many."""
    n = 0
    for (i, j), flag in np.ndenumerate(mask.to_numpy(dtype=bool)):
        if flag:
            ax.text(j + 0.45, i - 0.3, symbol, ha="right", va="top", fontsize=9, fontweight="bold",
                    color="#000000")
            n += 1
    return n


def cell_borders(ax, shape: tuple[int, int], rotation: int = 60) -> None:
    """Thin lines between heatmap cells and steeper column labels."""
    rows, cols = shape
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="#bdbdbd", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    for text in ax.get_xticklabels():
        text.set_rotation(rotation)
        text.set_ha("right")
        text.set_rotation_mode("anchor")


def stacked_bars(wide: pd.DataFrame, *, xlabel: str, horizontal: bool = True, figsize=None,
                 colours: Sequence[str] | None = None, value_format: str | None = None):
    """Stacked bars: one bar per index entry, one segment per column (in column order)."""
    n = len(wide)
    fig, ax = plt.subplots(figsize=figsize or ((7.5, max(2.8, 0.27 * n + 1.4)) if horizontal else (7.5, 4.5)))
    left = np.zeros(n)
    colours = list(colours or PALETTE)
    for i, col in enumerate(wide.columns):
        vals = wide[col].fillna(0).to_numpy(dtype=float)
        colour = colours[i % len(colours)]
        if horizontal:
            ax.barh(range(n), vals, left=left, color=colour, label=str(col), edgecolor="white", linewidth=0.4)
        else:
            ax.bar(range(n), vals, bottom=left, color=colour, label=str(col), edgecolor="white", linewidth=0.4)
        left += vals
    labels = [str(i) for i in wide.index]
    if horizontal:
        ax.set_yticks(range(n), labels, fontsize=8)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        if value_format:
            for k, v in enumerate(left):
                ax.text(v, k, " " + value_format.format(v), va="center", fontsize=7)
    else:
        ax.set_xticks(range(n), labels, fontsize=8)
        ax.set_ylabel(xlabel)
        ax.grid(axis="x", visible=False)
    ax.legend(fontsize=7.5, frameon=True, loc="lower right")
    return fig


def distribution_trend(dist: pd.DataFrame, *, ylabel: str, figsize=(7.5, 4.2)):
    """Median per year with the interquartile range shaded, and the number of units as bars.

    ``dist`` has ``time``, ``q1``, ``median``, ``q3`` and ``n_regions``.
    """
    fig, ax = plt.subplots(figsize=figsize)
    ax.fill_between(dist["time"], dist["q1"], dist["q3"], color=PALETTE[5], alpha=0.35,
                    label="Middle half of regions (25th-75th percentile)")
    ax.plot(dist["time"], dist["median"], color=PALETTE[0], marker="o", markersize=3.5, label="Median region")
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax2 = ax.twinx()
    ax2.bar(dist["time"], dist["n_regions"], color="#bdbdbd", alpha=0.35, width=0.6, zorder=0)
    ax2.set_ylabel("Regions with data (bars)")
    ax2.grid(False)
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.legend(fontsize=8, loc="upper left", frameon=True)
    return fig


def layered_network(g, *, column_titles: Sequence[str], figsize=(8.5, 6.5)):
    """Draw a three-column graph (nodes with ``column``, ``kind``, ``label``, ``connected``).

    General links are thin and light, specific links thick and dark; nodes
    without links are grey with their label in italics.
    """
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=figsize)
    columns: dict[int, list[str]] = {}
    for node, data in g.nodes(data=True):
        columns.setdefault(data["column"], []).append(node)
    pos = {}
    xs = {0: 0.0, 1: 1.0, 2: 2.0}
    for col, nodes in columns.items():
        # connected nodes first, in declaration order
        nodes = sorted(nodes, key=lambda n: (not g.nodes[n]["connected"], list(g.nodes).index(n)))
        columns[col] = nodes
        n = len(nodes)
        for k, node in enumerate(nodes):
            pos[node] = (xs[col], 1 - (k + 0.5) / max(n, 1))
    for strength, colour, width, z in (("general", "#c7c7c7", 0.6, 1), ("specific", PALETTE[3], 2.2, 2)):
        for u, v, d in g.edges(data=True):
            if d.get("strength") != strength:
                continue
            (x0, y0), (x1, y1) = pos[u], pos[v]
            ax.plot([x0 + 0.06, x1 - 0.06], [y0, y1], color=colour, linewidth=width, zorder=z)
    kind_colour = {"actor": PALETTE[0], "instrument": PALETTE[2], "fund": PALETTE[1]}
    for node, (x, y) in pos.items():
        data = g.nodes[node]
        colour = kind_colour[data["kind"]] if data["connected"] else "#bdbdbd"
        ax.scatter([x], [y], s=60, color=colour, zorder=3, edgecolor="white")
        ha, dx = {"actor": ("right", -0.05), "instrument": ("center", 0.0), "fund": ("left", 0.05)}[data["kind"]]
        dy = 0.025 if data["kind"] == "instrument" else 0.0
        ax.text(x + dx, y + dy, data["label"], ha=ha, va="bottom" if dy else "center", fontsize=7.5,
                style="normal" if data["connected"] else "italic",
                color="#222222" if data["connected"] else "#777777", zorder=4,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.75, pad=0.5) if dy else None)
    for col, title in enumerate(column_titles):
        ax.text(xs[col], 1.03, title, ha="center", va="bottom", fontsize=9, fontweight="bold")
    handles = [Line2D([0], [0], color=PALETTE[3], linewidth=2.2, label="Stated for this pair"),
               Line2D([0], [0], color="#c7c7c7", linewidth=0.8, label="Only the plan's general scope"),
               Line2D([0], [0], marker="o", color="none", markerfacecolor="#bdbdbd", markeredgecolor="white",
                      markersize=7, label="No instrument named in the text")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=3, fontsize=7.5,
              frameon=False)
    ax.set_xlim(-0.9, 2.75)
    ax.set_ylim(-0.02, 1.08)
    ax.set_axis_off()
    return fig


def mark_missing_cells(ax, mask: pd.DataFrame, text: str = "n/p", fontsize: float = 9) -> int:
    """Write ``text`` in the middle of every heatmap cell where ``mask`` is true (a value not
    published, e.g. FRA's small samples), so that a blank cell reads as missing, not as zero.
    Returns how many cells were marked."""
    n = 0
    for (i, j), flag in np.ndenumerate(mask.to_numpy(dtype=bool)):
        if flag:
            ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color="#555555", style="italic")
            n += 1
    return n


def dumbbell_with_context(df: pd.DataFrame, *, label: str, left: str, right: str, left_name: str, right_name: str,
                          xlabel: str, context: str, context_label: str = "Outside the EU-27 (context)",
                          flag: str | None = None, sort_by: str | None = None, fontsize: float = 9, figsize=None):
    """A :func:`dumbbell` of the countries in scope, with the others below them as context.

    ``context`` names a boolean column (true: outside the scope). The rows in
    scope come first, sorted by ``sort_by`` (largest on top); the context rows
    follow below a dashed rule and their label, in lighter colours, so that they
    read as context and never mix into the ranking of the scope.
    """
    data = df.dropna(subset=[left, right])
    key = sort_by or right
    inside = data[~data[context].astype(bool)].sort_values(key)
    outside = data[data[context].astype(bool)].sort_values(key)
    gap = 1.6 if len(outside) else 0.0
    y_out = np.arange(len(outside), dtype=float)
    y_in = np.arange(len(inside), dtype=float) + len(outside) + gap
    n_rows = len(inside) + len(outside) + gap
    fig, ax = plt.subplots(figsize=figsize or (7.5, max(2.5, 0.27 * n_rows + 1.4)))
    labels, colours = [], []
    for part, y, alpha, grey in ((outside, y_out, 0.45, True), (inside, y_in, 1.0, False)):
        if part.empty:
            continue
        ax.hlines(y, part[left], part[right], color="#9e9e9e", linewidth=1.5, zorder=1, alpha=alpha)
        ax.scatter(part[left], y, color=PALETTE[0], label=None if grey else left_name, zorder=2, s=28, alpha=alpha)
        ax.scatter(part[right], y, color=PALETTE[3], label=None if grey else right_name, zorder=3, s=28, alpha=alpha)
        low = _flagged(part, flag).to_numpy()
        labels += [f"{t} (u)" if lo else t for t, lo in zip(part[label].astype(str), low)]
        colours += ["#767676" if grey else "#262626"] * len(part)
    ax.set_yticks(np.concatenate([y_out, y_in]), labels, fontsize=fontsize)
    for tick, colour in zip(ax.get_yticklabels(), colours):
        tick.set_color(colour)
    if len(outside):
        rule = len(outside) - 1 + gap / 2 + 0.5
        ax.axhline(rule, color="#8c8c8c", linestyle="--", linewidth=0.8)
        ax.text(0.99, rule - 0.25, context_label, transform=ax.get_yaxis_transform(), ha="right", va="top",
                fontsize=fontsize, style="italic", color="#595959")
    ax.set_ylim(-0.8, n_rows - 0.2)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    # Above the plot: the top rows (the largest values) stay uncovered.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=fontsize, frameon=False)
    return fig
