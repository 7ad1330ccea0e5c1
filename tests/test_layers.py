"""The package's imports point down the layers and never form a cycle.

Every ``import`` and ``from ... import`` statement of every module is read with
``ast`` (those inside functions included, since a lazy import is still a
dependency), resolved to the package module it names, and checked against the
layer order. A failure names both files.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

import inclusion_evidence

PACKAGE = "inclusion_evidence"
PACKAGE_DIR = Path(inclusion_evidence.__file__).resolve().parent
# Low to high; a module may import its own layer and the layers below it.
LAYERS = ("core", "ingest", "steps", "analysis", "present", "orchestration", "cli")
TOP_LEVEL = {PACKAGE: "core", f"{PACKAGE}.cli": "cli", f"{PACKAGE}.__main__": "cli"}
DRAWING = ("matplotlib", "seaborn")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def layer(module: str) -> str:
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    return module.split(".")[1]


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if modules()[importer].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str) -> list[tuple[str, int]]:
    """(imported name, line) for every import statement of ``module``, package or not."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in modules() else target, node.lineno))
    return sorted(set(found), key=lambda x: (x[1], x[0]))


def package_imports(module: str) -> list[tuple[str, int]]:
    """Imports of other package modules (a missing submodule resolves to its closest parent)."""
    out = []
    for name, line in imports(module):
        while name and name not in modules():
            name = name.rpartition(".")[0]
        if name.startswith(PACKAGE) and name != module:
            out.append((name, line))
    return sorted(set(out), key=lambda x: (x[1], x[0]))


def _file(module: str) -> str:
    return modules()[module].relative_to(PACKAGE_DIR.parent).as_posix()


def test_every_layer_is_known():
    unknown = sorted({layer(m) for m in modules()} - set(LAYERS))
    assert not unknown, f"modules outside the known layers {LAYERS}: {unknown}"


def test_imports_point_down_the_layers():
    upward = [f"{_file(m)}:{line} ({layer(m)}) imports {_file(t)} ({layer(t)})"
              for m in modules() for t, line in package_imports(m)
              if LAYERS.index(layer(t)) > LAYERS.index(layer(m))]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One ring per back edge found by a depth-first walk (empty when the graph has no cycle)."""
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for m in graph:
        if m not in state:
            visit(m, [])
    return cycles


def test_find_cycles_finds_a_ring_and_passes_a_tree():
    assert find_cycles({"a": ["b"], "b": ["c"], "c": ["a"]}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": ["b", "c"], "b": ["c"], "c": []}) == []


def test_no_import_cycle():
    graph = {m: sorted({t for t, _ in package_imports(m)}) for m in modules()}
    cycles = [" -> ".join(_file(r) for r in ring) for ring in find_cycles(graph)]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_analysis_neither_draws_nor_imports_presentation():
    bad = [f"{_file(m)}:{line} imports {name}" for m in modules() if layer(m) == "analysis"
           for name, line in imports(m)
           if name.split(".")[0] in DRAWING or name.startswith(f"{PACKAGE}.present")]
    assert not bad, "analysis must return tables, not draw:\n" + "\n".join(bad)


def test_no_chapter_module_imports_another():
    shared = {f"{PACKAGE}.analysis", f"{PACKAGE}.analysis.common", f"{PACKAGE}.analysis.synthesis_views",
              f"{PACKAGE}.analysis.overview"}
    # the country and region profiles call the chapters' functions (the region's, the country profile's map
    # frame too); no chapter's module imports them
    composers = {f"{PACKAGE}.analysis.profile", f"{PACKAGE}.analysis.region_profile"}
    bad = [f"{_file(m)}:{line} imports {_file(t)}" for m in modules()
           if layer(m) == "analysis" and m not in shared and m not in composers
           for t, line in package_imports(m) if layer(t) == "analysis" and t not in shared]
    assert not bad, "a chapter's analysis module imports another chapter's:\n" + "\n".join(bad)


@pytest.mark.parametrize("source, importer, expected", [
    ("from ..present import figures\n", f"{PACKAGE}.analysis.health", f"{PACKAGE}.present.figures"),
    ("def f():\n    from inclusion_evidence.present.maps import frame_europe\n", f"{PACKAGE}.analysis.health",
     f"{PACKAGE}.present.maps"),
    ("import inclusion_evidence.cli\n", f"{PACKAGE}.core.paths", f"{PACKAGE}.cli"),
])
def test_the_walker_sees_relative_lazy_and_absolute_imports(source, importer, expected, monkeypatch, tmp_path):
    path = tmp_path / "m.py"
    path.write_text(source)
    monkeypatch.setitem(modules(), importer, path)
    assert expected in {t for t, _ in package_imports(importer)}


# Each chapter notebook computes with its own analysis module (plus the shared ones).
CHAPTER_MODULES = {
    "action_1_healthcare": "health", "action_2_mental_health": "mental_health", "action_3_art_culture": "culture",
    "action_4_lgbtqi": "lgbtqi", "action_5_evidence_policymaking": "regional",
    "action_6_financial_instruments": "funding", "action_7_children": "children",
    "intro": "intro", "partnership": "partnership",
}


def _notebook_analysis_modules(path: Path) -> set[str]:
    import json

    found = set()
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.ImportFrom) and node.module == f"{PACKAGE}.analysis":
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"{PACKAGE}.analysis."):
                found.add(node.module.split(".")[2])
    return found - {"common", "synthesis_views", "overview"}


@pytest.mark.parametrize("notebook, module", sorted(CHAPTER_MODULES.items()))
def test_each_chapter_imports_its_own_analysis_module(notebook, module):
    from inclusion_evidence.core.paths import CHAPTER_SOURCES

    assert _notebook_analysis_modules(CHAPTER_SOURCES / f"{notebook}.ipynb") == {module}
