"""Privacy-preserving encodings of persons for the hub's hit / no-hit comparison.

A node turns each person it shares into one 1024-bit filter (a cryptographic long-term
key, CLK; Schnell et al. 2011) that the hub can compare with Dice similarity but cannot
read:

1. every field is normalised with the linkage engine's folding (`crossroads.names`:
   Cyrillic and Latin, Albanian and South Slavic orthography, -ić/-iq, gendered surnames,
   Albanian definite forms, common variants) and cut into features: padded bigrams of
   the names and places, the year of birth with its neighbours, the month and the day
   where the precision knows them, the sex;
2. each feature sets `k` bits of one filter, `k` chosen per field (its weight), at
   positions read straight from HMAC-SHA512 of the feature under that field's own key
   (independent positions rather than double hashing, whose arithmetic structure the
   Kroll–Steinmetzer attack exploits);
3. the filter is passed through a secret linear diffusion layer (Armknecht, Heng and
   Schnell 2023): output bit j is the XOR of `taps` input bits chosen by the secret.
   No output bit belongs to one feature any more, so the frequency and pattern-mining
   attacks that map frequent bit patterns to frequent q-grams lose their footing,
   while Dice similarity still orders pairs by how many features they share.

Why these choices, what the hub learns and what the measurements are: docs/exchange.md.
"""

import hashlib
import hmac
from base64 import b64decode, b64encode
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

import numpy as np

from crossroads.exchange.blocking import band_keys, band_values, blocking_keys
from crossroads.exchange.encoding_keys import check_secret, derive_key, diffusion_taps, secret_key_id
from crossroads.linkage.dates import parse_birth_date
from crossroads.linkage.records import BadRecord
from crossroads.names import family_name_key, fold, given_name_key, given_spelling_key, place_key

__all__ = [
    "CHECK_FIELDS",
    "DEFAULT_SCHEMA",
    "Encoding",
    "EncodingError",
    "EncodingInput",
    "check_features",
    "check_key_ids",
    "check_matrix",
    "Schema",
    "derive_field_keys",
    "encode",
    "encode_many",
    "features",
    "secret_key_id",
]

FIELDS = ("name", "father", "year", "monthday", "sex", "place", "address")
# The check segments: small filters of single fields, each keyed and diffused on its own,
# sent next to the record's filter so that the hub can tell a namesake, sibling or twin
# from the same person without any field in clear (`comparison.check_contradicts`).
CHECK_FIELDS = ("given", "family", "birth", "father")
PRECISIONS = ("exact", "month", "year", "age")
SEXES = {"F": "F", "M": "M", "X": None, "U": None, "": None}
_POSITIONS_PER_DIGEST = 32  # HMAC-SHA512: 64 bytes, 32 positions of 16 bits
_DIFFUSION_ROWS = 4096


class EncodingError(BadRecord):
    """An input that cannot be encoded or an encoding that cannot be accepted;
    `field` names the offending attribute."""


@dataclass(frozen=True)
class EncodingInput:
    """A person's identity as the registry holds it (any script, any orthography).

    `birth_date` carries a full date; `birth_precision` says how much of it is known
    ("exact", "month", "year", or "age" for an estimated age: the year, roughly).
    `address` is optional and not shared by the registry; benchmarks use it.
    """

    given_names: str = ""
    family_name: str = ""
    father_name: str = ""
    sex: str = ""
    birth_date: date | None = None
    birth_precision: str = "exact"
    place_of_birth: str = ""
    address: str = ""

    @classmethod
    def from_person(cls, person) -> "EncodingInput":
        """From anything with the registry Person's attributes (`given_names`,
        `family_name`, `father_name`, `sex`, `birth_date`, `birth_precision`,
        `place_of_birth`). Reading them is an identity read: the caller audits it."""
        return cls(
            given_names=person.given_names or "",
            family_name=person.family_name or "",
            father_name=person.father_name or "",
            sex=person.sex or "",
            birth_date=person.birth_date,
            birth_precision=person.birth_precision or "exact",
            place_of_birth=person.place_of_birth or "",
        )

    @classmethod
    def from_record(cls, record: dict) -> "EncodingInput":
        """From the linkage CSV layout, where `birth_date` is YYYY-MM-DD, YYYY-MM or YYYY."""
        try:
            birth = parse_birth_date(record.get("birth_date"))
        except ValueError as error:
            raise EncodingError("birth_date", str(error)) from None
        precision = "exact" if birth.day else "month" if birth.month else "year"
        return cls(
            given_names=record.get("given_name") or "",
            family_name=record.get("family_name") or "",
            father_name=record.get("father_name") or "",
            sex=(record.get("sex") or "").strip().upper(),
            birth_date=date(birth.year, birth.month or 1, birth.day or 1) if birth.year else None,
            birth_precision=precision,
            place_of_birth=record.get("birth_place") or "",
            address=record.get("address") or "",
        )


