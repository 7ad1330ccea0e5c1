"""The one figure and table helper every chapter uses.

A figure leaves a chapter with a title, a source line drawn under it, alt text,
a PNG for both HTML and PDF, and the plotted data as CSV beside the executed
chapter, linked from the caption.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

FIGURE_DIR = Path("figures")  # relative to the executed chapter (the kernel's cwd)
DPI = 150
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
NO_DATA_COLOUR = "#d9d9d9"
SEQUENTIAL = "YlGnBu"
DIVERGING = "RdBu_r"

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


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use lower-case letters, digits, '_' or '-'")
    return name


def _markdown_escape(text: str) -> str:
    return text.replace("\n", " ").strip()


def show_figure(fig, name: str, *, title: str, source: str, alt: str, data: pd.DataFrame,
                caption: str = "", directory: Path | None = None):
    """Finish, save and display a figure as a captioned MyST figure.

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
    from IPython.display import Markdown, display

    _check_name(name)
    for label, value in (("title", title), ("source", source), ("alt", alt)):
        if not value or not value.strip():
            raise ValueError(f"figure {name!r}: {label} is required")
    if data is None or len(data) == 0:
        raise ValueError(f"figure {name!r}: the data behind it is empty")
    folder = Path(directory or FIGURE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.text(0.01, 0.005, f"Source: {source}", ha="left", va="bottom", fontsize=7.5, color="#444444",
             wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    png, csv = folder / f"{name}.png", folder / f"{name}.csv"
    # Fixed metadata keeps the PNG byte-identical from run to run.
    fig.savefig(png, dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    data.to_csv(csv, index=False)
    # Labels are global to the book: prefix them with the chapter's folder name.
    text = (f"```{{figure}} {png.as_posix()}\n:alt: {_markdown_escape(alt)}\n:name: fig-{folder.name}-{name}\n"
            f":width: 100%\n\n**{_markdown_escape(title)}.** {_markdown_escape(caption)} "
            f"Source: {_markdown_escape(source)}. {{download}}`Data (CSV) <{csv.as_posix()}>`\n```\n")
    display(Markdown(text))


def markdown_table(df: pd.DataFrame, floatfmt: str = "{:,.1f}") -> str:
    """A pipe table that renders in HTML and in the PDF alike."""
    def cell(v):
        if isinstance(v, float):
            return "" if pd.isna(v) else floatfmt.format(v)
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).replace("|", "\\|").replace("\n", " ")
    head = "| " + " | ".join(str(c) for c in df.columns) + " |"
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
    text = (f"```{{table}} {_markdown_escape(title)}\n:name: tbl-{folder.name}-{name}\n\n{markdown_table(df, floatfmt)}\n```\n\n"
            f"Source: {_markdown_escape(source)}. {{download}}`Data (CSV) <{csv.as_posix()}>`\n")
    display(Markdown(text))


def show_markdown(text: str) -> None:
    """Display MyST markdown produced by code (rendered by the book, not shown as code)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def missing_evidence_note(what: str, source_ids: list[str]) -> None:
    """Say plainly which evidence is missing and how to add it."""
    from inclusion_evidence.ingest.catalogue import load_catalogue

    catalogue = load_catalogue()
    items = "\n".join(
        f"- `{sid}`: {catalogue[sid].title} ({catalogue[sid].publisher}, `{catalogue[sid].dataset}`), "
        f"<{catalogue[sid].url}>" for sid in source_ids)
    show_markdown(f"```{{admonition}} Evidence missing: {what}\n:class: warning\n\n"
                  f"This section needs data that is not in this edition's inputs:\n\n{items}\n\n"
                  "Download the file and add it with `make add-data SOURCE=<id> FILE=<path>`; "
                  "the section renders on the next build.\n```\n")


def glue_numbers(values: dict, prefix: str = "") -> None:
    """Glue every named number (or short text) of ``values`` for the prose, as ``<prefix><name>``.

    numpy scalars are glued as the Python numbers they hold, so the page shows
    ``5``, not ``np.int64(5)``.
    """
    from myst_nb import glue

    for name, value in values.items():
        glue(f"{prefix}{name}", value.item() if hasattr(value, "item") and not isinstance(value, str) else value,
             display=False)


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
