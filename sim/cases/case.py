"""The case format: what really happened (``truth``) and what an officer can observe.

The generator writes it, ``trove assess`` reads it (YAML or JSON), and ``docs/case.schema.json``
documents it. Every person in a case is fictional and says so (``fictional: true``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from sim.law.primitives import Bilingual, Strict

CASE_SCHEMA_VERSION = 1
Sex = Literal["female", "male"]
Household = Literal["poor", "near_poor", "not_poor", "unknown"]
EntryRoute = Literal[
    "self_report",
    "border_guard_handover",
    "official_repatriation",
    "via_mission",
    "deported",
    "rescued",
    "brought_by_police",
]
Threat = Literal["to_person", "to_relatives"]


class Place(Strict):
    """An address: province, district (none after the 2025 reform), commune with its official code, street."""

    province: str
    district: str | None = None
    commune: str
    commune_code: str
    street: str = ""


class Person(Strict):
    """A fictional person in the case. ``fictional`` is always true."""

    id: str
    role: Literal["primary", "accompanying_child"]
    fictional: Literal[True] = True
    full_name: str
    family_name: str
    given_name: str
    sex: Sex
    age: int = Field(ge=0, le=100)
    nationality: Literal["vietnamese", "stateless_resident", "foreign"] = "vietnamese"
    country: str = "Việt Nam"
    ethnicity: str = "Kinh"
    language: str = "vi"
    can_write: bool = True
    phone: str | None = None
    home: Place | None = None
    household: Household = "unknown"


class Document(Strict):
    """A paper the person carries: its kind (a rulebook document id), when it was issued, and an optional note.

    ``issued`` matters for a victim document: the application for reintegration support must be made within
    the rulebook's ``reintegration.apply_within_months`` of certification, where the regime sets a limit.
    """

    kind: str
    issued: date | None = None
    note: Bilingual | None = None


class Truth(Strict):
    """What really happened. Hidden from the trainee until revealed or until feedback.

    ``acts``, ``means`` and ``purposes`` are ``null`` when *unknown* (not asked, not told: no story on
    file) and ``[]`` when known to be absent; the engine never reads unknown as "no signs".
    ``age_at_start`` is the age when the trafficking began (default: estimated from ``age`` and
    ``months_away``). ``parent_suspected``: a parent is suspected of selling the child, which triggers
    the child-at-risk duties. ``asks_for_support``: whether the person wants victim support (it is
    given on request; the officer still tells them of it).
    """

    profile: str
    acts: list[str] | None = Field(default_factory=list)
    means: list[str] | None = Field(default_factory=list)
    purposes: list[str] | None = Field(default_factory=list)
    destination: str = "domestic"
    months_away: int = Field(default=0, ge=0)
    age_at_start: int | None = Field(default=None, ge=0, le=100)
    recruiter: str = "stranger"
    threats: list[Threat] = Field(default_factory=list)
    trafficker_nearby: bool = False
    family_suspected: bool = False
    parent_suspected: bool = False
    child_at_serious_risk: bool = False
    needs: list[str] = Field(default_factory=list)
    wishes_shelter: bool = False
    has_home: bool = True
    refuses_protection: bool = False
    asks_for_support: bool = True
    story: Bilingual

    @property
    def child_at_risk(self) -> bool:
        """A child at serious risk of harm, as the case says or because a parent is suspected of selling them."""
        return self.child_at_serious_risk or self.parent_suspected


class Question(Strict):
    """One interview question or action, with what it reveals and its consequence."""

    id: str
    category: Literal["care", "journey", "work", "documents", "threats", "family", "needs", "child", "harmful"]
    text: Bilingual
    answer: Bilingual
    reveals: list[str] = Field(default_factory=list)
    minutes: int = Field(default=5, ge=0)
    critical_error: str | None = None


class Observable(Strict):
    """What the officer sees and hears at first contact."""

    first_statement: Bilingual
    appearance: Bilingual
    documents: list[Document] = Field(default_factory=list)
    brought_by: str | None = None  # an agency id (agencies.yaml), e.g. a Vietnamese mission abroad


class Case(Strict):
    """One generated case: where and when, the persons, what the officer observes, the truth and the interview.

    Examples
    --------
    >>> from sim.cases.generator import generate_case
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> case.date, case.region, case.entry_route
    (datetime.date(2016, 9, 12), 'binh-thuan', 'self_report')
    >>> case.primary.role, len(case.children), case.returned_from_abroad
    ('primary', 1, True)
    """

    schema_version: Literal[1] = CASE_SCHEMA_VERSION
    case_id: str
    fictional: Literal[True] = True
    scenario_id: str | None = None
    scenario_version: str | None = None
    seed: int | None = None
    date: date
    region: str
    commune: Place
    entry_route: EntryRoute
    persons: list[Person] = Field(min_length=1)
    observable: Observable
    truth: Truth
    interview: list[Question] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_primary(self) -> Case:
        if [p.role for p in self.persons].count("primary") != 1:
            raise ValueError("a case needs exactly one person with role 'primary'")
        ids = [p.id for p in self.persons]
        if len(set(ids)) != len(ids):
            raise ValueError("person ids must be unique")
        late = [d.kind for d in self.observable.documents if d.issued and d.issued > self.date]
        if late:
            raise ValueError(
                f"documents issued after the case date: {', '.join(late)} (issued must be on or before date)"
            )
        started = self.truth.age_at_start
        if started is not None and started > self.primary.age:
            raise ValueError(f"truth.age_at_start {started} is above the person's age {self.primary.age}")
        if self.truth.parent_suspected and not self.truth.family_suspected:
            raise ValueError("truth.parent_suspected needs truth.family_suspected: true (a parent is family)")
        return self

    @property
    def primary(self) -> Person:
        """The one person with role ``primary``: the possible victim the officer receives."""
        return next(p for p in self.persons if p.role == "primary")

    @property
    def children(self) -> list[Person]:
        """The accompanying children, in case order (possibly none)."""
        return [p for p in self.persons if p.role == "accompanying_child"]

    @property
    def document_kinds(self) -> list[str]:
        """The kinds of the documents the person shows, in order."""
        return [d.kind for d in self.observable.documents]

    @property
    def returned_from_abroad(self) -> bool:
        """Whether the person comes back from another country (the truth's destination is not domestic)."""
        return self.truth.destination != "domestic"
