"""Tables drawn from the Action Plan syntheses (:mod:`inclusion_evidence.ingest.synthesis`), shared by the chapters.

Relations are coded by how the text states them: 2 = specifically, 1 = only
through a general statement of scope, 0 = not stated.
"""

from __future__ import annotations

import pandas as pd


def scope_matrix(s, *, against: str = "column", labels: bool = True) -> pd.DataFrame:
    """Rows × columns (or rows × layers) coded by the strength of the statement.

    ``2`` = the Action Plan states the relation specifically, ``1`` = it
    follows only from a general statement of scope, ``0`` = not stated.

    Parameters
    ----------
    s : inclusion_evidence.ingest.synthesis.Synthesis
        A loaded synthesis file.
    against : {"column", "layer"}
        Which dimension forms the matrix columns.
    labels : bool
        Use the declared labels instead of ids for index and columns.
    """
    from inclusion_evidence.ingest.synthesis import synthesis_matrix

    general = synthesis_matrix(s, against=against, scope="general", presence=True)
    specific = synthesis_matrix(s, against=against, scope="specific", presence=True)
    any_ = synthesis_matrix(s, against=against, presence=True)
    coded = any_.astype(int) + specific.astype(int)
    # a cell without scope counts as general
    coded = coded.where(~(general & specific), 2)
    if labels:
        frame = s.layers if against == "layer" else s.columns
        coded.index = [s.label("rows", r) for r in coded.index]
        coded.columns = list(frame.set_index("id").loc[list(coded.columns), "label"])
    return coded

def short_label(label: str) -> str:
    """The part of a label before its first parenthesis ("AMIF (Asylum ...)" -> "AMIF")."""
    return str(label).split(" (")[0].strip()


def labelled_matrix(matrix: pd.DataFrame, row_labels: dict, column_labels: dict) -> pd.DataFrame:
    """A synthesis matrix with its ids replaced by labels (order kept)."""
    out = matrix.copy()
    out.index = [row_labels.get(i, i) for i in out.index]
    out.columns = [column_labels.get(c, c) for c in out.columns]
    return out


def long_matrix(matrix: pd.DataFrame, value: str = "value") -> pd.DataFrame:
    """A matrix as a long frame (row, column, value) for the figure's CSV."""
    index_name = matrix.index.name or "row"
    column_name = matrix.columns.name or "column"
    out = matrix.rename_axis(index=index_name, columns=column_name).stack(future_stack=True)
    return out.rename(value).reset_index()

def evidence_record(s, bibkey: str) -> pd.Series:
    """The one evidence record of a synthesis file whose source cites ``bibkey``."""
    from inclusion_evidence.ingest.synthesis import bibkeys

    hits = [row for _, row in s.evidence.iterrows() if bibkey in bibkeys(row)]
    if len(hits) != 1:
        raise ValueError(f"{s.id}: expected one evidence record citing {bibkey!r}, found {len(hits)}")
    return hits[0]


# --------------------------------------------------------------------------- what the Action Plan names

# Readers' words for the kinds of rows and the roles of columns in the synthesis files.
NAMED_KIND_LABELS = {
    "need": "Needs and challenges the action is to explore",
    "approach": "Approaches the plan names",
    "aim": "Aims",
    "meeting": "Planned meetings",
    "action_leader": "Action leaders",
    "member": "Action group members",
    "secretariat": "Secretariat",
    "potential_stakeholder": "Potential partners for cooperation",
    "meeting_presenter": "Presenters named for the first meeting",
    "meeting_participant": "Participants named for the first meeting",
}

# The fields by which the actions' rows and columns are grouped when listed (see :func:`named_in_plan`).
BY_KIND_AND_ROLE = {"rows": "kind", "columns": "role"}


def _named_items(s, group_by: dict, labels: dict) -> pd.DataFrame:
    """One row per declared item of ``s`` (rows, columns, layers): its group's label, label, quote, section."""
    parts = [("rows", s.row_dimension), ("columns", s.column_dimension)]
    if getattr(s, "layer_dimension", None):
        parts.append(("layers", s.layer_dimension))
    out = []
    for attr, dim in parts:
        frame = getattr(s, attr)
        field_name = group_by.get(attr)
        if field_name is not None and field_name not in frame:
            raise ValueError(f"{s.id}: {attr} have no field {field_name!r} to group by")
        for _, item in frame.iterrows():
            value = item.get(field_name) if field_name is not None else None
            if not isinstance(value, str):
                label = dim["label"]
            elif value in labels:
                label = labels[value]
            else:
                label = f"{dim['label']} ({value.replace('_', ' ')})"
            quote, section = item.get("quote"), item.get("section")
            out.append({"dimension": label, "item": str(item["label"]),
                        "quote": quote.strip() if isinstance(quote, str) else "",
                        "section": section if isinstance(section, str) else ""})
    return pd.DataFrame(out, columns=["dimension", "item", "quote", "section"])


