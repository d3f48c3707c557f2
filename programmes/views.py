from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cpw.accounts.models import Role
from cpw.core.concurrency import EditConflict
from cpw.core.conflicts import conflict_context
from cpw.core.queueing import QueueUnavailable, require_queue
from cpw.core.redirects import safe_next

from . import plan_io, selectors, services
from .forms import (
    CommitmentForm,
    CommitmentUpdateForm,
    DeliveryPlanImportForm,
    GridFilterForm,
    MilestoneForm,
    ProgrammeSettingsForm,
    ReportingPeriodsForm,
    RiskForm,
)
from .models import UpdateStatus
from .periods import PeriodLocked


def add_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class OverviewView(PermissionRequiredMixin, TemplateView):
    """The programme manager's first screen: this period's submissions for each programme."""

    permission_required = "portal.view_programme_overview"
    template_name = "programmes/overview.html"

    def get_context_data(self, **kwargs):
        programmes = list(
            selectors.programme_list_with_counts(
                selectors.programme_list_managed_by(self.request.user)
            )
        )
        summaries = selectors.programme_period_summaries(programmes)
        if len(summaries) == 1:
            # One programme: its RAG grid here too. Several: each grid is on its plan page, so
            # this page's queries do not grow with the number of programmes.
            plan = selectors.delivery_plan_get(programmes[0])
            summaries[0]["grid"] = selectors.commitment_grid(plan) if plan else None
        return super().get_context_data(programmes=programmes, summaries=summaries, **kwargs)


class MyWorkView(PermissionRequiredMixin, TemplateView):
    """An officer's first screen: the commitments they lead and this period's updates."""

    permission_required = "portal.view_my_work"
    template_name = "programmes/my_work.html"

    def get_context_data(self, **kwargs):
        items = selectors.commitment_list_due_for_lead(self.request.user)
        return super().get_context_data(
            programmes=selectors.programme_list_for_user(self.request.user),
            items=items,
            due_count=sum(1 for i in items if i.state != "Submitted"),
            today=timezone.localdate(),
            **kwargs,
        )


class SteeringView(PermissionRequiredMixin, TemplateView):
    """The steering group's first screen."""

    permission_required = "portal.view_steering_dashboard"
    template_name = "programmes/steering.html"

    def get_context_data(self, **kwargs):
        from programmes.reporting.dashboard import steering_dashboard

        programmes = list(selectors.programme_list_for_user(self.request.user)[:5])
        return super().get_context_data(
            dashboards=[steering_dashboard(programme) for programme in programmes], **kwargs
        )


class DivisionView(PermissionRequiredMixin, TemplateView):
    """A councillor's first screen: the places in their electoral division."""

    permission_required = "portal.view_division"
    template_name = "programmes/division.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            divisions=selectors.division_places_for_councillor(self.request.user), **kwargs
        )


class ProgrammeListView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_programme"
    template_name = "programmes/programme_list.html"

    def get_context_data(self, **kwargs):
        programmes = selectors.programme_list_with_counts(
            selectors.programme_list_for_user(self.request.user)
        )
        return super().get_context_data(programmes=programmes, **kwargs)


class ProgrammeDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_programme"
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = selectors.get_programme_for_user_or_404(self.request.user, self.kwargs["slug"])
        team = [a for a in programme.role_assignments.all() if a.role != Role.PARTNER]
        return super().get_context_data(
            programme=programme,
            team=team,
            priority_places=programme.priority_places.all(),
            can_manage=selectors.user_manages_programme(self.request.user, programme),
            breadcrumbs=[{"label": "Programmes", "url": reverse("programmes:programme-list")}],
            **selectors.programme_detail_extras(programme),
            **kwargs,
        )


# --- Delivery plan: the RAG grid, exports, locking -------------------------------------------


