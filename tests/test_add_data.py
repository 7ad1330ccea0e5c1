"""add-data: a new raw file is validated before the catalogue or data/raw/ change at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.catalogue import load_catalogue
from inclusion_evidence.orchestration.update import add_data, validate_file
from inclusion_evidence.steps import registry

SID = "eurostat_hlth_silc_30"          # a real declared source, so the real step maps it to a table
HEADER = "DATAFLOW,LAST UPDATE,freq,unit,sex,age,reason,citizen,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def sdmx(values=("3.1", "2.4")):
    lines = [HEADER]
    for year, value in zip((2021, 2022), values):
        lines.append(f"ESTAT:HLTH_SILC_30(1.0),01/01/25 23:00:00,A,PC,T,Y_GE16,TOOEXP,FOR,AT,{year},{value},")
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(project, tmp_path):
    """The conftest project with a catalogue (one available, one declared source) and a demo chapter."""
    raw = paths.RAW
    other = b"kept as is\n"
    entries = [
        {"id": "other_source", "publisher": "X", "dataset": "x", "title": "Other", "format": "csv",
         "url": "https://example.invalid/x", "licence": "CC BY 4.0", "path": "other/x.csv", "status": "available",
         "sha256": hashlib.sha256(other).hexdigest(), "bytes": len(other), "retrieved": "2024-01-01"},
        {"id": SID, "publisher": "Eurostat", "dataset": "hlth_silc_30", "title": "Unmet needs",
         "format": "sdmx-csv-1.0", "url": "https://example.invalid/hlth_silc_30", "licence": "CC BY 4.0",
         "path": "eurostat/hlth_silc_30.csv", "sha256": None, "bytes": None, "retrieved": None,
         "status": "declared", "note": "fetch online"},
    ]
    (raw / "sources.yml").write_text("# header comment\n" + yaml.safe_dump({"sources": entries}, sort_keys=False))
    paths.PARAMS.write_text(yaml.safe_dump(
        {"epoch": 1, "notebooks": {"demo": {"title": "Demo chapter", "inputs": ["hlth_silc_30"]}}}))
    return tmp_path, raw


def test_valid_file_is_installed_and_locked(project, capsys):
    tmp, raw = project
    new = tmp / "download.csv"
    new.write_text(sdmx(), encoding="utf-8")
    add_data(SID, new)
    installed = raw / "eurostat" / "hlth_silc_30.csv"
    assert installed.read_bytes() == new.read_bytes()
    entry = load_catalogue()[SID]
    assert entry.status == "available"
    assert entry.sha256 == hashlib.sha256(new.read_bytes()).hexdigest()
    assert entry.bytes == len(new.read_bytes())
    assert entry.retrieved == dt.date.today().isoformat()
    assert entry.note == "fetch online"
    text = (raw / "sources.yml").read_text()
    assert text.startswith("# header comment\n")
    assert load_catalogue()["other_source"].retrieved == "2024-01-01"      # other entries untouched
    out = capsys.readouterr().out
    assert "2 rows" in out and "Demo chapter" in out


def _snapshot(raw):
    return {p.relative_to(raw).as_posix(): p.read_bytes() for p in raw.rglob("*") if p.is_file()}


@pytest.mark.parametrize("bad, words", [
    ("<!DOCTYPE html><html><body>Too many requests</body></html>", ["HTML"]),
    (sdmx()[:-25], ["truncated"]),                                        # cut mid-line
    (sdmx(values=("45.3%", "2.4")), ["'45.3%'", "not a number"]),           # percentage-like text
    ("Percentage of people reporting unmet needs, 2022: 3.1 %\n", ["missing column"]),
    (sdmx(values=(":", ":")), ["no values"]),
    ("", ["empty"]),
])
def test_bad_file_changes_nothing(project, bad, words):
    tmp, raw = project
    good = tmp / "good.csv"
    good.write_text(sdmx(), encoding="utf-8")
    add_data(SID, good)                                   # a previous good version is installed
    before = _snapshot(raw)
    path = tmp / "new_download.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        add_data(SID, path)
    message = str(exc.value)
    assert str(path) in message                           # the user's file, not the scratch copy
    for word in words:
        assert word in message, message
    assert _snapshot(raw) == before                       # catalogue and raw file byte-identical
    assert not list(raw.rglob(".*.tmp"))


def test_unknown_source_and_missing_file(project):
    tmp, raw = project
    before = _snapshot(raw)
    with pytest.raises(DataError, match="unknown source id 'nope'"):
        add_data("nope", tmp / "x.csv")
    with pytest.raises(DataError, match="file not found"):
        add_data(SID, tmp / "missing.csv")
    assert _snapshot(raw) == before


def test_format_without_validator(project):
    tmp, raw = project
    before = _snapshot(raw)
    f = tmp / "x.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="no validator for format 'csv'"):
        add_data("other_source", f)
    assert _snapshot(raw) == before


def test_validate_geojson(project):
    import json

    from inclusion_evidence.ingest.catalogue import Source

    tmp_path, _ = project
    source = Source(id="gisco_test", publisher="GISCO", dataset="NUTS 2021", title="NUTS", format="geojson",
                    url="https://example.invalid/nuts", licence="CC BY 4.0",
                    path="gisco/NUTS_RG_60M_2021_3035_LEVL_0.geojson", status="declared")
    path = tmp_path / "nuts.geojson"
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}},
        "features": [{"type": "Feature", "geometry": square,
                      "properties": {"NUTS_ID": "AT", "LEVL_CODE": 0, "CNTR_CODE": "AT", "NAME_LATN": "A"}}]}))
    assert validate_file(source, path) == "1 rows"


# --------------------------------------------------------------------------- dataset code, consistency

def test_dataset_code_must_match_the_catalogue(project):
    tmp, raw = project
    before = _snapshot(raw)
    wrong = tmp / "wrong_dataset.csv"
    wrong.write_text(sdmx().replace("ESTAT:HLTH_SILC_30(1.0)", "ESTAT:HLTH_SILC_29(1.0)"), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        add_data(SID, wrong)
    message = str(exc.value)
    assert "wrong_dataset.csv" in message and "column 'DATAFLOW'" in message
    assert "'hlth_silc_29'" in message and "'hlth_silc_30'" in message
    assert _snapshot(raw) == before


def test_jsonstat_dataset_id_must_match_the_catalogue(project):
    import json

    tmp, raw = project
    doc = {"version": "2.0", "class": "dataset", "id": ["freq", "geo", "time"], "size": [1, 1, 1],
           "dimension": {"freq": {"category": {"index": {"A": 0}}}, "geo": {"category": {"index": {"AT": 0}}},
                         "time": {"category": {"index": {"2022": 0}}}},
           "value": [3.1], "extension": {"id": "MIGR_POP1CTZ"}}
    f = tmp / "other.json"
    f.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=r"other\.json, column 'extension\.id': holds Eurostat dataset "
                                        r"'migr_pop1ctz', but source 'eurostat_hlth_silc_30'"):
        add_data(SID, f)


def _installed_then_newer(project):
    tmp, raw = project
    good = tmp / "good.csv"
    good.write_text(sdmx(), encoding="utf-8")
    add_data(SID, good)
    newer = tmp / "newer.csv"
    newer.write_text(sdmx(values=("3.5", "2.6")), encoding="utf-8")
    return raw, newer


def _no_writes(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_add_data_on_a_full_disk_says_so_in_one_line_and_changes_nothing(project, monkeypatch):
    raw, newer = _installed_then_newer(project)
    before = _snapshot(raw)
    monkeypatch.setattr(os, "write", _no_writes)           # the disk is full: every write fails
    with pytest.raises(DataError) as exc:
        add_data(SID, newer)
    message = str(exc.value)
    assert "could not write the new file(s): no space left on the disk; nothing changed" in message
    assert "\n" not in message
    assert _snapshot(raw) == before
    assert not [p for p in raw.rglob("*") if p.name.endswith(".tmp")]


def test_a_failed_catalogue_rename_is_undone_by_renames_alone(project, monkeypatch):
    """The last step (the catalogue's rename) fails and the disk is full from then on: the
    previous raw file and catalogue come back by renames, with no write at all."""
    raw, newer = _installed_then_newer(project)
    before = _snapshot(raw)
    inode = os.stat(raw / "eurostat" / "hlth_silc_30.csv").st_ino
    real_replace, real_write = os.replace, os.write
    full = []

    def replace(src, dst):
        if str(dst).endswith("sources.yml") and ".previous" not in str(src):
            full.append(True)
            raise OSError(30, "Read-only file system", str(dst))
        return real_replace(src, dst)

    def write(fd, data):
        if full:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "write", write)
    with pytest.raises(DataError) as exc:
        add_data(SID, newer)
    assert "the disk is read-only" in str(exc.value) and "put back by renames, nothing changed" in str(exc.value)
    assert _snapshot(raw) == before
    assert not [p for p in raw.rglob("*") if p.name.endswith((".tmp", ".previous"))]
    assert os.stat(raw / "eurostat" / "hlth_silc_30.csv").st_ino == inode   # renamed back, not rewritten


# --------------------------------------------------------------------------- steps run on the new file

@pytest.fixture
def temporary_step():
    from inclusion_evidence.orchestration import process

    process.load_steps()
    names = []

    def register(name, func, inputs):
        registry.step(name, inputs=inputs, outputs=["eurocities"])(func)
        names.append(name)

    yield register
    for name in names:
        process.STEPS.pop(name, None)


def test_other_formats_are_checked_through_their_steps(project, temporary_step, capsys):
    """A CSV without a format reader is validated by running the step that reads it."""
    import pandas as pd

    tmp, raw = project
    (raw / "other" / "x.csv").parent.mkdir(parents=True)
    # The installed file: the same publication (same columns), so only the values decide.
    (raw / "other" / "x.csv").write_bytes(b"name,lat,lon,population,geo\nWien,48.2,16.4,2000000,AT\n")
    before = _snapshot(raw)

    def cities(sources):
        frame = pd.read_csv(sources["other_source"])
        return {"eurocities": frame.assign(geo=frame["geo"].astype("str"), name=frame["name"].astype("str"))}

    temporary_step("tmp_cities", cities, ["other_source"])
    bad = tmp / "cities.csv"
    bad.write_text("name,lat,lon,population,geo\nWien,48.2,16.4,2000000,AT\nAtlantis,120.0,0.0,5,AT\n")
    with pytest.raises(DataError) as exc:
        add_data("other_source", bad)
    message = str(exc.value)
    assert "cities.csv (as processed into table eurocities), row 2, column 'lat'" in message
    assert "120.0" in message and "outside 20-75" in message
    assert _snapshot(raw) == before

    broken = tmp / "broken.csv"
    broken.write_text("name,lat,lon,population,GEO\nWien,48.2,16.4,2000000,AT\n")
    with pytest.raises(DataError, match=r"broken\.csv: processing step 'tmp_cities' fails on it: KeyError"):
        add_data("other_source", broken)
    assert _snapshot(raw) == before

    good = tmp / "good_cities.csv"
    good.write_text("name,lat,lon,population,geo\nWien,48.2,16.4,2000000,AT\n")
    add_data("other_source", good)
    assert (raw / "other" / "x.csv").read_bytes() == good.read_bytes()
    assert "tables eurocities checked" in capsys.readouterr().out


# --------------------------------------------------------------------------- refresh (a local server)

@pytest.fixture
def server(tmp_path, monkeypatch):
    """A local HTTP server over tmp_path/www, so refresh is tested offline.

    Plain http is refused outside tests (see test_download_caps_and_schemes); this local
    server is allowed it so the rest of refresh is tested without certificates.
    """
    import functools
    import http.server
    import threading

    from inclusion_evidence.ingest import fetch

    monkeypatch.setattr(fetch, "ALLOWED_SCHEMES", ("https", "http"))
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _point_source_at(raw, sid, url):
    doc = yaml.safe_load((raw / "sources.yml").read_text())
    for entry in doc["sources"]:
        if entry["id"] == sid:
            entry["url"] = url
    (raw / "sources.yml").write_text(yaml.safe_dump(doc, sort_keys=False))


def test_refresh_downloads_validates_and_installs(project, server, capsys):
    from inclusion_evidence.orchestration.update import refresh

    tmp, raw = project
    www, base = server
    (www / "hlth_silc_30.csv").write_text(sdmx(), encoding="utf-8")
    _point_source_at(raw, SID, f"{base}/hlth_silc_30.csv")
    refresh([SID])
    assert (raw / "eurostat" / "hlth_silc_30.csv").read_bytes() == (www / "hlth_silc_30.csv").read_bytes()
    entry = load_catalogue()[SID]
    assert entry.status == "available" and entry.retrieved == dt.date.today().isoformat()
    assert entry.sha256 == hashlib.sha256((www / "hlth_silc_30.csv").read_bytes()).hexdigest()
    assert "Demo chapter" in capsys.readouterr().out


@pytest.mark.parametrize("path, words", [
    ("missing.csv", ["HTTP 404"]),
    ("error_page.csv", ["is an HTML page"]),
])
def test_refresh_failure_changes_nothing(project, server, path, words):
    from inclusion_evidence.orchestration.update import refresh

    tmp, raw = project
    www, base = server
    (www / "error_page.csv").write_text("<html><body>Service unavailable</body></html>")
    _point_source_at(raw, SID, f"{base}/{path}")
    before = _snapshot(raw)
    with pytest.raises(DataError) as exc:
        refresh([SID])
    message = str(exc.value)
    assert f"{base}/{path}" in message, message
    for word in words:
        assert word in message, message
    assert _snapshot(raw) == before


def test_refresh_offline_names_the_url(project):
    from inclusion_evidence.orchestration.update import refresh

    tmp, raw = project
    _point_source_at(raw, SID, "https://127.0.0.1:9/hlth_silc_30.csv")     # nothing listens on port 9
    before = _snapshot(raw)
    with pytest.raises(DataError) as exc:
        refresh([SID], timeout=5)
    message = str(exc.value)
    assert "https://127.0.0.1:9/hlth_silc_30.csv" in message and "download failed" in message
    assert "offline" in message
    assert _snapshot(raw) == before


KILLED = """
import os, sys
from pathlib import Path
from inclusion_evidence.core import paths
raw, processed, params, new, killed_at = sys.argv[1:]
paths.RAW, paths.CATALOGUE = Path(raw), Path(raw) / "sources.yml"
paths.PROCESSED, paths.PARAMS = Path(processed), Path(params)
real, count = os.replace, []
def replace(src, dst):
    if "journal" not in str(dst):
        count.append(dst)
        if len(count) == int(killed_at):
            os._exit(9)                                  # killed: no clean-up of any kind runs
    return real(src, dst)
os.replace = replace
unlink = Path.unlink
def unlink_or_die(self, missing_ok=False):
    if self.name.endswith(".previous") and killed_at == "5":
        os._exit(9)                                      # killed after the last rename
    return unlink(self, missing_ok=missing_ok)
Path.unlink = unlink_or_die
from inclusion_evidence.orchestration.update import add_data
add_data("eurostat_hlth_silc_30", new)
"""


@pytest.mark.parametrize("killed_at", [1, 2, 3, 4, 5])
def test_a_kill_during_the_renames_is_undone_or_finished_on_the_next_start(project, killed_at):
    """The process dies at the n-th rename of an install (raw file aside, in, catalogue aside, in),
    or (5) after them; the next start leaves old file + old catalogue, or new file + new catalogue: never a mix."""
    import subprocess
    import sys

    from inclusion_evidence.orchestration import update

    raw, newer = _installed_then_newer(project)
    before = _snapshot(raw)
    done = subprocess.run([sys.executable, "-c", KILLED, str(raw), str(paths.PROCESSED), str(paths.PARAMS),
                           str(newer), str(killed_at)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert (raw / update.JOURNAL).exists()
    logs = []
    update.recover_install(log=logs.append)
    after = _snapshot(raw)
    new_file = newer.read_bytes()
    installed = after["eurostat/hlth_silc_30.csv"]
    catalogue = load_catalogue(raw / "sources.yml")[SID]
    assert (installed == new_file) == (catalogue.sha256 == hashlib.sha256(new_file).hexdigest())
    assert (installed == new_file) == (killed_at == 5)     # kept only when the catalogue was renamed in
    if installed != new_file:
        assert after == before
    assert logs == [f"  {'finished' if killed_at == 5 else 'undid'} an add-data/refresh install that was "
                    "interrupted"]
    assert not [p for p in raw.rglob("*") if p.name.endswith((".tmp", ".previous", ".json"))]
