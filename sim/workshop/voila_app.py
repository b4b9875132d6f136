"""Voilà as ``trove serve`` runs it (``python -m sim.workshop.voila_app``), shaped for a room that joins at once.

- No notebook tree or contents listing: ``/`` leads to the trainee app; paths with a ``..`` segment, or not
  under a template's ``static``, answer 404 (not a listing or a server error).
- Each page request tells its kernel the client's address (``CLIENT_HEADER``, set here, never taken from the
  client) for the resume-code guess limit, and under a hub (``sim.workshop.hub_instance``) the logged-in user and
  whether they are a trainer (``ACCOUNT_HEADER``, ``TRAINER_HEADER``); the kernel it takes becomes that user's
  (``kernel_owners``, checked by ``sim.workshop.lockdown``), and only its owner may shut it down.
- Kernel starts are paced: at most ``start_slots`` notebooks run their first execution at once, so early
  arrivals get their page first instead of everyone waiting for everyone; with a room-sized pool the pool
  fills that way before the link is shared (``READY_PATH`` reports progress), and refills one kernel at a
  time when the CPU is quiet, never beyond the room plus ``spare``.
- A cap on live kernels (``sim.workshop.serve.kernel_cap``) answers "phòng đã đầy" (``room_full.html.j2`` beside the
  trove template, in the catalog's words) instead of exhausting memory, and a kernel whose page never
  connected (a ``curl`` GET, a prefetch) or lost its connection (a phone closing the tab without
  ``beforeunload``) is shut down ``unconnected_seconds`` after its last activity.

It ignores Ctrl-C and hang-ups, which reach it from the terminal too: ``trove serve`` stops it with one
SIGTERM, on which Voilà shuts every kernel down.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, Integer, Unicode, default
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from sim.locations import VOILA_TEMPLATES
from sim.workshop.fork_provisioner import FORK_PROVISIONER
from sim.workshop.kernel_owners import KernelOwners
from sim.workshop.serve import (
    ACCOUNT_ENV,
    ACCOUNT_HEADER,
    CLIENT_HEADER,
    READY_PATH,
    SPARE_KERNELS,
    TRAINER_HEADER,
    kernel_cap,
)

TRAINEE_NOTEBOOK = "trainee.ipynb"  # the only notebook with a pool (trainer pages start cold, behind the secret)
# A path with a ``..`` segment, encoded or not (Tornado matches the still-encoded path).
CLIMBING_PATH = r".*(?:/|%2[fF])(?:\.|%2[eE]){2}(?:/|%2[fF]|$).*"
TROVE_TEMPLATE = VOILA_TEMPLATES / "voila" / "templates" / "trove"
# The hub user whose page request is being served (for ``kernel_owners``), set for the length of that request.
PAGE_USER: contextvars.ContextVar[str] = contextvars.ContextVar("page_user", default="")


def room_full_page() -> str:
    """The "phòng đã đầy" page, in Vietnamese and English from the message catalog.

    >>> page = room_full_page()
    >>> "<h1>Phòng đã đầy</h1>" in page and "The room is full" in page
    True
    """
    from jinja2 import Environment, FileSystemLoader

    from sim.library.messages import packaged_messages

    messages = packaged_messages()
    template = Environment(loader=FileSystemLoader(TROVE_TEMPLATE), autoescape=True).get_template("room_full.html.j2")
    return template.render(
        title=messages["room_full_title"], body=messages["room_full_body"], reload=messages["reload_button"]
    )


NOTICE_PATH = "trove/notice.js"  # the words of the page template: "connection lost", "opening the page"


def notice_script() -> str:
    """The script that gives the page template its words (message catalog): the "connection lost" notice and
    what shows while the page opens.

    >>> "Mất kết nối" in notice_script() and "Connection lost" in notice_script()
    True
    """
    from sim.library.messages import packaged_messages

    messages = packaged_messages()
    keys = ("connection_lost", "connection_lost_code", "reload_button", "page_loading", "widget_loading")
    words = {key: messages[key].model_dump() for key in keys}
    return f"window.TROVE_NOTICE = {json.dumps(words, ensure_ascii=False)};"


class NoticeScript(web.RequestHandler):
    """``NOTICE_PATH``: the notice's words, read once from the catalog."""

    def get(self) -> None:
        """The script."""
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(self.settings["trove_app"].notice_script)


class NotFound(web.RequestHandler):
    """404 for every request (paths that climb out of the served folders)."""

    def prepare(self) -> None:
        """Refuse the request."""
        raise web.HTTPError(404)


class TemplateStatic(TemplateStaticFileHandler):
    """Template files, with 404 for a path not under a template's ``static`` (upstream asserts: a 500)."""

    def parse_url_path(self, path: str) -> str:
        """The file path of a template URL, or 404."""
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static":
            raise web.HTTPError(404)
        return super().parse_url_path(path)


