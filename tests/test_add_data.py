"""add-data: a new raw file is validated before the catalogue or data/raw/ change at all."""

from __future__ import annotations

import datetime as dt
import hashlib

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


def test_failed_catalogue_save_puts_the_previous_file_back(project, monkeypatch):
    from inclusion_evidence.orchestration import update

    tmp, raw = project
    good = tmp / "good.csv"
    good.write_text(sdmx(), encoding="utf-8")
    add_data(SID, good)
    before = _snapshot(raw)
    newer = tmp / "newer.csv"
    newer.write_text(sdmx(values=("3.5", "2.6")), encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(update, "save_catalogue", disk_full)
    with pytest.raises(DataError) as exc:
        add_data(SID, newer)
    assert "sources.yml" in str(exc.value) and "No space left" in str(exc.value)
    assert "put back" in str(exc.value)
    assert _snapshot(raw) == before                       # the old file again, the old lock


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
    (raw / "other" / "x.csv").write_bytes(b"kept as is\n")
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
    broken.write_text("nom,latitude\nWien,48.2\n")
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
def server(tmp_path):
    """A local HTTP server over tmp_path/www, so refresh is tested offline."""
    import functools
    import http.server
    import threading

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
    _point_source_at(raw, SID, "http://127.0.0.1:9/hlth_silc_30.csv")     # nothing listens on port 9
    before = _snapshot(raw)
    with pytest.raises(DataError) as exc:
        refresh([SID], timeout=5)
    message = str(exc.value)
    assert "http://127.0.0.1:9/hlth_silc_30.csv" in message and "download failed" in message
    assert "offline" in message
    assert _snapshot(raw) == before
