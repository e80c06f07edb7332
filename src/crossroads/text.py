"""Text clean-up shared by every service that stores what a person typed (a leaf module)."""

import unicodedata


def clean_text(value) -> str:
    """One line of text: control characters dropped (PostgreSQL refuses NUL), spaces collapsed."""
    text = "".join(ch for ch in str(value or "") if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(text.split())
