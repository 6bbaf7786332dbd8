import pytest

from jobs.ingest.titles import normalize_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Young Wheezy (with Gunna)", "young wheezy"),
        ("Champions (feat. Travis Scott)", "champions"),
        ("Know Yourself - Remastered 2011", "know yourself"),
        ("Sicko Mode [Bonus Track]", "sicko mode"),
        ("Beibs In The Trap (Explicit Version)", "beibs in the trap"),
        ("Song (feat. X) - Remastered", "song"),
        ("Friends & Family", "friends and family"),
        ("Café Olé!", "cafe ole"),
        ("Pop Out - Deluxe Edition", "pop out"),
    ],
)
def test_packaging_is_stripped(title: str, expected: str) -> None:
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    "title",
    ["Sicko Mode (Live)", "Sicko Mode - Remix", "Sicko Mode (Acoustic)", "Sicko Mode - Radio Edit"],
)
def test_different_recordings_stay_distinct(title: str) -> None:
    assert normalize_title(title) != normalize_title("Sicko Mode")
