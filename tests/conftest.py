"""Shared fixtures: the real content, a real SQLite in tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Storage
from bot.trip.loader import load_trip
from bot.trip.models import Trip

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURE_TRIPS = Path(__file__).resolve().parent / "fixtures" / "trips"


@pytest.fixture(scope="session")
def metropolis() -> Trip:
    """The bundled METROPOLIS 2015 trip."""
    return load_trip(CONTENT / "metropolis-2015")


@pytest.fixture(scope="session")
def smart_city() -> Trip:
    """The small second trip of the tests (DST change and date line)."""
    return load_trip(FIXTURE_TRIPS / "smart-city-2015")


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    """A fresh database in tmp_path."""
    store = await Storage.open(tmp_path / "bot.sqlite3")
    yield store
    await store.close()
