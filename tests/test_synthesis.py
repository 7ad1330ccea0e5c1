"""Tests for the Action Plan synthesis files and their validator."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.synthesis import (
    SYNTHESIS_DIR,
    available_syntheses,
    bibkeys,
    format_source,
    load_all,
    load_synthesis,
    synthesis_matrix,
    synthesis_table,
)

NAMES = {
    "health_barriers": 1,
    "mental_health_framework": 2,
    "culture_inclusion": 3,
    "lgbtqi_networks": 4,
    "financial_landscape": 6,
    "child_protection_gaps": 7,
}

# Optional: the Action Plan text, to check that quotes are verbatim.
_TEXT_CANDIDATES = [
    paths.ACTION_PLAN / "action_plan.txt",
    paths.ROOT.parent / "shared" / "seeds" / "000_ca76667c30d48297.txt",
]


# ------------------------------------------------------------------ real files

def test_all_six_files_present():
    assert set(NAMES) <= set(available_syntheses())


@pytest.mark.parametrize("name", sorted(NAMES))
def test_real_file_loads_and_is_non_empty(name):
    s = load_synthesis(name)
    assert s.id == name
    assert s.action == NAMES[name]
    assert len(s.rows) > 0 and len(s.columns) > 0 and len(s.cells) > 0
    assert len(s.gaps) > 0
    for frame in (s.rows, s.columns, s.cells):
        assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize("name", sorted(NAMES))
def test_matrix_shape_matches_declared_sets(name):
    s = load_synthesis(name)
    m = synthesis_matrix(s)
    assert m.shape == (len(s.rows), len(s.columns))
    assert list(m.index) == list(s.rows["id"])
    assert list(m.columns) == list(s.columns["id"])
    # every cell with a column is counted once
    assert int(m.to_numpy().sum()) == int(s.cells["column"].notna().sum())
    if s.has_layers:
        ml = synthesis_matrix(s, against="layer")
        assert ml.shape == (len(s.rows), len(s.layers))
        assert int(ml.to_numpy().sum()) == int(s.cells["layer"].notna().sum())
        for layer in s.layers["id"]:
            assert synthesis_matrix(s, layer=layer).shape == m.shape


@pytest.mark.parametrize("name", sorted(NAMES))
def test_table_has_one_line_per_cell_with_sources(name):
    s = load_synthesis(name)
    t = synthesis_table(s)
    assert len(t) == len(s.cells)
    assert t["source"].str.len().gt(0).all()
    assert t[f"{s.row_dimension['name']}_label"].notna().all()


def test_expected_evidence_is_transcribed():
    lg = load_synthesis("lgbtqi_networks")
    assert list(lg.evidence["value"]) == [40]
    assert lg.evidence["unit"].iloc[0] == "percent"
    ch = load_synthesis("child_protection_gaps")
    assert list(ch.evidence["value"]) == [30000]
    assert ch.evidence["year"].iloc[0] == "2014-2017"
    for name in ("health_barriers", "mental_health_framework", "culture_inclusion",
                 "financial_landscape"):
        assert load_synthesis(name).evidence.empty


def test_financial_landscape_actors_and_activities():
    s = load_synthesis("financial_landscape")
    assert {"actors", "activities"} <= set(s.extras)
    actors = s.extras["actors"].set_index("id")
    assert {"eib", "ceb", "eif", "national_promotional_banks", "commercial_banks",
            "guarantee_societies", "microfinance_institutions", "crowd_platforms",
            "social_economy_organisations"} <= set(actors.index)
    assert "guarantees" in actors.loc["guarantee_societies", "instruments"]


def test_load_all_returns_every_file():
    assert set(NAMES) <= set(load_all())


def test_quotes_are_verbatim_when_text_available():
    text_path = next((p for p in _TEXT_CANDIDATES if p.exists()), None)
    if text_path is None:
        pytest.skip("Action Plan text not available")
    norm = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731
    text = norm(text_path.read_text(encoding="utf-8"))
    missing = []

    def walk(obj, where):
        if isinstance(obj, dict):
            if obj.get("kind") == "action_plan" and "quote" in obj:
                if norm(obj["quote"]) not in text:
                    missing.append((where, obj["quote"]))
            for k, v in obj.items():
                walk(v, f"{where}.{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, f"{where}[{i}]")

    for name in NAMES:
        walk(load_synthesis(name).raw, name)
    assert not missing, missing


def test_bibkeys_exist_in_references_when_used():
    bib = paths.BOOK / "references.bib"
    keys = set()
    for name in NAMES:
        s = load_synthesis(name)
        for frame in (s.cells, s.evidence, s.rows, s.columns):
            if "bibkey" in frame:
                for _, line in frame.iterrows():
                    keys |= set(bibkeys(line))
    if not keys:
        return
    assert bib.exists(), f"bib keys used but {bib} is missing"
    declared = set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8")))
    assert keys <= declared, keys - declared


# ------------------------------------------------------------------ validator

def _minimal() -> dict:
    src = {"kind": "action_plan", "section": "Action 7 – What is the specific problem?",
           "quote": "lack of harmonised approach on Guardianship"}
    return {
        "id": "fixture",
        "action": 7,
        "title": "Fixture",
        "row_dimension": {"name": "gap", "label": "Gap"},
        "column_dimension": {"name": "professional", "label": "Professional"},
        "rows": [{"id": "guardianship", "label": "Guardianship", "source": src},
                 {"id": "training", "label": "Training"}],
        "columns": [{"id": "guardians", "label": "Guardians"},
                    {"id": "social_workers", "label": "Social workers"}],
        "cells": [{"row": "guardianship", "column": "guardians", "relation": "r",
                   "scope": "specific", "source": dict(src)}],
        "evidence": [{"statistic": "missing children", "value": 30000, "unit": "children",
                      "source": dict(src), "transcribed": True}],
        "gaps": ["a gap"],
    }


def _write(tmp_path: Path, data: dict, name: str = "fixture") -> Path:
    data = copy.deepcopy(data)
    data["id"] = name
    p = tmp_path / f"{name}.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_minimal_fixture_is_valid(tmp_path):
    s = load_synthesis(_write(tmp_path, _minimal()))
    assert synthesis_matrix(s).loc["guardianship", "guardians"] == 1
    assert synthesis_matrix(s, presence=True).to_numpy().sum() == 1
    assert "Guardianship" in synthesis_table(s)["source"].iloc[0]


def _expect_error(tmp_path, data, fragment):
    p = _write(tmp_path, data)
    with pytest.raises(DataError) as info:
        load_synthesis(p)
    msg = str(info.value)
    assert str(p) in msg, msg
    assert fragment in msg, msg
    return info.value


def test_rejects_undeclared_row(tmp_path):
    d = _minimal()
    d["cells"][0]["row"] = "nonexistent"
    err = _expect_error(tmp_path, d, "'nonexistent' is not a declared row id")
    assert err.row == 0


def test_rejects_undeclared_column_and_layer(tmp_path):
    d = _minimal()
    d["cells"][0]["column"] = "judges"
    _expect_error(tmp_path, d, "'judges' is not a declared column id")
    d = _minimal()
    d["cells"][0]["layer"] = "local"
    _expect_error(tmp_path, d, "no layer_dimension")


def test_rejects_missing_quote(tmp_path):
    d = _minimal()
    del d["cells"][0]["source"]["quote"]
    _expect_error(tmp_path, d, "action_plan source has no quote")


def test_rejects_publication_without_bibkey(tmp_path):
    d = _minimal()
    d["cells"][0]["source"] = {"kind": "publication", "locator": "p. 3"}
    _expect_error(tmp_path, d, "publication source has no bibkey")


def test_rejects_unknown_source_kind(tmp_path):
    d = _minimal()
    d["cells"][0]["source"]["kind"] = "hearsay"
    _expect_error(tmp_path, d, "source kind 'hearsay'")


def test_rejects_evidence_not_transcribed(tmp_path):
    d = _minimal()
    del d["evidence"][0]["transcribed"]
    _expect_error(tmp_path, d, "transcribed: true")


def test_rejects_non_numeric_evidence(tmp_path):
    d = _minimal()
    d["evidence"][0]["value"] = "30,000"
    _expect_error(tmp_path, d, "is not a number")


def test_rejects_duplicate_id(tmp_path):
    d = _minimal()
    d["columns"].append({"id": "guardians", "label": "Guardians again"})
    err = _expect_error(tmp_path, d, "duplicate columns id 'guardians'")
    assert err.row == 2


def test_rejects_duplicate_cell(tmp_path):
    d = _minimal()
    d["cells"].append(copy.deepcopy(d["cells"][0]))
    _expect_error(tmp_path, d, "duplicate cell")


def test_rejects_missing_required_key(tmp_path):
    d = _minimal()
    del d["gaps"]
    _expect_error(tmp_path, d, "missing required key(s): gaps")


def test_rejects_id_not_matching_file_name(tmp_path):
    d = _minimal()
    p = tmp_path / "other_name.yml"
    p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match="does not match the file name"):
        load_synthesis(p)


def test_rejects_undeclared_reference_in_extra_list(tmp_path):
    d = _minimal()
    d["actors"] = [{"id": "mce", "label": "Missing Children Europe", "gaps": ["nonexistent"],
                    "source": dict(d["rows"][0]["source"])}]
    _expect_error(tmp_path, d, "undeclared rows id(s): nonexistent")


def test_layer_only_cells_and_layer_matrix(tmp_path):
    d = _minimal()
    d["layer_dimension"] = {"name": "level", "label": "Level"}
    d["layers"] = [{"id": "local", "label": "Local"}, {"id": "eu", "label": "EU"}]
    d["cells"].append({"row": "training", "layer": "eu", "relation": "r", "scope": "general",
                       "source": dict(d["rows"][0]["source"])})
    s = load_synthesis(_write(tmp_path, d))
    assert synthesis_matrix(s).to_numpy().sum() == 1          # layer-only cell has no column
    ml = synthesis_matrix(s, against="layer")
    assert ml.loc["training", "eu"] == 1 and ml.to_numpy().sum() == 1
    assert synthesis_matrix(s, layer="eu").to_numpy().sum() == 0
    assert synthesis_matrix(s, scope="general", against="layer").to_numpy().sum() == 1
    with pytest.raises(DataError, match="unknown layer"):
        synthesis_matrix(s, layer="moon")


def test_cell_needs_column_or_layer(tmp_path):
    d = _minimal()
    del d["cells"][0]["column"]
    _expect_error(tmp_path, d, "needs a column or a layer")


def test_missing_file_names_path(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load_synthesis(tmp_path / "absent.yml")


def test_format_source_publication():
    assert format_source({"kind": "publication", "bibkey": "who2018mentalhealth",
                          "locator": "p. 12"}) == "[@who2018mentalhealth], p. 12"


def test_format_source_action_plan_with_footnote_and_keys():
    src = {"kind": "action_plan", "section": "Action 1", "quote": "q",
           "footnote": "25. Discussions", "bibkey": ["a2020", "b2020"]}
    assert format_source(src) == "Action Plan, Action 1: “q” (fn. 25; [@a2020; @b2020])"


def test_rejects_malformed_bibkey(tmp_path):
    d = _minimal()
    d["cells"][0]["source"]["bibkey"] = {"not": "a key"}
    _expect_error(tmp_path, d, "must be a key or a list of keys")


def test_default_directory():
    assert SYNTHESIS_DIR == paths.ACTION_PLAN / "synthesis"
