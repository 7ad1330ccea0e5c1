"""The two editions as their readers get them: the PDF's content and layout, the HTML's
conventions, and every page checked by axe-core in Chromium.

`make test` builds the PDF and the HTML first (and installs Chromium and the npm packages
of tests/browser/); these tests read what it built.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.geo_codes import COUNTRIES
from inclusion_evidence.orchestration.build import PDF_NAME, csv_address, rewrite_csv_links, site_url

HTML = paths.BUILD / "html"
PDF = paths.BUILD / "latex" / PDF_NAME
TEX = paths.BUILD / "latex" / "book.tex"
BROWSER = Path(__file__).parent / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")

pytestmark = pytest.mark.book


# ---------------------------------------------------------------- helpers

def _norm(text: str) -> str:
    """Compare words, not glyphs or line breaks: LaTeX sets typographic quotes and dashes."""
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"),
                 ("\u2014", "-"), ("\u2010", "-"), ("\u2212", "-"), ("\u00a0", " "), ("\ufb01", "fi"),
                 ("\ufb02", "fl")):
        text = text.replace(a, b)
    return re.sub(r"\s+", "", text)


def _cell_parts(cell: str) -> list[str]:
    """A table cell's text as the PDF shows it: roles such as {cite:p}`key` render as other
    text, so the parts between them are compared; Markdown emphasis and code marks are dropped."""
    parts = re.split(r"\{[\w:-]+\}`[^`]*`", cell)
    return [p for p in (_norm(x.replace("*", "").replace("`", "")) for x in parts) if p]


@functools.cache
def pdf_pages(pdf: Path = PDF) -> list[str]:
    if not pdf.exists():
        pytest.fail(f"no PDF {pdf.name}: run `make pdf` (make test does it)")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@functools.cache
def pages_with_images() -> frozenset[int]:
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True).stdout
    return frozenset(int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip())


def book_tables() -> list[tuple[str, str, list[list[str]], Path]]:
    """Every table shown with show_table: (chapter, title, rows as rendered, its CSV)."""
    found = []
    for nb_path in sorted(paths.EDITION.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                md = out.get("data", {}).get("text/markdown", "")
                for m in re.finditer(r"```\{table\} (.+)\n:name: tbl-([^\n]+)\n\n(.*?)\n```", md, flags=re.S):
                    title, label, body = m.groups()
                    name = label.removeprefix(nb_path.stem + "-")
                    # cells as the reader sees them: MyST's backslash escapes of data strings removed
                    rows = [[re.sub(r"\\(.)", r"\1", c.strip()) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
                            for line in body.splitlines() if line.strip().startswith("|")]
                    rows = [r for i, r in enumerate(rows) if i != 1]  # drop the | --- | rule
                    found.append((nb_path.stem, re.sub(r"\\(.)", r"\1", title.strip()), rows,
                                  paths.EDITION / "figures" / nb_path.stem / f"{name}.csv"))
    return found


TABLES = book_tables()


def pdf_of(chapter: str) -> Path:
    """The PDF a page is printed in: the main edition, or its fan-out part's own PDF (country profiles)."""
    from inclusion_evidence.orchestration.build import profiles_pdf_name
    from inclusion_evidence.orchestration.runner import load_params

    spec = load_params()[1].get(chapter)
    if spec is not None and spec.kind == "profile":
        return paths.BUILD / "latex" / profiles_pdf_name(spec.notebook)
    return PDF


# ---------------------------------------------------------------- PDF

@pytest.mark.parametrize("chapter,title,rows,csv", TABLES, ids=[f"{t[0]}:{t[3].stem}" for t in TABLES])
def test_pdf_table_has_every_column_of_its_csv(chapter, title, rows, csv):
    """Each table's cells are in the PDF text, column by column; a cut column fails."""
    assert csv.exists(), f"{chapter}: table '{title}' has no CSV at {csv}"
    data = pd.read_csv(csv, dtype=str, keep_default_na=False)
    header, body = rows[0], rows[1:]
    assert header == [str(c) for c in data.columns], f"{csv.name}: the table's columns differ from its CSV"
    assert len(body) == len(data), f"{csv.name}: {len(body)} rows shown, {len(data)} in the CSV"
    flat = _norm("".join(pdf_pages(pdf_of(chapter))))
    start = flat.find(_norm(title))
    assert start >= 0, f"table '{title}' ({csv.name}) is not in the PDF"
    region = flat[start:start + 40 * sum(len(_norm(c)) + 4 for r in rows for c in r) + 4000]
    for j, column in enumerate(header):
        cells = [_cell_parts(r[j]) for r in body if j < len(r) and _norm(r[j])]
        found = sum(1 for parts in cells if all(p in region for p in parts))
        assert _norm(column) in region and found >= 0.95 * len(cells), (
            f"{csv.name}: column '{column}' is cut from the PDF ({found} of {len(cells)} cells found)")


