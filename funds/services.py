"""Every write in funds: applications, screening, assessment, decisions, awards, payments and
monitoring. Services take keyword-only arguments, run in a transaction and raise ValidationError
with plain-English messages."""

import datetime
import logging
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import rules
from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role, User
from cpw.core import formatting
from cpw.core.concurrency import EditConflict, save_if_unchanged
from cpw.core.jobs import StuckJobRules, SweepResult, stuck_jobs_sweep
from cpw.core.queueing import enqueue_on_commit, require_queue
from cpw.core.services import email_queue
from cpw.core.uploads import DOCUMENTS, IMAGES, check_upload, display_name, safe_name
from programmes.models import Programme

from . import workflow
from .emails import email_render, email_template_errors
from .exports import applications_file
from .models import (
    ZERO,
    ActivityEvent,
    Answer,
    Application,
    ApplicationSection,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    BudgetLine,
    ChangeRequest,
    Comment,
    ConflictStatus,
    Criterion,
    Decision,
    DecisionOutcome,
    EmailTemplate,
    EmailTemplateKind,
    ExportJob,
    Flag,
    Fund,
    GrantStatus,
    MemberAllocation,
    MemberRecommendation,
    MonitoringPhoto,
    MonitoringReport,
    Payment,
    PaymentStatus,
    Question,
    QuestionKind,
    ReportStatus,
    Round,
    Score,
    Section,
    SectionStatus,
)
from .selectors import application_list

MAX_PHOTOS = 5

# ---------------------------------------------------------------------------------------------
# Helpers

logger = logging.getLogger(__name__)


def money(value: Decimal) -> str:
    return formatting.money(value)


def london(dt: datetime.datetime) -> str:
    return formatting.uk_datetime(dt)


def _event(application: Application, actor, action: str, detail: str = "") -> None:
    ActivityEvent.objects.create(application=application, actor=actor, action=action, detail=detail)


def actors_for(user, application: Application) -> set[str]:
    """The workflow actors this user may act as on this application, from the object rules in
    funds/rules.py (in the application's programme). Nobody acts for the council on their own
    organisation's application."""
    actors = set()
    if not user.is_authenticated:
        return actors
    if rules.test_rule("funds.act_for_organisation", user, application):
        actors.add(workflow.APPLICANT)
    if not _belongs_to(user, application):
        if user.has_perm("funds.screen_application", application):
            actors.add(workflow.OFFICER)
        if user.has_perm("funds.decide", application):
            actors.update({workflow.OFFICER, workflow.MANAGER})
    return actors


def _check_transition(application: Application, user, target: str):
    rule = workflow.transition_for(application.status, target)
    if rule is None:
        raise ValidationError(
            f"An application that is {application.get_status_display().lower()} cannot be "
            f"moved to {ApplicationStatus(target).label.lower()}"
        )
    if not (rule.actors & actors_for(user, application)):
        raise PermissionDenied("You cannot make this change to the application")
    return rule


def _transition(*, application: Application, user, target: str, detail: str = "") -> Application:
    """Move a locked application to `target` if the table allows it for this user."""
    rule = _check_transition(application, user, target)
    application.status = target
    application.status_changed_at = timezone.now()
    application.status_changed_by = user
    application._history_user = user
    application.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    _event(application, user, rule.label, detail)
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("round__fund").get(pk=application.pk)
    )


def _application_context(application: Application, **extra) -> dict:
    return {
        "reference": application.reference,
        "project_title": application.project_title,
        "organisation": application.organisation.name,
        "fund": application.round.fund.name,
        **extra,
    }


# The applicant is emailed at each step (submission, approval, decline and changes send their
# own emails from their services).
STATUS_EMAILS = {
    ApplicationStatus.SCREENING: EmailTemplateKind.SCREENING,
    ApplicationStatus.IN_ASSESSMENT: EmailTemplateKind.ASSESSMENT,
}


def _email_organisation(application: Application, kind: str, **extra) -> None:
    subject, body = email_render(
        fund=application.round.fund, kind=kind, context=_application_context(application, **extra)
    )
    recipients = User.objects.filter(
        organisation_id=application.organisation_id, is_active=True
    ).values_list("email", flat=True)
    for to in recipients:
        email_queue(to=to, subject=subject, body=body)


@transaction.atomic
def email_template_save(
    *,
    fund: Fund,
    kind: str,
    subject: str,
    body: str,
    user,
    version: int | None = None,
) -> EmailTemplate:
    """Save a fund's wording for one kind of email. Raises ValidationError, by field, for a
    placeholder that is not one of that kind's or for wording that is too long. `version` is
    the saved wording's version the editor started from (0: none was saved): wording a colleague
    saved in between raises EditConflict."""
    problems = email_template_errors(kind=kind, subject=subject, body=body)
    if problems:
        raise ValidationError(problems)
    changes = {"subject": subject, "body": body}
    # Lock the fund: two first saves of the same email wait for each other.
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    template = EmailTemplate.objects.filter(fund=fund, kind=kind).first()
    if template is None:
        if version:
            raise ValidationError("This email's saved wording was removed. Reload the page")
        template = EmailTemplate(fund=fund, kind=kind, **changes)
        template._history_user = user
        template.save()
        return template
    if version is not None and template.version != version:
        raise EditConflict(template, changes)
    return save_if_unchanged(
        template, expected_version=template.version, changes=changes, user=user
    )


# ---------------------------------------------------------------------------------------------
# Eligibility