class RoomPage(TornadoVoilaHandler):
    """A notebook page: refused with "phòng đã đầy" at the kernel cap; otherwise it tells its kernel the client's
    address, and a page that needs a fresh kernel waits for a start slot."""

    async def get(self, path: str | None = None) -> None:
        """Serve the page, or the "phòng đã đầy" page at the cap."""
        app: TroveVoila = self.settings["trove_app"]
        if app.room_is_full(path):
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.finish(app.room_full_page)
            return
        self.request.headers[CLIENT_HEADER] = self.request.remote_ip or ""
        hub_user = getattr(self.current_user, "hub_user", None) or {}  # a hub's login (jupyterhub.singleuser)
        self.request.headers[ACCOUNT_HEADER] = hub_user.get("name", "")
        self.request.headers[TRAINER_HEADER] = "1" if app.trainers_group in hub_user.get("groups", ()) else ""
        page_user = PAGE_USER.set(hub_user.get("name", ""))
        pooled = app.takes_pooled_kernel(path)
        # Counted against the cap until served (its kernel may not be live yet); a pooled page also claims one of
        # the pool's kernels, so that other pages do not count on it.
        app.in_progress += 1
        app.claimed += pooled
        try:
            if pooled:
                await super().get(path)
            else:
                async with app.start_slots_lock:  # a fresh kernel runs the notebook while the page streams
                    await super().get(path)
        finally:
            app.in_progress -= 1
            app.claimed -= pooled
            PAGE_USER.reset(page_user)


class OwnKernelShutdown(VoilaShutdownKernelHandler):
    """Voilà's shutdown on leaving a page, for the kernel's owner only (the authorizer decides)."""

    @web.authenticated
    async def post(self, kernel_id: str) -> None:
        """Shut the kernel down, or 403."""
        # Voilà's route captures the id unnamed; the authorizer reads it by name, as on the kernel API's routes
        # (without it every owner was refused, and each page left its kernel running until the cull)
        self.path_kwargs.setdefault("kernel_id", kernel_id)
        if not self.authorizer.is_authorized(self, self.current_user, "execute", "kernels"):
            raise web.HTTPError(403)
        await super().post(kernel_id)


class ReadyHandler(web.RequestHandler):
    """``READY_PATH``: how much of the room's pool is ready, for ``trove serve``'s progress line."""

    def get(self) -> None:
        """The pool's progress as JSON."""
        app: TroveVoila = self.settings["trove_app"]
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ready": app.pool_ready(), "room": app.room, "kernels": app.live_kernels()}))


class UntrustedNotebookNoise(logging.Filter):
    """Drops the contents manager's "Notebook … is not trusted" warning: trust concerns saved outputs, and the
    served notebooks have none (their one cell runs on every visit), so the line only worried trainers.

    >>> record = logging.LogRecord("Voila", logging.WARNING, "", 0, "Notebook %s is not trusted", ("t.ipynb",), None)
    >>> UntrustedNotebookNoise().filter(record)
    False
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but that warning."""
        return record.msg != "Notebook %s is not trusted"


