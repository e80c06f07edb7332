"""`crossroads keys init|show|rotate --node`: the installation's exchange identity."""

import json

from django.core.management.base import CommandError

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from . import identity
from .identity import IdentityError

__all__ = ["IdentityError", "init", "rotate", "show"]


def init(command) -> None:
    path = identity.key_file()
    if path.exists():
        raise CommandError(f"{path} exists already; use `keys rotate --node` to add a key pair")
    own = identity.create(path)
    record(None, Action.CREATE, object_type="exchange.identity", object_id=own.current,
           details={"fingerprint": own.pair.fingerprint})
    command.stdout.write(f"node key file {path} created for {own.node}; back it up now")
    _print_public(command, own)


def show(command, as_json: bool = False) -> None:
    own = identity.load()
    if as_json:
        command.stdout.write(json.dumps(own.public()))
        return
    command.stdout.write(f"node key file: {identity.key_file()}")
    for kid, pair in own.pairs.items():
        marker = " (current)" if kid == own.current else ""
        command.stdout.write(f"  {kid}{marker}  created {pair.created}  fingerprint {pair.fingerprint}")
    _print_public(command, own)


def rotate(command) -> None:
    pair = identity.rotate()
    record(None, Action.UPDATE, object_type="exchange.identity", object_id=pair.kid,
           details={"fingerprint": pair.fingerprint})
    command.stdout.write(f"new current key pair {pair.kid}; register it at the hub "
                         "(`crossroads exchange register-node` there) before peers can use it")
    _print_public(command, identity.load())


def _print_public(command, own) -> None:
    public = own.public()
    command.stdout.write(f"  node {public['node']}  key id {public['key_id']}\n"
                         f"  signing key     {public['signing_key']}\n"
                         f"  encryption key  {public['encryption_key']}\n"
                         f"  fingerprint     {public['fingerprint']}")