class PlanMixin:
    manage = False

    def get_programme(self):
        if not hasattr(self, "_programme"):
            user, slug = self.request.user, self.kwargs["slug"]
            if self.manage:
                self._programme = selectors.get_programme_managed_or_404(user, slug)
            else:
                self._programme = selectors.programme_get_for_user_or_404(user, slug)
        return self._programme

    def get_plan(self):
        plan = selectors.delivery_plan_get(self.get_programme())
        if plan is None and self.manage:
            plan = plan_io.plan_ensure(self.get_programme())
        return plan

    def breadcrumbs(self, *extra):
        programme = self.get_programme()
        return [
            {"label": "Programmes", "url": reverse("programmes:programme-list")},
            {
                "label": programme.name,
                "url": reverse("programmes:programme-detail", args=[programme.slug]),
            },
            *extra,
        ]

    def grid(self):
        plan = self.get_plan()
        form = GridFilterForm(
            self.request.GET or None,
            groups=plan.groups.all() if plan else [],
            leads=selectors.commitment_lead_list(plan) if plan else [],
            group_label=plan.group_label if plan else "Group",
        )
        filters = form.cleaned_data if form.is_valid() else {}
        grid = (
            selectors.commitment_grid(
                plan,
                group=filters.get("group"),
                lead=filters.get("lead"),
                status=filters.get("status") or None,
                rag=filters.get("rag") or None,
            )
            if plan
            else None
        )
        return form, grid


class PlanView(PermissionRequiredMixin, PlanMixin, TemplateView):
    """Every commitment × the last four periods, as a RAG grid with filters."""

    permission_required = "programmes.view_delivery_plan"
    template_name = "programmes/plan_grid.html"

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        form, grid = self.grid()
        can_manage = selectors.user_manages_programme(self.request.user, programme)
        return super().get_context_data(
            programme=programme,
            plan=grid.plan if grid else None,
            grid=grid,
            filter_form=form,
            can_manage=can_manage,
            query=self.request.GET.urlencode(),
            breadcrumbs=self.breadcrumbs(),
            **kwargs,
        )


