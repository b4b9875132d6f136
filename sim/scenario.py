"""Scenarios and exercises: the YAML files trainers write, validated with every problem located.

>>> s = load_scenario("forced-marriage-2016")
>>> s.regime_on_date(), s.region
('A', 'binh-thuan')
"""
from __future__ import annotations

import os
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from sim.case import EntryRoute, Household, Sex, Threat
from sim.errors import DataError, Problem, SimError, UnknownIdError
from sim.law import Bilingual, Regime, Strict
from sim.loading import SourceDoc, read_document, validate

DecisionPoint = Literal["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"]
ALL_DECISION_POINTS: tuple[str, ...] = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")
SLUG = r"^[a-z0-9][a-z0-9-]*$"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


FactName = Literal["profile", "commune", "entry_route", "sex", "age", "nationality", "ethnicity", "household", "can_write",
                   "destination", "months_away", "documents", "threats", "trafficker_nearby", "family_suspected",
                   "child_at_serious_risk", "accompanying_children", "needs", "wishes_shelter", "has_home", "refuses_protection", "name"]


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
    decision_points: list[DecisionPoint] = Field(default_factory=lambda: list(ALL_DECISION_POINTS), min_length=1)
    difficulty: Literal["basic", "intermediate", "advanced"]
    objectives: list[Bilingual] = Field(min_length=1)
    language: Literal["vi", "en"] = "vi"
    rubric: dict[DecisionPoint, RubricWeight] = Field(default_factory=dict)

    def regime_on_date(self) -> str:
        from sim.rulebook import load_rulebook

        return load_rulebook().for_date(self.date).regime

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


def default_scenario_dir() -> Path:
    return Path(os.environ.get("TROVE_SCENARIO_DIR", PROJECT_ROOT / "scenarios"))


def default_exercise_dir() -> Path:
    return Path(os.environ.get("TROVE_EXERCISE_DIR", PROJECT_ROOT / "exercises"))


def check_scenario(doc: SourceDoc) -> list[Problem]:
    """Cross-reference checks on the raw document, so they run even when the schema check failed:
    profiles, region, regime, documents, needs and commune must exist."""
    from sim.engine import load_needs
    from sim.generator import load_profiles
    from sim.regions import load_region, pack_ids
    from sim.rulebook import load_rulebook
    from sim.suggest import unknown_id_problem

    raw = doc.data if isinstance(doc.data, dict) else {}
    fixed = raw.get("fixed") if isinstance(raw.get("fixed"), dict) else {}
    problems: list[Problem] = []
    profiles = list(load_profiles().profiles)
    book = load_rulebook()

    def unknown(loc: tuple, kind: str, value: object, known: list[str]) -> None:
        if isinstance(value, str) and value not in known:
            problems.append(unknown_id_problem(doc, loc, kind, value, known))

    for key in raw.get("profile_mix") or {} if isinstance(raw.get("profile_mix"), dict) else {}:
        unknown(("profile_mix", key), "profile", key, profiles)
    unknown(("fixed", "profile"), "profile", fixed.get("profile"), profiles)
    for key, kind, known in (("documents", "document", list(book.vocabulary.documents)), ("needs", "need", list(load_needs()))):
        for i, value in enumerate(fixed.get(key) or [] if isinstance(fixed.get(key), list) else []):
            unknown(("fixed", key, i), kind, value, known)
    day, region = raw.get("date"), raw.get("region")
    if not isinstance(day, date):
        return problems
    try:
        rules = book.for_date(day)
    except SimError as exc:
        return problems + [doc.problem(("date",), str(exc))]
    if raw.get("regime") in ("A", "B") and raw["regime"] != rules.regime:
        problems.append(doc.problem(("regime",), f"the date {day} falls under regime {rules.regime}, not {raw['regime']}",
                                    f"change the date or set regime: {rules.regime}"))
    if isinstance(region, str):
        if region not in pack_ids():
            unknown(("region",), "region", region, pack_ids())
        elif not load_region(region).covers(day):
            pack = load_region(region)
            problems.append(doc.problem(("region",), f"region {region!r} covers {pack.valid_from}–{pack.valid_to or '…'}, not {day}",
                                        "use binh-thuan before 1 Jul 2025, lam-dong or lam-dong-binh-thuan from then"))
        else:
            unknown(("fixed", "commune"), "commune", fixed.get("commune"), [c.name for c in load_region(region).communes_on(day)])
    return problems


