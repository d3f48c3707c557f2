"""Officers' exports: application lists (CSV/XLSX, in the background when large) and the
panel's scores and comments (XLSX)."""

import csv
import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cpw.core.queueing import enqueue_on_commit, require_queue

from .models import ExportJob, Fund, Round
from .selectors import application_list, panel

logger = logging.getLogger(__name__)

INLINE_LIMIT = 500
EXPORT_FAILED_MESSAGE = (
    "The export could not be prepared because something went wrong while building the file. "
    "Start the export again, and contact the portal's support team if it fails again."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    "Reference",
    "Organisation",
    "Organisation type",
    "Project title",
    "Round",
    "Status",
    "Capital requested",
    "Revenue requested",
    "Submitted",
    "Open flags",
]


def application_rows(queryset):
    yield HEADERS
    for a in queryset.iterator(chunk_size=500):
        yield [
            a.reference,
            a.organisation.name,
            a.organisation.get_kind_display(),
            a.project_title,
            a.round.name,
            a.get_status_display(),
            float(a.amount_capital),
            float(a.amount_revenue),
            a.submitted_at.date().isoformat() if a.submitted_at else "",
            a.open_flags,
        ]


def _xlsx(rows, title="applications") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def applications_file(queryset, file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        return _xlsx(application_rows(queryset)), XLSX
    buffer = io.StringIO()
    csv.writer(buffer).writerows(application_rows(queryset))
    return buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"


@transaction.atomic
def export_job_start(*, fund: Fund, user, file_format: str) -> ExportJob:
    require_queue()
    from .tasks import build_export

    job = ExportJob.objects.create(fund=fund, requested_by=user, file_format=file_format)
    enqueue_on_commit(build_export, job.pk)
    return job


def export_job_build(*, job_id: int) -> ExportJob:
    """Build the file for a queued export (idempotent: a ready or failed job is left alone).
    The job says "running" from its start, so the stuck-jobs sweep can tell a vanished worker
    (`funds.services.export_jobs_sweep`)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("fund").get(pk=job_id)
        if job.status in (ExportJob.Status.READY, ExportJob.Status.FAILED):
            return job
        job.status = ExportJob.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "updated_at"])
    try:
        content, _ = applications_file(application_list(fund=job.fund), job.file_format)
    except Exception:
        logger.exception("Building export job %s failed", job_id)
        job.status = ExportJob.Status.FAILED
        job.error = EXPORT_FAILED_MESSAGE
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    job.file.save(f"applications-{job.pk}.{job.file_format}", ContentFile(content), save=False)
    job.status = ExportJob.Status.READY
    job.save(update_fields=["file", "status", "updated_at"])
    return job


def panel_xlsx(round: Round) -> bytes:
    data = panel(round)
    criteria = data["criteria"]
    scores = [
        [
            "Reference",
            "Organisation",
            "Assessor",
            *[f"{c.name} (weight {c.weight})" for c in criteria],
            "Weighted mean",
        ]
    ]
    comments = [["Reference", "Assessor", "Criterion", "Score", "Justification"]]
    for row in data["rows"]:
        application = row["application"]
        for assessor in row["assessors"]:
            scores.append(
                [
                    application.reference,
                    application.organisation.name,
                    str(assessor["assignment"].assessor),
                    *[
                        ("Abstained" if cell.abstained else cell.score) if cell else ""
                        for cell in assessor["cells"]
                    ],
                    float(assessor["mean"]) if assessor["mean"] is not None else "",
                ]
            )
            for criterion, cell in zip(criteria, assessor["cells"], strict=True):
                if cell:
                    comments.append(
                        [
                            application.reference,
                            str(assessor["assignment"].assessor),
                            criterion.name,
                            "Abstained" if cell.abstained else cell.score,
                            cell.justification,
                        ]
                    )
        for comment in application.comments.all():
            comments.append(
                [application.reference, str(comment.author), "Comment", "", comment.text]
            )
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Scores"
    for r in scores:
        sheet.append(r)
    sheet2 = workbook.create_sheet("Comments")
    for r in comments:
        sheet2.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