def _in_a_sentence(label: str) -> str:
    """A label as it reads mid-sentence: its first letter in lower case, an acronym kept
    ("charitable incorporated organisation (CIO)")."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def eligibility_reasons(
    *, fund: Fund, organisation_kind: str, in_priority_place: bool | None, amount: Decimal | None
) -> list[str]:
    """Why an organisation cannot apply (empty: it can)."""
    reasons = []
    if fund.eligible_organisation_types and organisation_kind not in (
        fund.eligible_organisation_types
    ):
        kinds = ", ".join(_in_a_sentence(label) for label in fund.eligible_type_labels())
        reasons.append(f"{fund.name} is open only to: {kinds}.")
    if fund.priority_places_only and in_priority_place is False:
        reasons.append(f"{fund.name} funds projects in the programme's priority places only.")
    if amount is not None:
        if amount < fund.minimum_grant:
            reasons.append(f"The smallest grant is {money(fund.minimum_grant)}.")
        if fund.maximum_grant is not None and amount > fund.maximum_grant:
            reasons.append(f"The largest grant is {money(fund.maximum_grant)}.")
        if fund.member_project_cap is not None and amount > fund.member_project_cap:
            reasons.append(f"The most for one project is {money(fund.member_project_cap)}.")
    return reasons


# ---------------------------------------------------------------------------------------------
# Applications (partner)


@transaction.atomic
def application_start(*, round: Round, user, now: datetime.datetime | None = None) -> Application:
    now = now or timezone.now()
    organisation = user.organisation
    if organisation is None:
        raise PermissionDenied("Only partner organisations can apply")
    if not round.is_open(now):
        raise ValidationError(
            f"{round} is not open for applications. It closed on {london(round.closes_at)}."
            if now >= round.closes_at
            else f"{round} opens on {london(round.opens_at)}."
        )
    if round.invite_only and not round.invited_organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(f"{round} is by invitation only.")
    reasons = eligibility_reasons(
        fund=round.fund, organisation_kind=organisation.kind, in_priority_place=None, amount=None
    )
    if reasons:
        raise ValidationError(
            f"{organisation.name} cannot apply because it is a "
            f"{organisation.get_kind_display().lower()}. {reasons[0]}"
        )
    application = Application(round=round, organisation=organisation, created_by=user)
    application._history_user = user
    application.save()
    ApplicationSection.objects.bulk_create(
        [ApplicationSection(application=application, section=s) for s in Section.values]
    )
    _event(application, user, "Started the application")
    return application


def _ensure_editable(application: Application) -> None:
    if application.status not in workflow.EDITABLE_BY_APPLICANT:
        raise ValidationError(
            "This application has been submitted, so it cannot be changed. Contact the "
            "programme team if something is wrong."
        )


def _ensure_section_editable(application: Application, section: str) -> None:
    _ensure_editable(application)
    if application.status == ApplicationStatus.CHANGES_REQUESTED:
        state = application.sections.get(section=section)
        if state.status not in {SectionStatus.CHANGES_REQUESTED, SectionStatus.IN_PROGRESS}:
            raise ValidationError("You can only change the sections we have asked you to change.")


def _section_touch(application: Application, section: str, user) -> None:
    state = application.sections.select_for_update().get(section=section)
    if state.status in {SectionStatus.NOT_STARTED, SectionStatus.COMPLETED}:
        state.status = SectionStatus.IN_PROGRESS
        state._history_user = user
        state.save(update_fields=["status", "updated_at"])


SECTION_FIELDS = {
    Section.PROJECT: ["project_title", "summary"],
    Section.FUNDING: ["amount_capital", "amount_revenue", "start_date", "end_date"],
    Section.PLACES: ["beneficiaries"],
}


@transaction.atomic
def application_section_save(
    *,
    application: Application,
    user,
    section: str,
    data: dict,
    expected_version: int | None = None,
) -> Application:
    """Save one section's answers as the applicant goes (the section becomes "in progress").
    With `expected_version`, a colleague's save in between raises EditConflict."""
    application = _lock(application)
    _ensure_section_editable(application, section)
    if section == Section.FUNDING:
        fund = application.round.fund
        capital = data.get("amount_capital") or ZERO
        revenue = data.get("amount_revenue") or ZERO
        errors = {}
        if capital and not fund.allows_capital:
            errors["amount_capital"] = f"{fund.name} does not fund capital costs"
        if revenue and not fund.allows_revenue:
            errors["amount_revenue"] = f"{fund.name} does not fund revenue costs"
        total = capital + revenue
        if total and total < fund.minimum_grant:
            errors["amount_capital"] = f"The smallest grant is {money(fund.minimum_grant)}"
        limit = fund.maximum_grant
        if fund.member_project_cap is not None:
            limit = min(limit or fund.member_project_cap, fund.member_project_cap)
        if limit is not None and total > limit:
            errors["amount_capital"] = f"The largest grant is {money(limit)}"
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            errors["end_date"] = "The end date must be the same as or after the start date"
        if errors:
            raise ValidationError(errors)
        data = {**data, "amount_capital": capital, "amount_revenue": revenue}
    fields = list(SECTION_FIELDS.get(section, []))
    if expected_version is not None:
        changes = {f: data[f] for f in fields if f in data}
        if application.version != expected_version:  # the row is locked by _lock()
            raise EditConflict(application, changes)
        # A plain integer, not F("version") + 1 as cpw.core.concurrency does: the history
        # record copies the value, and cannot copy an F() expression.
        application.version += 1
        fields = [*fields, "version"]
        data = {**data, "version": application.version}
    for field in fields:
        if field in data:
            setattr(application, field, data[field])
    if section == Section.PLACES and "places" in data:
        places = list(data["places"])
        fund = application.round.fund
        if any(p.council_id != fund.programme.council_id for p in places):
            raise ValidationError({"places": "Select places from the list"})
        if fund.priority_places_only and places:
            priority_ids = set(fund.programme.priority_places.values_list("pk", flat=True))
            if not any(p.pk in priority_ids for p in places):
                raise ValidationError(
                    {"places": f"{fund.name} funds projects in the priority places only"}
                )
        application.places.set(places)
    application._history_user = user
    application.save(update_fields=[*fields, "updated_at"] if fields else ["updated_at"])
    _section_touch(application, section, user)
    return application


