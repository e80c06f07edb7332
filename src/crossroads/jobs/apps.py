from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "crossroads.jobs"
    verbose_name = "Background jobs"  # shown nowhere (no admin): not a message to translate
