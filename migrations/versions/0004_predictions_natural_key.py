"""predictions: (beat, model, group) becomes the primary key; the surrogate id goes

Revision ID: 0004
Revises: 0003

Bulk prediction writes maintained three B-tree indexes per row (the id, and the two
unique keys); the id was never referenced. Dropping it makes the natural key the
primary key and leaves two indexes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("pk_predictions", "predictions", type_="primary")
    op.drop_constraint("uq_predictions_beat_id_model_id_group_label", "predictions", type_="unique")
    op.drop_column("predictions", "id")
    op.create_primary_key("pk_predictions", "predictions", ["beat_id", "model_id", "group_label"])


def downgrade() -> None:
    op.drop_constraint("pk_predictions", "predictions", type_="primary")
    op.create_unique_constraint(
        "uq_predictions_beat_id_model_id_group_label",
        "predictions",
        ["beat_id", "model_id", "group_label"],
    )
    op.add_column(
        "predictions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
    )
    op.create_primary_key("pk_predictions", "predictions", ["id"])
