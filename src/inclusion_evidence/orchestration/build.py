"""Render the executed edition: generated pages, HTML and PDF, each swapped in atomically."""

from __future__ import annotations

import importlib.metadata as md
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.atomic import atomic_dir, atomic_write_text
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.catalogue import load_catalogue
from inclusion_evidence.orchestration.lineage import chapters_by_source

PDF_NAME = "inclusion-of-migrants-evidence-book.pdf"
PACKAGES = ("jupyter-book", "sphinx", "myst-nb", "papermill", "nbval", "pandas", "numpy", "geopandas",
            "matplotlib", "seaborn", "scikit-learn", "statsmodels", "pyarrow", "python-calamine", "pandera")


def _version(pkg: str) -> str:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return "not installed"


def write_generated_pages() -> None:
    """Pages made from the project's data files: data sources, glossary, this edition."""
    write_data_sources_page()
    write_glossary_page()
    write_edition_page()


def write_data_sources_page() -> None:
    catalogue = load_catalogue()
    used = chapters_by_source()
    lines = ["# Data sources", "",
             "Every raw file behind this book, generated from the catalogue `data/raw/sources.yml`. "
             "Files marked *available* are locked by their SHA-256 checksum; files marked *declared* are "
             "datasets the chapters can use but that this edition's inputs lack: download them from the "
             "address given and add them with `make add-data` (see the README).", ""]
    for status, heading in (("available", "Files used in this edition"), ("declared", "Declared, not yet in this edition")):
        lines += [f"## {heading}", ""]
        for s in catalogue.values():
            if s.status != status:
                continue
            where = ", ".join(used.get(s.id, [])) or "not used by a chapter yet"
            lines += [f"### {s.title}", "",
                      f"- **Publisher:** {s.publisher}; **dataset:** `{s.dataset}`; **format:** {s.format}",
                      f"- **Address:** <{s.url}>",
                      f"- **Licence:** {s.licence}",
                      f"- **Catalogue id:** `{s.id}`; **file:** `data/raw/{s.path}`"]
            if s.sha256:
                lines.append(f"- **SHA-256:** `{s.sha256}` ({s.bytes:,} bytes, retrieved {s.retrieved})")
            if s.note:
                lines.append(f"- **Note:** {s.note}")
            lines += [f"- **Used in:** {where}", ""]
    atomic_write_text(paths.BOOK / "data_sources.md", "\n".join(lines))


def write_glossary_page() -> None:
    from inclusion_evidence.core.yamlio import load_yaml

    doc = load_yaml((paths.ACTION_PLAN / "glossary.yml").read_text(encoding="utf-8"))
    lines = ["# Glossary", "", "The acronyms of the Action Plan, as its glossary gives them.", "",
             "```{glossary}"]
    for entry in doc["glossary"]:
        lines += [str(entry["acronym"]), f"  {entry['expansion']}", ""]
    lines.append("```")
    atomic_write_text(paths.BOOK / "glossary.md", "\n".join(lines))


def write_edition_page() -> None:
    """What produced this edition: each chapter's execution record, parameters, sources, versions."""
    from inclusion_evidence.orchestration.runner import execution_record, load_params, summarise_reason

    catalogue = load_catalogue()
    epoch, specs = load_params()
    lines = ["# This edition", "",
             "What produced the pages of this edition: when each notebook was last executed and why, "
             "the parameters, the checksums of the raw inputs and the versions of the software. "
             "A notebook is executed again only when something in its cache key changed: its source, "
             "its parameters, its input tables or the raw files behind them, the package code it runs, "
             f"the lock file or the cache epoch (now {epoch}). `make status` shows what is stale now.", "",
             "## Execution of the notebooks", "",
             "| Notebook | Seconds | Why it was executed | Cache key |", "| --- | --- | --- | --- |"]
    for spec in specs.values():
        record = execution_record(spec)
        seconds = f"{record['seconds']:.1f}" if "seconds" in record else "-"
        reason = summarise_reason(record.get("reason", ""), code_style=True) or "-"
        key = f"`{record['key'][:12]}`" if "key" in record else "not executed"
        lines.append(f"| {spec.title} | {seconds} | {reason} | {key} |")
    lines += ["", "## Parameters", "", "| Notebook | Parameters |", "| --- | --- |"]
    for spec in specs.values():
        params = "; ".join(f"`{k}` = `{v}`" for k, v in spec.parameters.items()) or "-"
        lines.append(f"| {spec.title} | {params} |")
    lines += ["", "## Raw inputs", "", "| Source | SHA-256 (first 16) | Retrieved |", "| --- | --- | --- |"]
    for s in catalogue.values():
        if s.status == "available":
            lines.append(f"| `{s.id}` | `{s.sha256[:16]}` | {s.retrieved} |")
    lines += ["", "## Software", "", f"Python {sys.version.split()[0]}.", "",
              "| Package | Version |", "| --- | --- |"]
    lines += [f"| {p} | {_version(p)} |" for p in PACKAGES]
    atomic_write_text(paths.BOOK / "edition.md", "\n".join(lines) + "\n")


