"""Synthesis matrices compiled from the Action Plan text, one per thematic chapter.

Each file in ``data/raw/action_plan/synthesis/`` describes a matrix of
relations between two (optionally three) declared sets of things — e.g.
barriers × hard-to-reach groups × levels of governance — and traces every
relation to a source: a short verbatim quote from the Action Plan, or a
publication in ``book/references.bib``.

File schema (YAML)::

    id: health_barriers                 # must equal the file name (without .yml)
    action: 1                           # Action number in the Action Plan (1-7)
    title: "..."
    row_dimension:    {name: barrier, label: Barrier}
    column_dimension: {name: group, label: Hard-to-reach group}
    layer_dimension:  {name: level, label: Level of governance}   # optional
    rows:    [{id, label, source?, ...extra fields}]
    columns: [{id, label, source?, ...}]
    layers:  [{id, label, source?, ...}]                          # iff layer_dimension
    cells:                              # one per stated relation, none otherwise
      - {row, column?, layer?, relation, scope?: general|specific, source}
    evidence:                           # numbers the Action Plan itself states
      - {statistic, value, unit?, year?, geography?, row?, source, transcribed: true}
    gaps: ["what the text does not provide"]
    # optional further entity lists, e.g. actors / activities (Action 6): each
    # item has id, label and source; a key named after a dimension in the
    # plural ("instruments", "fields", "funds") lists ids of that dimension,
    # and "actors" lists ids from the ``actors`` list.

A cell names a ``row`` and at least one of ``column`` and ``layer``: a cell
without ``column`` relates a row to a layer only (e.g. a barrier to the level
of governance that can act on it); a cell without ``layer`` states no layer.

Sources are ``{kind: action_plan, section, quote, footnote?, bibkey?}`` or
``{kind: publication, bibkey, locator?}``; ``bibkey`` is a key of
``book/references.bib`` or a list of keys (a footnote citing several works).
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.yamlio import load_yaml

SYNTHESIS_DIR = paths.ACTION_PLAN / "synthesis"

SOURCE_KINDS = ("action_plan", "publication")
SCOPES = ("general", "specific")
REQUIRED_KEYS = ("id", "action", "title", "row_dimension", "column_dimension",
                 "rows", "columns", "cells", "evidence", "gaps")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ID_BIB = re.compile(r"^[A-Za-z0-9_:.\-]+$")
_STANDARD_KEYS = set(REQUIRED_KEYS) | {"layer_dimension", "layers"}

_SOURCE_COLUMNS = ["source_kind", "section", "quote", "footnote", "bibkey", "locator"]


@dataclass
class Synthesis:
    """One validated synthesis file, its sets and relations as DataFrames."""

    id: str
    action: int
    title: str
    path: Path
    row_dimension: dict
    column_dimension: dict
    layer_dimension: dict | None
    rows: pd.DataFrame
    columns: pd.DataFrame
    layers: pd.DataFrame
    cells: pd.DataFrame
    evidence: pd.DataFrame
    gaps: pd.DataFrame
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def has_layers(self) -> bool:
        return self.layer_dimension is not None

    def label(self, dimension: str, id_: str | None) -> str | None:
        """Label of a row, column or layer id (``dimension`` in rows/columns/layers)."""
        if id_ is None:
            return None
        frame = getattr(self, dimension)
        hit = frame.loc[frame["id"] == id_, "label"]
        return hit.iloc[0] if len(hit) else None


# --------------------------------------------------------------------------- loading

def synthesis_path(name_or_path: str | Path) -> Path:
    """Resolve a synthesis name (``health_barriers``) or a path to a file path."""
    p = Path(name_or_path)
    if p.suffix in (".yml", ".yaml") or p.parent != Path("."):
        return p
    return SYNTHESIS_DIR / f"{p.name}.yml"


def available_syntheses(directory: str | Path | None = None) -> list[str]:
    """Names of the synthesis files in ``directory`` (default: the project's)."""
    d = Path(directory) if directory is not None else SYNTHESIS_DIR
    return sorted(p.stem for p in d.glob("*.yml"))


def load_synthesis(name_or_path: str | Path) -> Synthesis:
    """Read and validate one synthesis file; raise :class:`DataError` if unusable."""
    path = synthesis_path(name_or_path)
    if not path.exists():
        raise DataError(path, "synthesis file not found")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(path, f"not valid YAML: {exc}") from exc
    _validate(path, data)
    return _build(path, data)


def load_all(directory: str | Path | None = None) -> dict[str, Synthesis]:
    """Load every synthesis file in ``directory`` (default: the project's)."""
    d = Path(directory) if directory is not None else SYNTHESIS_DIR
    return {name: load_synthesis(d / f"{name}.yml") for name in available_syntheses(d)}


# --------------------------------------------------------------------------- validation

def _fail(path: Path, problem: str, index: int | None = None, where: str | None = None):
    raise DataError(path, problem, row=index, column=where)


def _nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_source(path: Path, src: Any, index: int | None, where: str) -> None:
    if not isinstance(src, dict):
        _fail(path, "source must be a mapping with a 'kind'", index, where)
    kind = src.get("kind")
    if kind not in SOURCE_KINDS:
        _fail(path, f"source kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}", index, where)
    if kind == "action_plan":
        for key in ("section", "quote"):
            if not _nonempty_str(src.get(key)):
                _fail(path, f"action_plan source has no {key}", index, f"{where}.{key}")
    keys = bibkeys(src)
    if kind == "publication" and not keys:
        _fail(path, "publication source has no bibkey", index, f"{where}.bibkey")
    if "bibkey" in src and src["bibkey"] is not None and (
            not keys or not all(_ID_BIB.match(k) for k in keys)):
        _fail(path, f"bibkey {src['bibkey']!r} must be a key or a list of keys", index, f"{where}.bibkey")
    for key in ("footnote", "locator"):
        if key in src and src[key] is not None and not isinstance(src[key], (str, int)):
            _fail(path, f"source {key} must be text", index, f"{where}.{key}")


def bibkeys(src: dict | pd.Series | None) -> list[str]:
    """The bib key(s) of a source as a list (``bibkey`` may be a string or a list)."""
    if src is None:
        return []
    value = src.get("bibkey")
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def _check_dimension(path: Path, data: dict, key: str) -> None:
    dim = data.get(key)
    if not isinstance(dim, dict) or not _nonempty_str(dim.get("name")) or not _nonempty_str(dim.get("label")):
        _fail(path, f"'{key}' must be a mapping with a name and a label", where=key)


def _check_entities(path: Path, items: Any, listname: str, *, need_source: bool) -> list[str]:
    if not isinstance(items, list) or not items:
        _fail(path, f"'{listname}' must be a non-empty list", where=listname)
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            _fail(path, f"{listname} entry is not a mapping", i, listname)
        id_ = item.get("id")
        if not isinstance(id_, str) or not _ID.match(id_):
            _fail(path, f"{listname} id {id_!r} is missing or not a lower-case identifier", i, f"{listname}.id")
        if id_ in seen:
            _fail(path, f"duplicate {listname} id '{id_}'", i, f"{listname}.id")
        seen.add(id_)
        if not _nonempty_str(item.get("label")):
            _fail(path, f"{listname} '{id_}' has no label", i, f"{listname}.label")
        if "source" in item:
            _check_source(path, item["source"], i, f"{listname}.source")
        elif need_source:
            _fail(path, f"{listname} '{id_}' has no source", i, f"{listname}.source")
    return [item["id"] for item in items]


def _validate(path: Path, data: Any) -> None:
    if not isinstance(data, dict):
        _fail(path, "file must contain a YAML mapping")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        _fail(path, f"missing required key(s): {', '.join(missing)}")
    if data["id"] != path.stem:
        _fail(path, f"id '{data['id']}' does not match the file name '{path.stem}'", where="id")
    if not isinstance(data["action"], int) or isinstance(data["action"], bool) or not 1 <= data["action"] <= 7:
        _fail(path, f"action must be an Action number 1-7, got {data['action']!r}", where="action")
    if not _nonempty_str(data["title"]):
        _fail(path, "title is empty", where="title")
    _check_dimension(path, data, "row_dimension")
    _check_dimension(path, data, "column_dimension")

    has_layers = data.get("layer_dimension") is not None
    if has_layers:
        _check_dimension(path, data, "layer_dimension")
        if "layers" not in data:
            _fail(path, "layer_dimension is declared but there is no 'layers' list", where="layers")
    elif data.get("layers"):
        _fail(path, "'layers' given without a layer_dimension", where="layers")

    row_ids = set(_check_entities(path, data["rows"], "rows", need_source=False))
    col_ids = set(_check_entities(path, data["columns"], "columns", need_source=False))
    layer_ids = set(_check_entities(path, data["layers"], "layers", need_source=False)) if has_layers else set()

    # cells
    cells = data["cells"]
    if not isinstance(cells, list):
        _fail(path, "'cells' must be a list", where="cells")
    seen_cells: set[tuple] = set()
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict):
            _fail(path, "cell is not a mapping", i, "cells")
        r, c, lay = cell.get("row"), cell.get("column"), cell.get("layer")
        if r not in row_ids:
            _fail(path, f"cell row '{r}' is not a declared row id", i, "cells.row")
        if c is None and lay is None:
            _fail(path, "cell needs a column or a layer", i, "cells.column")
        if c is not None and c not in col_ids:
            _fail(path, f"cell column '{c}' is not a declared column id", i, "cells.column")
        if lay is not None:
            if not has_layers:
                _fail(path, f"cell layer '{lay}' given but the file has no layer_dimension", i, "cells.layer")
            if lay not in layer_ids:
                _fail(path, f"cell layer '{lay}' is not a declared layer id", i, "cells.layer")
        if not _nonempty_str(cell.get("relation")):
            _fail(path, "cell has no relation text", i, "cells.relation")
        if "scope" in cell and cell["scope"] not in SCOPES:
            _fail(path, f"cell scope {cell['scope']!r} is not one of {', '.join(SCOPES)}", i, "cells.scope")
        if "source" not in cell:
            _fail(path, "cell has no source", i, "cells.source")
        _check_source(path, cell["source"], i, "cells.source")
        key = (r, c, lay)
        if key in seen_cells:
            _fail(path, f"duplicate cell for row '{r}', column '{c}', layer '{lay}'", i, "cells")
        seen_cells.add(key)

    # evidence
    evidence = data["evidence"]
    if not isinstance(evidence, list):
        _fail(path, "'evidence' must be a list (use [] when the text states no numbers)", where="evidence")
    for i, ev in enumerate(evidence):
        if not isinstance(ev, dict):
            _fail(path, "evidence record is not a mapping", i, "evidence")
        if ev.get("transcribed") is not True:
            _fail(path, "evidence record is not marked 'transcribed: true'", i, "evidence.transcribed")
        value = ev.get("value")
        if (not isinstance(value, numbers.Real) or isinstance(value, bool)
                or (isinstance(value, float) and math.isnan(value))):
            _fail(path, f"evidence value {value!r} is not a number", i, "evidence.value")
        if not _nonempty_str(ev.get("statistic")):
            _fail(path, "evidence record has no statistic", i, "evidence.statistic")
        if ev.get("row") is not None and ev["row"] not in row_ids:
            _fail(path, f"evidence row '{ev['row']}' is not a declared row id", i, "evidence.row")
        if "source" not in ev:
            _fail(path, "evidence record has no source", i, "evidence.source")
        _check_source(path, ev["source"], i, "evidence.source")

    # gaps
    gaps = data["gaps"]
    if not isinstance(gaps, list) or not all(_nonempty_str(g) for g in gaps):
        _fail(path, "'gaps' must be a list of non-empty statements", where="gaps")

    # further entity lists (actors, activities, ...)
    refs = {f"{data['row_dimension']['name']}s": ("rows", row_ids),
            f"{data['column_dimension']['name']}s": ("columns", col_ids)}
    if has_layers:
        refs[f"{data['layer_dimension']['name']}s"] = ("layers", layer_ids)
    extra_lists = [k for k in data if k not in _STANDARD_KEYS and isinstance(data[k], list)]
    extra_ids = {k: set(_check_entities(path, data[k], k, need_source=True)) for k in extra_lists}
    for k in extra_lists:
        for i, item in enumerate(data[k]):
            for ref_key, value in item.items():
                if ref_key in refs:
                    target, ids = refs[ref_key]
                elif ref_key in extra_ids and ref_key != k:
                    target, ids = ref_key, extra_ids[ref_key]
                else:
                    continue
                if not isinstance(value, list):
                    _fail(path, f"'{ref_key}' must be a list of {target} ids", i, f"{k}.{ref_key}")
                unknown = [v for v in value if v not in ids]
                if unknown:
                    _fail(path, f"{k} '{item['id']}' refers to undeclared {target} id(s): "
                                f"{', '.join(map(str, unknown))}", i, f"{k}.{ref_key}")


