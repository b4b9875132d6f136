"""One real deployment for the hub's tests (deploy/local_hub.py): PostgreSQL for the hub, JupyterHub with its
proxy (CHP) and NativeAuthenticator, two app instances behind nginx; plus the accounts the tests log in with."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
PORT = 18180  # the public URL; the rest follow it (deploy/local_hub.py), all in 18180–18532
PASSWORD = "mat-khau-tap-huan"
OFFICERS = ("lan", "minh", "hoa")
TRAINER = "thu"
PHONE = {"width": 390, "height": 844}


@dataclass
class Hub:
    base: str
    state: dict
    dir: Path

    @property
    def service(self) -> str:
        return f"{self.base}/services/trove/"

    def session(self, user: str) -> requests.Session:
        """A logged-in HTTP client of ``user``."""
        s = requests.Session()
        s.get(f"{self.base}/hub/login")
        r = s.post(f"{self.base}/hub/login", data={"username": user, "password": PASSWORD, "_xsrf": s.cookies["_xsrf"]})
        r.raise_for_status()
        return s

    def stop_instance(self, name: str) -> None:
        """Stop one instance as systemd would (SIGTERM: it shuts its kernels down)."""
        os.killpg(self.state["instances"][name]["pid"], signal.SIGTERM)

    def instance_at(self, address: str) -> str:
        port = int(address.rsplit(":", 1)[1])
        return next(name for name, i in self.state["instances"].items() if i["port"] == port)


def sign_up(base: str, user: str) -> None:
    s = requests.Session()
    s.get(f"{base}/hub/signup")
    form = {"username": user, "signup_password": PASSWORD, "signup_password_confirmation": PASSWORD}
    s.post(f"{base}/hub/signup", data=form | {"_xsrf": s.cookies["_xsrf"]}).raise_for_status()


@pytest.fixture(scope="module")  # stopped once its tests are done: the other browser tests run without it
def hub():
    folder = Path(tempfile.mkdtemp(prefix="trove-hub-"))
    folder.chmod(0o711)  # PostgreSQL's user (not root) reaches its cluster inside
    env = os.environ | {
        "TROVE_TRAINERS": TRAINER,
        "TROVE_WORKSHOP_EXERCISES": "intake-basics,verification",
        "TROVE_POOL": "1",
    }
    log = open(folder / "local_hub.log", "w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "local_hub.py"), "--dir", str(folder), "--port", str(PORT)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    state_file = folder / "state.json"
    deadline = time.monotonic() + 180
    while not state_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the local hub did not come up: {(folder / 'local_hub.log').read_text()[-3000:]}")
        time.sleep(0.5)
    state = json.loads(state_file.read_text())
    base = f"http://127.0.0.1:{PORT}"
    for user in ("admin", *OFFICERS, TRAINER):
        sign_up(base, user)
    hub = Hub(base, state, folder)
    admin = requests.Session()
    admin.get(f"{base}/hub/login")
    admin.post(f"{base}/hub/login", data={"username": "admin", "password": PASSWORD, "_xsrf": admin.cookies["_xsrf"]})
    for user in ("lan", "minh", TRAINER):
        admin.get(f"{base}/hub/authorize/{user}").raise_for_status()  # the administrator approves these sign-ups
    trainer = hub.session(TRAINER)
    trainer.get(f"{base}/hub/authorize/hoa").raise_for_status()  # and a trainer (the hub group) approves this one
    assert hub.session("hoa").get(f"{base}/hub/api/user").json()["name"] == "hoa"
    yield hub
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context's page (its own cookies: its own login)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
