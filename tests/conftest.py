"""Shared fixtures: the real content, a real database (SQLite in tmp_path, or PostgreSQL when
BOT_TEST_DATABASE_URL names a server: tests/dbs.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage import Storage
from bot.trip.loader import load_trip
from bot.trip.models import Trip
from tests import dbs

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
    """A fresh database: in tmp_path, or on the PostgreSQL server of the run."""
    store = await Storage.open(tmp_path / "bot.sqlite3", dbs.database_url(tmp_path))
    yield store
    await store.close()


@pytest.fixture
async def workers(tmp_path: Path) -> AsyncIterator[tuple[Storage, Storage]]:
    """Two stores over the same database (file or server), opened one after the other, as two
    workers."""
    url = dbs.database_url(tmp_path)
    a = await Storage.open(tmp_path / "bot.sqlite3", url)
    b = await Storage.open(tmp_path / "bot.sqlite3", url)
    yield a, b
    await a.close()
    await b.close()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    """On PostgreSQL: drop the run's databases at its end."""
    yield
    dbs.drop_all()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests marked sqlite_only (the database file itself) are skipped."""
    if not dbs.on_postgres():
        return
    skip = pytest.mark.skip(reason="SQLite only: it tests the .sqlite3 file itself")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked postgres_only needs BOT_TEST_DATABASE_URL: skipped without it, or failed
    under CI=true (where a missing server is a broken run, not a choice)."""
    if item.get_closest_marker("postgres_only") and not dbs.on_postgres():
        if os.environ.get("CI") == "true":
            pytest.fail("postgres_only: BOT_TEST_DATABASE_URL is not set (CI=true)")
        pytest.skip("needs PostgreSQL: set BOT_TEST_DATABASE_URL")
