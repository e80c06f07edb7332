from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bulk imports of an existing register (a CSV and a column mapping) into the node, every
    row through the registry's services (docs/import.md)."""

    name = "crossroads.imports"
    label = "imports"
    verbose_name = "Imports"  # not shown on any page: no translation