# --------------------------------------------------------------------------- frames

def _source_fields(src: dict | None) -> dict:
    src = src or {}
    return {"source_kind": src.get("kind"), "section": src.get("section"),
            "quote": src.get("quote"), "footnote": src.get("footnote"),
            "bibkey": src.get("bibkey"), "locator": src.get("locator")}


def _frame(items: list[dict], base: list[str]) -> pd.DataFrame:
    records = []
    for item in items:
        rec = {k: v for k, v in item.items() if k != "source"}
        rec.update(_source_fields(item.get("source")) if "source" in item else {})
        records.append(rec)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    for col in base:
        if col not in frame.columns:
            frame[col] = pd.Series(dtype="object")
    ordered = base + [c for c in frame.columns if c not in base]
    return frame[ordered].reset_index(drop=True)


def _build(path: Path, data: dict) -> Synthesis:
    entity_base = ["id", "label"]
    cells = _frame(data["cells"], ["row", "column", "layer", "relation", "scope"] + _SOURCE_COLUMNS)
    evidence = _frame(data["evidence"], ["row", "statistic", "value", "unit", "year", "geography",
                                          "transcribed"] + _SOURCE_COLUMNS)
    extras = {k: _frame(v, entity_base) for k, v in data.items()
              if k not in _STANDARD_KEYS and isinstance(v, list)}
    return Synthesis(
        id=data["id"], action=data["action"], title=data["title"], path=path,
        row_dimension=dict(data["row_dimension"]),
        column_dimension=dict(data["column_dimension"]),
        layer_dimension=dict(data["layer_dimension"]) if data.get("layer_dimension") else None,
        rows=_frame(data["rows"], entity_base),
        columns=_frame(data["columns"], entity_base),
        layers=_frame(data.get("layers") or [], entity_base),
        cells=cells,
        evidence=evidence,
        gaps=pd.DataFrame({"gap": list(data["gaps"])}, dtype="object"),
        extras=extras,
        raw=data,
    )


