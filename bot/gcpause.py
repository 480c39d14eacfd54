"""The cyclic garbage collector paused for a burst of start-up allocation.

Loading hundreds of trips and planning their reminders makes millions of small objects that
live on (content, plans) or die by reference count; the collector's passes over the growing
heap find no cycles in them, and were half of the loader's time at 500 trips. The process
collects and freezes the survivors once it is up (`bot.app`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (as it was afterwards: nesting is safe)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def settle() -> None:
    """Collect once, then freeze the survivors: what start-up built (content, modules, plans)
    lives as long as the process, and out of the collector's view it no longer makes each full
    collection a long pause, nor is walked again by the first one after a paused burst."""
    gc.collect()  # first, so that start-up's garbage is not kept for good
    gc.freeze()
