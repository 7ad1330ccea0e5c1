"""Processing steps: raw files in, validated tidy tables out, once.

Each step is one function with three visible phases (load the raw inputs,
process, return the output tables). The runner around it writes every output
atomically and only when the whole step succeeded, and skips the step when
its cache key (step code + input checksums + library versions) is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from inclusion_evidence.core import paths
from inclusion_evidence.core.atomic import atomic_write_text, publish_mode
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.tables import read_table, table_exists, table_path  # noqa: F401 - re-exported
from inclusion_evidence.ingest.catalogue import Source, load_catalogue, sha256_of
from inclusion_evidence.steps.registry import STEPS, Step, load_steps, sources_by_table  # noqa: F401 - re-exported

STATE_FILE = "_steps.json"


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("pandas", "numpy", "geopandas", "shapely", "pyarrow", "pyogrio", "python-calamine"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "-"
    return out


def step_parts(st: Step, catalogue: dict[str, Source]) -> dict:
    """What decides a step's output: code, inputs' checksums, library versions."""
    parts = {"code": st.code_hashes(), "versions": _versions(), "inputs": {}}
    for sid in st.inputs:
        parts["inputs"][sid] = catalogue[sid].sha256
    for sid in st.optional:
        src = catalogue[sid]
        parts["inputs"][sid] = sha256_of(src.local_path) if src.local_path.exists() else None
    return parts


def step_key(st: Step, catalogue: dict[str, Source]) -> str:
    """Hash of :func:`step_parts`."""
    return hashlib.sha256(json.dumps(step_parts(st, catalogue), sort_keys=True).encode()).hexdigest()


def _flat(parts: dict) -> dict[str, object]:
    return {f"{group[:-1] if group.endswith('s') else group}:{name}": value
            for group, items in parts.items() for name, value in items.items()}


def _what_changed(old: dict | None, new: dict) -> str:
    """'code:ingest/readers/eurostat.py, input:x' from two step_parts (a generic phrase when unrecorded)."""
    if not old:
        return "code, inputs or library versions changed"
    a, b = _flat(old), _flat(new)
    changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
    return shown or "code, inputs or library versions changed"


def load_state() -> dict:
    path = paths.PROCESSED / STATE_FILE
    if path.exists():
        return json.loads(path.read_text())
    return {}


def _write_outputs(st: Step, tables: dict[str, pd.DataFrame]) -> None:
    """Write all outputs to temporary files, then rename them in: all or nothing."""
    import os
    import tempfile

    missing = set(st.outputs) - set(tables)
    extra = set(tables) - set(st.outputs)
    if missing or extra:
        raise DataError(f"step {st.name}", f"returned tables {sorted(tables)}, declared {sorted(st.outputs)}")
    # Every table is checked against its schema before any is written: one bad
    # table keeps all of the step's earlier outputs as they were.
    from inclusion_evidence.ingest.schemas import validate_table

    for name, frame in tables.items():
        validate_table(name, frame, table_path(name))
    paths.PROCESSED.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for name, frame in tables.items():
            fd, tmp = tempfile.mkstemp(dir=paths.PROCESSED, prefix=f".{name}.", suffix=".parquet")
            os.close(fd)
            staged.append((tmp, table_path(name)))
            frame.to_parquet(tmp, index=False)
            publish_mode(tmp)
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def run_step(st: Step, catalogue: dict[str, Source]) -> None:
    for sid in st.inputs:
        src = catalogue[sid]
        if not src.local_path.exists():
            raise DataError(src.local_path, f"raw input '{sid}' missing: run `make fetch` first")
        if not src.declared_only:
            got = sha256_of(src.local_path)
            if got != src.sha256:
                raise DataError(src.local_path, f"raw input '{sid}' differs from the catalogue (sha256 "
                                                f"{got}, catalogue {src.sha256}): `make fetch` puts the "
                                                "locked file back; `make add-data` installs a new one")
    sources = {sid: catalogue[sid].local_path for sid in st.inputs}
    for sid in st.optional:
        if catalogue[sid].local_path.exists():
            sources[sid] = catalogue[sid].local_path
    tables = st.func(sources)
    _write_outputs(st, tables)


def run_step_in_worker(name: str) -> tuple[str, float, str | None]:
    """Run one step in a worker process; return (name, seconds, error message)."""
    import time

    load_steps()
    t0 = time.perf_counter()
    try:
        run_step(STEPS[name], load_catalogue())
    except DataError as exc:
        return name, time.perf_counter() - t0, str(exc)
    except OSError as exc:    # a full or read-only disk is said as such
        from inclusion_evidence.core.atomic import disk_problem

        return name, time.perf_counter() - t0, f"step {name}: {disk_problem(exc) or exc}"
    except Exception as exc:  # a reader bug still names the step and the error
        return name, time.perf_counter() - t0, f"step {name}: {type(exc).__name__}: {exc}"
    return name, time.perf_counter() - t0, None


def _raw_changed(catalogue: dict[str, Source], sids) -> str:
    """'' when each locked raw input is present with its catalogue checksum; else what differs."""
    for sid in sids:
        src = catalogue[sid]
        if src.declared_only:
            continue
        if not src.local_path.exists():
            return f"raw file {src.path} missing"
        if src.local_path.stat().st_size != src.bytes or sha256_of(src.local_path) != src.sha256:
            return f"raw file {src.path} differs from the catalogue"
    return ""


def _tables_changed(name: str, state: dict) -> str:
    """'' when the step's tables are as it wrote them; else which table is missing or was edited."""
    recorded = state.get(name, {}).get("tables")
    for table in STEPS[name].outputs:
        if not table_exists(table):
            return f"table {table} missing"
        if recorded is None:
            return "table checksums not recorded"
        if recorded.get(table) != sha256_of(table_path(table)):
            return f"table {table} changed since the step wrote it"
    return ""


