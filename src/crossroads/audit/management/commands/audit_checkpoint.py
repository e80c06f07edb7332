import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crossroads.audit import checkpoint as checkpoints
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.keys.private_files import write_private


class Command(BaseCommand):
    help = ("Write a signed checkpoint of the audit chain's head (sequence number, MAC, time, key "
            "fingerprint) for an operator to keep outside the node; `audit verify --checkpoint "
            "FILE` later names what is missing or changed since.")

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="FILE", required=True, help="where to write the checkpoint")

    def handle(self, *args, out, **options):
        try:
            checkpoint = checkpoints.take(node=getattr(settings, "CROSSROADS_NODE_ID", ""))
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error)) from None
        write_private(Path(out), json.dumps(checkpoint, indent=2, ensure_ascii=False) + "\n")
        signature = checkpoint["signature"]
        record(None, Action.EXPORT, object_type="audit.checkpoint", object_id=str(checkpoint["seq"]),
               details={"scheme": signature["scheme"], "key_id": signature["key_id"]})
        self.stdout.write(
            f"checkpoint of entry {checkpoint['last_id']} (seq {checkpoint['seq']}) at "
            f"{checkpoint['at']} written to {out}\n"
            f"  signed with {signature['scheme']} key {signature['key_id']}, "
            f"fingerprint {signature['fingerprint']}\n"
            "  keep it off this machine; check with `crossroads audit verify --checkpoint FILE`")
