"""The one adapter between the transport and the encoder (`encoding`, `comparison`): what a
node sends for a person, how the hub checks, stores and compares it."""

import hashlib
import json

from crossroads.registry.models import Person

from . import identity


class BadEncoding(ValueError):
    pass


def _secret() -> bytes:
    return identity.exchange_secret()


def node_encoding(person: Person, secret: bytes | None = None) -> dict:
    """The encoding of a person as sent to the hub (keyed with the nodes' shared secret)."""
    from .encoding import EncodingInput, encode

    source = EncodingInput(given_names=person.given_names, family_name=person.family_name,
                           father_name=person.father_name, sex=person.sex or "",
                           birth_date=person.birth_date, birth_precision=person.birth_precision,
                           place_of_birth=person.place_of_birth)
    return encode(source, secret or _secret()).as_dict()


def digest(encoding: dict) -> str:
    """Changes exactly when the encoding does: an unchanged person is not sent again."""
    return hashlib.sha256(json.dumps(encoding, sort_keys=True).encode()).hexdigest()


def hub_record(payload) -> tuple[str, list[str]]:
    """Check an encoding received at the hub; (its stored form, its blocking keys)."""
    from .encoding import Encoding, EncodingError

    if not isinstance(payload, dict):
        raise BadEncoding("not an object")
    try:
        encoding = Encoding.from_dict(payload)
    except EncodingError as error:
        raise BadEncoding(str(error)) from None
    return json.dumps(encoding.as_dict()), [str(k) for k in encoding.blocking_keys]


def hub_matches(stored: str, candidates: list) -> list:
    """(candidate, score) for the candidates whose Dice score reaches the hit threshold
    and whose check segments do not disagree (`comparison.check_contradicts`)."""
    import numpy as np

    from .comparison import DEFAULT_THRESHOLD, check_contradicts, check_scores, dice
    from .encoding import DEFAULT_SCHEMA, Encoding, EncodingError

    new = Encoding.from_dict(json.loads(stored))
    found = []
    for candidate, form in candidates:
        try:
            other = Encoding.from_dict(json.loads(form))
        except EncodingError:
            # Held under an earlier schema: compared again once its node re-sends it.
            continue
        score = dice(new.bits, other.bits)
        if score < DEFAULT_THRESHOLD:
            continue
        pair = (np.frombuffer(new.check, np.uint8)[None, :], np.frombuffer(other.check, np.uint8)[None, :])
        if check_contradicts(check_scores(*pair, DEFAULT_SCHEMA))[0]:
            continue
        found.append((candidate, score))
    return found