def step_staleness(name: str, catalogue: dict[str, Source], state: dict, key: str | None = None) -> str:
    """Why a step must run ('' when it is cached): key, raw inputs and output tables all checked."""
    st = STEPS[name]
    if name not in state:
        return "not run yet"
    key = key or step_key(st, catalogue)
    changed = state[name].get("key") != key
    return ((_what_changed(state[name].get("parts"), step_parts(st, catalogue)) if changed else "")
            or _raw_changed(catalogue, st.inputs) or _tables_changed(name, state))


def plan_steps(selected: list[str], force: bool, catalogue: dict[str, Source],
               state: dict) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """(report of the cached steps, [(name, key, why)] of the steps to run)."""
    unknown = [n for n in selected if n not in STEPS]
    if unknown:
        raise DataError(paths.PROCESSED, f"unknown step(s): {', '.join(unknown)}")
    report, todo = [], []
    for name in selected:
        st = STEPS[name]
        key = step_key(st, catalogue)
        reason = "forced" if force else step_staleness(name, catalogue, state, key)
        if not reason:
            report.append({"step": name, "status": "cached", "seconds": 0.0})
        else:
            todo.append((name, key, reason))
    return report, todo


def record_step(state: dict, catalogue: dict[str, Source], name: str, key: str, seconds: float) -> None:
    """Remember a step's key after it succeeded (a failed step keeps its old entry, so it runs again)."""
    state[name] = {"key": key, "parts": step_parts(STEPS[name], catalogue), "outputs": list(STEPS[name].outputs),
                   "inputs": {s: catalogue[s].sha256 for s in STEPS[name].inputs},
                   "tables": {t: sha256_of(table_path(t)) for t in STEPS[name].outputs},
                   "seconds": round(seconds, 2)}


def save_state(state: dict) -> None:
    atomic_write_text(paths.PROCESSED / STATE_FILE, json.dumps(state, indent=1, sort_keys=True))


def clean_leftovers() -> int:
    """Remove temporary tables a killed run left in ``data/processed/`` (called under the project lock)."""
    if not paths.PROCESSED.is_dir():
        return 0
    stale = [p for p in paths.PROCESSED.glob(".*.parquet")] + list(paths.PROCESSED.glob(".*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
