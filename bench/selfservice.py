"""异地就医备案 under load: 32 concurrent clients against gunicorn + PostgreSQL + Redis.

Prints filings created per second, p50/p99, the same client's figures on a bare Flask endpoint
(the baseline, same run), and the count of filings in the database next to the count of 2xx
answers: they must be equal (nothing acknowledged is lost, nothing retried is doubled). Each
client retries every request once with the same Idempotency-Key, as a flaky network would.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import requests
import sqlalchemy as sa

from app.auth import Principal, PrincipalKind, issue_token
from app.db import make_engine, upgrade
from app.selfservice.identity.models import CitizenAccount
from app.selfservice.registry.demo import synthetic_certno
from app.selfservice.registry.models import InsuredCoverage, InsuredPerson
from app.store import RedisStore
from app.working_days import china_day
from bench.loadgen import SERVER, gunicorn

DATABASE = "yn_bench"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"


def fresh_database() -> str:
    """An empty, migrated bench database (never the test database)."""
    admin = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    url = f"{POSTGRES}/{DATABASE}"
    upgrade(url)
    return url


def seed_citizens(url: str, count: int) -> list[str]:
    """count synthetic 职工 insured in 昆明, each bound to an account; their tokens."""
    engine = make_engine(url)
    store = RedisStore(REDIS_URL)
    now = datetime.now(UTC)
    tokens = []
    with engine.begin() as connection:
        for n in range(count):
            psn_no = f"BENCH{n:06d}"
            born = date(1960, 1, 1) + timedelta(days=n)  # one birth date each: unique IDs
            certno = synthetic_certno("530102", born, 11)
            connection.execute(
                sa.insert(InsuredPerson).values(
                    psn_no=psn_no, psn_cert_type="01", certno=certno,
                    psn_name=f"压测{n}", gend="1", brdy=born,
                )
            )  # fmt: skip
            connection.execute(
                sa.insert(InsuredCoverage).values(
                    psn_no=psn_no, insutype="310", psn_insu_stas="1",
                    psn_insu_date=date(2010, 1, 1), insuplc_admdvs="530100", retired=False,
                )
            )  # fmt: skip
            account_id = connection.execute(
                sa.insert(CitizenAccount)
                .values(channel="dev", openid=psn_no, psn_no=psn_no, bound_at=now, created_at=now)
                .returning(CitizenAccount.id)
            ).scalar_one()
            principal = Principal(PrincipalKind.CITIZEN, str(account_id))
            tokens.append(issue_token(store, principal, ttl=3600))
    engine.dispose()
    return tokens


def filing() -> dict[str, object]:
    return {
        "kind": "remote.work",
        "insutype": "310",
        "rloc_admdvs": "460100",
        "resout_addr": "海南省海口市示例路1号",
        "tel": "0898-12345678",
        "begndate": china_day(datetime.now(UTC)).isoformat(),  # the service's "today" is China's
        "pledge": True,
    }


def timed(request: Callable[[], requests.Response]) -> tuple[requests.Response, float]:
    began = time.perf_counter()
    response = request()
    return response, (time.perf_counter() - began) * 1000


def drive(
    send: Callable[[requests.Session, int], tuple[requests.Response, float]],
    clients: int,
    per_client: int,
) -> tuple[float, list[float], int]:
    """Seconds taken, latencies (ms, as send timed them) and 2xx count of clients × per_client
    requests."""
    latencies: list[float] = []
    ok = [0]
    lock = threading.Lock()

    def client(index: int) -> None:
        with requests.Session() as http:
            for n in range(per_client):
                response, elapsed = send(http, index * per_client + n)
                with lock:
                    latencies.append(elapsed)
                    ok[0] += response.status_code < 300

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, sorted(latencies), ok[0]


def report(name: str, seconds: float, latencies: list[float], count: int) -> float:
    rate = count / seconds
    p99 = latencies[int(len(latencies) * 0.99)]
    print(
        f"{name:<34}{rate:>9.0f}/s   p50 {statistics.median(latencies):7.1f} ms   p99 {p99:7.1f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=20)
    args = parser.parse_args()
    total = args.clients * args.per_client
    url = fresh_database()
    subprocess.run(["redis-cli", "-n", "14", "FLUSHDB"], check=True, capture_output=True)
    tokens = seed_citizens(url, total)
    os.environ.update(DATABASE_URL=url, REDIS_URL=REDIS_URL, RATE_LIMITS_ENABLED="0")
    with gunicorn() as base:

        def bare(http: requests.Session, n: int) -> tuple[requests.Response, float]:
            return timed(lambda: http.get(base + "/bench/bare"))

        def file(http: requests.Session, n: int) -> tuple[requests.Response, float]:
            """One filing, timed; then its retry with the same key, untimed, as a check."""
            headers = {"Authorization": f"Bearer {tokens[n]}", "Idempotency-Key": uuid.uuid4().hex}
            url, body = base + "/api/v1/remote-care/filings", filing()
            first, elapsed = timed(lambda: http.post(url, json=body, headers=headers))
            retry = http.post(url, json=body, headers=headers)
            if retry.status_code != first.status_code:
                sys.exit(f"a retry answered {retry.status_code} after {first.status_code}")
            if first.status_code >= 300:
                sys.exit(f"a filing was refused: {first.status_code} {first.text}")
            return first, elapsed

        print(f"{args.clients} clients × {args.per_client} requests, {SERVER}")
        report("bare Flask JSON (same client)", *drive(bare, args.clients, args.per_client))
        seconds, latencies, acknowledged = drive(file, args.clients, args.per_client)
        report("POST filing (+ its retry, untimed)", seconds, latencies, acknowledged)
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM remote_care_filings")).scalar()
    engine.dispose()
    verdict = "equal" if stored == acknowledged else "NOT EQUAL"
    print(f"2xx answers {acknowledged}, filings in the database {stored}: {verdict}")


if __name__ == "__main__":
    main()
