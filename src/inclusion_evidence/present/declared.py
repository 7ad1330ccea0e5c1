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


def declared_results(tables: dict[str, pd.DataFrame],
                     prepare: Callable[[pd.DataFrame], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``prepare(table)`` for each declared table that has rows, kept where the result has rows.

    The result (by table name, in the order of ``tables``) is what a chapter
    states findings from and draws with :func:`gap_panels_figure`; it is empty
    while no declared file has been added.
    """
    out = {}
    for name, table in tables.items():
        if table.empty:
            continue
        result = prepare(table)
        if len(result):
            out[name] = result
    return out


def gap_panels_figure(results: dict[str, pd.DataFrame], *, group: str, scope: str, prefix: str, panel: str,
                      xlabel: str, subject: str, survey: str, alt: str, source_ids: dict[str, str],
                      ) -> Callable[[str, pd.DataFrame], dict | None]:
    """The ``figure`` of :func:`show_declared_figures` for gaps between a group and nationals, by country.

    For a declared table ``name`` with a result in ``results`` (see
    :func:`declared_results`: ``country``, ``geo``, ``reference``, ``group``,
    ``flag``, ``year`` and the ``panel`` column), the figure is
    :func:`~inclusion_evidence.present.charts.reference_gap_panels` named
    ``<prefix>-<name>``, titled "<subject>: <nationals> and <group>, <scope>,
    <year>", with the source line of the table's catalogue id (``source_ids[name]``)
    and "<survey>, <year>". ``alt`` is
    the alt text with the fields ``{nat}``, ``{group}`` and ``{scope}`` (the
    groups' names in lower case, as the table labels them). ``group`` is the
    citizenship or country-of-birth code compared with ``NAT``.
    """
    from textwrap import fill

    from inclusion_evidence.analysis.common import group_labels
    from inclusion_evidence.present.charts import reference_gap_panels
    from inclusion_evidence.present.figures import source_line

    def figure(name: str, table: pd.DataFrame) -> dict | None:
        gaps = results.get(name)
        if gaps is None:
            return None
        labels = group_labels(table)
        nat, group_name, year = labels["NAT"].lower(), labels.get(group, group).lower(), gaps["year"].iloc[0]
        return dict(fig=reference_gap_panels(gaps, panel=panel, labels=labels, group=group, xlabel=xlabel),
                    name=f"{prefix}-{name.replace('_', '-')}",
                    title=fill(f"{subject}: {nat} and {group_name}, {scope}, {year}", 68),
                    source=source_line(source_ids[name], f"{survey}, {year}"),
                    alt=alt.format(nat=nat, group=group_name, scope=scope),
                    data=gaps, caption="(u): low reliability.")

    return figure
