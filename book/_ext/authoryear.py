"""Author-year labels for the bibliography, to match the author-year citations in the text.

sphinxcontrib-bibtex formats citations in the text as "Author (Year)" but labels the
bibliography with the formatting style's labels (numbers for "plain"). This registers a
pybtex style, ``authoryear``: the entries as "plain" formats them, sorted by author and
year, each labelled as it is cited ("Solano and Huddleston 2020", "Natale et al. 2019",
"OECD 2018a").
"""

from __future__ import annotations

from collections import Counter

from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle


# One plain-text backend for every label: render_as("text") looks the backend up among all the
# installed packages' entry points at each call, which made up most of a no-change HTML build.
_TEXT = PlainTextBackend()


def _surname(person) -> str:
    # A corporate author is one brace-protected "last name"; keep it whole.
    parts = person.rich_prelast_names + person.rich_last_names
    return str(Text(" ").join(parts).render(_TEXT))


def author_year_label(entry) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surname(p) for p in persons if str(p) != "others"]
    has_others = any(str(p) == "others" for p in persons)
    if not names:
        who = entry.fields.get("organization") or entry.fields.get("institution") or entry.key
    elif len(names) == 1 and not has_others:
        who = names[0]
    elif len(names) == 2 and not has_others:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year_label(e) for e in sorted_entries]
        count, seen = Counter(labels), Counter()
        for label in labels:
            if count[label] == 1:
                yield label
            else:  # OECD 2018a, OECD 2018b, in bibliography order
                yield label + chr(ord("a") + seen[label])
                seen[label] += 1


class AuthorYearSorting(BaseSortingStyle):
    """Alphabetical by the label the reader looks up (author, then year), then title."""

    def sorting_key(self, entry):
        return (author_year_label(entry).lower(), entry.fields.get("title", "").lower())


def entry_fingerprint(label: str, entry) -> tuple:
    """Everything ``format_entry`` reads of one entry: its label, type, fields and people."""
    people = tuple((role, tuple(repr((p.first_names, p.middle_names, p.prelast_names, p.last_names,
                                      p.lineage_names)) for p in persons))
                   for role, persons in sorted(entry.persons.items()))
    return (label, entry.key, entry.type, tuple(sorted(entry.fields.items())), people)


# Formatted entries kept between builds in Sphinx's environment (pickled with it): sphinxcontrib-bibtex
# formats every reference at every build, twice (entry and tooltip), which was a fifth of an
# incremental build. `_previous` holds the last build's, `_current` those this build used (so the
# kept set never outgrows the bibliography).
_previous: dict = {}
_current: dict = {}
ENV_ATTR = "authoryear_formatted"


class AuthorYearStyle(PlainStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting

    def format_entry(self, label, entry, bib_data=None):
        if bib_data is not None:   # cross-references read other entries: not kept
            return super().format_entry(label, entry, bib_data)
        key = entry_fingerprint(label, entry)
        found = _current.get(key) or _previous.get(key)
        if found is None:
            found = super().format_entry(label, entry)
        _current[key] = found
        return found


def _bind_cache(app):
    global _previous, _current
    _previous = getattr(app.env, ENV_ATTR, None) or {}
    _current = {}
    setattr(app.env, ENV_ATTR, _current)


def setup(app):
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    app.connect("builder-inited", _bind_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
