from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "crossroads.oversight"
    verbose_name = _("Oversight")

    def ready(self):
        # Registers the `witness.alert` inbox handler: the hub's witness alerts become alerts.
        from .services import witness  # noqa: F401
