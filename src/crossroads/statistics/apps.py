from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """Statistics of the node: disclosure control (`disclosure`, no Django), CTDC import and
    export (`ctdc`), the figures of the seed paper (`figures`)."""

    name = "crossroads.statistics"
    label = "statistics"
    verbose_name = "Statistics"  # not shown on any page: no translation
