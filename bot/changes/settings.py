"""A trip's settings for schedule-change notices (the `changes:` key of the content)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from bot.reminders.rules import Duration
from bot.trip.types import Strict


class ChangeSettings(Strict):
    """How unacknowledged notices are sent again: after `resend_after`, at most `max_resends`."""

    resend_after: Duration = timedelta(minutes=30)
    max_resends: int = Field(default=3, ge=0, le=20)
