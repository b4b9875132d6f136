"""Replications on a Dask distributed cluster (the optional extra ``trove[dask]``), for national studies.

The study, the libraries, the parameters and the calendar are sent to every worker once (``scatter``); each
replication is one task, seeded as at home, and the results are gathered in replication order, so a report is
the same bytes on a cluster as on local processes. Dask is imported only when a cluster is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sim.errors import SimError

CONNECT_TIMEOUT = "10s"  # how long to wait for the scheduler before saying it cannot be reached
INSTALL_HINT = "pip install 'trove[dask]'"


def dask_client(dask: Any) -> tuple[Any, bool]:
    """A ``distributed.Client`` for ``dask`` (a scheduler address such as ``tcp://host:8786``, or a client), and
    whether it was opened here (and is to be closed here).

    Raises
    ------
    SimError
        When Dask is not installed (with the command that installs it), or the scheduler cannot be reached.

    Examples
    --------
    >>> dask_client(42)
    Traceback (most recent call last):
    ...
    sim.errors.SimError: --dask takes a scheduler address such as tcp://127.0.0.1:8786 or a distributed.Client, not 42
    """
    if not isinstance(dask, str):
        if hasattr(dask, "submit") and hasattr(dask, "scatter"):
            return dask, False
        raise SimError(
            f"--dask takes a scheduler address such as tcp://127.0.0.1:8786 or a distributed.Client, not {dask!r}"
        )
    try:
        from distributed import Client
    except ImportError:
        raise SimError(f"running on a Dask cluster needs Dask's distributed scheduler: {INSTALL_HINT}") from None
    try:
        return Client(dask, timeout=CONNECT_TIMEOUT), True
    except (OSError, TimeoutError) as exc:
        raise SimError(
            f"cannot reach the Dask scheduler at {dask} ({exc}); start one (`dask scheduler`, then `dask worker "
            f"{dask}` on each machine) or check the address"
        ) from None


def map_on_dask(
    dask: Any,
    task: Callable[[Any, int], dict[str, Any]],
    context: Any,
    indices: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """``[task(context, i) for i in indices]`` on the cluster, in the order of ``indices``.

    ``context`` is sent to every worker once; ``progress(done, total)`` is called as tasks finish.
    """
    client, opened = dask_client(dask)
    try:
        from distributed import as_completed

        [shared] = client.scatter([context], broadcast=True)
        futures = [client.submit(task, shared, i, pure=False) for i in indices]
        if progress is not None:
            for done, _ in enumerate(as_completed(futures), start=1):
                progress(done, len(futures))
        return list(client.gather(futures))
    finally:
        if opened:
            client.close()