def _section_problems(application: Application, section: str) -> list[str]:
    problems = []
    if section == Section.PROJECT:
        if not application.project_title:
            problems.append("Enter a project title")
        if not application.summary:
            problems.append("Enter a summary of your project")
    elif section == Section.FUNDING:
        if not application.amount_requested:
            problems.append("Enter how much you are asking for")
        if not application.start_date or not application.end_date:
            problems.append("Enter when the project starts and ends")
    elif section == Section.PLACES:
        if not application.places.exists():
            problems.append("Choose at least one place that benefits")
        if not application.beneficiaries:
            problems.append("Say who benefits")
    elif section == Section.BUDGET:
        lines = list(application.budget_lines.all())
        if not lines:
            problems.append("Add at least one budget line")
        else:
            capital = sum((b.amount for b in lines if b.kind == "capital"), ZERO)
            revenue = sum((b.amount for b in lines if b.kind == "revenue"), ZERO)
            if capital != application.amount_capital or revenue != application.amount_revenue:
                problems.append(
                    f"Your budget lines add up to {money(capital)} capital and {money(revenue)} "
                    f"revenue, but you asked for {money(application.amount_capital)} capital and "
                    f"{money(application.amount_revenue)} revenue"
                )
    elif section == Section.QUESTIONS:
        answered = {a.question_id for a in application.answers.all() if a.value.strip() or a.file}
        for question in application.round.fund.questions.all():
            if question.required and question.pk not in answered:
                problems.append(f"Answer '{question.text}'")
    return problems


@transaction.atomic
def application_section_complete(
    *, application: Application, user, section: str, completed: bool
) -> ApplicationSection:
    """The applicant's "Have you completed this section?" at the end of check your answers."""
    application = _lock(application)
    _ensure_section_editable(application, section)
    state = application.sections.select_for_update().get(section=section)
    if completed:
        problems = _section_problems(application, section)
        if problems:
            raise ValidationError(problems)
        state.status = SectionStatus.COMPLETED
    else:
        state.status = SectionStatus.IN_PROGRESS
    state._history_user = user
    state.save(update_fields=["status", "updated_at"])
    _event(
        application,
        user,
        f"Marked '{state.get_section_display()}' as {'completed' if completed else 'in progress'}",
    )
    return state


@transaction.atomic
def budget_line_add(
    *, application: Application, user, description: str, kind: str, amount: Decimal
) -> BudgetLine:
    application = _lock(application)
    _ensure_section_editable(application, Section.BUDGET)
    fund = application.round.fund
    if kind == "capital" and not fund.allows_capital:
        raise ValidationError({"kind": f"{fund.name} does not fund capital costs"})
    if kind == "revenue" and not fund.allows_revenue:
        raise ValidationError({"kind": f"{fund.name} does not fund revenue costs"})
    line = BudgetLine(application=application, description=description, kind=kind, amount=amount)
    line._history_user = user
    line.save()
    _section_touch(application, Section.BUDGET, user)
    return line


@transaction.atomic
def budget_line_remove(*, application: Application, user, line_id: int) -> None:
    application = _lock(application)
    _ensure_section_editable(application, Section.BUDGET)
    application.budget_lines.filter(pk=line_id).delete()
    _section_touch(application, Section.BUDGET, user)


