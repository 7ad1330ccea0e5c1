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
            "url": "https://127.0.0.1:9/" + path, "licence": "CC BY 4.0", "path": path, "status": "available",
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
    return ["refresh", SID, "--timeout", "5"], "https://127.0.0.1:9/eurostat/lfst_r_lfur2gac.csv"


def catalogue_edit(command, sid=SID, named=None, **changes):
    """The catalogue entry ``sid`` changed (before the snapshot), then ``command`` run on it."""
    def prepare(root, incoming):
        doc = yaml.safe_load(paths.CATALOGUE.read_text())
        for entry in doc["sources"]:
            if entry["id"] == sid:
                entry.update({k: v.format(outside=incoming) for k, v in changes.items()})
        paths.CATALOGUE.write_text("# catalogue\n" + yaml.safe_dump(doc, sort_keys=False))
        argv = {"add-data": ["add-data", sid, str(incoming / "x.csv")], "fetch": ["fetch", "--offline"],
                "refresh": ["refresh", sid, "--timeout", "5"]}[command]
        (incoming / "x.csv").write_text(GOOD)
        return argv, named or str(paths.CATALOGUE)
    return prepare


def symlink_out(root, incoming):
    """data/raw/eurostat is a link to a folder outside data/raw/: writing through it is refused."""
    outside = incoming / "elsewhere"
    outside.mkdir()
    (root / "data/raw/links").symlink_to(outside)
    return catalogue_edit("add-data", path="links/lfst_r_lfur2gac.csv")(root, incoming)


def installed_source(root, sid, fmt, path, data):
    """Another catalogue source, installed in data/raw/ (before the snapshot)."""
    (root / "data/raw" / path).parent.mkdir(parents=True, exist_ok=True)
    (root / "data/raw" / path).write_bytes(data)
    doc = yaml.safe_load(paths.CATALOGUE.read_text())
    doc["sources"].append(_entry(sid, sid, fmt, path, data))
    paths.CATALOGUE.write_text("# catalogue\n" + yaml.safe_dump(doc, sort_keys=False))


def workbook_bytes(tmp, sheets):
    from helpers import write_workbook

    return write_workbook(tmp / "wb.xlsx", sheets).read_bytes()


FRA_HEADER = ["CountryCode", "question_label", "target_group", "age", "answer", "percentage"]


def fra(question):
    return {"LGBTI-age": [FRA_HEADER, ["Austria", question, "Lesbian women", "15-17", "Always", 12.5]]}


def mipex(*years):
    return {"AT": [["Overall Scores"], ["Year", "Overall Score (with health)"], *[[y, 50] for y in years]]}


def wrong_file(kind):
    """Issue 13 item 11: a file of the same layout but another publication, given for an installed source."""
    def prepare(root, incoming):
        if kind == "ilga":
            installed_source(root, "ilga_rainbow_asylum", "csv", "lgbti/Asylum.csv",
                             b"country,law_sexual_orientation,law_gender_identity\nAustria,1,NA\n")
            new = b"country,marriage_equality,joint_adoption,cohabitation\nAustria,1,1,NA\n"
            sid, name = "ilga_rainbow_asylum", "Family.csv"
        elif kind == "fra":
            installed_source(root, "fra_lgbti2019_t1q1", "xlsx", "lgbti/FRA_EU-T1Q1.xlsx", workbook_bytes(
                incoming, fra("Avoid holding hands in public with same-sex partner")))
            new = workbook_bytes(incoming, fra("Avoid certain places for fear of being assaulted"))
            sid, name = "fra_lgbti2019_t1q1", "FRA_EU-T1Q2.xlsx"
        else:
            installed_source(root, "mipex_core_2007_2019", "xlsx", "mipex/core.xlsx",
                             workbook_bytes(incoming, mipex(2007, 2010, 2019)))
            new = workbook_bytes(incoming, mipex(2020, 2024))
            sid, name = "mipex_core_2007_2019", "mipex_EU_2020-2024.xlsx"
        (incoming / name).write_bytes(new)
        return ["add-data", sid, str(incoming / name)], str(incoming / name)
    return prepare


def shrunk(rows):
    return add("shrunk.csv", lfur(*rows))


