"""The registry of processing steps: a leaf that step modules and orchestration both import.

A step module declares itself with ``@step(name, inputs, outputs)``; importing the
``steps`` package registers every step. Orchestration reads ``STEPS`` to plan and
run them; nothing here runs a step.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

import pandas as pd


@dataclass
class Step:
    name: str
    inputs: tuple[str, ...]           # catalogue source ids (raw files)
    outputs: tuple[str, ...]          # processed table names (``<name>.parquet``)
    func: Callable[..., dict[str, pd.DataFrame]]
    optional: tuple[str, ...] = ()    # declared sources used when present

    def code_hashes(self) -> dict[str, str]:
        """The step function, its module and every package module it imports (readers, code lists...)."""
        import inspect

        from inclusion_evidence.core.codehash import closure, hashes

        own = hashlib.sha256(inspect.getsource(self.func).encode()).hexdigest()
        return {"step function": own, **hashes(closure({self.func.__module__}))}


STEPS: dict[str, Step] = {}


def step(name: str, inputs: list[str], outputs: list[str], optional: list[str] | None = None):
    """Register a processing step."""
    def register(func):
        if name in STEPS:
            raise ValueError(f"step {name!r} registered twice")
        STEPS[name] = Step(name, tuple(inputs), tuple(outputs), func, tuple(optional or ()))
        return func
    return register



def load_steps() -> dict[str, Step]:
    """Import the step modules so that they register themselves."""
    import importlib

    importlib.import_module("inclusion_evidence.steps")
    return STEPS


def sources_by_table() -> dict[str, tuple[str, ...]]:
    """Which raw sources (required and optional) each processed table comes from."""
    load_steps()
    return {out: st.inputs + st.optional for st in STEPS.values() for out in st.outputs}
