from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from programmes.models import Programme, ReportingPeriod

from .models import QuarterlyReport, ReportCompileJob, ReportStatus

LIST_FIELDS = [
    "id",
    "programme_id",
    "period_id",
    "version",
    "status",
    "data_as_of",
    "published_at",
    "created_at",
    "snapshot_sha256",
]


def report_get(pk: int) -> QuarterlyReport:
    """A report version with its programme and period; 404 when there is none. Who may see it
    is for the rules (reporting/rules.py)."""
    report = QuarterlyReport.objects.select_related("programme", "period").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


def job_get(pk: int) -> ReportCompileJob:
    job = (
        ReportCompileJob.objects.select_related("programme", "period", "report")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404("No such job")
    return job


def report_periods_for_programme(programme: Programme, *, manager: bool) -> list:
    """Each period of the programme with its report versions (newest first): every version for
    its managers, with the latest compile job; the published ones for everyone else."""
    reports = QuarterlyReport.objects.filter(programme=programme)
    if not manager:
        reports = reports.filter(status=ReportStatus.PUBLISHED)
    reports = reports.only(*LIST_FIELDS).order_by("-version")
    jobs = ReportCompileJob.objects.filter(programme=programme).order_by("-created_at")
    periods = ReportingPeriod.objects.filter(programme=programme).order_by("-start")
    periods = periods.prefetch_related(
        Prefetch("quarterly_reports", queryset=reports, to_attr="visible_reports")
    )
    if manager:
        periods = periods.prefetch_related(Prefetch("report_jobs", queryset=jobs, to_attr="jobs"))
    result = []
    for period in periods:
        result.append(
            {
                "period": period,
                "reports": period.visible_reports,
                "latest_job": period.jobs[0] if manager and period.jobs else None,
            }
        )
    return result


def report_period_get(slug: str, label: str) -> ReportingPeriod:
    """A programme's reporting period, named by the programme's slug and the period's label."""
    period = (
        ReportingPeriod.objects.select_related("programme")
        .filter(programme__slug=slug, label=label)
        .first()
    )
    if period is None:
        raise Http404("No such reporting period")
    return period


def latest_published_report(
    programme: Programme, *, excluding: QuarterlyReport | None = None
) -> QuarterlyReport | None:
    reports = QuarterlyReport.objects.filter(programme=programme, status=ReportStatus.PUBLISHED)
    if excluding is not None:
        reports = reports.exclude(pk=excluding.pk)
    return reports.select_related("period").order_by("-period__start", "-version").first()


def latest_published_reports(programmes) -> dict[int, QuarterlyReport]:
    """Each programme's latest published report (as latest_published_report), by programme id,
    for programmes that have one: two queries for any number of programmes."""
    latest = QuarterlyReport.objects.filter(
        programme_id=OuterRef("pk"), status=ReportStatus.PUBLISHED
    ).order_by("-period__start", "-version")
    ids = Programme.objects.filter(pk__in=[p.pk for p in programmes]).annotate(
        report_id=Subquery(latest.values("pk")[:1])
    )
    report_ids = [row for row in ids.values_list("report_id", flat=True) if row is not None]
    reports = QuarterlyReport.objects.filter(pk__in=report_ids).select_related("period")
    return {report.programme_id: report for report in reports}
