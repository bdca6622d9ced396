"""one active 备案 per person and 险种, one active 共济 binding per pair

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Partial unique indexes, so concurrent requests with different Idempotency-Keys cannot both insert
(PostgreSQL runs them side by side; SQLite's BEGIN IMMEDIATE already serialised them). A database
that already holds duplicates must have them resolved (cancel or unbind the extras) first.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'active'")


def upgrade() -> None:
    op.create_index(
        "uq_remote_care_filings_active",
        "remote_care_filings",
        ["psn_no", "insutype"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )
    op.create_index(
        "uq_mutual_aid_bindings_active",
        "mutual_aid_bindings",
        ["authoriser_psn_no", "user_psn_no"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_mutual_aid_bindings_active", table_name="mutual_aid_bindings")
    op.drop_index("uq_remote_care_filings_active", table_name="remote_care_filings")
