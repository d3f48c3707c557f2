"""Derived metrics read from the groundbreakers and programmes apps: each equals a total worked
out independently here in plain Python over the factory-made data."""

import datetime
from decimal import Decimal

import pytest

from evaluation import derived, services
from evaluation.models import Observation
from groundbreakers.models import Activity
from programmes.models import RAG, CommitmentUpdate, UpdateStatus
from tests.evaluation.factories import MetricFactory
from tests.groundbreakers.factories import ActivityFactory, GroundbreakerFactory
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    DeliveryPlanFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

# periods fixture: 2023-Q1 (1 April to 30 June 2023) to 2023-Q4 (January to March 2024)


def _attendees_by_hand(programme, period):
    rows = [
        a
        for a in Activity.objects.all()
        if a.programme_id == programme.pk
        and a.council_led
        and period.start <= a.date <= period.end
        and a.attendees is not None
    ]
    return Decimal(sum(a.attendees for a in rows)) if rows else None


def test_council_event_attendees_sums_council_led_activities_dated_in_the_period(
    programme, periods
):
    q1, q2, q3, q4 = periods
    groundbreaker = GroundbreakerFactory(programme=programme)
    ActivityFactory(programme=programme, date=datetime.date(2023, 4, 1), attendees=12)  # first day
    ActivityFactory(programme=programme, date=datetime.date(2023, 6, 30), attendees=30)  # last day
    ActivityFactory(
        programme=programme,
        groundbreaker=groundbreaker,
        date=datetime.date(2023, 5, 5),
        attendees=7,
    )
    ActivityFactory(programme=programme, date=datetime.date(2023, 5, 6), attendees=None)
    # Not counted: partner-led, before the period, after it, another programme.
    ActivityFactory(
        programme=programme, date=datetime.date(2023, 5, 1), attendees=500, council_led=False
    )
    ActivityFactory(programme=programme, date=datetime.date(2023, 3, 31), attendees=1000)
    ActivityFactory(programme=programme, date=datetime.date(2023, 7, 1), attendees=40)  # Q2
    ActivityFactory(programme=ProgrammeFactory(), date=datetime.date(2023, 5, 1), attendees=2000)
    # Q3 has only an activity without a recorded attendance: no figure, not a zero.
    ActivityFactory(programme=programme, date=datetime.date(2023, 11, 1), attendees=None)

    figures = [derived.calculate("council_event_attendees", programme, p) for p in periods]

    assert figures == [_attendees_by_hand(programme, p) for p in periods]
    assert figures == [Decimal(49), Decimal(40), None, None]


def test_council_event_attendees_is_stored_for_periods_with_a_figure_only(
    framework, tier, programme, periods
):
    ActivityFactory(programme=programme, date=datetime.date(2023, 8, 1), attendees=25)
    metric = MetricFactory(
        framework=framework, tier=tier, derived=True, derived_key="council_event_attendees"
    )

    assert services.derived_observations_refresh(metric=metric, periods=periods) == 1

    observation = Observation.objects.get(metric=metric)
    assert (observation.period, observation.value) == (periods[1], Decimal(25))


def _on_track_by_hand(programme, period):
    submitted = [
        u
        for u in CommitmentUpdate.objects.select_related("commitment__plan")
        if u.commitment.plan.programme_id == programme.pk
        and u.period_id == period.pk
        and u.status == UpdateStatus.SUBMITTED
    ]
    if not submitted:
        return None
    on_track = [u for u in submitted if u.rag in (RAG.GREEN, RAG.COMPLETE)]
    return (Decimal(100) * len(on_track) / len(submitted)).quantize(Decimal("0.1"))


def test_commitments_on_track_is_the_share_of_submitted_updates_green_or_complete(
    programme, periods
):
    q1, q2, q3, q4 = periods
    plan = DeliveryPlanFactory(programme=programme)
    commitments = [CommitmentFactory(plan=plan) for _ in range(5)]
    for commitment, rag in zip(
        commitments, [RAG.GREEN, RAG.COMPLETE, RAG.AMBER, RAG.RED, RAG.GREEN], strict=True
    ):
        CommitmentUpdateFactory(commitment=commitment, period=q1, rag=rag, submitted=True)
    CommitmentUpdateFactory(commitment=commitments[4], period=q2, rag=RAG.RED, submitted=True)
    # Drafts are not counted, whatever their rating.
    CommitmentUpdateFactory(commitment=commitments[0], period=q2, rag=RAG.GREEN, draft=True)
    CommitmentUpdateFactory(commitment=commitments[1], period=q3, rag=RAG.GREEN, draft=True)
    # Another programme's commitments are not counted.
    other = ProgrammeFactory()
    CommitmentUpdateFactory(
        commitment=CommitmentFactory(plan=DeliveryPlanFactory(programme=other)),
        rag=RAG.GREEN,
        submitted=True,
    )

    figures = [derived.calculate("commitments_on_track", programme, p) for p in periods]

    assert figures == [_on_track_by_hand(programme, p) for p in periods]
    assert figures == [Decimal("60.0"), Decimal("0.0"), None, None]
    assert derived.get("commitments_on_track").unit == "percent"
