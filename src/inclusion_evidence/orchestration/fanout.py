"""One notebook, many pages: a notebook spec expanded over a list of values (country profiles).

``book/params.yml`` may hold, beside ``notebooks``, a ``profiles`` section: each
entry names one source notebook in ``chapters/``, the parameter that varies and
its values, and becomes one executed notebook per value, e.g.::

    profiles:
      country_profile:
        title: Country profiles          # the part of the book
        parameter: country
        values: {scope: EU27}            # or a list: [AT, BE]
        output: profile_{value}          # book/chapters/profile_AT.ipynb
        inputs: [migr_pop3ctb, ...]      # '{value}' in a table name: an input of that value only
        parameters: {map_year: 2016}     # the same for every value
        allowed: {...}                   # as for a chapter
        enabled: true                    # false: declared, not built

``values`` is a list of codes, or ``{scope: S}`` with a scope of
:mod:`inclusion_evidence.core.geo_codes` (``EU27``, ``EU27+EFTA+candidates``),
optionally ``covered_by: {table: T, column: C}`` to keep only the values present
in a processed table (the EFTA and candidate countries the data cover), or
``regions_in: {table: T, column: C, having: V}`` for the NUTS-2 codes of a
processed table whose country lies in the scope (``having``, optional: only the
codes with a value of column V in some row), for one page per region::

    values: {scope: EU27, regions_in: {table: regional_unemployment, column: geo, having: rate_FOR}}
    labels: {table: regional_unemployment, column: geo, label: name}   # "Name (CODE)" in the contents
    heading: Region                                                     # the index table's first column

Each expanded notebook is an ordinary ``runner.NotebookSpec`` whose ``notebook``
(the source's stem) names the shared notebook: the runner validates it, computes its cache key
(the shared source, *its own* parameters, its inputs) and executes it in the same
pool as the chapters, so only the profiles whose key changed run again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import ParameterError

SECTION = "profiles"
_KEYS = {"title", "notebook", "parameter", "values", "output", "inputs", "parameters", "allowed", "enabled",
         "kind", "index", "intro", "columns", "labels", "heading"}
_VALUE_KEYS = {"scope", "covered_by", "regions_in"}


@dataclass(frozen=True)
class Fanout:
    """One entry of the ``profiles`` section, before expansion."""

    name: str
    title: str
    notebook: str
    parameter: str
    values: tuple
    output: str
    inputs: tuple
    parameters: dict
    allowed: dict
    enabled: bool
    kind: str = "profile"
    index: str = ""           # the generated index page, book/<index>.md
    intro: str = ""           # its opening paragraph
    columns: tuple = ()       # its table: ((heading, glue key), ...) glued by every page
    labels: tuple = ()        # ((value, label), ...): the pages' titles when not country names
    heading: str = "Country"  # the index table's first column

    def output_name(self, value) -> str:
        return self.output.format(value=value)

    def label(self, value) -> str:
        """The page's title in the contents: its label (regions: "Name (CODE)"), else the country's name."""
        return dict(self.labels).get(value) or _label(value)

    def expand(self) -> dict[str, dict]:
        """The fields of one notebook spec per value (none when the entry is not enabled)."""
        if not self.enabled:
            return {}
        specs = {}
        for value in self.values:
            name = self.output_name(value)
            specs[name] = {"name": name, "title": self.label(value), "kind": self.kind,
                           "inputs": [t.format(value=value) for t in self.inputs],
                           "parameters": {**self.parameters, self.parameter: value}, "allowed": dict(self.allowed),
                           "notebook": self.notebook}
        return specs


def _resolve_values(name: str, values, where: Path | str) -> tuple:
    if isinstance(values, (list, tuple)):
        if not values:
            raise ParameterError(where, f"profiles '{name}': 'values' is an empty list")
        return tuple(values)
    if (not isinstance(values, dict) or "scope" not in values or set(values) - _VALUE_KEYS
            or {"covered_by", "regions_in"} <= set(values)):
        raise ParameterError(where, f"profiles '{name}': 'values' must be a list, {{scope: ..., covered_by: "
                                    f"{{table: ..., column: ...}}}} or {{scope: ..., regions_in: {{table: ..., "
                                    f"column: ..., having: ...}}}}, got {values!r}")
    from inclusion_evidence.core.geo_codes import EU27, scope_countries

    try:
        codes = scope_countries(values["scope"])
    except ValueError as exc:
        raise ParameterError(where, f"profiles '{name}': {exc}") from None
    # EU-27 first (in the book's order), then the others alphabetically.
    ordered = [c for c in EU27 if c in codes] + sorted(codes - set(EU27))
    if "regions_in" in values:
        return _regions(name, values["regions_in"], ordered, where)
    covered = values.get("covered_by")
    if covered is not None:
        ordered = [c for c in ordered if c in set(_covered(name, covered, where))]
    return tuple(ordered)


def _covered(name: str, rule, where) -> list:
    if not isinstance(rule, dict) or set(rule) != {"table", "column"}:
        raise ParameterError(where, f"profiles '{name}': covered_by must be {{table: ..., column: ...}}, got {rule!r}")
    import pyarrow.parquet as pq

    from inclusion_evidence.core.tables import table_path

    path = table_path(rule["table"])
    if not path.exists():
        raise ParameterError(where, f"profiles '{name}': the values come from table '{rule['table']}', which is "
                                    f"missing ({path}): run `make data` first")
    if rule["column"] not in pq.read_schema(path).names:
        raise ParameterError(where, f"profiles '{name}': table '{rule['table']}' has no column '{rule['column']}'")
    return pq.read_table(path, columns=[rule["column"]]).column(0).unique().to_pylist()


def _regions(name: str, rule, countries: list, where) -> tuple:
    """The NUTS-2 codes (four characters) of a processed table's column whose country is in ``countries``.

    Ordered by country (as ``countries``), then by code; with ``having``, only the
    codes that have a value of that column in some row.
    """
    if not isinstance(rule, dict) or not {"table", "column"} <= set(rule) or set(rule) - {"table", "column", "having"}:
        raise ParameterError(where, f"profiles '{name}': regions_in must be {{table: ..., column: ..., having: ...}} "
                                    f"(having optional), got {rule!r}")
    column, having = rule["column"], rule.get("having")
    frame = _read(name, rule["table"], [column] + ([having] if having and having != column else []), where)
    if having:
        frame = frame[frame[having].notna()]
    from inclusion_evidence.core.geo_codes import country_of

    codes = {str(c) for c in frame[column].dropna().unique() if len(str(c)) == 4}
    order = {c: i for i, c in enumerate(countries)}
    inside = [c for c in codes if country_of(c) in order]
    return tuple(sorted(inside, key=lambda c: (order[country_of(c)], c)))


def _read(name: str, table: str, columns: list, where):
    """Columns of a processed table, or a ParameterError naming the table and what is wrong."""
    import pyarrow.parquet as pq

    from inclusion_evidence.core.tables import table_path

    path = table_path(table)
    if not path.exists():
        raise ParameterError(where, f"profiles '{name}': the values come from table '{table}', which is "
                                    f"missing ({path}): run `make data` first")
    absent = [c for c in columns if c not in pq.read_schema(path).names]
    if absent:
        raise ParameterError(where, f"profiles '{name}': table '{table}' has no column '{absent[0]}'")
    return pq.read_table(path, columns=list(dict.fromkeys(columns))).to_pandas()


def _labels(name: str, rule, values: tuple, where) -> tuple:
    """``((value, "Label (VALUE)"), ...)`` from a processed table's ``label`` column (first row per value).

    A label that holds its value already is kept as it is.
    """
    if not isinstance(rule, dict) or set(rule) != {"table", "column", "label"}:
        raise ParameterError(where, f"profiles '{name}': labels must be {{table: ..., column: ..., label: ...}}, "
                                    f"got {rule!r}")
    frame = _read(name, rule["table"], [rule["column"], rule["label"]], where)
    first = frame.dropna().drop_duplicates(rule["column"]).set_index(rule["column"])[rule["label"]]
    return tuple((v, str(first[v]) if str(v) in str(first[v]) else f"{first[v]} ({v})")   # "HR04 (former code)"
                 for v in values if v in first.index)


def parse_fanouts(section, where: Path | str) -> dict[str, Fanout]:
    """The entries of the ``profiles`` section, checked (unknown keys and missing ones are errors)."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ParameterError(where, f"'{SECTION}' must be a mapping of name -> entry")
    out = {}
    for name, entry in section.items():
        if not isinstance(entry, dict):
            raise ParameterError(where, f"profiles '{name}': expected a mapping")
        unknown = set(entry) - _KEYS
        if unknown:
            raise ParameterError(where, f"profiles '{name}': unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("parameter", "values"):
            if key not in entry:
                raise ParameterError(where, f"profiles '{name}': '{key}' is required")
        output = entry.get("output", f"{name}_{{value}}")
        if "{value}" not in output:
            raise ParameterError(where, f"profiles '{name}': output {output!r} must contain '{{value}}'")
        enabled = entry.get("enabled", True)
        values = _resolve_values(name, entry["values"], where) if enabled else ()
        labels = _labels(name, entry["labels"], values, where) if enabled and entry.get("labels") else ()
        out[name] = Fanout(name=name, title=entry.get("title", name), notebook=entry.get("notebook", name),
                           parameter=entry["parameter"], values=values, output=output,
                           inputs=tuple(entry.get("inputs") or ()), parameters=dict(entry.get("parameters") or {}),
                           allowed=dict(entry.get("allowed") or {}), enabled=bool(enabled),
                           kind=entry.get("kind", "profile"), index=entry.get("index", f"{name}_index"),
                           intro=str(entry.get("intro", "")).strip(),
                           columns=tuple((str(h), str(k)) for h, k in (entry.get("columns") or {}).items()),
                           labels=labels, heading=str(entry.get("heading", "Country")))
    return out


def expand_fanouts(section, where: Path | str, taken=()) -> dict[str, dict]:
    """The fields of every expanded spec of the ``profiles`` section, in order (for ``runner.NotebookSpec``).

    A name clash with a chapter or another entry's page is an error.
    """
    specs: dict[str, dict] = {}
    for fanout in parse_fanouts(section, where).values():
        for name, spec in fanout.expand().items():
            if name in specs or name in taken:
                raise ParameterError(where, f"profiles '{fanout.name}': output name '{name}' is already taken")
            specs[name] = spec
    return specs


def load_fanouts(path: str | Path | None = None) -> dict[str, Fanout]:
    """The ``profiles`` entries of ``book/params.yml`` (for the table of contents and the index page)."""
    from inclusion_evidence.core.yamlio import load_yaml

    path = Path(path or paths.PARAMS)
    if not path.exists():   # a book without parameters (a bare book folder) has no fan-out parts
        return {}
    doc = load_yaml(path.read_text(encoding="utf-8")) or {}
    return parse_fanouts(doc.get(SECTION), path)


# --------------------------------------------------------------------------- the book's part

def toc_parts(params: str | Path | None = None) -> dict[str, list]:
    """Part caption -> its files: the generated index page, then ``(file, title)`` per value.

    The title (the country's name) is given in the table of contents because the
    page's own heading is glued when the notebook runs.
    """
    parts = {}
    for fanout in load_fanouts(params).values():
        if fanout.enabled:
            parts[fanout.title] = [fanout.index, *((f"chapters/{fanout.output_name(v)}", fanout.label(v))
                                                   for v in fanout.values)]
    return parts


def _label(value) -> str:
    from inclusion_evidence.core.geo_codes import country_name

    try:
        return country_name(str(value))
    except KeyError:
        return str(value)


def index_page_text(fanout: Fanout) -> str:
    """The MyST text of the part's index page: a table linking every page, with glued numbers.

    Each of ``columns`` is a glue key every expanded notebook glues as text
    (``"not available"`` when it has no value), shown with
    ``{glue:text}`chapters/<page>.ipynb::<key>:s```.
    """
    from inclusion_evidence.present import escape

    head = [escape.text(fanout.heading), "Code", *(escape.text(h) for h, _ in fanout.columns)]
    lines = [f"# {escape.text(fanout.title)}", ""]
    if fanout.intro:
        lines += [fanout.intro, ""]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for value in fanout.values:
        page = fanout.output_name(value)
        cells = [f"{{doc}}`{_role_title(fanout.label(value))} <chapters/{page}>`", escape.text(str(value))]
        cells += [f"{{glue:text}}`chapters/{page}.ipynb::{key}:s`" for _, key in fanout.columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _role_title(label: str) -> str:
    """A link text for a ``{doc}`` role: taken as it is (a backslash stays), so without what ends the role.

    The role's text is not Markdown: ``escape.text`` would show its backslashes
    ("Cataluña \\(ES51\\)"); a backtick or angle bracket would end the text or
    start the target, and a line break or a bar the table row.
    """
    import re

    return re.sub(r"\s+", " ", re.sub(r"[`<>|\\]", "", str(label))).strip()


def write_index_pages(params: str | Path | None = None, book: Path | None = None) -> list[Path]:
    """Write each enabled entry's index page ``book/<index>.md`` (atomically); returns their paths."""
    from inclusion_evidence.core.atomic import atomic_write_text

    written = []
    for fanout in load_fanouts(params).values():
        if fanout.enabled:
            path = Path(book or paths.BOOK) / f"{fanout.index}.md"
            text = index_page_text(fanout)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                atomic_write_text(path, text)
            written.append(path)
    return written


# --------------------------------------------------------------------------- a PDF of their own

def strip_from_book(book: Path, params: str | Path | None = None) -> None:
    """Leave the fan-out parts out of a *copy* of the book folder (for the main PDF).

    27 country profiles of 6-8 pages each would more than double the main PDF;
    they get a PDF of their own (:func:`as_own_book`), linked from the index page.
    """
    import yaml

    from inclusion_evidence.core.atomic import atomic_write_text

    captions = {f.title for f in load_fanouts(params).values() if f.enabled}
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"] = [p for p in toc.get("parts", []) if p.get("caption") not in captions]
    atomic_write_text(book / "_toc.yml", yaml.safe_dump(toc, sort_keys=False))


def as_own_book(book: Path, name: str, params: str | Path | None = None) -> None:
    """Turn a *copy* of the book folder into the book of one fan-out entry: its index page first, then its pages."""
    import yaml

    from inclusion_evidence.core.atomic import atomic_write_text

    fanout = load_fanouts(params)[name]
    toc = {"format": "jb-book", "root": fanout.index,
           "chapters": [{"file": f, "title": t} for f, t in toc_parts(params)[fanout.title][1:]]}
    atomic_write_text(book / "_toc.yml", yaml.safe_dump(toc, sort_keys=False))
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config.get('title', '')}: {fanout.title}".lstrip(": ")
    # A profile is a chapter: let it start on the next page, not the next right-hand one.
    latex = config.setdefault("sphinx", {}).setdefault("config", {}).setdefault("latex_elements", {})
    latex["extraclassoptions"] = "openany,oneside"
    atomic_write_text(book / "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def link_pdf(book: Path, name: str, pdf_file: str, params: str | Path | None = None) -> None:
    """In a *copy* of the book folder, link a fan-out part's own PDF from its index page (HTML only)."""
    from inclusion_evidence.core.atomic import atomic_write_text

    fanout = load_fanouts(params)[name]
    page = book / f"{fanout.index}.md"
    if not page.exists():
        return
    title, sep, rest = page.read_text(encoding="utf-8").partition("\n")
    link = ("\n```{only} html\n<p><a class=\"reference external\" href=\"_static/" + pdf_file + "\">"
            f"Download all {len(fanout.values)} pages as one PDF</a></p>\n```\n")
    atomic_write_text(page, title + sep + link + rest)
