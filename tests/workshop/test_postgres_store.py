"""What only the PostgreSQL store has: chosen by URL, a clear error without the password when the server cannot be
reached, a small pool per store, TRUNCATE refused too."""

from __future__ import annotations

import secrets
import time

import pytest

from sim.workshop import postgres_store
from sim.workshop.postgres_store import PostgresStore
from sim.workshop.store import StoreError
from sim.workshop.stores import open_store

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(postgres_server):
    return postgres_server.new_schema()


def test_a_database_url_opens_the_postgresql_store(url, monkeypatch):
    assert isinstance(open_store(url), PostgresStore)
    assert isinstance(open_store(url.replace("postgresql://", "postgres://", 1)), PostgresStore)
    monkeypatch.setenv("TROVE_DB", url)
    store = open_store()
    assert isinstance(store, PostgresStore) and store.url == url


def test_an_unreachable_server_is_a_message_without_the_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://trove:s3cret-pw@127.0.0.1:1/results")
    message = str(caught.value)
    assert "database 'results' at 127.0.0.1:1 (Connection refused); check that the server runs" in message
    assert "s3cret-pw" not in message


def test_a_refused_login_is_a_message_too(postgres_server):
    with pytest.raises(StoreError, match="cannot connect to .* database 'nosuchdb' .*does not exist"):
        open_store(postgres_server.url().replace("/postgres?", "/nosuchdb?"))


def test_events_cannot_be_truncated(url):
    store = open_store(url)
    with pytest.raises(StoreError, match="append-only"), store.connect() as con:
        con.execute("TRUNCATE events")


def _connections(postgres_server, url: str) -> int:
    """How many connections the stores of ``url`` hold (they carry its schema as their application name)."""
    import psycopg

    schema = url.rpartition("application_name=")[2]
    with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (schema,)).fetchone()[
            0
        ]


def test_a_store_holds_a_few_connections_and_none_once_dropped(url, postgres_server):
    import gc

    store = open_store(url)
    with store.connect() as outer, store.connect() as inner:  # two checkouts at once: the pool's most
        outer.execute("SELECT 1")
        inner.execute("SELECT 1")
        assert store.pool.get_stats()["pool_size"] == postgres_store.POOL_MAX
    for i in range(20):
        store.ensure_workshop(f"w{i}", "W", None, [])
    assert 1 <= _connections(postgres_server, url) <= postgres_store.POOL_MAX
    del store, outer, inner
    gc.collect()
    deadline = time.monotonic() + 10  # a closed connection's server process ends a moment later
    while _connections(postgres_server, url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _connections(postgres_server, url) == 0


def test_a_role_that_cannot_create_tables_opens_an_upgraded_store_and_is_told_for_a_new_one(url, postgres_server):
    import secrets

    import psycopg

    open_store(url).ensure_workshop("w", "W", None, [])  # the owner creates the tables
    schema = url.rpartition("application_name=")[2]
    role, empty = f"app_{secrets.token_hex(4)}", postgres_server.new_schema().rpartition("application_name=")[2]
    with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema}, {empty} TO {role}")
        admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
    assert open_store(url.replace("trove@", f"{role}@")).workshop_ids() == ["w"]
    new = url.replace("trove@", f"{role}@").replace(schema, empty)
    with pytest.raises(StoreError, match="could not upgrade .*needs to create tables there"):
        open_store(new)


def _join_while_another_has_not_committed(url: str, code: str, account: str | None) -> dict:
    """Another server's transaction has written a trainee with resume code ``code`` and ``account``, not committed
    yet: our join (its first draw AAAAAA) waits on a unique index until it commits. Returns our trainee or error."""
    import threading

    import psycopg

    store = open_store(url)
    store.ensure_workshop("w", "W", None, [])
    outcome = {}

    def join():
        try:
            outcome["trainee"] = store.add_trainee("w", "Lê Thị Lan", "xã Phan Sơn", "commune_pc", account=account)
        except StoreError as exc:
            outcome["error"] = str(exc)

    with psycopg.connect(url) as other:
        other.execute(
            "INSERT INTO trainees (id, workshop_id, full_name, name_key, commune, role, resume_code, joined_at, account) "
            "VALUES ('t0', 'w', 'Lê Thị Lan', 'le thi lan', 'xã Phan Sơn', 'commune_pc', %s, 'x', %s)",
            (code, account),
        )
        joining = threading.Thread(target=join)
        joining.start()
        joining.join(1.0)
        assert joining.is_alive()  # our insert waits on the unique index
        other.commit()
    joining.join(30)
    return outcome


def test_a_resume_code_a_concurrent_join_wrote_first_draws_another(url, monkeypatch):
    draws = iter("AAAAAA" + "BBBBBB")
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    assert _join_while_another_has_not_committed(url, "AAAAAA", None)["trainee"].resume_code == "BBBBBB"


def test_an_account_joining_twice_at_once_is_refused_once(url, monkeypatch):
    draws = iter("AAAAAA")
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    outcome = _join_while_another_has_not_committed(url, "CCCCCC", "lan.le")  # only the account collides
    assert "'lan.le' has already joined workshop 'w'" in outcome.get("error", "")


def test_missing_postgresql_binaries_fail_the_tests_with_advice(monkeypatch):
    import tests.conftest

    monkeypatch.setattr(tests.conftest, "binaries_folder", lambda: None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install postgresql.*-m 'not postgres'"):
        tests.conftest.binaries_or_fail()
