"""Text clean-up shared by every service that stores what a person typed, and the canonical
JSON that every signature and MAC is computed over (a leaf module)."""

import json
import unicodedata


def clean_text(value) -> str:
    """One line of text: control characters dropped (PostgreSQL refuses NUL), spaces collapsed."""
    text = "".join(ch for ch in str(value or "") if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(text.split())


# Characters that change how text displays without being seen: the bidirectional embeddings,
# overrides and isolates (a name shown as "Hoxha" that is stored otherwise), and the NUL that
# PostgreSQL refuses. Other invisible format characters (Unicode category Cf: zero-width
# spaces, the byte-order mark) are refused too, except the joiners that some scripts need.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner (Persian, Indic)


def hidden_character(value: str) -> str | None:
    """The first NUL or invisible format character of `value`, as U+XXXX, or None."""
    for ch in value:
        if ch == "\x00" or (unicodedata.category(ch) == "Cf" and ch not in _ALLOWED_FORMAT):
            return f"U+{ord(ch):04X}"
    return None


def canonical_json(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (what signatures cover)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
