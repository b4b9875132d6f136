"""The warm parent of the workshop's kernels: one process that has imported the trainee app and loaded the
library once, and forks a kernel from itself for each page (``sim.workshop.fork_provisioner`` asks it).

A forked kernel starts with the imports, the library, the checked exercises and the case generator already in
memory, shared copy-on-write with its siblings: about 1 CPU-second and tens of MiB less per kernel than a fresh
``python -m ipykernel_launcher``, which on 2 cores is what a room joining at once waits for.

What the parent preloads comes from the notebook it serves: every module the notebook's code cells import, and
each such module's ``preload()`` if it has one (the trainee app's loads the library). Nothing that starts a
thread, an event loop or a ZMQ context may run here: a forked child would share it.

The protocol, over a Unix socket, one connection per kernel: a JSON line ``{"argv": [...], "env": {...},
"cwd": "..."}`` (``argv``: the kernel's arguments after ``-m ipykernel_launcher``), answered by ``{"pid": N}``.
The parent reaps its children, reloads the library when a scenario, exercise or data file has changed since it
was loaded, and exits when the process that started it (Voilà) has gone; its kernels then exit too (ipykernel
watches its parent).
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import gc
import importlib
import json
import os
import signal
import socket
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path

from sim.locations import PACKAGED_DATA, exercise_dir, scenario_dir

KERNEL_MODULE = "ipykernel_launcher"  # kernels started as ``python -m ipykernel_launcher`` can be forked
KERNEL_PROCESS_NAME = "trove-kernel"  # what ``ps``/``top`` call a forked kernel (it keeps the parent's command line)
PARENT_CHECK_SECONDS = 1.0


def is_kernel(name: str, command_line: str) -> bool:
    """Whether a process (its name and command line) is a kernel: forked here, or started as ipykernel_launcher.

    >>> is_kernel(KERNEL_PROCESS_NAME, "python -m sim.workshop.fork_server s n"), is_kernel("python", "python -m x")
    (True, False)
    """
    return (
        name == KERNEL_PROCESS_NAME or KERNEL_MODULE in command_line
    )  # how often the parent checks that Voilà is still there


def notebook_imports(notebook: Path) -> list[str]:
    """The modules the code cells of ``notebook`` import, in order.

    >>> from sim.locations import PROJECT_ROOT
    >>> notebook_imports(PROJECT_ROOT / "notebooks" / "trainee.ipynb")
    ['sim.ui.trainee']
    """
    modules: list[str] = []
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
            elif isinstance(node, ast.Import):
                modules += [alias.name for alias in node.names]
    return list(dict.fromkeys(modules))


def library_fingerprint() -> tuple:
    """What the packaged library was read from: every file's path, size and modification time."""
    seen = []
    for folder in (PACKAGED_DATA, scenario_dir(), exercise_dir()):
        for path in sorted(Path(folder).rglob("*")) if Path(folder).is_dir() else []:
            if path.is_file():
                stat = path.stat()
                seen.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(seen)


class WarmParent:
    """The preloaded process: ``preload`` once, then ``fork`` a kernel per request."""

    def __init__(self, modules: Iterable[str]):
        self.modules = ["ipykernel.kernelapp", *modules]
        self.fingerprint: tuple = ()
        self.library_dirs = (scenario_dir(), exercise_dir())

    def preload(self) -> None:
        """Import the modules and run their ``preload()`` hooks; freeze what exists so that the garbage collector
        does not touch (and so copy) the shared pages in every child."""
        from sim.library import packaged_library

        packaged_library.cache_clear()
        self.fingerprint = library_fingerprint()
        for name in self.modules:
            hook = getattr(importlib.import_module(name), "preload", None)
            if callable(hook):
                hook()
        gc.collect()
        gc.freeze()

    def refresh(self) -> None:
        """Load the library again if one of its files changed since it was loaded (a trainer saved a scenario)."""
        if library_fingerprint() != self.fingerprint:
            self.preload()

    def fork(self, request: dict, *closing: socket.socket) -> int:
        """Fork a kernel for ``request``; in the child this never returns."""
        pid = os.fork()
        if pid:
            return pid
        try:
            for sock in closing:
                sock.close()
            self._become_kernel(request["argv"], request["env"], request["cwd"])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)

    def _become_kernel(self, argv: list[str], env: dict[str, str], cwd: str) -> None:
        """Run ipykernel in this (forked) process, as ``python -m ipykernel_launcher`` would."""
        os.setsid()  # its own process group: Voilà interrupts and kills the kernel by group
        _name_process(KERNEL_PROCESS_NAME)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(cwd)
        os.environ.clear()  # in place: modules keep a reference to os.environ
        os.environ.update(env)
        if (scenario_dir(), exercise_dir()) != self.library_dirs:  # this kernel reads other folders
            from sim.library import packaged_library

            packaged_library.cache_clear()
        gc.unfreeze()
        if sys.path and sys.path[0] == "":
            del sys.path[0]  # as ipykernel_launcher does
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = [KERNEL_MODULE, *argv]
        app = IPKernelApp.instance()
        app.initialize([*argv, f"--IPKernelApp.parent_handle={os.getppid()}"])  # it exits when this parent does
        if "ipywidgets" in sys.modules:  # imported before there was a kernel: register its comm targets now
            sys.modules["ipywidgets"].register_comm_target()
        app.start()


def _name_process(name: str) -> None:
    """Set this process's name (Linux ``prctl(PR_SET_NAME)``; nothing where it is missing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(15, name.encode()[:15], 0, 0, 0)


def _reap_children(*_: object) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(socket_path: str, notebook: str) -> None:
    """Preload for ``notebook``, then fork a kernel for each request on ``socket_path`` until Voilà has gone."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does: kernels do not import from their folder
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)  # bound before preloading: a request waits for the preload instead of failing
    os.chmod(socket_path, 0o600)
    listener.listen(64)
    listener.settimeout(PARENT_CHECK_SECONDS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Voilà stops it (Ctrl-C reaches the whole terminal group)
    signal.signal(signal.SIGCHLD, _reap_children)
    try:
        warm = WarmParent(notebook_imports(Path(notebook)))
        warm.preload()
        _answer(listener, warm, parent)
    finally:
        listener.close()
        Path(socket_path).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            Path(socket_path).parent.rmdir()


def _answer(listener: socket.socket, warm: WarmParent, parent: int) -> None:
    """Fork a kernel for each request until the parent process has gone."""
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(10)
            try:
                request = json.loads(conn.makefile("rb").readline())
                warm.refresh()
                pid = warm.fork(request, listener, conn)
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            except (OSError, ValueError, KeyError) as exc:
                print(f"fork server: request refused: {exc}", file=sys.stderr)
                _send_quietly(conn, {"error": str(exc)})


def _send_quietly(conn: socket.socket, message: dict) -> None:
    with contextlib.suppress(OSError):
        conn.sendall(json.dumps(message).encode() + b"\n")


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
