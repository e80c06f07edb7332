from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    name = "crossroads.regional"
    verbose_name = _("Regional statistics")

    def ready(self):
        from crossroads.monitor.signals import scorecard_approved
        from crossroads.statistics.signals import release_approved

        from . import receive, scorecards
        from .services import send_to_hub

        receive.register_with_hub(receive.KIND, receive.receive_release)
        receive.register_with_hub(scorecards.KIND, scorecards.receive_scorecard)
        # A release approved for the hub is queued for it in the approving transaction.
        release_approved.connect(lambda sender, release, actor, **kwargs: send_to_hub(release, actor),
                                 weak=False, dispatch_uid="crossroads.regional.publish")
        # An approved scorecard is queued for the hub in the approving transaction.
        scorecard_approved.connect(
            lambda sender, publication, actor, **kwargs: scorecards.send_scorecard(publication, actor),
            weak=False, dispatch_uid="crossroads.regional.publish_scorecard")