# --------------------------------------------------------------------------- views

def synthesis_matrix(s: Synthesis, layer: str | None = None, *, against: str = "column",
                     scope: str | None = None, presence: bool = False) -> pd.DataFrame:
    """Rows × columns (or rows × layers) table of how many cells relate each pair.

    ``layer``: only cells in that layer (rows × columns view); ``None`` = all cells.
    ``against``: ``"column"`` (default) or ``"layer"`` for a rows × layers table
    (cells with a layer, whatever their column). ``scope``: keep only cells of
    that scope (``general``/``specific``). ``presence``: booleans, not counts.
    Index and columns are the declared ids, in declared order.
    """
    if against not in ("column", "layer"):
        raise ValueError("against must be 'column' or 'layer'")
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    cells = s.cells
    if against == "layer":
        if not s.has_layers:
            raise DataError(s.path, "rows × layers requested but the file has no layer_dimension")
        if layer is not None:
            raise ValueError("layer filter and against='layer' cannot be combined")
        col_ids, key, col_name = list(s.layers["id"]), "layer", s.layer_dimension["name"]
    else:
        if layer is not None:
            if not s.has_layers or layer not in set(s.layers["id"]):
                raise DataError(s.path, f"unknown layer '{layer}'")
            cells = cells[cells["layer"] == layer]
        col_ids, key, col_name = list(s.columns["id"]), "column", s.column_dimension["name"]
    if scope is not None:
        cells = cells[cells["scope"] == scope]
    cells = cells[cells[key].notna()]
    row_ids = list(s.rows["id"])
    counts = pd.crosstab(cells["row"], cells[key]) if len(cells) else pd.DataFrame()
    matrix = counts.reindex(index=row_ids, columns=col_ids, fill_value=0).fillna(0).astype(int)
    matrix.index.name = s.row_dimension["name"]
    matrix.columns.name = col_name
    return matrix.astype(bool) if presence else matrix


