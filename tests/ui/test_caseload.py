"""The page "Mô phỏng địa bàn" without a browser: the secret gate, the form, Run with its progress bar, the charts
as images with alternative text, the refusals, English, the XLSX link, and the notebook executing headless."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from sim.app.province import ProvinceDesk
from sim.app.trainer import TrainerDesk
from sim.ui.caseload import CaseloadApp, show
from tests.conftest import ROOT, TRAINER_SECRET


@pytest.fixture
def app(played, library):
    desk = TrainerDesk(played, "ws", library=library)
    desk.unlock(TRAINER_SECRET)
    page = CaseloadApp(ProvinceDesk(desk))
    page.start_year.value, page.returns.value, page.replications.value = 2026, 20, 3
    return page


def html_of(app: CaseloadApp) -> str:
    """The HTML of every widget of the page's results (charts sit in boxes of their own), in order."""

    def walk(widget) -> str:
        value = widget.value if isinstance(getattr(widget, "value", None), str) else ""
        return value + "".join(walk(child) for child in getattr(widget, "children", ()))

    return walk(app.results)


def test_the_gate_shows_nothing_without_the_secret(played, library):
    gate = show(TrainerDesk(played, "ws", library=library))
    secret, button = gate.children[2], gate.children[3]
    secret.value = "wrong"
    button.click()
    assert "Sai mã giảng viên" in gate.children[1].value and len(gate.children) == 4
    secret.value = TRAINER_SECRET
    button.click()
    page = gate.children[1]
    assert "trove-caseload" in page._dom_classes
    assert "Mô phỏng địa bàn" in page.children[2].value


def test_the_form_is_in_vietnamese_with_the_assumptions_said(app):
    assert app.returns.description == "Số người trở về mỗi năm"
    assert app.trained.description == "Tỷ lệ xã có cán bộ đã tập huấn" and app.trained.readout_format == ".0%"
    assert app.replications.value == 3 and app.run_button.description == "Chạy mô phỏng"
    assert [label for label, _ in app.capacity.options][:2] == ["×0,5", "×0,75"]
    assert "GIẢ ĐỊNH" in app.heading.value and "Hướng dẫn cho giảng viên, mục 7" in app.heading.value
    assert ".md" not in app.heading.value  # the guide by its name, not a file name
    assert app.export_button.layout.display == "none"


def test_run_moves_the_bar_and_shows_every_chart_with_alt_text(app):
    seen = []
    app.progress.observe(lambda change: seen.append(change["new"]), names="value")
    app.run_button.click()
    assert app.message.value == "", app.message.value
    assert seen[-3:] == [1, 2, 3] and app.progress.max == 3
    assert "Xong 3 lần chạy" in app.status.value
    page = html_of(app)
    images = re.findall(r'<img class="trove-picture" alt="([^"]+)" src="data:image/png;base64,', page)
    assert len(images) >= 5 and all(alt.strip() for alt in images)
    for heading in ("Chỉ tiêu của kế hoạch", "Số ngày từ khi về", "Mạng lưới chuyển tuyến", "Luật 2011 và Luật 2024"):
        assert heading in page
    side = [c for c in app.results.children if "trove-side" in c._dom_classes]
    assert len(side) == 1 and len(side[0].children) == 2  # the two comparisons side by side (wrapping on a phone)
    charts = [c for c in app.results.children if "trove-chart" in c._dom_classes]
    zoom = charts[0].children[1]  # each chart zooms to full size in its scrolling region: readable on a phone
    zoom.value = True
    assert "trove-zoomed" in charts[0].children[2]._dom_classes and zoom.description == "Thu nhỏ biểu đồ"
    assert "Nơi ùn tắc nhất: <b>" in page and "GIẢ ĐỊNH" in page
    assert "<table class='trove-table'>" in page and "Được xác minh đúng thời hạn" in page
    assert "verified_within_deadline" not in page and "provincial_police" not in page
    assert "<img" in page and "widget-image" not in page
    assert app.export_button.layout.display is None


def test_a_refused_setting_says_which_and_what_to_do(app):
    app.start_year.value = 2020
    app.region.value = "lam-dong"  # from 1 Jul 2025 only
    app.run_button.click()
    assert "trove-error" in app.message.value and "lam-dong" not in app.message.value
    assert "«Tỉnh Lâm Đồng (sau sáp nhập, từ 01/07/2025)» không áp dụng cho năm bắt đầu" in app.message.value
    assert app.results.children == ()
    app.region.value, app.start_year.value, app.years.value = "", 2030, 10  # past the holiday calendar (2035)
    app.run_button.click()
    assert "Giá trị không hợp lệ: Năm bắt đầu" in app.message.value
    assert app.results.children == ()


def test_english_view_and_the_xlsx_link(app):
    app.run_button.click()
    app.language.value = "en"
    assert app.run_button.description == "Run the simulation"
    assert "The plan" in html_of(app) and "2011 Law" in html_of(app)
    app.export_button.click()
    assert "download='mo-phong-dia-ban-" in app.link.value and ".xlsx" in app.link.value
    assert "spreadsheetml" in app.link.value


@pytest.mark.slow
def test_notebook_executes_headless(tmp_path, monkeypatch):
    monkeypatch.setenv("TROVE_DB", str(tmp_path / "nb.sqlite"))
    nb = nbformat.read(ROOT / "notebooks" / "caseload.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def test_a_workshop_picked_shows_the_quality_its_trained_officers_had(app):
    assert [w for _, w in app.workshop.options] == ["", "ws"]
    app.workshop.value = "ws"
    app.run_button.click()
    page = html_of(app)
    assert "Chất lượng quyết định của cán bộ đã tập huấn" in page and "D1. Tiếp nhận" in page
    assert "đo từ lớp (2 bài làm)" in page and "giả định của mô hình" in page
