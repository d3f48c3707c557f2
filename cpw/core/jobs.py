"""Background jobs that are never stuck.

A job row (a report compile, an officer's export) says "queued" when it is saved and "running"
when a worker picks it up. Two things can leave it there for ever: the task was never handed to
the broker (queueing failed after the commit), or the worker died without recording anything (a
killed process, the hard time limit). A periodic sweep finds both, from timestamps alone, and
either queues the job again or, after `max_requeues` tries, marks it failed with a message in
plain English that the job's page shows.

- queued: not started within `queued_grace` of being queued (its `updated_at`; queueing it again
  moves that on, so the sweep waits a full grace period before the next try);
- running: started (`started_at`, the current attempt's start) longer ago than the task's hard
  time limit plus `margin`. No run can be alive by then: Celery kills it at the hard limit.

The sweep is idempotent: a job it has dealt with is fresh again (or finished), so running it
twice in a row changes nothing the second time. Jobs are queued again only after the sweep's
transaction commits.
"""

import datetime
from dataclasses import dataclass

from celery import current_app
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .queueing import enqueue_on_commit


@dataclass(frozen=True)
class StuckJobRules:
    task_name: str  # the Celery task that runs the job, called with the job's id
    time_limit: int  # that task's hard time limit, in seconds
    queued: str  # the job model's status values
    running: str
    failed: str
    never_started_message: str  # shown on the job's page when queueing kept failing
    stopped_message: str  # shown when the worker kept vanishing mid-run
    queued_grace: datetime.timedelta = datetime.timedelta(minutes=10)
    margin: datetime.timedelta = datetime.timedelta(minutes=5)
    max_requeues: int = 3
    failed_fields: tuple[str, ...] = ()  # extra fields set to `now` on failure, e.g. finished_at

    @property
    def run_limit(self) -> datetime.timedelta:
        """How long a run can possibly last: the task's hard time limit plus the margin."""
        return datetime.timedelta(seconds=self.time_limit) + self.margin

    def stale(self, now: datetime.datetime) -> Q:
        """Jobs that are queued or running but can no longer be making progress."""
        return Q(status=self.queued, updated_at__lt=now - self.queued_grace) | Q(
            status=self.running, started_at__lt=now - self.run_limit
        )


@dataclass
class SweepResult:
    requeued: int = 0
    failed: int = 0

    @property
    def changed(self) -> int:
        return self.requeued + self.failed


def stuck_jobs_sweep(
    jobs: QuerySet, rules: StuckJobRules, *, now: datetime.datetime | None = None, batch=500
) -> SweepResult:
    """Queue again, or fail, every stale job in `jobs` (see the module docstring)."""
    now = now or timezone.now()
    result = SweepResult()
    ids = list(jobs.filter(rules.stale(now)).order_by("pk").values_list("pk", flat=True)[:batch])
    for pk in ids:
        with transaction.atomic():
            job = (
                jobs.model.objects.select_for_update(skip_locked=True)
                .filter(rules.stale(now), pk=pk)
                .first()
            )
            if job is None:  # it moved on since, or another sweep is dealing with it
                continue
            if job.requeues >= rules.max_requeues:
                stuck_job_fail(job, rules, now=now)
                result.failed += 1
            else:
                _requeue(job, rules, now=now)
                result.requeued += 1
    return result


def stuck_job_fail(
    job: Model, rules: StuckJobRules, *, now: datetime.datetime, message: str | None = None
) -> None:
    """Mark one stale job failed, with the plain-English reason its page shows."""
    if message is None:
        message = (
            rules.stopped_message if job.status == rules.running else rules.never_started_message
        )
    type(job).objects.filter(pk=job.pk).update(
        status=rules.failed,
        error=message,
        updated_at=now,
        **{field: now for field in rules.failed_fields},
    )


def _requeue(job: Model, rules: StuckJobRules, *, now: datetime.datetime) -> None:
    type(job).objects.filter(pk=job.pk).update(
        status=rules.queued, requeues=job.requeues + 1, updated_at=now
    )
    enqueue_on_commit(current_app.tasks[rules.task_name], job.pk)