@transaction.atomic
def answers_save(
    *,
    application: Application,
    user,
    values: dict,
    uploads: dict,
    expected_version: int | None = None,
) -> None:
    """Save answers to the fund's questions: values {question_id: text}, uploads
    {question_id: UploadedFile}. Files are checked before anything is saved. With
    `expected_version`, answers a colleague saved in between raise EditConflict (showing their
    answers beside these)."""
    application = _lock(application)
    _ensure_section_editable(application, Section.QUESTIONS)
    questions = {q.pk: q for q in application.round.fund.questions.all()}
    if expected_version is not None and application.version != expected_version:
        saved = {a.question_id: a.value for a in application.answers.all()}
        raise EditConflict(
            application,
            {f"q{pk}": value for pk, value in values.items()},
            saved={f"q{pk}": saved.get(pk, "") for pk in values},
        )
    checked = {}
    errors = {}
    for question_id, upload in uploads.items():
        if upload is None:
            continue
        try:
            # from the bytes; stored under a random name with the detected kind's extension
            kind = check_upload(upload, kinds=DOCUMENTS, match_name=False)
            checked[question_id] = (upload, kind)
        except ValidationError as exc:
            errors[f"q{question_id}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    for question_id, value in values.items():
        question = questions[question_id]
        if question.kind == QuestionKind.FILE:
            continue
        answer, _ = Answer.objects.get_or_create(application=application, question=question)
        answer.value = "" if value is None else str(value)
        answer._history_user = user
        answer.save(update_fields=["value", "updated_at"])
    for question_id, (upload, extension) in checked.items():
        question = questions[question_id]
        answer, _ = Answer.objects.get_or_create(application=application, question=question)
        if answer.file:
            answer.file.delete(save=False)
        upload.seek(0)
        answer.file.save(safe_name(extension), ContentFile(upload.read()), save=False)
        answer.original_filename = display_name(upload.name)
        answer._history_user = user
        answer.save()
        _event(application, user, f"Attached {answer.original_filename}")
    # Every save of the answers is a new version of the application, as for its other sections.
    application.version += 1
    application._history_user = user
    application.save(update_fields=["version", "updated_at"])
    _section_touch(application, Section.QUESTIONS, user)


def _next_reference(application: Application) -> str:
    fund = Fund.objects.select_for_update().get(pk=application.round.fund_id)
    year = timezone.localtime(application.round.opens_at).year
    prefix = f"{fund.reference_prefix}-{year}-"
    last = (
        Application.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def section_snapshot(application: Application, section: str) -> dict:
    if section in SECTION_FIELDS:
        return {f: str(getattr(application, f) or "") for f in SECTION_FIELDS[section]} | (
            {"places": sorted(str(p) for p in application.places.all())}
            if section == Section.PLACES
            else {}
        )
    if section == Section.BUDGET:
        return {
            "budget": [
                f"{b.description} ({b.get_kind_display()}): {b.amount}"
                for b in application.budget_lines.all()
            ]
        }
    return {
        a.question.text: a.value or a.original_filename
        for a in application.answers.select_related("question")
    }


@transaction.atomic
def application_submit(
    *, application: Application, user, declaration_name: str, now: datetime.datetime | None = None
) -> Application:
    """Submit (or resubmit) an application. After the round closes this is refused and the
    draft is kept."""
    now = now or timezone.now()
    application = _lock(application)
    round = application.round
    if application.status not in workflow.EDITABLE_BY_APPLICANT:
        raise ValidationError("This application has already been submitted")
    if application.status == ApplicationStatus.DRAFT and now >= round.closes_at:
        raise ValidationError(
            f"You cannot submit after {london(round.closes_at)}. Your draft has been kept."
        )
    if not declaration_name.strip():
        raise ValidationError({"declaration_name": "Enter your full name to sign the declaration"})
    incomplete = [
        s.get_section_display()
        for s in application.sections.all()
        if s.status != SectionStatus.COMPLETED
    ]
    if incomplete:
        raise ValidationError(
            [f"Complete the section '{name}' before you submit" for name in incomplete]
        )
    resubmission = application.status == ApplicationStatus.CHANGES_REQUESTED
    if not application.reference:
        application.reference = _next_reference(application)
    application.submitted_at = now
    application.submitted_by = user
    application.declaration_name = declaration_name.strip()
    application.save(
        update_fields=["reference", "submitted_at", "submitted_by", "declaration_name"]
    )
    _transition(application=application, user=user, target=ApplicationStatus.SUBMITTED)
    if resubmission:
        for request in application.change_requests.filter(resolved_at__isnull=True):
            request.after = section_snapshot(application, request.section)
            request.resolved_at = now
            request.save(update_fields=["after", "resolved_at", "updated_at"])
    _email_organisation(application, EmailTemplateKind.SUBMITTED)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user) -> Application:
    application = _lock(application)
    return _transition(application=application, user=user, target=ApplicationStatus.WITHDRAWN)


# ---------------------------------------------------------------------------------------------
# Screening and assessment (council)


@transaction.atomic
def application_move(*, application: Application, user, target: str) -> Application:
    application = _lock(application)
    if target in {ApplicationStatus.APPROVED, ApplicationStatus.DECLINED} and (
        application.status == ApplicationStatus.READY_FOR_DECISION
    ):
        raise ValidationError("Record the decision on the decision page")
    _check_transition(application, user, target)
    if target == ApplicationStatus.READY_FOR_DECISION:
        assignments = [
            a for a in application.assignments.all() if a.conflict == ConflictStatus.NONE
        ]
        if not any(a.completed_at for a in assignments):
            raise ValidationError("At least one assessor must finish scoring first")
    _transition(application=application, user=user, target=target)
    kind = STATUS_EMAILS.get(target)
    if kind is not None:
        _email_organisation(application, kind)
    return application


@transaction.atomic
def changes_request(*, application: Application, user, reasons: dict[str, str]) -> Application:
    """Ask for changes to some sections, each with a reason the applicant sees."""
    application = _lock(application)
    reasons = {s: r.strip() for s, r in reasons.items() if r and r.strip()}
    if not reasons:
        raise ValidationError("Give a reason for at least one section that needs changing")
    _transition(application=application, user=user, target=ApplicationStatus.CHANGES_REQUESTED)
    for section, reason in reasons.items():
        ChangeRequest.objects.create(
            application=application,
            section=section,
            reason=reason,
            requested_by=user,
            before=section_snapshot(application, section),
        )
        application.sections.filter(section=section).update(status=SectionStatus.CHANGES_REQUESTED)
    _event(
        application,
        user,
        "Asked for changes",
        "; ".join(f"{Section(s).label}: {r}" for s, r in reasons.items()),
    )
    _email_organisation(application, EmailTemplateKind.CHANGES)
    return application


def _belongs_to(user, application: Application) -> bool:
    return user.organisation_id is not None and user.organisation_id == (
        application.organisation_id
    )


@transaction.atomic
def assessor_assign(*, application: Application, assessor: User, user) -> AssessorAssignment:
    application = _lock(application)
    if application.status not in {ApplicationStatus.SCREENING, ApplicationStatus.IN_ASSESSMENT}:
        raise ValidationError("Assessors can be assigned once the application is being screened")
    if not assessor.has_role_in(application.programme_id, Role.ASSESSOR):
        raise ValidationError(
            {"assessor": f"{assessor} is not an assessor in {application.round.fund.programme}"}
        )
    if _belongs_to(assessor, application):
        raise ValidationError(
            {"assessor": f"{assessor} belongs to {application.organisation}, so cannot assess it"}
        )
    if application.assignments.filter(assessor=assessor).exists():
        raise ValidationError({"assessor": f"{assessor} is already assigned to this application"})
    assignment = AssessorAssignment(application=application, assessor=assessor, assigned_by=user)
    assignment._history_user = user
    assignment.save()
    _event(application, user, f"Assigned {assessor} to assess")
    _email_assessor(assignment, application)
    return assignment


def _email_assessor(assignment: AssessorAssignment, application: Application) -> None:
    """Tell an assessor they have an application to assess (GOV.UK Notify style: what, why,
    what to do next)."""
    fund = application.round.fund
    url = portal_url(reverse("funds:assessment-declare", args=[assignment.pk]))
    email_queue(
        to=assignment.assessor.email,
        subject=f"You have been asked to assess application {application.reference}",
        body=(
            f"You have been asked to assess an application to {fund.name}: "
            f"{application.reference}, '{application.project_title}' from "
            f"{application.organisation.name}.\n\n"
            "# What you need to do\n\n"
            "Before you can read the application, tell us whether you have a conflict of "
            "interest: for example, if you work for or volunteer with the organisation, or "
            "someone close to you does.\n\n"
            f"Declare any conflict, then score the application:\n{url}"
        ),
    )


def _replacement_for(application: Application) -> User | None:
    taken = set(application.assignments.values_list("assessor_id", flat=True))
    candidates = (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.ASSESSOR,
            role_assignments__programme_id=application.programme_id,
        )
        .exclude(pk__in=taken)
        .exclude(organisation_id=application.organisation_id)
        .distinct()
        .order_by("pk")
    )
    return candidates.first()


