"""Comparable keys for names, places and citizenships written anywhere in the region.

Every key function accepts text in Serbian, Montenegrin or Macedonian Cyrillic, or in
Albanian or South Slavic Latin with or without diacritics, and returns a folded ASCII
key (empty string for blank input). Two spellings of the same name get the same key:

    given_name_key("Xhafer") == given_name_key("Џафер") == given_name_key("Dzafer")
    family_name_key("Petroviq") == family_name_key("Петровић")
    family_name_key("Stojanovska") == family_name_key("Стојановски")
    given_name_key("Agroni") == given_name_key("Agron")

Keys are cached: registers repeat the same names millions of times.
"""

import re
from functools import lru_cache

from crossroads.names.forms import fold_gendered_surname, strip_albanian_definite
from crossroads.names.orthography import fold, strip_diacritics
from crossroads.names.places import CITIZENSHIP_NAMES, PLACE_NAME_VARIANTS
from crossroads.names.script import has_cyrillic, to_latin
from crossroads.names.variants import GIVEN_NAME_VARIANTS

__all__ = [
    "citizenship_key",
    "document_key",
    "family_name_key",
    "fold",
    "given_name_key",
    "given_spelling_key",
    "has_cyrillic",
    "place_key",
    "strip_diacritics",
    "to_latin",
]

_CACHE_SIZE = 1 << 18
_DOCUMENT_NOISE = re.compile(r"[^0-9A-Z]+")
_TRAILING_E = re.compile(r"ë\s*$", re.IGNORECASE)


def _fold_name(text: str) -> str:
    # A final Albanian "ë" is kept, dropped, written "e", or becomes "a" in the
    # definite form (Nikollë, Nikoll, Nikolle, Nikolla); dropping it keeps the
    # spellings one letter apart at most.
    return fold(_TRAILING_E.sub("", text.strip()))


def _given_stem(text: str) -> str:
    return strip_albanian_definite(_fold_name(text))


@lru_cache(maxsize=_CACHE_SIZE)
def given_spelling_key(text: str | None) -> str:
    """Key of a given name as spelled, before common variants are merged."""
    return _given_stem(text) if text else ""


_GIVEN_CANONICAL = {
    _given_stem(variant): _given_stem(row[0]) for row in GIVEN_NAME_VARIANTS for variant in row
}


@lru_cache(maxsize=_CACHE_SIZE)
def given_name_key(text: str | None) -> str:
    """Key of a given (or father's) name; common variants (Muhamed/Mehmed) share one key."""
    if not text:
        return ""
    stem = _given_stem(text)
    return _GIVEN_CANONICAL.get(stem, stem)


@lru_cache(maxsize=_CACHE_SIZE)
def family_name_key(text: str | None) -> str:
    """Key of a family name, folded to the masculine and indefinite form."""
    if not text:
        return ""
    return strip_albanian_definite(fold_gendered_surname(_fold_name(text)))


_FINAL_VOWELS = re.compile(r"(?<=[a-z]{3})[aei]+$")


def _place_stem(text: str) -> str:
    # Albanian definite place names: Prishtinë/Prishtina, Prizren/Prizreni.
    return _FINAL_VOWELS.sub("", fold(text))


_PLACE_CANONICAL = {
    _place_stem(variant): _place_stem(row[0]) for row in PLACE_NAME_VARIANTS for variant in row
}


@lru_cache(maxsize=_CACHE_SIZE)
def place_key(text: str | None) -> str:
    if not text:
        return ""
    stem = _place_stem(text)
    return _PLACE_CANONICAL.get(stem, stem)


_CITIZENSHIP_CODES = {
    fold(name): code for code, names in CITIZENSHIP_NAMES.items() for name in (code, *names)
}


@lru_cache(maxsize=1024)
def citizenship_key(text: str | None) -> str:
    """ISO 3166 alpha-2 code where the citizenship is one of the region's, else folded text."""
    if not text:
        return ""
    folded = fold(text)
    return _CITIZENSHIP_CODES.get(folded, folded)


def document_key(text: str | None) -> str:
    """Document number without spaces, dashes or case; Cyrillic letters transliterated."""
    if not text:
        return ""
    return _DOCUMENT_NOISE.sub("", strip_diacritics(to_latin(text)).upper())
