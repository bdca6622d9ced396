"""个人账户共济 bindings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mutual_aid_bindings",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("authoriser_psn_no", sa.String(32), nullable=False),
        sa.Column("user_psn_no", sa.String(32), nullable=False),
        sa.Column("relation", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("pledge", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("acting_staff_id", sa.String(32), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unbound_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutual_aid_bindings")),
        sa.UniqueConstraint(
            "authoriser_psn_no",
            "idempotency_key",
            name=op.f("uq_mutual_aid_bindings_authoriser_psn_no"),
        ),
    )
    op.create_index(
        op.f("ix_mutual_aid_bindings_authoriser_psn_no"),
        "mutual_aid_bindings",
        ["authoriser_psn_no"],
    )
    op.create_index(
        op.f("ix_mutual_aid_bindings_user_psn_no"), "mutual_aid_bindings", ["user_psn_no"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_mutual_aid_bindings_user_psn_no"), table_name="mutual_aid_bindings")
    op.drop_index(
        op.f("ix_mutual_aid_bindings_authoriser_psn_no"), table_name="mutual_aid_bindings"
    )
    op.drop_table("mutual_aid_bindings")
