"""Coordinator commands: /invite, /members, /revoke."""

from __future__ import annotations

from html import escape

from telegram import BotCommandScopeChat, Update
from telegram.ext import BaseHandler, CommandHandler

from bot import itinerary
from bot.formatting.clock import dual_clock
from bot.formatting.punct import comma, paren
from bot.i18n import t, tn
from bot.invites import issue_invite
from bot.state import BotContext
from bot.storage import Role
from handlers.common import is_coordinator, reply


def _member_ids(context: BotContext) -> str:
    return ", ".join(m.id for m in context.trip.members)


async def invite_member(update: Update, context: BotContext) -> None:
    """Make a single-use, expiring invite for a member of the caller's trip."""
    if not await is_coordinator(update, context):
        return
    trip, lang, args = context.trip, context.lang, context.args or []
    if not 1 <= len(args) <= 2 or (len(args) == 2 and args[1] not in ("delegate", "coordinator")):
        await reply(update, escape(t(lang, "invite_usage", members=_member_ids(context))))
        return
    if args[0] not in trip.members_by_id:
        await reply(
            update, t(lang, "unknown_member", arg=escape(args[0]), members=_member_ids(context))
        )
        return
    role: Role = "coordinator" if len(args) == 2 and args[1] == "coordinator" else "delegate"
    services = context.bot_data
    invite = await issue_invite(
        services.storage,
        trip,
        args[0],
        role,
        created_by=f"tg:{context.member.user_id}",
        now=services.now(),
        ttl=services.settings.invite_ttl,
    )
    name = trip.members_by_id[args[0]].name.get(lang)
    # Where the delegation is now, Taipei beside, as every time; the trip's own place names.
    here, places = itinerary.position(trip, services.now()).zone, trip.zone_places
    await reply(
        update,
        t(
            lang,
            "invite_made",
            name=escape(name),
            role=t(lang, f"role_{role}"),
            expires=escape(dual_clock(invite.expires_at, here, trip.home_zone, lang, places)),
            # The code shows only after /start: the log redaction knows it by that (logformat).
            start=f"<code>/start {invite.code}</code>",
            link=invite.link(context.bot.username),
        ),
    )


async def list_members(update: Update, context: BotContext) -> None:
    """Who has joined the caller's trip, with role and language."""
    if not await is_coordinator(update, context):
        return
    trip, lang = context.trip, context.lang
    joined = await context.bot_data.storage.trip_members(trip.id)
    if not joined:
        await reply(update, t(lang, "members_none"))
        return
    lines = [t(lang, "members_header", n=len(joined))]
    zone = itinerary.position(trip, context.bot_data.now()).zone  # where the delegation is now
    for m in joined:
        person = trip.members_by_id.get(m.member_id)
        name = person.name.get(lang) if person else m.member_id
        when = dual_clock(m.joined_at, zone, trip.home_zone, lang, trip.zone_places)
        lines.append(
            f"• <b>{escape(name)}</b>{paren(m.member_id, lang)}\n"
            f"  {t(lang, f'role_{m.role}')}{comma(lang)}{t(lang, f'lang_{m.lang}')}"
            f"{comma(lang)}{when}"
        )
    await reply(update, "\n".join(lines))


async def revoke_member(update: Update, context: BotContext) -> None:
    """Take a member's access away at once."""
    if not await is_coordinator(update, context):
        return
    trip, lang, args = context.trip, context.lang, context.args or []
    if len(args) != 1:
        await reply(update, t(lang, "revoke_usage"))
        return
    if args[0] not in trip.members_by_id:
        await reply(
            update, t(lang, "unknown_member", arg=escape(args[0]), members=_member_ids(context))
        )
        return
    gone = await context.bot_data.storage.revoke_member(trip.id, args[0], context.bot_data.now())
    name = escape(trip.members_by_id[args[0]].name.get(lang))
    if gone is None:
        await reply(update, t(lang, "revoke_last_coordinator", name=name))
        return
    for account in gone:
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(account.chat_id))
    await reply(
        update,
        tn(lang, "revoked", len(gone), name=name) if gone else t(lang, "revoke_none", name=name),
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The coordinator's membership commands."""
    return [
        CommandHandler("invite", invite_member),
        CommandHandler("members", list_members),
        CommandHandler("revoke", revoke_member),
    ]