class PlanExportView(PermissionRequiredMixin, PlanMixin, View):
    permission_required = "programmes.manage_delivery_plan"
    manage = True

    def get(self, request, slug, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404("Export as csv or xlsx")
        form, grid = self.grid()
        headings, rows = plan_io.export_rows(
            grid.plan, [r.commitment for r in grid.rows], grid.periods
        )
        if fmt == "xlsx":
            content = plan_io.to_xlsx(headings, rows)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            content = plan_io.to_csv(headings, rows)
            content_type = "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{slug}-delivery-plan.{fmt}"'
        return response


class PeriodLockView(PermissionRequiredMixin, PlanMixin, TemplateView):
    """Are you sure? Locking stops every lead changing their update for the period."""

    permission_required = "programmes.manage_delivery_plan"
    manage = True
    template_name = "programmes/period_lock.html"

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        period = selectors.reporting_period_get_or_404(programme, self.kwargs["label"])
        plan = self.get_plan()
        return super().get_context_data(
            programme=programme,
            period=period,
            summary=selectors.programme_period_summary(programme, period=period),
            cancel_url=reverse("programmes:plan", args=[programme.slug]),
            breadcrumbs=self.breadcrumbs(
                {"label": plan.name, "url": reverse("programmes:plan", args=[programme.slug])}
            ),
            **kwargs,
        )

    def post(self, request, slug, label):
        period = selectors.reporting_period_get_or_404(self.get_programme(), label)
        services.reporting_period_lock(period=period, user=request.user)
        messages.success(
            request, f"{period.label} is locked. Updates for it can no longer be changed"
        )
        return redirect(safe_next(request, reverse("programmes:plan", args=[slug])))


# --- Import -----------------------------------------------------------------------------------

SESSION_KEY = "plan_import"


class PlanImportView(PermissionRequiredMixin, PlanMixin, FormView):
    permission_required = "programmes.manage_delivery_plan"
    manage = True
    template_name = "programmes/plan_import.html"
    form_class = DeliveryPlanImportForm

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            columns=plan_io.COLUMNS,
            breadcrumbs=self.breadcrumbs(
                {"label": "Delivery plan", "url": reverse("programmes:plan", args=[programme.slug])}
            ),
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            if upload.size > plan_io.MAX_BYTES:
                raise ValidationError("The file must be smaller than 10 MB")
            table = plan_io.read_table(upload.name, upload.read())
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        self.request.session[SESSION_KEY] = {
            "slug": self.get_programme().slug,
            "name": upload.name,
            "table": table,
            "unmatched": form.cleaned_data["unmatched_leads"],
        }
        return redirect("programmes:plan-import-check", slug=self.get_programme().slug)


class PlanImportCheckView(PermissionRequiredMixin, PlanMixin, TemplateView):
    """The preview: every row with its errors; import only when there are none."""

    permission_required = "programmes.manage_delivery_plan"
    manage = True
    template_name = "programmes/plan_import_check.html"

    def stored(self):
        stored = self.request.session.get(SESSION_KEY)
        if not stored or stored.get("slug") != self.get_programme().slug:
            return None
        return stored

    def get(self, request, *args, **kwargs):
        if self.stored() is None:
            return redirect("programmes:plan-import", slug=self.get_programme().slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        stored = self.stored()
        plan = self.get_plan()
        rows = plan_io.check_rows(
            stored["table"], group_label=plan.group_label, unmatched=stored["unmatched"]
        )
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            plan=plan,
            file_name=stored["name"],
            rows=rows,
            error_count=sum(len(r.errors) for r in rows),
            has_unmatched=any(r.unmatched for r in rows),
            unmatched=stored["unmatched"],
            breadcrumbs=self.breadcrumbs(
                {
                    "label": "Delivery plan",
                    "url": reverse("programmes:plan", args=[programme.slug]),
                },
                {
                    "label": "Import",
                    "url": reverse("programmes:plan-import", args=[programme.slug]),
                },
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        stored = self.stored()
        slug = self.get_programme().slug
        if stored is None:
            return redirect("programmes:plan-import", slug=slug)
        choice = request.POST.get("unmatched_leads")
        if choice in ("error", "create", "skip"):
            stored["unmatched"] = choice
            request.session[SESSION_KEY] = stored
            return redirect("programmes:plan-import-check", slug=slug)
        try:
            summary = plan_io.delivery_plan_import(
                programme=self.get_programme(),
                table=stored["table"],
                user=request.user,
                unmatched=stored["unmatched"],
            )
        except ValidationError as exc:
            context = self.get_context_data(import_errors=exc.messages)
            return self.render_to_response(context, status=400)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            f"Delivery plan imported: {summary.created} new, {summary.updated} changed, "
            f"{summary.unchanged} unchanged",
        )
        return redirect("programmes:plan", slug=slug)


class PlanImportTemplateView(PermissionRequiredMixin, View):
    permission_required = "programmes.manage_delivery_plan"

    def get(self, request, slug):
        selectors.get_programme_managed_or_404(request.user, slug)
        response = HttpResponse(plan_io.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="delivery-plan-template.csv"'
        return response


# --- Commitments and their updates ------------------------------------------------------------


def _commitment_breadcrumbs(commitment):
    programme = commitment.plan.programme
    return [
        {"label": "Programmes", "url": reverse("programmes:programme-list")},
        {
            "label": programme.name,
            "url": reverse("programmes:programme-detail", args=[programme.slug]),
        },
        {"label": "Delivery plan", "url": reverse("programmes:plan", args=[programme.slug])},
    ]


class CommitmentDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "programmes.view_delivery_plan"
    template_name = "programmes/commitment_detail.html"

    def get_context_data(self, **kwargs):
        commitment = selectors.get_commitment_for_user_or_404(self.request.user, self.kwargs["pk"])
        programme = commitment.plan.programme
        current = selectors.period_current(programme)
        can_manage = selectors.user_manages_programme(self.request.user, programme)
        return super().get_context_data(
            commitment=commitment,
            programme=programme,
            current=current,
            can_update=selectors.user_can_update_commitment(
                self.request.user, commitment, manages=can_manage
            ),
            can_manage=can_manage,
            progress=services.commitment_progress_rollup(commitment)
            if commitment.progress_from_sub_actions
            else commitment.progress,
            history=selectors.commitment_history(commitment),
            breadcrumbs=_commitment_breadcrumbs(commitment),
            **kwargs,
        )


class CommitmentUpdateView(PermissionRequiredMixin, FormView):
    """One page: the update form with last period's update beside it."""

    permission_required = "programmes.update_commitment"
    template_name = "programmes/commitment_update.html"
    form_class = CommitmentUpdateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.commitment = selectors.get_commitment_for_editor_or_404(request.user, kwargs["pk"])
            self.period = selectors.reporting_period_get_or_404(
                self.commitment.plan.programme, kwargs["label"]
            )
            self.update = selectors.commitment_update_get(self.commitment, self.period)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        update = self.update
        initial = {"version": update.version if update else 0, "progress": self.commitment.progress}
        if update:
            initial.update({f: getattr(update, f) for f in services.UPDATE_FIELDS})
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "status": self.update.status if self.update else None}

    def get_context_data(self, **kwargs):
        programme = self.commitment.plan.programme
        return super().get_context_data(
            commitment=self.commitment,
            period=self.period,
            update=self.update,
            programme=programme,
            previous=selectors.commitment_update_previous(self.commitment, self.period),
            locked=self.period.is_locked,
            locked_message=str(PeriodLocked(self.period).message) if self.period.is_locked else "",
            cancel_url=reverse("programmes:commitment-detail", args=[self.commitment.pk]),
            breadcrumbs=[
                *_commitment_breadcrumbs(self.commitment),
                {
                    "label": self.commitment.title,
                    "url": reverse("programmes:commitment-detail", args=[self.commitment.pk]),
                },
            ],
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        action = services.SAVE_DRAFT if "save_draft" in self.request.POST else services.SUBMIT
        upload = data.get("evidence_file")
        try:
            update = services.commitment_update_save(
                commitment=self.commitment,
                period=self.period,
                user=self.request.user,
                data=data,
                action=action,
                expected_version=data.get("version") or 0,
                files=[upload] if upload else [],
                progress=data.get("progress"),
            )
        except EditConflict as conflict:
            posted = self.request.POST.copy()
            posted["version"] = conflict.current.version
            fresh = self.form_class(posted, status=conflict.current.status)
            fresh.is_valid()
            self.update = conflict.current
            return self.render_to_response(
                self.get_context_data(
                    form=fresh, conflict=True, **conflict_context(conflict, form)
                ),
                status=409,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        if update.status == UpdateStatus.DRAFT:
            messages.success(
                self.request,
                f"Your draft update for {self.period.label} is saved. Submit it by "
                f"{self.period.update_deadline:%-d %B %Y}",
            )
            return redirect("programmes:my-work")
        return redirect(
            "programmes:commitment-update-done", pk=self.commitment.pk, label=self.period.label
        )


class CommitmentUpdateDoneView(PermissionRequiredMixin, TemplateView):
    permission_required = "programmes.update_commitment"
    template_name = "programmes/commitment_update_done.html"

    def get_context_data(self, **kwargs):
        commitment = selectors.get_commitment_for_editor_or_404(
            self.request.user, self.kwargs["pk"]
        )
        period = selectors.reporting_period_get_or_404(
            commitment.plan.programme, self.kwargs["label"]
        )
        update = selectors.commitment_update_get(commitment, period)
        if update is None or update.status != UpdateStatus.SUBMITTED:
            raise Http404("This update has not been submitted")
        return super().get_context_data(
            commitment=commitment, period=period, update=update, **kwargs
        )


class EvidenceDownloadView(PermissionRequiredMixin, View):
    permission_required = "programmes.view_delivery_plan"

    def get(self, request, pk):
        evidence = selectors.get_evidence_file_for_user_or_404(request.user, pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class PlanHomeView(PermissionRequiredMixin, View):
    """ "Delivery plan" in the navigation: the plan of the user's first programme that has one."""

    permission_required = "programmes.view_delivery_plan"

    def get(self, request):
        programme = (
            selectors.programme_list_for_user(request.user)
            .filter(delivery_plan__isnull=False)
            .first()
        )
        if programme is None:
            return redirect("programmes:programme-list")
        return redirect("programmes:plan", slug=programme.slug)


class CommitmentFormMixin:
    template_name = "programmes/commitment_form.html"
    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            commitment=self.commitment,
            heading=self.heading,
            cancel_url=reverse("programmes:commitment-detail", args=[self.commitment.pk]),
            breadcrumbs=[
                *_commitment_breadcrumbs(self.commitment),
                {
                    "label": self.commitment.title,
                    "url": reverse("programmes:commitment-detail", args=[self.commitment.pk]),
                },
            ],
            **kwargs,
        )

    def done(self, message):
        messages.success(self.request, message)
        return redirect("programmes:commitment-detail", pk=self.commitment.pk)


class CommitmentChangeView(PermissionRequiredMixin, CommitmentFormMixin, FormView):
    permission_required = "programmes.manage_delivery_plan"
    form_class = CommitmentForm
    heading = "Change the commitment"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.commitment = selectors.get_commitment_for_manager_or_404(
                request.user, kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        plan = self.commitment.plan
        programme = plan.programme
        return {
            **super().get_form_kwargs(),
            "groups": plan.groups.all(),
            "people": selectors.programme_people_who_can_lead(programme),
            "organisations": selectors.organisation_list(),
            "ambitions": programme.ambitions.all(),
            "group_label": plan.group_label,
        }

    def get_initial(self):
        c = self.commitment
        return {
            "title": c.title,
            "description": c.description,
            "group": c.group_id,
            "status": c.status,
            "progress": c.progress,
            "start": c.start,
            "end": c.end,
            "lead_users": [u.pk for u in c.lead_users.all()],
            "lead_organisations": [o.pk for o in c.lead_organisations.all()],
            "ambitions": [a.pk for a in c.ambitions.all()],
            "version": c.version,
        }

    def form_valid(self, form):
        try:
            services.commitment_change(
                commitment=self.commitment,
                user=self.request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            posted = self.request.POST.copy()
            posted["version"] = conflict.current.version
            fresh = self.form_class(
                posted,
                **{
                    k: v
                    for k, v in self.get_form_kwargs().items()
                    if k not in ("data", "files", "initial", "prefix")
                },
            )
            fresh.is_valid()
            attempted = {k: v for k, v in conflict.attempted.items() if k != "group"}
            conflict.attempted = attempted
            return self.render_to_response(
                self.get_context_data(
                    form=fresh, conflict=True, **conflict_context(conflict, form)
                ),
                status=409,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return self.done("The commitment is saved")


class EditorMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.commitment = selectors.get_commitment_for_editor_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class MilestoneAddView(PermissionRequiredMixin, EditorMixin, CommitmentFormMixin, FormView):
    permission_required = "programmes.update_commitment"
    form_class = MilestoneForm
    heading = "Add a milestone"

    def form_valid(self, form):
        services.milestone_save(
            commitment=self.commitment, user=self.request.user, data=form.cleaned_data
        )
        return self.done("The milestone is added")


class MilestoneChangeView(PermissionRequiredMixin, EditorMixin, CommitmentFormMixin, FormView):
    permission_required = "programmes.update_commitment"
    form_class = MilestoneForm
    heading = "Change a milestone"

    def get_milestone(self):
        return selectors.get_milestone_for_editor_or_404(
            self.request.user, self.commitment, self.kwargs["milestone"]
        )

    def get_initial(self):
        m = self.get_milestone()
        return {"title": m.title, "due_date": m.due_date, "done_date": m.done_date}

    def form_valid(self, form):
        services.milestone_save(
            commitment=self.commitment,
            user=self.request.user,
            data=form.cleaned_data,
            milestone=self.get_milestone(),
        )
        return self.done("The milestone is saved")


class RiskAddView(PermissionRequiredMixin, EditorMixin, CommitmentFormMixin, FormView):
    permission_required = "programmes.update_commitment"
    form_class = RiskForm
    heading = "Add a risk"

    def form_valid(self, form):
        try:
            services.risk_add(
                commitment=self.commitment, user=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return self.done("The risk is added")


class ReportingPeriodsView(PermissionRequiredMixin, PlanMixin, FormView):
    """A programme's reporting periods, adding more, and when leads are reminded."""

    permission_required = "programmes.manage_delivery_plan"
    manage = True
    template_name = "programmes/period_list.html"
    form_class = ReportingPeriodsForm

    def get_initial(self):
        return {
            "reminder_days_before": self.get_programme().reminder_days_before,
            "deadline_days": 14,
        }

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            periods=selectors.reporting_period_list_with_lockers(programme),
            today=timezone.localdate(),
            breadcrumbs=self.breadcrumbs(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            periods = services.reporting_setup(
                programme=self.get_programme(),
                user=self.request.user,
                reminder_days_before=data["reminder_days_before"],
                first=data["first"].strip(),
                last=data["last"].strip(),
                deadline_days=data["deadline_days"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        if periods:
            messages.success(
                self.request, f"Reporting periods {periods[0]} to {periods[-1]} are set up"
            )
        else:
            messages.success(self.request, "Reminder settings are saved")
        return redirect("programmes:period-list", slug=self.get_programme().slug)


class ProgrammeSettingsView(PermissionRequiredMixin, PlanMixin, FormView):
    """The current phase and what green, amber and red mean for this programme."""

    permission_required = "programmes.manage_delivery_plan"
    manage = True
    template_name = "programmes/programme_settings.html"
    form_class = ProgrammeSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "phases": self.get_programme().phases.all()}

    def get_initial(self):
        p = self.get_programme()
        return {
            "current_phase": p.current_phase_id,
            "rag_green": p.rag_green,
            "rag_amber": p.rag_amber,
            "rag_red": p.rag_red,
        }

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            cancel_url=reverse("programmes:programme-detail", args=[programme.slug]),
            breadcrumbs=self.breadcrumbs(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.programme_settings_change(
                programme=self.get_programme(), user=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The programme's settings are saved")
        return redirect("programmes:programme-detail", slug=self.get_programme().slug)


class PeriodChaseView(PermissionRequiredMixin, PlanMixin, TemplateView):
    """Email every lead whose update for the period is still missing."""

    permission_required = "programmes.manage_delivery_plan"
    manage = True
    template_name = "programmes/period_chase.html"

    def get_period(self):
        return selectors.reporting_period_get_or_404(self.get_programme(), self.kwargs["label"])

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        period = self.get_period()
        plan = self.get_plan()
        return super().get_context_data(
            programme=programme,
            period=period,
            leads=selectors.leads_missing_updates(period),
            cancel_url=reverse("programmes:plan", args=[programme.slug]),
            breadcrumbs=self.breadcrumbs(
                {"label": plan.name, "url": reverse("programmes:plan", args=[programme.slug])}
            ),
            **kwargs,
        )

    def post(self, request, slug, label):
        period = self.get_period()
        try:
            require_queue()
            sent = services.update_chase(
                period=period, user=request.user, base_url=settings.PORTAL_BASE_URL
            )
        except QueueUnavailable as exc:
            return self.render_to_response(self.get_context_data(error=str(exc)), status=503)
        except ValidationError as exc:
            return self.render_to_response(
                self.get_context_data(error=" ".join(exc.messages)), status=400
            )
        messages.success(
            request, f"We have emailed {sent} lead{'s' if sent != 1 else ''} about {period.label}"
        )
        return redirect("programmes:plan", slug=slug)
