"""Title normalization: the key that finds releases of the same recording.

Only release packaging is stripped (featured artists, "Remastered", "Bonus Track",
"Deluxe", "Explicit", "Album Version"). Words that mark a genuinely different
recording (Live, Remix, Acoustic, Radio Edit, Slowed, Instrumental) are kept.
"""

from __future__ import annotations

import re
import unicodedata

_FEATURING = r"(?:feat\.?|ft\.?|featuring|with)\s+[^)\]]*"
_PACKAGING = (
    r"(?:\d{4}\s+)?(?:digital(?:ly)?\s+)?"
    r"(?:remaster(?:ed)?|bonus(?:\s+track)?|explicit(?:\s+version)?|album\s+version"
    r"|deluxe(?:\s+(?:edition|version))?|original\s+version|bonus\s+version)"
    r"(?:\s+(?:version|edition))?(?:\s+\d{4})?"
)
_BRACKETED = re.compile(rf"[(\[]\s*(?:{_FEATURING}|{_PACKAGING})\s*[)\]]", re.IGNORECASE)
_DASH_SUFFIX = re.compile(rf"\s+-\s+(?:{_FEATURING}|{_PACKAGING})\s*$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_title(title: str) -> str:
    """Lower-case, accent-free, punctuation-free title without packaging suffixes."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    previous = None
    while previous != text:  # "Song (feat. X) - Remastered 2011" needs two passes
        previous = text
        text = _DASH_SUFFIX.sub("", _BRACKETED.sub("", text)).strip()
    text = text.lower().replace("&", " and ")
    return _NON_WORD.sub(" ", text).strip()
