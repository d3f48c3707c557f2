import datetime

import factory

from groundbreakers.models import (
    Activity,
    ActivityKind,
    Groundbreaker,
    GroundbreakerStatus,
    KeyOutcome,
    LearningEntry,
    LearningOutcome,
)
from tests.programmes.factories import ProgrammeFactory


class GroundbreakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Groundbreaker

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Groundbreaker {n}")
    slug = factory.Sequence(lambda n: f"groundbreaker-{n}")
    summary = "Testing community power in practice."
    lead_service_area = "Communities"
    status = GroundbreakerStatus.PROPOSED

    class Params:
        setting_up = factory.Trait(status=GroundbreakerStatus.SETTING_UP)
        live = factory.Trait(status=GroundbreakerStatus.LIVE)
        sustained = factory.Trait(status=GroundbreakerStatus.SUSTAINED)
        closed = factory.Trait(status=GroundbreakerStatus.CLOSED)
        did_not_proceed = factory.Trait(status=GroundbreakerStatus.DID_NOT_PROCEED)


class KeyOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyOutcome

    groundbreaker = factory.SubFactory(GroundbreakerFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Outcome {n}")
    success_factors = "People take part"
    indicators = "Number taking part"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    programme = factory.SubFactory(ProgrammeFactory)
    groundbreaker = None
    title = factory.Sequence(lambda n: f"Activity {n}")
    kind = ActivityKind.EVENT
    date = datetime.date(2024, 5, 1)
    attendees = 10

    class Params:
        door_knocking = factory.Trait(
            kind=ActivityKind.DOOR_KNOCKING,
            attendees=None,
            households_approached=40,
            questionnaires_completed=12,
        )


class LearningEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningEntry

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    recorded_on = datetime.date(2024, 5, 1)
    what_we_tried = "A pop-up stall at the market"
    what_happened = "Few people stopped"
    outcome = LearningOutcome.WORKED

    class Params:
        did_not_work = factory.Trait(outcome=LearningOutcome.DID_NOT_WORK)
