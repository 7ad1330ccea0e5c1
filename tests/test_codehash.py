"""Cache keys cover exactly the package code a notebook or a step runs."""

from __future__ import annotations

import nbformat
import pytest

from inclusion_evidence.core import codehash, paths
from inclusion_evidence.ingest.catalogue import load_catalogue
from inclusion_evidence.orchestration.process import STEPS, load_steps, step_key

P = codehash.PACKAGE


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """A small package laid out like the real one, under the real package's name."""
    root = tmp_path / P
    files = {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/paths.py": "ROOT = 1\n",
        "present/__init__.py": "",
        "present/figures.py": "from ..core import paths\n",
        "present/maps.py": "from .figures import x\n\ndef draw():\n    from ..ingest.readers import gisco  # lazy import\n",
        "orchestration/__init__.py": "",
        "orchestration/process.py": "from .. import steps\nfrom ..steps.registry import STEPS\n",
        "ingest/__init__.py": "",
        "ingest/readers/__init__.py": "",
        "ingest/readers/gisco.py": "import inclusion_evidence.core.paths\n",
        "ingest/readers/mipex.py": "from ...core.paths import ROOT\n",
        "analysis/__init__.py": "",
        "analysis/health.py": "from inclusion_evidence.present import figures, maps\nimport numpy\n",
        "analysis/regional.py": "from ..ingest.readers import mipex\n",
        "steps/__init__.py": "from . import base\n",
        "steps/registry.py": "STEPS = {}\n",
        "steps/base.py": "from .registry import step\nfrom ..ingest.readers.gisco import read\n",
        "present/book.mplstyle": "axes.grid: True\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    monkeypatch.setattr(codehash, "PACKAGE_DIR", root)
    codehash._direct_imports.cache_clear()
    yield root
    codehash._direct_imports.cache_clear()


def names(modules):
    return sorted(m.removeprefix(P + ".") for m in modules)


def test_closure_follows_relative_absolute_lazy_and_parent_imports(fake_package):
    assert names(codehash.closure({f"{P}.analysis.health"})) == sorted([
        "analysis", "analysis.health", "core", "core.paths", "ingest", "ingest.readers", "ingest.readers.gisco", P,
        "present", "present.figures", "present.maps"])


def test_orchestration_is_not_followed(fake_package):
    # A step depends on its reader, not on the registry, the process module that runs it or the other steps.
    assert names(codehash.closure({f"{P}.steps.base"})) == sorted([
        "core", "core.paths", "ingest", "ingest.readers", "ingest.readers.gisco", P, "steps.base"])
    assert names(codehash.closure({f"{P}.orchestration.process"})) == sorted([P, "orchestration.process"])


def test_editing_a_module_changes_only_the_keys_of_code_that_imports_it(fake_package):
    health = lambda: codehash.hashes(codehash.closure({f"{P}.analysis.health"}))  # noqa: E731
    regional = lambda: codehash.hashes(codehash.closure({f"{P}.analysis.regional"}))  # noqa: E731
    h0, r0 = health(), regional()
    (fake_package / "ingest" / "readers" / "mipex.py").write_text("from ...core.paths import ROOT\nSCALE = 100\n")
    assert health() == h0
    assert regional() != r0 and [k for k in regional() if regional()[k] != r0[k]] == ["ingest/readers/mipex.py"]
    (fake_package / "ingest" / "readers" / "gisco.py").write_text("import inclusion_evidence.core.paths\nCRS = 3035\n")
    assert health()["ingest/readers/gisco.py"] != h0["ingest/readers/gisco.py"]


def test_notebook_imports_skip_magics_and_other_packages(fake_package, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib inline\nimport pandas as pd\n"
                                          f"from {P}.analysis import health as H"),
                nbformat.v4.new_markdown_cell(f"import {P}.analysis.regional  # prose, not code"),
                nbformat.v4.new_code_cell("!ls\nx = 1")]
    path = tmp_path / "demo.ipynb"
    nbformat.write(nb, path)
    found = codehash.notebook_code_hashes(path)
    assert "analysis/health.py" in found and "ingest/readers/gisco.py" in found
    assert "analysis/regional.py" not in found and "ingest/readers/mipex.py" not in found
    assert found["present/book.mplstyle"]  # the style sheet shapes every figure


def test_real_chapters_depend_on_their_own_analysis_module_only():
    def modules(nb):
        return set(codehash.notebook_code_hashes(paths.CHAPTER_SOURCES / f"{nb}.ipynb"))
    health, regional = modules("action_1_healthcare"), modules("action_5_evidence_policymaking")
    assert "analysis/health.py" in health and "analysis/regional.py" not in health
    assert "analysis/regional.py" in regional and "analysis/health.py" not in regional
    assert not any(m.startswith("orchestration/") for m in health | regional)  # orchestration edits re-run nothing


def test_real_step_key_covers_the_reader_it_calls():
    load_steps()
    eurostat_step, mipex_step = STEPS["tps00170"], STEPS["mipex"]
    assert "ingest/readers/eurostat.py" in eurostat_step.code_hashes()
    assert "ingest/readers/mipex.py" not in eurostat_step.code_hashes()
    assert "ingest/readers/mipex.py" in mipex_step.code_hashes()
    assert step_key(eurostat_step, load_catalogue()) == step_key(eurostat_step, load_catalogue())
