"""The collector paused for start-up's bursts, and settled once after them."""

from __future__ import annotations

import gc
import weakref

from bot.gcpause import collector_paused, settle


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_the_pause_nests_and_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one paused
    assert gc.isenabled()


def test_settle_frees_the_bursts_cycles_and_freezes_what_lives_on() -> None:
    kept = [_Node() for _ in range(3)]
    with collector_paused():
        dropped = _Node()
        gone = weakref.ref(dropped)
        del dropped
        assert gone() is not None  # no collector while paused
        try:
            settle()
            assert gone() is None
            assert gc.get_freeze_count() >= len(kept)
        finally:
            gc.unfreeze()  # the test process goes on collecting as before
