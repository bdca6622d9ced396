"""the local insured-person registry

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insured_persons",
        sa.Column("psn_no", sa.String(32), nullable=False),
        sa.Column("psn_cert_type", sa.String(2), nullable=False),
        sa.Column("certno", sa.String(18), nullable=False),
        sa.Column("psn_name", sa.String(64), nullable=False),
        sa.Column("gend", sa.String(1), nullable=False),
        sa.Column("brdy", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("psn_no", name=op.f("pk_insured_persons")),
        sa.UniqueConstraint("certno", name=op.f("uq_insured_persons_certno")),
    )
    op.create_table(
        "insured_coverages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("psn_no", sa.String(32), nullable=False),
        sa.Column("insutype", sa.String(3), nullable=False),
        sa.Column("psn_insu_stas", sa.String(1), nullable=False),
        sa.Column("psn_insu_date", sa.Date(), nullable=False),
        sa.Column("paus_insu_date", sa.Date(), nullable=True),
        sa.Column("insuplc_admdvs", sa.String(6), nullable=False),
        sa.Column("emp_name", sa.String(128), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["psn_no"],
            ["insured_persons.psn_no"],
            name=op.f("fk_insured_coverages_psn_no_insured_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insured_coverages")),
    )
    op.create_index(op.f("ix_insured_coverages_psn_no"), "insured_coverages", ["psn_no"])
    op.create_table(
        "insured_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("psn_no", sa.String(32), nullable=False),
        sa.Column("relative_psn_no", sa.String(32), nullable=False),
        sa.Column("relation", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["psn_no"],
            ["insured_persons.psn_no"],
            name=op.f("fk_insured_relations_psn_no_insured_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["relative_psn_no"],
            ["insured_persons.psn_no"],
            name=op.f("fk_insured_relations_relative_psn_no_insured_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insured_relations")),
    )
    op.create_index(op.f("ix_insured_relations_psn_no"), "insured_relations", ["psn_no"])


def downgrade() -> None:
    op.drop_index(op.f("ix_insured_relations_psn_no"), table_name="insured_relations")
    op.drop_table("insured_relations")
    op.drop_index(op.f("ix_insured_coverages_psn_no"), table_name="insured_coverages")
    op.drop_table("insured_coverages")
    op.drop_table("insured_persons")
