"""Benchmark of the book's build: floors, cold, no-op, one input, PDF, Jupyter Book, fan-out, scaling, figures.

Run with ``make bench`` (or ``python bench/bench.py --runs 3``; ``--only a,b`` picks
scenarios, ``--json FILE`` keeps the raw timings). Every scenario runs in a scratch
copy of the project (the tracked files plus the fetched raw files), so the working
tree, its data and its edition are never touched. Runs are interleaved: each run
times every selected scenario once, so that a slow spell of the machine hits all of
them. Tables give the median, the range, the number of runs and each median's ratio
to its reference or floor. See bench/README.md for what each scenario does.
"""

from __future__ import annotations

import argparse
import copy as copylib
import csv
import io
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
JB = str(Path(PY).with_name("jupyter-book"))
CHANGED_SOURCE = "eurostat_tps00170"  # read by one chapter only (children in migration)
PROFILE_BUMP = ("asylum_start", (2009, 2010))  # a profile-only parameter: changing it makes only profiles stale
CORES = 2
FLOOR_PAPERMILL_RUNS = 5     # the single-notebook floor is a median of at least this many executions

# name -> what it measures (the order is the order of a run)
SCENARIOS = {
    "cold": "run + html from fetched raw data, the book as built today (chapters and profiles)",
    "noop": "run + html again, nothing changed",
    "one": "add-data of one raw file read by one chapter, then run + html",
    "pdf": "pdf --force from the executed edition (main PDF and the profiles' PDF)",
    "floors": "papermill one-cell notebook; Sphinx LaTeX writer; one xelatex --no-pdf pass; xdvipdfmx",
    "fanout": "the 27 profiles alone re-executed: local pool (jobs 2) against a two-worker Dask LocalCluster",
    "noprofiles": "cold run + html with the profiles entry disabled (chapters only)",
    "static": "cold run + html of the chapters only with INCLUSION_FIGURES=static",
    "scaling": "cold run with the profiles fanned out twice (64 notebooks)",
    "jb": "process + jupyter-book build --builder html with execute_notebooks: force, then its PDF build",
    "browser": "first figure interactive and own weight per chapter page in headless Chromium; once",
}
ONCE = {"browser"}   # measured once per bench (after the last run), not once per run
# Seconds of one measurement on a quiet 2-core machine, for the wall-time estimate printed before anything
# ran: each scenario measured once on the shared machine (load average 6-9), divided by 4.6, the factor
# between its chapters-only cold build (149 s) and issue 19's quiet figure (32.6 s).
DEFAULT_ESTIMATE = {
    "cold": 113, "noop": 8, "one": 22, "pdf": 78, "floors": 47, "fanout": 95, "noprofiles": 32,
    "static": 39, "scaling": 137, "jb": 226, "browser": 60,
}


# --------------------------------------------------------------------------- helpers (tested)

