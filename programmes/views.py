from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from cpw.accounts import services as account_services
from cpw.accounts.forms import InvitationForm
from cpw.accounts.models import Role
from cpw.core import tabular
from cpw.core.access import ObjectAccessMixin
from cpw.core.concurrency import EditConflict
from cpw.core.conflicts import EditConflictMixin
from cpw.core.forms import add_form_errors
from cpw.core.queueing import QueueUnavailable, require_queue
from cpw.core.redirects import safe_next
from cpw.privacy.models import AccessKind
from cpw.privacy.services import record_access

from . import organisations, places_io, plan_io, selectors, services
from .forms import (
    AmbitionForm,
    CommitmentForm,
    CommitmentUpdateForm,
    ConfirmRemoveForm,
    CouncilAddForm,
    CouncilForm,
    DeliveryPlanImportForm,
    GovernanceBodyForm,
    GovernanceMemberForm,
    GridFilterForm,
    MilestoneForm,
    PeriodLockForm,
    PhaseForm,
    PlacesImportForm,
    ProgrammeCreateForm,
    ProgrammeSettingsForm,
    ReportingPeriodsForm,
    RiskForm,
)
from .models import DeliveryPlan, PlaceKind, UpdateStatus
from .periods import PeriodLocked, period_name

# Home pages and lists (about no one object) check a portal-wide permission, and their selectors
# list only the user's own programmes. Pages about one programme or commitment load it and check
# its rules (programmes/rules.py) in its programme: 404 for those with no council role there,
# 403 for those who have one but may not do what the page does.


class PeopleView(ObjectAccessMixin, TemplateView):
    """Council roles in the programmes the user manages (the selector lists only those)."""

    permission_required = "accounts.invite_user"
    template_name = "programmes/people.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignments=selectors.role_assignment_list_for_manager(self.request.user),
            council_admins=selectors.council_admin_list_for(self.request.user),
            **kwargs,
        )


class InviteView(ObjectAccessMixin, FormView):
    """Invite someone to a role in a programme the user manages (the form offers only those),
    or, for a council admin, to be a council admin of their council."""

    permission_required = "accounts.invite_user"
    template_name = "programmes/invite.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        programmes = list(selectors.programme_list_managed_by(self.request.user))
        return {
            **super().get_form_kwargs(),
            "programmes": selectors.programme_list_managed_by(self.request.user),
            "divisions": selectors.councillor_place_choices(programmes),
            "councils": selectors.council_list_administered_by(self.request.user),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = account_services.user_invite(
                invited_by=self.request.user,
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                programme=data["programme"],
                council=data.get("council"),
                division=data["division"],
                job_title=data["job_title"],
            )
        except QueueUnavailable as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"We have emailed {user.email} an invitation")
        return redirect("programmes:people")


class OverviewView(ObjectAccessMixin, TemplateView):
    """The programme manager's first screen: this period's submissions for each programme."""

    permission_required = "portal.view_programme_overview"
    template_name = "programmes/overview.html"

    def get_context_data(self, **kwargs):
        programmes = selectors.programme_table_rows(
            selectors.programme_list_managed_by(self.request.user)
        )
        summaries = selectors.programme_overview_summaries(programmes)
        if len(summaries) == 1:
            # One programme: its RAG grid here too. Several: each grid is on its plan page, so
            # this page's queries do not grow with the number of programmes.
            plan = selectors.delivery_plan_get(programmes[0])
            summaries[0]["grid"] = selectors.commitment_grid(plan) if plan else None
        return super().get_context_data(programmes=programmes, summaries=summaries, **kwargs)


class MyWorkView(ObjectAccessMixin, TemplateView):
    """An officer's first screen: the commitments they lead and this period's updates."""

    permission_required = "portal.view_my_work"
    template_name = "programmes/my_work.html"

    def get_context_data(self, **kwargs):
        items = selectors.commitment_list_due_for_lead(self.request.user)
        return super().get_context_data(
            programmes=selectors.programme_list_for_user(self.request.user),
            items=items,
            # A locked period's missing updates can no longer be submitted, so are not "to do".
            due_count=sum(
                1 for i in items if i.state != "Submitted" and not (i.period and i.period.is_locked)
            ),
            today=timezone.localdate(),
            **kwargs,
        )


class ProgrammeListView(ObjectAccessMixin, TemplateView):
    permission_required = "portal.view_programme"
    template_name = "programmes/programme_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programmes = selectors.programme_table_rows(selectors.programme_list_for_user(user))
        return super().get_context_data(
            programmes=programmes,
            administered_councils=selectors.councils_administered_by(user),
            **kwargs,
        )


