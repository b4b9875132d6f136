"""Exports checked cell by cell: CSV and XLSX, overrides beside the automatic score, item statistics."""

from __future__ import annotations

import csv
from datetime import UTC

import pytest
from openpyxl import load_workbook

from sim.app.trainee import Workshop
from sim.cli import main
from sim.errors import SimError
from sim.workshop.export import COLUMNS, STATS_COLUMNS, export
from sim.workshop.results import workshop_results
from sim.workshop.stores import open_store
from tests.conftest import play_perfectly


@pytest.fixture
def finished(tmp_path, library):
    store = open_store(tmp_path / "t.sqlite")
    workshop = Workshop(store, "ws", exercises=["intake-basics", "verification"], library=library)
    first = workshop.join(full_name="Lê Văn Hai", commune="xã Phan Sơn", role="commune_police")
    second = workshop.join(full_name="Mai Thị Ba", commune="phường Mũi Né", role="womens_union")
    good = workshop.open_case(first, "intake-basics", 0)
    play_perfectly(good)
    good.submit()
    weak = workshop.open_case(second, "intake-basics", 0)
    weak.answer("D1", {"receive": "come_back_with_papers"})
    weak.submit()
    store.add_override(weak.attempt.id, "D1", 5.0, "Đã sửa sai ngay trong buổi", "trainer")
    workshop.open_case(second, "verification", 0)  # started, not submitted
    return store, good, weak


def test_rows_keep_auto_and_manual_scores(finished):
    store, good, weak = finished
    rows = {(r.full_name, r.exercise_id): r for r in workshop_results(store, "ws")}
    assert rows[("Lê Văn Hai", "intake-basics")].final_percent == 100.0
    weak_row = rows[("Mai Thị Ba", "intake-basics")]
    assert weak_row.items["D1"] == 5.0 and weak_row.final_total == pytest.approx(weak_row.auto_total + 5.0)
    assert weak_row.critical_errors[0] == "E01"
    assert rows[("Mai Thị Ba", "verification")].submitted_at is None


def test_csv_cell_by_cell(finished, tmp_path):
    store, good, weak = finished
    path = export(store, "ws", tmp_path / "r.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == COLUMNS
    assert len(table) == 4
    first = dict(zip(COLUMNS, table[1]))
    assert first["trainee"] == "Lê Văn Hai" and first["commune"] == "xã Phan Sơn" and first["role"] == "commune_police"
    assert first["exercise"] == "intake-basics" and first["case"] == "1" and first["scenario"] == "forced-marriage-2016"
    assert first["auto_percent"] == "100.0" and first["final_percent"] == "100.0" and first["critical_errors"] == ""
    assert first["D1_points"] == "10.0" and first["process_points"] == "10.0"
    second = dict(zip(COLUMNS, table[2]))
    assert second["D1_points"] == "5.0" and second["critical_errors"].startswith("E01")
    assert second["trainer_comments"] == "D1: Đã sửa sai ngay trong buổi"
    third = dict(zip(COLUMNS, table[3]))
    assert third["exercise"] == "verification" and third["submitted_at"] == "" and third["auto_percent"] == ""


def test_xlsx_cell_by_cell(finished, tmp_path):
    store, good, weak = finished
    book = load_workbook(export(store, "ws", tmp_path / "r.xlsx"))
    assert book.sheetnames == ["intake-basics", "verification", "item_statistics"]
    sheet = book["intake-basics"]
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet.cell(row=2, column=1).value == "Lê Văn Hai"
    assert sheet.cell(row=2, column=COLUMNS.index("final_percent") + 1).value == 100.0
    assert sheet.cell(row=3, column=COLUMNS.index("D1_points") + 1).value == 5.0
    assert sheet.max_row == 3 and book["verification"].max_row == 2
    stats = book["item_statistics"]
    assert [c.value for c in stats[1]] == STATS_COLUMNS
    d1 = next(row for row in stats.iter_rows(min_row=2, values_only=True) if row[1] == "D1")
    assert d1[:4] == ("intake-basics", "D1", 2, 0.5)


def test_cli_export_and_bad_format(finished, tmp_path, capsys):
    store, *_ = finished
    assert main(["export", "--db", str(store.path), "--out", str(tmp_path / "x.xlsx")]) == 0
    assert main(["export", "--db", str(store.path), "--out", str(tmp_path / "x.pdf")]) == 1
    assert "export to .csv or .xlsx" in capsys.readouterr().err


def test_live_status_flags_a_stuck_trainee(finished):
    from datetime import datetime, timedelta

    from sim.workshop.results import live_status

    store, *_ = finished
    rows = workshop_results(store, "ws")
    later = datetime.now(UTC) + timedelta(minutes=15)
    status = {s.trainee.full_name: s for s in live_status(store.trainees("ws"), rows, later)}
    assert status["Mai Thị Ba"].stuck and status["Mai Thị Ba"].current == "verification #1"
    assert not status["Lê Văn Hai"].stuck and status["Lê Văn Hai"].average_percent == 100.0
    assert not live_status(store.trainees("ws"), rows, datetime.now(UTC))[1].stuck


def test_export_refuses_other_formats(finished, tmp_path):
    store, *_ = finished
    with pytest.raises(SimError, match="export to .csv or .xlsx"):
        export(store, "ws", tmp_path / "r.ods")
