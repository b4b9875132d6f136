"""The session façade: the only API the trainee UI calls. Plain Python, no widgets.

``Workshop`` joins and finds trainees; ``CaseSession`` is one trainee's attempt at one case: it
records every interview action and answer immediately (autosave), advances the simulated clock,
submits, and returns the score report. Its state is rebuilt from the store, so a reload, a kernel
restart or a server restart loses nothing. Every input is validated here, because a visitor can drive
widgets from a script.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from typing import TYPE_CHECKING

import sim
from sim.errors import SimError
from sim.scenario import Exercise, Scenario, valid_exercises, valid_scenarios
from sim.store import Attempt, Store, Trainee, now

if TYPE_CHECKING:
    from sim.answers import Submission
    from sim.case import Question

# The join screen needs only Workshop; the case machinery (generator, engine, scoring: Faker, networkx,
# pydantic models) is imported when a case opens, so a trainee's page appears sooner (docs/performance.md).

MAX_TEXT = 120
DEFAULT_WORKSHOP_ID = "tro-ve"  # the id of `trove serve`'s default workshop ("Trở về")
ROLES = ("commune_pc", "commune_police", "womens_union", "other")


class InputError(SimError):
    """Input the UI must refuse; ``key`` names the message in the UI catalog."""

    def __init__(self, key: str, detail: str = ""):
        self.key, self.detail = key, detail
        super().__init__(f"{key}: {detail}" if detail else key)


def clean_text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError("required", field)
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        raise InputError("too_long", field)
    return text


def derive_seed(trainee_id: str, exercise_id: str, position: int) -> int:
    """Each trainee gets their own variant of each case, stable across reloads and restarts."""
    digest = hashlib.sha256(f"{trainee_id}:{exercise_id}:{position}".encode()).hexdigest()
    return int(digest[:12], 16)


def exercise_positions(exercise: Exercise) -> list[str]:
    """The scenario id at each position of an exercise (variants repeat a scenario)."""
    return [item.scenario for item in exercise.scenarios for _ in range(item.variants)]


class Workshop:
    """One workshop's trainees and exercises, backed by the store."""

    def __init__(self, store: Store, workshop_id: str = DEFAULT_WORKSHOP_ID, *, title: str = "Trở về", code: str | None = None,
                 exercises: list[str] | None = None):
        self.store, self.id, self.code, self.title = store, workshop_id, code, title
        store.ensure_workshop(workshop_id, title, code, list(exercises or []))

    @property
    def exercise_ids(self) -> list[str]:
        """The workshop's exercises, read from the store each time (a trainer may change them while it runs);
        an empty list means every exercise. Exercises whose files are broken are left out, not fatal."""
        available, _ = valid_exercises()
        chosen = (self.store.workshop(self.id) or {}).get("exercises") or list(available)
        return [e for e in chosen if e in available]

    def exercises(self) -> list[Exercise]:
        available, _ = valid_exercises()
        return [available[e] for e in self.exercise_ids if e in available]

    def join(self, *, full_name: object, commune: object, role: object, workshop_code: object = None) -> Trainee:
        if self.code and (not isinstance(workshop_code, str) or workshop_code.strip().upper() != self.code.upper()):
            raise InputError("wrong_workshop_code")
        if role not in ROLES:
            raise InputError("required", "role")
        return self.store.add_trainee(self.id, clean_text(full_name, "full_name"), clean_text(commune, "commune"), str(role))

    def resume(self, resume_code: object) -> Trainee:
        if not isinstance(resume_code, str) or not resume_code.strip():
            raise InputError("required", "resume_code")
        trainee = self.store.trainee_by_code(resume_code)
        if trainee is None or trainee.workshop_id != self.id:
            raise InputError("unknown_resume_code")
        return trainee

    def resume_by_name(self, full_name: object, workshop_code: object) -> Trainee:
        """Name + workshop code, for a trainee who lost the resume code (only when the name is unique)."""
        if self.code and (not isinstance(workshop_code, str) or workshop_code.strip().upper() != self.code.upper()):
            raise InputError("wrong_workshop_code")
        found = self.store.trainees_by_name(self.id, clean_text(full_name, "full_name"))
        if len(found) != 1:
            raise InputError("name_not_unique" if found else "unknown_name")
        return found[0]

    def open_case(self, trainee: Trainee, exercise_id: str, position: int) -> "CaseSession":
        if exercise_id not in self.exercise_ids:
            raise InputError("unknown_exercise", exercise_id)
        exercise = valid_exercises()[0][exercise_id]
        positions = exercise_positions(exercise)
        if not isinstance(position, int) or not 0 <= position < len(positions):
            raise InputError("unknown_case", str(position))
        return CaseSession.open(self.store, trainee, exercise, position)

    def progress(self, trainee: Trainee, exercise_id: str) -> list[dict[str, Any]]:
        """Per position: scenario id, started?, submitted?, percent."""
        exercise = valid_exercises()[0][exercise_id]
        attempts = {a.position: a for a in self.store.attempts_of(trainee.id) if a.exercise_id == exercise_id}
        rows = []
        for position, scenario_id in enumerate(exercise_positions(exercise)):
            attempt = attempts.get(position)
            report = self.store.report(attempt.id) if attempt and attempt.submitted_at else None
            rows.append({"position": position, "scenario_id": scenario_id, "started": attempt is not None,
                         "submitted": report is not None, "percent": report["percent"] if report else None})
        return rows


    def result(self, trainee: Trainee, exercise_id: str) -> tuple[float, bool]:
        """The exercise's score (unsubmitted cases count as 0) and whether it reaches the pass mark."""
        exercise = valid_exercises()[0][exercise_id]
        progress = self.progress(trainee, exercise_id)
        average = round(sum(p["percent"] or 0.0 for p in progress) / len(progress), 1) if progress else 0.0
        return average, average >= exercise.pass_mark


