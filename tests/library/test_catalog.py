from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.errors import DataError, UnknownIdError
from sim.cases.scenario import load_exercise, load_exercises, load_scenario, load_scenarios

ROOT = Path(__file__).parent.parent


def test_library_covers_both_regimes_and_every_profile():
    from sim.cases.generator import load_profiles

    scenarios = load_scenarios()
    assert len(scenarios) >= 10
    assert {s.regime_on_date() for s in scenarios.values()} == {"A", "B"}
    fixed_profiles = {s.fixed.profile for s in scenarios.values() if s.fixed.profile}
    assert set(load_profiles().profiles) - {"scam_compound"} <= fixed_profiles | {"male_labour"}
    assert any(s.fixed.accompanying_children for s in scenarios.values())
    assert any(s.fixed.documents == ["certificate_of_return"] for s in scenarios.values())
    assert any(s.fixed.threats and "to_relatives" in s.fixed.threats for s in scenarios.values())


def test_three_exercises_reference_existing_scenarios():
    exercises = load_exercises()
    assert {"intake-basics", "verification", "protection-referral"} <= set(exercises)
    assert load_exercise("verification").scenarios[0].scenario == "certificate-of-return-2019"


def test_unknown_ids_suggest_the_nearest():
    with pytest.raises(UnknownIdError, match="did you mean 'forced-marriage-2016'"):
        load_scenario("forced-mariage-2016")
    with pytest.raises(UnknownIdError, match="unknown exercise"):
        load_exercise("nope")


def test_a_broken_file_in_the_folder_is_reported_with_position(tmp_path):
    shutil.copy(ROOT / "scenarios" / "forced-marriage-2016.yaml", tmp_path / "ok.yaml")
    (tmp_path / "bad.yaml").write_text((ROOT / "tests/fixtures/bad/unknown-fields.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_scenarios(tmp_path)
    assert "bad.yaml:8:1 difficlty: unknown field" in str(exc.value)


def test_edits_are_picked_up_without_restart(tmp_path):
    path = tmp_path / "s.yaml"
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert load_scenario("forced-marriage-2016", tmp_path).version == "1"
    import os
    import time

    path.write_text(text.replace("version: '1'", "version: '2'"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert load_scenario("forced-marriage-2016", tmp_path).version == "2"
