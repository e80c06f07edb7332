from django.core.management.base import BaseCommand

from crossroads.audit import checkpoint as checkpoints
from crossroads.audit.verification import FROM_KEYRING, against_witness, verify_chain
from crossroads.keys import keyring


class Command(BaseCommand):
    help = ("Walk the audit chain (MACs, links, sequence numbers) and name the first broken entry "
            "and every other problem; with --checkpoint, also what changed since that checkpoint; "
            "with --against-witness, also every way it differs from the heads the hub holds.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE",
                            help="a checkpoint from `audit checkpoint`: name what is missing "
                                 "or changed since it was taken")
        parser.add_argument("--key-file", metavar="FILE",
                            help="verify with this keyring file instead of CROSSROADS_KEY_FILE")
        parser.add_argument("--against-witness", action="store_true",
                            help="(node of the exchange) compare the chain with the signed "
                                 "heads the hub holds; exit 1 on any difference")

    def fail(self, message: str):
        self.stderr.write(message)
        raise SystemExit(1)

    def handle(self, *args, checkpoint=None, key_file=None, against_witness=False, **options):
        keys = FROM_KEYRING
        try:
            if key_file:
                keys = keyring.read_file(key_file).audit
        except keyring.KeyringError as error:
            self.fail(f"audit chain not verified: {error}")
        held = None
        if checkpoint:
            try:
                held = checkpoints.load(checkpoint, keys)
            except checkpoints.CheckpointError as error:
                self.fail(f"checkpoint {checkpoint} refused: {error}")
        result = verify_chain(keys=keys, checkpoint=held)
        witnessed = self.witness() if against_witness else None
        if result.ok and not (witnessed and witnessed[1]):
            unkeyed = f", {result.unkeyed} of them unkeyed (made before the chain was keyed)" \
                if result.unkeyed else ""
            since = f"; matches the checkpoint of {held['at']} (seq {held['seq']})" if held else ""
            seen = f"; matches the hub's {witnessed[0]} head(s)" if witnessed else ""
            self.stdout.write(f"audit chain intact: {result.checked} entries verified"
                              f"{unkeyed}{since}{seen}")
            return
        lines = []
        if not result.ok:
            lines.append(f"audit chain BROKEN at entry {result.broken_id}: {result.reason} "
                         f"({result.checked} entries verified before it)")
            if len(result.problems) > 1:
                lines.append(f"{len(result.problems)} problems:")
                lines += [f"  - {problem}" for problem in result.problems]
        if witnessed and witnessed[1]:
            lines.append(f"audit chain does NOT match the hub's {witnessed[0]} head(s):")
            lines += [f"  - {problem}" for problem in witnessed[1]]
        self.fail("\n".join(lines))

    def witness(self) -> tuple[int, list[str]]:
        found = against_witness()
        if found is None:
            self.fail("no witness: this installation takes no part in the exchange")
        return found
