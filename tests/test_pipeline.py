"""Processing and execution in one pool: a chapter waits for the steps making its tables, and only them."""

from __future__ import annotations

import hashlib
import multiprocessing

import nbformat
import pandas as pd
import pytest
import yaml
from test_runner import write_notebook

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.orchestration import pipeline, process
from inclusion_evidence.steps import registry

TABLE = "tmp_pipeline_table"


def test_steps_feeding_a_chapter_are_those_making_its_tables():
    children = pipeline.steps_feeding(["action_7_children"])
    assert {"children", "tps00170"} <= set(children)
    assert "mipex" not in children and "regional" not in children
    assert set(pipeline.steps_feeding(None)) >= set(children) | {"mipex", "regional"}


@pytest.fixture
def project(project):
    """The conftest project with one input, one step's table and a demo chapter."""
    write_input(b"geo,value\nAT,1.5\n")
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb")
    paths.PARAMS.write_text(yaml.safe_dump(
        {"epoch": 1, "notebooks": {"demo": {"title": "Demo", "inputs": [TABLE], "parameters": {"year": 2021}}}}))
    process.load_steps()
    yield project
    process.STEPS.pop(TABLE, None)


def write_input(data: bytes):
    (paths.RAW / "input.csv").write_bytes(data)
    entry = {"id": "test_input", "publisher": "Test", "dataset": "t", "title": "t", "format": "csv",
             "url": "https://example.invalid/t", "licence": "CC BY 4.0", "path": "input.csv",
             "status": "available", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    paths.CATALOGUE.write_text(yaml.safe_dump({"sources": [entry]}, sort_keys=False))


def register(func):
    process.STEPS.pop(TABLE, None)
    registry.step(TABLE, inputs=["test_input"], outputs=[TABLE])(func)


def doubled(sources):
    frame = pd.read_csv(sources["test_input"])
    return {TABLE: frame.assign(value=frame["value"] * 2)}


def broken(sources):
    raise ValueError("the raw file changed layout")


@pytest.mark.slow
@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="temporary steps need 'fork'")
def test_one_call_makes_the_table_then_runs_the_chapter_and_keeps_both_on_failure(project):
    quiet = dict(jobs=2, log=lambda _: None)
    register(doubled)
    statuses = lambda r: ([s["status"] for s in r["steps"]], [n["status"] for n in r["notebooks"]])  # noqa: E731

    assert statuses(pipeline.update(steps=[TABLE], **quiet)) == (["ran"], ["executed"])
    assert statuses(pipeline.update(steps=[TABLE], **quiet)) == (["cached"], ["cached"])

    write_input(b"geo,value\nAT,2.5\n")                     # a new raw file: table and chapter again
    report = pipeline.update(steps=[TABLE], **quiet)
    assert statuses(report) == (["ran"], ["executed"])
    assert report["notebooks"][0]["reason"] == f"source:test_input, table:{TABLE}"

    table = (paths.PROCESSED / f"{TABLE}.parquet").read_bytes()
    edition = (paths.EDITION / "demo.ipynb").read_bytes()
    write_input(b"geo,value\nAT,3.5\n")
    register(broken)                                      # the step fails: the chapter is not run
    with pytest.raises(DataError) as exc:
        pipeline.update(steps=[TABLE], **quiet)
    assert "processing failed" in str(exc.value) and "the raw file changed layout" in str(exc.value)
    assert (paths.PROCESSED / f"{TABLE}.parquet").read_bytes() == table
    assert (paths.EDITION / "demo.ipynb").read_bytes() == edition
    assert nbformat.read(paths.EDITION / "demo.ipynb", as_version=4).metadata["inclusion_evidence"]["reason"] \
        == f"source:test_input, table:{TABLE}"
