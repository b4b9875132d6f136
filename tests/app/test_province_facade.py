"""The province simulation's door (``sim.app.province``): the gate, the settings it refuses, the same report as
``run_study`` with progress per replication, a workshop's measured quality, the charts' labels and the XLSX."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from sim.app.province import ProvinceDesk, StudySettings
from sim.app.trainee import InputError
from sim.app.trainer import TrainerDesk
from sim.province.calendar import packaged_calendar
from sim.province.quality import workshop_quality
from sim.province.study import report_json, run_study
from tests.conftest import TRAINER_SECRET

SMALL = {"start_year": 2026, "years": 1, "returns": 12, "trained": 0.6, "replications": 4, "seed": 3}


@pytest.fixture
def province(played, library):
    desk = TrainerDesk(played, "ws", library=library)
    desk.unlock(TRAINER_SECRET)
    return ProvinceDesk(desk)


@pytest.fixture
def result(province):
    return province.run(province.settings(**SMALL))


def test_nothing_runs_before_the_trainer_secret(played, library):
    locked = ProvinceDesk(TrainerDesk(played, "ws", library=library))
    with pytest.raises(InputError, match="trainer_locked"):
        locked.settings(**SMALL)
    with pytest.raises(InputError, match="trainer_locked"):
        locked.run(StudySettings(date(2026, 1, 1), 1, 1, 0.5, 1, 1))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"returns": -1}, "returns"),
        ({"returns": 2.5}, "returns"),
        ({"years": 0}, "years"),
        ({"start_year": 2040}, "start_year"),
        ({"trained": 1.5}, "trained"),
        ({"trained": "0.5"}, "trained"),
        ({"replications": 0}, "replications"),
        ({"seed": True}, "seed"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_settings_out_of_range_are_refused_naming_the_field(province, change, field):
    with pytest.raises(InputError) as refused:
        province.settings(**(SMALL | change))
    assert (refused.value.key, refused.value.detail) == ("caseload_out_of_range", field)


def test_a_region_that_does_not_cover_the_start_year_is_refused(province):
    with pytest.raises(InputError, match="caseload_region_dates"):
        province.settings(**SMALL, region="binh-thuan")  # before the 2025 merger only
    assert province.settings(**(SMALL | {"start_year": 2020}), region="binh-thuan").region == "binh-thuan"
    with pytest.raises(InputError, match="caseload_region_dates"):
        province.settings(**SMALL, region="atlantis")


def test_regions_are_named_never_by_id(province):
    labels = [label for label, _ in province.regions("vi")]
    assert labels[0].startswith("Theo ngày") and "Tỉnh Bình Thuận (trước sáp nhập 2025)" in labels


def test_the_report_is_run_studys_byte_for_byte_with_progress_per_replication(province):
    settings = province.settings(**(SMALL | {"capacity": 1.5, "replications": 8}))  # on two processes
    seen = []
    report = province.run(settings, lambda done, total: seen.append((done, total))).report
    assert seen == [(i, 8) for i in range(1, 9)]
    study, params = province.study_and_parameters(settings)
    direct = run_study(study, province.library, params, packaged_calendar())
    assert report_json(report) == report_json(direct)
    assert sorted(report["variants"]) == ["law-2011", "law-2024", "main", "trained-0", "trained-100"]


def test_a_workshops_measured_quality_becomes_the_trained_officers(province):
    assert [w for _, w in province.workshops()] == ["ws"]
    settings = province.settings(**SMALL, workshop="ws")
    study, params = province.study_and_parameters(settings)
    measured = workshop_quality(province.desk.store, "ws")
    assert measured  # the two submitted attempts measured some decision points
    assert study.trained_quality.by_decision_point == measured
    report = province.run(settings).report
    direct = run_study(study, province.library, params, packaged_calendar())
    assert report_json(report) == report_json(direct)
    assert report["officers"][next(iter(measured))]["trained_from"] == "workshop ws"
    with pytest.raises(InputError, match="caseload_unknown_workshop"):
        province.settings(**SMALL, workshop="nowhere")


def test_charts_are_pngs_with_vietnamese_alt_texts_and_no_ids(result):
    charts = result.charts("vi")
    keys = [c.key for c in charts]
    assert keys[:2] == ["targets", "days"] and "graph" in keys
    assert keys[-2:] == ["compare_law", "compare_training"]
    if "backlog" in result.aggregate():
        assert "backlog" in keys
    for chart in charts:
        assert chart.png[:8] == b"\x89PNG\r\n\x1a\n"
        assert chart.alt.startswith(chart.heading)
        assert "_" not in chart.alt, chart.alt  # no raw id (provincial_police, verified_within_deadline …)
    targets = charts[0].alt
    assert "Được xác minh đúng thời hạn" in targets and "khoảng 90%" in targets
    assert "." not in targets.split(". ", 1)[1].replace("...", "")  # decimal commas in Vietnamese
    law = next(c for c in charts if c.key == "compare_law").alt
    assert "Luật 2011" in law and "Luật 2024" in law
    assert "Verified within the deadline" in result.charts("en")[0].alt


def test_labels_of_services_and_agencies_come_from_the_library(result):
    assert result.service_label("verification", "vi") == "xác minh, xác định nạn nhân"
    assert result.service_label("legal_aid", "en") == "legal aid"
    assert result.agency_label("provincial_police", "vi") == "Công an tỉnh"
    assert result.month_label("2026-12", "vi") == "T12/2026"
    days = result.days("vi")
    assert days and all(not label.isidentifier() or " " in label for label, _, _ in days)


def test_the_bottleneck_is_the_most_utilised_agency(result):
    loads = result.utilisation()
    assert result.bottleneck() == max(loads, key=loads.get)


def test_no_returns_no_work_and_charts_still_draw(province):
    empty = province.run(province.settings(**(SMALL | {"returns": 0, "replications": 2})))
    assert empty.bottleneck() is None and empty.targets("vi") == []
    assert all(c.png[:4] == b"\x89PNG" for c in empty.charts("vi"))


def test_xlsx_has_the_settings_the_assumptions_and_real_numbers(result):
    path = result.xlsx("vi")
    book = load_workbook(path)
    names = book.sheetnames
    assert names[0] == "Thiết lập" and "Chỉ tiêu" in names and "Từng lần chạy" in names
    settings = list(book["Thiết lập"].iter_rows(values_only=True))
    assert settings[0][0] == "Mô phỏng địa bàn" and "GIẢ ĐỊNH" in settings[1][0]
    assert ("Số người trở về mỗi năm", 12) in [row[:2] for row in settings]
    targets = list(book["Chỉ tiêu"].iter_rows(values_only=True))
    assert targets[0][:4] == ("Phương án", "Mục", "Chi tiết", "Trung bình")
    assert any(r[0] == "Luật 2011" and r[1] == "Được xác minh đúng thời hạn" for r in targets)
    assert all(isinstance(r[3], float | int | type(None)) for r in targets[1:])
    runs = list(book["Từng lần chạy"].iter_rows(values_only=True))
    assert len(runs) == 1 + 4 * 5  # each replication × each variant, with its seed
    assert any(r[2] and r[2].startswith("T1/") for r in book["Tồn đọng theo tháng"].iter_rows(values_only=True))
    money = list(book["Mức tiền dùng"].iter_rows(values_only=True))
    assert "chưa xác nhận" in money[0][0] and money[1][:4] == ("Mức tiền", "Số tiền (đồng)", "Tính theo", "Tình trạng")
    assert {r[3] for r in money[2:]} <= {"chưa xác nhận", "đã xác nhận"} and "chưa xác nhận" in {
        r[3] for r in money[2:]
    }
    assert load_workbook(result.xlsx("en")).sheetnames[0] == "Settings"


def test_xlsx_seeds_are_exact_text_and_the_vietnamese_file_has_no_ids_or_english(result):
    """A seed has up to 19 digits; Excel's numbers keep 15 (4.919870337559026e+18): as text it replays exactly."""
    book = load_workbook(result.xlsx("vi"))
    runs = list(book["Từng lần chạy"].iter_rows(values_only=True))[1:]
    assert [r[1] for r in runs[::5]] == [str(r["seed"]) for r in result.report["replications"]]
    assert dict(row[:2] for row in book["Thiết lập"].iter_rows(values_only=True) if row)["Mã ngẫu nhiên"] == "3"
    texts = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    raw = {"median", "p90", "capacity", "by support", "tasks", "once", "by-date", "law-2011", "hardship_allowance"}
    assert not raw & texts and not [c for c in texts if "_" in c or "regime" in c or "seed" in c]
    assert (
        "Luật Phòng, chống mua bán người số 66/2011/QH12" in texts and "Luật 2011 từ 01/01/2026 đến 31/12/2026" in texts
    )
    assert {"trung vị", "tỷ lệ thời gian bận", "Tổng chi phí (đồng)", "một lần"} <= texts
    assert not any(
        isinstance(c, float) and c > 2**53 for s in book for row in s.iter_rows(values_only=True) for c in row
    )
    english = {c for s in load_workbook(result.xlsx("en")) for row in s.iter_rows(values_only=True) for c in row}
    assert {
        "median",
        "share of the time busy",
        "Total cost (VND)",
        "once",
        "2011 Law from 1 Jan 2026 to 31 Dec 2026",
    } <= english
