"""One rule for "how many updates are in": the overview, the lock page, the plan grid and the
quarterly report give the same submitted, due, missing and draft counts for a period, and they
equal counts worked out by hand."""

import re

import pytest
from django.urls import reverse

from programmes import selectors
from programmes.models import Commitment, CommitmentStatus, CommitmentUpdate, UpdateStatus
from reporting import services
from tests.programmes.factories import CommitmentFactory, CommitmentUpdateFactory

pytestmark = pytest.mark.django_db

FINISHED = {CommitmentStatus.COMPLETE, CommitmentStatus.CLOSED}


@pytest.fixture
def mixed(plan_world):
    """Commitments of every kind for the current period (plan_world adds one open commitment
    with nothing sent)."""
    w = plan_world
    period = w.current

    def commitment(status, update=None, rag="green"):
        c = CommitmentFactory(plan=w.plan, group=w.group, status=status)
        if update:
            CommitmentUpdateFactory(commitment=c, period=period, rag=rag, **{update: True})
        return c

    commitment(CommitmentStatus.ON_TRACK, "submitted", "green")
    commitment(CommitmentStatus.AT_RISK, "submitted", "red")
    commitment(CommitmentStatus.OFF_TRACK, "submitted", "amber")
    commitment(CommitmentStatus.NOT_STARTED, "draft")
    commitment(CommitmentStatus.ON_TRACK)  # missing
    commitment(CommitmentStatus.COMPLETE, "submitted", "complete")  # finished but reported
    commitment(CommitmentStatus.COMPLETE)  # finished: not due
    commitment(CommitmentStatus.COMPLETE, "draft")  # finished: its draft is not counted
    commitment(CommitmentStatus.CLOSED)  # closed: not due
    # Last quarter's updates do not count for this one.
    CommitmentUpdateFactory(commitment=w.commitment, period=w.previous, submitted=True)
    return w


def _by_hand(programme, period):
    due = submitted = drafts = 0
    for c in Commitment.objects.filter(plan__programme=programme):
        update = CommitmentUpdate.objects.filter(commitment=c, period=period).first()
        is_submitted = update is not None and update.status == UpdateStatus.SUBMITTED
        if c.status in FINISHED and not is_submitted:
            continue
        due += 1
        submitted += is_submitted
        drafts += update is not None and update.status == UpdateStatus.DRAFT
    return {"total": due, "submitted": submitted, "missing": due - submitted, "drafts": drafts}


def _figures(summary):
    return {k: summary[k] for k in ("total", "submitted", "missing", "drafts")}


def test_overview_lock_page_grid_and_report_agree(mixed, client_as):
    w = mixed
    expected = _by_hand(w.programme, w.current)
    assert expected == {"total": 7, "submitted": 4, "missing": 3, "drafts": 1}

    (overview,) = selectors.programme_period_summaries([w.programme])
    lock = selectors.programme_period_summary(w.programme, period=w.current)
    assert overview["period"] == lock["period"] == w.current
    assert _figures(overview) == _figures(lock) == expected
    assert sum(count for _, count, _ in overview["rag"]) == expected["submitted"]

    grid = selectors.commitment_grid(w.plan)
    assert (grid.submitted, grid.missing, grid.drafts) == (4, 3, 1)

    report = services.report_compile_now(programme=w.programme, period=w.current)
    headline = next(s["data"] for s in report.snapshot["sections"] if s["key"] == "headline")
    assert (headline["submitted"], headline["due"]) == (4, 7)

    client = client_as(w.manager)
    page = client.get(reverse("programmes:overview")).content.decode()
    assert re.search(r"Submitted</dt>\s*<dd[^>]*>4 of 7<", page)
    lock_url = reverse("programmes:period-lock", args=[w.programme.slug, w.current.label])
    assert "4 of 7 updates are submitted" in client.get(lock_url).content.decode()
    report_page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "4 of 7 commitments due an update had one submitted" in report_page


def test_a_programme_without_a_current_period_has_nothing_submitted(programme):
    CommitmentFactory(plan__programme=programme)
    (summary,) = selectors.programme_period_summaries([programme])
    assert summary["period"] is None
    assert _figures(summary) == {"total": 1, "submitted": 0, "missing": 1, "drafts": 0}
    assert selectors.programme_period_summary(programme) == summary
