"""Report compile benchmark: 2,000 notes and 200 photos of 1 MB → time, peak RSS, DOCX size.

Run: `python -m benchmarks.report` (targets: under 5 s and under 300 MB of RSS).
"""

from __future__ import annotations

import os
import resource
import struct
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.notes.model import Attachment, Note, Section
from bot.report.build import build_report
from bot.report.check import check_text, self_check
from bot.report.docx import write_docx
from bot.trip.loader import load_trip

ROOT = Path(__file__).resolve().parent.parent
NOTES, PHOTOS, PHOTO_BYTES = 2000, 200, 1 << 20
TAGS: list[frozenset[Section]] = [
    *[frozenset()] * 3,
    frozenset({"reflection"}),
    frozenset({"recommendation"}),
    frozenset({"outcome"}),
]


def noisy_png(seed: int, size: int = PHOTO_BYTES) -> bytes:
    """A valid PNG of about `size` bytes: random pixels do not compress."""
    side = int((size / 3) ** 0.5)
    rows = b"".join(b"\0" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    head = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"tEXt", f"n\0{seed}".encode())
        + chunk(b"IEND", b"")
    )


def make_notes(data_dir: Path) -> list[Note]:
    """2,000 notes spread over the programme legs, one in ten with a 1 MB photo."""
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    legs = [leg for leg in trip.legs if leg.part_of is not None]
    members = ["yi-rongzong", "cao-kaiwen"]
    (data_dir / "media").mkdir(parents=True)
    notes = []
    for i in range(NOTES):
        leg = legs[i % len(legs)]
        files: tuple[Attachment, ...] = ()
        if i % (NOTES // PHOTOS) == 0:
            path = f"media/{i:05d}.png"
            (data_dir / path).write_bytes(noisy_png(i))
            files = (Attachment("photo", "stored", path=path, sha256=path, caption=f"照片 {i}"),)
        text = f"第 {i} 則筆記：{leg.title.zh}，與會者討論城市治理與永續發展的具體做法與成果。"
        notes.append(
            Note(
                i + 1,
                trip.id,
                members[i % 2],
                1 + i % 2,
                leg.id,
                leg.start_at + timedelta(seconds=i),
                text,
                TAGS[i % len(TAGS)],
                (),
                files,
            )
        )
    return notes


def main() -> int:
    """Build the inputs, then time one compile to DOCX and report the figures."""
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        notes = make_notes(data_dir)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        now = datetime(2015, 6, 1, tzinfo=UTC)
        t0 = time.perf_counter()
        report = build_report(trip, notes, now=now, data_dir=data_dir)
        checks = self_check(report, trip, notes, now)
        out = Path(tmp) / "report.docx"
        write_docx(report, out)
        elapsed = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = out.stat().st_size / 2**20
    print(f"notes: {NOTES}, photos: {PHOTOS} × {PHOTO_BYTES / 2**20:.0f} MB")
    print(f"compile time: {elapsed:.2f} s (target < 5 s)")
    print(f"peak RSS: {peak:.0f} MB (before compiling: {rss_before:.0f} MB; target < 300 MB)")
    print(f"DOCX size: {size:.1f} MB")
    print(check_text(checks).splitlines()[0])
    return 0 if elapsed < 5 and peak < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
