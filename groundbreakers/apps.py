from django.apps import AppConfig


class GroundbreakersConfig(AppConfig):
    name = "groundbreakers"

    def ready(self):
        # Partners, working-group members' organisations and activity partners are linked to
        # the council of the groundbreaker's (or activity's) programme.
        from programmes import organisations

        from . import selectors

        organisations.register("groundbreakers.partners", selectors.organisations_partnering)
        organisations.register(
            "groundbreakers.working_groups", selectors.organisations_on_working_groups
        )
        organisations.register("groundbreakers.activities", selectors.organisations_in_activities)