def named_in_plan(s, *, group_by: dict | None = None, labels: dict | None = None,
                  by_section: bool = False) -> pd.DataFrame:
    """What the Action Plan names in one synthesis file, grouped, each group with the plan's own words.

    The rows, columns and layers of a synthesis are the barriers, groups,
    stakeholders, needs or bodies the text itself names; each carries the
    quote it was taken from. Each group lists its items and the distinct
    quotes behind them, so a quote shared by several items is shown once.

    Parameters
    ----------
    s : inclusion_evidence.ingest.synthesis.Synthesis
        A loaded synthesis file.
    group_by : dict, optional
        ``{"rows": field, "columns": field, "layers": field}``: split a
        dimension by one of its items' fields (e.g. the barriers' ``kind``,
        hidden or structural). The group is named by ``labels[value]`` when
        given, else by the dimension's label followed by the value, e.g.
        "Barrier (hidden)"; an item without a value stays in the dimension's group.
    labels : dict, optional
        Readers' words for field values (e.g. :data:`NAMED_KIND_LABELS`).
    by_section : bool
        One group per Action Plan section as well (each row then has one section).

    Returns
    -------
    pandas.DataFrame
        ``dimension`` (the group's name), ``n`` (items), ``items`` (labels
        joined by "; "), ``quotes`` (distinct quotes in order, each in quotation
        marks, joined by "; "), ``sections`` (distinct sections joined by "; ")
        and ``quoted`` (the quotes grouped by section, each group followed by
        its section in parentheses); in declared order.
    """
    items = _named_items(s, group_by or {}, labels or {})
    if items.empty:
        raise ValueError(f"{s.id}: no rows or columns to list")
    rows = []
    for _, part in items.groupby(["dimension", "section"] if by_section else "dimension", sort=False):
        quotes = [q for q in dict.fromkeys(part["quote"]) if q]
        sections = [x for x in dict.fromkeys(part["section"]) if x]
        quoted = []
        for section, in_section in part[part["quote"] != ""].groupby("section", sort=False):
            text = "; ".join(f"“{q}”" for q in dict.fromkeys(in_section["quote"]))
            quoted.append(f"{text} ({section})" if section else text)
        rows.append({"dimension": part["dimension"].iloc[0], "n": len(part), "items": "; ".join(part["item"]),
                     "quotes": "; ".join(f"“{q}”" for q in quotes), "sections": "; ".join(sections),
                     "quoted": "; ".join(quoted)})
    return pd.DataFrame(rows, columns=["dimension", "n", "items", "quotes", "sections", "quoted"])

def stated_relations(s, scope: str = "specific") -> pd.DataFrame:
    """The relations the Action Plan states (``scope``), one line per row item and quote.

    Cells with the same row item and the same quote (one passage naming several
    bodies) are merged, their columns joined, so each quote appears once per item.

    Returns
    -------
    pandas.DataFrame
        ``item`` (row label), ``with`` (column labels joined by "; "), ``relation``
        (the first cell's wording), ``quote``, ``section``.
    """
    if scope not in ("specific", "general"):
        raise ValueError(f"stated_relations: scope {scope!r}; use 'specific' or 'general'")
    cells = s.cells[s.cells["scope"].fillna("general") == scope]
    out = []
    for (row, quote), group in cells.groupby(["row", "quote"], sort=False):
        cols = [s.label("columns", c) for c in dict.fromkeys(group["column"]) if isinstance(c, str)]
        out.append({"item": s.label("rows", row), "with": "; ".join(cols),
                    "relation": group["relation"].iloc[0], "quote": quote,
                    "section": group["section"].iloc[0]})
    return pd.DataFrame(out, columns=["item", "with", "relation", "quote", "section"])


def relations_table(s, columns: dict[str, str]) -> pd.DataFrame:
    """The relations of a synthesis, one per line: the ``columns`` of its synthesis table, renamed (order kept)."""
    from inclusion_evidence.ingest.synthesis import synthesis_table

    return synthesis_table(s)[list(columns)].rename(columns=columns)
