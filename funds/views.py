"""Funds pages. Each view: load the object with a selector and check the object rule from
funds/rules.py (cpw.core.access: 404 for those who may not know it exists, 403 for those who
may) → validate the form → call a service → redirect."""

from functools import wraps

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cpw.core import formatting
from cpw.core.access import access_required
from cpw.core.concurrency import EditConflict
from cpw.core.conflicts import edit_conflict_response
from cpw.core.forms import add_form_errors
from cpw.core.queueing import QueueUnavailable
from cpw.privacy.models import AccessKind
from cpw.privacy.services import record_access
from programmes.models import Place, PlaceKind

from . import emails, exports, forms, opendata, selectors, services, workflow
from .models import (
    ApplicationStatus,
    ConflictStatus,
    EmailTemplateKind,
    FundKind,
    QuestionKind,
    Section,
    SectionStatus,
)


def acting_as(rule: str, *, hidden: bool = False):
    """For pages that are someone's own work (an organisation's application, an assessor's
    assignment, a councillor's pot): the `rules` rule must hold for the user (and the page's
    object). Staff admins pass every permission but have none of these, so this is a rule, not
    a permission. Goes under `access_required`, which has already loaded the object."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = args[0] if args else None
            if not rules.test_rule(rule, request.user, obj):
                raise Http404 if hidden else PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _fund(request, slug, **kwargs):
    return selectors.fund_get(slug)


def _application(request, pk, **kwargs):
    return selectors.application_get(pk)


def _application_for_review(request, pk, **kwargs):
    return selectors.application_review_get(pk)


def _award(request, pk, **kwargs):
    return selectors.award_get(pk)


def _assignment(request, pk, **kwargs):
    return selectors.assignment_get(pk)


def _crumbs(*pairs):
    return [{"label": label, "url": url} for label, url in pairs]


# Public ---------------------------------------------------------------------------------------


@require_safe
def fund_list(request):
    # A council's staff see their own council's funds under its name; everyone else (visitors,
    # partners, staff admins) the funds of every council on the portal, under the portal's.
    user = request.user
    council_ids = None
    if user.is_authenticated and not user.is_superuser and user.council_ids:
        council_ids = user.council_ids
    funds, now = selectors.fund_list_public(council_ids=council_ids)
    return render(request, "funds/fund_list.html", {"funds": funds, "now": now})


@require_safe
def fund_detail(request, slug):
    fund = selectors.fund_get_public(slug)
    request.access_object = fund  # the page names the fund's council
    now = timezone.now()
    can_apply = rules.test_rule("funds.apply", request.user)
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "now": now,
            "can_apply": can_apply,
            "breadcrumbs": _crumbs(("Funds", reverse("funds:fund-list"))),
        },
    )


def eligibility(request, slug):
    fund = selectors.fund_get_public(slug)
    request.access_object = fund  # the page names the fund's council
    result = None
    organisation = getattr(request.user, "organisation", None)
    form = forms.EligibilityForm(
        request.POST or None,
        fund=fund,
        # A signed-in partner's organisation type is known: it is chosen for them.
        initial={"organisation_kind": organisation.kind} if organisation else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        in_priority = data.get("in_priority_place")
        result = services.eligibility_reasons(
            fund=fund,
            organisation_kind=data["organisation_kind"],
            in_priority_place=None if in_priority is None else in_priority == "yes",
            amount=data["amount"],
        )
    now = timezone.now()
    return render(
        request,
        "funds/eligibility.html",
        {
            "fund": fund,
            "form": form,
            "result": result,
            # "Start now" goes to the round open for applications (the first, if several).
            "open_round": next((r for r in fund.round_list if r.is_open(now)), None),
            "breadcrumbs": _crumbs(
                ("Funds", reverse("funds:fund-list")),
                (fund.name, reverse("funds:fund-detail", args=[fund.slug])),
            ),
        },
    )


@require_safe
def open_data(request, slug, fmt):
    fund = selectors.fund_get_public(slug)
    if fmt == "json":
        response = HttpResponse(opendata.as_json(fund), content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(opendata.as_csv(fund), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            opendata.as_xlsx(fund),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{fund.slug}-360giving.{fmt}"'
    return response


# Partner: applications ------------------------------------------------------------------------

SECTION_ORDER = [
    Section.PROJECT,
    Section.FUNDING,
    Section.PLACES,
    Section.BUDGET,
    Section.QUESTIONS,
]


@access_required(None)
@acting_as("funds.apply")
@require_safe
def my_applications(request):
    return render(
        request,
        "funds/application_list_mine.html",
        {
            "applications": selectors.application_list_for_organisation(request.user),
            "today": timezone.localdate(),
            **selectors.partner_next_steps(request.user),
        },
    )


@access_required(None)
@acting_as("funds.apply")
def application_start(request, slug, round_id):
    fund = selectors.fund_get_public(slug)
    round = selectors.round_get_or_404(fund, round_id)
    error = None
    if request.method == "POST":
        try:
            application = services.application_start(round=round, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("funds:application-tasks", pk=application.pk)
    return render(
        request,
        "funds/application_start.html",
        {
            "fund": fund,
            "round": round,
            "error": error,
            "breadcrumbs": _crumbs(
                ("Funds", reverse("funds:fund-list")),
                (fund.name, reverse("funds:fund-detail", args=[fund.slug])),
            ),
        },
        status=400 if error else 200,
    )


def _partner_crumbs(application):
    return _crumbs(
        ("Applications", reverse("funds:my-applications")),
        (str(application), reverse("funds:application-tasks", args=[application.pk])),
    )


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
@require_safe
def application_tasks(request, application, pk):
    states = {s.section: s for s in application.sections.all()}
    open_requests = {
        c.section: c for c in application.change_requests.all() if c.resolved_at is None
    }
    tasks = [
        {
            "section": section,
            "label": Section(section).label,
            "status": states[section].status if section in states else SectionStatus.NOT_STARTED,
            "status_label": SectionStatus(
                states[section].status if section in states else SectionStatus.NOT_STARTED
            ).label,
            "change": open_requests.get(section),
            "url": reverse("funds:application-section", args=[application.pk, section]),
        }
        for section in SECTION_ORDER
    ]
    all_done = all(t["status"] == SectionStatus.COMPLETED for t in tasks)
    return render(
        request,
        "funds/application_tasks.html",
        {
            "application": application,
            "tasks": tasks,
            "completed": sum(t["status"] == SectionStatus.COMPLETED for t in tasks),
            "all_done": all_done,
            "editable": application.status in workflow.EDITABLE_BY_APPLICANT,
            "can_withdraw": workflow.transition_for(application.status, ApplicationStatus.WITHDRAWN)
            is not None,
            "breadcrumbs": _crumbs(("Applications", reverse("funds:my-applications"))),
        },
    )


def _section_form(application, section, data=None, files=None):
    fund = application.round.fund
    if section == Section.PROJECT:
        return forms.ProjectForm(
            data,
            initial={
                "project_title": application.project_title,
                "summary": application.summary,
                "version": application.version,
            },
        )
    if section == Section.FUNDING:
        return forms.FundingForm(
            data,
            fund=fund,
            initial={
                "amount_capital": application.amount_capital or None,
                "amount_revenue": application.amount_revenue or None,
                "start_date": application.start_date,
                "end_date": application.end_date,
                "version": application.version,
            },
        )
    if section == Section.PLACES:
        council = fund.programme.council
        places = Place.objects.filter(council=council).exclude(kind=PlaceKind.COUNTY)
        if fund.priority_places_only:
            places = fund.programme.priority_places.filter(council=council)
        places = places.order_by("name")
        return forms.PlacesForm(
            data,
            places=places,
            initial={
                "places": [p.pk for p in application.places.all()],
                "beneficiaries": application.beneficiaries,
                "version": application.version,
            },
        )
    if section == Section.BUDGET:
        return forms.BudgetLineForm(data)
    return forms.QuestionsForm(
        data,
        files,
        questions=fund.questions.all(),
        answers={a.question_id: a for a in application.answers.all()},
        initial={"version": application.version},
    )


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
def application_section(request, application, pk, section):
    if section not in Section.values:
        raise Http404
    if application.status not in workflow.EDITABLE_BY_APPLICANT:
        return redirect("funds:application-section-check", pk=pk, section=section)
    form = _section_form(
        application,
        section,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if section == Section.BUDGET:
                services.budget_line_add(
                    application=application, user=request.user, **form.cleaned_data
                )
                messages.success(request, "Budget line added")
                return redirect("funds:application-section", pk=pk, section=section)
            if section == Section.QUESTIONS:
                values, uploads = {}, {}
                for question in form.questions:
                    value = form.cleaned_data.get(f"q{question.pk}")
                    if question.kind == QuestionKind.FILE:
                        uploads[question.pk] = value or None
                    else:
                        values[question.pk] = "" if value is None else value
                services.answers_save(
                    application=application,
                    user=request.user,
                    values=values,
                    uploads=uploads,
                    expected_version=form.cleaned_data.get("version"),
                )
            else:
                data = dict(form.cleaned_data)
                services.application_section_save(
                    application=application,
                    user=request.user,
                    section=section,
                    data=data,
                    expected_version=data.pop("version"),
                )
        except EditConflict as conflict:
            current = conflict.current
            return edit_conflict_response(
                request,
                "funds/application_section.html",
                {
                    "application": application,
                    "section": section,
                    "section_label": Section(section).label,
                    "budget_lines": None,
                    "breadcrumbs": _partner_crumbs(application),
                },
                conflict=conflict,
                form=form,
                build_form=lambda data: _section_form(current, section, data),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("funds:application-section-check", pk=pk, section=section)
    change = next(
        (
            c
            for c in application.change_requests.all()
            if c.section == section and not c.resolved_at
        ),
        None,
    )
    return render(
        request,
        "funds/application_section.html",
        {
            "application": application,
            "section": section,
            "section_label": Section(section).label,
            "form": form,
            "change": change,
            "budget_lines": application.budget_lines.all() if section == Section.BUDGET else None,
            "breadcrumbs": _partner_crumbs(application),
        },
    )


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
@require_POST
def budget_line_remove(request, application, pk, line_id):
    try:
        services.budget_line_remove(application=application, user=request.user, line_id=line_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("funds:application-section", pk=pk, section=Section.BUDGET)


def section_rows(application, section, change_urls=False):
    """Summary list rows for one section ("check your answers")."""

    def href():
        return (
            reverse("funds:application-section", args=[application.pk, section])
            if change_urls
            else None
        )

    if section == Section.PROJECT:
        rows = [("Project title", application.project_title), ("Summary", application.summary)]
    elif section == Section.FUNDING:
        rows = [
            ("Capital requested", services.money(application.amount_capital)),
            ("Revenue requested", services.money(application.amount_revenue)),
            ("Start date", formatting.uk_date(application.start_date)),
            ("End date", formatting.uk_date(application.end_date)),
        ]
    elif section == Section.PLACES:
        rows = [
            ("Places that benefit", ", ".join(p.name for p in application.places.all())),
            ("Who benefits", application.beneficiaries),
        ]
    elif section == Section.BUDGET:
        rows = [
            (f"{line.description} ({line.get_kind_display().lower()})", services.money(line.amount))
            for line in application.budget_lines.all()
        ] or [("Budget lines", "")]
    else:
        answers = {a.question_id: a for a in application.answers.all()}
        rows = []
        for question in application.round.fund.questions.all():
            answer = answers.get(question.pk)
            value = ""
            if answer:
                value = (
                    answer.original_filename if question.kind == QuestionKind.FILE else answer.value
                )
            rows.append((question.text, value))
    return [{"key": k, "value": v, "href": href()} for k, v in rows]


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
def application_section_check(request, application, pk, section):
    if section not in Section.values:
        raise Http404
    editable = application.status in workflow.EDITABLE_BY_APPLICANT
    form = forms.SectionCompleteForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.application_section_complete(
                    application=application,
                    user=request.user,
                    section=section,
                    completed=form.cleaned_data["completed"] == "yes",
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                return redirect("funds:application-tasks", pk=pk)
    return render(
        request,
        "funds/application_section_check.html",
        {
            "application": application,
            "section_label": Section(section).label,
            "rows": section_rows(application, section, change_urls=editable),
            "form": form if editable else None,
            "breadcrumbs": _partner_crumbs(application),
        },
    )


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
def application_submit(request, application, pk):
    if application.status not in workflow.EDITABLE_BY_APPLICANT:
        return redirect("funds:application-tasks", pk=pk)
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                application=application,
                user=request.user,
                declaration_name=form.cleaned_data["declaration_name"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("funds:application-submitted", pk=pk)
    return render(
        request,
        "funds/application_submit.html",
        {
            "application": application,
            "form": form,
            "sections": [
                {"label": Section(s).label, "rows": section_rows(application, s, change_urls=True)}
                for s in SECTION_ORDER
            ],
            "closes_at": application.round.closes_at,
            "breadcrumbs": _partner_crumbs(application),
        },
    )


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
@require_safe
def application_submitted(request, application, pk):
    if not application.reference:
        return redirect("funds:application-tasks", pk=pk)
    return render(request, "funds/application_submitted.html", {"application": application})


def _answer(request, pk, answer_id):
    return selectors.answer_get(pk, answer_id)


@access_required("funds.download_answer", load=_answer, visible="funds.download_answer")
@require_safe
def answer_file(request, answer, pk, answer_id):
    """Download an attached file: the applying organisation, council staff of the programme,
    or an assessor assigned without a conflict (everyone else: 404)."""
    if not answer.file:
        raise Http404
    record_access(
        user=request.user,
        what=f"Attachment to application {answer.application_id}",
        rows=1,
        kind=AccessKind.DOWNLOAD,
        about=answer,
    )
    return FileResponse(
        answer.file.open("rb"), as_attachment=True, filename=answer.original_filename
    )


def _photo(request, pk, report_id, photo_id):
    return selectors.monitoring_photo_get(pk, report_id, photo_id)


@access_required("funds.view_grant_detail", load=_photo, visible="funds.view_grant")
@require_safe
def monitoring_photo(request, photo, pk, report_id, photo_id):
    """A photo sent with a monitoring report: whoever may open the grant's page."""
    record_access(
        user=request.user,
        what=f"Monitoring photo {photo.pk}",
        rows=1,
        kind=AccessKind.DOWNLOAD,
        about=photo,
    )
    return FileResponse(photo.file.open("rb"), filename=photo.original_filename)


