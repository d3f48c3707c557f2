"""Query counts of My commitments, the RAG grid and the commitment page do not grow with the
plan (10 and 500 commitments, each with four quarters of updates)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import Commitment, CommitmentUpdate, Group
from tests.programmes.factories import ReportingPeriodFactory

LABELS = ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]


def grow(w, size):
    periods = [w.previous, w.current] + [
        ReportingPeriodFactory(programme=w.programme, label=label) for label in LABELS[:2]
    ]
    groups = [w.group] + [Group.objects.create(plan=w.plan, name=f"Theme {i}") for i in range(4)]
    commitments = Commitment.objects.bulk_create(
        Commitment(plan=w.plan, group=groups[i % 5], title=f"Commitment {i}", order=i)
        for i in range(size - 1)
    )
    Commitment.lead_users.through.objects.bulk_create(
        Commitment.lead_users.through(commitment_id=c.pk, user_id=w.officer.pk) for c in commitments
    )
    now = timezone.now()
    CommitmentUpdate.objects.bulk_create(
        CommitmentUpdate(
            commitment=c,
            period=p,
            status="submitted",
            rag=["green", "amber", "red"][i % 3],
            submitted_at=now,
            what_happened="Done",
        )
        for i, c in enumerate([w.commitment, *commitments])
        for p in periods
    )
    assert Commitment.objects.count() == size
    # Groundbreakers that advance the commitment (shown on the commitment page).
    from groundbreakers.models import Groundbreaker

    groundbreakers = Groundbreaker.objects.bulk_create(
        Groundbreaker(programme=w.programme, name=f"Groundbreaker {i}", slug=f"gb-{i}")
        for i in range(size // 10)
    )
    w.commitment.groundbreakers.add(*groundbreakers)


PAGES = {
    "my commitments": (lambda w: reverse("programmes:my-work"), "officer", 12),
    "RAG grid": (lambda w: reverse("programmes:plan", args=[w.programme.slug]), "manager", 16),
    "filtered RAG grid": (
        lambda w: reverse("programmes:plan", args=[w.programme.slug]) + "?rag=red&status=on_track",
        "manager",
        16,
    ),
    "commitment page": (
        lambda w: reverse("programmes:commitment-detail", args=[w.commitment.pk]),
        "officer",
        23,
    ),
    "update form": (
        lambda w: reverse("programmes:commitment-update", args=[w.commitment.pk, w.current.label]),
        "officer",
        12,
    ),
    "overview": (lambda w: reverse("programmes:overview"), "manager", 17),
    "CSV export": (
        lambda w: reverse("programmes:plan-export", args=[w.programme.slug, "csv"]),
        "manager",
        17,  # with the commitments' ambitions, prefetched in one query
    ),
}


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_does_not_grow_with_the_plan(
    plan_world, client_as, django_assert_max_num_queries, page, size
):
    grow(plan_world, size)
    url, who, limit = PAGES[page]
    client = client_as(getattr(plan_world, who))
    with django_assert_max_num_queries(limit):
        response = client.get(url(plan_world))
    assert response.status_code == 200
    if page == "RAG grid":
        assert response.content.decode().count('<th scope="row"') == size
    if page == "my commitments":
        assert (
            response.content.decode().count("Not started")
            + response.content.decode().count("Submitted")
            >= size
        )
