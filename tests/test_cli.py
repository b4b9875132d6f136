"""The ``trove`` commands as a user runs them: output, exit codes, and clear errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from tests.conftest import BAD, ROOT, run_cli


def run(capsys, *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, *argv)


def test_check_clean_and_dirty(capsys):
    assert run(capsys, "check", str(ROOT / "scenarios"), str(ROOT / "exercises"))[0] == 0
    code, out, err = run(capsys, "check", str(BAD))
    assert code == 1 and "unknown-fields.yaml:8:1 difficlty" in out and "problem(s)" in err


def test_generate_is_byte_identical_for_the_same_seed(capsys):
    first = run(capsys, "generate", "--scenario", "scam-compound-2025", "--seed", "7")[1]
    second = run(capsys, "generate", "--scenario", "scam-compound-2025", "--seed", "7")[1]
    assert first == second and json.loads(first)["fictional"] is True


def test_generate_many_to_a_file(tmp_path, capsys):
    out = tmp_path / "cases.jsonl"
    assert (
        run(capsys, "generate", "--scenario", "mixed-practice-2026", "--count", "20", "--out", str(out), "--seed", "3")[
            0
        ]
        == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20 and len({json.loads(line)["case_id"] for line in lines}) == 20


def test_assess_a_hand_written_yaml_case(tmp_path, capsys):
    case = json.loads(run(capsys, "generate", "--scenario", "child-at-risk-2026", "--seed", "1")[1])
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(capsys, "assess", str(path))
    report = json.loads(out)
    assert code == 0 and report["regime"] == "B"
    duties = report["determinations"]["child_duties"]
    assert duties["value"]["emergency_within_hours"] == 12
    cited = [c for r in duties["rules"] for c in r["basis"]]
    assert any(c["vi"] == "Điều 26 Nghị định số 56/2017/NĐ-CP" and c["in_force_from"] == "2017-07-01" for c in cited)


def test_errors_are_clear_and_traceback_free(tmp_path, capsys):
    code, _, err = run(capsys, "generate", "--scenario", "nope", "--seed", "1")
    assert code == 1 and "unknown scenario 'nope'" in err
    code, _, err = run(capsys, "assess", str(tmp_path / "missing.yaml"))
    assert code == 1 and "no such file" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"case_id": 3}', encoding="utf-8")
    code, _, err = run(capsys, "assess", str(bad))
    assert code == 1 and "bad.json:1:1: required field 'date' is missing" in err and "Traceback" not in err


def test_bad_seed_via_subprocess_gives_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "sim", "generate", "--scenario", "scam-compound-2025", "--seed", "x"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (
        result.returncode == 2 and "seed must be a whole number" in result.stderr and "Traceback" not in result.stderr
    )


def test_graph_png(tmp_path, capsys):
    out = tmp_path / "graph.png"
    assert run(capsys, "graph", "--regime", "B", "--out", str(out))[0] == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_committed_schemas_are_up_to_date(tmp_path, capsys):
    assert run(capsys, "schema", "--out", str(tmp_path))[0] == 0
    for name in ("case", "scenario", "exercise"):
        committed = ROOT / "docs" / f"{name}.schema.json"
        assert committed.read_text(encoding="utf-8") == (tmp_path / f"{name}.schema.json").read_text(
            encoding="utf-8"
        ), f"docs/{name}.schema.json is stale: run `make schemas`"


def test_committed_rules_table_is_up_to_date(tmp_path, capsys):
    out = tmp_path / "rules-table.md"
    assert run(capsys, "rules", "--format", "md", "--out", str(out))[0] == 0
    committed = (ROOT / "docs" / "rules-table.md").read_text(encoding="utf-8")
    assert committed == out.read_text(encoding="utf-8"), "docs/rules-table.md is stale: run `make rules-table`"
    assert "[S" in committed and "| children.escort |" in committed  # a lawyer's view keeps the source tags


def test_score_a_saved_submission(library, tmp_path, capsys):
    from sim.cases.generator import generate_case
    from sim.engine.assessment import assess
    from sim.training.answer_key import answer_key, safe_interview
    from sim.training.answers import Submission

    case = generate_case(library.catalog.scenario("threats-to-relatives-2026"), library, seed=2)
    answers = answer_key(case, assess(case, library)).model_dump()
    answers["D8"] = {"share": "announce", "contact_suspect": False}
    submission = Submission(
        case=case,
        decision_points=["D1", "D4", "D7", "D8"],
        answers=answers,
        actions=safe_interview(case),
        answered_at={"D4": 30},
    )
    path = tmp_path / "submission.json"
    path.write_text(submission.model_dump_json(), encoding="utf-8")
    code, out, _ = run(capsys, "score", str(path))
    report = json.loads(out)
    assert code == 0 and report["capped"] and [e["rule"] for e in report["critical_errors"]] == ["E06"]
    assert report == json.loads(run(capsys, "score", str(path))[1])  # deterministic
    bad = tmp_path / "bad.json"
    bad.write_text('{"case": {}, "decision_points": []}', encoding="utf-8")
    code, _, err = run(capsys, "score", str(bad))
    assert code == 1 and "bad.json:1:10 case: required field" in err


def test_graph_with_a_region_and_an_unknown_region(tmp_path, capsys):
    out = tmp_path / "graph.png"
    assert run(capsys, "graph", "--regime", "A", "--region", "binh-thuan", "--lang", "en", "--out", str(out))[0] == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run(capsys, "graph", "--regime", "A", "--region", "binh-thuan-2016", "--out", str(out))
    assert code == 1 and "did you mean 'binh-thuan'" in err


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "usage: trove" in out


def test_generate_refuses_a_count_below_one(capsys):
    code, _, err = run(capsys, "generate", "--scenario", "scam-compound-2025", "--seed", "1", "--count", "0")
    assert code == 1 and "--count must be at least 1" in err
