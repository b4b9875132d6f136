"""Trainee-app benchmark on this machine, against a real ``trove serve`` and Debian's Chromium.

Measures (numbers recorded in docs/performance.md):
  1. cold time from request to an interactive join screen (new browser context and new kernel each run,
     no preheated kernels), median and max of --runs;
  2. RSS of a trainee's kernel after the first case is shown.
Scoring throughput is measured by ``benchmarks/throughput.py``.

Run: ``.venv/bin/python benchmarks/trainee_app.py [--runs 5]`` (needs ``chromium`` on PATH).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.workshop.fork_server import is_kernel
from tests.browser.conftest import CHROMIUM_ARGS, Server


def _parent(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        pid = _parent(pid)
        if pid == ancestor:
            return True
    return False


def kernel_rss_mib(server_pid: int) -> list[float]:
    """RSS of every kernel process under the server (``trove serve`` → voila → kernels), from /proc."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (proc / "status").read_text()
            name = (proc / "comm").read_text().strip()
        except OSError:
            continue
        if is_kernel(name, cmdline) and _descends_from(int(proc.name), server_pid):
            rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            found.append(round(rss / 1024, 1))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pool", type=int, default=0, help="preheated kernels (0 = cold start, the target's case)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = Server(Path(tempfile.mkdtemp()), "--exercises", "intake-basics", "--pool", str(args.pool)).start()
    if args.pool:
        time.sleep(10 + 3 * args.pool)  # let the pool fill
    times, memory = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            for run in range(args.runs):
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(server.url)
                page.get_by_role("button", name="Bắt đầu").wait_for(timeout=60_000)
                times.append(time.perf_counter() - start)
                if run == 0:
                    page.get_by_label("Họ và tên").first.fill("Benchmark")
                    page.get_by_label("Xã / phường công tác").fill("xã Phan Sơn")
                    page.get_by_role("button", name="Bắt đầu").click()
                    page.get_by_text("Hỏi chuyện, hành động").wait_for(timeout=60_000)
                    time.sleep(1)
                    memory = kernel_rss_mib(server.process.pid)
                context.close()
                time.sleep(1.5)  # let the closed page's kernel shut down
            browser.close()
    finally:
        server.stop()
    print(
        json.dumps(
            {
                "pool": args.pool,
                "join_screen_seconds": {
                    "median": round(statistics.median(times), 2),
                    "max": round(max(times), 2),
                    "runs": [round(t, 2) for t in times],
                },
                "kernel_rss_mib_after_first_case": memory,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
