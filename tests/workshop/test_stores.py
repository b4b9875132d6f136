"""The results store contract, run against both stores (SQLite and a real PostgreSQL): schema upgrades from every
earlier version, immutability, accounts, name search, and many processes writing at once lose nothing."""

from __future__ import annotations

import inspect
import multiprocessing as mp
import secrets
import unicodedata

import pytest

from sim.workshop.postgres_store import PostgresStore
from sim.workshop.sqlite_store import SQLiteStore
from sim.workshop.store import SCHEMA_VERSION, ResultsStore, StoreError, Trainee
from sim.workshop.stores import open_store

STORES = {"sqlite": SQLiteStore, "postgres": PostgresStore}


def test_a_new_store_is_at_the_latest_schema(store_factory):
    store = store_factory()
    assert isinstance(store, STORES[store_factory.kind]) and store.workshop_ids() == []
    assert store_factory.version() == SCHEMA_VERSION
    store_factory()  # opening it again changes nothing
    assert store_factory.version() == SCHEMA_VERSION


@pytest.mark.parametrize("kind", STORES)
def test_each_store_has_the_whole_interface(kind):
    wanted = [name for name in vars(ResultsStore) if not name.startswith("_")]
    assert len(wanted) > 15 and "trainee_by_account" in wanted
    for name in wanted:
        expected = inspect.signature(getattr(ResultsStore, name))
        assert inspect.signature(getattr(STORES[kind], name)).parameters.keys() == expected.parameters.keys(), name


# An older app's data, as it wrote it at each schema version (columns of that version only).
OLD_WORKSHOP = {
    "id": "w",
    "title": "Old",
    "code": "OLD234",
    "exercises": '["intake-basics"]',
    "created_at": "2026-01-01",
}
OLD_TRAINEE = {
    "id": "t1",
    "workshop_id": "w",
    "full_name": "Lê Thị Lan",
    "commune": "xã Phan Sơn",
    "role": "commune_pc",
    "resume_code": "ABC234",
    "joined_at": "2026-01-01T08:00:00.000+00:00",
}
OLD_ATTEMPT = {
    "id": "a1",
    "trainee_id": "t1",
    "exercise_id": "intake-basics",
    "exercise_version": "1",
    "position": 0,
    "scenario_id": "forced-marriage-2016",
    "scenario_version": "1",
    "seed": 2**40,
    "rulebook_version": "r1",
    "app_version": "0.1",
    "decision_points": '["D1"]',
    "rubric": '{"D1": 10.0}',
    "case_json": "{}",
    "started_at": "2026-01-01T08:01:00.000+00:00",
    "submitted_at": "2026-01-01T08:09:00.000+00:00",
}


