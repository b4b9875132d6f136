"""``make hub``: the whole design on this machine, for trying it: PostgreSQL, JupyterHub (with its proxy), N app
instances and nginx, all on loopback, all stopped by Ctrl-C or SIGTERM.

    .venv/bin/python deploy/local_hub.py [--dir var/hub] [--port 18080] [--instances 2] [--admin admin] [--tls]

Runtime state goes in ``--dir``: the PostgreSQL cluster (``pg/``: the hub's database ``jupyterhub`` and the app's results,
``trove``), the deployment's shared secrets (``secrets/``, made once), the environment file every instance reads
(``trove.env``, as on a server), nginx's configuration and logs, and ``state.json`` (URLs and process ids, written
once everything answers). Ports: the public URL is ``--port``; the hub's API, the proxy's API, nginx and the
instances follow it (+1, +2, +10, +11…), PostgreSQL is ``--port`` + 352. ``--tls``: the public URL is https, the
proxy terminating TLS with a certificate made for 127.0.0.1 once (``secrets/tls-cert.pem``, which a client trusts
to check it), as a server does with its own certificate (docs/hub.en.md).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
CHP = ROOT / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
PG_USER = "nobody"  # PostgreSQL refuses to run as root: as root, the cluster belongs to this user


def postgres_binary(name: str) -> str:
    """``initdb`` or ``postgres``: on PATH, else in Debian's newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name), reverse=True)
    for folder in folders:
        if (Path(folder) / name).exists():
            return str(Path(folder) / name)
    raise SystemExit(f"PostgreSQL's {name} is missing: run `make hub` (it installs Debian's postgresql)")


