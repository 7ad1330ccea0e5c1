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


class AuthorYearStyle(PlainStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting


def setup(app):
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
