"""One pool of processes for processing steps and notebooks.

A notebook is planned (parameters validated, cache key computed) and, when
stale, submitted as soon as every processing step producing a table it reads
is done, so chapters start while slow steps still run and both cores stay
busy. Longest jobs (by their last recorded time) go first.

What stays true from the two separate commands: a step's tables are written
only when the step succeeded (failed steps keep their previous tables); the
executed edition is replaced only when every selected notebook succeeded and
no step failed; nothing is executed for a notebook whose parameters are wrong.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, wait
from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError, ParameterError
from inclusion_evidence.orchestration import cluster, process, runner


def steps_feeding(notebooks: list[str] | None = None) -> list[str]:
    """The processing steps that make the tables the given notebooks (all when ``None``) read."""
    _, specs = runner.load_params()
    tables = {t for name, spec in specs.items() if notebooks is None or name in notebooks for t in spec.inputs}
    process.load_steps()
    return [st.name for st in process.STEPS.values() if tables & set(st.outputs)]


def expected_seconds(step: str, state: dict, catalogue: dict) -> float:
    """How long a step should take: its last time, else a guess from its inputs' size (1 s per MB)."""
    if "seconds" in state.get(step, {}):
        return state[step]["seconds"]
    st = process.STEPS[step]
    return sum((catalogue[s].bytes or 0) for s in st.inputs if s in catalogue) / 1e6


