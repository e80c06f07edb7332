"""Text clean-up shared by every service that stores what a person typed, and the canonical
JSON that every signature and MAC is computed over (a leaf module)."""

import json
import unicodedata


def clean_text(value) -> str:
    """One line of text: control characters dropped (PostgreSQL refuses NUL), spaces collapsed."""
    text = "".join(ch for ch in str(value or "") if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(text.split())


def canonical_json(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (what signatures cover)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# A spreadsheet takes a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (OWASP: a leading
    apostrophe)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
