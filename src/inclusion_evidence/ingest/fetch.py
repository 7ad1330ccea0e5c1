"""Fetch raw files from a mirror folder or the publisher, verified by sha256.

A file enters ``data/raw/`` only when its checksum matches the catalogue, so a
bad download never replaces a good file.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.atomic import atomic_write_bytes
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.catalogue import Source, load_catalogue, sha256_of

MIRROR_ENV = "INCLUSION_MIRROR"


def find_mirror(explicit: str | Path | None = None) -> Path | None:
    """The mirror folder: given, from ``$INCLUSION_MIRROR``, or ``../shared/data`` beside the checkout."""
    if explicit:
        # An explicit mirror that is not there is an error, never a silent fall-back to another one.
        if Path(explicit).is_dir():
            return Path(explicit)
        raise DataError(explicit, "mirror folder not found")
    for candidate in (os.environ.get(MIRROR_ENV), paths.ROOT.parent / "shared" / "data"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@dataclass
class FetchResult:
    source: str
    outcome: str  # present | copied | downloaded | declared | missing
    detail: str = ""


class ChecksumError(DataError):
    """A file whose content differs from the catalogue's lock."""


def verify(source: Source, data: bytes, origin: str) -> None:
    """Raise :class:`ChecksumError` unless ``data`` is the locked content of ``source``."""
    import hashlib

    got = hashlib.sha256(data).hexdigest()
    if got != source.sha256:
        raise ChecksumError(origin, f"checksum mismatch for source '{source.id}': "
                                    f"catalogue expects sha256 {source.sha256}, file has {got} "
                                    f"({len(data)} bytes, expected {source.bytes})")


def fetch_source(source: Source, mirror: Path | None, online: bool = True,
                 timeout: float = 60) -> FetchResult:
    """Bring one catalogue source into ``data/raw/``; nothing is written unless verified."""
    if source.declared_only:
        if source.local_path.exists():
            return FetchResult(source.id, "present", "declared source supplied by the user")
        return FetchResult(source.id, "declared", f"not locked yet: download {source.url} and run "
                                                  f"`python -m inclusion_evidence add-data {source.id} FILE`")
    target = source.local_path
    if target.exists() and target.stat().st_size == source.bytes and sha256_of(target) == source.sha256:
        return FetchResult(source.id, "present")
    if mirror is not None and (mirror / source.path).is_file():
        origin = mirror / source.path
        data = origin.read_bytes()
        verify(source, data, origin)
        atomic_write_bytes(target, data)
        return FetchResult(source.id, "copied", str(source.path))
    if not online:
        return FetchResult(source.id, "missing", f"not in a mirror; download {source.url}")
    try:
        with urllib.request.urlopen(source.url, timeout=timeout) as resp:  # noqa: S310 (catalogue URLs)
            data = resp.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return FetchResult(source.id, "missing", f"download failed ({exc}); get {source.url} "
                                                 f"or set {MIRROR_ENV} to a mirror folder")
    verify(source, data, source.url)
    atomic_write_bytes(target, data)
    return FetchResult(source.id, "downloaded", source.url)


def fetch_all(ids: list[str] | None = None, mirror: str | Path | None = None,
              online: bool = True) -> list[FetchResult]:
    """Fetch every available source (or ``ids``); raise listing any that could not be had."""
    catalogue = load_catalogue()
    unknown = [i for i in ids or [] if i not in catalogue]
    if unknown:
        raise DataError(paths.CATALOGUE, f"unknown source id(s): {', '.join(unknown)}")
    mirror_dir = find_mirror(mirror)
    results = [fetch_source(catalogue[i], mirror_dir, online) for i in ids or catalogue]
    missing = [r for r in results if r.outcome == "missing"]
    if missing:
        lines = "\n".join(f"  - {r.source}: {r.detail}" for r in missing)
        raise DataError(paths.RAW, f"{len(missing)} source(s) could not be fetched:\n{lines}\n"
                                   f"Put the files in a mirror folder (option --mirror or ${MIRROR_ENV}) "
                                   "or run online.")
    return results
