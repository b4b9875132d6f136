"""Limits on resume-code guesses, so nobody can find another trainee's code by trying many.

A page (one kernel) may type a few wrong codes, counted in memory; a client address may type more, counted
in the results store (for ``ADDRESS_WINDOW_S``, then forgotten), so opening new pages does not reset the count.
A trainee who lost the code asks the trainer, who finds them by name on the dashboard, reads the code or issues
a new one.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Mapping

from sim.workshop.serve import CLIENT_HEADER
from sim.workshop.store import ResultsStore

PAGE_LIMIT = 5  # wrong codes one page may type …
PAGE_WINDOW_S = 300  # … within five minutes
ADDRESS_LIMIT = 20  # wrong codes one client address may type from all its pages …
ADDRESS_WINDOW_S = 600  # … within ten minutes (every phone on the room's Wi-Fi has its own address)


def client_address(environ: Mapping[str, str] = os.environ) -> str | None:
    """The address of the client this kernel serves, as ``trove serve`` passed it; None outside the server.

    Voilà hands the server's ``CLIENT_HEADER`` to the page's kernel as an environment variable (RFC 3875 style), so
    ``environ`` is this process's environment unless given.

    >>> client_address({"HTTP_X_TROVE_CLIENT": "10.0.0.7"}), client_address({})
    ('10.0.0.7', None)
    """
    return environ.get("HTTP_" + CLIENT_HEADER.upper().replace("-", "_")) or None


class GuessLimiter:
    """Counts one page's wrong resume codes and its client address's; says when to refuse the next guess.

    Examples
    --------
    >>> from sim.workshop.stores import open_store
    >>> import tempfile, pathlib
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "r.sqlite")
    >>> limiter = GuessLimiter(store)
    >>> for _ in range(PAGE_LIMIT):
    ...     limiter.failed("10.0.0.7")
    >>> limiter.allowed("10.0.0.7"), GuessLimiter(store).allowed("10.0.0.8")
    (False, True)
    """

    def __init__(self, store: ResultsStore, clock: Callable[[], float] = time.monotonic):
        self.store, self.clock = store, clock
        self.page_failures: deque[float] = deque()

    def allowed(self, address: str | None) -> bool:
        """Whether this page, from ``address`` (None when unknown), may try another code now.

        >>> from sim.app.demo import demo_workshop
        >>> GuessLimiter(demo_workshop().store).allowed(None)
        True
        """
        cutoff = self.clock() - PAGE_WINDOW_S
        while self.page_failures and self.page_failures[0] < cutoff:
            self.page_failures.popleft()
        if len(self.page_failures) >= PAGE_LIMIT:
            return False
        if address is None:
            return True
        return self.store.recent_resume_failures(address, ADDRESS_WINDOW_S) < ADDRESS_LIMIT

    def failed(self, address: str | None) -> None:
        """Count a wrong code typed on this page from ``address``.

        >>> from sim.app.demo import demo_workshop
        >>> store = demo_workshop().store
        >>> GuessLimiter(store).failed("10.0.0.7")
        >>> store.recent_resume_failures("10.0.0.7", ADDRESS_WINDOW_S)
        1
        """
        self.page_failures.append(self.clock())
        if address is not None:
            self.store.record_resume_failure(address, ADDRESS_WINDOW_S)
