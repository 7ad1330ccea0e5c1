"""The HTML build is incremental and the PDF's LaTeX re-runs only while references move.

Real builds of a small book (Jupyter Book and Sphinx, then xelatex through latexmk): one changed
chapter rewrites its page and the pages every build rewrites (search index and the like), not the
others; a failed build leaves the published site byte for byte as it was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.orchestration import build

CONFIG = """title: A small book
author: Tests
only_build_toc_files: true
exclude_patterns: [_build]
execute:
  execute_notebooks: "off"
"""
TOC = """format: jb-book
root: index
chapters:
- file: chapters/alpha
- file: chapters/beta
- file: chapters/gamma
- file: chapters/delta
"""


def notebook(title: str, result: str, extra: str = "") -> str:
    """An executed notebook: a heading, a code cell and its output."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"# {title}\n", "\n", f"Some prose.{extra}\n"]},
             {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["print('x')"],
              "outputs": [{"name": "stdout", "output_type": "stream", "text": [result + "\n"]}]}]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                   "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def book(project, monkeypatch):
    root = project
    (root / "book" / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "book" / "_config.yml").write_text(CONFIG)
    (root / "book" / "_toc.yml").write_text(TOC)
    (root / "book" / "index.md").write_text("# Front page\n\nThe chapters follow.\n")
    (root / "book" / "chapters" / "alpha.ipynb").write_text(notebook("Alpha", "first result"))
    for name in ("beta", "gamma", "delta"):
        (root / "book" / "chapters" / f"{name}.ipynb").write_text(notebook(name.title(), f"{name} result"))
    monkeypatch.setattr(build, "write_generated_pages", lambda: None)
    return root


def site_files() -> dict[str, tuple[int, bytes]]:
    site = paths.BUILD / "html"
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_cold_build_from_nothing(book):
    assert not paths.BUILD.exists()
    logs = []
    build.build_html(log=logs.append)
    site = paths.BUILD / "html"
    assert "beta result" in (site / "chapters" / "beta.html").read_text()
    assert (site / "index.html").exists() and (site / build.KEY_FILE).exists()
    assert "  HTML: full build" in logs


def test_one_changed_chapter_rewrites_only_its_page(book):
    build.build_html(log=lambda _: None)
    before = site_files()
    (book / "book" / "chapters" / "alpha.ipynb").write_text(notebook("Alpha", "a new result"))
    logs = []
    build.build_html(log=logs.append)
    after = site_files()
    rewritten = {f for f in after if f not in before or after[f][0] != before[f][0]}
    assert "chapters/alpha.html" in rewritten
    assert "a new result" in (paths.BUILD / "html" / "chapters" / "alpha.html").read_text()
    # Untouched pages keep their file (same modification time), in the stage and on the site.
    assert {"chapters/beta.html", "chapters/gamma.html", "chapters/delta.html",
            "_sources/chapters/beta.ipynb"}.isdisjoint(rewritten)
    # Besides: the page whose table of contents lists the chapter (Sphinx rewrites it, in case the
    # title changed), and what every Sphinx build rewrites: search index, general index, search page.
    assert rewritten - {"chapters/alpha.html", "_sources/chapters/alpha.ipynb", build.KEY_FILE} <= {
        "index.html", "searchindex.js", "genindex.html", "search.html"}
    assert "  HTML: 1 source file(s) changed" in logs and "  HTML: full build" not in logs


def test_failed_build_leaves_the_site_byte_identical_and_the_next_one_fails_too(book):
    build.build_html(log=lambda _: None)
    before = site_files()
    # A reference to a page that does not exist: a warning, and -W makes it an error (after the pages are written).
    (book / "book" / "chapters" / "beta.ipynb").write_text(notebook("Beta", "changed", " See {doc}`missing`."))
    with pytest.raises(DataError, match="previous build is unchanged"):
        build.build_html(log=lambda _: None)
    assert site_files() == before
    # The kept build is thrown away: retrying the same broken book reports the same error again.
    with pytest.raises(DataError):
        build.build_html(log=lambda _: None)
    assert site_files() == before
    (book / "book" / "chapters" / "beta.ipynb").write_text(notebook("Beta", "fixed"))
    logs = []
    build.build_html(log=logs.append)
    assert "fixed" in (paths.BUILD / "html" / "chapters" / "beta.html").read_text()
    assert "  HTML: full build" in logs


