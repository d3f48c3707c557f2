from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cpw.core.queueing import QueueUnavailable
from programmes.models import ReportingPeriod
from programmes.selectors import get_programme_for_user_or_404, programme_list_for_user

from . import selectors, services
from .dashboard import steering_dashboard
from .render import sections_for_display


class SteeringView(PermissionRequiredMixin, TemplateView):
    """The steering group's first screen."""

    permission_required = "portal.view_steering_dashboard"
    template_name = "reports/steering.html"

    def get_context_data(self, **kwargs):
        programmes = list(programme_list_for_user(self.request.user)[:5])
        return super().get_context_data(
            dashboards=[steering_dashboard(programme) for programme in programmes], **kwargs
        )


class ReportListView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_programme"
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        programme = get_programme_for_user_or_404(self.request.user, self.kwargs["slug"])
        manager = selectors.can_manage_reports(self.request.user, programme)
        return super().get_context_data(
            programme=programme,
            manager=manager,
            periods=selectors.report_periods_for_programme(
                self.request.user, programme, manager=manager
            ),
            breadcrumbs=[
                {"label": "Programmes", "url": reverse("programmes:programme-list")},
                {
                    "label": programme.name,
                    "url": reverse("programmes:programme-detail", args=[programme.slug]),
                },
            ],
            **kwargs,
        )


class CompileView(PermissionRequiredMixin, View):
    permission_required = "portal.view_programme"
    http_method_names = ["post"]

    def post(self, request, slug, label):
        programme = get_programme_for_user_or_404(request.user, slug)
        if not selectors.can_manage_reports(request.user, programme):
            raise PermissionDenied
        period = get_object_or_404(ReportingPeriod, programme=programme, label=label)
        try:
            job, created = services.report_compile_request(
                programme=programme, period=period, user=request.user
            )
        except (ValidationError, QueueUnavailable) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, message)
            return redirect("reports:list", slug=programme.slug)
        if not created:
            messages.info(request, f"A compile of {period.label} was already under way")
        return redirect("reports:job", pk=job.pk)


class JobView(LoginRequiredMixin, TemplateView):
    template_name = "reports/job.html"

    def get_context_data(self, **kwargs):
        job = selectors.get_job_for_manager_or_404(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            job=job,
            breadcrumbs=[
                {"label": "Reports", "url": reverse("reports:list", args=[job.programme.slug])}
            ],
            **kwargs,
        )


@login_required
def job_status(request, pk):
    job = selectors.get_job_for_manager_or_404(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "stage": job.stage,
            "error": job.error,
            "report_url": reverse("reports:detail", args=[job.report_id])
            if job.report_id
            else None,
        }
    )


class ReportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        report = selectors.get_report_for_user_or_404(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            report=report,
            snapshot=report.snapshot,
            sections=sections_for_display(report.snapshot),
            manager=selectors.can_manage_reports(self.request.user, report.programme),
            breadcrumbs=[
                {"label": "Reports", "url": reverse("reports:list", args=[report.programme.slug])}
            ],
            **kwargs,
        )


def _download(report, content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type=content_type)
    filename = (
        f"{report.programme.short_name}-{report.period.label}-report-v{report.version}.{extension}"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_pdf(request, pk):
    report = selectors.get_report_for_user_or_404(request.user, pk)
    return _download(report, report.pdf, "application/pdf", "pdf")


@login_required
def report_xlsx(request, pk):
    report = selectors.get_report_for_user_or_404(request.user, pk)
    return _download(
        report,
        report.xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


class PublishView(LoginRequiredMixin, View):
    template_name = "reports/publish_confirm.html"

    def _report(self, request, pk):
        report = selectors.get_report_for_user_or_404(request.user, pk)
        if not selectors.can_manage_reports(request.user, report.programme):
            raise PermissionDenied
        return report

    def get(self, request, pk):
        report = self._report(request, pk)
        return render(request, self.template_name, {"report": report})

    def post(self, request, pk):
        report = self._report(request, pk)
        try:
            services.report_publish(report=report, user=request.user)
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("reports:publish", pk=report.pk)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("reports:detail", pk=report.pk)
        messages.success(
            request,
            f"Version {report.version} of the {report.period.label} report is published and "
            "the steering group has been emailed a link",
        )
        return redirect("reports:detail", pk=report.pk)