@dataclass(frozen=True)
class Schema:
    """How features become bits. Any change of parameter changes `id`, so filters
    made under different schemas are never compared with each other."""

    name: str = "crossroads-clk"
    # Still 1: the record filter's keys (derived from name and version) are those of the
    # first schema, so its bits are unchanged; the id's fingerprint covers the check
    # segments, so encodings with and without them are never mixed.
    version: int = 1
    length: int = 1024
    # Bits set per feature, per field: the fields' weights.
    bits_per_feature: tuple[tuple[str, int], ...] = (
        ("name", 7),
        ("father", 4),
        ("year", 5),
        ("monthday", 4),
        ("sex", 3),
        ("place", 3),
        ("address", 3),
    )
    diffusion_taps: int = 3
    band_count: int = 60
    band_bits: int = 14
    # (field, segment length in bits, bits set per feature) of the check segments.
    # Sparse (about a tenth of the bits before diffusion), so that the Dice of two
    # unrelated segments stays low after the diffusion layer.
    # No birth segment: tried, and on the tuning sets garbled dates of true pairs cost
    # more than it saved (bench/exchange/check_tuning.py).
    check_segments: tuple[tuple[str, int, int], ...] = (
        ("given", 512, 3),
        ("family", 512, 3),
        ("father", 512, 3),
    )

    def __post_init__(self):
        if self.length < 64 or self.length & (self.length - 1) or self.length > 1 << 16:
            raise ValueError("length: a power of two between 64 and 65536")
        for field_name, bits in self.bits_per_feature:
            if field_name not in FIELDS:
                raise ValueError(
                    f"bits_per_feature: unknown field {field_name!r} (fields: {', '.join(FIELDS)})"
                )
            if not 0 <= bits <= _POSITIONS_PER_DIGEST:
                raise ValueError(f"bits_per_feature: {field_name} needs 0..{_POSITIONS_PER_DIGEST} bits")
        if not 0 <= self.diffusion_taps <= 16:
            raise ValueError("diffusion_taps: 0..16")
        for field_name, length, bits in self.check_segments:
            if field_name not in CHECK_FIELDS:
                raise ValueError(f"check_segments: unknown field {field_name!r}")
            if length < 64 or length & (length - 1) or not 1 <= bits <= _POSITIONS_PER_DIGEST:
                raise ValueError("check_segments: lengths a power of two from 64, 1..32 bits per feature")
        if self.band_bits < 1 or self.band_count < 1 or self.band_count << self.band_bits >= 1 << 63:
            raise ValueError("band_count, band_bits: at least 1, and band_count << band_bits below 2**63")

    @cached_property
    def weights(self) -> dict[str, int]:
        return dict(self.bits_per_feature)

    @cached_property
    def id(self) -> str:
        """`name/version/fingerprint`: the fingerprint covers every parameter."""
        parameters = repr(
            (self.length, self.bits_per_feature, self.diffusion_taps, self.band_count, self.band_bits)
            + ((self.check_segments,) if self.check_segments else ())
        )
        return f"{self.name}/{self.version}/{hashlib.sha256(parameters.encode()).hexdigest()[:8]}"

    @property
    def byte_length(self) -> int:
        return self.length // 8

    @cached_property
    def check_bounds(self) -> dict[str, tuple[int, int]]:
        """Where each check segment lies in the check bits: field -> (first bit, end bit)."""
        bounds, start = {}, 0
        for field_name, length, _ in self.check_segments:
            bounds[field_name] = (start, start + length)
            start += length
        return bounds

    @property
    def check_length(self) -> int:
        return sum(length for _, length, _ in self.check_segments)