class TroveVoila(Voila):
    """Voilà with the room's pacing, cap and culling (see the module docstring)."""

    pool = Integer(0, config=True, help="trainee kernels to keep preheated without a room (Voilà's pool_size is 0)")
    room = Integer(
        0, config=True, help="the room's size: the pool fills to it before the link is shared (overrides pool)"
    )
    spare = Integer(SPARE_KERNELS, config=True, help="idle kernels to keep ready once the room has joined (reloads)")
    start_slots = Integer(2, config=True, help="notebooks that may run their first execution at once")
    unconnected_seconds = Integer(60, config=True, help="idle seconds before a kernel with no page is shut down")
    fork_kernels = Bool(
        sys.platform == "linux", config=True, help="fork kernels from a warm parent (sim.workshop.fork_server)"
    )
    trainers_group = Unicode("trainers", config=True, help="the hub group whose members open the trainer pages")
    cookie_secret_file = Unicode(
        "", config=True, help="a file with the cookie secret, shared by every instance behind one address"
    )

    @default("cookie_secret")
    def _shared_cookie_secret(self) -> bytes:
        if self.cookie_secret_file:
            return Path(self.cookie_secret_file).read_bytes().strip()
        return os.urandom(32)

    def init_settings(self) -> dict:
        """Voilà's settings, with the app reachable from handlers, kernels forked, and the pool paced and filled."""
        if self.fork_kernels:
            self._start_warm_parent()
        settings = super().init_settings()
        settings["trove_app"] = self
        self.log.addFilter(UntrustedNotebookNoise())
        self.start_slots_lock = asyncio.Semaphore(max(1, self.start_slots))
        self.room_filled, self.in_progress, self.claimed = False, 0, 0
        self.room_full_page, self.notice_script = room_full_page(), notice_script()
        self.kernel_owners = KernelOwners()
        self._record_owners()
        if self.voila_configuration.preheat_kernel and self.preheated:
            # Voilà filled an empty pool (pool_size=0) when it made its kernel manager; pace it, then fill it.
            self._pace_the_pool()
            self.kernel_manager.kernel_pools_config = {"default": {"pool_size": self.preheated}}
            self.kernel_manager.fill_if_needed(delay=0, notebook_name=TRAINEE_NOTEBOOK)
        return settings

    def init_handlers(self) -> list:
        """Voilà's handlers without the tree and contents listing, plus the 404 and ready routes."""
        unserved = (TornadoVoilaTreeHandler, VoilaContentsHandler)
        replaced = {
            TemplateStaticFileHandler: TemplateStatic,
            TornadoVoilaHandler: RoomPage,
            VoilaShutdownKernelHandler: OwnKernelShutdown,
        }
        # Voilà adds its login's routes (/login, /logout, a hub's /oauth_callback) without its prefix.
        login_routes = {rule[0] for rule in self.identity_provider.get_handlers()}
        handlers = [
            (url_path_join(self.server_url, rule[0]) if rule[0] in login_routes else rule[0], *rule[1:])
            for rule in super().init_handlers()
            if rule[1] not in unserved
        ]
        handlers = [(rule[0], replaced.get(rule[1], rule[1]), *rule[2:]) for rule in handlers]
        trainee = {"url": url_path_join(self.server_url, "voila/render/trainee.ipynb"), "permanent": False}
        return [
            (CLIMBING_PATH, NotFound),
            (self.server_url, web.RedirectHandler, trainee),
            (url_path_join(self.server_url, READY_PATH), ReadyHandler),
            (url_path_join(self.server_url, NOTICE_PATH), NoticeScript),
            *handlers,
        ]

    def start(self) -> None:
        """Start serving, with the reaper of unconnected kernels running every 15 s."""
        asyncio.get_event_loop().call_later(15, self._reap_unconnected)
        super().start()

    def _start_warm_parent(self) -> None:
        """Start the warm parent the kernels are forked from, and make every kernel manager fork from it."""
        socket_path = str(Path(tempfile.mkdtemp(prefix="trove-fork-")) / "fork.sock")
        notebook = Path(self.root_dir) / TRAINEE_NOTEBOOK
        self.warm_parent = subprocess.Popen(
            [sys.executable, "-m", "sim.workshop.fork_server", socket_path, str(notebook)], cwd=self.root_dir
        )
        deadline = time.monotonic() + 20  # it listens before it preloads: a fraction of a second
        while not Path(socket_path).exists() and self.warm_parent.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not Path(socket_path).exists():
            self.log.warning("the warm parent did not start: kernels start the usual way")
            return
        self.config.KernelProvisionerFactory.default_provisioner_name = FORK_PROVISIONER
        self.config.ForkingProvisioner.fork_server = socket_path

    def _record_owners(self) -> None:
        """Give each kernel a page takes to the page's hub user: a pooled one (``get_rendered_notebook``) or a
        fresh one started for the page (its environment carries the user)."""
        km, owners = self.kernel_manager, self.kernel_owners
        take_pooled, start = getattr(km, "get_rendered_notebook", None), km.start_kernel

        async def owned_pooled(*args: Any, **kwargs: Any) -> Any:
            render_task, rendered, kernel_id = await take_pooled(*args, **kwargs)
            owners.claim(kernel_id, PAGE_USER.get())
            return render_task, rendered, kernel_id

        async def owned_start(*args: Any, **kwargs: Any) -> str:
            kernel_id = await start(*args, **kwargs)
            user = (kwargs.get("env") or {}).get(ACCOUNT_ENV)
            if user:
                owners.claim(kernel_id, user)
            return kernel_id

        if take_pooled is not None:
            km.get_rendered_notebook = owned_pooled
        km.start_kernel = owned_start

    # the room ------------------------------------------------------------------------------------
    @property
    def preheated(self) -> int:
        """Trainee kernels kept preheated: the room's size, else the pool's."""
        return self.room or self.pool

    @property
    def max_kernels(self) -> int:
        """Live kernels beyond which a page answers "phòng đã đầy" (``kernel_cap``, as ``trove serve`` shows it)."""
        return kernel_cap(self.room, self.pool)

    def _pooled(self) -> list[Any]:
        km = self.kernel_manager
        return [task for pool in getattr(km, "_pools", {}).values() for task in pool]

    def _started(self) -> list[dict]:
        """What Voilà knows of each pooled kernel that has started (``kernel_id``; ``task``, its notebook's run)."""
        return [
            task.result()
            for task in self._pooled()
            if task.done() and not task.cancelled() and task.exception() is None
        ]

    def _pooled_ids(self) -> set[str]:
        return {started["kernel_id"] for started in self._started()}

    def pool_ready(self) -> int:
        """Pooled kernels whose notebook has run: a visitor gets their page at once."""
        return sum(1 for started in self._started() if started["task"].done())

    def _note_if_room_filled(self, _: object = None) -> None:
        """Mark the room's first fill over once all its kernels are ready (later refills wait for a quiet CPU)."""
        if self.room and self.pool_ready() >= self.room:
            self.room_filled = True

    def live_kernels(self) -> int:
        """Every running kernel, pooled or in use."""
        return len(self.kernel_manager.list_kernel_ids())

    def headroom(self) -> int:
        """Kernels that may still start under the cap: live ones, pages waiting for a slot and pool kernels
        being started all count, and so do the pages being served (conservatively: a served page's kernel may
        already be live)."""
        starting = sum(1 for task in self._pooled() if not task.done())
        return self.max_kernels - self.live_kernels() - self.in_progress - starting

    def room_is_full(self, path: str | None) -> bool:
        """Whether a page must be refused: it needs a new kernel and the cap has no room (a pooled one is taken)."""
        return not self.takes_pooled_kernel(path) and self.headroom() <= 0

    def takes_pooled_kernel(self, path: str | None) -> bool:
        """Whether this page will be served by a preheated kernel not yet claimed by another page (so it needs
        neither a start slot nor room under the cap)."""
        pool = getattr(self.kernel_manager, "_pools", {}).get(path or "", [])
        return self.voila_configuration.preheat_kernel and len(pool) > self.claimed

    def _pace_the_pool(self) -> None:
        """Start pooled kernels through the start slots, refill them only when quiet, and only up to room + spare."""
        km = self.kernel_manager
        initialize, fill = km._initialize, km.fill_if_needed
        app = self

        async def paced_initialize(notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
            if app.room_filled or not app.room:  # the room's first fill goes as fast as the slots allow
                await _quiet()
            async with app.start_slots_lock:
                content = await initialize(notebook_path, kernel_id, **kwargs)
                await asyncio.wait({content["task"]}, timeout=120)  # its notebook runs before the next start
            if not app.room_filled:
                # This kernel counts as ready once both its start (this pool task) and its notebook's run are done.
                for step in (asyncio.current_task(), content["task"]):
                    step.add_done_callback(app._note_if_room_filled)
            return content

        def paced_fill(delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
            wanted = app.preheated
            if app.room:  # never more kernels than the room needs: those in use, plus a few spare
                wanted = min(wanted, app.room + app.spare - (app.live_kernels() - len(app._pooled_ids())))
            pooled = len(km._pools.get(notebook_name, []))
            wanted = min(wanted, pooled + app.headroom())  # and never past the cap
            km.kernel_pools_config = {"default": {"pool_size": max(0, wanted)}}
            fill(delay=delay, notebook_name=notebook_name, **kwargs)

        km._initialize = paced_initialize
        km.fill_if_needed = paced_fill

    def _reap_unconnected(self) -> None:
        """Shut down kernels with no page connected for ``unconnected_seconds`` (pooled kernels are kept)."""
        self._reaping = asyncio.ensure_future(self._reap_once())
        asyncio.get_event_loop().call_later(15, self._reap_unconnected)

    async def _reap_once(self) -> None:
        km = self.kernel_manager
        pooled = self._pooled_ids()
        self.kernel_owners.keep_only(set(km.list_kernel_ids()))
        now, reaped = time.time(), False
        for kernel_id in list(km.list_kernel_ids()):
            if kernel_id in pooled or km._kernel_connections.get(kernel_id, 0) > 0:
                continue
            kernel = km.get_kernel(kernel_id)
            idle = now - kernel.last_activity.timestamp()
            if idle > self.unconnected_seconds and getattr(kernel, "execution_state", "idle") != "busy":
                self.log.warning("shutting down kernel %s: no page connected for %.0f s", kernel_id, idle)
                await km.shutdown_kernel(kernel_id)
                reaped = True
        if reaped and self.preheated:
            km.fill_if_needed(notebook_name=TRAINEE_NOTEBOOK)  # back to the pool the room needs


async def _quiet(max_wait: float = 30.0) -> None:
    """Wait (up to ``max_wait`` seconds) until the machine's load is below its core count."""
    if not hasattr(os, "getloadavg"):  # Windows: no load average, no wait
        return
    cores, waited = os.cpu_count() or 1, 0.0
    while os.getloadavg()[0] >= cores - 0.5 and waited < max_wait:
        await asyncio.sleep(1.0)
        waited += 1.0


def main() -> None:
    """Run the room-shaped Voilà (``trove serve`` starts it with its options)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):  # not on Windows
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    TroveVoila.launch_instance()


if __name__ == "__main__":
    main()
