from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "crossroads.investigations"
    label = "investigations"
    verbose_name = _("Investigations")

    def ready(self):
        from crossroads.registry import extensions

        from . import queries

        # The case page shows the case's team and the way to its investigation pages.
        extensions.add("case", queries.case_section)
