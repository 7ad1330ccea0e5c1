"""What every chapter notebook does: style, figure folder, the action at a glance, and the
"About this page" note at its end (parameters, data sources, edition)."""

from __future__ import annotations

from pathlib import Path

from inclusion_evidence.present import escape, figures
from inclusion_evidence.present.figures import markdown_table, show_markdown


def setup(name: str) -> Path:
    """Set the book's style and send this notebook's figures to ``figures/<name>/``."""
    figures.use_style()
    figures.FIGURE_DIR = Path("figures") / name
    return figures.FIGURE_DIR


def _value_text(value) -> str:
    if value is None or value == "" or value == []:
        return "all"
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


def edition() -> dict:
    """The edition's version and release date, as ``CITATION.cff`` states them (empty if it cannot be read)."""
    import yaml

    from inclusion_evidence.core import paths
    from inclusion_evidence.core.yamlio import load_yaml

    try:
        meta = load_yaml((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):  # the note is informative; an unreadable file leaves it out
        return {}
    return {key: str(meta[key]) for key in ("version", "date-released") if isinstance(meta, dict) and meta.get(key)}


def about_this_page_text(parameters: dict | None = None, sources: list[str] | tuple[str, ...] = (),
                         edition_info: dict | None = None) -> str:
    """The MyST text of :func:`about_this_page` (every value escaped; no build commands, no file paths)."""
    lines = ["````{admonition} About this page", ":class: note", ""]
    params = parameters or {}
    if params:
        items = "; ".join(f"{escape.text(k.replace('_', ' '))}: {escape.text(_value_text(v))}"
                          for k, v in params.items())
        lines += [f"**Parameters of this edition of the page:** {items}.", ""]
    info = edition() if edition_info is None else edition_info
    if info:
        parts = []
        if info.get("version"):
            parts.append(f"version {escape.text(info['version'])}")
        if info.get("date-released"):
            parts.append(f"released {escape.text(info['date-released'])}")
        lines += [f"**Edition:** {', '.join(parts)}. When each chapter was last computed: "
                  "{doc}`This edition </edition>`.", ""]
    # The list of sources last: a note split across two pages then carries list items over,
    # never a lone closing line.
    if sources:
        from inclusion_evidence.ingest.catalogue import load_catalogue

        catalogue = load_catalogue()
        lines += ["**Data sources** (each file, its publisher's address, licence and checksum: "
                  "{doc}`Data sources </data_sources>`):", ""]
        for sid in sources:
            if sid not in catalogue:
                raise KeyError(f"about_this_page: {sid!r} is not a source of the data catalogue")
            s = catalogue[sid]
            lines.append(f"- {escape.text(s.publisher)}, {escape.text(s.title)} "
                         f"(dataset {escape.text(s.dataset)})")
        lines.append("")
    lines.append("````")
    return "\n".join(lines) + "\n"


def about_this_page(parameters: dict | None = None, sources: list[str] | tuple[str, ...] = (),
                    edition_info: dict | None = None, **more_parameters) -> None:
    """The "About this page" note for the END of a chapter.

    Parameters
    ----------
    parameters
        The parameters the page was run with (names as in the notebook).
    sources
        Catalogue ids of the data the page uses; each is named with its publisher,
        catalogue title and dataset code.
    edition_info
        ``{"version": ..., "date-released": ...}``; by default read from ``CITATION.cff``.
    **more_parameters
        Further parameters, given by name.
    """
    show_markdown(about_this_page_text({**(parameters or {}), **more_parameters}, sources, edition_info))


def parameters_note(**parameters) -> None:
    """Old name of :func:`about_this_page` (parameters only), kept so notebooks keep running.

    Call :func:`about_this_page` at the end of the chapter instead.
    """
    about_this_page(parameters)


def at_a_glance(number: int) -> None:
    """The action's leader, members, objective, milestones and outcomes, from the Action Plan facts."""
    import pandas as pd

    from inclusion_evidence.ingest.facts import action

    a = action(number)
    milestones = pd.DataFrame(a["timeline"], columns=["milestone", "start", "end"])
    bullets = "\n".join(f"- {escape.text(o)}" for o in a["expected_outcomes"])
    text = (f"````{{admonition}} Action {number} at a glance\n:class: tip\n\n"
            f"**Leader(s):** {escape.text(', '.join(a['leaders']))}\n\n"
            f"**Action group:** {escape.text(', '.join(a['members']) or 'not listed')}\n\n"
            f"**Objective:** {escape.text(a['objective'])}\n\n"
            + (f"**Expected outcomes:**\n\n{bullets}\n\n" if bullets else "")
            + f"**Milestones (Annex II):**\n\n"
            f"{markdown_table(milestones.rename(columns=str.capitalize)) if len(milestones) else 'none listed'}\n\n"
            f"Source: Action Plan, {escape.text(a['source']['section'])} {{cite:p}}`actionplan2021`.\n````\n")
    show_markdown(text)
