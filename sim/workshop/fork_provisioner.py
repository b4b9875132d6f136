"""Kernels forked from the warm parent (``sim.workshop.fork_server``) instead of started fresh: a Jupyter kernel
provisioner (entry point ``trove-fork``) that ``trove serve``'s Voilà uses on Linux.

It is jupyter_client's ``LocalProvisioner`` except for the launch: a kernel command of the same Python running
``-m ipykernel_launcher`` is sent to the warm parent, which forks the kernel; anything else (another kernel, no
warm parent, the warm parent gone or too slow) starts the usual way. A forked kernel is not Voilà's child, so
``ForkedKernel`` watches it by its process id and start time instead of ``subprocess.Popen``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Float, Unicode

from sim.workshop.fork_server import KERNEL_MODULE

FORK_PROVISIONER = "trove-fork"  # its entry point name (pyproject.toml)


def forkable(cmd: list[str]) -> bool:
    """Whether a kernel command can be forked from the warm parent: this Python, ``-m ipykernel_launcher``.

    >>> forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    True
    >>> forkable(["/usr/bin/R", "--slave", "-e", "IRkernel::main()"])
    False
    """
    if len(cmd) < 3 or cmd[1:3] != ["-m", KERNEL_MODULE]:
        return False
    try:
        return os.path.samefile(cmd[0], sys.executable)
    except OSError:
        return False


def _start_time(pid: int) -> str | None:
    """The process's start time (field 22 of ``/proc/PID/stat``), or None if it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return None if fields[0] in ("Z", "X") else fields[19]


class ForkedKernel:
    """What ``LocalProvisioner`` needs of a ``Popen``, for a kernel that is the warm parent's child, not ours.

    Its exit status is not known here (the warm parent reaps it): ``poll`` gives 0 once it has gone.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None
        self.started = _start_time(pid)

    def poll(self) -> int | None:
        """None while the kernel runs (the same process: its start time has not changed), else 0."""
        if self.returncode is None and (self.started is None or _start_time(self.pid) != self.started):
            self.returncode = 0
        return self.returncode

    def wait(self) -> int:
        """The exit status, once ``poll`` has seen the kernel gone (``LocalProvisioner.wait`` polls first)."""
        return self.poll() or 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel, if it still runs."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)


class ForkingProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose ipykernel kernels are forked from the warm parent listening on ``fork_server``."""

    fork_server = Unicode("", config=True, help="the warm parent's Unix socket ('': start kernels the usual way)")
    fork_timeout = Float(60.0, config=True, help="seconds to wait for the warm parent (it may still be preloading)")

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel from the warm parent, or launch it as ``LocalProvisioner`` does."""
        if not (self.fork_server and forkable(cmd)):
            return await super().launch_kernel(cmd, **kwargs)
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            pid = await asyncio.wait_for(self._ask_for_fork(cmd[3:], env, cwd), self.fork_timeout)
        except (TimeoutError, OSError, ValueError, KeyError) as exc:
            self.log.warning("the warm parent could not fork a kernel (%s): starting it the usual way", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid  # the forked kernel leads its own process group
        self.cwd = cwd
        return self.connection_info

    async def _ask_for_fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        reader, writer = await asyncio.open_unix_connection(self.fork_server)
        try:
            writer.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            await writer.drain()
            answer = json.loads(await reader.readline())
        finally:
            writer.close()
        if "pid" not in answer:
            raise ValueError(answer.get("error", "no pid in the answer"))
        return int(answer["pid"])
