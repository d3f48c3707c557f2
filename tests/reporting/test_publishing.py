"""Safe publishing: a period locks only after its deadline (or earlier with a reason kept in its
history), publishing with missing updates needs a reason, and the review page says what
changed since the last published report. PDFs are stand-ins here (no rendering)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cpw.accounts.models import Role
from programmes.models import RAG, PeriodStatus
from programmes.services import reporting_period_lock, reporting_periods_ensure
from reporting import services
from tests.accounts.factories import user_with_role
from tests.isolation import stand_in_pdf
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    DeliveryPlanFactory,
    GroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_pdf_rendering():
    with mock.patch("reporting.services.render_pdf", side_effect=stand_in_pdf):
        yield


@pytest.fixture
def periods(programme):
    return reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q2")


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


@pytest.fixture
def commitments(programme):
    plan = DeliveryPlanFactory(programme=programme)
    group = GroupFactory(plan=plan)
    return [CommitmentFactory(plan=plan, group=group, title=f"Commitment {n}") for n in range(3)]


def test_locking_before_the_deadline_is_refused_without_a_reason(periods, manager):
    q1 = periods[0]  # updates due by 14 July 2024
    with pytest.raises(ValidationError) as error:
        reporting_period_lock(period=q1, user=manager, today=datetime.date(2024, 7, 1))
    assert "due by 14 July 2024" in str(error.value)
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.OPEN

    reporting_period_lock(
        period=q1, user=manager, reason="The board meets early", today=datetime.date(2024, 7, 1)
    )
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.LOCKED and q1.lock_reason == "The board meets early"
    latest = q1.history.latest()
    assert latest.lock_reason == "The board meets early"
    assert latest.history_change_reason == "Locked early: The board meets early"


def test_locking_after_the_deadline_needs_no_reason(periods, manager):
    q1 = periods[0]
    reporting_period_lock(period=q1, user=manager, today=datetime.date(2024, 7, 15))
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.LOCKED
    assert q1.history.latest().history_change_reason == "Locked after the update deadline"


def test_the_lock_page_asks_for_the_reason_before_the_deadline(programme, manager, client_as):
    # The current quarter: its deadline is still to come.
    from programmes.periods import financial_quarter, label_for

    label = label_for(*financial_quarter(datetime.date.today()))
    reporting_periods_ensure(programme=programme, first=label, last=label)
    url = reverse("programmes:period-lock", args=[programme.slug, label])
    client = client_as(manager)
    assert "say why" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Enter why it must be locked before then" in response.content.decode()
    response = client.post(url, {"reason": "The steering group meets next week"})
    assert response.status_code == 302
    period = programme.reporting_periods.get(label=label)
    assert period.is_locked and period.lock_reason == "The steering group meets next week"


def test_publishing_with_missing_updates_needs_a_reason(
    programme, periods, manager, commitments, client_as, django_capture_on_commit_callbacks
):
    q1 = periods[0]
    CommitmentUpdateFactory(commitment=commitments[0], period=q1, rag=RAG.GREEN, submitted=True)
    report = services.report_compile_now(programme=programme, period=q1)
    url = reverse("reports:publish", args=[report.pk])
    client = client_as(manager)
    html = client.get(url).content.decode()
    assert "2 updates are missing from this version" in html
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "2 updates are missing from this report" in response.content.decode()
    report.refresh_from_db()
    assert not report.is_published

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Two leads are on leave; they report next time"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published
    assert report.publish_reason == "Two leads are on leave; they report next time"
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Two leads are on leave" in detail


def test_the_review_page_says_what_changed_since_the_last_published_report(
    programme, periods, manager, commitments, client_as
):
    q1, q2 = periods
    for c in commitments:
        CommitmentUpdateFactory(commitment=c, period=q1, rag=RAG.GREEN, submitted=True)
    services.report_publish(
        report=services.report_compile_now(programme=programme, period=q1), user=manager
    )
    CommitmentUpdateFactory(commitment=commitments[0], period=q2, rag=RAG.RED, submitted=True)
    draft = services.report_compile_now(programme=programme, period=q2)
    html = client_as(manager).get(reverse("reports:publish", args=[draft.pk])).content.decode()
    assert "What changed since the last published report" in html
    assert "Commitment 0: Green → Red" in html
    assert "Commitment 1: Green → No update" in html
    assert "Updates submitted: 3 → 1" in html


def test_without_a_broker_compile_now_starts_a_thread_instead_of_compiling_in_the_request(
    programme, periods, manager, client_as, settings, django_capture_on_commit_callbacks
):
    from reporting.models import JobStatus, ReportCompileJob

    settings.EAGER_LONG_TASKS_IN_THREAD = True
    started = []
    url = reverse("reports:compile", args=[programme.slug, periods[0].label])
    with (
        mock.patch(
            "cpw.core.queueing._start_thread",
            side_effect=lambda task, args: started.append((task.name, args)),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_as(manager).post(url)
    job = ReportCompileJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED  # nothing ran inside the request
    assert started == [("reporting.compile_report", (job.pk,))]


def test_with_a_broker_compile_now_queues_the_task_as_before(
    programme, periods, manager, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EAGER_LONG_TASKS_IN_THREAD = True
    url = reverse("reports:compile", args=[programme.slug, periods[0].label])
    with (
        mock.patch("cpw.core.queueing.broker_reachable", return_value=True),
        mock.patch("cpw.core.queueing._start_thread") as thread,
        mock.patch("celery.app.task.Task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client_as(manager).post(url)
    thread.assert_not_called()
    apply_async.assert_called_once()
