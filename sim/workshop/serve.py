"""``trove serve``: run the trainee app under Voilà for a workshop.

Voilà is started with the fixes the stack notes call for: XSRF checks off for Voilà's own shutdown
POST (otherwise every page visit leaks a kernel), idle kernels culled, tracebacks hidden, the offline
template (no CDN fonts), and a token whenever the server listens beyond this machine. Voilà runs as
``python -m sim.workshop.voila_app``: without its notebook tree, its kernels on Unix sockets, their starts
paced, capped, and shut down when no page connects. ``--room N`` preheats N kernels and shows the QR code
only when they are ready.

A restart keeps the workshop's code (from the store) and its trainer secret (from a file beside the
results file, or in ``var/`` for a database, readable only by the user), so printed QR codes stay valid.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sim.errors import SimError
from sim.locations import PROJECT_ROOT, VAR, VOILA_TEMPLATES
from sim.workshop.db_url import printable
from sim.workshop.store import DEFAULT_WORKSHOP_TITLE
from sim.workshop.stores import results_location


def workshop_code() -> str:
    """A fresh random workshop code: 6 characters of ``CODE_ALPHABET`` (no 0/O or 1/I, easy to read aloud).

    >>> code = workshop_code()
    >>> len(code), set(code) <= set(CODE_ALPHABET)
    (6, True)
    """
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("192.168.1.5")
    (True, True, False, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def slug(text: str) -> str:
    """A workshop id from its title.

    >>> slug("Tập huấn Phan Thiết 12/2026")
    'tap-huan-phan-thiet-12-2026'
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "default"


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRAINER_NOTEBOOKS = ("trainer.ipynb", "designer.ipynb", "explore-cases.ipynb", "caseload.ipynb")
# Ctrl-C, ``kill`` and the terminal closing: each stops Voilà and every kernel.
# Ctrl-C, kill and the terminal closing (Windows has no SIGHUP).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
# The header this server sets on each page request to the client's address (never the client's own claim):
# Voilà passes it to the page's kernel, which limits resume-code guesses per address (``sim.app.guesses``).
CLIENT_HEADER = "X-Trove-Client"
# Set by this server on each page request from the hub's login (empty without a hub; a client's own claim is
# overwritten): the hub user, and "1" if they are in the trainers' hub group. Voilà passes them to the kernel.
ACCOUNT_HEADER = "X-Trove-Account"
TRAINER_HEADER = "X-Trove-Trainer"
# Their names in the kernel's environment (Voilà's CGI-style names for the headers it passes on).
ACCOUNT_ENV = "HTTP_X_TROVE_ACCOUNT"
TRAINER_ENV = "HTTP_X_TROVE_TRAINER"
# Set to "1" for a hub instance's kernels: only the hub login joins (no form before the visit names the account).
ACCOUNTS_ONLY_ENV = "TROVE_ACCOUNTS_ONLY"
# Where Voilà (``sim.workshop.voila_app``) reports how much of the room's pool is ready, under its server URL.
READY_PATH = "trove/ready"
WILDCARD_HOSTS = ("0.0.0.0", "::")  # listening on every address: this machine reaches it on 127.0.0.1
SPARE_KERNELS = 2  # idle trainee kernels kept ready once a room has joined (for reloads)
PEOPLE_WITHOUT_ROOM = 40  # the room the kernel cap assumes when --room is not given
RELOAD_MARGIN = 10  # kernels beyond the room and its pool, for reloads and trainer pages


def kernel_cap(room: int, pool: int) -> int:
    """The cap on live kernels, past which a page answers "phòng đã đầy": the room (``PEOPLE_WITHOUT_ROOM`` if 0),
    the kernels kept preheated beside it (at least ``SPARE_KERNELS``) and ``RELOAD_MARGIN`` more.

    >>> kernel_cap(room=40, pool=4), kernel_cap(room=3, pool=0), kernel_cap(room=0, pool=0)
    (54, 15, 52)
    """
    return (room or PEOPLE_WITHOUT_ROOM) + max(pool, SPARE_KERNELS) + RELOAD_MARGIN


