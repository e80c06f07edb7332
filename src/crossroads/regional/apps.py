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
        from crossroads.monitor.signals import scorecard_approved

        from . import scorecards

        scorecards.register_with_hub()
        # An approved scorecard is queued for the hub in the approving transaction.
        scorecard_approved.connect(
            lambda sender, publication, actor, **kwargs: scorecards.send_scorecard(publication, actor),
            weak=False, dispatch_uid="crossroads.regional.publish_scorecard")
