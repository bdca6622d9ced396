"""`flask kb …`: curators' commands, a plugin so that they run even when the base is broken."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.config import Config
from app.guides.check import Report, run_check


def _print_report(report: Report, *, conflicts: bool) -> None:
    for note in report.skipped:
        click.echo(f"注意: {note}", err=True)
    for problem in report.problems:
        click.echo(f"✗ {problem}")
    if conflicts:
        click.echo(f"\n指南之间或指南内部的矛盾 ({len(report.conflicts)}):")
        for where, conflict in report.conflicts:
            places = "; ".join(f"{s.seed} {s.lines[0]}-{s.lines[1]}" for s in conflict.sources)
            click.echo(f"- {where} [{conflict.field}] {conflict.note} ({places})")


@click.group("kb")
def kb_cli() -> None:
    """Knowledge-base commands for curators."""


@kb_cli.command("check")
@click.option("--conflicts", is_flag=True, help="Also list every conflict between the seeds.")
@click.option("--region", default=None, help="Report only this region's files.")
@click.option("--knowledge", "knowledge_dir", type=click.Path(path_type=Path), default=None)
@click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path), default=None)
def check_command(
    *, conflicts: bool, region: str | None, knowledge_dir: Path | None, seeds_dir: Path | None
) -> None:
    """Validate the whole base; exit 1 on any problem."""
    config = Config.from_env()
    report = run_check(
        knowledge_dir or Path(config.KNOWLEDGE_DIR),
        seeds_dir or Path(config.SEEDS_DIR),
        region=region,
    )
    _print_report(report, conflicts=conflicts)
    count = len(report.problems)
    click.echo(f"kb check: {count} problem(s), {len(report.conflicts)} conflict(s) recorded")
    sys.exit(1 if count else 0)
