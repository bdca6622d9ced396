"""生育 claims, their materials and history

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "maternity_claims",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("psn_no", sa.String(32), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("returned_from", sa.String(16), nullable=True),
        sa.Column("beneficiary", sa.String(8), nullable=False),
        sa.Column("allowance_kind", sa.String(16), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("claimed_amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("pay_to", sa.String(8), nullable=True),
        sa.Column("bank_account_name", sa.String(64), nullable=True),
        sa.Column("bank_account_no", sa.String(32), nullable=True),
        sa.Column("bank_name", sa.String(128), nullable=True),
        sa.Column("spouse_name", sa.String(64), nullable=True),
        sa.Column("spouse_certno", sa.String(18), nullable=True),
        sa.Column("pledges", sa.JSON(), nullable=False),
        sa.Column("insuplc_admdvs", sa.String(6), nullable=False),
        sa.Column("emp_name", sa.String(128), nullable=True),
        sa.Column("source_region", sa.String(6), nullable=True),
        sa.Column("promised_days", sa.Integer(), nullable=True),
        sa.Column("settled_amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("settlement_sha256", sa.String(64), nullable=True),
        sa.Column("settlement_code", sa.String(32), nullable=True),
        sa.Column("once_per_person", sa.String(32), nullable=True),
        sa.Column("dcla_souc", sa.String(16), nullable=False),
        sa.Column("acting_staff_id", sa.String(32), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maternity_claims")),
        sa.UniqueConstraint("psn_no", "idempotency_key", name=op.f("uq_maternity_claims_psn_no")),
        sa.UniqueConstraint("once_per_person", name=op.f("uq_maternity_claims_once_per_person")),
    )
    op.create_index(op.f("ix_maternity_claims_psn_no"), "maternity_claims", ["psn_no"])
    op.create_index(op.f("ix_maternity_claims_accepted_at"), "maternity_claims", ["accepted_at"])
    op.create_table(
        "maternity_claim_materials",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("claim_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("upload_id", sa.String(32), nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["maternity_claims.id"],
            name=op.f("fk_maternity_claim_materials_claim_id_maternity_claims"),
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_maternity_claim_materials_upload_id_uploads"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maternity_claim_materials")),
        sa.UniqueConstraint(
            "claim_id", "idempotency_key", name=op.f("uq_maternity_claim_materials_claim_id")
        ),
    )
    op.create_index(
        op.f("ix_maternity_claim_materials_claim_id"), "maternity_claim_materials", ["claim_id"]
    )
    op.create_table(
        "maternity_claim_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["maternity_claims.id"],
            name=op.f("fk_maternity_claim_events_claim_id_maternity_claims"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maternity_claim_events")),
        sa.UniqueConstraint(
            "claim_id", "idempotency_key", name=op.f("uq_maternity_claim_events_claim_id")
        ),
    )
    op.create_index(
        op.f("ix_maternity_claim_events_claim_id"), "maternity_claim_events", ["claim_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_maternity_claim_events_claim_id"), table_name="maternity_claim_events")
    op.drop_table("maternity_claim_events")
    op.drop_index(
        op.f("ix_maternity_claim_materials_claim_id"), table_name="maternity_claim_materials"
    )
    op.drop_table("maternity_claim_materials")
    op.drop_index(op.f("ix_maternity_claims_accepted_at"), table_name="maternity_claims")
    op.drop_index(op.f("ix_maternity_claims_psn_no"), table_name="maternity_claims")
    op.drop_table("maternity_claims")
