"""A local emulator of the HTTP Telegram Bot API for tests, the console chat and benchmarks."""

from bot.emulator.failures import RateLimit
from bot.emulator.models import (
    ApiCall,
    BotEvent,
    BotMessage,
    Button,
    CallbackAnswer,
    EmuChat,
    EmulatorStats,
    EmuUser,
    StoredFile,
)
from bot.emulator.params import ApiError
from bot.emulator.server import BotApiEmulator
from bot.emulator.users import ChatRef

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "BotEvent",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "ChatRef",
    "EmuChat",
    "EmuUser",
    "EmulatorStats",
    "RateLimit",
    "StoredFile",
]
