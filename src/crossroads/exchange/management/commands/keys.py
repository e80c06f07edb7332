from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record, rotate_audit_key
from crossroads.exchange import node_keys
from crossroads.keys import keyring, rotation


class Command(BaseCommand):
    help = ("Show, rotate and retire the keys that encrypt identity fields at rest, and the audit "
            "chain's HMAC keys (rotate --audit).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="create the keyring file (refuses to overwrite one)")
        show = sub.add_parser("show", help="key ids, the current key and how many values each encrypts")
        rotate = sub.add_parser("rotate", help="add a new current key and re-encrypt every value")
        rotate.add_argument("--batch-size", type=int, default=500)
        for parser_ in (init, show, rotate):
            parser_.add_argument("--node", action="store_true",
                                 help="the exchange identity (signing and encryption key pairs) instead")
        rotate.add_argument("--audit", action="store_true",
                            help="the audit chain's HMAC key instead: new entries use a new key, "
                                 "earlier ones keep verifying with theirs")
        show.add_argument("--json", action="store_true", help="with --node: the public keys as JSON")
        retire = sub.add_parser("retire", help="remove a key that no stored value uses any more")
        retire.add_argument("key_id")

    def handle(self, *args, action, **options):
        try:
            getattr(self, action)(**options)
        except (keyring.KeyringError, node_keys.IdentityError) as error:
            raise CommandError(str(error)) from None

    def init(self, node=False, **options):
        if node:
            return node_keys.init(self)
        path = keyring.keyring_path()
        if path.exists():
            raise CommandError(f"{path} exists already; use `keys rotate` to add a key")
        keys = keyring.create_keyring(path)
        self.stdout.write(f"keyring {path} created with key {keys.current}; back it up now")

    def show(self, node=False, json=False, **options):
        if node:
            return node_keys.show(self, as_json=json)
        keys = keyring.load()
        usage = rotation.key_usage()
        self.stdout.write(f"keyring: {keyring.keyring_path()}")
        for kid in keys.keys:
            marker = " (current)" if kid == keys.current else ""
            self.stdout.write(f"  {kid}{marker}  created {keys.created.get(kid, '?')}  "
                              f"encrypts {usage.get(kid, 0)} values")
        if keys.audit is not None:
            chained = dict(AuditEntry.objects.values_list("key_id").annotate(Count("id")))
            self.stdout.write("audit chain keys:")
            for kid in keys.audit.keys:
                marker = " (current)" if kid == keys.audit.current else ""
                self.stdout.write(f"  {kid}{marker}  created {keys.audit.created.get(kid, '?')}  "
                                  f"chains {chained.get(kid, 0)} entries")
        unbound = rotation.unbound_values()
        if unbound:
            self.stdout.write(f"{unbound} values are not bound to their row yet: run `keys rotate`")
        elif not keys.row_bound_only:
            self.stdout.write("values not bound to their row are still accepted: run `keys rotate`")

    def rotate(self, batch_size, node=False, audit=False, **options):
        if node:
            return node_keys.rotate(self)
        if audit:
            kid = rotate_audit_key()
            self.stdout.write(f"new audit key {kid}: new entries are chained with it, earlier ones "
                              "keep verifying with theirs (audit keys are never retired)")
            return None
        if batch_size < 1:
            raise CommandError("--batch-size must be positive")
        kid = keyring.add_current_key()
        self.stdout.write(f"new current key {kid}; re-encrypting in batches of {batch_size}")

        def progress(label, done, total):
            self.stdout.write(f"  {label}: {done}/{total}")

        rows = rotation.reencrypt_all(batch_size, progress)
        record(None, Action.UPDATE, object_type="keys.keyring", object_id=kid,
               details={"rotated_rows": rows})
        self.stdout.write(f"done: {rows} rows re-encrypted under {kid}")
        if keyring.load().row_bound_only:
            self.stdout.write("every value is bound to its row; values that are not are refused")

    def retire(self, key_id, **options):
        audit = keyring.load().audit
        if audit is not None and key_id in audit.keys:
            raise CommandError(f"{key_id} is an audit key: the entries chained with it verify with it, "
                               "so it is never retired")
        used = rotation.key_usage().get(key_id, 0)
        if used:
            raise CommandError(f"{used} values are still encrypted under {key_id}; rotate first")
        keyring.remove_key(key_id)
        record(None, Action.DELETE, object_type="keys.keyring", object_id=key_id)
        self.stdout.write(f"key {key_id} retired")
