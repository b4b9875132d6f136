"""The hub's configuration (deploy/jupyterhub_config.py) and one instance's start (sim.workshop.hub_instance).

The configuration file is run as JupyterHub runs it (a script given ``get_config``); its authenticator is then
exercised against a real SQLite database with NativeAuthenticator's own table and real bcrypt hashes.
"""

from __future__ import annotations

import asyncio
import runpy
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bcrypt
import pytest
from nativeauthenticator.orm import UserInfo
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from traitlets.config import Config

from sim.workshop import hub_instance

CONFIG_FILE = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub_config.py"
PASSWORD = "mat-khau-dai-du"


@pytest.fixture
def authenticator(tmp_path):
    """The configuration's authenticator on a fresh database holding an approved and an unapproved officer."""
    config = Config()
    names = runpy.run_path(str(CONFIG_FILE), init_globals={"get_config": lambda: config})
    engine = create_engine(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    db = sessionmaker(bind=engine)()
    auth = names["TroveNativeAuthenticator"](config=config, db=db)
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4))  # the lowest cost: the test checks logic
    db.add(UserInfo(username="tai01", password=hashed, is_authorized=True))
    db.add(UserInfo(username="tai02", password=hashed, is_authorized=False))
    db.commit()
    return auth


def run_alone(coroutine):
    """``coroutine``'s result, on an event loop of its own thread: an earlier test in this worker (Playwright's
    sync API) may have left a loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def log_in(auth, username: str, password: str):
    return run_alone(auth.authenticate(None, {"username": username, "password": password}))


def test_an_approved_officer_with_the_right_password_is_let_in(authenticator):
    assert log_in(authenticator, "tai01", PASSWORD) == "tai01"
    assert log_in(authenticator, "TAI01", PASSWORD) == "tai01"  # names are normalized as NativeAuthenticator does


def test_a_wrong_password_an_unapproved_account_or_an_unknown_name_is_refused(authenticator):
    assert log_in(authenticator, "tai01", PASSWORD + "x") is None
    assert authenticator.login_attempts["tai01"]["count"] == 1  # counted towards NativeAuthenticator's block
    assert log_in(authenticator, "tai02", PASSWORD) is None
    assert log_in(authenticator, "khong-co", PASSWORD) is None


def test_too_many_failed_logins_block_even_the_right_password(authenticator):
    authenticator.allowed_failed_logins = 2
    for _ in range(2):
        log_in(authenticator, "tai01", "sai-mat-khau")
    assert log_in(authenticator, "tai01", PASSWORD) is None


def test_the_hub_keeps_serving_while_a_password_is_checked(authenticator):
    """NativeAuthenticator 1.3 checks the hash inside the event loop: nothing else ran until it returned."""

    async def other_requests_meanwhile() -> int:
        ticks = 0
        login = asyncio.ensure_future(authenticator.authenticate(None, {"username": "tai01", "password": PASSWORD}))
        while not login.done():
            ticks += 1
            await asyncio.sleep(0)
        assert login.result() == "tai01"
        return ticks

    started = run_alone(other_requests_meanwhile())
    assert started > 1, "the event loop did not run while the password was checked"


def test_an_instance_with_a_room_that_is_not_a_number_says_what_to_write(monkeypatch, capsys):
    for name, value in {"JUPYTERHUB_API_TOKEN": "t", "JUPYTERHUB_API_URL": "http://127.0.0.1:1/hub/api"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TROVE_COOKIE_SECRET_FILE", "/nonexistent")
    monkeypatch.setenv("TROVE_ROOM", "bốn mươi")
    assert hub_instance.main(["--port", "18871"]) == 2
    assert "TROVE_ROOM=bốn mươi in the environment: write a whole number" in capsys.readouterr().err
