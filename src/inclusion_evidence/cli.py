"""Command line: ``python -m inclusion_evidence COMMAND``.

Every command exits non-zero with a message naming the file and the problem
when input is bad, and leaves earlier outputs as they were.
"""

from __future__ import annotations

import argparse
import sys
import time

from inclusion_evidence.core.errors import DataError


def _fetch(args) -> None:
    from inclusion_evidence.ingest.fetch import fetch_all

    results = fetch_all(args.ids or None, mirror=args.mirror, online=not args.offline)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
        if r.outcome == "declared" and args.verbose:
            print(f"  declared {r.source}: {r.detail}")
        if r.kept_aside:
            print(f"  {r.source}: the local file differed from the catalogue; it was kept as {r.kept_aside} "
                  f"and replaced by the locked file")
    print("  fetch: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


def _process(args) -> None:
    from inclusion_evidence.orchestration.pipeline import process_all

    report = process_all(args.steps or None, jobs=args.jobs, force=args.force)
    ran = sum(r["status"] == "ran" for r in report)
    print(f"  process: {ran} step(s) ran, {len(report) - ran} cached")


def _run(args) -> None:
    from inclusion_evidence.orchestration.pipeline import steps_feeding, update

    # The tables these notebooks read are brought up to date in the same pool of processes:
    # a chapter starts as soon as its own tables are ready.
    notebooks = args.notebooks or None
    report = update(steps=steps_feeding(notebooks), notebooks=notebooks, jobs=args.jobs,
                    force_notebooks=args.force, scheduler=args.scheduler)
    steps = sum(r["status"] == "ran" for r in report["steps"])
    ran = sum(r["status"] == "executed" for r in report["notebooks"])
    print(f"  run: {steps} step(s) processed, {ran} notebook(s) executed, "
          f"{len(report['notebooks']) - ran} cached")


def _html(args) -> None:
    from inclusion_evidence.orchestration.build import build_html

    print(f"  HTML: {build_html(force=args.force)}/index.html")


def _pdf(args) -> None:
    from inclusion_evidence.orchestration.build import build_pdf

    print(f"  PDF: {build_pdf(force=args.force)}")


def _status(args) -> None:
    import json

    from inclusion_evidence.core import paths
    from inclusion_evidence.orchestration import process
    from inclusion_evidence.orchestration.runner import (
        cache_parts,
        execution_record,
        load_params,
        outputs_changed,
        stored_parts,
        summarise_reason,
        why_stale,
    )

    process.load_steps()
    catalogue, state = process.load_catalogue(), process.load_state()
    print(f"{'step':<32} {'now':<7}  what changed since it ran")
    for name in process.STEPS:
        why = process.step_staleness(name, catalogue, state)
        print(f"{name:<32} {'stale' if why else 'cached':<7}  {why}")
    print()
    epoch, specs = load_params()
    status_file = paths.BOOK / "_status.json"
    last = {r["notebook"]: r for r in json.loads(status_file.read_text())} if status_file.exists() else {}
    print(f"{'notebook':<32} {'last run':<9} {'now':<7} {'executed':>8}  why it was executed (or, if stale, "
          "what changed since)")
    for spec in specs.values():
        stale = why_stale(stored_parts(spec), cache_parts(spec, epoch)) or outputs_changed(spec)
        record = execution_record(spec)
        seconds = f"{record['seconds']:.1f} s" if "seconds" in record else "-"
        why = stale or record.get("reason", "")
        print(f"{spec.name:<32} {last.get(spec.name, {}).get('status', '-'):<9} "
              f"{'stale' if stale else 'cached':<7} {seconds:>8}  {summarise_reason(why)}")


def _add_data(args) -> None:
    from inclusion_evidence.orchestration.update import add_data

    add_data(args.source, args.file, allow_shrink=args.allow_shrink)


def _refresh(args) -> None:
    from inclusion_evidence.orchestration.update import refresh

    refresh(args.sources, timeout=args.timeout, allow_shrink=args.allow_shrink)


SHRINK_HELP = ("install a file whose tables cover much less than the installed ones (fewer rows, countries "
               "or years); refused otherwise")

# Commands that change files take the project lock: a second one waits for the first.
LOCKED = {"fetch", "add-data", "refresh", "process", "run", "html", "pdf"}


def _clean_leftovers() -> None:
    """What a killed command left (staging folders, temporary tables), removed under the lock."""
    from inclusion_evidence.orchestration.pipeline import recover

    recover()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inclusion_evidence", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("fetch", help="copy or download raw files, verified by sha256")
    p.add_argument("ids", nargs="*", help="source ids (default: all available)")
    p.add_argument("--mirror", help="a folder holding the publishers' files (default: $INCLUSION_MIRROR "
                                    "or ../shared/data beside the checkout)")
    p.add_argument("--offline", action="store_true", help="never download")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=_fetch)
    p = sub.add_parser("process", help="build data/processed/ from data/raw/ (cached steps)")
    p.add_argument("steps", nargs="*")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_process)
    p = sub.add_parser("run", help="process stale tables and execute stale notebooks into book/chapters/")
    p.add_argument("notebooks", nargs="*")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--force", action="store_true")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (default: $INCLUSION_SCHEDULER, "
                                                          "else local processes); see docs/cluster.md")
    p.set_defaults(func=_run)
    for name, helptext, func in (("html", "strict HTML build (skipped when the book is unchanged)", _html),
                                 ("pdf", "PDF edition via xelatex (skipped when the book is unchanged)", _pdf)):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--force", action="store_true", help="build even when nothing changed")
        p.set_defaults(func=func)
    sub.add_parser("status", help="which notebooks are cached or stale, and why").set_defaults(func=_status)
    p = sub.add_parser("add-data", help="validate a new file for a catalogue source and install it")
    p.add_argument("source")
    p.add_argument("file")
    p.add_argument("--allow-shrink", action="store_true", help=SHRINK_HELP)
    p.set_defaults(func=_add_data)
    p = sub.add_parser("refresh", help="download sources again from their publishers (https only, at most "
                                       "$INCLUSION_MAX_DOWNLOAD_MB, default 200 MB), validate and install them")
    p.add_argument("sources", nargs="+", metavar="SOURCE_ID")
    p.add_argument("--timeout", type=float, default=60, help="seconds to wait for each download")
    p.add_argument("--allow-shrink", action="store_true", help=SHRINK_HELP)
    p.set_defaults(func=_refresh)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        if args.command in LOCKED:
            from inclusion_evidence.core.lock import project_lock

            with project_lock(args.command):
                _clean_leftovers()
                args.func(args)
        else:
            args.func(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:          # a full or read-only disk, a permission: one line, no traceback
        from inclusion_evidence.core.atomic import disk_problem

        print(f"error: {disk_problem(exc) or exc}", file=sys.stderr)
        return 1
    print(f"  ({args.command} took {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
