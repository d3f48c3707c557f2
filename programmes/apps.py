from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes, places and delivery plans"

    def ready(self):
        # The programmes app's own sources of council-organisation links register on import.
        from . import organisations  # noqa: F401
