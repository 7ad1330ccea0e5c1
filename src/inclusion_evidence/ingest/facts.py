"""Facts of the Action Plan (2021-2022), read and checked from data/raw/action_plan/.

The YAML files in ``paths.ACTION_PLAN`` are compiled by hand from the text of the
Partnership's Action Plan; this module is the only code that reads them. Every loader
checks its file before returning anything and raises :class:`DataError` naming the file,
the problem and, where there is one, the item (``row``, counted from 1 within the file's
list) and the key (``column``).

Loaders take an optional ``path`` so tests can point them at fixtures; by default they read
the project's files.

    load_actions()             -> list of dicts, one per action, in plan order
    action(number)             -> dict of one action
    actions_timeline()         -> DataFrame: action, slug, milestone, start, end
    load_members()             -> DataFrame of Table 1 (Partnership members)
    load_first_phase_actions() -> list of dicts (the eight 2016-2019 actions)
    load_glossary()            -> DataFrame: acronym, expansion
    load_document()            -> dict of metadata about the Action Plan itself
    bib_keys()                 -> set of the keys in book/references.bib
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError, ParameterError
from inclusion_evidence.core.yamlio import load_yaml

ACTIONS_FILE = "actions.yml"
MEMBERS_FILE = "members.yml"
FIRST_PHASE_FILE = "first_phase_actions.yml"
GLOSSARY_FILE = "glossary.yml"
DOCUMENT_FILE = "document.yml"
BIB_FILE = "references.bib"

N_ACTIONS = 7
N_FIRST_PHASE_ACTIONS = 8
MEMBER_TYPES = ("member_state", "city", "region", "eu_institution", "organisation", "other")
PHASES = ("first", "second")
# Eurostat convention: EL for Greece, UK for the United Kingdom.
NOT_EUROSTAT_CODES = {"GR": "EL", "GB": "UK"}

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_PAGES = re.compile(r"^(\d+)-(\d+)$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_BIB_ENTRY = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)


# --------------------------------------------------------------------------- helpers

def _path(path: str | Path | None, default: Path) -> Path:
    return Path(path) if path is not None else default


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise DataError(path, "file not found")
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(path, f"not valid YAML: {exc}") from exc


def _top_list(path: Path, data: Any, key: str) -> list:
    if not isinstance(data, dict):
        raise DataError(path, f"expected a mapping with top-level key '{key}'")
    if key not in data:
        raise DataError(path, f"top-level key '{key}' is missing")
    value = data[key]
    if not isinstance(value, list) or not value:
        raise DataError(path, f"top-level key '{key}' must be a non-empty list", column=key)
    return value


def _type_name(kind: Any) -> str:
    names = {str: "a string", int: "an integer", list: "a list", dict: "a mapping",
             type(None): "null"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _is(value: Any, kind: Any) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):            # bool is an int in Python; never accept it
        return bool in kinds
    return isinstance(value, kinds)


def _check_item(path: Path, item: Any, row: int, required: dict[str, Any],
                optional: dict[str, Any] | None = None) -> dict:
    """Check that ``item`` is a mapping with the required keys, of the given types."""
    if not isinstance(item, dict):
        raise DataError(path, f"item must be a mapping, found {type(item).__name__}", row=row)
    for key, kind in required.items():
        if key not in item:
            raise DataError(path, f"required key '{key}' is missing", row=row, column=key)
        _check_value(path, item[key], kind, row, key)
    for key, kind in (optional or {}).items():
        if key in item:
            _check_value(path, item[key], kind, row, key)
    return item


def _check_value(path: Path, value: Any, kind: Any, row: int, key: str) -> None:
    """``kind`` is a type, a tuple of types, or ``[type]`` for a list of that type."""
    if isinstance(kind, list):
        if not isinstance(value, list):
            raise DataError(path, f"must be a list, found {type(value).__name__}",
                            row=row, column=key)
        for i, element in enumerate(value, start=1):
            if not _is(element, kind[0]):
                raise DataError(path, f"element {i} must be {_type_name(kind[0])}, "
                                      f"found {element!r}", row=row, column=key)
            if isinstance(element, str) and not element.strip():
                raise DataError(path, f"element {i} is an empty string", row=row, column=key)
        return
    if not _is(value, kind):
        raise DataError(path, f"must be {_type_name(kind)}, found {value!r}",
                        row=row, column=key)
    if isinstance(value, str) and not value.strip():
        raise DataError(path, "must not be empty", row=row, column=key)


def _non_empty(path: Path, item: dict, key: str, row: int) -> None:
    if not item[key]:
        raise DataError(path, "must not be empty", row=row, column=key)


def _month(path: Path, value: Any, row: int, column: str) -> pd.Period:
    """A 'YYYY-MM' string as a monthly Period."""
    if not isinstance(value, str) or not _MONTH.match(value):
        raise DataError(path, f"date must be a 'YYYY-MM' string, found {value!r}",
                        row=row, column=column)
    return pd.Period(value, freq="M")


def _unique(path: Path, values: list, column: str) -> None:
    seen: dict[Any, int] = {}
    for row, value in enumerate(values, start=1):
        if value in seen:
            raise DataError(path, f"duplicate {column} {value!r} (also in item {seen[value]})",
                            row=row, column=column)
        seen[value] = row


# --------------------------------------------------------------------------- bibliography

def bib_keys(path: str | Path | None = None) -> set[str]:
    """The citation keys of a BibTeX file (default: book/references.bib)."""
    path = _path(path, paths.BOOK / BIB_FILE)
    if not path.is_file():
        raise DataError(path, "file not found")
    text = path.read_text(encoding="utf-8")
    # drop %-comment lines so '@' in comments is not read as an entry
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    keys: list[str] = []
    for entry_type, key in _BIB_ENTRY.findall(text):
        if entry_type.lower() in {"comment", "preamble", "string"}:
            continue
        if key in keys:
            raise DataError(path, f"duplicate BibTeX key '{key}'")
        keys.append(key)
    if not keys:
        raise DataError(path, "no BibTeX entries found")
    return set(keys)


def _check_bib_refs(path: Path, refs: list[str], known: set[str], row: int, column: str,
                    bib_path: Path) -> None:
    for key in refs:
        if key not in known:
            raise DataError(path, f"bib key '{key}' is not in {bib_path}", row=row, column=column)


# --------------------------------------------------------------------------- actions

_ACTION_REQUIRED = {
    "number": int, "slug": str, "title": str, "leaders": [str], "members": [str],
    "problem": str, "objective": str, "implementation": [str], "expected_outcomes": [str],
    "potential_stakeholders": [str], "timeline": [dict], "references": [str], "source": dict,
}
_ACTION_OPTIONAL = {
    "leader_cooperation": [str], "leader_note": str, "timeline_text": str,
    "footnotes": [int], "notes": [str],
}
_MILESTONE_REQUIRED = {"milestone": str, "start": str, "end": str}
_MILESTONE_OPTIONAL = {"annex_ii_month": str, "basis": str}


def load_actions(path: str | Path | None = None,
                 bib_path: str | Path | None = None) -> list[dict]:
    """The seven actions of the Action Plan, checked, in plan order."""
    path = _path(path, paths.ACTION_PLAN / ACTIONS_FILE)
    bib = _path(bib_path, paths.BOOK / BIB_FILE)
    actions = _top_list(path, _read_yaml(path), "actions")
    known = bib_keys(bib)

    for row, item in enumerate(actions, start=1):
        _check_item(path, item, row, _ACTION_REQUIRED, _ACTION_OPTIONAL)
        number = item["number"]
        if not 1 <= number <= N_ACTIONS:
            raise DataError(path, f"action number must be between 1 and {N_ACTIONS}, "
                                  f"found {number}", row=row, column="number")
        if not _SLUG.match(item["slug"]):
            raise DataError(path, f"slug must be lower-case letters, digits and '_', "
                                  f"found {item['slug']!r}", row=row, column="slug")
        for key in ("leaders", "timeline"):
            _non_empty(path, item, key, row)
        source = item["source"]
        for key in ("section", "pages"):
            if not isinstance(source.get(key), str) or not source[key].strip():
                raise DataError(path, f"source.{key} must be a non-empty string",
                                row=row, column="source")
        pages = _PAGES.match(source["pages"])
        if not pages or int(pages[1]) > int(pages[2]):
            raise DataError(path, f"source.pages must be 'first-last', found "
                                  f"{source['pages']!r}", row=row, column="source")
        for i, step in enumerate(item["timeline"], start=1):
            where = f"timeline[{i}]"
            if not isinstance(step, dict):
                raise DataError(path, f"{where} must be a mapping", row=row, column="timeline")
            for key, kind in _MILESTONE_REQUIRED.items():
                if key not in step:
                    raise DataError(path, f"{where}: required key '{key}' is missing",
                                    row=row, column="timeline")
            if not isinstance(step["milestone"], str) or not step["milestone"].strip():
                raise DataError(path, f"{where}: milestone must be a non-empty string",
                                row=row, column="timeline")
            start = _month(path, step["start"], row, f"{where}.start")
            end = _month(path, step["end"], row, f"{where}.end")
            if start > end:
                raise DataError(path, f"{where}: start {step['start']} is after end "
                                      f"{step['end']}", row=row, column="timeline")
            if "annex_ii_month" in step:
                _month(path, step["annex_ii_month"], row, f"{where}.annex_ii_month")
        _check_bib_refs(path, item["references"], known, row, "references", bib)

    numbers = [a["number"] for a in actions]
    _unique(path, numbers, "number")
    _unique(path, [a["slug"] for a in actions], "slug")
    if numbers != sorted(numbers):
        raise DataError(path, f"actions must be in plan order, found numbers {numbers}",
                        column="number")
    missing = sorted(set(range(1, N_ACTIONS + 1)) - set(numbers))
    if missing:
        raise DataError(path, f"action number(s) {missing} missing", column="number")
    return actions


def action(number: int, path: str | Path | None = None,
           bib_path: str | Path | None = None) -> dict:
    """One action by its number (1-7)."""
    actions = load_actions(path, bib_path)
    for item in actions:
        if item["number"] == number:
            return item
    source = _path(path, paths.ACTION_PLAN / ACTIONS_FILE)
    raise ParameterError(source, f"no action number {number!r}; numbers are "
                                 f"{[a['number'] for a in actions]}")


def actions_timeline(path: str | Path | None = None,
                     bib_path: str | Path | None = None) -> pd.DataFrame:
    """The Annex II timeline, one row per bar.

    ``start`` is the first day of the start month, ``end`` the last day of the end month
    (both at midnight, pandas Timestamps).
    """
    rows = []
    for item in load_actions(path, bib_path):
        for step in item["timeline"]:
            rows.append({
                "action": item["number"],
                "slug": item["slug"],
                "milestone": step["milestone"],
                "start": pd.Period(step["start"], freq="M").start_time,
                "end": pd.Period(step["end"], freq="M").end_time.normalize(),
            })
    frame = pd.DataFrame(rows, columns=["action", "slug", "milestone", "start", "end"])
    return frame.astype({"action": "int64", "start": "datetime64[ns]",
                         "end": "datetime64[ns]"})


# --------------------------------------------------------------------------- members

def load_members(path: str | Path | None = None) -> pd.DataFrame:
    """Table 1: one row per member with name, type, type_label, country, phases and
    the booleans ``first`` and ``second`` (member in that phase)."""
    path = _path(path, paths.ACTION_PLAN / MEMBERS_FILE)
    data = _read_yaml(path)
    members = _top_list(path, data, "members")
    source = data.get("source")
    if not isinstance(source, dict) or not all(
            isinstance(source.get(k), str) and source[k].strip() for k in ("table", "section")):
        raise DataError(path, "top-level 'source' must be a mapping with 'table' and "
                              "'section' strings", column="source")
    for row, item in enumerate(members, start=1):
        _check_item(path, item, row,
                    {"name": str, "type": str, "country": (str, type(None)), "phases": [str]},
                    {"type_label": str})
        if item["type"] not in MEMBER_TYPES:
            raise DataError(path, f"type must be one of {list(MEMBER_TYPES)}, found "
                                  f"{item['type']!r}", row=row, column="type")
        country = item["country"]
        if country is not None:
            if not _ISO2.match(country):
                raise DataError(path, f"country must be a two-letter upper-case code or null, "
                                      f"found {country!r}", row=row, column="country")
            if country in NOT_EUROSTAT_CODES:
                raise DataError(path, f"country {country!r}: use the Eurostat code "
                                      f"{NOT_EUROSTAT_CODES[country]!r}", row=row, column="country")
        phases = item["phases"]
        if not phases or any(p not in PHASES for p in phases) or len(set(phases)) != len(phases):
            raise DataError(path, f"phases must be a non-empty list of distinct values among "
                                  f"{list(PHASES)}, found {phases!r}", row=row, column="phases")
    _unique(path, [m["name"] for m in members], "name")
    frame = pd.DataFrame([{
        "name": m["name"], "type": m["type"], "type_label": m.get("type_label"),
        "country": m["country"], "phases": list(m["phases"]),
        "first": "first" in m["phases"], "second": "second" in m["phases"],
    } for m in members])
    return frame


# --------------------------------------------------------------------------- first phase

def load_first_phase_actions(path: str | Path | None = None) -> list[dict]:
    """The eight actions of the 2016-2019 phase, in the order the plan numbers them."""
    path = _path(path, paths.ACTION_PLAN / FIRST_PHASE_FILE)
    actions = _top_list(path, _read_yaml(path), "actions")
    for row, item in enumerate(actions, start=1):
        _check_item(path, item, row, {"number": int, "title": str, "source_section": str},
                    {"summary_number": int, "summary_title": str})
        if not 1 <= item["number"] <= N_FIRST_PHASE_ACTIONS:
            raise DataError(path, f"number must be between 1 and {N_FIRST_PHASE_ACTIONS}, "
                                  f"found {item['number']}", row=row, column="number")
    _unique(path, [a["number"] for a in actions], "number")
    return actions


# --------------------------------------------------------------------------- glossary

def load_glossary(path: str | Path | None = None) -> pd.DataFrame:
    """The acronyms of the plan's GLOSSARY, in order: columns acronym, expansion."""
    path = _path(path, paths.ACTION_PLAN / GLOSSARY_FILE)
    entries = _top_list(path, _read_yaml(path), "glossary")
    for row, item in enumerate(entries, start=1):
        _check_item(path, item, row, {"acronym": str, "expansion": str})
    _unique(path, [e["acronym"] for e in entries], "acronym")
    return pd.DataFrame([{"acronym": e["acronym"], "expansion": e["expansion"]}
                         for e in entries])


