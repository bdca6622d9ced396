"""remote-care filings (异地就医备案)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remote_care_filings",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("psn_no", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("dcla_type", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("insutype", sa.String(3), nullable=False),
        sa.Column("insu_admdvs", sa.String(6), nullable=False),
        sa.Column("rloc_admdvs", sa.String(6), nullable=False),
        sa.Column("resout_addr", sa.String(200), nullable=False),
        sa.Column("tel", sa.String(20), nullable=False),
        sa.Column("begndate", sa.Date(), nullable=False),
        sa.Column("enddate", sa.Date(), nullable=True),
        sa.Column("rloc_rea", sa.String(200), nullable=True),
        sa.Column("filed_by", sa.String(8), nullable=False),
        sa.Column("agnter_name", sa.String(64), nullable=True),
        sa.Column("agnter_cert_type", sa.String(2), nullable=True),
        sa.Column("agnter_certno", sa.String(18), nullable=True),
        sa.Column("agnter_tel", sa.String(20), nullable=True),
        sa.Column("agnter_rlts", sa.String(16), nullable=True),
        sa.Column("pledge", sa.Boolean(), nullable=False),
        sa.Column("referral_hospital", sa.String(128), nullable=True),
        sa.Column("referral_certificate", sa.String(32), nullable=True),
        sa.Column("dcla_souc", sa.String(16), nullable=False),
        sa.Column("acting_staff_id", sa.String(32), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("changed_from", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_care_filings")),
        sa.UniqueConstraint(
            "psn_no", "idempotency_key", name=op.f("uq_remote_care_filings_psn_no")
        ),
    )
    op.create_index(op.f("ix_remote_care_filings_psn_no"), "remote_care_filings", ["psn_no"])


def downgrade() -> None:
    op.drop_index(op.f("ix_remote_care_filings_psn_no"), table_name="remote_care_filings")
    op.drop_table("remote_care_filings")
