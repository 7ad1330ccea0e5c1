"""The set-up shared by the chapters that compare a citizenship group with nationals (chapters 1 and 2).

Both chapters take the same three parameters (``citizen_group``, ``scope``,
``countries``) and name the group and the scope in the same words; they also
wrap figure titles to the figure's width the same way.
"""

from __future__ import annotations

from textwrap import fill
from typing import NamedTuple

from inclusion_evidence.analysis.common import CITIZEN_LABELS
from inclusion_evidence.core.geo_codes import scope_countries, scope_label
from inclusion_evidence.present.figures import raise_small_text, show_figure

TITLE_WIDTH = 68  # characters of a wrapped figure title


class CitizenshipPage(NamedTuple):
    """The words and the countries of a chapter comparing ``citizen_group`` with nationals."""

    group: str            # e.g. "Non-EU citizens"
    group_lc: str         # the same in a sentence: "non-EU citizens"
    scope: str            # the scope's label, e.g. "EU-27"
    scope_countries: str  # "EU-27 countries" (the label when it already ends in "countries")
    in_scope: list[str]   # the scope's geo codes, kept to ``countries`` when that is not empty


def citizenship_page(citizen_group: str, scope: str, countries: list[str] | tuple[str, ...] = ()) -> CitizenshipPage:
    """The group's and scope's words and the countries covered; an unknown group or scope raises."""
    if citizen_group not in CITIZEN_LABELS:
        raise ValueError(f"citizen_group {citizen_group!r}: use one of {', '.join(CITIZEN_LABELS)}")
    group = CITIZEN_LABELS[citizen_group]
    label = scope_label(scope)
    return CitizenshipPage(
        group=group, group_lc=group[0].lower() + group[1:], scope=label,
        scope_countries=label if label.endswith("countries") else f"{label} countries",
        in_scope=sorted(c for c in scope_countries(scope) if not countries or c in countries))


def show_wrapped(fig, name: str, *, title: str, **kw):
    """:func:`~inclusion_evidence.present.figures.show_figure` with small text raised and the title wrapped."""
    raise_small_text(fig)
    return show_figure(fig, name, title=fill(title, TITLE_WIDTH), **kw)
