"""The results store: schema upgrades, immutability, and many processes writing at once lose nothing."""

from __future__ import annotations

import multiprocessing as mp
import os
import sqlite3
import stat

import pytest

from sim.workshop.sqlite_store import MIGRATIONS, SQLiteStore
from sim.workshop.store import SCHEMA_VERSION, ResultsStore, StoreError
from sim.workshop.stores import open_store


def test_fresh_file_is_at_the_latest_schema_in_wal_mode(tmp_path):
    store = SQLiteStore(tmp_path / "t.sqlite")
    with store.connect() as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.skipif(os.name != "posix", reason="Unix file modes")
def test_a_new_results_file_is_readable_by_its_user_only(tmp_path):
    """It holds names and resume codes: mode 0600, and SQLite's write-ahead log and shared memory files with it."""
    store = SQLiteStore(tmp_path / "t.sqlite")
    with store.connect() as con:  # while a connection is open, the -wal and -shm files exist
        con.execute("CREATE TABLE probe (x)")
        files = sorted(tmp_path.glob("t.sqlite*"))
        assert len(files) == 3 and {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}


def test_an_old_file_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        con.execute(statement)
    con.execute("PRAGMA user_version=1")
    con.execute("INSERT INTO workshops VALUES ('w', 'Old', NULL, '[]', '2026-01-01')")
    con.commit()
    con.close()
    store = SQLiteStore(path)
    assert store.workshop("w")["title"] == "Old"
    with store.connect() as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert c.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0


def test_a_newer_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "new.sqlite"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer Trở về"):
        SQLiteStore(path)


def test_events_are_append_only(tmp_path, started):
    store, attempt_id = started
    store.record(attempt_id, "answer", "D1", {"receive": "receive"}, 0)
    with pytest.raises(StoreError, match="append-only"), store.connect() as con:
        con.execute("UPDATE events SET payload='{}'")
    with pytest.raises(StoreError, match="immutable"), store.connect() as con:
        con.execute("UPDATE attempts SET seed=1")


def test_store_errors_are_messages(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="set TROVE_DB"):
        SQLiteStore(blocker / "sub" / "t.sqlite")


@pytest.fixture
def started(tmp_path, library):
    from sim.app.trainee import Workshop

    store = SQLiteStore(tmp_path / "t.sqlite")
    workshop = Workshop(store, "w", exercises=["intake-basics"], library=library)
    trainee = workshop.join(full_name="Nguyễn Văn A", commune="xã Phan Sơn", role="commune_pc")
    return store, workshop.open_case(trainee, "intake-basics", 0).attempt.id


def _writer(path: str, attempt_id: str, worker: int, count: int) -> None:
    store = SQLiteStore(path)
    for i in range(count):
        store.record(attempt_id, "answer", "D3", {"worker": worker, "i": i}, i)


@pytest.mark.slow
def test_many_processes_writing_at_once_lose_nothing(started):
    store, attempt_id = started
    workers, count = 12, 40
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(store.path), attempt_id, w, count)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    events = store.events(attempt_id)
    assert len(events) == workers * count
    assert {(e["payload"]["worker"], e["payload"]["i"]) for e in events} == {
        (w, i) for w in range(workers) for i in range(count)
    }


def test_trainer_secret_is_stored_only_as_a_salted_hash(tmp_path):
    store = SQLiteStore(tmp_path / "t.sqlite")
    store.ensure_workshop("w", "W", None, [])
    assert not store.check_trainer_secret("w", "anything")
    store.set_trainer_secret("w", "s3cret-Trainer")
    assert store.check_trainer_secret("w", "s3cret-Trainer")
    assert not store.check_trainer_secret("w", "s3cret-trainer") and not store.check_trainer_secret("w", None)
    assert "s3cret" not in (tmp_path / "t.sqlite").read_bytes().decode("latin-1")


def test_a_version_2_file_is_upgraded_to_3(tmp_path):
    path = tmp_path / "v2.sqlite"
    con = sqlite3.connect(path)
    for step in MIGRATIONS[:2]:
        for statement in step:
            con.execute(statement)
    con.execute("PRAGMA user_version=2")
    con.execute("INSERT INTO workshops VALUES ('w', 'Old', NULL, '[]', '2026-01-01')")
    con.commit()
    con.close()
    assert SQLiteStore(path).workshop("w")["region"] == "lam-dong-binh-thuan"


def test_open_store_gives_a_sqlite_store_with_the_whole_interface(tmp_path):
    import inspect

    store = open_store(tmp_path / "r.sqlite")
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / "r.sqlite"
    wanted = [name for name in vars(ResultsStore) if not name.startswith("_")]
    assert len(wanted) > 15
    for name in wanted:
        expected = inspect.signature(getattr(ResultsStore, name))
        assert list(inspect.signature(getattr(SQLiteStore, name)).parameters) == list(expected.parameters), name


def test_the_default_file_follows_trove_db(tmp_path, monkeypatch):
    monkeypatch.setenv("TROVE_DB", str(tmp_path / "env.sqlite"))
    assert open_store().path == tmp_path / "env.sqlite" and (tmp_path / "env.sqlite").exists()


def test_workshops_trainees_and_resume_codes(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    store.ensure_workshop("w", "W", "CODE", ["intake-basics"])
    store.ensure_workshop("w", "Other title", None, [])  # already there: kept as it was
    assert store.workshop("w")["title"] == "W" and store.workshop("w")["exercises"] == ["intake-basics"]
    assert store.workshop_ids() == ["w"] and store.only_workshop() == "w"
    trainee = store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc")
    assert store.trainee_by_code(trainee.resume_code.lower()) == trainee and store.trainee_by_code("NOPE") is None
    assert store.trainees_by_name("w", "lê thị lan") == [trainee] and store.trainees("w") == [trainee]
    store.set_exercises("w", ["verification"])
    assert store.workshop("w")["exercises"] == ["verification"]


def test_resume_by_name_folds_vietnamese_letters_spaces_and_unicode_form(tmp_path):
    import unicodedata

    store = open_store(tmp_path / "r.sqlite")
    store.ensure_workshop("w", "W", None, [])
    trainee = store.add_trainee("w", "Trần Thị Lan", "xã Phan Sơn", "commune_pc")
    for typed in ("TRẦN THỊ LAN", "  trần   thị lan ", unicodedata.normalize("NFD", "Trần Thị Lan")):
        assert store.trainees_by_name("w", typed) == [trainee], typed
    assert store.trainees_by_name("w", "Trần Thị Lâm") == []


def test_a_resume_code_collision_draws_another_code(tmp_path, monkeypatch):
    import secrets

    store = open_store(tmp_path / "r.sqlite")
    store.ensure_workshop("w", "W", None, [])
    draws = iter("AAAAAA" + "AAAAAA" + "BBBBBB")  # the second trainee's first draw collides with the first's
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    first = store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc")
    second = store.add_trainee("w", "Lê Thị Mai", "xã Phan Sơn", "commune_pc")
    assert (first.resume_code, second.resume_code) == ("AAAAAA", "BBBBBB")
