"""An import's file at rest: sealed with the node's keyring as it arrives (it holds victims'
identities), read back row by row without a plaintext copy on disk, chunk by chunk."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crossroads.keys import archive


class _Hashing(io.RawIOBase):
    """A reader that keeps the SHA-256 and the length of what is read through it."""

    def __init__(self, source: BinaryIO):
        self.source, self.sha256, self.size = source, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


@dataclass
class Sealed:
    path: Path
    digest: str
    size: int


def seal(source: BinaryIO) -> Sealed:
    """Seal `source` into the import directory; its SHA-256 and length as read."""
    folder = Path(settings.CROSSROADS_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{uuid.uuid4().hex}.sealed"
    hashing = _Hashing(source)
    with path.open("wb") as out:
        path.chmod(0o600)
        archive.encrypt(hashing, out, {"kind": "case import"})
    return Sealed(path, hashing.sha256.hexdigest(), hashing.size)


def remove(path: str) -> None:
    if path:
        Path(path).unlink(missing_ok=True)


class _Plain(io.RawIOBase):
    """The plaintext of a sealed file as a stream; `position` counts the bytes given."""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks, self.left, self.position = chunks, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.left:
            self.left = next(self.chunks, b"")
            if not self.left:
                return 0
        size = min(len(buffer), len(self.left))
        buffer[:size], self.left = self.left[:size], self.left[size:]
        self.position += size
        return size


@dataclass
class Rows:
    header: list[str]
    items: Iterator[tuple[int, dict]]   # (line of the file, the row by column)
    plain: _Plain


def _decoded(lines):
    try:
        yield from lines
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text: save it as CSV UTF-8.")}) \
            from None


@contextmanager
def rows(path: str, delimiter: str) -> Iterator[Rows]:
    """The file's header and rows, streamed; the line of a row is where it ends (a cell may
    span lines)."""
    with open(path, "rb") as source:
        _header, chunks = archive.open_chunks(source)
        plain = _Plain(chunks)
        text = io.TextIOWrapper(io.BufferedReader(plain), encoding="utf-8-sig", newline="")
        reader = csv.reader(_decoded(text), delimiter=delimiter)
        header = [name.strip() for name in next(reader, [])]
        if not header or not any(header):
            raise ValidationError({"file": _("The file is empty: the first line names the "
                                             "columns.")})

        def items():
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, dict(zip(header, cells, strict=False))

        yield Rows(header, items(), plain)
