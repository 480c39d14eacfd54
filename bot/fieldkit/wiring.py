"""The field kit's start-up wiring that app.py calls: automatic check-ins timed on the bot's
clock, and the packs rebuilt after each published change (both re-planned after a publish)."""

from __future__ import annotations

import logging
from html import escape

from bot.fieldkit.autocheckins import checkin_message, plan_checkins, still_useful
from bot.fieldkit.checkins import ask_travellers
from bot.fieldkit.packs import rebuild_after_publish
from bot.i18n import t
from bot.state import BotContext, BotData
from bot.trip.types import LANGS

log = logging.getLogger(__name__)
PREFIX = "checkin: "


def schedule_checkins(data: BotData, timed: dict[str, set[str]], trip_id: str | None = None) -> int:
    """Time every automatic check-in still worth asking (of `trip_id` alone, after its change);
    drop those no longer planned (a leg moved or was cancelled). `timed` keeps, per trip, the
    names this has timed, so that one trip's re-plan never looks at the others'. How many are
    timed."""
    now, count = data.now(), 0
    for tid in list(data.trips) if trip_id is None else [trip_id]:
        wanted = {f"{PREFIX}{tid}: {p.key}": p for p in plan_checkins(data.trips[tid])}
        for name in timed.get(tid, set()) - wanted.keys():
            data.timers.cancel(name)
        timed[tid] = set()
        for name, planned in wanted.items():
            if still_useful(planned, now):
                data.timers.at(name, planned.at, auto_checkin_job, data=(tid, planned.key))
                timed[tid].add(name)
        count += len(timed[tid])
    return count


async def auto_checkin_job(context: BotContext) -> None:
    """JobQueue: ask an automatic check-in once, through the same path as /checkin."""
    assert context.job is not None and isinstance(context.job.data, tuple)
    data, (trip_id, key) = context.bot_data, context.job.data
    trip = data.trips[trip_id]
    planned = next((p for p in plan_checkins(trip) if p.key == key), None)
    if planned is None or not still_useful(planned, data.now()):
        return  # re-planned away, or found too late (recorded nowhere: nobody was asked)
    if await data.storage.auto_checkin_asked(trip_id, key):
        return
    zh, en = (
        "\n".join(
            (
                t(lang, "checkin_ask"),
                escape(checkin_message(trip, planned, lang)),
                t(lang, "checkin_auto"),
            )
        )
        for lang in LANGS
    )
    message = checkin_message(trip, planned, "zh")
    n = await ask_travellers(data, trip_id, "auto", (zh, en), message, key=key)
    log.info("automatic check-in %s of %s: %d member(s) asked", key, trip_id, n)


async def start_fieldkit(data: BotData) -> None:
    """On start, after the changes service: time the automatic check-ins, re-plan them after
    a jump of the clock, and after each publish re-plan them and rebuild the packs (also now,
    for a version published before a stop that interrupted its rebuild)."""
    timed: dict[str, set[str]] = {}
    log.info("%d automatic check-in(s) timed", schedule_checkins(data, timed))

    async def replan_checkins() -> None:
        schedule_checkins(data, timed)

    data.timers.on_clock_moved(replan_checkins)
    built = await data.storage.pack_versions()
    rebuild_after_publish(data, built)

    async def after_publish(trip_id: str) -> None:
        schedule_checkins(data, timed, trip_id)
        rebuild_after_publish(data, built, trip_id)

    data.changes.on_published(after_publish)
