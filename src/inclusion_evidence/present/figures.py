"""The one figure and table helper every chapter uses.

A figure leaves a chapter with a title, a source line drawn under it, alt text,
a PNG for both HTML and PDF, and the plotted data as CSV beside the executed
chapter, linked from the caption.
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from inclusion_evidence.present import escape  # noqa: E402

FIGURE_DIR = Path("figures")  # relative to the executed chapter (the kernel's cwd)
# 150 dpi: a 7.5-inch figure is 1125 px wide, enough for the HTML column (about 750 CSS px, so
# 1.5 device pixels per CSS pixel) and for print (the PDF's 6.3-inch text width gives about 180 dpi).
DPI = 150
# zlib level of the PNGs. Measured on the book's 59 figures: level 3 encodes in half the time
# of Pillow's default 6 (2.0 against 3.8 s of CPU) for 5 % more bytes (8.5 against 8.1 MB);
# level 9 takes 10.7 s for 2 % fewer. Every level is deterministic: the PNGs stay byte-identical.
PNG_COMPRESS_LEVEL = 3
SOURCE_FONT_SIZE = 9.0   # points: the source line under each figure, legible on a phone
# INCLUSION_FIGURES=static: no interactive twin, the PNG only (as before the interactive figures).
FIGURES_ENV = "INCLUSION_FIGURES"
FIGURE_MODES = ("interactive", "static")
from inclusion_evidence.present.palette import DIVERGING, NO_DATA_COLOUR, PALETTE, SEQUENTIAL  # noqa: F401, E402

# ColorBrewer's and matplotlib's diverging maps: the only ones for signed data.
DIVERGING_MAPS = frozenset({"BrBG", "PiYG", "PRGn", "PuOr", "RdBu", "RdGy", "RdYlBu", "RdYlGn", "Spectral",
                            "coolwarm", "bwr", "seismic", "vlag", "icefire"})

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


BOOK_STYLE = Path(__file__).with_name("book.mplstyle")
_OVERRIDES = {
    "figure.dpi": 100, "savefig.dpi": DPI, "font.size": 10, "axes.titlesize": 12,
    "axes.titleweight": "bold", "figure.titlesize": 13, "svg.hashsalt": "inclusion-book",
    "font.family": ["DejaVu Sans"],
    # seaborn's own "rocket" map exists only once seaborn is imported; every chart names its map.
    "image.cmap": "viridis",
}


def seaborn_theme_rcparams() -> dict:
    """The settings that seaborn's whitegrid theme and the book's overrides change.

    Used by ``scripts/make_style.py`` to write ``book.mplstyle`` and by the tests
    to check that the sheet still matches; notebooks read the sheet instead,
    which spares them seaborn's import (over two seconds, for scipy.stats).
    """
    import seaborn as sns

    with matplotlib.rc_context():
        plt.rcdefaults()
        before = dict(plt.rcParams)
        sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
        plt.rcParams.update(_OVERRIDES)
        after = dict(plt.rcParams)
    return {key: value for key, value in after.items() if before.get(key) != value}


def use_style() -> None:
    """The book's plotting style: readable in print, colour-blind-safe."""
    plt.style.use(BOOK_STYLE)


@dataclass(frozen=True)
class ValuePalette:
    """Which palette the data's sign calls for.

    ``kind`` is ``"diverging"`` (centred on zero: ``vmin = -vmax``) for signed
    data, ``"sequential"`` for one-sided data; ``cmap`` is the map's name.
    """

    kind: str
    cmap: str
    vmin: float
    vmax: float

    @property
    def signed(self) -> bool:
        return self.kind == "diverging"


def is_diverging_map(cmap: str) -> bool:
    """Whether a colour map's name (``"RdBu_r"``, ``"PuOr"``) is a diverging one."""
    return cmap.removesuffix("_r") in DIVERGING_MAPS


def is_signed(values, signed: bool | None = None) -> bool:
    """Whether values are signed: declared (``signed=True`` for gaps and changes), or on both sides of zero.

    Raises
    ------
    ValueError
        If ``signed=False`` is declared for values on both sides of zero.
    """
    data = np.asarray(pd.Series(values, dtype=float).dropna(), dtype=float)
    both_sides = data.size > 0 and data.min() < 0 < data.max()
    if signed is None:
        return bool(both_sides)
    if not signed and both_sides:
        raise ValueError("values lie on both sides of zero: a one-sided (sequential) palette would give "
                         "negative and positive values the same colours; use signed=True or leave signed unset")
    return bool(signed)


