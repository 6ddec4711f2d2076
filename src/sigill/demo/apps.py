from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sigill.demo"
    label = "demo"
    verbose_name = "Demo"
