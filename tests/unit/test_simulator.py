"""The simulator answers in the real APIs' shapes and enforces each mode's limits."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import requests

from simulators.catalog import load_catalog
from simulators.server import Faults, serve
from tests.ingest_support import small_catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):
    return load_catalog(small_catalog(tmp_path_factory.mktemp("sim") / "c", tracks=200))


def _token(base: str) -> dict[str, str]:
    basic = base64.b64encode(b"id:secret").decode()
    answer = requests.post(
        f"{base}/api/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
        timeout=5,
    ).json()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 3600
    return {"Authorization": f"Bearer {answer['access_token']}"}


@pytest.mark.parametrize("mode", ["extended", "development"])
def test_artist_albums_pages_link_to_the_server_itself(catalog, mode: str) -> None:
    artist = next(iter(catalog.artists))
    with serve(catalog, mode=mode) as server:
        base = server.state.base_url
        auth = _token(base)
        url, seen, total = f"{base}/v1/artists/{artist}/albums?limit=2", [], None
        while url:
            page = requests.get(url, headers=auth, timeout=5).json()
            assert page["limit"] == 2 and set(page) >= {"href", "items", "next", "offset", "total"}
            total = page["total"]
            seen += [a["id"] for a in page["items"]]
            url = page["next"]
            assert url is None or url.startswith(base)
        assert len(seen) == total == len(set(seen)) > 2
        album = page["items"][0]
        assert album["album_group"] == "album" and album["type"] == "album"
        assert ("available_markets" in album) == (mode == "extended")
        too_big = requests.get(
            f"{base}/v1/artists/{artist}/albums?limit=11", headers=auth, timeout=5
        )
        assert too_big.status_code == (400 if mode == "development" else 200)


def test_development_mode_refuses_batches_and_audio_features(catalog) -> None:
    ids = ",".join(list(catalog.tracks)[:3])
    with serve(catalog, mode="development") as server:
        base, auth = server.state.base_url, _token(server.state.base_url)
        for path in (f"/v1/tracks?ids={ids}", f"/v1/audio-features?ids={ids}",
                     f"/v1/albums?ids={next(iter(catalog.albums))}"):  # fmt: skip
            answer = requests.get(base + path, headers=auth, timeout=5)
            assert answer.status_code == 403
            assert answer.json() == {"error": {"status": 403, "message": "Forbidden"}}


def test_requests_need_a_token_and_unknown_ids_are_404(catalog) -> None:
    with serve(catalog) as server:
        base = server.state.base_url
        assert requests.get(f"{base}/v1/artists/{'a' * 22}", timeout=5).status_code == 401
        auth = _token(base)
        assert (
            requests.get(f"{base}/v1/artists/{'a' * 22}", headers=auth, timeout=5).status_code
            == 404
        )
        assert requests.get(f"{base}/v1/artists/bad", headers=auth, timeout=5).status_code == 400
        batch = requests.get(f"{base}/v1/artists?ids={'a' * 22}", headers=auth, timeout=5)
        assert batch.json() == {"artists": [None]}


def test_reccobeats_leaves_out_about_15_percent_and_keeps_no_order(catalog) -> None:
    ids = list(catalog.tracks)
    with serve(catalog) as server:
        base = server.urls["reccobeats_url"]
        found = []
        for start in range(0, len(ids), 40):
            chunk = ids[start : start + 40]
            content = requests.get(
                f"{base}/audio-features", params={"ids": ",".join(chunk)}, timeout=5
            ).json()["content"]
            found += [
                item["href"].removeprefix("https://open.spotify.com/track/") for item in content
            ]
            assert "duration_ms" not in content[0] and "time_signature" not in content[0]
        too_many = requests.get(
            f"{base}/audio-features", params={"ids": ",".join(ids[:41])}, timeout=5
        )
        durations = requests.get(f"{base}/track", params={"ids": ids[0]}, timeout=5).json()
    assert too_many.status_code == 400
    assert set(found) <= set(ids) and found != [i for i in ids if i in set(found)]
    assert 0.05 < 1 - len(found) / len(ids) < 0.25
    assert all("durationMs" in item for item in durations["content"])


def test_faults_are_seeded_and_counted(catalog) -> None:
    artist = next(iter(catalog.artists))

    def statuses() -> list[int | str]:
        faults = Faults(rate_429=0.2, rate_5xx=0.2, rate_drop=0.2, retry_after=7, seed=5)
        out: list[int | str] = []
        with serve(catalog, faults=faults) as server:
            auth = _token(server.state.base_url)
            for _ in range(30):
                try:
                    answer = requests.get(
                        f"{server.state.base_url}/v1/artists/{artist}", headers=auth, timeout=5
                    )
                    out.append(answer.status_code)
                    if answer.status_code == 429:
                        assert answer.headers["Retry-After"] == "7"
                except requests.ConnectionError:
                    out.append("drop")
            assert server.state.counts["artist"] == 30
        return out

    first = statuses()
    assert first == statuses()
    assert {200, 429, 503, "drop"} <= set(first)


def test_analysis_rejects_what_is_not_audio(catalog, tmp_path: Path) -> None:
    with serve(catalog) as server:
        url = f"{server.urls['reccobeats_url']}/analysis/audio-features"
        ok = requests.post(url, files={"audioFile": ("a.wav", b"RIFF....WAVEfmt ")}, timeout=5)
        bad = requests.post(url, files={"audioFile": ("a.txt", b"hello")}, timeout=5)
    assert ok.status_code == 200 and "key" not in ok.json() and "mode" not in ok.json()
    assert bad.status_code == 400
