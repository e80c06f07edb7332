"""Blind indexes: keyed hashes (HMAC-SHA256) of normalised identity values.

Search compares digests, so the database never holds a plaintext index of names, dates or
document numbers. Names are normalised by the region-aware folding of the linkage engine,
so a name typed in Cyrillic finds the same person recorded in Latin or Albanian spelling.
"""

import hashlib
import hmac

from django.conf import settings

from crossroads.names import family_name_key, given_name_key

DIGEST_CHARS = 32


def digest(kind: str, value: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def word_digests(word: str) -> set[str]:
    """Digests of one name word under both folding rules (it may be a given or family name)."""
    return {digest("name", key) for key in (given_name_key(word), family_name_key(word)) if key}


def query_digests(text: str) -> list[set[str]]:
    """One set of alternative digests per word of a search query; every word must match."""
    return [d for d in (word_digests(word) for word in text.replace(",", " ").split()) if d]


def name_digests(text: str) -> set[str]:
    return set().union(*query_digests(text)) if text.split() else set()


def document_digest(number: str) -> str:
    return digest("doc", "".join(ch for ch in number.upper() if ch.isalnum()))


def birth_digests(birth_date, precision: str) -> set[tuple[str, str]]:
    """The year always; the month and the day only as far as the precision knows them."""
    keys = {("yob", digest("yob", f"{birth_date:%Y}"))}
    if precision in {"exact", "month"}:
        keys.add(("ym", digest("ym", f"{birth_date:%Y-%m}")))
    if precision == "exact":
        keys.add(("dob", digest("dob", birth_date.isoformat())))
    return keys


def identity_keys(names, birth_date, precision, document_numbers) -> set[tuple[str, str]]:
    """Every (kind, digest) pair under which a person with these values can be found."""
    keys = {("name", d) for text in names if text for d in name_digests(text)}
    if birth_date:
        keys |= birth_digests(birth_date, precision)
    keys.update(("doc", document_digest(number)) for number in document_numbers)
    return keys


# Apps above the register add their own keys (linkage: its blocking keys, kind "link").
_key_sources = []


def add_key_source(source) -> None:
    """`source(person, document_numbers)` returns more (kind, digest) pairs for a person."""
    if source not in _key_sources:
        _key_sources.append(source)


def search_keys_for(person, aliases=(), document_numbers=()):
    """Unsaved SearchKey rows for a person (bulk seeding and re-indexing share this)."""
    from .models import SearchKey

    names = [person.given_names, person.family_name, person.father_name, *aliases]
    keys = identity_keys(names, person.birth_date, person.birth_precision, document_numbers)
    for source in _key_sources:
        keys.update(source(person, document_numbers))
    return [SearchKey(person=person, kind=kind, digest=value) for kind, value in keys]


def reindex(person, aliases=None, document_numbers=None, *, fresh: bool = False) -> None:
    """Rewrite the person's search keys; a writer that has the aliases and document numbers at
    hand passes them (else they are read), and a new person (`fresh`) has no keys to delete."""
    from .models import SearchKey

    if not fresh:
        person.search_keys.all().delete()
    if aliases is None:
        aliases = [a.name for a in person.aliases.all()]
    if document_numbers is None:
        document_numbers = [d.number for d in person.documents.all()]
    SearchKey.objects.bulk_create(search_keys_for(person, aliases, document_numbers))
