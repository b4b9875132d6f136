"""A real local hub (deploy/local_hub.py) for the hub's tests and benchmarks/hub_load.py: started in a folder of its
own, accounts signed up and approved the way an administrator or a trainer does it, officers logged in.

    process, hub = start_hub(folder, port, {"TROVE_POOL": "1"}, tls=True)
    sign_up(hub, "admin"); sign_up(hub, "lan")
    approve(hub.session("admin"), hub, "lan")
    hub.session("lan")  # a logged-in ``requests.Session``
    stop_hub(process)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-tap-huan"
ADMIN = "admin"  # deploy/local_hub.py's --admin default: the hub administrator
TRAINEE_PAGE = "voila/render/trainee.ipynb"


@dataclass
class Hub:
    base: str
    state: dict
    dir: Path

    @property
    def service(self) -> str:
        return f"{self.base}/services/trove/"

    @property
    def tls_cert(self) -> str | None:
        """The certificate a client trusts for the public URL (``start_hub(tls=True)``), else None."""
        return self.state.get("tls_cert")

    def client(self) -> requests.Session:
        """An HTTP client of the public URL, checking its certificate under TLS."""
        s = requests.Session()
        if self.tls_cert:
            s.verify = self.tls_cert
            s.trust_env = False  # else REQUESTS_CA_BUNDLE, when set, replaces the certificate to check against
        return s

    def session(self, user: str, *, follow: bool = True) -> requests.Session:
        """A logged-in HTTP client of ``user``. ``follow=False`` stops at the hub's login (no page is opened)."""
        s = self.client()
        s.get(f"{self.base}/hub/login")
        r = s.post(
            f"{self.base}/hub/login",
            data={"username": user, "password": PASSWORD, "_xsrf": s.cookies["_xsrf"]},
            allow_redirects=follow,
        )
        r.raise_for_status()
        if not follow and "jupyterhub-hub-login" not in s.cookies:
            raise RuntimeError(f"{user} was not logged in (HTTP {r.status_code})")
        return s

    def service_login(self, s: requests.Session, page: str = TRAINEE_PAGE) -> None:
        """The service's OAuth for a logged-in ``s`` (the redirects a first visit of ``page`` makes), stopping
        before ``page`` itself, which would start a kernel: afterwards ``s``'s cookies open ``page`` directly."""
        url = self.service + page
        for _ in range(10):
            r = s.get(url, allow_redirects=False)
            if r.status_code not in (301, 302, 303, 307):
                raise RuntimeError(f"the service answered {r.status_code} before its login was done")
            url = requests.compat.urljoin(url, r.headers["location"])
            if url == self.service + page:
                return
        raise RuntimeError("the service's login did not end")

    def stop_instance(self, name: str) -> None:
        """Stop one instance as systemd would (SIGTERM: it shuts its kernels down)."""
        os.killpg(self.state["instances"][name]["pid"], signal.SIGTERM)

    def instance_at(self, address: str) -> str:
        port = int(address.rsplit(":", 1)[1])
        return next(name for name, i in self.state["instances"].items() if i["port"] == port)


def cookie_header(s: requests.Session) -> str:
    """``s``'s cookies as one ``Cookie`` header (for a websocket or another HTTP client)."""
    return "; ".join(f"{k}={v}" for k, v in s.cookies.items())


def sign_up(hub: Hub, user: str) -> None:
    s = hub.client()
    s.get(f"{hub.base}/hub/signup")
    form = {"username": user, "signup_password": PASSWORD, "signup_password_confirmation": PASSWORD}
    s.post(f"{hub.base}/hub/signup", data=form | {"_xsrf": s.cookies["_xsrf"]}).raise_for_status()


def approve(approver: requests.Session, hub: Hub, user: str) -> None:
    """``approver`` (the administrator or a trainer, logged in) approves ``user``'s sign-up at /hub/authorize."""
    approver.get(f"{hub.base}/hub/authorize/{user}").raise_for_status()


def start_hub(
    folder: Path, port: int, env: dict[str, str], *, tls: bool = False, seconds: float = 180
) -> tuple[subprocess.Popen, Hub]:
    """deploy/local_hub.py in ``folder`` on ``port`` (the rest follow it: up to ``port`` + 352), with ``env`` added
    to the environment, over https with ``tls``; returns once every part answers. Raises RuntimeError with its
    log's end if it does not."""
    folder.chmod(0o711)  # PostgreSQL's user (not root) reaches its cluster inside
    log = open(folder / "local_hub.log", "w")  # kept open for the process's life
    command = [sys.executable, str(ROOT / "deploy" / "local_hub.py"), "--dir", str(folder), "--port", str(port)]
    process = subprocess.Popen(
        command + (["--tls"] if tls else []),
        cwd=ROOT,
        env=os.environ | env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    state_file = folder / "state.json"
    deadline = time.monotonic() + seconds
    while not state_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            stop_hub(process)
            raise RuntimeError(f"the local hub did not come up: {(folder / 'local_hub.log').read_text()[-3000:]}")
        time.sleep(0.5)
    state = json.loads(state_file.read_text())
    return process, Hub(state["url"].removesuffix("/hub/login"), state, folder)


def stop_hub(process: subprocess.Popen) -> None:
    """SIGTERM to local_hub.py's process group (it stops its parts in reverse), SIGKILL after 60 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
