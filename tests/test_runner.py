"""The notebook runner: validated parameters, a data-aware cache, atomic swaps into the edition."""

from __future__ import annotations

import json
import os

import nbformat
import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import codehash, paths
from inclusion_evidence.core.errors import DataError, ParameterError
from inclusion_evidence.orchestration import pipeline, runner

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
PARAM_CELL = "year = 2020\nlabel = 'all'\nshare = 0.5\ncountries = []"
BODY_CELL = "print(f'year={year} label={label}')"


def write_notebook(path, param_source=PARAM_CELL, body=BODY_CELL, extra=()):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    cell = nbformat.v4.new_code_cell(param_source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo"), cell, nbformat.v4.new_code_cell(body),
                *(nbformat.v4.new_code_cell(src) for src in extra)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def write_params(epoch=1, **notebooks):
    doc = {"epoch": epoch, "notebooks": notebooks}
    paths.PARAMS.write_text(yaml.safe_dump(doc, sort_keys=False))


def write_table(name, values):
    paths.PROCESSED.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"geo": ["AT", "DE"][: len(values)], "value": values}).to_parquet(
        paths.PROCESSED / f"{name}.parquet", index=False)


# The real catalogue and raw files, read only: cache keys name the sources behind a table.
REAL_RAW, REAL_CATALOGUE = paths.RAW, paths.CATALOGUE
PINNED_CODE = {"figures.py": "figures-hash", "analysis/health.py": "health-hash"}


@pytest.fixture
def book(project, monkeypatch):
    """The conftest project with chapters/demo.ipynb, params.yml and an input table in processed/."""
    monkeypatch.setattr(paths, "RAW", REAL_RAW)
    monkeypatch.setattr(paths, "CATALOGUE", REAL_CATALOGUE)
    # Other work may edit the package while tests run; pin the code hashes (tested in test_codehash.py).
    monkeypatch.setattr(codehash, "notebook_code_hashes", lambda notebook, code_cells=None: dict(PINNED_CODE))
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb")
    write_table("tmp_runner_table", [1.0, 2.0])
    write_params(demo={"title": "Demo", "inputs": ["tmp_runner_table"], "parameters": {"year": 2021},
                       "allowed": {"year": [2019, 2020, 2021, 2022]}})
    return project


def spec(**params):
    _, specs = runner.load_params()
    s = specs["demo"]
    if params:
        s.parameters = params
    return s


# --------------------------------------------------------------------------- parameters

def _param_error(s, *words):
    with pytest.raises(ParameterError) as exc:
        runner.validate_parameters(s)
    message = str(exc.value)
    assert "params.yml" in message and "'demo'" in message, message
    for word in words:
        assert word in message, message
    return message


def test_valid_parameters_pass(book):
    runner.validate_parameters(spec(year=2020, label="x", share=1, countries=["AT"]))


def test_unknown_parameter_lists_declared_ones(book):
    _param_error(spec(yaer=2020), "unknown parameter 'yaer'", "countries, label, share, year")


def test_wrong_type(book):
    _param_error(spec(year="abc"), "'year'", "must be int", "'abc'")
    _param_error(spec(year=True), "'year'", "must be int")
    _param_error(spec(label=3), "'label'", "must be str")
    _param_error(spec(countries="AT"), "'countries'", "must be list")


def test_value_not_allowed(book):
    _param_error(spec(year=2030), "'year'", "2030", "not allowed", "2019")


def test_allowed_applies_to_each_list_item(book):
    write_params(demo={"parameters": {"countries": ["AT", "XX"]}, "allowed": {"countries": ["AT", "DE"]}})
    _param_error(spec(), "'XX'", "not allowed")


def test_allowed_values_from_a_table(book):
    write_table("tmp_runner_table", [1.0, 2.0])
    paths.PROCESSED.mkdir(exist_ok=True)
    pd.DataFrame({"time": [2018, 2019, 2020, 2022, 2022]}).to_parquet(paths.PROCESSED / "tmp_years.parquet")
    rule = {"table": "tmp_years", "column": "time"}
    write_params(demo={"parameters": {"year": 2019}, "allowed": {"year": rule}})
    runner.validate_parameters(spec())
    _param_error(spec(year=2021), "'year' value 2021 is not in the data",
                 "table tmp_years, column time has 2018-2020, 2022")
    write_params(demo={"parameters": {"year": 2018}, "allowed": {"year": {**rule, "min": 2019}}})
    _param_error(spec(), "value 2018 is not in the data", "has 2019-2020, 2022")


