import hashlib
import json
import logging

from celery import current_app
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cpw.core.jobs import StuckJobRules, SweepResult, stuck_job_fail, stuck_jobs_sweep
from cpw.core.queueing import enqueue_long_running_on_commit, require_queue
from programmes.models import PeriodStatus, Programme, ReportingPeriod
from programmes.periods import period_name

from .compare import missing_updates
from .models import ACTIVE_JOB_STATUSES, JobStatus, QuarterlyReport, ReportCompileJob, ReportStatus
from .notifications import notify_report_recipients
from .printed import render_pdf
from .render import render_xlsx
from .sections import configured_sections

logger = logging.getLogger(__name__)

COMPILE_SOFT_TIME_LIMIT = 240  # seconds; the compile task's limits
COMPILE_TIME_LIMIT = 300

STUCK_COMPILES = StuckJobRules(
    task_name="reporting.compile_report",
    time_limit=COMPILE_TIME_LIMIT,
    queued=JobStatus.QUEUED,
    running=JobStatus.RUNNING,
    failed=JobStatus.FAILED,
    failed_fields=("finished_at",),
    never_started_message=(
        "The compile never started: the portal could not hand it to its background worker, "
        "even after trying again. Nothing was saved. Compile the report again, and contact "
        "the portal's support team if it happens again."
    ),
    stopped_message=(
        "The compile stopped part-way through and did not finish, even after trying again. "
        "Nothing was saved. Compile the report again, and contact the portal's support team "
        "if it happens again."
    ),
)
SUPERSEDED_MESSAGE = (
    "This compile stopped responding, so it was replaced by a new compile when someone asked "
    "for the report again. Nothing from it was saved."
)


class ReportPublished(ValidationError):
    pass


def ensure_period_can_be_reported(period: ReportingPeriod, today=None) -> None:
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError(
            f"{period_name(period)} has not started yet (it starts on {period.start:%-d %B %Y}), "
            "so there is nothing to report."
        )


def _job_update(job_id: int, **fields) -> None:
    """Record progress outside the compile's own transaction, so the manager sees it."""
    ReportCompileJob.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


@transaction.atomic
def report_compile_request(
    *, programme: Programme, period: ReportingPeriod, user=None, trigger: str = "manual"
) -> tuple[ReportCompileJob, bool]:
    """Queue a compile, or return the one already queued or running for this period (so two
    clicks give one job). Returns (job, created)."""
    if period.programme_id != programme.pk:
        raise ValidationError(
            f"{period_name(period)} is not a reporting period of {programme.name}"
        )
    ensure_period_can_be_reported(period)
    _supersede_stuck_compiles(programme=programme, period=period)
    active = (
        ReportCompileJob.objects.select_for_update()
        .filter(programme=programme, period=period, status__in=ACTIVE_JOB_STATUSES)
        .first()
    )
    if active:
        return active, False
    require_queue()
    try:
        with transaction.atomic():
            job = ReportCompileJob.objects.create(
                programme=programme, period=period, requested_by=user, trigger=trigger
            )
    except IntegrityError:  # another request created it between our check and insert
        job = ReportCompileJob.objects.get(
            programme=programme, period=period, status__in=ACTIVE_JOB_STATUSES
        )
        return job, False
    enqueue_long_running_on_commit(current_app.tasks[STUCK_COMPILES.task_name], job.pk)
    return job, True


def build_snapshot(*, programme: Programme, period: ReportingPeriod, job_id: int | None = None):
    """Read every section's data now, as plain JSON. Progress is reported per section."""
    as_of = timezone.now()
    sections = configured_sections()
    built = []
    for index, section in enumerate(sections):
        if job_id:
            _job_update(
                job_id,
                progress=int(90 * index / max(len(sections), 1)),
                stage=f"Collecting {section.title_for(programme).lower()}",
            )
        data = section.build(programme=programme, period=period, as_of=as_of)
        built.append(
            {
                "key": section.key,
                "title": section.title_for(programme),
                "template": section.template,
                "data": data,
            }
        )
    snapshot = {
        "title": f"{programme.name}: steering group report for {period_name(period, programme)}",
        "programme": {
            "name": programme.name,
            "short_name": programme.short_name,
            "council": programme.council.name,
            "slug": programme.slug,
        },
        "period": {
            "label": period.label,
            "name": period_name(period, programme),
            "start": period.start,
            "end": period.end,
        },
        "data_as_of": as_of,
        "sections": built,
    }
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder)), as_of


