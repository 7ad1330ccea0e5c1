"""Key findings at the top of a chapter, computed and glued, never typed.

A chapter builds a few :class:`Finding` records from its tables: a sentence
template with named values (each with its format, and its Eurostat flag if it
has one), the source, the scope and the year. :func:`show_key_findings`
displays them, right under the chapter's title, as a "Key findings" list
followed by "What this means for the Partnership", and glues each sentence and
each formatted value under stable keys, so that other pages (the front page's
executive summary) reuse them with
``{glue:text}`chapters/action_1_healthcare.ipynb::ch1_key_employment:s```
(the ``:s`` is required with a document path: without a format the role
takes the text after the last colon as the format). A finding whose data
is missing says "Not available: <reason>." instead of a number.

Every sentence is text: values, names and templates are escaped
(:mod:`.escape`), so a string from data never becomes markup.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from string import Formatter

from inclusion_evidence.core.flags import is_low_reliability, with_reliability
from inclusion_evidence.present import escape
from inclusion_evidence.present.figures import show_markdown

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Value:
    """One number (or word) of a finding, with its format and its Eurostat flag.

    ``fmt`` is a :meth:`str.format` pattern such as ``"{:.1f} pp"`` or
    ``"{:,.0f}"``; a value flagged of low reliability (``flag="u"``) is written
    with " (low reliability)" after it.
    """

    value: object
    fmt: str = "{}"
    flag: object = None

    @property
    def missing(self) -> bool:
        v = self.value
        return v is None or (isinstance(v, float) and math.isnan(v)) or (hasattr(v, "__len__") and len(v) == 0)

    def text(self) -> str:
        return with_reliability(self.fmt.format(self.value), self.flag)

    @property
    def low_reliability(self) -> bool:
        return is_low_reliability(self.flag)


@dataclass(frozen=True)
class Finding:
    """One key finding.

    Parameters
    ----------
    key
        Stable glue key (letters, digits, ``_``), e.g. ``"ch1_key_employment_gap"``;
        the sentence is glued under it and each value under ``<key>_<name>``.
    template
        The sentence with named fields, e.g. ``"In {year}, {rate} of non-EU citizens
        aged 20-64 in the EU-27 were employed, against {nationals} of nationals."``.
    values
        ``{name: Value(...)}`` (a bare number or word is taken as ``Value(v)``).
    source
        Publisher and dataset, e.g. ``"Eurostat, lfsa_ergan"``.
    scope
        The countries the numbers cover, e.g. ``"EU-27"``.
    year
        The reference year (or period) of the numbers.
    missing
        Why the finding cannot be computed in this edition (the sentence is then
        "Not available: <missing>."); a missing value without a reason says which.
    """

    key: str
    template: str
    values: dict = field(default_factory=dict)
    source: str = ""
    scope: str = "EU-27"
    year: object = None
    missing: str | None = None

    def __post_init__(self):
        if not _KEY.match(self.key):
            raise ValueError(f"finding key {self.key!r}: use letters, digits and '_', starting with a letter")
        fields = {name for _, name, _, _ in Formatter().parse(self.template) if name}
        values = {name: v if isinstance(v, Value) else Value(v) for name, v in self.values.items()}
        unknown = fields - set(values) - {"year", "scope"}
        if unknown and not self.missing:
            raise ValueError(f"finding {self.key!r}: the template names {', '.join(sorted(unknown))}, "
                             "which have no value")
        object.__setattr__(self, "values", values)

    @property
    def reason_missing(self) -> str | None:
        """Why the finding is not available, or ``None`` when it is."""
        if self.missing:
            return self.missing
        gone = [name for name, v in self.values.items() if v.missing]
        if gone:
            return f"the data give no value for {', '.join(gone)}"
        return None

    def formatted(self) -> dict[str, str]:
        """Each value as the sentence shows it (plain text, not escaped)."""
        out = {name: v.text() for name, v in self.values.items()}
        out.setdefault("year", "" if self.year is None else str(self.year))
        out.setdefault("scope", self.scope)
        return out

    def sentence(self) -> str:
        """The finding as one plain-text sentence (not escaped)."""
        reason = self.reason_missing
        if reason:
            return f"Not available: {reason}."
        return self.template.format_map(self.formatted())

    def provenance(self) -> str:
        """Scope, source and year in a few words, e.g. "EU-27; Eurostat, lfsa_ergan, 2023"."""
        tail = ", ".join(str(p) for p in (self.source, self.year) if p not in (None, ""))
        return "; ".join(p for p in (self.scope, tail) if p)


def key_findings_markdown(findings: list[Finding], meaning: str | list[str]) -> str:
    """The MyST text of :func:`show_key_findings` (every sentence escaped)."""
    if not findings:
        raise ValueError("show_key_findings: no findings given")
    keys = [f.key for f in findings]
    if len(set(keys)) != len(keys):
        raise ValueError(f"show_key_findings: duplicate keys {sorted({k for k in keys if keys.count(k) > 1})}")
    paragraphs = [meaning] if isinstance(meaning, str) else list(meaning)
    if not any(p.strip() for p in paragraphs):
        raise ValueError("show_key_findings: 'meaning' (What this means for the Partnership) is empty")
    items = []
    for f in findings:
        line = f"- {escape.text(f.sentence())}"
        if not f.reason_missing and f.provenance():
            line += f" *({escape.text(f.provenance())})*"
        items.append(line)
    body = "\n".join(items)
    meaning_text = "\n\n".join(escape.text(p) for p in paragraphs if p.strip())
    return ("````{admonition} Key findings\n:class: important\n\n"
            f"{body}\n\n**What this means for the Partnership**\n\n{meaning_text}\n````\n")


def glue_findings(findings: list[Finding]) -> dict[str, str]:
    """Glue each sentence under its key and each formatted value under ``<key>_<name>``; returns what was glued."""
    from myst_nb import glue

    glued = {}
    for f in findings:
        glued[f.key] = f.sentence()
        if not f.reason_missing:
            for name, text in f.formatted().items():
                if name in f.values:
                    glued[f"{f.key}_{name}"] = text
    for key, text in glued.items():
        glue(key, text, display=False)
    return glued


def show_key_findings(findings: list[Finding], meaning: str | list[str], *, glue: bool = True) -> dict[str, str]:
    """Display the "Key findings" list and "What this means for the Partnership"; glue the findings.

    Call it in the first code cell after the chapter's title. ``meaning`` is
    2-4 sentences tying the findings to the action's objective and saying what
    the data cannot show. Returns the glued texts by key.
    """
    text = key_findings_markdown(findings, meaning)
    glued = glue_findings(findings) if glue else {}
    show_markdown(text)
    return glued