def test_force_builds_from_nothing(book):
    build.build_html(log=lambda _: None)
    logs = []
    build.build_html(log=logs.append, force=True)
    assert "  HTML: full build" in logs


def test_sync_replaces_changed_files_and_never_writes_through_a_link(tmp_path):
    fresh, stage = tmp_path / "fresh", tmp_path / "stage"
    (fresh / "chapters").mkdir(parents=True)
    (fresh / "chapters" / "a.ipynb").write_text("new")
    (fresh / "same.md").write_text("same")
    (stage / "chapters").mkdir(parents=True)
    (stage / "_build").mkdir()
    (stage / "_build" / "env.pickle").write_text("kept")
    (stage / "same.md").write_text("same")
    (stage / "gone.md").write_text("old page")
    outside = tmp_path / "published-a.ipynb"
    outside.write_text("published")
    (stage / "chapters" / "a.ipynb").hardlink_to(outside)
    assert sorted(build.sync_sources(fresh, stage)) == ["chapters/a.ipynb", "gone.md"]
    assert (stage / "chapters" / "a.ipynb").read_text() == "new" and outside.read_text() == "published"
    assert not (stage / "gone.md").exists() and (stage / "_build" / "env.pickle").read_text() == "kept"


TEX = r"""\documentclass{article}
\begin{document}
\tableofcontents
\section{%s}\label{s1}
See section~\ref{s2} on page~\pageref{s2}.
\section{Second}\label{s2}
Text.
\end{document}
"""


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("pdftotext") is None, reason="needs TeX")
def test_latex_reruns_only_while_references_change(tmp_path):
    def compile(folder: Path, title: str, state: Path | None) -> tuple[int, str]:
        folder.mkdir()
        (folder / "book.tex").write_text(TEX % title)
        logs = []
        pdf = build._latexmk(folder, logs.append, "test", state)
        passes = int(logs[-1].split(": ")[1].split()[0])
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return passes, text

    cold, text = compile(tmp_path / "one", "First", None)
    assert cold >= 2 and "1 First" in text.split("Second")[0]
    state = tmp_path / "state"
    state.mkdir()
    for kept in (tmp_path / "one").iterdir():
        if kept.suffix in build.LATEX_STATE:
            shutil.copy2(kept, state / kept.name)
    same, _ = compile(tmp_path / "two", "First", state)
    assert same == 1
    # A changed heading changes the table of contents: LaTeX runs again until it is right.
    moved, text = compile(tmp_path / "three", "Renamed", state)
    assert moved >= 2 and "1 Renamed" in text


def test_failed_pdf_build_keeps_the_previous_pdf(project, monkeypatch):
    if shutil.which("latexmk") is None:
        pytest.skip("needs TeX")
    (project / "book" / "_config.yml").write_text(CONFIG)
    (project / "book" / "_toc.yml").write_text(TOC)
    monkeypatch.setattr(build, "write_generated_pages", lambda: None)
    (paths.BUILD / "latex").mkdir(parents=True)
    (paths.BUILD / "latex" / build.PDF_NAME).write_bytes(b"%PDF previous")

    def failing(args, log):
        raise DataError(paths.BOOK, "jupyter-book build failed")

    monkeypatch.setattr(build, "_jupyter_book", failing)
    with pytest.raises(DataError):
        build.build_pdf(log=lambda _: None, force=True)
    assert (paths.BUILD / "latex" / build.PDF_NAME).read_bytes() == b"%PDF previous"
