from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    name = "crossroads.regional"
    verbose_name = _("Regional statistics")

    def ready(self):
        from .receive import register_with_hub

        register_with_hub()
