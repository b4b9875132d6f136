"""The room screen's data (issue 10 item 6): the trainee URL, the workshop code, the QR code and who has joined.

The trainer page runs in a kernel that Voilà starts for the trainer's visit: it knows the server's name and
port and the visit's query (with the token) from Voilà's request variables, and the workshop's code from the
store. The URL and the QR code are made by ``trove serve``'s own functions (``ServeConfig.trainee_url``,
``qr_code``), so the wall shows the link the terminal printed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from sim.workshop.serve import ServeConfig, is_loopback, lan_address


@dataclass(frozen=True)
class RoomCount:
    """Who has joined the workshop, how many of them have a case open, and how many cases were submitted."""

    joined: int
    working: int
    submitted: int


def trainee_url(environ: Mapping[str, str], code: str | None) -> str | None:
    """The trainee URL for the room, from the trainer page's request (Voilà's ``SERVER_NAME``, ``SERVER_PORT``,
    ``QUERY_STRING``), or None outside Voilà.

    A server that listens beyond this machine has a token; the trainer who opened the page on this machine
    (``127.0.0.1``) gets the laptop's network address in the URL, as ``trove serve`` prints it.

    >>> trainee_url({"SERVER_NAME": "192.168.1.5", "SERVER_PORT": "8866", "QUERY_STRING": "token=abc"}, "ABC234")
    'http://192.168.1.5:8866/voila/render/trainee.ipynb?token=abc&code=ABC234'
    >>> trainee_url({"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8870", "QUERY_STRING": ""}, None)
    'http://127.0.0.1:8870/voila/render/trainee.ipynb'
    >>> trainee_url({}, "ABC234") is None
    True
    """
    server, port = environ.get("SERVER_NAME"), environ.get("SERVER_PORT")
    if not server or not (port or "").isdigit():
        return None
    token = (parse_qs(environ.get("QUERY_STRING", "")).get("token") or [None])[0]
    host = server
    if token and is_loopback(server):
        host = lan_address() or server
    config = ServeConfig(host="127.0.0.1", port=int(port), code=code or "", token=token)
    return config.trainee_url(host)


@lru_cache(maxsize=8)
def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as PNG bytes (drawn by ``trove serve``'s ``qr_code``).

    >>> qr_png("http://192.168.1.5:8866/voila/render/trainee.ipynb?code=ABC234")[1:4]
    b'PNG'
    """
    from sim.workshop.serve import qr_code

    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "qr.png"
        qr_code(url, png)
        return png.read_bytes()
