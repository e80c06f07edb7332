"""Encrypted archives (database backups), keyed by the node's keyring.

Format: `MAGIC`, a 4-byte big-endian length, a JSON header, then the payload in chunks of
`CHUNK` bytes, each sealed with AES-256-GCM (the STREAM construction of Hoang, Reyhanitabar,
Rogaway and Vizár): the nonce is a random 7-byte prefix of the archive, the chunk's 4-byte
counter and a final-chunk flag, and every chunk's associated data is the whole header. So a
chunk cannot be altered, reordered, dropped or moved to another archive, and a truncated
archive fails at its end. The key is derived (HKDF-SHA256, a random salt per archive) from
the keyring's data key named in the header: the archive opens wherever that keyring (or an
escrowed copy holding that key) is, like the encrypted values inside the database itself.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import keyring

MAGIC = b"CROSSROADS-ARCHIVE-1\n"
CHUNK = 1 << 20
TAG = 16
INFO = b"crossroads archive v1"
MAX_HEADER = 64 * 1024


class ArchiveError(Exception):
    """The archive cannot be opened: not one, altered, truncated, or its key is not here."""


def _key(data_key: bytes, salt: bytes) -> AESGCM:
    return AESGCM(HKDF(hashes.SHA256(), 32, salt, INFO).derive(data_key))


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    if counter >= 1 << 32:
        raise ArchiveError("archive too large (over 2^32 chunks)")
    return prefix + struct.pack(">IB", counter, 1 if final else 0)


def _read_full(source: BinaryIO, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = source.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def encrypt(source: BinaryIO, out: BinaryIO, meta: dict, keys: keyring.Keys | None = None) -> int:
    """Seal `source` into `out` with the keyring's current key; `meta` goes, readable but
    authenticated, into the header. Returns the plaintext length."""
    keys = keys or keyring.load()
    salt, prefix = os.urandom(16), os.urandom(7)
    header = json.dumps({**meta, "key_id": keys.current, "salt": salt.hex(),
                         "nonce_prefix": prefix.hex(), "chunk": CHUNK}, sort_keys=True).encode()
    head = MAGIC + struct.pack(">I", len(header)) + header
    out.write(head)
    aead = _key(keys.keys[keys.current], salt)
    counter = total = 0
    chunk = _read_full(source, CHUNK)
    while True:
        following = _read_full(source, CHUNK) if len(chunk) == CHUNK else b""
        final = not following
        out.write(aead.encrypt(_nonce(prefix, counter, final), chunk, head))
        total += len(chunk)
        if final:
            return total
        counter, chunk = counter + 1, following


def read_header(source: BinaryIO) -> tuple[dict, bytes]:
    """(header, its raw bytes) of an archive, positioned at the first chunk."""
    if source.read(len(MAGIC)) != MAGIC:
        raise ArchiveError("not a Crossroads archive (wrong first bytes)")
    (length,) = struct.unpack(">I", _read_full(source, 4) or b"\0\0\0\0")
    if not 0 < length <= MAX_HEADER:
        raise ArchiveError("the archive's header is damaged")
    raw = _read_full(source, length)
    try:
        header = json.loads(raw)
    except ValueError:
        raise ArchiveError("the archive's header is damaged") from None
    return header, MAGIC + struct.pack(">I", length) + raw


def decrypt(source: BinaryIO, out: BinaryIO, keys: keyring.Keys | None = None) -> dict:
    """Open an archive into `out`; returns its header. Raises ArchiveError on any alteration,
    truncation or a key the keyring lacks. `out` holds unverified bytes until it returns:
    write it to a private temporary file and use it only then."""
    header, parts = open_chunks(source, keys)
    for part in parts:
        out.write(part)
    return header


def open_chunks(source: BinaryIO, keys: keyring.Keys | None = None
                ) -> tuple[dict, Iterator[bytes]]:
    """The archive's header and its plaintext, chunk by chunk (bounded memory). Each chunk is
    verified before it is given; a truncated archive fails (ArchiveError) at its end only."""
    keys = keys or keyring.load()
    header, head = read_header(source)
    kid = header.get("key_id")
    if kid not in keys.keys:
        raise ArchiveError(f"the archive is sealed with key {kid}, which this keyring does not "
                           "hold (restore the keyring from escrow)")
    try:
        aead = _key(keys.keys[kid], bytes.fromhex(header["salt"]))
        prefix = bytes.fromhex(header["nonce_prefix"])
    except (KeyError, ValueError):
        raise ArchiveError("the archive's header is damaged") from None

    def chunks() -> Iterator[bytes]:
        counter = 0
        sealed = _read_full(source, CHUNK + TAG)
        while True:
            following = _read_full(source, CHUNK + TAG) if len(sealed) == CHUNK + TAG else b""
            final = not following
            try:
                yield aead.decrypt(_nonce(prefix, counter, final), sealed, head)
            except InvalidTag:
                raise ArchiveError(f"the archive is altered or truncated (chunk {counter} does "
                                   "not verify)") from None
            if final:
                return
            counter, sealed = counter + 1, following

    return header, chunks()
