"""What the Spotify ingester has stored and what is pending, so runs resume and repeat nothing.

Albums and their track lists never change once stored (``albums.tracks_fetched_at``);
an artist's album listing is kept in ``artist_albums``; features no provider had are
recorded in ``feature_checks``. All functions run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection

from db.catalog import copy_frame
from db.queries import query

LISTING_COLUMNS = (
    "album_spotify_id", "album_group", "name", "album_type", "release_date",
    "release_date_precision", "total_tracks", "position",
)  # fmt: skip


def stored_artists(conn: Connection, spotify_ids: Sequence[str]) -> dict[str, int]:
    """Spotify id -> database id of the artists already stored."""
    rows = conn.execute(query("ingest", "stored_artists"), {"ids": list(spotify_ids)})
    return dict(rows.all())


def listed_album_ids(conn: Connection, artist_id: int, groups: Sequence[str]) -> set[str]:
    params = {"artist_id": artist_id, "groups": list(groups)}
    return set(conn.execute(query("ingest", "listed_album_ids"), params).scalars())


def store_listing(conn: Connection, artist_id: int, listing: pd.DataFrame) -> None:
    """Store an artist's album listing (albums without tracks yet) and mark it synced."""
    conn.execute(query("ingest", "create_stage_listing"))
    copy_frame(conn, "stage_listing", listing, LISTING_COLUMNS)
    conn.execute(query("ingest", "insert_listed_albums"))
    conn.execute(query("ingest", "insert_artist_albums"), {"artist_id": artist_id})
    conn.execute(query("ingest", "mark_artist_synced"), {"artist_id": artist_id})


def pending_albums(conn: Connection, artist_ids: Sequence[int]) -> list[str]:
    params = {"artist_ids": list(artist_ids)}
    return list(conn.execute(query("ingest", "pending_albums"), params).scalars())


def mark_albums_fetched(conn: Connection, album_ids: Sequence[str]) -> None:
    conn.execute(query("ingest", "mark_albums_fetched"), {"ids": list(album_ids)})


def all_artist_ids(conn: Connection) -> list[int]:
    return list(conn.execute(query("ingest", "all_artist_ids")).scalars())


def tracks_needing_features(
    conn: Connection, artist_ids: Sequence[int], recheck_s: float
) -> dict[str, int | None]:
    """Spotify id -> stored duration of tracks still lacking features."""
    params = {"artist_ids": list(artist_ids), "recheck_s": recheck_s}
    return dict(conn.execute(query("ingest", "tracks_needing_features"), params).all())


def record_checks(conn: Connection, checks: Sequence[tuple[str, str, bool]]) -> None:
    if not checks:
        return
    conn.execute(query("ingest", "create_stage_checks"))
    frame = pd.DataFrame(checks, columns=["track_spotify_id", "provider", "found"])
    copy_frame(conn, "stage_checks", frame, ("track_spotify_id", "provider", "found"))
    conn.execute(query("ingest", "upsert_checks"))


def clear_staged_features(conn: Connection) -> None:
    conn.execute(query("ingest", "clear_stage_features"))


def artists_of_tracks(conn: Connection, track_ids: Sequence[str]) -> list[int]:
    return list(
        conn.execute(query("ingest", "artists_of_tracks"), {"ids": list(track_ids)}).scalars()
    )


def artists_of_albums(conn: Connection, album_ids: Sequence[str]) -> list[int]:
    return list(
        conn.execute(query("ingest", "artists_of_albums"), {"ids": list(album_ids)}).scalars()
    )


def totals(conn: Connection) -> dict[str, int]:
    row = dict(conn.execute(query("ingest", "ingest_totals")).mappings().one())
    by_source = conn.execute(query("ingest", "features_by_source")).all()
    row.update({f"features_{source}": n for source, n in by_source})
    return row


def existing_beat(conn: Connection, name: str, spotify_id: str | None) -> str | None:
    params = {"name": name, "spotify_id": spotify_id}
    return conn.execute(query("ingest", "existing_beat"), params).scalar()
