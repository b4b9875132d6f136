"""One real deployment for the hub's tests (deploy/local_hub.py, started by tests/hub_server.py): PostgreSQL for the
hub, JupyterHub with its proxy (CHP) and NativeAuthenticator, two app instances behind nginx; plus the accounts the
tests log in with."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.hub_server import ADMIN, PASSWORD, approve, sign_up, start_hub, stop_hub

__all__ = ["PASSWORD"]  # test_hub.py imports it from here

PORT = 18180  # the public URL; the rest follow it (deploy/local_hub.py), all in 18180–18532
OFFICERS = ("lan", "minh", "hoa")
TRAINER = "thu"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")  # stopped once its tests are done: the other browser tests run without it
def hub():
    env = {"TROVE_TRAINERS": TRAINER, "TROVE_WORKSHOP_EXERCISES": "intake-basics,verification", "TROVE_POOL": "1"}
    try:
        # over https, as a province serves it: the proxy terminates TLS (websockets included)
        process, hub = start_hub(Path(tempfile.mkdtemp(prefix="trove-hub-")), PORT, env, tls=True)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        for user in (ADMIN, *OFFICERS, TRAINER):
            sign_up(hub, user)
        admin = hub.session(ADMIN, follow=False)
        for user in ("lan", "minh", TRAINER):
            approve(admin, hub, user)  # the administrator approves these sign-ups
        approve(hub.session(TRAINER), hub, "hoa")  # and a trainer (the hub group) approves this one
        assert hub.session("hoa").get(f"{hub.base}/hub/api/user").json()["name"] == "hoa"
        yield hub
    finally:  # also when the accounts could not be made: nothing is left running
        stop_hub(process)


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context's page (its own cookies: its own login)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", ignore_https_errors=True)  # our own certificate
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