# --------------------------------------------------------------------------- document

def load_document(path: str | Path | None = None,
                  bib_path: str | Path | None = None) -> dict:
    """Metadata on the Action Plan: title, publisher, year, key points, headline figures."""
    path = _path(path, paths.ACTION_PLAN / DOCUMENT_FILE)
    bib = _path(bib_path, paths.BOOK / BIB_FILE)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path, "expected a mapping")
    _check_item(path, data, None,
                {"title": str, "publisher": str, "year": int, "bib_key": str,
                 "url": (str, type(None)), "executive_summary": [dict],
                 "headline_figures": [dict]})
    known = bib_keys(bib)
    _check_bib_refs(path, [data["bib_key"]], known, None, "bib_key", bib)
    for key in ("executive_summary", "headline_figures"):
        _non_empty(path, data, key, None)
    for row, point in enumerate(data["executive_summary"], start=1):
        _check_item(path, point, row, {"point": str, "sections": [str]})
    figures = data["headline_figures"]
    for row, figure in enumerate(figures, start=1):
        _check_item(path, figure, row,
                    {"id": str, "figure": str, "value": (int, float, str, dict),
                     "quote": str, "section": str, "footnote": (int, type(None)),
                     "bib_keys": [str]},
                    {"unit": str, "approximate": bool, "note": str})
        _check_bib_refs(path, figure["bib_keys"], known, row, "bib_keys", bib)
    _unique(path, [f["id"] for f in figures], "id")
    return data
