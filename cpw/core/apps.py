from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cpw.core"
    label = "core"
    verbose_name = "Portal core"
