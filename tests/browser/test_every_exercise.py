"""Every shipped exercise can be completed in a real browser, case after case, up to the summary."""

from __future__ import annotations

import re

import pytest

from sim.app.trainee import exercise_positions
from sim.engine.assessment import assess
from sim.library import packaged_library
from sim.training.answer_key import answer_key
from sim.ui.i18n import t
from tests.browser.conftest import Server
from tests.browser.test_trainee_journeys import give_answer, join, stored_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DECISION_POINTS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")


@pytest.fixture(scope="module")
def all_exercises_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("all")).start()
    yield srv
    srv.stop()


@pytest.mark.parametrize("index, exercise_id", list(enumerate(sorted(packaged_library().catalog.exercises()))))
def test_complete_every_case_of_the_exercise(page, all_exercises_server, index, exercise_id):
    server, book = all_exercises_server, packaged_library()
    name = f"Học viên {index} (hư cấu)"
    join(page, server, name)
    exercise = packaged_library().catalog.exercises()[exercise_id]
    page.get_by_role("heading", name=exercise.title.vi).wait_for()
    page.get_by_role("button", name=t("start_exercise", "vi")).nth(
        list(packaged_library().catalog.exercises()).index(exercise_id)
    ).click()
    cases = len(exercise_positions(exercise))
    for number in range(cases):
        page.get_by_text(t("case_of", "vi", i=number + 1, n=cases)).wait_for(timeout=60_000)
        case = stored_case(server, name)
        first = next(q for q in case.interview if q.id == "care_first")
        page.get_by_role("button", name=first.text.vi, exact=True).click()
        page.locator(".trove-app ol").get_by_text(first.text.vi).wait_for()
        truth = assess(case, book)
        key = answer_key(case, truth).model_dump()
        for dp in DECISION_POINTS:
            if page.get_by_text(t(f"dp_{dp}", "vi"), exact=True).count():
                give_answer(page, dp, key[dp], truth.regime)
        page.get_by_role("button", name=t("submit", "vi")).click()
        page.get_by_role("button", name=t("submit_yes", "vi")).click()
        page.locator(".trove-score").wait_for(timeout=60_000)
        last = number == cases - 1
        page.get_by_role("button", name=t("back_to_exercises" if last else "next_case", "vi")).click()
    pattern = re.escape(t("summary", "vi", percent="PERCENT", verdict=t("passed", "vi"))).replace("PERCENT", r"[\d,]+")
    page.get_by_text(re.compile(f"^{pattern}$")).wait_for(timeout=60_000)
