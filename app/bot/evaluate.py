"""Score the bot on a question set in the shared JSONL format, next to a BM25 baseline.

Scoring (shared/bot-eval-format.md): in scope and not ambiguous, right when the answered service is
accepted, and then every expected string must be in the answer; ambiguous, right when the bot asks
back listing only accepted services, or answers an accepted one; out of scope, right when no
service is answered.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.bot.assistant import Assistant, Option, Reply
from app.bot.dialog import Session, new_session_id
from app.bot.lexicon import Aspect
from app.bot.render import Channel, render_answer
from app.bot.segment import Segmenter
from app.guides.lookup import PROVINCE

FIELDS = {"id", "q", "accept", "region", "ask", "expect", "style", "ambiguous"}


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    q: str
    accept: tuple[str, ...]
    region: str | None
    ask: str
    expect: tuple[str, ...]
    style: str
    ambiguous: bool

    @property
    def out_of_scope(self) -> bool:
        return self.accept == ("none",)


def read_questions(path: Path) -> list[Question]:
    """Questions of a JSONL file; a malformed line raises ValueError naming it."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if set(raw) != FIELDS:
            raise ValueError(f"{path}:{number}: fields should be {sorted(FIELDS)}")
        questions.append(
            Question(**{**raw, "accept": tuple(raw["accept"]), "expect": tuple(raw["expect"])})
        )
    return questions


@dataclass(slots=True)
class Tally:
    """Figures for one system over one question set."""

    top1: list[bool] = field(default_factory=list)
    expect_found: int = 0
    expect_total: int = 0
    clarify: list[bool] = field(default_factory=list)
    out_of_scope_answered: list[bool] = field(default_factory=list)
    latency_ms: list[float] = field(default_factory=list)
    by_style: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    misses: list[str] = field(default_factory=list)

    def add(self, question: Question, reply: Reply, elapsed_ms: float) -> None:
        self.latency_ms.append(elapsed_ms)
        answered = reply.service.id if reply.service else None
        if question.out_of_scope:
            right = answered is None
            self.out_of_scope_answered.append(not right)
        elif question.ambiguous:
            offered = {o.id for o in reply.clarify.options} if reply.clarify else set()
            right = (bool(offered) and offered <= set(question.accept)) or (
                answered in question.accept
            )
            self.clarify.append(right)
        else:
            right = answered in question.accept
            self.top1.append(right)
            found = sum(e in reply.answer_text for e in question.expect) if right else 0
            self.expect_found += found
            self.expect_total += len(question.expect)
            right = right and found == len(question.expect)
        self.by_style[question.style].append(right)
        if not right:
            asked = sorted(o.id for o in reply.clarify.options) if reply.clarify else None
            got = answered or (f"ask{asked}" if asked else "none")
            self.misses.append(
                f"{question.id} {question.q} → {got} (want {','.join(question.accept)})"
            )

    def figures(self) -> dict[str, float]:
        def share(values: list[bool]) -> float:
            return sum(values) / len(values) if values else float("nan")

        latencies = sorted(self.latency_ms) or [0.0]
        return {
            "top-1 (in scope)": share(self.top1),
            "expect-recall": self.expect_found / self.expect_total if self.expect_total else 1.0,
            "clarify accuracy": share(self.clarify),
            "out-of-scope false answers": share(self.out_of_scope_answered),
            "p50 ms": statistics.median(latencies),
            "p99 ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        }

    def styles(self) -> dict[str, float]:
        return {style: sum(v) / len(v) for style, v in sorted(self.by_style.items())}


Asker = Callable[[Question], Reply]


def run(questions: Iterable[Question], ask: Asker) -> Tally:
    tally = Tally()
    for question in questions:
        start = time.perf_counter()
        reply = ask(question)
        tally.add(question, reply, (time.perf_counter() - start) * 1000)
    return tally


def bot_asker(assistant: Assistant, channel: Channel = Channel.COUNTER) -> Asker:
    """Each question in a fresh conversation, as a citizen would ask it."""

    def ask(question: Question) -> Reply:
        return assistant.ask(question.q, Session(new_session_id()), region=None, channel=channel)

    return ask


class Bm25Baseline:
    """BM25 (bm25s) over the same base: each service a document of its names, sub-items, summary
    and lexicon phrases, jieba-tokenised. It always answers its top service, with our renderer."""

    def __init__(self, assistant: Assistant, *, cache_dir: Path) -> None:
        import bm25s  # imported by `bot eval` alone: serving workers never build a baseline

        self.assistant = assistant
        self.segmenter = Segmenter(None, cache_dir=cache_dir)  # jieba's own general dictionary
        kb = assistant.kb
        documents: dict[str, list[str]] = defaultdict(list)
        for phrase in assistant.matcher.phrases:
            documents[phrase.service].append(phrase.text)
        for guide in kb.guides.values():
            documents[guide.service].append(assistant.normalize(guide.summary or ""))
        self.services = sorted(documents)
        self.retriever = bm25s.BM25()
        self.retriever.index(
            [self._tokens(" ".join(documents[s])) for s in self.services], show_progress=False
        )

    def _tokens(self, text: str) -> list[str]:
        return self.segmenter.words(text) or ["<empty>"]

    def ask(self, question: Question) -> Reply:
        turn = self.assistant.understand(question.q)
        reply = Reply(session_id="")
        results, scores = self.retriever.retrieve(
            [self._tokens(turn.rest)], k=1, show_progress=False
        )
        if scores[0][0] <= 0:
            return reply
        service = self.services[int(results[0][0])]
        region = turn.region or PROVINCE
        kb = self.assistant.kb
        if not any((r, service) in kb.guides for r in kb.ancestry(region)):
            return reply
        rendered = render_answer(
            kb,
            region=region,
            service=service,
            aspects=turn.aspects[:2] or (Aspect.GENERAL,),
            county=turn.county,
            variant=None,
            channel=Channel.COUNTER,
        )
        reply.service = Option(service, kb.catalog[service].name)
        reply.answer_text = rendered.text
        return reply
