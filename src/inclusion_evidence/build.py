"""Render the executed edition: generated pages, HTML and PDF, each swapped in atomically."""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import paths
from .atomic import atomic_dir, atomic_write_text
from .catalogue import load_catalogue
from .errors import DataError

PDF_NAME = "inclusion-of-migrants-evidence-book.pdf"
PACKAGES = ("jupyter-book", "sphinx", "myst-nb", "papermill", "nbval", "pandas", "numpy", "geopandas",
            "matplotlib", "seaborn", "mapclassify", "scikit-learn", "statsmodels", "pyarrow")


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


def chapters_by_source() -> dict[str, list[str]]:
    """Which notebooks use each raw source (through the tables they read)."""
    from .process import sources_by_table
    from .runner import load_params

    _, specs = load_params()
    behind = sources_by_table()
    out: dict[str, list[str]] = {}
    for spec in specs.values():
        for table in spec.inputs:
            for sid in behind.get(table, ()):
                out.setdefault(sid, [])
                if spec.title not in out[sid]:
                    out[sid].append(spec.title)
    return out


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
    import yaml

    doc = yaml.safe_load((paths.ACTION_PLAN / "glossary.yml").read_text(encoding="utf-8"))
    lines = ["# Glossary", "", "The acronyms of the Action Plan, as its glossary gives them.", "",
             "```{glossary}"]
    for entry in doc["glossary"]:
        lines += [str(entry["acronym"]), f"  {entry['expansion']}", ""]
    lines.append("```")
    atomic_write_text(paths.BOOK / "glossary.md", "\n".join(lines))


def write_edition_page() -> None:
    """What produced this edition: sources, parameters, package versions, run status."""
    from .runner import load_params

    catalogue = load_catalogue()
    epoch, specs = load_params()
    status_path = paths.BOOK / "_status.json"
    status = json.loads(status_path.read_text()) if status_path.exists() else []
    lines = ["# This edition", "",
             "What produced the pages of this edition: the last run of the notebooks, the parameters, "
             "the checksums of the raw inputs and the versions of the software. "
             f"Cache epoch: {epoch}.", "", "## Last run of the notebooks", "",
             "| Notebook | Status | Seconds | Why it ran |", "| --- | --- | --- | --- |"]
    for row in status:
        lines.append(f"| {specs[row['notebook']].title if row['notebook'] in specs else row['notebook']} | "
                     f"{row['status']} | {row['seconds']:.1f} | {row.get('reason') or '-'} |")
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


def _book_copy(tmp: Path) -> Path:
    """A copy of the book folder without its build, so a build never touches the live one."""
    dst = tmp / "book"
    shutil.copytree(paths.BOOK, dst, ignore=shutil.ignore_patterns("_build", ".staging-*", ".jupyter_cache"))
    return dst


def build_html(log=print) -> Path:
    """Strict HTML build (warnings are errors) into a temporary folder, then swapped in."""
    write_generated_pages()
    with tempfile.TemporaryDirectory(prefix=".build-", dir=paths.ROOT) as tmp:
        src = _book_copy(Path(tmp))
        _jupyter_book(["build", str(src), "--builder", "html", "-W", "-n", "--keep-going"], log)
        pdf = paths.BUILD / "latex" / PDF_NAME
        if pdf.exists():  # keep the download link alive between HTML-only builds
            (src / "_build" / "html" / "_static").mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf, src / "_build" / "html" / "_static" / PDF_NAME)
        with atomic_dir(paths.BUILD / "html") as out:
            shutil.copytree(src / "_build" / "html", out, dirs_exist_ok=True)
    return paths.BUILD / "html"


def build_pdf(log=print) -> Path:
    """PDF through Sphinx's LaTeX builder and xelatex; copied into the HTML for download."""
    if shutil.which("xelatex") is None or shutil.which("latexmk") is None:
        raise DataError("xelatex", "TeX is not installed. As root: apt-get install -y --no-install-recommends "
                                   "texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk "
                                   "fonts-freefont-otf")
    write_generated_pages()
    with tempfile.TemporaryDirectory(prefix=".build-", dir=paths.ROOT) as tmp:
        src = _book_copy(Path(tmp))
        _jupyter_book(["build", str(src), "--builder", "pdflatex", "--keep-going"], log)
        built = src / "_build" / "latex" / "book.pdf"
        if not built.exists():
            raise DataError(built, "LaTeX ran but produced no PDF")
        with atomic_dir(paths.BUILD / "latex") as out:
            shutil.copy2(built, out / PDF_NAME)
            shutil.copy2(src / "_build" / "latex" / "book.tex", out / "book.tex")
    html_static = paths.BUILD / "html" / "_static"
    if html_static.exists():
        shutil.copy2(paths.BUILD / "latex" / PDF_NAME, html_static / PDF_NAME)
    return paths.BUILD / "latex" / PDF_NAME
