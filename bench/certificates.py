"""Issuing a 参保证明: median and p99 milliseconds per certificate, in-process, on SQLite.

Target (issue 5): one certificate in ≤ 100 ms. The baseline printed beside it is rendering the
same PDF alone, so the cost of the registry, storage and records is visible.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from app.audit import Actor
from app.config import Config
from app.db import Database, make_engine, upgrade
from app.selfservice.certificates import pdf, service
from app.selfservice.registry.demo import PEOPLE, seed_people
from app.selfservice.registry.service import LocalRegistry

ROUNDS = 200


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    font = Config.from_env().CJK_FONT
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        upgrade(url)
        database = Database(make_engine(url))
        with database.session() as session:
            seed_people(session)
        actor = Actor("citizen", "1", "miniprogram", "bench")
        issue_ms, render_ms = [], []
        for n in range(ROUNDS):
            with database.session() as session:
                began = time.perf_counter()
                certificate = service.issue_certificate(
                    session, LocalRegistry(session), psn_no=PEOPLE[n % len(PEOPLE)].psn_no,
                    kind="cert.proof", actor=actor, files=Path(scratch) / "files",
                    verify_base="http://127.0.0.1:5000/api/v1/certificates/verify",
                    font_path=font, idempotency_key=None, now=datetime.now(UTC),
                )  # fmt: skip
                issue_ms.append((time.perf_counter() - began) * 1000)
            document = service.document_for(json.loads(certificate.facts), certificate.code, "x")
            began = time.perf_counter()
            pdf.render_pdf(document, font_path=font)
            render_ms.append((time.perf_counter() - began) * 1000)
    print(f"{ROUNDS} certificates, font {font}")
    for name, values in (("issue (registry + PDF + store + record)", issue_ms),
                         ("baseline: render the PDF alone", render_ms)):  # fmt: skip
        print(f"{name:<42} median {statistics.median(values):6.1f} ms   "
              f"p99 {percentile(values, 0.99):6.1f} ms")  # fmt: skip
    print("target: issue ≤ 100 ms")


if __name__ == "__main__":
    main()
