"""Search terms in the chain as keyed hashes: a search entry keeps, per word of the query, the
HMAC-SHA256 of the word's normalised forms (crossroads.names: given-name and family-name
folding, so "Петровић", "Petrovic" and "Petroviq" give the same digests) under a key of the
keyring, never the words. Oversight asks "who searched for this name" by hashing the name the
same way under every key the keyring holds (`matches`)."""

import hashlib
import hmac

from crossroads.keys import keyring
from crossroads.names import family_name_key, given_name_key

DIGEST_CHARS = 24
_LABEL = b"crossroads audit search terms"


def _key(kid: str) -> bytes | None:
    raw = keyring.load().keys.get(kid)
    return hmac.new(raw, _LABEL, hashlib.sha256).digest() if raw else None


def _word_digests(key: bytes, word: str) -> list[str]:
    forms = sorted({f for f in (given_name_key(word), family_name_key(word)) if f})
    return [hmac.new(key, form.encode(), hashlib.sha256).hexdigest()[:DIGEST_CHARS]
            for form in forms]


def _words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if w]


def hashed_terms(text: str) -> dict:
    """What a search entry stores of its terms: the key id and one list of digests per word."""
    keys = keyring.load()
    key = _key(keys.current)
    words = [d for d in (_word_digests(key, w) for w in _words(text)) if d]
    return {"kid": keys.current, "words": words}


def digests_of(text: str) -> dict[str, list[set[str]]]:
    """Per key id of the keyring: the digests of each word of `text`."""
    found = {}
    for kid in keyring.load().keys:
        key = _key(kid)
        words = [set(d) for d in (_word_digests(key, w) for w in _words(text)) if d]
        if words:
            found[kid] = words
    return found


def matches(terms: dict | None, wanted: dict[str, list[set[str]]]) -> bool:
    """Whether a stored search (its `terms`) searched for every word of the wanted name."""
    if not terms or not wanted.get(terms.get("kid")):
        return False
    stored = set().union(*(set(w) for w in terms.get("words", []))) if terms.get("words") else set()
    return all(word & stored for word in wanted[terms["kid"]])