@transaction.atomic
def conflict_declare(
    *, assignment: AssessorAssignment, user, conflicted: bool, details: str = ""
) -> AssessorAssignment:
    """The assessor's declaration before they see the application. A conflicted assessor is
    removed from it and another assessor is assigned when one is free."""
    assignment = AssessorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.assessor_id != user.pk:
        raise PermissionDenied("This is not your assessment")
    if assignment.conflict != ConflictStatus.UNDECLARED:
        raise ValidationError("You have already made your declaration")
    if conflicted and not details.strip():
        raise ValidationError({"details": "Describe your conflict of interest"})
    if _belongs_to(user, assignment.application):
        conflicted, details = True, details or "Belongs to the applying organisation"
    assignment.conflict = ConflictStatus.CONFLICTED if conflicted else ConflictStatus.NONE
    assignment.conflict_details = details.strip()
    assignment.declared_at = timezone.now()
    assignment._history_user = user
    assignment.save(update_fields=["conflict", "conflict_details", "declared_at", "updated_at"])
    application = assignment.application
    if conflicted:
        _event(application, user, "Declared a conflict of interest", details)
        replacement = _replacement_for(application)
        if replacement is not None:
            replacement_assignment = AssessorAssignment.objects.create(
                application=application, assessor=replacement, assigned_by=user
            )
            _event(application, None, f"Assigned {replacement} in place of {user}")
            _email_assessor(replacement_assignment, application)
        else:
            _event(application, None, "No other assessor is free: a manager must assign one")
    else:
        _event(application, user, "Declared no conflict of interest")
    return assignment


def ensure_can_assess(assignment: AssessorAssignment, user) -> None:
    """A conflicted (or undeclared) assessor may not see or score the application."""
    if assignment.assessor_id != user.pk:
        raise PermissionDenied("This is not your assessment")
    if assignment.conflict == ConflictStatus.CONFLICTED or _belongs_to(
        user, assignment.application
    ):
        raise PermissionDenied(
            "You declared a conflict of interest, so you cannot see or score this application"
        )


@transaction.atomic
def scores_save(
    *, assignment: AssessorAssignment, user, scores: dict[int, dict], finish: bool = False
) -> AssessorAssignment:
    """scores: {criterion_id: {"score": int|None, "abstain": bool, "justification": str}}"""
    assignment = AssessorAssignment.objects.select_for_update().get(pk=assignment.pk)
    ensure_can_assess(assignment, user)
    if assignment.conflict != ConflictStatus.NONE:
        raise ValidationError("Declare any conflict of interest first")
    application = assignment.application
    if application.status != ApplicationStatus.IN_ASSESSMENT:
        raise ValidationError("This application is not being assessed at the moment")
    criteria = {c.pk: c for c in application.round.fund.criteria.all()}
    errors = {}
    for criterion_id, criterion in criteria.items():
        entry = scores.get(criterion_id) or {}
        abstain = bool(entry.get("abstain"))
        score = entry.get("score")
        justification = (entry.get("justification") or "").strip()
        if abstain:
            score, justification = None, justification
        elif score in (None, ""):
            if finish:
                errors[f"score_{criterion_id}"] = f"Score '{criterion.name}' or abstain"
            continue
        else:
            score = int(score)
            if not 1 <= score <= 5:
                errors[f"score_{criterion_id}"] = f"Score '{criterion.name}' from 1 to 5"
                continue
            if not justification:
                errors[f"justification_{criterion_id}"] = (
                    f"Explain your score for '{criterion.name}'"
                )
                continue
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criterion,
            defaults={"score": score, "abstained": abstain, "justification": justification},
        )
    if errors:
        raise ValidationError(errors)
    if finish:
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at", "updated_at"])
        _event(application, user, "Finished scoring")
    return assignment


@transaction.atomic
def comment_add(*, application: Application, user, text: str) -> Comment:
    if not text.strip():
        raise ValidationError({"text": "Enter a comment"})
    comment = Comment.objects.create(application=application, author=user, text=text.strip())
    _event(application, user, "Commented", text.strip()[:200])
    return comment


@transaction.atomic
def flag_raise(*, application: Application, user, reason: str) -> Flag:
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are raising a flag"})
    flag = Flag.objects.create(application=application, raised_by=user, reason=reason.strip())
    _event(application, user, "Raised a flag", reason.strip()[:200])
    return flag


@transaction.atomic
def flag_resolve(*, flag: Flag, user, note: str) -> Flag:
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at:
        raise ValidationError("This flag has already been resolved")
    if not note.strip():
        raise ValidationError({"note": "Enter how the flag was resolved"})
    flag.resolved_at = timezone.now()
    flag.resolved_by = user
    flag.resolution_note = note.strip()
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note", "updated_at"])
    _event(flag.application, user, "Resolved a flag", note.strip()[:200])
    return flag


# ---------------------------------------------------------------------------------------------
# Decisions, awards, payments, monitoring


@transaction.atomic
def decision_record(
    *,
    application: Application,
    user,
    outcome: str,
    amount_capital: Decimal = ZERO,
    amount_revenue: Decimal = ZERO,
    conditions: str = "",
    reason: str = "",
) -> Decision:
    application = _lock(application)
    if _belongs_to(user, application):
        raise PermissionDenied("You cannot decide on an application from your own organisation")
    screening_decline = (
        application.status == ApplicationStatus.SCREENING and outcome == DecisionOutcome.DECLINED
    )
    if application.status != ApplicationStatus.READY_FOR_DECISION and not screening_decline:
        if application.status == ApplicationStatus.SCREENING:
            raise ValidationError(
                "An application that is being screened can only be declined as not eligible"
            )
        raise ValidationError("This application is not ready for a decision")
    if outcome == DecisionOutcome.APPROVED:
        if amount_capital + amount_revenue <= 0:
            raise ValidationError({"amount_capital": "Enter the amount approved"})
    elif not reason.strip():
        raise ValidationError({"reason": "Enter the reason the application was declined"})
    decision = Decision(
        application=application,
        outcome=outcome,
        amount_capital=amount_capital if outcome == DecisionOutcome.APPROVED else ZERO,
        amount_revenue=amount_revenue if outcome == DecisionOutcome.APPROVED else ZERO,
        conditions=conditions.strip(),
        reason=reason.strip(),
        decided_by=user,
        decided_at=timezone.now(),
    )
    decision._history_user = user
    decision.save()
    _transition(application=application, user=user, target=outcome)
    if outcome == DecisionOutcome.APPROVED:
        _email_organisation(
            application,
            EmailTemplateKind.APPROVED,
            amount=money(decision.amount_capital + decision.amount_revenue),
            conditions=decision.conditions or "None",
        )
    else:
        _email_organisation(application, EmailTemplateKind.DECLINED, reason=decision.reason)
    return decision


