"""Exports checked cell by cell: CSV and XLSX, overrides beside the automatic score, item statistics; read from
each results store (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import re
from datetime import UTC

import pytest
from openpyxl import load_workbook

from sim.app.trainee import Workshop
from sim.cli import main
from sim.errors import SimError
from sim.workshop.export import COLUMNS, STATS_COLUMNS, ExportTexts, export, sheet_title, vietnam_time
from sim.workshop.results import workshop_results
from tests.conftest import play_perfectly


@pytest.fixture
def finished(any_store, library):
    store = any_store
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


def test_csv_cell_by_cell(finished, tmp_path, library):
    """Vietnamese headers, role names, titles and Vietnam time, ";" between cells and decimal commas (Excel set to
    Vietnamese), critical errors with what they are; the ids that replay a case kept at the end."""
    store, good, weak = finished
    path = export(store, "ws", tmp_path / "r.csv", library=library)
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    texts = ExportTexts.of(library, "vi")
    assert table[0] == [texts.header(c) for c in COLUMNS]
    assert table[0][:4] == ["Học viên", "Xã / phường / thị trấn", "Chức danh", "Bài tập"]
    assert "Nộp lúc (giờ Việt Nam)" in table[0] and "Điểm D1. Tiếp nhận" in table[0]
    assert len(table) == 4
    first = dict(zip(COLUMNS, table[1]))
    assert first["trainee"] == "Lê Văn Hai" and first["commune"] == "xã Phan Sơn" and first["role"] == "Công an xã"
    assert first["exercise"] == library.catalog.exercises()["intake-basics"].title.vi and first["case"] == "1"
    assert first["scenario"] == "Trở về từ Trung Quốc, không giấy tờ (2016)"
    assert first["scenario_id"] == "forced-marriage-2016"
    stored = next(r.submitted_at for r in workshop_results(store, "ws") if r.full_name == "Lê Văn Hai")
    assert first["submitted_at"] == f"{vietnam_time(stored):%d/%m/%Y %H:%M}"  # Vietnam time, dd/mm/yyyy
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", first["submitted_at"])
    assert first["auto_percent"] == "100,0" and first["final_percent"] == "100,0" and first["critical_errors"] == ""
    assert first["D1_points"] == "10,0" and first["process_points"] == "10,0"
    second = dict(zip(COLUMNS, table[2]))
    assert second["D1_points"] == "5,0"
    assert second["critical_errors"].startswith("E01: " + library.rulebook.critical_errors["E01"].vi)
    assert second["trainer_comments"] == "D1: Đã sửa sai ngay trong buổi"
    third = dict(zip(COLUMNS, table[3]))
    assert third["scenario_id"] and third["submitted_at"] == "" and third["auto_percent"] == ""
    assert third["exercise"] == library.catalog.exercises()["verification"].title.vi


def test_times_are_vietnam_time():
    assert ExportTexts("vi", {"x": "x"}).time("2026-11-28T17:30:00.000+00:00") == "29/11/2026 00:30"
    assert ExportTexts("en", {"x": "x"}).time("2026-11-28T02:15:00+00:00") == "2026-11-28 09:15"


def test_xlsx_cell_by_cell(finished, tmp_path, library):
    store, good, weak = finished
    book = load_workbook(export(store, "ws", tmp_path / "r.xlsx", library=library))
    full = [library.catalog.exercises()[e].title.vi for e in ("intake-basics", "verification")]
    taken: set[str] = set()
    titles = [sheet_title(title, taken) for title in full]
    assert book.sheetnames == [*titles, "Thống kê theo điểm quyết định"]
    assert all(len(t) <= 31 and (t == f or t.endswith("…")) for t, f in zip(titles, full, strict=True))
    sheet = book[titles[0]]
    assert [c.value for c in sheet[1]] == [ExportTexts.of(library, "vi").header(c) for c in COLUMNS]
    assert sheet.cell(row=2, column=1).value == "Lê Văn Hai"
    assert sheet.cell(row=2, column=COLUMNS.index("final_percent") + 1).value == 100.0  # numbers stay numbers
    assert sheet.cell(row=3, column=COLUMNS.index("D1_points") + 1).value == 5.0
    assert sheet.max_row == 3 and book[titles[1]].max_row == 2
    stats = book["Thống kê theo điểm quyết định"]
    assert [c.value for c in stats[1]][:3] == ["Bài tập", "Điểm quyết định", "Số bài"]
    d1 = next(row for row in stats.iter_rows(min_row=2, values_only=True) if row[1] == "D1. Tiếp nhận")
    assert d1[:4] == (full[0], "D1. Tiếp nhận", 2, 0.5)


def test_english_export(finished, tmp_path, library):
    store, *_ = finished
    book = load_workbook(export(store, "ws", tmp_path / "r.xlsx", lang="en", library=library))
    assert book.sheetnames[-1] == "Item statistics"
    sheet = book[book.sheetnames[0]]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Trainee", "Commune", "Role"] and sheet.cell(row=2, column=3).value == "Commune police"
    assert len(STATS_COLUMNS) == 6


def test_cli_export_and_bad_format(finished, store_factory, tmp_path, capsys):
    db = str(store_factory.location)  # a file, or a postgresql:// URL
    assert main(["export", "--db", db, "--out", str(tmp_path / "x.xlsx")]) == 0
    assert main(["export", "--db", db, "--out", str(tmp_path / "en.csv"), "--lang", "en"]) == 0
    with (tmp_path / "en.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))  # English: "," between cells, decimal points
    assert table[0][:3] == ["Trainee", "Commune", "Role"]
    assert table[1][COLUMNS.index("final_percent")] == "100.0"
    assert main(["export", "--db", db, "--out", str(tmp_path / "x.pdf")]) == 1
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
