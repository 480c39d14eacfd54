"""A local emulator of the HTTP Telegram Bot API for tests, the console chat and benchmarks."""

from emulator.failures import RateLimit
from emulator.models import (
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
from emulator.params import ApiError
from emulator.server import BotApiEmulator
from emulator.users import ChatRef

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