def value_palette(values, signed: bool | None = None, cmap: str | None = None,
                  sequential: str = SEQUENTIAL) -> ValuePalette:
    """The palette for ``values``: diverging and centred on zero when signed, else sequential.

    ``cmap`` is a preference that is kept only when it is of the right kind: a
    sequential map asked for signed data is replaced by :data:`DIVERGING`, a
    diverging map asked for one-sided data by ``sequential`` (silently: the page
    shows no warning; the legend names the classification). For one-sided
    negative data the sequential map is reversed, so that the colour deepens
    away from zero.
    """
    data = np.asarray(pd.Series(values, dtype=float).dropna(), dtype=float)
    if data.size == 0:
        raise ValueError("no values to choose a palette for")
    if is_signed(data, signed):
        limit = float(np.abs(data).max()) or 1.0
        name = cmap if cmap and is_diverging_map(cmap) else DIVERGING
        return ValuePalette("diverging", name, -limit, limit)
    name = cmap if cmap and not is_diverging_map(cmap) else sequential
    if data.max() <= 0 and data.min() < 0:
        name = name[:-2] if name.endswith("_r") else name + "_r"
    return ValuePalette("sequential", name, float(data.min()), float(data.max()))


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use lower-case letters, digits, '_' or '-'")
    return name


def _markdown_escape(text: str) -> str:
    """Kept for callers of the old name: data text escaped for MyST (see :mod:`.escape`)."""
    return escape.text(text)


def interactive_figures() -> bool:
    """Whether figures get their interactive twin: ``$INCLUSION_FIGURES`` unset or ``interactive``.

    Raises
    ------
    ValueError
        If the variable holds another value (named, with the values allowed).
    """
    mode = os.environ.get(FIGURES_ENV, "").strip().lower() or "interactive"
    if mode not in FIGURE_MODES:
        raise ValueError(f"environment variable {FIGURES_ENV}={os.environ[FIGURES_ENV]!r}: "
                         f"use {' or '.join(FIGURE_MODES)} (or leave it unset)")
    return mode == "interactive"


def _source_lines(fig, text: str, left: float = 0.01, right: float = 0.99) -> list[str]:
    """``text`` broken at spaces into lines that fit between ``left`` and ``right`` (figure
    fractions) at :data:`SOURCE_FONT_SIZE` points, measured with the figure's own renderer."""
    from matplotlib.font_manager import FontProperties

    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):  # a Figure made without pyplot
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    font = FontProperties(size=SOURCE_FONT_SIZE)
    room = (right - left) * fig.get_figwidth() * fig.dpi

    def width(line: str) -> float:
        return renderer.get_text_width_height_descent(line, font, ismath=False)[0]

    # A few measurements, not one per word: guess the characters per line from the whole
    # text's width, then shorten the lines until each one fits.
    chars = max(10, int(len(text) * room / max(width(text), 1.0)))
    while True:
        lines = textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]
        if chars <= 10 or all(width(line) <= room for line in lines):
            return lines
        chars -= max(1, chars // 20)


def _draw_source(fig, source: str) -> float:
    """Draw "Source: ..." under the plot, wrapped inside the figure; returns the share of the
    figure's height it takes (with a margin), at least the 4 % the plot always left free."""
    lines = _source_lines(fig, f"Source: {source}")
    fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=SOURCE_FONT_SIZE,
             color="#444444", parse_math=False)
    # matplotlib's line spacing is 1.2 times the size; 0.5 line of margin above the text
    return max(0.04, (len(lines) * 1.2 + 0.5) * SOURCE_FONT_SIZE / (fig.get_figheight() * 72) + 0.005)


