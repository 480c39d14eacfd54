"""/start with an invite code, /help and /lang."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import COMMANDS, ROLE_COMMANDS, command_help, lang_from_telegram, t
from bot.state import BotContext
from bot.storage import InviteRefused, Membership
from handlers.common import argument, reply


async def set_role_commands(context: BotContext, member: Membership) -> None:
    """Give this chat the command menu of its role, in its language."""
    commands = [BotCommand(c, COMMANDS[c][member.lang]) for c in ROLE_COMMANDS[member.role]]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(member.chat_id))


def _greeting(context: BotContext, member: Membership, key: str) -> str:
    trip = context.bot_data.trips[member.trip_id]
    person = trip.members_by_id.get(member.member_id)
    return t(
        member.lang,
        key,
        name=person.name.get(member.lang) if person else member.name,
        trip=trip.title.get(member.lang),
        role=t(member.lang, f"role_{member.role}"),
        commands=command_help(member.lang, member.role),
    )


async def greet(update: Update, context: BotContext) -> None:
    """A member's /start: greet them, or take a code of their own (a role given on purpose)."""
    code = argument(context)
    if not code:
        await reply(update, _greeting(context, context.member, "welcome_back"))
        return
    await join(update, context, code)


async def join(update: Update, context: BotContext, code: str) -> None:
    """Redeem an invite code, throttling failed attempts per account and per chat."""
    user, chat, data = update.effective_user, update.effective_chat, context.bot_data
    if user is None or chat is None:
        return
    lang = context.membership.lang if context.membership else lang_from_telegram(user.language_code)
    keys, now = (("user", user.id), ("chat", chat.id)), data.now()
    verdict = data.invite_throttle.attempt(keys, now)
    if verdict != "ok":  # told once when the cool-down began; answering would feed a guesser
        if verdict == "cooling":
            minutes = int(data.invite_throttle.cool_down.total_seconds() // 60)
            await reply(update, t(lang, "invite_throttled", minutes=minutes))
        return
    result = await data.storage.redeem_code(
        code,
        user_id=user.id,
        chat_id=chat.id,
        name=user.full_name,
        lang=lang_from_telegram(user.language_code),
        now=now,
    )
    if isinstance(result, InviteRefused):
        key = "invite_refused" if result.is_bad_code else f"invite_{result.value}"
        await reply(update, t(lang, key))
        return
    data.invite_throttle.forgive(keys)
    context.membership = result
    await set_role_commands(context, result)
    await reply(update, _greeting(context, result, "welcome"))


async def show_help(update: Update, context: BotContext) -> None:
    """The commands this member's role may use."""
    await reply(update, command_help(context.lang, context.member.role))


async def set_language(update: Update, context: BotContext) -> None:
    """Switch the reply language: /lang zh or /lang en."""
    choice = argument(context).lower()
    if choice not in ("zh", "en"):
        key = "lang_current" if not choice else "lang_usage"
        await reply(update, t(context.lang, key, current=t(context.lang, f"lang_{context.lang}")))
        return
    member = context.member
    await context.bot_data.storage.set_language(member.user_id, choice)  # type: ignore[arg-type]
    context.membership = await context.bot_data.storage.membership(member.user_id)
    await set_role_commands(context, context.member)
    await reply(update, t(context.member.lang, "lang_set"))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """/start, /help, /lang."""
    return [
        CommandHandler("start", greet),
        CommandHandler("help", show_help),
        CommandHandler("lang", set_language),
    ]
