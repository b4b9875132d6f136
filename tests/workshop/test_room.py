"""A room that joins at once (issue 9, items 1–3), on a real ``trove serve --room``: the pool is ready before the
QR code is shown, a flood of pages that never connect stays under the kernel cap and falls back to the pool."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from sim.workshop.fork_server import KERNEL_PROCESS_NAME
from sim.workshop.serve import READY_PATH, ServeConfig
from tests.workshop.test_lifecycle import kernels_and_voila, kill, start, stop

pytestmark = pytest.mark.slow
ROOM = 3


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    served = start(tmp_path_factory.mktemp("room") / "r.sqlite", "--room", str(ROOM), "--code", "")
    log = served.db.parent / f"serve-{served.port}.log"
    deadline = time.monotonic() + 120
    while "trainee URL" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    served.banner = log.read_text()
    yield served
    if served.process.poll() is None:
        import signal

        stop(served, signal.SIGTERM)
    kill(served)


def ready(served) -> dict:
    with urllib.request.urlopen(ServeConfig(port=served.port).local_url(READY_PATH), timeout=10) as answer:
        return json.load(answer)


def test_the_qr_code_is_shown_only_when_the_room_s_kernels_are_ready(room):
    progress, _, after = room.banner.partition("trainee URL")
    assert f"sẵn sàng {ROOM}/{ROOM}" in progress and "█" not in progress  # no QR code before the room is ready
    assert "█" in after
    assert ready(room) == {"ready": ROOM, "room": ROOM, "kernels": ROOM}


@pytest.mark.skipif(sys.platform != "linux", reason="kernels are forked on Linux")
def test_the_room_s_kernels_are_forked_from_one_warm_parent(room):
    serving = kernels_and_voila(room.db)
    kernels = [p for p in serving if p.name() == KERNEL_PROCESS_NAME]
    parents = {p.ppid() for p in kernels}
    assert len(kernels) == ROOM and len(parents) == 1
    warm_parent = next(p for p in serving if p.pid in parents)
    assert "sim.workshop.fork_server" in warm_parent.cmdline()


def test_a_flood_of_unconnected_pages_stays_under_the_cap_and_falls_back_to_the_pool(room):
    """200 GETs of the trainee page (curl-like: no websocket ever connects): never more kernels than the cap, the
    rest answered "phòng đã đầy", and within 90 s of the flood only the room's pool is left (unconnected kernels go
    after 60 s, then the pool refills; the issue's bound, measured on a machine running nothing else)."""
    cap = ServeConfig(room=ROOM).max_kernels
    url = f"http://127.0.0.1:{room.port}/voila/render/trainee.ipynb"

    def fetch(_: int) -> int:
        try:
            with urllib.request.urlopen(url, timeout=180) as answer:
                answer.read()
                return answer.status
        except urllib.error.HTTPError as refused:
            assert "Phòng đã đầy" in refused.read().decode()
            return refused.code

    peak = 0
    with ThreadPoolExecutor(max_workers=50) as flood:
        statuses = flood.map(fetch, range(200))
        while not flood._work_queue.empty():
            peak = max(peak, ready(room)["kernels"])
            time.sleep(0.5)
        statuses = list(statuses)
    peak = max(peak, ready(room)["kernels"])
    assert peak <= cap, (peak, cap)
    assert statuses.count(200) >= ROOM and statuses.count(503) > 0
    assert set(statuses) <= {200, 503}
    flood_over = time.monotonic()
    while time.monotonic() - flood_over < 90:
        if ready(room) == {"ready": ROOM, "room": ROOM, "kernels": ROOM}:
            break
        time.sleep(2)
    assert ready(room) == {"ready": ROOM, "room": ROOM, "kernels": ROOM}
    warm_parent = 1 if sys.platform == "linux" else 0
    assert len(kernels_and_voila(room.db)) == 1 + warm_parent + ROOM  # Voilà, its warm parent and the pool: no more
