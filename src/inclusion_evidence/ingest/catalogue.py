"""The catalogue of raw inputs (``data/raw/sources.yml``): what, where from, which checksum."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.yamlio import load_yaml, read_yaml_file

REQUIRED = ("id", "publisher", "dataset", "title", "format", "url", "licence", "path", "status")
STATUSES = ("available", "declared")


@dataclass
class Source:
    """One raw file of the catalogue."""

    id: str
    publisher: str
    dataset: str
    title: str
    format: str
    url: str
    licence: str
    path: str
    status: str
    sha256: str | None = None
    bytes: int | None = None
    retrieved: str | None = None
    note: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def local_path(self) -> Path:
        """Where the fetched file lives in this checkout: always inside ``data/raw/``."""
        return inside_raw(self.path, self.id)

    @property
    def declared_only(self) -> bool:
        """True for datasets the chapters can use but whose content is not locked yet."""
        return self.status == "declared"

    def to_yaml(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if k != "extra"}
        if data["note"] is None:
            data.pop("note")
        data.update(self.extra)
        return data


def inside_raw(relative: str, source_id: str = "?", where: str | Path | None = None) -> Path:
    """``data/raw/<relative>``, refused when it is absolute, climbs out with ``..``, or a symlink
    on the way leads outside ``data/raw/`` (a catalogue entry must never write elsewhere)."""
    where = where or paths.CATALOGUE
    rel = Path(str(relative))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or str(relative).startswith("~"):
        raise DataError(where, f"entry '{source_id}': path {str(relative)!r} must be relative and "
                                         "stay inside data/raw/ (no leading '/', no '..')", column="path")
    path = paths.RAW / rel
    root = paths.RAW.resolve()
    if not path.resolve().is_relative_to(root):
        raise DataError(where, f"entry '{source_id}': path {str(relative)!r} leads outside data/raw/ "
                                         f"(through a symbolic link, to {path.resolve()})", column="path")
    return path


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file, read in chunks so big files stay cheap."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=4)
def _parsed_cached(text: str):
    return load_yaml(text)


def _parsed(text: str):
    """The catalogue is read by every step and notebook plan: parse each version of it once.

    A deep copy, so that callers may change entries without touching the cache.
    """
    return copy.deepcopy(_parsed_cached(text))


def load_catalogue(path: str | Path | None = None) -> dict[str, Source]:
    """Read and check the catalogue; keys are source ids, in file order."""
    path = Path(path or paths.CATALOGUE)
    doc = read_yaml_file(path, "catalogue", parse=_parsed)
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise DataError(path, "expected a top-level 'sources:' list")
    out: dict[str, Source] = {}
    known = {f for f in Source.__dataclass_fields__ if f != "extra"}
    for i, entry in enumerate(doc["sources"], start=1):
        missing = [k for k in REQUIRED if not entry.get(k)]
        if missing:
            raise DataError(path, f"entry {i} lacks {', '.join(missing)}", column=missing[0])
        if entry["status"] not in STATUSES:
            raise DataError(path, f"entry '{entry['id']}': status must be one of {STATUSES}")
        if entry["status"] == "available" and not (entry.get("sha256") and entry.get("bytes")):
            raise DataError(path, f"entry '{entry['id']}' is available but has no sha256/bytes")
        if entry["id"] in out:
            raise DataError(path, f"duplicate source id '{entry['id']}'")
        if not isinstance(entry["path"], str):
            raise DataError(path, f"entry '{entry['id']}': path must be text", column="path")
        inside_raw(entry["path"], entry["id"], path)
        extra = {k: v for k, v in entry.items() if k not in known}
        out[entry["id"]] = Source(**{k: v for k, v in entry.items() if k in known}, extra=extra)
    return out


# The column in which Eurostat's SDMX-CSV files say when the publisher last updated the data, and its formats.
LAST_UPDATE_COLUMN = "LAST UPDATE"
_LAST_UPDATE_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def _update_date(text: str, path: Path, row: int) -> dt.date:
    for fmt in _LAST_UPDATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise DataError(path, f"{LAST_UPDATE_COLUMN} {text!r} is not a date (expected e.g. 27/04/23 03:08:00)",
                    row=row, column=LAST_UPDATE_COLUMN)


def publisher_update(source_id: str, catalogue: dict[str, Source] | None = None) -> dt.date | None:
    """When the publisher last updated the data of a catalogue entry, as its raw file says.

    Eurostat's SDMX-CSV files carry the date of the table's last update in a
    ``LAST UPDATE`` column; the latest one in the file is returned, so that a
    chapter's text follows the file after a refresh instead of a typed date.
    ``None`` when the file has no such column (or no value in it). An unknown
    id, a missing file or a value that is not a date raises :class:`DataError`.
    """
    import csv

    catalogue = catalogue if catalogue is not None else load_catalogue()
    if source_id not in catalogue:
        raise DataError(paths.CATALOGUE, f"unknown source id {source_id!r}")
    path = catalogue[source_id].local_path
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            if LAST_UPDATE_COLUMN not in header:
                return None
            col = header.index(LAST_UPDATE_COLUMN)
            texts = {row[col]: i for i, row in enumerate(reader, start=2) if len(row) > col and row[col].strip()}
    except FileNotFoundError:
        raise DataError(path, f"raw file of '{source_id}' not found (run: make fetch)") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(path, f"raw file of '{source_id}' cannot be read as CSV ({exc})") from None
    return max((_update_date(text, path, row) for text, row in texts.items()), default=None)


def _round_trip():
    from ruamel.yaml import YAML

    rt = YAML()                       # round-trip: comments, key order and quoting are kept
    rt.preserve_quotes = True
    rt.width = 4096                   # one key per line: a change is one line in a diff
    rt.indent(mapping=2, sequence=2, offset=0)
    rt.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return rt


def _scalar(value):
    """A new value as the catalogue's reader (PyYAML, YAML 1.1) will read it back: a string that
    would read as something else (a date such as 2026-11-30, a number, yes/no) is quoted."""
    if isinstance(value, str) and not isinstance(yaml.safe_load(value) if value.strip() else value, str):
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    return value


def save_catalogue(sources: dict[str, Source], path: str | Path | None = None) -> None:
    """Write the catalogue back atomically (see :func:`render_catalogue`)."""
    from inclusion_evidence.core.atomic import atomic_write_text

    path = Path(path or paths.CATALOGUE)
    atomic_write_text(path, render_catalogue(sources, path))


def render_catalogue(sources: dict[str, Source], path: str | Path | None = None) -> str:
    """The catalogue's new text, changing only the lines of the entries that changed.

    The file is edited in place (round-trip YAML): comments, key order and quoting
    stay as they are, so adding data for one source gives a diff of that entry's
    changed keys. The result is read back with the catalogue's own reader before it
    replaces the file.
    """
    import io

    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = Path(path or paths.CATALOGUE)
    rt = _round_trip()
    doc = rt.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        doc = CommentedMap(sources=CommentedSeq())
    entries = doc["sources"]
    position = {entry.get("id"): i for i, entry in enumerate(entries) if isinstance(entry, dict)}
    for sid, src in sources.items():
        data = src.to_yaml()
        if sid not in position:
            entries.append(CommentedMap((k, _scalar(v)) for k, v in data.items()))
            continue
        entry = entries[position[sid]]
        for key, value in data.items():
            if key not in entry or entry[key] != value:
                entry[key] = _scalar(value)
        for key in [k for k in entry if k not in data]:
            del entry[key]
    for i in sorted((i for sid, i in position.items() if sid not in sources), reverse=True):
        del entries[i]
    out = io.StringIO()
    rt.dump(doc, out)
    text = out.getvalue()
    back = {entry["id"]: entry for entry in load_yaml(text)["sources"]}
    if back != {sid: src.to_yaml() for sid, src in sources.items()}:
        raise DataError(path, "internal error: the catalogue would not read back as written; not saved")
    return text


def today() -> str:
    return dt.date.today().isoformat()
