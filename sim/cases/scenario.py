"""Scenarios and exercises: the YAML files trainers write, validated with every problem located.

>>> from sim.library import packaged_library
>>> lib = packaged_library()
>>> s = lib.catalog.scenario("forced-marriage-2016")
>>> lib.rules_on(s.date).regime, s.region
('A', 'binh-thuan')
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from sim.cases.case import EntryRoute, Household, Sex, Threat
from sim.errors import DataError, Problem, SimError
from sim.law.decision_points import DECISION_POINTS, DecisionPoint
from sim.law.primitives import Bilingual, Regime, Strict
from sim.parsing import SourceDoc, unknown_id_problem, validate

if TYPE_CHECKING:
    from sim.library import Library

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class FixedFacts(Strict):
    """Facts a scenario pins down. Any fact left out is drawn by the generator."""

    profile: str | None = None
    commune: str | None = None
    entry_route: EntryRoute | None = None
    sex: Sex | None = None
    age: int | None = Field(default=None, ge=0, le=100)
    nationality: Literal["vietnamese", "stateless_resident", "foreign"] | None = None
    ethnicity: Literal["Kinh", "Chăm"] | None = None
    household: Household | None = None
    can_write: bool | None = None
    destination: str | None = None
    months_away: int | None = Field(default=None, ge=0, le=240)
    documents: list[str] | None = None
    threats: list[Threat] | None = None
    trafficker_nearby: bool | None = None
    family_suspected: bool | None = None
    child_at_serious_risk: bool | None = None
    accompanying_children: int | None = Field(default=None, ge=0, le=4)
    needs: list[str] | None = None
    wishes_shelter: bool | None = None
    has_home: bool | None = None
    refuses_protection: bool | None = None


FactName = Literal[
    "profile",
    "commune",
    "entry_route",
    "sex",
    "age",
    "nationality",
    "ethnicity",
    "household",
    "can_write",
    "destination",
    "months_away",
    "documents",
    "threats",
    "trafficker_nearby",
    "family_suspected",
    "child_at_serious_risk",
    "accompanying_children",
    "needs",
    "wishes_shelter",
    "has_home",
    "refuses_protection",
    "name",
]


class RubricWeight(Strict):
    weight: float = Field(ge=0, le=100)


class Scenario(Strict):
    schema_version: Literal[1]
    id: str = Field(pattern=SLUG)
    version: str
    title: Bilingual
    description: Bilingual
    date: date
    regime: Regime | None = None
    region: str
    profile_mix: dict[str, float] | None = None
    fixed: FixedFacts = FixedFacts()
    random_facts: list[FactName] | Literal["all"] = "all"
    decision_points: list[DecisionPoint] = Field(default_factory=lambda: list(DECISION_POINTS), min_length=1)
    difficulty: Literal["basic", "intermediate", "advanced"]
    objectives: list[Bilingual] = Field(min_length=1)
    language: Literal["vi", "en"] = "vi"
    rubric: dict[DecisionPoint, RubricWeight] = Field(default_factory=dict)

    def is_random(self, fact: str) -> bool:
        return self.random_facts == "all" or fact in self.random_facts


class ExerciseItem(Strict):
    scenario: str
    variants: int = Field(default=1, ge=1, le=20)


class Exercise(Strict):
    schema_version: Literal[1]
    id: str = Field(pattern=SLUG)
    version: str
    title: Bilingual
    description: Bilingual
    scenarios: list[ExerciseItem] = Field(min_length=1)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=600)
    pass_mark: float = Field(ge=0, le=100)
    language: Literal["vi", "en"] = "vi"


def check_scenario(doc: SourceDoc, library: Library) -> list[Problem]:
    """Cross-reference checks on the raw document, so they run even when the schema check failed:
    profiles, region, regime, documents, needs and commune must exist in ``library``."""
    raw = doc.data if isinstance(doc.data, dict) else {}
    fixed = raw.get("fixed") if isinstance(raw.get("fixed"), dict) else {}
    problems: list[Problem] = []
    profiles = list(library.profiles.profiles)
    book = library.rulebook
    pack_ids = sorted(library.regions)

    def unknown(loc: tuple, kind: str, value: object, known: list[str]) -> None:
        if isinstance(value, str) and value not in known:
            problems.append(unknown_id_problem(doc, loc, kind, value, known))

    for key in raw.get("profile_mix") or {} if isinstance(raw.get("profile_mix"), dict) else {}:
        unknown(("profile_mix", key), "profile", key, profiles)
    unknown(("fixed", "profile"), "profile", fixed.get("profile"), profiles)
    for key, kind, known in (
        ("documents", "document", list(book.vocabulary.documents)),
        ("needs", "need", list(library.needs)),
    ):
        for i, value in enumerate(fixed.get(key) or [] if isinstance(fixed.get(key), list) else []):
            unknown(("fixed", key, i), kind, value, known)
    day, region = raw.get("date"), raw.get("region")
    if not isinstance(day, date):
        return problems
    try:
        rules = library.rules_on(day)
    except SimError as exc:
        return [*problems, doc.problem(("date",), str(exc))]
    if raw.get("regime") in ("A", "B") and raw["regime"] != rules.regime:
        problems.append(
            doc.problem(
                ("regime",),
                f"the date {day} falls under regime {rules.regime}, not {raw['regime']}",
                f"change the date or set regime: {rules.regime}",
            )
        )
    if isinstance(region, str):
        if region not in pack_ids:
            unknown(("region",), "region", region, pack_ids)
        elif not library.region(region).covers(day):
            pack = library.region(region)
            problems.append(
                doc.problem(
                    ("region",),
                    f"region {region!r} covers {pack.valid_from}–{pack.valid_to or '…'}, not {day}",
                    "regions on that date: "
                    + ", ".join(pid for pid, p in sorted(library.regions.items()) if p.covers(day)),
                )
            )
        else:
            unknown(
                ("fixed", "commune"),
                "commune",
                fixed.get("commune"),
                [c.name for c in library.region(region).communes_on(day)],
            )
    return problems


def check_exercise(doc: SourceDoc, scenario_ids: list[str]) -> list[Problem]:
    """Every scenario an exercise lists must exist (checked on the raw document)."""
    items = doc.data.get("scenarios") if isinstance(doc.data, dict) else None
    problems = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        value = item.get("scenario") if isinstance(item, dict) else None
        if isinstance(value, str) and value not in scenario_ids:
            problems.append(unknown_id_problem(doc, ("scenarios", i, "scenario"), "scenario", value, scenario_ids))
    return problems


def validate_all(model: type, doc: SourceDoc, cross_checks: list[Problem]) -> tuple[object | None, list[Problem]]:
    """Schema validation plus cross-checks, every problem together, sorted by position."""
    try:
        value, problems = validate(model, doc), []
    except DataError as exc:
        value, problems = None, list(exc.problems)
    problems += cross_checks
    return value, sorted(problems, key=lambda p: (p.line or 0, p.col or 0))