DEFAULT_SCHEMA = Schema()


@dataclass(frozen=True)
class Encoding:
    """What a node sends to the hub for one person: the filter, its blocking keys, and
    the id of the secret it was made under (`key_id`, public: see `secret_key_id`)."""

    schema: str
    bits: bytes
    blocking_keys: tuple[int, ...] = field(default=())
    key_id: str = ""
    # The check segments (`Schema.check_segments`), one after the other.
    check: bytes = b""

    def as_dict(self) -> dict:
        return {
            "schema": self.schema,
            "key_id": self.key_id,
            "bits": b64encode(self.bits).decode(),
            "check": b64encode(self.check).decode(),
            "blocking_keys": list(self.blocking_keys),
        }

    @classmethod
    def from_dict(cls, data: dict, schema: Schema = DEFAULT_SCHEMA) -> "Encoding":
        """Parse and check an encoding received over the wire; EncodingError names the bad field."""
        if data.get("schema") != schema.id:
            raise EncodingError("schema", f"expected {schema.id!r}")
        try:
            bits = b64decode(data.get("bits") or "", validate=True)
        except (TypeError, ValueError):
            raise EncodingError("bits", "is not base64 text") from None
        if len(bits) != schema.byte_length:
            raise EncodingError("bits", f"must hold {schema.length} bits")
        try:
            check = b64decode(data.get("check") or "", validate=True)
        except (TypeError, ValueError):
            raise EncodingError("check", "is not base64 text") from None
        if len(check) * 8 != schema.check_length:
            raise EncodingError("check", f"must hold {schema.check_length} bits")
        expected = blocking_keys(bits, schema)
        given = data.get("blocking_keys") or ()
        if not isinstance(given, list | tuple) or tuple(given) != expected:
            raise EncodingError("blocking_keys", "do not belong to these bits")
        key_id = data.get("key_id") or ""
        if not isinstance(key_id, str) or len(key_id) > 64:
            raise EncodingError("key_id", "must be text of at most 64 characters")
        return cls(schema.id, bits, expected, key_id, check)


def derive_field_keys(secret: bytes, schema: Schema = DEFAULT_SCHEMA) -> dict[str, bytes]:
    """One HMAC key per field, plus the key of the diffusion layer (entry "diffusion")."""
    labels = [name for name, _ in schema.bits_per_feature] + ["diffusion"]
    segments = {_check_space(name) for name, _, _ in schema.check_segments}
    labels += [f"check-{name}" for name in sorted(segments)]
    labels += [f"check-{name}-diffusion" for name in sorted(segments)]
    return {label: derive_key(secret, f"{schema.name}/{schema.version}/{label}") for label in labels}


def _bigrams(key: str) -> set[str]:
    padded = f"_{key}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)} if key else set()


def _given_features(text: str) -> set[str]:
    # The spelling and the canonical variant both: "Mehmed" shares most bigrams with a
    # misspelt "Mehmde" and all of them with "Muhamed"'s canonical key.
    return _bigrams(given_spelling_key(text)) | _bigrams(given_name_key(text))


def _year_features(year: int, precision: str) -> set[str]:
    # The year and its neighbours, so a year one off still shares two of three
    # features; an estimated age is wider still.
    spread = 2 if precision == "age" else 1
    return {f"y{year + offset}" for offset in range(-spread, spread + 1)}


def _monthday_features(birth: date, precision: str) -> set[str]:
    if precision == "exact":
        # Role-free numbers too, so a day and month written swapped keep half.
        return {f"m{birth.month}", f"d{birth.day}", f"n{birth.month}", f"n{birth.day}"}
    if precision == "month":
        return {f"m{birth.month}", f"n{birth.month}"}
    return set()


