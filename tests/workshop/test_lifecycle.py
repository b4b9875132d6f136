"""``trove serve``'s life cycle: real servers, real signals. Every stop leaves no process and frees the port; a
restart keeps the workshop code and the trainer secret; no notebook tree is served and no path climbs out."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from sim.workshop.fork_server import is_kernel
from sim.workshop.serve import ServeConfig, banner, prepare
from sim.workshop.stores import open_store

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    """A running ``trove serve`` (in its own process group, as a terminal would run it) and its start banner."""

    process: subprocess.Popen
    port: int
    db: Path
    banner: str

    def field(self, label: str) -> str:
        """The value after a banner label, Vietnamese · English (the English ``label`` is given)."""
        return re.search(rf"^  .+ · {label}:\s+(\S+)", self.banner, re.MULTILINE).group(1)

    def get(self, path: str) -> tuple[int, str | None, str]:
        """The status, ``Location`` header and body of a GET of ``path``, sent as written (``%2f`` stays encoded)
        and not followed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Location"), response.read().decode(errors="replace")
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on ``port`` now (as Voilà does, with SO_REUSEADDR)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def start(db: Path, *options: str) -> Served:
    port = free_port()
    log = db.parent / f"serve-{port}.log"
    command = [sys.executable, "-m", "sim", "serve", "--port", str(port), "--db", str(db), *options]
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    served = Served(process, port, db, "")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if served.get("/voila/static/voila.js")[0] == 200:  # cheap: starts no kernel
                served.banner = log.read_text()
                return served
        except OSError:
            pass
        time.sleep(0.2)
    kill(served)
    raise RuntimeError(f"trove serve did not start:\n{log.read_text()}")


def kernels_and_voila(db: Path) -> list[psutil.Process]:
    """Every process serving ``db``: Voilà and its kernels carry it in their environment (``TROVE_DB``)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("TROVE_DB") == str(db) and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stop(served: Served, sig: signal.Signals, *, group: bool = False) -> None:
    """Send ``sig`` (to the process group, as the terminal's Ctrl-C does, if ``group``); fail unless within 10 s
    no process is left and the port is free."""
    began = time.monotonic()
    (os.killpg if group else os.kill)(served.process.pid, sig)
    while time.monotonic() - began < 10:
        if served.process.poll() is not None and not kernels_and_voila(served.db) and port_is_free(served.port):
            return
        time.sleep(0.1)
    left = [" ".join(p.cmdline()[:3]) for p in kernels_and_voila(served.db)]
    pytest.fail(f"{sig.name}: still running after 10 s: trove serve {served.process.poll() is None}, {left}")


def kill(served: Served) -> None:
    """Kill whatever a test left running."""
    for process in kernels_and_voila(served.db):
        process.kill()
    served.process.kill()
    served.process.wait()


@pytest.fixture
def served(tmp_path) -> Served:
    """The default workshop with a preheated kernel, killed at the end whatever the test did."""
    server = start(tmp_path / "results.sqlite", "--pool", "1")
    yield server
    kill(server)


@pytest.fixture(scope="module")
def restarted(tmp_path_factory) -> tuple[Served, Served]:
    """A named workshop served, stopped (Ctrl-C) and served again on the same results file."""
    db = tmp_path_factory.mktemp("restart") / "results.sqlite"
    first = start(db, "--workshop", "Lifecycle")
    try:
        stop(first, signal.SIGINT, group=True)
    finally:
        kill(first)
    second = start(db, "--workshop", "Lifecycle")
    yield first, second
    kill(second)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "group"),
    [(signal.SIGTERM, False), (signal.SIGINT, True), (signal.SIGHUP, False)],
    ids=["kill -TERM", "Ctrl-C", "kill -HUP"],
)
def test_a_stop_signal_stops_voila_and_every_kernel_and_frees_the_port(served, sig, group):
    assert served.get("/voila/render/trainee.ipynb")[0] == 200  # a visitor's kernel, beside the preheated one
    running = kernels_and_voila(served.db)
    kernels = [p for p in running if is_kernel(p.name(), " ".join(p.cmdline()))]
    assert len(running) >= 2 and kernels  # Voilà and its kernels (forked from its warm parent on Linux)
    stop(served, sig, group=group)
    assert served.process.returncode == 0


@pytest.mark.slow
def test_a_restart_keeps_the_workshop_code_and_the_trainer_secret(restarted):
    first, second = restarted
    assert second.banner.splitlines()[0] == "Trở về — Lifecycle"
    code, secret = second.field("workshop code"), second.field("trainer secret")
    assert (code, secret) == (first.field("workshop code"), first.field("trainer secret"))
    kept = Path(second.field("secret kept in"))
    assert kept.parent == second.db.parent and kept.read_text().strip() == secret
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    store = open_store(second.db)
    assert store.workshop("lifecycle")["code"] == code and store.check_trainer_secret("lifecycle", secret)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/voila/tree", "/voila/tree/", "/tree", "/voila/api/contents/"])
def test_no_notebook_tree_or_listing_is_served(restarted, path):
    status, _, body = restarted[1].get(path)
    assert status == 404 and "trainer.ipynb" not in body


@pytest.mark.slow
def test_the_bare_address_leads_to_the_trainee_app(restarted):
    assert restarted[1].get("/?code=ABC234")[:2] == (302, "/voila/render/trainee.ipynb?code=ABC234")


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/voila/templates/..%2f..%2fREADME.md",
        "/voila/templates/trove",
        "/voila/render/..%2fREADME.md",
        "/voila/render/%2e%2e%2fREADME.md",
        "/voila/files/..%2fREADME.md",
        "/voila/static/..%2f..%2fREADME.md",
    ],
)
def test_a_path_climbing_out_or_malformed_answers_404(restarted, path):
    assert restarted[1].get(path)[0] == 404


def test_a_given_trainer_secret_is_used_and_kept_for_the_next_runs(tmp_path):
    db = str(tmp_path / "results.sqlite")
    prepare(ServeConfig(db=db))
    given = ServeConfig(db=db, trainer_secret="given-secret")
    prepare(given)
    assert given.secret_file.read_text().strip() == "given-secret"
    later = ServeConfig(db=db)
    prepare(later)
    assert later.trainer_secret == "given-secret" and open_store(db).check_trainer_secret("tro-ve", "given-secret")


def test_a_kept_secret_file_is_made_private_again(tmp_path):
    config = ServeConfig(db=str(tmp_path / "results.sqlite"))
    config.secret_file.write_text("kept\n")
    config.secret_file.chmod(0o644)
    prepare(config)
    assert config.trainer_secret == "kept" and stat.S_IMODE(config.secret_file.stat().st_mode) == 0o600


def test_the_banner_names_the_default_workshop_once_and_where_the_secret_is_kept(tmp_path):
    config = ServeConfig(db=str(tmp_path / "results.sqlite"), trainer_secret="s3cret")
    lines = banner(config).splitlines()
    assert lines[0] == "Trở về"
    kept = next(line for line in lines if "secret kept in:" in line)
    assert kept.startswith("  Mã giảng viên lưu ở · secret kept in:") and f" {config.secret_file}   (" in kept
    assert "readable only by you;" in kept and "chỉ bạn đọc được" in kept
