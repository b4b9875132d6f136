"""``trove simulate``: a small study end to end, the report written, the same seed the same bytes."""

from __future__ import annotations

import json

import pytest

from sim.cli import main


def test_trove_simulate_writes_the_same_report_twice(tmp_path, capsys):
    args = ["simulate", "--from", "2026-01-01", "--returns", "10", "--replications", "2", "--seed", "3"]
    assert main([*args, "--out", str(tmp_path / "a.json"), "--compare-law", "--compare-training"]) == 0
    assert (
        main([*args, "--out", str(tmp_path / "b.json"), "--compare-law", "--compare-training", "--workers", "2"]) == 0
    )
    a = (tmp_path / "a.json").read_bytes()
    assert a == (tmp_path / "b.json").read_bytes()
    report = json.loads(a)
    assert sorted(report["variants"]) == ["law-2011", "law-2024", "main", "trained-0", "trained-100"]
    assert report["study"]["returns"] == 10 and len(report["replications"]) == 2
    assert "main: " in capsys.readouterr().err


def test_trove_simulate_refuses_a_share_above_one(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "--from", "2026-01-01", "--trained", "1.5"])
    assert exc.value.code == 2
    assert "--trained is a share from 0 to 1, got 1.5" in capsys.readouterr().err


def test_trove_simulate_with_no_returns_says_why_no_target_has_a_value(tmp_path, capsys):
    args = ["simulate", "--from", "2026-01-01", "--returns", "0", "--replications", "1"]
    assert main([*args, "--out", str(tmp_path / "r.json")]) == 0
    lines = capsys.readouterr().err.splitlines()
    main_line = next(line for line in lines if line.startswith("main:"))
    assert (
        main_line
        == "main: 0 arrivals on average, so no target has anyone to count (--returns 0: give 1 or more for targets)"
    )
