from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "crossroads.assistance"
    label = "assistance"
    verbose_name = _("Victim assistance")

    def ready(self):
        # The re-trafficking check runs when a victim joins a case or a duplicate is found.
        from crossroads.registry import extensions, purpose

        from . import queries, retrafficking

        # A victim file's pages and a referral's page carry their case's purpose of access.
        purpose.add_source("file_id", queries.file_purpose)
        purpose.add_source("referral_id", queries.referral_purpose)

        retrafficking.connect()
        # The case page shows the re-trafficking notices routed to its reader.
        extensions.add("case", lambda user, case, persons: {
            "notices": retrafficking.notices_for(user, case)})
