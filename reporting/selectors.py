from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cpw.accounts.models import Role
from programmes.models import Programme, ReportingPeriod
from programmes.selectors import programme_list_for_user

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


def can_manage_reports(user, programme: Programme) -> bool:
    if user.is_superuser:
        return True
    return user.has_role_in(programme.pk, Role.PROGRAMME_MANAGER)


def _visible_reports(user) -> QuerySet[QuarterlyReport]:
    reports = QuarterlyReport.objects.filter(programme__in=programme_list_for_user(user))
    if user.is_superuser:
        return reports
    managed = Programme.objects.filter(
        role_assignments__user=user, role_assignments__role=Role.PROGRAMME_MANAGER
    )
    return reports.filter(status=ReportStatus.PUBLISHED) | reports.filter(programme__in=managed)


def get_report_for_user_or_404(user, pk: int) -> QuarterlyReport:
    """Drafts are visible to the programme's managers only; published versions to every
    council user of the programme. Anything else looks missing."""
    report = _visible_reports(user).select_related("programme", "period").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


def report_periods_for_programme(user, programme: Programme, *, manager: bool) -> list:
    """Each period of the programme with the report versions this user may see (newest first)
    and, for managers, the latest compile job."""
    reports = (
        _visible_reports(user).filter(programme=programme).only(*LIST_FIELDS).order_by("-version")
    )
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


def latest_published_report(programme: Programme) -> QuarterlyReport | None:
    return (
        QuarterlyReport.objects.filter(programme=programme, status=ReportStatus.PUBLISHED)
        .select_related("period")
        .order_by("-period__start", "-version")
        .first()
    )


def get_job_for_manager_or_404(user, pk: int) -> ReportCompileJob:
    job = (
        ReportCompileJob.objects.select_related("programme", "period", "report")
        .filter(pk=pk)
        .first()
    )
    if job is None or not can_manage_reports(user, job.programme):
        raise Http404("No such job")
    return job
