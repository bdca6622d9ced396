"""`flask bot …`: ask one question, chat, or score a question set against a BM25 baseline."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.bot.assistant import Assistant, Reply
from app.bot.dialog import Session, new_session_id
from app.bot.evaluate import Bm25Baseline, Tally, bot_asker, read_questions, run
from app.bot.lexicon import LexiconError
from app.bot.render import Channel
from app.guides import lookup
from app.guides.loader import KnowledgeBaseError
from app.reload import announce_reload, reload_knowledge
from app.working_days import CHINA_TIME

bot_cli = AppGroup("bot", help="The guide bot: ask, chat, eval.")
CHANNELS = click.Choice([c.value for c in Channel])


def _assistant() -> Assistant:
    return current_app.extensions["assistant"].current  # type: ignore[no-any-return]


def _region(assistant: Assistant, region: str | None) -> str | None:
    return None if region is None else lookup.resolve_region(assistant.kb, region)


def _show(reply: Reply, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(asdict(reply), ensure_ascii=False, default=str))
        return
    service = f"[{reply.service.id}] " if reply.service else ""
    click.echo(f"{service}{reply.answer_text}")
    if reply.clarify:
        for number, option in enumerate(reply.clarify.options, 1):
            click.echo(f"  {number}. {option.label} ({option.id})")
    for source in reply.sources[:6]:
        click.echo(f"  出处 {source.seed} {source.lines[0]}-{source.lines[1]}")


@bot_cli.command("ask")
@click.argument("text")
@click.option("--region", default=None, help="地区代码或名称")
@click.option("--channel", type=CHANNELS, default=Channel.COUNTER.value)
@click.option("--json", "as_json", is_flag=True, help="print the whole reply as JSON")
def ask_command(text: str, region: str | None, channel: str, *, as_json: bool) -> None:
    """Ask one question."""
    assistant = _assistant()
    session = Session(new_session_id())
    reply = assistant.ask(
        text,
        session,
        region=_region(assistant, region),
        channel=Channel(channel),
        today=datetime.now(CHINA_TIME).date(),
    )
    _show(reply, as_json=as_json)


@bot_cli.command("chat")
@click.option("--region", default=None)
@click.option("--channel", type=CHANNELS, default=Channel.COUNTER.value)
def chat_command(region: str | None, channel: str) -> None:
    """Talk to the bot; an empty line or Ctrl-D ends."""
    assistant = _assistant()
    session = Session(new_session_id())
    code = _region(assistant, region)
    while True:
        try:
            text = input("您: ").strip()
        except EOFError:
            break
        if not text:
            break
        today = datetime.now(CHINA_TIME).date()
        _show(
            assistant.ask(text, session, region=code, channel=Channel(channel), today=today),
            as_json=False,
        )


def _print_figures(name: str, tally: Tally) -> None:
    figures = tally.figures()
    cells = "  ".join(
        f"{key} {value:.1%}" if "ms" not in key else f"{key} {value:.2f}"
        for key, value in figures.items()
    )
    click.echo(f"{name:<9}{cells}")


@bot_cli.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", default=0, help="list this many wrong answers")
@click.option(
    "--channel",
    type=CHANNELS,
    default=Channel.COUNTER.value,
    help="the channel the bot answers on (the hotline's answers are shorter)",
)
def eval_command(path: Path, misses: int, channel: str) -> None:
    """Score a question set (shared JSONL format) next to a BM25 baseline."""
    questions = read_questions(path)
    assistant = _assistant()
    ours = run(questions, bot_asker(assistant, Channel(channel)))
    cache_dir = Path(current_app.instance_path) / "jieba"
    baseline = run(questions, Bm25Baseline(assistant, cache_dir=cache_dir).ask)
    click.echo(f"{len(questions)} questions from {path}")
    _print_figures("bot", ours)
    _print_figures("BM25", baseline)
    click.echo("\nright answers by style (bot / BM25):")
    bm25_styles = baseline.styles()
    for style, share in ours.styles().items():
        click.echo(f"  {style:<12}{share:>7.1%}{bm25_styles.get(style, 0.0):>9.1%}")
    for miss in ours.misses[:misses]:
        click.echo(f"✗ {miss}")


@bot_cli.command("reload")
def reload_command() -> None:
    """Validate the base on disk, then tell running servers that share REDIS_URL to reload it."""
    try:
        result = reload_knowledge(current_app._get_current_object())  # type: ignore[attr-defined]
    except (KnowledgeBaseError, LexiconError) as error:
        for problem in error.problems:
            click.echo(f"✗ {problem}")
        raise click.ClickException("知识库有错误，未通知服务重新加载。") from error
    generation = announce_reload(current_app.extensions["store"])
    click.echo(f"knowledge base {result.version}: {result.services} guides, valid")
    if current_app.config["REDIS_URL"] is None:
        click.echo("REDIS_URL is unset: servers keep their own store; use POST /api/v1/bot/reload")
    elif generation is not None:
        click.echo(f"announced reload generation {generation}")
