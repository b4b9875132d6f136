"""The trainer app without a browser: the secret gate, live table, charts, debrief, overrides, export."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from sim.app.trainee import Workshop
from sim.app.trainer import TrainerDesk
from sim.ui.trainer import TrainerApp, show
from tests.conftest import TRAINER_SECRET


def hub_desk(played, library, *, trainer: bool) -> TrainerDesk:
    """The desk as ``from_environment`` builds it under a hub, for a member of the trainers' group or not."""
    desk = TrainerDesk(played, "ws", library=library)
    desk.hub_user, desk.unlocked = "thu", trainer
    return desk


@pytest.fixture
def desk(played, library):
    desk = TrainerDesk(played, "ws", library=library)
    desk.unlock(TRAINER_SECRET)
    return desk


def test_the_gate_shows_nothing_without_the_secret(played, library):
    gate = show(TrainerDesk(played, "ws", library=library))
    secret, button = gate.children[2], gate.children[3]
    secret.value = "wrong"
    button.click()
    assert "Sai mã giảng viên" in gate.children[1].value and len(gate.children) == 4
    assert "Lê Văn Hai" not in str([getattr(c, "value", "") for c in gate.children])
    secret.value = TRAINER_SECRET
    button.click()
    assert secret.value == ""  # the secret does not stay in the page
    live = gate.children[1].children[2].children[0]
    assert "Lê Văn Hai" in live.children[3].value
    assert isinstance(live.children[2].children[1], widgets.Checkbox)  # a workshop's codes can be shown
    assert "Học viên quên mã tiếp tục" in live.children[4].children[0].value  # and reissued


def test_under_a_hub_the_trainers_group_opens_the_page_and_nobody_types_a_secret(played, library):
    page = show(hub_desk(played, library, trainer=True))
    live = page.children[1].children[2].children[0]
    assert "Lê Văn Hai" in live.children[3].value
    # officers log in: no resume codes to show, and no tool to reissue them
    assert live.children[2].children == (live.children[2].children[0],)
    assert len(live.children) == 5  # auto-refresh note, ticker, refresh, table, charts: no lost-code tool
    refused = show(hub_desk(played, library, trainer=False))
    assert "nhóm giảng viên" in refused.value and "Lê Văn Hai" not in refused.value
    other = hub_desk(played, library, trainer=False)
    assert other.unlock(TRAINER_SECRET) is False  # an account outside the group: the secret opens nothing


def test_live_table_and_charts(desk):
    app = TrainerApp(desk)
    assert "Lê Văn Hai" in app.live_table.value and "Mai Thị Ba" in app.live_table.value
    assert "2 học viên đã vào lớp; 2 tình huống đã nộp" in app.live_table.value
    charts = [c for c in app.charts.children if isinstance(c, widgets.VBox)]
    zooms, boxes = zip(*(c.children for c in charts), strict=True)
    images = [box.children[0].value for box in boxes]
    assert len(images) == 4 and all('src="data:image/png;base64,iVBOR' in img for img in images)
    assert 'alt="Phân bố điểm (%)"' in images[0]
    assert 'class="trove-scroll"' in images[0]  # each chart zooms to full size in its scrolling region (a phone)
    zooms[0].value = True
    assert "trove-zoomed" in boxes[0]._dom_classes and zooms[0].description == "Thu nhỏ biểu đồ"


def test_debrief_tab_shows_the_spread_and_the_replay(desk):
    app = TrainerApp(desk)
    refresh, scenario, point, spread, _, attempt, step, steps_view = app.tabs.children[1].children
    assert scenario.options == (("Trở về từ Trung Quốc, không giấy tờ (2016)", "forced-marriage-2016"),)
    # the tab opens on something to talk about: the first scenario's spread and the first attempt's replay
    assert scenario.value == "forced-marriage-2016" and "1/2" in spread.value
    assert attempt.value == attempt.options[0][1] and "<ol>" in steps_view.value
    scenario.value, point.value = "forced-marriage-2016", "D1"
    assert "1/2" in spread.value and "2/2" in spread.value
    attempt.value = attempt.options[0][1]
    step.value = step.max
    assert "<ol>" in steps_view.value and "trove-score" in steps_view.value  # the report follows the last step


def test_override_with_comment_is_kept_beside_the_automatic_score(desk, played):
    app = TrainerApp(desk)
    scores = app.tabs.children[2]
    refresh, attempt, _, point, points, comment, save, saved, summary = scores.children
    weak = next(v for label, v in attempt.options if label.startswith("Mai Thị Ba"))
    attempt.value = weak
    point.value = "D1"
    points.value = 6
    save.click()
    assert "Cần ghi nhận xét" in saved.value and not played.overrides(weak)
    comment.value = "Đã tự sửa ngay khi được nhắc."
    save.click()
    assert played.overrides(weak)[0]["points"] == 6.0 and "sau điều chỉnh" in summary.value


def test_export_gives_a_download_link(desk):
    app = TrainerApp(desk)
    buttons, link = app.tabs.children[3].children
    buttons.children[1].click()
    assert link.value.startswith("<a download='tro-ve-ws-") and "base64," in link.value


def test_workshop_exercise_list_changes_live(desk, played, library):
    app = TrainerApp(desk)
    tab = app.tabs.children[4]
    boxes = [c for c in tab.children if hasattr(c, "indent")]
    title = library.catalog.exercises()["verification"].title.vi
    for box in boxes:
        box.value = box.description == title
    next(c for c in tab.children if getattr(c, "description", "") == "Lưu danh sách bài tập").click()
    assert Workshop(played, "ws", library=library).exercise_ids == ["verification"]


def test_a_store_failure_shows_the_trainer_its_cause_and_the_trainee_no_path():
    """Issue 9 item 7: a read-only or full results file: the trainer reads why, the trainee a plain message."""
    import ipywidgets as widgets

    from sim.app.trainee import StoreError
    from sim.ui.guard import guarded
    from sim.ui.i18n import t
    from sim.ui.trainee import TraineeApp

    cause = "the results file /srv/trove/r.sqlite could not be used: database or disk is full (free space)"

    def fail():
        raise StoreError(cause)

    panel = widgets.HTML()
    guarded(fail, panel, "vi", "test")
    assert "database or disk is full" in panel.value and "/srv/trove/r.sqlite" in panel.value
    trainee = TraineeApp.__new__(TraineeApp)  # only its error handling is exercised
    trainee.lang, trainee.message = "vi", widgets.HTML()
    trainee._guard(fail)
    assert t("err_store", "vi") in trainee.message.value and "/srv" not in trainee.message.value


def test_two_trainees_of_one_name_are_told_apart_in_the_live_table(desk):
    from sim.app.trainee import Workshop

    Workshop(desk.store, "ws", library=desk.library).join(
        full_name="Lê Văn Hai", commune="xã Phan Sơn", role="commune_pc"
    )
    app = TrainerApp(desk)
    assert "Lê Văn Hai (người thứ 1 cùng tên)" in app.live_table.value
    assert "Lê Văn Hai (người thứ 2 cùng tên)" in app.live_table.value
    assert "Mai Thị Ba (người" not in app.live_table.value