def round_awarded(round: Round) -> Decimal:
    totals = (
        Award.objects.filter(application__round=round)
        .exclude(status=GrantStatus.WITHDRAWN)
        .aggregate(c=Sum("amount_capital"), r=Sum("amount_revenue"))
    )
    return (totals["c"] or ZERO) + (totals["r"] or ZERO)


def allocation_remaining(allocation: MemberAllocation, *, exclude_application=None) -> Decimal:
    """The pot less its grants and the recommendations still waiting to be awarded."""
    totals = allocation.awards.exclude(status=GrantStatus.WITHDRAWN).aggregate(
        c=Sum("amount_capital"), r=Sum("amount_revenue")
    )
    pending = (
        allocation.recommendations.filter(application__award__isnull=True)
        .exclude(application__status__in=[ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN])
        .exclude(application=exclude_application)
        .aggregate(t=Sum("amount"))["t"]
    )
    return allocation.amount - (totals["c"] or ZERO) - (totals["r"] or ZERO) - (pending or ZERO)


@transaction.atomic
def member_recommend(*, application: Application, user, amount: Decimal) -> MemberRecommendation:
    """A councillor recommends a grant from their pot, which can never go below zero."""
    application = _lock(application)
    fund = application.round.fund
    if not fund.is_member_fund:
        raise ValidationError("Only member fund applications are recommended by councillors")
    if _belongs_to(user, application):
        raise PermissionDenied("You cannot recommend a grant to your own organisation")
    if application.status not in workflow.OPEN_STATES | {ApplicationStatus.READY_FOR_DECISION}:
        raise ValidationError("This application is not waiting for a recommendation")
    if MemberRecommendation.objects.filter(application=application).exists():
        raise ValidationError("A councillor has already recommended this application")
    allocation = (
        MemberAllocation.objects.select_for_update()
        .filter(fund=fund, councillor=user)
        .order_by("-year")
        .first()
    )
    if allocation is None:
        raise PermissionDenied("You have no pot in this fund")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0"})
    if fund.member_project_cap is not None and amount > fund.member_project_cap:
        raise ValidationError(
            {"amount": f"The most for one project is {money(fund.member_project_cap)}"}
        )
    pot = allocation_remaining(allocation)
    if amount > pot:
        raise ValidationError(
            {"amount": f"{money(amount)} is more than the {money(pot)} left in your pot"}
        )
    recommendation = MemberRecommendation(
        allocation=allocation, application=application, amount=amount, recommended_by=user
    )
    recommendation._history_user = user
    recommendation.save()
    _event(application, user, f"Recommended a grant of {money(amount)} from their pot")
    return recommendation


@transaction.atomic
def award_create(
    *,
    application: Application,
    user,
    amount_capital: Decimal,
    amount_revenue: Decimal,
    awarded_on: datetime.date,
    planned_start: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    conditions: str = "",
    allocation: MemberAllocation | None = None,
    report_due_dates: list[datetime.date] | None = None,
) -> Award:
    """Award a grant to an approved application. Refused when it would take the round over its
    budget or a councillor's pot below zero."""
    application = _lock(application)
    if _belongs_to(user, application):
        raise PermissionDenied("You cannot award a grant to your own organisation")
    if application.status != ApplicationStatus.APPROVED:
        raise ValidationError("Only an approved application can be awarded a grant")
    if Award.objects.filter(application=application).exists():
        raise ValidationError("This application already has a grant")
    amount = amount_capital + amount_revenue
    if amount <= 0:
        raise ValidationError({"amount_capital": "Enter the amount of the grant"})
    round = Round.objects.select_for_update().get(pk=application.round_id)
    fund = application.round.fund
    remaining = round.budget - round_awarded(round)
    if amount > remaining:
        raise ValidationError(
            {
                "amount_capital": f"This grant of {money(amount)} is more than the "
                f"{money(remaining)} left in {round.name}'s budget"
            }
        )
    if fund.is_member_fund:
        if allocation is None:
            raise ValidationError(
                {"allocation": "Choose the councillor's pot the grant comes from"}
            )
        allocation = MemberAllocation.objects.select_for_update().get(pk=allocation.pk)
        if allocation.fund_id != fund.pk:
            raise ValidationError({"allocation": "That pot belongs to another fund"})
        if fund.member_project_cap is not None and amount > fund.member_project_cap:
            raise ValidationError(
                {"amount_capital": f"The most for one project is {money(fund.member_project_cap)}"}
            )
        pot = allocation_remaining(allocation, exclude_application=application)
        if amount > pot:
            raise ValidationError(
                {
                    "amount_capital": f"This grant of {money(amount)} is more than the "
                    f"{money(pot)} left in {allocation.councillor}'s pot"
                }
            )
    elif allocation is not None:
        raise ValidationError({"allocation": "Only member funds have councillors' pots"})
    award = Award(
        application=application,
        amount_capital=amount_capital,
        amount_revenue=amount_revenue,
        awarded_on=awarded_on,
        planned_start=planned_start or application.start_date,
        planned_end=planned_end or application.end_date,
        conditions=conditions,
        allocation=allocation,
        awarded_by=user,
    )
    award._history_user = user
    award.save()
    for due_on in report_due_dates or []:
        MonitoringReport.objects.create(award=award, due_on=due_on)
    _event(application, user, f"Awarded a grant of {money(amount)}")
    return award


