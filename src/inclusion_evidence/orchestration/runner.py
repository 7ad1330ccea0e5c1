"""Execute the chapter notebooks with papermill: validated parameters, data-aware cache, parallel.

``book/params.yml`` says which notebook runs with which parameters and which
processed tables it reads. A notebook is re-executed only when its cache key
changes: the hash of its source, its parameters, the checksums of its input
tables and of the raw sources behind them, the catalogue entries of those sources
and of any the notebook names (captions print them), the Action Plan files it
reads, the lock file, the package modules it imports and a manual epoch.
Executions happen in a staging folder; the executed edition in
``book/chapters/`` is replaced only when every selected notebook succeeded.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError, ParameterError
from inclusion_evidence.core.yamlio import read_yaml_file
from inclusion_evidence.ingest.catalogue import load_catalogue, sha256_of

META_KEY = "inclusion_evidence"
KERNEL_SHUTDOWN = "immediate"     # nbclient's NotebookClient.shutdown_kernel, for every executed notebook
LOCK_FILE = "requirements-lock.txt"


@dataclass
class NotebookSpec:
    name: str
    title: str
    kind: str                       # front | chapter
    inputs: list[str]
    parameters: dict
    allowed: dict = field(default_factory=dict)
    notebook: str = ""              # the source's stem when not the name (profiles: orchestration/fanout.py)

    @property
    def source(self) -> Path:
        return paths.CHAPTER_SOURCES / f"{self.notebook or self.name}.ipynb"

    @property
    def executed(self) -> Path:
        return paths.EDITION / f"{self.name}.ipynb"


def load_params(path: str | Path | None = None) -> tuple[int, dict[str, NotebookSpec]]:
    """Read ``book/params.yml``; returns (epoch, notebooks in book order)."""
    path = Path(path or paths.PARAMS)
    doc = read_yaml_file(path, "parameter file", error=ParameterError)
    if not isinstance(doc, dict) or "notebooks" not in doc:
        raise ParameterError(path, "expected top-level keys 'epoch' and 'notebooks'")
    specs = {}
    for name, entry in doc["notebooks"].items():
        entry = entry or {}
        unknown = set(entry) - {"title", "kind", "inputs", "parameters", "allowed"}
        if unknown:
            raise ParameterError(path, f"notebook '{name}': unknown key(s) {', '.join(sorted(unknown))}")
        specs[name] = NotebookSpec(name=name, title=entry.get("title", name), kind=entry.get("kind", "chapter"),
                                   inputs=list(entry.get("inputs") or []),
                                   parameters=dict(entry.get("parameters") or {}),
                                   allowed=dict(entry.get("allowed") or {}))
    from inclusion_evidence.orchestration.fanout import SECTION, expand_fanouts  # profiles: one spec per value
    specs.update({n: NotebookSpec(**kw) for n, kw in expand_fanouts(doc.get(SECTION), path, taken=specs).items()})
    return int(doc.get("epoch", 0)), specs


_PY_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool, "list": list, "dict": dict}


_DECLARED: dict[tuple, dict[str, dict]] = {}


def declared_parameters(notebook: Path) -> dict[str, dict]:
    """The parameters a notebook declares in its ``parameters`` cell (name -> type, default).

    Read once per version of the file in a process: the 27 country profiles share one notebook.
    """
    import papermill as pm

    key = _version(notebook)
    if key is None or key not in _DECLARED:
        try:
            found = pm.inspect_notebook(str(notebook))
        except Exception as exc:  # no kernelspec, unreadable JSON, ...
            raise ParameterError(notebook, f"cannot read its parameters cell ({type(exc).__name__}: {exc})") from None
        if key is None:
            return found
        _DECLARED[key] = found
    return copy.deepcopy(_DECLARED[key])


def _declared_type(info: dict) -> str:
    """The parameter's type: papermill's (from an annotation), else that of its literal default."""
    import ast

    type_name = info.get("inferred_type_name", "None")
    if type_name in _PY_TYPES:
        return type_name
    try:
        default = ast.literal_eval(str(info.get("default", "")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "None"
    name = type(default).__name__
    return name if name in _PY_TYPES else "None"


def validate_parameters(spec: NotebookSpec, params_path: Path | None = None) -> None:
    """Unknown names, wrong types and values outside ``allowed`` are errors, not warnings."""
    where = params_path or paths.PARAMS
    if not spec.source.exists():
        raise ParameterError(where, f"notebook '{spec.name}': source {spec.source.name} not found in chapters/")
    declared = declared_parameters(spec.source)
    for key, value in spec.parameters.items():
        if key not in declared:
            raise ParameterError(where, f"notebook '{spec.name}': unknown parameter '{key}'; "
                                        f"it declares: {', '.join(sorted(declared)) or 'none'}")
        type_name = _declared_type(declared[key])
        expected = _PY_TYPES.get(type_name)
        if expected is not None and not isinstance(value, expected) or (
                type_name == "int" and isinstance(value, bool)):
            raise ParameterError(where, f"notebook '{spec.name}': parameter '{key}' must be {type_name}, "
                                        f"got {type(value).__name__} {value!r}")
        rule = spec.allowed.get(key)
        if rule is not None:
            allowed = allowed_values(spec, key, rule, where)
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if v not in allowed]
            if bad and isinstance(rule, dict):
                raise ParameterError(where, f"notebook '{spec.name}': parameter '{key}' value {bad[0]!r} is not "
                                            f"in the data: table {rule['table']}, column {rule['column']} has "
                                            f"{_compact(allowed) or 'no values'}")
            if bad:
                raise ParameterError(where, f"notebook '{spec.name}': parameter '{key}' value {bad[0]!r} "
                                            f"not allowed; allowed: {allowed}")


_RULE_KEYS = {"table", "column", "min", "max"}


def allowed_values(spec: NotebookSpec, key: str, rule, where: Path | str) -> list:
    """The values a parameter may take: a plain list, or those present in a processed table's column.

    ``{table: T, column: C}`` (optionally ``min``/``max``, the edition's bounds)
    takes the distinct values of column ``C`` of ``data/processed/T.parquet``,
    so a year the data lacks is refused before anything runs.
    """
    if not isinstance(rule, dict):
        return list(rule)
    unknown = set(rule) - _RULE_KEYS
    if unknown or not {"table", "column"} <= set(rule):
        raise ParameterError(where, f"notebook '{spec.name}': allowed values of '{key}' must be a list or "
                                    f"{{table: ..., column: ..., min: ..., max: ...}}, got {rule}")
    import pyarrow.parquet as pq

    from inclusion_evidence.core.tables import table_path

    path = table_path(rule["table"])
    if not path.exists():
        raise ParameterError(where, f"notebook '{spec.name}': the values allowed for '{key}' come from table "
                                    f"'{rule['table']}', which is missing ({path}): run `make data` first")
    if rule["column"] not in pq.read_schema(path).names:
        raise ParameterError(where, f"notebook '{spec.name}': the values allowed for '{key}' come from column "
                                    f"'{rule['column']}' of table '{rule['table']}', which has no such column")
    column = pq.read_table(path, columns=[rule["column"]]).column(0).unique().to_pylist()
    values = sorted(v for v in column if v is not None)
    if "min" in rule:
        values = [v for v in values if v >= rule["min"]]
    if "max" in rule:
        values = [v for v in values if v <= rule["max"]]
    return values


def _compact(values: list) -> str:
    """``[2015, 2016, 2017, 2020]`` -> ``"2015-2017, 2020"``; other values listed as they are."""
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return ", ".join(map(str, values))
    runs, start = [], values[0]
    for prev, cur in zip(values, values[1:] + [None]):
        if cur is None or cur != prev + 1:   # a run ends
            runs.append(f"{start}-{prev}" if prev != start else str(start))
            start = cur
    return ", ".join(runs)


def _version(path: Path) -> tuple | None:
    """What identifies one version of a file in this process (``None`` when it is absent)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino)