def _old_data(factory, version: int) -> None:
    """What a store at ``version`` held: a workshop, a trainee, a submitted attempt with an event and a report,
    and what the later tables of that version hold."""
    factory.insert("workshops", OLD_WORKSHOP)
    factory.insert("trainees", OLD_TRAINEE | ({"name_key": "le thi lan"} if factory.kind == "postgres" else {}))
    factory.insert("attempts", OLD_ATTEMPT)
    event = {"attempt_id": "a1", "kind": "answer", "key": "D1", "payload": '{"receive": "receive"}'}
    factory.insert("events", event | {"clock_minutes": 3, "created_at": "2026-01-01T08:02:00.000+00:00"})
    report = {"total": 10.0, "max_points": 10.0, "percent": 100.0, "report": '{"total": 10.0}'}
    factory.insert("reports", {"attempt_id": "a1"} | report | {"scored_at": OLD_ATTEMPT["submitted_at"]})
    if version >= 2:
        override = {"attempt_id": "a1", "decision_point": "D1", "points": 8.0, "comment": "ok", "trainer": "tr"}
        factory.insert("overrides", override | {"created_at": "2026-01-01T09:00:00.000+00:00"})
    if version >= 4:
        factory.insert("resume_failures", {"address": "10.0.0.9", "at": "2026-01-01T09:00:00.000+00:00"})
    if version >= 5:
        release = {"workshop_id": "w", "exercise_id": "intake-basics", "trainer": "tr"}
        factory.insert("releases", release | {"released_at": "2026-01-01T10:00:00.000+00:00"})


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_store_of_each_earlier_version_is_upgraded_and_keeps_its_data(store_factory, version):
    store_factory.at_version(version)
    _old_data(store_factory, version)
    store = store_factory()
    assert store_factory.version() == SCHEMA_VERSION
    workshop = store.workshop("w")
    assert (workshop["title"], workshop["code"], workshop["exercises"]) == ("Old", "OLD234", ["intake-basics"])
    assert workshop["region"] == "lam-dong-binh-thuan" and workshop["trainer_secret_hash"] is None
    trainee = store.trainee_by_code("abc234")
    assert trainee == Trainee("t1", "w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc", "ABC234", None)
    assert store.trainees_by_name("w", "LÊ THỊ LAN") == [trainee] and store.trainees("w") == [trainee]
    attempt = store.attempt("a1")
    assert (attempt.seed, attempt.rubric, attempt.option_order) == (2**40, {"D1": 10.0}, None)
    assert [(e["key"], e["payload"], e["clock_minutes"]) for e in store.events("a1")] == [
        ("D1", {"receive": "receive"}, 3)
    ]
    assert store.report("a1") == {"total": 10.0}
    assert [o["points"] for o in store.overrides("a1")] == ([8.0] if version >= 2 else [])
    assert store.released_answers("w") == ({"intake-basics": "2026-01-01T10:00:00.000+00:00"} if version >= 5 else {})
    # the upgraded store works as a new one: new columns, accounts, and the guarantees
    store.add_override("a1", "D1", None, "later", "tr")
    officer = store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc", account="lan.le")
    assert store.trainee_by_account("w", "lan.le") == officer and len(store.trainees_by_name("w", "le thi lan")) == 2
    with pytest.raises(StoreError, match="append-only"), store.connect() as con:
        con.execute("DELETE FROM events")


def test_a_newer_store_is_refused_with_advice(store_factory):
    store_factory.at_version(SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="newer Trở về"):
        store_factory()


def _open(location: str) -> None:
    open_store(location)


@pytest.mark.slow
def test_processes_opening_a_new_store_at_once_upgrade_it_once(store_factory):
    """Kernels of a room start together: each opens (and so upgrades) the same new store."""
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(str(store_factory.location),)) for _ in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert store_factory.version() == SCHEMA_VERSION and store_factory().workshop_ids() == []


@pytest.fixture
def started(any_store, library):
    from sim.app.trainee import Workshop

    workshop = Workshop(any_store, "w", exercises=["intake-basics"], library=library)
    trainee = workshop.join(full_name="Nguyễn Văn A", commune="xã Phan Sơn", role="commune_pc")
    return any_store, workshop.open_case(trainee, "intake-basics", 0).attempt.id


def test_events_are_append_only_and_attempts_immutable(started):
    store, attempt_id = started
    store.record(attempt_id, "answer", "D1", {"receive": "receive"}, 0)
    for statement in ("UPDATE events SET payload='{}'", "DELETE FROM events"):
        with pytest.raises(StoreError, match="append-only"), store.connect() as con:
            con.execute(statement)
    for statement in ("UPDATE attempts SET seed=1", "UPDATE attempts SET option_order='{}'"):
        with pytest.raises(StoreError, match="immutable"), store.connect() as con:
            con.execute(statement)
    assert len(store.events(attempt_id)) == 1


def test_record_refuses_a_submitted_attempt_and_submit_keeps_the_first_report(started):
    store, attempt_id = started
    first = store.record(attempt_id, "action", "ask_name", {"q": "tên"}, 1)
    assert store.record(attempt_id, "answer", "D1", {"receive": "receive"}, 2) > first
    with pytest.raises(StoreError, match="kind"), store.connect() as con:  # the CHECK constraint names the column
        con.execute(
            "INSERT INTO events (attempt_id, kind, key, payload, clock_minutes, created_at) "
            f"VALUES ('{attempt_id}', 'other', 'k', '1', 0, 'x')"
        )
    store.submit(attempt_id, {"total": 1.0, "max_points": 2.0, "percent": 50.0, "note": "first"})
    store.submit(attempt_id, {"total": 2.0, "max_points": 2.0, "percent": 100.0, "note": "second"})
    assert store.report(attempt_id)["note"] == "first" and store.attempt(attempt_id).submitted_at is not None
    with pytest.raises(StoreError, match="already submitted"):
        store.record(attempt_id, "answer", "D1", {}, 3)
    with pytest.raises(StoreError, match="no attempt"):
        store.record("nope", "answer", "D1", {}, 3)


