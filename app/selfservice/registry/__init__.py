"""参保人: who a person is and how they are insured (the InsuredRegistry port and adapters)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.selfservice.registry.cli import seed_demo_command  # the CLI needs identity first

    app.cli.add_command(seed_demo_command)
