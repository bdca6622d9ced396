"""bot misses and feedback

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_misses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("question", sa.String(500), nullable=False),
        sa.Column("normalized", sa.String(500), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("region", sa.String(6), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_misses")),
    )
    op.create_index(op.f("ix_bot_misses_normalized"), "bot_misses", ["normalized"])
    op.create_table(
        "bot_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("answer_id", sa.String(32), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(500), nullable=True),
        sa.Column("question", sa.String(500), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=True),
        sa.Column("region", sa.String(6), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_feedback")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_bot_feedback_answer_id")),
    )


def downgrade() -> None:
    op.drop_table("bot_feedback")
    op.drop_index(op.f("ix_bot_misses_normalized"), table_name="bot_misses")
    op.drop_table("bot_misses")
