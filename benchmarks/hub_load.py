"""Load benchmark through the hub: N simulated officers log in and complete a case at once on the local hub.

The deployment is ``make hub``'s (deploy/local_hub.py: PostgreSQL, JupyterHub with its proxy, nginx, 2 app
instances), brought up the way the hub's tests do it (tests/hub_server.py). The accounts are signed up and the
administrator approves them, as before a session, and each instance preheats its share of the room (``TROVE_ROOM``, as ``trove
serve --room`` does). Then every officer at once: logs in on the hub's page, goes
through the service's OAuth, loads the trainee page through the proxy and nginx, and drives its widgets over the
page's kernel websocket exactly as benchmarks/load.py does (its ``one_trainee``, with the login's cookies). Then
every answer and question is read back from the PostgreSQL store.

In the same run, for comparison, the same workload against ``trove serve`` with SQLite on one instance
(``benchmarks/load.py``'s ``run_load``, with ``--room N``: one laptop's way to take a room that joins at once).

Run: ``.venv/bin/python benchmarks/hub_load.py --trainees 80 [--spread 60] [--json FILE]`` (numbers in
docs/performance.md; ``--spread S``: the officers arrive evenly over S seconds instead of all at once).
Reports, for each: completed, answers lost, action, page-load and form (until the profile or join form is on the
page) median and 95th percentile, memory per trainee (the peak PSS sum and RSS sum of the instances and their
kernels over N; and the machine's memory in use at the peak beyond what it used before the deployment started,
which counts the hub, CHP, nginx, PostgreSQL and this client too), the ratios hub / serve, and
the machine's load average and busiest processes before each wave (other work on the same cores).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from benchmarks.load import machine_used_mib, one_trainee, run_load, summarize, wave
from sim.workshop.hub_instance import SERVICE_PREFIX
from sim.workshop.serve import READY_PATH
from tests.hub_server import ADMIN, Hub, approve, cookie_header, sign_up, start_hub, stop_hub

HUB_PORT = 18600  # the hub's public URL; its parts follow it, up to HUB_PORT + 352 (deploy/local_hub.py)
SERVE_PORT = 18990  # trove serve, for the comparison
INSTANCES = 2  # deploy/local_hub.py's default


def busiest(seconds: float = 2.0, most: int = 8) -> list[str]:
    """The processes that used the most CPU over ``seconds`` (other work on the machine), as ``"37% command"``."""

    def ticks() -> dict[int, tuple[int, str]]:
        found = {}
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
                except OSError:
                    continue
                found[int(proc.name)] = (int(fields[11]) + int(fields[12]), command[:90])
        return found

    before = ticks()
    time.sleep(seconds)
    after = ticks()
    hz = os.sysconf("SC_CLK_TCK")
    used = sorted(
        ((t - before[pid][0]) / hz / seconds, cmd) for pid, (t, cmd) in after.items() if pid in before and cmd
    )[::-1]
    return [f"{share:.0%} {cmd}" for share, cmd in used[:most] if share >= 0.05]


def machine() -> dict:
    return {"load_average": [round(x, 2) for x in os.getloadavg()], "busiest": busiest()}


def prepare_accounts(hub: Hub, users: list[str]) -> None:
    """Sign up the administrator and ``users``; the administrator approves every sign-up (as before a session)."""
    sign_up(hub, ADMIN)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda user: sign_up(hub, user), users))
        admin = hub.session(ADMIN, follow=False)
        list(pool.map(lambda user: approve(admin, hub, user), users))


def wait_for_pools(hub: Hub, pool: int, seconds: float = 300) -> None:
    """Until every instance has ``pool`` preheated pages ready (its ``READY_PATH``, which nginx does not serve): its
    room, else its ``TROVE_POOL``."""
    deadline = time.monotonic() + seconds
    for instance in hub.state["instances"].values():
        url = f"http://127.0.0.1:{instance['port']}{SERVICE_PREFIX}{READY_PATH}"
        while requests.get(url, timeout=30).json()["ready"] < pool:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url}: the pool was not ready within {seconds} s")
            time.sleep(0.5)


async def one_officer(hub: Hub, index: int, results: dict, logins: list, think: float, pool, arrive: float) -> None:
    """After ``arrive`` seconds, log in on the hub (its page's form, then the service's OAuth), then
    ``load.one_trainee`` with its cookies."""
    await asyncio.sleep(arrive)

    def log_in():
        s = hub.session(f"tai{index:02d}", follow=False)
        hub.service_login(s)
        return s

    start = time.perf_counter()
    try:
        s = await asyncio.get_running_loop().run_in_executor(pool, log_in)
    except Exception as exc:  # counted as not completed
        results[f"tai{index:02d}"] = {"ok": False, "error": f"login: {exc!r}"[:200], "timings": [], "page": 0.0}
        return
    logins.append(time.perf_counter() - start)
    headers = {"Cookie": cookie_header(s), "Origin": hub.base}
    await one_trainee(hub.service.removeprefix("http://").rstrip("/"), index, results, think, headers=headers)


async def hub_wave(hub: Hub, n: int, think: float, spread: float, used_before: float) -> dict:
    """Every officer at once (``spread`` 0), or arriving evenly over ``spread`` seconds."""
    results: dict = {}
    logins: list[float] = []
    pids = [i["pid"] for i in hub.state["instances"].values()]
    with ThreadPoolExecutor(n) as pool:
        tasks = [
            asyncio.ensure_future(one_officer(hub, i, results, logins, think, pool, i * spread / n)) for i in range(n)
        ]
        wall, peak_pss, peak_rss, peak_used = await wave(tasks, pids)
    summary = summarize(results, hub.state["results"], wall, peak_pss, peak_rss, peak_used - used_before)
    logins.sort()
    summary["login_median_s"] = round(logins[len(logins) // 2], 2) if logins else None
    summary["login_p95_s"] = round(logins[max(0, int(0.95 * len(logins)) - 1)], 2) if logins else None
    return summary


def run_hub(n: int, pool: int, room: int, think: float, spread: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="trove-hub-load-"))
    env = {"TROVE_WORKSHOP_EXERCISES": "intake-basics", "TROVE_TRAINERS": ""}
    env |= {"TROVE_POOL": str(pool), "TROVE_ROOM": str(room)}
    began, used_before = time.perf_counter(), machine_used_mib()
    process, hub = start_hub(folder, HUB_PORT, env)
    try:
        prepare_accounts(hub, [f"tai{i:02d}" for i in range(n)])
        wait_for_pools(hub, room or pool)
        ready_s = round(time.perf_counter() - began, 1)
        before = machine()
        summary = asyncio.run(hub_wave(hub, n, think, spread, used_before))
        after = os.getloadavg()
    finally:
        stop_hub(process)
    return {
        "setup": "hub: JupyterHub + CHP + nginx + 2 instances + PostgreSQL",
        "trainees": n,
        "pool_per_instance": pool,
        "room_per_instance": room,
        "think_s": think,
        "arrivals_over_s": spread,
        "ready_s": ready_s,  # up, accounts approved, rooms (or pools) preheated
        **summary,
        "machine_before": before,
        "load_average_after": [round(x, 2) for x in after],
        "dir": str(folder),
    }


def run_serve(n: int, think: float, room: int) -> dict:
    before = machine()
    summary = asyncio.run(run_load(n, 0, think, room=room, port=SERVE_PORT))
    return {
        "setup": f"trove serve --room {room}, SQLite, 1 instance",
        **summary,
        "machine_before": before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def ratios(hub: dict, serve: dict) -> dict:
    keys = ("action_median_s", "action_p95_s", "page_median_s", "page_p95_s", "form_median_s", "form_p95_s")
    keys += ("rss_mib_per_trainee", "mib_per_trainee", "machine_mib_per_trainee")
    return {k: round(hub[k] / serve[k], 2) if hub.get(k) and serve.get(k) else None for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=80)
    parser.add_argument("--pool", type=int, default=4, help="preheated kernels per hub instance without a room")
    parser.add_argument(
        "--room",
        type=int,
        help="officers each hub instance expects (TROVE_ROOM; default: N over the 2 instances; 0: none)",
    )
    parser.add_argument("--think", type=float, default=1.0, help="seconds before each action (±50 %%), as load.py")
    parser.add_argument(
        "--spread", type=float, default=0.0, help="officers arrive evenly over this many seconds (0: all at once)"
    )
    parser.add_argument("--serve-room", type=int, help="trove serve's --room for the comparison (default: N)")
    parser.add_argument("--no-serve", action="store_true", help="the hub only (no comparison)")
    parser.add_argument("--json", type=Path, help="also write the summaries to this file (a JSON object)")
    args = parser.parse_args()
    room = -(-args.trainees // INSTANCES) if args.room is None else args.room
    report = {"machine_at_start": machine(), "hub": run_hub(args.trainees, args.pool, room, args.think, args.spread)}
    print(json.dumps(report["hub"]), flush=True)
    if not args.no_serve:
        report["serve"] = run_serve(args.trainees, args.think, args.serve_room or args.trainees)
        print(json.dumps(report["serve"]), flush=True)
        report["hub / serve"] = ratios(report["hub"], report["serve"])
        print(json.dumps({"hub / serve": report["hub / serve"]}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
