"""Which of the package's modules a notebook or a processing step runs, and their hashes.

A cache key that hashed the whole package would re-run every chapter after any
edit; one that hashed only a step's own function would miss an edit to the
reader it calls. This module follows the ``import`` statements (read with
``ast``, never executed) from a starting module through the package, so a key
covers exactly the code that can run.
"""

from __future__ import annotations

import ast
import hashlib
import re
from functools import lru_cache
from pathlib import Path

PACKAGE = "inclusion_evidence"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Orchestration, not computation: it runs steps and notebooks (and importing the
# ``steps`` package registers every step module); its edits change no table and no
# chapter. The registry holds no computation either.
NOT_FOLLOWED = (f"{PACKAGE}.orchestration", f"{PACKAGE}.cli", f"{PACKAGE}.__main__")
NOT_FOLLOWED_EXACT = {f"{PACKAGE}.steps", f"{PACKAGE}.steps.registry"}


def _followed(name: str) -> bool:
    return name not in NOT_FOLLOWED_EXACT and not any(name == n or name.startswith(n + ".") for n in NOT_FOLLOWED)


def module_file(name: str) -> Path | None:
    """The source file of a package module (``None`` for names outside the package)."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    parts = name.split(".")[1:]
    base = PACKAGE_DIR.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of_source(source: str, importer: str = "", is_package: bool = False) -> set[str]:
    """Package modules named by the import statements of ``source`` (at any depth)."""
    found: set[str] = set()
    for node in _import_nodes(source):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(importer, is_package, node)
            found.add(module)
            # ``from pkg import sub`` may name a submodule.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if module_file(name) is not None}


# Import statements at any indentation, parenthesised ones over several lines included.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*)|import[ \t]+[^\n]+)",
                          re.M)


def _import_nodes(source: str) -> list:
    """The import nodes of ``source``, found without walking its whole syntax tree.

    A line that only looks like an import (inside a string) may be counted too;
    that can only make a cache key cover more code, never less.
    """
    nodes = []
    for match in _IMPORT_LINE.finditer(source):
        try:
            nodes.extend(ast.parse(match.group(0).strip()).body)
        except SyntaxError:
            continue
    return [n for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom))]


@lru_cache(maxsize=None)
def _direct_imports(name: str) -> frozenset[str]:
    path = module_file(name)
    source = path.read_text(encoding="utf-8")
    deps = imports_of_source(source, name, path.name == "__init__.py")
    # Importing a submodule runs its parents' __init__ first.
    for dep in list(deps):
        parts = dep.split(".")
        deps.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(deps - {name})


def closure(start: set[str]) -> set[str]:
    """``start`` and every package module it imports, directly or not."""
    seen: set[str] = set()
    todo = [m for m in start if module_file(m) is not None]
    # Importing a submodule runs its parents' __init__ first.
    todo += [parent for m in list(todo) for i in range(1, m.count(".") + 1)
             if _followed(parent := ".".join(m.split(".")[:i]))]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for dep in _direct_imports(name):
            if not _followed(dep):
                continue
            todo.append(dep)
    return seen


def hashes(modules: set[str]) -> dict[str, str]:
    """sha256 of each module's source, keyed by its path inside the package."""
    out = {}
    for name in sorted(modules):
        path = module_file(name)
        out[path.relative_to(PACKAGE_DIR).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def notebook_imports(cells_source: list[str]) -> set[str]:
    """Package modules imported by a notebook's code cells (IPython magics skipped)."""
    found: set[str] = set()
    for source in cells_source:
        text = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        found |= imports_of_source(text)
    return found


def data_file_hashes() -> dict[str, str]:
    """sha256 of the package's non-Python files (the style sheet), which shape every figure."""
    return {path.relative_to(PACKAGE_DIR).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(PACKAGE_DIR.rglob("*"))
            if path.is_file() and path.suffix not in (".py", ".pyc")}


def notebook_code_hashes(notebook: Path, code_cells: list[str] | None = None) -> dict[str, str]:
    """Hashes of the package code a notebook runs: its imports' closure and the package's data files.

    ``code_cells``: the notebook's code cells when the caller has read them already.
    """
    if code_cells is None:
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
        code_cells = [c.source for c in nb.cells if c.cell_type == "code"]
    modules = closure(notebook_imports(code_cells))
    return {**hashes(modules), **data_file_hashes()}
