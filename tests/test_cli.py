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


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["console", "--as", "stranger"], "--as: no member 'stranger' in metropolis-2015"),
        (["console", "--trip", "nosuch"], "--trip: no trip 'nosuch' (trips: metropolis-2015"),
        (["console", "--at", "2015-99-99"], "--at: not an ISO 8601 instant: '2015-99-99'"),
        (["console", "--at", "2015-05-18T08:00"], "--at: give an offset"),
        (
            [
                "pack",
                "--trip",
                "metropolis-2015",
                "--member",
                "cao-kaiwen",
                "--out",
                "/nonexistent/dir/x.pdf",
            ],
            "--out: no folder '/nonexistent/dir' to write 'x.pdf' in",
        ),
    ],
)
def test_console_and_pack_argument_errors_are_one_line_naming_the_argument(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    line: str,
) -> None:
    _env(monkeypatch, tmp_path)
    assert main(args) == 2
    said = capsys.readouterr()
    lines = (said.out + said.err).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(line), lines
    assert not (tmp_path / "console").exists()  # refused before the console touched the data
