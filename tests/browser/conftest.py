"""Browser journeys: a real ``trove serve`` (Voilà) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


TRAINER_SECRET = "test-trainer-secret"


class Server:
    def __init__(self, tmp: Path, *extra: str, env: dict[str, str] | None = None, port: int | None = None):
        self.port = port or free_port()
        self.db = tmp / "results.sqlite"
        self.log = open(tmp / f"server-{self.port}.log", "w")
        self.extra = extra
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        command = [
            sys.executable,
            "-m",
            "sim",
            "serve",
            "--port",
            str(self.port),
            "--db",
            str(self.db),
            "--trainer-secret",
            TRAINER_SECRET,
            *self.extra,
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=os.environ | self.env,
        )
        wait_for(f"http://127.0.0.1:{self.port}/voila/static/voila.js")  # cheap: does not start a kernel
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 2)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/trainee.ipynb"

    @property
    def trainer_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/trainer.ipynb"

    @property
    def designer_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/designer.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(
        tmp_path_factory.mktemp("serve"),
        "--exercises",
        "intake-basics,verification",
        "--workshop",
        "Test workshop",
        "--code",
        "",
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed: run `make test` (it installs it) or `apt-get install chromium`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