# Partner: grants ------------------------------------------------------------------------------


@access_required(None)
@acting_as("funds.apply")
@require_safe
def my_grants(request):
    return render(
        request,
        "funds/grant_list_mine.html",
        {"awards": selectors.grant_list_for_organisation(request.user)},
    )


@access_required("funds.view_grant_detail", load=_award, visible="funds.view_grant")
@require_safe
def grant_detail(request, award, pk):
    manages_payments = request.user.has_perm("funds.manage_payments", award)
    return render(
        request,
        "funds/grant_detail.html",
        {
            "award": award,
            "application": award.application,
            "manages_payments": manages_payments,
            "payment_form": forms.PaymentForm() if manages_payments else None,
            "status_form": forms.GrantStatusForm(initial={"status": award.status})
            if request.user.has_perm("funds.set_grant_status", award)
            else None,
            "breadcrumbs": _crumbs(
                ("Grants", reverse("funds:my-grants"))
                if not manages_payments
                else (
                    "Applications",
                    reverse("funds:application-list", args=[award.application.round.fund.slug]),
                )
            ),
        },
    )


def _report(request, pk, report_id):
    return selectors.report_get(pk, report_id)


@access_required("funds.submit_report", load=_report, visible="funds.view_grant")
@acting_as("funds.act_for_organisation")
def report_submit(request, report, pk, report_id):
    if report.status != "due":
        return redirect("funds:grant-detail", pk=pk)
    form = forms.MonitoringReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_report_submit(report=report, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Your monitoring report has been submitted")
            return redirect("funds:grant-detail", pk=pk)
    return render(
        request,
        "funds/report_submit.html",
        {
            "report": report,
            "form": form,
            "breadcrumbs": _crumbs(
                ("Grants", reverse("funds:my-grants")),
                (str(report.award.application), reverse("funds:grant-detail", args=[pk])),
            ),
        },
    )


# Council: funds and applications --------------------------------------------------------------


@access_required("funds.view_applications")
@require_safe
def manage(request):
    funds = selectors.fund_list_for_council(request.user)
    return render(request, "funds/manage.html", {"funds": funds})


@access_required("funds.list_applications", load=_fund, visible="funds.view_fund")
@require_safe
def application_list(request, fund, slug):
    filters = forms.ApplicationFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page, applications = selectors.application_page(
        fund=fund, status=status, page_number=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funds/application_list.html",
        {
            "fund": fund,
            "filters": filters,
            "applications": applications,
            "page": page,
            "query": query.urlencode(),
            "rounds": fund.rounds.select_related("participatory"),
            "breadcrumbs": _crumbs(("Funds", reverse("funds:manage"))),
        },
    )


@access_required("funds.export_applications", load=_fund, visible="funds.view_fund")
def application_export(request, fund, slug):
    form = forms.ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["file_format"]
        queryset = selectors.application_list(fund=fund)
        count = queryset.count()
        if count <= exports.INLINE_LIMIT:
            content, content_type = exports.applications_file(queryset, fmt)
            record_access(
                user=request.user,
                what=f"Applications to {fund.name} ({fmt.upper()})",
                rows=count,
                about=fund,
            )
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = (
                f'attachment; filename="{fund.slug}-applications.{fmt}"'
            )
            return response
        try:
            job = services.export_job_start(fund=fund, user=request.user, file_format=fmt)
        except QueueUnavailable as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("funds:export-job", pk=job.pk)
    return render(
        request,
        "funds/application_export.html",
        {
            "fund": fund,
            "form": form,
            "breadcrumbs": _crumbs(
                ("Funds", reverse("funds:manage")),
                (fund.name, reverse("funds:application-list", args=[fund.slug])),
            ),
        },
    )


def _export_job(request, pk):
    return selectors.export_job_get(pk)


@access_required("funds.export_applications", load=_export_job, visible="funds.view_fund")
@require_safe
def export_job(request, job, pk):
    return render(request, "funds/export_job.html", {"job": job})


@access_required("funds.export_applications", load=_export_job, visible="funds.view_fund")
@require_safe
def export_download(request, job, pk):
    if not job.file:
        raise Http404
    record_access(
        user=request.user,
        what=f"Applications to {job.fund.name} ({job.file_format.upper()}, export {job.pk})",
        rows=selectors.application_list(fund=job.fund).count(),
        kind=AccessKind.DOWNLOAD,
        about=job,
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"{job.fund.slug}-applications.{job.file_format}",
    )


@access_required("funds.view_fund_dashboard", load=_fund, visible="funds.view_fund")
@require_safe
def fund_dashboard(request, fund, slug):
    data = selectors.fund_dashboard(fund)
    top = max([r["budget"] for r in data["money"]] + [r["requested"] for r in data["money"]] + [1])
    bars = []
    for i, row in enumerate(data["money"][:2]):
        for j, key in enumerate(["requested", "awarded", "budget"]):
            bars.append(
                {
                    "y": 20 + i * 100 + j * 26,
                    "width": int(float(row[key]) / float(top) * 400),
                    "label": f"{row['label']} {key}: {services.money(row[key])}",
                    "kind": key,
                }
            )
    return render(
        request,
        "funds/fund_dashboard.html",
        {
            "fund": fund,
            "bars": bars,
            **data,
            "breadcrumbs": _crumbs(("Funds", reverse("funds:manage"))),
        },
    )


@access_required("funds.manage_fund", load=_fund, visible="funds.view_fund")
def email_template(request, fund, slug, kind):
    if kind not in EmailTemplateKind.values:
        raise Http404
    current = next((t for t in fund.email_templates.all() if t.kind == kind), None)
    subject, body = (
        (current.subject, current.body)
        if current
        else emails.TEMPLATE_DEFAULTS[EmailTemplateKind(kind)]
    )
    form = forms.EmailTemplateForm(
        request.POST or None,
        kind=kind,
        initial={"subject": subject, "body": body, "version": current.version if current else 0},
    )
    context = {
        "fund": fund,
        "kind_label": EmailTemplateKind(kind).label,
        "kinds": EmailTemplateKind.choices,
        "placeholders": emails.PLACEHOLDERS[EmailTemplateKind(kind)],
        "breadcrumbs": _crumbs(("Funds", reverse("funds:manage"))),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.email_template_save(
                fund=fund, kind=kind, user=request.user, **form.cleaned_data
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                "funds/email_template.html",
                context,
                conflict=conflict,
                form=form,
                build_form=lambda data: forms.EmailTemplateForm(data, kind=kind),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Email saved")
            return redirect("funds:email-template", slug=slug, kind=kind)
    return render(
        request,
        "funds/email_template.html",
        {
            **context,
            "form": form,
            "sending_default": bool(
                current
                and emails.email_template_errors(
                    kind=kind, subject=current.subject, body=current.body
                )
            ),
        },
    )


def _review_context(request, application, resolve_form=None, **extra):
    """The review page's context; `extra` (and `resolve_form`) are the submitted form that failed,
    whose error summary goes at the top of the page."""
    actors = services.actors_for(request.user, application)
    moves = [
        t
        for t in workflow.transitions_from(application.status, actors)
        if t.target in workflow.REVIEW_BUTTON_TARGETS
    ]
    return {
        "application": application,
        "moves": moves,
        "sections": [
            {"label": Section(s).label, "rows": section_rows(application, s)} for s in SECTION_ORDER
        ],
        "answers": [a for a in application.answers.all() if a.file],
        "comment_form": forms.CommentForm(),
        "flag_form": forms.FlagForm(),
        "flags": [
            {
                "flag": flag,
                "form": (
                    resolve_form
                    if resolve_form is not None and resolve_form.prefix == f"flag{flag.pk}"
                    else forms.FlagResolveForm(prefix=f"flag{flag.pk}")
                ),
            }
            for flag in application.flags.all()
        ],
        "assign_form": forms.AssignAssessorForm(programme_id=application.programme_id)
        if request.user.has_perm("funds.assign_assessors", application)
        else None,
        "can_screen": bool(actors & {workflow.OFFICER, workflow.MANAGER}),
        "can_decide": request.user.has_perm("funds.decide", application)
        and application.status
        in {ApplicationStatus.READY_FOR_DECISION, ApplicationStatus.SCREENING},
        "can_award": request.user.has_perm("funds.award", application)
        and application.status == ApplicationStatus.APPROVED
        and not hasattr(application, "award"),
        "breadcrumbs": _crumbs(
            ("Funds", reverse("funds:manage")),
            (
                application.round.fund.name,
                reverse("funds:application-list", args=[application.round.fund.slug]),
            ),
        ),
        "error_form": next(
            (form for form in (resolve_form, *extra.values()) if getattr(form, "errors", None)),
            None,
        ),
        **extra,
    }


@access_required(
    "funds.review_application", load=_application_for_review, visible="funds.view_application"
)
@require_safe
def application_review(request, application, pk):
    return render(request, "funds/application_review.html", _review_context(request, application))


def _review_with_error(request, application, error: ValidationError, **forms_with_errors):
    context = _review_context(request, application, **forms_with_errors)
    context["page_errors"] = error.messages
    return render(request, "funds/application_review.html", context, status=400)


@access_required(
    "funds.screen_application", load=_application_for_review, visible="funds.view_application"
)
@require_POST
def application_move(request, application, pk):
    target = request.POST.get("target", "")
    if target not in ApplicationStatus.values:
        messages.error(request, "Choose what to do with the application")
        return redirect("funds:application-review", pk=pk)
    try:
        services.application_move(application=application, user=request.user, target=target)
    except ValidationError as exc:
        return _review_with_error(request, application, exc)
    messages.success(
        request,
        workflow.MOVE_CONFIRMATIONS.get(
            target, f"The application's status is now {ApplicationStatus(target).label.lower()}"
        ),
    )
    return redirect("funds:application-review", pk=pk)


@access_required(
    "funds.screen_application", load=_application_for_review, visible="funds.view_application"
)
def application_changes(request, application, pk):
    form = forms.ChangesRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.changes_request(
                application=application, user=request.user, reasons=form.reasons()
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "The applicant has been asked for changes")
            return redirect("funds:application-review", pk=pk)
    return render(
        request,
        "funds/application_changes.html",
        {
            "application": application,
            "form": form,
            "breadcrumbs": _crumbs(
                (str(application), reverse("funds:application-review", args=[pk])),
            ),
        },
    )


@access_required(
    "funds.assign_assessors", load=_application_for_review, visible="funds.view_application"
)
@require_POST
def application_assign(request, application, pk):
    form = forms.AssignAssessorForm(request.POST, programme_id=application.programme_id)
    if form.is_valid():
        try:
            services.assessor_assign(
                application=application, assessor=form.cleaned_data["assessor"], user=request.user
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
    if form.errors:
        context = _review_context(request, application, assign_form=form)
        return render(request, "funds/application_review.html", context, status=400)
    messages.success(request, f"{form.cleaned_data['assessor']} has been assigned")
    return redirect("funds:application-review", pk=pk)


@access_required(
    "funds.review_application", load=_application_for_review, visible="funds.view_application"
)
@require_POST
def application_comment(request, application, pk):
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(
            application=application, user=request.user, text=form.cleaned_data["text"]
        )
        return redirect("funds:application-review", pk=pk)
    return render(
        request,
        "funds/application_review.html",
        _review_context(request, application, comment_form=form),
        status=400,
    )


@access_required(
    "funds.review_application", load=_application_for_review, visible="funds.view_application"
)
@require_POST
def application_flag(request, application, pk):
    form = forms.FlagForm(request.POST)
    if form.is_valid():
        services.flag_raise(
            application=application, user=request.user, reason=form.cleaned_data["reason"]
        )
        return redirect("funds:application-review", pk=pk)
    return render(
        request,
        "funds/application_review.html",
        _review_context(request, application, flag_form=form),
        status=400,
    )


def _flag(request, pk):
    return selectors.flag_get(pk)


@access_required("funds.review_application", load=_flag, visible="funds.view_application")
@require_POST
def flag_resolve(request, flag, pk):
    application = selectors.application_review_get(flag.application_id)
    form = forms.FlagResolveForm(request.POST, prefix=f"flag{flag.pk}")
    if form.is_valid():
        try:
            services.flag_resolve(flag=flag, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("funds:application-review", pk=application.pk)
    return render(
        request,
        "funds/application_review.html",
        _review_context(request, application, resolve_form=form),
        status=400,
    )


@access_required("funds.decide", load=_application_for_review, visible="funds.view_application")
def application_decide(request, application, pk):
    form = forms.DecisionForm(
        request.POST or None,
        initial={
            "amount_capital": application.amount_capital,
            "amount_revenue": application.amount_revenue,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(
                application=application,
                user=request.user,
                outcome=data["outcome"],
                amount_capital=data["amount_capital"] or 0,
                amount_revenue=data["amount_revenue"] or 0,
                conditions=data["conditions"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "The decision has been recorded and the applicant emailed")
            return redirect("funds:application-review", pk=pk)
    return render(
        request,
        "funds/application_decide.html",
        {
            "application": application,
            "form": form,
            "breadcrumbs": _crumbs(
                (str(application), reverse("funds:application-review", args=[pk]))
            ),
        },
    )


@access_required("funds.award", load=_application_for_review, visible="funds.view_application")
def award_create(request, application, pk):
    fund = application.round.fund
    allocations = None
    if fund.kind == FundKind.MEMBER:
        allocations = selectors.member_allocations_for_fund(fund)
    decision = getattr(application, "decision", None)
    recommendation = getattr(application, "recommendation", None)
    form = forms.AwardForm(
        request.POST or None,
        allocations=allocations,
        initial={
            "allocation": recommendation.allocation_id if recommendation else None,
            "amount_capital": decision.amount_capital if decision else None,
            "amount_revenue": decision.amount_revenue if decision else None,
            "conditions": decision.conditions if decision else "",
            "awarded_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_create(
                application=application,
                user=request.user,
                amount_capital=data["amount_capital"] or 0,
                amount_revenue=data["amount_revenue"] or 0,
                awarded_on=data["awarded_on"],
                conditions=data["conditions"],
                allocation=data.get("allocation"),
                report_due_dates=[
                    d for d in (data["first_report_due"], data["final_report_due"]) if d
                ],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "The grant has been awarded")
            return redirect("funds:grant-detail", pk=award.pk)
    return render(
        request,
        "funds/award_create.html",
        {
            "application": application,
            "form": form,
            "remaining": application.round.budget - services.round_awarded(application.round),
            "breadcrumbs": _crumbs(
                (str(application), reverse("funds:application-review", args=[pk]))
            ),
        },
    )


@access_required("funds.manage_payments", load=_award, visible="funds.view_grant")
def payment_add(request, award, pk):
    form = forms.PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_plan(award=award, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Payment planned. A second person must approve it")
            return redirect("funds:grant-detail", pk=pk)
    return render(
        request,
        "funds/payment_add.html",
        {
            "award": award,
            "form": form,
            "breadcrumbs": _crumbs(
                (str(award.application), reverse("funds:grant-detail", args=[pk]))
            ),
        },
    )


def _payment(request, pk):
    return selectors.payment_get(pk)


def _payment_action(request, payment, service, done):
    try:
        service(payment=payment, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("funds:grant-detail", pk=payment.award_id)


@access_required("funds.manage_payments", load=_payment, visible="funds.view_grant")
@require_POST
def payment_approve(request, payment, pk):
    return _payment_action(request, payment, services.payment_approve, "Payment approved")


@access_required("funds.manage_payments", load=_payment, visible="funds.view_grant")
@require_POST
def payment_paid(request, payment, pk):
    return _payment_action(request, payment, services.payment_mark_paid, "Payment marked as paid")


@access_required("funds.set_grant_status", load=_award, visible="funds.view_grant")
@require_POST
def grant_status(request, award, pk):
    form = forms.GrantStatusForm(request.POST)
    if form.is_valid():
        services.award_status_set(
            award=award, user=request.user, status=form.cleaned_data["status"]
        )
        messages.success(request, "Grant status updated")
    return redirect("funds:grant-detail", pk=pk)


def _round(request, pk):
    return selectors.round_get(pk)


@access_required("funds.view_panel", load=_round, visible="funds.view_fund")
@require_safe
def panel(request, round, pk):
    council_view = request.user.has_perm("funds.list_applications", round)
    return render(
        request,
        "funds/panel.html",
        {
            "round": round,
            "council_view": council_view,
            **selectors.panel(round, assessed_by=None if council_view else request.user),
            "breadcrumbs": _crumbs(
                ("Funds", reverse("funds:manage")),
                (round.fund.name, reverse("funds:application-list", args=[round.fund.slug])),
            )
            if council_view
            else _crumbs(("Applications to assess", reverse("funds:assessments"))),
        },
    )


@access_required("funds.list_applications", load=_round, visible="funds.view_fund")
@require_safe
def panel_export(request, round, pk):
    record_access(
        user=request.user,
        what=f"Panel spreadsheet for {round.fund.name}, {round.name}",
        rows=round.applications.count(),
        about=round,
    )
    response = HttpResponse(
        exports.panel_xlsx(round),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="panel-{round.pk}.xlsx"'
    return response


# Assessors ------------------------------------------------------------------------------------


@access_required("portal.view_assessments")
@require_safe
def assessments(request):
    return render(
        request,
        "funds/assessments.html",
        {"assignments": selectors.assignment_list_for_assessor(request.user)},
    )


@access_required("funds.declare_conflict", load=_assignment, visible="funds.view_assignment")
@acting_as("funds.act_as_assessor", hidden=True)
def assessment_declare(request, assignment, pk):
    if assignment.conflict == ConflictStatus.NONE:
        return redirect("funds:assessment-score", pk=pk)
    if assignment.conflict == ConflictStatus.CONFLICTED:
        raise PermissionDenied
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conflicted = form.cleaned_data["conflicted"] == "yes"
        try:
            services.conflict_declare(
                assignment=assignment,
                user=request.user,
                conflicted=conflicted,
                details=form.cleaned_data["details"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            if conflicted:
                messages.success(request, "Thank you. You have been removed from this application")
                return redirect("funds:assessments")
            return redirect("funds:assessment-score", pk=pk)
    return render(
        request,
        "funds/assessment_declare.html",
        {
            "assignment": assignment,
            "form": form,
            "breadcrumbs": _crumbs(("Applications to assess", reverse("funds:assessments"))),
        },
    )


@access_required("funds.assess", load=_assignment, visible="funds.view_assignment")
@acting_as("funds.act_as_assessor", hidden=True)
def assessment_score(request, assignment, pk):
    services.ensure_can_assess(assignment, request.user)
    if assignment.conflict == ConflictStatus.UNDECLARED:
        return redirect("funds:assessment-declare", pk=pk)
    application = (
        type(assignment.application)
        .objects.select_related("round__fund", "organisation")
        .prefetch_related("places", "budget_lines", "answers__question", "change_requests")
        .get(pk=assignment.application_id)
    )
    criteria = list(application.round.fund.criteria.all())
    form = forms.ScoreForm(
        request.POST or None,
        criteria=criteria,
        scores={s.criterion_id: s for s in assignment.scores.all()},
    )
    if request.method == "POST" and form.is_valid():
        finish = "save_draft" not in request.POST
        try:
            services.scores_save(
                assignment=assignment, user=request.user, scores=form.scores(), finish=finish
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request, "Your scores have been saved" if not finish else "Scoring finished"
            )
            return redirect("funds:assessments")
    return render(
        request,
        "funds/assessment_score.html",
        {
            "assignment": assignment,
            "application": application,
            "form": form,
            "sections": [
                {"label": Section(s).label, "rows": section_rows(application, s)}
                for s in SECTION_ORDER
            ],
            "changes": [c for c in application.change_requests.all() if c.resolved_at],
            "answers": [a for a in application.answers.all() if a.file],
            "breadcrumbs": _crumbs(("Applications to assess", reverse("funds:assessments"))),
        },
    )


# Councillors ----------------------------------------------------------------------------------


def _member_pot_context(request):
    allocations = selectors.member_allocations_for_councillor(request.user)
    rows = [
        {
            "allocation": allocation,
            "remaining": services.allocation_remaining(allocation),
            "lines": selectors.member_pot_lines(allocation),
        }
        for allocation in allocations
    ]
    waiting = list(selectors.member_applications_for_councillor(request.user))
    return {"rows": rows, "waiting": waiting}


@access_required("portal.view_division")
@require_safe
def member_pot(request):
    return render(request, "funds/member_pot.html", _member_pot_context(request))


def _member_application(request, pk):
    return selectors.member_application_get(pk)


def _member_application_page(request, application, form=None, status=200):
    application = (
        type(application)
        .objects.select_related("round__fund", "organisation", "recommendation")
        .prefetch_related("places", "budget_lines", "answers__question")
        .get(pk=application.pk)
    )
    recommendation = getattr(application, "recommendation", None)
    can_recommend = (
        recommendation is None
        and application.status in {*workflow.OPEN_STATES, ApplicationStatus.READY_FOR_DECISION}
        and rules.test_rule("funds.recommend_from_pot", request.user, application)
    )
    return render(
        request,
        "funds/member_application.html",
        {
            "application": application,
            "recommendation": recommendation,
            "form": (form or forms.RecommendForm(prefix=f"a{application.pk}"))
            if can_recommend
            else None,
            "sections": [
                {"label": Section(s).label, "rows": section_rows(application, s)}
                for s in SECTION_ORDER
            ],
            "breadcrumbs": _crumbs(("Your member fund", reverse("funds:member-pot"))),
        },
        status=status,
    )


@access_required("funds.recommend", load=_member_application, visible="funds.view_application")
@require_safe
def member_application(request, application, pk):
    """The application a councillor is asked to recommend, to read before recommending."""
    return _member_application_page(request, application)


@access_required("funds.recommend", load=_member_application, visible="funds.view_application")
@acting_as("funds.recommend_from_pot")
@require_POST
def member_recommend(request, application, pk):
    form = forms.RecommendForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        try:
            services.member_recommend(
                application=application, user=request.user, amount=form.cleaned_data["amount"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Your recommendation has been recorded")
            return redirect("funds:member-pot")
    return _member_application_page(request, application, form=form, status=400)


@access_required("funds.manage_fund", load=_fund, visible="funds.view_fund")
def fund_setup(request, fund, slug):
    which = request.POST.get("form") if request.method == "POST" else None
    question_form = forms.QuestionAddForm(
        request.POST if which == "question" else None, prefix="question"
    )
    criterion_form = forms.CriterionAddForm(
        request.POST if which == "criterion" else None, prefix="criterion"
    )
    round_form = forms.RoundAddForm(request.POST if which == "round" else None, prefix="round")
    form = {"question": question_form, "criterion": criterion_form, "round": round_form}.get(which)
    if form is not None and form.is_valid():
        service = {
            "question": services.question_add,
            "criterion": services.criterion_add,
            "round": services.round_add,
        }[which]
        try:
            service(fund=fund, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"{which.capitalize()} added")
            return redirect("funds:fund-setup", slug=slug)
    return render(
        request,
        "funds/fund_setup.html",
        {
            "fund": fund,
            "questions": fund.questions.all(),
            "criteria": fund.criteria.all(),
            "question_form": question_form,
            "criterion_form": criterion_form,
            "round_form": round_form,
            # the submitted form: its error summary goes at the top of the page
            "error_form": form,
            "rounds": fund.rounds.select_related("participatory"),
            "breadcrumbs": _crumbs(("Funds", reverse("funds:manage"))),
        },
        status=400 if form is not None and form.errors else 200,
    )


@access_required("funds.edit_application", load=_application, visible="funds.view_application")
@acting_as("funds.act_for_organisation")
def application_withdraw(request, application, pk):
    error = None
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, "Your application has been withdrawn")
            return redirect("funds:my-applications")
    return render(
        request,
        "funds/application_withdraw.html",
        {"application": application, "error": error, "breadcrumbs": _partner_crumbs(application)},
        status=400 if error else 200,
    )
