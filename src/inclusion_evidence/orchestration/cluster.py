"""Where the pool's jobs run: local processes, or the workers of a Dask distributed cluster.

:func:`make_executor` returns an executor with the interface of
:class:`concurrent.futures.ProcessPoolExecutor` (``submit`` giving a
:class:`concurrent.futures.Future`, usable with ``concurrent.futures.wait``, and
a context manager that shuts it down). Without a scheduler address it *is* a
``ProcessPoolExecutor``; with one (``--scheduler tcp://host:8786`` or the
environment variable ``INCLUSION_SCHEDULER``) it sends each job to the
cluster's workers through ``distributed.Client.get_executor``.

What a worker needs (see ``docs/cluster.md``): the same package version
installed, and the project folder on a path it shares with this machine (the
processed tables, the chapter sources and the staging folder the executed
notebooks are written to). When the shared folder is mounted elsewhere on the
workers, start them with ``INCLUSION_ROOT`` set to it: every path of a job that
lies under this machine's project root is then rewritten to the worker's.
Each worker should run one job at a time (``--nthreads 1``): papermill changes
the process's working folder, which threads would share.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from inclusion_evidence.core.errors import DataError

ENV_VAR = "INCLUSION_SCHEDULER"
CONNECT_TIMEOUT = "20s"     # how long to wait for the scheduler before giving up


def scheduler_address(option: str | None = None) -> str | None:
    """The scheduler to use: the command-line option, else ``$INCLUSION_SCHEDULER``, else ``None`` (local)."""
    address = option if option else os.environ.get(ENV_VAR, "")
    return address.strip() or None


def _relocate(value, client_root: str, worker_root: str | None):
    """Rewrite paths under ``client_root`` to ``worker_root`` in a job's arguments (recursively)."""
    if not worker_root or worker_root == client_root:
        return value
    if isinstance(value, str) and (value == client_root or value.startswith(client_root + os.sep)):
        return worker_root + value[len(client_root):]
    if isinstance(value, tuple):
        return tuple(_relocate(v, client_root, worker_root) for v in value)
    if isinstance(value, list):
        return [_relocate(v, client_root, worker_root) for v in value]
    if isinstance(value, dict):
        return {k: _relocate(v, client_root, worker_root) for k, v in value.items()}
    return value


def run_on_worker(func, client_root: str, *args):
    """Run one pool job on a Dask worker, as a local pool process would.

    The worker's own ``INCLUSION_ROOT`` (if set) replaces the client's project
    root in the job's paths; the worker's standard error, which a notebook job
    redirects to its kernel log, is restored afterwards (a Dask worker lives on
    after the job, unlike a pool process); one BLAS thread, as in the local pool.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    worker_root = os.environ.get("INCLUSION_ROOT")
    args = _relocate(args, client_root, str(Path(worker_root).resolve()) if worker_root else None)
    saved = os.dup(2)
    try:
        return func(*args)
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class SchedulerError(DataError, ConnectionError):
    """The scheduler given (option or environment variable) cannot be reached: nothing was run."""


class DaskExecutor(Executor):
    """``submit``/``shutdown`` over a ``distributed.Client``; futures are ``concurrent.futures`` ones."""

    def __init__(self, address: str, *, client=None, root: str | Path | None = None):
        from inclusion_evidence.core import paths

        if client is None:
            from distributed import Client

            try:
                client = Client(address, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise SchedulerError(f"--scheduler / {ENV_VAR}", f"cannot reach the Dask scheduler at {address} "
                                     f"({exc}); start it with `dask scheduler` and its workers with `dask worker "
                                     f"ADDRESS --nthreads 1`, or unset {ENV_VAR} to run locally; nothing was "
                                     "executed") from None
            self._own_client = True
        else:
            self._own_client = False
        self.client = client
        self.address = address
        self.root = str(Path(root or paths.ROOT).resolve())
        # pure=False: the same job submitted twice runs twice (a notebook re-executed on purpose).
        self._executor = client.get_executor(pure=False)

    def submit(self, fn, /, *args, **kwargs):
        if kwargs:
            raise TypeError("DaskExecutor.submit: pool jobs take positional arguments only")
        return self._executor.submit(run_on_worker, fn, self.root, *args)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)
        if self._own_client:
            self.client.close()

    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))


def make_executor(jobs: int = 2, scheduler: str | None = None, initializer=None) -> Executor:
    """A local pool of ``jobs`` processes, or a :class:`DaskExecutor` when a scheduler is given.

    ``scheduler`` is the address of a running Dask scheduler; ``None`` looks at
    ``$INCLUSION_SCHEDULER`` and falls back to the local pool. ``initializer`` runs in
    each local worker at start (the cluster's workers are started by their own commands).
    """
    address = scheduler_address(scheduler)
    if address is None:
        return ProcessPoolExecutor(max_workers=max(1, jobs), initializer=initializer)
    return DaskExecutor(address)
