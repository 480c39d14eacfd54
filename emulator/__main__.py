"""`python -m emulator --port 8081`: serve the emulator and chat with the bot from stdin."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import threading

from emulator.models import EmuUser
from emulator.server import BotApiEmulator


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="accept only this token (default: any)")
    parser.add_argument("--bot-username", default="emulated_bot")
    parser.add_argument("--user", default="Tester", help="first name of the stdin user")
    parser.add_argument("--language", default="en", help="the stdin user's language_code")
    return parser


async def _print_replies(emu: BotApiEmulator, user: EmuUser) -> None:
    while True:
        with contextlib.suppress(TimeoutError):
            msg = await emu.wait_for(user, timeout=3600)
            buttons = f"  [{' | '.join(msg.button_texts())}]" if msg.reply_markup else ""
            attachment = f"  <{msg.file.file_name or msg.file.kind}>" if msg.file else ""
            print(f"bot> {msg.body}{attachment}{buttons}", flush=True)


async def serve(args: argparse.Namespace) -> None:
    """Run until stdin closes; each line is sent as a text message from one user."""
    emu = BotApiEmulator(
        bot_username=args.bot_username, token=args.token, host=args.host, port=args.port
    )
    await emu.start()
    user = emu.user(args.user, language_code=args.language)
    print(f"Bot API emulator: base_url={emu.base_url} base_file_url={emu.base_file_url}")
    print(f"typing a line sends it as {args.user} (chat id {user.id}); Ctrl-D stops", flush=True)
    printer = asyncio.create_task(_print_replies(emu, user))
    lines: asyncio.Queue[str] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read_stdin() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, "")

    # A daemon thread, not the default executor, so Ctrl-C does not wait for a pending readline.
    threading.Thread(target=read_stdin, daemon=True).start()
    try:
        while line := await lines.get():
            if line.strip():
                await emu.send_text(user, line.rstrip("\n"))
    finally:
        printer.cancel()
        await emu.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(build_parser().parse_args(argv)))


if __name__ == "__main__":
    main()
