"""The catalog of a library: the bundled scenarios and exercises, strict and tolerant reads, edits picked up live."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from sim.errors import DataError, UnknownIdError
from tests.conftest import BAD, ROOT, with_folders


def test_library_covers_both_regimes_and_every_profile(library):
    scenarios = library.catalog.scenarios()
    assert len(scenarios) >= 10
    assert {library.rules_on(s.date).regime for s in scenarios.values()} == {"A", "B"}
    fixed_profiles = {s.fixed.profile for s in scenarios.values() if s.fixed.profile}
    assert set(library.profiles.profiles) - {"scam_compound"} <= fixed_profiles | {"male_labour"}
    assert any(s.fixed.accompanying_children for s in scenarios.values())
    assert any(s.fixed.documents == ["certificate_of_return"] for s in scenarios.values())
    assert any(s.fixed.threats and "to_relatives" in s.fixed.threats for s in scenarios.values())


def test_three_exercises_reference_existing_scenarios(library):
    exercises = library.catalog.exercises()
    assert {"intake-basics", "verification", "protection-referral"} <= set(exercises)
    assert library.catalog.exercise("verification").scenarios[0].scenario == "certificate-of-return-2019"
    assert library.catalog.valid_exercises() == (exercises, [])


def test_unknown_ids_suggest_the_nearest(library):
    with pytest.raises(UnknownIdError, match="did you mean 'forced-marriage-2016'"):
        library.catalog.scenario("forced-mariage-2016")
    with pytest.raises(UnknownIdError, match="unknown exercise"):
        library.catalog.exercise("nope")


def test_a_broken_file_in_the_folder_is_reported_with_position(library, tmp_path):
    shutil.copy(ROOT / "scenarios" / "forced-marriage-2016.yaml", tmp_path / "ok.yaml")
    (tmp_path / "bad.yaml").write_text((BAD / "unknown-fields.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    catalog = with_folders(library, scenarios=tmp_path).catalog
    with pytest.raises(DataError) as exc:
        catalog.scenarios()
    assert "bad.yaml:8:1 difficlty: unknown field" in str(exc.value)
    found, problems = catalog.valid_scenarios()  # a running workshop skips the broken file and reports it
    assert list(found) == ["forced-marriage-2016"] and any("difficlty" in p.format() for p in problems)


def test_an_exercise_whose_scenario_is_broken_is_left_out(library, tmp_path):
    scenarios, exercises = tmp_path / "scenarios", tmp_path / "exercises"
    shutil.copytree(ROOT / "scenarios", scenarios)
    shutil.copytree(ROOT / "exercises", exercises)
    (scenarios / "forced-marriage-2016.yaml").write_text("id: [broken", encoding="utf-8")
    found, problems = with_folders(library, scenarios=scenarios, exercises=exercises).catalog.valid_exercises()
    assert "intake-basics" not in found and "verification" in found
    assert any("forced-marriage-2016" in p.message for p in problems) and any(
        p.file.endswith("forced-marriage-2016.yaml") for p in problems
    )


def test_edits_are_picked_up_without_restart(library, tmp_path):
    path = tmp_path / "s.yaml"
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    catalog = with_folders(library, scenarios=tmp_path).catalog
    assert catalog.scenario("forced-marriage-2016").version == "2"
    path.write_text(text.replace("version: '2'", "version: '3'"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert catalog.scenario("forced-marriage-2016").version == "3"


def test_checking_text_as_trove_check_does(library):
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    scenario, problems = library.catalog.check_scenario_text(text, "s.yaml")
    assert scenario.id == "forced-marriage-2016" and problems == []
    scenario, problems = library.catalog.check_scenario_text("id: [broken", "s.yaml")
    assert scenario is None and problems[0].message.startswith("YAML syntax error")
    exercise, problems = library.catalog.check_exercise_text(
        (BAD / "exercise-unknown-scenario.yaml").read_text(encoding="utf-8"), "e.yaml"
    )
    assert exercise is None and [p.path for p in problems] == ["scenarios[0].scenario", "pass_mark"]
