"""Issue 13: concurrency, leftovers, orphans, catalogue paths, downloads, Makefile quoting, disk faults.

Several tests start real processes (two commands at once, a parent killed with its
workers running, `make` with hostile variables): each is bounded in time.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError

REPO = Path(__file__).resolve().parents[1]


def _env(root: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCLUSION_")}
    return {**env, "INCLUSION_ROOT": str(root), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def _empty_project(root: Path) -> Path:
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "sources.yml").write_text("sources: []\n")
    (root / "book").mkdir()
    return root


HOLDER = textwrap.dedent("""
    import sys, time
    from inclusion_evidence.core.lock import project_lock
    with project_lock("add-data (test holder)"):
        print("held", flush=True)
        time.sleep(float(sys.argv[1]))
""")


def _hold(root: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(seconds)], env=_env(root),
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


# --------------------------------------------------------------------------- 6. one command at a time

def test_a_second_command_waits_for_the_lock_then_runs(tmp_path):
    root = _empty_project(tmp_path / "p")
    holder = _hold(root, 2.0)
    t0 = time.monotonic()
    second = subprocess.run([sys.executable, "-m", "inclusion_evidence", "fetch", "--offline"], env=_env(root),
                            capture_output=True, text=True, timeout=60)
    waited = time.monotonic() - t0
    holder.wait(timeout=30)
    assert second.returncode == 0, second.stderr
    assert "waiting: `add-data (test holder)`" in second.stdout and f"(process {holder.pid})" in second.stdout
    assert waited > 1.0                                   # it did wait for the holder


def test_a_second_command_stops_clearly_after_the_timeout(tmp_path):
    root = _empty_project(tmp_path / "p")
    holder = _hold(root, 5.0)
    second = subprocess.run([sys.executable, "-m", "inclusion_evidence", "process"],
                            env=_env(root, INCLUSION_LOCK_TIMEOUT="0.5"), capture_output=True, text=True, timeout=60)
    holder.kill()
    holder.wait()
    assert second.returncode == 1
    assert "still holds the project lock after 0 s; run `process` again when it has finished" in second.stderr
    assert "Traceback" not in second.stderr


def test_status_does_not_wait_for_the_lock(tmp_path):
    """Read-only commands never block: `status` answers while another command runs."""
    from inclusion_evidence import cli

    assert "status" not in cli.LOCKED
    assert {"fetch", "add-data", "refresh", "process", "run", "html", "pdf"} == cli.LOCKED


def test_the_lock_dies_with_its_holder(tmp_path):
    root = _empty_project(tmp_path / "p")
    holder = _hold(root, 30.0)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    second = subprocess.run([sys.executable, "-m", "inclusion_evidence", "fetch", "--offline"],
                            env=_env(root, INCLUSION_LOCK_TIMEOUT="2"), capture_output=True, text=True, timeout=60)
    assert second.returncode == 0 and "waiting" not in second.stdout


# --------------------------------------------------------------------------- 9. orphans and leftovers

ORPHANS = textwrap.dedent("""
    import os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from inclusion_evidence.orchestration.pipeline import die_with_parent
    pool = ProcessPoolExecutor(max_workers=2, initializer=die_with_parent)
    pids = {pool.submit(os.getpid).result() for _ in range(4)}
    print(" ".join(map(str, pids)), flush=True)
    time.sleep(60)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_pool_workers_die_with_their_parent():
    parent = subprocess.Popen([sys.executable, "-c", ORPHANS], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers and all(_alive(p) for p in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for pid in left:                                       # never leave them behind, even on failure
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their parent"


def test_leftovers_of_a_killed_run_are_cleaned_on_the_next_start(tmp_path, monkeypatch, capsys):
    from inclusion_evidence import cli

    root = _empty_project(tmp_path / "p")
    for name, sub in (("RAW", "data/raw"), ("PROCESSED", "data/processed"), ("BOOK", "book"),
                      ("EDITION", "book/chapters")):
        monkeypatch.setattr(paths, name, root / sub)
    monkeypatch.setattr(paths, "CATALOGUE", root / "data/raw/sources.yml")
    (root / "book/.staging-abc123/figures/demo").mkdir(parents=True)
    (root / "book/.staging-abc123/demo.ipynb").write_text("{}")
    (root / "data/processed").mkdir()
    (root / "data/processed/.regional.x1y2.parquet").write_bytes(b"PAR1 half")
    (root / "data/processed/kept.parquet").write_bytes(b"PAR1")
    assert cli.main(["fetch", "--offline"]) == 0
    out = capsys.readouterr().out
    assert not (root / "book/.staging-abc123").exists()
    assert sorted(p.name for p in (root / "data/processed").iterdir()) == ["kept.parquet"]
    assert "removed 1 staging folder(s)" in out and "removed 1 temporary table file(s)" in out


# --------------------------------------------------------------------------- 7. fetch keeps a differing local file

@pytest.fixture
def one_source(tmp_path, monkeypatch):
    root = tmp_path / "p"
    monkeypatch.setattr(paths, "RAW", root / "raw")
    monkeypatch.setattr(paths, "CATALOGUE", root / "raw" / "sources.yml")
    locked = b"geo,value\nAT,1.5\n"
    (root / "raw" / "t").mkdir(parents=True)
    (root / "mirror" / "t").mkdir(parents=True)
    (root / "mirror" / "t" / "x.csv").write_bytes(locked)
    entry = {"id": "x", "publisher": "T", "dataset": "x", "title": "x", "format": "csv",
             "url": "https://example.invalid/x.csv", "licence": "CC BY 4.0", "path": "t/x.csv",
             "status": "available", "sha256": hashlib.sha256(locked).hexdigest(), "bytes": len(locked)}
    paths.CATALOGUE.write_text(yaml.safe_dump({"sources": [entry]}, sort_keys=False))
    return root, locked


def test_fetch_keeps_a_differing_local_file_aside_and_says_so(one_source, capsys):
    from inclusion_evidence import cli

    root, locked = one_source
    mine = b"geo,value\nAT,9.9\n"                           # the user's own data, not in the catalogue
    (root / "raw/t/x.csv").write_bytes(mine)
    assert cli.main(["fetch", "--offline", "--mirror", str(root / "mirror")]) == 0
    out = capsys.readouterr().out
    kept = root / "raw/t" / f"x.csv.local-{hashlib.sha256(mine).hexdigest()[:12]}"
    assert (root / "raw/t/x.csv").read_bytes() == locked
    assert kept.read_bytes() == mine
    assert f"it was kept as {kept}" in out and "1 copied" in out


# --------------------------------------------------------------------------- 3. downloads

def test_downloads_are_https_only_and_capped(monkeypatch):
    from inclusion_evidence.ingest import fetch

    for url, scheme in (("http://example.invalid/x", "http"), ("file:///etc/passwd", "file"),
                        ("ftp://example.invalid/x", "ftp")):
        with pytest.raises(DataError) as exc:
            fetch.read_url(url)
        assert f"only https:// addresses are downloaded, not {scheme}" in str(exc.value) and url in str(exc.value)
    # A redirect from https to plain http is refused too.
    handler = fetch._SafeRedirects()
    with pytest.raises(DataError, match="not http"):
        handler.redirect_request(None, None, 302, "Found", {}, "http://example.invalid/y")

    class Response:                                          # 3 MB served in 1 MB chunks
        headers = {"Content-Length": ""}

        def __init__(self):
            self.left = 3

        def read(self, n):
            self.left -= 1
            return b"x" * (1 << 20) if self.left >= 0 else b""

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    class Opener:
        def open(self, request, timeout):
            return Response()

    monkeypatch.setattr(fetch.urllib.request, "build_opener", lambda *a: Opener())
    monkeypatch.setenv("INCLUSION_MAX_DOWNLOAD_MB", "2")
    with pytest.raises(DataError) as exc:
        fetch.read_url("https://example.invalid/big.csv")
    assert "download larger than 2 MB" in str(exc.value) and "INCLUSION_MAX_DOWNLOAD_MB" in str(exc.value)
    monkeypatch.setenv("INCLUSION_MAX_DOWNLOAD_MB", "4")
    assert len(fetch.read_url("https://example.invalid/big.csv")) == 3 << 20


def test_xlsx_decompression_bomb_is_refused_before_opening(tmp_path, monkeypatch):
    from inclusion_evidence.ingest.readers import _common

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 50_000_000 + b"/>")
    assert bomb.stat().st_size < 200_000
    opened = []
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_path", lambda *a: opened.append(a))
    with pytest.raises(DataError) as exc:
        _common.load_xlsx_sheets(bomb)
    assert str(bomb) in str(exc.value) and "possible decompression bomb" in str(exc.value)
    assert not opened                                       # refused before the workbook was opened


def test_real_workbooks_pass_the_bomb_guard():
    for path in sorted((paths.ROOT / "data" / "raw").rglob("*.xlsx")):
        from inclusion_evidence.ingest.readers._common import check_zip

        check_zip(path)


# --------------------------------------------------------------------------- 2. catalogue paths

@pytest.mark.parametrize("bad", ["/tmp/x.csv", "../x.csv", "eurostat/../../x.csv", "~/x.csv"])
def test_catalogue_paths_outside_data_raw_are_refused(one_source, bad):
    from inclusion_evidence.ingest.catalogue import load_catalogue

    doc = yaml.safe_load(paths.CATALOGUE.read_text())
    doc["sources"][0]["path"] = bad
    paths.CATALOGUE.write_text(yaml.safe_dump(doc))
    with pytest.raises(DataError) as exc:
        load_catalogue()
    assert "entry 'x'" in str(exc.value) and "stay inside data/raw/" in str(exc.value)


# --------------------------------------------------------------------------- 4. Makefile quoting

def test_makefile_passes_variables_as_words_never_as_shell_code(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()
    os.utime(venv / ".installed", (time.time() + 3600,) * 2)   # newer than the lock: `env` has nothing to do
    echo = "printf '<%s>\\n'"

    def make(*args):
        done = subprocess.run(["make", "-s", "-C", str(REPO), *args, f"VENV={venv}", f"PY={echo}"],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout.split("\n")

    marker = tmp_path / "injected"
    assert make("add-data", "SOURCE=s", f"FILE=x; touch {marker}")[3:5] == ["<s>", f"<x; touch {marker}>"]
    assert not marker.exists()
    assert make("add-data", "SOURCE=s", "FILE=lfst r (1).csv")[3:5] == ["<s>", "<lfst r (1).csv>"]
    # ($$ is make's own escape of $: the shell receives "$(touch ...)" as plain text.)
    assert make("add-data", "SOURCE=s", f"FILE=it's $$(touch {marker}).csv")[4] == f"<it's $(touch {marker}).csv>"
    assert not marker.exists()
    assert make("refresh", "SOURCE=a b")[3:5] == ["<a>", "<b>"]
    assert make("run", "NOTEBOOKS=intro `touch x`")[5:7] == ["<intro>", "<`touch>"]
    assert make("fetch", f"MIRROR={tmp_path}/my mirror")[3:5] == ["<--mirror>", f"<{tmp_path}/my mirror>"]


# --------------------------------------------------------------------------- 11. the real mix-ups, on the real files

@pytest.mark.parametrize("sid, wrong", [
    ("mipex_core_2007_2019", "mipex_eu_2020_2024"),
    ("fra_lgbti2019_t1q1", "fra_lgbti2019_t1q2"),
    ("ilga_rainbow_asylum", "ilga_rainbow_family"),
])
def test_the_real_wrong_files_are_told_apart_by_content(sid, wrong):
    from inclusion_evidence.ingest.catalogue import load_catalogue
    from inclusion_evidence.ingest.identity import check_identity

    catalogue = load_catalogue(paths.ROOT / "data" / "raw" / "sources.yml")
    src, other = catalogue[sid], catalogue[wrong]
    if not (src.local_path.exists() and other.local_path.exists()):
        pytest.skip("raw files not fetched")
    check_identity(src, src.local_path, src.local_path, "same file")          # the right file passes
    with pytest.raises(DataError) as exc:
        check_identity(src, other.local_path, src.local_path, str(other.local_path))
    assert f"the right file for source '{sid}'" in str(exc.value)


# --------------------------------------------------------------------------- 10. any command: one line for a disk error

def test_a_disk_error_in_any_command_is_one_line(tmp_path, monkeypatch, capsys):
    from inclusion_evidence import cli
    from inclusion_evidence.ingest import fetch

    _empty_project(tmp_path / "p")
    monkeypatch.setattr(paths, "RAW", tmp_path / "p" / "data" / "raw")
    monkeypatch.setattr(paths, "BOOK", tmp_path / "p" / "book")

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(tmp_path / "p" / "data" / "raw" / "x.csv"))

    monkeypatch.setattr(fetch, "fetch_all", read_only)
    assert cli.main(["fetch", "--offline"]) == 1
    err = capsys.readouterr().err
    assert err == f"error: the disk is read-only ({tmp_path / 'p' / 'data' / 'raw' / 'x.csv'})\n"


# --------------------------------------------------------------------------- 6. the case: two add-data at once

SDMX_HEADER = "DATAFLOW,LAST UPDATE,freq,unit,c_birth,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def _sdmx(value: str) -> bytes:
    rows = [f"ESTAT:LFST_R_LFUR2GAC(1.0),20/03/25 23:00:00,A,PC,TOTAL,T,Y15-64,{geo},2021,{value},"
            for geo in ("AT11", "AT12")]
    return ("\n".join([SDMX_HEADER, *rows]) + "\n").encode()


def test_two_add_data_at_once_both_land_in_the_catalogue(tmp_path):
    root = _empty_project(tmp_path / "p")
    (root / "book" / "params.yml").write_text("epoch: 1\nnotebooks: {}\n")
    entries = []
    for sid, value in (("lfur_a", "5.0"), ("lfur_b", "6.0")):
        old = _sdmx(value)
        (root / "data/raw/eurostat").mkdir(exist_ok=True)
        (root / f"data/raw/eurostat/{sid}.csv").write_bytes(old)
        entries.append({"id": sid, "publisher": "Eurostat", "dataset": "lfst_r_lfur2gac", "title": sid,
                        "format": "sdmx-csv-1.0", "url": f"https://example.invalid/{sid}", "licence": "CC BY 4.0",
                        "path": f"eurostat/{sid}.csv", "status": "available",
                        "sha256": hashlib.sha256(old).hexdigest(), "bytes": len(old), "retrieved": "2025-01-01"})
    (root / "data/raw/sources.yml").write_text("# test catalogue\n" + yaml.safe_dump({"sources": entries},
                                                                                     sort_keys=False))
    new = {sid: _sdmx(value) for sid, value in (("lfur_a", "7.5"), ("lfur_b", "8.5"))}
    runs = []
    for sid, data in new.items():
        (tmp_path / f"{sid}.csv").write_bytes(data)
        runs.append(subprocess.Popen([sys.executable, "-m", "inclusion_evidence", "add-data", sid,
                                      str(tmp_path / f"{sid}.csv")], env=_env(root),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    catalogue = yaml.safe_load((root / "data/raw/sources.yml").read_text())
    assert {e["id"]: e["sha256"] for e in catalogue["sources"]} == {
        sid: hashlib.sha256(data).hexdigest() for sid, data in new.items()}
    for sid, data in new.items():
        assert (root / f"data/raw/eurostat/{sid}.csv").read_bytes() == data
