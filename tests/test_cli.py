"""The command line exits non-zero with a message naming the problem; --help lists every command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

COMMANDS = ["fetch", "process", "run", "html", "pdf", "status", "add-data", "refresh"]


@pytest.fixture
def root(project):
    """The conftest project (INCLUSION_ROOT) with a one-source catalogue, so the commands touch nothing real."""
    (project / "data" / "raw" / "sources.yml").write_text(yaml.safe_dump({"sources": [
        {"id": "s", "publisher": "P", "dataset": "d", "title": "T", "format": "sdmx-csv-1.0",
         "url": "https://example.invalid/s", "licence": "CC BY 4.0", "path": "s.csv", "status": "declared"}]}))
    (project / "book" / "params.yml").write_text(yaml.safe_dump({"epoch": 1, "notebooks": {"demo": {}}}))
    return project


def cli(*args, root=None):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("INCLUSION_MIRROR", None)
    if root is not None:
        env["INCLUSION_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "inclusion_evidence", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_help_lists_subcommands():
    res = cli("--help")
    assert res.returncode == 0, res.stderr
    for command in COMMANDS:
        assert command in res.stdout, command


def test_no_command_is_an_error():
    res = cli()
    assert res.returncode != 0
    assert "required" in res.stderr or "command" in res.stderr


def test_fetch_with_missing_mirror(root):
    res = cli("fetch", "--mirror", "/nonexistent", root=root)
    assert res.returncode != 0
    assert "error:" in res.stderr and "/nonexistent" in res.stderr and "mirror folder not found" in res.stderr
    assert "Traceback" not in res.stderr


def test_fetch_with_missing_mirror_real_catalogue():
    res = cli("fetch", "--mirror", "/nonexistent")
    assert res.returncode != 0
    assert "/nonexistent" in res.stderr and "mirror folder not found" in res.stderr


def test_run_unknown_notebook(root):
    res = cli("run", "no_such_notebook", root=root)
    assert res.returncode != 0
    assert "no_such_notebook" in res.stderr and "params.yml" in res.stderr
    assert "Traceback" not in res.stderr
    assert not list((root / "book").glob(".staging-*"))


def test_run_unknown_notebook_real_params():
    res = cli("run", "no_such_notebook")
    assert res.returncode != 0
    assert "no_such_notebook" in res.stderr


def test_add_data_missing_file(root):
    before = (root / "data" / "raw" / "sources.yml").read_bytes()
    res = cli("add-data", "s", str(root / "nothing.csv"), root=root)
    assert res.returncode != 0
    assert "nothing.csv" in res.stderr and "file not found" in res.stderr
    assert (root / "data" / "raw" / "sources.yml").read_bytes() == before


def test_fetch_offline_declared_only_succeeds(root):
    res = cli("fetch", "--offline", "-v", root=root)
    assert res.returncode == 0, res.stderr
    assert "1 declared" in res.stdout and "add-data s" in res.stdout


def test_refresh_unknown_source(root):
    before = (root / "data" / "raw" / "sources.yml").read_bytes()
    res = cli("refresh", "no_such_source", root=root)
    assert res.returncode != 0
    assert "sources.yml" in res.stderr and "unknown source id(s): no_such_source" in res.stderr
    assert "Traceback" not in res.stderr
    assert (root / "data" / "raw" / "sources.yml").read_bytes() == before
