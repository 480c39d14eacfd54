"""`python -m bot`: run, console, check, invite, report, backup, restore, migrate-db."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.trip.loader import ContentError, load_trips
from bot.trip.models import Trip

ON_POSTGRES = (
    "{what}: BOT_DATABASE_URL is set, so the data is on PostgreSQL, not in BOT_DATA_DIR's "
    "SQLite file: use pg_dump / pg_restore for the database (media stay in BOT_DATA_DIR)"
)


def _settings() -> Settings:
    try:
        return Settings.from_env(os.environ)
    except ConfigError as exc:
        sys.exit(f"configuration error: {exc}")


def _trips_with(settings: Settings, trip_id: str) -> dict[str, Trip] | None:
    """The validated trips, if they include `trip_id`; else say what is wrong and return None."""
    try:
        trips = load_trips(settings.content_dir)
    except ContentError as exc:
        print(f"the content in {settings.content_dir} is not valid:\n{exc}", file=sys.stderr)
        return None
    if trip_id not in trips:
        print(f"--trip: no trip {trip_id!r} (trips: {', '.join(trips)})", file=sys.stderr)
        return None
    return trips


def run(args: argparse.Namespace) -> int:
    """Serve Telegram with the token, or open the local console chat without one."""
    from bot.startup import NO_TOKEN, reach_bot_api

    settings = _settings()
    given = getattr(args, "workers", None)
    if given is not None and given < 1:
        print(f"--workers must be at least 1, got {given}", file=sys.stderr)
        return 2
    workers = given or settings.workers
    try:
        settings.check_workers(workers)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    if workers > 1 and settings.worker_id is None:
        from bot.logs import setup_logging
        from bot.workers import run_workers

        setup_logging(settings.log_level, settings.token, settings.log_format)
        return run_workers(workers, os.environ | {"BOT_WORKERS": str(workers)})
    if settings.token is None:
        if not sys.stdin.isatty():  # a service or a container: nobody to chat with
            print(NO_TOKEN, file=sys.stderr)
            return 2
        print("TELEGRAM_BOT_TOKEN is not set: opening the local console chat instead.")
        return console(args)
    from bot.app import build_application
    from bot.backup import DataDirInUse, hold_run_lock
    from bot.logs import setup_logging
    from bot.storage import StorageError, check_database

    setup_logging(settings.log_level, settings.token, settings.log_format, settings.worker_id)
    try:
        # A runner's workers share the folder (on PostgreSQL, with one webhook secret).
        shared = settings.worker_id is not None and settings.database_url is not None
        run_lock = hold_run_lock(settings.data_dir, shared=shared)  # before any setWebhook
    except (DataDirInUse, OSError) as exc:
        print(f"BOT_DATA_DIR: {exc}", file=sys.stderr)
        return 2
    try:
        check_database(settings.db_path)  # at once, before any network: a supervisor sees it
    except StorageError as exc:
        print(f"database error: {exc}", file=sys.stderr)
        return 3
    try:
        app = build_application(settings)
    except ContentError as exc:
        print(f"the content in {settings.content_dir} is not valid:\n{exc}", file=sys.stderr)
        return 2
    app.bot_data.run_lock = run_lock
    stopped_or_refused = reach_bot_api(settings)
    if stopped_or_refused is not None:
        return stopped_or_refused
    if settings.http_port is not None:  # webhook, or polling beside /healthz and /metrics
        from bot.web.run import serve_until_signal
        from bot.web.server import CannotListen

        assert app.bot_data.metrics is not None
        try:
            asyncio.run(serve_until_signal(app, settings, app.bot_data.metrics))
        except CannotListen as exc:
            print(f"BOT_HTTP_HOST/BOT_HTTP_PORT: {exc}", file=sys.stderr)
            return 2
        return 0
    # run_polling handles SIGINT/SIGTERM: in-flight updates finish, the offset is confirmed.
    app.run_polling(allowed_updates=None, drop_pending_updates=False)
    return 0


def console(args: argparse.Namespace) -> int:
    """A terminal chat with the bot through the local Bot API emulator."""
    from bot.console import run_console

    settings = _settings()
    try:
        code: int = asyncio.run(
            run_console(
                settings,
                trip_id=getattr(args, "trip", None),
                member=getattr(args, "member", None),
                role=getattr(args, "role", None),
                at=getattr(args, "at", None),
                code=getattr(args, "code", None),
                stdin=sys.stdin,
                out=sys.stdout,
            )
        )
        return code
    except ContentError as exc:
        print(f"the content in {settings.content_dir} is not valid:\n{exc}", file=sys.stderr)
        return 2


def check(args: argparse.Namespace) -> int:
    """Validate a trip folder (or a content folder of trips)."""
    from bot.trip.check import check_folder

    return check_folder(Path(args.dir), sys.stdout)


def invite(args: argparse.Namespace) -> int:
    """Make an invite from the shell (the first coordinator comes this way)."""
    from bot.clock import SystemClock
    from bot.invites import InviteError, issue_invite
    from bot.storage import Storage

    settings = _settings()
    trips = _trips_with(settings, args.trip)
    if trips is None:
        return 2

    async def make() -> int:
        storage = await Storage.open(settings.db_path, settings.database_url)
        try:
            code = await issue_invite(
                storage,
                trips[args.trip],
                args.member,
                args.role,
                created_by="shell",
                now=SystemClock().now(),
                ttl=settings.invite_ttl,
            )
        except InviteError as exc:
            print(f"--member/--role: {exc}", file=sys.stderr)
            return 2
        finally:
            await storage.close()
        print(
            f"invite for {args.member} ({args.role}) in {args.trip}, single use, "
            f"valid until {code.expires_at:%Y-%m-%d %H:%M} UTC"
        )
        print(f"code: {code.code}")
        print(f"send to the bot: /start {code.code}")
        print(f"or open: https://t.me/<your_bot_username>?start={code.code}")
        print(f"or rehearse: python -m bot console --code={code.code}")
        return 0

    return asyncio.run(make())


def report(args: argparse.Namespace) -> int:
    """Compile a trip's report or form (DOCX, Markdown, PDF, ODT) and the 資訊網 fields."""
    from bot.clock import SystemClock
    from bot.report.check import check_text
    from bot.report.compile import Compiled, compile_trip, output_format
    from bot.report.pdf import PdfUnavailable
    from bot.storage import Storage

    settings = _settings()
    trips = _trips_with(settings, args.trip)
    if trips is None:
        return 2
    meta = Path(args.metadata) if args.metadata else None
    if meta is not None and meta.suffix.lower() not in (".json", ".csv"):
        print(f"--metadata: {meta.name!r} is neither .json nor .csv", file=sys.stderr)
        return 2
    if args.out is None and meta is None:
        print("--out: give the file to write (or --metadata FILE.json|FILE.csv)", file=sys.stderr)
        return 2
    # --metadata alone writes only the fields: the PDF for the page count is made elsewhere.
    out = Path(args.out) if args.out else None
    try:
        fmt = output_format(out or Path("report.pdf"), args.format)
    except ValueError as exc:
        print(f"--out: {exc}", file=sys.stderr)
        return 2

    async def compile_() -> Compiled:
        storage = await Storage.open(settings.db_path, settings.database_url)
        try:
            return await compile_trip(
                storage,
                trips[args.trip],
                now=SystemClock().now(),
                data_dir=settings.data_dir,
                out=out,
                fmt=fmt,
                form=args.form,
                metadata_out=meta,
            )
        finally:
            await storage.close()

    try:
        done = asyncio.run(compile_())
    except PdfUnavailable as exc:
        # The page count of --metadata needs the PDF even when the output is not one.
        arg = f"--format {fmt}" if fmt in ("pdf", "odt") else "--metadata"
        print(f"{arg}: {exc}", file=sys.stderr)
        return 3
    print(check_text(list(done.checks)))
    for path in done.files:
        print(f"written: {path}")
    return 0