class Stack:
    """The processes of one local deployment, started in order and stopped in reverse."""

    def __init__(self, folder: Path, port: int, instances: int, admin: str, tls: bool = False):
        self.dir, self.port, self.admin = folder.resolve(), port, admin
        self.scheme = "https" if tls else "http"
        self.instance_ports = [port + 11 + i for i in range(instances)]
        self.pg_port, self.nginx_port = port + 352, port + 10
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = self.dir / "logs"

    # helpers -------------------------------------------------------------------------------------
    def _start(
        self, name: str, command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
    ) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process's life)
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env or dict(os.environ), cwd=cwd, start_new_session=True
        )
        self.processes[name] = process
        return process

    def _secret(self, name: str, nbytes: int = 32) -> Path:
        """A secret shared by the whole deployment: made once, kept in ``secrets/``, readable only by its owner."""
        path = self.dir / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(nbytes) + "\n")
        return path

    def _certificate(self) -> tuple[Path, Path]:
        """A self-signed certificate for 127.0.0.1 and its key, made once in ``secrets/`` (openssl)."""
        cert, key = self.dir / "secrets" / "tls-cert.pem", self.dir / "secrets" / "tls-key.pem"
        if not cert.exists():
            cert.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365"),
                    *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
                    *("-keyout", str(key), "-out", str(cert)),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            key.chmod(0o600)
        return cert, key

    def _as_pg_user(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", PG_USER, "--", *command] if os.geteuid() == 0 else command

    # the parts -----------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        """The cluster (made on first use, trusting loopback only) and its two databases."""
        data = self.dir / "pg"
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(data, PG_USER)
            subprocess.run(
                self._as_pg_user(
                    [postgres_binary("initdb"), "-D", str(data), "-U", "trove", "--auth=trust", "-E", "UTF8"]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
                cwd="/",
            )
        postgres = [
            postgres_binary("postgres"),
            "-D",
            str(data),
            "-p",
            str(self.pg_port),
            "-k",
            str(data),
            "-h",
            "127.0.0.1",
        ]
        self._start("postgres", self._as_pg_user(postgres), cwd=Path("/"))  # its user may not enter ROOT
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.pg_url("postgres"), autocommit=True) as con:
                    for db in ("jupyterhub", "trove"):
                        if not con.execute("SELECT 1 FROM pg_database WHERE datname=%s", (db,)).fetchone():
                            con.execute(f"CREATE DATABASE {db}")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def pg_url(self, db: str) -> str:
        return f"postgresql://trove@127.0.0.1:{self.pg_port}/{db}"

    def environment(self) -> dict[str, str]:
        """What every instance and the hub read: the deployment's ``trove.env`` (also written, as on a server)."""
        shared = {
            "JUPYTERHUB_API_TOKEN": self._secret("service-token").read_text().strip(),
            "JUPYTERHUB_API_URL": f"http://127.0.0.1:{self.port + 1}/hub/api",
            "JUPYTERHUB_BASE_URL": "/",
            "TROVE_COOKIE_SECRET_FILE": str(self._secret("instances-cookie-secret")),
            "TROVE_DB": self.pg_url("trove"),  # the app's results: one database for every instance
            "TROVE_WORKSHOP_TITLE": os.environ.get("TROVE_WORKSHOP_TITLE", "Tập huấn trực tuyến"),
            "TROVE_WORKSHOP_EXERCISES": os.environ.get("TROVE_WORKSHOP_EXERCISES", ""),
            "TROVE_POOL": os.environ.get("TROVE_POOL", "1"),
            "TROVE_ROOM": os.environ.get("TROVE_ROOM", "0"),
            "TROVE_HUB_PUBLIC_URL": f"{self.scheme}://127.0.0.1:{self.port}",
            "TROVE_HUB_API_BIND": f"http://127.0.0.1:{self.port + 1}",
            "TROVE_PROXY_API_URL": f"http://127.0.0.1:{self.port + 2}",
            "TROVE_SERVICE_URL": f"http://127.0.0.1:{self.nginx_port}",
            "TROVE_HUB_DB_URL": self.pg_url("jupyterhub").replace("postgresql://", "postgresql+psycopg://"),
            "TROVE_HUB_COOKIE_SECRET_FILE": str(self._secret("hub-cookie-secret")),
            "TROVE_HUB_ADMINS": self.admin,
            "TROVE_TRAINERS": os.environ.get("TROVE_TRAINERS", ""),
            "TROVE_PROXY_PID_FILE": str(self.dir / "proxy.pid"),
            "TROVE_CHP": str(CHP),
        }
        if self.scheme == "https":
            cert, key = self._certificate()
            shared |= {"TROVE_HUB_SSL_CERT": str(cert), "TROVE_HUB_SSL_KEY": str(key)}
        env_file = self.dir / "trove.env"
        env_file.write_text("".join(f"{k}={v}\n" for k, v in shared.items()), encoding="utf-8")
        env_file.chmod(0o600)
        path = os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")])
        return {**os.environ, **shared, "PATH": path}

    def start_instances(self, env: dict[str, str]) -> None:
        for i, port in enumerate(self.instance_ports):
            command = [sys.executable, "-m", "sim.workshop.hub_instance", "--port", str(port)]
            self._start(f"instance-{chr(ord('a') + i)}", command, env)

    def start_nginx(self) -> None:
        """nginx with the site of deploy/nginx, the instances filled in; it says which one served (local only)."""
        folder = self.dir / "nginx"
        (folder / "temp").mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # nginx's workers run as nobody
            shutil.chown(folder / "temp", "nobody")
        servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in self.instance_ports)
        site = (DEPLOY / "nginx" / "trove-site.conf").read_text(encoding="utf-8")
        site = site.replace("@@LISTEN@@", f"127.0.0.1:{self.nginx_port}").replace("@@INSTANCES@@", servers.rstrip())
        site = site.replace("@@LOCAL_ONLY@@", "        add_header X-Trove-Instance $upstream_addr always;")
        temp = folder / "temp"
        (folder / "nginx.conf").write_text(
            f"pid {folder / 'nginx.pid'};\nerror_log {self.logs / 'nginx-error.log'};\nevents {{}}\nhttp {{\n"
            f"access_log {self.logs / 'nginx-access.log'};\nclient_body_temp_path {temp};\n"
            f"proxy_temp_path {temp};\nfastcgi_temp_path {temp};\nuwsgi_temp_path {temp};\nscgi_temp_path {temp};\n"
            f"{site}\n}}\n",
            encoding="utf-8",
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._start("nginx", [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"])

    def start_hub(self, env: dict[str, str]) -> None:
        hub = [str(VENV_BIN / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")]
        self._start("hub", hub, env | {"TROVE_HUB_PID_FILE": str(self.dir / "hub.pid")})

    def wait_until_up(self, seconds: float = 120) -> None:
        """Until the hub's login page and every instance's static files answer."""
        urls = [f"{self.scheme}://127.0.0.1:{self.port}/hub/login"] + [
            f"http://127.0.0.1:{p}/services/trove/voila/static/voila.js" for p in self.instance_ports
        ]
        deadline = time.monotonic() + seconds
        for url in urls:
            while True:
                self.check_alive()
                try:
                    urllib.request.urlopen(url, timeout=5, context=self._client_tls())
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{url} did not answer within {seconds} s (logs in {self.logs})") from None
                    time.sleep(0.5)

    def _client_tls(self) -> ssl.SSLContext | None:
        """What a client trusts to reach the public URL: with ``--tls``, the certificate made here."""
        return ssl.create_default_context(cafile=self._certificate()[0]) if self.scheme == "https" else None

    def check_ports_free(self) -> None:
        """Every port this deployment listens on is free, else SystemExit saying which and what to do."""
        named = {"the hub": self.port, "the hub's API": self.port + 1, "the proxy's API": self.port + 2}
        named |= {"nginx": self.nginx_port, "PostgreSQL": self.pg_port}
        named |= {f"instance {chr(ord('a') + i)}": p for i, p in enumerate(self.instance_ports)}
        for name, port in named.items():
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    raise SystemExit(
                        f"port {port} ({name}) is in use, perhaps by another `make hub`: stop it, or choose other "
                        f"ports with `make hub HUB_ARGS='--port N'` (it uses N to N + 352)"
                    )

    def report_stopped(self, known: set[str]) -> set[str]:
        """Print each part that has stopped since (not in ``known``), with its log; return their names."""
        stopped = {name for name, process in self.processes.items() if process.poll() is not None} - known
        for name in sorted(stopped):
            code = self.processes[name].returncode
            print(f"local hub: {name} stopped (exit {code}); see {self.logs / name}.log", file=sys.stderr, flush=True)
        return stopped

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped (exit {process.returncode}); see {self.logs / name}.log")

    def state(self) -> dict:
        return {
            "url": f"{self.scheme}://127.0.0.1:{self.port}/hub/login",
            "service": f"{self.scheme}://127.0.0.1:{self.port}/services/trove/",
            "tls_cert": str(self._certificate()[0]) if self.scheme == "https" else None,
            "instances": {
                name: {"port": self.instance_ports[ord(name[-1]) - ord("a")], "pid": p.pid}
                for name, p in self.processes.items()
                if name.startswith("instance-")
            },
            "pids": {name: p.pid for name, p in self.processes.items()},
            "results": self.pg_url("trove"),
            "admin": self.admin,
        }

    def stop(self) -> None:
        """SIGTERM to each part, newest first (instances shut their kernels down), SIGKILL after 15 s."""
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            print(f"stopped {name}", flush=True)


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "hub")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--admin", default="admin", help="the hub administrator who approves sign-ups")
    parser.add_argument("--tls", action="store_true", help="https, with a certificate made for 127.0.0.1")
    args = parser.parse_args()
    if not CHP.exists():
        print(f"configurable-http-proxy is missing: run `make hub` (it installs it into {CHP.parents[2]})")
        return 2
    stack = Stack(args.dir, args.port, args.instances, args.admin, tls=args.tls)
    stack.logs.mkdir(parents=True, exist_ok=True)
    (stack.dir / "state.json").unlink(missing_ok=True)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_stop)
    stack.check_ports_free()
    try:
        stack.start_postgres()
        env = stack.environment()
        stack.start_instances(env)
        stack.start_nginx()
        stack.start_hub(env)
        stack.wait_until_up()
        (stack.dir / "state.json").write_text(json.dumps(stack.state(), indent=2), encoding="utf-8")
        print(
            f"Trở về on JupyterHub: {stack.state()['url']}\n"
            f"  sign up as '{args.admin}' first (the administrator), then approve sign-ups at /hub/authorize\n"
            f"  trainers (they approve sign-ups too): the hub group 'trainers' (/hub/admin, or TROVE_TRAINERS=a,b)\n"
            f"  logs: {stack.logs}   Ctrl-C stops everything",
            flush=True,
        )
        reported: set[str] = set()
        while True:  # a part that stops is said at once (the others go on: nginx skips a stopped instance)
            time.sleep(1)
            reported |= stack.report_stopped(reported)
    except _Stop:
        return 0
    except RuntimeError as exc:
        print(f"local hub: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
