"""The SQLite results store: one file, WAL mode, a versioned schema with an upgrade chain.

Attempts are immutable once started (seed, scenario id and version, the case itself, rulebook and app
versions); answers and interview actions are append-only events with timestamps; score reports and
trainer overrides sit beside them. Every connection is short-lived and every write is its own
transaction, so many trainee kernels can write at once without losing anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sim.locations import results_path
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

# The upgrade chain: MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: list[list[str]] = [
    # Each statement's text is kept byte for byte as first released (it is what sqlite_master records);
    # long ones are split into adjacent literals only to fit the line length.
    [  # 0 → 1: the first schema
        (
            "CREATE TABLE workshops (id TEXT PRIMARY KEY, title TEXT NOT NULL, code TEXT, exercises TEXT NOT NULL, "
            "created_at TEXT NOT NULL)"
        ),
        (
            "CREATE TABLE trainees (id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id), "
            "full_name TEXT NOT NULL,\n"
            "               commune TEXT NOT NULL, role TEXT NOT NULL, resume_code TEXT NOT NULL UNIQUE, "
            "joined_at TEXT NOT NULL)"
        ),
        (
            "CREATE TABLE attempts (id TEXT PRIMARY KEY, trainee_id TEXT NOT NULL REFERENCES trainees(id), "
            "exercise_id TEXT NOT NULL,\n"
            "               exercise_version TEXT NOT NULL, position INTEGER NOT NULL, scenario_id TEXT NOT NULL, "
            "scenario_version TEXT NOT NULL,\n"
            "               seed INTEGER NOT NULL, rulebook_version TEXT NOT NULL, app_version TEXT NOT NULL, "
            "decision_points TEXT NOT NULL,\n"
            "               rubric TEXT NOT NULL, case_json TEXT NOT NULL, started_at TEXT NOT NULL, "
            "submitted_at TEXT,\n"
            "               UNIQUE (trainee_id, exercise_id, position))"
        ),
        (
            "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, attempt_id TEXT NOT NULL "
            "REFERENCES attempts(id),\n"
            "               kind TEXT NOT NULL CHECK (kind IN ('action', 'answer')), key TEXT NOT NULL, "
            "payload TEXT NOT NULL,\n"
            "               clock_minutes INTEGER NOT NULL, created_at TEXT NOT NULL)"
        ),
        "CREATE INDEX events_by_attempt ON events (attempt_id, id)",
        (
            "CREATE TABLE reports (attempt_id TEXT PRIMARY KEY REFERENCES attempts(id), total REAL NOT NULL, "
            "max_points REAL NOT NULL,\n"
            "               percent REAL NOT NULL, report TEXT NOT NULL, scored_at TEXT NOT NULL)"
        ),
        (
            "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        ),
        (
            "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        ),
        (
            "CREATE TRIGGER attempts_immutable BEFORE UPDATE OF id, trainee_id, exercise_id, exercise_version, "
            "position, scenario_id,\n"
            "               scenario_version, seed, rulebook_version, app_version, decision_points, rubric, case_json, "
            "started_at ON attempts\n"
            "               BEGIN SELECT RAISE(ABORT, 'attempt records are immutable'); END"
        ),
    ],
    [  # 1 → 2: trainer overrides and comments, kept beside the automatic score
        (
            "CREATE TABLE overrides (id INTEGER PRIMARY KEY AUTOINCREMENT, attempt_id TEXT NOT NULL "
            "REFERENCES attempts(id),\n"
            "               decision_point TEXT NOT NULL, points REAL, comment TEXT NOT NULL, trainer TEXT NOT NULL, "
            "created_at TEXT NOT NULL)"
        ),
        "CREATE INDEX overrides_by_attempt ON overrides (attempt_id, id)",
    ],
    [  # 2 → 3: the trainer secret (salted hash only) and the workshop's region pack
        "ALTER TABLE workshops ADD COLUMN trainer_secret_hash TEXT",
        "ALTER TABLE workshops ADD COLUMN region TEXT NOT NULL DEFAULT 'lam-dong-binh-thuan'",
    ],
    [  # 3 → 4: wrong resume codes by client address, for rate limiting guesses across kernels
        "CREATE TABLE resume_failures (address TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE INDEX resume_failures_by_address ON resume_failures (address, at)",
    ],
    [  # 4 → 5: the order each case shows its options in, and released answers of assessment-mode exercises
        "ALTER TABLE attempts ADD COLUMN option_order TEXT",
        (
            "CREATE TABLE releases (workshop_id TEXT NOT NULL REFERENCES workshops(id), exercise_id TEXT NOT NULL, "
            "released_at TEXT NOT NULL, trainer TEXT NOT NULL, PRIMARY KEY (workshop_id, exercise_id))"
        ),
        (
            "CREATE TRIGGER attempts_option_order_immutable BEFORE UPDATE OF option_order ON attempts "
            "BEGIN SELECT RAISE(ABORT, 'attempt records are immutable'); END"
        ),
    ],
    [  # 5 → 6: the JupyterHub login of an officer who joined logged in, one trainee per login and workshop
        "ALTER TABLE trainees ADD COLUMN account TEXT",
        "CREATE UNIQUE INDEX trainees_by_account ON trainees (workshop_id, account)",
    ],
]


class SQLiteStore(SQLStore):
    """The results store in one SQLite file (the embedded default).

    Cheap to create; opens a connection per operation.
    """

    INSERTION = "rowid"
    NAME_KEY = "name_key(full_name)"  # the Python function, registered on each connection

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else results_path()
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder for the results file {self.path} ({exc.strerror}); "
                "set TROVE_DB to a writable path"
            ) from None
        if not self.path.exists():  # names and resume codes: readable by this user only (SQLite's -wal follows)
            with contextlib.suppress(OSError):
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        self.upgrade()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection (WAL, foreign keys on, 30 s busy wait); SQLite errors become ``StoreError``."""
        try:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the results file {self.path}: {exc} (check the path and its permissions)"
            ) from None
        try:
            con.row_factory = sqlite3.Row
            con.create_function("name_key", 1, name_key, deterministic=True)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA busy_timeout=30000")
            yield con
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"the results file {self.path} refused a change: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"the results file {self.path} could not be used: {exc} "
                "(if the disk is full, free space; if the file is damaged, restore it from a backup)"
            ) from None
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection inside ``BEGIN IMMEDIATE``: committed on success, rolled back on any exception."""
        with self.connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def upgrade(self) -> int:
        """Bring the schema to ``SCHEMA_VERSION`` through the upgrade chain; returns the version."""
        with self.transaction() as con:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer Trở về (schema {version} > {SCHEMA_VERSION}); "
                    "update the app, or back up the file and point TROVE_DB elsewhere"
                )
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    con.execute(statement)
                con.execute(f"PRAGMA user_version={step + 1}")
            return SCHEMA_VERSION

    def _all(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        """The rows of one query, as dicts."""
        with self.connect() as con:
            return [dict(r) for r in con.execute(sql, params)]

    def _write(self, *statements: tuple[str, tuple]) -> None:
        """Run the statements in one ``BEGIN IMMEDIATE`` transaction."""
        with self.transaction() as con:
            for sql, params in statements:
                con.execute(sql, params)

    # trainees, attempts, events: writes that check and write in one transaction ---------------
    def add_trainee(
        self, workshop_id: str, full_name: str, commune: str, role: str, account: str | None = None
    ) -> Trainee:
        """Add a trainee with a random id and a fresh resume code (refused for an account already in the workshop)."""

        def insert(con: sqlite3.Connection, code: str) -> Trainee:
            taken = "SELECT 1 FROM trainees WHERE workshop_id=? AND account=?"
            if account is not None and con.execute(taken, (workshop_id, account)).fetchone():
                raise StoreError(account_taken(workshop_id, account))
            trainee = Trainee(secrets.token_hex(8), workshop_id, full_name, commune, role, code, account)
            con.execute(
                "INSERT INTO trainees (id, workshop_id, full_name, commune, role, resume_code, joined_at, account) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (trainee.id, workshop_id, full_name, commune, role, code, now(), account),
            )
            return trainee

        return self._with_new_code(insert)

    def reissue_resume_code(self, trainee_id: str) -> Trainee:
        """Replace the trainee's resume code with a fresh one."""

        def replace(con: sqlite3.Connection, code: str) -> Trainee:
            if con.execute("UPDATE trainees SET resume_code=? WHERE id=?", (code, trainee_id)).rowcount != 1:
                raise StoreError(f"no trainee {trainee_id!r} in the results file")
            return _trainee(con.execute("SELECT * FROM trainees WHERE id=?", (trainee_id,)).fetchone())

        return self._with_new_code(replace)

    def _with_new_code(self, write: Callable[[sqlite3.Connection, str], Trainee]) -> Trainee:
        """Draw a resume code unused in the store and ``write`` it, both in one write transaction."""
        for _ in range(20):
            code = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(6))
            with self.transaction() as con:
                if con.execute("SELECT 1 FROM trainees WHERE resume_code=?", (code,)).fetchone():
                    continue  # collision: draw another
                return write(con, code)
        raise StoreError("could not allocate a resume code; try again")

    def start_attempt(self, attempt: Attempt) -> Attempt:
        """Create the attempt, or return the one already started for (trainee, exercise, position)."""
        with self.transaction() as con:
            row = con.execute(
                "SELECT * FROM attempts WHERE trainee_id=? AND exercise_id=? AND position=?",
                (attempt.trainee_id, attempt.exercise_id, attempt.position),
            ).fetchone()
            if row is not None:
                return _attempt(row)
            con.execute(
                "INSERT INTO attempts VALUES (:id, :trainee_id, :exercise_id, :exercise_version, :position, "
                ":scenario_id, :scenario_version, :seed, :rulebook_version, :app_version, :decision_points, :rubric, "
                ":case_json, :started_at, NULL, :option_order)",
                attempt_row(attempt),
            )
            return attempt

    def record(self, attempt_id: str, kind: str, key: str, payload: Any, clock_minutes: int) -> int:
        """Append one event (autosave). Refused once the attempt is submitted."""
        with self.transaction() as con:
            submitted = con.execute("SELECT submitted_at FROM attempts WHERE id=?", (attempt_id,)).fetchone()
            if submitted is None:
                raise StoreError(f"no attempt {attempt_id!r}")
            if submitted[0] is not None:
                raise StoreError("this case was already submitted; its answers can no longer change")
            cur = con.execute(
                "INSERT INTO events (attempt_id, kind, key, payload, clock_minutes, created_at) VALUES (?,?,?,?,?,?)",
                (attempt_id, kind, key, json.dumps(payload, ensure_ascii=False, sort_keys=True), clock_minutes, now()),
            )
            return int(cur.lastrowid)

    def submit(self, attempt_id: str, report: dict[str, Any]) -> None:
        """Set the submission time and insert the report in one transaction; a second submit is ignored."""
        with self.transaction() as con:
            row = con.execute("SELECT submitted_at FROM attempts WHERE id=?", (attempt_id,)).fetchone()
            if row is None or row[0] is not None:
                return  # already submitted (a double click): keep the first report
            at = now()
            con.execute("UPDATE attempts SET submitted_at=? WHERE id=?", (at, attempt_id))
            con.execute(
                "INSERT INTO reports VALUES (?,?,?,?,?,?)",
                (
                    attempt_id,
                    report["total"],
                    report["max_points"],
                    report["percent"],
                    json.dumps(report, ensure_ascii=False),
                    at,
                ),
            )


def _trainee(row: sqlite3.Row) -> Trainee:
    return trainee_of(dict(row))


def _attempt(row: sqlite3.Row) -> Attempt:
    return attempt_of(dict(row))
