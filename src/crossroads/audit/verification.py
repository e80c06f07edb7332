"""Walking the audit chain: every MAC (or, for unkeyed entries, hash), every link, every sequence
number, the seal of the unkeyed part, the head, and optionally a checkpoint kept outside the node.

Every problem found is named, not only the first: which entries are altered, which sequence
numbers are missing (and between which entries), which entries are not the ones a checkpoint
holds. In the messages "entry N" is the entry's id (as `/audit/` shows it) and "seq S" its
sequence number, which has no gaps in an intact chain.
"""

from dataclasses import dataclass, field

from crossroads.keys import keyring

from .chain import GENESIS, KEYED_FIELDS, entry_hash, entry_mac
from .models import AuditEntry, ChainHead

FROM_KEYRING = object()  # verify with the node's keyring (the default)

# The exchange's witness (set by the exchange app, above the audit): `witness()` returns how
# many heads the hub holds and every way the local chain differs from them.
_witness = None


def set_witness(check) -> None:
    global _witness
    _witness = check


def against_witness() -> tuple[int, list[str]] | None:
    """The witness's heads and problems; None when this installation has no witness."""
    return _witness() if _witness is not None else None


@dataclass
class Problem:
    reason: str
    first_id: int | None = None
    last_id: int | None = None
    first_seq: int | None = None
    last_seq: int | None = None

    def extend(self, row_id: int, seq: int) -> None:
        self.last_id, self.last_seq = row_id, seq

    def __str__(self) -> str:
        if self.first_id is None:
            return self.reason
        if self.first_id == self.last_id:
            return f"entry {self.first_id} (seq {self.first_seq}): {self.reason}"
        return (f"entries {self.first_id}–{self.last_id} (seq {self.first_seq}–{self.last_seq}): "
                f"{self.reason}")


@dataclass
class VerifyResult:
    ok: bool
    checked: int  # entries verified before the first problem (all of them when ok)
    broken_id: int | None = None
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    last_id: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    unkeyed: int = 0


def seq_range(first: int, last: int) -> str:
    return f"entry seq {first}" if first == last else f"entries seq {first}–{last}"