class ProgrammeDetailView(ObjectAccessMixin, TemplateView):
    permission_required = visible_permission = "programmes.view_programme"
    template_name = "programmes/programme_detail.html"

    def get_access_object(self):
        return selectors.programme_get_detail(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        programme = self.object
        team = [a for a in programme.role_assignments.all() if a.role != Role.PARTNER]
        return super().get_context_data(
            programme=programme,
            team=team,
            priority_places=programme.priority_places.all(),
            can_manage=self.request.user.has_perm("programmes.manage_programme", programme),
            can_see_places=self.request.user.has_perm("programmes.view_council", programme.council),
            breadcrumbs=[{"label": "Programmes", "url": reverse("programmes:programme-list")}],
            **selectors.programme_detail_extras(programme),
            **kwargs,
        )


# --- Delivery plan: the RAG grid, exports, locking -------------------------------------------


class PlanMixin(ObjectAccessMixin):
    """Pages about one programme's plan and periods, named by the programme's slug: those with
    no council role in the programme get 404; the rest need `permission_required` on it (by
    default, managing it)."""

    manage = False
    visible_permission = "programmes.view_programme"
    permission_required = "programmes.manage_programme"

    def get_access_object(self):
        return selectors.programme_get(self.kwargs["slug"])

    def get_programme(self):
        return self.object

    def get_plan(self):
        """The plan, or None: a GET never creates one (the import creates it on POST)."""
        return selectors.delivery_plan_get(self.get_programme())

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


class PlanView(PlanMixin, TemplateView):
    """Every commitment × the last four periods, as a RAG grid with filters."""

    permission_required = "programmes.view_programme"
    template_name = "programmes/plan_grid.html"

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        form, grid = self.grid()
        can_manage = self.request.user.has_perm("programmes.manage_programme", programme)
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


class PlanExportView(PlanMixin, View):
    manage = True

    def get(self, request, slug, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404("Export as csv or xlsx")
        form, grid = self.grid()
        if grid is None:  # no plan yet: the headings only
            headings, rows = plan_io.export_rows(None, [], ())
        else:
            headings, rows = plan_io.export_rows(
                grid.plan,
                [r.commitment for r in grid.rows],
                grid.periods,
                programme=self.get_programme(),
            )
        if fmt == "xlsx":
            content, content_type = plan_io.to_xlsx(headings, rows), tabular.XLSX_TYPE
        else:
            content, content_type = plan_io.to_csv(headings, rows), tabular.CSV_TYPE
        return tabular.file_response(f"{slug}-delivery-plan.{fmt}", content, content_type)


class PeriodLockView(PlanMixin, TemplateView):
    """Are you sure? Locking stops every lead changing their update for the period; before its
    update deadline it needs a stated reason."""

    manage = True
    template_name = "programmes/period_lock.html"

    def get_period(self):
        return selectors.reporting_period_get_or_404(self.get_programme(), self.kwargs["label"])

    def get_context_data(self, form=None, **kwargs):
        programme = self.get_programme()
        period = self.get_period()
        plan = self.get_plan()
        early = services.period_lock_is_early(period)
        return super().get_context_data(
            programme=programme,
            period=period,
            early=early,
            form=form or PeriodLockForm(early=early, period_label=period_name(period, programme)),
            summary=selectors.programme_period_summary(programme, period=period),
            cancel_url=reverse("programmes:plan", args=[programme.slug]),
            breadcrumbs=self.breadcrumbs(
                {
                    "label": plan.name if plan else "Delivery plan",
                    "url": reverse("programmes:plan", args=[programme.slug]),
                }
            ),
            **kwargs,
        )

    def post(self, request, slug, label):
        period = self.get_period()
        form = PeriodLockForm(
            request.POST, early=services.period_lock_is_early(period), period_label=period.label
        )
        if form.is_valid():
            try:
                services.reporting_period_lock(
                    period=period, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"{period_name(period)} is locked. Updates for it can no longer be changed",
                )
                return redirect(safe_next(request, reverse("programmes:plan", args=[slug])))
        return self.render_to_response(self.get_context_data(form=form))


# --- Governance bodies: steering group, scrutiny committee, cabinet, SLT ----------------------


class GovernanceMixin(PlanMixin):
    """Pages that keep a programme's governance bodies and their members: the programme's
    managers (its council's admins included)."""

    def get_body(self):
        if not hasattr(self, "_body"):
            self._body = selectors.governance_body_get_or_404(
                self.get_programme(), self.kwargs["body"]
            )
        return self._body

    def list_url(self):
        return reverse("programmes:governance-list", args=[self.get_programme().slug])

    def body_url(self):
        body = self.get_body()
        return reverse("programmes:governance-change", args=[self.get_programme().slug, body.pk])

    def governance_breadcrumbs(self, *extra):
        return self.breadcrumbs({"label": "Governance", "url": self.list_url()}, *extra)

    def page_context(self, **kwargs):
        return {"programme": self.get_programme(), **kwargs}


class GovernanceListView(GovernanceMixin, TemplateView):
    """The programme's governance bodies, their members and which receive the report."""

    template_name = "programmes/governance_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.page_context(
                bodies=selectors.governance_body_list(self.get_programme()),
                breadcrumbs=self.breadcrumbs(),
            ),
            **kwargs,
        )


