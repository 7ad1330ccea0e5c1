"""add-data: a new raw file is validated before the catalogue or data/raw/ change at all."""

from __future__ import annotations

import hashlib
import datetime as dt

import pytest
import yaml

from inclusion_evidence import paths
from inclusion_evidence.catalogue import load_catalogue
from inclusion_evidence.errors import DataError
from inclusion_evidence.update import add_data, validate_file

SID = "eurostat_hlth_silc_30"          # a real declared source, so the real step maps it to a table
HEADER = "DATAFLOW,LAST UPDATE,freq,unit,sex,age,reason,citizen,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def sdmx(values=("3.1", "2.4")):
    lines = [HEADER]
    for year, value in zip((2021, 2022), values):
        lines.append(f"ESTAT:HLTH_SILC_30(1.0),01/01/25 23:00:00,A,PC,T,Y_GE16,TOOEXP,FOR,AT,{year},{value},")
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "CATALOGUE", raw / "sources.yml")
    monkeypatch.setattr(paths, "PARAMS", tmp_path / "params.yml")
    raw.mkdir()
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
    (tmp_path / "params.yml").write_text(yaml.safe_dump(
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
    assert "hlth_silc_30.csv" in message                  # the reader names the file it read
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


def test_validate_geojson(tmp_path):
    import json

    path = tmp_path / "nuts.geojson"
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}},
        "features": [{"type": "Feature", "geometry": square,
                      "properties": {"NUTS_ID": "AT", "LEVL_CODE": 0, "CNTR_CODE": "AT", "NAME_LATN": "A"}}]}))
    assert validate_file("geojson", path) == 1