def parse_only(text: str | None) -> list[str]:
    """The scenarios selected by ``--only`` (all when empty), in run order; unknown names are an error."""
    if not text:
        return list(SCENARIOS)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise SystemExit(f"bench: unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    return [n for n in SCENARIOS if n in names]


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y against x."""
    if len({x for x, _ in points}) < 2:
        raise ValueError("a slope needs at least two distinct x values")
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def row(name: str, values: list[float], reference: float | None = None) -> str:
    """One Markdown table row: scenario, median, range, runs, ratio to the reference."""
    med = statistics.median(values)
    ratio = f"{med / reference:.2f}" if reference else "-"
    return f"| {name} | {med:.1f} | {min(values):.1f}-{max(values):.1f} | {len(values)} | {ratio} |"


def table(title: str, reference_name: str, rows: list[str]) -> str:
    head = [f"### {title}", "", f"| scenario | median (s) | range (s) | runs | ratio to {reference_name} |",
            "| --- | --- | --- | --- | --- |"]
    return "\n".join(head + rows)


def target(label: str, value: float | None, limit: float, unit: str = "") -> str:
    if value is None:
        return f"- {label}: not measured"
    met = "met" if value <= limit else "NOT met"
    return f"- {label}: {value:.2f}{unit} (at most {limit:g}{unit}): **{met}**"


def set_epoch(doc: dict, epoch: int) -> dict:
    doc["epoch"] = epoch
    return doc


def disable_profiles(doc: dict) -> dict:
    for entry in (doc.get("profiles") or {}).values():
        entry["enabled"] = False
    return doc


def enable_profiles(doc: dict, book: dict | None = None) -> dict:
    """Each profiles entry back to the state the book gives it (an option left off stays off)."""
    if book is None:
        import yaml

        book = yaml.safe_load((ROOT / "book" / "params.yml").read_text(encoding="utf-8"))
    as_built = book.get("profiles") or {}
    for name, entry in (doc.get("profiles") or {}).items():
        entry.pop("enabled", None)
        if name in as_built and as_built[name].get("enabled", True) is False:
            entry["enabled"] = False
    return doc


def enabled_profiles(doc: dict) -> dict:
    """The profiles entries that build pages (an entry with ``enabled: false`` is declared only)."""
    return {name: entry for name, entry in (doc.get("profiles") or {}).items() if entry.get("enabled", True) is not False}


def multiply_profiles(doc: dict, times: int) -> dict:
    """Each profiles entry fanned out ``times`` times over: copies under new names, pages and index."""
    profiles = doc.get("profiles") or {}
    for name, entry in list(enabled_profiles(doc).items()):
        for k in range(2, times + 1):
            extra = copylib.deepcopy(entry)
            extra["notebook"] = entry.get("notebook", name)
            extra["output"] = entry.get("output", f"{name}_{{value}}").replace("{value}", f"x{k}_{{value}}")
            extra["index"] = f"{entry.get('index', name + '_index')}_x{k}"
            extra["title"] = f"{entry.get('title', name)} (copy {k})"
            profiles[f"{name}_x{k}"] = extra
    return doc


def profiles_twice(doc: dict, book: dict | None = None) -> dict:
    """The book's own params (``doc``'s epoch kept) with its profiles fanned out twice: the same whatever
    earlier runs left in the copy (a doubled or disabled entry is not doubled again)."""
    if book is None:
        import yaml

        book = yaml.safe_load((ROOT / "book" / "params.yml").read_text(encoding="utf-8"))
    fresh = copylib.deepcopy(book)
    if "epoch" in doc:
        fresh["epoch"] = doc["epoch"]
    return multiply_profiles(fresh, 2)


def bump_profiles(doc: dict) -> dict:
    """Change one profile-only parameter, so that every profile and nothing else is stale."""
    key, choices = PROFILE_BUMP
    for entry in enabled_profiles(doc).values():
        params = entry.setdefault("parameters", {})
        params[key] = choices[1] if params.get(key) == choices[0] else choices[0]
    return doc


def notebook_count(doc: dict) -> int:
    """Notebooks the params describe: chapters plus every enabled profile value (lists or EU-27 scope)."""
    n = len(doc.get("notebooks") or {})
    for entry in (doc.get("profiles") or {}).values():
        if entry.get("enabled", True) is False:
            continue
        values = entry.get("values")
        n += len(values) if isinstance(values, list) else 27 if values == {"scope": "EU27"} else 0
    return n


def estimate_seconds(per_measure: dict[str, float], selected: list[str], runs: int) -> float:
    """Wall time of a bench: per-run scenarios times ``runs``, plus the once-only ones, plus set-up (copies)."""
    total = 30.0
    for name in selected:
        total += per_measure.get(name, DEFAULT_ESTIMATE[name]) * (1 if name in ONCE else runs)
    return total


# --------------------------------------------------------------------------- running things

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


def environment(copy: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.pop("INCLUSION_SCHEDULER", None)
    env.update(INCLUSION_ROOT=str(copy), PYTHONPATH=str(copy / "src"), OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def cli(copy: Path, env: dict, *args: str) -> str:
    return sh([PY, "-m", "inclusion_evidence", *args], copy, env)


def edit_params(copy: Path, *edits) -> dict:
    import yaml

    path = copy / "book" / "params.yml"
    doc = yaml.safe_load(path.read_text())
    for edit in edits:
        doc = edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return doc


def reset_outputs(copy: Path, epoch: int, *edits) -> dict:
    """Back to 'fetched raw data only': no tables, no build, every notebook stale (a new cache epoch).

    The executed edition of the checkout stays, as in a fresh clone; its recorded times order the work.
    """
    shutil.rmtree(copy / "data" / "processed", ignore_errors=True)
    shutil.rmtree(copy / "book" / "_build", ignore_errors=True)
    return edit_params(copy, lambda d: set_epoch(d, epoch), *edits)


PROFILE_LINK = re.compile(r"\[([^\]]+)\]\((country_profiles[^)]*)\)")


def drop_profile_pages(copy: Path, env: dict) -> None:
    """The book without its profiles: no executed profile, no index page, no link to it, the contents
    generated again from the copy's params.yml (a strict HTML build fails on any of them)."""
    book = copy / "book"
    edition = book / "chapters"
    for nb in edition.glob("profile_*.ipynb"):
        nb.unlink()
    for folder in (edition / "figures").glob("profile_*"):
        shutil.rmtree(folder, ignore_errors=True)
    for page in book.glob("country_profiles*.md"):
        page.unlink()
    for page in book.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if PROFILE_LINK.search(text):
            page.write_text(PROFILE_LINK.sub(r"\1", text), encoding="utf-8")
    sh([PY, "-m", "inclusion_evidence.orchestration.toc"], copy, env)


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def status(copy: Path) -> list[dict]:
    return json.loads((copy / "book" / "_status.json").read_text())


