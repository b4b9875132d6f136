"""Kernels forked from the warm parent (``sim.workshop.fork_server``) through the ``trove-fork`` provisioner: a real
warm parent process, real ipykernel kernels driven by jupyter_client, real signals."""

from __future__ import annotations

import ast
import asyncio
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from traitlets.config import Config

from sim.locations import PROJECT_ROOT
from sim.workshop.fork_provisioner import FORK_PROVISIONER

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="kernels are forked on Linux")]
TRAINEE = PROJECT_ROOT / "notebooks" / "trainee.ipynb"


@pytest.fixture()
def warm_parent(tmp_path):
    socket_path = tmp_path / "fork.sock"
    process = subprocess.Popen(
        [sys.executable, "-m", "sim.workshop.fork_server", str(socket_path), str(TRAINEE)], cwd=TRAINEE.parent
    )
    deadline = time.monotonic() + 20
    while not socket_path.exists() and time.monotonic() < deadline:  # as TroveVoila waits for it
        time.sleep(0.05)
    yield process, socket_path
    process.kill()
    process.wait()


@pytest.fixture(autouse=True)
def own_provisioner_factory():
    """The provisioner factory is a process-wide singleton: these tests configure their own, then drop it."""
    KernelProvisionerFactory.clear_instance()
    yield
    KernelProvisionerFactory.clear_instance()


def forking_manager(socket_path, tmp_path) -> AsyncKernelManager:
    """A kernel manager configured as ``TroveVoila`` configures its own (``_start_warm_parent``)."""
    config = Config()
    config.KernelProvisionerFactory.default_provisioner_name = FORK_PROVISIONER
    config.ForkingProvisioner.fork_server = str(socket_path)
    KernelProvisionerFactory.instance(config=config)
    return AsyncKernelManager(kernel_name="python3", config=config, connection_file=str(tmp_path / "kernel.json"))


async def run_in_kernel(manager: AsyncKernelManager, code: str) -> str:
    """What ``code``'s last expression gives in the kernel (its ``text/plain``)."""
    client, outputs = manager.client(), []
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive(code, timeout=60, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok", reply["content"]
        return next(m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result")
    finally:
        client.stop_channels()


def test_a_forked_kernel_has_the_app_loaded_and_runs_in_its_own_folder_and_environment(warm_parent, tmp_path):
    process, socket_path = warm_parent
    manager = forking_manager(socket_path, tmp_path)

    async def scenario() -> str:
        await manager.start_kernel(env={**os.environ, "TROVE_PROBE": "42"}, cwd=str(tmp_path))
        try:
            return await run_in_kernel(
                manager,
                "import os, sys; (os.getppid(), os.getpid() == os.getpgid(0), os.getcwd(), os.environ['TROVE_PROBE'],"
                " 'sim.ui.trainee' in sys.modules, 'faker' in sys.modules, 'matplotlib' in sys.modules)",
            )
        finally:
            await manager.shutdown_kernel(now=True)

    answer = in_own_loop(scenario())
    assert ast.literal_eval(answer) == (process.pid, True, str(tmp_path), "42", True, True, False)


def test_the_preload_starts_no_thread_event_loop_zmq_context_or_comm():
    probe = (
        "import asyncio, threading, zmq, ipykernel.ipkernel as k\n"
        "from sim.workshop.fork_server import WarmParent, notebook_imports\n"
        "from pathlib import Path\n"
        f"WarmParent(notebook_imports(Path({str(TRAINEE)!r}))).preload()\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "assert asyncio.get_event_loop_policy()._local._loop is None\n"
        "assert zmq.Context._instance is None\n"
        "assert k._comm_manager is None\n"
        "print('clean')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "clean", done.stderr


def test_kernels_exit_when_the_warm_parent_goes(warm_parent, tmp_path):
    process, socket_path = warm_parent
    manager = forking_manager(socket_path, tmp_path)

    async def start() -> int:
        await manager.start_kernel()
        await run_in_kernel(manager, "1 + 1")
        return manager.provisioner.pid

    pid = in_own_loop(start())
    process.kill()  # as when Voilà is gone and the warm parent with it
    process.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}") and _state(pid) not in ("Z", "X"):
        time.sleep(0.2)
    assert not os.path.exists(f"/proc/{pid}") or _state(pid) in ("Z", "X"), "the kernel outlived its warm parent"


def test_without_a_warm_parent_the_kernel_starts_the_usual_way(tmp_path):
    manager = forking_manager(tmp_path / "nobody-listens.sock", tmp_path)

    async def scenario() -> str:
        await manager.start_kernel()
        try:
            return await run_in_kernel(manager, "import os; os.getppid() == " + str(os.getpid()))
        finally:
            await manager.shutdown_kernel(now=True)

    assert in_own_loop(scenario()) == "True"  # a child of this process, as LocalProvisioner launches it


def in_own_loop(coroutine):
    """Run ``coroutine`` to its end on a new event loop in a thread (the browser tests leave one running here)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0]
    except OSError:
        return "X"
