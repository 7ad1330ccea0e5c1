"""Every processed table a chapter reads is listed in its ``inputs`` in book/params.yml.

The runner decides from ``inputs`` which steps must run before a notebook and
which notebooks a changed table makes stale; a table read but not listed would
leave a chapter "cached" after its data changed. The reads are found in the
notebook's code cells and in the analysis modules it imports (``read_table``
with a literal name; with a variable, every string in the code that names a
processed table counts, e.g. the keys of ``{"hlth_silc_30": ...}`` looped over).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

from inclusion_evidence.core.codehash import PACKAGE_DIR
from inclusion_evidence.core.paths import CHAPTER_SOURCES, PARAMS
from inclusion_evidence.steps.registry import load_steps


def known_tables() -> set[str]:
    return {out for st in load_steps().values() for out in st.outputs}


def _analysis_sources(tree: ast.AST) -> list[str]:
    """Source of the package's analysis modules that ``tree`` imports."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "inclusion_evidence.analysis":
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("inclusion_evidence.analysis."):
            names.add(node.module.split(".")[2])
    files = [PACKAGE_DIR / "analysis" / f"{n}.py" for n in sorted(names)]
    return [f.read_text(encoding="utf-8") for f in files if f.is_file()]


def tables_read(code: str, known: set[str], follow_imports: bool = True) -> set[str]:
    """Processed tables that ``code`` (and the analysis modules it imports) reads."""
    tree = ast.parse(code)
    found, dynamic = set(), False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "read_table":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            else:
                dynamic = True
    if dynamic:
        found |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in known}
    if follow_imports:
        for source in _analysis_sources(tree):
            found |= tables_read(source, known, follow_imports=False)
    return found


def _notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


PARAMS_DOC = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(PARAMS_DOC["notebooks"]))
def test_every_table_a_notebook_reads_is_in_its_inputs(name):
    read = tables_read(_notebook_code(CHAPTER_SOURCES / f"{name}.ipynb"), known_tables())
    missing = sorted(read - set(PARAMS_DOC["notebooks"][name]["inputs"]))
    assert not missing, f"{PARAMS.name}: notebook {name!r} reads {missing} but does not list them in its inputs"


def test_every_listed_input_is_a_processed_table():
    known = known_tables()
    unknown = {name: sorted(set(spec["inputs"]) - known) for name, spec in PARAMS_DOC["notebooks"].items()}
    assert not {k: v for k, v in unknown.items() if v}, unknown


def test_the_reader_sees_literal_dynamic_and_imported_reads():
    known = {"a_table", "b_table", "migr_pop3ctb", "migr_pop1ctz"}
    assert tables_read('x = read_table("a_table")', known) == {"a_table"}
    looped = 'names = {"b_table": "src"}\nfor n in names:\n    read_table(n)\nlabel = "not_a_table"'
    assert tables_read(looped, known) == {"b_table"}
    imported = "from inclusion_evidence.analysis.intro import eu_foreign_population\n"
    assert tables_read(imported, known) == {"migr_pop3ctb", "migr_pop1ctz"}


@pytest.mark.parametrize("name", sorted(PARAMS_DOC["notebooks"]))
def test_no_notebook_lists_a_table_it_never_reads(name):
    """A listed input the chapter does not read makes it re-run for nothing when that table changes."""
    read = tables_read(_notebook_code(CHAPTER_SOURCES / f"{name}.ipynb"), known_tables())
    unread = sorted(set(PARAMS_DOC["notebooks"][name]["inputs"]) - read)
    assert not unread, f"{PARAMS.name}: notebook {name!r} lists {unread} in its inputs but never reads them"
