"""Reader text and builder text apart (issue 15): the pages readers see hold no build command, no
parameter-file or YAML path, and no figure whose data has one distinct value.

The Data sources, This edition and How to cite pages are for the book's builders and citers too, and
may name commands; every other page (front page, chapters, country profiles) and the action chapters
of the PDF may not. `make test` builds the HTML and the PDF first.
"""

from __future__ import annotations

import html
import re
import subprocess

import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration.build import PDF_NAME

HTML = paths.BUILD / "html"
PDF = paths.BUILD / "latex" / PDF_NAME
BUILDERS_PAGES = {"data_sources", "edition", "cite"}
BUILDER_TEXT = re.compile(r"\bmake (?:book|run|html|pdf|test|fetch|process|add-data|refresh|status|bench)\b"
                          r"|params\.yml|\b[\w/-]+\.ya?ml\b|python -m inclusion_evidence|\.venv/")


def reader_pages() -> list[str]:
    toc = yaml.safe_load((paths.BOOK / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [d for d in docs if d not in BUILDERS_PAGES]


def page_text(doc: str) -> str:
    path = HTML / f"{doc}.html"
    if not path.exists():
        pytest.fail(f"no built page {path.name}: run `make html` (make test does it)")
    body = path.read_text(encoding="utf-8")
    main = body[body.find('<main'):body.rfind('</main>')] if "<main" in body else body
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("doc", reader_pages())
def test_reader_page_holds_no_builder_text(doc):
    found = sorted(set(m.group(0) for m in BUILDER_TEXT.finditer(page_text(doc))))
    assert not found, f"{doc}: builder text on a reader's page: {found}"


def test_pdf_action_chapters_hold_no_builder_text():
    if not PDF.exists():
        pytest.fail("no PDF: run `make pdf` (make test does it)")
    text = subprocess.run(["pdftotext", "-raw", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip().startswith("Action ")]
    assert len(pages) > 50, f"only {len(pages)} pages with an action's running head"
    found = sorted({m.group(0) for p in pages for m in BUILDER_TEXT.finditer(" ".join(p.split()))})
    assert not found, f"builder text in the PDF's action chapters: {found}"


def figure_csvs() -> list:
    return sorted((paths.EDITION / "figures").rglob("*.csv"))


@pytest.mark.parametrize("csv", figure_csvs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_figure_plots_one_value_only(csv):
    """A figure (its PNG beside the CSV) whose every plotted number is the same shows nothing."""
    if not csv.with_suffix(".png").exists():
        pytest.skip("a table or a download, not a figure")
    data = pd.read_csv(csv)
    numbers = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])
               and c.lower() not in {"year", "time", "rank", "row", "order"}]
    if not numbers:
        pytest.skip("no numeric column: a categorical figure")
    distinct = {v for c in numbers for v in data[c].dropna().unique()}
    assert len(distinct) > 1, f"{csv.name}: every plotted value is {distinct or 'missing'}"
