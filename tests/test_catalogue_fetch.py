"""The catalogue (data/raw/sources.yml) and fetching raw files from a mirror, verified by sha256."""

from __future__ import annotations

import hashlib
import os

import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest import fetch
from inclusion_evidence.ingest.catalogue import Source, load_catalogue, save_catalogue, sha256_of

REAL_CATALOGUE = paths.CATALOGUE

FILE_A = b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nESTAT:A(1.0),x,A,AT,2020,1.5,\n"
FILE_B = b'{"type": "FeatureCollection", "features": []}\n'


def _entry(sid, path, status="available", data=None, **extra):
    entry = {"id": sid, "publisher": "Eurostat", "dataset": sid, "title": f"Title of {sid}",
             "format": "sdmx-csv-1.0", "url": f"https://example.invalid/{sid}", "licence": "CC BY 4.0",
             "path": path, "status": status}
    if data is not None:
        entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), retrieved="2025-01-01")
    entry.update(extra)
    return entry


def _write_catalogue(path, entries, header="# test catalogue\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")


@pytest.fixture
def project(project, tmp_path, monkeypatch):
    """The conftest project with a catalogue of 2 available + 1 declared source, and a mirror holding the 2."""
    root = project
    raw = paths.RAW
    monkeypatch.delenv(fetch.MIRROR_ENV, raising=False)
    _write_catalogue(raw / "sources.yml", [
        _entry("src_a", "eurostat/a.csv", data=FILE_A),
        _entry("src_b", "gisco/b.geojson", data=FILE_B, format="geojson"),
        _entry("src_declared", "eurostat/declared.csv", status="declared"),
    ])
    mirror = tmp_path / "mirror"
    (mirror / "eurostat").mkdir(parents=True)
    (mirror / "gisco").mkdir(parents=True)
    (mirror / "eurostat" / "a.csv").write_bytes(FILE_A)
    (mirror / "gisco" / "b.geojson").write_bytes(FILE_B)
    return root, raw, mirror


# --------------------------------------------------------------------------- fetching

def test_mirror_copy_verifies_and_installs(project):
    root, raw, mirror = project
    results = fetch.fetch_all(mirror=mirror, online=False)
    outcomes = {r.source: r.outcome for r in results}
    assert outcomes == {"src_a": "copied", "src_b": "copied", "src_declared": "declared"}
    assert (raw / "eurostat" / "a.csv").read_bytes() == FILE_A
    assert (raw / "gisco" / "b.geojson").read_bytes() == FILE_B
    # No temporary files left beside the installed ones.
    assert sorted(p.name for p in (raw / "eurostat").iterdir()) == ["a.csv"]


def test_fetched_files_get_ordinary_permissions(project):
    """Atomic writes go through a private temporary file; the result must not stay private (0600)."""
    root, raw, mirror = project
    fetch.fetch_all(mirror=mirror, online=False)
    mask = os.umask(0)
    os.umask(mask)
    assert (raw / "eurostat" / "a.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_mirror_from_environment_variable(project, monkeypatch):
    root, raw, mirror = project
    monkeypatch.setenv(fetch.MIRROR_ENV, str(mirror))
    results = fetch.fetch_all(online=False)
    assert {r.source: r.outcome for r in results}["src_a"] == "copied"


def test_present_file_is_not_copied_again(project):
    root, raw, mirror = project
    fetch.fetch_all(mirror=mirror, online=False)
    target = raw / "eurostat" / "a.csv"
    before = os.stat(target)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))   # detectably old
    stamped = os.stat(target)
    results = fetch.fetch_all(mirror=mirror, online=False)
    assert {r.source: r.outcome for r in results}["src_a"] == "present"
    after = os.stat(target)
    assert (after.st_ino, after.st_mtime_ns) == (stamped.st_ino, stamped.st_mtime_ns)


def test_checksum_mismatch_in_mirror_keeps_local_file(project):
    root, raw, mirror = project
    # The local file holds the previous release; the catalogue locks a new one;
    # the mirror's copy of the new one is corrupt.
    old = FILE_A.replace(b"1.5", b"1.4")
    local = raw / "eurostat" / "a.csv"
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(old)
    bad = FILE_A.replace(b"1.5", b"9.9")
    (mirror / "eurostat" / "a.csv").write_bytes(bad)
    expected, got = hashlib.sha256(FILE_A).hexdigest(), hashlib.sha256(bad).hexdigest()
    with pytest.raises(fetch.ChecksumError) as exc:
        fetch.fetch_all(["src_a"], mirror=mirror, online=False)
    message = str(exc.value)
    assert "a.csv" in message and str(mirror) in message
    assert expected in message and got in message
    assert "src_a" in message
    assert local.read_bytes() == old
    assert sorted(p.name for p in local.parent.iterdir()) == ["a.csv"]


def test_checksum_mismatch_never_creates_the_file(project):
    root, raw, mirror = project
    (mirror / "gisco" / "b.geojson").write_bytes(FILE_B + b" ")
    with pytest.raises(DataError, match="checksum mismatch"):
        fetch.fetch_all(["src_b"], mirror=mirror, online=False)
    assert not (raw / "gisco" / "b.geojson").exists()