@transaction.atomic
def award_status_set(*, award: Award, user, status: str) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    award.status = status
    award._history_user = user
    award.save(update_fields=["status", "updated_at"])
    _event(award.application, user, f"Marked the grant {award.get_status_display().lower()}")
    return award


@transaction.atomic
def payment_plan(
    *,
    award: Award,
    user,
    amount: Decimal,
    due_on: datetime.date,
    submission_key: uuid.UUID | None = None,
) -> Payment:
    """Plan a payment of a grant. The same `submission_key` (one per form shown) plans one
    payment however many times it is submitted: the award is locked first, so a second
    submission waits for the first and then finds its payment."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if submission_key is not None:
        already = Payment.objects.filter(submission_key=submission_key).first()
        if already is not None:
            if already.award_id != award.pk:
                raise ValidationError("This form was already used for another grant")
            return already
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0"})
    planned = award.payments.aggregate(t=Sum("amount"))["t"] or ZERO
    if planned + amount > award.amount:
        raise ValidationError(
            {
                "amount": f"Payments would add up to {money(planned + amount)}, more than the "
                f"grant of {money(award.amount)}"
            }
        )
    payment = Payment(
        award=award,
        amount=amount,
        due_on=due_on,
        created_by=user,
        submission_key=submission_key,
    )
    payment._history_user = user
    payment.save()
    _event(award.application, user, f"Planned a payment of {money(amount)}")
    return payment


@transaction.atomic
def payment_approve(*, payment: Payment, user) -> Payment:
    payment = Payment.objects.select_for_update().select_related("award").get(pk=payment.pk)
    if payment.status != PaymentStatus.PLANNED:
        raise ValidationError("Only a planned payment can be approved")
    if payment.created_by_id == user.pk:
        raise ValidationError(
            "A second person must approve this payment: you planned it, so you cannot approve it"
        )
    if _belongs_to(user, payment.award.application):
        raise PermissionDenied("You cannot approve a payment to your own organisation")
    payment.status = PaymentStatus.APPROVED
    payment.approved_by = user
    payment.approved_at = timezone.now()
    payment._history_user = user
    payment.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _event(payment.award.application, user, f"Approved a payment of {money(payment.amount)}")
    return payment


@transaction.atomic
def payment_mark_paid(*, payment: Payment, user) -> Payment:
    payment = Payment.objects.select_for_update().select_related("award").get(pk=payment.pk)
    if payment.status != PaymentStatus.APPROVED:
        raise ValidationError("A payment must be approved before it is paid")
    payment.status = PaymentStatus.PAID
    payment.paid_at = timezone.now()
    payment._history_user = user
    payment.save(update_fields=["status", "paid_at", "updated_at"])
    _event(payment.award.application, user, f"Paid {money(payment.amount)}")
    return payment


@transaction.atomic
def monitoring_report_submit(
    *,
    report: MonitoringReport,
    user,
    progress: str,
    spend_to_date: Decimal,
    people_reached: int,
    photos=(),
) -> MonitoringReport:
    report = MonitoringReport.objects.select_for_update().select_related("award").get(pk=report.pk)
    if report.status != ReportStatus.DUE:
        raise ValidationError("This report has already been submitted")
    if not progress.strip():
        raise ValidationError({"progress": "Describe the progress of your project"})
    if spend_to_date is None or spend_to_date < 0:
        raise ValidationError({"spend_to_date": "Enter how much you have spent so far"})
    if spend_to_date > report.award.amount:
        raise ValidationError(
            {
                "spend_to_date": f"Spend cannot be more than the grant of {money(report.award.amount)}"
            }
        )
    photos = [p for p in photos or () if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"Choose up to {MAX_PHOTOS} photos"})
    checked = []
    for photo in photos:
        try:
            extension = check_upload(photo, kinds=IMAGES, match_name=False)
        except ValidationError as exc:
            raise ValidationError(
                {"photos": f"{display_name(photo.name)}: {exc.messages[0]}"}
            ) from exc
        checked.append((photo, extension))
    report.progress = progress.strip()
    report.spend_to_date = spend_to_date
    report.people_reached = people_reached
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report._history_user = user
    report.save()
    for photo, extension in checked:
        photo.seek(0)
        item = MonitoringPhoto(report=report, original_filename=display_name(photo.name))
        item.file.save(safe_name(extension), ContentFile(photo.read()), save=False)
        item.save()
    _event(report.award.application, user, f"Submitted the monitoring report due {report.due_on}")
    return report


def monitoring_reminders_send(*, today: datetime.date | None = None, days_before: int = 14) -> int:
    """Email organisations whose report is due within `days_before` days (or overdue), at most
    once a week per report. Idempotent for a day."""
    today = today or timezone.localdate()
    sent = 0
    due = (
        MonitoringReport.objects.filter(
            status=ReportStatus.DUE, due_on__lte=today + datetime.timedelta(days=days_before)
        )
        .exclude(reminder_sent_on__gt=today - datetime.timedelta(days=7))
        .select_related("award__application__round__fund", "award__application__organisation")
    )
    for report in due:
        with transaction.atomic():
            locked = MonitoringReport.objects.select_for_update().get(pk=report.pk)
            if locked.reminder_sent_on and locked.reminder_sent_on > today - datetime.timedelta(
                days=7
            ):
                continue
            _email_organisation(
                report.award.application, EmailTemplateKind.REMINDER, due_on=report.due_on
            )
            locked.reminder_sent_on = today
            locked.save(update_fields=["reminder_sent_on", "updated_at"])
            sent += 1
    return sent


# --- Officers' background exports: never stuck ----------------------------------------------

EXPORT_SOFT_TIME_LIMIT = 300  # seconds; the export task's limits
EXPORT_TIME_LIMIT = 360

STUCK_EXPORTS = StuckJobRules(
    task_name="funds.tasks.build_export",
    time_limit=EXPORT_TIME_LIMIT,
    queued=ExportJob.Status.QUEUED,
    running=ExportJob.Status.RUNNING,
    failed=ExportJob.Status.FAILED,
    never_started_message=(
        "The export never started: the portal could not hand it to its background worker, "
        "even after trying again. Start the export again, and contact the portal's support "
        "team if it happens again."
    ),
    stopped_message=(
        "The export stopped part-way through and did not finish, even after trying again. "
        "Start the export again, and contact the portal's support team if it happens again."
    ),
)


def export_jobs_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Celery beat: queue again the exports that never started or whose worker vanished, and
    fail those already tried `STUCK_EXPORTS.max_requeues` times (see cpw.core.jobs)."""
    return stuck_jobs_sweep(ExportJob.objects.all(), STUCK_EXPORTS, now=now)


