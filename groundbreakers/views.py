from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from cpw.accounts.models import Role, User
from cpw.core import tabular
from cpw.core.access import ObjectAccessMixin
from cpw.core.concurrency import EditConflict
from cpw.core.conflicts import EditConflictMixin
from cpw.core.forms import add_form_errors
from cpw.privacy.services import logged_rows
from programmes.models import Place, PlaceKind, UpdateStatus
from programmes.periods import PeriodLocked, period_current, period_name
from programmes.selectors import groundbreaker_label_for_page

from . import activity_io, selectors, services, workflow
from .forms import (
    ActivityForm,
    ActivityImportForm,
    ActivityStatusFilterForm,
    AudienceForm,
    GroundbreakerChangeForm,
    GroundbreakerFilter,
    GroundbreakerForm,
    GroundbreakerUpdateForm,
    KeyOutcomesForm,
    LearningEntryForm,
    LearningSearchForm,
    StatusChangeForm,
    WorkingGroupMemberForm,
)
from .models import (
    OUTCOMES_MAX,
    OUTCOMES_MIN,
    ActivityStatus,
    Groundbreaker,
    GroundbreakerUpdate,
    LearningEntry,
    LearningOutcome,
)

VIEW = "groundbreakers.view_groundbreaker"
CHANGE = "groundbreakers.change_groundbreaker"


def _index_crumb(label="Groundbreakers"):
    return {"label": label, "url": reverse("groundbreakers:index")}


def _detail_url(groundbreaker):
    return reverse(
        "groundbreakers:detail",
        kwargs={"programme": groundbreaker.programme.slug, "slug": groundbreaker.slug},
    )


class GroundbreakersAccessMixin(ObjectAccessMixin):
    """Loads the programme named in the URL (or, with `loads_groundbreaker`, the groundbreaker)
    and checks groundbreakers/rules.py against the user's roles in its programme: 404 to those
    with no council role there, as for one that does not exist; 403 to those who may read it but
    not do what the page does (`permission_required`)."""

    visible_permission = VIEW
    permission_required = VIEW
    loads_groundbreaker = False

    def get_access_object(self):
        if self.loads_groundbreaker:
            self.groundbreaker = selectors.groundbreaker_get(
                self.kwargs["programme"], self.kwargs["slug"]
            )
            self.programme = self.groundbreaker.programme
            return self.groundbreaker
        self.groundbreaker = None
        self.programme = selectors.programme_get(self.kwargs["programme"])
        return self.programme

    def crumbs(self, *extra):
        crumbs = [_index_crumb(self.programme.groundbreaker_labels["title"])]
        if self.groundbreaker is not None:
            crumbs.append(
                {"label": self.groundbreaker.name, "url": _detail_url(self.groundbreaker)}
            )
        return crumbs + list(extra)

    def get_context_data(self, **kwargs):
        for name, value in self.kwargs.items():  # URL captures, not context
            if kwargs.get(name) is value:
                kwargs.pop(name)
        return super().get_context_data(
            programme=self.programme,
            groundbreaker=self.groundbreaker,
            labels=selectors.labels_for(self.programme),
            breadcrumbs=self.crumbs(),
            **kwargs,
        )


class IndexView(ObjectAccessMixin, TemplateView):
    """The groundbreakers of the programmes the user works in."""

    permission_required = "groundbreakers.view_groundbreakers"
    template_name = "groundbreakers/groundbreaker_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        base = selectors.groundbreaker_list_for_user(user)
        filterset = GroundbreakerFilter(
            self.request.GET or None,
            queryset=base,
            places=Place.objects.filter(groundbreakers__in=base.values("pk"))
            .distinct()
            .order_by("name"),
            leads=User.objects.filter(groundbreakers_led__in=base.values("pk"))
            .distinct()
            .order_by("full_name"),
        )
        groundbreakers = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        programmes = selectors.programme_links_for_index(user)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            heading=groundbreaker_label_for_page(self.request),
            filter=filterset,
            index=selectors.groundbreaker_index_page(groundbreakers, self.request.GET.get("page")),
            query=query.urlencode(),
            several_programmes=len(programmes) > 1,
            programmes=programmes,
            filtered=bool(query),
            **kwargs,
        )


