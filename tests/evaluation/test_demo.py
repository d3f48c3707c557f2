from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from cpw.accounts.demo import seed_people
from cpw.accounts.models import Organisation
from evaluation import derived
from evaluation.demo import seed_evaluation
from evaluation.models import (
    Framework,
    IStatement,
    Metric,
    MetricTier,
    Observation,
    Practice,
    SurveyResponse,
    WeStatement,
)
from groundbreakers.demo import seed_groundbreakers
from groundbreakers.models import Activity
from programmes.demo import seed_delivery_plan, seed_places, seed_programme
from programmes.models import PlaceKind

pytestmark = pytest.mark.django_db


def _load_demo():
    """What load_demo runs (its production guard reads a setting pytest does not set)."""
    with transaction.atomic():
        places = seed_places()
        programme = seed_programme(places)
        seed_people(programme, places)
        seed_delivery_plan(programme)
        seed_groundbreakers(programme)
        seed_evaluation(programme, places)


@pytest.fixture
def demo():
    _load_demo()
    return Framework.objects.get(programme__slug="cpw")


def test_load_demo_gives_the_warwickshire_framework(demo):
    assert list(Practice.objects.filter(framework=demo).values_list("name", flat=True)) == [
        "Deliberative", "Active", "Enabling", "Collaborative", "Inclusive",
    ]  # fmt: skip
    assert IStatement.objects.filter(practice__framework=demo).count() == 9
    assert WeStatement.objects.filter(practice__framework=demo).count() == 5
    assert MetricTier.objects.filter(framework=demo).count() == 4
    metrics = Metric.objects.filter(framework=demo)
    assert metrics.count() == 8
    assert not metrics.filter(baseline_value__isnull=True).exists()
    for metric in metrics:
        labels = set(metric.observations.filter(place=None).values_list("period__label", flat=True))
        assert len(labels) == 8, metric.name
    responses = SurveyResponse.objects.filter(wave__framework=demo)
    assert 450 <= responses.count() <= 550
    assert set(responses.values_list("place__kind", flat=True)) == {PlaceKind.DISTRICT}
    assert responses.values("place").distinct().count() == 5


def test_load_demo_twice_changes_nothing(demo):
    before = (Observation.objects.count(), SurveyResponse.objects.count(), Metric.objects.count())
    _load_demo()
    assert (
        Observation.objects.count(),
        SurveyResponse.objects.count(),
        Metric.objects.count(),
    ) == before


def test_derived_community_groups_equal_an_independent_count(demo):
    metric = Metric.objects.get(framework=demo, derived_key="community_groups")
    assert derived.get("community_groups") is not None
    for observation in metric.observations.select_related("period"):
        end = observation.period.end
        expected = sum(
            1 for o in Organisation.objects.all() if timezone.localtime(o.created_at).date() <= end
        )
        assert observation.value == expected, observation.period.label
    on_baseline_date = sum(
        1
        for o in Organisation.objects.all()
        if timezone.localtime(o.created_at).date() <= metric.baseline_date
    )
    assert metric.baseline_value == on_baseline_date
    assert metric.observations.order_by("period__start").last().value > metric.baseline_value


def test_derived_council_event_attendees_equal_the_demo_engagement_log(demo):
    metric = Metric.objects.get(framework=demo, name="People attending council-led events")
    assert metric.derived_key == "council_event_attendees"
    observations = list(metric.observations.filter(place=None).select_related("period"))
    assert len(observations) == 8  # a real figure in every demo quarter
    for observation in observations:
        period = observation.period
        expected = sum(
            a.attendees or 0
            for a in Activity.objects.filter(programme=demo.programme)
            if a.council_led and period.start <= a.date <= period.end
        )
        assert expected > 0, period.label
        assert observation.value == expected, period.label
        assert observation.value == derived.calculate(
            "council_event_attendees", demo.programme, period
        )
    # The published Big Conversation (online), September 2022, is in 2022-Q2.
    q2 = next(o for o in observations if o.period.label == "2022-Q2")
    assert q2.value == 65


def test_derived_commitments_on_track_equal_the_demo_delivery_plan(demo):
    from programmes.models import CommitmentUpdate, ReportingPeriod

    submitted = list(
        CommitmentUpdate.objects.filter(
            commitment__plan__programme=demo.programme, status="submitted"
        )
    )
    periods = ReportingPeriod.objects.filter(pk__in={u.period_id for u in submitted})
    assert periods.count() >= 4  # four past quarters, and the current one once any is submitted
    for period in periods:
        rows = [u for u in submitted if u.period_id == period.pk]
        on_track = sum(1 for u in rows if u.rag in ("green", "complete"))
        expected = round(100 * on_track / len(rows), 1)
        assert derived.calculate("commitments_on_track", demo.programme, period) == Decimal(
            str(expected)
        ), period.label
    # A demo quarter with no submitted updates has no figure.
    empty = ReportingPeriod.objects.get(programme=demo.programme, label="2022-Q1")
    assert derived.calculate("commitments_on_track", demo.programme, empty) is None
