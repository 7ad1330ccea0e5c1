"""No chapter types the date of a data extract: it comes from the catalogue or the file.

A date such as "extract last updated 27 April 2023" typed into a chapter goes
stale when ``make refresh`` or ``add-data`` replaces the file, while the
caption keeps claiming the old vintage. Captions take their source text from
the catalogue (``present.figures.source_line``) and prose glues the date the
file gives (``ingest.catalogue.publisher_update``). This test reads every
chapter script (code and prose, comment lines joined so a sentence split over
two lines is still seen) and fails on a literal date that follows words of
updating, retrieving or extracting.

The dataset names in a caption come from the catalogue too: a chapter's
``source=`` argument (figures, tables, key findings) is built by
``source_line`` from catalogue ids, never typed as a string literal.
"""

from __future__ import annotations

import ast
import re

import pytest

from inclusion_evidence.core.paths import CHAPTER_SOURCES

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(\d{{1,2}}\s+({MONTHS})\s+\d{{4}}|({MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
                  rf"|\d{{4}}-\d{{2}}-\d{{2}}|({MONTHS})\s+\d{{4}})\b", re.IGNORECASE)
# Words that make a date the vintage of a data file, within this many characters before it.
VINTAGE = re.compile(r"\b(last[\s-]+update[sd]?|updated|retrieved|downloaded|accessed|extract(ed)?|as of)\b",
                     re.IGNORECASE)
WINDOW = 60


def _flat(text: str) -> str:
    """The script as one line: comment marks and indentation dropped, so prose split over lines reads on."""
    return " ".join(line.strip().lstrip("#").strip() for line in text.splitlines())


def typed_vintage_dates(text: str) -> list[str]:
    """The phrases of ``text`` that give a data file's date as a literal (empty when there are none)."""
    flat = _flat(text)
    found = []
    for m in DATE.finditer(flat):
        before = flat[max(0, m.start() - WINDOW):m.start()]
        if VINTAGE.search(before):
            found.append(flat[max(0, m.start() - WINDOW):m.end()].strip())
    return found


@pytest.mark.parametrize("text", [
    'LFS_SOURCE = "Eurostat, lfst_r_lfur2gac (extract last updated 27 April 2023)"',
    "# country of birth and region. This edition uses an extract last\n#   updated on 27 April 2023: years 1999",
    'source = "Eurostat, tps00001 (retrieved 2026-11-23)"',
    'note = "LAST UPDATE 27/04/23"',
    'caption = "data as of March 2024"',
])
def test_typed_vintage_dates_are_found(text):
    assert typed_vintage_dates(text)


@pytest.mark.parametrize("text", [
    'source=f"{LFS_SOURCE}; {year}; NUTS 2021"',
    "# This edition uses an extract last\n#   updated on {glue:text}`ch5_lfs_updated`: years",
    'RELEASE = "Eurostat, news release 80/2017 (11 May 2017), table extracted from the PDF by a third party"',
    'alt = "Gantt chart of the milestones, from April 2021 to December 2022"',
    'x = "2014-2020 programmes"',
])
def test_dates_that_are_not_a_files_vintage_pass(text):
    assert typed_vintage_dates(text) == []


@pytest.mark.parametrize("script", sorted(CHAPTER_SOURCES.glob("*.py")), ids=lambda p: p.name)
def test_no_chapter_types_a_data_files_date(script):
    found = typed_vintage_dates(script.read_text(encoding="utf-8"))
    assert not found, (f"{script.name}: a data file's date is typed in the chapter; take it from the catalogue "
                       f"(present.figures.source_line, ingest.catalogue.publisher_update): {found}")


def _assignments(tree: ast.AST) -> dict[str, list[ast.expr]]:
    """Every value assigned to each plain name of the script (``=``, ``+=``, annotated)."""
    out: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            targets = [node.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                out.setdefault(target.id, []).append(node.value)
    return out


def _typed_literals(expr: ast.expr, names: dict[str, list[ast.expr]], seen: frozenset = frozenset()) -> list[str]:
    """The string literals with words in them that ``expr`` puts into a caption's source text.

    A call's arguments are not looked into (``source_line(id, detail)`` is how a
    caption names its files); a name is followed to the values assigned to it.
    """
    if isinstance(expr, ast.Call):
        return []
    if isinstance(expr, ast.Constant):
        return [expr.value] if isinstance(expr.value, str) and re.search(r"[A-Za-z]", expr.value) else []
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return []
        return [text for value in names.get(expr.id, []) for text in _typed_literals(value, names, seen | {expr.id})]
    found = []
    for child in ast.iter_child_nodes(expr):
        if isinstance(child, ast.expr):
            found += _typed_literals(child, names, seen)
    return found


def typed_sources(text: str) -> list[str]:
    """The typed source texts of a chapter script: ``source=`` arguments holding a string literal."""
    tree = ast.parse(text)
    names = _assignments(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "source":
                    found += [f"line {kw.value.lineno}: {literal!r}" for literal in _typed_literals(kw.value, names)]
    return found


@pytest.mark.parametrize("text", [
    'Finding("k", "t", {}, source="Eurostat, hlth_silc_24 (EU-SILC)", scope="EU-27")',
    'show_figure(fig, "f", title="t", source=f"Eurostat, hlth_silc_24 (EU-SILC, {year})", alt="a", data=d)',
    'X = "MIPEX " + ("EU update" if y >= 2020 else "core")\nshow_table(d, "t", title="t", source=X)',
    'A = source_line("eurostat_x")\nA += "; native-born rates: Eurostat"\nshow_table(d, "t", title="t", source=A)',
    'show_table(d, "t", title="t", source=f"{LFS}; {year}; NUTS 2021")',
])
def test_typed_source_strings_are_found(text):
    assert typed_sources(text)


@pytest.mark.parametrize("text", [
    'Finding("k", "t", {}, source=source_line("eurostat_hlth_silc_24", "EU-SILC"), scope="EU-27")',
    'show_figure(fig, "f", title="t", source=source_line(["a", "b"], f"EU-SILC, {year}"), alt="a", data=d)',
    'X = source_line("mipex_eu_2020_2024" if y >= 2020 else "mipex_core_2007_2019")\nshow_table(d, "t", source=X)',
    'LFS = source_line("eurostat_x")\nshow_table(d, "t", title="t", source=f"{LFS}; {year}")',
    'def f(d, source):\n    show_table(d, "t", title="t", source=source)',
])
def test_sources_from_the_catalogue_pass(text):
    assert typed_sources(text) == []


@pytest.mark.parametrize("script", sorted(CHAPTER_SOURCES.glob("*.py")), ids=lambda p: p.name)
def test_no_chapter_types_a_source_line(script):
    found = typed_sources(script.read_text(encoding="utf-8"))
    assert not found, (f"{script.name}: a figure's, table's or finding's source is typed; build it from the "
                       f"catalogue ids with present.figures.source_line(ids, detail): {found}")
