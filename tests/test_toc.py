"""book/_toc.yml is generated from book/params.yml: the chapter order is written once."""

from __future__ import annotations

import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration import toc


def test_committed_toc_is_the_generated_one():
    committed = (paths.BOOK / "_toc.yml").read_text(encoding="utf-8")
    assert committed == toc.toc_text(), "book/_toc.yml is out of date: run python -m inclusion_evidence.orchestration.toc"


def test_toc_follows_the_order_and_kinds_of_params(tmp_path):
    params = tmp_path / "params.yml"
    params.write_text(yaml.safe_dump({"epoch": 1, "notebooks": {
        "intro": {"title": "Intro", "kind": "front", "inputs": [], "parameters": {}},
        "action_2": {"title": "A2", "inputs": [], "parameters": {}},
        "action_1": {"title": "A1", "inputs": [], "parameters": {}},
        "annexes": {"title": "Annexes", "kind": "front", "inputs": [], "parameters": {}}}}, sort_keys=False))
    doc = yaml.safe_load(toc.write_toc(params, tmp_path / "_toc.yml").read_text(encoding="utf-8"))
    assert doc["format"] == "jb-book" and doc["root"] == "index"
    parts = {p["caption"]: [c["file"] for c in p["chapters"]] for p in doc["parts"]}
    assert parts == {"Context": ["chapters/intro"], "The seven actions": ["chapters/action_2", "chapters/action_1"],
                     "Reference": ["chapters/annexes", *toc.REFERENCE_PAGES]}


def test_every_build_writes_the_toc_from_params_and_leaves_an_up_to_date_one_alone(project, monkeypatch):
    # A part turned on in params.yml (the regional profiles) must reach the book at the next build.
    from inclusion_evidence.orchestration import build

    for writer in ("write_data_publishers_bib", "write_data_sources_page", "write_glossary_page",
                   "write_edition_page", "write_cite_page"):
        monkeypatch.setattr(build, writer, lambda: None)
    paths.PARAMS.write_text(yaml.safe_dump({"epoch": 1, "notebooks": {
        "intro": {"title": "Intro", "kind": "front", "inputs": [], "parameters": {}},
        "action_1": {"title": "A1", "inputs": [], "parameters": {}}}}, sort_keys=False))
    stale = paths.BOOK / "_toc.yml"
    stale.write_text("format: jb-book\nroot: index\nchapters:\n  - file: chapters/intro\n", encoding="utf-8")
    build.write_generated_pages()
    assert stale.read_text(encoding="utf-8") == toc.toc_text()
    assert "chapters/action_1" in stale.read_text(encoding="utf-8")
    before = stale.stat().st_mtime_ns
    build.write_generated_pages()
    assert stale.stat().st_mtime_ns == before     # unchanged text: the file is not rewritten
