"""artist_albums: each artist's album listing, for incremental Spotify ingestion

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "artist_albums",
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("album_id", sa.Integer(), nullable=False),
        sa.Column("album_group", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "album_group IN ('album', 'single', 'compilation', 'appears_on')",
            name=op.f("ck_artist_albums_album_group_known"),
        ),
        sa.ForeignKeyConstraint(
            ["album_id"],
            ["albums.id"],
            name=op.f("fk_artist_albums_album_id_albums"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artists.id"],
            name=op.f("fk_artist_albums_artist_id_artists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("artist_id", "album_id", name=op.f("pk_artist_albums")),
    )
    op.create_index(op.f("ix_artist_albums_album_id"), "artist_albums", ["album_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_artist_albums_album_id"), table_name="artist_albums")
    op.drop_table("artist_albums")
