"""Benchmark of the book's build: cold, no-op, one changed input, Jupyter Book's own execution, PDF.

Run with ``make bench`` (or ``python bench/bench.py --runs 3``). Every scenario
runs in a scratch copy of the project (the tracked files plus the fetched raw
files), so the working tree, its data and its edition are never touched. The
table gives the median and the range of the runs and each median's ratio to
Jupyter Book's force-execution build of the same notebooks.

Scenarios
  cold       ``run`` (processing steps and papermill executions in one pool of 2 processes)
             then ``html``, from fetched raw data: nothing processed or built, and every
             chapter stale (a new cache epoch)
  no-op      the same two commands again, nothing changed
  one input  add-data of a changed raw file read by one chapter, then the same two commands
  jb-force   the same book the way Jupyter Book 1.x alone would build it: ``process`` (cold,
             the same tables) then ``jupyter-book build`` with ``execute_notebooks: force``
             (sequential, its own executor) on the same parameterised notebooks
  pdf        the PDF edition from the executed edition (forced, so it is measured)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CHANGED_SOURCE = "eurostat_tps00170"  # read by one chapter only (children in migration)


def sh(cmd: list[str], cwd: Path, env: dict) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def project_copy(dest: Path) -> Path:
    """The tracked files of the checkout plus the fetched raw data, in ``dest``."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    shutil.copytree(ROOT / "data" / "raw", dest / "data" / "raw", dirs_exist_ok=True)
    return dest


