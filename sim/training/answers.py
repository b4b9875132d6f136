"""A trainee's answers at the decision points D1–D10, and the submission that bundles them.

Every field is optional while the trainee works (answers are autosaved one by one); the scorer treats
a missing answer as no credit for that decision point. Ids are checked against the rulebook and graph
by ``sim.app.trainee`` before they are stored, because widgets can be driven by a script.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, create_model

from sim.cases.case import Case
from sim.law.decision_points import DECISION_POINTS, DecisionPoint
from sim.law.primitives import Strict


class D1Answer(Strict):
    """D1, receive: take the person in now, send them to the district, or ask them to come back with papers."""

    receive: Literal["receive", "send_to_district", "come_back_with_papers"]


class D2Answer(Strict):
    """D2, intake: the form used, whether a record is made, and who writes the statement."""

    form: str | None = None
    record: bool = False
    statement: Literal["officer_writes", "person_writes"] = "person_writes"


class D3Answer(Strict):
    """D3, immediate support: the essential needs met now, what the person is told, and whether a fee is asked."""

    provide: list[str] = Field(default_factory=list)
    message: Literal["support_now", "wait_for_verification", "only_for_poor", "none_for_foreigners"] = "support_now"
    fee: bool = False


class D4Answer(Strict):
    """D4, notification: the agencies notified and when."""

    agencies: list[str] = Field(default_factory=list)
    timing: Literal["immediately", "within_3_days", "after_verification", "next_week"] = "immediately"


class D5Answer(Strict):
    """D5, signs of trafficking: the acts, means and purposes recognised, and the conclusion drawn."""

    acts: list[str] = Field(default_factory=list)
    means: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)
    conclusion: Literal[
        "possible_victim_refer",
        "no_clear_signs_refer",
        "commune_declares_victim",
        "not_victim_close",
        "treat_as_offender",
    ] = "possible_victim_refer"


class D6Answer(Strict):
    """D6, documents and verification: the papers that prove victim status, whether and by whom to verify, and
    whether the commune issues a victim certificate (it may not)."""

    lawful_documents: list[str] = Field(default_factory=list)
    verification: Literal["needed", "not_needed", "screened", "reject_no_papers"] = "needed"
    verifier: str | None = None
    commune_certificate: bool = False


class D7Answer(Strict):
    """D7, protection: the measures chosen, whether with consent, and what to do if the person refuses."""

    measures: list[str] = Field(default_factory=list)
    consent: Literal["with_consent", "without_consent"] = "with_consent"
    if_refused: Literal["record_refusal", "apply_anyway"] = "record_refusal"


class D8Answer(Strict):
    """D8, confidentiality: with whom the person's story is shared, and whether the suspect is contacted."""

    share: Literal["only_with_consent", "tell_family", "tell_neighbours", "announce", "post_online"] = (
        "only_with_consent"
    )
    contact_suspect: bool = False


class D9Answer(Strict):
    """D9, children: the duties owed to a child, how the child returns home, and whether it is an emergency."""

    duties: list[str] = Field(default_factory=list)
    return_home: Literal["escort", "separate_from_parent", "alone", "unverified_relative", "not_applicable"] = (
        "not_applicable"
    )
    emergency: bool = False


class D10Answer(Strict):
    """D10, referral plan: the agencies the person is referred to (a plan that should reach every needed service)."""

    agencies: list[str] = Field(default_factory=list)
    none_needed: bool = False  # "no victim-support referral" (a screened person), so an empty plan is an answer


ANSWER_MODELS: dict[str, type[Strict]] = dict(
    zip(
        DECISION_POINTS,
        (D1Answer, D2Answer, D3Answer, D4Answer, D5Answer, D6Answer, D7Answer, D8Answer, D9Answer, D10Answer),
        strict=True,
    )
)

# One optional field per decision point, named after it (``answers.D4``), built from the list above.
Answers = create_model(
    "Answers",
    __base__=Strict,
    __doc__="A trainee's answers: one optional answer per decision point.",
    **{dp: (model | None, None) for dp, model in ANSWER_MODELS.items()},
)


class Action(Strict):
    """An interview question or action, taken at a simulated minute."""

    question: str
    at_minute: int = Field(ge=0)


class Submission(Strict):
    """Everything the scorer needs: the case, the answers, the actions and when each answer was given."""

    schema_version: Literal[1] = 1
    case: Case
    decision_points: list[DecisionPoint]
    answers: Answers = Answers()
    answered_at: dict[DecisionPoint, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)  # simulated minute
    actions: list[Action] = Field(default_factory=list)
    clock_minutes: int = Field(default=0, ge=0)
    rubric: dict[DecisionPoint, Annotated[float, Field(ge=0, le=100)]] = Field(default_factory=dict)  # own weights