def show_figure(fig, name: str, *, title: str, source: str, alt: str, data: pd.DataFrame,
                caption: str = "", directory: Path | None = None):
    """Finish, save and display a figure as a captioned MyST figure.

    A figure drawn by a function that attached an interactive twin (choropleths, trend
    lines, dumbbells, scatters; see :mod:`inclusion_evidence.present.interactive`) is
    shown interactive in the HTML and as the PNG in the PDF, from one display output.
    With the environment variable ``INCLUSION_FIGURES=static`` no twin is built or
    emitted: every figure is its PNG only, in the HTML too (as before the interactive
    figures; the benchmark uses it to measure what the twins cost). ``interactive`` (or
    unset) is the default; any other value is an error.

    The figure is laid out once (``tight_layout``) and drawn once, by ``savefig``, at
    :data:`DPI` with zlib level :data:`PNG_COMPRESS_LEVEL`; the PNG carries no software or
    date, so the same figure gives the same bytes on every run.

    Parameters
    ----------
    fig
        The matplotlib figure.
    name
        File stem, unique within the chapter (``figures/<name>.png`` and ``.csv``).
    title
        Shown above the plot and in bold in the caption.
    source
        Publisher, dataset code and year (and NUTS version for maps); drawn
        under the plot and repeated in the caption.
    alt
        Alternative text describing what the figure shows, for screen readers.
    data
        The data behind the figure, saved as CSV for download.
    caption
        Optional sentence(s) of explanation after the title.
    """
    from IPython.display import display

    from inclusion_evidence.present import interactive

    _check_name(name)
    for label, value in (("title", title), ("source", source), ("alt", alt)):
        if not value or not value.strip():
            raise ValueError(f"figure {name!r}: {label} is required")
    if data is None or len(data) == 0:
        raise ValueError(f"figure {name!r}: the data behind it is empty")
    folder = Path(directory or FIGURE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    # parse_math=False: a '$' in data is a dollar sign, not the start of mathtext.
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", parse_math=False)
    band = _draw_source(fig, source)
    fig.tight_layout(rect=(0, band, 1, 0.97))
    # tight_layout leaves a placeholder layout engine, for which savefig would lay out (draw)
    # the whole figure once more before drawing it: the layout is done, so drop the engine.
    fig.set_layout_engine(None)
    spec = interactive.spec_for(fig, alt=alt) if interactive_figures() else None
    png, csv = folder / f"{name}.png", folder / f"{name}.csv"
    # Fixed metadata keeps the PNG byte-identical from run to run.
    fig.savefig(png, dpi=DPI, metadata={"Software": None},
                pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    plt.close(fig)
    data.to_csv(csv, index=False)
    # Labels are global to the book: prefix them with the chapter's folder name.
    # Title, caption and source are data to the page: escaped; the alt text is a
    # directive option, which the builder takes as plain text (one line).
    text = (f"````{{figure}} {png.as_posix()}\n:alt: {escape.option(alt)}\n:name: fig-{folder.name}-{name}\n"
            f":width: 100%\n\n**{escape.text(title)}.** {escape.text(caption)} "
            f"Source: {escape.text(source)}. {{download}}`Data (CSV) <{csv.as_posix()}>`\n````\n")
    display(interactive.figure_bundle(text, spec, label=f"fig-{folder.name}-{name}"), raw=True)


def markdown_table(df: pd.DataFrame, floatfmt: str = "{:,.1f}") -> str:
    """A pipe table that renders in HTML and in the PDF alike; every header and cell is text.

    Floats are formatted with ``floatfmt``; every header and cell, whatever it
    holds, is escaped (:func:`.escape.cell`), so data never becomes markup.
    """
    def cell(v):
        if isinstance(v, float):
            return "" if pd.isna(v) else escape.cell(floatfmt.format(v))
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else escape.cell(v)
    head = "| " + " | ".join(escape.cell(c) for c in df.columns) + " |"
    rule = "| " + " | ".join("---" for _ in df.columns) + " |"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def show_table(df: pd.DataFrame, name: str, *, title: str, source: str, directory: Path | None = None,
               floatfmt: str = "{:,.1f}"):
    """Display a table with a caption, and save it as CSV for download."""
    from IPython.display import Markdown, display

    _check_name(name)
    folder = Path(directory or FIGURE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / f"{name}.csv"
    df.to_csv(csv, index=False)
    text = (f"````{{table}} {escape.text(title)}\n:name: tbl-{folder.name}-{name}\n\n{markdown_table(df, floatfmt)}\n````\n\n"
            f"Source: {escape.text(source)}. {{download}}`Data (CSV) <{csv.as_posix()}>`\n")
    display(Markdown(text))


def show_markdown(text: str) -> None:
    """Display MyST markdown produced by code (rendered by the book, not shown as code).

    The text is taken as markup: every string from data inside it must have
    passed through :func:`.escape.text` (or use :func:`show_text`).
    """
    from IPython.display import Markdown, display

    display(Markdown(text))


def show_text(text: str) -> None:
    """Display a paragraph of plain text (from data or code) that is never read as markup."""
    show_markdown(escape.text(text) + "\n")


def show_list(items, lead: str = "") -> None:
    """Display a bulleted list whose items (strings from data) are text, after an optional bold lead line."""
    head = f"**{escape.text(lead)}**\n\n" if lead and lead.strip() else ""
    show_markdown(head + "\n".join(f"- {escape.text(item)}" for item in items) + "\n")


def missing_evidence_note(what: str, source_ids: list[str], why: str = "") -> None:
    """Say plainly which evidence is missing, why it matters and who publishes it.

    Every name from the catalogue is escaped; addresses are linked only when they
    are ``http(s)``. How to add a file is for the book's builders: the Data
    sources page and the README say it, not the chapter.
    """
    from inclusion_evidence.ingest.catalogue import load_catalogue

    catalogue = load_catalogue()
    items = "\n".join(
        f"- {escape.text(catalogue[sid].title)}, published by {escape.text(catalogue[sid].publisher)} "
        f"(dataset {escape.text(catalogue[sid].dataset)}): "
        f"{escape.link(catalogue[sid].url)}" for sid in source_ids)
    reason = f"{escape.text(why)}\n\n" if why and why.strip() else ""
    show_markdown(f"````{{admonition}} Evidence missing: {escape.text(what)}\n:class: warning\n\n"
                  f"{reason}This section needs data that this edition does not have. It is published as:\n\n"
                  f"{items}\n\nWith that file, the section shows the evidence in the next edition.\n````\n")


def glue_numbers(values: dict, prefix: str = "") -> None:
    """Glue every named number (or short text) of ``values`` for the prose, as ``<prefix><name>``.

    numpy scalars are glued as the Python numbers they hold, so the page shows
    ``5``, not ``np.int64(5)``.
    """
    from myst_nb import glue

    for name, value in values.items():
        glue(f"{prefix}{name}", value.item() if hasattr(value, "item") and not isinstance(value, str) else value,
             display=False)


def raise_small_text(fig, minimum: float = 9.0) -> int:
    """Set every text of ``fig`` smaller than ``minimum`` points (tick labels, legends,
    annotations) to ``minimum``, so the figure stays readable at the width the page
    shows it. Call it before :func:`show_figure`. Returns how many texts were raised."""
    import matplotlib.text as mtext

    # Asking an axis for its tick labels makes them (no draw of the figure needed: for a map
    # that full draw cost as much as saving it).
    for ax in fig.axes:
        if not ax.axison:  # a map's hidden axes: their ticks are never drawn (and cost 0.1 s to make)
            continue
        for which, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            sizes = [t.get_fontsize() for t in axis.get_ticklabels() if t.get_text()]
            if sizes and min(sizes) < minimum:
                ax.tick_params(axis=which, labelsize=minimum)
    n = 0
    for artist in fig.findobj(mtext.Text):
        if artist.get_text() and artist.get_fontsize() < minimum:
            artist.set_fontsize(minimum)
            n += 1
    return n


# The pseudo-id of the Action Plan itself (its facts are compiled in data/raw/action_plan/, not a catalogue file).
ACTION_PLAN_SOURCE = "action_plan"


def _plan_name() -> str:
    """The Action Plan as its document file names it: series and title (``data/raw/action_plan/document.yml``)."""
    from inclusion_evidence.core import paths
    from inclusion_evidence.core.errors import DataError
    from inclusion_evidence.core.yamlio import read_yaml_file

    path = paths.ACTION_PLAN / "document.yml"
    doc = read_yaml_file(path, "Action Plan document")
    if not isinstance(doc, dict) or not isinstance(doc.get("title"), str) or not doc["title"].strip():
        raise DataError(path, "expected a mapping with the plan's 'title'", column="title")
    series = doc.get("series")
    return f"{series}, {doc['title']}" if isinstance(series, str) and series.strip() else doc["title"]


def source_line(source_id, detail: str = "") -> str:
    """A figure's source line from the catalogue: publisher, dataset code, retrieval date.

    Written from the catalogue rather than typed in a notebook, so that a refresh
    of the file (a new retrieval date) changes every caption that cites it.
    ``source_id`` is one catalogue id or a list of them (a figure that combines
    several files); an item of the list may be an ``(id, note)`` pair, whose note
    follows that file's dataset in brackets ("Eurostat, lfst_r_lfur2gac
    (native-born rates)"). Entries are given in the order of the list; consecutive
    entries of one publisher and one retrieval date share it, and a dataset
    named twice is named once ("Eurostat, lfsa_ergan, lfsa_urgan, retrieved
    ..."). :data:`ACTION_PLAN_SOURCE` (``"action_plan"``) stands for the Action
    Plan itself, named from its document file. ``detail`` (the reference year,
    a table or question number, the survey) follows after a semicolon.

    Raises
    ------
    KeyError
        For an id that is not in the catalogue, naming the catalogue file.
    """
    from inclusion_evidence.core import paths
    from inclusion_evidence.ingest.catalogue import load_catalogue

    items = [source_id] if isinstance(source_id, str) else list(source_id)
    pairs = [(item, "") if isinstance(item, str) else tuple(item) for item in items]
    ids = [sid for sid, _ in pairs]
    if not ids:
        raise ValueError("source_line: give at least one catalogue id")
    catalogue = load_catalogue()
    unknown = [sid for sid in ids if sid != ACTION_PLAN_SOURCE and sid not in catalogue]
    if unknown:
        names = ", ".join(repr(sid) for sid in unknown)
        where = (paths.CATALOGUE.relative_to(paths.ROOT).as_posix() if paths.CATALOGUE.is_relative_to(paths.ROOT)
                 else str(paths.CATALOGUE))
        raise KeyError(f"{names} {'is' if len(unknown) == 1 else 'are'} not in the catalogue ({where})")
    groups: list[tuple[str, str | None, list[str]]] = []  # (publisher, retrieved, datasets)
    for sid, note in pairs:
        if sid == ACTION_PLAN_SOURCE:
            groups.append((_plan_name(), None, [note] if note else []))
            continue
        src = catalogue[sid]
        dataset = f"{src.dataset} ({note})" if note else src.dataset
        if groups and groups[-1][:2] == (src.publisher, src.retrieved):
            if dataset not in groups[-1][2]:
                groups[-1][2].append(dataset)
            continue
        groups.append((src.publisher, src.retrieved, [dataset]))
    parts = [", ".join([publisher, *datasets]) + (f", retrieved {when}" if when else "")
             for publisher, when, datasets in groups]
    return "; ".join(parts) + (f"; {detail}" if detail else "")


def evidence_source(record) -> str:
    """The source line of a number transcribed into a synthesis file (one of its ``evidence`` records).

    A number the Action Plan states (source kind ``action_plan``) is cited as the
    plan (:func:`source_line` of :data:`ACTION_PLAN_SOURCE`) with the record's
    section and the footnote that backs it; a number from another publication by
    its footnote or bib keys and locator. Everything comes from the record, so
    the caption says what the synthesis file says.
    """
    def field(name: str) -> str:
        value = record.get(name)
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()

    footnote = field("footnote").rstrip(".")
    number, _, text = footnote.partition(". ")
    cited = f"footnote {number}: {text}" if number.isdigit() and text else footnote
    keys = record.get("bibkey")
    keys = ", ".join(keys) if isinstance(keys, (list, tuple)) else field("bibkey")
    if field("source_kind") == "action_plan":
        return source_line(ACTION_PLAN_SOURCE, ", citing ".join(p for p in (field("section"), cited) if p))
    parts = [cited or keys, field("locator")]
    if not any(parts):
        raise ValueError(f"evidence record {field('statistic')!r} names no footnote, bib key or locator")
    return ", ".join(p for p in parts if p)


def download_csv(df: pd.DataFrame, name: str, label: str, directory: Path | None = None) -> Path:
    """Write ``df`` as ``<name>.csv`` beside the chapter's figures and show one download link for it.

    For data a reader may want in full but that the page does not show (e.g.
    a synthesis matrix summarised by a short table). ``label`` is the link's
    text. Returns the CSV's path.
    """
    from IPython.display import Markdown, display

    if df.empty:
        raise ValueError(f"download {name!r}: the table is empty")
    folder = Path(directory or FIGURE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / f"{_check_name(name)}.csv"
    df.to_csv(csv, index=False)
    text = _markdown_escape(label).replace("<", "(").replace(">", ")").replace("`", "'")
    display(Markdown(f"{{download}}`{text} <{csv.as_posix()}>`\n"))
    return csv