def test_allowed_table_errors(book):
    write_params(demo={"parameters": {"year": 2019}, "allowed": {"year": {"table": "no_such_table",
                                                                          "column": "time"}}})
    _param_error(spec(), "'no_such_table'", "missing", "make data")
    write_params(demo={"parameters": {"year": 2019}, "allowed": {"year": {"table": "tmp_runner_table",
                                                                          "column": "time"}}})
    _param_error(spec(), "column 'time'", "no such column")
    write_params(demo={"parameters": {"year": 2019}, "allowed": {"year": {"tabel": "tmp_runner_table"}}})
    _param_error(spec(), "must be a list or")


def test_annotated_parameter_type(book):
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb", param_source="year: int = 2020")
    _param_error(spec(year="2020"), "must be int")


def test_missing_notebook_source(book):
    (paths.CHAPTER_SOURCES / "demo.ipynb").unlink()
    _param_error(spec(), "demo.ipynb", "not found")


def test_notebook_without_kernelspec_is_a_parameter_error(book):
    path = paths.CHAPTER_SOURCES / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    del nb.metadata["kernelspec"]
    nbformat.write(nb, path)
    with pytest.raises(ParameterError) as exc:
        runner.validate_parameters(spec())
    assert "demo.ipynb" in str(exc.value)


def test_params_file_errors(book):
    paths.PARAMS.write_text("notebooks:\n  demo:\n    paramters: {}\n")
    with pytest.raises(ParameterError, match="unknown key.*paramters"):
        runner.load_params()
    paths.PARAMS.write_text("epoch: 1\n")
    with pytest.raises(ParameterError, match="notebooks"):
        runner.load_params()
    paths.PARAMS.unlink()
    with pytest.raises(ParameterError, match="not found"):
        runner.load_params()


def test_unknown_notebook_in_run(book):
    with pytest.raises(ParameterError) as exc:
        pipeline.run_notebooks(["no_such_notebook"], jobs=1, log=lambda _: None)
    assert "no_such_notebook" in str(exc.value) and "params.yml" in str(exc.value)


def test_real_params_file_loads():
    epoch, specs = runner.load_params(paths.ROOT / "book" / "params.yml")
    assert isinstance(epoch, int) and specs
    for s in specs.values():
        assert s.source.exists(), s.name          # a profile page runs a shared notebook (s.notebook)
        for key, allowed in s.allowed.items():
            assert key in s.parameters, (s.name, key)
            if isinstance(allowed, dict):                      # values from a processed table
                assert set(allowed) <= {"table", "column", "min", "max"}, (s.name, key)


def test_real_params_are_valid_for_the_real_data(monkeypatch):
    """book/params.yml passes the checks run before any execution, years included."""
    if not (paths.ROOT / "data" / "processed" / "regional_unemployment.parquet").exists():
        pytest.skip("data/processed/ not built")
    monkeypatch.setattr(paths, "PROCESSED", paths.ROOT / "data" / "processed")
    monkeypatch.setattr(paths, "CHAPTER_SOURCES", paths.ROOT / "chapters")
    _, specs = runner.load_params(paths.ROOT / "book" / "params.yml")
    for s in specs.values():
        runner.validate_parameters(s)


# --------------------------------------------------------------------------- cache parts, no kernel

def test_cache_parts_name_what_changed(book):
    epoch, _ = runner.load_params()
    base = runner.cache_parts(spec(), epoch)
    assert {"notebook", "parameters", "lock", "code:figures.py", "epoch", "table:tmp_runner_table"} <= set(base)
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == ""
    assert runner.why_stale(None, base) == "not executed yet"

    assert runner.why_stale(base, runner.cache_parts(spec(year=2022), epoch)) == "parameters"
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch + 1)) == "epoch"

    write_table("tmp_runner_table", [1.0, 3.0])
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == "table:tmp_runner_table"
    write_table("tmp_runner_table", [1.0, 2.0])
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == ""

    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb", body=BODY_CELL + "\nprint('more')")
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == "notebook"


def test_cache_ignores_outputs_but_not_tags(book):
    epoch, _ = runner.load_params()
    base = runner.cache_parts(spec(), epoch)
    path = paths.CHAPTER_SOURCES / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="stale output\n")]
    nb.cells[2].execution_count = 7
    nbformat.write(nb, path)
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == ""
    nb.cells[2].metadata["tags"] = ["remove-input"]
    nbformat.write(nb, path)
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == "notebook"


