"""Guides API under gunicorn and wrk, next to a bare Flask endpoint on the same server.

Prints, from one run on this machine: knowledge-base load time, and requests/s, p50 and p99 of
guide endpoints and of the bare endpoint at 16 connections. Targets (issue 2): guide ≥ 80 % of
the bare endpoint's throughput, p99 < 20 ms; knowledge-base load ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app.config import Config
from app.guides.loader import load_knowledge_base
from bench.loadgen import SERVER, against_bare, gunicorn, require_wrk

TARGETS: dict[str, tuple[str, str | None]] = {
    "guide (full)": ("/api/v1/regions/532300/services/remote.retiree", None),
    "materials": (
        "/api/v1/regions/530100/services/maternity.medical/materials?channel=online",
        None,
    ),
    "services list": ("/api/v1/services?region=530400", None),
    "offices of a county": ("/api/v1/regions/532300/offices?county=牟定县", None),
}


def measure_kb_load(cache_dir: Path | None, rounds: int = 5) -> float:
    """Median milliseconds to load the whole knowledge base from disk (with a parse cache)."""
    knowledge = Path(Config.from_env().KNOWLEDGE_DIR)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        load_knowledge_base(knowledge, cache_dir=cache_dir)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def in_process(rounds: int = 400) -> None:
    """Median ms per request through the whole app (test client, no sockets): steadier than the
    HTTP figures on a shared machine, next to the bare endpoint in the same loop."""
    from bench.bench_app import create

    client = create().test_client()
    paths = {"bare Flask JSON": "/bench/bare", **{n: p for n, (p, _) in TARGETS.items()}}
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            start = time.perf_counter()
            client.get(path)
            timings[name].append((time.perf_counter() - start) * 1000)
    bare = statistics.median(timings["bare Flask JSON"])
    print(f"\nin-process, {rounds} rounds: median ms per request (bare {bare:.2f} ms)")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"  {name:<22}{median:>7.2f} ms   {bare / median:>5.0%} of bare's speed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    require_wrk()
    with tempfile.TemporaryDirectory() as cache_dir:
        cold, warm = measure_kb_load(None), measure_kb_load(Path(cache_dir))
    print(
        f"knowledge base load: {warm:.0f} ms at start-up with the parse cache, {cold:.0f} ms "
        "parsing every file (target ≤ 300 ms)"
    )
    in_process()
    print(
        f"\n{args.connections} connections, {SERVER}, {args.seconds} s each,"
        " each next to a bare Flask JSON endpoint measured just before and after it"
    )
    with gunicorn() as base:
        against_bare(base, TARGETS, seconds=args.seconds, connections=args.connections)
    print("targets: guide ≥ 80 % of bare, p99 < 20 ms")


if __name__ == "__main__":
    main()
