"""The shell commands: the first coordinator's invite, and clear errors on bad arguments."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import InviteRefused, Storage

ROOT = Path(__file__).resolve().parent.parent


def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_CONTENT_DIR", str(ROOT / "content"))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


def test_invite_prints_a_code_that_admits_a_coordinator_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    args = ["invite", "--trip", "metropolis-2015", "--member", "intl-desk", "--role", "coordinator"]
    assert main(args) == 0
    out = capsys.readouterr().out
    code = out.split("send to the bot: /start ")[1].split()[0]

    async def redeem() -> object:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            now = datetime.now(UTC)
            first = await storage.redeem_code(
                code, user_id=1, chat_id=1, lang="zh", name="A", now=now
            )
            again = await storage.redeem_code(
                code, user_id=2, chat_id=2, lang="zh", name="B", now=now
            )
            return first, again
        finally:
            await storage.close()

    first, again = asyncio.run(redeem())
    assert getattr(first, "role", None) == "coordinator" and again is InviteRefused.USED


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["invite", "--trip", "nope", "--member", "intl-desk"], "--trip"),
        (["invite", "--trip", "metropolis-2015", "--member", "nobody"], "--member"),
    ],
)
def test_invite_errors_name_the_argument(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    where: str,
) -> None:
    _env(monkeypatch, tmp_path)
    assert main(args) == 2
    assert where in capsys.readouterr().err
