from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """The node side of linkage (models, review, the background run). The engine modules
    (`engine`, `records`, `cli`, ...) never import Django; this app imports them."""

    name = "crossroads.linkage"
    verbose_name = _("Linkage")
