"""The same runner on a Dask cluster: a LocalCluster of two worker processes gives the local pool's outputs."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor

import pytest
from test_profiles import entry, write_params
from test_profiles import fan as fan  # noqa: F401  (the fixture)
from test_runner import write_notebook

from inclusion_evidence.core import paths
from inclusion_evidence.orchestration import cluster, pipeline

distributed = pytest.importorskip("distributed")

# A tiny profile that draws and saves a PNG and a CSV, as the real profiles do.
TINY_BODY = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from pathlib import Path
folder = Path("figures") / f"tiny_{country}"
folder.mkdir(parents=True, exist_ok=True)
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([year - 2, year - 1, year], [len(country), 2.5, 1.5], marker="o")
ax.set_title(f"{country} {year}")
fig.savefig(folder / "trend.png", dpi=100, metadata={"Software": None})
(folder / "trend.csv").write_text(f"country,year\\n{country},{year}\\n")
print(f"profile of {country}, {year}")
"""


def test_scheduler_from_the_option_else_the_environment_else_local(monkeypatch):
    monkeypatch.delenv(cluster.ENV_VAR, raising=False)
    assert cluster.scheduler_address(None) is None
    assert isinstance(cluster.make_executor(1, None), ProcessPoolExecutor)
    monkeypatch.setenv(cluster.ENV_VAR, "tcp://10.0.0.5:8786")
    assert cluster.scheduler_address(None) == "tcp://10.0.0.5:8786"
    assert cluster.scheduler_address("tcp://127.0.0.1:9999") == "tcp://127.0.0.1:9999"


def test_paths_under_the_project_root_are_rewritten_to_the_workers_root():
    job = ("demo", "/srv/book/chapters/demo.ipynb", {"year": 2021}, "/srv/book/book/.staging-x", {"a": "/srv/bookx"})
    moved = cluster._relocate(job, "/srv/book", "/mnt/shared/book")
    assert moved == ("demo", "/mnt/shared/book/chapters/demo.ipynb", {"year": 2021},
                     "/mnt/shared/book/book/.staging-x", {"a": "/srv/bookx"})   # a mere prefix is not the root
    assert cluster._relocate(job, "/srv/book", None) == job


def test_an_unreachable_scheduler_is_a_clear_error_and_nothing_runs(fan, monkeypatch, capsys):
    # Nothing listens on this loopback port.
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(ConnectionError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        cluster.DaskExecutor("tcp://127.0.0.1:9")
    from inclusion_evidence import cli

    monkeypatch.setenv(cluster.ENV_VAR, "tcp://127.0.0.1:9")
    assert cli.main(["run", "tiny_AT"]) == 1
    err = capsys.readouterr().err
    assert "INCLUSION_SCHEDULER: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "nothing was executed" in err and not (paths.EDITION / "tiny_AT.ipynb").exists()


def _outputs() -> dict[str, bytes]:
    """Every executed profile's cells (outputs included) and every figure file, as bytes."""
    out = {}
    for nb in sorted(paths.EDITION.glob("tiny_*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out[nb.name] = json.dumps(cells, sort_keys=True).encode()
    for f in sorted((paths.EDITION / "figures").rglob("*.*")):
        out[str(f.relative_to(paths.EDITION))] = f.read_bytes()
    return out


@pytest.mark.slow
def test_a_two_worker_local_cluster_gives_byte_identical_outputs(fan, tmp_path):
    write_notebook(paths.CHAPTER_SOURCES / "tiny.ipynb", param_source="country = 'AT'\nyear = 2020", body=TINY_BODY)
    write_params(entry(["AT", "DE", "FR"]), notebooks={})
    quiet = dict(steps=[], notebooks=None, jobs=2, log=lambda _: None)

    local = pipeline.update(**quiet)["notebooks"]
    assert [r["status"] for r in local] == ["executed"] * 3
    expected = _outputs()
    assert len(expected) == 3 + 6 and all(expected.values())

    for f in paths.EDITION.rglob("*"):
        if f.is_file():
            f.unlink()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  local_directory=str(tmp_path / "dask")) as lc:
        with distributed.Client(lc) as client:
            pids = client.run(os.getpid)
            assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
            with distributed.get_task_stream(client) as stream:
                remote = pipeline.update(**quiet, scheduler=lc.scheduler_address)["notebooks"]
    # the three executions ran as tasks of the cluster, on its workers
    tasks = [t for t in stream.data if t["key"].startswith("run_on_worker")]
    assert len(tasks) == 3 and {t["worker"] for t in tasks} <= set(pids)
    assert [r["status"] for r in remote] == ["executed"] * 3
    assert _outputs() == expected
