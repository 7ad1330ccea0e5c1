"""The book's table of contents (``book/_toc.yml``), generated from ``book/params.yml``.

The chapter order is written once, in ``params.yml``: front matter before the
first action goes under "Context", the actions under "The seven actions", and
front matter after them under "Reference", followed by the book's reference
pages. Every HTML and PDF build writes it again from ``params.yml`` (so does
``python -m inclusion_evidence.orchestration.toc``); ``tests/test_toc.py`` fails while the
committed ``_toc.yml`` disagrees.
"""

from __future__ import annotations

from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.atomic import atomic_write_text
from inclusion_evidence.orchestration.runner import load_params

CONTEXT, ACTIONS, REFERENCE = "Context", "The seven actions", "Reference"
# Pages of book/ that are not notebooks, at the end of the Reference part.
REFERENCE_PAGES = ("glossary", "data_sources", "caveats", "edition", "cite", "bibliography")
HEADER = ("# Generated from book/params.yml by `python -m inclusion_evidence.orchestration.toc`:\n"
          "# change the chapter order there, not here.\n")


def toc_parts(params: Path | None = None) -> dict[str, list[str]]:
    """Part caption -> the files of its chapters, in book order."""
    _, specs = load_params(params)
    parts: dict[str, list[str]] = {CONTEXT: [], ACTIONS: [], REFERENCE: []}
    seen_action = False
    for spec in specs.values():
        if spec.kind == "profile":          # fan-out pages: a part of their own (below)
            continue
        if spec.kind != "front":
            seen_action = True
            parts[ACTIONS].append(f"chapters/{spec.name}")
        else:
            parts[REFERENCE if seen_action else CONTEXT].append(f"chapters/{spec.name}")
    parts[REFERENCE] += list(REFERENCE_PAGES)
    from inclusion_evidence.orchestration import fanout  # the country profiles' part, after the reference
    parts.update(fanout.toc_parts(params))
    return parts


def toc_text(params: Path | None = None) -> str:
    """The text of ``_toc.yml`` (jupyter-book format ``jb-book``)."""
    lines = [HEADER.rstrip("\n"), "format: jb-book", "root: index", "parts:"]
    for caption, files in toc_parts(params).items():
        if files:
            lines += [f"  - caption: {caption}", "    chapters:",
                      *(f"      - file: {f}" if isinstance(f, str) else f"      - file: {f[0]}\n        title: {f[1]}"
                        for f in files)]    # (file, title): a profile's title for the sidebar
    return "\n".join(lines) + "\n"


def write_toc(params: Path | None = None, toc: Path | None = None) -> Path:
    """Write ``_toc.yml`` (atomically) from ``params.yml``, and the fan-out parts' index pages; returns its path.

    Every HTML and PDF build calls it, so a part turned on in ``params.yml`` (the regional
    profiles) is in the book at the next ``make book``. A file already up to date is not touched.
    """
    toc = Path(toc or paths.BOOK / "_toc.yml")
    text = toc_text(params)
    if not toc.is_file() or toc.read_text(encoding="utf-8") != text:
        atomic_write_text(toc, text)
    from inclusion_evidence.orchestration.fanout import write_index_pages  # profiles' index pages beside it

    write_index_pages(params, toc.parent)
    return toc


if __name__ == "__main__":
    print(write_toc())
