"""The garbage collector is paused while a replication runs and given back as it was."""

from __future__ import annotations

import gc
import threading

from sim.province.collector import paused_cycle_collection


def test_nested_pauses_resume_the_collector_once_at_the_end():
    assert gc.isenabled()
    with paused_cycle_collection():
        with paused_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_caller_who_disabled_the_collector_keeps_it_disabled():
    gc.disable()
    try:
        with paused_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_in_threads_resume_it_after_the_last():
    entered, release = threading.Barrier(2), threading.Event()

    def pause():
        with paused_cycle_collection():
            entered.wait()
            release.wait()

    first = threading.Thread(target=pause)
    first.start()
    with paused_cycle_collection():
        entered.wait()
        release.set()
        first.join()
        assert not gc.isenabled()  # the thread's pause ended, this one has not
    assert gc.isenabled()
