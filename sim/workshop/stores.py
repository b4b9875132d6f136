"""Choosing the results store: the one place a location becomes a store implementation."""

from __future__ import annotations

from pathlib import Path

from sim.workshop.sqlite_store import SQLiteStore
from sim.workshop.store import ResultsStore


def open_store(location: str | Path | None = None) -> ResultsStore:
    """The store at ``location``: a SQLite file path (default ``$TROVE_DB`` or ``var/trove.sqlite``).

    The one place a store implementation is chosen; a database URL scheme joins here.

    >>> import tempfile, pathlib
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "results.sqlite")
    >>> store.workshop_ids()
    []
    """
    return SQLiteStore(location)
