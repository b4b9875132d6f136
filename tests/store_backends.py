"""The two results stores side by side for the contract tests: a fresh location of each, raw SQL on it, and a
database left at an earlier schema version (the upgrade chain applied only partly)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.workshop import postgres_store, sqlite_store
from sim.workshop.store import ResultsStore
from sim.workshop.stores import open_store

KINDS = ("sqlite", "postgres")


@dataclass
class StoreFactory:
    """A fresh, empty location of one kind (a SQLite file, or a PostgreSQL schema's URL); calling it opens the
    store there, as ``open_store`` does for every caller."""

    kind: str
    location: str | Path

    def __call__(self) -> ResultsStore:
        return open_store(self.location)

    @contextmanager
    def raw(self) -> Iterator[Any]:
        """A connection of the database's own driver, in autocommit; ``execute`` takes ``?`` placeholders."""
        if self.kind == "sqlite":
            con = sqlite3.connect(self.location, isolation_level=None)
            try:
                yield con
            finally:
                con.close()
            return
        import psycopg

        with psycopg.connect(str(self.location), autocommit=True) as con:
            yield _QmarkConnection(con)

    def at_version(self, version: int) -> None:
        """Leave the database at schema ``version``: the first ``version`` steps of the chain, and the marker."""
        migrations = sqlite_store.MIGRATIONS if self.kind == "sqlite" else postgres_store.MIGRATIONS
        with self.raw() as con:
            for step in migrations[:version]:
                for statement in step:
                    con.execute(statement)
            if self.kind == "sqlite":
                con.execute(f"PRAGMA user_version={version}")
            else:
                con.execute("CREATE TABLE schema_version (version integer NOT NULL)")
                con.execute("INSERT INTO schema_version VALUES (?)", (version,))

    def version(self) -> int:
        """The schema version the database records."""
        with self.raw() as con:
            if self.kind == "sqlite":
                return con.execute("PRAGMA user_version").fetchone()[0]
            return con.execute("SELECT version FROM schema_version").fetchone()[0]

    def insert(self, table: str, row: dict[str, Any]) -> None:
        """Insert ``row`` as it is into ``table`` (data written by an older app)."""
        with self.raw() as con:
            con.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
            )


class _QmarkConnection:
    """A psycopg connection whose ``execute`` takes SQLite's ``?`` placeholders, so one SQL text serves both."""

    def __init__(self, con: Any):
        self.con = con

    def execute(self, sql: str, params: tuple | None = None) -> Any:
        return self.con.execute(sql if params is None else sql.replace("?", "%s"), params)
