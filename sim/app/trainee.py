"""The trainee's door: the only API the trainee UI calls. Plain Python, no widgets.

``Workshop`` joins and finds trainees; ``CaseSession`` is one trainee's attempt at one case: it
records every interview action and answer immediately (autosave), advances the simulated clock,
submits, and returns the score report. Its state is rebuilt from the store, so a reload, a kernel
restart or a server restart loses nothing. Every input is validated here, because a visitor can drive
widgets from a script.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sim
from sim.app.guesses import GuessLimiter
from sim.errors import SimError
from sim.library import packaged_library
from sim.workshop.serve import ACCOUNT_ENV, ACCOUNTS_ONLY_ENV, TRAINER_ENV
from sim.workshop.store import (
    DEFAULT_WORKSHOP_ID,
    DEFAULT_WORKSHOP_TITLE,
    Attempt,
    ResultsStore,
    StoreError,
    Trainee,
    now,
)
from sim.workshop.stores import open_store

if TYPE_CHECKING:
    from sim.cases.case import Question
    from sim.cases.scenario import Exercise, Scenario
    from sim.library import Library
    from sim.training.answers import Submission
    from sim.training.forms import FormField

# The join screen needs only the store and the messages; the library (rulebook, generator, engine,
# scoring: Faker, networkx, pydantic models) loads when first needed, so a trainee's page appears
# sooner (docs/performance.md).

__all__ = ["ACCOUNT_ENV", "TRAINER_ENV", "CaseSession", "InputError", "StoreError", "Trainee", "Workshop"]

MAX_TEXT = 120
ROLES = ("commune_pc", "commune_police", "womens_union", "other")


class InputError(SimError):
    """Input the UI must refuse; ``key`` names the message in the UI catalog."""

    def __init__(self, key: str, detail: str = ""):
        self.key, self.detail = key, detail
        super().__init__(f"{key}: {detail}" if detail else key)


def clean_text(value: object, field: str) -> str:
    """A text field typed by a trainee, with its spaces collapsed; refused if empty or too long.

    Parameters
    ----------
    value : object
        What the widget sent (anything: a visitor can drive widgets from a script).
    field : str
        The field's name, given as the error's ``detail``.

    Raises
    ------
    InputError
        ``required`` if ``value`` is not a non-blank string, ``too_long`` beyond ``MAX_TEXT`` characters.

    Examples
    --------
    >>> clean_text("  Trần   Thị Lan ", "full_name")
    'Trần Thị Lan'
    >>> clean_text("   ", "full_name")
    Traceback (most recent call last):
    ...
    sim.app.trainee.InputError: required: full_name
    """
    if not isinstance(value, str) or not value.strip():
        raise InputError("required", field)
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        raise InputError("too_long", field)
    return text


def derive_seed(trainee_id: str, exercise_id: str, position: int) -> int:
    """The seed of a trainee's case: each trainee gets their own variant, stable across reloads and restarts.

    Examples
    --------
    >>> derive_seed("8d4fbe4db023db07", "intake-basics", 0)
    110653827793413
    >>> derive_seed("8d4fbe4db023db07", "intake-basics", 1) == derive_seed("8d4fbe4db023db07", "intake-basics", 0)
    False
    """
    digest = hashlib.sha256(f"{trainee_id}:{exercise_id}:{position}".encode()).hexdigest()
    return int(digest[:12], 16)


def exercise_positions(exercise: Exercise) -> list[str]:
    """The scenario id at each position of an exercise (variants repeat a scenario).

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> exercise_positions(packaged_library().catalog.exercise("intake-basics"))
    ['forced-marriage-2016', 'scam-compound-2025', 'irregular-migrant-2017']
    """
    return [item.scenario for item in exercise.scenarios for _ in range(item.variants)]


def adjusted_percent(report: dict[str, Any], overrides: list[dict[str, Any]]) -> tuple[float, bool]:
    """A report's percent after the trainer's overrides (``results.final_score``), and whether any override
    set points (a comment alone sets none).

    >>> report = {"total": 50.0, "max_points": 100.0, "percent": 50.0,
    ...           "points": [{"decision_point": "D1", "points": 0.0, "max_points": 10.0}]}
    >>> adjusted_percent(report, []), adjusted_percent(report, [{"decision_point": "D1", "points": 8.0}])
    ((50.0, False), (58.0, True))
    >>> adjusted_percent(report, [{"decision_point": "D1", "points": None, "comment": "xem lại"}])
    (50.0, False)
    """
    from sim.workshop.results import final_score

    if not any(o.get("points") is not None for o in overrides):
        return report["percent"], False
    total, _ = final_score(report, overrides)
    percent = round(100 * total / report["max_points"], 1) if report["max_points"] else 0.0
    return percent, True


def warm_library(library: Library) -> None:
    """Check the library's exercises, make its case generator and import the scorer, so that the first case opens
    and the first submission scores at once.

    >>> from sim.library import packaged_library
    >>> library = packaged_library()
    >>> warm_library(library)
    >>> library.case_generator() is library.case_generator()  # made once, kept in the library's cache
    True
    """
    library.catalog.valid_exercises()
    library.case_generator()
    from sim.training import scoring  # noqa: F401


def warm_packaged_library() -> None:
    """``warm_library`` of the packaged library (what the workshop's warm parent preloads for its kernels).

    >>> warm_packaged_library()
    >>> import sys; "sim.training.scoring" in sys.modules
    True
    """
    warm_library(packaged_library())


class Workshop:
    """One workshop's trainees and exercises: joining, resuming, opening cases, progress.

    Parameters
    ----------
    store : ResultsStore
        Where trainees, attempts and answers are kept.
    workshop_id : str
        The workshop's id in the store (created on first use).
    library : Library, optional
        The law and data to train with; the packaged library (loaded on first need) if omitted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sim.workshop.stores import open_store
    >>> workshop = Workshop(open_store(pathlib.Path(tempfile.mkdtemp()) / "r.sqlite"), "demo")
    >>> trainee = workshop.join(full_name="Lê Thị Lan", commune="xã Phan Sơn", role="commune_pc")
    >>> workshop.resume(trainee.resume_code).full_name
    'Lê Thị Lan'
    >>> session = workshop.open_case(trainee, "intake-basics", 0)
    >>> session.submitted, session.case.fictional
    (False, True)
    """

    def __init__(
        self,
        store: ResultsStore,
        workshop_id: str = DEFAULT_WORKSHOP_ID,
        *,
        title: str = DEFAULT_WORKSHOP_TITLE,
        code: str | None = None,
        exercises: list[str] | None = None,
        library: Library | None = None,
        accounts_only: bool = False,
        logout_url: str | None = None,
    ):
        self.store, self.id, self.code, self.title = store, workshop_id, code, title
        self.accounts_only = accounts_only  # under a hub: only a login the server vouches for joins or comes back
        # under a hub, where the login ends: on a shared commune computer the next officer must not go on as this one
        self.logout_url = logout_url
        self._library = library
        self.guesses = GuessLimiter(store)  # this page's wrong resume codes (a Workshop lives in one kernel)
        store.ensure_workshop(workshop_id, title, code, list(exercises or []))

    @classmethod
    def from_environment(cls) -> Workshop:
        """The workshop this server runs: ``trove serve`` sets ``TROVE_WORKSHOP_*`` and ``TROVE_DB`` for its kernels.

        Examples
        --------
        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> env = {"TROVE_DB": str(pathlib.Path(tempfile.mkdtemp()) / "r.sqlite"), "TROVE_WORKSHOP_ID": "ws-2026",
        ...        "TROVE_WORKSHOP_CODE": "ABC123", "TROVE_WORKSHOP_EXERCISES": "verification"}
        >>> with mock.patch.dict(os.environ, env):
        ...     workshop = Workshop.from_environment()
        >>> workshop.id, workshop.code, workshop.exercise_ids, workshop.logout_url
        ('ws-2026', 'ABC123', ['verification'], None)
        >>> with mock.patch.dict(os.environ, env | {ACCOUNTS_ONLY_ENV: "1", "JUPYTERHUB_BASE_URL": "/tap-huan/"}):
        ...     Workshop.from_environment().logout_url
        '/tap-huan/hub/logout'
        """
        exercises = [e for e in os.environ.get("TROVE_WORKSHOP_EXERCISES", "").split(",") if e]
        hub = os.environ.get(ACCOUNTS_ONLY_ENV) == "1"
        return cls(
            open_store(),
            os.environ.get("TROVE_WORKSHOP_ID", DEFAULT_WORKSHOP_ID),
            title=os.environ.get("TROVE_WORKSHOP_TITLE", DEFAULT_WORKSHOP_TITLE),
            code=os.environ.get("TROVE_WORKSHOP_CODE") or None,
            exercises=exercises or None,
            accounts_only=hub,
            logout_url=os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub/logout" if hub else None,
        )

    @property
    def library(self) -> Library:
        """The library the workshop trains with (the packaged one unless given)."""
        if self._library is None:
            self._library = packaged_library()
        return self._library

    @property
    def exercise_ids(self) -> list[str]:
        """The workshop's exercises, read from the store each time (a trainer may change them while it runs);
        an empty list means every exercise. Exercises whose files are broken are left out, not fatal."""
        available, _ = self.library.catalog.valid_exercises()
        chosen = (self.store.workshop(self.id) or {}).get("exercises") or list(available)
        return [e for e in chosen if e in available]

    def exercises(self) -> list[Exercise]:
        """The workshop's exercises, in order.

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> workshop = demo_workshop(["verification", "intake-basics"])
        >>> [exercise.id for exercise in workshop.exercises()]
        ['verification', 'intake-basics']
        """
        available, _ = self.library.catalog.valid_exercises()
        return [available[e] for e in self.exercise_ids if e in available]

    def warm_up(self) -> None:
        """Load the library, check the exercises and load the scorer now (before or while the join screen is read).

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> workshop = demo_workshop()
        >>> workshop.warm_up()
        >>> workshop.exercise_ids  # no exercise chosen: every one that loads
        ['changes-2025', 'intake-basics', 'mixed-assessment', 'protection-referral', 'verification']
        """
        warm_library(self.library)

    def commune_options(self) -> list[str]:
        """The full names of the communes of the workshop's region today, offered as a trainee types.

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> workshop = demo_workshop()
        >>> options = workshop.commune_options()
        >>> "xã Bắc Bình" in options, options == sorted(options)
        (True, True)
        """
        from sim.workshop.coverage import commune_options

        region = (self.store.workshop(self.id) or {}).get("region") or self.library.default_region
        return commune_options(self.library.region(region), date.today())

    def join(
        self,
        *,
        full_name: object,
        commune: object,
        role: object,
        workshop_code: object = None,
        account: str | None = None,
    ) -> Trainee:
        """Add a trainee; every field is checked (a visitor can drive widgets from a script). ``account`` is the
        hub login the server vouches for (``ACCOUNT_ENV``): it stands for the workshop code, and the trainee is
        found again by it (``by_account``) on any device.

        Raises
        ------
        InputError
            ``wrong_workshop_code`` if the workshop has a code and it does not match (case is ignored);
            ``required`` or ``too_long`` for a missing or overlong field or an unknown role.

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> workshop = demo_workshop(code="ABC123")
        >>> trainee = workshop.join(
        ...     full_name=" Lê  Thị Lan", commune="xã Phan Sơn", role="commune_pc", workshop_code="abc123"
        ... )
        >>> trainee.full_name, trainee.role, len(trainee.resume_code)
        ('Lê Thị Lan', 'commune_pc', 6)
        >>> workshop.join(full_name="Lê Thị Lan", commune="xã Phan Sơn", role="commune_pc", workshop_code="XYZ")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: wrong_workshop_code
        >>> lan = workshop.join(full_name="Lê Thị Lan", commune="xã Phan Sơn", role="commune_pc", account="lan.le")
        >>> workshop.by_account("lan.le") == lan, lan.account
        (True, 'lan.le')
        >>> workshop.accounts_only = True  # under a hub, a join without the login is refused
        >>> workshop.join(full_name="Lê Thị Lan", commune="xã Phan Sơn", role="commune_pc", workshop_code="abc123")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: account_required
        """
        if self.accounts_only and not account:
            raise InputError("account_required")
        if not account and (
            self.code and (not isinstance(workshop_code, str) or workshop_code.strip().upper() != self.code.upper())
        ):
            raise InputError("wrong_workshop_code")
        if role not in ROLES:
            raise InputError("required", "role")
        return self.store.add_trainee(
            self.id, clean_text(full_name, "full_name"), clean_text(commune, "commune"), str(role), account=account
        )

    def answers_released(self, exercise_id: str) -> bool:
        """Whether the trainer has released this exercise's answers (an assessment is then closed).

        >>> from sim.app.demo import demo_workshop
        >>> demo_workshop(["mixed-assessment"]).answers_released("mixed-assessment")
        False
        """
        return exercise_id in self.store.released_answers(self.id)

    def by_account(self, account: str) -> Trainee | None:
        """The trainee this hub login joined the workshop as, or None before their first visit.

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> workshop = demo_workshop()
        >>> workshop.by_account("lan.le") is None
        True
        >>> joined = workshop.join(full_name="Lê Thị Lan", commune="xã Phan Sơn", role="other", account="lan.le")
        >>> workshop.by_account("lan.le") == joined
        True
        """
        return self.store.trainee_by_account(self.id, account)

    def resume(self, resume_code: object, client: str | None = None) -> Trainee:
        """The trainee with this resume code (any case), in this workshop.

        Wrong codes are counted for this page and for the ``client`` address (None when unknown); past the
        limits of ``sim.app.guesses`` the next try is refused without looking the code up.

        Raises
        ------
        InputError
            ``required`` for an empty code, ``too_many_guesses`` past the limits, ``unknown_resume_code``
            if no trainee of this workshop has it, ``account_required`` under a hub.

        Examples
        --------
        >>> from sim.app.demo import demo_trainee, demo_workshop
        >>> workshop = demo_workshop()
        >>> trainee = demo_trainee(workshop)
        >>> workshop.resume(trainee.resume_code.lower()) == trainee
        True
        >>> workshop.resume("NOPE00")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: unknown_resume_code
        """
        if self.accounts_only:  # a hub login comes back by its account, never by a code
            raise InputError("account_required")
        if not isinstance(resume_code, str) or not resume_code.strip():
            raise InputError("required", "resume_code")
        if not self.guesses.allowed(client):
            raise InputError("too_many_guesses")
        trainee = self.store.trainee_by_code(resume_code)
        if trainee is None or trainee.workshop_id != self.id:
            self.guesses.failed(client)
            raise InputError("unknown_resume_code")
        return trainee

    def open_case(self, trainee: Trainee, exercise_id: str, position: int) -> CaseSession:
        """The trainee's attempt at one case of an exercise, started now or resumed with every saved answer.

        Raises
        ------
        InputError
            ``unknown_exercise`` if the workshop does not offer the exercise, ``unknown_case`` for a bad position.

        Examples
        --------
        >>> from sim.app.demo import demo_trainee, demo_workshop
        >>> workshop = demo_workshop()
        >>> trainee = demo_trainee(workshop)
        >>> session = workshop.open_case(trainee, "intake-basics", 0)
        >>> session.attempt.scenario_id, session.regime
        ('forced-marriage-2016', 'A')
        >>> workshop.open_case(trainee, "intake-basics", 0).case == session.case  # resumed, not drawn again
        True
        """
        if exercise_id not in self.exercise_ids:
            raise InputError("unknown_exercise", exercise_id)
        exercise = self.library.catalog.valid_exercises()[0][exercise_id]
        positions = exercise_positions(exercise)
        if not isinstance(position, int) or not 0 <= position < len(positions):
            raise InputError("unknown_case", str(position))
        if exercise.mode == "assessment":
            self._check_assessment(trainee, exercise_id, position)
        return CaseSession.open(self.store, self.library, trainee, exercise, position)

    def _check_assessment(self, trainee: Trainee, exercise_id: str, position: int) -> None:
        """An assessment gives one attempt per person and closes when its answers are released.

        A second trainee of the workshop with the same name (``name_key``) and commune as one who has already
        started the exercise is the same person joining again (to see a blank case's feedback, for instance):
        they are sent back to their resume code. After the release no new case is started.
        """
        started = {a.position for a in self.store.attempts_of(trainee.id) if a.exercise_id == exercise_id}
        if position not in started and self.answers_released(exercise_id):
            raise InputError("assessment_closed", exercise_id)
        if started:
            return
        commune = " ".join(trainee.commune.split()).casefold()
        for other in self.store.trainees_by_name(self.id, trainee.full_name):
            if other.id == trainee.id or " ".join(other.commune.split()).casefold() != commune:
                continue
            if any(a.exercise_id == exercise_id for a in self.store.attempts_of(other.id)):
                raise InputError("assessment_once", exercise_id)

    def progress(self, trainee: Trainee, exercise_id: str) -> list[dict[str, Any]]:
        """Per position of an exercise: the scenario id, whether it is started and submitted, its automatic percent
        and the percent after the trainer's adjustments (``final_percent``; equal to ``percent`` when none).

        Examples
        --------
        >>> from sim.app.demo import demo_trainee, demo_workshop
        >>> workshop = demo_workshop()
        >>> trainee = demo_trainee(workshop)
        >>> _ = workshop.open_case(trainee, "intake-basics", 1).submit()
        >>> for row in workshop.progress(trainee, "intake-basics"):  # a blank case scores a few percent
        ...     print(row["position"], row["submitted"], row["percent"] is not None and row["percent"] < 10,
        ...           row["final_percent"] == row["percent"], row["adjusted"])
        0 False False True False
        1 True True True False
        2 False False True False
        """
        exercise = self.library.catalog.valid_exercises()[0][exercise_id]
        attempts = {a.position: a for a in self.store.attempts_of(trainee.id) if a.exercise_id == exercise_id}
        rows = []
        for position, scenario_id in enumerate(exercise_positions(exercise)):
            attempt = attempts.get(position)
            report = self.store.report(attempt.id) if attempt and attempt.submitted_at else None
            final = adjusted_percent(report, self.store.overrides(attempt.id)) if attempt and report else None
            rows.append(
                {
                    "position": position,
                    "scenario_id": scenario_id,
                    "started": attempt is not None,
                    "submitted": report is not None,
                    "percent": report["percent"] if report else None,
                    "final_percent": final[0] if final else None,
                    "adjusted": bool(final and final[1]),
                }
            )
        return rows

    def result(self, trainee: Trainee, exercise_id: str) -> tuple[float, bool]:
        """The exercise's score after the trainer's adjustments (unsubmitted cases count as 0) and whether it
        reaches the pass mark.

        Examples
        --------
        >>> from sim.app.demo import demo_trainee, demo_workshop
        >>> workshop = demo_workshop()
        >>> trainee = demo_trainee(workshop)
        >>> workshop.result(trainee, "intake-basics")  # nothing submitted yet
        (0.0, False)
        >>> session = workshop.open_case(trainee, "intake-basics", 0)
        >>> session.answer("D1", {"receive": "receive"})
        {'receive': 'receive'}
        >>> session.submit()["percent"]
        13.0
        >>> workshop.result(trainee, "intake-basics")  # (13 + 0 + 0) / 3, pass mark 70
        (4.3, False)
        """
        exercise = self.library.catalog.valid_exercises()[0][exercise_id]
        progress = self.progress(trainee, exercise_id)
        average = round(sum(p["final_percent"] or 0.0 for p in progress) / len(progress), 1) if progress else 0.0
        return average, average >= exercise.pass_mark

    def exercise(self, exercise_id: str) -> Exercise:
        """One of the workshop's exercises.

        Raises
        ------
        InputError
            ``unknown_exercise`` if the workshop does not offer it.

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> workshop = demo_workshop(["intake-basics"])
        >>> workshop.exercise("intake-basics").pass_mark
        70.0
        >>> workshop.exercise("verification")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: unknown_exercise: verification
        """
        if exercise_id not in self.exercise_ids:
            raise InputError("unknown_exercise", exercise_id)
        return self.library.catalog.valid_exercises()[0][exercise_id]


@dataclass
class Revealed:
    """An interview question or action the trainee took, and the case minute at which it was taken."""

    question: Question
    at_minute: int


class CaseSession:
    """One trainee's attempt at one case. Build with ``Workshop.open_case``; state is replayed from the store's events.

    Examples
    --------
    >>> from sim.app.demo import demo_attempt
    >>> session = demo_attempt()  # a trainee asked "care_first", answered D1 and submitted
    >>> again = CaseSession(session.store, session.library, session.attempt)  # e.g. after a kernel restart
    >>> [r.question.id for r in again.asked], again.answers, again.clock, again.submitted
    (['care_first'], {'D1': {'receive': 'receive'}}, 10, True)
    """

    def __init__(self, store: ResultsStore, library: Library, attempt: Attempt, *, workshop_id: str | None = None):
        from sim.cases.case import Case

        self.store, self.library, self.attempt = store, library, attempt
        self.workshop_id = workshop_id  # where released answers are looked up (None: never released)
        self.case = Case.model_validate_json(attempt.case_json)
        self.asked: list[Revealed] = []
        self.answers: dict[str, dict[str, Any]] = {}
        self.answered_at: dict[str, int] = {}
        self.clock = 0
        self._questions = {q.id: q for q in self.case.interview}
        for event in store.events(attempt.id):
            self._apply(event["kind"], event["key"], event["payload"], event["clock_minutes"])

    @classmethod
    def open(
        cls, store: ResultsStore, library: Library, trainee: Trainee, exercise: Exercise, position: int
    ) -> CaseSession:
        """Start (or resume) the attempt: its case is generated once, from the trainee's own seed, and stored.

        ``Workshop.open_case`` checks its arguments and calls this.

        Examples
        --------
        >>> from sim.app.demo import demo_trainee, demo_workshop
        >>> workshop = demo_workshop()
        >>> trainee = demo_trainee(workshop)
        >>> exercise = workshop.exercise("verification")
        >>> session = CaseSession.open(workshop.store, workshop.library, trainee, exercise, 0)
        >>> session.attempt.seed == derive_seed(trainee.id, "verification", 0), session.attempt.scenario_version
        (True, '2')
        """
        from sim.cases.generator import generate_case
        from sim.training.forms import option_order

        scenario_id = exercise_positions(exercise)[position]
        scenario = library.catalog.valid_scenarios()[0][scenario_id]
        seed = derive_seed(trainee.id, exercise.id, position)
        case = generate_case(scenario, library, seed=seed)
        regime = library.rules_on(case.date).regime
        attempt = Attempt(
            id=f"{trainee.id}-{exercise.id}-{position}",
            trainee_id=trainee.id,
            exercise_id=exercise.id,
            exercise_version=exercise.version,
            position=position,
            scenario_id=scenario.id,
            scenario_version=scenario.version,
            seed=seed,
            rulebook_version=library.version,
            app_version=sim.__version__,
            decision_points=list(scenario.decision_points),
            rubric={k: v.weight for k, v in scenario.rubric.items()},
            case_json=case.model_dump_json(),
            started_at=now(),
            submitted_at=None,
            option_order=option_order(library, list(scenario.decision_points), regime, seed=seed),
        )
        return cls(store, library, store.start_attempt(attempt), workshop_id=trainee.workshop_id)

    @property
    def mode(self) -> str:
        """The exercise's mode, ``practice`` or ``assessment`` (assessment when its file no longer loads: the
        safe side, nothing is shown too early)."""
        exercise = self.library.catalog.valid_exercises()[0].get(self.attempt.exercise_id)
        return exercise.mode if exercise is not None else "assessment"

    @property
    def released(self) -> bool:
        """Whether the trainer has released the correct answers of this attempt's exercise."""
        return bool(self.workshop_id) and self.attempt.exercise_id in self.store.released_answers(self.workshop_id)

    @property
    def answers_shown(self) -> bool:
        """Whether the feedback (explanations, correct answers, the correct referral paths) may be shown after
        submission: always in practice, in an assessment once the trainer has released the answers.

        Examples
        --------
        >>> from sim.app.demo import demo_trainee, demo_workshop
        >>> workshop = demo_workshop(["mixed-assessment"])
        >>> session = workshop.open_case(demo_trainee(workshop), "mixed-assessment", 0)
        >>> session.mode, session.answers_shown
        ('assessment', False)
        >>> workshop.store.release_answers(workshop.id, "mixed-assessment", "trainer")
        >>> session.answers_shown
        True
        """
        return self.mode == "practice" or self.released

    def _check_open(self) -> None:
        if self.mode == "assessment" and self.released and not self.submitted:
            raise InputError("assessment_closed", self.attempt.exercise_id)

    @property
    def scenario(self) -> Scenario | None:
        """The scenario the case was drawn from, if its file still loads."""
        return self.library.catalog.valid_scenarios()[0].get(self.attempt.scenario_id)

    @property
    def submitted(self) -> bool:
        """Whether the attempt is scored (answers are then frozen)."""
        return self.store.report(self.attempt.id) is not None

    @property
    def decision_points(self) -> list[str]:
        """The decision points the scenario asks about."""
        return self.attempt.decision_points

    @property
    def active_decision_points(self) -> list[str]:
        """The decision points the trainee answers in this case (the child duties only when a child is involved)."""
        from sim.engine.assessment import child_duties_apply

        children = child_duties_apply(self.case)
        return [dp for dp in self.decision_points if dp != "D9" or children]

    def form_fields(self, decision_point: str) -> list[FormField]:
        """The fields of a decision point's form, with their options in both languages (never the answer).

        Raises
        ------
        InputError
            ``unknown_decision_point`` if the case does not ask about ``decision_point``.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> [(f.name, f.kind, sorted(value for value, _ in f.options)) for f in session.form_fields("D1")]
        [('receive', 'radio', ['come_back_with_papers', 'receive', 'send_to_district'])]
        >>> [v for v, _ in session.form_fields("D1")[0].options] == session.attempt.option_order["D1"]["receive"]
        True
        """
        from sim.training.forms import form_fields, ordered_fields

        if decision_point not in self.decision_points:
            raise InputError("unknown_decision_point", str(decision_point))
        order = (self.attempt.option_order or {}).get(decision_point)
        return ordered_fields(form_fields(self.library, decision_point, self.regime), order)

    def law_in_force(self, lang: str) -> str:
        """The name of the law in force on the case's date: the date decides the law.

        >>> from sim.app.demo import demo_session
        >>> demo_session().law_in_force("vi")
        'Luật Phòng, chống mua bán người số 66/2011/QH12'
        """
        rules = self.library.rules_on(self.case.date)
        law = self.library.rulebook.texts[rules.law]
        return law.en if lang == "en" else law.vi

    def label(self, kind: str, key: str, lang: str) -> str:
        """A label of the case's vocabulary: ``kind`` is "documents", "agencies" or another vocabulary kind.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> session.label("documents", "national_id", "en"), session.label("agencies", "commune_police", "vi")
        ('national ID card', 'Công an xã')
        """
        if kind == "agencies":
            return self.library.agency_label(key).get(lang)
        return self.library.rulebook.vocabulary.label(kind, key, lang)

    def plan_png(self, lang: str) -> bytes:
        """The referral graph with the paths that the plan in progress reaches (no correct answer shown), as PNG.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> _ = session.answer("D10", {"agencies": ["district_labour_office"]})
        >>> session.plan_png("vi")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        True
        """
        from sim.drawing.referral import referral_png
        from sim.law.referral import plan_paths

        G = self.library.graph_on(self.case.date)
        chosen = (self.answers.get("D10") or {}).get("agencies", [])
        return referral_png(G, title=self._graph_title(lang), lang=lang, highlight=plan_paths(G, chosen), dpi=70)

    def feedback_png(self, lang: str) -> bytes:
        """After submission: the trainee's referral paths (blue) over the correct ones (green, dashed), as PNG.

        Raises
        ------
        InputError
            ``not_submitted`` before submission.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> session.feedback_png("en")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: not_submitted
        >>> _ = session.submit()
        >>> session.feedback_png("en")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        True
        """
        from sim.drawing.referral import referral_png

        report = self._released_report()
        services = report.get("referral", {}).get("services", {})
        mine = [s["path"] for s in services.values() if s.get("path")]
        correct = [s["correct_path"] for s in services.values() if s.get("correct_path")]
        return referral_png(
            self.library.graph_on(self.case.date),
            title=self._graph_title(lang),
            lang=lang,
            highlight=mine,
            correct=correct,
        )

    def _graph_title(self, lang: str) -> str:
        messages = self.library.messages
        return messages["graph_title_law"].get(lang).format(law=messages[f"regime_{self.regime}"].get(lang))

    def _apply(self, kind: str, key: str, payload: Any, clock: int) -> None:
        if kind == "action":
            self.asked.append(Revealed(self._questions[key], clock))
            self.clock = clock + self._questions[key].minutes
        else:
            self.answers[key] = payload
            self.answered_at[key] = clock

    def ask(self, question_id: object) -> Question:
        """Take an interview question or action: it is saved at once and the clock moves on.

        Raises
        ------
        InputError
            ``unknown_question`` for an id the case does not offer, ``already_asked`` for a repeat.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> session.ask("care_first").minutes, session.clock
        (10, 10)
        >>> session.ask("care_first")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: already_asked: care_first
        """
        self._check_open()
        if not isinstance(question_id, str) or question_id not in self._questions:
            raise InputError("unknown_question", str(question_id))
        if any(r.question.id == question_id for r in self.asked):
            raise InputError("already_asked", question_id)
        self.store.record(self.attempt.id, "action", question_id, {}, self.clock)
        self._apply("action", question_id, {}, self.clock)
        return self._questions[question_id]

    def answer(self, decision_point: object, payload: object) -> dict[str, Any]:
        """Save the answer of one decision point (replacing an earlier one); returns it normalised.

        Raises
        ------
        InputError
            ``unknown_decision_point``, or ``bad_answer`` for a payload that is not a valid answer or names an
            id (document, agency, need …) the case's law does not know.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> session.answer("D1", {"receive": "send_to_district"})
        {'receive': 'send_to_district'}
        >>> session.answer("D4", {"agencies": ["fbi"]})
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: bad_answer: D4.agencies
        """
        self._check_open()
        if decision_point not in self.decision_points:
            raise InputError("unknown_decision_point", str(decision_point))
        if not isinstance(payload, dict):
            raise InputError("bad_answer", str(decision_point))
        from pydantic import ValidationError

        from sim.training.answers import ANSWER_MODELS

        try:
            normalised = ANSWER_MODELS[decision_point].model_validate(payload).model_dump()
        except ValidationError as exc:
            raise InputError("bad_answer", f"{decision_point}: {exc.errors()[0]['msg']}") from None
        self._check_ids(decision_point, normalised)
        self.store.record(self.attempt.id, "answer", decision_point, normalised, self.clock)
        self._apply("answer", decision_point, normalised, self.clock)
        return normalised

    def _check_ids(self, dp: str, answer: dict[str, Any]) -> None:
        vocab = self.library.rulebook.vocabulary
        all_agencies = set(self.library.agencies.agencies)
        allowed = {
            "form": set(vocab.intake_forms),
            "provide": set(self.library.needs),
            "acts": set(vocab.acts),
            "means": set(vocab.means),
            "purposes": set(vocab.purposes),
            "lawful_documents": set(vocab.documents),
            "measures": set(vocab.protection_measures),
            "duties": set(vocab.child_duties),
            "verifier": all_agencies,
            "agencies": set(self.library.graph(self.regime).nodes) if dp == "D10" else all_agencies,
        }
        for key, value in answer.items():
            if key in allowed:
                values = value if isinstance(value, list) else ([] if value is None else [value])
                if not set(values) <= allowed[key]:
                    raise InputError("bad_answer", f"{dp}.{key}")

    @property
    def regime(self) -> str:
        """The regime in force on the case's date."""
        return self.library.rules_on(self.case.date).regime

    def submission(self) -> Submission:
        """The attempt as the scorer sees it: the case, the answers, the actions and the clock.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> _ = session.ask("care_first")
        >>> submission = session.submission()
        >>> [a.question for a in submission.actions], submission.clock_minutes
        (['care_first'], 10)
        """
        from sim.training.answers import Action, Submission

        return Submission(
            case=self.case,
            decision_points=self.decision_points,
            answers=self.answers,
            answered_at=self.answered_at,
            clock_minutes=self.clock,
            rubric=self.attempt.rubric,
            actions=[Action(question=r.question.id, at_minute=r.at_minute) for r in self.asked],
        )

    def submit(self) -> dict[str, Any]:
        """Score and store the report (a second submit returns the first report).

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> session.answer("D1", {"receive": "receive"})
        {'receive': 'receive'}
        >>> report = session.submit()
        >>> report["percent"], report["points"][0]["points"], session.submitted
        (13.0, 10.0, True)
        >>> session.submit() == report
        True
        """
        existing = self.store.report(self.attempt.id)
        if existing is not None:
            return existing
        self._check_open()
        from sim.engine.assessment import assess
        from sim.training.scoring import score

        report = score(self.submission(), assess(self.case, self.library), self.library).to_dict(self.library)
        self.store.submit(self.attempt.id, report)
        return self.store.report(self.attempt.id) or report

    def _released_report(self) -> dict[str, Any]:
        """The stored report, for what may be shown only after submission and, in an assessment, release (the
        answer key, the correct paths, what happened next); refuses with ``not_submitted`` / ``not_released``."""
        report = self.report()
        if report is None:
            raise InputError("not_submitted")
        if not self.answers_shown:
            raise InputError("not_released")
        return report

    def report(self) -> dict[str, Any] | None:
        """The stored score report, or None before submission.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> session.report() is None
        True
        >>> session.submit() == session.report()
        True
        """
        return self.store.report(self.attempt.id)

    def what_happened_next(self, lang: str) -> list[tuple[str, bool]]:
        """After submission: the case followed through the referral network with the trainee's decisions against
        every decision right (``sim.province.aftermath``), as sentences with whether each shows a loss. A decision
        point counts as right when it kept all its points; the times and chances are the province model's
        assumptions (``next_note`` says so). Refuses before submission and, in an assessment, before release.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> _ = session.submit()  # nothing answered: every decision point wrong
        >>> lines = session.what_happened_next("vi")
        >>> any(worse for _, worse in lines)  # the person left, or waited longer, or went without a support
        True
        """
        from sim.engine.assessment import assess
        from sim.province.aftermath import what_happened_next
        from sim.province.calendar import packaged_calendar
        from sim.province.parameters import read_parameters
        from sim.training.scoring import kept_all_points

        report = self._released_report()
        right = {p["decision_point"]: kept_all_points(p) for p in report["points"]}
        after = what_happened_next(
            self.case, assess(self.case, self.library), right, self.library, read_parameters(), packaged_calendar()
        )
        messages = self.library.messages
        lines = []
        for line in after.lines():
            values = dict(line.values)
            if "service" in values:
                values["service"] = self._service_label(values["service"], lang)
            lines.append((messages[line.key].get(lang).format(**values), line.worse))
        return lines

    def _service_label(self, service: str, lang: str) -> str:
        """A service's name: a support of the vocabulary, else a procedural service."""
        vocabulary = self.library.rulebook.vocabulary
        kind = "supports" if service in vocabulary.supports else "services"
        label = vocabulary.label(kind, service, lang)
        return label[:1].upper() + label[1:]

    def overrides(self) -> list[dict[str, Any]]:
        """The trainer's adjustments of this attempt, oldest first (shown to the trainee with the report).

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> _ = session.submit()
        >>> session.store.add_override(session.attempt.id, "D1", 5.0, "Tiếp nhận đúng sau khi được nhắc", "trainer")
        >>> [(o["decision_point"], o["points"]) for o in session.overrides()]
        [('D1', 5.0)]
        """
        return self.store.overrides(self.attempt.id)

    def final_percent(self) -> tuple[float, bool] | None:
        """After submission: the percent after the trainer's adjustments, and whether any adjusted points (None
        before submission).

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> _ = session.answer("D1", {"receive": "receive"})
        >>> session.final_percent() is None, session.submit()["percent"], session.final_percent()
        (True, 13.0, (13.0, False))
        >>> session.store.add_override(session.attempt.id, "D2", 8.0, "Ghi biên bản đầy đủ", "trainer")
        >>> session.final_percent()
        (21.0, True)
        """
        report = self.report()
        return None if report is None else adjusted_percent(report, self.overrides())

    def answer_key(self) -> dict[str, Any]:
        """The correct answers, for feedback. Refused before submission, and in an assessment before the trainer
        releases them: the key never leaves early.

        Raises
        ------
        InputError
            ``not_submitted`` while the answers can still change; ``not_released`` in an assessment whose
            answers the trainer has not released.

        Examples
        --------
        >>> from sim.app.demo import demo_session
        >>> session = demo_session()
        >>> _ = session.answer("D1", {"receive": "send_to_district"})
        >>> session.answer_key()
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: not_submitted
        >>> _ = session.submit()
        >>> session.answer_key()["D1"], session.answers["D1"]
        ({'receive': 'receive'}, {'receive': 'send_to_district'})
        """
        self._released_report()
        from sim.engine.assessment import assess
        from sim.training.answer_key import answer_key

        return answer_key(self.case, assess(self.case, self.library)).model_dump()
