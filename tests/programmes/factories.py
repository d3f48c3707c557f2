import datetime

import factory
from django.utils import timezone

from programmes.models import (
    RAG,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Council,
    CouncilKind,
    DeliveryPlan,
    GovernanceBody,
    GovernanceBodyMember,
    Group,
    PeriodStatus,
    Place,
    PlaceKind,
    Programme,
    ReportingPeriod,
    UpdateStatus,
)
from programmes.periods import parse_label, quarter_dates


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = "Warwickshire County Council"
    short_name = "Warwickshire"
    slug = "warwickshire"
    kind = CouncilKind.COUNTY
    org_id_prefix = "GB-LAE-WAR"

    class Params:
        unitary = factory.Trait(
            name="Westmorland and Furness Council",
            short_name="Westmorland and Furness",
            slug="westmorland-furness",
            kind=CouncilKind.UNITARY,
            org_id_prefix="GB-LAE-WAF",
        )


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = PlaceKind.WARD

    class Params:
        district = factory.Trait(kind=PlaceKind.DISTRICT)
        division = factory.Trait(kind=PlaceKind.DIVISION)
        lsoa = factory.Trait(kind=PlaceKind.LSOA)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Community Power Programme {n}")
    short_name = factory.Sequence(lambda n: f"CPP{n}")
    slug = factory.Sequence(lambda n: f"cpp-{n}")
    purpose = "Shift power to communities."


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["programme", "label"]

    programme = factory.SubFactory(ProgrammeFactory)
    label = "2024-Q1"
    start = factory.LazyAttribute(lambda o: quarter_dates(*parse_label(o.label))[0])
    end = factory.LazyAttribute(lambda o: quarter_dates(*parse_label(o.label))[1])
    update_deadline = factory.LazyAttribute(lambda o: o.end + datetime.timedelta(days=14))

    class Params:
        locked = factory.Trait(status=PeriodStatus.LOCKED)


class DeliveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPlan
        django_get_or_create = ["programme"]

    programme = factory.SubFactory(ProgrammeFactory)
    name = "Delivery plan"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    plan = factory.SubFactory(DeliveryPlanFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    plan = factory.SubFactory(DeliveryPlanFactory)
    group = factory.LazyAttribute(lambda o: GroupFactory(plan=o.plan))
    title = factory.Sequence(lambda n: f"Commitment {n}")
    description = "What we will do."
    status = CommitmentStatus.ON_TRACK

    class Params:
        not_started = factory.Trait(status=CommitmentStatus.NOT_STARTED)
        at_risk = factory.Trait(status=CommitmentStatus.AT_RISK)
        off_track = factory.Trait(status=CommitmentStatus.OFF_TRACK)
        complete = factory.Trait(status=CommitmentStatus.COMPLETE)
        closed = factory.Trait(status=CommitmentStatus.CLOSED)

    @factory.post_generation
    def leads(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.lead_users.set(extracted)


class CommitmentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    period = factory.LazyAttribute(
        lambda o: ReportingPeriodFactory(programme=o.commitment.plan.programme)
    )
    what_happened = "We did things."
    rag = RAG.GREEN

    class Params:
        submitted = factory.Trait(
            status=UpdateStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        draft = factory.Trait(status=UpdateStatus.DRAFT)


class GovernanceBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceBody

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    chair = "Leader of the Council"
    meeting_cadence = "Quarterly"
    receives_quarterly_report = True


class GovernanceBodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceBodyMember

    body = factory.SubFactory(GovernanceBodyFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    position = "Councillor"
