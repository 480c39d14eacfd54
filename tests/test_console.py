"""The console, driven as a person would: a subprocess fed lines on stdin, read on stdout.

It rehearses the trip on the same data as `run`, `invite` and `report`, shows what the bot
does (edits included), saves the files it sends, and its clock moves every reminder."""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAMP = re.compile(r"^🤖 \[(\d\d-\d\d \d\d:\d\d) UTC−3\]( ✏️ \(edited\))? (.*)$", re.M)


def _bot(
    data: Path,
    *args: str,
    lines: list[str] | None = None,
    timeout: float = 120,
    pack_on_publish: bool = True,
) -> str:
    env = {**os.environ, "BOT_DATA_DIR": str(data), "TELEGRAM_BOT_TOKEN": ""}
    env["BOT_PACK_ON_PUBLISH"] = "1" if pack_on_publish else "0"
    env.pop("BOT_CLOCK_START", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input="\n".join(lines or []) + "\n",
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _sent(out: str, start: str) -> list[tuple[str, str]]:
    """(stamp, first line) of each bot message whose first line starts with `start`."""
    return [(m[1], m[3]) for m in STAMP.finditer(out) if m[3].startswith(start)]


def test_the_console_as_coordinator(tmp_path: Path) -> None:
    out = _bot(tmp_path, "console", lines=["/itinerary 104.05.17", "/members"])
    assert "承辦人" in out and "羅馬 UTC+2 → 20:30 布宜諾斯艾利斯 UTC−3" in out
    assert "已加入成員" in out
    assert f"Data: {tmp_path} (BOT_DATA_DIR)" in out


def test_console_as_a_delegate_with_clock_travel(tmp_path: Path) -> None:
    lines = [":at 2015-05-17T18:00+02:00", "/now", "/invite yi-rongzong"]
    out = _bot(tmp_path, "console", "--as", "cao-kaiwen", "--role", "delegate", lines=lines)
    assert "曹凱雯" in out and "clock set to 2015-05-17 16:00 UTC" in out
    assert "進行中" in out and "FCO→EZE" in out and "僅限承辦人" in out


def test_jumps_send_what_fell_due_once_record_the_missed_and_a_jump_back_sends_nothing(
    tmp_path: Path,
) -> None:
    out = _bot(
        tmp_path,
        "console",
        lines=[
            ":at 2015-05-18T08:31-03:00",  # the two 08:30 reminders (their legs start at 09:00)
            ":at 2015-05-18T10:45-03:00",  # the two 10:30 ones: 11:00 is 15 minutes away
            ":at 2015-05-18T14:10-03:00",  # the 13:30 ones are too late: missed, shown below
            "/reminders",
            ":at 2015-05-18T08:00-03:00",  # back: nothing again
            ":at 2015-05-18T10:50-03:00",
            "/reminders",
        ],
    )
    reminders = _sent(out, "⏰")
    assert reminders == [
        ("05-18 08:31", "⏰ 29 分後開始"),
        ("05-18 08:31", "⏰ 29 分後開始"),
        ("05-18 10:45", "⏰ 15 分後開始"),
        ("05-18 10:45", "⏰ 15 分後開始"),
    ], out
    listing = out.split("接下來的提醒")[1]
    assert "未送達的提醒" in listing and "大都會執行財務委員會議 — 錯過" in listing
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    states = dict(
        db.execute(
            "SELECT subject, state FROM reminders WHERE kind='leg' AND due_at LIKE '2015-05-18%'"
        ).fetchall()
    )
    assert states["statutory-regional-secretaries"] == "fired"
    assert states["statutory-women"] == "fired" and states["statutory-financial"] == "missed"
    assert states["statutory-board"] == "planned"


def test_a_restart_of_the_console_sends_what_fell_due_while_it_was_closed(tmp_path: Path) -> None:
    _bot(tmp_path, "console", "--at", "2015-05-18T08:00-03:00")
    out = _bot(tmp_path, "console", "--at", "2015-05-18T10:55-03:00")
    assert [text for _, text in _sent(out, "⏰")] == ["⏰ 5 分後開始", "⏰ 5 分後開始"], out


def test_a_day_at_speed_600_brings_each_reminder_in_order_at_its_rehearsal_instant(
    tmp_path: Path,
) -> None:
    out = _bot(
        tmp_path,
        "console",
        "--at",
        "2015-05-18T07:20-03:00",
        lines=[
            ":speed 600",  # a trip hour in 6 s
            ":until 2015-05-18T11:00-03:00",
            ":speed 1",
            "/next",
        ],
    )
    got = [(stamp, text) for stamp, text in _sent(out, "") if text[0] in "📋⏰"]
    due = ["05-18 07:30", "05-18 08:30", "05-18 08:30", "05-18 10:30", "05-18 10:30"]
    assert [text[0] for _, text in got] == ["📋", "⏰", "⏰", "⏰", "⏰"], out
    for (stamp, _), when in zip(got, due, strict=True):
        late = datetime.strptime(stamp, "%m-%d %H:%M") - datetime.strptime(when, "%m-%d %H:%M")
        assert timedelta(0) <= late <= timedelta(minutes=5), (stamp, when)
    assert "clock runs ×600" in out and "下一項" in out


def test_an_edited_keyboard_is_shown_again_and_a_stray_digit_is_not_a_note(tmp_path: Path) -> None:
    out = _bot(
        tmp_path,
        "console",
        "--at",
        "2015-05-19T12:40-03:00",
        lines=[
            "1",  # nothing with buttons yet
            "黃大使建議以花博邀請會員城市 #建議",
            "2",  # 🏷 標籤: the bot edits the note's message to show the tags
            "6",  # ⬅️ 返回
            ":edit 2 黃大使建議以花博邀請會員城市參訪 #建議 #心得",
            "/notes",
        ],
    )
    assert "no buttons to press; to note the number, send /note 1" in out
    saved = [text for _, edited, text in STAMP.findall(out) if not edited and "已儲存筆記" in text]
    assert saved == ["✅ 已儲存筆記 #1"], out
    edited = [text for _, edited, text in STAMP.findall(out) if edited]
    assert edited and all(text.startswith("✅ 已儲存筆記 #1") for text in edited), out
    tags = out.split("→ 🏷 標籤")[1].split("→ ⬅️ 返回")[0]
    assert "✏️ (edited)" in tags and "[6] ⬅️ 返回" in tags and "[3] ✅ #建議 建議" in tags
    assert "筆記 #1 已更新" in out and "參訪" in out.split("/notes")[-1]


def test_a_calendar_the_bot_sends_is_saved_where_the_console_says(tmp_path: Path) -> None:
    out = _bot(tmp_path, "console", lines=["/calendar"])
    found = re.search(r"\[file metropolis-2015\.ics, (\d+) bytes, saved to (.+?)\]", out)
    assert found is not None, out
    path = Path(found[2])
    assert path.parent == tmp_path / "console" / "files"
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert path.stat().st_size == int(found[1])


def test_notes_taken_in_the_console_are_in_the_report(tmp_path: Path) -> None:
    _bot(
        tmp_path,
        "console",
        "--at",
        "2015-05-19T12:40-03:00",
        lines=["拜會黃大使：協助邀請會員城市參加花博 #建議"],
    )
    # A second session: its first messages must not be taken for the first session's.
    _bot(
        tmp_path,
        "console",
        "--at",
        "2015-05-19T12:50-03:00",
        lines=["代表處願提供當地媒體聯繫窗口 #心得"],
    )
    report = tmp_path / "report.md"
    printed = _bot(tmp_path, "report", "--trip", "metropolis-2015", "--out", str(report))
    text = report.read_text(encoding="utf-8")
    assert "協助邀請會員城市參加花博" in text and "代表處願提供當地媒體聯繫窗口" in text
    assert "✅ 心得：1 段" in printed and "✅ 建議：1 段" in printed


def test_an_invite_code_from_the_shell_works_in_the_console(tmp_path: Path) -> None:
    def code(member: str) -> str:
        out = _bot(
            tmp_path,
            "invite",
            "--trip",
            "metropolis-2015",
            "--member",
            member,
            "--role",
            "delegate",
        )
        return out.split("send to the bot: /start ")[1].split()[0]

    cao = code("cao-kaiwen")
    out = _bot(tmp_path, "console", "--code", cao, lines=["/help"])
    assert "as 曹凱雯 (cao-kaiwen), delegate" in out and "曹凱雯您好" in out
    assert "邀請碼無效" not in out
    again = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--code", cao],
        cwd=ROOT,
        input="",
        env={**os.environ, "BOT_DATA_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2 and "not valid, used or expired" in again.stdout  # not joined
    # Typed in chat by the console's own (already joined) account, another member's code is
    # refused, not taken as a silent change of who it is.
    out = _bot(tmp_path, "console", lines=[f"/start {code('intl-desk')}"])
    assert "此邀請碼屬於另一位成員，您的帳號身分不變" in out and "承辦窗口您好" not in out


def test_the_readme_walkthrough_shows_the_delegate_the_notice_sent_while_away(
    tmp_path: Path,
) -> None:
    # As the README's walk-through says, packs are not rebuilt: only the notice, no 📦.
    bot = functools.partial(_bot, pack_on_publish=False)
    delegate = ("console", "--as", "cao-kaiwen", "--role", "delegate", "--at")
    bot(tmp_path, *delegate, "2015-05-18T17:00-03:00")
    out = bot(
        tmp_path,
        "console",
        "--at",
        "2015-05-18T17:00-03:00",
        lines=[
            "/delay opening-ceremony 30m 交通管制",
            "1",
            ":at 2015-05-18T18:31-03:00",
        ],
    )
    assert "通知 1 人" in out
    out = bot(
        tmp_path,
        *delegate,
        "2015-05-18T17:50-03:00",
        lines=[":until 2015-05-18T17:50:05-03:00", "1"],
    )
    away = out.split("While you were away")[1].split("end of what came while you were away")[0]
    notices = [m for m in STAMP.finditer(away) if m[3].startswith("🔄 行程變更")]
    assert [m[1] for m in notices] == ["05-18 17:00", "05-18 18:31"], away  # sent, sent again
    assert "[1] ✅ 收到" in away and "⏰ 29 分後開始" in away
    assert "no buttons" not in out
    pressed = out.split("→ ✅ 收到")[1]
    assert "已確認收到" in pressed and "✏️ (edited) 🔄 行程變更（v1）" in pressed
    # Seen once: the next session of the delegate does not show them again.
    assert "While you were away" not in bot(tmp_path, *delegate, "2015-05-18T18:00-03:00")


def test_a_code_starting_with_a_dash_joins_the_console_and_new_codes_never_start_so(
    tmp_path: Path,
) -> None:
    import asyncio

    from bot.storage import Storage
    from bot.storage.access import NewInvite

    async def old_code(code: str) -> None:  # as issued before codes began with a letter
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        at = datetime(2015, 5, 1, 12, 0).astimezone()
        hashed = storage.invite_hash(code)
        await storage.create_invite(
            NewInvite(
                hashed,
                "metropolis-2015",
                "cao-kaiwen",
                "delegate",
                "shell",
                at,
                at + timedelta(days=60),
            )
        )
        await storage.close()

    asyncio.run(old_code("-TB2HTZfakqxOD03"))
    out = _bot(tmp_path, "console", "--at", "2015-05-18T08:00-03:00", "--code", "-TB2HTZfakqxOD03")
    assert "as 曹凱雯 (cao-kaiwen), delegate" in out
    for _ in range(3):
        printed = _bot(
            tmp_path,
            "invite",
            "--trip",
            "metropolis-2015",
            "--member",
            "yi-rongzong",
            "--role",
            "delegate",
        )
        code = printed.split("code: ")[1].split()[0]
        assert f"console --code={code}" in printed
        assert code[0].isalnum() and len(code) >= 17  # 96 random bits after the first


def test_a_member_a_coordinator_revoked_is_not_let_back_in_by_the_console(tmp_path: Path) -> None:
    as_cao = ("console", "--as", "cao-kaiwen", "--role", "delegate")
    _bot(tmp_path, *as_cao, pack_on_publish=False)
    assert "已撤銷 曹凱雯 的 1 個帳號存取權" in _bot(
        tmp_path, "console", lines=["/revoke cao-kaiwen"], pack_on_publish=False
    )
    refused = subprocess.run(
        [sys.executable, "-m", "bot", *as_cao],
        cwd=ROOT,
        input="/help\n",
        env={**os.environ, "BOT_DATA_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "--as: cao-kaiwen's console account was revoked" in refused.stdout
    assert "曹凱雯您好" not in refused.stdout and "Console:" not in refused.stdout
    # The way back the message names: a coordinator's invite, passed with --code.
    invite = _bot(tmp_path, "invite", "--trip", "metropolis-2015", "--member", "cao-kaiwen")
    code = invite.split("send to the bot: /start ")[1].split()[0]
    assert "as 曹凱雯 (cao-kaiwen), delegate" in _bot(tmp_path, "console", "--code", code)
    assert "as 曹凱雯 (cao-kaiwen), delegate" in _bot(tmp_path, *as_cao)
