"""``trove serve``: run the trainee app under Voilà for a workshop.

Voilà is started with the fixes the stack notes call for: XSRF checks off for Voilà's own shutdown
POST (otherwise every page visit leaks a kernel), idle kernels culled, tracebacks hidden, the offline
template (no CDN fonts), and a token whenever the server listens beyond this machine.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sim.errors import SimError
from sim.locations import PROJECT_ROOT, VOILA_TEMPLATES, results_path
from sim.workshop.store import DEFAULT_WORKSHOP_TITLE


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
TRAINER_NOTEBOOKS = ("trainer.ipynb", "designer.ipynb", "explore-cases.ipynb")


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

    Listening beyond loopback without a token makes one; a missing trainer secret is generated.

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
    code: str | None = None
    token: str | None = None
    db: str | None = None
    pool: int = 0
    region: str | None = None  # None: the library's default region
    trainer_secret: str | None = None
    cull_idle_seconds: int = 600

    def __post_init__(self) -> None:
        if not is_loopback(self.host) and not self.token:
            self.token = secrets.token_urlsafe(16)  # never listen beyond this machine without a token
        if self.trainer_secret is None:
            self.trainer_secret = secrets.token_urlsafe(9)

    @property
    def workshop_id(self) -> str:
        """The workshop's id in the store: the ``slug`` of its title."""
        return slug(self.workshop)

    def environment(self) -> dict[str, str]:
        """This process's environment plus what the Voilà kernels read: the workshop's ``TROVE_*`` settings, the
        results file (``db`` made absolute), the template path and the Agg matplotlib backend."""
        env = dict(os.environ)
        env.update(
            {
                "TROVE_WORKSHOP_ID": self.workshop_id,
                "TROVE_WORKSHOP_TITLE": self.workshop,
                "TROVE_WORKSHOP_CODE": self.code or "",
                "TROVE_WORKSHOP_EXERCISES": ",".join(self.exercises),
                "TROVE_DB": str(Path(self.db).resolve() if self.db else results_path()),
                "JUPYTER_PATH": os.pathsep.join(p for p in (str(VOILA_TEMPLATES), env.get("JUPYTER_PATH", "")) if p),
                "MPLBACKEND": "Agg",
            }
        )
        return env

    def voila_command(self) -> list[str]:
        """Voilà over ``notebooks/``: the trainee app and the (secret-gated) trainer pages."""
        command = [
            sys.executable,
            "-m",
            "voila",
            str(PROJECT_ROOT / "notebooks"),
            "--no-browser",
            f"--port={self.port}",
            f"--Voila.ip={self.host}",
            "--template=trove",
            "--Voila.tornado_settings={'disable_check_xsrf': True}",
            f"--MappingKernelManager.cull_idle_timeout={self.cull_idle_seconds}",
            "--MappingKernelManager.cull_interval=60",
            "--VoilaConfiguration.show_tracebacks=False",
            "--Voila.log_level=WARN",
            # When a room joins at once, kernels are slow to deliver the app's output: nbclient's default
            # 4 s grace period would drop it and leave a blank page (measured with benchmarks/load.py).
            "--VoilaExecutor.iopub_timeout=120",
            "--VoilaExecutor.raise_on_iopub_timeout=False",
        ]
        if self.pool:
            command += ["--preheat_kernel=True", f"--pool_size={self.pool}"]
            command += [f"--VoilaKernelManager.preheat_denylist={name}" for name in TRAINER_NOTEBOOKS]
        if self.token:
            command.append(f"--Voila.token={self.token}")
        return command

    def _url(self, notebook: str, host_for_url: str | None, **params: str) -> str:
        host = host_for_url or ("127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host)
        query = "&".join(f"{k}={v}" for k, v in ({"token": self.token} | params).items() if v)
        return f"http://{host}:{self.port}/voila/render/{notebook}" + (f"?{query}" if query else "")

    def trainee_url(self, host_for_url: str | None = None) -> str:
        """The trainee app's URL, with the token and workshop code (``host_for_url``: e.g. the LAN address)."""
        return self._url("trainee.ipynb", host_for_url, code=self.code or "")

    def trainer_url(self, host_for_url: str | None = None) -> str:
        """The trainer app's URL, with the token (the page itself asks for the trainer secret)."""
        return self._url("trainer.ipynb", host_for_url)

    def designer_url(self, host_for_url: str | None = None) -> str:
        """The scenario designer's URL, with the token (the page itself asks for the trainer secret)."""
        return self._url("designer.ipynb", host_for_url)


def check(config: ServeConfig) -> None:
    """Refuse a configuration that cannot work, before starting anything; then record the workshop's settings."""
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
    store = open_store(
        config.environment()["TROVE_DB"]
    )  # creates or upgrades the results file now, with a clear error if it cannot
    store.configure_workshop(config.workshop_id, config.workshop, config.code, config.exercises, config.region)
    store.set_trainer_secret(config.workshop_id, config.trainer_secret or "")


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


def run(config: ServeConfig) -> int:
    """Start Voilà in the foreground; Ctrl-C stops it and its kernels cleanly. The results stay in the store."""
    check(config)
    env = config.environment()
    host = lan_address() if config.host in ("0.0.0.0", "::") else None
    png = Path(env["TROVE_DB"]).parent / f"{config.workshop_id}-qr.png"
    # The start banner is the only place secrets are printed (Voilà runs at log level WARN).
    print(f"Trở về — {config.workshop}")
    print(f"  trainee URL:   {config.trainee_url(host)}")
    if config.code:
        print(f"  workshop code: {config.code}")
    print(qr_code(config.trainee_url(host), png))
    print(f"  QR code image: {png}")
    print(f"  trainer URL:   {config.trainer_url(host)}")
    print(f"  designer URL:  {config.designer_url(host)}")
    print(f"  trainer secret: {config.trainer_secret}   (trainer pages ask for it; keep it from trainees)")
    print(f"  results file:  {env['TROVE_DB']}")
    print("  stop with Ctrl-C (answers are saved as they are given)")
    sys.stdout.flush()
    process = subprocess.Popen(config.voila_command(), env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        # Ctrl-C in a terminal reaches Voilà too (same process group): let it shut its kernels down.
        # A second SIGINT during that shutdown would abort it, so forward one only if Voilà did not get it.
        for step, wait in ((None, 5), (signal.SIGINT, 15), (signal.SIGKILL, 5)):
            if step is not None:
                process.send_signal(step)
            try:
                code = process.wait(timeout=wait)
                print("Trở về stopped; the results are saved.")
                return 0 if code in (0, -signal.SIGINT, 130) else code
            except subprocess.TimeoutExpired:
                continue
        return 1