def build_steps(copy: Path, env: dict, html: bool = True, *run_args: str) -> dict:
    """run (process + execute), then html; seconds of each and the notebooks executed."""
    out = {"run": timed(lambda: cli(copy, env, "run", "--jobs", "2", *run_args))}
    out["html"] = timed(lambda: cli(copy, env, "html")) if html else 0.0
    records = status(copy)
    out["executed"] = [r["notebook"] for r in records if r["status"] == "executed"]
    out["seconds"] = {r["notebook"]: r["seconds"] for r in records if r["status"] == "executed"}
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
    last = next(r for r in reversed(rows[1:]) if r[col].strip())
    last[col] = str(int(float(last[col])) + bump)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = copy.parent / f"{CHANGED_SOURCE}-{bump}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- floors

FLOOR_CELL = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from inclusion_evidence.present import figures
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot([2015, 2020, 2024], [1.0, 2.0, 1.5])
ax.set_title("floor")
fig.savefig("floor.png", dpi=figures.DPI)
"""

PAPERMILL_TIMER = """\
import sys, time
import papermill as pm
t0 = time.perf_counter()
pm.execute_notebook(sys.argv[1], sys.argv[2], kernel_name="python3", progress_bar=False, cwd=sys.argv[3])
print(time.perf_counter() - t0)
"""


def floor_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CELL)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def floor_papermill(copy: Path, env: dict, reps: int) -> list[float]:
    """Seconds of papermill executing the one-cell notebook (papermill imported beforehand, as in the pool)."""
    folder = copy.parent / "floor-notebook"
    nb = floor_notebook(folder)
    return [float(sh([PY, "-c", PAPERMILL_TIMER, str(nb), str(folder / "out.ipynb"), str(folder)], copy, env)
                  .strip().splitlines()[-1]) for _ in range(reps)]


BOOK_SOURCES = """\
import shutil, sys
from pathlib import Path
from inclusion_evidence.orchestration import build, fanout
build.write_generated_pages()
tmp = Path(sys.argv[1])
main = build._book_copy(tmp / "main", "latex")
fanout.strip_from_book(main)
print(main)
for name, entry in fanout.load_fanouts().items():
    if entry.enabled:
        own = build._book_copy(tmp / name, "latex")
        fanout.as_own_book(own, name)
        print(own)
"""


def latex_books(copy: Path, env: dict, tmp: Path) -> list[Path]:
    """The book folders the pdf command hands to Sphinx: the main book, then each profiles part's own."""
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return [Path(line) for line in sh([PY, "-c", BOOK_SOURCES, str(tmp)], copy, env).split()]


