"""A real PostgreSQL server for the test run: ``initdb`` into a temporary folder, ``pg_ctl start`` on a free port
with its Unix socket in that folder (no TCP), one fresh schema per test, stopped and removed at the end.

PostgreSQL refuses to run as root: as root, the server runs as the ``postgres`` user (Debian's package makes it),
else ``nobody``, through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

BINARIES = ("initdb", "pg_ctl", "postgres")
ADVICE = (
    "the PostgreSQL store's tests need a real server's binaries (initdb, pg_ctl, postgres) on PATH or in "
    "/usr/lib/postgresql/*/bin: install Debian's postgresql (`sudo apt-get install postgresql`; `make test` does it "
    "as root), or leave these tests out with -m 'not postgres'"
)


def binaries_folder() -> Path | None:
    """The folder holding all of ``BINARIES``: PATH first, then Debian's newest /usr/lib/postgresql/*/bin."""
    on_path = [shutil.which(name) for name in BINARIES]
    if all(on_path):
        return Path(on_path[0]).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name), reverse=True):
        if all((Path(folder) / name).exists() for name in BINARIES):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One throwaway cluster: ``url(schema)`` connects to it with ``search_path`` set to that schema."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        root = getattr(os, "geteuid", lambda: None)() == 0  # Windows has no root (and no geteuid)
        self.user = next((u for u in ("postgres", "nobody") if _exists(u)), "postgres") if root else None
        # In /tmp when the server runs as another user: it must reach the folder ($TMPDIR may be private).
        self.folder = Path(tempfile.mkdtemp(prefix="trove-pg-", dir="/tmp" if self.user else None))
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()
        self.data = self.folder / "data"

    def _run(self, *argv: str) -> None:
        command = [str(self.binaries / argv[0]), *argv[1:]]
        if self.user:
            command = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        """initdb (UTF-8, trust for the local socket only) and start, waiting until it accepts connections."""
        self._run("initdb", "-D", str(self.data), "-U", "trove", "-E", "UTF8", "--no-locale", "--auth=trust")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses='' -c max_connections=200 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, schema: str = "public") -> str:
        """A ``postgresql://`` URL of the cluster's ``postgres`` database whose tables go in ``schema``; its
        connections are named after the schema (``application_name`` in ``pg_stat_activity``)."""
        host = quote(str(self.folder), safe="")
        options = quote(f"-c search_path={schema}")
        return f"postgresql://trove@/postgres?host={host}&port={self.port}&options={options}&application_name={schema}"

    def new_schema(self) -> str:
        """A URL whose ``search_path`` is a new empty schema: a fresh database for one test."""
        import psycopg

        schema = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
        return self.url(schema)


def _exists(user: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True