def test_starting_an_attempt_twice_returns_the_first(started):
    store, attempt_id = started
    first = store.attempt(attempt_id)
    again = store.start_attempt(first.__class__(**{**vars(first), "id": "other", "seed": 99}))
    assert again == first and [a.id for a in store.attempts_of(first.trainee_id)] == [attempt_id]
    with pytest.raises(StoreError, match="no attempt"):
        store.attempt("other")


def test_writes_about_unknown_rows_are_refused(any_store):
    any_store.ensure_workshop("w", "W", None, [])
    with pytest.raises(StoreError, match="refused a change"):
        any_store.add_trainee("nowhere", "Lê Thị Lan", "xã Phan Sơn", "commune_pc")
    with pytest.raises(StoreError, match="refused a change"):
        any_store.add_override("nope", "D1", 1.0, "c", "tr")
    with pytest.raises(StoreError, match="no trainee"):
        any_store.reissue_resume_code("nope")


def _writer(location: str, attempt_id: str, worker: int, count: int) -> None:
    store = open_store(location)
    for i in range(count):
        store.record(attempt_id, "answer", "D3", {"worker": worker, "i": i}, i)


@pytest.mark.slow
def test_many_processes_writing_at_once_lose_nothing(started, store_factory):
    store, attempt_id = started
    workers, count = 12, 40
    ctx = mp.get_context("spawn")
    location = str(store_factory.location)
    procs = [ctx.Process(target=_writer, args=(location, attempt_id, w, count)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    events = store.events(attempt_id)
    assert len(events) == workers * count
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert {(e["payload"]["worker"], e["payload"]["i"]) for e in events} == {
        (w, i) for w in range(workers) for i in range(count)
    }


def test_trainer_secret_is_stored_only_as_a_salted_hash(any_store):
    any_store.ensure_workshop("w", "W", None, [])
    assert not any_store.check_trainer_secret("w", "anything")
    any_store.set_trainer_secret("w", "s3cret-Trainer")
    assert any_store.check_trainer_secret("w", "s3cret-Trainer")
    assert not any_store.check_trainer_secret("w", "s3cret-trainer") and not any_store.check_trainer_secret("w", None)
    assert not any_store.check_trainer_secret("other", "s3cret-Trainer")
    assert any_store.workshop("w")["trainer_secret_hash"].startswith("pbkdf2-sha256$")


def test_workshops_trainees_and_resume_codes(any_store):
    store = any_store
    store.ensure_workshop("w", "W", "CODE", ["intake-basics"])
    store.ensure_workshop("w", "Other title", None, [])  # already there: kept as it was
    assert store.workshop("w")["title"] == "W" and store.workshop("w")["exercises"] == ["intake-basics"]
    assert store.workshop_ids() == ["w"] and store.only_workshop() == "w" and store.workshop("nope") is None
    trainee = store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc")
    assert store.trainee_by_code(trainee.resume_code.lower()) == trainee and store.trainee_by_code("NOPE") is None
    assert store.trainees_by_name("w", "lê thị lan") == [trainee] and store.trainees("w") == [trainee]
    store.set_exercises("w", ["verification"])
    assert store.workshop("w")["exercises"] == ["verification"]
    store.configure_workshop("w", "Renamed", None, [], "lam-dong")
    assert {k: store.workshop("w")[k] for k in ("title", "code", "region")} == {
        "title": "Renamed",
        "code": None,
        "region": "lam-dong",
    }
    new = store.reissue_resume_code(trainee.id)
    assert new.resume_code != trainee.resume_code and store.trainee_by_code(trainee.resume_code) is None
    store.ensure_workshop("v", "V", None, [])
    assert store.workshop_ids() == ["w", "v"]
    with pytest.raises(StoreError, match="holds 2 workshops .*--workshop"):
        store.only_workshop()


def test_trainees_keep_their_joining_order(any_store):
    any_store.ensure_workshop("w", "W", None, [])
    names = [f"Học viên {i}" for i in range(8)]
    for name in names:
        any_store.add_trainee("w", name, "xã Phan Sơn", "commune_pc")
    assert [t.full_name for t in any_store.trainees("w")] == names
    assert [r["full_name"] for r in any_store.submitted_rows("w")] == names


def test_an_account_joins_a_workshop_once(any_store):
    any_store.ensure_workshop("w", "W", None, [])
    any_store.ensure_workshop("v", "V", None, [])
    officer = any_store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc", account="lan.le")
    assert officer.account == "lan.le" and any_store.trainee_by_account("w", "lan.le") == officer
    assert any_store.trainee_by_account("w", "Lan.Le") is None and any_store.trainee_by_account("v", "lan.le") is None
    with pytest.raises(StoreError, match="'lan.le' has already joined workshop 'w'.*trainee_by_account"):
        any_store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc", account="lan.le")
    elsewhere = any_store.add_trainee("v", "Lê Thị Lan", "xã Phan Sơn", "commune_pc", account="lan.le")
    by_name = [any_store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc") for _ in range(2)]
    assert all(t.account is None for t in by_name) and elsewhere.workshop_id == "v"
    assert any_store.trainees("w") == [officer, *by_name]
    assert any_store.trainee_by_code(officer.resume_code) == officer
    assert any_store.reissue_resume_code(officer.id).account == "lan.le"


def test_resume_by_name_folds_vietnamese_letters_spaces_and_unicode_form(any_store):
    any_store.ensure_workshop("w", "W", None, [])
    trainee = any_store.add_trainee("w", "Trần Thị Lan", "xã Phan Sơn", "commune_pc")
    nfd = any_store.add_trainee("w", unicodedata.normalize("NFD", "Đỗ Thị Mất"), "xã Phan Sơn", "commune_pc")
    for typed in ("TRẦN THỊ LAN", "  trần   thị lan ", unicodedata.normalize("NFD", "Trần Thị Lan"), "tran thi lan"):
        assert any_store.trainees_by_name("w", typed) == [trainee], typed
    assert any_store.trainees_by_name("w", "do thi mat") == [nfd]
    assert (
        any_store.trainees_by_name("w", "Trần Thị Lâm") == [] and any_store.trainees_by_name("v", "tran thi lan") == []
    )


def test_a_resume_code_collision_draws_another_code(any_store, monkeypatch):
    any_store.ensure_workshop("w", "W", None, [])
    draws = iter("AAAAAA" + "AAAAAA" + "BBBBBB")  # the second trainee's first draw collides with the first's
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    first = any_store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc")
    second = any_store.add_trainee("w", "Lê Thị Mai", "xã Phan Sơn", "commune_pc")
    assert (first.resume_code, second.resume_code) == ("AAAAAA", "BBBBBB")


def test_resume_failures_count_within_their_window(any_store):
    for _ in range(3):
        any_store.record_resume_failure("10.0.0.9", 600)
    any_store.record_resume_failure("10.0.0.8", 600)
    assert any_store.recent_resume_failures("10.0.0.9", 600) == 3
    assert any_store.recent_resume_failures("10.0.0.7", 600) == 0


def test_releases_and_overrides_are_kept_in_order(started):
    store, attempt_id = started
    store.release_answers("w", "intake-basics", "tr")
    first = store.released_answers("w")
    store.release_answers("w", "intake-basics", "someone else")
    assert store.released_answers("w") == first and list(first) == ["intake-basics"]
    store.add_override(attempt_id, "D1", 4.5, "a", "tr")
    store.add_override(attempt_id, "D1", None, "b", "tr")
    overrides = store.overrides(attempt_id)
    assert [(o["points"], o["comment"]) for o in overrides] == [(4.5, "a"), (None, "b")]
    assert set(overrides[0]) == {"id", "attempt_id", "decision_point", "points", "comment", "trainer", "created_at"}
    rows = store.submitted_rows("w")
    assert len(rows) == 1 and rows[0]["attempt_id"] == attempt_id and rows[0]["report"] is None
