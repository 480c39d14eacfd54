"""The comparison table of `--compare`: each deployment's figures beside the floor measured in
the same run and beside SQLite, as medians of the ratios taken run by run."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from benchmarks import deploy

WORKERS = (1, 3)  # the PostgreSQL rows: 1 worker and 3 workers


@dataclass(frozen=True)
class Figures:
    """What one run of one bot measured."""

    rate: float  # updates (or notes) per second
    p50: float  # ms
    p99: float  # ms
    rss_mb: float  # peak, summed over a runner and its workers
    cpu_ms: float  # per update, summed likewise
    server_cpu_ms: float | None = None  # per update, the PostgreSQL server's (when local)


def deployments(server: str) -> list[deploy.Deployment]:
    """SQLite in one process, then PostgreSQL with 1 and with 3 workers."""
    return [deploy.sqlite(), *(deploy.postgres(server, n) for n in WORKERS)]


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def _server_cpu(rows: list[Figures]) -> str:
    values = [r.server_cpu_ms for r in rows if r.server_cpu_ms is not None]
    return f"{statistics.median(values):.2f}" if values else "–"


def table(unit: str, floor: list[Figures], runs: dict[str, list[Figures]]) -> str:
    """A Markdown table: one row per bot, with ratios to the floor and to the first of `runs`
    (SQLite), each the median of the ratios of the runs made in the same round."""
    base = next(iter(runs.values()))
    head = (
        f"| bot | {unit}/s | p50 ms | p99 ms | peak RSS MB | CPU ms/{unit} | server CPU ms/{unit} "
        "| floor/this throughput | this/floor p99 | SQLite/this throughput | this/SQLite p99 |"
    )
    lines = [head, "|" + "---|" * 11]
    for name, rows in {"floor": floor, **runs}.items():
        pairs = list(zip(rows, floor, base, strict=True))
        cells = [
            name,
            f"{statistics.median(r.rate for r in rows):.1f}",
            f"{statistics.median(r.p50 for r in rows):.1f}",
            f"{statistics.median(r.p99 for r in rows):.1f}",
            f"{max(r.rss_mb for r in rows):.0f}",
            f"{statistics.median(r.cpu_ms for r in rows):.2f}",
            _server_cpu(rows),
            _median([f.rate / r.rate for r, f, _ in pairs]),
            _median([r.p99 / f.p99 for r, f, _ in pairs]),
            "–" if rows is floor else _median([b.rate / r.rate for r, _, b in pairs]),
            "–" if rows is floor else _median([r.p99 / b.p99 for r, _, b in pairs]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
