"""What only the SQLite store has: a file in WAL mode, readable by its user only, at a path from TROVE_DB."""

from __future__ import annotations

import os
import stat

import pytest

from sim.workshop.sqlite_store import SQLiteStore
from sim.workshop.store import StoreError
from sim.workshop.stores import open_store


def test_fresh_file_is_in_wal_mode(tmp_path):
    store = SQLiteStore(tmp_path / "t.sqlite")
    with store.connect() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.skipif(os.name != "posix", reason="Unix file modes")
def test_a_new_results_file_is_readable_by_its_user_only(tmp_path):
    """It holds names and resume codes: mode 0600, and SQLite's write-ahead log and shared memory files with it."""
    store = SQLiteStore(tmp_path / "t.sqlite")
    with store.connect() as con:  # while a connection is open, the -wal and -shm files exist
        con.execute("CREATE TABLE probe (x)")
        files = sorted(tmp_path.glob("t.sqlite*"))
        assert len(files) == 3 and {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}


def test_store_errors_are_messages(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="set TROVE_DB"):
        SQLiteStore(blocker / "sub" / "t.sqlite")


def test_the_default_file_follows_trove_db(tmp_path, monkeypatch):
    monkeypatch.setenv("TROVE_DB", str(tmp_path / "env.sqlite"))
    store = open_store()
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / "env.sqlite" and store.path.exists()


def test_the_trainer_secret_is_not_in_the_file(tmp_path):
    store = SQLiteStore(tmp_path / "t.sqlite")
    store.ensure_workshop("w", "W", None, [])
    store.set_trainer_secret("w", "s3cret-Trainer")
    assert "s3cret" not in (tmp_path / "t.sqlite").read_bytes().decode("latin-1")


def test_the_sqlite_store_never_imports_psycopg(tmp_path):
    """psycopg is loaded only for a database URL: a laptop's `trove serve` needs no PostgreSQL at all."""
    import subprocess
    import sys

    code = (
        "import sys; from sim.workshop.stores import open_store; "
        f"open_store({str(tmp_path / 'r.sqlite')!r}).workshop_ids(); raise SystemExit('psycopg' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
