"""No question a citizen can send makes the bot answer 500: random text through the real base."""

from __future__ import annotations

from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_error_shape

# What a phone keyboard, a speech front end or a hostile client can produce, and pieces of real
# questions so that the deeper paths (places, families, follow-ups) are reached too.
anything = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=120
)
pieces = st.sampled_from(
    [
        "备案",
        "楚雄",
        "牟定县",
        "yidi beian",
        "要多久",
        "电话",
        "第二个",
        "不是",
        "是的",
        "嗯",
        "常驻",
        "公积金",
        "報銷",
        "吗",
        "  ",
        "\u3000",
    ]
)
question = st.lists(st.one_of(anything, pieces), min_size=1, max_size=6).map("".join)
body = st.fixed_dictionaries(
    {"text": question},
    optional={
        "region": st.one_of(st.none(), st.sampled_from(["530400", "岳阳", "火星", ""]), anything),
        "channel": st.sampled_from(["miniprogram", "hotline", "counter", "fax"]),
        "session_id": st.one_of(st.just("fuzz-session-0001"), anything),
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=body)
def test_no_question_produces_a_server_error(real_app: Flask, payload: dict[str, Any]) -> None:
    response = real_app.test_client().post("/api/v1/bot/ask", json=payload)
    assert response.status_code in {200, 422}, (payload, response.get_data(as_text=True))
    if response.status_code == 422:
        assert_error_shape(response.get_json())
