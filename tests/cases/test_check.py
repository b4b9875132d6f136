"""``trove check`` on bad files: the exact error text is pinned (file:line:col field: message (hint))."""

from __future__ import annotations

import pytest

from sim.cases.check import check_paths
from tests.conftest import BAD, ROOT

EXPECTED = {
    "unknown-fields.yaml": [
        "unknown-fields.yaml:1:1: required field 'difficulty' is missing (add difficulty: …)",
        "unknown-fields.yaml:8:1 difficlty: unknown field (did you mean 'difficulty'?)",
        "unknown-fields.yaml:12:12 fixed.profile: unknown profile 'forced-marriage' (did you mean 'forced_marriage_china'?)",
        "unknown-fields.yaml:13:3 fixed.ages: unknown field (did you mean 'age'?)",
        "unknown-fields.yaml:14:23 decision_points[1]: 'D11' is not allowed (did you mean 'D1'?)",
    ],
    "syntax-error.yaml": [
        "syntax-error.yaml:4:5: YAML syntax error: did not find expected ',' or '}' (check indentation, colons and quotes on this line or the one before)",
    ],
    "wrong-regime.yaml": [
        "wrong-regime.yaml:7:9 regime: the date 2025-08-01 falls under regime B, not A (change the date or set regime: B)",
        "wrong-regime.yaml:8:9 region: region 'binh-thuan' covers 2012-01-01–2025-06-30, not 2025-08-01 (regions on that date: lam-dong, lam-dong-binh-thuan)",
        "wrong-regime.yaml:14:15 fixed.documents[0]: unknown document 'victim_certificate' (did you mean 'police_victim_certificate' or 'mission_victim_certificate'?)",
    ],
    "comma-in-text.yaml": [
        "comma-in-text.yaml:4:24 title.hỗ trợ: unknown field (a comma inside {…} splits a text in two: put the whole text in quotes, e.g. vi: 'a, b')",
    ],
    "exercise-unknown-scenario.yaml": [
        "exercise-unknown-scenario.yaml:7:14 scenarios[0].scenario: unknown scenario 'forced-marriage-2061' (did you mean 'forced-marriage-2016' or 'deported-scam-2026'?)",
        "exercise-unknown-scenario.yaml:8:12 pass_mark: Input should be less than or equal to 100",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_reports_every_problem_with_position(library, name):
    problems, checked = check_paths([BAD / name], library)
    assert checked == 1
    assert [p.format().replace(str(BAD) + "/", "") for p in problems] == EXPECTED[name]


def test_shipped_scenarios_and_exercises_are_clean(library):
    problems, checked = check_paths([ROOT / "scenarios", ROOT / "exercises"], library)
    assert problems == [] and checked >= 13


def test_missing_path_is_a_problem_not_a_crash(library, tmp_path):
    problems, _ = check_paths([tmp_path / "nope"], library)
    assert problems[0].message == "no such file or folder"


def test_duplicate_scenario_ids_are_reported(library, tmp_path):
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    problems, _ = check_paths([tmp_path], library)
    assert len(problems) == 1 and "also used by" in problems[0].message


def test_files_are_checked_against_the_library_they_are_handed(library, tmp_path):
    """A scenario for a region the library does not have is refused; the same file passes with the packaged data."""
    path = tmp_path / "s.yaml"
    path.write_text((ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert check_paths([path], library) == ([], 1)
    without = library.replace(regions={k: v for k, v in library.regions.items() if k != "binh-thuan"})
    problems, _ = check_paths([path], without)
    assert [p.path for p in problems] == ["region"] and "unknown region 'binh-thuan'" in problems[0].message


def test_write_schemas(tmp_path):
    import json

    from sim.cases.check import write_schemas

    written = write_schemas(tmp_path / "docs")
    assert [p.name for p in written] == ["case.schema.json", "scenario.schema.json", "exercise.schema.json"]
    assert json.loads(written[1].read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


def test_an_empty_title_is_a_problem_in_either_language(library, tmp_path):
    """A scenario nobody could name in Vietnamese (or English) is refused at its title, with the position."""
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(
        text.replace("title: {vi: 'Trở về từ Trung Quốc, không giấy tờ (2016)'", "title: {vi: ' '"), "utf-8"
    )
    problems, _ = check_paths([path], library)
    assert [(p.line, p.path) for p in problems] == [(5, "title.vi")]
    assert "at least 1 character" in problems[0].message
