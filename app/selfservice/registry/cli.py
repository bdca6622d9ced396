"""`flask seed-demo`: synthetic people and demo staff for the embedded default."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from app.auth import Role
from app.selfservice.identity import service as identity
from app.selfservice.registry.demo import PEOPLE, describe, seed_people

# Printed by seed-demo so a developer can log in; production refuses to seed them.
DEMO_STAFF = (
    ("demo-clerk", "demo-clerk-password", Role.CLERK, "演示经办员"),
    ("demo-reviewer", "demo-reviewer-password", Role.REVIEWER, "演示审核员"),
)


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--json", "as_json", is_flag=True, help="print the demo people, one JSON object a line"
)
def seed_demo_command(*, as_json: bool) -> None:
    """Add the synthetic demo people and the demo clerk and reviewer (idempotent)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("seed-demo is for development only (APP_ENV=production)")
    with current_app.extensions["db"].session() as session:
        added = seed_people(session)
        staff_added = []
        for username, password, role, name in DEMO_STAFF:
            with contextlib.suppress(identity.UsernameTaken):
                identity.create_staff(
                    session,
                    username=username,
                    password=password,
                    role=role,
                    display_name=name,
                    now=datetime.now(UTC),
                )
                staff_added.append(username)
    if as_json:
        for person in PEOPLE:
            click.echo(json.dumps(describe(person), ensure_ascii=False))
        return
    click.echo(f"demo people: {len(added)} added, {len(PEOPLE)} in all (synthetic, not real)")
    for username, password, role, _ in DEMO_STAFF:
        state = "added" if username in staff_added else "present"
        click.echo(f"staff {role.value:<9} {username} / {password} ({state})")
