from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "crossroads.exchange"
    verbose_name = _("Cross-border exchange")

    def ready(self):
        from . import formal_requests, hits, signals  # noqa: F401 - registers the inbox handlers

        signals.connect()
