"""Cyrillic to Latin transliteration for Serbian, Montenegrin and Macedonian text.

cyrtranslit does the letter mapping; this module only chooses the language table,
because Macedonian letters (Ѓ, Ќ, Ѕ) are left untouched by the Serbian table.
"""

import re

import cyrtranslit

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MACEDONIAN_ONLY = re.compile(r"[ЃЌЅѓќѕ]")


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def to_latin(text: str) -> str:
    """Return `text` in the Latin alphabet of its language (Serbian or Macedonian)."""
    if not has_cyrillic(text):
        return text
    language = "mk" if _MACEDONIAN_ONLY.search(text) else "sr"
    return cyrtranslit.to_latin(text, language)
