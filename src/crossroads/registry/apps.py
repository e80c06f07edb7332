from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "crossroads.registry"
    verbose_name = _("Registry")

    def ready(self):
        from crossroads.audit import labels

        from .models import Case

        # The audit pages name a case by its reference and find it by one; persons stay
        # "Person #id" there (a name would be an identity read).
        labels.name_by_str("registry.case")
        labels.add_finder("registry.case", lambda text: list(Case.objects.filter(
            reference=text.strip().upper()).values_list("pk", flat=True)))
