"""Load benchmark: N simulated trainees join and complete a case at once against ``trove serve``.

Each simulated trainee loads the trainee page over HTTP, then drives its widgets over the page's
kernel websocket exactly as the browser does (``comm_info_request``, ``request_state``, state updates,
button clicks) — no browser. It joins, asks four questions, answers every decision point, submits and
checks it sees its score. Afterwards the store is read back: every answer sent must be there.

Run: ``.venv/bin/python benchmarks/load.py --trainees 10 20 40`` (numbers in docs/performance.md);
``--room N`` serves with ``trove serve --room N`` and starts the wave only once the room is ready (its
``ready_s`` is reported); ``--json FILE`` writes the summaries as a JSON list, one per N. Reports per N:
completed, answers lost, median and 95th-percentile response time per action, the page-load times (from the
request until the join form is on the page: under a hub, the profile form, once the visit has named the login),
and peak memory of the server plus its kernels.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.trainee_app import _descends_from
from sim.ui.i18n import t
from sim.workshop.serve import ServeConfig, wait_for_room
from tests.browser.conftest import Server

V1 = "v1.kernel.websocket.jupyter.org"
# The radio choices that complete each decision point's form (a form saves once every radio is chosen).
DP_CHOICES = [
    ("D1", ["opt_receive_receive"]),
    ("D2", ["opt_statement_officer_writes"]),
    ("D3", ["opt_message_support_now"]),
    ("D4", ["opt_timing_immediately"]),
    ("D5", ["opt_conclusion_possible_victim_refer"]),
    ("D6", ["opt_verification_needed"]),
    ("D7", ["opt_consent_with_consent", "opt_if_refused_record_refusal"]),
    ("D8", ["opt_share_only_with_consent"]),
    ("D9", ["opt_return_home_escort"]),
]


class WidgetClient:
    """One trainee's page: the kernel websocket and the widget models it knows."""

    def __init__(self, base: str, name: str, think: float = 0.0, headers: dict[str, str] | None = None):
        """``base``: host:port and path prefix of the server (``127.0.0.1:18600/services/trove`` behind the hub);
        ``headers``: sent with the page and the websocket's handshake (the hub's login cookies and their origin)."""
        self.base, self.name, self.think, self.headers = base, name, think, headers or {}
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.idle: dict[str, asyncio.Future] = {}
        self.replies: dict[str, asyncio.Future] = {}
        self.timings: list[float] = []
        self.labels: list[str] = []
        self.opened_at = self.page_seconds = self.form_seconds = 0.0

    async def open(self) -> None:
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest
        from tornado.websocket import websocket_connect

        start = self.opened_at = time.perf_counter()
        AsyncHTTPClient.configure(None, max_clients=500)  # every trainee loads its page at once, as in a room
        page = (
            await AsyncHTTPClient().fetch(
                f"http://{self.base}/voila/render/trainee.ipynb",
                headers=self.headers,
                request_timeout=300,
                connect_timeout=300,
            )
        ).body.decode()
        self.page_seconds = time.perf_counter() - start
        kernel, root = (
            re.search(r'"kernelId": "([^"]+)"', page),
            re.search(r'widget-view\+json": \{"model_id": "([0-9a-f]+)"', page),
        )
        if not (kernel and root):
            dump = Path(tempfile.gettempdir()) / f"trove-load-page-{uuid.uuid4().hex[:8]}.html"
            dump.write_text(page, encoding="utf-8")
            raise RuntimeError(f"the page has no running app (saved to {dump})")
        kernel, root = kernel.group(1), root.group(1)
        # The binary v1 protocol, as browsers speak it (the legacy JSON protocol stalled under a burst of widgets).
        self.ws = await websocket_connect(
            HTTPRequest(
                f"ws://{self.base}/api/kernels/{kernel}/channels?session_id={self.session}", headers=self.headers
            ),
            max_message_size=64 << 20,
            subprotocols=[V1],
        )
        self.reader = asyncio.ensure_future(self._read())
        reply = await self._shell("comm_info_request", {"target_name": "jupyter.widget"}, want_reply=True)
        await asyncio.gather(*(self._request_state(comm) for comm in reply["content"]["comms"]))
        assert root in self.models, "the root widget was not found"

    async def _read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                print(f"{self.name}: websocket closed ({self.ws.close_code} {self.ws.close_reason})", file=sys.stderr)
                return
            try:
                msg = self._decode(raw)
            except Exception as exc:  # keep reading: one odd frame must not stall the client
                print(f"{self.name}: undecodable frame ({exc!r})", file=sys.stderr)
                continue
            kind, parent = msg["header"]["msg_type"], (msg.get("parent_header") or {}).get("msg_id")
            content = msg.get("content") or {}
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
            elif kind == "comm_msg" and (content.get("data") or {}).get("method") in ("update", "echo_update"):
                self.models.setdefault(content["comm_id"], {}).update(content["data"].get("state", {}))
            elif kind == "comm_close":
                self.models.pop(content.get("comm_id"), None)
            if parent in self.replies and kind.endswith("_reply"):
                self.replies.pop(parent).set_result(msg)
            if kind == "status" and content.get("execution_state") == "idle" and parent in self.idle:
                self.idle.pop(parent).set_result(True)

    @staticmethod
    def _decode(raw: str | bytes) -> dict:
        """A v1 frame: channel, header, parent header, metadata, content (then binary buffers)."""
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        if isinstance(raw, str):
            return json.loads(raw)
        _, parts = deserialize_msg_from_ws_v1(raw)
        header, parent, metadata, content = (json.loads(p) for p in parts[:4])
        return {"header": header, "parent_header": parent, "metadata": metadata, "content": content}

    async def _shell(self, kind: str, content: dict, want_reply: bool = False) -> dict:
        msg_id = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self.idle[msg_id] = done
        reply = loop.create_future()
        if want_reply:
            self.replies[msg_id] = reply
        from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

        message = {
            "header": {
                "msg_id": msg_id,
                "msg_type": kind,
                "session": self.session,
                "username": self.name,
                "date": "",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
        }
        await self.ws.write_message(
            serialize_msg_to_ws_v1(message, "shell", lambda part: json.dumps(part).encode()), binary=True
        )
        await asyncio.wait_for(done, timeout=120)
        return await asyncio.wait_for(reply, timeout=120) if want_reply else {}

    async def _request_state(self, comm_id: str) -> None:
        await self._shell("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})

    async def act(self, comm_id: str, data: dict, label: str = "") -> None:
        """One user action; its response time runs until the kernel is idle again (the callback has finished).
        Before it, the simulated person thinks for ``think`` seconds (±50 %), as people do."""
        if self.think:
            await asyncio.sleep(self.think * (0.5 + random.random()))
        start = time.perf_counter()
        await self._shell("comm_msg", {"comm_id": comm_id, "data": data})
        self.timings.append(time.perf_counter() - start)
        self.labels.append(label or self.models.get(comm_id, {}).get("_model_name", "?"))

    async def until_shown(self, model: str, timeout: float = 180, **where: object) -> None:
        """Wait until the kernel has made that widget (``form_seconds``: from the page's request). Under a hub the
        profile form comes only once the visit has named the login, a moment after the page: a person cannot
        fill it before, and neither may this client."""
        deadline = time.perf_counter() + timeout
        while not self.has(model, **where):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no form {timeout:.0f} s after the page; it shows: {self.visible_text()[-120:]!r}")
            await asyncio.sleep(0.1)
        self.form_seconds = time.perf_counter() - self.opened_at

    def has(self, model: str, **where: object) -> bool:
        try:
            self.find(model, **where)
        except LookupError:
            return False
        return True

    def find(self, model: str, **where: object) -> str:
        for comm_id, state in self.models.items():
            if state.get("_model_name") == model and all(state.get(k) == v for k, v in where.items()):
                return comm_id
        raise LookupError(f"{self.name}: no {model} with {where}")

    def visible_text(self) -> str:
        """The text of the page's HTML and label widgets, tags removed (what a person would read)."""
        values = (
            str(state.get("value", ""))
            for state in self.models.values()
            if state.get("_model_name") in ("HTMLModel", "LabelModel", "HTMLMathModel")
        )
        return " | ".join(
            text for text in (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", v)).strip() for v in values) if text
        )

    async def set(self, comm_id: str, **state: object) -> None:
        await self.act(comm_id, {"method": "update", "state": state, "buffer_paths": []})

    async def click(self, description: str) -> None:
        await self.act(
            self.find("ButtonModel", description=description),
            {"method": "custom", "content": {"event": "click"}},
            f"click {description[:25]}",
        )

    async def choose(self, label: str) -> None:
        for comm_id, state in self.models.items():
            if state.get("_model_name") == "RadioButtonsModel" and label in state.get("_options_labels", []):
                await self.set(comm_id, index=state["_options_labels"].index(label))
                return
        raise LookupError(f"{self.name}: no radio option {label!r}")


async def one_trainee(
    base: str, index: int, results: dict, think: float, headers: dict[str, str] | None = None
) -> None:
    name = f"Học viên tải {index:02d} (hư cấu)"
    client = WidgetClient(base, name, think, headers)
    try:
        await client.open()
        await client.until_shown("TextModel", description=t("full_name"))
        await client.set(client.find("TextModel", description=t("full_name")), value=name)
        await client.set(client.find("ComboboxModel", description=t("commune_field")), value="xã Phan Sơn")
        await client.click(t("join_button"))
        questions = [
            s["description"]
            for s in client.models.values()
            if s.get("_model_name") == "ButtonModel" and s.get("description", "").startswith(("Mời", "Hỏi"))
        ][:4]
        if not questions:  # say what the page shows instead (a refusal, a message), not a later missing button
            raise RuntimeError(f"no case after joining; the page shows: {client.visible_text()[-120:]!r}")
        for question in questions:
            await client.click(question)
        expected = []
        for dp, labels in DP_CHOICES:
            try:
                await client.click(t(f"dp_{dp}"))  # its header opens the panel (building the form)
            except LookupError:
                continue  # that decision point is not active in this scenario
            for label in labels:
                await client.choose(t(label))
            expected.append(dp)
        await client.click(t("submit"))
        await client.click(t("submit_yes"))
        scored = any("trove-score" in str(s.get("value", "")) for s in client.models.values())
        results[name] = {
            "ok": scored,
            "timings": client.timings,
            "labels": client.labels,
            "page": client.page_seconds,
            "form": client.form_seconds,
            "questions": questions,
            "answers": expected,
        }
    except Exception as exc:  # a failed trainee is counted, not hidden
        results[name] = {"ok": False, "error": repr(exc)[:200], "timings": client.timings, "page": client.page_seconds}
    finally:
        if getattr(client, "ws", None):
            client.ws.close()


def lost_answers(store: str | Path, results: dict) -> int:
    """Questions asked and decision points answered that the store (a SQLite file or a PostgreSQL URL) does not
    hold, over all trainees."""
    from sim.workshop.stores import open_store

    results_store = open_store(store)
    workshop = results_store.only_workshop()
    lost = 0
    for name, r in results.items():
        rows = [
            (e["kind"], e["key"])
            for trainee in results_store.trainees_by_name(workshop, name)
            for attempt in results_store.attempts_of(trainee.id)
            for e in results_store.events(attempt.id)
        ]
        asked = {key for kind, key in rows if kind == "action"}
        answered = {key for kind, key in rows if kind == "answer"}
        lost += max(0, len(r.get("questions", [])) - len(asked)) + len(set(r.get("answers", [])) - answered)
    return lost


def tree_memory_mib(pid: int) -> tuple[float, float]:
    """The memory of ``pid`` and its descendants: (the sum of proportional set sizes, the sum of resident sizes).

    PSS counts a page shared by k processes as 1/k in each, so its sum is the memory the tree really takes;
    the RSS sum counts shared pages once per process (forked kernels share most of theirs)."""
    pss = rss = 0
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and (int(proc.name) == pid or _descends_from(int(proc.name), pid)):
            with contextlib.suppress(OSError, StopIteration):
                fields = dict(
                    line.split(":", 1) for line in (proc / "smaps_rollup").read_text().splitlines()[1:] if ":" in line
                )
                pss += int(fields["Pss"].split()[0])
                rss += int(fields["Rss"].split()[0])
    return round(pss / 1024, 1), round(rss / 1024, 1)


def p95(values: list[float]) -> float | None:
    """The 95th percentile of sorted ``values`` (the value below which 95 % lie), or None for none."""
    return values[max(0, int(0.95 * len(values)) - 1)] if values else None


def machine_used_mib() -> float:
    """The machine's memory in use (MemTotal − MemAvailable of /proc/meminfo), in MiB: what every process takes,
    shared pages once, with no choice of which processes count."""
    info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    return round((int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) / 1024, 1)


async def wave(tasks: list[asyncio.Future], pids: list[int]) -> tuple[float, float, float, float]:
    """Wait for ``tasks`` (one per trainee, started together), sampling the memory of ``pids`` and their
    descendants every 0.5 s: (wall seconds, peak PSS sum, peak RSS sum, peak ``machine_used_mib``, in MiB)."""
    start = time.perf_counter()
    peak = peak_rss = peak_used = 0.0
    while not all(task.done() for task in tasks):
        pss, rss = (sum(values) for values in zip(*(tree_memory_mib(pid) for pid in pids), strict=True))
        peak, peak_rss, peak_used = max(peak, pss), max(peak_rss, rss), max(peak_used, machine_used_mib())
        await asyncio.sleep(0.5)
    return time.perf_counter() - start, round(peak, 1), round(peak_rss, 1), peak_used


def summarize(results: dict, store: str | Path, wall: float, peak: float, peak_rss: float, machine: float) -> dict:
    """One wave's numbers: completed, lost (read back from ``store``), action and page times, memory per trainee
    (``machine``: the machine's memory in use at the peak beyond what it used before the server started)."""
    n = len(results)
    timings = sorted(x for r in results.values() for x in r["timings"])
    by_label: dict[str, list[float]] = {}
    for r in results.values():
        for label, x in zip(r.get("labels", []), r["timings"], strict=False):
            by_label.setdefault(label.split(" ")[0] if not label.startswith("click") else label, []).append(x)
    slowest = sorted(((round(statistics.median(v), 2), k) for k, v in by_label.items()), reverse=True)[:5]
    pages = sorted(r["page"] for r in results.values())
    forms = sorted(r["form"] for r in results.values() if r.get("form"))
    action_p95 = p95(timings)
    return {
        "completed": sum(r["ok"] for r in results.values()),
        "lost": lost_answers(store, results),
        "actions": len(timings),
        "action_median_s": round(statistics.median(timings), 3) if timings else None,
        "action_p95_s": round(action_p95, 3) if action_p95 is not None else None,
        "page_median_s": round(statistics.median(pages), 2),
        "page_p95_s": round(p95(pages), 2),
        "page_max_s": round(max(pages), 2),
        "form_median_s": round(statistics.median(forms), 2) if forms else None,
        "form_p95_s": round(p95(forms), 2) if forms else None,
        "wall_s": round(wall, 1),
        "peak_mib": peak,
        "mib_per_trainee": round(peak / n, 1),
        "peak_rss_sum_mib": peak_rss,
        "rss_mib_per_trainee": round(peak_rss / n, 1),
        "machine_mib": round(machine, 1),
        "machine_mib_per_trainee": round(machine / n, 1),
        "slowest_actions_median_s": slowest,
        "errors": sorted({r["error"] for r in results.values() if "error" in r})[:3],
    }


async def run_load(n: int, pool: int, think: float, room: int = 0, fork: bool = True, port: int = 0) -> dict:
    tmp = Path(tempfile.mkdtemp())
    began, used_before = time.perf_counter(), machine_used_mib()
    sizing = ("--room", str(room)) if room else ("--pool", str(pool))
    kernels = () if fork else ("--no-fork-kernels",)
    server = Server(tmp, "--exercises", "intake-basics", *sizing, *kernels, port=port or None).start()
    ready_s = None
    try:
        if room:
            if not wait_for_room(ServeConfig(port=server.port, room=room), server.process, every=0.25):
                raise RuntimeError(f"trove serve ended before its room was ready (see {server.log.name})")
            ready_s = round(time.perf_counter() - began, 1)
        elif pool:
            await asyncio.sleep(5 + 2 * pool)
        base = f"127.0.0.1:{server.port}"
        results: dict = {}
        tasks = [asyncio.ensure_future(one_trainee(base, i, results, think)) for i in range(n)]
        wall, peak, peak_rss, peak_used = await wave(tasks, [server.process.pid])
    finally:
        server.stop()
    return {
        "trainees": n,
        "pool": pool,
        "room": room,
        "forked_kernels": fork,
        "ready_s": ready_s,
        "think_s": think,
        **summarize(results, server.db, wall, peak, peak_rss, peak_used - used_before),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--pool", type=int, default=4)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds a simulated person takes before each action (±50 %%); 0 = stress",
    )
    parser.add_argument("--room", type=int, default=0, help="serve with trove serve --room N (0: use --pool)")
    parser.add_argument("--json", type=Path, help="also write the summaries to this file (a JSON list)")
    parser.add_argument(
        "--no-fork", action="store_true", help="serve with --no-fork-kernels (fresh kernel processes: the baseline)"
    )
    args = parser.parse_args()
    summaries = []
    for n in args.trainees:
        summaries.append(asyncio.run(run_load(n, args.pool, args.think, args.room, fork=not args.no_fork)))
        print(json.dumps(summaries[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2))


if __name__ == "__main__":
    main()