def _body(page: str) -> str:
    """A page's text without its running head (first line) and foot (last line)."""
    lines = [line for line in page.splitlines() if line.strip()]
    return "\n".join(lines[1:-1] if len(lines) > 2 else lines)


def test_pdf_has_no_blank_pages():
    """No page but the title page with almost no text (under 100 characters) and no figure."""
    blank = []
    for number, page in enumerate(pdf_pages(), start=1):
        if number > 1 and len(_norm(_body(page))) < 100 and number not in pages_with_images():
            blank.append(f"page {number}: {' '.join(page.split())[:100]!r}")
    assert not blank, f"{len(blank)} near-blank pages:\n" + "\n".join(blank)


def test_pdf_does_not_hyphenate_country_names():
    names = {c.name for c in COUNTRIES}
    split = []
    for number, page in enumerate(pdf_pages(), start=1):
        for a, b in re.findall(r"(\w+)-\n(\w+)", page):
            if a + b in names:
                split.append(f"page {number}: {a}-{b}")
    assert not split, "country names hyphenated: " + ", ".join(split)


def test_pdf_running_heads_show_the_action():
    """Pages of an action's chapter carry 'Action N: ...' in their head, not 'Chapter N'."""
    heads = [next((line for line in p.splitlines() if line.strip()), "") for p in pdf_pages()]
    for n in range(1, 8):
        assert sum(h.startswith(f"Action {n}: ") for h in heads) >= 2, f"no running head names Action {n}"
    assert not any(re.match(r"Chapter \d+\. ", h) for h in heads)


def test_pdf_has_one_bibliography_and_no_empty_index():
    tex = TEX.read_text(encoding="utf-8")
    assert "\\printindex" not in tex, "the PDF prints an index"
    contents = "\n".join(pdf_pages()[:6])
    assert len(re.findall(r"^\d*\s*Bibliography\b", contents, flags=re.M)) == 1, "Bibliography listed twice"


def test_pdf_metadata():
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    for key in ("Title", "Author", "Subject", "Keywords"):
        assert fields.get(key, "").strip(), f"PDF metadata lacks {key}"
    xmp = subprocess.run(["pdfinfo", "-meta", str(PDF)], capture_output=True, text=True, check=True).stdout
    assert "<dc:language>" in xmp and "en-GB" in xmp, "PDF metadata lacks the language"


def pdf_link_targets() -> set[str]:
    """The addresses of the PDF's links (its annotations, in plain or Flate-compressed objects)."""
    import zlib

    data = PDF.read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            chunks.append(zlib.decompress(data[m.end():end]))
        except zlib.error:
            continue
    return {u.decode("latin-1") for chunk in chunks for u in re.findall(rb"/URI\s*\(([^)]*)\)", chunk)}


def test_pdf_links_every_csv_to_the_site():
    """Each 'Data (CSV)' in the PDF is a link to data/<chapter>/<name>.csv on the published site
    (full tables offered for download link there too, under their own words)."""
    base = site_url()
    figures = paths.EDITION / "figures"
    csvs = {csv_address(p.relative_to(figures).parts[0], "/".join(p.relative_to(figures).parts[1:]))
            for p in figures.rglob("*.csv")}
    links = {u for u in pdf_link_targets() if u.startswith(base + "data/")}
    shown = sum(_norm(p).count("Data(CSV)") for p in pdf_pages())
    assert shown and len(links) >= shown, f"{shown} 'Data (CSV)' in the PDF, {len(links)} links to CSVs"
    for url in links:
        assert url.removeprefix(base) in csvs, f"{url} names no CSV of the edition"


def test_csv_link_rewrite():
    """The build's rewrite of present/figures.py's download role, for both builders."""
    text = 'Source: X. {download}`Data (CSV) <figures/action_1_healthcare/ch1-a.csv>`\\n'
    html = rewrite_csv_links(text, "html", "https://example.org/book/")
    assert 'href=\\"../data/action_1_healthcare/ch1-a.csv\\"' in html and "{download}" not in html
    pdf = rewrite_csv_links(text, "latex", "https://example.org/book/")
    assert "[Data (CSV)](https://example.org/book/data/action_1_healthcare/ch1-a.csv)" in pdf


# ---------------------------------------------------------------- HTML

def html_pages() -> list[str]:
    toc = yaml.safe_load((paths.BOOK / "_toc.yml").read_text())
    docs = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f"{d}.html" for d in docs]


@pytest.fixture(scope="module")
def built_html() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("no built HTML: run `make html` (make test does it)")
    return HTML


