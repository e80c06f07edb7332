"""`crossroads exchange ...`: the exchange from the command line (hub registry, node worker)."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from crossroads.exchange import hub, hub_witness, pinning, services, transport, witness, worker
from crossroads.exchange.identity import IdentityError, fingerprint, write_exchange_secret
from crossroads.exchange.models import HubNode, InboxMessage, OutboxMessage, PeerNode


class Command(BaseCommand):
    help = "Cross-border exchange: register nodes (hub), sync, deliver and check (node)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        register = sub.add_parser("register-node", help="(hub) add or update a node in the registry")
        register.add_argument("code")
        register.add_argument("--jurisdictions", required=True, help="comma-separated, e.g. AL")
        register.add_argument("--signing-key", required=True)
        register.add_argument("--encryption-key", required=True)
        register.add_argument("--key-id", default="")
        register.add_argument("--url", default="")
        deactivate = sub.add_parser("deactivate-node", help="(hub) stop accepting a node")
        deactivate.add_argument("code")
        sub.add_parser("nodes", help="(hub) the registry, with key fingerprints")
        sub.add_parser("directory", help="(node) fetch the hub's signed directory and list peers, "
                                         "with key changes waiting for confirmation")
        confirm = sub.add_parser("confirm-peer", help="(node) accept a peer's new keys once its "
                                                      "administrator has read you their fingerprint")
        confirm.add_argument("code")
        confirm.add_argument("--fingerprint", required=True,
                             help="as the peer's administrator reads it (spaces do not matter)")
        sync_parser = sub.add_parser("sync", help="(node) send changed encodings to the hub")
        sync_parser.add_argument("--full", action="store_true", help="every person, not the queue")
        work = sub.add_parser("work", help="(node) deliver, fetch and process messages in a loop")
        work.add_argument("--once", action="store_true", help="one round, then stop")
        work.add_argument("--sleep", type=float, default=2.0, help="seconds between rounds")
        sub.add_parser("witness-send", help="(node) queue the signed head of the audit chain")
        sub.add_parser("witness-check", help="(node) compare the audit chain with the hub's heads")
        alerts = sub.add_parser("witness-alerts", help="(hub) the witness alerts: nodes whose "
                                                       "audit heads went back, forked or stopped")
        alerts.add_argument("--all", action="store_true", help="resolved ones too")
        alerts.add_argument("--check-silence", action="store_true",
                            help="raise the silent alerts due now, before listing")
        alerts.add_argument("--resolve", type=int, metavar="ID",
                            help="mark this alert resolved (a fork's or go-back's latest head "
                                 "becomes the reference)")
        alerts.add_argument("--by", default="", help="who resolves it (with --resolve)")
        alerts.add_argument("--note", default="", help="why it is resolved (with --resolve)")
        sub.add_parser("status", help="(node) outbox and inbox counts")
        secret = sub.add_parser("init-secret", help="write a new shared encoding secret file")
        secret.add_argument("path")

    def handle(self, *args, action, **options):
        try:
            getattr(self, action.replace("-", "_"))(**options)
        except (hub.HubRefusal, transport.TransportError, IdentityError) as error:
            raise CommandError(str(error)) from None

    def register_node(self, code, jurisdictions, signing_key, encryption_key, key_id, url, **_):
        self._hub_only()
        node = services.register_node(code, jurisdictions=[j.strip() for j in jurisdictions.split(",")],
                                      signing_key=signing_key, encryption_key=encryption_key,
                                      key_id=key_id, url=url)
        self.stdout.write(f"node {node.code} ({', '.join(node.jurisdictions)}) registered")

    def deactivate_node(self, code, **_):
        self._hub_only()
        services.deactivate_node(code)
        self.stdout.write(f"node {code} deactivated")

    def nodes(self, **_):
        self._hub_only()
        for entry in hub.directory()["directory"]["nodes"].items():
            self.stdout.write(f"{entry[0]}  {','.join(entry[1]['jurisdictions'])}  {entry[1]['fingerprint']}")
        inactive = HubNode.objects.filter(active=False).values_list("code", flat=True)
        for code in inactive:
            self.stdout.write(f"{code}  (deactivated)")

    def directory(self, **_):
        transport.refresh_directory()
        for peer in PeerNode.objects.order_by("code"):
            line = (f"{peer.code}  {','.join(peer.jurisdictions)}  "
                    f"{fingerprint(peer.signing_key, peer.encryption_key)}")
            if not peer.listed:
                line += "  (no longer in the hub's directory)"
            if peer.pending_since:
                line += (f"\n    the hub lists new keys since {peer.pending_since:%Y-%m-%d %H:%M}: "
                         f"{pinning.pending_fingerprint(peer)}\n    check it with {peer.code}'s "
                         f"administrator, then: crossroads exchange confirm-peer {peer.code} "
                         f"--fingerprint '...'")
            self.stdout.write(line)

    def confirm_peer(self, code, fingerprint, **_):
        try:
            taken = services.confirm_peer(code, fingerprint)
        except pinning.PinningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"the new keys of {code} are confirmed; {taken} held message(s) taken "
                          "into the inbox")

    def sync(self, full, **_):
        result = services.sync(full=full)
        self.stdout.write(f"{result.sent} encoding(s) queued, {result.unchanged} unchanged, "
                          f"{result.withdrawn} withdrawn; {result.selectors_sent} selector(s) "
                          f"queued, {result.selectors_unchanged} unchanged, "
                          f"{result.selectors_withdrawn} withdrawn")

    def work(self, once, sleep, **_):
        while True:
            result = worker.run_round()
            if any((result.synced, result.delivered, result.fetched, result.processed)) or result.error:
                self.stdout.write(json.dumps(result.__dict__))
                self.stdout.flush()
            if once:
                return
            time.sleep(sleep)

    def witness_send(self, **_):
        message = witness.send_head()
        self.stdout.write(f"audit head queued as message {message.message_id}")

    def witness_check(self, **_):
        report = witness.check()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"the audit chain does not match the hub's {report.heads} head(s)")
        self.stdout.write(f"audit chain matches the hub's {report.heads} head(s)")

    def witness_alerts(self, all, check_silence, resolve, by, note, **_):
        self._hub_only()
        if resolve is not None:
            try:
                alert = hub_witness.resolve(resolve, by, note)
            except hub_witness.BadHead as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"witness alert {alert.pk} ({alert.node}, {alert.kind}) resolved")
            return
        if check_silence:
            self.stdout.write(f"{len(hub_witness.check_silence())} silent node(s) alerted")
        found = list(hub_witness.alerts(everything=all))
        for alert in found:
            self.stdout.write(_alert_line(alert))
        if not found:
            self.stdout.write("no witness alert" + ("" if all else " open"))

    def status(self, **_):
        self.stdout.write(json.dumps({
            "outbox_waiting": OutboxMessage.objects.filter(sent_at__isnull=True).count(),
            "outbox_sent": OutboxMessage.objects.filter(sent_at__isnull=False).count(),
            "inbox_waiting": InboxMessage.objects.filter(processed_at__isnull=True).count(),
            "inbox_processed": InboxMessage.objects.filter(processed_at__isnull=False).count(),
        }))

    def init_secret(self, path, **_):
        from pathlib import Path

        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists already")
        write_exchange_secret(target)
        self.stdout.write(f"exchange secret written to {target}; give the same file to every node, "
                          "never to the hub")

    def _hub_only(self):
        if not hub.is_hub():
            raise CommandError("this is a hub command: set CROSSROADS_MODE=hub")


def _head_text(figures: dict | None) -> str:
    if not figures:
        return "none"
    text = f"{figures['count']} entries, last {figures['last_id']} {figures['last_hash'][:16]}…"
    prior = figures.get("prior")
    if prior:
        text += (f" (says entry {prior['last_id']} is now {prior['hash'][:16]}…, "
                 f"{prior['count']} entries up to it)")
    return text


def _alert_line(alert) -> str:
    line = (f"#{alert.pk} {alert.node} {alert.kind} detected {alert.detected_at:%Y-%m-%d %H:%M}"
            f"\n    head held: {_head_text(alert.details.get('reference'))}")
    if alert.details.get("offending"):
        line += f"\n    head received: {_head_text(alert.details['offending'])}"
    if alert.details.get("last_head_at"):
        line += f"\n    last head at {alert.details['last_head_at']}"
    if alert.repeats:
        line += f"\n    seen again {alert.repeats} time(s), last {alert.last_seen_at:%Y-%m-%d %H:%M}"
    if alert.resolved_at:
        line += (f"\n    resolved by {alert.resolved_by} on {alert.resolved_at:%Y-%m-%d %H:%M}: "
                 f"{alert.resolution}")
    return line