def test_offline_without_mirror_lists_missing_sources(project):
    with pytest.raises(DataError) as exc:
        fetch.fetch_all(online=False)
    message = str(exc.value)
    assert "2 source(s) could not be fetched" in message
    assert "src_a" in message and "src_b" in message
    assert "src_declared" not in message
    assert "https://example.invalid/src_a" in message          # where to get it
    assert "--mirror" in message and fetch.MIRROR_ENV in message


def test_explicit_mirror_must_exist(project, tmp_path):
    with pytest.raises(DataError) as exc:
        fetch.fetch_all(mirror=tmp_path / "no_such_mirror", online=False)
    assert "no_such_mirror" in str(exc.value) and "not found" in str(exc.value)


def test_explicit_mirror_is_not_replaced_by_the_default_one(project, tmp_path):
    root, raw, mirror = project
    mirror.rename(tmp_path / "shared")                       # ../shared/data beside the project root
    (tmp_path / "shared").rename(tmp_path / "data_tmp")
    (tmp_path / "shared").mkdir()
    (tmp_path / "data_tmp").rename(tmp_path / "shared" / "data")
    assert fetch.find_mirror() == tmp_path / "shared" / "data"
    with pytest.raises(DataError, match="mirror folder not found"):
        fetch.fetch_all(mirror=tmp_path / "typo_mirror", online=False)
    assert not (raw / "eurostat" / "a.csv").exists()
    # Without an explicit mirror the default one is used.
    assert {r.outcome for r in fetch.fetch_all(online=False)} == {"copied", "declared"}


def test_unknown_source_id(project):
    root, raw, mirror = project
    with pytest.raises(DataError) as exc:
        fetch.fetch_all(["src_a", "nope"], mirror=mirror, online=False)
    assert "nope" in str(exc.value) and "sources.yml" in str(exc.value)


def test_declared_source_gives_add_data_hint(project):
    root, raw, mirror = project
    src = load_catalogue()["src_declared"]
    result = fetch.fetch_source(src, mirror, online=False)
    assert result.outcome == "declared"
    assert "add-data src_declared" in result.detail and src.url in result.detail
    # Once the user has supplied the file, it counts as present.
    src.local_path.parent.mkdir(parents=True, exist_ok=True)
    src.local_path.write_bytes(b"anything")
    assert fetch.fetch_source(src, mirror, online=False).outcome == "present"


def test_fetch_only_selected_ids(project):
    root, raw, mirror = project
    results = fetch.fetch_all(["src_b"], mirror=mirror, online=False)
    assert [(r.source, r.outcome) for r in results] == [("src_b", "copied")]
    assert not (raw / "eurostat" / "a.csv").exists()


# --------------------------------------------------------------------------- catalogue validation

def _bad_catalogue(project, entries):
    root, raw, mirror = project
    _write_catalogue(raw / "sources.yml", entries)
    with pytest.raises(DataError) as exc:
        load_catalogue()
    assert "sources.yml" in str(exc.value)
    return str(exc.value)


def test_duplicate_id(project):
    message = _bad_catalogue(project, [_entry("x", "a.csv", data=b"1"), _entry("x", "b.csv", data=b"2")])
    assert "duplicate source id 'x'" in message


def test_missing_field(project):
    entry = _entry("x", "a.csv", data=b"1")
    del entry["url"]
    message = _bad_catalogue(project, [_entry("ok", "ok.csv", data=b"0"), entry])
    assert "entry 2" in message and "url" in message


def test_available_without_sha256(project):
    entry = _entry("x", "a.csv", data=b"1")
    del entry["sha256"]
    message = _bad_catalogue(project, [entry])
    assert "'x'" in message and "sha256" in message


def test_unknown_status(project):
    message = _bad_catalogue(project, [_entry("x", "a.csv", status="maybe")])
    assert "status" in message and "'x'" in message


def test_not_a_sources_list(project):
    root, raw, mirror = project
    (raw / "sources.yml").write_text("- just a list\n")
    with pytest.raises(DataError, match="sources"):
        load_catalogue()


def test_invalid_yaml_and_missing_catalogue(project):
    root, raw, mirror = project
    (raw / "sources.yml").write_text("sources: [unclosed\n")
    with pytest.raises(DataError, match="not valid YAML"):
        load_catalogue()
    (raw / "sources.yml").unlink()
    with pytest.raises(DataError, match="catalogue not found"):
        load_catalogue()


def test_save_round_trip_keeps_header_and_extra_keys(project):
    root, raw, mirror = project
    cat_path = raw / "sources.yml"
    _write_catalogue(cat_path, [_entry("x", "a.csv", data=b"1", custom_key="kept")], header="# my header\n")
    cat = load_catalogue()
    assert cat["x"].extra == {"custom_key": "kept"}
    save_catalogue(cat)
    assert cat_path.read_text().startswith("# my header\n")
    again = load_catalogue()
    assert again["x"] == cat["x"]
    assert yaml.safe_load(cat_path.read_text())["sources"][0]["custom_key"] == "kept"


