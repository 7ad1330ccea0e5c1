"""Bad input gives a clear error and loses nothing: every case of issue 7, through the command line.

Each case builds a small project in a temporary folder (a catalogue, an
installed Eurostat file and a GISCO file, the processed table, params.yml, a
chapter notebook and a previous executed edition), runs one command through
``inclusion_evidence.cli.main`` with the bad input, and checks that

* the command exits non-zero;
* the message names the file (and the row or column where there is one) and
  the problem;
* every file of the project (raw files, catalogue, processed tables, the
  executed edition) is byte-identical afterwards.

Related cases elsewhere: tests/test_add_data.py (refresh from a local server,
a failed catalogue save), tests/test_schemas.py (each schema rule),
tests/test_runner.py (parameter types), tests/test_catalogue_fetch.py.
"""

from __future__ import annotations

import hashlib
import json

import nbformat
import pytest
import yaml

from inclusion_evidence import cli
from inclusion_evidence.core import paths

SID = "eurostat_lfst_r_lfur2gac"
GISCO = "gisco_nuts2021_60m_levl2"
HEADER = "DATAFLOW,LAST UPDATE,freq,unit,c_birth,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def row(geo="AT11", year=2021, value="5.2", flag="", sex="T"):
    return f"ESTAT:LFST_R_LFUR2GAC(1.0),20/03/25 23:00:00,A,PC,TOTAL,{sex},Y15-64,{geo},{year},{value},{flag}"


GOOD_ROWS = [row("AT11", 2021, "5.2"), row("AT11", 2022, "4.9", "b"), row("AT12", 2021, "6.1"),
             row("AT12", 2022, ":")]                     # ":" is Eurostat's "not available": accepted


def lfur(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def nuts_geojson(codes=("AT11", "AT12")):
    features = []
    for i, code in enumerate(codes):
        square = [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]]
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
                         "properties": {"NUTS_ID": code, "LEVL_CODE": 2, "CNTR_CODE": code[:2],
                                        "NAME_LATN": f"Region {code}"}})
    return json.dumps({"type": "FeatureCollection",
                       "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}},
                       "features": features}, indent=1)


OTHER = b"name,value\nx,1\n"            # the locked content of a source missing from data/raw/


