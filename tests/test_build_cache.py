"""HTML and PDF builds run only when something the book renders changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration import build


@pytest.fixture
def book(project, monkeypatch):
    """The conftest project with a page, an executed chapter and a figure; builds recorded, not run."""
    root = project
    (root / "book" / "chapters" / "figures" / "demo").mkdir(parents=True)
    (root / "book" / "index.md").write_text("# Front page\n")
    (root / "book" / "chapters" / "demo.ipynb").write_text("{}")
    (root / "book" / "chapters" / "figures" / "demo" / "map.png").write_bytes(b"png")
    (root / "requirements-lock.txt").write_text("pandas==3.1.1\n")
    monkeypatch.setattr(build, "write_generated_pages", lambda: None)
    calls = []

    def fake_jupyter_book(args, log):
        calls.append(args)
        out = Path(args[1]) / "_build" / "html"
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text("<html>built</html>")

    monkeypatch.setattr(build, "_jupyter_book", fake_jupyter_book)
    return root, calls


def test_second_build_of_an_unchanged_book_builds_nothing(book):
    root, calls = book
    build.build_html(log=lambda _: None)
    assert len(calls) == 1 and (paths.BUILD / "html" / "index.html").exists()
    logs = []
    build.build_html(log=logs.append)
    assert len(calls) == 1 and "nothing built" in logs[0]


@pytest.mark.parametrize("change", [
    lambda root: (root / "book" / "index.md").write_text("# Front page, edited\n"),
    lambda root: (root / "book" / "chapters" / "figures" / "demo" / "map.png").write_bytes(b"new png"),
    lambda root: (root / "book" / "chapters" / "new.ipynb").write_text("{}"),
    lambda root: (root / "requirements-lock.txt").write_text("pandas==3.2.0\n"),
], ids=["page", "figure", "new chapter", "lock file"])
def test_any_rendered_change_rebuilds(book, change):
    root, calls = book
    build.build_html(log=lambda _: None)
    change(root)
    build.build_html(log=lambda _: None)
    assert len(calls) == 2


def test_a_pdf_that_appears_or_changes_rebuilds_the_site_that_links_it(book):
    root, calls = book
    build.build_html(log=lambda _: None)
    pdf = paths.BUILD / "latex" / build.PDF_NAME
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7 first")
    build.build_html(log=lambda _: None)
    assert len(calls) == 2
    build.build_html(log=lambda _: None)
    assert len(calls) == 2
    pdf.write_bytes(b"%PDF-1.7 rebuilt")   # `make pdf` again: the site must not keep the old one
    build.build_html(log=lambda _: None)
    assert len(calls) == 3


def test_run_report_and_old_builds_do_not_count(book):
    root, calls = book
    build.build_html(log=lambda _: None)
    (root / "book" / "_status.json").write_text('[{"notebook": "demo", "seconds": 3.1}]')
    (root / "book" / ".staging-abc").mkdir()
    (root / "book" / ".staging-abc" / "demo.ipynb").write_text("{}")
    build.build_html(log=lambda _: None)
    assert len(calls) == 1


def test_force_builds_anyway(book):
    root, calls = book
    build.build_html(log=lambda _: None)
    build.build_html(log=lambda _: None, force=True)
    assert len(calls) == 2


def test_failed_build_keeps_the_previous_site_and_its_key(book, monkeypatch):
    root, calls = book
    build.build_html(log=lambda _: None)
    before = (paths.BUILD / "html" / build.KEY_FILE).read_text()
    (root / "book" / "index.md").write_text("# Front page, edited\n")

    def failing(args, log):
        raise build.DataError(paths.BOOK, "jupyter-book build failed")

    monkeypatch.setattr(build, "_jupyter_book", failing)
    with pytest.raises(build.DataError):
        build.build_html(log=lambda _: None)
    assert (paths.BUILD / "html" / "index.html").read_text() == "<html>built</html>"
    assert (paths.BUILD / "html" / build.KEY_FILE).read_text() == before
