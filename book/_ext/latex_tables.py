"""Column widths for the PDF's tables, from their content.

Without widths, Sphinx sets a table of more than 30 rows as a ``longtable`` of ``l``
columns, which never wrap: a wide table runs off the right margin and its last columns
are lost. Here every table in the LaTeX build gets widths proportional to what its
columns hold (the longest cell, but at least the longest word, so a country name is not
split), which Sphinx turns into wrapping ``p`` columns that fit the text width. Every
table is a ``longtable``, so that it breaks across pages instead of running off the page
bottom. Tables of many columns are also set in smaller type (``\\ieWideTable``, in the preamble).
"""

from __future__ import annotations

from docutils import nodes

WIDE = 7        # columns from which a table gets the smaller type
CAP = 40        # characters: a longer cell wraps rather than widening its column further
# Characters a line holds at the tables' type size (FreeSerif, \footnotesize or, for wide
# tables, \scriptsize, on A4 with Sphinx's margins), and what each column's padding costs.
LINE = {False: 110, True: 135}
PADDING = 3


def column_widths(rows: list[list[str]], line: int = LINE[False]) -> list[int]:
    """Widths in characters, padding included, that add up to about ``line``.

    Each column gets at least its longest word (so a word such as a country name is never
    split or cut) and, as far as the line allows, its longest cell (up to CAP characters);
    what is left is shared in proportion to what the columns still lack.
    """
    ncols = max(len(r) for r in rows)
    least, want = [], []
    for j in range(ncols):
        cells = [r[j] for r in rows if j < len(r)]
        word = max((len(w) for c in cells for w in c.split()), default=1)
        least.append(max(word, 3) + 1)
        want.append(max(min(max((len(c) for c in cells), default=1), CAP), least[-1]))
    room = line - PADDING * ncols
    if sum(want) <= room:
        return [w + PADDING for w in want]
    spare = max(room - sum(least), 0)
    lack = [w - m for w, m in zip(want, least, strict=True)]
    total_lack = sum(lack) or 1
    return [m + round(spare * k / total_lack) + PADDING for m, k in zip(least, lack, strict=True)]


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
        wide = len(colspecs) >= WIDE
        for spec, width in zip(colspecs, column_widths(rows, LINE[wide]), strict=True):
            spec["colwidth"] = width
        # longtable for every table: a tabular (Sphinx's choice up to 30 rows) cannot break
        # across pages, so a long one ran into the footer and its last rows were lost.
        for cls in ("colwidths-given", "longtable"):
            if cls not in table["classes"]:
                table["classes"].append(cls)
        if wide:
            parent = table.parent
            index = parent.index(table)
            parent.insert(index + 1, nodes.raw("", "\\endgroup\n", format="latex"))
            parent.insert(index, nodes.raw("", "\\begingroup\\ieWideTable\n", format="latex"))


def setup(app):
    app.connect("doctree-resolved", set_widths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