def environment(copy: Path) -> dict:
    env = dict(os.environ)
    env.update(INCLUSION_ROOT=str(copy), PYTHONPATH=str(copy / "src"), OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def cli(copy: Path, env: dict, *args: str) -> str:
    return sh([PY, "-m", "inclusion_evidence", *args], copy, env)


def reset_outputs(copy: Path, epoch: int) -> None:
    """Back to 'fetched raw data only': no tables, no build, every chapter stale.

    The executed edition of the checkout stays, as in a fresh clone, but a new cache
    epoch makes every chapter stale; its recorded times order the work, longest first.
    """
    import yaml

    shutil.rmtree(copy / "data" / "processed", ignore_errors=True)
    shutil.rmtree(copy / "book" / "_build", ignore_errors=True)
    params = copy / "book" / "params.yml"
    doc = yaml.safe_load(params.read_text())
    doc["epoch"] = epoch
    params.write_text(yaml.safe_dump(doc, sort_keys=False))


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def build_steps(copy: Path, env: dict) -> dict:
    """run (process + execute), html; seconds of each and the notebooks executed."""
    out = {}
    out["run"] = timed(lambda: cli(copy, env, "run", "--jobs", "2"))
    out["html"] = timed(lambda: cli(copy, env, "html"))
    status = json.loads((copy / "book" / "_status.json").read_text())
    out["executed"] = [r["notebook"] for r in status if r["status"] == "executed"]
    out["total"] = out["run"] + out["html"]
    return out


def changed_file(copy: Path, bump: int) -> Path:
    """The changed raw file: one observation of the source raised by ``bump`` (a count stays valid)."""
    import yaml

    sources = yaml.safe_load((copy / "data/raw/sources.yml").read_text())["sources"]
    entry = next(s for s in sources if s["id"] == CHANGED_SOURCE)
    original = (ROOT / "data" / "raw" / entry["path"]).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(original)))
    col = rows[0].index("OBS_VALUE")
    row = next(r for r in reversed(rows[1:]) if r[col].strip())
    row[col] = str(int(float(row[col])) + bump)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = copy.parent / f"{CHANGED_SOURCE}-{bump}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def jupyter_book_force(copy: Path, env: dict) -> tuple[float, float]:
    """(processing, Jupyter Book build) seconds: JB executing the same notebooks itself."""
    import papermill as pm
    import yaml

    book = copy / "book"
    params = yaml.safe_load((book / "params.yml").read_text())["notebooks"]
    shutil.rmtree(book / "_build", ignore_errors=True)
    shutil.rmtree(copy / "data" / "processed", ignore_errors=True)
    edition = book / "chapters"
    shutil.rmtree(edition, ignore_errors=True)
    edition.mkdir()
    for name, spec in params.items():
        # papermill's prepare-only mode injects the parameters cell without executing anything.
        pm.execute_notebook(str(copy / "chapters" / f"{name}.ipynb"), str(edition / f"{name}.ipynb"),
                            parameters=(spec or {}).get("parameters") or {}, prepare_only=True,
                            kernel_name="python3", progress_bar=False)
    config = yaml.safe_load((book / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    (book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    processing = timed(lambda: cli(copy, env, "process", "--jobs", "2"))
    sh([PY, "-c", "from inclusion_evidence.orchestration.build import write_generated_pages; write_generated_pages()"],
       copy, env)
    jb = str(Path(PY).with_name("jupyter-book"))
    building = timed(lambda: sh([jb, "build", str(book), "--builder", "html", "-n", "--keep-going"], copy, env))
    return processing, building


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}; {platform.system()} {platform.release()}; Python {platform.python_version()}"


def summary(name: str, values: list[float], reference: float | None) -> str:
    med = statistics.median(values)
    ratio = f"{med / reference:.2f}" if reference else "-"
    return f"| {name} | {med:.1f} | {min(values):.1f}-{max(values):.1f} | {len(values)} | {ratio} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each scenario (median reported)")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--json", help="also write the raw timings to this file")
    args = parser.parse_args()
    results: dict[str, list] = {k: [] for k in ("cold", "noop", "one", "jb", "jb_build", "pdf")}
    details: dict[str, list] = {k: [] for k in ("cold", "noop", "one")}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        copy = project_copy(Path(tmp) / "book-project")
        jb_copy = project_copy(Path(tmp) / "jb-project")   # Jupyter Book's build rewrites its copy
        env, jb_env = environment(copy), environment(jb_copy)
        # Each run times every scenario once, so that a slow spell of the machine hits all of them.
        for i in range(args.runs):
            print(f"run {i + 1}/{args.runs}", flush=True)
            reset_outputs(copy, epoch=1000 + i)
            cold = build_steps(copy, env)
            noop = build_steps(copy, env)
            cli(copy, env, "add-data", CHANGED_SOURCE, str(changed_file(copy, bump=i + 1)))
            one = build_steps(copy, env)
            for key, value in (("cold", cold), ("noop", noop), ("one", one)):
                results[key].append(value["total"])
                details[key].append(value)
            print(f"  cold {cold['total']:.1f} s (run {cold['run']:.1f}, html {cold['html']:.1f}); "
                  f"no-op {noop['total']:.1f} s, executed {noop['executed'] or 'nothing'}; "
                  f"one input {one['total']:.1f} s, executed {one['executed']}", flush=True)
            if not args.skip_pdf:
                results["pdf"].append(timed(lambda: cli(copy, env, "pdf", "--force")))
                print(f"  pdf {results['pdf'][-1]:.1f} s", flush=True)
            processing, building = jupyter_book_force(jb_copy, jb_env)
            results["jb"].append(processing + building)
            results["jb_build"].append(building)
            print(f"  jupyter-book force {processing + building:.1f} s (process {processing:.1f}, "
                  f"jupyter-book build {building:.1f})", flush=True)
    ref = statistics.median(results["jb"])
    print()
    print(f"Machine: {machine()}")
    print()
    print("| scenario | median (s) | range (s) | runs | ratio to Jupyter Book force |")
    print("| --- | --- | --- | --- | --- |")
    print(summary("(1) cold build: process + run + HTML", results["cold"], ref))
    print(summary("(2) no-op rebuild", results["noop"], ref))
    print(summary(f"(3) one input changed ({CHANGED_SOURCE})", results["one"], ref))
    print(summary("(4) process + Jupyter Book build, execute_notebooks: force", results["jb"], ref))
    print(summary("    of which the Jupyter Book build alone", results["jb_build"], ref))
    if results["pdf"]:
        print(summary("(5) PDF edition", results["pdf"], ref))
    print()
    for key, label in (("cold", "cold"), ("one", "one input")):
        parts = {p: statistics.median(d[p] for d in details[key]) for p in ("run", "html")}
        print(f"{label}: median run (process + execute) {parts['run']:.1f} s, html {parts['html']:.1f} s; "
              f"executed {details[key][-1]['executed']}")
    cold, noop = statistics.median(results["cold"]), statistics.median(results["noop"])
    print(f"targets: cold/jb-force = {cold / ref:.2f} (<= 0.6); no-op/cold = {noop / cold:.2f} (<= 0.1), "
          f"no-op executed {sorted({n for d in details['noop'] for n in d['executed']}) or 'nothing'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "details": details, "machine": machine()},
                                              indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
