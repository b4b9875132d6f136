"""The answer key: the answers the rule engine's ground truth implies, per decision point.

Derived, never typed by hand. Shown to the trainee only after submission, and used by tests to prove
that a lawful answer scores full marks.
"""

from __future__ import annotations

from typing import Any

from sim.cases.case import Case
from sim.engine.assessment import Assessment
from sim.training.answers import Action, Answers

SAFE_INTERVIEW = (
    "care_first",
    "ask_journey",
    "ask_work_pay",
    "ask_freedom",
    "check_papers",
    "ask_who_knows",
    "ask_family",
    "ask_wishes",
)


def answer_key(case: Case, truth: Assessment) -> Answers:
    """The lawful answers at D1–D10 for ``case``, read from the rule engine's ground truth ``truth``.

    Parameters
    ----------
    case : Case
        The case the answers are for.
    truth : Assessment
        ``assess(case, library)``: the determinations the answers are taken from.

    Returns
    -------
    Answers
        One answer per decision point; scored with ``safe_interview(case)``, it earns full marks.

    Examples
    --------
    >>> from sim.cases.generator import generate_case
    >>> from sim.engine.assessment import assess
    >>> from sim.law.decision_points import DECISION_POINTS
    >>> from sim.library import packaged_library
    >>> from sim.training.answers import Submission
    >>> from sim.training.scoring import score
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> truth = assess(case, lib)
    >>> key = answer_key(case, truth)
    >>> key.D1.receive, key.D4.agencies
    ('receive', ['district_labour_office'])
    >>> submission = Submission(
    ...     case=case, decision_points=list(DECISION_POINTS), answers=key, actions=safe_interview(case)
    ... )
    >>> score(submission, truth, lib).percent
    100.0
    """
    signs, docs, verification = (
        truth.value("signs_of_trafficking"),
        truth.value("victim_documents"),
        truth.value("verification"),
    )
    protection, children, referral = truth.value("protection"), truth.value("child_duties"), truth.value("referral")
    intake = truth.value("intake")
    return Answers.model_validate(
        {
            "D1": {"receive": "receive"},
            "D2": {
                "form": intake["form"],
                "record": True,
                "statement": "officer_writes" if intake["officer_writes_for"] else "person_writes",
            },
            "D3": {"provide": truth.value("immediate_support")["provide"], "message": "support_now"},
            "D4": {"agencies": truth.value("notification")["agencies"], "timing": "immediately"},
            "D5": {
                "acts": signs["acts"],
                "means": signs["means"],
                "purposes": signs["purposes"],
                # a lawful victim document proves status even when the story is not on file
                "conclusion": "possible_victim_refer"
                if signs["indicated"] or docs["lawful"]
                else "no_clear_signs_refer",
            },
            "D6": {
                "lawful_documents": docs["lawful"],
                "verification": verification_answer(verification),
                "verifier": verification["verifier"] if verification["needed"] else None,
            },
            "D7": {"measures": protection["measures"], "consent": "with_consent", "if_refused": "record_refusal"},
            "D8": {"share": "only_with_consent", "contact_suspect": False},
            "D9": {
                "duties": children["duties"],
                "return_home": children["return_home"],
                "emergency": children["emergency_within_hours"] is not None,
            },
            "D10": {"agencies": referral["agencies"], "none_needed": not referral["agencies"]},
        }
    )


def safe_interview(case: Case) -> list[Action]:
    """A safe interview: care first, then the questions that reveal the signs; no harmful action.

    The age-and-guardian question is added when someone in the case is under 18; each action starts when the
    previous one ends on the simulated clock.

    Examples
    --------
    >>> from sim.cases.generator import generate_case
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> [c.age for c in case.children]
    [0]
    >>> [(a.question, a.at_minute) for a in safe_interview(case)][-3:]
    [('ask_family', 50), ('ask_wishes', 55), ('ask_age_guardian', 60)]
    """
    minutes, actions = 0, []
    by_id = {q.id: q for q in case.interview}
    for qid in SAFE_INTERVIEW + (("ask_age_guardian",) if any(p.age < 18 for p in case.persons) else ()):
        if qid in by_id:
            actions.append(Action(question=qid, at_minute=minutes))
            minutes += by_id[qid].minutes
    return actions


def verification_answer(verification: dict[str, Any]) -> str:
    """The lawful D6 choice from the engine's ``verification`` value: request it, not needed, or screened out.

    >>> verification_answer({"needed": True}), verification_answer({"needed": False, "screened_out": True})
    ('needed', 'screened')
    >>> verification_answer({"needed": False, "screened_out": False})
    'not_needed'
    """
    if verification["needed"]:
        return "needed"
    return "screened" if verification.get("screened_out") else "not_needed"
