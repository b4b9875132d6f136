"""Fuzzing the loaders: mutated shipped files, YAML bombs and bad encodings never crash or hang ``trove``.

Each example runs the command line in-process and must exit 0 or 1 within the 2 s deadline, raise nothing and
print every problem as ``file[:line:col] …``; two real runs check that no traceback reaches the terminal.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from tests.conftest import ROOT

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "exercises").glob("*.yaml"))

# Pieces that break YAML or its scalars the way hands, editors and other tools do (bytes: test_bad_encodings).
PIECES = [
    *("&a ", "*a", "<<: *a", "? ", "[", "]", "{", "}", ": ", "- ", "\t", "\n", "'", '"', "#", "|", "~", "yes"),
    *("!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!binary ", "!!set ", "!!python/object/apply:os.system "),
    *(".inf", "-.nan", "1.0e+999", "2020-13-45", "2025-02-29", "9" * 5000, "1:30:59", "0x" + "f" * 40, "-1"),
    *("\x00", "\x07", "\ufeff", "\u2028", '"\\ud800"', "---\n", "%YAML 1.1\n", "D99", "E99", "x" * 300),
]
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["value", "insert", "overwrite", "delete", "repeat"]),
        st.floats(0, 1),
        st.sampled_from(PIECES) | st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=6),
        st.integers(1, 300),
    ),
    min_size=1,
    max_size=5,
)
FUZZ = {"deadline": timedelta(seconds=2), "suppress_health_check": [HealthCheck.too_slow]}


def mutate(text: str, edits: list[tuple[str, float, str, int]]) -> bytes:
    """Apply ``edits`` to ``text``: each replaces the next value (after ``: ``) with a piece, puts one in, writes it
    over, cuts ``span`` characters or repeats them, at a fraction of the length; the result in UTF-8."""
    out = text
    for kind, where, piece, span in edits:
        at = int(where * len(out))
        if kind == "value":
            start = out.find(": ", at) + 2
            end = out.find("\n", start) if start >= 2 else -1
            if end >= 0:
                out = out[:start] + piece + out[end:]
        elif kind == "insert":
            out = out[:at] + piece + out[at:]
        elif kind == "overwrite":
            out = out[:at] + piece + out[at + len(piece) :]
        elif kind == "delete":
            out = out[:at] + out[at + span :]
        else:
            out = out[:at] + out[at : at + span] * 3 + out[at:]
    return out.encode("utf-8", errors="surrogatepass")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def assert_located(path: Path, code: int, problems: str) -> None:
    """Exit 0 with no problem, or 1 with each problem on one line that names the file first."""
    lines = problems.split("\n")[:-1]
    located = re.compile(rf"{re.escape(str(path))}(:\d+:\d+)?[ :]")
    assert code == (1 if lines else 0), problems
    assert all(located.match(line) for line in lines), problems


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=300, **FUZZ)
@given(source=st.sampled_from(SHIPPED), edits=EDITS)
def test_mutated_shipped_files(library, workdir, source, edits):
    path = workdir / source.name
    path.write_bytes(mutate(source.read_text(encoding="utf-8"), edits))
    code, out, _ = run("check", str(path))
    assert_located(path, code, out)


@pytest.fixture(scope="module")
def saved_submission(saved_submission_data) -> str:
    """A submission as ``trove score`` reads it, in YAML so that mutations keep most of its shape."""
    return yaml.safe_dump(saved_submission_data, allow_unicode=True)


@settings(max_examples=200, **FUZZ)
@given(edits=EDITS)
def test_mutated_submissions(workdir, saved_submission, edits):
    path = workdir / "submission.yaml"
    path.write_bytes(mutate(saved_submission, edits))
    code, out, err = run("score", str(path))
    if code == 0:
        assert out.startswith("{") and "Infinity" not in out and "NaN" not in out
    else:
        assert code == 1 and out == "" and (err.startswith("trove: ") or re.match(re.escape(str(path)), err)), err


def bomb(levels: int, width: int) -> str:
    """A "billion laughs": each anchor repeats the one before ``width`` times, ``width ** levels`` values in all."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, **FUZZ)
@given(
    levels=st.integers(5, 12),
    width=st.integers(9, 30),
    field=st.sampled_from(["id", "date", "regime", "region", "random_facts", "decision_points", "difficulty"]),
    command=st.sampled_from(["check", "assess", "score"]),
)
def test_alias_bombs(library, workdir, levels, width, field, command):
    text = (ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    path = workdir / f"bomb.{command}.yaml"
    path.write_text(bomb(levels, width) + re.sub(rf"(?m)^{field}:.*$", f"{field}: *a{levels - 1}", text, count=1))
    code, out, err = run(command, str(path))
    problems = out if command == "check" else err.removesuffix("1 problem(s) found\n")
    assert_located(path, code, problems)
    assert "values, each alias counting all the values it repeats" in problems


@settings(max_examples=40, **FUZZ)
@given(
    source=st.sampled_from(SHIPPED),
    encoding=st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1258", "utf-8-sig+junk"]),
    command=st.sampled_from(["check", "assess", "score"]),
)
def test_bad_encodings(library, workdir, source, encoding, command):
    text = source.read_text(encoding="utf-8")
    if encoding == "utf-8-sig+junk":
        data = text.encode("utf-8-sig").replace(b"\n", b"\n\x80", 1)
    else:
        data = text.encode(encoding, errors="replace")
    path = workdir / f"encoded.{command}.yaml"
    path.write_bytes(data)
    code, out, err = run(command, str(path))
    problems = out if command == "check" else err.removesuffix("1 problem(s) found\n")
    assert_located(path, code, problems)
    assert re.match(
        rf"{re.escape(str(path))}:\d+:\d+: (not a UTF-8 text file|YAML syntax error|character U\+)", problems
    )


@pytest.mark.parametrize(
    "command, text",
    [
        ("check", bomb(9, 9) + "regime: *a8\n"),
        ("score", "case:\n  date: 2020-13-45\n"),
    ],
    ids=["check-bomb", "score-bad-date"],
)
def test_a_real_run_prints_no_traceback(tmp_path, command, text):
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sim", command, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1 and output.startswith(f"{path}:") and "Traceback" not in output, output