def _jupyter_book(args: list[str], log) -> None:
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), *args]
    log("  $ jupyter-book " + " ".join(args))
    proc = subprocess.run(cmd, cwd=paths.ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise DataError(paths.BOOK, f"jupyter-book {' '.join(args[:2])} failed; the previous build is "
                                    f"unchanged. Last lines:\n{tail}")


# Not part of the book's sources: builds, staging folders, the latest run's report.
NOT_SOURCES = ("_build", ".staging-*", ".jupyter_cache", "_status.json")
KEY_FILE = ".inclusion-build-key"


def _book_copy(tmp: Path) -> Path:
    """A copy of the book folder without its build, so a build never touches the live one."""
    dst = tmp / "book"
    shutil.copytree(paths.BOOK, dst, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    return dst


def build_key(builder: str) -> str:
    """Hash of everything a build renders: the book's files (edition, figures, pages) and the lock file."""
    import fnmatch
    import hashlib

    digest = hashlib.sha256(builder.encode())
    for path in sorted(paths.BOOK.rglob("*")):
        rel = path.relative_to(paths.BOOK)
        if any(fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in NOT_SOURCES):
            continue
        if path.is_file():
            digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    lock = paths.ROOT / "requirements-lock.txt"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def _up_to_date(out: Path, key: str) -> bool:
    marker = out / KEY_FILE
    return marker.exists() and marker.read_text() == key


def build_html(log=print, force: bool = False) -> Path:
    """Strict HTML build (warnings are errors) into a temporary folder, then swapped in.

    Skipped when nothing the book renders changed since the last build (``force`` builds anyway).
    """
    write_generated_pages()
    key = build_key("html")
    if not force and _up_to_date(paths.BUILD / "html", key):
        log("  HTML up to date: the book's files are unchanged since the last build; nothing built")
        return paths.BUILD / "html"
    with tempfile.TemporaryDirectory(prefix=".build-", dir=paths.ROOT) as tmp:
        src = _book_copy(Path(tmp))
        _jupyter_book(["build", str(src), "--builder", "html", "-W", "-n", "--keep-going"], log)
        pdf = paths.BUILD / "latex" / PDF_NAME
        if pdf.exists():  # keep the download link alive between HTML-only builds
            (src / "_build" / "html" / "_static").mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf, src / "_build" / "html" / "_static" / PDF_NAME)
        with atomic_dir(paths.BUILD / "html") as out:
            shutil.copytree(src / "_build" / "html", out, dirs_exist_ok=True)
            (out / KEY_FILE).write_text(key)
    return paths.BUILD / "html"


def build_pdf(log=print, force: bool = False) -> Path:
    """PDF through Sphinx's LaTeX builder and xelatex; copied into the HTML for download.

    Skipped when nothing the book renders changed since the last PDF (``force`` builds anyway).
    """
    if shutil.which("xelatex") is None or shutil.which("latexmk") is None:
        raise DataError("xelatex", "TeX is not installed. As root: apt-get install -y --no-install-recommends "
                                   "texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk "
                                   "fonts-freefont-otf")
    write_generated_pages()
    key = build_key("pdf")
    if not force and _up_to_date(paths.BUILD / "latex", key) and (paths.BUILD / "latex" / PDF_NAME).exists():
        log("  PDF up to date: the book's files are unchanged since the last build; nothing built")
        _copy_pdf_into_html()
        return paths.BUILD / "latex" / PDF_NAME
    with tempfile.TemporaryDirectory(prefix=".build-", dir=paths.ROOT) as tmp:
        src = _book_copy(Path(tmp))
        _jupyter_book(["build", str(src), "--builder", "pdflatex", "--keep-going"], log)
        built = src / "_build" / "latex" / "book.pdf"
        if not built.exists():
            raise DataError(built, "LaTeX ran but produced no PDF")
        with atomic_dir(paths.BUILD / "latex") as out:
            shutil.copy2(built, out / PDF_NAME)
            shutil.copy2(src / "_build" / "latex" / "book.tex", out / "book.tex")
            (out / KEY_FILE).write_text(key)
    _copy_pdf_into_html()
    return paths.BUILD / "latex" / PDF_NAME


def _copy_pdf_into_html() -> None:
    html_static = paths.BUILD / "html" / "_static"
    pdf = paths.BUILD / "latex" / PDF_NAME
    if html_static.exists() and pdf.exists():
        shutil.copy2(pdf, html_static / PDF_NAME)
