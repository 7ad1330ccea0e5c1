"""Each chapter notebook has a paired text form, and the two say the same thing.

The text form is a jupytext *percent script* (``chapters/<name>.py``), not MyST
Markdown: a percent script is plain Python, so ruff, ``duplicates`` and any
diff read the notebook's code as code, with the prose in comments, while the
code cells of a MyST ``.md`` file would first have to be extracted. The
``.ipynb`` stays the source the runner executes (outputs are stripped, so the
pair differs only in form). Edit either and run ``jupytext --sync chapters/*.ipynb``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inclusion_evidence.core.paths import CHAPTER_SOURCES

jupytext = pytest.importorskip("jupytext")

NOTEBOOKS = sorted(CHAPTER_SOURCES.glob("*.ipynb"))


def _cells(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_notebook_has_a_text_form_and_no_text_form_is_orphaned():
    notebooks = {p.stem for p in NOTEBOOKS}
    scripts = {p.stem for p in CHAPTER_SOURCES.glob("*.py")}
    assert notebooks and notebooks == scripts, (f"without a text form: {sorted(notebooks - scripts)}; "
                                                f"without a notebook: {sorted(scripts - notebooks)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_and_text_form_are_in_sync(path):
    nb = jupytext.read(path)
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent", \
        f"{path.name}: not paired (run: jupytext --set-formats ipynb,py:percent {path})"
    text = jupytext.read(path.with_suffix(".py"))
    ours, theirs = _cells(nb), _cells(text)
    differing = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    assert len(ours) == len(theirs) and not differing, (
        f"{path.name} and {path.with_suffix('.py').name} differ ({len(ours)} and {len(theirs)} cells; "
        f"first differing cell: {differing[:1]}): run jupytext --sync {path}")


def test_sync_check_notices_an_edit():
    path = NOTEBOOKS[0]
    nb, text = jupytext.read(path), jupytext.read(path.with_suffix(".py"))
    code = next(c for c in text.cells if c.cell_type == "code")
    code.source += "\nx = 1"
    assert _cells(nb) != _cells(text)


RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.mark.skipif(RUFF is None, reason="ruff not installed")
def test_ruff_passes_over_the_text_forms():
    ruff = RUFF
    scripts = sorted(str(p) for p in CHAPTER_SOURCES.glob("*.py"))
    done = subprocess.run([ruff, "check", *scripts], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
