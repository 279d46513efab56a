"""Where a study runs: here (vectorised chunks, one after the other) or on a Dask cluster.

A study is a list of tasks, each a chunk of cases for one vectorised engine call
(:func:`osmolab.studies.sweep.run_task`). :func:`run_tasks` runs them locally by default;
with a ``dask.distributed.Client`` it submits one task per chunk (``retries=2``: a chunk
whose worker fails is run again), yields the results as they complete and reports progress.
:func:`local_cluster` starts a ``distributed.LocalCluster`` on this machine (one worker per
core, one thread each); :func:`connect` joins an existing scheduler (``tcp://HOST:8786``)
with a short timeout, so an unreachable address is one line of error, not a hang.

Examples
--------
>>> list(run_tasks(abs, [-1, -2, 3]))
[1, 2, 3]
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence

from ..errors import InputError

__all__ = ["run_tasks", "local_cluster", "connect", "progress_bar", "RETRIES"]

#: Times a failed chunk is submitted again on a Dask cluster
RETRIES = 2


def run_tasks(function: Callable, tasks: Sequence, client=None,
              progress: Callable | None = None, sizes: Sequence[int] | None = None,
              retries: int = RETRIES) -> Iterator:
    """Run ``function(task)`` for every task; yield the results as they complete.

    Parameters
    ----------
    function : callable
        A module-level function (Dask workers unpickle it by name).
    tasks : sequence
        The arguments, one per call.
    client : dask.distributed.Client, optional
        Submit to this cluster; default: run here, in order.
    progress : callable, optional
        ``progress(done, total)`` after each task, counted in ``sizes`` (cases) when given.
    sizes : sequence of int, optional
        The weight of each task for ``progress`` (default 1 each).
    retries : int
        Resubmissions of a failed task on the cluster.

    Yields
    ------
    object
        ``function(task)``: in task order locally, in completion order on a cluster (callers
        that need order carry an index in their results).
    """
    sizes = list(sizes) if sizes is not None else [1] * len(tasks)
    total = sum(sizes)
    done = 0
    if progress is not None:
        progress(0, total)
    if client is None:
        for task, size in zip(tasks, sizes, strict=True):
            result = function(task)
            done += size
            if progress is not None:
                progress(done, total)
            yield result
        return
    from distributed import as_completed  # lazy: dask only for cluster runs

    futures = [client.submit(function, task, retries=retries, pure=False) for task in tasks]
    weight = {f.key: s for f, s in zip(futures, sizes, strict=True)}
    try:
        for future in as_completed(futures):
            result = future.result()
            done += weight[future.key]
            if progress is not None:
                progress(done, total)
            yield result
            future.release()
    finally:
        client.cancel([f for f in futures if not f.done()])


def local_cluster(n_workers: int | None = None, processes: bool = True):
    """Start a ``distributed.LocalCluster`` here and return a Client to it.

    One worker per core (``os.cpu_count()``), one thread each, no dashboard, bound to
    127.0.0.1; each worker's Numba runs one thread (``NUMBA_NUM_THREADS=1``) so that the
    workers share the cores instead of oversubscribing them. Close the client and its
    cluster when done (``client.close(); client.cluster.close()``), or use the client as a
    context manager.
    """
    from distributed import Client, LocalCluster  # lazy: dask only for cluster runs

    n_workers = n_workers or os.cpu_count() or 1
    kwargs = {"env": {"NUMBA_NUM_THREADS": "1"}} if processes else {}
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                           dashboard_address=None, host="127.0.0.1", **kwargs)
    return Client(cluster)


def connect(address: str, timeout: float = 5.0):
    """A Client connected to a running Dask scheduler (``tcp://HOST:8786``).

    Raises
    ------
    InputError
        One line when the address is malformed or the scheduler does not answer within
        ``timeout`` seconds.
    """
    if not isinstance(address, str) or not address.strip():
        raise InputError("--scheduler: give the scheduler address, e.g. tcp://10.0.0.5:8786")
    address = address.strip()
    if "://" not in address:
        address = f"tcp://{address}"
    from distributed import Client  # lazy: dask only for cluster runs

    try:
        return Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise InputError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                         f"({reason})") from None


@contextlib.contextmanager
def progress_bar(label: str, enabled: bool = True):
    """A rich progress bar on standard error; yields ``update(done, total)``."""
    if not enabled:
        yield None
        return
    from rich.console import Console  # lazy: rich only for a shown bar
    from rich.progress import (  # lazy: rich only for a shown bar
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TimeRemainingColumn,
    )

    with Progress(f"[bold]{label}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done, total):
            bar.update(task, completed=done, total=total)

        yield update
