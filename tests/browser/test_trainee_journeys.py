"""A trainee in a real browser: join, complete a case, reload and resume, English, and no answer key on the wire."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from sim.cases.case import Case
from sim.engine.assessment import assess
from sim.library import packaged_library
from sim.training.answer_key import answer_key
from sim.training.forms import form_fields
from sim.ui.answer_forms import shown_as_list
from sim.ui.i18n import t

pytestmark = pytest.mark.browser


def join(page, server, name: str, lang: str = "vi", navigate: bool = True) -> str:
    if navigate:
        page.goto(server.url)
    page.get_by_label(t("full_name", lang)).first.fill(name)
    page.get_by_label(t("commune_field", lang)).fill("xã Phan Sơn")
    page.get_by_role("button", name=t("join_button", lang)).click()
    prefix = re.escape(t("your_code", lang, code="CODE").split("CODE")[0])
    line = page.get_by_text(re.compile(prefix + r"[A-Z2-9]{6}")).first.inner_text(timeout=60_000)
    return re.search(r"[A-Z2-9]{6}", line.split(":", 1)[1]).group(0)


def start_first_exercise(page, lang: str = "vi") -> None:
    """Open the first exercise, whether it is new ("Làm bài này") or started ("Làm tiếp bài này")."""
    label = re.compile(f"^({re.escape(t('start_exercise', lang))}|{re.escape(t('continue_exercise', lang))})$")
    page.get_by_role("button", name=label).first.click()
    page.get_by_text(t("interview_help", lang)).wait_for(timeout=60_000)


def stored_case(server, name: str) -> Case:
    con = sqlite3.connect(server.db)
    row = con.execute(
        "SELECT a.case_json FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE t.full_name = ? "
        "ORDER BY a.started_at DESC LIMIT 1",
        (name,),
    ).fetchone()
    con.close()
    return Case.model_validate_json(row[0])


def capture_frames(page) -> list[str]:
    """Every websocket frame the page receives from now on, as text (the kernel's messages to the widgets)."""
    frames: list[str] = []

    def watch(ws):
        ws.on(
            "framereceived",
            lambda payload: frames.append(payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")),
        )

    page.on("websocket", watch)
    return frames


def on_the_wire(wire: str, text: str) -> bool:
    """Whether ``text`` is in the captured traffic (frames may carry non-ASCII text as \\uXXXX escapes)."""
    return text in wire or json.dumps(text)[1:-1] in wire


def ask(page, questions: list[str]) -> None:
    """Ask the interview's questions (their Vietnamese texts), each waited for in the log."""
    for text in questions:
        page.get_by_role("button", name=text, exact=True).click()
        page.locator(".trove-app ol").get_by_text(text).wait_for()


def open_decision(page, dp: str, lang: str = "vi") -> None:
    page.get_by_text(t(f"dp_{dp}", lang), exact=True).click()


def give_answer(page, dp: str, values: dict, regime: str, lang: str = "vi") -> None:
    open_decision(page, dp, lang)
    for field in form_fields(packaged_library(), dp, regime):
        if field.name not in values:
            continue
        value = values[field.name]
        labels = {k: o.get(lang) for k, o in field.options}
        if field.kind == "radio" or (shown_as_list(field, lang) and value is not None):
            page.get_by_role("radio", name=labels[value], exact=True).check()
        elif field.kind == "dropdown" and value is not None:
            page.get_by_role("combobox").filter(
                has=page.get_by_role("option", name=labels[value], exact=True)
            ).select_option(label=labels[value])
        elif field.kind == "check":
            box = page.get_by_role("checkbox", name=t(field.label_key, lang), exact=True)
            box.check() if value else box.uncheck()
        elif field.kind == "checks":
            for key in value:
                page.get_by_role("checkbox", name=labels[key], exact=True).check()
    page.get_by_text(f"✓ {t('saved', lang)} ({t('dp_' + dp, lang)})").wait_for()


def test_join_complete_a_case_and_read_cited_feedback(page, server):
    join(page, server, "Phạm Thị Hồng")
    start_first_exercise(page)
    case = stored_case(server, "Phạm Thị Hồng")
    questions = ("care_first", "ask_journey", "ask_work_pay", "ask_freedom")
    ask(page, [next(q.text.vi for q in case.interview if q.id == question) for question in questions])
    book = packaged_library()
    truth = assess(case, book)
    key = answer_key(case, truth).model_dump()
    regime = truth.regime
    active = [
        dp
        for dp in ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")
        if page.get_by_text(t(f"dp_{dp}", "vi"), exact=True).count()
    ]
    for dp in active:
        give_answer(page, dp, key[dp], regime)
    page.get_by_role("button", name=t("submit", "vi")).click()
    # the question comes into view (on a phone it had opened below the screen's edge), its safe answer focused
    not_yet = page.get_by_role("button", name=t("submit_no", "vi"))
    page.wait_for_function(
        "(el) => document.activeElement === el && el.getBoundingClientRect().bottom <= innerHeight",
        arg=not_yet.element_handle(),
    )
    page.get_by_role("button", name=t("submit_yes", "vi")).click()
    score = page.locator(".trove-score").inner_text(timeout=60_000)
    assert score.startswith("Điểm:")
    assert page.get_by_text(t("timeline", "vi")).count() == 1
    assert (
        page.get_by_text(re.compile(r"Điều \d")).count() > 0 or page.get_by_text(t("feedback_full", "vi")).count() > 0
    )
    assert page.get_by_text(t("correct_answers", "vi")).count() == 1


def test_reload_mid_case_and_resume_with_answers_kept(page, server):
    code = join(page, server, "Võ Văn Tâm")
    start_first_exercise(page)
    case = stored_case(server, "Võ Văn Tâm")
    asked = [q.text.vi for q in case.interview[:2]]
    ask(page, asked)
    give_answer(page, "D1", {"receive": "receive"}, "A")
    page.reload()
    page.get_by_role("tab", name=t("resume_tab", "vi")).click()
    page.get_by_label(t("resume_code", "vi")).fill(code.lower())
    page.get_by_role("button", name=t("resume_button", "vi")).click()
    start_first_exercise(page)
    for text in asked:
        page.locator(".trove-app ol").get_by_text(text).wait_for()
    open_decision(page, "D1")
    assert page.get_by_role("radio", name=t("opt_receive_receive", "vi"), exact=True).is_checked()


def test_a_name_is_not_a_key_and_guessing_codes_is_refused(page, server):
    """Issue 9 item 5: no "find my work" by name; wrong codes past the page limit are refused, counted by address."""
    from sim.app.guesses import PAGE_LIMIT

    join(page, server, "Phan Thị Mai")
    page.goto(server.url)
    page.get_by_role("tab", name=t("resume_tab", "vi")).click()
    page.get_by_text(t("forgot_code", "vi")).wait_for()
    assert page.get_by_role("button", name="Tìm bài của tôi").count() == 0
    for _ in range(PAGE_LIMIT):
        page.get_by_label(t("resume_code", "vi")).fill("WRONG2")
        page.get_by_role("button", name=t("resume_button", "vi")).click()
        page.get_by_text(t("err_unknown_resume_code", "vi")).first.wait_for()
    page.get_by_role("button", name=t("resume_button", "vi")).click()
    page.get_by_text(t("err_too_many_guesses", "vi")).first.wait_for()
    con = sqlite3.connect(server.db)
    addresses = {a for (a,) in con.execute("SELECT address FROM resume_failures")}
    con.close()
    assert addresses == {"127.0.0.1"}  # the server told the kernel the client's address


def test_a_kernel_that_dies_tells_the_trainee_to_reload(page, server):
    """Issue 9 item 2: not broken-link icons but "Mất kết nối — tải lại trang" with a reload button."""
    import psutil

    from sim.workshop.fork_server import is_kernel

    page.goto(server.url)
    page.get_by_role("tab", name=t("resume_tab", "vi")).wait_for(timeout=60_000)
    kernels = []
    for process in psutil.process_iter():
        try:
            if is_kernel(process.name(), " ".join(process.cmdline())) and process.environ().get("TROVE_DB") == str(
                server.db
            ):
                kernels.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    max(kernels, key=lambda k: k.create_time()).kill()  # this page's kernel: the newest
    notice = page.locator("#trove-lost")
    notice.wait_for(timeout=30_000)
    assert "Mất kết nối — tải lại trang" in notice.inner_text()
    notice.get_by_role("button").click()
    page.get_by_role("tab", name=t("resume_tab", "vi")).wait_for(timeout=60_000)  # a new kernel, a working page


def test_switch_to_english(page, server):
    page.goto(server.url)
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name=t("join_button", "en")).wait_for()
    join(page, server, "Nguyen Van Binh", lang="en", navigate=False)
    start_first_exercise(page, "en")
    page.get_by_text(t("first_statement", "en") + ":").wait_for()
    assert page.get_by_text(t("fictional_banner", "en")).count() >= 1


def test_no_part_of_the_answer_key_reaches_the_browser_before_submission(page, server):
    frames = capture_frames(page)
    join(page, server, "Đỗ Thị Thu")
    start_first_exercise(page)
    case = stored_case(server, "Đỗ Thị Thu")
    asked = case.interview[0]
    page.get_by_role("button", name=asked.text.vi, exact=True).click()
    page.locator(".trove-app ol").get_by_text(asked.text.vi).wait_for()
    give_answer(page, "D1", {"receive": "receive"}, "A")
    wire = "\n".join(frames) + page.content()
    truth = assess(case, packaged_library())
    secrets = [
        case.truth.story.vi[:60],
        case.truth.profile,
        '"critical_error"',
        '"indicated"',
        'district_police"',
        'provincial_health_dept"',
    ]
    secrets += [
        q.answer.vi[:40] for q in case.interview if q.id != asked.id and q.answer.vi[:40] not in asked.answer.vi
    ]
    secrets += [json.dumps(truth.value("immediate_support")["provide"])]

    def present(text: str) -> bool:
        return on_the_wire(wire, text)

    assert frames and present(asked.text.vi), "the capture must see what the page shows (positive control)"
    found = [s for s in secrets if s and present(s)]
    assert not found, f"answer-key material visible in the browser: {found}"


def test_answers_survive_a_server_restart(page, tmp_path):
    from tests.browser.conftest import Server

    first = Server(tmp_path, "--exercises", "intake-basics").start()
    try:
        code = join(page, first, "Hồ Thị Lệ")
        page.get_by_text(t("interview_help", "vi")).wait_for(timeout=60_000)  # one exercise: straight to its case
        give_answer(page, "D1", {"receive": "receive"}, "A")
    finally:
        first.stop()
    second = Server(tmp_path, "--exercises", "intake-basics")
    second.db = first.db
    second.start()
    try:
        page.goto(second.url)
        page.get_by_role("tab", name=t("resume_tab", "vi")).click()
        page.get_by_label(t("resume_code", "vi")).fill(code)
        page.get_by_role("button", name=t("resume_button", "vi")).click()
        page.get_by_text(t("interview_help", "vi")).wait_for(timeout=60_000)
        open_decision(page, "D1")
        assert page.get_by_role("radio", name=t("opt_receive_receive", "vi"), exact=True).is_checked()
    finally:
        second.stop()


def test_nothing_is_fetched_from_the_internet(page, server):
    hosts = set()
    page.on(
        "request", lambda request: hosts.add(request.url.split("/")[2] if "://" in request.url else request.url[:5])
    )
    join(page, server, "Trịnh Văn Khoa")
    start_first_exercise(page)
    assert hosts <= {f"127.0.0.1:{server.port}", "data:"}, hosts


def test_an_assessment_shows_the_score_and_keeps_the_key_until_the_trainer_releases_it(page, tmp_path):
    """Issue 10 item 3: in assessment mode the score comes at once; the explanations and the correct answers
    reach the browser only after the trainer's release (the websocket traffic is read to prove it)."""
    from sim.workshop.store import DEFAULT_WORKSHOP_ID
    from sim.workshop.stores import open_store
    from tests.browser.conftest import Server

    frames = capture_frames(page)
    server = Server(tmp_path, "--exercises", "mixed-assessment").start()
    try:
        join(page, server, "Lý Thị Hoa")
        page.get_by_text(t("interview_help", "vi")).wait_for(timeout=60_000)  # one exercise: straight to its case
        case = stored_case(server, "Lý Thị Hoa")
        give_answer(page, "D1", {"receive": "receive"}, assess(case, packaged_library()).regime)
        page.get_by_role("button", name=t("submit", "vi")).click()
        page.get_by_role("button", name=t("submit_yes", "vi")).click()
        assert page.locator(".trove-score").inner_text(timeout=60_000).startswith("Điểm:")
        page.get_by_text(t("assessment_pending", "vi")).wait_for()
        store = open_store(server.db)
        attempt = next(a for t_ in store.trainees(DEFAULT_WORKSHOP_ID) for a in store.attempts_of(t_.id))
        report = store.report(attempt.id)
        findings = [f["vi"] for p in report["points"] for f in p["findings"]]
        wire = "\n".join(frames) + page.content()

        def present(text: str) -> bool:
            return on_the_wire(wire, text)

        assert findings and present(t("assessment_pending", "vi")), "positive control"
        hidden = [t("correct_answers", "vi"), t("timeline", "vi"), t("referral_list", "vi"), *findings]
        assert not [text for text in hidden if present(text)]
        store.release_answers(DEFAULT_WORKSHOP_ID, "mixed-assessment", "trainer")
        page.get_by_role("button", name=t("back_to_exercises", "vi")).click()
        page.get_by_role("button", name=t("review_case", "vi", i=1)).click()
        page.get_by_text(t("correct_answers", "vi")).wait_for(timeout=60_000)
        assert page.get_by_text(t("assessment_pending", "vi")).count() == 0
    finally:
        server.stop()
