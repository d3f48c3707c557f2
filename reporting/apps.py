from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Quarterly steering-group reports"

    def ready(self):
        # Register the Celery tasks in every process, web included: services queue them by
        # name (the tasks module imports the services, so the services cannot import it).
        from . import tasks  # noqa: F401
