"""Studies on Dask (osmolab.studies.cluster): a real distributed.LocalCluster on 127.0.0.1.

The cluster must return exactly the local table (same engine calls, gathered in order), run
a failed chunk again, and an unreachable scheduler must be one line of error, quickly.
"""

import os
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.errors import InputError
from osmolab.studies import cluster
from osmolab.studies.montecarlo import monte_carlo
from osmolab.studies.sweep import sweep

runner = CliRunner()


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    # worker threads in this process: no worker start-up (imports, Numba cache loads); the
    # kernels' OpenMP/TBB threading layers take concurrent calls. benchmarks/bench_sweep.py
    # runs the process-based cluster of osmolab.studies.cluster.local_cluster.
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                     dashboard_address=None)
    with distributed.Client(local) as c:
        yield c
    local.close()


def flaky_double(task):
    """Fails the first time it sees its flag file missing (then creates it)."""
    flag, value = task
    if not os.path.exists(flag):
        Path(flag).write_text("failed once")
        raise RuntimeError("injected failure")
    return 2 * value


def test_cluster_sweep_equals_local_exactly(client):
    vary = {"recovery": (0.40, 0.50, 5), "temperature": (15, 30, 4),
            "array.stages.0.vessels": [38, 42]}
    local = sweep("seawater_px", vary, chunk_size=7)
    seen = []
    remote = sweep("seawater_px", vary, client=client, chunk_size=7,
                   progress=lambda done, total: seen.append((done, total)))
    pd.testing.assert_frame_equal(remote, local)
    assert seen[-1] == (40, 40) and len(seen) > 3


def test_cluster_monte_carlo_equals_local(client):
    local = monte_carlo("seawater_px", 120, seed=4, chunk_size=50)
    remote = monte_carlo("seawater_px", 120, seed=4, chunk_size=50, client=client)
    pd.testing.assert_frame_equal(remote.samples, local.samples)


def test_a_failed_chunk_is_retried(client, tmp_path):
    tasks = [(str(tmp_path / f"flag{i}"), i) for i in range(4)]
    results = sorted(cluster.run_tasks(flaky_double, tasks, client=client))
    assert results == [0, 2, 4, 6]
    assert all((tmp_path / f"flag{i}").exists() for i in range(4))
    with pytest.raises(RuntimeError, match="injected"):  # no retry: the failure surfaces
        list(cluster.run_tasks(flaky_double, [(str(tmp_path / "other"), 1)], client=client,
                               retries=0))


def test_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path):
    start = time.perf_counter()
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        cluster.connect("tcp://127.0.0.1:1", timeout=1.0)
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["sweep", "seawater_px", "--vary", "recovery=0.4:0.5:2",
                                 "--scheduler", "127.0.0.1:1", "--output", str(out)])
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert len(result.output.strip().splitlines()) <= 2  # the start line and the error
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert time.perf_counter() - start < 20
