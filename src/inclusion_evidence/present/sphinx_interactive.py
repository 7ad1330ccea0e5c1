"""Sphinx extension: the interactive-figure script on every page, the Vega libraries on none.

Jupyter Book 1 adds every ``.js`` file under ``_static`` to every page as a blocking
``<script>``. The vendored Vega, Vega-Lite and vega-embed (about 840 kB) should instead load
only on pages that hold an interactive figure, after the page is drawn: the book's own
``vega/inclusion-figures.js`` loads them from the same folder when it finds a spec. This
extension takes them out of the page list. The book's script itself (7 kB) stays a plain,
blocking script in the head: it watches the page while it is parsed, to keep the PNG of an
interactive figure from downloading.

Enable it in ``book/_config.yml``::

    sphinx:
      extra_extensions: [inclusion_evidence.present.sphinx_interactive]
"""

from __future__ import annotations

FOLDER = "vega/"
SCRIPT = "vega/inclusion-figures.js"


def _entry_name(entry) -> str:
    return entry[0] if isinstance(entry, (list, tuple)) else str(entry)


def page_scripts(js_files: list) -> list:
    """``html_js_files`` without the vendored libraries, with the book's script once."""
    kept = [e for e in js_files if not _entry_name(e).startswith(FOLDER)]
    return [*kept, SCRIPT]


def _config_inited(app, config) -> None:
    config.html_js_files = page_scripts(list(config.html_js_files or []))


def setup(app):
    app.connect("config-inited", _config_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
