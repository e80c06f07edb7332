from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "crossroads.exchange"
    verbose_name = _("Cross-border exchange")

    def ready(self):
        from crossroads.audit import checkpoint, verification

        # services registers the inbox handlers (requests, decisions, hits).
        from . import identity, services, signals, witness  # noqa: F401

        signals.connect()
        # Audit checkpoints are signed with the node key where the node has one.
        checkpoint.set_identity_provider(identity.load_if_present)
        # `audit verify --against-witness` compares the chain with the heads the hub holds.
        verification.set_witness(witness.against_witness)
