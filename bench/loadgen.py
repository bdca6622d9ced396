"""Shared benchmark plumbing: the app under gunicorn on loopback, and wrk against it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.db import upgrade

ROOT = Path(__file__).resolve().parent.parent
PORT = 5099
BASE = f"http://127.0.0.1:{PORT}"
SERVER = "gunicorn.conf.py (sync workers, two per core)"


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")


@contextmanager
def gunicorn(app_path: str = "bench.bench_app:create()") -> Iterator[str]:
    """The app under gunicorn with the production settings (gunicorn.conf.py) on loopback;
    yields its base URL. Without a DATABASE_URL of the caller's, a scratch SQLite database,
    migrated (the bot logs hand-offs): never the developer's own."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        env = dict(os.environ)
        if "DATABASE_URL" not in env:
            env["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
            upgrade(env["DATABASE_URL"])
        with _serving(app_path, env) as base:
            yield base


@contextmanager
def _serving(app_path: str, env: dict[str, str]) -> Iterator[str]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            app_path,
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(300):
            if server.poll() is not None:
                sys.exit("gunicorn exited; is the port taken?")
            try:
                urllib.request.urlopen(BASE + "/bench/bare", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not start in 30 s")
        yield BASE
    finally:
        server.terminate()
        server.wait(timeout=10)


def _to_ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        sys.exit(f"unexpected wrk latency {value!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def run_wrk(
    url: str, *, seconds: int, connections: int, post_json: str | list[str] | None = None
) -> dict[str, float]:
    """Requests/s, p50 and p99 (ms) from one wrk run; a POST when post_json is given, cycling
    through the bodies when it is a list (many different questions, not one cached path)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8") as script:
        if post_json is not None:
            bodies = [post_json] if isinstance(post_json, str) else post_json
            script.write(
                "local bodies = {" + ",".join(map(_lua_string, bodies)) + "}\n"
                "local n = 0\n"
                "local headers = {['Content-Type'] = 'application/json'}\n"
                "request = function()\n"
                "  n = n % #bodies + 1\n"
                "  return wrk.format('POST', nil, headers, bodies[n])\n"
                "end\n"
            )
            script.flush()
            command += ["-s", script.name]
        # wrk sends the URL as given: Chinese query values must be percent-encoded first.
        target = urllib.parse.quote(url, safe=":/?&=%")
        out = subprocess.run([*command, target], check=True, capture_output=True, text=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"{url}: {non2xx.group(1)} error responses; fix the server before measuring")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    spread = re.search(r"Latency Distribution\s+50%\s+(\S+).*?99%\s+(\S+)", out, re.DOTALL)
    if rps is None or spread is None:
        sys.exit(f"could not read wrk's output for {url}:\n{out}")
    return {
        "rps": float(rps.group(1)),
        "p50": _to_ms(spread.group(1)),
        "p99": _to_ms(spread.group(2)),
    }


BARE = "/bench/bare"


def against_bare(
    base: str,
    targets: dict[str, tuple[str, str | list[str] | None]],
    *,
    seconds: int,
    connections: int,
) -> dict[str, float]:
    """Each target (path, JSON body to POST or None) measured between two runs of the bare
    endpoint, and compared with their mean: on a shared machine the speed drifts within a run,
    so a baseline measured minutes earlier would flatter or wrong what comes later. Returns each
    target's share of bare."""
    print(
        f"{'endpoint':<22}{'req/s':>9}{'bare req/s':>12}{'of bare':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'bare p99':>10}"
    )
    shares = {}
    for name, (path, body) in targets.items():
        run_wrk(base + path, seconds=1, connections=connections, post_json=body)  # warm-up
        before = run_wrk(base + BARE, seconds=max(1, seconds // 2), connections=connections)
        figures = run_wrk(base + path, seconds=seconds, connections=connections, post_json=body)
        after = run_wrk(base + BARE, seconds=max(1, seconds // 2), connections=connections)
        bare = {key: (before[key] + after[key]) / 2 for key in figures}
        share = shares[name] = figures["rps"] / bare["rps"]
        print(
            f"{name:<22}{figures['rps']:>9.0f}{bare['rps']:>12.0f}{share:>9.0%}"
            f"{figures['p50']:>9.2f}{figures['p99']:>9.2f}{bare['p99']:>10.2f}"
        )
    return shares
