import pytest
from django.db import transaction
from django.utils import timezone

from cpw.accounts.models import Organisation
from cpw.demo.people import seed_people
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
from programmes.demo import seed_places, seed_programme
from programmes.models import PlaceKind

pytestmark = pytest.mark.django_db


def _load_demo():
    """What load_demo runs (its production guard reads a setting pytest does not set)."""
    with transaction.atomic():
        places = seed_places()
        programme = seed_programme(places)
        seed_people(programme, places)
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
