"""Sections built on declared sources: tables a chapter can use when they are supplied (add-data).

A declared source's processed table is empty until its file is added; the
section then shows its figure, and until then says which evidence is missing.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from inclusion_evidence.present.figures import missing_evidence_note, show_figure


def show_declared_figures(tables: dict[str, pd.DataFrame], source_ids: list[str], what: str,
                          figure: Callable[[str, pd.DataFrame], dict | None], why: str = "") -> bool:
    """One figure per declared table that has rows, or a "missing evidence" note naming ``source_ids``.

    ``figure(name, table)`` returns the keyword arguments of
    :func:`~inclusion_evidence.present.figures.show_figure` (``fig`` and ``name``
    included), or ``None`` when the table holds nothing for this page's
    parameters. ``why`` (optional) is the note's plain words on why the missing
    evidence matters. Returns whether any figure was shown.
    """
    shown = False
    for name, table in tables.items():
        spec = figure(name, table) if not table.empty else None
        if spec is None:
            continue
        show_figure(spec.pop("fig"), spec.pop("name"), **spec)
        shown = True
    if not shown:
        missing_evidence_note(what, source_ids, **({"why": why} if why else {}))
    return shown
