"""A figure's source line is written from the catalogue, for one file or several, and the Action Plan."""

from __future__ import annotations

import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.present.figures import ACTION_PLAN_SOURCE, source_line


def _entry(sid, publisher, dataset, retrieved="2026-01-02"):
    return {"id": sid, "publisher": publisher, "dataset": dataset, "title": sid, "format": "csv",
            "url": f"https://example.org/{sid}", "licence": "CC BY 4.0", "path": f"x/{sid}.csv",
            "status": "available", "sha256": "0" * 64, "bytes": 1, "retrieved": retrieved}


@pytest.fixture
def catalogue(project):
    paths.CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    paths.CATALOGUE.write_text(yaml.safe_dump({"sources": [
        _entry("es_a", "Eurostat", "a_code"), _entry("es_b", "Eurostat", "b_code"),
        _entry("es_a_nat", "Eurostat", "a_code"), _entry("es_c", "Eurostat", "c_code", retrieved="2026-02-03"),
        _entry("wb", "World Bank", "SP.POP.TOTL"), _entry("declared", "UNHCR", "refugees", retrieved=None),
    ]}))
    return paths.CATALOGUE


def test_several_ids_share_publisher_and_date_in_the_order_given(catalogue):
    assert source_line(["es_a", "es_b", "wb"]) == (
        "Eurostat, a_code, b_code, retrieved 2026-01-02; World Bank, SP.POP.TOTL, retrieved 2026-01-02")
    assert source_line(["wb", "es_b", "es_a"], "2022") == (
        "World Bank, SP.POP.TOTL, retrieved 2026-01-02; Eurostat, b_code, a_code, retrieved 2026-01-02; 2022")


def test_a_dataset_named_twice_is_named_once_and_another_date_is_kept_apart(catalogue):
    assert source_line(["es_a", "es_a_nat"]) == "Eurostat, a_code, retrieved 2026-01-02"
    assert source_line(("es_a", "es_c")) == ("Eurostat, a_code, retrieved 2026-01-02; "
                                             "Eurostat, c_code, retrieved 2026-02-03")


def test_a_file_not_yet_retrieved_has_no_date(catalogue):
    assert source_line("declared", "EU-27") == "UNHCR, refugees; EU-27"


def test_the_action_plan_is_named_from_its_document_file(catalogue):
    doc = yaml.safe_load((paths.ACTION_PLAN / "document.yml").read_text(encoding="utf-8"))
    line = source_line([ACTION_PLAN_SOURCE, "wb"], "Table 1")
    assert line == f"{doc['series']}, {doc['title']}; World Bank, SP.POP.TOTL, retrieved 2026-01-02; Table 1"


@pytest.mark.parametrize("ids", ["nope", ["es_a", "nope"]])
def test_unknown_id_is_a_key_error_naming_the_catalogue_file(catalogue, ids):
    with pytest.raises(KeyError, match=r"'nope' is not in the catalogue \(data/raw/sources\.yml\)"):
        source_line(ids)


def test_no_id_is_refused(catalogue):
    with pytest.raises(ValueError, match="at least one"):
        source_line([])


def test_a_number_the_plan_states_is_cited_as_the_plan_with_its_section_and_footnote(catalogue):
    from inclusion_evidence.present.figures import evidence_source

    record = {"statistic": "share", "source_kind": "action_plan", "section": "Action 4 – The problem",
              "quote": "40% ...", "footnote": "35. Agency. A long way to go (2020).", "bibkey": "fra2020lgbti"}
    assert evidence_source(record) == source_line(
        ACTION_PLAN_SOURCE, "Action 4 – The problem, citing footnote 35: Agency. A long way to go (2020)")
    assert evidence_source({**record, "footnote": None}) == source_line(ACTION_PLAN_SOURCE, "Action 4 – The problem")


def test_a_number_from_another_publication_is_cited_by_its_own_record(catalogue):
    import pandas as pd

    from inclusion_evidence.present.figures import evidence_source

    record = pd.Series({"statistic": "n", "source_kind": "publication", "section": None, "footnote": float("nan"),
                        "bibkey": ["who2018", "emn2018"], "locator": "p. 12"})
    assert evidence_source(record) == "who2018, emn2018, p. 12"
    with pytest.raises(ValueError, match="'n' names no footnote, bib key or locator"):
        evidence_source(record.drop(["bibkey", "locator"]))


def test_a_note_for_one_file_follows_its_dataset(catalogue):
    assert source_line(["es_a", ("es_a_nat", "native-born rates"), "wb"], "2016") == (
        "Eurostat, a_code, a_code (native-born rates), retrieved 2026-01-02; "
        "World Bank, SP.POP.TOTL, retrieved 2026-01-02; 2016")
    doc = yaml.safe_load((paths.ACTION_PLAN / "document.yml").read_text(encoding="utf-8"))
    assert source_line([(ACTION_PLAN_SOURCE, "Table 1")]) == f"{doc['series']}, {doc['title']}, Table 1"
    with pytest.raises(KeyError, match="'nope' is not in the catalogue"):
        source_line([("nope", "a note")])