def features(person: EncodingInput) -> dict[str, set[str]]:
    """The features of each field, after folding; raise EncodingError on invalid input."""
    if person.birth_precision not in PRECISIONS:
        raise EncodingError(
            "birth_precision", f"{person.birth_precision!r} is not one of {', '.join(PRECISIONS)}"
        )
    sex_code = (person.sex or "").strip().upper()
    if sex_code not in SEXES:
        raise EncodingError("sex", f"{person.sex!r} is not F, M, X, U or empty")
    if person.birth_date is not None and not isinstance(person.birth_date, date):
        raise EncodingError("birth_date", "is not a date")
    # Given and family name share one feature space, so a record with the two
    # swapped encodes the same.
    names = _given_features(person.given_names) | _bigrams(family_name_key(person.family_name))
    if not names:
        raise EncodingError("family_name", "a given or family name is required")
    birth = person.birth_date
    address = set()
    for word in (person.address or "").split():
        address |= _bigrams(word if word.isdigit() else fold(word))
    return {
        "name": names,
        "father": _given_features(person.father_name),
        "year": _year_features(birth.year, person.birth_precision) if birth else set(),
        "monthday": _monthday_features(birth, person.birth_precision) if birth else set(),
        "sex": {SEXES[sex_code]} if SEXES[sex_code] else set(),
        "place": _bigrams(place_key(person.place_of_birth)),
        "address": address,
    }


def _check_space(field_name: str) -> str:
    """The key (and diffusion) a check segment uses: the given and family name segments
    share one, so that a record with the two swapped can be compared crosswise."""
    return "name" if field_name in ("given", "family") else field_name


def _name_features(text: str) -> set[str]:
    # Both foldings, so a name written in the other field still meets its own features.
    return _given_features(text) | _bigrams(family_name_key(text))


def check_features(person: EncodingInput) -> dict[str, set[str]]:
    """The features of each check segment (call `features` first: it validates).

    `birth` holds the year with its neighbours, the month and day as far as the precision
    knows them, and the sex: two records of one person share most of it, two siblings
    little, and a record known to the year only shares its year features with a full date.
    """
    birth = person.birth_date
    sex = SEXES[(person.sex or "").strip().upper()]
    birth_features = set()
    if birth:
        birth_features |= _year_features(birth.year, person.birth_precision)
        birth_features |= _monthday_features(birth, person.birth_precision)
    if sex:
        birth_features.add(f"s{sex}")
    return {
        "given": _name_features(person.given_names),
        "family": _name_features(person.family_name),
        "birth": birth_features,
        "father": _given_features(person.father_name),
    }


class _Hasher:
    """Bit positions of features under one secret and schema.

    A register repeats the same bigrams, years and places endlessly, so the positions
    of each (field, feature) are computed once per process: an HMAC costs several
    microseconds, a dictionary look-up a few dozen nanoseconds.
    """

    def __init__(self, secret: bytes, schema: Schema):
        self.schema = schema
        self.keys = derive_field_keys(secret, schema)
        self.key_id = secret_key_id(secret)
        self._positions: dict[str, dict[str, np.ndarray]] = {name: {} for name in schema.weights}
        self._check_positions: dict[str, dict[str, np.ndarray]] = {
            name: {} for name, _, _ in schema.check_segments
        }

    def _compute(self, field_name: str, token: str) -> np.ndarray:
        digest = hmac.digest(self.keys[field_name], token.encode(), hashlib.sha512)
        positions = np.frombuffer(digest, dtype="<u2")[: self.schema.weights[field_name]]
        return (positions & (self.schema.length - 1)).astype(np.intp)

    def check_blooms(self, person: EncodingInput) -> dict[str, np.ndarray]:
        """The undiffused segments (bool arrays) of one person, by field."""
        tokens_of = check_features(person)
        result = {}
        for field_name, length, bits in self.schema.check_segments:
            segment = np.zeros(length, dtype=bool)
            cache = self._check_positions[field_name]
            for token in tokens_of[field_name]:
                positions = cache.get(token)
                if positions is None:
                    key = self.keys[f"check-{_check_space(field_name)}"]
                    digest = hmac.digest(key, token.encode(), hashlib.sha512)
                    positions = (np.frombuffer(digest, dtype="<u2")[:bits] & (length - 1)).astype(np.intp)
                    cache[token] = positions
                segment[positions] = True
            result[field_name] = segment
        return result

    def bloom(self, person: EncodingInput) -> np.ndarray:
        """The undiffused Bloom filter (bool array) of one person."""
        bloom = np.zeros(self.schema.length, dtype=bool)
        chunks = []
        for field_name, tokens in features(person).items():
            if not self.schema.weights.get(field_name):
                continue
            cache = self._positions[field_name]
            for token in tokens:
                positions = cache.get(token)
                if positions is None:
                    positions = cache[token] = self._compute(field_name, token)
                chunks.append(positions)
        if chunks:
            bloom[np.concatenate(chunks)] = True
        return bloom


