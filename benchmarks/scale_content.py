"""Trips for the scale benchmark: the bundled metropolis-2015 folder widened to MEMBERS members
and LEGS legs, written once as a template and copied under N trip ids, so each passes the real
loader (`bot.trip.loader`) exactly as shipped content does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from benchmarks.harness import ROOT

TEMPLATE = ROOT / "content" / "metropolis-2015"
MEMBERS, LEGS = 30, 60
COORDINATOR = "intl-desk"  # the template's home desk: the one who publishes changes


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def write_template(folder: Path) -> list[str]:
    """The template trip (id `trip-0`) in `folder`; its member ids."""
    shutil.copytree(TEMPLATE, folder)
    members_file = folder / "members.yaml"
    doc = yaml.safe_load(members_file.read_text(encoding="utf-8"))
    base = doc["members"][1]  # a travelling delegate
    for i in range(MEMBERS - len(doc["members"])):
        doc["members"].append(
            {**base, "id": f"d{i:02}", "name": {"zh": f"團員{i:02}", "en": f"Delegate {i:02}"}}
        )
    members_file.write_text(_dump(doc), encoding="utf-8")
    legs_file = folder / "itinerary.yaml"
    legs = yaml.safe_load(legs_file.read_text(encoding="utf-8"))
    # Extra copies of the conference's own sessions, under new ids, until there are LEGS legs.
    pool = [leg for leg in legs["legs"] if leg["kind"] != "flight"]
    extra = LEGS - len(legs["legs"])
    legs["legs"] += [{**pool[i % len(pool)], "id": f"extra-{i:02}"} for i in range(extra)]
    legs_file.write_text(_dump(legs), encoding="utf-8")
    _set_id(folder, "trip-0")
    return [m["id"] for m in doc["members"]]


def _set_id(folder: Path, trip_id: str) -> None:
    trip_file = folder / "trip.yaml"
    lines = trip_file.read_text(encoding="utf-8").splitlines()
    lines = [f"id: {trip_id}" if line.startswith("id: ") else line for line in lines]
    trip_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_trips(content: Path, n: int) -> list[str]:
    """`n` trips `trip-0` … in `content`; the member ids every trip shares. Each copy's files
    end in a comment of their own, so no two trips share a file's text: real trips do not, and
    the loader parses a text it has met before only once."""
    members = write_template(content / "trip-0")
    for k in range(1, n):
        folder = content / f"trip-{k}"
        shutil.copytree(content / "trip-0", folder)
        _set_id(folder, f"trip-{k}")
        for file in folder.glob("*.yaml"):
            with file.open("a", encoding="utf-8") as out:
                out.write(f"# trip-{k}\n")
    return members
