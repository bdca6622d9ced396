"""`flask staff create`: counter staff accounts."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth import Role
from app.errors import DomainError
from app.selfservice.identity import service

staff_cli = AppGroup("staff", help="Counter staff accounts.")


@staff_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CLERK.value)
@click.option("--name", "display_name", required=True, help="姓名或工号，显示给同事")
@click.password_option(envvar="STAFF_PASSWORD", help="at least 10 characters")
def create_command(username: str, role: str, display_name: str, password: str) -> None:
    """Create a staff account."""
    with current_app.extensions["db"].session() as session:
        try:
            service.create_staff(
                session,
                username=username,
                password=password,
                role=Role(role),
                display_name=display_name,
                now=datetime.now(UTC),
            )
        except DomainError as error:
            raise click.ClickException(error.text) from error
    click.echo(f"created {role} {username}")
