from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """The node side of linkage (models, review, the background run). The engine modules
    (`engine`, `records`, `cli`, ...) never import Django; this app imports them."""

    name = "crossroads.linkage"
    verbose_name = _("Linkage")

    def ready(self):
        from crossroads.registry import blind_index, extensions
        from crossroads.registry.signals import person_saved

        from . import node, queries

        # Every save of a person, whatever the surface, stores its possible duplicates.
        person_saved.connect(node.on_person_saved, dispatch_uid="crossroads.linkage.saved")
        blind_index.add_key_source(node.link_keys)
        # The case and person pages show the possible duplicates of the persons they name.
        extensions.add("case", queries.duplicates_extra)
        extensions.add("person", queries.duplicates_extra)
