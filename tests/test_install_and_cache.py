"""Nothing lost: the edition is installed in one swap, the cache checks outputs and every input.

Issue 13 items 5 and 8, and issue 12's "the cache sees every input": a chapter's
key covers the Action Plan files and the bibliography it reads; a chapter whose
recorded outputs (notebook, figure files) are missing or edited is not cached; a
processed table edited by hand, or a raw file edited or deleted, makes its step
stale with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from test_runner import book, spec, write_notebook, write_params  # noqa: F401 - fixture

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration import runner

# --------------------------------------------------------------------------- the cache sees every input


@pytest.fixture
def facts(book, monkeypatch):  # noqa: F811 - the fixture imported above
    """The book fixture plus a small Action Plan folder and a bibliography, and three chapters."""
    plan = book / "action_plan"
    (plan / "synthesis").mkdir(parents=True)
    monkeypatch.setattr(paths, "ACTION_PLAN", plan)
    monkeypatch.setattr(paths, "RAW", book)
    for name in ("culture_inclusion", "health_barriers"):
        (plan / "synthesis" / f"{name}.yml").write_text(f"name: {name}\n")
    (plan / "glossary.yml").write_text("terms: []\n")
    (paths.BOOK / "references.bib").write_text("@book{key2020,\n title={T}}\n")
    imports = "from inclusion_evidence.ingest.synthesis import load_synthesis\n"
    write_notebook(paths.CHAPTER_SOURCES / "culture.ipynb", extra=[imports + 's = load_synthesis("culture_inclusion")'])
    write_notebook(paths.CHAPTER_SOURCES / "health.ipynb", extra=[imports + "s = load_synthesis('health_barriers')"])
    write_notebook(paths.CHAPTER_SOURCES / "cites.ipynb")
    nb = nbformat.read(paths.CHAPTER_SOURCES / "cites.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("As {cite:t}`key2020` shows."))
    nbformat.write(nb, paths.CHAPTER_SOURCES / "cites.ipynb")
    common = {"inputs": ["tmp_runner_table"], "parameters": {}}
    write_params(culture=common, health=common, cites=common)
    return plan


def _all_parts():
    epoch, specs = runner.load_params()
    return {name: runner.cache_parts(s, epoch) for name, s in specs.items()}


def test_editing_a_synthesis_file_makes_exactly_its_chapter_stale(facts):
    before = _all_parts()
    (facts / "synthesis" / "culture_inclusion.yml").write_text("name: culture_inclusion\nedited: true\n")
    after = _all_parts()
    assert {n: runner.why_stale(before[n], after[n]) for n in before} == {
        "culture": "data:data/raw/action_plan/synthesis/culture_inclusion.yml", "health": "", "cites": ""}


def test_editing_the_bibliography_makes_exactly_the_citing_chapters_stale(facts):
    before = _all_parts()
    (paths.BOOK / "references.bib").write_text("@book{key2020,\n title={T2}}\n")
    after = _all_parts()
    assert {n: runner.why_stale(before[n], after[n]) for n in before} == {
        "culture": "", "health": "", "cites": "data:book/references.bib"}


def test_a_fact_reader_called_through_a_package_module_counts():
    """present.chapter calls facts.action(): a chapter importing it reads actions.yml and the bibliography."""
    _, specs = runner.load_params(paths.ROOT / "book" / "params.yml")
    files = {name: set(runner.data_files(s)) for name, s in specs.items()}
    assert "data/raw/action_plan/synthesis/health_barriers.yml" in files["action_1_healthcare"]
    assert "data/raw/action_plan/synthesis/culture_inclusion.yml" not in files["action_1_healthcare"]
    assert "data/raw/action_plan/synthesis/culture_inclusion.yml" in files["action_3_art_culture"]
    assert {"data/raw/action_plan/actions.yml", "book/references.bib"} <= files["action_1_healthcare"]


# --------------------------------------------------------------------------- the edition: one swap, verified

def _staged(tmp_path, name="demo", figures=("a.png", "a.csv"), text="new"):
    """A staging folder as a run leaves it: an executed notebook and its figures."""
    staging = paths.BOOK / f"{runner.STAGING_PREFIX}test"
    (staging / "figures" / name).mkdir(parents=True)
    write_notebook(staging / f"{name}.ipynb", body=f"print('{text}')")
    for fig in figures:
        (staging / "figures" / name / fig).write_text(f"{text} {fig}")
    return staging


def _install(tmp_path, text="new", figures=("a.png", "a.csv")):
    staging = _staged(tmp_path, text=text, figures=figures)
    s = spec()
    runner.install_executed(staging, [(s, runner.cache_parts(s, 1), "test", 1.0)])
    os.rmdir(staging / "figures") if (staging / "figures").exists() else None
    staging.rmdir()


def _edition():
    return {p.relative_to(paths.EDITION).as_posix(): p.read_bytes()
            for p in sorted(paths.EDITION.rglob("*")) if p.is_file()}


def test_installed_outputs_are_verified(book, tmp_path):  # noqa: F811
    _install(tmp_path)
    s = spec()
    assert runner.outputs_changed(s) == ""
    figure = paths.EDITION / "figures" / "demo" / "a.png"
    figure.write_text("edited by hand")
    assert runner.outputs_changed(s) == "output figures/demo/a.png changed"
    figure.unlink()
    assert runner.outputs_changed(s) == "output figures/demo/a.png missing"
    _install(tmp_path)
    nb = nbformat.read(s.executed, as_version=4)
    nb.cells[2].source = "print('edited')"
    nbformat.write(nb, s.executed)
    assert runner.outputs_changed(s) == "output demo.ipynb changed"


def test_a_failed_install_leaves_the_previous_edition(book, tmp_path, monkeypatch):  # noqa: F811
    _install(tmp_path, text="old", figures=("a.png", "b.png", "c.png"))
    (paths.EDITION / "other.ipynb").write_text("{}")           # another chapter, untouched by the install
    before = _edition()
    real = os.replace

    def failing(src, dst):
        if "figures" in str(src):                            # one figure folder cannot be moved
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    staging = _staged(tmp_path, text="new")
    s = spec()
    with pytest.raises(PermissionError):
        runner.install_executed(staging, [(s, runner.cache_parts(s, 1), "test", 1.0)])
    assert _edition() == before
    assert runner.outputs_changed(s) == ""


def test_a_crash_between_the_two_renames_is_undone_on_the_next_start(book, tmp_path, monkeypatch):  # noqa: F811
    _install(tmp_path, text="old", figures=("a.png", "b.png"))
    before = _edition()
    real = os.replace

    def killed(src, dst):
        if str(src).endswith(runner.NEW_EDITION):            # the process dies before the second rename
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(os, "replace", killed)
    staging = _staged(tmp_path, text="new")
    s = spec()
    with pytest.raises(KeyboardInterrupt):
        runner.install_executed(staging, [(s, runner.cache_parts(s, 1), "test", 1.0)])
    monkeypatch.setattr(os, "replace", real)
    assert not paths.EDITION.exists()
    logs = []
    runner.recover_edition(logs.append)
    assert _edition() == before
    assert not list(paths.BOOK.glob(runner.STAGING_PREFIX + "*"))
    assert any("previous edition back" in line for line in logs)


# --------------------------------------------------------------------------- processed tables and raw files

STEP_TABLE = "tmp_safety_table"


@pytest.fixture
def steps(tmp_path, monkeypatch):
    import hashlib

    from inclusion_evidence.orchestration import process
    from inclusion_evidence.steps import registry

    for name, sub in (("RAW", "raw"), ("PROCESSED", "processed")):
        monkeypatch.setattr(paths, name, tmp_path / sub)
        (tmp_path / sub).mkdir()
    monkeypatch.setattr(paths, "CATALOGUE", tmp_path / "raw" / "sources.yml")
    data = b"geo,value\nAT,1.5\n"
    (paths.RAW / "input.csv").write_bytes(data)
    entry = {"id": "test_input", "publisher": "Test", "dataset": "t", "title": "t", "format": "csv",
             "url": "https://example.invalid/t", "licence": "CC BY 4.0", "path": "input.csv",
             "status": "available", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    paths.CATALOGUE.write_text(yaml.safe_dump({"sources": [entry]}, sort_keys=False))
    process.load_steps()
    process.STEPS.pop(STEP_TABLE, None)
    registry.step(STEP_TABLE, inputs=["test_input"], outputs=[STEP_TABLE])(
        lambda sources: {STEP_TABLE: pd.read_csv(sources["test_input"])})
    catalogue, state = process.load_catalogue(), {}
    process.run_step(process.STEPS[STEP_TABLE], catalogue)
    process.record_step(state, catalogue, STEP_TABLE, process.step_key(process.STEPS[STEP_TABLE], catalogue), 0.1)
    yield process, catalogue, state
    process.STEPS.pop(STEP_TABLE, None)


def test_a_table_edited_by_hand_makes_its_step_stale(steps):
    process, catalogue, state = steps
    assert process.step_staleness(STEP_TABLE, catalogue, state) == ""
    pd.DataFrame({"geo": ["AT"], "value": [99.0]}).to_parquet(process.table_path(STEP_TABLE), index=False)
    assert process.step_staleness(STEP_TABLE, catalogue, state) == f"table {STEP_TABLE} changed since the step wrote it"
    _, todo = process.plan_steps([STEP_TABLE], False, catalogue, state)
    assert [name for name, *_ in todo] == [STEP_TABLE]


def test_an_edited_or_deleted_raw_file_makes_its_step_stale_and_is_refused(steps):
    from inclusion_evidence.core.errors import DataError

    process, catalogue, state = steps
    (paths.RAW / "input.csv").write_bytes(b"geo,value\nAT,9.9\n")
    assert process.step_staleness(STEP_TABLE, catalogue, state) == "raw file input.csv differs from the catalogue"
    with pytest.raises(DataError) as exc:
        process.run_step(process.STEPS[STEP_TABLE], catalogue)
    assert "input.csv" in str(exc.value) and "differs from the catalogue" in str(exc.value)
    (paths.RAW / "input.csv").unlink()
    assert process.step_staleness(STEP_TABLE, catalogue, state) == "raw file input.csv missing"


def test_status_names_a_stale_step_and_chapter(steps, capsys, monkeypatch):
    """`status` reports a hand-edited table through the command line."""
    from inclusion_evidence import cli

    process, catalogue, state = steps
    process.save_state(state)
    monkeypatch.setattr(runner, "load_params", lambda *a: (1, {}))
    pd.DataFrame({"geo": ["AT"], "value": [99.0]}).to_parquet(process.table_path(STEP_TABLE), index=False)
    assert cli.main(["status"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(STEP_TABLE))
    assert "stale" in line and "changed since the step wrote it" in line


# --------------------------------------------------------------------------- 10. a full disk while running chapters

def _fake_execute(job):
    """Stands in for papermill in the pool's worker (fork): the 'executed' notebook is the source."""
    import shutil as _shutil

    name, source, parameters, staging, parts = job
    _shutil.copy(source, Path(staging) / f"{name}.ipynb")
    if "full" in parameters.get("label", ""):
        return {"name": name, "ok": False, "seconds": 0.1, "disk": "no space left on the disk",
                "error": "cell 3 ('savefig'): OSError: [Errno 28] No space left on device"}
    return {"name": name, "ok": True, "seconds": 0.1}


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork", reason="needs fork")
def test_a_full_disk_is_named_as_such_and_the_edition_kept(book, monkeypatch):  # noqa: F811
    from inclusion_evidence.orchestration import pipeline

    monkeypatch.setattr(runner, "execute_notebook", _fake_execute)
    quiet = dict(jobs=1, log=lambda _: None)
    pipeline.run_notebooks(["demo"], **quiet)
    before = _edition()

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The executed notebook cannot be written while installing.
    real_write = runner.nbformat.write
    monkeypatch.setattr(runner.nbformat, "write", no_space)
    with pytest.raises(Exception) as exc:
        pipeline.run_notebooks(["demo"], force=True, **quiet)
    assert "could not install the executed edition (no space left on the disk); the previous edition is " \
           "unchanged" in str(exc.value)
    assert _edition() == before
    monkeypatch.setattr(runner.nbformat, "write", real_write)

    # The kernel's own write fails: reported as the disk's fault, not the notebook's.
    write_params(demo={"title": "Demo", "inputs": ["tmp_runner_table"], "parameters": {"label": "disk full"}})
    with pytest.raises(Exception) as exc:
        pipeline.run_notebooks(["demo"], force=True, **quiet)
    assert str(exc.value).endswith("no space left on the disk (while executing demo.ipynb); the previous "
                                   "edition is unchanged")
    assert _edition() == before


def test_a_stale_step_names_what_changed(steps):
    process, catalogue, state = steps
    state[STEP_TABLE]["key"] = "an older key"
    state[STEP_TABLE]["parts"]["versions"]["pandas"] = "0.1"
    state[STEP_TABLE]["parts"]["inputs"]["test_input"] = "an older checksum"
    assert process.step_staleness(STEP_TABLE, catalogue, state) == "input:test_input, version:pandas"


def test_a_step_on_a_full_disk_says_so_and_keeps_its_tables(steps, monkeypatch):
    process, catalogue, state = steps
    table = process.table_path(STEP_TABLE).read_bytes()

    def no_space(self, *args, **kwargs):
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", no_space)
    name, _, error = process.run_step_in_worker(STEP_TABLE)
    assert error.startswith(f"step {STEP_TABLE}: no space left on the disk")
    assert process.table_path(STEP_TABLE).read_bytes() == table
    assert not list(paths.PROCESSED.glob(".*.parquet"))
