"""Processing steps: cached by code + input checksums, outputs written all-or-nothing."""

from __future__ import annotations

import hashlib
import json
import multiprocessing

import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.catalogue import load_catalogue
from inclusion_evidence.orchestration import pipeline, process
from inclusion_evidence.steps import registry

REAL_RAW, REAL_CATALOGUE = paths.RAW, paths.CATALOGUE

# process_all runs steps in worker processes; temporary steps registered by a
# test reach them only when workers are forked from this process.
needs_fork = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="temporary steps reach worker processes only with 'fork'")

INPUT = b"geo,value\nAT,1.5\nDE,2.5\n"


def _catalogue_entry(sid, path, data):
    return {"id": sid, "publisher": "Test", "dataset": sid, "title": sid, "format": "csv",
            "url": f"https://example.invalid/{sid}", "licence": "CC BY 4.0", "path": path,
            "status": "available", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


@pytest.fixture
def project(project):
    """The conftest project with a catalogue of one available and one declared source."""
    raw, processed = paths.RAW, paths.PROCESSED
    (raw / "test").mkdir(parents=True)
    (raw / "test" / "input.csv").write_bytes(INPUT)
    entries = [_catalogue_entry("test_input", "test/input.csv", INPUT),
               {**_catalogue_entry("test_optional", "test/optional.csv", b""), "status": "declared",
                "sha256": None, "bytes": None}]
    (raw / "sources.yml").write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
    return raw, processed


@pytest.fixture
def register(request):
    """Register temporary steps under unique names; remove them afterwards."""
    process.load_steps()
    names = []

    def _register(func, *, inputs=("test_input",), outputs=None, optional=(), name=None):
        name = name or f"tmp_{request.node.name}_{len(names)}".replace("[", "_").replace("]", "_")
        outputs = list(outputs or [f"{name}_out"])
        process.STEPS.pop(name, None)
        registry.step(name, inputs=list(inputs), outputs=outputs, optional=list(optional))(func)
        names.append(name)
        return process.STEPS[name]

    yield _register
    for name in names:
        process.STEPS.pop(name, None)


def tidy_input(sources):
    frame = pd.read_csv(sources["test_input"])
    return {"tmp_out": frame.assign(value=frame["value"] * 2)}


def tidy_input_v2(sources):
    frame = pd.read_csv(sources["test_input"])
    return {"tmp_out": frame.assign(value=frame["value"] * 3)}


def failing_step(sources):
    raise ValueError("the raw file changed layout")


def _set_catalogue_sha(raw, sid, sha, size=None):
    doc = yaml.safe_load((raw / "sources.yml").read_text())
    for entry in doc["sources"]:
        if entry["id"] == sid:
            entry["sha256"] = sha
            entry["bytes"] = size or entry["bytes"]
    (raw / "sources.yml").write_text(yaml.safe_dump(doc, sort_keys=False))


# --------------------------------------------------------------------------- cache keys, directly

def test_step_key_changes_with_code_inputs_and_optional_files(project, register):
    raw, processed = project
    st = register(tidy_input, outputs=["tmp_out"], optional=["test_optional"])
    cat = load_catalogue()
    key = process.step_key(st, cat)
    assert process.step_key(st, cat) == key                                  # deterministic

    cat["test_input"].sha256 = "0" * 64
    assert process.step_key(st, cat) != key                                  # input checksum
    cat = load_catalogue()

    (raw / "test" / "optional.csv").write_text("x\n")                        # optional file supplied
    with_optional = process.step_key(st, cat)
    assert with_optional != key
    (raw / "test" / "optional.csv").write_text("y\n")                        # and changed
    assert process.step_key(st, cat) != with_optional
    (raw / "test" / "optional.csv").unlink()
    assert process.step_key(st, cat) == key

    st2 = process.Step(st.name, st.inputs, st.outputs, tidy_input_v2, st.optional)
    assert process.step_key(st2, cat) != key                                 # code


def test_load_state_empty_then_read(project):
    raw, processed = project
    assert process.load_state() == {}
    (processed / process.STATE_FILE).write_text(json.dumps({"s": {"key": "k"}}))
    assert process.load_state() == {"s": {"key": "k"}}


def test_run_step_writes_outputs(project, register):
    st = register(tidy_input, outputs=["tmp_out"])
    process.run_step(st, load_catalogue())
    frame = process.read_table("tmp_out")
    assert frame.to_dict("list") == {"geo": ["AT", "DE"], "value": [3.0, 5.0]}


def test_outputs_get_ordinary_permissions(project, register):
    import os

    st = register(tidy_input, outputs=["tmp_out"])
    process.run_step(st, load_catalogue())
    mask = os.umask(0)
    os.umask(mask)
    assert process.table_path("tmp_out").stat().st_mode & 0o777 == 0o666 & ~mask


def test_run_step_missing_raw_input(project, register):
    raw, processed = project
    (raw / "test" / "input.csv").unlink()
    st = register(tidy_input, outputs=["tmp_out"])
    with pytest.raises(DataError) as exc:
        process.run_step(st, load_catalogue())
    assert "input.csv" in str(exc.value) and "test_input" in str(exc.value) and "make fetch" in str(exc.value)


def test_write_outputs_rejects_undeclared_tables(project, register):
    st = register(tidy_input, outputs=["tmp_a", "tmp_b"])
    with pytest.raises(DataError) as exc:
        process._write_outputs(st, {"tmp_a": pd.DataFrame({"x": [1]})})
    assert st.name in str(exc.value) and "tmp_b" in str(exc.value)
    assert not process.table_exists("tmp_a")


def test_write_outputs_all_or_nothing(project, register):
    raw, processed = project
    st = register(tidy_input, outputs=["tmp_a", "tmp_b"])
    process._write_outputs(st, {"tmp_a": pd.DataFrame({"x": [1]}), "tmp_b": pd.DataFrame({"y": [2]})})
    before = {n: process.table_path(n).read_bytes() for n in ("tmp_a", "tmp_b")}
    # The second table cannot be written as parquet (mixed types): the first must not change either.
    with pytest.raises(Exception):
        process._write_outputs(st, {"tmp_a": pd.DataFrame({"x": [99]}),
                                    "tmp_b": pd.DataFrame({"y": [1, "text", 2.5]})})
    assert {n: process.table_path(n).read_bytes() for n in ("tmp_a", "tmp_b")} == before
    assert sorted(p.name for p in processed.iterdir()) == ["tmp_a.parquet", "tmp_b.parquet"]


def test_read_table_missing(project):
    with pytest.raises(DataError) as exc:
        process.read_table("no_such_table")
    assert "no_such_table.parquet" in str(exc.value) and "make data" in str(exc.value)


def test_unknown_step(project):
    with pytest.raises(DataError, match="no_such_step"):
        pipeline.process_all(["no_such_step"], jobs=1, log=lambda _: None)


# --------------------------------------------------------------------------- process_all, end to end

@needs_fork
def test_process_all_runs_caches_and_invalidates(project, register):
    raw, processed = project
    st = register(tidy_input, outputs=["tmp_out"])
    quiet = dict(jobs=1, log=lambda _: None)

    report = pipeline.process_all([st.name], **quiet)
    assert [r["status"] for r in report] == ["ran"]
    out = processed / "tmp_out.parquet"
    assert pd.read_parquet(out)["value"].tolist() == [3.0, 5.0]
    state = json.loads((processed / process.STATE_FILE).read_text())
    assert state[st.name]["key"] == process.step_key(st, load_catalogue())
    assert state[st.name]["outputs"] == ["tmp_out"]
    assert state[st.name]["inputs"] == {"test_input": hashlib.sha256(INPUT).hexdigest()}

    written = out.stat().st_mtime_ns
    assert [r["status"] for r in pipeline.process_all([st.name], **quiet)] == ["cached"]
    assert out.stat().st_mtime_ns == written

    # A new raw file, recorded in the catalogue, invalidates the step (same values, other bytes).
    newer = INPUT.replace(b"\n", b"\r\n")
    (raw / "test" / "input.csv").write_bytes(newer)
    _set_catalogue_sha(raw, "test_input", hashlib.sha256(newer).hexdigest(), len(newer))
    assert [r["status"] for r in pipeline.process_all([st.name], **quiet)] == ["ran"]
    assert [r["status"] for r in pipeline.process_all([st.name], **quiet)] == ["cached"]

    # So does a change of the step's code.
    process.STEPS.pop(st.name)
    registry.step(st.name, inputs=["test_input"], outputs=["tmp_out"])(tidy_input_v2)
    assert [r["status"] for r in pipeline.process_all([st.name], **quiet)] == ["ran"]
    assert pd.read_parquet(out)["value"].tolist() == [4.5, 7.5]

    # A deleted output re-runs the step even with an unchanged key; force always does.
    out.unlink()
    assert [r["status"] for r in pipeline.process_all([st.name], **quiet)] == ["ran"]
    assert [r["status"] for r in pipeline.process_all([st.name], force=True, **quiet)] == ["ran"]


@needs_fork
def test_failing_step_names_itself_and_keeps_old_table(project, register):
    raw, processed = project
    st = register(tidy_input, outputs=["tmp_out"])
    quiet = dict(jobs=1, log=lambda _: None)
    pipeline.process_all([st.name], **quiet)
    out = processed / "tmp_out.parquet"
    before = out.read_bytes()
    old_state = json.loads((processed / process.STATE_FILE).read_text())

    process.STEPS.pop(st.name)
    registry.step(st.name, inputs=["test_input"], outputs=["tmp_out"])(failing_step)
    with pytest.raises(DataError) as exc:
        pipeline.process_all([st.name], **quiet)
    message = str(exc.value)
    assert f"step {st.name}" in message
    assert "ValueError" in message and "the raw file changed layout" in message
    assert out.read_bytes() == before
    # The failed step keeps its old cache entry, so the next run tries again.
    assert json.loads((processed / process.STATE_FILE).read_text())[st.name] == old_state[st.name]
    with pytest.raises(DataError):
        pipeline.process_all([st.name], **quiet)


@needs_fork
def test_data_error_in_step_is_reported_as_is(project, register):
    raw, processed = project

    def bad_reader(sources):
        raise DataError(sources["test_input"], "value 'abc' is not a number", row=3)

    st = register(bad_reader, outputs=["tmp_out"])
    with pytest.raises(DataError) as exc:
        pipeline.process_all([st.name], jobs=1, log=lambda _: None)
    assert "input.csv, row 3: value 'abc' is not a number" in str(exc.value)
    assert not (processed / "tmp_out.parquet").exists()


# --------------------------------------------------------------------------- a real step on the real data

def test_real_tps00170_step(tmp_path, monkeypatch):
    cat = load_catalogue(REAL_CATALOGUE)
    src = cat["eurostat_tps00170"]
    if not (REAL_RAW / src.path).exists():
        pytest.skip("data/raw/ not fetched")
    monkeypatch.setattr(paths, "RAW", REAL_RAW)
    monkeypatch.setattr(paths, "CATALOGUE", REAL_CATALOGUE)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    report = pipeline.process_all(["tps00170"], jobs=1, log=lambda _: None)
    assert [r["status"] for r in report] == ["ran"]
    frame = process.read_table("tps00170")
    assert list(frame.columns)[-4:] == ["geo", "time", "value", "flag"]
    assert {"reason", "citizen", "duration", "unit"} <= set(frame.columns)
    assert frame["time"].dtype.kind == "i" and frame["value"].dtype == float
    assert "AT" in set(frame["geo"]) and len(frame) > 100
    assert not frame.duplicated([c for c in frame.columns if c not in ("value", "flag")]).any()
    assert [r["status"] for r in pipeline.process_all(["tps00170"], jobs=1, log=lambda _: None)] == ["cached"]


def test_every_registered_step_reads_catalogued_sources():
    steps = process.load_steps()
    cat = load_catalogue(REAL_CATALOGUE)
    outputs = [o for st in steps.values() for o in st.outputs]
    assert len(outputs) == len(set(outputs)), "two steps write the same table"
    for st in steps.values():
        for sid in st.inputs:
            assert sid in cat and cat[sid].status == "available", (st.name, sid)
        for sid in st.optional:
            assert sid in cat, (st.name, sid)
