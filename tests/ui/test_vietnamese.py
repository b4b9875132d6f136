"""Vietnamese everywhere in the Vietnamese view (issue 10 item 5): every message in both languages, and the
trainer pages rendered without widgets' browser, then read as a trainer would: no internal ids (snake_case or
kebab-case), no "chế độ A/B", no dot decimals in scores, no English pydantic messages."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pytest

from sim.app.trainee import Workshop
from sim.app.trainer import TrainerDesk
from sim.errors import Problem
from sim.ui.designer import ExerciseBuilder, ScenarioDesigner
from sim.ui.i18n import catalog, percent, problem_text, regime_name, timestamp
from sim.ui.room_screen import RoomScreen
from sim.ui.trainer import TrainerApp
from tests.conftest import TRAINER_SECRET

# An id as code writes it: lower-case words joined by "_" or "-", with at least one letter ("2025-07-01" is a date).
SNAKE = re.compile(r"\b[a-z0-9]*[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
KEBAB = re.compile(r"(?<![\w/.:])[a-z0-9]*[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b(?![/.])")
INPUTS = (widgets.Text, widgets.Textarea, widgets.Password)  # what the trainer types (the YAML text) is theirs


def visible_texts(widget: widgets.Widget) -> list[str]:
    """The text a widget tree shows: HTML (tags stripped, attributes left out), labels, options, tab titles."""
    out: list[str] = []
    if isinstance(widget, widgets.HTML):
        text = re.sub(r"<style.*?</style>", " ", widget.value, flags=re.S)
        out.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    if not isinstance(widget, INPUTS):
        out += [getattr(widget, "description", "") or "", getattr(widget, "placeholder", "") or ""]
    for option in getattr(widget, "options", ()) or ():
        out.append(option[0] if isinstance(option, tuple) else str(option))
    if isinstance(widget, widgets.Tab):
        out += [widget.get_title(i) or "" for i in range(len(widget.children))]
    for child in getattr(widget, "children", ()) or ():
        out += visible_texts(child)
    return [text for text in out if text.strip()]


def identifiers(texts: list[str]) -> list[str]:
    return sorted({m.group(0) for text in texts for m in (*SNAKE.finditer(text), *KEBAB.finditer(text))})


def test_every_message_has_both_texts():
    missing = [key for key, text in catalog().items() if not (text.vi or "").strip() or not (text.en or "").strip()]
    assert missing == []


@pytest.fixture
def desk(played, library):
    desk = TrainerDesk(played, "ws", library=library)
    desk.unlock(TRAINER_SECRET)
    return desk


def test_the_trainer_pages_show_no_internal_ids(desk):
    app = TrainerApp(desk)
    app.show_codes.value = True  # the resume codes, on request (item 6)
    refresh, scenario, point, spread, _, attempt, step, steps_view = app.tabs.children[1].children
    scenario.value, point.value = scenario.options[0][1], "D1"
    attempt.value = attempt.options[0][1]
    step.value = step.max
    scores = app.tabs.children[2]
    scores.children[1].value = scores.children[1].options[-1][1]
    texts = visible_texts(app.widget)
    assert identifiers(texts) == []
    page = " ".join(texts)
    assert "intake-basics" not in page and "forced-marriage-2016" not in page and "commune_pc" not in page
    assert "chế độ A" not in page and "chế độ B" not in page
    assert "Số ca mà lựa chọn này là đáp án đúng" in page  # the debrief header is a whole phrase now
    assert "Mã tiếp tục" in page and all(row.resume_code in page for row in desk.store.trainees("ws"))


def test_scores_and_times_are_written_the_vietnamese_way(desk):
    app = TrainerApp(desk)
    scores = app.tabs.children[2]
    attempt, point, summary = scores.children[1], scores.children[3], scores.children[-1]
    attempt.value = attempt.options[-1][1]
    labels = [label for label, _ in attempt.options] + [label for label, _ in point.options]
    assert not any(re.search(r"\d\.\d", label) for label in labels), labels  # "10,65/12", never "10.65/12"
    assert re.search(r"nộp lúc \d\d/\d\d/\d{4} \d\d:\d\d", labels[0])  # Vietnam time, dd/mm/yyyy
    assert not re.search(r"\d\.\d", summary.value.split("</b>")[0])
    assert percent(89.2) == "89,2%" and percent(89.2, "en") == "89.2%"
    assert timestamp("2026-11-28T17:30:00+00:00") == "29/11/2026 00:30"  # UTC+7: the next day in Việt Nam
    assert regime_name("A") == "Luật 2011" and regime_name("B").startswith("Luật 2024")


def test_the_designer_shows_no_internal_ids_and_translates_pydantic(desk):
    designer = ScenarioDesigner(desk)
    designer.objectives.value = ""
    designer.form_to_yaml()
    problems = designer.check()
    assert any(p.path == "objectives" for p in problems)
    shown = designer.problems.value
    assert "Mục tiêu học tập: cần ít nhất 1 mục" in shown
    assert "should have" not in shown and "List" not in shown
    builder = ExerciseBuilder(desk)
    texts = visible_texts(designer.widget) + visible_texts(builder.widget)
    assert identifiers(texts) == []


@pytest.mark.parametrize(
    ("message", "vietnamese"),
    [
        ("List should have at least 1 item after validation, not 0", "cần ít nhất 1 mục"),
        ("String should have at least 3 characters", "cần ít nhất 3 ký tự"),
        ("Input should be greater than or equal to 0", "phải lớn hơn hoặc bằng 0"),
        ("Input should be a valid integer, unable to parse string as an integer", "phải là số nguyên"),
        ("Input should be a valid date or datetime, month value is outside expected range of 1-12", "ngày hợp lệ"),
        ("'easy' is not allowed", "giá trị 'easy' không hợp lệ"),
        ("required field 'objectives' is missing", "thiếu mục «Mục tiêu học tập»"),
        ("unknown field", "mục không có trong mẫu"),
    ],
)
def test_validation_messages_are_translated_with_the_field_label(message, vietnamese):
    text = problem_text(Problem("s.yaml", 1, 1, "objectives", message), "vi", {"objectives": "Mục tiêu học tập"})
    assert text.startswith("Mục tiêu học tập: ") and vietnamese in text


def test_the_room_screen_shows_the_qr_code_the_url_the_code_and_who_joined(desk):
    environ = {"SERVER_NAME": "192.168.1.5", "SERVER_PORT": "8866", "QUERY_STRING": ""}
    desk.store.configure_workshop("ws", "WS", "ABC234", ["intake-basics"], desk.library.default_region)
    room = RoomScreen(desk, "vi", environ)
    assert 'alt="Mã QR chứa địa chỉ vào lớp" src="data:image/png;base64,iVBOR' in room.qr.value
    shown = re.sub(r"<[^>]+>", "", room.address.value)  # the words without their tags (<wbr> in the URL)
    assert "http://192.168.1.5:8866/voila/render/trainee.ipynb?code=ABC234" in shown
    assert "/<wbr>render/<wbr>trainee.ipynb?<wbr>code=ABC234" in room.address.value  # wraps between its parts only
    assert "Mã lớp: ABC234" in shown and "2 học viên đã vào lớp" in room.count.value
    joining = Workshop(desk.store, "ws", library=desk.library)  # a third trainee joins: the next refresh counts them
    joining.join(full_name="Đỗ Thị Năm", commune="xã Phan Sơn", role="other", workshop_code="ABC234")
    room.refresh()
    assert "3 học viên đã vào lớp" in room.count.value
    assert identifiers(visible_texts(RoomScreen(desk, "vi", {}).widget)) == []  # outside Voilà: a note, no URL
