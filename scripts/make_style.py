"""Write the book's matplotlib style sheet from seaborn's theme.

The book's look is seaborn's "whitegrid" theme with the Okabe-Ito palette and
a few overrides. Importing seaborn costs over two seconds per notebook (it
loads scipy.stats), so the theme is frozen into ``book.mplstyle`` once, here,
and the notebooks apply the sheet. ``tests/test_style.py`` fails when the sheet
no longer matches what seaborn gives; run ``python scripts/make_style.py`` then.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

from inclusion_evidence.present.figures import BOOK_STYLE, seaborn_theme_rcparams


def _format(key: str, value) -> str:
    from cycler import Cycler
    from matplotlib.colors import to_hex

    if isinstance(value, Cycler):
        colours = [to_hex(entry["color"])[1:] for entry in value]
        return "cycler('color', [" + ", ".join(f"'{c}'" for c in colours) + "])"
    if "color" in key and isinstance(value, tuple):
        return to_hex(value, keep_alpha=len(value) == 4)[1:]
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith("#"):
        return value[1:]  # '#' starts a comment in style sheets
    return str(value)


def style_sheet_text() -> str:
    params = seaborn_theme_rcparams()
    lines = ["# The book's plotting style, written by scripts/make_style.py from seaborn's theme.",
             "# Do not edit by hand: change figures.seaborn_theme_rcparams and re-run the script."]
    lines += [f"{key}: {_format(key, value)}" for key, value in sorted(params.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    Path(BOOK_STYLE).write_text(style_sheet_text(), encoding="utf-8")
    print(f"wrote {Path(BOOK_STYLE).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
