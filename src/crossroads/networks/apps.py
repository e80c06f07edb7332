from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "crossroads.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from crossroads.registry import extensions

        from . import queries

        # The case page links the case's network and its imports (for those who reach them).
        extensions.add("case", queries.case_section)
