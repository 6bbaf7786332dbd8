-- Incremental Spotify ingestion: what is stored already, what is still pending.
-- Catalog rows themselves are written through catalog.sql's staging queries.

-- name: stored_artists
SELECT spotify_id, id FROM artists WHERE spotify_id = ANY(:ids);

-- name: listed_album_ids
SELECT al.spotify_id
FROM artist_albums aa JOIN albums al ON al.id = aa.album_id
WHERE aa.artist_id = :artist_id AND aa.album_group = ANY(:groups);

-- name: create_stage_listing
CREATE TEMP TABLE stage_listing (
    album_spotify_id text NOT NULL,
    album_group text NOT NULL,
    name text NOT NULL,
    album_type text,
    release_date date,
    release_date_precision text,
    total_tracks integer,
    position integer NOT NULL
) ON COMMIT DROP;

-- name: insert_listed_albums
INSERT INTO albums (spotify_id, name, album_type, release_date, release_date_precision,
                    total_tracks)
SELECT DISTINCT ON (album_spotify_id)
       album_spotify_id, name, album_type, release_date, release_date_precision, total_tracks
FROM stage_listing
ORDER BY album_spotify_id, position
ON CONFLICT (spotify_id) DO NOTHING;

-- name: insert_artist_albums
INSERT INTO artist_albums (artist_id, album_id, album_group)
SELECT DISTINCT ON (al.id) :artist_id, al.id, s.album_group
FROM stage_listing s JOIN albums al ON al.spotify_id = s.album_spotify_id
ORDER BY al.id, s.position
ON CONFLICT DO NOTHING;

-- name: mark_artist_synced
UPDATE artists SET albums_synced_at = now() WHERE id = :artist_id;

-- name: pending_albums
-- Listed albums of these artists whose tracks are not stored yet, oldest listing first.
SELECT al.spotify_id
FROM albums al
WHERE al.tracks_fetched_at IS NULL
  AND EXISTS (SELECT 1 FROM artist_albums aa
              WHERE aa.album_id = al.id AND aa.artist_id = ANY(:artist_ids))
ORDER BY al.id;

-- name: mark_albums_fetched
UPDATE albums SET tracks_fetched_at = now()
WHERE spotify_id = ANY(:ids) AND tracks_fetched_at IS NULL;

-- name: all_artist_ids
SELECT id FROM artists ORDER BY rank;

-- name: tracks_needing_features
-- Tracks of these artists with no features from any provider, skipping those every
-- asked provider lacked within the recheck interval.
SELECT t.spotify_id, t.duration_ms
FROM tracks t
WHERE EXISTS (SELECT 1 FROM track_artists ta
              WHERE ta.track_id = t.id AND ta.artist_id = ANY(:artist_ids))
  AND NOT EXISTS (SELECT 1 FROM audio_features af WHERE af.track_id = t.id)
  AND NOT EXISTS (SELECT 1 FROM feature_checks c
                  WHERE c.track_id = t.id AND NOT c.found
                    AND c.checked_at > now() - make_interval(secs => :recheck_s))
ORDER BY t.id;

-- name: create_stage_checks
CREATE TEMP TABLE stage_checks (
    track_spotify_id text NOT NULL,
    provider text NOT NULL,
    found boolean NOT NULL
) ON COMMIT DROP;

-- name: upsert_checks
INSERT INTO feature_checks (track_id, provider, found, checked_at)
SELECT DISTINCT ON (t.id, s.provider) t.id, s.provider, s.found, now()
FROM stage_checks s JOIN tracks t ON t.spotify_id = s.track_spotify_id
ORDER BY t.id, s.provider, s.found DESC
ON CONFLICT (track_id, provider)
DO UPDATE SET found = excluded.found, checked_at = excluded.checked_at;

-- name: clear_stage_features
TRUNCATE stage_features;

-- name: artists_of_tracks
SELECT DISTINCT ta.artist_id
FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
WHERE t.spotify_id = ANY(:ids);

-- name: artists_of_albums
SELECT DISTINCT ta.artist_id
FROM track_artists ta JOIN tracks t ON t.id = ta.track_id JOIN albums al ON al.id = t.album_id
WHERE al.spotify_id = ANY(:ids);

-- name: ingest_totals
SELECT (SELECT count(*) FROM albums) AS albums,
       (SELECT count(*) FROM tracks) AS tracks,
       (SELECT count(*) FROM tracks t
        WHERE NOT EXISTS (SELECT 1 FROM audio_features af WHERE af.track_id = t.id))
           AS tracks_without_features;

-- name: features_by_source
SELECT source, count(*) AS n FROM audio_features GROUP BY source ORDER BY source;

-- name: existing_beat
SELECT name FROM beats WHERE name = :name OR spotify_id = :spotify_id LIMIT 1;
