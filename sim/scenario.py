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
from sim.errors import DataError, Problem, UnknownIdError
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
    return Path(os.environ.get("TROVE_SCENARIOS", PROJECT_ROOT / "scenarios"))


def default_exercise_dir() -> Path:
    return Path(os.environ.get("TROVE_EXERCISES", PROJECT_ROOT / "exercises"))


def check_scenario(doc: SourceDoc, scenario: Scenario) -> list[Problem]:
    """Cross-reference checks: profiles, region, regime, documents, needs and commune exist."""
    from sim.engine import load_needs
    from sim.generator import load_profiles
    from sim.regions import load_region, pack_ids
    from sim.rulebook import load_rulebook
    from sim.suggest import unknown_id_problem

    problems: list[Problem] = []
    profiles = load_profiles().profiles
    book = load_rulebook()
    for key in (scenario.profile_mix or {}):
        if key not in profiles:
            problems.append(unknown_id_problem(doc, ("profile_mix", key), "profile", key, list(profiles)))
    if scenario.fixed.profile and scenario.fixed.profile not in profiles:
        problems.append(unknown_id_problem(doc, ("fixed", "profile"), "profile", scenario.fixed.profile, list(profiles)))
    try:
        rules = book.for_date(scenario.date)
        if scenario.regime and scenario.regime != rules.regime:
            problems.append(doc.problem(("regime",), f"the date {scenario.date} falls under regime {rules.regime}, not {scenario.regime}",
                                        f"change the date or set regime: {rules.regime}"))
    except Exception as exc:  # the rulebook's own message says what to do
        problems.append(doc.problem(("date",), str(exc)))
    if scenario.region not in pack_ids():
        problems.append(unknown_id_problem(doc, ("region",), "region", scenario.region, pack_ids()))
    else:
        pack = load_region(scenario.region)
        if not pack.covers(scenario.date):
            problems.append(doc.problem(("region",), f"region {scenario.region!r} covers {pack.valid_from}–{pack.valid_to or '…'}, not {scenario.date}",
                                        "use binh-thuan before 1 Jul 2025, lam-dong or lam-dong-binh-thuan from then"))
        elif scenario.fixed.commune:
            names = [c.name for c in pack.communes_on(scenario.date)]
            if scenario.fixed.commune not in names:
                problems.append(unknown_id_problem(doc, ("fixed", "commune"), "commune", scenario.fixed.commune, names))
    for i, kind in enumerate(scenario.fixed.documents or []):
        if kind not in book.vocabulary.documents:
            problems.append(unknown_id_problem(doc, ("fixed", "documents", i), "document", kind, list(book.vocabulary.documents)))
    for i, need in enumerate(scenario.fixed.needs or []):
        if need not in load_needs():
            problems.append(unknown_id_problem(doc, ("fixed", "needs", i), "need", need, list(load_needs())))
    return problems


def check_exercise(doc: SourceDoc, exercise: Exercise, scenario_ids: list[str]) -> list[Problem]:
    from sim.suggest import unknown_id_problem

    return [unknown_id_problem(doc, ("scenarios", i, "scenario"), "scenario", item.scenario, scenario_ids)
            for i, item in enumerate(exercise.scenarios) if item.scenario not in scenario_ids]


def read_scenario(path: Path) -> Scenario:
    """Read, validate and cross-check one scenario file."""
    doc = read_document(path)
    scenario = validate(Scenario, doc)
    problems = check_scenario(doc, scenario)
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
        exercise = validate(Exercise, doc)
        problems = check_exercise(doc, exercise, scenario_ids)
        if problems:
            raise DataError(problems)
        found[exercise.id] = exercise
    return found


def load_exercise(exercise_id: str, folder: str | Path | None = None) -> Exercise:
    exercises = load_exercises(folder)
    if exercise_id not in exercises:
        raise UnknownIdError("exercise", exercise_id, list(exercises))
    return exercises[exercise_id]
