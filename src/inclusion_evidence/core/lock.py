"""One project lock: two commands that change files never run at the same time.

``fetch``, ``add-data``, ``refresh``, ``process``, ``run``, ``html`` and ``pdf`` take
it for their whole run. A second command waits, saying which command holds it,
and stops with a clear message after ``INCLUSION_LOCK_TIMEOUT`` seconds (default
one hour). The lock is an ``flock`` on a file in ``data/raw/``: the kernel releases it
when the holder dies, so a killed command never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError

TIMEOUT_ENV = "INCLUSION_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 3600.0


def lock_path() -> Path:
    return paths.RAW / ".inclusion-evidence.lock"


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, 4096).decode() or "{}")
        return f"`{info.get('command', '?')}` (process {info.get('pid', '?')})"
    except (OSError, ValueError):
        return "another command"


@contextmanager
def project_lock(command: str, timeout: float | None = None, log=print) -> Iterator[None]:
    """Hold the project lock while the block runs; wait for it (saying so) when another command has it."""
    if timeout is None:
        timeout = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)  # never truncate a link's target
    held = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"  waiting: {_holder(fd)} is changing the project (lock {path.name}); "
                f"up to {timeout:.0f} s")
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DataError(path, f"{_holder(fd)} still holds the project lock after "
                                              f"{timeout:.0f} s; run `{command}` again when it has "
                                              "finished") from None
                    time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"command": command, "pid": os.getpid()}).encode(), 0)
        held = True
        yield
    finally:
        if held:
            os.ftruncate(fd, 0)   # the file names a holder only while one holds it
        os.close(fd)   # closing the descriptor releases the lock
