"""The PostgreSQL results store: one database for many servers, the same schema versions as the SQLite store.

The same guarantees as ``SQLiteStore``, enforced by the server: attempts are immutable once started and events
append-only (PL/pgSQL trigger functions raise, for TRUNCATE too); every write is its own transaction. The schema
version is kept in a ``schema_version`` table and the upgrade chain runs under an advisory lock, so kernels that
start at once upgrade it once.

Choices that keep every caller identical to SQLite's: times stay ``now()`` ISO text (they sort as text, and
callers get the same strings back; a ``timestamptz`` would come back as a ``datetime``), and columns that are
sorted or compared are ``COLLATE "C"``, the byte order SQLite uses, whatever the database's locale. The search
key of ``trainees_by_name`` is computed in Python (``name_key``) and kept in a column, so both stores fold names
exactly alike. PostgreSQL has no rowid: a ``seq`` identity keeps workshops and trainees that share a timestamp in
the order they were added.

Each store holds a small pool (``POOL_MIN``..``POOL_MAX`` connections, idle ones closed after
``POOL_MAX_IDLE_SECONDS``), closed with the store: a trainee kernel is a process that opens one store, and
PostgreSQL allows 100 connections by default.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from sim.workshop.db_url import printable
from sim.workshop.sql_store import SQLStore
from sim.workshop.store import (
    RESUME_ALPHABET,
    SCHEMA_VERSION,
    Attempt,
    StoreError,
    Trainee,
    account_taken,
    attempt_of,
    attempt_row,
    name_key,
    now,
    trainee_of,
)

# A trainee kernel does one thing at a time: 2 connections at most, none kept after a minute idle, so a room of 40
# kernels stays under PostgreSQL's default 100 connections (more kernels or servers: raise max_connections or add pgbouncer).
POOL_MIN = 0
POOL_MAX = 2
POOL_MAX_IDLE_SECONDS = 60
WAIT_SECONDS = 30  # for a connection, as SQLite waits 30 s for a busy file
UPGRADE_LOCK = 0x7472_6F76_6501  # the advisory lock key held while the schema is upgraded ("trove" + 1)

# The upgrade chain: MIGRATIONS[n] takes a database from schema_version n to n + 1, as sqlite_store.MIGRATIONS does.
MIGRATIONS: list[list[str]] = [
    [  # 0 → 1: the first schema
        "CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$",
        "CREATE TABLE workshops (seq bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, title text NOT NULL, "
        'code text, exercises text NOT NULL, created_at text COLLATE "C" NOT NULL)',
        "CREATE TABLE trainees (seq bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, "
        "workshop_id text NOT NULL REFERENCES workshops(id), full_name text NOT NULL, name_key text NOT NULL, "
        "commune text NOT NULL, role text NOT NULL, resume_code text NOT NULL CONSTRAINT trainees_resume_code UNIQUE, "
        'joined_at text COLLATE "C" NOT NULL)',
        "CREATE INDEX trainees_by_name ON trainees (workshop_id, name_key)",
        "CREATE TABLE attempts (id text PRIMARY KEY, trainee_id text NOT NULL REFERENCES trainees(id), "
        'exercise_id text COLLATE "C" NOT NULL, exercise_version text NOT NULL, position integer NOT NULL, '
        "scenario_id text NOT NULL, scenario_version text NOT NULL, seed bigint NOT NULL, rulebook_version text NOT NULL, "
        "app_version text NOT NULL, decision_points text NOT NULL, rubric text NOT NULL, case_json text NOT NULL, "
        'started_at text COLLATE "C" NOT NULL, submitted_at text COLLATE "C", '
        "CONSTRAINT attempts_once UNIQUE (trainee_id, exercise_id, position))",
        "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "attempt_id text NOT NULL REFERENCES attempts(id), kind text NOT NULL CHECK (kind IN ('action', 'answer')), "
        'key text NOT NULL, payload text NOT NULL, clock_minutes integer NOT NULL, created_at text COLLATE "C" NOT NULL)',
        "CREATE INDEX events_by_attempt ON events (attempt_id, id)",
        "CREATE TABLE reports (attempt_id text PRIMARY KEY REFERENCES attempts(id), total double precision NOT NULL, "
        "max_points double precision NOT NULL, percent double precision NOT NULL, report text NOT NULL, "
        'scored_at text COLLATE "C" NOT NULL)',
        "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW "
        "EXECUTE FUNCTION refuse_change('events are append-only')",
        "CREATE TRIGGER events_not_truncated BEFORE TRUNCATE ON events FOR EACH STATEMENT "
        "EXECUTE FUNCTION refuse_change('events are append-only')",
        "CREATE TRIGGER attempts_immutable BEFORE UPDATE OF id, trainee_id, exercise_id, exercise_version, position, "
        "scenario_id, scenario_version, seed, rulebook_version, app_version, decision_points, rubric, case_json, "
        "started_at ON attempts FOR EACH ROW EXECUTE FUNCTION refuse_change('attempt records are immutable')",
    ],
    [  # 1 → 2: trainer overrides and comments, kept beside the automatic score
        "CREATE TABLE overrides (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "attempt_id text NOT NULL REFERENCES attempts(id), decision_point text NOT NULL, points double precision, "
        'comment text NOT NULL, trainer text NOT NULL, created_at text COLLATE "C" NOT NULL)',
        "CREATE INDEX overrides_by_attempt ON overrides (attempt_id, id)",
    ],
    [  # 2 → 3: the trainer secret (salted hash only) and the workshop's region pack
        "ALTER TABLE workshops ADD COLUMN trainer_secret_hash text",
        "ALTER TABLE workshops ADD COLUMN region text NOT NULL DEFAULT 'lam-dong-binh-thuan'",
    ],
    [  # 3 → 4: wrong resume codes by client address, for rate limiting guesses across kernels
        'CREATE TABLE resume_failures (address text NOT NULL, at text COLLATE "C" NOT NULL)',
        "CREATE INDEX resume_failures_by_address ON resume_failures (address, at)",
    ],
    [  # 4 → 5: the order each case shows its options in, and released answers of assessment-mode exercises
        "ALTER TABLE attempts ADD COLUMN option_order text",
        "CREATE TABLE releases (workshop_id text NOT NULL REFERENCES workshops(id), exercise_id text NOT NULL, "
        'released_at text COLLATE "C" NOT NULL, trainer text NOT NULL, PRIMARY KEY (workshop_id, exercise_id))',
        "CREATE TRIGGER attempts_option_order_immutable BEFORE UPDATE OF option_order ON attempts FOR EACH ROW "
        "EXECUTE FUNCTION refuse_change('attempt records are immutable')",
    ],
    [  # 5 → 6: the JupyterHub login of an officer who joined logged in, one trainee per login and workshop
        "ALTER TABLE trainees ADD COLUMN account text",
        "CREATE UNIQUE INDEX trainees_by_account ON trainees (workshop_id, account)",
    ],
]


class PostgresStore(SQLStore):
    """The results store in a PostgreSQL database, given by a ``postgresql://`` (or ``postgres://``) URL.

    The role needs to create tables in the database's schema (its owner, say). Opening one checks the server and
    upgrades the schema; its pool is closed when the store is dropped (or at exit).
    """

    INSERTION = "seq"
    NAME_KEY = "name_key"  # the column, written with the row

    def __init__(self, url: str):
        self.url = url
        self.location = printable(url)
        self.upgrade()
        self.pool = ConnectionPool(
            url,
            kwargs={"row_factory": dict_row, "prepare_threshold": None},  # no prepared statements: pgbouncer-safe
            min_size=POOL_MIN,
            max_size=POOL_MAX,
            max_idle=POOL_MAX_IDLE_SECONDS,
            timeout=WAIT_SECONDS,
            num_workers=1,
            open=True,
        )
        weakref.finalize(self, self.pool.close)

    def _unreachable(self, exc: psycopg.Error) -> StoreError:
        """The error for a server that cannot be reached or refuses the login, without the password."""
        params = conninfo_to_dict(self.url)
        where = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
        # libpq's first line ends with the cause: "connection to server at …, port 5432 failed: Connection refused"
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0].rpartition("failed: ")[2]
        if params.get("password"):
            reason = reason.replace(params["password"], "***")
        return StoreError(
            f"cannot connect to the PostgreSQL results database {params.get('dbname', '')!r} at {where} ({reason}); "
            "check that the server runs and accepts this user, and the host, port and database of --db or TROVE_DB"
        )

    @contextmanager
    def connect(self) -> Iterator[psycopg.Connection]:
        """A pooled connection inside one transaction (committed on success, rolled back on an exception);
        database errors become ``StoreError``."""
        try:
            with self.pool.connection() as con:
                yield con
        except PoolTimeout as exc:
            raise self._unreachable(exc) from None
        except (errors.IntegrityError, errors.RaiseException) as exc:
            if exc.diag.constraint_name == "trainees_resume_code":
                raise _ResumeCodeTaken(str(exc)) from None
            raise StoreError(
                f"the results database {self.location} refused a change: {exc.diag.message_primary}"
            ) from None
        except psycopg.OperationalError as exc:
            raise self._unreachable(exc) from None
        except psycopg.Error as exc:
            raise StoreError(
                f"the results database {self.location} could not be used: {exc} "
                "(if its disk is full, free space; if the schema was changed by hand, restore it from a backup)"
            ) from None

    def upgrade(self) -> int:
        """Bring the schema to ``SCHEMA_VERSION`` through the upgrade chain, holding the upgrade lock; returns the
        version. Uses a connection of its own, so an unreachable server is reported at once."""
        try:
            con = psycopg.connect(self.url, connect_timeout=10, row_factory=dict_row)
        except psycopg.OperationalError as exc:
            raise self._unreachable(exc) from None
        try:
            with con, con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))
                # Read first, create only when new: a role that may no longer create tables still opens the store.
                known = con.execute("SELECT to_regclass('schema_version') IS NOT NULL AS known").fetchone()["known"]
                row = con.execute("SELECT max(version) AS version FROM schema_version").fetchone() if known else None
                version = (row and row["version"]) or 0
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.location} was written by a newer Trở về (schema {version} > {SCHEMA_VERSION}); "
                        "update the app, or back up the database and point --db or TROVE_DB elsewhere"
                    )
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        con.execute(statement)
                if not known:
                    con.execute("CREATE TABLE schema_version (version integer NOT NULL)")
                if version < SCHEMA_VERSION:
                    con.execute("DELETE FROM schema_version")
                    con.execute("INSERT INTO schema_version VALUES (%s)", (SCHEMA_VERSION,))
        except psycopg.OperationalError as exc:
            raise self._unreachable(exc) from None
        except psycopg.Error as exc:
            raise StoreError(
                f"could not upgrade the results database {self.location}: {exc.diag.message_primary or exc} "
                "(the role of --db needs to create tables there; the schema was left as it was)"
            ) from None
        finally:
            con.close()
        return SCHEMA_VERSION

    def _all(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        """The rows of one query, as dicts."""
        with self.connect() as con:
            return con.execute(sql.replace("?", "%s"), params).fetchall()

    def _write(self, *statements: tuple[str, tuple]) -> None:
        """Run the statements in one transaction."""
        with self.connect() as con:
            for sql, params in statements:
                con.execute(sql.replace("?", "%s"), params)

    # trainees, attempts, events: writes that check and write in one transaction ---------------
    def add_trainee(
        self, workshop_id: str, full_name: str, commune: str, role: str, account: str | None = None
    ) -> Trainee:
        """Add a trainee with a random id and a fresh resume code (refused for an account already in the workshop)."""

        def insert(con: psycopg.Connection, code: str) -> Trainee:
            taken = "SELECT 1 FROM trainees WHERE workshop_id=%s AND account=%s"
            if account is not None and con.execute(taken, (workshop_id, account)).fetchone():
                raise StoreError(account_taken(workshop_id, account))
            trainee = Trainee(secrets.token_hex(8), workshop_id, full_name, commune, role, code, account)
            try:
                con.execute(
                    "INSERT INTO trainees (id, workshop_id, full_name, name_key, commune, role, resume_code, "
                    "joined_at, account) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (trainee.id, workshop_id, full_name, name_key(full_name), commune, role, code, now(), account),
                )
            except errors.UniqueViolation as exc:  # the same account joining at the same moment elsewhere
                if exc.diag.constraint_name == "trainees_by_account":
                    raise StoreError(account_taken(workshop_id, account)) from None
                raise
            return trainee

        return self._with_new_code(insert)

    def reissue_resume_code(self, trainee_id: str) -> Trainee:
        """Replace the trainee's resume code with a fresh one."""

        def reissue(con: psycopg.Connection, code: str) -> Trainee:
            row = con.execute(
                "UPDATE trainees SET resume_code=%s WHERE id=%s RETURNING *", (code, trainee_id)
            ).fetchone()
            if row is None:
                raise StoreError(f"no trainee {trainee_id!r} in the results database")
            return trainee_of(row)

        return self._with_new_code(reissue)

    def _with_new_code(self, write: Callable[[psycopg.Connection, str], Trainee]) -> Trainee:
        """Draw a resume code and ``write`` it in one transaction; a code already taken (seen first, or written by
        a concurrent transaction: the unique constraint refuses it) draws another."""
        for _ in range(20):
            code = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(6))
            with contextlib.suppress(_ResumeCodeTaken), self.connect() as con:
                if con.execute("SELECT 1 FROM trainees WHERE resume_code=%s", (code,)).fetchone() is None:
                    return write(con, code)
        raise StoreError("could not allocate a resume code; try again")

    def start_attempt(self, attempt: Attempt) -> Attempt:
        """Create the attempt, or return the one already started for (trainee, exercise, position)."""
        with self.connect() as con:
            inserted = con.execute(
                "INSERT INTO attempts (id, trainee_id, exercise_id, exercise_version, position, scenario_id, "
                "scenario_version, seed, rulebook_version, app_version, decision_points, rubric, case_json, "
                "started_at, option_order) VALUES (%(id)s, %(trainee_id)s, %(exercise_id)s, %(exercise_version)s, "
                "%(position)s, %(scenario_id)s, %(scenario_version)s, %(seed)s, %(rulebook_version)s, "
                "%(app_version)s, %(decision_points)s, %(rubric)s, %(case_json)s, %(started_at)s, %(option_order)s) "
                "ON CONFLICT (trainee_id, exercise_id, position) DO NOTHING RETURNING id",
                attempt_row(attempt),
            ).fetchone()
            if inserted is not None:
                return attempt
            row = con.execute(
                "SELECT * FROM attempts WHERE trainee_id=%s AND exercise_id=%s AND position=%s",
                (attempt.trainee_id, attempt.exercise_id, attempt.position),
            ).fetchone()
        return attempt_of(row)

    def record(self, attempt_id: str, kind: str, key: str, payload: Any, clock_minutes: int) -> int:
        """Append one event (autosave). Refused once the attempt is submitted: the attempt's row is share-locked,
        so a concurrent ``submit`` waits for this event or this event sees the submission."""
        with self.connect() as con:
            row = con.execute("SELECT submitted_at FROM attempts WHERE id=%s FOR SHARE", (attempt_id,)).fetchone()
            if row is None:
                raise StoreError(f"no attempt {attempt_id!r}")
            if row["submitted_at"] is not None:
                raise StoreError("this case was already submitted; its answers can no longer change")
            return con.execute(
                "INSERT INTO events (attempt_id, kind, key, payload, clock_minutes, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                (attempt_id, kind, key, json.dumps(payload, ensure_ascii=False, sort_keys=True), clock_minutes, now()),
            ).fetchone()["id"]

    def submit(self, attempt_id: str, report: dict[str, Any]) -> None:
        """Set the submission time and insert the report in one transaction; a second submit is ignored."""
        at = now()
        with self.connect() as con:
            submitted = con.execute(
                "UPDATE attempts SET submitted_at=%s WHERE id=%s AND submitted_at IS NULL RETURNING id",
                (at, attempt_id),
            ).fetchone()
            if submitted is None:
                return  # unknown, or already submitted (a double click): keep the first report
            con.execute(
                "INSERT INTO reports (attempt_id, total, max_points, percent, report, scored_at) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    attempt_id,
                    report["total"],
                    report["max_points"],
                    report["percent"],
                    json.dumps(report, ensure_ascii=False),
                    at,
                ),
            )


class _ResumeCodeTaken(StoreError):
    """A concurrent transaction wrote the same resume code first (``_with_new_code`` draws another)."""
