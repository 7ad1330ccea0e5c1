"""The "About this page" note: parameters, data sources by catalogue title, edition; reader text only
(issue 15, "Reader text and builder text apart")."""

from __future__ import annotations

import re

import pytest
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from inclusion_evidence.ingest.catalogue import load_catalogue
from inclusion_evidence.present import chapter

BUILDER_TEXT = re.compile(r"\bmake\b|\.ya?ml\b|params|book/|python -m|add-data|rebuild", re.IGNORECASE)


def _text(markdown: str) -> str:
    return publish_doctree(markdown, parser=Parser(), settings_overrides={"report_level": 5}).astext()


def test_note_names_parameters_sources_by_title_and_edition():
    catalogue = load_catalogue()
    ids = sorted(catalogue)[:2]
    text = chapter.about_this_page_text({"year": 2023, "countries": None, "citizen_group": "NEU27_2020_FOR"}, ids,
                                        {"version": "0.1.0", "date-released": "2026-11-23"})
    assert text.startswith("````{admonition} About this page")
    shown = _text(text)
    assert "year: 2023" in shown and "countries: all" in shown and "citizen group: NEU27_2020_FOR" in shown
    for sid in ids:
        assert catalogue[sid].title in shown and catalogue[sid].dataset in shown
    assert "version 0.1.0, released 2026-11-23" in shown
    assert not BUILDER_TEXT.search(shown), BUILDER_TEXT.search(shown)


def test_edition_is_read_from_the_citation_file():
    info = chapter.edition()
    assert set(info) == {"version", "date-released"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["date-released"])


def test_unknown_source_is_an_error():
    with pytest.raises(KeyError, match="not a source of the data catalogue"):
        chapter.about_this_page_text({}, ["no_such_source"], {})


def test_old_parameters_note_still_works_and_shows_no_build_instructions(monkeypatch):
    shown = []
    monkeypatch.setattr(chapter, "show_markdown", shown.append)
    chapter.parameters_note(year=2023, countries=["DE", "FR"])
    assert len(shown) == 1 and "About this page" in shown[0]
    text = _text(shown[0])
    assert "year: 2023" in text and "countries: DE, FR" in text
    assert not BUILDER_TEXT.search(text)


def test_source_line_comes_from_the_catalogue(project):
    import yaml

    from inclusion_evidence.core import paths
    from inclusion_evidence.present.figures import source_line

    paths.CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    paths.CATALOGUE.write_text(yaml.safe_dump({"sources": [{
        "id": "eurostat_x", "publisher": "Eurostat", "dataset": "x_code", "title": "X", "format": "sdmx-csv-1.0",
        "url": "https://example.org/x", "licence": "CC BY 4.0", "path": "eurostat/x.csv", "status": "available",
        "sha256": "0" * 64, "bytes": 1,
        "retrieved": "2026-01-02"}]}))
    assert source_line("eurostat_x") == "Eurostat, x_code, retrieved 2026-01-02"
    assert source_line("eurostat_x", "NUTS 2021") == "Eurostat, x_code, retrieved 2026-01-02; NUTS 2021"
    with pytest.raises(KeyError, match="not in the catalogue"):
        source_line("no_such_source")