def check_exercise(doc: SourceDoc, scenario_ids: list[str]) -> list[Problem]:
    """Every scenario an exercise lists must exist (checked on the raw document)."""
    from sim.suggest import unknown_id_problem

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


def read_scenario(path: Path) -> Scenario:
    """Read, validate and cross-check one scenario file."""
    doc = read_document(path)
    scenario, problems = validate_all(Scenario, doc, check_scenario(doc))
    if problems:
        raise DataError(problems)
    return scenario


@cache
def _scenarios_in(folder: str, stamp: tuple) -> dict[str, Scenario]:
    found: dict[str, Scenario] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        scenario = read_scenario(path)
        found[scenario.id] = scenario
    return found


def load_scenarios(folder: str | Path | None = None) -> dict[str, Scenario]:
    """Every scenario in a folder, re-read when a file changes (so edits are live)."""
    folder = Path(folder or default_scenario_dir())
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))
    return _scenarios_in(str(folder), stamp)


@cache
def _valid_scenarios_in(folder: str, stamp: tuple) -> tuple[dict[str, Scenario], tuple[Problem, ...]]:
    found: dict[str, Scenario] = {}
    problems: list[Problem] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            scenario = read_scenario(path)
        except DataError as exc:
            problems += exc.problems
            continue
        found.setdefault(scenario.id, scenario)
    return found, tuple(problems)


def valid_scenarios(folder: str | Path | None = None) -> tuple[dict[str, Scenario], list[Problem]]:
    """The scenarios that load, and the problems of those that do not.

    A running workshop uses this, so a trainer's broken file hides that one scenario instead of
    breaking every trainee's page; ``trove check`` and ``load_scenarios`` stay strict.
    """
    folder = Path(folder or default_scenario_dir())
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))
    found, problems = _valid_scenarios_in(str(folder), stamp)
    return found, list(problems)


def valid_exercises(folder: str | Path | None = None, scenario_folder: str | Path | None = None) -> tuple[dict[str, Exercise], list[Problem]]:
    """The exercises that load and whose scenarios all load; problems of the others."""
    folder = Path(folder or default_exercise_dir())
    scenarios, problems = valid_scenarios(scenario_folder)
    found: dict[str, Exercise] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = read_document(path)
        except DataError as exc:
            problems += exc.problems
            continue
        exercise, found_problems = validate_all(Exercise, doc, check_exercise(doc, list(scenarios)))
        if found_problems:
            problems += found_problems
        elif exercise is not None:
            found[exercise.id] = exercise
    return found, problems


def load_scenario(scenario_id: str, folder: str | Path | None = None) -> Scenario:
    scenarios = load_scenarios(folder)
    if scenario_id not in scenarios:
        raise UnknownIdError("scenario", scenario_id, list(scenarios))
    return scenarios[scenario_id]


def load_exercises(folder: str | Path | None = None, scenario_folder: str | Path | None = None) -> dict[str, Exercise]:
    folder = Path(folder or default_exercise_dir())
    scenario_ids = list(load_scenarios(scenario_folder))
    found: dict[str, Exercise] = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = read_document(path)
        exercise, problems = validate_all(Exercise, doc, check_exercise(doc, scenario_ids))
        if problems:
            raise DataError(problems)
        found[exercise.id] = exercise
    return found


def load_exercise(exercise_id: str, folder: str | Path | None = None) -> Exercise:
    exercises = load_exercises(folder)
    if exercise_id not in exercises:
        raise UnknownIdError("exercise", exercise_id, list(exercises))
    return exercises[exercise_id]