def portal_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


# ---------------------------------------------------------------------------------------------
# Fund set-up (programme managers)


def fund_funder_defaults(programme: Programme) -> dict:
    """What a new fund of this programme starts with as its funder: the programme's council."""
    return {"funder_identifier": programme.council.org_id_prefix}


@transaction.atomic
def fund_create(*, programme: Programme, user, data: dict) -> Fund:
    """A new fund of the programme. Its funder org-id is the council's unless `data` names
    another funder's."""
    fund = Fund(programme=programme, **data)
    if not fund.funder_identifier:
        fund.funder_identifier = fund_funder_defaults(programme)["funder_identifier"]
    fund.full_clean()
    fund._history_user = user
    fund.save()
    return fund


@transaction.atomic
def question_add(
    *,
    fund: Fund,
    user,
    text: str,
    kind: str,
    required: bool,
    help_text: str = "",
    choices: str = "",
) -> Question:
    if kind == QuestionKind.CHOICE and len([c for c in choices.splitlines() if c.strip()]) < 2:
        raise ValidationError({"choices": "Enter at least two options, one a line"})
    if kind != QuestionKind.CHOICE and choices.strip():
        raise ValidationError({"choices": "Only a choice question has options"})
    order = (fund.questions.aggregate(m=models.Max("order"))["m"] or 0) + 1
    question = Question(
        fund=fund,
        text=text.strip(),
        kind=kind,
        required=required,
        help_text=help_text.strip(),
        choices=choices.strip(),
        order=order,
    )
    question._history_user = user
    question.save()
    return question


@transaction.atomic
def criterion_add(*, fund: Fund, user, name: str, weight: int, guidance: str = "") -> Criterion:
    if not 1 <= weight <= 10:
        raise ValidationError({"weight": "Weight must be a whole number from 1 to 10"})
    order = (fund.criteria.aggregate(m=models.Max("order"))["m"] or 0) + 1
    criterion = Criterion(
        fund=fund, name=name.strip(), weight=weight, guidance=guidance.strip(), order=order
    )
    criterion._history_user = user
    criterion.save()
    return criterion


@transaction.atomic
def round_add(
    *,
    fund: Fund,
    user,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    budget: Decimal,
    award_by: datetime.date | None = None,
    invite_only: bool = False,
) -> Round:
    """A new round of a fund: open from the start of its opening day until 11:59pm on its
    closing day (Europe/London). Rounds' budgets together may not exceed the fund's."""
    errors = {}
    if closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    if award_by and award_by < closes_on:
        errors["award_by"] = "Decisions cannot be due before the round closes"
    if fund.rounds.filter(name__iexact=name.strip()).exists():
        errors["name"] = f"{fund.name} already has a round called {name.strip()}"
    allocated = fund.rounds.aggregate(total=models.Sum("budget"))["total"] or ZERO
    if fund.budget_total and allocated + budget > fund.budget_total:
        left = max(fund.budget_total - allocated, ZERO)
        errors["budget"] = (
            f"The fund's rounds would then have more than its {money(fund.budget_total)} budget. "
            f"{money(left)} is left to give to rounds."
        )
    if errors:
        raise ValidationError(errors)
    london = ZoneInfo("Europe/London")
    round_ = Round(
        fund=fund,
        name=name.strip(),
        opens_at=datetime.datetime.combine(opens_on, datetime.time(0, 0), tzinfo=london),
        closes_at=datetime.datetime.combine(closes_on, datetime.time(23, 59, 59), tzinfo=london),
        award_by=award_by,
        budget=budget,
        invite_only=invite_only,
    )
    round_._history_user = user
    round_.save()
    return round_


# Exports --------------------------------------------------------------------------------------


@transaction.atomic
def export_job_start(*, fund: Fund, user: User, file_format: str) -> ExportJob:
    """Queue a large application export; the file is built by a worker (export_job_build). The
    task is found by name, as the stuck-jobs sweep finds it: the tasks module imports this one."""
    require_queue()
    job = ExportJob.objects.create(fund=fund, requested_by=user, file_format=file_format)
    enqueue_on_commit(current_app.tasks[STUCK_EXPORTS.task_name], job.pk)
    return job


EXPORT_FAILED_MESSAGE = (
    "The export could not be prepared because something went wrong while building the file. "
    "Start the export again, and contact the portal's support team if it fails again."
)


def export_job_build(*, job_id: int) -> ExportJob:
    """Build the file for a queued export (idempotent: a ready or failed job is left alone).
    The job says "running" from its start, so the stuck-jobs sweep can tell a vanished worker
    (`export_jobs_sweep`). A failure is recorded on the job, then raised for the worker to log."""
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
    with transaction.atomic():
        job.file.save(f"applications-{job.pk}.{job.file_format}", ContentFile(content), save=False)
        job.status = ExportJob.Status.READY
        job.save(update_fields=["file", "status", "updated_at"])
    return job
    try:
        content, _ = applications_file(application_list(fund=job.fund), job.file_format)
    except Exception as exc:
        job.status = ExportJob.Status.FAILED
        job.error = str(exc)[:2000]
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    with transaction.atomic():
        job.file.save(f"applications-{job.pk}.{job.file_format}", ContentFile(content), save=False)
        job.status = ExportJob.Status.READY
        job.save(update_fields=["file", "status", "updated_at"])
    return job
