"""参保证明 / 参保凭证: the facts read back out of the PDF, owner-only downloads, public checks."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader

from app.selfservice.certificates import pdf
from app.selfservice.registry.demo import PEOPLE, seed_people
from tests.conftest import assert_error_shape
from tests.factories import citizen_headers, staff_headers

URL = "/api/v1/certificates"
WORKER = PEOPLE[0]  # DEMO0001: 职工 and 生育 in 昆明


@pytest.fixture
def demo(db_app: Flask) -> Flask:
    with db_app.extensions["db"].session() as session:
        seed_people(session)
    return db_app


def issue(app: Flask, headers: dict[str, str], **body: Any) -> Any:
    return app.test_client().post(URL, json={"kind": "cert.proof", **body}, headers=headers)


def pdf_text(app: Flask, headers: dict[str, str], certificate_id: str) -> str:
    with app.test_client().get(f"{URL}/{certificate_id}.pdf", headers=headers) as response:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_pdf_carries_the_facts_in_chinese(demo: Flask) -> None:
    me = citizen_headers(demo, openid="p1", psn_no=WORKER.psn_no)
    certificate = issue(demo, me).get_json()
    text = pdf_text(demo, me, certificate["id"])
    facts = ["基本医疗保险参保证明", WORKER.psn_name, "职工基本医疗保险", "生育保险", "正常参保"]
    facts += ["昆明市", "昆明市医疗保障经办机构", certificate["code"], "业务专用章"]
    for fact in facts:
        assert fact in text, fact
    assert WORKER.certno not in text
    assert f"{WORKER.certno[:6]}********{WORKER.certno[-4:]}" in text


def test_anyone_can_verify_by_code_and_sees_the_printed_facts(demo: Flask) -> None:
    me = citizen_headers(demo, openid="p2", psn_no=WORKER.psn_no)
    certificate = issue(demo, me, kind="cert.voucher").get_json()
    check = demo.test_client().get(f"{URL}/verify/{certificate['code']}")
    assert check.status_code == 200
    body = check.get_json()
    assert body["valid"] is True
    assert body["title"] == "参保凭证"
    assert body["facts"]["psn_name"] == WORKER.psn_name
    assert WORKER.certno not in check.get_data(as_text=True)
    missing = demo.test_client().get(f"{URL}/verify/AAAA-BBBB-CCCC-DDDD")
    assert missing.status_code == 404
    assert_error_shape(missing.get_json())


def test_codes_are_unguessable() -> None:
    from app.selfservice.certificates.service import new_code

    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code.replace("-", "")) == 16 for code in codes)


def test_only_the_owner_downloads_and_a_retry_issues_once(demo: Flask) -> None:
    me = citizen_headers(demo, openid="p3", psn_no=WORKER.psn_no)
    first = issue(demo, me).get_json()
    client = demo.test_client()
    retried = [
        client.post(URL, json={"kind": "cert.proof"}, headers={**me, "Idempotency-Key": "c-1"})
        for _ in range(2)
    ]
    assert retried[0].get_json()["id"] == retried[1].get_json()["id"]
    other = citizen_headers(demo, openid="p4", psn_no="DEMO0006")
    assert client.get(f"{URL}/{first['id']}.pdf", headers=other).status_code == 404
    assert client.get(f"{URL}/{first['id']}.pdf").status_code == 401


def test_a_clerk_issues_for_a_citizen(demo: Flask) -> None:
    clerk = staff_headers(demo, username="clerk-cert")
    response = issue(demo, clerk, psn_no="DEMO0005")
    assert response.status_code == 201, response.get_json()
    assert "楚雄彝族自治州" in pdf_text(demo, clerk, response.get_json()["id"])


def test_without_the_font_the_pdf_is_still_issued_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    document = pdf.Document("参保凭证", (), (), (), "测试", "2026年11月25日", "CODE", "x", "注")
    pdf.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            content = pdf.render_pdf(document, font_path="/nonexistent/font.ttc")
    finally:
        pdf.cjk_font.cache_clear()
    assert content.startswith(b"%PDF")
    assert "falling back" in caplog.text
