"""The coordinators' daily digest, in the home zone: notes by member, unacknowledged notices,
check-ins not answered, reminders that did not go out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from typing import Literal, cast

from bot.changes.views import notice_labels
from bot.formatting.clock import day_label, zone_name
from bot.formatting.people import member_name
from bot.formatting.punct import colon, enum
from bot.i18n import t
from bot.notes.model import Note
from bot.reminders.render import subject
from bot.storage import Storage
from bot.trip.models import Trip
from bot.trip.types import Lang

Outcome = Literal["missed", "failed", "unconfirmed"]  # storage's reminder PROBLEMS


@dataclass(frozen=True)
class DigestFacts:
    """What the digest reports, gathered from storage."""

    notes: Sequence[Note]
    # Sent but not acknowledged: the notice's label (changes.views.notice_label) and the
    # recipient's name, both in the reader's language.
    unacked: Sequence[tuple[str, str]]
    silent: Sequence[str]  # members who have not answered the latest check-in
    # What a reminder that did not go out was about, as read, and its outcome (missed, …).
    not_sent: Sequence[tuple[str, Outcome]]


def next_digest(trip: Trip, now: datetime) -> datetime | None:
    """The next digest instant after `now`: the trip's `digest` time in the home zone, on a day
    of the trip (first to last day); None once the trip is over or without a digest time."""
    if trip.digest is None:
        return None
    day = max(now.astimezone(trip.home_zone).date(), trip.start)
    while day <= trip.end:
        at = datetime.combine(day, trip.digest, tzinfo=trip.home_zone).astimezone(UTC)
        if at > now:
            return at
        day += timedelta(days=1)
    return None


def home_day(trip: Trip, day: date) -> tuple[datetime, datetime]:
    """The UTC span of a calendar day in the home zone."""
    start = datetime.combine(day, time(0), tzinfo=trip.home_zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=trip.home_zone)
    return start, end.astimezone(UTC)


def digest_text(trip: Trip, facts: DigestFacts, now: datetime, lang: Lang) -> str:
    """The digest for the home-zone day of `now`."""
    day = now.astimezone(trip.home_zone).date()
    start, end = home_day(trip, day)
    zone = zone_name(trip.home_zone, lang, trip.zone_places)
    lines = [t(lang, "digest_header", day=day_label(day, lang), zone=zone)]
    counts = Counter(n.member_id for n in facts.notes if start <= n.taken_at < end)
    lines.append(t(lang, "digest_notes", n=sum(counts.values())))
    for member in trip.members:
        if counts.get(member.id):
            name = escape(member.name.get(lang))
            lines.append(t(lang, "digest_member_notes", name=name, n=counts[member.id]))
    notices = {label: [n for lb, n in facts.unacked if lb == label] for label, _ in facts.unacked}
    lines.append(t(lang, "digest_unacked", n=len(facts.unacked)))
    lines += [
        f"• {label}{colon(lang)}{enum(lang).join(escape(n) for n in names)}"
        for label, names in notices.items()
    ]
    lines.append(t(lang, "digest_silent", n=len(facts.silent)))
    lines += [f"• {escape(name)}" for name in facts.silent]
    lines.append(t(lang, "digest_not_sent", n=len(facts.not_sent)))
    lines += [
        f"• {escape(what)} — {t(lang, f'rem_problem_{outcome}')}"
        for what, outcome in facts.not_sent
    ]
    return "\n".join(lines)


async def gather(storage: Storage, trip: Trip, lang: Lang) -> DigestFacts:
    """The digest's facts for one trip, read from storage."""
    notes = await storage.notes_of_trip(trip.id)
    # A "pack vN is ready" notice asks nothing of anyone: it is not waiting for an answer.
    notices = [
        n
        for n in await storage.notice_acks(trip.id)
        if not await storage.is_pack_notice(n.notice_id)
    ]
    labels = await notice_labels(storage, notices, lang)
    unacked = [
        (labels[n.notice_id], member_name(trip, member_id, lang))
        for n in notices
        for member_id, state, _, acked in n.recipients
        if acked is None and state in ("sent", "unconfirmed")
    ]
    silent: list[str] = []
    latest = await storage.latest_checkin(trip.id)
    if latest is not None:
        for s in await storage.checkin_states(latest[0]):
            if s.answer is None:
                member = trip.members_by_id.get(s.member_id)
                silent.append(member.name.get(lang) if member else s.name)
    not_sent = [
        (subject(trip, row.plan, lang), cast(Outcome, outcome))
        for row, outcome, _ in await storage.reminder_problems(trip.id)
    ]
    return DigestFacts(notes, unacked, silent, not_sent)