def die_with_parent() -> None:
    """Pool worker start-up: the worker gets SIGTERM when the main process dies (Linux), so a
    killed `run` leaves no orphans (a notebook's kernel stops with its worker)."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)          # PR_SET_PDEATHSIG
    except (OSError, AttributeError):          # not Linux: orphans stop at their next task
        return
    if os.getppid() == 1:                      # the parent died before prctl took effect
        os._exit(1)


def recover(log=print) -> None:
    """Undo what a killed run left half done: an interrupted edition install, staging folders and
    temporary tables. Runs at the start of every update, under the project lock."""
    from inclusion_evidence.orchestration.update import recover_install

    recover_install(log)
    runner.recover_edition(log)
    removed = process.clean_leftovers()
    if removed:
        log(f"  removed {removed} temporary table file(s) left by an interrupted run")


def update(steps: list[str] | None = None, notebooks: list[str] | None = None, jobs: int = 2,
           force_steps: bool = False, force_notebooks: bool = False, log=print,
           scheduler: str | None = None) -> dict[str, list[dict]]:
    """Bring the selected steps' tables and the selected notebooks up to date.

    ``None`` selects all steps (notebooks); an empty list selects none.
    Returns ``{"steps": [...], "notebooks": [...]}`` reports.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")   # workers and kernels inherit it: processes, not threads
    specs, epoch = {}, 0
    if notebooks != []:
        epoch, all_specs = runner.load_params()
        names = list(all_specs) if notebooks is None else notebooks
        unknown = [n for n in names if n not in all_specs]
        if unknown:
            raise ParameterError(paths.PARAMS, f"unknown notebook(s): {', '.join(unknown)}")
        specs = {n: all_specs[n] for n in names}
    recover(log)
    process.load_steps()
    catalogue = process.load_catalogue()
    state = process.load_state()
    step_report, step_todo = process.plan_steps(list(process.STEPS) if steps is None else steps,
                                                force_steps, catalogue, state)
    stale_steps = {name: key for name, key, _ in step_todo}
    step_reasons = {name: why for name, _, why in step_todo}
    producer = {table: st.name for st in process.STEPS.values() for table in st.outputs}
    pending = {n: {producer[t] for t in s.inputs if producer.get(t) in stale_steps} for n, s in specs.items()}
    # Wrong parameters stop everything before anything runs, when the tables to check them exist
    # (in a cold build they do not: each notebook is checked again once its tables are made).
    validated = set()
    for name, spec in specs.items():
        if all(process.table_exists(t) for t in spec.inputs):
            runner.validate_parameters(spec)
            if not pending[name]:
                validated.add(name)      # its tables will not change in this run

    nb_report: list[dict] = []
    done: list[tuple] = []               # (spec, parts, reason, seconds) of executed notebooks
    step_errors: list[str] = []
    nb_failures: list[str] = []
    disk_errors: list[str] = []         # a full or read-only disk: said as such, not as a notebook's fault
    stop: list[Exception] = []           # a planning error: submit nothing more
    staging: Path | None = None
    running: dict = {}
    reasons: dict[str, tuple] = {}
    t_all = time.perf_counter()

    def elapsed() -> str:
        return f"elapsed {time.perf_counter() - t_all:5.1f} s"

    # Local processes (which die with this one), or a Dask cluster's workers (--scheduler /
    # $INCLUSION_SCHEDULER): orchestration/cluster.py
    with cluster.make_executor(jobs, scheduler, initializer=die_with_parent) as pool:

        def release_ready() -> None:
            """Plan every notebook whose inputs are ready; submit the stale ones, longest first."""
            nonlocal staging
            ready = [n for n in list(pending) if not pending[n]]
            planned = []
            for name in ready:
                del pending[name]
                spec = specs[name]
                try:
                    if name not in validated:
                        runner.validate_parameters(spec)
                    parts = runner.cache_parts(spec, epoch)
                except DataError as exc:
                    stop.append(exc)
                    return
                reason = "forced" if force_notebooks else (runner.why_stale(runner.stored_parts(spec), parts)
                                                           or runner.outputs_changed(spec))
                if reason:
                    planned.append((spec, parts, reason))
                else:
                    nb_report.append({"notebook": name, "status": "cached", "seconds": 0.0, "reason": ""})
            if planned and staging is None:
                paths.EDITION.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=runner.STAGING_PREFIX, dir=paths.BOOK))
            for spec, parts, reason in sorted(planned, key=lambda p: -runner.last_seconds(p[0])):
                reasons[spec.name] = (spec, parts, reason)
                job = (spec.name, str(spec.source), spec.parameters, str(staging), parts)
                running[pool.submit(runner.execute_notebook, job)] = ("notebook", spec.name)

        if step_todo:
            log(f"  processing {len(step_todo)} step(s) with {max(1, jobs)} process(es); "
                f"{len(step_report)} cached")
        for name, *_ in sorted(step_todo, key=lambda item: -expected_seconds(item[0], state, catalogue)):
            running[pool.submit(process.run_step_in_worker, name)] = ("step", name)
        try:
            release_ready()
            while running:
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    kind, name = running.pop(future)
                    if kind == "step":
                        _, secs, err = future.result()
                        if err:
                            step_errors.append(err)
                            step_report.append({"step": name, "status": "failed", "seconds": secs})
                            log(f"  FAILED   {name} ({secs:.1f} s)")
                            for nb in [n for n in pending if name in pending[n]]:
                                del pending[nb]   # its input could not be made: not executed
                            continue
                        process.record_step(state, catalogue, name, stale_steps[name], secs)
                        step_report.append({"step": name, "status": "ran", "seconds": secs,
                                            "reason": step_reasons[name]})
                        log(f"  ran      {name:<32} {secs:5.1f} s  {elapsed()}  ({step_reasons[name]})")
                        for waiting in pending.values():
                            waiting.discard(name)
                    else:
                        result = future.result()
                        spec, parts, reason = reasons[name]
                        status = "executed" if result["ok"] else "failed"
                        nb_report.append({"notebook": name, "status": status,
                                          "seconds": round(result["seconds"], 1), "reason": reason})
                        if result["ok"]:
                            done.append((spec, parts, reason, result["seconds"]))
                            log(f"  executed {name:<32} {result['seconds']:5.1f} s  {elapsed()}"
                                f"  ({runner.summarise_reason(reason)})")
                        else:
                            if result.get("disk"):
                                disk_errors.append(f"{result['disk']} (while executing {spec.source.name})")
                            nb_failures.append(f"{spec.source}: {result['error']}")
                            log(f"  FAILED   {name}: {result['error']}")
                if not stop:
                    release_ready()
            if step_todo:
                process.save_state(state)
            if step_errors:
                raise DataError(paths.PROCESSED, "processing failed; earlier tables kept unchanged"
                                + ("; the edition is unchanged" if specs else "") + ":\n  "
                                + "\n  ".join(step_errors))
            if stop:
                raise stop[0]
            if disk_errors:
                raise DataError(paths.BOOK, f"{disk_errors[0]}; the previous edition is unchanged")
            if nb_failures:
                raise DataError(paths.CHAPTER_SOURCES, "notebook execution failed; the previous edition is "
                                "unchanged:\n  " + "\n  ".join(nb_failures))
            if done:
                try:
                    runner.install_executed(staging, done)
                except OSError as exc:
                    from inclusion_evidence.core.atomic import disk_problem

                    raise DataError(paths.EDITION, f"could not install the executed edition "
                                                   f"({disk_problem(exc) or exc}); the previous edition "
                                                   "is unchanged") from None
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    if specs:
        order = {n: i for i, n in enumerate(specs)}
        nb_report.sort(key=lambda r: order[r["notebook"]])
        if not done:
            log("  all notebooks up to date; nothing executed")
        runner.write_status(nb_report)
    return {"steps": step_report, "notebooks": nb_report}


def process_all(names: list[str] | None = None, jobs: int = 2, force: bool = False, log=print) -> list[dict]:
    """Run the processing steps whose cache key changed, in parallel processes."""
    return update(steps=names or None, notebooks=[], jobs=jobs, force_steps=force, log=log)["steps"]


def run_notebooks(names: list[str] | None = None, jobs: int = 2, force: bool = False, log=print) -> list[dict]:
    """Execute stale notebooks in parallel; swap the results in only if all succeeded."""
    return update(steps=[], notebooks=names or None, jobs=jobs, force_notebooks=force, log=log)["notebooks"]
