"""The hub deployment, end to end: officers log in with an account (no resume code), each sees and drives only
their own page, nothing but the app is served, a trainer (hub group) sees every officer, and an instance stopped
mid-case loses no answer. Real JupyterHub, CHP, nginx, PostgreSQL (the hub's database and the results) and
Chromium at 390×844."""

from __future__ import annotations

import re

import pytest
import requests
import websocket

from sim.cases.case import Case
from sim.engine.assessment import assess
from sim.library import packaged_library
from sim.training.answer_key import answer_key
from sim.ui.i18n import t
from sim.workshop.stores import open_store
from tests.browser.hub.conftest import PASSWORD, TRAINER
from tests.browser.test_layout import assert_clean
from tests.browser.test_trainee_journeys import ask, give_answer, open_decision, start_first_exercise

pytestmark = [pytest.mark.hub, pytest.mark.browser]

TRAINEE_PAGE = "voila/render/trainee.ipynb"
NAMES = {"lan": "Nguyễn Thị Lan", "minh": "Trần Văn Minh", "hoa": "Lê Thị Hoa"}


def log_in(page, hub, user: str):
    """Log in on the hub's page; the hub sends the officer on to the app. Returns the app page's response."""
    page.goto(f"{hub.base}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    with page.expect_response(lambda r: TRAINEE_PAGE in r.url and r.request.method == "GET") as page_response:
        page.click("#login_submit")
    return page_response.value


def first_visit(page, name: str, *, check_layout: bool = False) -> None:
    """The first visit asks name, commune and role once, and no code."""
    page.get_by_text(t("account_profile", "vi")).wait_for()
    if check_layout:
        assert_clean(page, "the first visit's profile")
    assert page.get_by_label(t("workshop_code", "vi")).count() == 0
    assert page.get_by_role("tab", name=t("resume_tab", "vi")).count() == 0
    page.get_by_label(t("full_name", "vi")).fill(name)
    page.get_by_label(t("commune_field", "vi")).fill("xã Phan Sơn")
    page.get_by_role("button", name=t("join_button", "vi")).click()


def stored_case(hub, user: str) -> Case:
    store = open_store(hub.state["results"])
    trainee = store.trainee_by_account(store.only_workshop(), user)
    attempt = store.attempts_of(trainee.id)[-1]
    return Case.model_validate_json(attempt.case_json)


def complete_a_case(page, hub, user: str) -> None:
    start_first_exercise(page)
    case = stored_case(hub, user)
    truth = assess(case, packaged_library())
    key = answer_key(case, truth).model_dump()
    give_answer(page, "D1", key["D1"], truth.regime)
    page.get_by_role("button", name=t("submit", "vi")).click()
    page.get_by_role("button", name=t("submit_yes", "vi")).click()
    assert page.locator(".trove-score").inner_text().startswith("Điểm:")


def kernel_id(html: str) -> str:
    return re.search(r'"kernelId": "([0-9a-f-]{36})"', html).group(1)


def test_two_officers_log_in_and_complete_a_case_each_without_a_resume_code(browser, hub):
    for user in ("lan", "minh"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", ignore_https_errors=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        log_in(page, hub, user)
        first_visit(page, NAMES[user], check_layout=user == "lan")
        page.get_by_text(t("signed_in_as", "vi", account=user)).wait_for()
        if user == "lan":
            assert_clean(page, "the exercises, signed in")
        complete_a_case(page, hub, user)
        if user == "minh":  # a shared commune computer: the officer logs out, and the app asks for a login again
            page.get_by_role("button", name=t("back_to_exercises", "vi")).first.click()
            page.get_by_role("link", name=t("log_out", "vi")).click()
            page.locator("#username_input").wait_for()
            page.goto(hub.service + TRAINEE_PAGE)
            page.locator("#username_input").wait_for()
        context.close()
    store = open_store(hub.state["results"])
    workshop = store.only_workshop()
    for user in ("lan", "minh"):
        trainee = store.trainee_by_account(workshop, user)
        assert trainee.full_name == NAMES[user]
        assert [a.submitted_at is not None for a in store.attempts_of(trainee.id)] == [True]


def test_the_public_url_is_https_and_checks_out_with_its_certificate(hub):
    """The proxy terminates TLS: the login page and the app answer over https with the deployment's certificate,
    and an https client that does not trust it is refused (nothing falls back to plain http)."""
    assert hub.base.startswith("https://")
    assert hub.client().get(f"{hub.base}/hub/login").status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{hub.base}/hub/login", timeout=30, verify=True)  # the system's trust store does not know it
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(hub.base.replace("https://", "http://") + "/hub/login", timeout=30)


def test_nothing_but_the_app_is_served_to_an_officer(hub):
    officer = hub.session("lan")
    for path in ("lab", "lab/tree/trainee.ipynb", "tree", "api/contents", "api/contents/trainee.ipynb",
                 "files/trainee.ipynb", "voila/files/trainee.ipynb", "api/terminals", "api/kernels", "api/sessions",
                 "api/kernelspecs", "voila/tree", "voila/api/contents/", "nbconvert/html/trainee.ipynb", "trove/ready"):  # fmt: skip
        assert officer.get(hub.service + path, allow_redirects=False).status_code in (403, 404), path
    for path in ("api/kernels", "api/terminals", "api/sessions"):
        assert officer.post(hub.service + path, allow_redirects=False).status_code in (403, 404), path
    assert officer.put(hub.service + "api/contents/evil.py", json={}, allow_redirects=False).status_code in (403, 404)
    assert officer.get(f"{hub.base}/hub/spawn").status_code == 403  # no server of one's own
    assert officer.get(f"{hub.base}/hub/authorize").status_code == 403  # approving sign-ups is for trainers
    assert officer.get(f"{hub.base}/user/lan/lab").status_code in (403, 404)
    page = officer.get(hub.service + TRAINEE_PAGE)
    assert page.status_code == 200 and "from sim.ui.trainee import show" not in page.text  # no notebook source
    anonymous = hub.client()
    assert anonymous.get(hub.service + TRAINEE_PAGE, allow_redirects=False).status_code == 302  # to the hub's login


def test_an_officer_can_neither_read_nor_drive_nor_stop_another_officers_kernel(hub):
    lan, minh = hub.session("lan"), hub.session("minh")
    page = lan.get(hub.service + TRAINEE_PAGE)
    kernel, instance = kernel_id(page.text), page.headers["x-trove-instance"]
    for cookie in [c for c in minh.cookies if c.name == "trove_sid"]:
        minh.cookies.clear(cookie.domain, cookie.path, cookie.name)
    minh.cookies.set("trove_sid", lan.cookies["trove_sid"])  # sent to the instance that has lan's kernel
    assert lan.get(f"{hub.service}api/kernels/{kernel}").status_code == 200  # the owner's page needs it
    refused = minh.get(f"{hub.service}api/kernels/{kernel}")
    assert refused.status_code == 403 and refused.headers["x-trove-instance"] == instance
    assert minh.post(f"{hub.service}voila/api/shutdown/{kernel}").status_code == 403
    assert minh.get(f"{hub.service}voila/query/{kernel}").status_code == 403  # nginx: kernels only, from inside
    cookies = "; ".join(f"{k}={v}" for k, v in minh.cookies.items())
    channels = f"{hub.service.replace('http', 'ws', 1)}api/kernels/{kernel}/channels"  # wss:// under TLS
    tls = {"sslopt": {"ca_certs": hub.tls_cert}} if hub.tls_cert else {}
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(channels, cookie=cookies, origin=hub.base, timeout=30, **tls)
    assert refused.value.status_code == 403
    mine = "; ".join(f"{k}={v}" for k, v in lan.cookies.items())
    websocket.create_connection(channels, cookie=mine, origin=hub.base, timeout=30, **tls).close()  # the owner may
    assert lan.get(f"{hub.service}api/kernels/{kernel}").status_code == 200  # minh's shutdown did nothing
    # leaving the page, its owner's browser shuts the kernel down (as Voilà's page does on unload)
    xsrf = {"X-XSRFToken": lan.cookies.get("_xsrf", path="/services/trove/")}
    minhs = {"X-XSRFToken": minh.cookies.get("_xsrf", path="/services/trove/")}
    assert xsrf["X-XSRFToken"] and minhs["X-XSRFToken"]
    assert minh.post(f"{hub.service}voila/api/shutdown/{kernel}", headers=minhs).status_code == 403  # with its token
    assert lan.post(f"{hub.service}voila/api/shutdown/{kernel}", headers=xsrf).status_code == 204
    assert lan.get(f"{hub.service}api/kernels/{kernel}").status_code in (403, 404)  # gone


def test_a_trainer_of_the_hub_group_sees_both_officers_without_a_secret(browser, hub):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN", ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{hub.base}/hub/login?next=/services/trove/voila/render/trainer.ipynb")
    page.fill("#username_input", TRAINER)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.get_by_role("tab", name=t("tab_live", "vi")).wait_for()
    assert page.get_by_label(t("trainer_secret", "vi")).count() == 0
    for name in (NAMES["lan"], NAMES["minh"]):
        page.get_by_role("cell", name=name).first.wait_for()
    context.close()


def test_an_officer_opening_the_trainer_page_is_refused(phone, hub):
    log_in(phone, hub, "minh")
    phone.goto(hub.service + "voila/render/trainer.ipynb")
    phone.get_by_text(t("trainer_hub_refused", "vi")).wait_for()
    assert phone.get_by_role("tab", name=t("tab_live", "vi")).count() == 0
    assert phone.get_by_label(t("trainer_secret", "vi")).count() == 0


def test_an_instance_stopped_mid_case_loses_nothing_and_the_officer_resumes_on_the_other(phone, hub):
    served = log_in(phone, hub, "hoa")
    first_visit(phone, NAMES["hoa"])
    start_first_exercise(phone)
    case = stored_case(hub, "hoa")
    asked = [q.text.vi for q in case.interview[:2]]
    ask(phone, asked)
    give_answer(phone, "D1", {"receive": "receive"}, assess(case, packaged_library()).regime)
    store = open_store(hub.state["results"])
    attempt = store.attempts_of(store.trainee_by_account(store.only_workshop(), "hoa").id)[-1]
    assert any(e["kind"] == "answer" and e["key"] == "D1" for e in store.events(attempt.id))  # saved as given
    before = hub.instance_at(served.headers["x-trove-instance"])
    hub.stop_instance(before)
    reloaded = phone.reload()
    assert hub.instance_at(reloaded.headers["x-trove-instance"]) != before
    assert "/hub/login" not in phone.url  # the login holds: the instances share the cookie secret
    phone.get_by_text(t("signed_in_as", "vi", account="hoa")).wait_for()  # no profile asked again
    start_first_exercise(phone)
    for text in asked:
        phone.locator(".trove-app ol").get_by_text(text).wait_for()
    open_decision(phone, "D1")
    assert phone.get_by_role("radio", name=t("opt_receive_receive", "vi"), exact=True).is_checked()
