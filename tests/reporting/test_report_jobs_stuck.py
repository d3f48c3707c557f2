"""Nothing stuck: a compile whose task was never sent, or whose worker vanished, is queued again
by the beat sweep, failed with a plain-English message after the last try, and never stops a
later compile."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.celery import app
from programmes.services import reporting_periods_ensure
from reporting import services, tasks
from reporting.models import JobStatus, QuarterlyReport, ReportCompileJob
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db

RULES = services.STUCK_COMPILES
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def periods(programme):
    return reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q4")


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


def _job(programme, period, *, status, age, requeues=0, attempts=0):
    """A job in `status` whose last change (queued) or current attempt (running) is `age` old."""
    job = ReportCompileJob.objects.create(programme=programme, period=period, status=status)
    when = timezone.now() - age
    ReportCompileJob.objects.filter(pk=job.pk).update(
        updated_at=when,
        started_at=when if status == JobStatus.RUNNING else None,
        requeues=requeues,
        attempts=attempts,
    )
    job.refresh_from_db()
    return job


def _state():
    return list(ReportCompileJob.objects.order_by("pk").values())


def test_a_compile_whose_task_was_never_sent_is_queued_again_and_completes(
    programme, periods, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost it after commit
        job, created = services.report_compile_request(programme=programme, period=periods[0])
    assert created
    assert services.report_compile_jobs_sweep().changed == 0  # just queued: not stuck yet

    ReportCompileJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - RULES.queued_grace - MINUTE
    )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        result = services.report_compile_jobs_sweep()
    assert (result.requeued, result.failed) == (1, 0)
    assert len(queued) == 1  # queued once, after the sweep committed
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.requeues == 1 and job.attempts == 1
    assert QuarterlyReport.objects.get().version == 1


def test_a_compile_running_past_the_hard_time_limit_is_queued_again_and_completes(
    programme, periods, django_capture_on_commit_callbacks
):
    limit = datetime.timedelta(seconds=tasks.compile_report.time_limit)
    assert RULES.run_limit == limit + RULES.margin
    alive = _job(programme, periods[0], status=JobStatus.RUNNING, age=limit, attempts=1)
    assert services.report_compile_jobs_sweep().changed == 0  # within the limit: left alone
    ReportCompileJob.objects.filter(pk=alive.pk).update(
        started_at=timezone.now() - RULES.run_limit - MINUTE
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = services.report_compile_jobs_sweep()
    assert (result.requeued, result.failed) == (1, 0)
    alive.refresh_from_db()
    assert alive.status == JobStatus.QUEUED and alive.requeues == 1
    queued[0]()  # the re-sent task runs
    alive.refresh_from_db()
    assert alive.status == JobStatus.SUCCEEDED and alive.attempts == 2
    assert QuarterlyReport.objects.filter(period=periods[0]).count() == 1


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_after_the_last_try_a_stuck_compile_fails_with_a_message_the_page_shows(
    client_as, manager, programme, periods, status, django_capture_on_commit_callbacks
):
    job = _job(
        programme,
        periods[0],
        status=status,
        age=RULES.run_limit + RULES.queued_grace + MINUTE,
        requeues=RULES.max_requeues,
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = services.report_compile_jobs_sweep()
    assert (result.requeued, result.failed) == (0, 1)
    assert not queued
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    expected = RULES.stopped_message if status == JobStatus.RUNNING else RULES.never_started_message
    assert job.error == expected
    client = client_as(manager)
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "did not finish" in page or "never started" in page
    assert "Try compiling again" in page
    assert client.get(reverse("reports:job-status", args=[job.pk])).json()["error"] == expected


def test_the_sweep_is_idempotent(programme, periods, django_capture_on_commit_callbacks):
    old = RULES.run_limit + RULES.queued_grace + MINUTE
    _job(programme, periods[0], status=JobStatus.QUEUED, age=old)
    _job(programme, periods[1], status=JobStatus.RUNNING, age=old, attempts=1)
    _job(programme, periods[2], status=JobStatus.RUNNING, age=old, requeues=RULES.max_requeues)
    _job(programme, periods[3], status=JobStatus.RUNNING, age=MINUTE)  # alive
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = services.report_compile_jobs_sweep()
    assert (first.requeued, first.failed, len(queued)) == (2, 1, 2)
    after_first = _state()
    with django_capture_on_commit_callbacks(execute=False) as queued_again:
        second = services.report_compile_jobs_sweep()
    assert second.changed == 0 and not queued_again
    assert _state() == after_first


def test_compile_now_after_a_stuck_compile_starts_a_new_one_that_succeeds(
    client_as, manager, programme, periods, django_capture_on_commit_callbacks
):
    stuck = _job(
        programme, periods[0], status=JobStatus.RUNNING, age=RULES.run_limit + MINUTE, attempts=1
    )
    client = client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:compile", args=[programme.slug, "2024-Q1"]))
    new = ReportCompileJob.objects.exclude(pk=stuck.pk).get()
    assert response["Location"] == reverse("reports:job", args=[new.pk])
    new.refresh_from_db()
    stuck.refresh_from_db()
    assert new.status == JobStatus.SUCCEEDED and new.report.version == 1
    assert stuck.status == JobStatus.FAILED and stuck.error == services.SUPERSEDED_MESSAGE


def test_a_compile_that_is_still_alive_is_not_replaced(
    client_as, manager, programme, periods, django_capture_on_commit_callbacks
):
    alive = _job(programme, periods[0], status=JobStatus.RUNNING, age=MINUTE, attempts=1)
    client = client_as(manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("reports:compile", args=[programme.slug, "2024-Q1"]), follow=True
        )
    assert "already under way" in response.content.decode()
    assert ReportCompileJob.objects.get() == alive and not queued


def test_the_compile_command_after_a_stuck_compile_succeeds(programme, periods):
    stuck = _job(programme, periods[0], status=JobStatus.QUEUED, age=RULES.queued_grace + MINUTE)
    report = services.report_compile_now(programme=programme, period=periods[0])
    assert report.version == 1
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED


def test_the_sweep_is_a_beat_task_with_limits_and_late_acks():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "reporting.sweep_stuck_compiles"
    )
    assert entry["schedule"] <= 300
    task = app.tasks["reporting.sweep_stuck_compiles"]
    assert task.acks_late and task.soft_time_limit and task.time_limit > task.soft_time_limit
    assert app.tasks[RULES.task_name].name == tasks.compile_report.name
    assert RULES.time_limit == tasks.compile_report.time_limit
