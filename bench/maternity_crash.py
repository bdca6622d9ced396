"""Crash test for 生育 claims: SIGKILL gunicorn while clients file claims, restart, check.

Each client files claims (create → two uploads → submit, every request with its own
Idempotency-Key). Mid-way the server is killed (SIGKILL, master and workers), its idempotency keys
in Redis are dropped too (the worst case: only the database remembers), and it is restarted.
Every client then retries, with the same keys, whatever it had not seen answered. Printed: what
was acknowledged before the kill, what the database holds, and duplicates (must be 0); every
acknowledged submission must be there exactly once. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
import requests
import sqlalchemy as sa
from PIL import Image
from stdnum import luhn

from app.auth import Principal, PrincipalKind, issue_token
from app.db import make_engine, upgrade
from app.selfservice.identity.models import CitizenAccount
from app.selfservice.registry.demo import synthetic_certno
from app.selfservice.registry.models import InsuredCoverage, InsuredPerson
from app.store import RedisStore
from bench.loadgen import gunicorn
from bench.selfservice import fresh_database

REDIS_URL = "redis://127.0.0.1:6379/13"
CARD = "622202020011223344" + luhn.calc_check_digit("622202020011223344")
MATERIALS = ("医疗机构收费票据", "诊断证明或出院记录或出院小结或出院证")


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def seed(url: str, count: int) -> list[tuple[str, str, str]]:
    """count synthetic women with 生育保险 paid in 昆明: (psn_no, name, token) each."""
    engine = make_engine(url)
    store = RedisStore(REDIS_URL)
    now, people = datetime.now(UTC), []
    with engine.begin() as connection:
        for n in range(count):
            psn_no, name, born = f"CRASH{n:05d}", f"压测{n}", date(1990, 1, 1) + timedelta(days=n)
            connection.execute(sa.insert(InsuredPerson).values(
                psn_no=psn_no, psn_cert_type="01", certno=synthetic_certno("530102", born, 22),
                psn_name=name, gend="2", brdy=born,
            ))  # fmt: skip
            for insutype in ("310", "510"):
                connection.execute(sa.insert(InsuredCoverage).values(
                    psn_no=psn_no, insutype=insutype, psn_insu_stas="1",
                    psn_insu_date=date(2015, 1, 1), insuplc_admdvs="530100",
                    emp_name="示例单位（压测）", retired=False,
                ))  # fmt: skip
            account = connection.execute(
                sa.insert(CitizenAccount)
                .values(channel="dev", openid=psn_no, psn_no=psn_no, bound_at=now, created_at=now)
                .returning(CitizenAccount.id)
            ).scalar_one()
            token = issue_token(store, Principal(PrincipalKind.CITIZEN, str(account)), ttl=3600)
            people.append((psn_no, name, token))
    engine.dispose()
    return people


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_server() -> int:
    """SIGKILL the gunicorn this process started (master first, then its workers); how many."""
    masters = _children(os.getpid())
    victims = masters + [w for m in masters for w in _children(m)]
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    return len(victims)


class Client:
    """One citizen filing claims; remembers every request's key and whether it was answered."""

    def __init__(self, psn_no: str, name: str, token: str) -> None:
        self.psn_no, self.token = psn_no, token
        self.body = {
            "type": "maternity.medical",
            "event_date": "2026-11-20",
            "bank_account_name": name,
            "bank_account_no": CARD,
            "bank_name": "示例银行",
        }
        self.claims: list[dict[str, Any]] = []  # {keys, id, done: set of steps answered 2xx}
        self.failures: Counter[str] = Counter()  # what came back instead of a 2xx

    def _send(self, base: str, step: str, claim: dict[str, Any]) -> bool:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": claim["keys"][step]}
        url = f"{base}/api/v1/maternity/claims"
        try:
            if step == "create":
                answer = requests.post(url, json=self.body, headers=headers, timeout=10)
            elif step == "submit":
                answer = requests.post(f"{url}/{claim['id']}/submit", headers=headers, timeout=10)
            else:
                files = {"file": ("photo.png", photo())}
                data = {"name": MATERIALS[int(step[-1])]}
                answer = requests.post(f"{url}/{claim['id']}/materials", files=files, data=data,
                                       headers=headers, timeout=10)  # fmt: skip
        except requests.RequestException as error:
            self.failures[type(error).__name__] += 1
            return False
        if answer.status_code >= 300:
            self.failures[str(answer.status_code)] += 1
            return False
        claim["id"] = answer.json()["id"]
        claim["done"].add(step)
        return True

    def file(self, base: str, stop: threading.Event) -> None:
        while not stop.is_set():
            steps = ("create", "upload0", "upload1", "submit")
            claim = {"keys": {s: uuid.uuid4().hex for s in steps}, "id": None, "done": set()}
            self.claims.append(claim)
            for step in steps:
                if stop.is_set() or not self._send(base, step, claim):
                    return

    def finish(self, base: str) -> None:
        """Retry, with the same keys, every step not seen answered."""
        for claim in self.claims:
            for step in ("create", "upload0", "upload1", "submit"):
                if step not in claim["done"] and (step == "create" or claim["id"]):
                    self._send(base, step, claim)


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    os.environ.update(env)
    with gunicorn() as base:
        yield base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=4.0, help="load before the kill")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="maternity-crash-"))
    url = fresh_database() if args.postgres else f"sqlite:///{work / 'crash.sqlite3'}"
    upgrade(url)
    keys = redis.Redis.from_url(REDIS_URL)
    subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], check=True, capture_output=True)
    clients = [Client(*person) for person in seed(url, args.clients)]
    env = {"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "RATE_LIMITS_ENABLED": "0",
           "UPLOAD_DIR": str(work / "uploads")}  # fmt: skip
    stop = threading.Event()
    with server(env) as base:
        threads = [threading.Thread(target=c.file, args=(base, stop)) for c in clients]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        killed = kill_server()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    acked = [(c.psn_no, k) for c in clients for k in c.claims if "submit" in k["done"]]
    created = [(c.psn_no, k) for c in clients for k in c.claims if "create" in k["done"]]
    tried = sum(len(c.claims) for c in clients)
    print(f"{args.clients} clients, {tried} claims begun; SIGKILL to {killed} processes")
    print(f"before the kill: {len(created)} creates and {len(acked)} submits acknowledged")
    failed = sum((c.failures for c in clients), Counter())
    print(f"answers other than 2xx before the kill: {dict(failed) or 'none'}")
    dropped = sum(keys.delete(key) for key in keys.scan_iter("idem:*"))
    print(f"idempotency keys dropped from Redis: {dropped} (only the database remembers)")
    with server(env) as base:
        for client in clients:
            client.finish(base)
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT psn_no, idempotency_key, status, id FROM maternity_claims"
        )).all()  # fmt: skip
        materials = connection.execute(sa.text(
            "SELECT claim_id, idempotency_key FROM maternity_claim_materials"
        )).all()  # fmt: skip
    engine.dispose()
    by_key: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        by_key.setdefault((row.psn_no, row.idempotency_key), []).append(row)
    duplicates = sum(len(found) - 1 for found in by_key.values())
    lost = [k for p, k in acked if len(by_key.get((p, k["keys"]["create"]), [])) != 1]
    unsubmitted = [k for p, k in acked if by_key[(p, k["keys"]["create"])][0].status != "submitted"]
    double_materials = len(materials) - len({(m.claim_id, m.idempotency_key) for m in materials})
    print(f"after restart and retries: {len(rows)} claims, {len(materials)} materials in the db")
    print(f"acknowledged submissions there exactly once: {len(acked) - len(lost)} of {len(acked)}")
    print(f"acknowledged but not submitted: {len(unsubmitted)}; duplicate claims: {duplicates}; "
          f"duplicate materials: {double_materials}")  # fmt: skip
    ok = not lost and not unsubmitted and not duplicates and not double_materials
    print("PASS" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
