from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    name = "crossroads.regional"
    verbose_name = _("Regional statistics")

    def ready(self):
        from crossroads.statistics.signals import release_approved

        from .receive import register_with_hub
        from .services import send_to_hub

        register_with_hub()
        # A release approved for the hub is queued for it in the approving transaction.
        release_approved.connect(lambda sender, release, actor, **kwargs: send_to_hub(release, actor),
                                 weak=False, dispatch_uid="crossroads.regional.publish")
