"""Uploaded files at rest: sealed with the node's keyring as they arrive (suspects' phones and
accounts never lie on disk in clear), named by a random token, read back and removed."""

import io
import re
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(settings.CROSSROADS_IMPORT_DIR) / "networks"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def seal(upload: BinaryIO, kind: str) -> tuple[str, Path]:
    """The upload sealed into the import directory: its token and path."""
    from crossroads.keys import archive

    token = uuid.uuid4().hex
    path = _folder() / f"{token}.sealed"
    with path.open("wb") as out:
        path.chmod(0o600)
        archive.encrypt(upload, out, {"kind": kind})
    return token, path


def seal_bytes(content: bytes, kind: str) -> str:
    return seal(io.BytesIO(content), kind)[0]


def unseal(token: str) -> bytes:
    """The sealed file's content (ValidationError when the token names none: expired, used)."""
    from crossroads.keys import archive

    path = _folder() / f"{token}.sealed"
    if not TOKEN.match(token or "") or not path.exists():
        raise ValidationError({"file": _("The previewed file is gone: upload it again.")})
    with path.open("rb") as source:
        _header, chunks = archive.open_chunks(source)
        return b"".join(chunks)


def remove(token: str) -> None:
    if TOKEN.match(token or ""):
        (_folder() / f"{token}.sealed").unlink(missing_ok=True)