def floors(copy: Path, env: dict, papermill_reps: int) -> dict:
    """The floors of issue 19 for every PDF the pdf command builds; seconds summed over the books."""
    out = {"papermill": floor_papermill(copy, env, papermill_reps)}
    parts = {"latex_writer": 0.0, "xelatex": 0.0, "xdvipdfmx": 0.0, "xdvipdfmx_z1": 0.0}
    sizes = {}
    for book in latex_books(copy, env, copy / ".bench-floors"):
        parts["latex_writer"] += timed(lambda b=book: sh([JB, "build", str(b), "--builder", "latex",
                                                         "--keep-going"], copy, env))
        latex = book / "_build" / "latex"
        tex = next(latex.glob("*.tex")).name
        parts["xelatex"] += timed(lambda: sh(["xelatex", "--no-pdf", "-interaction=nonstopmode", "-halt-on-error",
                                              tex], latex, env))
        xdv = Path(tex).with_suffix(".xdv").name
        parts["xdvipdfmx"] += timed(lambda: sh(["xdvipdfmx", "-q", "-o", "default.pdf", xdv], latex, env))
        parts["xdvipdfmx_z1"] += timed(lambda: sh(["xdvipdfmx", "-q", "-z", "1", "-o", "z1.pdf", xdv], latex, env))
        sizes[book.parent.name] = {"default": (latex / "default.pdf").stat().st_size, "z1": (latex / "z1.pdf").stat().st_size}
    shutil.rmtree(copy / ".bench-floors", ignore_errors=True)
    out.update({k: [v] for k, v in parts.items()})
    out["pdf_sizes"] = sizes
    return out


# --------------------------------------------------------------------------- fan-out on Dask

CLUSTER = """\
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()   # until the bench closes our standard input
cluster.close()
"""


class LocalDask:
    """A two-worker LocalCluster in a process of its own, with the copy's environment (its ``src`` first)."""

    def __init__(self, copy: Path, env: dict):
        self.proc = subprocess.Popen([PY, "-c", CLUSTER], cwd=copy, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.proc.stdout.readline().strip()
        if not self.address.startswith("tcp://"):
            self.close()
            sys.exit("bench: the Dask LocalCluster did not start")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def fanout(copy: Path, env: dict, cluster: LocalDask | None) -> dict:
    """Profiles per minute: only the profiles stale (a profile-only parameter changed), local then Dask."""
    out = {}
    for where, extra in (("local", ()), ("dask", ("--scheduler", cluster.address) if cluster else None)):
        if extra is None:
            continue
        edit_params(copy, bump_profiles)
        res = build_steps(copy, env, False, *extra)
        chapters = [n for n in res["executed"] if not n.startswith("profile_")]
        if chapters:
            sys.exit(f"bench: the fan-out scenario re-executed chapters too: {chapters}")
        out[where] = res["run"]
        out[f"{where}_profiles"] = len(res["executed"])
    return out


# --------------------------------------------------------------------------- Jupyter Book's own build

PREPARE = """\
import shutil, sys
from pathlib import Path
import papermill as pm
from inclusion_evidence.core import paths
from inclusion_evidence.orchestration.runner import load_params
edition = paths.EDITION
shutil.rmtree(edition, ignore_errors=True)
edition.mkdir()
for name, spec in load_params()[1].items():
    # prepare-only: the parameters cell injected, nothing executed
    pm.execute_notebook(str(spec.source), str(edition / f"{name}.ipynb"), parameters=spec.parameters,
                        prepare_only=True, kernel_name="python3", progress_bar=False)
"""


def jupyter_book(jb_copy: Path, env: dict, executed_edition: Path) -> dict:
    """Jupyter Book alone: process (cold), build the HTML executing every notebook itself (force,
    sequential), then its own PDF build (pdflatex builder, xelatex engine) of the executed notebooks:
    the main book and the profiles' book, as the pdf command splits them."""
    import yaml

    book = jb_copy / "book"
    shutil.rmtree(book / "_build", ignore_errors=True)
    shutil.rmtree(jb_copy / "data" / "processed", ignore_errors=True)
    sh([PY, "-c", PREPARE], jb_copy, env)
    config_path = book / "_config.yml"
    config = yaml.safe_load(config_path.read_text())
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    out = {"process": timed(lambda: cli(jb_copy, env, "process", "--jobs", "2"))}
    sh([PY, "-c", "from inclusion_evidence.orchestration.build import write_generated_pages; "
                  "write_generated_pages()"], jb_copy, env)
    out["html"] = timed(lambda: sh([JB, "build", str(book), "--builder", "html", "-n", "--keep-going"],
                                   jb_copy, env))
    # its PDF: the executed notebooks (as a Jupyter Book user would have them cached), no execution
    shutil.rmtree(book / "chapters")
    shutil.copytree(executed_edition, book / "chapters")
    config["execute"] = {"execute_notebooks": "off"}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    books = latex_books(jb_copy, env, jb_copy / ".bench-jb-pdf")
    out["pdf"] = sum(timed(lambda b=b: sh([JB, "build", str(b), "--builder", "pdflatex", "--keep-going"],
                                          jb_copy, env)) for b in books)
    shutil.rmtree(jb_copy / ".bench-jb-pdf", ignore_errors=True)
    out["total"] = out["process"] + out["html"] + out["pdf"]
    return out


# --------------------------------------------------------------------------- report

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
    load = ""
    try:
        load = f"; load average {os.getloadavg()[0]:.1f} at the end"
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}){mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}{load}")


