"""The results store's interface: what the façades, results, exports and the server may ask of a store.

``ResultsStore`` is the contract; ``SQLiteStore`` (one file, the embedded default) and ``PostgresStore`` (one
database for many servers) implement it, and ``stores.open_store`` chooses between them by location, so no
caller knows which it has. Attempts are immutable once started; answers and interview actions are
append-only events; score reports and trainer overrides sit beside them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sim.errors import SimError

SCHEMA_VERSION = 6  # both stores' upgrade chains end here
DEFAULT_WORKSHOP_ID = "tro-ve"  # the id of `trove serve`'s default workshop ("Trở về")
DEFAULT_WORKSHOP_TITLE = "Trở về"
RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
_PBKDF2_ROUNDS = 200_000


class StoreError(SimError):
    """The results store cannot be read or written; the message says what to do."""


def now(seconds_ago: float = 0.0) -> str:
    """The current time (or ``seconds_ago`` before it) in UTC, ISO 8601 with milliseconds (how every store records
    time).

    >>> now(seconds_ago=60) < now()
    True
    """
    return (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat(timespec="milliseconds")


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


def name_key(name: str) -> str:
    """A name as the trainer's search compares it: case-folded, without accents or tone marks (đ as d), spaces
    collapsed, so that a trainer without a Vietnamese keyboard finds "Đỗ Thị Mất" by typing "do thi mat".

    >>> name_key("  TRẦN   Thị  Lan ") == name_key("tran thi lan") == name_key("trần thị lan")
    True
    >>> import unicodedata
    >>> name_key(unicodedata.normalize("NFD", "Trần")) == name_key("trần")  # a phone keyboard may send NFD
    True
    >>> name_key("Đỗ Thị Mất Mạng")
    'do thi mat mang'
    """
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Trainee:
    """A person who joined a workshop, with the code that lets them resume."""

    id: str
    workshop_id: str
    full_name: str
    commune: str
    role: str
    resume_code: str
    account: str | None = None  # the JupyterHub login of an officer who joined logged in; None: joined by name


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
    # decision point -> field -> option ids in the order the case shows them (``forms.option_order``);
    # None for attempts started before options were shuffled (they were shown in the data's order)
    option_order: dict[str, dict[str, list[str]]] | None = None


# Both stores keep a row in the same form (lists and dicts as JSON text); these decode one, given as a dict.
def trainee_of(row: dict[str, Any]) -> Trainee:
    """The trainee of a ``trainees`` row (extra columns, such as a store's own search key, are ignored)."""
    return Trainee(
        row["id"], row["workshop_id"], row["full_name"], row["commune"], row["role"], row["resume_code"], row["account"]
    )


def attempt_of(row: dict[str, Any]) -> Attempt:
    """The attempt of an ``attempts`` row, its JSON columns decoded."""
    data = dict(row)
    data["decision_points"] = json.loads(data["decision_points"])
    data["rubric"] = json.loads(data["rubric"])
    data["option_order"] = json.loads(data["option_order"]) if data.get("option_order") else None
    return Attempt(**data)


def account_taken(workshop_id: str, account: str) -> str:
    """The message of ``StoreError`` when an account joins a workshop it has already joined."""
    return (
        f"the account {account!r} has already joined workshop {workshop_id!r}; "
        "find that trainee with trainee_by_account instead of adding another"
    )


def attempt_row(attempt: Attempt) -> dict[str, Any]:
    """The ``attempts`` row of an attempt, its lists and dicts as JSON text (``attempt_of`` reads it back)."""
    return asdict(attempt) | {
        "decision_points": json.dumps(attempt.decision_points),
        "rubric": json.dumps(attempt.rubric),
        "option_order": None if attempt.option_order is None else json.dumps(attempt.option_order),
    }


class ResultsStore(Protocol):
    """What a results store offers the façades, results, exports and the server.

    Every write is its own transaction (committed or not at all). Attempts never change once started
    (only their submission time is set, once); events and overrides are only ever appended. A store that
    cannot read or write, or refuses a change, raises ``StoreError`` with a message that says what to do,
    not its database driver's exceptions. Times are ``now()`` strings, so they sort as text.
    """

    # workshops ---------------------------------------------------------------------------------
    def ensure_workshop(self, workshop_id: str, title: str, code: str | None, exercises: list[str]) -> None:
        """Create the workshop if it is new; an existing one keeps all its settings (idempotent).

        ``exercises`` lists exercise ids (empty: every exercise); ``code`` is the workshop code trainees
        type to join (None: no code). A new workshop has no trainer secret and the default region.
        """
        ...

    def configure_workshop(
        self, workshop_id: str, title: str, code: str | None, exercises: list[str], region: str
    ) -> None:
        """Create the workshop if needed, then set its title, code, exercises and region (``trove serve``).

        Overwrites those settings each time; the trainer secret, trainees and attempts are left as they are.
        """
        ...

    def set_trainer_secret(self, workshop_id: str, secret: str) -> None:
        """Replace the workshop's trainer secret; only a salted hash (``secret_hash``) is kept, never the text.

        An unknown workshop is left alone (nothing is created).
        """
        ...

    def check_trainer_secret(self, workshop_id: str, secret: object) -> bool:
        """Whether ``secret`` is the workshop's trainer secret (``check_secret_hash``).

        False, never an error, for anything but a non-empty string, an unknown workshop, or one with no secret.
        """
        ...

    def set_exercises(self, workshop_id: str, exercises: list[str]) -> None:
        """Replace the workshop's exercise ids (empty: every exercise); an unknown workshop is left alone."""
        ...

    def workshop_ids(self) -> list[str]:
        """The id of every workshop in the store, oldest first (an empty list for a new store)."""
        ...

    def only_workshop(self) -> str:
        """The workshop id when the store holds exactly one.

        Raises
        ------
        StoreError
            When it holds none or several; the message lists them and suggests ``--workshop``.
        """
        ...

    def workshop(self, workshop_id: str) -> dict[str, Any] | None:
        """The workshop's settings, or None if unknown.

        Keys: ``id``, ``title``, ``code``, ``exercises`` (a list of ids), ``region``, ``created_at`` and
        ``trainer_secret_hash`` (the hash only, None when no secret is set).
        """
        ...

    # trainees ----------------------------------------------------------------------------------
    def add_trainee(
        self, workshop_id: str, full_name: str, commune: str, role: str, account: str | None = None
    ) -> Trainee:
        """Add a trainee to a workshop with a new random id and a new resume code; return them.

        The resume code is 6 characters of ``RESUME_ALPHABET``, unique in the whole store. Names are stored
        as given (the façade cleans them); two trainees may share a name. ``account`` is the JupyterHub login
        of an officer who joined logged in (None for one who joined by name): at most one trainee per account
        in a workshop.

        Raises
        ------
        StoreError
            If the workshop does not exist, the account already has a trainee in it, or no unique resume code
            could be allocated.
        """
        ...

    def trainee_by_account(self, workshop_id: str, account: str) -> Trainee | None:
        """The workshop's trainee who joined with this JupyterHub login (compared exactly), or None."""
        ...

    def trainee_by_code(self, resume_code: str) -> Trainee | None:
        """The trainee with this resume code (surrounding spaces and letter case ignored), or None."""
        ...

    def trainees_by_name(self, workshop_id: str, full_name: str) -> list[Trainee]:
        """The workshop's trainees with this full name, compared by ``name_key``; may be empty.

        Case (Vietnamese letters too: ``TRẦN`` matches ``Trần``), runs of spaces and the Unicode form (NFC/NFD)
        are ignored; every store must compare the same way.
        """
        ...

    def trainees(self, workshop_id: str) -> list[Trainee]:
        """Every trainee of the workshop, in the order they joined (an empty list for an unknown workshop)."""
        ...

    def reissue_resume_code(self, trainee_id: str) -> Trainee:
        """Give the trainee a new resume code (the old one stops working); return them with it.

        Raises
        ------
        StoreError
            If there is no such trainee or no unique code could be allocated.
        """
        ...

    def record_resume_failure(self, address: str, window_seconds: float) -> None:
        """Note a wrong resume code typed from the client address ``address``, and forget every one (from any
        address) older than ``window_seconds``: only the window's failures are ever counted."""
        ...

    def recent_resume_failures(self, address: str, window_seconds: float) -> int:
        """How many wrong resume codes came from ``address`` in the last ``window_seconds``."""
        ...

    # attempts and events -----------------------------------------------------------------------
    def start_attempt(self, attempt: Attempt) -> Attempt:
        """Record a new attempt and return it, or return the one already started for the same (trainee,
        exercise, position) unchanged, so that opening a case twice replays the same case (idempotent).

        The attempt's fields are never changed afterwards; ``submitted_at`` is ignored here (a new attempt
        is unsubmitted).

        Raises
        ------
        StoreError
            If the trainee does not exist.
        """
        ...

    def attempt(self, attempt_id: str) -> Attempt:
        """The attempt with this id, as started (with ``submitted_at`` once submitted).

        Raises
        ------
        StoreError
            If there is no such attempt.
        """
        ...

    def attempts_of(self, trainee_id: str) -> list[Attempt]:
        """Every attempt of a trainee, ordered by exercise id and position (may be empty)."""
        ...

    def record(self, attempt_id: str, kind: str, key: str, payload: Any, clock_minutes: int) -> int:
        """Append one event to an attempt (the autosave) and return its id; ids grow in the order recorded.

        ``kind`` is ``"action"`` (an interview question asked; ``key`` is the question id) or ``"answer"``
        (``key`` is the decision point; the latest answer counts). ``payload`` must be JSON-serialisable;
        ``clock_minutes`` is the case's simulated clock. Events are never updated or deleted.

        Raises
        ------
        StoreError
            If the attempt does not exist, is already submitted, or ``kind`` is neither of the two.
        """
        ...

    def events(self, attempt_id: str) -> list[dict[str, Any]]:
        """Every event of an attempt in the order recorded (an empty list if none or unknown).

        Keys: ``id``, ``attempt_id``, ``kind``, ``key``, ``payload`` (decoded), ``clock_minutes``, ``created_at``.
        """
        ...

    def submit(self, attempt_id: str, report: dict[str, Any]) -> None:
        """Mark the attempt submitted and keep its score report (``ScoreReport.to_dict``) beside it, at once.

        ``report`` must hold ``total``, ``max_points`` and ``percent``. Idempotent: an attempt already
        submitted keeps its first report and time (a double click changes nothing); an unknown attempt is
        ignored. After this, ``record`` refuses the attempt.
        """
        ...

    def report(self, attempt_id: str) -> dict[str, Any] | None:
        """The score report kept by ``submit``, exactly as given, or None before submission."""
        ...

    def submitted_rows(self, workshop_id: str) -> list[dict[str, Any]]:
        """One row per attempt of the workshop, with its trainee and, if submitted, its report.

        Despite the name, unsubmitted attempts are included (``submitted_at`` and ``report`` None), and a
        trainee with no attempt gives one row whose attempt fields are None. Ordered by joining time, exercise
        and position. Keys: ``trainee_id``, ``full_name``, ``commune``, ``role``, ``joined_at``, ``attempt_id``,
        ``exercise_id``, ``exercise_version``, ``position``, ``scenario_id``, ``scenario_version``, ``seed``,
        ``rulebook_version``, ``started_at``, ``submitted_at``, ``report`` (decoded) and ``last_event_at``
        (the latest event's time, or None).
        """
        ...

    # released answers (exercises in assessment mode) -------------------------------------------
    def release_answers(self, workshop_id: str, exercise_id: str, trainer: str) -> None:
        """Let the trainees of a workshop see the correct answers and explanations of an exercise in assessment
        mode. Idempotent: a second release keeps the first time. There is no withdrawal (what was shown was seen).
        """
        ...

    def released_answers(self, workshop_id: str) -> dict[str, str]:
        """The exercises whose answers the workshop's trainer has released: exercise id → time of release."""
        ...

    # overrides ---------------------------------------------------------------------------------
    def add_override(
        self, attempt_id: str, decision_point: str, points: float | None, comment: str, trainer: str
    ) -> None:
        """Append a trainer's override of one decision point's points (None: a comment only).

        The report is never rewritten; ``results.final_score`` applies the latest override per decision
        point. The store does not check or clamp the points (the trainer desk does).

        Raises
        ------
        StoreError
            If the attempt does not exist.
        """
        ...

    def overrides(self, attempt_id: str) -> list[dict[str, Any]]:
        """Every override of an attempt, oldest first (may be empty).

        Keys: ``id``, ``attempt_id``, ``decision_point``, ``points``, ``comment``, ``trainer``, ``created_at``.
        """
        ...
