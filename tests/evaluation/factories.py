import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from evaluation.models import (
    Audience,
    CompositeIndex,
    Framework,
    IndexComponent,
    Metric,
    MetricTier,
    Observation,
    Practice,
    Source,
    Statement,
    StatementKind,
    SurveyLink,
    SurveyResponse,
    SurveyScore,
    SurveyWave,
    Unit,
)
from tests.programmes.factories import ProgrammeFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ["programme"]

    programme = factory.SubFactory(ProgrammeFactory)
    name = "Evaluation framework"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Practice {n}")
    means = "Always listening"
    order = factory.Sequence(int)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    practice = factory.SubFactory(PracticeFactory)
    kind = StatementKind.I_STATEMENT
    code = factory.Sequence(lambda n: f"S-I{n}")
    text = factory.Sequence(lambda n: f"I feel statement {n}")
    order = factory.Sequence(int)

    class Params:
        we = factory.Trait(
            kind=StatementKind.WE_STATEMENT,
            code=factory.Sequence(lambda n: f"S-W{n}"),
            text=factory.Sequence(lambda n: f"We will do thing {n}"),
        )


class MetricTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricTier

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    order = factory.Sequence(int)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    framework = factory.SubFactory(FrameworkFactory)
    tier = factory.SubFactory(MetricTierFactory, framework=factory.SelfAttribute("..framework"))
    name = factory.Sequence(lambda n: f"Metric {n}")
    definition = "What is counted"
    unit = Unit.COUNT
    source = Source.MANUAL
    baseline_value = Decimal("100")
    baseline_date = datetime.date(2022, 3, 31)
    target = Decimal("200")
    is_high_level = True

    class Params:
        derived = factory.Trait(source=Source.DERIVED, derived_key="community_groups")
        score = factory.Trait(unit=Unit.SCORE, baseline_value=Decimal("3"), target=Decimal("4"))
        percent = factory.Trait(
            unit=Unit.PERCENT, baseline_value=Decimal("20"), target=Decimal("25")
        )
        low_level = factory.Trait(is_high_level=False)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    metric = factory.SubFactory(MetricFactory)
    value = Decimal("120")
    source = Source.MANUAL


class SurveyWaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyWave
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Residents' panel wave {n}")
    audience = Audience.CITIZENS
    opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))

    class Params:
        closed = factory.Trait(opens=datetime.date(2023, 10, 2), closes=datetime.date(2023, 10, 31))
        workforce = factory.Trait(audience=Audience.WORKFORCE)

    @factory.post_generation
    def statements(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.statements.set(extracted)


class SurveyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyLink

    wave = factory.SubFactory(SurveyWaveFactory)
    token = factory.Sequence(lambda n: f"test-token-{n:06d}")

    class Params:
        used = factory.Trait(used_at=factory.LazyFunction(timezone.now))


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    wave = factory.SubFactory(SurveyWaveFactory)
    source = "panel"


class SurveyScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyScore

    response = factory.SubFactory(SurveyResponseFactory)
    statement = factory.SubFactory(StatementFactory)
    score = 4


class CompositeIndexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompositeIndex

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Index {n}")


class IndexComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndexComponent

    index = factory.SubFactory(CompositeIndexFactory)
    metric = factory.SubFactory(MetricFactory)
    weight = Decimal("1")
