"""Write files and folders so that a failure never leaves a half-written output."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish_mode(path: str | Path, directory: bool = False) -> None:
    """Give a temporary file (0600) or folder (0700) the permissions a plain write would give it."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        publish_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield an empty temporary folder; it replaces ``path`` whole if the block succeeds.

    The old folder is moved aside first and removed only after the new one is in
    place, so an interrupted swap can be undone by hand and a failed block leaves
    ``path`` exactly as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new."))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a built site must be readable
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish_mode(tmp, directory=True)
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.old."))
        os.rmdir(old)
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_new(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` (not replacing it); return the temporary path.

    The caller renames it into place. Written with ``os.write``, so a full disk
    fails here, before anything is replaced; the partial file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    os.close(fd)
    publish_mode(tmp)
    return Path(tmp)


_DISK_ERRORS = {28: "no space left on the disk", 30: "the disk is read-only", 122: "the disk quota is exceeded",
                13: "permission denied"}


def disk_problem(exc: BaseException) -> str | None:
    """A one-line cause for an error of the file system (full, read-only, no permission), else ``None``."""
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:
        return _DISK_ERRORS[exc.errno] + (f" ({exc.filename})" if exc.filename else "")
    return None