def with_env(prepare, **env):
    def wrapped(root, incoming):
        return (*prepare(root, incoming), env)
    return wrapped


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
                 ["row 6", "duplicated observation", "geo=AT11, time=2021", "rows 2 and 6 hold the same"],
                 id="duplicated keys"),
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
    # Issue 13: values, periods, line numbers, separators.
    pytest.param(add("nan.csv", lfur(*GOOD_ROWS[:2], row("AT12", 2021, "nan"), GOOD_ROWS[3])),
                 ["row 4", "column 'OBS_VALUE'", "value 'nan' is not a number", "marks a missing value with ':'"],
                 id="OBS_VALUE nan"),
    pytest.param(add("none.csv", lfur(*GOOD_ROWS[:3], row("AT12", 2022, "None"))),
                 ["row 5", "value 'None' is not a number"], id="OBS_VALUE None"),
    pytest.param(add("inf.csv", lfur(*GOOD_ROWS[:2], row("AT12", 2021, "inf"), GOOD_ROWS[3])),
                 ["row 4", "value 'inf' is not a finite number"], id="OBS_VALUE inf"),
    pytest.param(add("huge.csv", lfur(row("AT11", 2021, "1e300"), *GOOD_ROWS[1:])),
                 ["row 2", "value '1e300' is implausibly large"], id="OBS_VALUE 1e300"),
    pytest.param(add("quarter.csv", lfur(*GOOD_ROWS, row("AT11", "2019-Q1", "5.0"))),
                 ["row 6", "column 'TIME_PERIOD'", "time period '2019-Q1' is not a year",
                  "the file is annual (freq A)"], id="2019-Q1 in an annual file"),
    pytest.param(add("blank_lines.csv", lfur(GOOD_ROWS[0], "", "", GOOD_ROWS[1], "", row("AT12", 2021, "x"))),
                 ["row 7", "value 'x' is not a number"], id="bad value after blank lines"),
    pytest.param(add("blank_dup.csv", lfur(GOOD_ROWS[0], "", GOOD_ROWS[1], "", row("AT11", 2021, "5.3"))),
                 ["row 6", "rows 2 and 6 hold the same observation"], id="duplicate after blank lines"),
    pytest.param(add("blank_percent.csv", lfur(GOOD_ROWS[0], "", "", row("AT12", 2021, "140"))),
                 ["row 5", "140.0", "is outside 0-100"], id="schema error after blank lines"),
    pytest.param(add("semicolons.csv", lfur(*(r.replace(",", ";") for r in GOOD_ROWS),
                                            header=HEADER.replace(",", ";"))),
                 ["row 1", "is separated by semicolons", "comma-separated"], id="semicolon-separated file"),
    # Issue 13: the wrong file of a family (item 11), a file covering much less (item 12).
    pytest.param(wrong_file("ilga"), ["row 1", "its columns ('cohabitation', 'joint_adoption', 'marriage_equality')",
                                      "are not those of the installed file ('law_gender_identity'",
                                      "the right file for source 'ilga_rainbow_asylum'"],
                 id="ILGA family CSV given as asylum"),
    pytest.param(wrong_file("fra"), ["column 'question_label'", "asks 'Avoid certain places",
                                     "but the installed file asks 'Avoid holding hands",
                                     "source 'fra_lgbti2019_t1q1'"], id="FRA T1Q2 given as T1Q1"),
    pytest.param(wrong_file("mipex"), ["covers the years 2020-2024, the installed file 2007-2019",
                                       "no year in common", "source 'mipex_core_2007_2019'"],
                 id="MIPEX EU 2020-2024 given as core 2007-2019"),
    pytest.param(shrunk([row("AT11", 2021, "5.2"), row("AT11", 2022, "4.9")]),
                 ["would shrink table lfst_r_lfur2gac", "2 rows instead of 4", "1 of its 2 countries lost (AT12)",
                  "run again with --allow-shrink"], id="new file keeping one country"),
    pytest.param(shrunk([row("AT11", 2022, "4.9"), row("AT12", 2022, "5.9")]),
                 ["table lfst_r_lfur2gac would no longer hold time 2021", "notebook 'demo' uses",
                  "parameter 'year' in params.yml"], id="new file dropping the year a chapter uses"),
    # Issue 13: catalogue paths, downloads and size caps.
    pytest.param(catalogue_edit("add-data", path="../../escaped.csv"),
                 ["entry 'eurostat_lfst_r_lfur2gac'", "path '../../escaped.csv' must be relative",
                  "stay inside data/raw/"], id="catalogue path with '..'"),
    pytest.param(catalogue_edit("fetch", path="{outside}/abs.csv"),
                 ["path '", "abs.csv' must be relative", "column 'path'"], id="absolute catalogue path"),
    pytest.param(symlink_out, ["path 'links/lfst_r_lfur2gac.csv' leads outside data/raw/",
                               "through a symbolic link"], id="catalogue path through a symlink out"),
    pytest.param(catalogue_edit("refresh", url="http://127.0.0.1:9/x.csv", named="http://127.0.0.1:9/x.csv"),
                 ["only https:// addresses are downloaded, not http"], id="refresh of an http address"),
    pytest.param(catalogue_edit("refresh", url="file:///etc/passwd", named="file:///etc/passwd"),
                 ["only https:// addresses are downloaded, not file"], id="refresh of a file address"),
    pytest.param(with_env(add("big.csv", GOOD), INCLUSION_MAX_INPUT_MB="0.0001"),
                 ["more than the cap of 100 bytes on an input file", "INCLUSION_MAX_INPUT_MB"],
                 id="input file over the size cap"),
]


@pytest.mark.parametrize("prepare, words", CASES)
def test_bad_input_gives_clear_error_and_changes_nothing(project, capsys, monkeypatch, prepare, words):
    root, incoming = project
    argv, named, *env = prepare(root, incoming)
    for key, value in (env[0] if env else {}).items():
        monkeypatch.setenv(key, value)
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


def test_a_smaller_release_installs_with_allow_shrink(project, capsys):
    root, incoming = project
    smaller = incoming / "smaller.csv"
    smaller.write_text(lfur(row("AT11", 2021, "5.2"), row("AT11", 2022, "4.9")), encoding="utf-8")
    assert cli.main(["add-data", SID, str(smaller)]) != 0
    assert cli.main(["add-data", SID, str(smaller), "--allow-shrink"]) == 0
    assert (root / "data/raw/eurostat/lfst_r_lfur2gac.csv").read_bytes() == smaller.read_bytes()


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