def _entry(sid, dataset, fmt, path, data):
    return {"id": sid, "publisher": "Test", "dataset": dataset, "title": sid, "format": fmt,
            "url": "http://127.0.0.1:9/" + path, "licence": "CC BY 4.0", "path": path, "status": "available",
            "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "retrieved": "2025-01-01"}


def write_notebook(path, body="print(f'year={year}')"):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("year = 2021\ncountries = []")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo"), params, nbformat.v4.new_code_cell(body)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def write_params(**demo):
    entry = {"title": "Demo chapter", "inputs": ["lfst_r_lfur2gac"], "parameters": {"year": 2021},
             "allowed": {"year": {"table": "lfst_r_lfur2gac", "column": "time"}}, **demo}
    paths.PARAMS.write_text(yaml.safe_dump({"epoch": 1, "notebooks": {"demo": entry}}, sort_keys=False))


@pytest.fixture
def project(project, tmp_path, monkeypatch):
    """The conftest project with good data, a processed table and a previous edition; returns its folders."""
    root = project
    good = lfur(*GOOD_ROWS).encode()
    nuts = nuts_geojson().encode()
    raw = root / "data/raw"
    (raw / "eurostat").mkdir()
    (raw / "eurostat/lfst_r_lfur2gac.csv").write_bytes(good)
    (raw / "gisco").mkdir()
    (raw / "gisco/NUTS_RG_60M_2021_3035_LEVL_2.geojson").write_bytes(nuts)
    (raw / "sources.yml").write_text("# catalogue\n" + yaml.safe_dump({"sources": [
        _entry(SID, "lfst_r_lfur2gac", "sdmx-csv-1.0", "eurostat/lfst_r_lfur2gac.csv", good),
        _entry(GISCO, "NUTS 2021", "geojson", "gisco/NUTS_RG_60M_2021_3035_LEVL_2.geojson", nuts),
        _entry("other_source", "x", "csv", "other/x.csv", OTHER)]}, sort_keys=False))
    # Processed for real, so the step's cache state exists as after `make data`.
    assert cli.main(["process", "lfst_r_lfur2gac", "--jobs", "1"]) == 0
    write_notebook(root / "chapters/demo.ipynb")
    write_params()
    previous = nbformat.v4.new_notebook()
    previous.cells = [nbformat.v4.new_markdown_cell("# Demo, the previous edition")]
    nbformat.write(previous, root / "book/chapters/demo.ipynb")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    return root, incoming


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- the cases
# Each case prepares its bad input and returns the command line; the words are
# what the message must contain ({file} is the bad file's path).

def add(name, content, source=SID):
    def prepare(root, incoming):
        path = incoming / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return ["add-data", source, str(path)], str(path)
    return prepare


def checksum_mismatch(root, incoming):
    mirror = incoming / "mirror"
    (mirror / "other").mkdir(parents=True)
    (mirror / "other/x.csv").write_bytes(b"name,value\nx,2\n")     # not what the catalogue locked
    return ["fetch", "--offline", "--mirror", str(mirror)], str(mirror / "other/x.csv")


def params(**demo):
    def prepare(root, incoming):
        write_params(**demo)
        return ["run", "demo", "--jobs", "1"], str(paths.PARAMS)
    return prepare


def offline_refresh(root, incoming):
    return ["refresh", SID, "--timeout", "5"], "http://127.0.0.1:9/eurostat/lfst_r_lfur2gac.csv"


GOOD = lfur(*GOOD_ROWS)
CASES = [
    pytest.param(add("empty.csv", b""), ["file is empty"], id="empty file"),
    pytest.param(add("truncated.csv", GOOD[:GOOD.rindex(",2022,") + 3]),
                 ["row 5", "the last line has 9 of 11 cells (truncated file?)"], id="truncated CSV"),
    pytest.param(add("download.csv", "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title>"
                                     "</head><body>Please try later</body></html>\n"),
                 ["is an HTML page, not data"], id="HTML error page saved as .csv"),
    pytest.param(add("no_value.csv", lfur(*(r.rsplit(",", 2)[0] + "," for r in GOOD_ROWS),
                                          header=HEADER.replace("OBS_VALUE,", ""))),
                 ["column 'OBS_VALUE'", "missing column(s) OBS_VALUE"], id="header with a missing column"),
    pytest.param(add("renamed.csv", lfur(*GOOD_ROWS, header=HEADER.replace("c_birth", "birth_country"))),
                 ["column 'c_birth'", "missing column (renamed or dropped?)",
                  "column 'birth_country': unexpected column"], id="header with a renamed column"),
    pytest.param(add("unknown_geo.csv", lfur(*GOOD_ROWS, row("AT99", 2021, "7.0"))),
                 ["row 6", "column 'geo'", "'AT99'", "is not a known geo code"], id="unknown geo code"),
    pytest.param(add("unknown_code.csv", lfur(*GOOD_ROWS, row("AT11", 2020, "5.0", sex="X"))),
                 ["row 6", "column 'sex'", "'X'", "is not one of: F, M, T, UNK"], id="unknown dimension code"),
    pytest.param(add("duplicated.csv", lfur(*GOOD_ROWS, row("AT11", 2021, "5.3"))),
                 ["row 6", "duplicated observation", "geo=AT11, time=2021"], id="duplicated keys"),
    pytest.param(add("percent_140.csv", lfur(row("AT11", 2021, "140"), *GOOD_ROWS[1:])),
                 ["row 2", "column 'OBS_VALUE'", "140.0", "is outside 0-100 (a percentage, unit PC)"],
                 id="percentage of 140"),
    pytest.param(add("percent_minus3.csv", lfur(*GOOD_ROWS[:2], row("AT12", 2021, "-3"), GOOD_ROWS[3])),
                 ["row 4", "column 'OBS_VALUE'", "-3.0", "is outside 0-100 (a percentage, unit PC)"],
                 id="percentage of -3"),
    pytest.param(add("text_value.csv", lfur(*GOOD_ROWS[:2], row("AT12", 2021, "6.1 u"), GOOD_ROWS[3])),
                 ["row 4", "column 'OBS_VALUE'", "'6.1 u' is not a number"], id="non-numeric value"),
    pytest.param(add("utf16.csv", GOOD.encode("utf-16")),
                 ["row 1", "not UTF-8 text", "re-save the file as UTF-8"], id="wrong encoding"),
    pytest.param(add("nuts_cut.geojson", nuts_geojson()[:300], source=GISCO),
                 ["not valid GeoJSON", "truncated download?"], id="GeoJSON cut off half way"),
    pytest.param(checksum_mismatch, ["checksum mismatch for source 'other_source'", "catalogue expects sha256"],
                 id="checksum mismatch"),
    pytest.param(params(parameters={"year": 2030}),
                 ["notebook 'demo'", "parameter 'year' value 2030 is not in the data",
                  "table lfst_r_lfur2gac, column time has 2021-2022"], id="parameter naming a year the data lacks"),
    pytest.param(params(parameters={"yaer": 2021}, allowed={}),
                 ["notebook 'demo'", "unknown parameter 'yaer'", "it declares: countries, year"],
                 id="unknown parameter"),
    # Not in the list, but the same path.
    pytest.param(add("wrong_dataset.csv", GOOD.replace("LFST_R_LFUR2GAC", "LFSA_URGAN")),
                 ["column 'DATAFLOW'", "holds Eurostat dataset 'lfsa_urgan'", "is dataset 'lfst_r_lfur2gac'"],
                 id="another dataset's file"),
    pytest.param(offline_refresh, ["download failed", "are you offline?"], id="refresh while offline"),
]


@pytest.mark.parametrize("prepare, words", CASES)
def test_bad_input_gives_clear_error_and_changes_nothing(project, capsys, prepare, words):
    root, incoming = project
    argv, named = prepare(root, incoming)
    before = snapshot(root)
    assert cli.main(argv) != 0
    message = capsys.readouterr().err.strip()
    print(message)                                   # pytest -rP shows each case's message
    assert message.startswith("error: "), message
    assert named in message, message                 # the file (or URL) is named
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    assert snapshot(root) == before                  # raw files, catalogue, tables, edition: byte-identical
    assert not list(root.rglob(".*.tmp")) and not list(root.rglob(".staging-*"))


def test_good_file_passes_the_same_path(project, capsys):
    """The control case: the same command with a good file installs it (":" values included)."""
    root, incoming = project
    newer = incoming / "newer.csv"
    newer.write_text(lfur(*GOOD_ROWS, row("AT11", 2023, "4.1", "p")), encoding="utf-8")
    assert cli.main(["add-data", SID, str(newer)]) == 0
    assert (root / "data/raw/eurostat/lfst_r_lfur2gac.csv").read_bytes() == newer.read_bytes()
    assert "feeds: Demo chapter" in capsys.readouterr().out


@pytest.mark.slow
def test_chapter_that_raises_keeps_the_previous_edition(project, capsys):
    root, incoming = project
    write_notebook(root / "chapters/demo.ipynb", body="total = 1 / 0")
    before = snapshot(root)
    assert cli.main(["run", "demo", "--jobs", "1"]) != 0
    message = capsys.readouterr().err.strip()
    print(message)
    assert "notebook execution failed; the previous edition is unchanged" in message
    assert "chapters/demo.ipynb: cell 3" in message and "('total = 1 / 0')" in message
    assert "ZeroDivisionError: division by zero" in message
    assert snapshot(root) == before
    assert not list(root.rglob(".staging-*"))
