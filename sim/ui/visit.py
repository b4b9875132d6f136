"""The visit a page's kernel serves: its query string and the client's address.

A fresh kernel starts with the visit's request in its environment. A preheated kernel runs the notebook
before anyone visits; Voilà sends the request to it over a websocket (``/voila/query/<kernel id>``) when a
visitor takes it. This module reads that message itself, in a thread, with tornado (already loaded by the
kernel), instead of ``voila.utils`` whose import costs a preheated kernel about a second of CPU and 40 MiB
(issue 9).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0  # the server is local; a refused connection means the kernel outlived it


def on_visit(callback: Callable[[], None]) -> None:
    """Call ``callback`` once the visit's request is in ``os.environ`` (at once in a fresh kernel)."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        callback()
        return
    threading.Thread(target=_wait_then, args=(callback,), name="trove-visit", daemon=True).start()


def _wait_then(callback: Callable[[], None]) -> None:
    try:
        info = asyncio.run(_request_info())
    except Exception:
        log.exception("could not read the visit's request from %s", _query_url())
        return
    os.environ.update({str(k): str(v) for k, v in info.items()})
    callback()


def _query_url() -> str:
    env = os.environ.get
    base = env("VOILA_WS_BASE_URL") or env("VOILA_SERVER_URL", "/")
    host, port = env("VOILA_APP_IP", "127.0.0.1"), env("VOILA_APP_PORT", "8866")
    return f"{env('VOILA_WS_PROTOCOL', 'ws')}://{host}:{port}{base}voila/query/{env('VOILA_KERNEL_ID', '')}"


async def _request_info() -> dict:
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(_query_url(), connect_timeout=CONNECT_TIMEOUT_S)
    try:
        message = await connection.read_message()  # waits for the visit, however long
    finally:
        connection.close()
    return json.loads(message) if message else {}
