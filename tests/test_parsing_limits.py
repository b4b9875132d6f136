"""Bad input never crashes or hangs a loader: the limits of the parsing boundary, each refusal located, exit 1."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from sim.errors import DataError
from sim.parsing import MAX_FILE_BYTES, MAX_PROBLEMS, parse_document
from tests.conftest import ROOT, run_cli

SCENARIO = ROOT / "scenarios" / "forced-marriage-2016.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, *argv)


def scenario_file(tmp_path: Path, old: str, new: str) -> Path:
    text = SCENARIO.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "s.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "date: 2016-09-12",
            "date: 2020-13-45",
            ":9:7 date: '2020-13-45' is not a real date (write dates as YYYY-MM-DD",
        ),
        ("date: 2016-09-12", "date: 2025-02-29", ":9:7 date: '2025-02-29' is not a real date"),
        ("schema_version: 1", "schema_version: " + "9" * 5000, ":2:17 schema_version: a whole number of more than 20"),
        ("regime: A", "regime: !!bool maybe", ":10:9 regime: 'maybe' is not true or false"),
        ("regime: A", "regime: .inf", ":10:9 regime: not a finite number"),
        ("regime: A", "regime: " + "[" * 40 + "]" * 40, ":10:40 regime[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"),
        ("regime: A", "regime: &loop [A, *loop]", ":10:9 regime[1]: an alias repeats the list or mapping it is in"),
        ("regime: A", "regime: A\x07", ":10:10: character U+0007 is not allowed in YAML"),
    ],
    ids=["13th-month", "29-feb-2025", "5000-digits", "bad-bool", "infinity", "deep", "recursive-alias", "control-char"],
)
def test_bad_values_are_located_not_tracebacks(tmp_path, capsys, old, new, expected):
    path = scenario_file(tmp_path, old, new)
    code, out, err = run(capsys, "check", str(path))
    assert code == 1 and out.startswith(f"{path}{expected}") and len(out.splitlines()) == 1, out


def timed_check(capsys, path: Path) -> tuple[int, str, float]:
    """`trove check path`: its exit code, its output and the seconds it took."""
    start = time.perf_counter()
    code, out, _ = run(capsys, "check", str(path))
    return code, out, time.perf_counter() - start


def plain_check_seconds(capsys, tmp_path: Path) -> float:
    """The best of three checks of the bundled scenario: the baseline a refusal is compared with in the same run,
    so that a loaded machine slows both (a few milliseconds here)."""
    (tmp_path / "plain").mkdir()
    path = scenario_file(tmp_path / "plain", "regime: A", "regime: A")
    return min(timed_check(capsys, path)[2] for _ in range(3))


def test_an_alias_bomb_is_refused_at_once(tmp_path, capsys):
    """A 1.2 KB "billion laughs" (9**8 values through one field) took 20 s and 2.9 GB to check."""
    anchors = ["x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    anchors += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, 8)]
    path = scenario_file(tmp_path, "regime: A", "\n".join(anchors) + "\nregime: *x7")
    assert path.stat().st_size < 3000  # the bundled scenario plus the 1.2 KB bomb
    code, out, seconds = timed_check(capsys, path)
    assert seconds < 500 * plain_check_seconds(capsys, tmp_path)  # 10 to 30 here; 6,000 before the limits
    assert code == 1 and out.startswith(f"{path}:14:5 x4: more than 50,000 values, each alias counting all")


def test_a_ten_megabyte_file_is_refused_before_parsing(tmp_path, capsys):
    """A 10 MB file took 46 s to check."""
    path = tmp_path / "big.yaml"
    path.write_text(SCENARIO.read_text(encoding="utf-8") + "- {vi: Một mục tiêu, en: A goal}\n" * 330_000)
    assert path.stat().st_size > 10 * MAX_FILE_BYTES
    code, out, seconds = timed_check(capsys, path)
    assert seconds < 500 * plain_check_seconds(capsys, tmp_path)  # 1 to 3 here; 15,000 before the limit
    assert code == 1 and out.startswith(
        f"{path}: the file is larger than 1 MiB (scenarios, exercises and submissions are a few KB"
    )


def test_text_from_the_designer_has_the_same_limits():
    with pytest.raises(DataError, match="draft.yaml: the file is larger than 1 MiB"):
        parse_document("id: " + "x" * MAX_FILE_BYTES, "draft.yaml")
    with pytest.raises(DataError, match=r"draft.yaml:2:5: U\+D800 is not a valid character"):
        parse_document("id: x\nen: \ud800", "draft.yaml")


def test_a_non_utf8_byte_is_located(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_bytes(SCENARIO.read_bytes().replace(b"region: binh-thuan", "region: Tây Ninh".encode("latin-1")))
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and out.startswith(f"{path}:11:10: not a UTF-8 text file (byte "), out


def test_an_unreadable_file_is_a_problem(tmp_path, capsys, monkeypatch):
    path = scenario_file(tmp_path, "regime: A", "regime: A")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and out.startswith(f"{path}: cannot read the file (Permission denied) (check its permissions)")


def test_a_problem_is_printed_on_one_line(tmp_path, capsys):
    path = scenario_file(tmp_path, "difficulty: basic", '"diffi\\nculty": basic')
    code, out, _ = run(capsys, "check", str(path))
    line = SCENARIO.read_text(encoding="utf-8").splitlines().index("difficulty: basic") + 1
    assert (
        code == 1 and f"{path}:{line}:1 diffi\\nculty: unknown field (did you mean 'difficulty'?)" in out.splitlines()
    )


def test_problems_past_the_limit_are_counted_not_listed(tmp_path, capsys):
    path = scenario_file(
        tmp_path, "regime: A", "regime: A\n" + "".join(f"extra{i}: 1\n" for i in range(MAX_PROBLEMS + 400))
    )
    code, out, _ = run(capsys, "check", str(path))
    lines = out.splitlines()
    assert code == 1 and len(lines) == MAX_PROBLEMS + 1
    assert f"{path}:111:1 extra100: … and 400 more problems from here on (fix those above and check again)" in lines


def test_thousands_of_unknown_ids_are_located_in_linear_time(tmp_path, capsys):
    """Ten times the unknown ids take about ten times as long, not a hundred: a ratio of two sizes timed in turns
    (small, large, small, large…), so that a burst of other work on the machine slows both; the best of five each."""

    def scenario_with(count: int) -> Path:
        profiles = "".join(f"  p{i}: 1\n" for i in range(count))
        (tmp_path / str(count)).mkdir()
        return scenario_file(tmp_path / str(count), "regime: A", f"regime: A\nprofile_mix:\n{profiles}")

    small, large = scenario_with(1_000), scenario_with(10_000)
    times: dict[Path, list[float]] = {small: [], large: []}
    for _ in range(5):
        for path in (small, large):
            code, out, seconds = timed_check(capsys, path)
            assert code == 1 and f"{path}:12:7 profile_mix.p0: unknown profile 'p0'" in out
            times[path].append(seconds)
    ratio = min(times[large]) / min(times[small])
    assert ratio < 40, f"10 × the ids took {ratio:.0f} × as long ({times})"


@pytest.fixture
def submission(saved_submission_data) -> dict:
    """A saved submission to spoil in one place."""
    return saved_submission_data


def score(capsys, tmp_path: Path, submission: dict, text: str | None = None) -> tuple[int, str, str, Path]:
    path = tmp_path / "submission.yaml"
    path.write_text(text or yaml.safe_dump(submission, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return (*run(capsys, "score", str(path)), path)


@pytest.mark.parametrize(
    "field, spoil, expected",
    [
        ("rubric", {"D99": 10}, "rubric.D99: 'D99' is not allowed (did you mean 'D9'?)"),
        ("answered_at", {"D4": 30, "D99": 5}, "answered_at.D99: 'D99' is not allowed (did you mean 'D9'?)"),
        ("critical_error", "D99", "case.interview[0].critical_error: unknown critical error 'D99' (known: E01"),
    ],
    ids=["rubric", "answered-at", "critical-error"],
)
def test_unknown_ids_in_a_submission_are_located(tmp_path, capsys, submission, field, spoil, expected):
    spoilt = json.loads(json.dumps(submission))
    if field == "critical_error":
        spoilt["case"]["interview"][0]["critical_error"] = spoil
    else:
        spoilt[field] = spoil
    code, out, err, path = score(capsys, tmp_path, spoilt)
    assert code == 1 and out == "" and err.startswith(f"{path}:") and expected in err and "Traceback" not in err


@pytest.mark.parametrize("weight", [".inf", "-.inf", ".nan", "1.0e+999", "Infinity", "NaN"])
def test_a_non_finite_weight_is_refused(tmp_path, capsys, submission, weight):
    text = yaml.safe_dump({**submission, "rubric": {"D1": 0}}, allow_unicode=True, sort_keys=False)
    code, out, err, path = score(capsys, tmp_path, submission, text.replace("D1: 0", f"D1: {weight}"))
    refused = (
        "rubric.D1: not a finite number (write an ordinary number",
        "rubric.D1: Input should be less than or equal",
    )
    assert code == 1 and out == "" and any(r in err for r in refused)  # "Infinity" is read as text, then as a float


def test_a_weight_beyond_100_is_refused_where_it_is_written(tmp_path, capsys, submission):
    code, out, err, path = score(capsys, tmp_path, {**submission, "rubric": {"D1": 1e308, "D4": 1e308}})
    assert code == 1 and out == "" and err.startswith(f"{path}:") and "rubric.D4: Input should be less than" in err
