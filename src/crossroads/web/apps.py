from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "crossroads.web"
    verbose_name = _("Web")

    def ready(self):
        from . import signals  # noqa: F401  (audit of log-ins and log-outs)
