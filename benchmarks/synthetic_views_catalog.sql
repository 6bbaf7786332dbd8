-- A synthetic catalog of current_setting('bench.tracks') tracks, generated inside
-- PostgreSQL (much faster than CSV import at this size): 50 artists, 12 tracks per
-- album, every 10th track a duplicate release, csv features for every track plus
-- spotify features for 20% and reccobeats features for 10% (so the views must pick
-- one provider per track), 10 beats. Values are random within the feature ranges.
INSERT INTO artists (id, spotify_id, name, rank)
OVERRIDING SYSTEM VALUE
SELECT i, substr(md5('artist' || i), 1, 22), 'Bench Artist ' || i, i
FROM generate_series(1, 50) i;

INSERT INTO albums (id, spotify_id, name, album_type, release_date)
OVERRIDING SYSTEM VALUE
SELECT i, substr(md5('album' || i), 1, 22), 'Bench Album ' || i, 'album',
       date '2000-01-01' + (i % 8000)
FROM generate_series(1, current_setting('bench.tracks')::int / 12 + 1) i;

INSERT INTO tracks (id, spotify_id, title, normalized_title, album_id, duration_ms,
                    canonical_track_id)
OVERRIDING SYSTEM VALUE
SELECT i, substr(md5('track' || i), 1, 22), 'Track ' || i, 'track ' || i, (i - 1) / 12 + 1,
       120000 + (random() * 180000)::int,
       CASE WHEN i % 10 = 0 THEN i - 1 END
FROM generate_series(1, current_setting('bench.tracks')::int) i;

INSERT INTO track_artists (track_id, artist_id, is_primary)
SELECT i, ((i - 1) / 12) % 50 + 1, true
FROM generate_series(1, current_setting('bench.tracks')::int) i;

INSERT INTO audio_features (track_id, source, danceability, energy, key, loudness, mode,
                            speechiness, acousticness, instrumentalness, liveness, valence,
                            tempo, time_signature, duration_ms)
SELECT i, s.source, random(), random(), (random() * 11)::int, -30 + random() * 30,
       (random() < 0.55)::int, random(), random(), random(), random(), random(),
       60 + random() * 140, 4, 120000 + (random() * 180000)::int
FROM generate_series(1, current_setting('bench.tracks')::int) i
JOIN (VALUES ('csv', 10), ('spotify', 2), ('reccobeats', 1)) s(source, per_ten)
  ON i % 10 < s.per_ten;

INSERT INTO beats (name, source, danceability, energy, key, loudness, mode, acousticness,
                   liveness, valence, tempo, duration_ms)
SELECT 'Bench Beat ' || i, 'csv', random(), random(), (random() * 11)::int,
       -30 + random() * 30, (random() < 0.5)::int, random(), random(), random(),
       60 + random() * 140, 120000 + (random() * 180000)::int
FROM generate_series(1, 10) i;