def backup(args: argparse.Namespace) -> int:
    """Copy the database (online, while the bot runs) and its media into a new folder."""
    from bot.backup import BackupError, take_backup
    from bot.clock import SystemClock
    from bot.storage.access import KEY_FILE

    settings = _settings()
    if settings.database_url:
        print(ON_POSTGRES.format(what="backup"), file=sys.stderr)
        return 2
    try:
        done = take_backup(settings.data_dir, Path(args.dir), SystemClock().now())
    except (BackupError, OSError) as exc:
        print(f"backup: {exc}", file=sys.stderr)
        return 2
    media = sum(1 for name in done.files if name.startswith("media/"))
    key = ", the invite key" if KEY_FILE in done.files else ""
    print(
        f"backup in {args.dir}: the database{key} and {media} media file(s), sums in manifest.json"
    )
    for relative in done.missing:
        print(f"warning: {relative} is referenced but not in {settings.data_dir}", file=sys.stderr)
    return 0


def restore(args: argparse.Namespace) -> int:
    """Check a backup, then put it in place of the data folder's database (bot stopped)."""
    from bot.backup import BackupError, restore_backup
    from bot.clock import SystemClock

    settings = _settings()
    if settings.database_url:
        print(ON_POSTGRES.format(what="restore"), file=sys.stderr)
        return 2
    try:
        kept = restore_backup(Path(args.dir), settings.data_dir, SystemClock().now())
    except (BackupError, OSError) as exc:
        print(f"restore: {exc}; nothing was changed", file=sys.stderr)
        return 2
    print(f"restored {args.dir} into {settings.data_dir}")
    if kept is not None:
        print(f"the database it replaced is kept as {kept}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    w = sub.add_parser("run", help="serve Telegram (or the console without a token)")
    w.add_argument(
        "--workers",
        type=int,
        help="webhook worker processes on one port (PostgreSQL only; default BOT_WORKERS or 1)",
    )
    w.set_defaults(func=run)
    c = sub.add_parser("console", help="chat with the bot in this terminal, through the emulator")
    c.add_argument("--trip", help="trip id (default: the first trip)")
    c.add_argument("--as", dest="member", help="delegation member id to act as")
    c.add_argument("--role", choices=("delegate", "coordinator"), help="role to act in")
    c.add_argument(
        "--at", help="the bot's clock start, ISO with offset (default: the event's first day)"
    )
    c.add_argument("--code", help="join with this invite code (from `invite`) instead of a new one")
    c.set_defaults(func=console)
    k = sub.add_parser("check", help="validate trip content")
    k.add_argument("dir", nargs="?", default=os.environ.get("BOT_CONTENT_DIR", "content"))
    k.set_defaults(func=check)
    i = sub.add_parser("invite", help="make an invite code")
    i.add_argument("--trip", required=True)
    i.add_argument("--member", required=True)
    i.add_argument("--role", choices=("delegate", "coordinator"), default="delegate")
    i.set_defaults(func=invite)
    r = sub.add_parser("report", help="compile the trip report or a form, and self-check")
    r.add_argument("--trip", required=True)
    r.add_argument("--out", help="FILE.docx, FILE.md, FILE.pdf or FILE.odt")
    fmt_help = "default: from --out; pdf and odt also write the DOCX beside it"
    r.add_argument("--format", choices=("docx", "md", "pdf", "odt"), help=fmt_help)
    form_help = "report (出國報告, default), review (審核表) or summary (出國報告提要)"
    r.add_argument(
        "--form", choices=("report", "review", "summary"), default="report", help=form_help
    )
    r.add_argument(
        "--metadata", help="also write the 公務出國報告資訊網 fields: FILE.json|FILE.csv"
    )
    r.set_defaults(func=report)
    b = sub.add_parser("backup", help="copy the database and media, online, with sha256 sums")
    b.add_argument("dir", help="a new (or empty) folder")
    b.set_defaults(func=backup)
    s = sub.add_parser("restore", help="check a backup and restore it (the bot must be stopped)")
    s.add_argument("dir", help="a folder made by backup")
    s.set_defaults(func=restore)
    k = sub.add_parser("pack", help="build a member's offline briefing pack (PDF)")
    k.add_argument("--trip", required=True)
    k.add_argument("--member", required=True)
    k.add_argument("--out", required=True, help="FILE.pdf")
    k.add_argument("--lang", choices=("zh", "en"), default="zh")
    k.add_argument("--coordinator", action="store_true", help="include the private numbers")
    k.add_argument("--bot-link", default="https://t.me/", help="the link back to the bot")
    k.set_defaults(func=pack)
    m = sub.add_parser("migrate-db", help="copy every table into another database, with counts")
    m.add_argument("--from", dest="source", required=True, help="sqlite:///FILE or postgresql://…")
    m.add_argument("--to", dest="target", required=True, help="postgresql://… or sqlite:///FILE")
    m.add_argument("--replace", action="store_true", help="overwrite a target that holds data")
    m.set_defaults(func=migrate_db)
    return p


def migrate_db(args: argparse.Namespace) -> int:
    """Copy a deployment's data from one database to another and check the counts."""
    from bot.storage import StorageError
    from bot.storage.transfer import transfer

    for flag, url in (("--from", args.source), ("--to", args.target)):
        if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            print(f"{flag}: not sqlite:///FILE or postgresql://…: {url!r}", file=sys.stderr)
            return 2
    if args.source.startswith("sqlite:///") and not Path(args.source[9:]).exists():
        print(f"--from: no database file {args.source[9:]}", file=sys.stderr)
        return 2
    try:
        copied = asyncio.run(transfer(args.source, args.target, replace=args.replace))
    except (StorageError, OSError) as exc:
        print(f"migrate-db: {exc}", file=sys.stderr)
        return 3
    width = max(len(c.table) for c in copied)
    for c in copied:
        print(f"{c.table:<{width}}  {c.source:>8} → {c.target:>8}")
    print(f"{len(copied)} tables, {sum(c.target for c in copied)} rows: counts match")
    return 0


def pack(args: argparse.Namespace) -> int:
    """Write a member's briefing pack from the effective itinerary (content + published log)."""
    from bot.changes.apply import effective_trip
    from bot.fieldkit.pack import build_pack
    from bot.report.pdf import PdfUnavailable
    from bot.storage import Storage

    settings = _settings()
    trips = _trips_with(settings, args.trip)
    if trips is None:
        return 2
    if args.member not in trips[args.trip].members_by_id:
        print(f"--member: no member {args.member!r} in {args.trip}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        print(f"--out: {out.name!r} is not a .pdf", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"--out: no folder {str(out.parent)!r} to write {out.name!r} in", file=sys.stderr)
        return 2

    async def effective() -> Trip:
        storage = await Storage.open(settings.db_path, settings.database_url)
        try:
            return effective_trip(trips[args.trip], await storage.change_log(args.trip))[0]
        finally:
            await storage.close()

    trip = asyncio.run(effective())
    try:
        data = build_pack(
            trip, args.member, args.lang, private=args.coordinator, bot_link=args.bot_link
        )
    except PdfUnavailable as exc:
        print(f"pack: {exc}", file=sys.stderr)
        return 3
    try:
        _write_private(out, data)
    except OSError as exc:
        print(f"--out: cannot write {str(out)!r}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(data)} bytes)")
    return 0


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` readable by the bot's user only (0600, whatever the umask), as reports are."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    path.chmod(0o600)  # an existing file keeps its mode through os.open


def _code_joined(argv: list[str]) -> list[str]:
    """`--code -X…` as `--code=-X…`: older codes may start with "-", which argparse takes
    for an option."""
    out: list[str] = []
    for word in argv:
        if out and out[-1] == "--code" and word.startswith("-") and word != "--":
            out[-1] = f"--code={word}"
        else:
            out.append(word)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parser().parse_args(_code_joined(sys.argv[1:] if argv is None else list(argv)))
    result: int = args.func(args)
    return result
