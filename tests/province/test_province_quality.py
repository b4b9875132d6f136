"""Trained quality measured from a workshop's attempts in a real results store, filled by the real app."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from sim.app.trainee import Workshop
from sim.cli import main
from sim.errors import SimError
from sim.province.calendar import packaged_calendar
from sim.province.parameters import read_parameters
from sim.province.quality import measure_workshop, workshop_quality
from sim.province.study import Study, report_json, run_study


def test_workshop_quality_counts_each_decision_point_over_submitted_attempts(played, library):
    # one trainee of two sent the person to the district at D1; everything else right; no child (no D9)
    assert workshop_quality(played, "ws") == {
        dp: 0.5 if dp == "D1" else 1.0 for dp in ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D10")
    }
    ws = Workshop(played, "ws", exercises=["intake-basics"], library=library)
    opened = ws.open_case(
        ws.join(full_name="Trần Văn Tư", commune="xã Phan Sơn", role="commune_pc"), "intake-basics", 0
    )
    opened.answer("D1", {"receive": "send_to_district"})  # answered, never submitted: not counted
    measured = measure_workshop(played, "ws")
    assert measured.attempts["D1"] == 2 and measured.right["D1"] == 1 and "D9" not in measured.attempts


def test_an_unknown_workshop_is_refused_with_those_the_file_holds(played):
    with pytest.raises(SimError, match=r"no workshop 'w2' in the results file \(it holds: ws\)"):
        workshop_quality(played, "w2")


def test_a_study_takes_the_measured_quality_and_says_where_it_came_from(played, library):
    params, cal = read_parameters(), packaged_calendar()
    study = Study(date(2026, 1, 1), 1, 30, 1.0, 2, 5)
    measured = measure_workshop(played, "ws")
    report = run_study(replace(study, trained_quality=measured), library, params, cal)
    officers = report["officers"]
    assert officers["D1"] == {
        "trained": 0.5,
        "trained_from": "workshop ws",
        "attempts": 2,
        "untrained": params.officers.untrained.by_decision_point["D1"],
        "untrained_from": "province.yaml assumption",
    }
    assert officers["D9"]["trained"] == params.officers.trained.by_decision_point["D9"]
    assert officers["D9"]["trained_from"] == "province.yaml assumption" and officers["D9"]["attempts"] is None
    assert report["study"]["trained_quality"]["attempts"]["D1"] == 2
    plain = run_study(study, library, params, cal)
    assert plain["officers"]["D1"]["trained_from"] == "province.yaml assumption"
    # every officer trained, D1 right half the time instead of 98 %: more people turned away at the door
    assert (
        report["variants"]["main"]["aggregate"]["left"]["mean"] > plain["variants"]["main"]["aggregate"]["left"]["mean"]
    )
    assert report_json(report) == report_json(run_study(replace(study, trained_quality=measured), library, params, cal))


def test_trove_simulate_quality_from_a_workshop(played, tmp_path, capsys):
    out = tmp_path / "report.json"
    args = ["simulate", "--from", "2026-01-01", "--returns", "5", "--replications", "1", "--out", str(out)]
    assert main([*args, "--quality-from", "ws", "--db", str(tmp_path / "t.sqlite")]) == 0
    assert "trained quality from workshop ws (attempts per decision point: D1 2," in capsys.readouterr().err
    assert json.loads(out.read_text())["officers"]["D1"]["trained_from"] == "workshop ws"
    assert main([*args, "--quality-from", "ws", "--db", str(tmp_path / "none.sqlite")]) == 1
    assert "no results file at" in capsys.readouterr().err
    assert main([*args, "--quality-from", "nope", "--db", str(tmp_path / "t.sqlite")]) == 1
    assert "no workshop 'nope'" in capsys.readouterr().err
    assert main([*args, "--db", str(tmp_path / "t.sqlite")]) == 1
    assert "--db is the results file of --quality-from WORKSHOP_ID" in capsys.readouterr().err
