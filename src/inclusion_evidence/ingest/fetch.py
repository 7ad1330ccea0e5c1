"""Fetch raw files from a mirror folder or the publisher, verified by sha256.

A file enters ``data/raw/`` only when its checksum matches the catalogue, so a
bad download never replaces a good file.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
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
    kept_aside: str = ""  # where a local file that differed from the catalogue was kept


class ChecksumError(DataError):
    """A file whose content differs from the catalogue's lock."""


# Only https: a plain-http or file:// address could be read or changed on the way, or read local files.
ALLOWED_SCHEMES = ("https",)
MAX_DOWNLOAD_ENV = "INCLUSION_MAX_DOWNLOAD_MB"
DEFAULT_MAX_DOWNLOAD_MB = 200.0


def check_url(url: str) -> None:
    """Refuse an address that is not https (the scheme is checked again at every redirect)."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise DataError(url, f"only {' and '.join(s + '://' for s in ALLOWED_SCHEMES)} addresses are downloaded, "
                             f"not {scheme or 'no scheme'}: download the file by hand and use `make add-data`")


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def max_download_bytes() -> int:
    try:
        return int(float(os.environ.get(MAX_DOWNLOAD_ENV, DEFAULT_MAX_DOWNLOAD_MB)) * 1e6)
    except ValueError:
        raise DataError(f"${MAX_DOWNLOAD_ENV}", "must be a number of megabytes") from None


def read_url(url: str, timeout: float = 60, dest: Path | None = None) -> bytes:
    """Download ``url`` (https only, at most ``$INCLUSION_MAX_DOWNLOAD_MB``) into memory or ``dest``.

    Network failures raise urllib's own errors; a refused address or an oversized
    download raises :class:`DataError` naming the address.
    """
    check_url(url)
    limit = max_download_bytes()
    opener = urllib.request.build_opener(_SafeRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "inclusion-evidence"})
    chunks, size = [], 0
    with opener.open(request, timeout=timeout) as resp:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise _too_big(url, int(declared), limit)
        while chunk := resp.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise _too_big(url, size, limit)
            chunks.append(chunk)
    data = b"".join(chunks)
    if dest is not None:
        dest.write_bytes(data)
    return data


def _too_big(url: str, size: int, limit: int) -> DataError:
    return DataError(url, f"download larger than {limit / 1e6:.0f} MB (at least {size / 1e6:.1f} MB); refused "
                          f"(set {MAX_DOWNLOAD_ENV} to raise the cap if the file is right)")


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
        aside = _install(target, data)
        return FetchResult(source.id, "copied", str(source.path), aside)
    if not online:
        return FetchResult(source.id, "missing", f"not in a mirror; download {source.url}")
    try:
        data = read_url(source.url, timeout)
    except DataError as exc:
        return FetchResult(source.id, "missing", f"{exc.problem}; get {source.url} by hand")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return FetchResult(source.id, "missing", f"download failed ({exc}); get {source.url} "
                                                 f"or set {MIRROR_ENV} to a mirror folder")
    verify(source, data, source.url)
    aside = _install(target, data)
    return FetchResult(source.id, "downloaded", source.url, aside)


def _install(target: Path, data: bytes) -> str:
    """Write the verified ``data`` to ``target``; a different local file there is kept aside first.

    The local file may be the user's own data (or the previous release): it is hard-linked
    (copied where links fail) to ``NAME.local-<its sha256 prefix>`` before the new file
    replaces it. Returns that name ('' when nothing was there).
    """
    import shutil

    aside = ""
    if target.exists():
        old = sha256_of(target)
        kept = target.with_name(f"{target.name}.local-{old[:12]}")
        if not kept.exists():
            try:
                os.link(target, kept)
            except OSError:
                shutil.copy2(target, kept)
        aside = str(kept)
    atomic_write_bytes(target, data)
    return aside


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
