"""Column widths for the PDF's tables, from their content.

Without widths, Sphinx sets a table of more than 30 rows as a ``longtable`` of ``l``
columns, which never wrap: a wide table runs off the right margin and its last columns
are lost. Here every table in the LaTeX build gets widths proportional to what its
columns hold (the longest cell, but at least the longest word, so a country name is not
split), which Sphinx turns into wrapping ``p`` columns that fit the text width. Tables
of many columns are also set in smaller type (``\\ieWideTable``, in the preamble).
"""

from __future__ import annotations

from docutils import nodes

WIDE = 7        # columns from which a table gets the smaller type
CAP = 36        # characters: a longer cell wraps rather than widening its column further


def column_widths(rows: list[list[str]]) -> list[int]:
    """Relative widths: each column's longest cell (capped), never less than its longest word."""
    ncols = max(len(r) for r in rows)
    widths = []
    for j in range(ncols):
        cells = [r[j] for r in rows if j < len(r)]
        longest_cell = max((len(c) for c in cells), default=1)
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        widths.append(max(min(longest_cell, CAP), longest_word, 3))
    return widths


def _rows(table: nodes.table) -> list[list[str]]:
    rows = []
    for row in table.findall(nodes.row):
        rows.append([" ".join(entry.astext().split()) for entry in row.findall(nodes.entry)])
    return rows


def set_widths(app, doctree, docname):
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        tgroups = [t for t in table.children if isinstance(t, nodes.tgroup)]
        if len(tgroups) != 1:
            continue
        colspecs = [c for c in tgroups[0].children if isinstance(c, nodes.colspec)]
        rows = _rows(table)
        if not rows or not colspecs or max(len(r) for r in rows) != len(colspecs):
            continue  # spanning cells: leave the table to Sphinx
        for spec, width in zip(colspecs, column_widths(rows), strict=True):
            spec["colwidth"] = width
        if "colwidths-given" not in table["classes"]:
            table["classes"].append("colwidths-given")
        if len(colspecs) >= WIDE:
            parent = table.parent
            index = parent.index(table)
            parent.insert(index + 1, nodes.raw("", "\\endgroup\n", format="latex"))
            parent.insert(index, nodes.raw("", "\\begingroup\\ieWideTable\n", format="latex"))


def setup(app):
    app.connect("doctree-resolved", set_widths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
