"""Choosing the results store: the one place a location becomes a store implementation."""

from __future__ import annotations

import os
from pathlib import Path

from sim.locations import results_path
from sim.workshop.db_url import is_database_url
from sim.workshop.sqlite_store import SQLiteStore
from sim.workshop.store import ResultsStore


def results_location(location: str | Path | None = None) -> str | Path:
    """Where the results are: ``location``, else ``$TROVE_DB``, else ``var/trove.sqlite``; a ``postgresql://`` or
    ``postgres://`` URL as given, anything else as a file path.

    >>> results_location("postgresql://trove@db.example/trove"), str(results_location("r.sqlite"))
    ('postgresql://trove@db.example/trove', 'r.sqlite')
    """
    given = location if location is not None else os.environ.get("TROVE_DB")
    if is_database_url(given):
        return given
    return Path(given) if given else results_path()


def open_store(location: str | Path | None = None) -> ResultsStore:
    """The store at ``location`` (``results_location``): a ``PostgresStore`` for a database URL, else a
    ``SQLiteStore`` on the file (created if missing); either way at the latest schema.

    >>> import tempfile, pathlib
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "results.sqlite")
    >>> store.workshop_ids()
    []
    """
    where = results_location(location)
    if isinstance(where, str):
        from sim.workshop.postgres_store import PostgresStore  # psycopg is imported only for a database URL

        return PostgresStore(where)
    return SQLiteStore(where)