class _Walk:
    def __init__(self, keys, checkpoint: dict | None):
        self.keys = keys
        self.checkpoint = checkpoint
        self.sealed = keys.sealed if keys is not None else None
        self.seal_checked = self.sealed is None
        self.previous, self.seq, self.last_id = GENESIS, 0, 0
        self.checked = self.unkeyed = 0
        self.problems: list[Problem] = []
        self.broken_id: int | None = None
        self.last_problem_at: int | None = None  # the walk position of the last problem
        self.at_checkpoint: dict | None = None

    def problem(self, reason: str, row: dict | None = None, seq: int | None = None,
                broken_id: int | None = None) -> None:
        """Record a problem; one found on the entry right after the same problem extends it."""
        if self.broken_id is None:
            self.broken_id = row["id"] if row else broken_id
        if row is None:
            self.problems.append(Problem(reason))
            return
        last = self.problems[-1] if self.problems else None
        if (last is not None and last.reason == reason and last.last_id is not None
                and self.last_problem_at == self.last_id):
            last.extend(row["id"], seq)
        else:
            self.problems.append(Problem(reason, row["id"], row["id"], seq, seq))
        self.last_problem_at = row["id"]

    def step(self, row: dict) -> None:
        found_before = len(self.problems)
        if row["key_id"] is None:
            seq = self.seq + 1
            self.check_unkeyed(row, seq)
        else:
            seq = row["seq"] if row["seq"] is not None else self.seq + 1
            self.check_keyed(row, seq)
        if len(self.problems) == found_before and self.broken_id is None:
            self.checked += 1
        if self.checkpoint is not None and seq == self.checkpoint["seq"]:
            self.at_checkpoint = row
        self.previous, self.seq, self.last_id = row["hash"], max(seq, self.seq), row["id"]

    def check_unkeyed(self, row: dict, seq: int) -> None:
        self.unkeyed += 1
        if self.sealed is not None and seq > self.sealed["count"]:
            self.check_seal()
            self.problem("unkeyed entry after the chain was keyed: inserted or rehashed without "
                         "the audit key", row, seq)
        if row["prev_hash"] != self.previous:
            self.problem("link to the previous entry is broken", row, seq)
        elif entry_hash(row) != row["hash"]:
            self.problem("content does not match its hash", row, seq)

    def check_keyed(self, row: dict, seq: int) -> None:
        self.check_seal()
        if row["seq"] is None:
            self.problem("keyed entry without a sequence number", row, seq)
        elif seq > self.seq + 1:
            self.problem(f"{seq_range(self.seq + 1, seq - 1)} missing between entry "
                         f"{self.last_id or '(start)'} and entry {row['id']}", broken_id=row["id"])
        elif seq <= self.seq:
            self.problem(f"sequence number repeats or goes back (expected {self.seq + 1})", row, seq)
        elif row["prev_hash"] != self.previous:
            self.problem("link to the previous entry is broken", row, seq)
        key = self.keys.keys.get(row["key_id"]) if self.keys is not None else None
        if key is None:
            self.problem(f"chained with audit key {row['key_id']}, which the keyring does not hold",
                         row, seq)
        elif entry_mac(row, key) != row["hash"]:
            self.problem("content altered: does not match its MAC", row, seq)

    def check_seal(self) -> None:
        """Where the unkeyed part ends, it must end as the keyring sealed it."""
        if self.seal_checked:
            return
        self.seal_checked = True
        sealed = self.sealed
        if (self.seq, self.last_id, self.previous) != (sealed["count"], sealed["last_id"],
                                                        sealed["last_hash"]):
            self.problem(f"the unkeyed entries (made before the chain was keyed) no longer match "
                         f"the seal in the keyring: {self.seq} up to entry {self.last_id} here, "
                         f"{sealed['count']} up to entry {sealed['last_id']} sealed",
                         broken_id=sealed["last_id"] or None)

    def finish(self, head: ChainHead | None) -> None:
        self.check_seal()
        if head is not None and (head.last_id, head.last_hash, head.last_seq) != (
                self.last_id, self.previous, self.seq):
            if head.last_seq > self.seq:
                self.problem(f"{seq_range(self.seq + 1, head.last_seq)} missing after entry "
                             f"{self.last_id} (the chain head names entry {head.last_id}, "
                             f"seq {head.last_seq})", broken_id=head.last_id)
            else:
                self.problem(f"entries after the last one are missing: the chain head (entry "
                             f"{head.last_id}, seq {head.last_seq}) does not match the last "
                             f"entry (entry {self.last_id}, seq {self.seq})", broken_id=head.last_id)
        if self.checkpoint is not None:
            self.compare_checkpoint(self.checkpoint)

    def compare_checkpoint(self, checkpoint: dict) -> None:
        seq, since = checkpoint["seq"], checkpoint["at"]
        if seq == 0:
            return
        if self.seq < seq:
            self.problem(f"{seq_range(self.seq + 1, seq)} missing since the checkpoint of {since} "
                         f"(it names entry {checkpoint['last_id']}, seq {seq}; the chain now ends "
                         f"at entry {self.last_id}, seq {self.seq})",
                         broken_id=checkpoint["last_id"])
            return
        row = self.at_checkpoint
        if row is None or row["hash"] != checkpoint["head"] or row["id"] != checkpoint["last_id"]:
            where = f"entry {row['id']} (seq {seq})" if row else f"seq {seq}"
            self.problem(f"{where} is not the entry the checkpoint of {since} holds (entry "
                         f"{checkpoint['last_id']}): the entries up to it were replaced or rewritten",
                         broken_id=row["id"] if row else checkpoint["last_id"])

    def result(self) -> VerifyResult:
        ok = not self.problems
        return VerifyResult(ok, self.checked, None if ok else self.broken_id,
                            "" if ok else self.problems[0].reason, [str(p) for p in self.problems],
                            self.last_id, self.seq, self.previous, self.unkeyed)


def verify_chain(batch_size: int = 5000, *, keys=FROM_KEYRING,
                 checkpoint: dict | None = None) -> VerifyResult:
    """Walk the chain in order and name every entry whose MAC, link or sequence does not hold.

    `keys`: the audit keys to verify with (`keyring.AuditKeys`, or None for none); by default
    the node's keyring. `checkpoint`: a checkpoint already checked (`checkpoint.load`)."""
    if keys is FROM_KEYRING:
        keys = keyring.load().audit
    walk = _Walk(keys, checkpoint)
    last_id = 0
    fields = (*KEYED_FIELDS, "id", "hash")
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id").values(*fields)[:batch_size])
        if not rows:
            break
        for row in rows:
            walk.step(row)
        last_id = rows[-1]["id"]
    walk.finish(ChainHead.objects.filter(pk=1).first())
    return walk.result()