def test_html_serves_figure_data_at_stable_addresses(built_html):
    assert not (built_html / "_downloads").exists(), "CSVs still under hashed _downloads/ folders"
    links = 0
    for rel in html_pages():
        page = built_html / rel
        # every CSV download: "Data (CSV)" under figures and tables, and full tables under their own words
        for href in re.findall(r'<a class="reference external csv-link" href="([^"]+)"', page.read_text(encoding="utf-8")):
            links += 1
            assert re.fullmatch(r"(\.\./)?data/[\w-]+/(?:[\w.-]+/)*[\w.-]+\.csv", href), f"{rel}: unstable CSV address {href}"
            assert (page.parent / href).resolve().exists(), f"{rel}: {href} is missing"
    assert links >= len(list((paths.EDITION / "figures").glob("*/*.csv"))) - 5


def test_html_conventions(built_html):
    config = yaml.safe_load((paths.BOOK / "_config.yml").read_text())
    repo = config["repository"]["url"]
    page = (built_html / "chapters" / "action_1_healthcare.html").read_text(encoding="utf-8")
    assert f'href="{repo}"' in page, "no repository button"
    assert f"{repo}/issues/new" in page, "no 'open an issue' link"
    assert f"{repo}/edit/main/chapters/action_1_healthcare.ipynb" in page, "no 'edit this page' link to the source"
    assert "btn-download-pdf-edition" in page and f"_static/{PDF_NAME}" in page, "no PDF download in the header"
    assert "btn-download-pdf-button" not in page, "the header still offers the print-to-PDF button"
    assert 'rel="icon"' in page and "favicon" in page, "no favicon"
    assert "Last updated on" in page, "no last-updated footer"
    assert "creativecommons.org/licenses/by/4.0" in page, "no content licence in the footer"
    assert page.count("const THEBE_JS_URL") <= 1, "THEBE_JS_URL declared twice"
    for rel in html_pages():
        assert "&amp;amp;" not in (built_html / rel).read_text(encoding="utf-8"), f"{rel}: '&' escaped twice"


def test_how_to_cite_page(built_html):
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    page = (built_html / "cite.html").read_text(encoding="utf-8")
    assert str(cff["version"]) in page and str(cff["date-released"]) in page
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True).stdout.strip()
    if commit:
        assert commit in page, "the cite page does not name the commit"


def test_bibliography_is_author_year_and_cites_the_data_publishers(built_html):
    page = (built_html / "bibliography.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="label"><span class="fn-bracket">\[</span>([^<]+)<', page)
    assert labels, "no bibliography labels"
    assert not [x for x in labels if x.isdigit()], "numbered labels in the bibliography"
    assert all(re.search(r"(\d{4}[a-z]?|n\.d\.)$", x) for x in labels), labels
    for publisher in ("Eurostat", "MIPEX", "ILGA-Europe", "FRA", "UNHCR"):
        assert any(x.startswith(publisher) for x in labels), f"{publisher} is not in the bibliography"


@pytest.fixture(scope="module")
def browser_report(built_html):
    if CHROMIUM is None or NODE is None or not (BROWSER / "node_modules" / "axe-core").exists():
        pytest.fail("the browser checks need chromium, node and tests/browser/node_modules "
                    "(`make test` installs them; as root it installs chromium too)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_html))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = subprocess.run([NODE, str(BROWSER / "check_pages.mjs"), f"http://127.0.0.1:{server.server_port}/",
                               *html_pages()], capture_output=True, text=True, timeout=1200,
                              env={"CHROMIUM": CHROMIUM, "PATH": "/usr/bin:/bin"})
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    (paths.BUILD / "browser-report.json").write_text(json.dumps(report, indent=1))
    return report


@pytest.mark.parametrize("page", html_pages())
def test_page_has_no_serious_accessibility_violation(browser_report, page):
    found = browser_report["pages"][page]["violations"]
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, f"{page}: " + "; ".join(f"{v['id']} ({v['impact']}, {v['nodes']}): {v['targets']}"
                                                for v in serious)


@pytest.mark.parametrize("page", html_pages())
def test_page_fits_a_phone_has_one_search_box_and_logs_no_error(browser_report, page):
    entry = browser_report["pages"][page]
    assert entry["searchBoxes"] == 1 and entry["phoneSearchBoxes"] == 1, (
        f"{page}: {entry['searchBoxes']} search boxes on a desktop, {entry['phoneSearchBoxes']} on a phone")
    assert entry["phoneWidth"] <= 390, f"{page} is {entry['phoneWidth']} px wide on a 390 px screen"
    assert not entry["consoleErrors"], f"{page}: console errors {entry['consoleErrors']}"
