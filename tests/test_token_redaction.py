"""The token never appears in anything the process writes: logs at DEBUG, tracebacks, stderr on
a crash, stdout, or the data directory; also when Telegram rejects it."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from pathlib import Path

import pytest

from bot.logs import RedactToken, install_excepthooks, redact
from emulator import BotApiEmulator
from tests.e2e import ROOT

SECRET = "RejectedSecretRejectedSecret_0123"
TOKEN = f"654321:{SECRET}"


def _leaks(blob: bytes) -> bool:
    return SECRET.encode() in blob or SECRET[:12].encode() in blob


async def test_a_rejected_token_is_in_no_byte_the_process_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # The emulator accepts another token only: getMe answers 401, PTB raises InvalidToken with
    # the token in its message.
    async with BotApiEmulator(token="111111:TheOnlyTokenTheEmulatorTakes_00") as emu:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": emu.base_url,
            "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
            "BOT_DATA_DIR": str(data),
            "BOT_LOG_LEVEL": "DEBUG",
            "PYTHONFAULTHANDLER": "1",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        calls = [call.method for call in emu.calls]
    assert proc.returncode != 0
    assert "getMe" in calls  # it did try the token
    assert err, "nothing on stderr"  # DEBUG logging and the failure went somewhere
    assert b"rejected" in err or b"InvalidToken" in err or b"Unauthorized" in err, err[-2000:]
    assert not _leaks(out) and not _leaks(err), (out[-2000:], err[-2000:])
    for path in data.rglob("*") if data.exists() else []:
        if path.is_file():
            assert not _leaks(path.read_bytes()), path


def test_the_log_filter_masks_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactToken(TOKEN))
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            log.exception("failed")
        log.error("stack", stack_info=True, extra={"x": TOKEN})
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert SECRET not in text and "<token>" in text and "RuntimeError" in text


def test_the_excepthook_masks_what_escapes_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthooks(TOKEN)
    try:
        raise ValueError(f"boom {TOKEN}")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert SECRET not in stream.getvalue() and "ValueError: boom <token>" in stream.getvalue()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"url /bot{TOKEN}/getMe", "url /bot<token>/getMe"),
        ("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw x", "<token> x"),
        ("12:30 and 2015-05-18T12:00", "12:30 and 2015-05-18T12:00"),
        ("https://b.tw/cal/yXBp_WmEmEuwZshseiymsCw84-A5yWpU.ics x", "https://b.tw/cal/<key>.ics x"),
        (
            "{'url': 'https://b.tw/telegram', 'secret_token': 'a-B_9'}",
            "{'url': 'https://b.tw/telegram', 'secret_token': '<secret>'}",
        ),
        ("X-Telegram-Bot-Api-Secret-Token: abc_DEF-1", "X-Telegram-Bot-Api-Secret-Token: <secret>"),
        ("/cal/short.ics and secret tokens", "/cal/short.ics and secret tokens"),
    ],
)
def test_anything_shaped_like_a_token_is_masked(text: str, masked: str) -> None:
    assert redact(text) == masked
