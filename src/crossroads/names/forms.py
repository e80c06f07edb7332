"""Grammatical forms of names that vary between records of the same person.

Both functions work on folded (ASCII, lower-case) keys from `orthography.fold`.
"""

_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
# Macedonian and Bulgarian-style surnames agree with the bearer's sex.
_FEMININE_SURNAME_ENDINGS = (("ska", "ski"), ("cka", "cki"), ("ova", "ov"), ("eva", "ev"))


def fold_gendered_surname(key: str) -> str:
    """Return the masculine form: "stojanovska" -> "stojanovski", "petrova" -> "petrov"."""
    for feminine, masculine in _FEMININE_SURNAME_ENDINGS:
        if key.endswith(feminine) and len(key) > len(feminine) + 1:
            return key[: -len(feminine)] + masculine
    return key


def strip_albanian_definite(key: str) -> str:
    """Drop the Albanian masculine definite ending: "agroni" -> "agron", "besniku" -> "besnik".

    Albanian records often carry the definite form (Agroni, Krasniqi, Ahmeti) where
    Slavic records keep the bare stem; -u follows k, g and h, -i any other consonant.
    Applied to every key alike, so a Slavic name that happens to end the same way is
    shortened on both sides of a comparison and still matches itself.
    """
    if len(key) < 4:
        return key
    last, before = key[-1], key[-2]
    if last == "i" and before in _CONSONANTS:
        return key[:-1]
    if last == "u" and before in "kgh":
        return key[:-1]
    return key
