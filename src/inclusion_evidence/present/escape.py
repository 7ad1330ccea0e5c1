"""Text from data stays text: escaping for the MyST Markdown the chapters display.

Chapters display Markdown built by code (figure captions, tables, notes, key
findings); the book parses it as MyST, so a string from a data file could
otherwise become markup: raw HTML (``<script>``), a link
(``[x](javascript:...)``), a role that copies a file into the site
(``{download}`x <../../etc/passwd>```), math (``$\\input{...}$``) or a
substitution (``{{ key }}``). Every string from data goes through
:func:`text` (or :func:`cell` in a table) before it joins such Markdown; once
parsed it is a plain text node, which the HTML and LaTeX writers escape
themselves (``<`` becomes ``&lt;``, ``\\`` becomes ``\\textbackslash{}``).

CommonMark lets any ASCII punctuation character be escaped by a backslash, and
MyST's roles, substitutions and dollar math all respect the escape; so the
characters that can start markup are escaped, and line breaks (which could
start a block: a heading, a list, a directive fence) become spaces.
"""

from __future__ import annotations

import math
import re

# Characters that open inline or block markup in MyST with the book's extensions
# (colon_fence, deflist, dollarmath, substitution): code spans and roles (` { }),
# emphasis (* _), links and images ([ ] ! ( )), raw HTML and autolinks (< >),
# entities (&), math ($), tables (|), headings (#), lists and quotes (+ - >),
# fences and definition lists (: ~), the escape itself (\), targets and
# comments (= %), footnotes and substitutions (^).
_SPECIAL = frozenset("\\`*_{}[]()<>#+-!|$&~:^=%")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])")
_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>`\\{}|^\"']*)?$")


def text(value: object) -> str:
    """``value`` as MyST Markdown that renders exactly as its characters, on one line.

    ``None`` and missing numbers give an empty string.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    raw = _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(value))).strip()
    escaped = "".join("\\" + ch if ch in _SPECIAL else ch for ch in raw)
    # "1. item" or "1) item" at the start of a line would open an ordered list.
    return _ORDERED_LIST.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def cell(value: object) -> str:
    """A table cell or header: :func:`text`, which also escapes the column bar ``|``."""
    return text(value)


def option(value: object) -> str:
    """A directive option value (such as a figure's ``:alt:``), which MyST does not parse.

    Options are plain text to the builder (the HTML writer escapes attribute
    values), so only line breaks, which would end the option, are removed.
    """
    if value is None:
        return ""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(value))).strip()


def link(url: object, label: object | None = None) -> str:
    """A link to an ``http(s)`` address; any other address is shown as escaped text, not linked.

    ``label`` defaults to the address itself. An address holding ``&`` is also
    shown as text: myst-parser 3.0 writes ``&`` in a link target as ``&amp;``,
    which breaks the link (issue 16's World Bank address).
    """
    address = option(url)
    shown = text(label if label is not None else address)
    if not _SAFE_URL.match(address) or "&" in address:
        return shown
    return f"[{shown}](<{address}>)"
