"""What every chapter notebook does first: style, figure folder, the action at a glance, parameters used."""

from __future__ import annotations

from pathlib import Path

from inclusion_evidence.present import figures
from inclusion_evidence.present.figures import markdown_table, show_markdown


def setup(name: str) -> Path:
    """Set the book's style and send this notebook's figures to ``figures/<name>/``."""
    figures.use_style()
    figures.FIGURE_DIR = Path("figures") / name
    return figures.FIGURE_DIR


def parameters_note(**parameters) -> None:
    """A visible note of the parameters this edition of the page was run with."""
    items = ", ".join(f"`{k}` = `{v}`" for k, v in parameters.items()) or "none"
    show_markdown(f"```{{note}}\nParameters used for this page: {items}. "
                  "Change them in `book/params.yml` and rebuild (see the README).\n```\n")


def at_a_glance(number: int) -> None:
    """The action's leader, members, objective, milestones and outcomes, from the Action Plan facts."""
    import pandas as pd

    from inclusion_evidence.ingest.facts import action

    a = action(number)
    milestones = pd.DataFrame(a["timeline"], columns=["milestone", "start", "end"])
    bullets = "\n".join(f"- {o}" for o in a["expected_outcomes"])
    text = (f"```{{admonition}} Action {number} at a glance\n:class: tip\n\n"
            f"**Leader(s):** {', '.join(a['leaders'])}\n\n"
            f"**Action group:** {', '.join(a['members']) or 'not listed'}\n\n"
            f"**Objective:** {a['objective']}\n\n"
            f"**Expected outcomes:**\n\n{bullets}\n\n"
            f"**Milestones (Annex II):**\n\n"
            f"{markdown_table(milestones.rename(columns=str.capitalize)) if len(milestones) else 'none listed'}\n\n"
            f"Source: Action Plan, {a['source']['section']} {{cite:p}}`actionplan2021`.\n```\n")
    show_markdown(text)
