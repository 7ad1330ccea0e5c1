"""Checks on the built book: every page renders in a real browser, figures load, the PDF is complete.

`make test` builds the HTML and the PDF first; these tests read what it built.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration.build import PDF_NAME

HTML = paths.BUILD / "html"
PDF = paths.BUILD / "latex" / PDF_NAME
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def toc_documents() -> list[str]:
    toc = yaml.safe_load((paths.BOOK / "_toc.yml").read_text())
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        docs += [c["file"] for c in part["chapters"]]
    return docs


def chapter_titles() -> list[str]:
    """The H1 of every executed notebook, as the reader sees it (a profile's is glued: its title in the toc)."""
    titles = []
    given = {c["file"]: c["title"] for part in yaml.safe_load((paths.BOOK / "_toc.yml").read_text())["parts"]
             for c in part["chapters"] if "title" in c}
    for doc in toc_documents():
        if doc in given:
            titles.append(given[doc])
            continue
        nb_path = paths.BOOK / f"{doc}.ipynb"
        if nb_path.exists():
            nb = nbformat.read(nb_path, as_version=4)
            for cell in nb.cells:
                m = re.search(r"^# (.+)$", cell.source, flags=re.M) if cell.cell_type == "markdown" else None
                if m:
                    titles.append(m.group(1).strip())
                    break
    return titles


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.text, self._in_main = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
        if tag == "main":
            self._in_main += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main -= 1

    def handle_data(self, data):
        if self._in_main:
            self.text.append(data)


def render(url: str) -> str:
    """The DOM after Chromium has loaded the page and run its scripts."""
    profile = tempfile.mkdtemp()
    try:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--virtual-time-budget=3000", "--dump-dom", url],
            capture_output=True, text=True, timeout=90)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture(scope="module")
def built_html() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("no built HTML: run `make html` (make test does it)")
    return HTML


@pytest.mark.book
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed: `make test` installs it when run as root, else prints the apt-get line")
@pytest.mark.parametrize("doc", toc_documents())
def test_page_renders_with_its_figures(built_html, doc):
    page = built_html / f"{doc}.html"
    assert page.exists(), f"{doc} is in the table of contents but was not built"
    parser = _Page()
    parser.feed(render(page.as_uri()))
    text = " ".join("".join(parser.text).split())
    assert len(text) > 300, f"{doc}: page is nearly blank ({len(text)} characters)"
    assert "Traceback (most recent call last)" not in text, f"{doc}: a Python error is shown on the page"
    for src in parser.images:
        if src.startswith(("http", "data:")):
            continue
        target = (page.parent / src.split("#")[0]).resolve()
        assert target.exists(), f"{doc}: broken image link {src}"
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{doc}: {src} is not a PNG"


@pytest.mark.book
def test_every_figure_has_alt_text_and_csv(built_html):
    missing = []
    for page in built_html.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<img [^>]*>", html):
            if "figures/" in tag or "_images/" in tag:
                alt = re.search(r'alt="([^"]*)"', tag)
                if not alt or len(alt.group(1).strip()) < 15:
                    missing.append(f"{page.name}: {tag[:120]}")
    assert not missing, "images without alt text:\n" + "\n".join(missing)
    for png in (paths.EDITION / "figures").rglob("*.png"):
        assert png.with_suffix(".csv").exists(), f"{png.name} has no CSV of its data"


@pytest.mark.book
def test_pdf_is_linked_from_html(built_html):
    assert (built_html / "_static" / PDF_NAME).exists(), "the PDF is not copied into the HTML site"
    assert PDF_NAME in (built_html / "index.html").read_text(encoding="utf-8")


@pytest.mark.book
def test_pdf_has_every_chapter_and_its_figures():
    assert PDF.exists(), "no PDF: run `make pdf` (make test does it)"
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    def norm(value: str) -> str:
        # LaTeX sets typographic quotes and dashes; compare the words, not the glyphs.
        for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u2013", "-"), ("\u2014", "-")):
            value = value.replace(a, b)
        return " ".join(value.split())

    flat = norm(text)
    missing = [t for t in chapter_titles() if norm(t) not in flat]
    assert not missing, f"chapter titles missing from the PDF: {missing}"
    for heading in ("Glossary", "Data sources", "Bibliography", "This edition"):
        assert heading in flat, heading
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.strip()]
    main, own = _figures_by_pdf()
    assert len(images) >= len(main), f"PDF holds {len(images)} images for {len(main)} figures"


def _figures_by_pdf() -> tuple[list[Path], dict[str, list[Path]]]:
    """The figures of the main PDF's chapters, and per fan-out part (its own PDF) the figures of its pages."""
    from inclusion_evidence.orchestration.runner import load_params

    _, specs = load_params()
    part = {name: spec.notebook for name, spec in specs.items() if spec.kind == "profile"}
    main, own = [], {}
    for png in (paths.EDITION / "figures").rglob("*.png"):
        chapter = png.relative_to(paths.EDITION / "figures").parts[0]
        (own.setdefault(part[chapter], []) if chapter in part else main).append(png)
    return main, own


def test_each_fanout_part_has_its_own_pdf_with_every_figure():
    from inclusion_evidence.orchestration.build import profiles_pdf_name
    from inclusion_evidence.orchestration.fanout import load_fanouts

    _, own = _figures_by_pdf()
    for name, entry in load_fanouts().items():
        if not entry.enabled:
            continue
        pdf = paths.BUILD / "latex" / profiles_pdf_name(name)
        assert pdf.exists(), f"no PDF of the {name} part: run `make pdf`"
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        images = [line for line in listing.splitlines()[2:] if line.strip()]
        figures = own.get(entry.notebook, [])
        assert figures and len(images) >= len(figures), f"{pdf.name}: {len(images)} images for {len(figures)} figures"