def test_cache_parts_name_the_module_whose_code_changed(book, monkeypatch):
    epoch, _ = runner.load_params()
    base = runner.cache_parts(spec(), epoch)
    monkeypatch.setattr(codehash, "notebook_code_hashes",
                        lambda notebook, code_cells=None: {**PINNED_CODE, "analysis/health.py": "edited"})
    assert runner.why_stale(base, runner.cache_parts(spec(), epoch)) == "code:analysis/health.py"


def test_cache_parts_missing_input_table(book):
    (paths.PROCESSED / "tmp_runner_table.parquet").unlink()
    with pytest.raises(DataError) as exc:
        runner.cache_parts(spec(), 1)
    assert "tmp_runner_table" in str(exc.value) and "'demo'" in str(exc.value)


def test_cache_parts_include_raw_sources_behind_a_table(book):
    write_table("tps00170", [1.0])
    write_params(demo={"inputs": ["tps00170"], "parameters": {}})
    parts = runner.cache_parts(spec(), 1)
    from inclusion_evidence.ingest.catalogue import load_catalogue

    assert parts["source:eurostat_tps00170"] == load_catalogue()["eurostat_tps00170"].sha256


def _catalogue_copy_with(monkeypatch, source_id: str, **changes) -> None:
    """Point the project at a copy of the real catalogue in which entry ``source_id`` has ``changes``."""
    doc = yaml.safe_load(REAL_CATALOGUE.read_text(encoding="utf-8"))
    entry = next(e for e in doc["sources"] if e["id"] == source_id)
    entry.update(changes)
    copy = paths.ROOT / "sources.yml"
    copy.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(paths, "CATALOGUE", copy)


def test_a_new_retrieval_date_makes_stale_only_the_chapter_reading_the_entry(book, monkeypatch):
    # Same file, byte for byte; only the catalogue's retrieval date changes (what a refresh writes).
    write_table("tps00170", [1.0])
    write_params(demo={"inputs": ["tps00170"], "parameters": {}},
                 other={"inputs": ["tmp_runner_table"], "parameters": {}})
    write_notebook(paths.CHAPTER_SOURCES / "other.ipynb")
    _catalogue_copy_with(monkeypatch, "eurostat_tps00170")
    _, specs = runner.load_params()
    before = {name: runner.cache_parts(s, 1) for name, s in specs.items()}

    _catalogue_copy_with(monkeypatch, "eurostat_tps00170", retrieved="2099-01-31")
    _, specs = runner.load_params()
    after = {name: runner.cache_parts(s, 1) for name, s in specs.items()}
    assert runner.why_stale(before["demo"], after["demo"]) == "catalogue:eurostat_tps00170"
    assert runner.why_stale(before["other"], after["other"]) == ""


def test_a_source_cited_only_in_the_notebook_is_in_its_key(book, monkeypatch):
    # No input table comes from eurostat_tps00170; the notebook prints its source line all the same.
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb",
                   extra=['from inclusion_evidence.present.figures import source_line\n'
                          'print(source_line("eurostat_tps00170"))'])
    _catalogue_copy_with(monkeypatch, "eurostat_tps00170")
    base = runner.cache_parts(spec(), 1)
    assert "catalogue:eurostat_tps00170" in base
    _catalogue_copy_with(monkeypatch, "eurostat_tps00170", retrieved="2099-01-31")
    assert runner.why_stale(base, runner.cache_parts(spec(), 1)) == "catalogue:eurostat_tps00170"
    _catalogue_copy_with(monkeypatch, "eurostat_tps00170", publisher="Eurostat (the EU statistical office)")
    assert runner.why_stale(base, runner.cache_parts(spec(), 1)) == "catalogue:eurostat_tps00170"


# --------------------------------------------------------------------------- execution (kernels)

