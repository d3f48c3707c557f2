from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"

    def ready(self):
        # Register the Celery tasks in every process, web included: services queue them by
        # name (the tasks module imports the services, so the services cannot import it).
        # Organisations that applied (or were invited) to a council's funds are linked to it
        # (programmes.organisations unions every app's links).
        from programmes import organisations

        from . import selectors, tasks  # noqa: F401

        organisations.register("funds.applied", selectors.organisations_that_applied)
        organisations.register("funds.invited", selectors.organisations_invited)
