"""What the SQLite and PostgreSQL stores share: every store method whose SQL reads the same in both, written
once over two primitives each store implements (``_all`` reads rows as dicts, ``_write`` runs statements in one
transaction; both take ``?`` placeholders). The stores keep what their databases do differently: connecting,
the upgrade chain, and the writes that need their own locking (new trainees, attempts, events, submission).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from sim.workshop.store import (
    Attempt,
    StoreError,
    Trainee,
    attempt_of,
    check_secret_hash,
    name_key,
    now,
    secret_hash,
    trainee_of,
)

WORKSHOP_COLUMNS = "id, title, code, exercises, region, created_at, trainer_secret_hash"


class SQLStore(ABC):
    """The shared half of a SQL results store (see the module); a store sets these class attributes."""

    location: str  # how messages name the store (no password)
    INSERTION: str  # the column that orders rows added in the same millisecond (SQLite's rowid, PostgreSQL's seq)
    NAME_KEY: str  # the SQL of a trainee's ``name_key``

    @abstractmethod
    def _all(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        """The rows of one query, as dicts."""

    @abstractmethod
    def _write(self, *statements: tuple[str, tuple]) -> None:
        """Run the statements, each (SQL, parameters), in one write transaction."""

    def _one(self, sql: str, params: tuple = ()) -> dict[str, Any] | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    # workshops ---------------------------------------------------------------------------------
    def ensure_workshop(self, workshop_id: str, title: str, code: str | None, exercises: list[str]) -> None:
        """Create the workshop if it is new; an existing one keeps its settings (a trainer may have changed them)."""
        self._write(
            (
                "INSERT INTO workshops (id, title, code, exercises, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (workshop_id, title, code, json.dumps(exercises), now()),
            )
        )

    def configure_workshop(
        self, workshop_id: str, title: str, code: str | None, exercises: list[str], region: str
    ) -> None:
        """Set a workshop's settings (``trove serve`` does this at start)."""
        self.ensure_workshop(workshop_id, title, code, exercises)
        self._write(
            (
                "UPDATE workshops SET title=?, code=?, exercises=?, region=? WHERE id=?",
                (title, code, json.dumps(exercises), region, workshop_id),
            )
        )

    def set_trainer_secret(self, workshop_id: str, secret: str) -> None:
        """Keep only a salted hash of the trainer's secret."""
        self._write(("UPDATE workshops SET trainer_secret_hash=? WHERE id=?", (secret_hash(secret), workshop_id)))

    def check_trainer_secret(self, workshop_id: str, secret: object) -> bool:
        """Whether ``secret`` matches the workshop's stored hash (False for a non-string or empty secret)."""
        if not isinstance(secret, str) or not secret:
            return False
        workshop = self.workshop(workshop_id)
        return workshop is not None and check_secret_hash(workshop["trainer_secret_hash"], secret)

    def set_exercises(self, workshop_id: str, exercises: list[str]) -> None:
        """Replace the workshop's exercise ids."""
        self._write(("UPDATE workshops SET exercises=? WHERE id=?", (json.dumps(exercises), workshop_id)))

    def workshop_ids(self) -> list[str]:
        """Every workshop id, oldest first."""
        return [r["id"] for r in self._all(f"SELECT id FROM workshops ORDER BY created_at, {self.INSERTION}")]

    def only_workshop(self) -> str:
        """The workshop id when the store holds exactly one; a clear error otherwise."""
        ids = self.workshop_ids()
        if len(ids) == 1:
            return ids[0]
        raise StoreError(
            f"{self.location} holds {len(ids)} workshops ({', '.join(ids) or 'none'}); choose one with --workshop"
        )

    def workshop(self, workshop_id: str) -> dict[str, Any] | None:
        """The workshop's settings with ``exercises`` decoded, or None."""
        row = self._one(f"SELECT {WORKSHOP_COLUMNS} FROM workshops WHERE id=?", (workshop_id,))
        return None if row is None else row | {"exercises": json.loads(row["exercises"])}

    # trainees ----------------------------------------------------------------------------------
    def trainee_by_account(self, workshop_id: str, account: str) -> Trainee | None:
        """The workshop's trainee with this JupyterHub login, or None."""
        row = self._one("SELECT * FROM trainees WHERE workshop_id=? AND account=?", (workshop_id, account))
        return None if row is None else trainee_of(row)

    def trainee_by_code(self, resume_code: str) -> Trainee | None:
        """The trainee with this resume code (trimmed, upper-cased), or None."""
        row = self._one("SELECT * FROM trainees WHERE resume_code=?", (resume_code.strip().upper(),))
        return None if row is None else trainee_of(row)

    def trainees_by_name(self, workshop_id: str, full_name: str) -> list[Trainee]:
        """The workshop's trainees with this name, compared as ``name_key`` does (case, accents, spaces, form)."""
        rows = self._all(
            f"SELECT * FROM trainees WHERE workshop_id=? AND {self.NAME_KEY}=? ORDER BY joined_at, {self.INSERTION}",
            (workshop_id, name_key(full_name)),
        )
        return [trainee_of(r) for r in rows]

    def trainees(self, workshop_id: str) -> list[Trainee]:
        """The workshop's trainees in joining order."""
        rows = self._all(
            f"SELECT * FROM trainees WHERE workshop_id=? ORDER BY joined_at, {self.INSERTION}", (workshop_id,)
        )
        return [trainee_of(r) for r in rows]

    def record_resume_failure(self, address: str, window_seconds: float) -> None:
        """Note a wrong resume code from ``address``; forget those older than ``window_seconds``."""
        self._write(
            ("DELETE FROM resume_failures WHERE at<?", (now(seconds_ago=window_seconds),)),
            ("INSERT INTO resume_failures (address, at) VALUES (?, ?)", (address, now())),
        )

    def recent_resume_failures(self, address: str, window_seconds: float) -> int:
        """Wrong resume codes from ``address`` in the last ``window_seconds``."""
        return self._all(
            "SELECT count(*) AS n FROM resume_failures WHERE address=? AND at>=?",
            (address, now(seconds_ago=window_seconds)),
        )[0]["n"]

    # attempts, events, reports ---------------------------------------------------------------
    def attempt(self, attempt_id: str) -> Attempt:
        """The attempt with this id; ``StoreError`` if there is none."""
        row = self._one("SELECT * FROM attempts WHERE id=?", (attempt_id,))
        if row is None:
            raise StoreError(f"no attempt {attempt_id!r} in {self.location}")
        return attempt_of(row)

    def attempts_of(self, trainee_id: str) -> list[Attempt]:
        """A trainee's attempts by exercise and position."""
        rows = self._all("SELECT * FROM attempts WHERE trainee_id=? ORDER BY exercise_id, position", (trainee_id,))
        return [attempt_of(r) for r in rows]

    def events(self, attempt_id: str) -> list[dict[str, Any]]:
        """An attempt's events in the order recorded, payloads decoded."""
        rows = self._all("SELECT * FROM events WHERE attempt_id=? ORDER BY id", (attempt_id,))
        return [r | {"payload": json.loads(r["payload"])} for r in rows]

    def report(self, attempt_id: str) -> dict[str, Any] | None:
        """The stored report, decoded, or None before submission."""
        row = self._one("SELECT report FROM reports WHERE attempt_id=?", (attempt_id,))
        return None if row is None else json.loads(row["report"])

    def submitted_rows(self, workshop_id: str) -> list[dict[str, Any]]:
        """Every attempt of a workshop with its trainee and (if submitted) its report, oldest first."""
        rows = self._all(
            "SELECT t.id AS trainee_id, t.full_name, t.commune, t.role, t.joined_at, a.id AS attempt_id, "
            "a.exercise_id, a.exercise_version, a.position, a.scenario_id, a.scenario_version, a.seed, "
            "a.rulebook_version, a.started_at, a.submitted_at, r.report, "
            "(SELECT max(e.created_at) FROM events e WHERE e.attempt_id = a.id) AS last_event_at "
            "FROM trainees t LEFT JOIN attempts a ON a.trainee_id = t.id "
            "LEFT JOIN reports r ON r.attempt_id = a.id WHERE t.workshop_id = ? "
            f"ORDER BY t.joined_at, t.{self.INSERTION}, a.exercise_id, a.position",
            (workshop_id,),
        )
        return [r | {"report": json.loads(r["report"]) if r["report"] else None} for r in rows]

    def release_answers(self, workshop_id: str, exercise_id: str, trainer: str) -> None:
        """Record the release (the first one stands)."""
        self._write(
            (
                "INSERT INTO releases (workshop_id, exercise_id, released_at, trainer) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (workshop_id, exercise_id) DO NOTHING",
                (workshop_id, exercise_id, now(), trainer),
            )
        )

    def released_answers(self, workshop_id: str) -> dict[str, str]:
        """Exercise id → time of release."""
        rows = self._all(
            "SELECT exercise_id, released_at FROM releases WHERE workshop_id=? ORDER BY released_at", (workshop_id,)
        )
        return {r["exercise_id"]: r["released_at"] for r in rows}

    def add_override(
        self, attempt_id: str, decision_point: str, points: float | None, comment: str, trainer: str
    ) -> None:
        """Append an override row."""
        self._write(
            (
                "INSERT INTO overrides (attempt_id, decision_point, points, comment, trainer, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (attempt_id, decision_point, points, comment, trainer, now()),
            )
        )

    def overrides(self, attempt_id: str) -> list[dict[str, Any]]:
        """An attempt's overrides, oldest first."""
        return self._all("SELECT * FROM overrides WHERE attempt_id=? ORDER BY id", (attempt_id,))