def _executed_outputs(path):
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.slow
def test_run_cache_invalidate_and_fail_atomically(book):
    logs = []
    run = lambda **kw: pipeline.run_notebooks(["demo"], jobs=1, log=logs.append, **kw)  # noqa: E731
    executed = paths.EDITION / "demo.ipynb"

    # 1. First run: executes into the edition with the parameters from params.yml.
    report = run()
    assert [(r["status"], r["reason"]) for r in report] == [("executed", "not executed yet")]
    assert "year=2021 label=all" in _executed_outputs(executed)
    nb = nbformat.read(executed, as_version=4)
    param_cells = [c for c in nb.cells if {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]
    assert len(param_cells) == 2                                    # the default cell + papermill's injected one
    assert all("remove-cell" in c.metadata["tags"] for c in param_cells)
    assert "papermill" not in nb.metadata
    meta = nb.metadata[runner.META_KEY]
    assert meta["parameters"] == {"year": 2021}
    assert meta["parts"] == runner.cache_parts(spec(), 1)
    assert meta["key"] == runner.cache_key(meta["parts"])
    assert json.loads((paths.BOOK / "_status.json").read_text())[0]["status"] == "executed"
    assert not list(paths.BOOK.glob(".staging-*"))

    # 2. Nothing changed: cached, nothing executed, the edition untouched.
    before = executed.read_bytes()
    logs.clear()
    assert [r["status"] for r in run()] == ["cached"]
    assert executed.read_bytes() == before
    assert logs == ["  all notebooks up to date; nothing executed"]

    # 3. A notebook that raises: the error names notebook, cell and exception; the edition is unchanged.
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb", extra=["x = 1", "1 / 0"])
    with pytest.raises(DataError) as exc:
        run()
    message = str(exc.value)
    assert "demo" in message and "ZeroDivisionError" in message and "division by zero" in message
    # The cell: its execution count (papermill's injected cell counts too) and its first line.
    assert "cell 5 ('1 / 0')" in message
    assert executed.read_bytes() == before
    assert not list(paths.BOOK.glob(".staging-*"))

    # 4. Back to the good code, new parameter: re-executed because of the parameter only.
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb")
    write_params(demo={"title": "Demo", "inputs": ["tmp_runner_table"], "parameters": {"year": 2022},
                       "allowed": {"year": [2019, 2020, 2021, 2022]}})
    report = run()
    assert [(r["status"], r["reason"]) for r in report] == [("executed", "parameters")]
    assert "year=2022" in _executed_outputs(executed)
    assert any("executed demo" in line and "parameters" in line for line in logs)

    # 5. A changed input table and epoch: re-executed, both named; force re-runs anything.
    write_table("tmp_runner_table", [5.0, 6.0])
    paths.PARAMS.write_text(paths.PARAMS.read_text().replace("epoch: 1", "epoch: 2"))
    assert [(r["status"], r["reason"]) for r in run()] == [("executed", "epoch, table:tmp_runner_table")]
    assert [r["status"] for r in run()] == ["cached"]
    assert [(r["status"], r["reason"]) for r in run(force=True)] == [("executed", "forced")]


def test_notebooks_fanned_out_from_one_source_read_it_once_and_see_its_edits(book, monkeypatch):
    # Three pages from one notebook (as the country profiles): the source is read and inspected once.
    from dataclasses import replace

    reads = []
    real_read = nbformat.read
    monkeypatch.setattr(nbformat, "read", lambda path, **kw: (reads.append(str(path)), real_read(path, **kw))[1])
    epoch = 1
    specs = {name: replace(spec(), name=name, notebook="demo") for name in ("a", "b", "c")}
    first = {name: runner.cache_parts(s, epoch) for name, s in specs.items()}
    assert len({p for p in reads if p.endswith("demo.ipynb")}) == 1 and len(reads) == 1
    assert len({parts["notebook"] for parts in first.values()}) == 1

    # An edit of the same size: a new version of the file (a later time stamp) is read again.
    source = paths.CHAPTER_SOURCES / "demo.ipynb"
    text = source.read_text(encoding="utf-8")
    assert "# Demo" in text
    source.write_text(text.replace("# Demo", "# Dome"), encoding="utf-8")
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    again = runner.cache_parts(specs["a"], epoch)
    assert runner.why_stale(first["a"], again) == "notebook"


def test_declared_parameters_hand_out_copies(book):
    source = paths.CHAPTER_SOURCES / "demo.ipynb"
    found = runner.declared_parameters(source)
    found.clear()
    assert runner.declared_parameters(source)  # the next caller still sees the parameters


def test_a_chapter_citing_the_plan_has_the_plan_document_in_its_key(book):
    # source_line("action_plan") prints the plan's title from document.yml: editing it must re-run the chapter.
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb",
                   extra=['from inclusion_evidence.present.figures import source_line\n'
                          'print(source_line("action_plan"))'])
    assert "data:data/raw/action_plan/document.yml" in runner.cache_parts(spec(), 1)
