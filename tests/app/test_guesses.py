"""Resume-code guess limits (``sim.app.guesses``): the client's address and the store's forgetting window."""

from __future__ import annotations

import time

from sim.app.guesses import ADDRESS_WINDOW_S, GuessLimiter, client_address
from sim.workshop.stores import open_store


def test_the_client_address_comes_from_the_given_environment_only():
    assert client_address({"HTTP_X_TROVE_CLIENT": "10.0.0.7"}) == "10.0.0.7"
    assert client_address({"HTTP_X_TROVE_CLIENT": ""}) is None and client_address({}) is None


def test_failures_older_than_the_window_are_forgotten_when_one_is_recorded(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    store.record_resume_failure("10.0.0.7", ADDRESS_WINDOW_S)
    assert store.recent_resume_failures("10.0.0.7", ADDRESS_WINDOW_S) == 1
    assert store.recent_resume_failures("10.0.0.8", ADDRESS_WINDOW_S) == 0
    time.sleep(0.01)
    store.record_resume_failure("10.0.0.8", window_seconds=0)  # everything before now is out of this window
    with store.connect() as con:
        rows = con.execute("SELECT address FROM resume_failures").fetchall()
    assert [tuple(row) for row in rows] == [("10.0.0.8",)]


def test_a_limiter_counts_its_page_and_its_address(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    limiter = GuessLimiter(store)
    limiter.failed("10.0.0.7")
    limiter.failed(None)  # unknown address: counted on the page only
    assert len(limiter.page_failures) == 2 and store.recent_resume_failures("10.0.0.7", ADDRESS_WINDOW_S) == 1
