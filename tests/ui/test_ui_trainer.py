"""The trainer app without a browser: the secret gate, live table, charts, debrief, overrides, export."""
from __future__ import annotations

import pytest

from sim.training.answer_key import answer_key, safe_interview
from sim.workshop.debrief import choice_spread, replay
from sim.engine.assessment import assess
from sim.app.trainee import Workshop
from sim.workshop.sqlite_store import Store
from sim.ui.trainer import TrainerApp, show


@pytest.fixture
def workshop(tmp_path):
    store = Store(tmp_path / "t.sqlite")
    ws = Workshop(store, "ws", exercises=["intake-basics"])
    store.set_trainer_secret("ws", "good-secret")
    for name, perfect in (("Lê Văn Hai", True), ("Mai Thị Ba", False)):
        trainee = ws.join(full_name=name, commune="xã Phan Sơn", role="commune_pc")
        session = ws.open_case(trainee, "intake-basics", 0)
        for action in safe_interview(session.case)[: 8 if perfect else 1]:
            session.ask(action.question)
        key = answer_key(session.case, assess(session.case, session.book)).model_dump()
        for dp in session.decision_points:
            session.answer(dp, key[dp] if perfect else (key[dp] | {"receive": "send_to_district"} if dp == "D1" else key[dp]))
        session.submit()
    return store


def test_the_gate_shows_nothing_without_the_secret(workshop):
    gate = show(workshop, "ws")
    secret, button = gate.children[2], gate.children[3]
    secret.value = "wrong"
    button.click()
    assert "Sai mã giảng viên" in gate.children[1].value and len(gate.children) == 4
    assert "Lê Văn Hai" not in str([getattr(c, "value", "") for c in gate.children])
    secret.value = "good-secret"
    button.click()
    live = gate.children[1].children[2].children[0]
    assert "Lê Văn Hai" in live.children[3].value


def test_live_table_and_charts(workshop):
    app = TrainerApp(workshop, "ws")
    assert "Lê Văn Hai" in app.live_table.value and "Mai Thị Ba" in app.live_table.value
    assert "2 học viên đã vào lớp; 2 tình huống đã nộp" in app.live_table.value
    images = [c for c in app.charts.children if hasattr(c, "format")]
    assert len(images) == 4 and all(img.value[:4] == b"\x89PNG" for img in images)


def test_debrief_spread_and_replay(workshop):
    spreads, basis = choice_spread(workshop, "ws", "forced-marriage-2016", "D1")
    receive = next(s for s in spreads if s.field == "receive")
    assert receive.attempts == 2 and receive.options["receive"].chosen == 1 and receive.options["receive"].correct_for == 2
    assert receive.options["send_to_district"].chosen == 1 and basis
    attempt_id = workshop.submitted_rows("ws")[0]["attempt_id"]
    steps = replay(workshop, attempt_id)
    assert steps[0].kind == "action" and steps[0].key == "care_first" and steps[-1].kind == "answer"


def test_override_with_comment_is_kept_beside_the_automatic_score(workshop):
    app = TrainerApp(workshop, "ws")
    scores = app.tabs.children[2]
    refresh, attempt, _, point, points, comment, save, saved, summary = scores.children
    weak = next(v for label, v in attempt.options if label.startswith("Mai Thị Ba"))
    attempt.value = weak
    point.value = "D1"
    points.value = 6
    save.click()
    assert "Cần ghi nhận xét" in saved.value and not workshop.overrides(weak)
    comment.value = "Đã tự sửa ngay khi được nhắc."
    save.click()
    assert workshop.overrides(weak)[0]["points"] == 6.0 and "sau điều chỉnh" in summary.value


def test_export_gives_a_download_link(workshop):
    app = TrainerApp(workshop, "ws")
    buttons, link = app.tabs.children[3].children
    buttons.children[1].click()
    assert link.value.startswith("<a download='tro-ve-ws-") and "base64," in link.value


def test_workshop_exercise_list_changes_live(workshop):
    app = TrainerApp(workshop, "ws")
    tab = app.tabs.children[4]
    boxes = [c for c in tab.children if hasattr(c, "indent")]
    for box in boxes:
        box.value = box.description.endswith("(verification)")
    next(c for c in tab.children if getattr(c, "description", "") == "Lưu danh sách bài tập").click()
    assert Workshop(workshop, "ws").exercise_ids == ["verification"]