def lan_address() -> str | None:
    """This laptop's address on the local network (for the URL trainees type), or None."""
    try:
        out = subprocess.run(
            ["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        match = re.search(r"inet (\d+\.\d+\.\d+\.\d+)/", line)
        if match:
            return match.group(1)
    return None


@dataclass
class ServeConfig:
    """The settings of one ``trove serve`` run, from its command-line options.

    Listening beyond loopback without a token makes one. ``code=None`` means the workshop's stored code, else a new
    one, and ``code=""`` no code at all (anyone may join); ``prepare`` settles it and a missing trainer secret.

    >>> config = ServeConfig(workshop="Tập huấn Phan Thiết", code="ABC234", trainer_secret="s")
    >>> config.workshop_id, config.token
    ('tap-huan-phan-thiet', None)
    >>> config.trainee_url()
    'http://127.0.0.1:8866/voila/render/trainee.ipynb?code=ABC234'
    >>> ServeConfig(host="0.0.0.0").token is not None
    True
    """

    host: str = "127.0.0.1"
    port: int = 8866
    workshop: str = DEFAULT_WORKSHOP_TITLE
    exercises: list[str] = field(default_factory=list)
    code: str | None = None  # None: the stored code or a new one (``prepare``); "": no code
    token: str | None = None
    db: str | None = None
    pool: int = 0  # trainee kernels kept preheated (without ``room``)
    room: int = 0  # the room's size: that many kernels preheated before the link is shared (overrides ``pool``)
    fork_kernels: bool = sys.platform == "linux"  # kernels forked from a warm parent (sim.workshop.fork_server)
    region: str | None = None  # None: the library's default region
    trainer_secret: str | None = None
    cull_idle_seconds: int = 600

    @property
    def start_slots(self) -> int:
        """Kernels that may start and run their notebook at once (``TroveVoila.start_slots``)."""
        return 3 if self.fork_kernels else 2

    @property
    def max_kernels(self) -> int:
        """The cap on live kernels (``kernel_cap``), as Voilà computes it from the same ``room`` and ``pool``."""
        return kernel_cap(self.room, self.pool)

    def __post_init__(self) -> None:
        if not is_loopback(self.host) and not self.token:
            self.token = secrets.token_urlsafe(16)  # never listen beyond this machine without a token

    @property
    def workshop_id(self) -> str:
        """The workshop's id in the store: the ``slug`` of its title."""
        return slug(self.workshop)

    @property
    def results(self) -> str | Path:
        """Where the results are (``stores.results_location`` of ``db``): a database URL, or the SQLite file made
        absolute."""
        where = results_location(self.db)
        return where if isinstance(where, str) else where.resolve()

    @property
    def files_folder(self) -> Path:
        """The folder of the trainer secret's file and the QR code's PNG: the results file's, or ``var/`` when the
        results are in a database."""
        return VAR if isinstance(self.results, str) else self.results.parent

    @property
    def secret_file(self) -> Path:
        """Where the workshop's trainer secret is kept between runs (in ``files_folder``)."""
        return self.files_folder / f"{self.workshop_id}-trainer-secret.txt"

    def environment(self) -> dict[str, str]:
        """This process's environment plus what the Voilà kernels read: the workshop's ``TROVE_*`` settings, the
        results location (``results``: the kernels open the same store), the template path and the Agg matplotlib backend."""
        env = dict(os.environ)
        env.update(
            {
                "TROVE_WORKSHOP_ID": self.workshop_id,
                "TROVE_WORKSHOP_TITLE": self.workshop,
                "TROVE_WORKSHOP_CODE": self.code or "",
                "TROVE_WORKSHOP_EXERCISES": ",".join(self.exercises),
                "TROVE_DB": str(self.results),
                "JUPYTER_PATH": os.pathsep.join(p for p in (str(VOILA_TEMPLATES), env.get("JUPYTER_PATH", "")) if p),
                "MPLBACKEND": "Agg",
            }
        )
        return env

    def voila_command(self) -> list[str]:
        """Voilà (``sim.workshop.voila_app``) over ``notebooks/``: the trainee app and the (secret-gated) trainer pages."""
        command = [
            sys.executable,
            "-m",
            "sim.workshop.voila_app",
            str(PROJECT_ROOT / "notebooks"),
            "--no-browser",
            f"--port={self.port}",
            "--Voila.port_retries=0",  # a busy port is an error, not a server on another port than the QR code's
            f"--Voila.ip={self.host}",
            "--template=trove",
            "--Voila.tornado_settings=disable_check_xsrf=True",  # the key=value form (the dict literal is deprecated)
            # Unix sockets named by kernel id: no TCP port to collide when a room starts 40 kernels at once
            # (Windows has none: it keeps TCP).
            *(["--KernelManager.transport=ipc"] if os.name == "posix" else []),
            f"--MappingKernelManager.cull_idle_timeout={self.cull_idle_seconds}",
            "--MappingKernelManager.cull_interval=60",
            "--VoilaConfiguration.show_tracebacks=False",
            # the client's address (and the hub user, under a hub) reach the kernel
            *(f"--VoilaConfiguration.http_header_envs={h}" for h in (CLIENT_HEADER, ACCOUNT_HEADER, TRAINER_HEADER)),
            "--Voila.log_level=WARN",
            # When a room joins at once, kernels are slow to deliver the app's output: nbclient's default
            # 4 s grace period would drop it and leave a blank page (measured with benchmarks/load.py).
            "--VoilaExecutor.iopub_timeout=120",
            "--VoilaExecutor.raise_on_iopub_timeout=False",
        ]
        if self.pool or self.room:
            # Voilà's own pool stays empty; TroveVoila fills it through its start slots (sim.workshop.voila_app).
            command += ["--preheat_kernel=True", "--pool_size=0"]
            command += [f"--VoilaKernelManager.preheat_denylist={name}" for name in TRAINER_NOTEBOOKS]
        # TroveVoila derives its pool (the room, else the pool) and its cap (``kernel_cap``) from these two.
        command += [f"--TroveVoila.room={self.room}", f"--TroveVoila.pool={self.pool}"]
        # Forked kernels start light enough for three at once (a room of 40 without a pool: page median 7.0 s with
        # 3 slots, 10.1 s with 2, 9.4 s with 4; docs/performance.md); fresh ones keep 2.
        command += [f"--TroveVoila.fork_kernels={self.fork_kernels}", f"--TroveVoila.start_slots={self.start_slots}"]
        if self.token:
            command.append(f"--Voila.token={self.token}")
        return command

    def local_url(self, path: str, host_for_url: str | None = None) -> str:
        """The URL of ``path`` on this server, from this machine (or from ``host_for_url``, e.g. the LAN address).

        >>> ServeConfig(host="0.0.0.0", port=8870).local_url(READY_PATH)
        'http://127.0.0.1:8870/trove/ready'
        """
        host = host_for_url or ("127.0.0.1" if self.host in WILDCARD_HOSTS else self.host)
        return f"http://{host}:{self.port}/{path}"

    def _url(self, notebook: str, host_for_url: str | None, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in ({"token": self.token} | params).items() if v)
        return self.local_url(f"voila/render/{notebook}", host_for_url) + (f"?{query}" if query else "")

    def trainee_url(self, host_for_url: str | None = None) -> str:
        """The trainee app's URL, with the token and workshop code (``host_for_url``: e.g. the LAN address)."""
        return self._url("trainee.ipynb", host_for_url, code=self.code or "")

    def trainer_url(self, host_for_url: str | None = None) -> str:
        """The trainer app's URL, with the token (the page itself asks for the trainer secret)."""
        return self._url("trainer.ipynb", host_for_url)

    def designer_url(self, host_for_url: str | None = None) -> str:
        """The scenario designer's URL, with the token (the page itself asks for the trainer secret)."""
        return self._url("designer.ipynb", host_for_url)

    def caseload_url(self, host_for_url: str | None = None) -> str:
        """The province simulation's URL, with the token (the page itself asks for the trainer secret)."""
        return self._url("caseload.ipynb", host_for_url)


def prepare(config: ServeConfig) -> None:
    """Refuse a configuration that cannot work, before starting anything; then settle and record the workshop's
    settings (the store and the trainer secret's file are written here).

    A code of None becomes the workshop's stored code, else a new one (``workshop_code``). The trainer secret is
    the one given, else the one kept in ``config.secret_file``, else a new one; it is (re)written there, readable
    only by the user.
    """
    from sim.errors import UnknownIdError
    from sim.library import packaged_library
    from sim.workshop.stores import open_store

    library = packaged_library()
    available = library.catalog.exercises()
    for exercise in config.exercises:
        if exercise not in available:
            raise UnknownIdError("exercise", exercise, list(available))
    config.region = library.region(config.region or library.default_region).id  # unknown: "did you mean"
    if not 1 <= config.port <= 65535:
        raise SimError(f"--port must be between 1 and 65535, got {config.port}")
    store = open_store(config.results)  # creates or upgrades the store now, with a clear error if it cannot
    if config.code is None:
        stored = store.workshop(config.workshop_id)
        config.code = (stored and stored["code"]) or workshop_code()
    config.trainer_secret = config.trainer_secret or read_trainer_secret(config.secret_file) or secrets.token_urlsafe(9)
    write_trainer_secret(config.secret_file, config.trainer_secret)
    store.configure_workshop(config.workshop_id, config.workshop, config.code or None, config.exercises, config.region)
    store.set_trainer_secret(config.workshop_id, config.trainer_secret)


def read_trainer_secret(path: Path) -> str | None:
    """The trainer secret kept in ``path``, or None if there is none."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def write_trainer_secret(path: Path, secret: str) -> None:
    """Write ``secret`` to ``path``, readable and writable only by this user (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(os, "fchmod"):  # Windows before Python 3.13 has no fchmod (and no Unix modes to set)
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode through os.open
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret + "\n")


def qr_code(url: str, png: Path) -> str:
    """The QR code of ``url`` as terminal text, and written as a PNG."""
    import io

    import qrcode

    code = qrcode.QRCode(border=1)
    code.add_data(url)
    code.make(fit=True)
    text = io.StringIO()
    code.print_ascii(out=text, invert=True)
    png.parent.mkdir(parents=True, exist_ok=True)
    code.make_image().save(str(png))
    return text.getvalue()


def both_languages(key: str, **values: object) -> str:
    """The message ``key`` of the catalog in Vietnamese, then English, for the terminal (trainers read either).

    >>> both_languages("serve_room_ready", ready=3, room=40)
    'sẵn sàng 3/40 · ready 3/40'
    """
    from sim.library.messages import packaged_messages

    text = packaged_messages()[key]
    return f"{text.vi.format(**values)} · {text.en.format(**values)}"


def banner(config: ServeConfig, host: str | None = None) -> str:
    """What ``trove serve`` prints at start (after ``prepare``), in Vietnamese and English: URLs, the code and its QR
    code (also written as a PNG in ``files_folder``), and the trainer secret. This is the only place secrets
    are printed (Voilà runs at log level WARN)."""
    png = config.files_folder / f"{config.workshop_id}-qr.png"
    title = "Trở về" if config.workshop == DEFAULT_WORKSHOP_TITLE else f"Trở về — {config.workshop}"
    head = [("serve_trainee_url", config.trainee_url(host), None)]
    if config.code:
        head.append(("serve_workshop_code", config.code, None))
    tail = [
        ("serve_qr_image", png, None),
        ("serve_trainer_url", config.trainer_url(host), None),
        ("serve_designer_url", config.designer_url(host), None),
        ("caseload_serve_url", config.caseload_url(host), None),
        ("serve_trainer_secret", config.trainer_secret, "serve_trainer_secret_note"),
        ("serve_secret_file", config.secret_file, "serve_secret_file_note"),
        ("serve_results_file", printable(config.results), None),
    ]
    labels = {key: both_languages(key) + ":" for key, _, _ in head + tail}
    width = max(map(len, labels.values()))

    def line(key: str, value: object, note: str | None) -> str:
        return f"  {labels[key]:<{width}} {value}" + (f"   ({both_languages(note)})" if note else "")

    return "\n".join(
        [
            title,
            *(line(*field) for field in head),
            qr_code(config.trainee_url(host), png),
            *(line(*field) for field in tail),
            "  " + both_languages("serve_stop_hint"),
        ]
    )


class _Stop(Exception):
    """A stop signal reached ``trove serve``."""


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


def run(config: ServeConfig) -> int:
    """Start Voilà in the foreground until a stop signal (``STOP_SIGNALS``); then stop it and every kernel cleanly.

    The results stay in the store. The exit code is 0 after a clean stop, Voilà's own if it ends by itself.
    """
    prepare(config)
    host = lan_address() if config.host in WILDCARD_HOSTS else None
    if not config.room:
        print(banner(config, host), flush=True)
    previous = {sig: signal.signal(sig, _raise_stop) for sig in STOP_SIGNALS}
    process = None
    try:
        process = subprocess.Popen(config.voila_command(), env=config.environment())
        if config.room:
            print(f"Trở về — {both_languages('serve_preparing_room', room=config.room)}", flush=True)
            if not wait_for_room(config, process, report=lambda ready: _print_room_ready(ready, config.room)):
                return process.wait()
            print(banner(config, host), flush=True)  # the QR code only once the room's kernels are ready
        return process.wait()
    except _Stop:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the kernels' shutdown short
        clean = process is None or stop_voila(process)
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            print(both_languages("serve_stopped"), flush=True)
        return 0 if clean else 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print_room_ready(ready: int, room: int) -> None:
    print("  " + both_languages("serve_room_ready", ready=ready, room=room), flush=True)


def wait_for_room(
    config: ServeConfig,
    process: subprocess.Popen,
    *,
    report: Callable[[int], object] = lambda ready: None,
    every: float = 0.5,
) -> bool:
    """Wait until the room's kernels are ready (``READY_PATH``), calling ``report(k)`` each time k changes (``trove
    serve`` prints "sẵn sàng k/N"); True once all are ready, False if ``process`` (Voilà, or ``trove serve``) ended
    first."""
    import json
    import time
    import urllib.request

    url, shown = config.local_url(READY_PATH), -1
    while process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                ready = json.load(answer)["ready"]
        except OSError:
            ready = max(shown, 0)  # Voilà is still starting, or too busy starting kernels to answer at once
        if ready != shown:
            report(ready)
            shown = ready
        if ready >= config.room:
            return True
        time.sleep(every)
    return False


def stop_voila(process: subprocess.Popen, wait: float = 7.0) -> bool:
    """Stop Voilà with SIGTERM (it shuts its kernels down), or kill it after ``wait`` seconds; True if it stopped.

    Kernels of a killed Voilà exit by themselves within a second or so (ipykernel watches its parent).
    """
    process.terminate()
    try:
        process.wait(wait)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False
