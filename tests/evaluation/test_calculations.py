"""The composite index against a hand-worked example; RAG against target; derived metrics."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpw.accounts.models import Organisation
from evaluation import derived, selectors, services
from evaluation.calculations import rag_for
from evaluation.models import Direction, Metric, Observation, Source
from tests.accounts.factories import OrganisationFactory
from tests.evaluation.factories import (
    CompositeIndexFactory,
    IndexComponentFactory,
    MetricFactory,
    ObservationFactory,
)

pytestmark = pytest.mark.django_db


def test_index_equals_a_hand_worked_example(framework, tier, periods):
    """Worked by hand:
    A: baseline 200, 2023-Q1 value 250, higher is better, weight 2 -> 250/200*100 = 125
    B: baseline 50, value 40, LOWER is better, weight 1           -> 50/40*100   = 125
    C: baseline 10, value 8, higher is better, weight 1           -> 8/10*100    = 80
    index = (2*125 + 1*125 + 1*80) / (2+1+1) = 455/4 = 113.75 -> shown as 113.8"""
    a = MetricFactory(framework=framework, tier=tier, baseline_value=200, target=300)
    b = MetricFactory(
        framework=framework, tier=tier, baseline_value=50, target=30, direction=Direction.LOWER
    )
    c = MetricFactory(framework=framework, tier=tier, baseline_value=10, target=20)
    index = CompositeIndexFactory(framework=framework)
    for metric, weight, value in ((a, 2, 250), (b, 1, 40), (c, 1, 8)):
        IndexComponentFactory(index=index, metric=metric, weight=weight)
        ObservationFactory(metric=metric, period=periods[0], value=value)
    ObservationFactory(metric=a, period=periods[1], value=200)  # B and C missing in Q2

    series = selectors.index_series(index)

    assert [row["period"].label for row in series] == ["2023-Q1", "2023-Q2"]
    assert series[0]["value"] == Decimal("113.8")
    assert [p["normalised"] for p in series[0]["parts"]] == [125, 125, 80]
    assert series[1]["value"] is None  # a period missing a component has no index
    assert selectors.index_latest(index)["period"].label == "2023-Q1"


def test_changing_weights_changes_the_index(framework, tier, periods, manager):
    a = MetricFactory(framework=framework, tier=tier, baseline_value=200, target=300)
    c = MetricFactory(framework=framework, tier=tier, baseline_value=10, target=20)
    index = CompositeIndexFactory(framework=framework)
    ca = IndexComponentFactory(index=index, metric=a, weight=1)
    cc = IndexComponentFactory(index=index, metric=c, weight=1)
    ObservationFactory(metric=a, period=periods[0], value=250)  # 125
    ObservationFactory(metric=c, period=periods[0], value=8)  # 80
    assert selectors.index_series(index)[0]["value"] == Decimal("102.5")
    services.index_weights_update(
        index=index, weights={ca.pk: Decimal(3), cc.pk: Decimal(1)}, user=manager
    )
    assert selectors.index_series(index)[0]["value"] == Decimal("113.8")  # (375+80)/4
    assert ca.history.first().history_user == manager


def test_weights_cannot_all_be_zero(framework, tier, manager):
    component = IndexComponentFactory(index__framework=framework, metric__framework=framework)
    with pytest.raises(ValidationError, match="At least one weight"):
        services.index_weights_update(
            index=component.index, weights={component.pk: Decimal(0)}, user=manager
        )


@pytest.mark.parametrize(
    "direction, baseline, target, value, rag",
    [
        (Direction.HIGHER, 100, 200, 200, "green"),  # on target
        (Direction.HIGHER, 100, 200, 160, "amber"),  # 60% of the way
        (Direction.HIGHER, 100, 200, 140, "red"),  # 40% of the way
        (Direction.LOWER, 10, 6, 6, "green"),
        (Direction.LOWER, 10, 6, 7.5, "amber"),  # 62.5% of the way down
        (Direction.LOWER, 10, 6, 11, "red"),  # worse than baseline
    ],
)
def test_rag_against_target(direction, baseline, target, value, rag):
    metric = Metric(
        direction=direction,
        baseline_value=Decimal(baseline),
        target=Decimal(target),
        rag_green_from=Decimal(100),
        rag_amber_from=Decimal(50),
    )
    assert rag_for(metric, Decimal(str(value))) == rag


def test_no_target_means_no_rating():
    assert rag_for(Metric(target=None), Decimal(5)) == ""


# --- Derived metrics -------------------------------------------------------------------------


def test_only_calculators_with_data_are_offered():
    keys = {c.key for c in derived.available()}
    assert {
        "community_groups",
        "council_event_attendees",
        "commitments_on_track",
        "money_to_community_groups",
        "priority_place_grant_share",
    } <= keys
    assert "no_such_calculation" not in keys
    assert all(c.description for c in derived.available())


def test_community_groups_counts_organisations_registered_by_the_period_end(
    framework, tier, periods
):
    def joined(day):
        org = OrganisationFactory()
        Organisation.objects.filter(pk=org.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        )

    joined(datetime.date(2023, 4, 10))  # 2023-Q1 (April-June 2023)
    joined(datetime.date(2023, 6, 30))  # last day of 2023-Q1
    joined(datetime.date(2023, 7, 1))  # 2023-Q2
    metric = MetricFactory(framework=framework, tier=tier, derived=True)
    before = Organisation.objects.filter(created_at__date__lt=datetime.date(2023, 4, 1)).count()

    services.derived_observations_refresh(metric=metric, periods=periods[:2])

    values = list(
        Observation.objects.filter(metric=metric)
        .order_by("period__start")
        .values_list("value", flat=True)
    )
    assert values == [before + 2, before + 3]
    assert set(Observation.objects.filter(metric=metric).values_list("source", flat=True)) == {
        Source.DERIVED
    }


def test_a_derived_metric_cannot_be_typed_in(framework, tier, periods, officer):
    metric = MetricFactory(framework=framework, tier=tier, derived=True)
    with pytest.raises(ValidationError, match="calculated from portal data"):
        services.observation_record(metric=metric, period=periods[0], value="5", user=officer)


def test_a_metric_cannot_use_a_calculation_the_portal_cannot_do(framework, tier, manager):
    metric = Metric(
        framework=framework,
        tier=tier,
        name="Grants to priority places",
        definition="x",
        unit="percent",
        source=Source.DERIVED,
        derived_key="no_such_calculation",
    )
    with pytest.raises(ValidationError) as exc_info:
        services.metric_save(metric=metric, user=manager)
    assert "derived_key" in exc_info.value.message_dict
    assert not Metric.objects.filter(name="Grants to priority places").exists()


def test_more_high_level_metrics_than_the_maximum_warns(framework, tier, manager):
    framework.high_level_metrics_max = 2
    framework.save()
    MetricFactory.create_batch(2, framework=framework, tier=tier)
    metric = Metric(
        framework=framework, tier=tier, name="Third", definition="x", unit="count",
        is_high_level=True,
    )  # fmt: skip
    _, warning = services.metric_save(metric=metric, user=manager)
    assert warning.startswith(
        "3 metrics are marked high-level, more than the framework's maximum of 2"
    )


# --- Observation entry -----------------------------------------------------------------------


def test_entering_a_figure_again_corrects_it_and_keeps_history(framework, tier, periods, officer):
    metric = MetricFactory(framework=framework, tier=tier, score=True)
    services.observation_record(metric=metric, period=periods[0], value="3.2", user=officer)
    services.observation_record(metric=metric, period=periods[0], value="3.5", user=officer)
    observation = Observation.objects.get(metric=metric)
    assert observation.value == Decimal("3.5")
    assert [h.value for h in observation.history.all()] == [Decimal("3.5"), Decimal("3.2")]


@pytest.mark.parametrize("value", ["6", "0", "three"])
def test_a_bad_score_is_refused(framework, tier, periods, officer, value):
    metric = MetricFactory(framework=framework, tier=tier, score=True)
    with pytest.raises(ValidationError) as exc_info:
        services.observation_record(metric=metric, period=periods[0], value=value, user=officer)
    assert "value" in exc_info.value.message_dict
    assert not Observation.objects.exists()


def test_a_calculator_with_no_figure_for_a_period_stores_none(
    framework, tier, periods, monkeypatch
):
    calls = []

    def share(programme, period):
        calls.append(period.label)
        return None if period.label == "2023-Q1" else Decimal("12.5")

    monkeypatch.setitem(
        derived.REGISTRY,
        "test_share",
        derived.DerivedCalculator(
            key="test_share", label="Share", unit="percent", description="Test", function=share
        ),
    )
    metric = MetricFactory(
        framework=framework,
        tier=tier,
        source=Source.DERIVED,
        derived_key="test_share",
        percent=True,
    )
    assert services.derived_observations_refresh(metric=metric, periods=periods[:2]) == 1
    assert list(metric.observations.values_list("period__label", "value")) == [
        ("2023-Q2", Decimal("12.5"))
    ]
