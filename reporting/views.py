from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from cpw.core.access import ObjectAccessMixin, access_required
from cpw.core.forms import add_form_errors
from cpw.core.queueing import QueueUnavailable
from cpw.forms import GovUKForm
from programmes.periods import period_name
from programmes.selectors import governance_body_list, programme_get, programme_list_steered_by

from . import selectors, services
from .compare import missing_updates, report_changes
from .dashboard import steering_dashboards
from .notifications import report_recipients
from .render import report_context
from .services import ReportPublished

# Reports are checked against their programme (reporting/rules.py): a report's
# steering group and managers read it; its managers compile and publish; compile jobs and the
# publish step are known only to its managers.


class SteeringView(ObjectAccessMixin, TemplateView):
    """The steering group's first screen: the programmes whose steering group the user sits on
    (or which they manage)."""

    permission_required = "portal.view_steering_dashboard"
    template_name = "reports/steering.html"

    def get_context_data(self, **kwargs):
        programmes = list(programme_list_steered_by(self.request.user)[:5])
        return super().get_context_data(dashboards=steering_dashboards(programmes), **kwargs)


class ReportIndexView(ObjectAccessMixin, TemplateView):
    """ "Reports" in the navigation. With one programme (a manager's usual case) it is that
    programme's list of reports, so reports are one click from anywhere; with several, a list
    of programmes."""

    permission_required = "portal.view_steering_dashboard"
    template_name = "reports/report_index.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        programmes = list(programme_list_steered_by(request.user)[:50])
        if len(programmes) == 1 and request.user.has_perm("reports.view_reports", programmes[0]):
            return render(
                request, "reports/report_list.html", _report_list_context(request, programmes[0])
            )
        return self.render_to_response(self.get_context_data(programmes=programmes))


def _load_report(request, pk):
    return selectors.report_get(pk)


def _load_job(request, pk):
    return selectors.job_get(pk)


class ReportListView(ObjectAccessMixin, TemplateView):
    visible_permission = "programmes.view_programme"
    permission_required = "reports.view_reports"
    template_name = "reports/report_list.html"

    def get_access_object(self):
        return programme_get(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_report_list_context(self.request, self.object), **kwargs)


def _report_list_context(request, programme) -> dict:
    manager = request.user.has_perm("reports.manage_reports", programme)
    return {
        "programme": programme,
        "manager": manager,
        "periods": selectors.report_periods_for_programme(programme, manager=manager),
        "breadcrumbs": [
            {"label": "Programmes", "url": reverse("programmes:programme-list")},
            {
                "label": programme.name,
                "url": reverse("programmes:programme-detail", args=[programme.slug]),
            },
        ],
    }


class CompileView(ObjectAccessMixin, View):
    visible_permission = "programmes.view_programme"
    permission_required = "reports.manage_reports"
    http_method_names = ["post"]

    def get_access_object(self):
        return selectors.report_period_get(self.kwargs["slug"], self.kwargs["label"])

    def post(self, request, slug, label):
        period = self.object
        programme = period.programme
        try:
            job, created = services.report_compile_request(
                programme=programme, period=period, user=request.user
            )
        except (ValidationError, QueueUnavailable) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, message)
            return redirect("reports:list", slug=programme.slug)
        if not created:
            messages.info(request, f"A compile of {period_name(period)} was already under way")
        return redirect("reports:job", pk=job.pk)


class JobView(ObjectAccessMixin, TemplateView):
    visible_permission = permission_required = "reports.manage_reports"
    template_name = "reports/job.html"

    def get_access_object(self):
        return selectors.job_get(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        job = self.object
        return super().get_context_data(
            job=job,
            breadcrumbs=[
                {"label": "Reports", "url": reverse("reports:list", args=[job.programme.slug])}
            ],
            **kwargs,
        )


@access_required("reports.manage_reports", load=_load_job, visible="reports.manage_reports")
@require_safe
def job_status(request, job, pk):
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


class ReportDetailView(ObjectAccessMixin, TemplateView):
    visible_permission = "reports.see_report"
    permission_required = "reports.view_report"
    template_name = "reports/report_detail.html"

    def get_access_object(self):
        return selectors.report_get(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        report = self.object
        return super().get_context_data(
            report=report,
            **report_context(report.snapshot),
            manager=self.request.user.has_perm("reports.manage_reports", report),
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


@access_required("reports.view_report", load=_load_report, visible="reports.see_report")
@require_safe
def report_pdf(request, report, pk):
    return _download(report, report.pdf, "application/pdf", "pdf")


@access_required("reports.view_report", load=_load_report, visible="reports.see_report")
@require_safe
def report_xlsx(request, report, pk):
    return _download(
        report,
        report.xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


class PublishForm(GovUKForm):
    submit_label = "Publish the report"

    reason = forms.CharField(
        label="Why publish it with updates missing?",
        help_text="The steering group sees this reason with the report.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, missing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if not missing:
            del self.fields["reason"]


class PublishView(ObjectAccessMixin, View):
    """Are you sure? (GET), then publish (POST). Only the programme's managers know of it. The
    page shows how many updates are missing (publishing with gaps needs a reason) and what
    changed since the last published report."""

    visible_permission = permission_required = "reports.manage_reports"
    template_name = "reports/publish_confirm.html"

    def get_access_object(self):
        return selectors.report_get(self.kwargs["pk"])

    def _render(self, request, form=None):
        report = self.object
        programme = report.programme
        missing = missing_updates(report.snapshot)
        previous = selectors.latest_published_report(programme, excluding=report)
        return render(
            request,
            self.template_name,
            {
                "report": report,
                "missing": missing,
                "form": form or PublishForm(missing=missing),
                "previous": previous,
                "changes": report_changes(report.snapshot, previous.snapshot if previous else None),
                "bodies": governance_body_list(programme, receives_report=True),
                "recipients": report_recipients(programme),
                "cancel_url": reverse("reports:detail", args=[report.pk]),
            },
        )

    def get(self, request, pk):
        return self._render(request)

    def post(self, request, pk):
        report = self.object
        form = PublishForm(request.POST, missing=missing_updates(report.snapshot))
        if not form.is_valid():
            return self._render(request, form)
        try:
            services.report_publish(
                report=report, user=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("reports:publish", pk=report.pk)
        except ReportPublished as exc:
            messages.error(request, exc.messages[0])
            return redirect("reports:detail", pk=report.pk)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self._render(request, form)
        messages.success(
            request,
            f"Version {report.version} of the {period_name(report.period, report.programme)} report "
            "is published and the people it goes to have been emailed a link",
        )
        return redirect("reports:detail", pk=report.pk)