def med(values) -> float | None:
    values = [v for v in values or [] if v is not None]
    return statistics.median(values) if values else None


def report(r: dict, runs: int) -> list[str]:
    """The Markdown tables and the targets, from the raw results ``r``."""
    lines: list[str] = []
    fl = r.get("floors", {})
    pm_floor = med(fl.get("papermill"))
    pdf_floor = None
    if fl:
        pdf_floor = med(fl["latex_writer"]) + 3 * med(fl["xelatex"]) + med(fl["xdvipdfmx_z1"])
        rows = [row("papermill, one-cell notebook (imports the package, saves one figure)", fl["papermill"]),
                row("Sphinx LaTeX writer (jupyter-book --builder latex), every PDF's book", fl["latex_writer"]),
                row("one xelatex --no-pdf pass", fl["xelatex"]),
                row("one xdvipdfmx pass, default compression", fl["xdvipdfmx"]),
                row("one xdvipdfmx pass, -z 1", fl["xdvipdfmx_z1"])]
        lines += [table("Floors (issue 19)", "-", rows), "",
                  f"PDF floor (LaTeX writer + 3 xelatex passes + xdvipdfmx -z 1): {pdf_floor:.1f} s. "
                  f"PDF sizes (bytes, last run): {json.dumps(fl.get('pdf_sizes', [{}])[-1])}", ""]
    cold = [d["total"] for d in r.get("cold", [])]
    jb_total = [d["total"] for d in r.get("jb", [])]
    jb_ref = med(jb_total)
    procs = [d["process"] for d in r.get("jb", [])]
    n_all = r.get("notebooks", {}).get("cold")
    cold_floor = None
    if pm_floor and procs and cold and n_all:
        cold_floor = n_all * pm_floor / CORES + med(procs) + med(d["html"] for d in r["cold"])
    rows = []
    if cold:
        rows.append(row(f"cold build: run + HTML ({n_all} notebooks)", cold, cold_floor))
        rows.append(row("    of which run (process + execute)", [d["run"] for d in r["cold"]]))
        rows.append(row("    of which HTML", [d["html"] for d in r["cold"]]))
    if r.get("noprofiles"):
        rows.append(row(f"cold build without profiles ({r['notebooks'].get('noprofiles')} notebooks)",
                        [d["total"] for d in r["noprofiles"]], med(cold)))
    if r.get("noop"):
        rows.append(row("no-op rebuild", [d["total"] for d in r["noop"]], med(cold)))
    if r.get("one"):
        rows.append(row(f"one input changed ({CHANGED_SOURCE})", [d["total"] for d in r["one"]], med(cold)))
        rows.append(row("    of which run", [d["run"] for d in r["one"]]))
        rows.append(row("    of which HTML", [d["html"] for d in r["one"]]))
    if r.get("pdf"):
        rows.append(row("PDF (pdf --force: main PDF and profiles' PDF)", r["pdf"], pdf_floor))
    if rows:
        ref = "the cold floor (cold row), the PDF floor (PDF row), else the cold build"
        lines += [table("HTML and PDF builds", ref, rows), ""]
    full = [c + p for c, p in zip(cold, r.get("pdf", []))] if cold and r.get("pdf") else []
    if jb_total:
        rows = []
        if full:
            rows.append(row("full book cold: run + HTML + PDF", full, jb_ref))
        rows += [row("Jupyter Book: process + force-executed HTML + its PDF", jb_total, jb_ref),
                 row("    process (cold)", procs, jb_ref),
                 row("    jupyter-book build --builder html, execute_notebooks: force", [d["html"] for d in r["jb"]],
                     jb_ref),
                 row("    jupyter-book build --builder pdflatex (executed notebooks)", [d["pdf"] for d in r["jb"]],
                     jb_ref)]
        lines += [table("Against Jupyter Book's own build", "Jupyter Book force + PDF", rows), ""]
    fo = r.get("fanout", [])
    if fo:
        rows = []
        local = [d["local"] for d in fo]
        n = fo[-1]["local_profiles"]
        rows.append(row(f"local pool, jobs 2: {n} profiles ({n * 60 / med(local):.1f} per minute)", local))
        if all("dask" in d for d in fo):
            dask = [d["dask"] for d in fo]
            n = fo[-1]["dask_profiles"]
            rows.append(row(f"Dask LocalCluster, 2 workers x 1 thread: {n} profiles ({n * 60 / med(dask):.1f} "
                            f"per minute)", dask, med(local)))
        lines += [table("Fan-out: the profiles alone (issue 18)", "the local pool", rows), ""]
    points = []
    if r.get("noprofiles"):
        points += [(r["notebooks"]["noprofiles"], d["run"]) for d in r["noprofiles"]]
    if cold:
        points += [(n_all, d["run"]) for d in r["cold"]]
    if r.get("scaling"):
        points += [(r["notebooks"]["scaling"], d["run"]) for d in r["scaling"]]
    curve_slope = None
    if len({x for x, _ in points}) >= 2:
        curve_slope = slope(points)
        by_n: dict[int, list] = {}
        for x, y in points:
            by_n.setdefault(x, []).append(y)
        rows = [row(f"{x} notebooks: cold run (process + execute)", ys) for x, ys in sorted(by_n.items())]
        lines += [table("Scaling curve: cold run against the number of notebooks (issue 19)", "-", rows), "",
                  f"Least-squares slope: {curve_slope:.2f} s per notebook"
                  + (f" against the floor {pm_floor:.2f} s / {CORES} cores = {pm_floor / CORES:.2f} s "
                     f"(ratio {curve_slope / (pm_floor / CORES):.2f})" if pm_floor else "")
                  + ".", ""]
    if r.get("static"):
        ref = med(d["total"] for d in r["noprofiles"]) if r.get("noprofiles") else None
        rows = [row("chapters, interactive and static figures (the cold build without profiles)",
                    [d["total"] for d in r["noprofiles"]], ref)] if ref else []
        rows += [row("chapters, static figures only (INCLUSION_FIGURES=static)", [d["total"] for d in r["static"]],
                     ref),
                 row("    of which run", [d["run"] for d in r["static"]])]
        lines += [table("Interactive figures' build cost (issue 17)", "the interactive build", rows), ""]
    br = r.get("browser")
    if br:
        lines += ["### First figure interactive and own weight per chapter page (issue 17)", "",
                  "| page | first figure interactive, median (s) | range (s) | loads | own weight (MB) |",
                  "| --- | --- | --- | --- | --- |"]
        for page, d in br.items():
            secs = d["seconds"]
            timing = (f"{d['median']:.2f} | {min(secs):.2f}-{max(secs):.2f} | {len(secs)}" if secs
                      else "no interactive figure | - | -")
            lines.append(f"| {page} | {timing} | {d['own_bytes'] / 1e6:.2f} |")
        shared = max(d["shared_bytes"] for d in br.values())
        lines += ["", f"Shared assets requested by a chapter page (largest): {shared / 1e6:.2f} MB. Each load in a "
                      "fresh browser context (nothing cached).", ""]
    lines += ["### Targets", ""]
    n_before = len(lines)
    if r.get("pdf") and pdf_floor:
        lines.append(target("issue 19: PDF / its floor", med(r["pdf"]) / pdf_floor, 1.3))
    if r.get("one"):
        lines.append(target("issue 19: one changed chapter, HTML rebuild", med(d["html"] for d in r["one"]), 2.0,
                            " s"))
    if cold and cold_floor:
        lines.append(target("issue 19: cold build to HTML / cold floor", med(cold) / cold_floor, 1.3))
    if cold and pm_floor:
        execs: dict[str, list] = {}
        for d in r["cold"]:
            for name, s in d["seconds"].items():
                if not name.startswith("profile_"):
                    execs.setdefault(name, []).append(s)
        worst = max(execs, key=lambda k: med(execs[k])) if execs else None
        if worst:
            lines.append(target(f"issue 19: slowest chapter's execution ({worst}) / single-notebook floor",
                                med(execs[worst]) / pm_floor, 2.0))
    if full and jb_ref:
        lines.append(target("issue 19: full book cold (HTML + PDF) / (Jupyter Book force + its PDF)",
                            med(full) / jb_ref, 0.4))
    if curve_slope is not None and pm_floor:
        lines.append(f"- issue 19: slope per notebook / (floor / cores): {curve_slope / (pm_floor / CORES):.2f} "
                     f"(set against it; the issue gives no limit)")
    if br:
        firsts = [d["median"] for d in br.values() if d["median"] is not None]
        if firsts:
            lines.append(target("issue 17: first figure interactive, slowest chapter page", max(firsts), 2.0, " s"))
        lines.append(target("issue 17: own weight, heaviest chapter page",
                            max(d["own_bytes"] for d in br.values()) / 1e6, 1.5, " MB"))
    if len(lines) == n_before:
        lines.append("- none: the selected scenarios measure no target on their own (see bench/README.md)")
    return lines


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs (median reported; at least 3 for "
                                                            "the record)")
    parser.add_argument("--only", help=f"comma-separated scenarios, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--loads", type=int, default=5, help="page loads per chapter page (browser)")
    parser.add_argument("--json", help="also write the raw timings to this file")
    args = parser.parse_args(argv)
    selected = parse_only(args.only)
    print(f"scenarios: {', '.join(selected)}; {args.runs} run(s). Estimated wall time before measuring: "
          f"{estimate_seconds({}, selected, args.runs) / 60:.0f} min", flush=True)
    r: dict = {k: [] for k in selected}
    r["notebooks"] = {}
    spent: dict[str, list] = {}   # wall seconds of each scenario, set-up included (for the estimate)
    t_start = time.perf_counter()

    def clock(name, fn):
        t0 = time.perf_counter()
        value = fn()
        spent.setdefault(name, []).append(time.perf_counter() - t0)
        return value

    need_a = bool({"cold", "noop", "one", "pdf", "floors", "fanout", "browser"} & set(selected))
    need_b = {"noprofiles", "static", "scaling"} & set(selected)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        a = project_copy(Path(tmp) / "book-project") if need_a else None
        b = project_copy(Path(tmp) / "chapters-project") if need_b else None
        jb = project_copy(Path(tmp) / "jb-project") if "jb" in selected else None   # JB rewrites its copy
        env_a = environment(a) if a else None
        env_b = environment(b) if b else None
        cluster = LocalDask(a, env_a) if "fanout" in selected else None
        cold_needed = bool({"cold", "noop", "one", "pdf", "fanout"} & set(selected))
        if a and not cold_needed:   # floors or browser alone: the tables (untimed); the checkout's edition
            cli(a, env_a, "run", "--jobs", "2")
        try:
            for i in range(args.runs):
                print(f"run {i + 1}/{args.runs}", flush=True)
                epoch = 1000 + 10 * i
                if cold_needed:
                    doc = reset_outputs(a, epoch)
                    r["notebooks"]["cold"] = notebook_count(doc)
                    res = clock("cold", lambda: build_steps(a, env_a))
                    if "cold" in selected:
                        r["cold"].append(res)
                        print(f"  cold {res['total']:.1f} s (run {res['run']:.1f}, html {res['html']:.1f}), "
                              f"{len(res['executed'])} notebooks", flush=True)
                if "noop" in selected:
                    res = clock("noop", lambda: build_steps(a, env_a))
                    r["noop"].append(res)
                    print(f"  no-op {res['total']:.1f} s, executed {res['executed'] or 'nothing'}", flush=True)
                if "one" in selected:
                    cli(a, env_a, "add-data", CHANGED_SOURCE, str(changed_file(a, bump=i + 1)))
                    res = clock("one", lambda: build_steps(a, env_a))
                    r["one"].append(res)
                    print(f"  one input {res['total']:.1f} s (run {res['run']:.1f}, html {res['html']:.1f}), "
                          f"executed {res['executed']}", flush=True)
                if "pdf" in selected:
                    r["pdf"].append(clock("pdf", lambda: timed(lambda: cli(a, env_a, "pdf", "--force"))))
                    print(f"  pdf {r['pdf'][-1]:.1f} s", flush=True)
                if "floors" in selected:
                    reps = math.ceil(FLOOR_PAPERMILL_RUNS / args.runs)
                    res = clock("floors", lambda: floors(a, env_a, reps))
                    fl = r.setdefault("floors_runs", [])
                    fl.append(res)
                    print(f"  floors: papermill {[round(x, 2) for x in res['papermill']]} s, LaTeX writer "
                          f"{res['latex_writer'][0]:.1f}, xelatex {res['xelatex'][0]:.1f}, xdvipdfmx "
                          f"{res['xdvipdfmx'][0]:.1f} (-z 1: {res['xdvipdfmx_z1'][0]:.1f})", flush=True)
                if "fanout" in selected:
                    res = clock("fanout", lambda: fanout(a, env_a, cluster))
                    r["fanout"].append(res)
                    print(f"  fan-out: local {res['local']:.1f} s, dask {res.get('dask', float('nan')):.1f} s "
                          f"({res['local_profiles']} profiles)", flush=True)
                if "noprofiles" in selected or "static" in selected:
                    doc = reset_outputs(b, epoch, disable_profiles)
                    drop_profile_pages(b, env_b)
                    r["notebooks"]["noprofiles"] = notebook_count(doc)
                    res = clock("noprofiles", lambda: build_steps(b, env_b))
                    r.setdefault("noprofiles", []).append(res)
                    print(f"  cold without profiles {res['total']:.1f} s (run {res['run']:.1f}, html "
                          f"{res['html']:.1f})", flush=True)
                if "static" in selected:
                    reset_outputs(b, epoch + 1, disable_profiles)
                    res = clock("static", lambda: build_steps(b, environment(b, INCLUSION_FIGURES="static")))
                    r["static"].append(res)
                    print(f"  static figures only {res['total']:.1f} s (run {res['run']:.1f}, html "
                          f"{res['html']:.1f})", flush=True)
                if "scaling" in selected:
                    doc = reset_outputs(b, epoch + 2, profiles_twice)
                    r["notebooks"]["scaling"] = notebook_count(doc)
                    res = clock("scaling", lambda: build_steps(b, env_b, False))
                    r["scaling"].append(res)
                    print(f"  scaling: {r['notebooks']['scaling']} notebooks, cold run {res['run']:.1f} s",
                          flush=True)
                if "jb" in selected:
                    res = clock("jb", lambda: jupyter_book(jb, environment(jb), (a if cold_needed else ROOT) / "book" / "chapters"))
                    r["jb"].append(res)
                    print(f"  jupyter-book: process {res['process']:.1f}, force html {res['html']:.1f}, "
                          f"pdf {res['pdf']:.1f} s", flush=True)
                if i == 0 and args.runs > 1:
                    per = {k: statistics.median(v) for k, v in spent.items()}
                    print(f"  estimated wall time of this bench: {estimate_seconds(per, selected, args.runs) / 60:.0f}"
                          f" min", flush=True)
            if "browser" in selected:
                import browser_timing

                site = a / "book" / "_build" / "html"
                if not (site / "chapters").is_dir():
                    cli(a, env_a, "html")
                print("browser: first figure interactive per chapter page", flush=True)
                r["browser"] = clock("browser", lambda: browser_timing.measure_site(
                    site, loads=args.loads, log=lambda s: print(s, flush=True)))
        finally:
            if cluster:
                cluster.close()
    if "floors_runs" in r:
        runs_ = r.pop("floors_runs")
        r["floors"] = {k: [x for d in runs_ for x in d[k]] for k in ("papermill", "latex_writer", "xelatex",
                                                                     "xdvipdfmx", "xdvipdfmx_z1")}
        r["floors"]["pdf_sizes"] = [d["pdf_sizes"] for d in runs_]
    print()
    print(f"Machine: {machine()}")
    print()
    print("\n".join(report(r, args.runs)))
    per = {k: statistics.median(v) for k, v in spent.items()}
    all_est = estimate_seconds({**DEFAULT_ESTIMATE, **per}, list(SCENARIOS), 3)
    print()
    print(f"This bench took {(time.perf_counter() - t_start) / 60:.1f} min. Estimated wall time of a full "
          f"`make bench` (RUNS=3, every scenario; measured times where this bench had them): {all_est / 60:.0f} min")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": r, "spent": spent, "machine": machine(),
                                               "runs": args.runs, "scenarios": selected}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
