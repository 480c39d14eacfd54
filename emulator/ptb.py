"""Glue for python-telegram-bot: build an Application aimed at the emulator and run it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from emulator.server import BotApiEmulator

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
    """Run `app` as run_polling does, hooks included: init, post_init, poll, start; reverse."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    assert app.updater is not None, "build the application with an updater to poll"
    await app.updater.start_polling(
        poll_interval=0,
        timeout=timedelta(seconds=poll_timeout),
        drop_pending_updates=drop_pending_updates,
    )
    await app.start()
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