@dataclass
class Revealed:
    question: Question
    at_minute: int


class CaseSession:
    """One attempt. Build with ``CaseSession.open``; state is replayed from the store's events."""

    def __init__(self, store: Store, attempt: Attempt):
        from sim.case import Case
        from sim.rulebook import load_rulebook

        self.store, self.attempt = store, attempt
        self.case = Case.model_validate_json(attempt.case_json)
        self.book = load_rulebook()
        self.asked: list[Revealed] = []
        self.answers: dict[str, dict[str, Any]] = {}
        self.answered_at: dict[str, int] = {}
        self.clock = 0
        self._questions = {q.id: q for q in self.case.interview}
        for event in store.events(attempt.id):
            self._apply(event["kind"], event["key"], event["payload"], event["clock_minutes"])

    @classmethod
    def open(cls, store: Store, trainee: Trainee, exercise: Exercise, position: int) -> "CaseSession":
        from sim.generator import generate_case
        from sim.rulebook import load_rulebook

        scenario_id = exercise_positions(exercise)[position]
        scenario = valid_scenarios()[0][scenario_id]
        seed = derive_seed(trainee.id, exercise.id, position)
        case = generate_case(scenario, seed=seed)
        attempt = Attempt(id=f"{trainee.id}-{exercise.id}-{position}", trainee_id=trainee.id, exercise_id=exercise.id,
                          exercise_version=exercise.version, position=position, scenario_id=scenario.id, scenario_version=scenario.version,
                          seed=seed, rulebook_version=load_rulebook().version, app_version=sim.__version__,
                          decision_points=list(scenario.decision_points), rubric={k: v.weight for k, v in scenario.rubric.items()},
                          case_json=case.model_dump_json(), started_at=now(), submitted_at=None)
        return cls(store, store.start_attempt(attempt))

    @property
    def scenario(self) -> Scenario | None:
        return valid_scenarios()[0].get(self.attempt.scenario_id)

    @property
    def submitted(self) -> bool:
        return self.store.report(self.attempt.id) is not None

    @property
    def decision_points(self) -> list[str]:
        return self.attempt.decision_points

    def _apply(self, kind: str, key: str, payload: Any, clock: int) -> None:
        if kind == "action":
            self.asked.append(Revealed(self._questions[key], clock))
            self.clock = clock + self._questions[key].minutes
        else:
            self.answers[key] = payload
            self.answered_at[key] = clock

    def ask(self, question_id: object) -> "Question":
        """Take an interview question or action: it is saved at once and the clock moves on."""
        if not isinstance(question_id, str) or question_id not in self._questions:
            raise InputError("unknown_question", str(question_id))
        if any(r.question.id == question_id for r in self.asked):
            raise InputError("already_asked", question_id)
        self.store.record(self.attempt.id, "action", question_id, {}, self.clock)
        self._apply("action", question_id, {}, self.clock)
        return self._questions[question_id]

    def answer(self, decision_point: object, payload: object) -> dict[str, Any]:
        """Save the answer of one decision point (replacing an earlier one); returns it normalised."""
        if decision_point not in self.decision_points:
            raise InputError("unknown_decision_point", str(decision_point))
        if not isinstance(payload, dict):
            raise InputError("bad_answer", str(decision_point))
        from pydantic import ValidationError

        from sim.answers import ANSWER_MODELS

        try:
            normalised = ANSWER_MODELS[decision_point].model_validate(payload).model_dump()
        except ValidationError as exc:
            raise InputError("bad_answer", f"{decision_point}: {exc.errors()[0]['msg']}") from None
        self._check_ids(decision_point, normalised)
        self.store.record(self.attempt.id, "answer", decision_point, normalised, self.clock)
        self._apply("answer", decision_point, normalised, self.clock)
        return normalised

    def _check_ids(self, dp: str, answer: dict[str, Any]) -> None:
        from sim.engine import load_needs
        from sim.referral import load_agencies, referral_graph

        vocab = self.book.vocabulary
        all_agencies = set(load_agencies().agencies)
        allowed = {"form": set(vocab.intake_forms), "provide": set(load_needs()), "acts": set(vocab.acts), "means": set(vocab.means),
                   "purposes": set(vocab.purposes), "lawful_documents": set(vocab.documents), "measures": set(vocab.protection_measures),
                   "duties": set(vocab.child_duties), "verifier": all_agencies,
                   "agencies": set(referral_graph(self.regime).nodes) if dp == "D10" else all_agencies}
        for key, value in answer.items():
            if key in allowed:
                values = value if isinstance(value, list) else ([] if value is None else [value])
                if not set(values) <= allowed[key]:
                    raise InputError("bad_answer", f"{dp}.{key}")

    @property
    def regime(self) -> str:
        return self.book.for_date(self.case.date).regime

    def submission(self) -> "Submission":
        from sim.answers import Action, Submission

        return Submission(case=self.case, decision_points=self.decision_points, answers=self.answers,
                          answered_at=self.answered_at, clock_minutes=self.clock, rubric=self.attempt.rubric,
                          actions=[Action(question=r.question.id, at_minute=r.at_minute) for r in self.asked])

    def submit(self) -> dict[str, Any]:
        """Score and store the report (a second submit returns the first report)."""
        existing = self.store.report(self.attempt.id)
        if existing is not None:
            return existing
        from sim.engine import assess
        from sim.scoring import score

        report = score(self.submission(), assess(self.case, self.book), self.book).to_dict(self.book)
        self.store.submit(self.attempt.id, report)
        return self.store.report(self.attempt.id) or report

    def report(self) -> dict[str, Any] | None:
        return self.store.report(self.attempt.id)

    def overrides(self) -> list[dict[str, Any]]:
        return self.store.overrides(self.attempt.id)

    def answer_key(self) -> dict[str, Any]:
        """The correct answers, for feedback. Refused before submission: the key never leaves early."""
        if not self.submitted:
            raise InputError("not_submitted")
        from sim.answer_key import answer_key
        from sim.engine import assess

        return answer_key(self.case, assess(self.case, self.book)).model_dump()
