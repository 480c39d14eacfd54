"""Glue for python-telegram-bot: build an Application aimed at the emulator and run it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot.emulator.server import BotApiEmulator

DEFAULT_TOKEN = "123456:EMULATOR-TOKEN"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def application_builder(
    emu: BotApiEmulator, token: str | None = None
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ApplicationBuilder with token, base_url and base_file_url pointing at `emu`."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = ApplicationBuilder()
    return (
        builder.token(token or emu.token or DEFAULT_TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
    )


@asynccontextmanager
async def running(
    app: AnyApplication,
    *,
    poll_timeout: float = 1.0,
    drop_pending_updates: bool = False,
) -> AsyncIterator[AnyApplication]:
    """Initialize, start and poll `app`; on exit stop it the way PTB's run_polling does."""
    await app.initialize()
    await app.start()
    assert app.updater is not None, "build the application with an updater to poll"
    await app.updater.start_polling(
        poll_interval=0,
        timeout=timedelta(seconds=poll_timeout),
        drop_pending_updates=drop_pending_updates,
    )
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
