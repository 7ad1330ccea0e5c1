"""runner.execute_notebook, the pool's unit of work, on a real kernel: the kernel is stopped at once when the
last cell has replied (no graceful wait), and everything the notebook wrote and printed is kept."""

from __future__ import annotations

import os

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager

from inclusion_evidence.orchestration import runner


@pytest.fixture()
def keep_stderr():
    """execute_notebook sends this process's stderr to the kernel log (it runs in a pool worker): restore it."""
    saved = os.dup(2)
    yield
    os.dup2(saved, 2)
    os.close(saved)


def _notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("n = 2", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import os\nfrom pathlib import Path\n"
                                          "Path('written.txt').write_text(str(n * 21))\nprint('pid', os.getpid())")]
    nbformat.write(nb, path)


def test_kernel_stopped_immediately_and_outputs_kept(tmp_path, monkeypatch, keep_stderr):
    calls = []
    original = AsyncKernelManager.shutdown_kernel

    async def spy(self, now=False, restart=False):
        calls.append(now)
        return await original(self, now=now, restart=restart)

    monkeypatch.setattr(AsyncKernelManager, "shutdown_kernel", spy)
    source = tmp_path / "tiny.ipynb"
    _notebook(source)
    staging = tmp_path / "staging"
    staging.mkdir()
    result = runner.execute_notebook(("tiny", str(source), {"n": 3}, str(staging), {}))
    assert result["ok"], result
    assert calls == [True]                                  # nbclient's immediate shutdown, once
    assert (staging / "written.txt").read_text() == "63"    # the last cell's file, with the injected parameter
    out = nbformat.read(staging / "tiny.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in out["cells"] for o in c.get("outputs", []))
    pid = int(printed.split()[1])
    with pytest.raises(ProcessLookupError):                  # the kernel is gone when the call returns
        os.kill(pid, 0)
