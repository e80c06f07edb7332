"""Transliteration to the Latin alphabet, for keys that match across scripts.

Serbian, Montenegrin and Macedonian Cyrillic go through cyrtranslit with the language's own
table (Macedonian letters Ѓ, Ќ, Ѕ are left untouched by the Serbian one). Every other script a
register meets — Greek, Arabic, Chinese, Russian or Ukrainian letters outside the Serbian table —
goes through anyascii, which turns any Unicode letter into ASCII. Greek vowel digraphs come
first, as ELOT 743 writes them (ου → ou, αυ → av), so that Παπαδόπουλος and Σταύρος meet the
Latin spellings Papadopoulos and Stavros. Latin letters are left as they are: the region's
orthographies are folded by `orthography.fold`.
"""

import re
import unicodedata

import cyrtranslit
from anyascii import anyascii

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MACEDONIAN_ONLY = re.compile(r"[ЃЌЅѓќѕ]")
# Letters outside ASCII, Latin-1, Latin Extended A/B and Additional, and combining marks.
_OTHER_SCRIPT = re.compile(r"[^\x00-\u024F\u0300-\u036F\u1E00-\u1EFF]+")
_GREEK = re.compile(r"[\u0370-\u03FF\u1F00-\u1FFF]")
_GREEK_DIGRAPHS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("ηυ", "iv"), ("γγ", "ng"))


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def _greek(run: str) -> str:
    """Lower case without accents, the vowel digraphs in Latin (the rest is anyascii's)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFD", run.lower())
                    if not unicodedata.combining(ch))
    for greek, latin in _GREEK_DIGRAPHS:
        plain = plain.replace(greek, latin)
    return plain


def _other_script(found: re.Match) -> str:
    run = found.group()
    return anyascii(_greek(run) if _GREEK.search(run) else run)


def to_latin(text: str) -> str:
    """Return `text` in the Latin alphabet: Cyrillic in its language's table (Serbian or
    Macedonian), any other script transliterated to ASCII; Latin text is unchanged."""
    if has_cyrillic(text):
        text = cyrtranslit.to_latin(text, "mk" if _MACEDONIAN_ONLY.search(text) else "sr")
    return _OTHER_SCRIPT.sub(_other_script, text)
