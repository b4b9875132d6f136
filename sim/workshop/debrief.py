"""Debrief data: the room's anonymised choices at a decision point beside what was correct for each
trainee's own case, and the step-by-step replay of one attempt. Pure reads of the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.cases.case import Case
from sim.engine.assessment import assess
from sim.training.answer_key import answer_key
from sim.workshop.store import ResultsStore

if TYPE_CHECKING:
    from sim.library import Library


def final_answers(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last answer given at each decision point.

    >>> final_answers([{"kind": "answer", "key": "D1", "payload": {"receive": "a"}}, {"kind": "answer", "key": "D1", "payload": {"receive": "b"}}])
    {'D1': {'receive': 'b'}}
    """
    answers: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["kind"] == "answer":
            answers[event["key"]] = event["payload"]
    return answers


@dataclass
class OptionCount:
    """For one option of an answer field: how many attempts chose it, and for how many it was correct."""

    chosen: int = 0
    correct_for: int = 0


@dataclass
class FieldSpread:
    """The room's choices for one answer field of a decision point (``"—"``: left unanswered)."""

    field: str
    attempts: int = 0
    options: dict[Any, OptionCount] = field(default_factory=dict)


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def choice_spread(
    store: ResultsStore, library: Library, workshop_id: str, scenario_id: str, decision_point: str
) -> tuple[list[FieldSpread], list[Any]]:
    """Per answer field: how many submitted attempts chose each option, and for how many it was correct.

    Each attempt's own case is judged again under ``library``. Returns the spreads and the legal basis
    (citations) of the decision point's determinations.
    """
    spreads: dict[str, FieldSpread] = {}
    basis: list[Any] = []
    for row in store.submitted_rows(workshop_id):
        if row["scenario_id"] != scenario_id or not row["submitted_at"]:
            continue
        attempt = store.attempt(row["attempt_id"])
        if decision_point not in attempt.decision_points:
            continue
        case = Case.model_validate_json(attempt.case_json)
        truth = assess(case, library)
        key = answer_key(case, truth).model_dump().get(decision_point) or {}
        given = final_answers(store.events(attempt.id)).get(decision_point, {})
        if not basis:
            basis = [
                c
                for d in truth.determinations.values()
                if d.decision_point == decision_point
                for r in d.rules[:1]
                for c in r.basis
            ]
        for name, correct in key.items():
            spread = spreads.setdefault(name, FieldSpread(name))
            spread.attempts += 1
            for value in _values(given.get(name)) if name in given else ["—"]:
                spread.options.setdefault(value, OptionCount()).chosen += 1
            for value in _values(correct):
                spread.options.setdefault(value, OptionCount()).correct_for += 1
    return list(spreads.values()), basis


@dataclass(frozen=True)
class Step:
    """One event of a replayed attempt: its order, kind (action or answer), key, payload and times."""

    index: int
    kind: str
    key: str
    payload: dict[str, Any]
    minute: int
    at: str


def replay(store: ResultsStore, attempt_id: str) -> list[Step]:
    """Every action and answer of an attempt, in order, with its simulated minute and wall-clock time."""
    return [
        Step(i, e["kind"], e["key"], e["payload"], e["clock_minutes"], e["created_at"])
        for i, e in enumerate(store.events(attempt_id))
    ]
