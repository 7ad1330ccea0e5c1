"""Lineage: which chapter reads which raw source, through the processed tables it reads."""

from __future__ import annotations

from inclusion_evidence.orchestration.runner import load_params
from inclusion_evidence.steps.registry import sources_by_table


def chapters_by_source() -> dict[str, list[str]]:
    """Which notebooks use each raw source (through the tables they read)."""
    _, specs = load_params()
    behind = sources_by_table()
    out: dict[str, list[str]] = {}
    for spec in specs.values():
        for table in spec.inputs:
            for sid in behind.get(table, ()):
                out.setdefault(sid, [])
                if spec.title not in out[sid]:
                    out[sid].append(spec.title)
    return out