class GovernanceBodyAddView(GovernanceMixin, FormView):
    template_name = "programmes/governance_body_form.html"
    form_class = GovernanceBodyForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.page_context(
                heading="Add a governance body",
                cancel_url=self.list_url(),
                breadcrumbs=self.governance_breadcrumbs(),
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            body = services.governance_body_create(
                programme=self.get_programme(), user=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{body.name} is added. Now add its members.")
        return redirect(
            "programmes:governance-change", slug=self.get_programme().slug, body=body.pk
        )


class GovernanceBodyChangeView(GovernanceMixin, FormView):
    """A body's details, and its members with links to add, change and remove them."""

    template_name = "programmes/governance_body_form.html"
    form_class = GovernanceBodyForm

    def get_initial(self):
        body = self.get_body()
        return {
            "name": body.name,
            "chair": body.chair,
            "meeting_cadence": body.meeting_cadence,
            "delivery_team": body.delivery_team,
            "receives_quarterly_report": body.receives_quarterly_report,
        }

    def get_context_data(self, **kwargs):
        body = self.get_body()
        return super().get_context_data(
            **self.page_context(
                body=body,
                members=list(body.members.select_related("user")),
                heading=body.name,
                cancel_url=self.list_url(),
                breadcrumbs=self.governance_breadcrumbs(),
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            body = services.governance_body_update(
                body=self.get_body(), user=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{body.name} is saved")
        return redirect(self.list_url())


class GovernanceRemoveMixin(GovernanceMixin, FormView):
    """Are you sure? (radios: an empty answer is an error, so nothing is removed by mistake)."""

    template_name = "programmes/governance_remove.html"
    form_class = ConfirmRemoveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "question": self.question()}

    def form_valid(self, form):
        if form.cleaned_data["confirm"]:
            message = self.remove()
            messages.success(self.request, message)
            return redirect(self.list_url())
        return redirect(self.back_url())


class GovernanceBodyRemoveView(GovernanceRemoveMixin):
    def question(self):
        return f"Are you sure you want to remove {self.get_body().name}?"

    def back_url(self):
        return self.body_url()

    def get_context_data(self, **kwargs):
        body = self.get_body()
        return super().get_context_data(
            **self.page_context(
                heading=self.question(),
                warning=f"Its {body.members.count()} member records are removed with it. "
                "The history of both is kept.",
                breadcrumbs=self.governance_breadcrumbs(
                    {"label": body.name, "url": self.body_url()}
                ),
            ),
            **kwargs,
        )

    def remove(self):
        body = self.get_body()
        services.governance_body_delete(body=body, user=self.request.user)
        return f"{body.name} is removed"


class GovernanceMemberMixin(GovernanceMixin):
    def get_member(self):
        if not hasattr(self, "_member"):
            self._member = selectors.governance_member_get_or_404(
                self.get_body(), self.kwargs["member"]
            )
        return self._member

    def member_breadcrumbs(self):
        return self.governance_breadcrumbs({"label": self.get_body().name, "url": self.body_url()})


class GovernanceMemberFormMixin(GovernanceMemberMixin, FormView):
    template_name = "programmes/governance_member_form.html"
    form_class = GovernanceMemberForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "people": selectors.report_reader_list(self.get_programme()),
        }

    def form_valid(self, form):
        try:
            member = self.save(form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{member.name} is saved as a member of {self.get_body()}")
        return redirect(self.body_url())


class GovernanceMemberAddView(GovernanceMemberFormMixin):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.page_context(
                body=self.get_body(),
                heading=f"Add a member to {self.get_body().name}",
                cancel_url=self.body_url(),
                breadcrumbs=self.member_breadcrumbs(),
            ),
            **kwargs,
        )

    def save(self, data):
        return services.governance_member_create(
            body=self.get_body(), user=self.request.user, data=data
        )


class GovernanceMemberChangeView(GovernanceMemberFormMixin):
    def get_initial(self):
        member = self.get_member()
        return {
            "name": member.name,
            "position": member.position,
            "user": member.user_id,
            "is_chair": member.is_chair,
        }

    def get_context_data(self, **kwargs):
        member = self.get_member()
        return super().get_context_data(
            **self.page_context(
                body=self.get_body(),
                member=member,
                heading=f"Change {member.name}",
                cancel_url=self.body_url(),
                breadcrumbs=self.member_breadcrumbs(),
            ),
            **kwargs,
        )

    def save(self, data):
        return services.governance_member_update(
            member=self.get_member(), user=self.request.user, data=data
        )


class GovernanceMemberRemoveView(GovernanceMemberMixin, GovernanceRemoveMixin):
    def question(self):
        return (
            f"Are you sure you want to remove {self.get_member().name} from {self.get_body().name}?"
        )

    def back_url(self):
        return self.body_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.page_context(heading=self.question(), breadcrumbs=self.member_breadcrumbs()),
            **kwargs,
        )

    def form_valid(self, form):
        if form.cleaned_data["confirm"]:
            member = self.get_member()
            services.governance_member_delete(member=member, user=self.request.user)
            messages.success(self.request, f"{member.name} is removed from {self.get_body().name}")
        return redirect(self.body_url())


# --- Import -----------------------------------------------------------------------------------

SESSION_KEY = "plan_import"


class PlanImportView(PlanMixin, FormView):
    manage = True
    template_name = "programmes/plan_import.html"
    form_class = DeliveryPlanImportForm

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            columns=plan_io.COLUMNS,
            ambitions=[a.name for a in programme.ambitions.all()],
            breadcrumbs=self.breadcrumbs(
                {"label": "Delivery plan", "url": reverse("programmes:plan", args=[programme.slug])}
            ),
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            table = plan_io.read_table(upload.name, upload)
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


class PlanImportCheckView(PlanMixin, TemplateView):
    """The preview: every row with its errors; import only when there are none."""

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
        group_label = plan.group_label if plan else DeliveryPlan.DEFAULT_GROUP_LABEL
        rows = plan_io.check_rows(
            stored["table"],
            council_id=self.get_programme().council_id,
            group_label=group_label,
            unmatched=stored["unmatched"],
            ambitions=services.ambition_lookup(self.get_programme()),
        )
        summary = [(r.number, message) for r in rows for message in r.errors]
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            plan=plan,
            group_label=group_label,
            file_name=stored["name"],
            rows=rows,
            error_count=sum(len(r.errors) for r in rows),
            # the summary lists the first MAX_REPORTED_ERRORS, then "and N more errors"
            summary_errors=summary[: tabular.MAX_REPORTED_ERRORS],
            more_errors=tabular.more_errors_message(len(summary) - tabular.MAX_REPORTED_ERRORS),
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
            summary = services.delivery_plan_import(
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


class PlanImportTemplateView(PlanMixin, View):
    def get(self, request, slug):
        return tabular.file_response(
            "delivery-plan-template.csv", plan_io.template_csv(), tabular.CSV_TYPE
        )


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


class CommitmentMixin(ObjectAccessMixin):
    """Pages about one commitment: those with no council role in its programme get 404; the
    rest need `permission_required` on it (by default, being its lead or the programme's
    manager). The commitment is `self.commitment`."""

    visible_permission = "programmes.view_commitment"
    permission_required = "programmes.edit_commitment"

    def get_access_object(self):
        return selectors.commitment_get(self.kwargs["pk"])

    @property
    def commitment(self):
        return self.object


class CommitmentDetailView(CommitmentMixin, TemplateView):
    permission_required = "programmes.view_commitment"
    template_name = "programmes/commitment_detail.html"

    def get_access_object(self):
        return selectors.commitment_get_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        commitment = self.commitment
        programme = commitment.plan.programme
        current = selectors.period_current(programme)
        user = self.request.user
        return super().get_context_data(
            commitment=commitment,
            programme=programme,
            current=current,
            can_update=user.has_perm("programmes.edit_commitment", commitment),
            can_manage=user.has_perm("programmes.change_commitment", commitment),
            progress=services.commitment_progress_rollup(commitment)
            if commitment.progress_from_sub_actions
            else commitment.progress,
            history=selectors.commitment_history(commitment),
            breadcrumbs=_commitment_breadcrumbs(commitment),
            **kwargs,
        )


class CommitmentUpdateView(CommitmentMixin, EditConflictMixin, FormView):
    """One page: the update form with last period's update beside it."""

    template_name = "programmes/commitment_update.html"
    form_class = CommitmentUpdateForm

    def get_access_object(self):
        commitment = super().get_access_object()
        self.period = selectors.reporting_period_get_or_404(
            commitment.plan.programme, self.kwargs["label"]
        )
        self.update = selectors.commitment_update_get(commitment, self.period)
        return commitment

    def get_initial(self):
        update = self.update
        initial = {"version": update.version if update else 0, "progress": self.commitment.progress}
        if update:
            initial.update({f: getattr(update, f) for f in services.UPDATE_FIELDS})
            initial["needs_decision"] = update.needs_decision
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
            self.update = current = conflict.current
            return self.edit_conflict_response(
                conflict, form, lambda data: self.form_class(data, status=current.status)
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        if update.status == UpdateStatus.DRAFT:
            messages.success(
                self.request,
                f"Your draft update for {period_name(self.period)} is saved. Submit it by "
                f"{self.period.update_deadline:%-d %B %Y}",
            )
            return redirect("programmes:my-work")
        return redirect(
            "programmes:commitment-update-done", pk=self.commitment.pk, label=self.period.label
        )


class CommitmentUpdateDoneView(CommitmentMixin, TemplateView):
    template_name = "programmes/commitment_update_done.html"

    def get_context_data(self, **kwargs):
        commitment = self.commitment
        period = selectors.reporting_period_get_or_404(
            commitment.plan.programme, self.kwargs["label"]
        )
        update = selectors.commitment_update_get(commitment, period)
        if update is None or update.status != UpdateStatus.SUBMITTED:
            raise Http404("This update has not been submitted")
        return super().get_context_data(
            commitment=commitment, period=period, update=update, **kwargs
        )


class EvidenceDownloadView(ObjectAccessMixin, View):
    """An evidence file, for whoever may read the update it is attached to."""

    visible_permission = permission_required = "programmes.view_evidence"

    def get_access_object(self):
        return selectors.evidence_file_get(self.kwargs["pk"])

    def get(self, request, pk):
        evidence = self.object
        record_access(
            user=request.user,
            what=f"Evidence file {evidence.pk}",
            rows=1,
            kind=AccessKind.DOWNLOAD,
            about=evidence,
        )
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class PlanHomeView(ObjectAccessMixin, View):
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


class CommitmentFormMixin(CommitmentMixin):
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


class CommitmentChangeView(CommitmentFormMixin, EditConflictMixin, FormView):
    permission_required = "programmes.change_commitment"
    form_class = CommitmentForm
    heading = "Change the commitment"

    def get_access_object(self):
        return selectors.commitment_get_for_change(self.kwargs["pk"])

    def get_form_kwargs(self):
        plan = self.commitment.plan
        programme = plan.programme
        return {
            **super().get_form_kwargs(),
            "groups": plan.groups.all(),
            "people": selectors.programme_people_who_can_lead(programme),
            "organisations": organisations.organisation_choices(
                programme.council_id, include=self.commitment.lead_organisations.all()
            ),
            "ambitions": programme.ambitions.all(),
            "group_label": plan.group_label,
            "ambition_label": programme.ambition_label_plural,
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
            conflict.attempted = {k: v for k, v in conflict.attempted.items() if k != "group"}
            kwargs = {
                k: v
                for k, v in self.get_form_kwargs().items()
                if k not in ("data", "files", "initial", "prefix")
            }
            return self.edit_conflict_response(
                conflict, form, lambda data: self.form_class(data, **kwargs)
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return self.done("The commitment is saved")


class MilestoneAddView(CommitmentFormMixin, FormView):
    form_class = MilestoneForm
    heading = "Add a milestone"

    def form_valid(self, form):
        services.milestone_save(
            commitment=self.commitment, user=self.request.user, data=form.cleaned_data
        )
        return self.done("The milestone is added")


class MilestoneChangeView(CommitmentFormMixin, EditConflictMixin, FormView):
    form_class = MilestoneForm
    heading = "Change a milestone"

    def get_milestone(self):
        return selectors.milestone_get(self.commitment, self.kwargs["milestone"])

    def get_initial(self):
        m = self.get_milestone()
        return {
            "title": m.title,
            "due_date": m.due_date,
            "done_date": m.done_date,
            "version": m.version,
        }

    def form_valid(self, form):
        try:
            services.milestone_save(
                commitment=self.commitment,
                user=self.request.user,
                data=form.cleaned_data,
                milestone=self.get_milestone(),
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            return self.edit_conflict_response(conflict, form, self.form_class)
        return self.done("The milestone is saved")


class RiskAddView(CommitmentFormMixin, FormView):
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


class ReportingPeriodsView(PlanMixin, FormView):
    """A programme's reporting periods, adding more, and when leads are reminded."""

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


class ProgrammeSettingsView(PlanMixin, FormView):
    """The current phase and what green, amber and red mean for this programme."""

    manage = True
    template_name = "programmes/programme_settings.html"
    form_class = ProgrammeSettingsForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "phases": selectors.phase_choices(self.get_programme()),
        }

    def get_initial(self):
        p = self.get_programme()
        plan = self.get_plan()
        return {
            "current_phase": p.current_phase_id,
            "rag_green": p.rag_green,
            "rag_amber": p.rag_amber,
            "rag_red": p.rag_red,
            "ambition_label": p.ambition_label,
            "ambition_label_plural": p.ambition_label_plural,
            "groundbreaker_label": p.groundbreaker_label,
            "groundbreaker_label_plural": p.groundbreaker_label_plural,
            "group_label": plan.group_label if plan else DeliveryPlan.DEFAULT_GROUP_LABEL,
            "group_label_plural": plan.group_label_plural if plan else "Themes",
            "period_wording": p.period_wording,
            "publishes_open_data": p.publishes_open_data,
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


class PeriodChaseView(PlanMixin, TemplateView):
    """Email every lead whose update for the period is still missing."""

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
                {
                    "label": plan.name if plan else "Delivery plan",
                    "url": reverse("programmes:plan", args=[programme.slug]),
                }
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
            request,
            f"We have emailed {sent} lead{'s' if sent != 1 else ''} about {period_name(period)}",
        )
        return redirect("programmes:plan", slug=slug)


# --- A council's places ------------------------------------------------------------------------


class CouncilMixin(ObjectAccessMixin):
    """Pages about one council, named by its slug: 404 for anyone who does not work for it,
    403 for its staff who do not administer it."""

    visible_permission = "programmes.know_council"
    permission_required = "programmes.view_council"

    def get_access_object(self):
        return selectors.council_get(self.kwargs["slug"])

    @property
    def council(self):
        return self.object

    def get_context_data(self, **kwargs):
        kwargs.setdefault("council", self.council)
        return super().get_context_data(**kwargs)

    def breadcrumbs(self, *extra):
        council = self.object
        return [
            *_councils_crumb(self.request.user),
            {
                "label": council.name,
                "url": reverse("programmes:council-detail", args=[council.slug]),
            },
            *extra,
        ]


class PlaceListView(CouncilMixin, TemplateView):
    """The council's places by kind, each with the place it is inside."""

    permission_required = "programmes.view_council"
    template_name = "programmes/place_list.html"

    def get_context_data(self, **kwargs):
        groups = selectors.place_list_by_kind(self.council)
        return super().get_context_data(
            groups=groups,
            place_count=sum(len(g["places"]) for g in groups),
            can_change=self.request.user.has_perm("programmes.change_council", self.council),
            **kwargs,
        )


class PlaceImportView(CouncilMixin, FormView):
    """Upload a file of places: checked, then saved all or nothing, errors listed by row."""

    permission_required = "programmes.change_council"

    template_name = "programmes/place_import.html"
    form_class = PlacesImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=[kind.label.lower() for kind in PlaceKind],
            breadcrumbs=[
                {
                    "label": "Places",
                    "url": reverse("programmes:place-list", args=[self.council.slug]),
                }
            ],
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        dry_run = "check_only" in self.request.POST
        try:
            rows = places_io.read_rows(upload.name, upload)
            summary = services.places_import(council=self.council, rows=rows, dry_run=dry_run)
        except tabular.ImportRejected as exc:
            form.add_error("file", exc.messages[0])
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    row_errors=exc.row_errors,
                    more_errors=exc.more_message,
                    error_total=f"{exc.total:,}",
                ),
                status=400,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        if dry_run:
            return self.render_to_response(
                self.get_context_data(form=self.form_class(), checked_count=summary.total)
            )
        messages.success(
            self.request,
            f"Places imported: {summary.created} new, {summary.updated} changed, "
            f"{summary.unchanged} unchanged",
        )
        return redirect("programmes:place-list", slug=self.council.slug)


class PlaceImportTemplateView(CouncilMixin, View):
    permission_required = "programmes.change_council"

    def get(self, request, slug):
        return tabular.file_response(
            "places-template.csv", places_io.template_csv(), tabular.CSV_TYPE
        )


# --- Set-up: councils (staff admins), a council's own page, new programmes, structure --------


def _councils_crumb(user):
    if user.has_perm("programmes.add_council"):
        return [{"label": "Councils", "url": reverse("programmes:council-list")}]
    return []


class CouncilListView(ObjectAccessMixin, TemplateView):
    """Every council in the portal (staff admins only)."""

    permission_required = "programmes.add_council"
    template_name = "programmes/council_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(councils=selectors.council_list(), **kwargs)


class CouncilAddView(ObjectAccessMixin, FormView):
    """A staff admin adds a council and invites its first council admin."""

    permission_required = "programmes.add_council"
    template_name = "programmes/council_form.html"
    form_class = CouncilAddForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Add a council",
            cancel_url=reverse("programmes:council-list"),
            breadcrumbs=_councils_crumb(self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            council = services.council_create(
                user=self.request.user,
                data=data,
                admin_full_name=data["admin_full_name"],
                admin_email=data["admin_email"],
            )
        except QueueUnavailable as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{council.name} is added. We have emailed {data['admin_email']} an invitation to "
            "be its council admin",
        )
        return redirect("programmes:council-detail", slug=council.slug)


class CouncilDetailView(CouncilMixin, TemplateView):
    template_name = "programmes/council_detail.html"

    def get_context_data(self, **kwargs):
        council = self.object
        user = self.request.user
        try:
            places_url = reverse("programmes:council-places", args=[council.slug])
        except NoReverseMatch:
            places_url = None
        return super().get_context_data(
            council=council,
            programmes=selectors.council_programme_list(council),
            admins=selectors.council_admin_list(council),
            can_change=user.has_perm("programmes.change_council", council),
            can_add_programme=user.has_perm("programmes.add_programme", council),
            places_url=places_url,
            breadcrumbs=_councils_crumb(user),
            **kwargs,
        )


class CouncilChangeView(CouncilMixin, FormView):
    permission_required = "programmes.change_council"
    template_name = "programmes/council_form.html"
    form_class = CouncilForm

    def get_initial(self):
        council = self.object
        return {
            **{field: getattr(council, field) for field in services.COUNCIL_FIELDS},
            "loaded_at": council.updated_at.isoformat(),
        }

    def get_context_data(self, **kwargs):
        council = self.object
        return super().get_context_data(
            council=council,
            heading="Change the council's details",
            cancel_url=reverse("programmes:council-detail", args=[council.slug]),
            breadcrumbs=self.breadcrumbs(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            council = services.council_change(
                council=self.object,
                user=self.request.user,
                data=form.cleaned_data,
                loaded_at=form.cleaned_data.get("loaded_at") or "",
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                # Show what is saved now, with the message, so nothing is overwritten unseen.
                fresh = selectors.council_get(self.object.slug)
                self.object = fresh
                form = self.form_class(data=self.get_initial())
                form.is_valid()
                form.add_error(None, exc.message)
                return self.render_to_response(self.get_context_data(form=form), status=409)
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The council's details are saved")
        return redirect("programmes:council-detail", slug=council.slug)


class ProgrammeCreateView(CouncilMixin, FormView):
    """A council admin creates one of their council's programmes: blank, or with the structure
    of another of its programmes."""

    permission_required = "programmes.add_programme"
    template_name = "programmes/programme_create.html"
    form_class = ProgrammeCreateForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sources": list(selectors.council_programme_list(self.object)),
        }

    def get_context_data(self, **kwargs):
        council = self.object
        return super().get_context_data(
            council=council,
            cancel_url=reverse("programmes:council-detail", args=[council.slug]),
            breadcrumbs=self.breadcrumbs(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                council=self.object,
                user=self.request.user,
                data=data,
                copy_from=data.get("copy_from"),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{programme.name} is created. Set up its structure next")
        return redirect("programmes:programme-structure", slug=programme.slug)


class StructureMixin(PlanMixin):
    """A programme's set-up pages: for its managers (council admins included)."""

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            cancel_url=reverse("programmes:programme-structure", args=[programme.slug]),
            breadcrumbs=self.breadcrumbs(
                {
                    "label": "Structure",
                    "url": reverse("programmes:programme-structure", args=[programme.slug]),
                }
            ),
            **kwargs,
        )

    def done(self, message):
        messages.success(self.request, message)
        return redirect("programmes:programme-structure", slug=self.get_programme().slug)


class ProgrammeStructureView(PlanMixin, TemplateView):
    """Phases with their stages, ambitions with their points, and the programme's own words."""

    template_name = "programmes/programme_structure.html"

    def get_context_data(self, **kwargs):
        programme = self.get_programme()
        return super().get_context_data(
            programme=programme,
            phases=selectors.phase_tree(programme),
            ambitions=selectors.ambition_list(programme),
            plan=self.get_plan(),
            breadcrumbs=self.breadcrumbs(),
            **kwargs,
        )


class PhaseFormMixin(StructureMixin, FormView):
    template_name = "programmes/phase_form.html"
    form_class = PhaseForm
    phase = None

    def get_form_kwargs(self):
        phases = [
            p
            for p in selectors.phase_tree(self.get_programme())
            if self.phase is None or p.pk != self.phase.pk
        ]
        return {**super().get_form_kwargs(), "phases": phases}

    def form_valid(self, form):
        try:
            phase = services.phase_save(
                programme=self.get_programme(),
                user=self.request.user,
                data=form.cleaned_data,
                phase=self.phase,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        kind = "stage" if phase.parent_id else "phase"
        return self.done(f"The {kind} {phase.name} is saved")


class PhaseAddView(PhaseFormMixin):
    def get_initial(self):
        return {"parent": self.request.GET.get("parent") or None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading="Add a phase or stage", **kwargs)


class PhaseChangeView(PhaseFormMixin):
    def get_access_object(self):
        programme = super().get_access_object()
        self.phase = selectors.phase_get(programme, self.kwargs["pk"])
        return programme

    def get_initial(self):
        p = self.phase
        return {
            "name": p.name,
            "parent": p.parent_id,
            "order": p.order,
            "start": p.start,
            "end": p.end,
        }

    def get_context_data(self, **kwargs):
        kind = "stage" if self.phase.parent_id else "phase"
        return super().get_context_data(
            heading=f"Change the {kind} {self.phase.name}", phase=self.phase, **kwargs
        )


class PhaseDeleteView(StructureMixin, TemplateView):
    template_name = "programmes/setup_delete.html"

    def get_access_object(self):
        programme = super().get_access_object()
        self.phase = selectors.phase_get(programme, self.kwargs["pk"])
        return programme

    def get_context_data(self, **kwargs):
        kind = "stage" if self.phase.parent_id else "phase"
        return super().get_context_data(
            heading=f"Delete the {kind} {self.phase.name}?",
            what=f"The {kind} is removed from the programme. This cannot be undone.",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":  # a stray POST deletes nothing
            return self.get(request, *args, **kwargs)
        try:
            services.phase_delete(phase=self.phase, user=request.user)
        except ValidationError as exc:
            return self.render_to_response(
                self.get_context_data(error=" ".join(exc.messages)), status=400
            )
        return self.done(f"{self.phase.name} is deleted")


class AmbitionFormMixin(StructureMixin, FormView):
    template_name = "programmes/ambition_form.html"
    form_class = AmbitionForm
    ambition = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": self.get_programme().ambition_label}

    def form_valid(self, form):
        programme = self.get_programme()
        try:
            services.ambition_save(
                programme=programme,
                user=self.request.user,
                data=form.cleaned_data,
                ambition=self.ambition,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return self.done(f"The {programme.ambition_label.lower()} is saved")


class AmbitionAddView(AmbitionFormMixin):
    def get_context_data(self, **kwargs):
        label = self.get_programme().ambition_label.lower()
        return super().get_context_data(heading=f"Add a{services._an(label)} {label}", **kwargs)


class AmbitionChangeView(AmbitionFormMixin):
    def get_access_object(self):
        programme = super().get_access_object()
        self.ambition = selectors.ambition_get(programme, self.kwargs["pk"])
        return programme

    def get_initial(self):
        a = self.ambition
        return {
            "name": a.name,
            "order": a.order,
            "points": "\n".join(p.text for p in a.points.all()),
        }

    def get_context_data(self, **kwargs):
        label = self.get_programme().ambition_label.lower()
        return super().get_context_data(
            heading=f"Change the {label} {self.ambition.name}", **kwargs
        )


class AmbitionDeleteView(StructureMixin, TemplateView):
    template_name = "programmes/setup_delete.html"

    def get_access_object(self):
        programme = super().get_access_object()
        self.ambition = selectors.ambition_get(programme, self.kwargs["pk"])
        return programme

    def get_context_data(self, **kwargs):
        label = self.get_programme().ambition_label.lower()
        return super().get_context_data(
            heading=f"Delete the {label} {self.ambition.name}?",
            what=f"The {label} and its points are removed. Commitments that served it will no "
            "longer name it. This cannot be undone.",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":  # a stray POST deletes nothing
            return self.get(request, *args, **kwargs)
        services.ambition_delete(ambition=self.ambition, user=request.user)
        return self.done(f"{self.ambition.name} is deleted")
