from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "crossroads.assistance"
    label = "assistance"
    verbose_name = _("Victim assistance")

    def ready(self):
        # The re-trafficking check runs when a victim joins a case or a duplicate is found.
        from crossroads.registry import extensions

        from . import retrafficking

        retrafficking.connect()
        # The case page shows the re-trafficking notices routed to its reader.
        extensions.add("case", lambda user, case, persons: {
            "notices": retrafficking.notices_for(user, case)})