@lru_cache(maxsize=8)
def _hasher(secret: bytes, schema: Schema) -> _Hasher:
    return _Hasher(secret, schema)


def _diffuse(
    blooms: np.ndarray, keys: dict[str, bytes], schema: Schema, label: str = "diffusion"
) -> np.ndarray:
    if not schema.diffusion_taps:
        return blooms
    taps = diffusion_taps(keys[label], blooms.shape[1], schema.diffusion_taps)
    out = np.empty_like(blooms)
    # In slices: the gathered taps take (rows x length x taps) bytes.
    for start in range(0, len(blooms), _DIFFUSION_ROWS):
        part = blooms[start : start + _DIFFUSION_ROWS]
        out[start : start + len(part)] = np.bitwise_xor.reduce(part[:, taps], axis=2)
    return out


def encode_many(
    persons: Iterable[EncodingInput], secret: bytes, *, schema: Schema = DEFAULT_SCHEMA
) -> list[Encoding]:
    """Encode a batch (the diffusion layer runs once for all of it)."""
    check_secret(secret)
    hasher = _hasher(bytes(secret), schema)
    persons = list(persons)
    if not persons:
        return []
    blooms = np.stack([hasher.bloom(person) for person in persons])
    packed = np.packbits(_diffuse(blooms, hasher.keys, schema), axis=1)
    keys = band_keys(band_values(packed, schema), schema).tolist()
    checks = [hasher.check_blooms(person) for person in persons]
    segments = []
    for name, _, _ in schema.check_segments:
        label = f"check-{_check_space(name)}-diffusion"
        diffused = _diffuse(np.stack([c[name] for c in checks]), hasher.keys, schema, label)
        segments.append(np.packbits(diffused, axis=1))
    check = np.concatenate(segments, axis=1) if segments else np.zeros((len(persons), 0), np.uint8)
    key_id = hasher.key_id
    return [
        Encoding(schema.id, row.tobytes(), tuple(row_keys), key_id, check_row.tobytes())
        for row, row_keys, check_row in zip(packed, keys, check, strict=True)
    ]


def encode(person: EncodingInput, secret: bytes, *, schema: Schema = DEFAULT_SCHEMA) -> Encoding:
    """The encoding of one person under the region's shared `secret`."""
    return encode_many([person], secret, schema=schema)[0]


def check_key_ids(encodings: Iterable[Encoding]) -> None:
    """Refuse to mix encodings made under different secrets: their filters agree only
    by chance, so comparing them would report "no hit" for everyone."""
    key_ids = {encoding.key_id for encoding in encodings} - {""}
    if len(key_ids) > 1:
        raise EncodingError("key_id", f"encodings of different secrets: {', '.join(sorted(key_ids))}")


def bit_matrix(encodings: Sequence[Encoding], schema: Schema = DEFAULT_SCHEMA) -> np.ndarray:
    """The filters as an (n, length/8) uint8 matrix; refuses filters of another schema."""
    for position, encoding in enumerate(encodings):
        if encoding.schema != schema.id or len(encoding.bits) != schema.byte_length:
            raise EncodingError("schema", f"encoding {position} is not of schema {schema.id!r}")
    check_key_ids(encodings)
    if not encodings:
        return np.zeros((0, schema.byte_length), dtype=np.uint8)
    return np.frombuffer(b"".join(e.bits for e in encodings), dtype=np.uint8).reshape(len(encodings), -1)


def check_matrix(encodings: Sequence[Encoding], schema: Schema = DEFAULT_SCHEMA) -> np.ndarray:
    """The check segments as an (n, check_length/8) uint8 matrix (call `bit_matrix` first:
    it checks the schema and the secret)."""
    width = schema.check_length // 8
    if not encodings:
        return np.zeros((0, width), dtype=np.uint8)
    for position, encoding in enumerate(encodings):
        if len(encoding.check) != width:
            raise EncodingError("check", f"encoding {position} has no check segments of schema {schema.id!r}")
    return np.frombuffer(b"".join(e.check for e in encodings), dtype=np.uint8).reshape(len(encodings), -1)
