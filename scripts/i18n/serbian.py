"""Serbian Cyrillic from Serbian Latin: the sr_Cyrl catalogue is generated, never edited.

Serbian has two official scripts with a one-to-one correspondence (lj = љ, nj = њ, dž = џ,
...), so translators keep one catalogue, ``sr_Latn``, and ``sr_Cyrl`` is derived from it by
:func:`cyrillic_catalogue`. The letters are converted by ``cyrtranslit``; this module adds
what a user interface needs on top:

* markup and placeholders stay as they are: ``%(name)s``, ``%s``, ``{name}``, ``{{ n }}``,
  ``{% tag %}``, HTML tags and entities, URLs;
* codes the user reads or types in Latin stay Latin: two-letter country codes (AL, RS,
  XK), handling codes and document numbers mixing letters and digits (H0, J45102345A),
  letter ranges (A-Z), and the words of :data:`KEEP_LATIN` (product and standard names);
* all-capital digraphs (LJ, NJ, DŽ) become one letter (Љ, Њ, Џ), which ``cyrtranslit``
  alone gets wrong, and the few words where n+j or d+ž are two letters (injekcija,
  nadživeti) keep them apart (:data:`TWO_LETTER_WORDS`).
"""

from __future__ import annotations

import re
import unicodedata

import cyrtranslit
import pofile  # sibling module: scripts/i18n is on sys.path when run or tested

# Words written in Latin in Cyrillic text too (names of products and standards, acronyms).
KEEP_LATIN = frozenset({
    "Crossroads", "CTDC", "ISO", "API", "JSON", "OpenAPI", "HTML", "CSV", "URL", "Bearer",
    "Authorization", "TOKEN", "htmx", "HTTP", "HTTPS", "alpha", "UTC",
})

# Word beginnings where Latin n+j or d+ž are two letters, not the digraphs nj / dž.
TWO_LETTER_WORDS = {
    "nadž": "надж", "podž": "подж", "odžali": "оджали", "injekc": "инјекц",
    "konjunk": "конјунк", "vanjezi": "ванјези", "tanjug": "танјуг",
}

_PROTECTED = re.compile(
    r"""
      %%?\([^)]*\)[#0+-]?\d*(?:\.\d+)?[a-zA-Z]   # %(name)s, %(count)d; %%(name)s of templates
    | %[#0+-]?\d*(?:\.\d+)?[sdifrxX%]            # %s, %d, %%
    | \{\{.*?\}\} | \{%.*?%\} | \{\#.*?\#\}      # template variables, tags, comments
    | \{[A-Za-z_]?[\w.]*(?:![rsa])?(?::[^{}]*)?\}  # str.format fields: {name}, {0}, {}
    | <[^<>]*>                                   # HTML tags
    | &(?:\#\d+|\#x[0-9a-fA-F]+|[A-Za-z]+);      # entities
    | (?:https?|mailto|ftp)://[^\s<>"']+         # URLs
    | \b[A-Z]{2}\b                               # ISO country codes: AL, RS, XK
    | \b[A-Z]-[A-Z]\b                            # letter ranges: A-Z, A-T
    | \b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]+\b   # codes mixing letters and digits: H0
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-zČčĆćĐđŠšŽž]+")
_CAPITAL_DIGRAPHS = (("LJ", "Lj"), ("NJ", "Nj"), ("DŽ", "Dž"))
_LIGATURES = str.maketrans({"Ǉ": "Lj", "ǈ": "Lj", "ǉ": "lj", "Ǌ": "Nj", "ǋ": "Nj", "ǌ": "nj",
                            "Ǆ": "Dž", "ǅ": "Dž", "ǆ": "dž"})


def _convert_plain(text: str) -> str:
    """Transliterate text that holds no markup, word by word."""

    def word(match: re.Match) -> str:
        token = match.group()
        if token in KEEP_LATIN:
            return token
        lower = token.lower()
        for start, cyrillic in TWO_LETTER_WORDS.items():
            if lower.startswith(start):
                head = cyrillic if token[: len(start)].islower() else _capitalise_like(
                    token[: len(start)], cyrillic)
                return head + _convert_word(token[len(start):])
        return _convert_word(token)

    return _WORD.sub(word, text)


def _capitalise_like(model: str, cyrillic: str) -> str:
    if model.isupper():
        return cyrillic.upper()
    return cyrillic[:1].upper() + cyrillic[1:]


def _convert_word(token: str) -> str:
    for capital, titled in _CAPITAL_DIGRAPHS:   # "LJUBA" -> "LjUBA" -> "ЉУБА"
        token = token.replace(capital, titled)
    return cyrtranslit.to_cyrillic(token, "sr")


def to_cyrillic(text: str) -> str:
    """Serbian Latin text to Serbian Cyrillic, markup, placeholders and codes untouched."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    out, last = [], 0
    for match in _PROTECTED.finditer(text):
        out.append(_convert_plain(text[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_convert_plain(text[last:]))
    return "".join(out)


GENERATED_NOTE = ("# Generated from sr_Latn by scripts/i18n/serbian.py: edit sr_Latn, then run "
                  "scripts/i18n/refresh.py.")


def cyrillic_catalogue(latin_po: str) -> str:
    """The text of the sr_Cyrl catalogue for the text of the sr_Latn catalogue."""
    catalog = pofile.parse(latin_po)
    catalog.header.comments = [GENERATED_NOTE] + [
        line for line in catalog.header.comments if line != GENERATED_NOTE]
    catalog.set_metadata("Language", "sr_Cyrl")
    catalog.set_metadata("Language-Team", "Serbian (Cyrillic)")
    for entry in catalog.entries:
        entry.msgstr = {index: to_cyrillic(value) for index, value in entry.msgstr.items()}
    return pofile.dump(catalog)
