from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cpw.core"
    label = "core"
    verbose_name = "Portal core"

    def ready(self):
        from cpw.core.bounds import install_model_bounds

        install_model_bounds()