def format_source(src: dict | pd.Series) -> str:
    """A readable one-line citation for a source mapping or a cells/evidence row."""
    get = src.get
    kind = get("source_kind") if "source_kind" in src else get("kind")
    cite = "; ".join(f"@{k}" for k in bibkeys(src))
    if kind == "publication":
        text = f"[{cite}]"
        if _present(get("locator")):
            text += f", {get('locator')}"
        return text
    text = f"Action Plan, {get('section')}: “{get('quote')}”"
    notes = []
    if _present(get("footnote")):
        num = re.match(r"\s*(\d+)", str(get("footnote")))
        notes.append(f"fn. {num.group(1)}" if num else str(get("footnote")))
    if cite:
        notes.append(f"[{cite}]")
    if notes:
        text += f" ({'; '.join(notes)})"
    return text


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value).strip() != ""


def synthesis_table(s: Synthesis) -> pd.DataFrame:
    """One line per cell with ids, labels, relation, scope and a readable source."""
    lines = []
    for _, cell in s.cells.iterrows():
        col = cell["column"] if _present(cell["column"]) else None
        lay = cell["layer"] if _present(cell["layer"]) else None
        lines.append({
            "action": s.action,
            "synthesis": s.id,
            s.row_dimension["name"]: cell["row"],
            f"{s.row_dimension['name']}_label": s.label("rows", cell["row"]),
            s.column_dimension["name"]: col,
            f"{s.column_dimension['name']}_label": s.label("columns", col),
            **({s.layer_dimension["name"]: lay,
                f"{s.layer_dimension['name']}_label": s.label("layers", lay)} if s.has_layers else {}),
            "relation": cell["relation"],
            "scope": cell["scope"] if _present(cell["scope"]) else None,
            "source": format_source(cell),
        })
    return pd.DataFrame(lines)
