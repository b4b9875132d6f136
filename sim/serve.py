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

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "ui" / "share"


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


@dataclass
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8866
    workshop: str = "Trở về"
    exercises: list[str] = field(default_factory=list)
    code: str | None = None
    token: str | None = None
    db: str | None = None
    pool: int = 0
    cull_idle_seconds: int = 600

    def __post_init__(self) -> None:
        if not is_loopback(self.host) and not self.token:
            self.token = secrets.token_urlsafe(16)  # never listen beyond this machine without a token

    @property
    def workshop_id(self) -> str:
        return slug(self.workshop)

    def environment(self) -> dict[str, str]:
        from sim.store import default_path

        env = dict(os.environ)
        env.update({"TROVE_WORKSHOP_ID": self.workshop_id, "TROVE_WORKSHOP_TITLE": self.workshop, "TROVE_WORKSHOP_CODE": self.code or "",
                    "TROVE_WORKSHOP_EXERCISES": ",".join(self.exercises), "TROVE_DB": str(Path(self.db).resolve() if self.db else default_path()),
                    "JUPYTER_PATH": os.pathsep.join(p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p),
                    "MPLBACKEND": "Agg"})
        return env

    def voila_command(self) -> list[str]:
        command = [sys.executable, "-m", "voila", str(PROJECT_ROOT / "notebooks" / "trainee.ipynb"), "--no-browser",
                   f"--port={self.port}", f"--Voila.ip={self.host}", "--template=trove",
                   "--Voila.tornado_settings={'disable_check_xsrf': True}",
                   f"--MappingKernelManager.cull_idle_timeout={self.cull_idle_seconds}", "--MappingKernelManager.cull_interval=60",
                   "--VoilaConfiguration.show_tracebacks=False"]
        if self.pool:
            command += ["--preheat_kernel=True", f"--pool_size={self.pool}"]
        if self.token:
            command.append(f"--Voila.token={self.token}")
        return command

    def trainee_url(self, host_for_url: str | None = None) -> str:
        host = host_for_url or ("127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host)
        query = f"?token={self.token}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"


def check(config: ServeConfig) -> None:
    """Refuse a configuration that cannot work, before starting anything."""
    from sim.scenario import load_exercises
    from sim.store import Store

    available = load_exercises()
    for exercise in config.exercises:
        if exercise not in available:
            from sim.errors import UnknownIdError

            raise UnknownIdError("exercise", exercise, list(available))
    if not 1 <= config.port <= 65535:
        raise SimError(f"--port must be between 1 and 65535, got {config.port}")
    Store(config.environment()["TROVE_DB"])  # creates or upgrades the results file now, with a clear error if it cannot


def run(config: ServeConfig) -> int:
    """Start Voilà in the foreground; Ctrl-C stops it and its kernels cleanly. The results stay in the store."""
    check(config)
    env = config.environment()
    print(f"Trở về — {config.workshop}")
    print(f"  trainee URL: {config.trainee_url()}")
    if config.code:
        print(f"  workshop code: {config.code}")
    print(f"  results file: {env['TROVE_DB']}")
    print("  stop with Ctrl-C (answers are saved as they are given)")
    sys.stdout.flush()
    process = subprocess.Popen(config.voila_command(), env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
