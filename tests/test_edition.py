"""The committed edition is what code + data give today.

nbval re-executes every executed notebook (on a copy, so the edition is not
touched) and compares the outputs of the cells tagged ``nbval-check-output``,
which print each chapter's key numbers. A second check asks the runner's cache
whether any notebook is stale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration.runner import cache_parts, load_params, stored_parts, why_stale

SANITIZE = """[memory addresses]
regex: 0x[0-9a-fA-F]+
replace: 0xADDRESS

[seconds]
regex: \\d+\\.\\d+ s\\b
replace: N s
"""


def skip_without_processed_data(specs) -> None:
    """Skip (not fail) before `make data`: without the tables there is no edition to compare with."""
    missing = sorted({t for s in specs.values() for t in s.inputs if not (paths.PROCESSED / f"{t}.parquet").exists()})
    if missing:
        pytest.skip(f"{len(missing)} processed table(s) not built ({', '.join(missing[:3])}, ...): run `make data`")


def test_edition_is_current():
    epoch, specs = load_params()
    skip_without_processed_data(specs)
    stale = {n: why_stale(stored_parts(s), cache_parts(s, epoch)) for n, s in specs.items()}
    stale = {n: r for n, r in stale.items() if r}
    assert not stale, f"executed edition is stale, run `make run` and commit book/chapters: {stale}"


@pytest.mark.slow
def test_nbval_key_numbers(tmp_path):
    skip_without_processed_data(load_params()[1])
    edition = tmp_path / "chapters"
    shutil.copytree(paths.EDITION, edition)
    (tmp_path / "sanitize.cfg").write_text(SANITIZE)
    notebooks = sorted(str(p) for p in edition.glob("*.ipynb"))
    assert notebooks, "no executed notebooks in book/chapters"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-sanitize-with", str(tmp_path / "sanitize.cfg"), "--nbval-cell-timeout", "300", *notebooks],
        cwd=edition, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


def test_edition_check_skips_without_processed_data(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path)
    with pytest.raises(pytest.skip.Exception, match="make data"):
        test_edition_is_current()
