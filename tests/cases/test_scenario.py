"""Scenario and exercise cross-checks against the library they are handed (on the raw document, so they run beside schema errors)."""

from __future__ import annotations

from sim.cases.scenario import Exercise, Scenario, check_exercise, check_scenario, validate_all
from sim.law.decision_points import DECISION_POINTS
from sim.parsing import parse_document
from tests.conftest import ROOT


def scenario_text(**changes: str) -> str:
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_a_shipped_scenario_has_no_problem(library):
    doc = parse_document(scenario_text(), "s.yaml")
    scenario, problems = validate_all(Scenario, doc, check_scenario(doc, library))
    assert problems == [] and scenario.id == "forced-marriage-2016"
    assert set(scenario.decision_points) <= set(DECISION_POINTS)


def test_ids_are_checked_against_the_library(library):
    doc = parse_document(scenario_text(), "s.yaml")
    assert check_scenario(doc, library) == []
    no_profiles = library.replace(
        profiles=library.profiles.model_copy(
            update={"profiles": {k: v for k, v in library.profiles.profiles.items() if k != "forced_marriage_china"}}
        )
    )
    problems = check_scenario(doc, no_profiles)
    assert [p.path for p in problems] == ["fixed.profile"] and "unknown profile 'forced_marriage_china'" in problems[
        0
    ].message


def test_schema_and_cross_check_problems_come_together_sorted_by_line(library):
    doc = parse_document(
        scenario_text(**{"difficulty:": "dificulty:", "region: binh-thuan": "region: binh-thuan-2016"}), "s.yaml"
    )
    scenario, problems = validate_all(Scenario, doc, check_scenario(doc, library))
    assert scenario is None
    assert {p.path for p in problems} >= {"region", "dificulty"}
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_an_exercise_names_existing_scenarios():
    doc = parse_document(
        "schema_version: 1\nid: x\nversion: '1'\ntitle: {vi: a, en: a}\ndescription: {vi: a, en: a}\n"
        "scenarios:\n- scenario: forced-marriage-2061\npass_mark: 70\n",
        "e.yaml",
    )
    exercise, problems = validate_all(Exercise, doc, check_exercise(doc, ["forced-marriage-2016"]))
    assert exercise is not None and [p.format() for p in problems] == [
        "e.yaml:7:13 scenarios[0].scenario: unknown scenario 'forced-marriage-2061' (did you mean 'forced-marriage-2016'?)"
    ]
