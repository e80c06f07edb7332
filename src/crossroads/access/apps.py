from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "crossroads.access"
    verbose_name = _("Access")

    def ready(self):
        from crossroads.audit import labels
        from crossroads.audit.services import record_denied

        from . import checks, policy

        labels.name_by_str("access.agency")
        labels.name_by_str("access.user")

        # Every app's rules.py registers its rules and capabilities (access.rulebook).
        autodiscover_modules("rules")
        policy.denied.connect(_record_denied(record_denied), weak=False,
                              dispatch_uid="crossroads.access.denied")
        checks.register()


def _record_denied(record_denied):
    def receiver(sender, user, model, lookup, action, **kwargs):
        record_denied(user, model, lookup, action)

    return receiver
