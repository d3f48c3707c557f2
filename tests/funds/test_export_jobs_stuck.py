"""Nothing stuck: an officer's background export whose task was never sent, or whose worker
vanished past the task's hard time limit, is queued again by the beat sweep and failed with a
plain-English message after the last try."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.celery import app
from funds import services, tasks
from funds.models import ExportJob
from tests.accounts.factories import user_with_role
from tests.funds.factories import ApplicationFactory, FundFactory, RoundFactory

pytestmark = pytest.mark.django_db

RULES = services.STUCK_EXPORTS
MINUTE = datetime.timedelta(minutes=1)
Status = ExportJob.Status


@pytest.fixture
def officer(programme):
    return user_with_role(Role.OFFICER, programme)


@pytest.fixture
def fund(programme):
    fund = FundFactory(programme=programme)
    ApplicationFactory(round=RoundFactory(fund=fund), submitted=True, project_title="Pantry")
    return fund


def _job(fund, user, *, status, age, requeues=0, attempts=0):
    job = ExportJob.objects.create(fund=fund, requested_by=user, file_format="csv")
    when = timezone.now() - age
    ExportJob.objects.filter(pk=job.pk).update(
        status=status,
        updated_at=when,
        started_at=when if status == Status.RUNNING else None,
        requeues=requeues,
        attempts=attempts,
    )
    job.refresh_from_db()
    return job


def test_an_export_whose_task_was_never_sent_is_queued_again_and_completes(
    fund, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost it after commit
        job = services.export_job_start(fund=fund, user=officer, file_format="csv")
    assert services.export_jobs_sweep().changed == 0  # just queued: not stuck yet
    ExportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - RULES.queued_grace - MINUTE
    )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        result = services.export_jobs_sweep()
    assert (result.requeued, result.failed, len(queued)) == (1, 0, 1)
    job.refresh_from_db()
    assert job.status == Status.READY and job.requeues == 1 and job.attempts == 1
    assert b"Pantry" in job.file.read()


def test_an_export_running_past_the_hard_time_limit_is_queued_again_and_completes(
    fund, officer, django_capture_on_commit_callbacks
):
    assert RULES.run_limit == datetime.timedelta(seconds=tasks.build_export.time_limit) + (
        RULES.margin
    )
    job = _job(fund, officer, status=Status.RUNNING, age=RULES.run_limit - MINUTE, attempts=1)
    assert services.export_jobs_sweep().changed == 0  # may still be running: left alone
    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - RULES.run_limit - MINUTE)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.export_jobs_sweep().requeued == 1
    job.refresh_from_db()
    assert job.status == Status.QUEUED and job.requeues == 1
    queued[0]()
    job.refresh_from_db()
    assert job.status == Status.READY and job.attempts == 2


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING])
def test_after_the_last_try_a_stuck_export_fails_with_a_message_the_page_shows(
    fund, officer, client_as, status, django_capture_on_commit_callbacks
):
    job = _job(
        fund,
        officer,
        status=status,
        age=RULES.run_limit + RULES.queued_grace + MINUTE,
        requeues=RULES.max_requeues,
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = services.export_jobs_sweep()
    assert (result.requeued, result.failed, len(queued)) == (0, 1, 0)
    job.refresh_from_db()
    expected = RULES.stopped_message if status == Status.RUNNING else RULES.never_started_message
    assert job.status == Status.FAILED and job.error == expected
    page = client_as(officer).get(reverse("funds:export-job", args=[job.pk])).content.decode()
    assert expected.split(",")[0] in page


def test_the_sweep_is_idempotent(fund, officer, django_capture_on_commit_callbacks):
    old = RULES.run_limit + RULES.queued_grace + MINUTE
    _job(fund, officer, status=Status.QUEUED, age=old)
    _job(fund, officer, status=Status.RUNNING, age=old, attempts=1)
    _job(fund, officer, status=Status.QUEUED, age=old, requeues=RULES.max_requeues)
    _job(fund, officer, status=Status.QUEUED, age=MINUTE)  # fresh
    _job(fund, officer, status=Status.READY, age=old)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = services.export_jobs_sweep()
    assert (first.requeued, first.failed, len(queued)) == (2, 1, 2)
    after_first = list(ExportJob.objects.order_by("pk").values())
    with django_capture_on_commit_callbacks(execute=False) as queued_again:
        assert services.export_jobs_sweep().changed == 0
    assert not queued_again
    assert list(ExportJob.objects.order_by("pk").values()) == after_first


def test_a_redelivered_task_leaves_a_failed_export_alone(fund, officer):
    job = _job(fund, officer, status=Status.FAILED, age=MINUTE)
    services.export_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.attempts == 0 and not job.file


def test_the_sweep_is_a_beat_task_with_limits_and_late_acks():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "funds.tasks.sweep_stuck_exports"
    )
    assert entry["schedule"] <= 300
    task = app.tasks["funds.tasks.sweep_stuck_exports"]
    assert task.acks_late and task.soft_time_limit and task.time_limit > task.soft_time_limit
    assert app.tasks[RULES.task_name].name == tasks.build_export.name
    assert RULES.time_limit == tasks.build_export.time_limit
