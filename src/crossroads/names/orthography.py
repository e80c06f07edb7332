"""Fold Albanian and South Slavic Latin spellings into one ASCII matching alphabet.

The same sound is written differently across the region's orthographies and by
foreign systems that drop diacritics:

    sound   South Slavic   Albanian   foreign / dropped
    dʒ      dž (џ)         xh         dz, dzh
    ʃ       š              sh         s, sh
    ʒ       ž              zh         z, zh
    tʃ      č              ç          c, ch
    tɕ      ć (ћ, ќ)       q          c, kj
    dʑ      đ (ђ, ѓ)       gj         dj, d
    dz      dz (ѕ)         x          dz

Each row collapses to one ASCII spelling, so `fold("Petroviq") == fold("Petrović")`.
The result is a matching key, not a display form: it loses distinctions (č/ć, đ/d)
that the region's speakers hear but that records do not keep reliably.
"""

import re
import unicodedata

from crossroads.names.script import to_latin

# Applied in order on lower-case Latin text; digraphs before their single letters.
_DIGRAPHS = (
    ("xh", "dž"),
    ("dzh", "dž"),
    ("sh", "š"),
    ("zh", "ž"),
    ("ch", "č"),
    ("gj", "đ"),
    ("dj", "đ"),
    ("kj", "ć"),
    ("ǵ", "đ"),
    ("ḱ", "ć"),
    ("q", "ć"),
    ("ç", "č"),
    ("x", "dz"),
    ("ë", "e"),
    ("y", "i"),
    ("w", "v"),
)
# Letters NFKD does not decompose into a base letter plus a combining mark.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss"})
_NOT_LETTER = re.compile(r"[^a-z]+")
_REPEATED = re.compile(r"(.)\1+")
# Slavic "-ija" / "-ijel" against the Albanian and Western "-ia" / "-iel".
_IJ_BEFORE_VOWEL = re.compile(r"ij(?=[aeiou])")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_once(text: str) -> str:
    latin = unicodedata.normalize("NFC", to_latin(text)).lower()
    for written, sound in _DIGRAPHS:
        latin = latin.replace(written, sound)
    ascii_text = _NOT_LETTER.sub("", strip_diacritics(latin))
    ascii_text = _IJ_BEFORE_VOWEL.sub("i", ascii_text)
    return _REPEATED.sub(r"\1", ascii_text)


def fold(text: str) -> str:
    """Return the ASCII matching form of a name or word in any of the region's scripts.

    Folding can expose a new digraph ("šh" becomes "sh"), so it is repeated until
    nothing changes; after the first pass every change shortens the text, so this
    ends, and `fold(fold(x)) == fold(x)` holds by construction.
    """
    folded = _fold_once(text)
    while (again := _fold_once(folded)) != folded:
        folded = again
    return folded