def test_sha256_of_matches_hashlib(tmp_path):
    p = tmp_path / "f.bin"
    data = os.urandom(3 * (1 << 20) + 17)           # spans several read chunks
    p.write_bytes(data)
    assert sha256_of(p) == hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- the real catalogue

def test_real_catalogue_is_complete():
    sources = load_catalogue(REAL_CATALOGUE)
    ids = [s["id"] for s in yaml.safe_load(REAL_CATALOGUE.read_text(encoding="utf-8"))["sources"]]
    assert len(ids) == len(set(ids)) == len(sources)
    assert sources, "empty catalogue"
    paths_used = [s.path for s in sources.values()]
    assert len(paths_used) == len(set(paths_used)), "two sources share a raw file path"
    for s in sources.values():
        assert isinstance(s, Source)
        assert s.url.startswith(("http://", "https://")), s.id
        if s.status == "available":
            assert s.sha256 and len(s.sha256) == 64 and int(s.sha256, 16) >= 0, s.id
            assert isinstance(s.bytes, int) and s.bytes > 0, s.id
            assert s.retrieved, s.id
        else:
            assert s.status == "declared", s.id


def test_real_local_files_match_their_lock():
    """Every available raw file present in this checkout has the locked size (sha256 for small ones)."""
    sources = load_catalogue(REAL_CATALOGUE)
    raw = REAL_CATALOGUE.parent
    present = [s for s in sources.values() if s.status == "available" and (raw / s.path).exists()]
    if not present:
        pytest.skip("data/raw holds no fetched files")
    for s in present:
        local = raw / s.path
        assert local.stat().st_size == s.bytes, s.id
        if s.bytes < 5_000_000:
            assert sha256_of(local) == s.sha256, s.id


# --------------------------------------------------------------------------- round-trip saving (issue 13, item 14)

def test_saving_the_catalogue_changes_only_the_changed_lines_and_keeps_comments(tmp_path):
    import difflib

    from inclusion_evidence.ingest.catalogue import load_catalogue, save_catalogue

    real = (paths.ROOT / "data" / "raw" / "sources.yml").read_text(encoding="utf-8")
    # A comment inside an entry, as a maintainer might write one.
    text = real.replace("  dataset: lfsa_ergan\n", "  dataset: lfsa_ergan  # the citizenship breakdown\n", 1)
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    catalogue = load_catalogue(path)
    save_catalogue(catalogue, path)
    assert path.read_text(encoding="utf-8") == text                     # nothing changed: nothing moves
    src = catalogue["eurostat_lfsa_ergan"]
    src.sha256, src.bytes, src.retrieved = "ab" * 32, 1234, "2026-12-01"
    save_catalogue(catalogue, path)
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(text.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-  sha256: c7a0d4f4e78c3cb8ef3ca3f2d36376764abb3c13ce25c305b339a380a11ac9bc",
                       "-  bytes: 1519604", "-  retrieved: '2026-11-23'",
                       f"+  sha256: {'ab' * 32}", "+  bytes: 1234", "+  retrieved: '2026-12-01'"]
    assert "# the citizenship breakdown" in after and after.startswith("# Catalogue and lock")
    assert load_catalogue(path)["eurostat_lfsa_ergan"].retrieved == "2026-12-01"   # a string, not a date


# --------------------------------------------------------------------------- the publisher's update date

def test_publisher_update_is_the_latest_date_in_the_file(project):
    from inclusion_evidence.ingest.catalogue import publisher_update

    root, raw, mirror = project
    (raw / "eurostat").mkdir(parents=True, exist_ok=True)
    (raw / "eurostat" / "a.csv").write_text(
        "DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:A(1.0),27/04/23 03:08:00,A,AT,2020,1.5,\nESTAT:A(1.0),02/05/23 11:00:00,A,BE,2020,2.5,\n",
        encoding="utf-8")
    assert str(publisher_update("src_a")) == "2023-05-02"
    (raw / "gisco").mkdir(parents=True, exist_ok=True)
    (raw / "gisco" / "b.geojson").write_bytes(FILE_B)
    assert publisher_update("src_b") is None  # the file does not say


def test_publisher_update_errors_name_the_file_and_problem(project):
    from inclusion_evidence.ingest.catalogue import publisher_update

    root, raw, mirror = project
    with pytest.raises(DataError, match="raw file of 'src_a' not found") as exc:
        publisher_update("src_a")
    assert "a.csv" in str(exc.value)
    (raw / "eurostat").mkdir(parents=True, exist_ok=True)
    (raw / "eurostat" / "a.csv").write_bytes(FILE_A)  # LAST UPDATE "x"
    with pytest.raises(DataError, match=r"row 2, column 'LAST UPDATE': LAST UPDATE 'x' is not a date"):
        publisher_update("src_a")
    with pytest.raises(DataError, match="unknown source id 'nope'"):
        publisher_update("nope")
