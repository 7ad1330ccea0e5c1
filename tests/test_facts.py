"""Tests of inclusion_evidence.ingest.facts: the real Action Plan files load and are consistent,
and the validator rejects broken copies of them with a DataError naming the file."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError, ParameterError
from inclusion_evidence.ingest import facts

SLUGS = ["healthcare", "mental_health", "art_culture", "lgbtqi", "evidence_policymaking",
         "financial_instruments", "children"]


# --------------------------------------------------------------------------- real files

def test_actions_load_with_seven_actions_in_order():
    actions = facts.load_actions()
    assert [a["number"] for a in actions] == list(range(1, 8))
    assert [a["slug"] for a in actions] == SLUGS
    for a in actions:
        assert a["leaders"], a["slug"]
        assert a["timeline"], a["slug"]
        assert a["members"], a["slug"]
        assert a["implementation"], a["slug"]


def test_every_action_cites_known_bib_keys():
    keys = facts.bib_keys()
    assert {"actionplan2021", "solano2020mipex"} <= keys
    for a in facts.load_actions():
        assert set(a["references"]) <= keys


def test_timeline_falls_within_2020_2023():
    timeline = facts.actions_timeline()
    assert list(timeline.columns) == ["action", "slug", "milestone", "start", "end"]
    assert pd.api.types.is_datetime64_any_dtype(timeline["start"])
    assert pd.api.types.is_datetime64_any_dtype(timeline["end"])
    assert set(timeline["action"]) == set(range(1, 8))
    assert (timeline["start"] >= pd.Timestamp("2020-01-01")).all()
    assert (timeline["end"] <= pd.Timestamp("2023-12-31")).all()
    assert (timeline["start"] <= timeline["end"]).all()
    # start is the first day of its month, end the last day of its month
    assert (timeline["start"].dt.day == 1).all()
    assert timeline["end"].dt.is_month_end.all()


def test_action_by_number():
    assert facts.action(4)["slug"] == "lgbtqi"
    assert facts.action(1)["leaders"] == ["Council of Europe Development Bank (CEB)"]
    with pytest.raises(ParameterError, match="no action number 9"):
        facts.action(9)


def test_members_table():
    members = facts.load_members()
    assert {"name", "type", "country", "phases", "first", "second"} <= set(members.columns)
    assert set(members["type"]) <= set(facts.MEMBER_TYPES)
    assert members["name"].is_unique
    assert (members["first"] | members["second"]).all()
    # Eurostat country codes
    assert not members["country"].isin(["GR", "GB"]).any()
    athens = members.set_index("name").loc["Athens"]
    assert athens["country"] == "EL" and athens["phases"] == ["first"]


def test_first_phase_actions_glossary_and_document():
    first = facts.load_first_phase_actions()
    assert [a["number"] for a in first] == list(range(1, 9))
    glossary = facts.load_glossary()
    assert list(glossary.columns) == ["acronym", "expansion"]
    assert glossary["acronym"].is_unique
    assert glossary.iloc[0]["acronym"] == "AMIF"
    document = facts.load_document()
    assert document["bib_key"] == "actionplan2021"
    figures = {f["id"]: f for f in document["headline_figures"]}
    assert figures["foreign_born_eu_residents"]["value"] == 34_000_000


# --------------------------------------------------------------------------- fixtures

def _real(name: str):
    return yaml.safe_load((paths.ACTION_PLAN / name).read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _broken_actions(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(_real(facts.ACTIONS_FILE))
    change(data["actions"])
    return _write(tmp_path, "actions.yml", data)


def _expect_error(loader, path: Path, match: str, **kwargs) -> DataError:
    with pytest.raises(DataError) as info:
        loader(path=path, **kwargs)
    message = str(info.value)
    assert str(path) in message, message
    assert info.value.path == str(path)
    assert match in message, message
    return info.value


def test_fixture_copy_of_real_actions_is_accepted(tmp_path):
    path = _broken_actions(tmp_path, lambda actions: None)
    assert len(facts.load_actions(path=path)) == 7


def test_rejects_missing_key(tmp_path):
    path = _broken_actions(tmp_path, lambda actions: actions[2].pop("leaders"))
    error = _expect_error(facts.load_actions, path, "required key 'leaders' is missing")
    assert error.row == 3 and error.column == "leaders"


def test_rejects_empty_leaders(tmp_path):
    def change(actions):
        actions[0]["leaders"] = []
    _expect_error(facts.load_actions, _broken_actions(tmp_path, change), "must not be empty")


@pytest.mark.parametrize("bad", ["2021-13", "2021/10", "21-10", "October 2021", 202110])
def test_rejects_bad_date(tmp_path, bad):
    def change(actions):
        actions[1]["timeline"][0]["start"] = bad
    error = _expect_error(facts.load_actions, _broken_actions(tmp_path, change), "YYYY-MM")
    assert error.row == 2 and error.column == "timeline[1].start"


def test_rejects_start_after_end(tmp_path):
    def change(actions):
        actions[0]["timeline"][0]["start"] = "2022-05"
        actions[0]["timeline"][0]["end"] = "2022-04"
    _expect_error(facts.load_actions, _broken_actions(tmp_path, change), "is after end")


def test_rejects_duplicate_number(tmp_path):
    def change(actions):
        actions[4]["number"] = 4
    error = _expect_error(facts.load_actions, _broken_actions(tmp_path, change),
                          "duplicate number 4")
    assert error.row == 5


def test_rejects_number_out_of_range(tmp_path):
    def change(actions):
        actions[6]["number"] = 8
    _expect_error(facts.load_actions, _broken_actions(tmp_path, change), "between 1 and 7")


def test_rejects_unknown_bib_key(tmp_path):
    def change(actions):
        actions[3]["references"].append("nobody2099nothing")
    error = _expect_error(facts.load_actions, _broken_actions(tmp_path, change),
                          "bib key 'nobody2099nothing'")
    assert error.column == "references"


def test_rejects_key_missing_from_a_fixture_bib(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text("@misc{actionplan2021,\n  title = {{Action Plan}},\n  year = {2021}\n}\n",
                   encoding="utf-8")
    path = _broken_actions(tmp_path, lambda actions: None)
    _expect_error(facts.load_actions, path, "is not in", bib_path=bib)


def test_rejects_missing_file_and_missing_top_key(tmp_path):
    _expect_error(facts.load_actions, tmp_path / "absent.yml", "file not found")
    path = _write(tmp_path, "actions.yml", {"action": []})
    _expect_error(facts.load_actions, path, "top-level key 'actions' is missing")


def test_rejects_bad_member_rows(tmp_path):
    data = copy.deepcopy(_real(facts.MEMBERS_FILE))
    data["members"][1]["country"] = "GR"
    path = _write(tmp_path, "members.yml", data)
    error = _expect_error(facts.load_members, path, "Eurostat code 'EL'")
    assert error.row == 2 and error.column == "country"

    data = copy.deepcopy(_real(facts.MEMBERS_FILE))
    data["members"][0]["phases"] = ["third"]
    _expect_error(facts.load_members, _write(tmp_path, "members.yml", data), "phases")

    data = copy.deepcopy(_real(facts.MEMBERS_FILE))
    data["members"][0]["type"] = "town"
    _expect_error(facts.load_members, _write(tmp_path, "members.yml", data), "type must be")


def test_rejects_duplicate_acronym(tmp_path):
    data = copy.deepcopy(_real(facts.GLOSSARY_FILE))
    data["glossary"].append(dict(data["glossary"][0]))
    _expect_error(facts.load_glossary, _write(tmp_path, "glossary.yml", data),
                  "duplicate acronym 'AMIF'")


def test_rejects_first_phase_duplicate_and_document_unknown_key(tmp_path):
    data = copy.deepcopy(_real(facts.FIRST_PHASE_FILE))
    data["actions"][1]["number"] = 1
    _expect_error(facts.load_first_phase_actions,
                  _write(tmp_path, "first_phase_actions.yml", data), "duplicate number 1")

    data = copy.deepcopy(_real(facts.DOCUMENT_FILE))
    data["headline_figures"][0]["bib_keys"] = ["unknown2020key"]
    _expect_error(facts.load_document, _write(tmp_path, "document.yml", data),
                  "bib key 'unknown2020key'")