# Source notebooks, read once per version of the file: profiles fanned out from one notebook share it.
_SOURCES: dict[tuple, nbformat.NotebookNode] = {}


def _read_source(path: Path) -> nbformat.NotebookNode:
    """A source notebook (read-only: callers must not change it)."""
    key = _version(path)
    if key is None:
        return nbformat.read(path, as_version=4)    # raises the reader's own error for a missing file
    if key not in _SOURCES:
        _SOURCES[key] = nbformat.read(path, as_version=4)
    return _SOURCES[key]


def _notebook_source_hash(path: Path) -> str:
    nb = _read_source(path)
    cells = [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


_HASHES: dict[tuple, str | None] = {}


def _file_hash(path: Path) -> str | None:
    """sha256 of a file (``None`` when absent), computed once per version of the file in a process."""
    key = _version(path)
    if key is None:
        return None
    if key not in _HASHES:
        _HASHES[key] = sha256_of(path)
    return _HASHES[key]


_CATALOGUES: dict[tuple, dict] = {}


def _catalogue() -> dict:
    """The catalogue, read and checked once per version of its file (read-only for the cache key)."""
    key = _version(paths.CATALOGUE)
    if key is None:
        return load_catalogue()     # names the missing file
    if key not in _CATALOGUES:
        _CATALOGUES.clear()
        _LOCAL_PATHS.clear()
        _CATALOGUES[key] = load_catalogue()
    return _CATALOGUES[key]


_LOCAL_PATHS: dict[tuple[str, str], Path] = {}


def _local_path(src) -> Path:
    """``src.local_path`` (checked to stay inside data/raw/), once per entry of a catalogue version."""
    key = (src.id, src.path)
    if key not in _LOCAL_PATHS:
        _LOCAL_PATHS[key] = src.local_path
    return _LOCAL_PATHS[key]


def cache_parts(spec: NotebookSpec, epoch: int) -> dict:
    """Everything that decides a notebook's output, as named parts (for 'why it re-ran')."""
    from inclusion_evidence.core.codehash import notebook_code_hashes
    from inclusion_evidence.core.tables import table_path
    from inclusion_evidence.steps.registry import sources_by_table

    catalogue = _catalogue()
    behind = sources_by_table()
    texts = _notebook_texts(spec)
    inputs = {}

    def add_source(sid: str) -> None:
        src = catalogue[sid]
        # The file as it is, not as the catalogue says: an edited or deleted raw file makes the chapter stale.
        inputs[f"source:{sid}"] = _file_hash(_local_path(src))
        # The entry itself: captions print its publisher, dataset and retrieval date (figures.source_line).
        inputs[f"catalogue:{sid}"] = _entry_hash(src)

    for table in spec.inputs:
        p = table_path(table)
        if not p.exists():
            raise DataError(p, f"notebook '{spec.name}' reads table '{table}', which is missing: run `make data`")
        inputs[f"table:{table}"] = _file_hash(p)
        for sid in behind.get(table, ()):
            add_source(sid)
    for sid in cited_sources(spec, catalogue, texts):
        add_source(sid)
    lock = paths.ROOT / LOCK_FILE
    data = {f"data:{name}": (_file_hash(path) if path.is_file() else None)
            for name, path in sorted(data_files(spec, texts).items())}
    return {
        "notebook": _notebook_source_hash(spec.source),
        "parameters": hashlib.sha256(json.dumps(spec.parameters, sort_keys=True).encode()).hexdigest(),
        "lock": _file_hash(lock),
        # One part per module the notebook runs, so 'why it re-ran' names the module.
        **{f"code:{module}": digest for module, digest in notebook_code_hashes(
            spec.source, [src for kind, src in texts.cells if kind == "code"]).items()},
        "epoch": epoch,
        **inputs,
        **data,
    }


# The entry's checksum and size describe the file, which its own part (source:<id>) covers.
_FILE_FIELDS = ("sha256", "bytes")


def _entry_hash(src) -> str:
    """sha256 of a catalogue entry as written (publisher, dataset, title, url, licence, retrieved, ...)."""
    entry = {k: v for k, v in src.to_yaml().items() if k not in _FILE_FIELDS}
    return hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class _Texts:
    """A notebook's cells and the package modules it imports (path in the package -> text)."""

    cells: list[tuple[str, str]]        # (cell type, source)
    modules: dict[str, str]


def _notebook_texts(spec: NotebookSpec) -> _Texts:
    from inclusion_evidence.core.codehash import PACKAGE_DIR, closure, module_file, notebook_imports

    nb = _read_source(spec.source)
    cells = [(c.cell_type, c.source) for c in nb.cells]
    modules = {}
    for module in sorted(closure(notebook_imports([src for kind, src in cells if kind == "code"]))):
        path = module_file(module)
        modules[path.relative_to(PACKAGE_DIR).as_posix()] = path.read_text(encoding="utf-8")
    return _Texts(cells, modules)


_QUOTED = re.compile(r"""(["'])([\w.-]+)\1""")


def cited_sources(spec: NotebookSpec, catalogue: dict, texts: _Texts | None = None) -> list[str]:
    """The catalogue ids a notebook names in its code or in the package modules it imports.

    ``source_line("id")``, ``about_this_page(sources=[...])``, ``missing_evidence_note(..., ["id"])``,
    a dict of ids: any quoted string that is a catalogue id counts, since the page may print that
    entry. An id built at run time (an f-string) is not seen; such a source must sit behind an input
    table. Naming one more than the page prints only makes it re-run more often.
    """
    texts = texts or _notebook_texts(spec)
    code = [src for kind, src in texts.cells if kind == "code"] + list(texts.modules.values())
    found = set().union(*(_quoted(text) for text in code))
    return [sid for sid in catalogue if sid in found]


@lru_cache(maxsize=512)
def _quoted(text: str) -> frozenset[str]:
    """The quoted words of a text (scanned once per text: every chapter imports the same modules)."""
    return frozenset(m.group(2) for m in _QUOTED.finditer(text))


# The Action Plan files (and the bibliography) each fact-reading function reads.
# A chapter calls them from its cells or through a package module it imports.
_FACT_FILES = {
    "load_actions": ("actions.yml", "@bib"), "action": ("actions.yml", "@bib"),
    "actions_timeline": ("actions.yml", "@bib"), "load_document": ("document.yml", "@bib"),
    "load_members": ("members.yml",), "load_first_phase_actions": ("first_phase_actions.yml",),
    "load_glossary": ("glossary.yml",), "bib_keys": ("@bib",),
    # present.figures.source_line("action_plan") prints the plan's title from its document file.
    "_plan_name": ("document.yml",),
}
_CALL = re.compile(r"(?<![\w.])(?:facts\.|synthesis\.)?(" + "|".join(_FACT_FILES) + r"|load_synthesis|load_all|"
                   r"available_syntheses)\s*\(\s*(?:([\"'])([\w-]+)\2\s*\))?")
_DEF = re.compile(r"^\s*def\s", re.M)
# The modules that define the readers: their own calls to each other are not a chapter's reads.
_READER_MODULES = ("ingest/facts.py", "ingest/synthesis.py")


def data_files(spec: NotebookSpec, texts: _Texts | None = None) -> dict[str, Path]:
    """The Action Plan files and the bibliography a notebook reads, by their path in the project.

    Found in the notebook's cells and in the package modules it imports: a call of a
    fact reader names its file; ``load_synthesis("name")`` names one synthesis file, any
    other call of the synthesis readers every one of them; a ``{cite}`` role, the
    bibliography. Reading more than needed only makes a chapter re-run more often.
    """
    texts = texts or _notebook_texts(spec)
    read = [src for _, src in texts.cells] + [text for rel, text in texts.modules.items()
                                               if rel not in _READER_MODULES]
    bib = paths.BOOK / "references.bib"
    synthesis_dir = paths.ACTION_PLAN / "synthesis"
    found: dict[str, Path] = {}

    def add(path: Path) -> None:
        base, prefix = (paths.BOOK, "book/") if path.is_relative_to(paths.BOOK) else (paths.RAW, "data/raw/")
        found[prefix + path.relative_to(base).as_posix()] = path

    for text in read:
        if "{cite" in text:
            add(bib)
        for name, literal in _fact_calls(text):
            if name == "load_synthesis" and literal:
                add(synthesis_dir / f"{literal}.yml")
            elif name in ("load_synthesis", "load_all", "available_syntheses"):
                for path in sorted(synthesis_dir.glob("*.yml")):
                    add(path)
            else:
                for file in _FACT_FILES[name]:
                    add(bib if file == "@bib" else paths.ACTION_PLAN / file)
    return found


@lru_cache(maxsize=512)
def _fact_calls(text: str) -> tuple[tuple[str, str | None], ...]:
    """The fact-reader calls in a text, (function, literal argument or None), outside ``def`` lines.

    Scanned once per text: every chapter imports the same modules.
    """
    return tuple((m.group(1), m.group(3)) for line in text.splitlines() if not _DEF.match(line)
                 for m in _CALL.finditer(line))


def cache_key(parts: dict) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def execution_record(spec: NotebookSpec) -> dict:
    """What the executed notebook records of its execution: parts, key, seconds, reason ({} if none)."""
    if not spec.executed.exists():
        return {}
    return nbformat.read(spec.executed, as_version=4).metadata.get(META_KEY, {})


def stored_parts(spec: NotebookSpec) -> dict | None:
    return execution_record(spec).get("parts")


def why_stale(old: dict | None, new: dict) -> str:
    """A short reason naming what changed ('' when nothing did)."""
    if old is None:
        return "not executed yet"
    changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    return ", ".join(changed)


def summarise_reason(reason: str, limit: int = 4, code_style: bool = False) -> str:
    """'code:figures.py, code:maps.py, ...' can be long: name a few parts and count the rest."""
    parts = [p.strip() for p in reason.split(",") if p.strip()]
    shown = ", ".join(f"`{p}`" if code_style else p for p in parts[:limit])
    return shown + (f" and {len(parts) - limit} more" if len(parts) > limit else "")


def _cells_hash(nb) -> str:
    """Hash of a notebook's cells (sources and outputs): what the edition shows of it."""
    return hashlib.sha256(json.dumps(nb.cells, sort_keys=True, default=str).encode()).hexdigest()


def _figure_hashes(folder: Path) -> dict[str, str]:
    """sha256 of each file under a chapter's figures folder, keyed ``figures/NAME/FILE``."""
    if not folder.is_dir():
        return {}
    return {f"figures/{folder.name}/{p.relative_to(folder).as_posix()}": sha256_of(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _tidy_executed(path: Path, spec: NotebookSpec, parts: dict, seconds: float, reason: str,
                   figures: Path | None = None) -> None:
    """Hide the parameter cells and drop volatile metadata so the edition diffs cleanly.

    The record keeps the checksums of the chapter's outputs (its cells and every file of its
    figures folder), so the cache can tell an edition that a crash or a hand edit changed.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            if "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        if "injected-parameters" in tags:
            cell.id = "injected-parameters"     # papermill draws a random id: same inputs, same bytes
        cell.metadata.pop("execution", None)
        pm = cell.metadata.get("papermill")
        if pm is not None:
            cell.metadata.pop("papermill")
    nb.metadata.pop("papermill", None)
    outputs = {"cells": _cells_hash(nb), **_figure_hashes(figures if figures is not None
                                                          else path.parent / "figures" / spec.name)}
    nb.metadata[META_KEY] = {"parts": parts, "key": cache_key(parts), "seconds": round(seconds, 1),
                             "executed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                             "reason": reason, "parameters": spec.parameters, "outputs": outputs}
    nbformat.write(nb, path)


def outputs_changed(spec: NotebookSpec) -> str:
    """'' when the chapter's executed notebook and figures are as recorded; else what differs.

    A chapter whose outputs a crash, a failed install or a hand edit changed is not cached.
    """
    if not spec.executed.exists():
        return "not executed yet"
    try:
        nb = nbformat.read(spec.executed, as_version=4)
    except Exception as exc:  # truncated or hand-broken JSON
        return f"executed notebook unreadable ({type(exc).__name__})"
    recorded = nb.metadata.get(META_KEY, {}).get("outputs")
    if not recorded:
        return "outputs not recorded"
    if recorded.get("cells") != _cells_hash(nb):
        return f"output {spec.name}.ipynb changed"
    now = _figure_hashes(paths.EDITION / "figures" / spec.name)
    files = {k: v for k, v in recorded.items() if k != "cells"}
    missing = sorted(set(files) - set(now))
    changed = sorted(k for k in files if k in now and now[k] != files[k])
    extra = sorted(set(now) - set(files))
    for label, names in (("missing", missing), ("changed", changed), ("unexpected", extra)):
        if names:
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            return f"output {names[0]} {label}{more}"
    return ""


# A notebook's own OSError (writing a figure) reaches us as text.
_DISK_TEXT = {"[Errno 28]": "no space left on the disk", "[Errno 30]": "the disk is read-only",
              "[Errno 122]": "the disk quota is exceeded"}


def execute_notebook(job: tuple[str, str, dict, str, dict]) -> dict:
    """Run one notebook in a worker process (papermill's cwd is per process)."""
    name, source, parameters, staging, parts = job
    import papermill as pm

    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ["MPLBACKEND"] = "Agg"
    out = Path(staging) / f"{name}.ipynb"
    # The kernel inherits this worker's stderr: keep its start-up chatter in a log, off the console.
    log_file = open(Path(staging) / f"{name}.kernel.log", "ab")
    os.dup2(log_file.fileno(), 2)
    t0 = time.perf_counter()
    try:
        # The executed notebook is written once at the end, not after every cell. The kernel is stopped
        # at once when the last cell has replied (nbclient's "immediate" shutdown): every output and file
        # is in by then, and a graceful shutdown only waits about 0.4 s per notebook for the kernel to exit.
        pm.execute_notebook(source, str(out), parameters=parameters, cwd=staging, kernel_name="python3",
                            progress_bar=False, log_output=False, report_mode=False,
                            request_save_on_cell_execute=False, autosave_cell_every=0,
                            shutdown_kernel=KERNEL_SHUTDOWN)
    except pm.PapermillExecutionError as exc:
        # Name the cell by its first line too: execution counts include papermill's injected cell.
        first = next((line.strip() for line in (exc.source or "").splitlines() if line.strip()), "")
        first = first if len(first) <= 60 else first[:57] + "..."
        disk = next((cause for errno, cause in _DISK_TEXT.items() if errno in str(exc.evalue)), None)
        return {"name": name, "ok": False, "seconds": time.perf_counter() - t0, "disk": disk,
                "error": f"cell {exc.exec_count or exc.cell_index} ({first!r}): {exc.ename}: {exc.evalue}"}
    except Exception as exc:  # kernel death, missing kernel, bad notebook file, a full disk
        from inclusion_evidence.core.atomic import disk_problem

        return {"name": name, "ok": False, "seconds": time.perf_counter() - t0, "disk": disk_problem(exc),
                "error": f"{type(exc).__name__}: {exc}"}
    return {"name": name, "ok": True, "seconds": time.perf_counter() - t0}


NEW_EDITION = "edition"
OLD_EDITION = "previous-edition"


def install_executed(staging: Path, done: list[tuple]) -> None:
    """Put the executed notebooks in ``staging`` and their figures into the edition, in one swap.

    A complete new edition is assembled in ``staging/edition`` (the unchanged chapters
    hard-linked from the current one, which needs no space), then two renames swap it
    in. If the process dies between them, :func:`recover_edition` puts the previous
    edition back on the next start: the edition is always the old one or the new one.
    """
    for spec, parts, reason, seconds in done:
        _tidy_executed(staging / f"{spec.name}.ipynb", spec, parts, seconds, reason,
                       figures=staging / "figures" / spec.name)
    new, old = staging / NEW_EDITION, staging / OLD_EDITION
    replaced = {f"{spec.name}.ipynb" for spec, *_ in done} | {f"figures/{spec.name}" for spec, *_ in done}
    _link_tree(paths.EDITION, new, skip=replaced)
    for spec, *_ in done:
        os.replace(staging / f"{spec.name}.ipynb", new / f"{spec.name}.ipynb")
        fig_src = staging / "figures" / spec.name
        if fig_src.exists():
            (new / "figures").mkdir(exist_ok=True)
            os.replace(fig_src, new / "figures" / spec.name)
    os.chmod(new, 0o777 & ~_umask())
    if paths.EDITION.exists():
        os.replace(paths.EDITION, old)
    try:
        os.replace(new, paths.EDITION)
    except OSError:
        if old.exists():
            os.replace(old, paths.EDITION)      # a rename back: needs no space
        raise
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link_tree(src: Path, dst: Path, skip: set[str]) -> None:
    """Copy the tree ``src`` to ``dst`` as hard links (copies where links fail), leaving out ``skip``."""
    dst.mkdir()
    if not src.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(src):
        here = Path(dirpath)
        rel = here.relative_to(src)
        dirnames[:] = [d for d in dirnames if (rel / d).as_posix() not in skip]
        (dst / rel).mkdir(exist_ok=True)
        for name in filenames:
            if (rel / name).as_posix() in skip:
                continue
            try:
                os.link(here / name, dst / rel / name)
            except OSError:
                shutil.copy2(here / name, dst / rel / name)


STAGING_PREFIX = ".staging-"


def recover_edition(log=print) -> None:
    """On start: finish or undo an install that a crash interrupted, and remove staging leftovers.

    Called with the project lock held, so no other command's staging folder is removed.
    """
    if not paths.BOOK.is_dir():
        return
    leftovers = sorted(paths.BOOK.glob(STAGING_PREFIX + "*"), key=lambda p: p.stat().st_mtime)
    for staging in reversed(leftovers):
        old = staging / OLD_EDITION
        if not paths.EDITION.exists() and old.is_dir():
            os.replace(old, paths.EDITION)
            log(f"  put the previous edition back from an interrupted install ({staging.name})")
    for staging in leftovers:
        shutil.rmtree(staging, ignore_errors=True)
    if leftovers:
        log(f"  removed {len(leftovers)} staging folder(s) left by an interrupted run")


def last_seconds(spec: NotebookSpec) -> float:
    """Seconds the notebook took when last executed (0 when never)."""
    return float(execution_record(spec).get("seconds", 0.0))


def write_status(report: list[dict]) -> None:
    """Keep the latest run's status for the 'this edition' page and `status`."""
    from inclusion_evidence.core.atomic import atomic_write_text

    atomic_write_text(paths.BOOK / "_status.json", json.dumps(report, indent=1))
