from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "crossroads.demo"
    verbose_name = "Demo"
