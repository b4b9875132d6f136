"""The results store's interface: what the façades, results, exports and the server may ask of a store.

``ResultsStore`` is the contract; ``SQLiteStore`` (one file, the embedded default) implements it, and
a second implementation (PostgreSQL for many servers) can be added behind ``stores.open_store`` without
touching any caller. Attempts are immutable once started; answers and interview actions are
append-only events; score reports and trainer overrides sit beside them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sim.errors import SimError

SCHEMA_VERSION = 3
DEFAULT_WORKSHOP_ID = "tro-ve"  # the id of `trove serve`'s default workshop ("Trở về")
DEFAULT_WORKSHOP_TITLE = "Trở về"
RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
_PBKDF2_ROUNDS = 200_000


class StoreError(SimError):
    """The results store cannot be read or written; the message says what to do."""


def now() -> str:
    """The current time in UTC, ISO 8601 with milliseconds (how every store records time)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def secret_hash(secret: str) -> str:
    """A salted PBKDF2 hash of a trainer secret (stores keep only this).

    >>> check_secret_hash(secret_hash("s3cret"), "s3cret"), check_secret_hash(secret_hash("s3cret"), "other")
    (True, False)
    """
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), _PBKDF2_ROUNDS).hex()
    return f"pbkdf2-sha256${salt}${digest}"


def check_secret_hash(stored: str | None, secret: object) -> bool:
    """Whether ``secret`` matches a hash made by ``secret_hash`` (constant-time comparison)."""
    if not stored or not isinstance(secret, str) or not secret:
        return False
    _, salt, digest = stored.split("$")
    attempt = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), _PBKDF2_ROUNDS).hex()
    return hmac.compare_digest(attempt, digest)


@dataclass(frozen=True)
class Trainee:
    """A person who joined a workshop, with the code that lets them resume."""

    id: str
    workshop_id: str
    full_name: str
    commune: str
    role: str
    resume_code: str


@dataclass(frozen=True)
class Attempt:
    """One trainee's attempt at one case position of an exercise: everything needed to replay it exactly."""

    id: str
    trainee_id: str
    exercise_id: str
    exercise_version: str
    position: int
    scenario_id: str
    scenario_version: str
    seed: int
    rulebook_version: str
    app_version: str
    decision_points: list[str]
    rubric: dict[str, float]
    case_json: str
    started_at: str
    submitted_at: str | None


class ResultsStore(Protocol):
    """What a results store offers. Every write is its own transaction; events and attempts never change."""

    def ensure_workshop(self, workshop_id: str, title: str, code: str | None, exercises: list[str]) -> None: ...
    def configure_workshop(
        self, workshop_id: str, title: str, code: str | None, exercises: list[str], region: str
    ) -> None: ...
    def set_trainer_secret(self, workshop_id: str, secret: str) -> None: ...
    def check_trainer_secret(self, workshop_id: str, secret: object) -> bool: ...
    def set_exercises(self, workshop_id: str, exercises: list[str]) -> None: ...
    def workshop_ids(self) -> list[str]: ...
    def only_workshop(self) -> str: ...
    def workshop(self, workshop_id: str) -> dict[str, Any] | None: ...
    def add_trainee(self, workshop_id: str, full_name: str, commune: str, role: str) -> Trainee: ...
    def trainee_by_code(self, resume_code: str) -> Trainee | None: ...
    def trainees_by_name(self, workshop_id: str, full_name: str) -> list[Trainee]: ...
    def trainees(self, workshop_id: str) -> list[Trainee]: ...
    def start_attempt(self, attempt: Attempt) -> Attempt: ...
    def attempt(self, attempt_id: str) -> Attempt: ...
    def attempts_of(self, trainee_id: str) -> list[Attempt]: ...
    def record(self, attempt_id: str, kind: str, key: str, payload: Any, clock_minutes: int) -> int: ...
    def events(self, attempt_id: str) -> list[dict[str, Any]]: ...
    def submit(self, attempt_id: str, report: dict[str, Any]) -> None: ...
    def report(self, attempt_id: str) -> dict[str, Any] | None: ...
    def submitted_rows(self, workshop_id: str) -> list[dict[str, Any]]: ...
    def add_override(
        self, attempt_id: str, decision_point: str, points: float | None, comment: str, trainer: str
    ) -> None: ...
    def overrides(self, attempt_id: str) -> list[dict[str, Any]]: ...
