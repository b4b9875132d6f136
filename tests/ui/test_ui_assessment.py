"""The trainee's widgets in an assessment and with an adjusted score (issue 10 items 3 and 4): before the
trainer's release no widget holds a finding, a correct path or the key; the shuffled order is what the radio
buttons show; the adjusted score stands beside the automatic one in the feedback, the chips and the summary."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from sim.app.trainee import Workshop
from sim.app.trainer import TrainerDesk
from sim.ui.i18n import t
from sim.ui.trainee import TraineeApp
from sim.workshop.stores import open_store
from tests.conftest import TRAINER_SECRET


def texts(widget: widgets.Widget) -> list[str]:
    """Every string a widget tree sends to the browser: HTML values, descriptions, option labels, tab titles."""
    found: list[str] = []
    state = widget.get_state()
    for key in ("value", "description", "placeholder", "tooltip"):
        if isinstance(state.get(key), str):
            found.append(state[key])
    found += [str(x) for x in state.get("_options_labels", ()) or ()]
    found += [str(x) for x in state.get("_titles", ()) or ()] if isinstance(state.get("_titles"), list | tuple) else []
    for child in getattr(widget, "children", ()) or ():
        found += texts(child)
    return found


def walk(widget: widgets.Widget) -> list[widgets.Widget]:
    """A widget and every widget inside it."""
    return [widget, *(w for child in getattr(widget, "children", ()) or () for w in walk(child))]


def buttons(widget: widgets.Widget, description: str) -> list[widgets.Button]:
    """The buttons in a widget tree with this label."""
    return [w for w in walk(widget) if isinstance(w, widgets.Button) and w.description == description]


@pytest.fixture
def app(tmp_path, library):
    store = open_store(tmp_path / "t.sqlite")
    workshop = Workshop(store, "w", exercises=["mixed-assessment", "intake-basics"], library=library)
    store.set_trainer_secret("w", TRAINER_SECRET)
    app = TraineeApp(workshop)
    app._joined(workshop.join(full_name="Lê Thị Mai", commune="xã Phan Sơn", role="commune_pc"))
    return app


def desk_of(app) -> TrainerDesk:
    desk = TrainerDesk(app.workshop.store, app.workshop.id, library=app.workshop.library)
    assert desk.unlock(TRAINER_SECRET)
    return desk


def test_the_radio_buttons_show_the_case_s_own_order(app):
    app._open_exercise("mixed-assessment")
    session = app.session
    app.toggle_decision(app.active.index("D1"))
    radio = app.forms["D1"].inputs["receive"]
    order = session.attempt.option_order["D1"]["receive"]
    labels = {k: o.vi for k, o in session.form_fields("D1")[0].options}
    assert list(radio._options_labels) == [labels[k] for k in order]


def test_before_the_release_no_widget_holds_the_key(app):
    app._open_exercise("mixed-assessment")
    session = app.session
    app._submit()  # a blank case: the feedback a second identity would be after
    report = session.report()
    shown = "\n".join(texts(app.widget))
    assert app.screen.__name__ == "show_feedback"
    assert t("score", "vi", total="0", max="", percent="").split(":")[0] in shown
    assert t("assessment_pending", "vi") in shown
    assert t("correct_answers", "vi") not in shown and t("referral_list", "vi") not in shown
    assert t("timeline", "vi") not in shown and t("show_graph", "vi") not in shown
    findings = [f["vi"] for p in report["points"] for f in p["findings"]] + [f["vi"] for f in report["critical_errors"]]
    assert findings and not [f for f in findings if f in shown]
    plain = {f["plain"]["vi"] for p in report["points"] for f in p["findings"] if f.get("plain")}
    assert plain and not [p for p in plain if p in shown]
    desk_of(app).release_answers("mixed-assessment")
    app._render(app.show_feedback)
    shown = "\n".join(texts(app.widget))
    assert t("correct_answers", "vi") in shown and findings[0] in shown


def test_the_exercise_list_says_which_exercise_is_an_assessment(app):
    app._render(app.show_exercises)
    shown = "\n".join(texts(app.widget))
    assert t("exercise_assessment", "vi") in shown
    desk_of(app).release_answers("mixed-assessment")
    app._render(app.show_exercises)
    assert t("exercise_assessment_released", "vi") in "\n".join(texts(app.widget))


def test_the_adjusted_score_is_shown_wherever_the_score_is(app):
    app._open_exercise("intake-basics")
    session = app.session
    session.answer("D1", {"receive": "receive"})
    app._submit()
    desk_of(app).add_override(session.attempt.id, "D2", 8, "Đã ghi biên bản đầy đủ")
    final = session.final_percent()[0]
    app._render(app.show_feedback)
    feedback = app.body.children[0].value
    # the final score is the headline, the automatic one follows it
    assert f"<h2 class='trove-score'>Điểm sau điều chỉnh của giảng viên: {final:g}%</h2>" in feedback
    assert "Điểm tự động: 13/" in feedback and "(13%)" in feedback
    assert "Giảng viên điều chỉnh D2: 8/8 điểm (tự động: 0). Nhận xét: Đã ghi biên bản đầy đủ" in feedback
    app._render(app.show_exercises)
    assert f"1 · ✓ đã nộp, 13%, sau điều chỉnh {final:g}%" in "\n".join(texts(app.widget))
    app._render(app.show_summary)
    summary = "\n".join(texts(app.widget))
    assert f"13% — sau điều chỉnh của giảng viên: {final:g}%" in summary


def test_the_trainer_releases_the_answers_from_the_workshop_tab(app):
    from sim.ui.trainer import TrainerApp

    trainer = TrainerApp(desk_of(app))
    control = trainer._release_control()
    title = app.workshop.exercise("mixed-assessment").title.vi
    (button,) = buttons(control, t("release_button", "vi", title=title))
    button.click()  # asks first: a release cannot be undone
    assert "mixed-assessment" not in app.workshop.store.released_answers(app.workshop.id)
    assert any(t("release_confirm", "vi", title=title) in getattr(w, "value", "") for w in walk(control))
    (not_yet,) = buttons(control, t("release_no", "vi"))
    not_yet.click()
    assert not buttons(control, t("release_yes", "vi"))
    button.click()
    (yes,) = buttons(control, t("release_yes", "vi"))
    yes.click()
    assert "mixed-assessment" in app.workshop.store.released_answers(app.workshop.id)
    assert not [w for w in walk(control) if isinstance(w, widgets.Button)]
    assert any("đã công bố đáp án" in getattr(w, "value", "") for w in control.children)


def test_the_exercise_button_says_start_continue_or_result_and_a_closed_assessment_says_so(app):
    app._render(app.show_exercises)
    assert len(buttons(app.widget, t("start_exercise", "vi"))) == 2
    app._open_exercise("mixed-assessment")
    app.session.answer("D1", {"receive": "receive"})
    app._render(app.show_exercises)
    assert len(buttons(app.widget, t("continue_exercise", "vi"))) == 1
    app._open_exercise("mixed-assessment")
    app._submit()
    desk_of(app).release_answers("mixed-assessment")
    app.exercise_id = "mixed-assessment"
    app._render(app.show_summary)
    assert t("summary_assessment_closed", "vi") in "\n".join(texts(app.widget))
    (review,) = buttons(app.widget, t("review_case", "vi", i=1))  # the button the note names is there
    review.click()
    assert t("correct_answers", "vi") in "\n".join(texts(app.widget))