class DetailView(GroundbreakersAccessMixin, TemplateView):
    template_name = "groundbreakers/groundbreaker_detail.html"
    loads_groundbreaker = True

    def get_context_data(self, **kwargs):
        gb = self.groundbreaker
        user = self.request.user
        period = period_current(gb.programme)
        outcomes = list(gb.key_outcomes.all())
        return super().get_context_data(
            outcomes=outcomes,
            outcome_count_warning=bool(outcomes)
            and not OUTCOMES_MIN <= len(outcomes) <= OUTCOMES_MAX,
            totals=selectors.activity_totals(programme=gb.programme, groundbreaker=gb),
            timeline=selectors.activity_timeline(programme=gb.programme, groundbreaker=gb),
            learning=list(
                selectors.learning_entries(programme=gb.programme, groundbreaker=gb)[:10]
            ),
            updates=list(selectors.update_list(gb)),
            current_period=period,
            can_change=user.has_perm("groundbreakers.change_groundbreaker", gb),
            can_update=user.has_perm("groundbreakers.write_update", gb),
            can_record=user.has_perm("groundbreakers.log_activity", gb.programme),
            next_statuses=workflow.next_statuses(gb.status),
            **kwargs,
        )


class _DetailsFormMixin:
    def get_form_kwargs(self):
        leads = (
            User.objects.filter(
                is_active=True,
                role_assignments__programme=self.programme,
                role_assignments__role__in=[Role.OFFICER, Role.PROGRAMME_MANAGER],
            )
            .distinct()
            .order_by("full_name")
        )
        return {
            **super().get_form_kwargs(),
            "leads": leads,
            "partners": selectors.partner_choices(
                self.programme, own=self.groundbreaker.partners.all() if self.groundbreaker else ()
            ),
            "places": Place.objects.filter(council_id=self.programme.council_id).order_by("name"),
            "commitments": selectors.commitment_choices(self.programme),
            "grants": selectors.grant_choices(self.programme),
        }


class GroundbreakerCreateView(_DetailsFormMixin, GroundbreakersAccessMixin, FormView):
    template_name = "groundbreakers/groundbreaker_add.html"
    form_class = GroundbreakerForm
    permission_required = "groundbreakers.add_groundbreaker"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            groundbreaker = services.groundbreaker_create(
                programme=self.programme,
                name=data["name"],
                summary=data["summary"],
                lead_service_area=data["lead_service_area"],
                lead_officer=data["lead_officer"],
                sponsor=data["sponsor"],
                partners=list(data["partners"]),
                new_partner=data["new_partner"],
                places=list(data["places"]),
                commitments=list(data["commitments"]),
                grants=list(data["grants"]),
                user=self.request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{groundbreaker.name} has been added as proposed")
        return redirect(_detail_url(groundbreaker))


class GroundbreakerChangeView(
    _DetailsFormMixin, EditConflictMixin, GroundbreakersAccessMixin, FormView
):
    template_name = "groundbreakers/groundbreaker_change.html"
    form_class = GroundbreakerChangeForm
    loads_groundbreaker = True
    permission_required = CHANGE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "groundbreaker": self.groundbreaker}

    def _build_form(self, data):
        return self.form_class(**{**self.get_form_kwargs(), "data": data})

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.groundbreaker_details_update(
                groundbreaker=self.groundbreaker,
                expected_version=data["version"],
                data={field: data[field] for field in services.DETAIL_FIELDS},
                partners=list(data["partners"]),
                new_partner=data["new_partner"],
                places=list(data["places"]),
                commitments=list(data["commitments"]),
                grants=list(data["grants"]),
                user=self.request.user,
            )
        except EditConflict as conflict:
            return self.edit_conflict_response(conflict, form, self._build_form)
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The details have been saved")
        return redirect(_detail_url(self.groundbreaker))


