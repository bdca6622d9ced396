"""The bot's commands: asking once, and scoring a question set on a channel."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask


def test_eval_scores_a_question_set_on_the_channel_asked(real_app: Flask, tmp_path: Path) -> None:
    questions = tmp_path / "set.jsonl"
    rows = [
        {"id": "t1", "q": "昆明医保转移接续要多久", "accept": ["transfer"], "region": "530100",
         "ask": "time_limit", "expect": ["不超过20个工作日"], "style": "plain", "ambiguous": False},
        {"id": "t2", "q": "明天昆明下雨吗", "accept": ["none"], "region": "530100",
         "ask": "out_of_scope", "expect": [], "style": "plain", "ambiguous": False},
    ]  # fmt: skip
    questions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    runner = real_app.test_cli_runner()
    for channel in ("counter", "hotline"):
        result = runner.invoke(args=["bot", "eval", str(questions), "--channel", channel])
        assert result.exit_code == 0, result.output
        assert "2 questions from" in result.output
        bot_line = next(line for line in result.output.splitlines() if line.startswith("bot"))
        assert "top-1 (in scope) 100.0%" in bot_line
        assert "expect-recall 100.0%" in bot_line
        assert "out-of-scope false answers 0.0%" in bot_line
    refused = runner.invoke(args=["bot", "eval", str(questions), "--channel", "fax"])
    assert refused.exit_code != 0


def test_ask_answers_once_on_the_channel_asked(real_app: Flask) -> None:
    runner = real_app.test_cli_runner()
    result = runner.invoke(args=["bot", "ask", "--channel", "hotline", "楚雄牟定县医保局电话多少"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("[info.agencies]")
    assert "0878-5216579" in result.output
