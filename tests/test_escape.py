"""Data never becomes markup: strings from data files render as text in HTML and PDF alike.

The unit tests parse the escaped text with MyST (as the book does) and compare
the text the reader gets with the payload; one small Jupyter Book, executed and
built with the book's own helpers, checks the whole path to HTML and LaTeX.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from inclusion_evidence.present import escape
from inclusion_evidence.present.chapter import about_this_page_text
from inclusion_evidence.present.figures import markdown_table

PAYLOADS = [
    "<script>alert(1)</script>",
    "{download}`x <../../../../etc/passwd>`",
    "[link](javascript:alert(1))",
    "$\\input{/etc/passwd}$",
    "\\input{/etc/passwd}",
    "{{glue}}",
    "&amp;",
    "*bold* _em_ `code` ~~strike~~",
    "# heading | pipe",
    "```{admonition} x",
    "1. first",
    "<https://example.org>",
    "{{ key }} {sub}`x` :::",
]
MYST = {"myst_enable_extensions": ["colon_fence", "deflist", "dollarmath", "substitution"],
        "report_level": 5, "halt_level": 5}


def parse(markdown: str):
    return publish_doctree(markdown, parser=Parser(), settings_overrides=MYST)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_parses_to_exactly_the_payload(payload):
    tree = parse(escape.text(payload))
    assert tree.astext() == payload
    # Nothing but a paragraph of text: no raw node, link, role, math or substitution.
    kinds = {node.__class__.__name__ for node in tree.findall()}
    assert kinds <= {"document", "paragraph", "Text"}, kinds


def test_unescaped_payloads_would_be_markup():
    # The test above can fail: without the escape, MyST makes markup of these.
    kinds = {n.__class__.__name__ for p in PAYLOADS[:4] for n in parse(p).findall()}
    assert {"raw", "reference", "math"} & kinds


def test_line_breaks_cannot_start_a_block():
    tree = parse("Intro " + escape.text("one\n# two\n```{note}\nthree"))
    assert [n.__class__.__name__ for n in tree.children] == ["paragraph"]


def test_table_cells_and_headers_stay_text():
    frame = pd.DataFrame({"<b>country</b>": PAYLOADS[:7], "value": [1.5] * 7})
    tree = parse(markdown_table(frame))
    cells = [entry.astext() for entry in tree.findall() if entry.__class__.__name__ == "entry"]
    assert cells[0] == "<b>country</b>"
    assert PAYLOADS[:7] == cells[2::2]
    assert not {n.__class__.__name__ for n in tree.findall()} & {"raw", "reference", "math", "literal"}


def test_show_list_items_stay_text(monkeypatch):
    from inclusion_evidence.present import figures

    shown = []
    monkeypatch.setattr(figures, "show_markdown", shown.append)
    figures.show_list(PAYLOADS[:7], lead="What the text does not say.")
    tree = parse(shown[0])
    items = [n.astext() for n in tree.findall() if n.__class__.__name__ == "list_item"]
    assert items == PAYLOADS[:7]
    assert tree.astext().startswith("What the text does not say.")


def test_links_only_to_web_addresses():
    good = "https://ec.europa.eu/eurostat/databrowser/view/lfsa_ergan?lang=en"
    refs = [n for n in parse(escape.link(good)).findall() if n.__class__.__name__ == "reference"]
    assert [(r["refuri"], r.astext()) for r in refs] == [(good, good)]
    # myst-parser 3.0 would write '&' as '&amp;' in the target: such an address stays text.
    for address in ("javascript:alert(1)", "file:///etc/passwd", "https://x.org/<script>", "../../etc",
                    "https://data.worldbank.org/?a=1&b=2"):
        tree = parse(escape.link(address))
        assert tree.astext() == address
        assert not any(n.__class__.__name__ == "reference" for n in tree.findall())


def test_about_this_page_escapes_parameters_and_names_no_build_command():
    text = about_this_page_text({"countries": "<script>x</script>", "year": 2023}, (),
                                {"version": "1.0", "date-released": "2026-11-23"})
    tree = parse(text)
    assert "<script>x</script>" in tree.astext()
    assert "make " not in text and ".yml" not in text and "params" not in text


def _notebook(folder: Path) -> Path:
    cells = [
        nbformat.v4.new_markdown_cell("# Escape check\n\nGlued: {glue:text}`payload_glued`\n"),
        nbformat.v4.new_code_cell(textwrap.dedent(f"""\
            import types
            import matplotlib.pyplot as plt
            import pandas as pd
            from myst_nb import glue
            import inclusion_evidence.ingest.catalogue as catalogue
            from inclusion_evidence.present import figures
            from inclusion_evidence.present.chapter import about_this_page
            from inclusion_evidence.present.findings import Finding, show_key_findings
            PAYLOADS = {PAYLOADS[:7]!r}
            figures.FIGURE_DIR = figures.Path("figures") / "escape"
            """)),
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            show_key_findings([Finding("payload_finding", "Top: {name} with {value}.",
                                       {"name": PAYLOADS[0], "value": PAYLOADS[1]}, source=PAYLOADS[2],
                                       scope=PAYLOADS[3], year=PAYLOADS[6])],
                              meaning=PAYLOADS[4] + " " + PAYLOADS[5])
            glue("payload_glued", PAYLOADS[1], display=False)
            """)),
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            frame = pd.DataFrame({"label " + PAYLOADS[0]: PAYLOADS, "value": range(7)})
            figures.show_table(frame, "payload-table", title=PAYLOADS[1], source=PAYLOADS[2])
            fig, ax = plt.subplots(figsize=(3, 2))
            ax.bar(range(7), range(7))
            figures.show_figure(fig, "payload-figure", title=PAYLOADS[3], source=PAYLOADS[4],
                                alt=PAYLOADS[0] + " " + PAYLOADS[1], caption=PAYLOADS[5] + " " + PAYLOADS[6],
                                data=frame)
            entry = types.SimpleNamespace(title=PAYLOADS[0], publisher=PAYLOADS[1], dataset=PAYLOADS[3],
                                          url="javascript:alert(1)")
            catalogue.load_catalogue = lambda: {"bad": entry}
            figures.missing_evidence_note(PAYLOADS[2], ["bad"], why=PAYLOADS[4])
            figures.show_text(PAYLOADS[5] + " " + PAYLOADS[6])
            about_this_page({"group": PAYLOADS[0], "link": PAYLOADS[2]},
                            edition_info={"version": PAYLOADS[1], "date-released": PAYLOADS[6]})
            """)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "page.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory):
    """A one-page book whose notebook displays data payloads through the helpers; HTML and LaTeX built."""
    folder = tmp_path_factory.mktemp("escape-book")
    _notebook(folder)
    (folder / "_toc.yml").write_text("format: jb-book\nroot: page\nchapters:\n  - file: front\n", encoding="utf-8")
    # Another page reuses a key finding, as the front page's executive summary does (the ":s" is
    # needed: without a format, the role reads "page.ipynb:" as the key).
    (folder / "front.md").write_text("# Front\n\nReused: {glue:text}`page.ipynb::payload_finding:s`\n", encoding="utf-8")
    (folder / "_config.yml").write_text(textwrap.dedent("""\
        title: Escape check
        only_build_toc_files: true
        execute:
          execute_notebooks: force
          timeout: 300
        parse:
          myst_enable_extensions: [colon_fence, deflist, dollarmath, substitution]
        latex:
          use_jupyterbook_latex: false
        sphinx:
          config:
            nb_render_markdown_format: myst
            nb_mime_priority_overrides:
              - [latex, text/html, null]
              - [latex, image/svg+xml, null]
        """), encoding="utf-8")
    (folder / "references.bib").write_text("", encoding="utf-8")
    jb = Path(sys.executable).with_name("jupyter-book")
    if not jb.exists():
        pytest.skip("jupyter-book is not installed in this environment")
    for builder in ("html", "latex"):
        run = subprocess.run([str(jb), "build", str(folder), "--builder", builder, "--quiet"],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return folder


def test_built_html_holds_every_payload_as_text(tiny_book):
    html = (tiny_book / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "{download}`x &lt;../../../../etc/passwd&gt;`" in html
    assert "[link](javascript:alert(1))" in html
    assert "$\\input{/etc/passwd}$" in html
    assert "{{glue}}" in html
    assert "&amp;amp;" in html                      # the characters "&amp;", not an ampersand
    assert "Top: &lt;script&gt;alert(1)&lt;/script&gt; with {download}" in html   # the key finding
    assert 'class="math' not in html                 # no dollar math made from data
    assert "Key findings" in html and "What this means for the Partnership" in html
    assert "About this page" in html


def test_a_key_finding_glued_on_one_page_is_reused_as_text_on_another(tiny_book):
    html = (tiny_book / "_build" / "html" / "front.html").read_text(encoding="utf-8")
    assert "Reused: <span class=\"pasted-text\">Top: &lt;script&gt;alert(1)&lt;/script&gt; with {download}" in html


def test_build_holds_no_file_from_outside_the_book(tiny_book):
    names = {p.name for p in (tiny_book / "_build").rglob("*")}
    assert "passwd" not in names
    assert not any("passwd" in name for name in names)
    downloads = [p for p in (tiny_book / "_build" / "html" / "_downloads").rglob("*") if p.is_file()]
    assert downloads and {p.suffix for p in downloads} == {".csv"}


def test_built_latex_holds_payloads_as_text(tiny_book):
    tex = next((tiny_book / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert "\\input{/etc/passwd}" not in tex
    assert "\\textbackslash{}input\\{/etc/passwd\\}" in tex
    assert "\\sphinxhref{javascript" not in tex and "\\href{javascript" not in tex