class StatusChangeView(GroundbreakersAccessMixin, FormView):
    template_name = "groundbreakers/groundbreaker_status.html"
    form_class = StatusChangeForm
    loads_groundbreaker = True
    permission_required = CHANGE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current_status": self.groundbreaker.status}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            final=not workflow.next_statuses(self.groundbreaker.status), **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.groundbreaker_status_change(
                groundbreaker=self.groundbreaker,
                to_status=data["to_status"],
                reason=data["reason"],
                changed_on=data["changed_on"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The status has been changed")
        return redirect(_detail_url(self.groundbreaker))


class KeyOutcomesView(GroundbreakersAccessMixin, FormView):
    template_name = "groundbreakers/keyoutcome_edit.html"
    form_class = KeyOutcomesForm
    loads_groundbreaker = True
    permission_required = CHANGE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "outcomes": self.groundbreaker.key_outcomes.all()}

    def form_valid(self, form):
        try:
            services.key_outcomes_set(
                groundbreaker=self.groundbreaker,
                outcomes=form.outcomes(),
                confirm_count=form.cleaned_data["confirm_count"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The key outcomes have been saved")
        return redirect(_detail_url(self.groundbreaker))


class WorkingGroupAddView(GroundbreakersAccessMixin, FormView):
    template_name = "groundbreakers/workinggroupmember_add.html"
    form_class = WorkingGroupMemberForm
    loads_groundbreaker = True
    permission_required = CHANGE

    def get_form_kwargs(self):
        people = (
            User.objects.filter(is_active=True, role_assignments__programme=self.programme)
            .distinct()
            .order_by("full_name")
        )
        return {**super().get_form_kwargs(), "people": people}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.working_group_member_add(
                groundbreaker=self.groundbreaker,
                member=data["member"],
                name=data["name"],
                organisation_name=data["organisation_name"],
                role=data["role"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The working group has been updated")
        return redirect(_detail_url(self.groundbreaker))


class ActivityAddView(GroundbreakersAccessMixin, FormView):
    template_name = "groundbreakers/activity_add.html"
    form_class = ActivityForm
    permission_required = "groundbreakers.log_activity"
    activity = None  # the activity being corrected (ActivityChangeView)

    def _groundbreakers(self):
        return Groundbreaker.objects.filter(programme=self.programme).order_by("name")

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("groundbreaker")
        if slug:
            initial["groundbreaker"] = self._groundbreakers().filter(slug=slug).first()
        return initial

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "groundbreakers": self._groundbreakers(),
            "labels": self.programme.groundbreaker_labels,
            "places": Place.objects.filter(council_id=self.programme.council_id)
            .exclude(kind=PlaceKind.LSOA)
            .order_by("name", "kind"),
            "partners": selectors.partner_choices(
                self.programme, own=self.activity.partners.all() if self.activity else ()
            ),
            "audiences": selectors.audience_list(self.programme.council_id),
        }

    def form_valid(self, form):
        try:
            activity = services.activity_log(
                programme=self.programme, user=self.request.user, **_activity_fields(form)
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"‘{activity.title}’ has been added to the activity log")
        if activity.groundbreaker_id:
            return redirect(_detail_url(activity.groundbreaker))
        return redirect("groundbreakers:totals", programme=self.programme.slug)


ACTIVITY_FORM_FIELDS = [
    "groundbreaker",
    "title",
    "kind",
    "status",
    "date",
    "end_date",
    "start_time",
    "end_time",
    "council_led",
    "notes",
    "attendees",
    "households_approached",
    "questionnaires_completed",
    "hours_of_conversation",
    "volunteers",
]


def _activity_fields(form) -> dict:
    data = form.cleaned_data
    return {
        **{name: data[name] for name in ACTIVITY_FORM_FIELDS},
        "partners": list(data["partners"]),
        "new_partner": data["new_partner"],
        "places": list(data["places"]),
        "audiences": list(data["audiences"]),
    }


class ActivityChangeView(EditConflictMixin, ActivityAddView):
    """Correct an activity: the activity's own programme (which the URL must name) decides."""

    template_name = "groundbreakers/activity_change.html"

    def get_access_object(self):
        self.activity = selectors.activity_get(self.kwargs["pk"])
        if self.activity.programme.slug != self.kwargs["programme"]:
            raise Http404("No such activity")
        self.groundbreaker = None
        self.programme = self.activity.programme
        return self.activity

    def get_initial(self):
        activity = self.activity
        initial = {name: getattr(activity, name) for name in ACTIVITY_FORM_FIELDS}
        initial["partners"] = list(activity.partners.all())
        initial["places"] = list(activity.places.all())
        initial["audiences"] = [a.name for a in activity.audiences.all()]
        initial["version"] = activity.version
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.activity, **kwargs)

    def form_valid(self, form):
        try:
            activity = services.activity_change(
                activity=self.activity,
                user=self.request.user,
                expected_version=form.cleaned_data["version"],
                **_activity_fields(form),
            )
        except EditConflict as conflict:
            kwargs = {
                k: v
                for k, v in self.get_form_kwargs().items()
                if k not in ("data", "files", "initial", "prefix")
            }
            return self.edit_conflict_response(
                conflict, form, lambda data: self.form_class(data, **kwargs)
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"‘{activity.title}’ has been corrected")
        if activity.groundbreaker_id:
            return redirect(_detail_url(activity.groundbreaker))
        return redirect("groundbreakers:totals", programme=self.programme.slug)


class TotalsView(GroundbreakersAccessMixin, TemplateView):
    """Programme-level totals of the engagement log, per groundbreaker and per kind."""

    template_name = "groundbreakers/activity_totals.html"

    def get_context_data(self, **kwargs):
        p = self.programme
        user = self.request.user
        status_form = ActivityStatusFilterForm(self.request.GET or None)
        status = status_form.cleaned_data["status"] if status_form.is_valid() else ""
        return super().get_context_data(
            totals=selectors.activity_totals(programme=p),
            council_led=selectors.activity_totals(programme=p, council_led=True),
            by_groundbreaker=selectors.activity_totals_by_groundbreaker(p),
            by_kind=selectors.activity_totals_by_kind(p),
            planned=selectors.activity_planned(programme=p),
            status_form=status_form,
            status_label=ActivityStatus(status).label.lower() if status else "",
            recent=selectors.activity_timeline(programme=p, limit=25, status=status),
            can_record=user.has_perm("groundbreakers.log_activity", p),
            can_import=user.has_perm("groundbreakers.import_activities", p),
            can_manage_audiences=user.has_perm("groundbreakers.manage_audiences", p),
            **kwargs,
        )


# The import's columns (activity_io.COLUMNS), in words: export → import changes nothing.
EXPORT_HEADERS = [
    "Date",
    "End date",
    "Title",
    "Type",
    "Status",
    "Groundbreaker",
    "Places",
    "Audiences",
    "Partners",
    "Council-led",
    "Attendees",
    "Households approached",
    "Questionnaires completed",
    "Hours of conversation",
    "Volunteers",
    "Notes",
]


def _export_row(a) -> list:
    return [
        a.date,
        a.end_date,
        a.title,
        a.get_kind_display(),
        a.get_status_display(),
        a.groundbreaker.name if a.groundbreaker_id else "Programme-level",
        "; ".join(p.ons_code or p.name for p in a.places.all()),
        "; ".join(x.name for x in a.audiences.all()),
        "; ".join(p.name for p in a.partners.all()),
        "Yes" if a.council_led else "No",
        a.attendees,
        a.households_approached,
        a.questionnaires_completed,
        a.hours_of_conversation,
        a.volunteers,
        a.notes,
    ]


class ActivityExportView(GroundbreakersAccessMixin, View):
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().isoformat()
        filename = f"{self.programme.slug}-activity-log-{stamp}.{self.file_format}"
        rows = logged_rows(
            (_export_row(a) for a in selectors.activity_export_rows(self.programme)),
            user=request.user,
            what=f"Activity log of {self.programme.name} ({self.file_format.upper()})",
            council=self.programme.council_id,
        )
        # the programme's own word for the groundbreaker column
        headers = [
            self.programme.groundbreaker_labels["title_singular"] if h == "Groundbreaker" else h
            for h in EXPORT_HEADERS
        ]
        if self.file_format == "csv":
            return tabular.csv_response(filename, headers, rows, stream=True)
        sheet = tabular.Sheet(title="Activity log", headers=headers, rows=rows)
        return tabular.xlsx_response(filename, sheet)


class _ActivityPagesMixin(GroundbreakersAccessMixin):
    def crumbs(self, *extra):
        totals = {
            "label": "Activity and engagement",
            "url": reverse("groundbreakers:totals", args=[self.programme.slug]),
        }
        return super().crumbs(totals, *extra)


class ActivityImportView(_ActivityPagesMixin, FormView):
    """A programme manager imports an engagement log from a CSV or Excel file, all or nothing:
    any row's error saves nothing and lists every row to correct."""

    template_name = "groundbreakers/activity_import.html"
    form_class = ActivityImportForm
    permission_required = "groundbreakers.import_activities"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=activity_io.COLUMNS,
            audiences=selectors.audience_list(self.programme.council_id),
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            rows = activity_io.read_table(upload.name, upload)
            summary = activity_io.activities_import(
                programme=self.programme, rows=rows, user=self.request.user
            )
        except tabular.ImportRejected as exc:
            form.add_error("file", exc.messages[0])
            context = self.get_context_data(
                form=form,
                row_errors=exc.row_errors,
                more_errors=exc.more_message,
                error_total=f"{exc.total:,}",
            )
            return self.render_to_response(context, status=400)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, f"Activity log imported: {summary}")
        return redirect("groundbreakers:totals", programme=self.programme.slug)


class ActivityImportTemplateView(GroundbreakersAccessMixin, View):
    permission_required = "groundbreakers.import_activities"

    def get(self, request, *args, **kwargs):
        return tabular.file_response(
            "activity-log-template.csv", activity_io.template_csv(), tabular.CSV_TYPE
        )


class AudienceListView(_ActivityPagesMixin, FormView):
    """The council's list of audiences (who activities are for), which its programme managers
    extend. It starts with the default audiences."""

    template_name = "groundbreakers/audience_list.html"
    form_class = AudienceForm
    permission_required = "groundbreakers.manage_audiences"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            audience_council=self.programme.council,
            audiences=selectors.audience_list(self.programme.council_id),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            audience = services.audience_add(
                council=self.programme.council,
                name=form.cleaned_data["name"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{audience.name} has been added to the audiences")
        return redirect("groundbreakers:audiences", programme=self.programme.slug)


class LearningLogView(GroundbreakersAccessMixin, TemplateView):
    template_name = "groundbreakers/learningentry_list.html"

    def get_context_data(self, **kwargs):
        tags = list(selectors.tag_list(self.programme))
        ambitions = list(selectors.ambition_list(self.programme))
        form = LearningSearchForm(self.request.GET or None, tags=tags, ambitions=ambitions)
        query = tag = outcome = ""
        ambition = None
        if form.is_bound and form.is_valid():
            query = form.cleaned_data["q"]
            tag = form.cleaned_data["tag"]
            outcome = form.cleaned_data["outcome"]
            ambition = form.cleaned_data["ambition"]
        entries = selectors.learning_entries(
            programme=self.programme, query=query, tag=tag, outcome=outcome, ambition=ambition
        )
        page = Paginator(entries, 25).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            form=form,
            page=page,
            entries=page.object_list,
            searched=bool(query or tag or outcome or ambition),
            query_string=params.urlencode(),
            outcome_counts=self._outcome_counts(),
            can_add=self.request.user.has_perm("groundbreakers.add_learning", self.programme),
            **kwargs,
        )

    def _outcome_counts(self) -> list[tuple[str, int]]:
        counts = dict(
            LearningEntry.objects.filter(programme=self.programme)
            .order_by()
            .values_list("outcome")
            .annotate(n=Count("id"))
        )
        return [
            (label, counts[value]) for value, label in LearningOutcome.choices if value in counts
        ]


class LearningAddView(GroundbreakersAccessMixin, FormView):
    template_name = "groundbreakers/learningentry_add.html"
    form_class = LearningEntryForm
    permission_required = "groundbreakers.add_learning"

    def _groundbreakers(self):
        return Groundbreaker.objects.filter(programme=self.programme).order_by("name")

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("groundbreaker")
        if slug:
            initial["groundbreaker"] = self._groundbreakers().filter(slug=slug).first()
        return initial

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "groundbreakers": self._groundbreakers(),
            "ambitions": selectors.ambition_list(self.programme),
            "labels": self.programme.groundbreaker_labels,
            "ambition_label": self.programme.ambition_label_plural,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = services.learning_entry_add(
                programme=self.programme,
                groundbreaker=data["groundbreaker"],
                title=data["title"],
                what_we_tried=data["what_we_tried"],
                what_happened=data["what_happened"],
                what_we_would_do_differently=data["what_we_would_do_differently"],
                outcome=data["outcome"],
                tags=data["tags"],
                ambitions=list(data["ambitions"]),
                user=self.request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"‘{entry.title}’ has been added to the learning log")
        if entry.groundbreaker_id:
            return redirect(_detail_url(entry.groundbreaker))
        return redirect("groundbreakers:learning", programme=self.programme.slug)


class PeriodUpdatesView(GroundbreakersAccessMixin, TemplateView):
    """For the steering group: every groundbreaker's quarterly update for one period."""

    template_name = "groundbreakers/groundbreakerupdate_list.html"

    def get_context_data(self, **kwargs):
        periods = list(selectors.period_list(self.programme))
        wanted = self.request.GET.get("period", "").upper()
        period = next((p for p in periods if p.label == wanted), None)
        if period is None:
            period = period_current(self.programme) or (periods[0] if periods else None)
        rows = selectors.updates_for_period(self.programme, period) if period else []
        submitted = sum(
            1 for g in rows if g.period_update and g.period_update.status == UpdateStatus.SUBMITTED
        )
        return super().get_context_data(
            periods=periods, period=period, rows=rows, submitted=submitted, **kwargs
        )


class UpdateView(EditConflictMixin, GroundbreakersAccessMixin, FormView):
    """The quarterly update for one period: draft, submit, locked once the period locks."""

    template_name = "groundbreakers/groundbreakerupdate_form.html"
    form_class = GroundbreakerUpdateForm
    loads_groundbreaker = True
    permission_required = "groundbreakers.write_update"

    def _load(self):
        if hasattr(self, "update"):
            return
        self.period = selectors.get_period_or_404(self.programme, self.kwargs["period"])
        self.outcomes = list(self.groundbreaker.key_outcomes.all())
        self.update = selectors.update_list(self.groundbreaker).filter(period=self.period).first()

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        if self.period.is_locked:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        update = self.update or GroundbreakerUpdate(
            groundbreaker=self.groundbreaker, period=self.period
        )
        progress = {}
        if self.update is not None:
            progress = {row.outcome_id: row.progress for row in self.update.outcome_progress.all()}
        return {
            **super().get_form_kwargs(),
            "update": update,
            "outcomes": self.outcomes,
            "progress": progress,
        }

    def _build_form(self, data):
        return self.form_class(**{**self.get_form_kwargs(), "data": data})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            period=self.period,
            update=self.update,
            locked=self.period.is_locked,
            submitted=self.update is not None and self.update.status == UpdateStatus.SUBMITTED,
            **kwargs,
        )

    def form_valid(self, form):
        submit = "save_draft" not in self.request.POST
        try:
            with transaction.atomic():  # the draft is started only with a valid first save
                update = self.update or services.groundbreaker_update_start(
                    groundbreaker=self.groundbreaker, period=self.period, user=self.request.user
                )
                services.groundbreaker_update_save(
                    update=update,
                    expected_version=form.cleaned_data["version"],
                    rag=form.cleaned_data["rag"],
                    summary=form.cleaned_data["summary"],
                    next_steps=form.cleaned_data["next_steps"],
                    progress=form.progress(),
                    submit=submit,
                    user=self.request.user,
                )
        except EditConflict as conflict:
            return self.edit_conflict_response(conflict, form, self._build_form)
        except PeriodLocked as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        except ValidationError as error:
            add_form_errors(form, error)
            return self.form_invalid(form)
        if submit:
            messages.success(
                self.request, f"Your {period_name(self.period)} update has been submitted"
            )
        else:
            messages.success(
                self.request, f"Your {period_name(self.period)} update is saved as a draft"
            )
        return redirect(_detail_url(self.groundbreaker))
