"""The bot's dialog over HTTP on the fixture base: follow-ups, asking back, hand-offs, channels."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.bot import feedback
from app.store import KeyValueStore, RedisStore
from tests.conftest import assert_error_shape


class Conversation:
    def __init__(self, client: FlaskClient, **defaults: Any) -> None:
        self.client, self.defaults, self.session_id = client, defaults, None

    def ask(self, text: str, **extra: Any) -> Any:
        body = {"text": text, **self.defaults, **extra}
        if self.session_id:
            body["session_id"] = self.session_id
        response = self.client.post("/api/v1/bot/ask", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        reply = response.get_json()
        self.session_id = reply["session_id"]
        return reply


@pytest.fixture
def chat(db_app: Flask) -> Conversation:
    return Conversation(db_app.test_client())


def test_answers_materials_from_the_guide_with_sources(chat: Conversation) -> None:
    reply = chat.ask("退休了去外地跟儿子住，要带什么材料")
    assert reply["service"]["id"] == "remote.retiree"
    assert reply["aspect"] == "materials"
    assert "有效身份证件" in reply["answer_text"]
    assert reply["sources"][0]["seed"] == "002_04dc996405fb5d7e.txt"
    assert reply["checklist"][0]["name"] == "有效身份证件"


def test_follow_ups_reuse_service_and_switch_region(chat: Conversation) -> None:
    chat.ask("退休了去外地定居 要带什么")
    how_long = chat.ask("要多久")
    assert how_long["service"]["id"] == "remote.retiree"
    assert "即时办结" in how_long["answer_text"]
    there = chat.ask("那在楚雄呢")
    assert there["region"] == "532300"
    assert "3个工作日" in there["answer_text"]
    assert "如今天受理，约在" in there["answer_text"]  # the working-day date, 调休 counted
    phone = chat.ask("电话呢")
    assert "0878-1000001" in phone["answer_text"]


def test_insured_region_wins_over_where_they_work(chat: Conversation) -> None:
    reply = chat.ask("我在昆明打工，医保在楚雄，退休异地安置要什么材料")
    assert reply["region"] == "532300"
    assert "本人社会保障卡" in reply["answer_text"]


def test_county_phone_without_naming_a_service(chat: Conversation) -> None:
    reply = chat.ask("楚雄牟定县医保局电话多少")
    assert reply["service"]["id"] == "info.agencies"
    assert "0878-1000002" in reply["answer_text"]


def test_vague_question_asks_back_and_an_ordinal_resolves_it(chat: Conversation) -> None:
    reply = chat.ask("备案要什么材料")
    assert reply["service"] is None
    options = [o["id"] for o in reply["clarify"]["options"]]
    assert set(options) == {"remote.retiree", "remote.work"}
    picked = chat.ask("第" + "一二"[options.index("remote.retiree")] + "个")
    assert picked["service"]["id"] == "remote.retiree"
    assert picked["aspect"] == "materials"


@pytest.mark.parametrize("yes", ["是的", "对", "嗯", "好的", "yes"])
def test_a_yes_picks_the_one_service_offered(chat: Conversation, yes: str) -> None:
    offer = chat.ask("常驻")
    assert [o["id"] for o in offer["clarify"]["options"]] == ["remote.work"]
    assert offer["answer_text"].startswith("请问您问的是“常驻异地工作人员备案”吗？")
    assert offer["quick_replies"] == ["常驻异地工作人员备案", "不是"]
    assert chat.ask(yes)["service"]["id"] == "remote.work"


def test_only_punctuation_is_not_a_yes(chat: Conversation) -> None:
    chat.ask("常驻")
    reply = chat.ask("？")
    assert reply["service"] is None
    assert reply["answer_text"].startswith("请问您想咨询哪项医保业务")


def test_a_yes_to_several_or_only_what_to_know_asks_again(chat: Conversation) -> None:
    offer = chat.ask("备案")
    offered = [o["id"] for o in offer["clarify"]["options"]]
    assert offer["quick_replies"][-1] == "都不是"
    for turn in ["是的", "要多久"]:
        again = chat.ask(turn)
        assert again["service"] is None
        assert [o["id"] for o in again["clarify"]["options"]] == offered
    # What the second turn asked is answered once the choice is made.
    picked = chat.ask("第" + "一二"[offered.index("remote.retiree")] + "个")
    assert picked["service"]["id"] == "remote.retiree"
    assert picked["aspect"] == "time_limit"


@pytest.mark.parametrize("no", ["不是", "都不是", "不对", "no"])
def test_declining_the_offer_hands_off_and_logs_the_question(db_app: Flask, no: str) -> None:
    chat = Conversation(db_app.test_client())
    chat.ask("常驻")
    reply = chat.ask(no)
    assert (reply["service"], reply["clarify"]) == (None, None)
    assert reply["handoff"]["reason"] == "declined"
    assert "换个说法" in reply["answer_text"]
    assert reply["handoff"]["phone"] in reply["answer_text"]
    with db_app.extensions["db"].session() as session:
        (miss,) = feedback.top_unanswered(session, limit=5)
    assert miss.example == "常驻"  # the question, not the 不是
    # The offer is over: a second 不是 is a question of its own, and 第一个 picks nothing.
    assert chat.ask("第一个")["service"] is None


def test_a_new_question_instead_of_a_choice_is_answered(chat: Conversation) -> None:
    chat.ask("常驻")
    reply = chat.ask("不是，我问的是退休异地安置要带什么")
    assert reply["service"]["id"] == "remote.retiree"


def test_out_of_scope_is_handed_off(chat: Conversation) -> None:
    reply = chat.ask("明天昆明下雨吗")
    assert reply["service"] is None
    assert reply["handoff"]["reason"] == "out_of_scope"
    assert "12345" in reply["answer_text"]


def test_hunan_is_not_answered_from_yunnan(chat: Conversation) -> None:
    reply = chat.ask("岳阳个人账户共济怎么办")
    assert reply["service"] is None
    assert reply["handoff"]["reason"] == "not_covered"
    assert "岳阳市的办事指南没有" in reply["answer_text"]


@pytest.mark.parametrize("text", ["yidi anzhi beian cailiao", "退休异地安制要什么材料"])
def test_pinyin_and_typos(chat: Conversation, text: str) -> None:
    assert chat.ask(text)["service"]["id"] == "remote.retiree"


def test_hotline_text_is_speakable(chat: Conversation) -> None:
    reply = chat.ask("退休异地安置在哪里办", channel="hotline")
    assert "http" not in reply["answer_text"]
    counter = chat.ask("退休异地安置在哪里办", channel="counter")
    assert counter["service"]["id"] == "remote.retiree"


def test_traditional_and_simplified_get_the_same_answer(app: Flask) -> None:
    simplified = Conversation(app.test_client()).ask("退休异地安置要带什么材料")
    traditional = Conversation(app.test_client()).ask("退休異地安置要帶什麼材料")
    assert simplified["answer_text"] == traditional["answer_text"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"text": "备案", "channel": "fax"}, "channel"),
        ({"text": "备案", "session_id": "../../etc"}, "session_id"),
        ({"text": "备案", "colour": "red"}, "colour"),
    ],
)
def test_bad_requests_are_422_in_chinese(app: Flask, body: dict[str, Any], field: str) -> None:
    response = app.test_client().post("/api/v1/bot/ask", json=body)
    assert response.status_code == 422
    payload = response.get_json()
    assert_error_shape(payload)
    assert field in payload["errors"]


def test_unknown_region_parameter_is_refused(app: Flask) -> None:
    response = app.test_client().post("/api/v1/bot/ask", json={"text": "备案", "region": "火星"})
    assert response.status_code == 422
    assert response.get_json()["code"] == "bot_region_invalid"


def test_sessions_live_in_the_store(app: Flask, store: KeyValueStore) -> None:
    app.extensions["store"], saved = store, app.extensions["store"]
    try:
        chat = Conversation(app.test_client())
        chat.ask("退休异地安置要带什么材料")
        assert chat.ask("要多久")["aspect"] == "time_limit"
    finally:
        app.extensions["store"] = saved


def test_a_dead_store_still_answers(app: Flask) -> None:
    app.extensions["store"], saved = RedisStore("redis://127.0.0.1:1/0"), app.extensions["store"]
    try:
        reply = Conversation(app.test_client()).ask("退休异地安置要带什么材料")
        assert reply["service"]["id"] == "remote.retiree"
    finally:
        app.extensions["store"] = saved


def test_a_city_only_service_asked_province_wide_is_answered_from_a_city(
    chat: Conversation,
) -> None:
    reply = chat.ask("住院费用报销要带什么材料")
    assert reply["service"]["id"] == "claim.inpatient"
    assert reply["region"] == "532300"
    assert "全省通办清单没有" in reply["answer_text"]
    assert "楚雄彝族自治州的办事指南" in reply["answer_text"]
    assert "住院费用发票" in reply["answer_text"]
    assert reply["quick_replies"] == ["楚雄彝族自治州"]
    assert chat.ask("要多久")["answer_text"].count("20个工作日") >= 1


def test_a_city_only_service_is_not_answered_for_a_city_without_it(chat: Conversation) -> None:
    reply = chat.ask("玉溪住院费用报销要带什么材料")
    assert reply["service"] is None
    assert reply["handoff"]["reason"] == "not_covered"


def test_what_no_guide_states_is_handed_off_not_answered(chat: Conversation) -> None:
    reply = chat.ask("住院费用报销比例是多少")
    assert reply["service"] is None
    assert reply["handoff"]["reason"] == "no_answer"


@pytest.mark.parametrize("text", ["gongjijin zenme tiqu", "公积金怎么提取", "公鸡金怎么提取"])
def test_off_topic_words_are_heard_in_pinyin_too(chat: Conversation, text: str) -> None:
    reply = chat.ask(text)
    assert reply["service"] is None
    assert reply["handoff"]["reason"] == "out_of_scope"


def test_a_family_word_with_a_clear_member_is_answered(chat: Conversation) -> None:
    reply = chat.ask("退休了要去外地跟儿子住 异地备案要带什么")
    assert reply["service"]["id"] == "remote.retiree"


def test_offices_come_from_the_region_tables_without_an_agencies_item(
    chat: Conversation,
) -> None:
    reply = chat.ask("岳阳医保局电话多少")
    assert reply["service"]["id"] == "info.agencies"
    assert reply["region"] == "430600"
    assert "0730-1000003" in reply["answer_text"]
