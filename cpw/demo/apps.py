from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cpw.demo"
    label = "demo"
    verbose_name = "Demo data"