def snapshot_digest(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()


def report_compile_run(*, job_id: int) -> QuarterlyReport | None:
    """Compile the report for one job. Safe to run again for the same job (a redelivered task
    after a worker died): a finished job is left alone, and the report is written in one
    transaction together with the job's result, so it exists whole or not at all."""
    with transaction.atomic():
        job = (
            ReportCompileJob.objects.select_for_update()
            .select_related("programme", "period")
            .get(pk=job_id)
        )
        if job.status == JobStatus.SUCCEEDED:
            return job.report
        if job.status == JobStatus.FAILED:
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()  # this attempt's start: the sweep times it out
        job.stage = "Starting"
        job.save(update_fields=["status", "attempts", "started_at", "stage", "updated_at"])
    try:
        snapshot, as_of = build_snapshot(programme=job.programme, period=job.period, job_id=job.pk)
        _job_update(job.pk, progress=90, stage="Writing the PDF and spreadsheet")
        pdf = render_pdf(snapshot)
        xlsx = render_xlsx(snapshot)
        with transaction.atomic():
            job = ReportCompileJob.objects.select_for_update().get(pk=job_id)
            if job.report_id:
                return job.report
            latest = (
                QuarterlyReport.objects.select_for_update()
                .filter(programme_id=job.programme_id, period_id=job.period_id)
                .aggregate(v=Max("version"))["v"]
            )
            report = QuarterlyReport.objects.create(
                programme_id=job.programme_id,
                period_id=job.period_id,
                version=(latest or 0) + 1,
                snapshot=snapshot,
                snapshot_sha256=snapshot_digest(snapshot),
                pdf=pdf,
                xlsx=xlsx,
                data_as_of=as_of,
                compiled_by_id=job.requested_by_id,
            )
            job.report = report
            job.status = JobStatus.SUCCEEDED
            job.progress = 100
            job.stage = "Finished"
            job.finished_at = timezone.now()
            job.error = ""
            job.save(
                update_fields=[
                    "report",
                    "status",
                    "progress",
                    "stage",
                    "finished_at",
                    "error",
                    "updated_at",
                ]
            )
        return report
    except Exception as exc:
        logger.exception("Compiling report job %s failed", job_id)
        _job_update(
            job_id,
            status=JobStatus.FAILED,
            stage="Failed",
            error=f"{type(exc).__name__}: {exc}"[:4000],
            finished_at=timezone.now(),
        )
        raise


def report_compile_now(
    *, programme: Programme, period: ReportingPeriod, user=None, trigger: str = "command"
) -> QuarterlyReport:
    """Compile in this process (the management command), through the same job record."""
    ensure_period_can_be_reported(period)
    with transaction.atomic():
        _supersede_stuck_compiles(programme=programme, period=period)
        active = (
            ReportCompileJob.objects.select_for_update()
            .filter(programme=programme, period=period, status__in=ACTIVE_JOB_STATUSES)
            .first()
        )
        if active:
            raise ValidationError(
                f"A compile of {period_name(period)} is already {active.get_status_display().lower()}. "
                "Wait for it to finish."
            )
        job = ReportCompileJob.objects.create(
            programme=programme, period=period, requested_by=user, trigger=trigger
        )
    return report_compile_run(job_id=job.pk)


@transaction.atomic
def report_publish(*, report: QuarterlyReport, user, reason: str = "") -> QuarterlyReport:
    """Publish a compiled version. With updates missing from it, only with a stated reason
    (kept on the report and shown to its readers)."""
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ReportPublished(f"Version {report.version} is already published")
    missing = missing_updates(report.snapshot)
    reason = (reason or "").strip()
    if missing and not reason:
        raise ValidationError(
            {
                "reason": f"{missing} update{' is' if missing == 1 else 's are'} missing from "
                "this report. Enter why it should be published with gaps, or wait for them "
                "and compile again"
            }
        )
    require_queue()  # the bodies that receive it are emailed
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = user
    report.publish_reason = reason if missing else ""
    report.save(
        update_fields=["status", "published_at", "published_by", "publish_reason", "updated_at"]
    )

    notify_report_recipients(report=report)
    return report


def _supersede_stuck_compiles(*, programme: Programme, period: ReportingPeriod) -> int:
    """Fail this period's queued or running compile if it can no longer be making progress, so
    that asking again starts a new one instead of waiting for it for ever (the caller holds the
    transaction)."""
    now = timezone.now()
    stuck = list(
        ReportCompileJob.objects.select_for_update().filter(
            STUCK_COMPILES.stale(now), programme=programme, period=period
        )
    )
    for job in stuck:
        stuck_job_fail(job, STUCK_COMPILES, now=now, message=SUPERSEDED_MESSAGE)
    return len(stuck)


def report_compile_jobs_sweep(*, now=None) -> SweepResult:
    """Celery beat: queue again the compiles that never started or whose worker vanished, and
    fail those already tried `STUCK_COMPILES.max_requeues` times (see cpw.core.jobs)."""
    return stuck_jobs_sweep(ReportCompileJob.objects.all(), STUCK_COMPILES, now=now)


def report_compile_locked_periods() -> int:
    """Celery beat: compile every locked period that has no report and no compile under way."""
    periods = (
        ReportingPeriod.objects.filter(status=PeriodStatus.LOCKED)
        .exclude(quarterly_reports__isnull=False)
        .exclude(report_jobs__status__in=[*ACTIVE_JOB_STATUSES, JobStatus.FAILED])
        .select_related("programme")
    )
    queued = 0
    for period in periods:
        try:
            _, created = report_compile_request(
                programme=period.programme, period=period, trigger="period locked"
            )
        except ValidationError:
            continue
        queued += int(created)
    return queued
