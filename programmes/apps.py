from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes, places and delivery plans"

    def ready(self):
        # Reporting is not an app of its own yet, so `rules` does not find its rules module.
        from .reporting import rules  # noqa: F401
