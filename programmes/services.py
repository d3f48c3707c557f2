"""Every write to delivery plans, commitments and their quarterly updates."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.accounts.services import user_invite
from cpw.core import bounds, tabular, uploads
from cpw.core.concurrency import EditConflict, save_if_unchanged
from cpw.core.services import email_queue

from . import organisations, places_io
from .models import (
    RAG,
    Ambition,
    AmbitionPoint,
    Commitment,
    CommitmentUpdate,
    Council,
    DeliveryPlan,
    EvidenceFile,
    GovernanceBody,
    GovernanceBodyMember,
    Group,
    Milestone,
    PeriodStatus,
    PeriodWording,
    Phase,
    Place,
    Programme,
    ProgrammeStatus,
    ReminderKind,
    ReminderSent,
    ReportingPeriod,
    Risk,
    UpdateStatus,
)
from .periods import (
    ensure_period_open,
    label_for,
    parse_label,
    period_current,
    period_name,
    quarter_dates,
)
from .plan_io import check_rows
from .selectors import leads_missing_updates, report_reader_list

SAVE_DRAFT = "save_draft"
SUBMIT = "submit"

# The update workflow: (current status, action) -> new status. A lead may correct a submitted
# update (and submit it again) until the period is locked; a submitted update never goes back
# to draft.
UPDATE_TRANSITIONS = {
    (None, SAVE_DRAFT): UpdateStatus.DRAFT,
    (None, SUBMIT): UpdateStatus.SUBMITTED,
    (UpdateStatus.DRAFT, SAVE_DRAFT): UpdateStatus.DRAFT,
    (UpdateStatus.DRAFT, SUBMIT): UpdateStatus.SUBMITTED,
    (UpdateStatus.SUBMITTED, SUBMIT): UpdateStatus.SUBMITTED,
}

UPDATE_FIELDS = [
    "rag",
    "what_happened",
    "whats_next",
    "risks_and_issues",
    "evidence_links",
    "decision_question",
]


def _check_submittable(data: dict) -> None:
    errors = {}
    if not data.get("rag"):
        errors["rag"] = "Select a RAG rating, or Complete"
    if not (data.get("what_happened") or "").strip():
        errors["what_happened"] = "Enter what happened this period"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def commitment_update_save(
    *,
    commitment: Commitment,
    period: ReportingPeriod,
    user,
    data: dict,
    action: str,
    expected_version: int,
    files: list | None = None,
    progress: int | None = None,
) -> CommitmentUpdate:
    """Save (as a draft) or submit a commitment's update for a period. `expected_version` is
    the version the editor loaded (0 when there was no update yet): if someone saved since,
    EditConflict is raised and nothing is saved. Evidence files are checked from their bytes
    before anything is saved."""
    for upload in files or []:
        try:
            uploads.check_upload(upload, kinds=uploads.EVIDENCE)
        except ValidationError as exc:
            raise ValidationError({"evidence_file": exc.messages}) from exc
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_period_open(period)
    if period.programme_id != commitment.plan.programme_id:
        raise ValidationError("That reporting period belongs to another programme")
    changes = {field: data.get(field) or "" for field in UPDATE_FIELDS}
    existing = CommitmentUpdate.objects.filter(commitment=commitment, period=period).first()
    current_status = existing.status if existing else None
    new_status = UPDATE_TRANSITIONS.get((current_status, action))
    if new_status is None:
        raise ValidationError(
            "This update has already been submitted, so it cannot go back to being a draft. "
            "Submit your corrections instead."
        )
    if new_status == UpdateStatus.SUBMITTED:
        _check_submittable(changes)
    if existing is None and expected_version:
        raise ValidationError("This update no longer exists. Reload the page and start again.")
    if existing is None:
        try:
            with transaction.atomic():
                update = CommitmentUpdate(commitment=commitment, period=period, **changes)
                update.status = new_status
                if new_status == UpdateStatus.SUBMITTED:
                    update.submitted_at = timezone.now()
                    update.submitted_by = user
                update._history_user = user
                update.save()
        except IntegrityError:  # someone created it a moment ago
            current = CommitmentUpdate.objects.get(commitment=commitment, period=period)
            raise EditConflict(current, changes) from None
    else:
        if expected_version == 0:
            raise EditConflict(existing, changes)
        changes["status"] = new_status
        if new_status == UpdateStatus.SUBMITTED:
            changes["submitted_at"] = timezone.now()
            changes["submitted_by"] = user
        update = save_if_unchanged(
            existing, expected_version=expected_version, changes=changes, user=user
        )
    for upload in files or []:
        EvidenceFile.objects.create(
            update=update, file=upload, name=upload.name[:200], uploaded_by=user
        )
    if progress is not None or (
        new_status == UpdateStatus.SUBMITTED and update.rag == RAG.COMPLETE
    ):
        commitment_progress_set(
            commitment=commitment,
            progress=100
            if update.rag == RAG.COMPLETE and new_status == UpdateStatus.SUBMITTED
            else progress,
            user=user,
        )
    return update


@transaction.atomic
def commitment_progress_set(*, commitment: Commitment, progress: int, user) -> Commitment:
    if progress is None:
        return commitment
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "Progress must be between 0 and 100 per cent"})
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.progress == progress:
        return commitment
    commitment.progress = progress
    commitment._history_user = user
    commitment.save(update_fields=["progress", "updated_at"])
    return commitment


def commitment_progress_rollup(commitment: Commitment) -> int:
    """The weighted average progress of a commitment's sub-actions (its own when it has none)."""
    subs = list(commitment.sub_actions.values_list("progress", "weight"))
    total = sum(weight for _, weight in subs)
    if not total:
        return commitment.progress
    return round(sum(progress * weight for progress, weight in subs) / total)


def period_lock_is_early(period: ReportingPeriod, today: datetime.date | None = None) -> bool:
    """Locking before the update deadline has passed cuts leads off while they may still
    update: it needs a stated reason."""
    today = today or timezone.localdate()
    return today <= period.update_deadline


@transaction.atomic
def reporting_period_lock(
    *, period: ReportingPeriod, user, reason: str = "", today: datetime.date | None = None
) -> ReportingPeriod:
    """Lock a period so its updates can no longer change (programme managers only). Only once
    its update deadline has passed, or earlier with a stated reason, which is kept in the
    period's history. Locking a locked period changes nothing."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        return period
    reason = (reason or "").strip()
    if period_lock_is_early(period, today) and not reason:
        raise ValidationError(
            {
                "reason": f"Updates for {period_name(period)} are due by "
                f"{period.update_deadline.day} {period.update_deadline:%B %Y}. "
                "Enter why it must be locked before then"
            }
        )
    period.status = PeriodStatus.LOCKED
    period.locked_at = timezone.now()
    period.locked_by = user
    period._history_user = user
    period.lock_reason = reason
    period._change_reason = (
        f"Locked early: {reason}" if reason else "Locked after the update deadline"
    )[:100]
    period.save(update_fields=["status", "locked_at", "locked_by", "lock_reason", "updated_at"])
    return period


@transaction.atomic
def reporting_periods_ensure(
    *, programme: Programme, first: str, last: str, deadline_days: int = 14
) -> list[ReportingPeriod]:
    """Create (or keep) every quarter from `first` to `last`, each with an update deadline
    `deadline_days` after the quarter ends. Idempotent."""
    year, quarter = parse_label(first)
    end_year, end_quarter = parse_label(last)
    if (year, quarter) > (end_year, end_quarter):
        raise ValidationError("The first period must come before the last one")
    periods = []
    while (year, quarter) <= (end_year, end_quarter):
        start, end = quarter_dates(year, quarter)
        period, _ = ReportingPeriod.objects.get_or_create(
            programme=programme,
            label=label_for(year, quarter),
            defaults={
                "start": start,
                "end": end,
                "update_deadline": end + datetime.timedelta(days=deadline_days),
            },
        )
        periods.append(period)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return periods


# --- Reminders ---------------------------------------------------------------------------


def _leads_missing_updates(period: ReportingPeriod) -> dict:
    """{lead user: [commitments]} whose update for this period is not submitted."""
    return dict(leads_missing_updates(period))


def update_reminders_send(*, today: datetime.date | None = None, base_url: str = "") -> int:
    """Email each lead whose updates are due within their programme's reminder window, and
    again once they are overdue. Idempotent: one email per lead, period and kind."""
    today = today or timezone.localdate()
    sent = 0
    for programme in Programme.objects.filter(status="active"):
        period = period_current(programme, today=today)
        if period is None or period.status == PeriodStatus.LOCKED:
            continue
        days_left = (period.update_deadline - today).days
        if days_left < 0:
            kind = ReminderKind.OVERDUE
        elif days_left <= programme.reminder_days_before:
            kind = ReminderKind.DUE_SOON
        else:
            continue
        for lead, commitments in _leads_missing_updates(period).items():
            sent += _reminder_send(
                period=period, user=lead, kind=kind, commitments=commitments, base_url=base_url
            )
    return sent


@transaction.atomic
def _reminder_send(*, period, user, kind, commitments, base_url) -> int:
    _, created = ReminderSent.objects.get_or_create(period=period, user=user, kind=kind)
    if not created:
        return 0
    name = period_name(period)
    subject = (
        f"Your {name} updates are overdue"
        if kind == ReminderKind.OVERDUE
        else f"Your {name} updates are due by {period.update_deadline:%-d %B %Y}"
    )
    body = render_to_string(
        "programmes/email/update_reminder.txt",
        {
            "user": user,
            "period": period,
            "overdue": kind == ReminderKind.OVERDUE,
            "commitments": commitments,
            "url": base_url + reverse("programmes:my-work"),
        },
    )
    email_queue(to=user.email, subject=subject, body=body)
    return 1


# --- Changing commitments, milestones and risks ----------------------------------------------


@transaction.atomic
def commitment_change(
    *, commitment: Commitment, user, data: dict, expected_version: int
) -> Commitment:
    """Change a commitment's fields and leads; EditConflict if someone saved it meanwhile."""
    group = Group.objects.filter(pk=data["group"], plan_id=commitment.plan_id).first()
    if group is None:
        raise ValidationError({"group": "Select one of the plan's groups"})
    title = data["title"].strip()
    clash = Commitment.objects.filter(group=group, title__iexact=title).exclude(pk=commitment.pk)
    if clash.exists():
        raise ValidationError({"title": f"{group.name} already has a commitment with this title"})
    changes = {
        "title": title,
        "description": data.get("description", ""),
        "group": group,
        "status": data["status"],
        "progress": data["progress"],
        "start": data.get("start"),
        "end": data.get("end"),
    }
    commitment = save_if_unchanged(
        commitment, expected_version=expected_version, changes=changes, user=user
    )
    commitment.lead_users.set(data.get("lead_users") or [])
    leads = list(data.get("lead_organisations") or [])
    if new_lead := (data.get("new_lead_organisation") or "").strip():
        leads.append(organisations.organisation_by_exact_name(new_lead).pk)
    commitment.lead_organisations.set(leads)
    commitment.ambitions.set(data.get("ambitions") or [])
    return commitment


@transaction.atomic
def milestone_save(
    *, commitment: Commitment, user, data: dict, milestone=None, expected_version=None
):
    """Add a milestone, or change one: a change based on an older version than the saved one
    raises EditConflict."""
    changes = {
        "title": data["title"].strip(),
        "due_date": data.get("due_date"),
        "done_date": data.get("done_date"),
    }
    if milestone is None:
        milestone = Milestone(commitment=commitment, order=commitment.milestones.count(), **changes)
        milestone._history_user = user
        milestone.save()
        return milestone
    return save_if_unchanged(
        milestone,
        expected_version=milestone.version if expected_version is None else expected_version,
        changes=changes,
        user=user,
    )


@transaction.atomic
def risk_add(*, commitment: Commitment, user, data: dict):
    risk = Risk(
        commitment=commitment,
        description=data["description"].strip(),
        likelihood=data["likelihood"],
        impact=data["impact"],
        owner=data.get("owner", ""),
        mitigation=data.get("mitigation", ""),
    )
    risk._history_user = user
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def reporting_setup(
    *,
    programme: Programme,
    user,
    reminder_days_before: int,
    first: str = "",
    last: str = "",
    deadline_days: int = 14,
) -> list[ReportingPeriod]:
    """Add reporting periods (existing ones are kept as they are) and set when leads are
    reminded."""
    periods = []
    if first and last:
        errors = {}
        for name, label in (("first", first), ("last", last)):
            try:
                parse_label(label)
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)
        (y1, q1), (y2, q2) = parse_label(first), parse_label(last)
        if (y2 * 4 + q2) - (y1 * 4 + q1) >= 40:
            raise ValidationError({"last": "Add at most 40 quarters (10 years) at a time"})
        if (y1, q1) > (y2, q2):
            raise ValidationError(
                {"last": "The last quarter must be the same as or after the first"}
            )
        periods = reporting_periods_ensure(
            programme=programme, first=first, last=last, deadline_days=deadline_days
        )
    if programme.reminder_days_before != reminder_days_before:
        programme.reminder_days_before = reminder_days_before
        programme._history_user = user
        programme.save(update_fields=["reminder_days_before", "updated_at"])
    return periods


SETTINGS_LABEL_FIELDS = [
    "ambition_label",
    "ambition_label_plural",
    "groundbreaker_label",
    "groundbreaker_label_plural",
]


@transaction.atomic
def programme_settings_change(*, programme: Programme, user, data: dict) -> Programme:
    """The current phase (or stage), the programme's own RAG definitions, its own words for
    ambitions, groundbreakers and the delivery plan's groups, and whether it publishes open data
    (fields left out of `data` are left as they are)."""
    phase_id = data.get("current_phase")
    if phase_id and not Phase.objects.filter(pk=phase_id, programme=programme).exists():
        raise ValidationError({"current_phase": "Select one of this programme's phases"})
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.current_phase_id = phase_id
    programme.rag_green = data.get("rag_green", "")
    programme.rag_amber = data.get("rag_amber", "")
    programme.rag_red = data.get("rag_red", "")
    if data.get("period_wording"):
        if data["period_wording"] not in PeriodWording.values:
            raise ValidationError({"period_wording": "Choose how reporting periods are named"})
        programme.period_wording = data["period_wording"]
    fields = ["current_phase", "rag_green", "rag_amber", "rag_red", "period_wording"]
    if "publishes_open_data" in data:
        programme.publishes_open_data = bool(data["publishes_open_data"])
        fields.append("publishes_open_data")
    for field in SETTINGS_LABEL_FIELDS:
        if data.get(field):
            setattr(programme, field, data[field].strip())
            fields.append(field)
    programme._history_user = user
    programme.save(update_fields=[*fields, "updated_at"])
    if data.get("group_label") or data.get("group_label_plural"):
        plan = delivery_plan_ensure(programme=programme)
        plan.group_label = (data.get("group_label") or plan.group_label).strip()
        plan.group_label_plural = (
            data.get("group_label_plural") or plan.group_label_plural
        ).strip()
        plan._history_user = user
        plan.save(update_fields=["group_label", "group_label_plural", "updated_at"])
    return programme


# --- Governance bodies ------------------------------------------------------------------------

GOVERNANCE_BODY_FIELDS = [
    "name",
    "chair",
    "meeting_cadence",
    "delivery_team",
    "receives_quarterly_report",
]
GOVERNANCE_MEMBER_FIELDS = ["name", "position", "user", "is_chair"]


def _check_body_name(programme: Programme, name: str, *, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the body"})
    clash = GovernanceBody.objects.filter(programme=programme, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": f"{programme.name} already has a body called {name}. Choose another name."}
        )
    return name


@transaction.atomic
def governance_body_create(*, programme: Programme, user, data: dict) -> GovernanceBody:
    """Add a governance body (a steering group, scrutiny committee, cabinet...) to a programme."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one add at a time
    values = {field: data.get(field, "") for field in GOVERNANCE_BODY_FIELDS}
    values["name"] = _check_body_name(programme, values["name"])
    values["receives_quarterly_report"] = bool(data.get("receives_quarterly_report"))
    body = GovernanceBody(programme=programme, **values)
    body._history_user = user
    body.save()
    return body


@transaction.atomic
def governance_body_update(*, body: GovernanceBody, user, data: dict) -> GovernanceBody:
    body = GovernanceBody.objects.select_for_update().get(pk=body.pk)
    programme = Programme.objects.get(pk=body.programme_id)
    for field in GOVERNANCE_BODY_FIELDS:
        setattr(body, field, data.get(field, ""))
    body.name = _check_body_name(programme, body.name, exclude_pk=body.pk)
    body.receives_quarterly_report = bool(data.get("receives_quarterly_report"))
    body._history_user = user
    body.save(update_fields=[*GOVERNANCE_BODY_FIELDS, "updated_at"])
    return body


@transaction.atomic
def governance_body_delete(*, body: GovernanceBody, user) -> None:
    """Remove a body and its members (their history is kept)."""
    body = GovernanceBody.objects.select_for_update().filter(pk=body.pk).first()
    if body is None:
        return
    for member in body.members.all():
        member._history_user = user
        member.delete()
    body._history_user = user
    body.delete()


def _check_member(body: GovernanceBody, data: dict) -> dict:
    values = {field: data.get(field) for field in GOVERNANCE_MEMBER_FIELDS}
    values["name"] = (values["name"] or "").strip()
    values["position"] = (values["position"] or "").strip()
    values["is_chair"] = bool(values["is_chair"])
    account = values["user"]
    if not values["name"] and account is not None:
        values["name"] = account.full_name
    if not values["name"]:
        raise ValidationError({"name": "Enter the member's name"})
    if account is not None:
        programme = Programme.objects.get(pk=body.programme_id)
        if not report_reader_list(programme).filter(pk=account.pk).exists():
            raise ValidationError(
                {
                    "user": f"{account} cannot read {programme.name}'s reports. Choose someone "
                    "with the steering-group or programme manager role in it, or invite them "
                    "with the steering-group role first."
                }
            )
    return values


@transaction.atomic
def governance_member_create(*, body: GovernanceBody, user, data: dict) -> GovernanceBodyMember:
    body = GovernanceBody.objects.select_for_update().get(pk=body.pk)
    member = GovernanceBodyMember(body=body, **_check_member(body, data))
    member._history_user = user
    member.save()
    return member


@transaction.atomic
def governance_member_update(
    *, member: GovernanceBodyMember, user, data: dict
) -> GovernanceBodyMember:
    member = (
        GovernanceBodyMember.objects.select_for_update().select_related("body").get(pk=member.pk)
    )
    for field, value in _check_member(member.body, data).items():
        setattr(member, field, value)
    member._history_user = user
    member.save(update_fields=[*GOVERNANCE_MEMBER_FIELDS, "updated_at"])
    return member


@transaction.atomic
def governance_member_delete(*, member: GovernanceBodyMember, user) -> None:
    member = GovernanceBodyMember.objects.select_for_update().filter(pk=member.pk).first()
    if member is not None:
        member._history_user = user
        member.delete()


@transaction.atomic
def governance_bodies_copy(*, source: Programme, target: Programme, user=None) -> int:
    """Copy every governance body of `source` (with its members' names, positions and chairs)
    into `target`, for a programme set up from another's structure. Members' portal accounts are
    not copied: the people who may read one programme's reports may differ from the other's.
    A body whose name `target` already has is left alone. Returns how many bodies were added."""
    existing = {
        name.lower()
        for name in GovernanceBody.objects.filter(programme=target).values_list("name", flat=True)
    }
    added = 0
    for body in GovernanceBody.objects.filter(programme=source).prefetch_related("members"):
        if body.name.lower() in existing:
            continue
        copy = GovernanceBody(
            programme=target, **{field: getattr(body, field) for field in GOVERNANCE_BODY_FIELDS}
        )
        copy._history_user = user
        copy.save()
        for member in body.members.all():
            member_copy = GovernanceBodyMember(
                body=copy, name=member.name, position=member.position, is_chair=member.is_chair
            )
            member_copy._history_user = user
            member_copy.save()
        added += 1
    return added


@transaction.atomic
def update_chase(*, period: ReportingPeriod, user, base_url: str = "") -> int:
    """A programme manager emails every lead whose update for the period is not submitted.
    Call require_queue() first. Returns how many leads were emailed."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_period_open(period)
    leads = _leads_missing_updates(period)
    for lead, commitments in leads.items():
        body = render_to_string(
            "programmes/email/update_reminder.txt",
            {
                "user": lead,
                "period": period,
                "overdue": timezone.localdate() > period.update_deadline,
                "commitments": commitments,
                "url": base_url + reverse("programmes:my-work"),
                "sender": user,
            },
        )
        email_queue(
            to=lead.email,
            subject=f"Reminder from {user.full_name}: your {period_name(period)} updates",
            body=body,
        )
    return len(leads)


# --- Delivery plan import ------------------------------------------------------------------


@transaction.atomic
def delivery_plan_ensure(*, programme: Programme) -> DeliveryPlan:
    """The programme's delivery plan, created (empty) if it has none yet."""
    plan, _ = DeliveryPlan.objects.get_or_create(
        programme=programme, defaults={"name": f"{programme.name} delivery plan"}
    )
    return plan


def ambition_lookup(programme: Programme) -> dict:
    """The programme's ambitions by lower-case name, for the plan import's ambitions column."""
    return {" ".join(a.name.split()).lower(): a for a in programme.ambitions.all()}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def delivery_plan_import(
    *, programme: Programme, table: list[dict], user=None, unmatched: str = "error"
) -> ImportSummary:
    """Import a delivery plan, all or nothing: raises ValidationError listing every row's
    errors. Commitments are matched on their group and title, so importing the same file
    twice changes nothing."""
    plan = delivery_plan_ensure(programme=programme)
    rows = check_rows(
        table,
        council_id=programme.council_id,
        group_label=plan.group_label,
        unmatched=unmatched,
        ambitions=ambition_lookup(programme),
    )
    errors = [f"Row {r.number}: {message}" for r in rows for message in r.errors]
    if errors:  # the first 100, then "and N more errors"
        raise ValidationError(tabular.cap_messages(errors))
    period = period_current(programme)
    summary = ImportSummary()
    groups = {g.name.lower(): g for g in plan.groups.all()}
    created_orgs = {}
    for position, row in enumerate(rows):
        group = groups.get(row.group.lower())
        if group is None:
            group = Group.objects.create(plan=plan, name=row.group, order=len(groups))
            groups[row.group.lower()] = group
        for name in row.new_organisations:
            if name.lower() not in created_orgs:
                # The record with exactly this name (another council's too: linking it reveals
                # nothing the file did not say), or a new one.
                created_orgs[name.lower()] = organisations.organisation_by_exact_name(name)
            row.organisations.append(created_orgs[name.lower()])
        commitment = (
            Commitment.objects.filter(plan=plan, group=group, title__iexact=row.title)
            .prefetch_related("lead_users", "lead_organisations", "milestones", "ambitions")
            .first()
        )
        fields = {
            "title": row.title,
            "description": row.description,
            "end": row.due_date,
            "status": row.status,
        }
        if commitment is None:
            commitment = Commitment(plan=plan, group=group, order=position, **fields)
            commitment._history_user = user
            commitment.save()
            summary.created += 1
            changed = was_created = True
        else:
            was_created = False
            changed_fields = [k for k, v in fields.items() if getattr(commitment, k) != v]
            for name in changed_fields:
                setattr(commitment, name, fields[name])
            if changed_fields:
                commitment._history_user = user
                commitment.save(update_fields=[*changed_fields, "updated_at"])
            changed = bool(changed_fields)
        if {u.pk for u in commitment.lead_users.all()} != {u.pk for u in row.users}:
            commitment.lead_users.set(row.users)
            changed = True
        if {o.pk for o in commitment.lead_organisations.all()} != {o.pk for o in row.organisations}:
            commitment.lead_organisations.set(row.organisations)
            changed = True
        if row.ambitions is not None and {a.pk for a in commitment.ambitions.all()} != {
            a.pk for a in row.ambitions
        }:
            commitment.ambitions.set(row.ambitions)
            changed = True
        existing = [(m.title, m.due_date, m.done_date) for m in commitment.milestones.all()]
        if existing != row.milestones:
            commitment.milestones.all().delete()
            Milestone.objects.bulk_create(
                Milestone(commitment=commitment, order=i, title=t, due_date=due, done_date=done)
                for i, (t, due, done) in enumerate(row.milestones)
            )
            changed = True
        if row.latest_update and _latest_update_text(commitment) != row.latest_update:
            if period is None or period.is_locked:
                raise ValidationError(
                    f"Row {row.number}: there is no open reporting period to hold the latest "
                    "update. Add reporting periods first, or leave latest_update empty"
                )
            update, created = CommitmentUpdate.objects.get_or_create(
                commitment=commitment, period=period, defaults={"what_happened": row.latest_update}
            )
            if not created:
                update.what_happened = row.latest_update
                update._history_user = user
                update.save(update_fields=["what_happened", "updated_at"])
            changed = True
        if changed and not was_created:
            summary.updated += 1
    summary.unchanged = len(rows) - summary.created - summary.updated
    return summary


def _latest_update_text(commitment: Commitment) -> str:
    update = (
        CommitmentUpdate.objects.filter(commitment=commitment)
        .exclude(what_happened="")
        .order_by("-period__start")
        .first()
    )
    return update.what_happened if update else ""


# --- Places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacesImportSummary:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class _CouncilPlaces:
    """A council's places held in memory while an import runs, with the indexes it looks them
    up by; kept up to date as rows are saved, so a later row can name an earlier one."""

    def __init__(self, council: Council):
        self.by_id: dict[int, Place] = {}
        self.by_code: dict[str, Place] = {}
        self.by_name: dict[str, list[Place]] = {}
        for place in Place.objects.filter(council=council):
            self.add(place)

    def add(self, place: Place) -> None:
        self.by_id[place.pk] = place
        if place.ons_code:
            self.by_code[place.ons_code.upper()] = place
        self.by_name.setdefault(place.name.lower(), []).append(place)

    def forget(self, place: Place, *, code: str, name: str) -> None:
        if code and self.by_code.get(code.upper()) is place:
            del self.by_code[code.upper()]
        same = self.by_name.get(name.lower(), [])
        if place in same:
            same.remove(place)

    def named(self, name: str, kind: str, parent_id: int | None) -> Place | None:
        for place in self.by_name.get(name.lower(), []):
            if place.kind == kind and place.parent_id == parent_id:
                return place
        return None

    def unplaced(self, name: str, kind: str) -> Place | None:
        """The one place with this name and kind that is inside no other place yet (a place
        imported or added before its parent), or None."""
        found = [
            p for p in self.by_name.get(name.lower(), []) if p.kind == kind and p.parent_id is None
        ]
        return found[0] if len(found) == 1 else None

    def is_inside(self, place: Place, ancestor: Place) -> bool:
        """Is `place` `ancestor` or somewhere inside it?"""
        seen = set()
        while place is not None and place.pk not in seen:
            if place.pk == ancestor.pk:
                return True
            seen.add(place.pk)
            place = self.by_id.get(place.parent_id)
        return False


def _import_parent(row, council: Council, places: _CouncilPlaces) -> Place | None:
    if row.parent_ons_code:
        code = places_io.check_ons_code(row.parent_ons_code)
        parent = places.by_code.get(code)
        if parent is None:
            raise ValidationError(
                f"{council} has no place with ONS code {code}: add the parent on an earlier "
                "row, or import it first"
            )
        return parent
    if row.parent_name:
        found = places.by_name.get(row.parent_name.strip().lower(), [])
        if not found:
            raise ValidationError(
                f"{council} has no place called '{row.parent_name}': add the parent on an "
                "earlier row, or import it first"
            )
        if len(found) > 1:
            raise ValidationError(
                f"More than one of {council}'s places is called '{row.parent_name}': "
                "use parent_ons_code instead"
            )
        return found[0]
    return None


@transaction.atomic
def places_import(*, council: Council, rows: list, dry_run: bool = False) -> PlacesImportSummary:
    """Add or update a council's places from the rows of a places file (places_io.read_rows),
    all or nothing. A row updates the place with its ONS code, or else the place with its name
    and kind in the same parent (or, for a row with a parent, the one such place that is in no
    parent yet), or adds a place. A parent is named by ONS code or name and must
    be a place of the council already or on an earlier row. Any row error raises ImportRejected
    listing every one, and nothing is saved; `dry_run` checks everything and saves nothing."""
    places = _CouncilPlaces(council)
    errors = tabular.RowErrors()
    seen_codes: dict[str, int] = {}
    seen_keys: dict[tuple, int] = {}
    created = updated = unchanged = 0
    for row in rows:
        row_errors: list[tabular.RowError] = []

        def fail(column: str, message: str, row=row, row_errors=row_errors) -> None:
            row_errors.append(tabular.RowError(row.number, column, message))

        name = " ".join(row.name.split())
        if not name:
            fail("name", "Enter the place's name")
        for message in bounds.values_errors(Place, {"name": name}, {"name": "the name"}):
            fail("name", message)
        kind = code = parent = None
        try:
            kind = places_io.parse_kind(row.kind) if row.kind.strip() else None
            if kind is None:
                fail("kind", "Enter the kind of place, like ward or parish")
        except ValidationError as exc:
            fail("kind", exc.messages[0])
        try:
            code = places_io.check_ons_code(row.ons_code)
        except ValidationError as exc:
            fail("ons_code", exc.messages[0])
        if code and code in seen_codes:
            fail("ons_code", f"ONS code {code} is also on row {seen_codes[code]}")
        try:
            parent = _import_parent(row, council, places)
        except ValidationError as exc:
            fail("parent_ons_code" if row.parent_ons_code else "parent_name", exc.messages[0])
        if row_errors:
            errors.extend(row_errors)
            continue
        if code:
            seen_codes[code] = row.number
        key = (name.lower(), kind, parent.pk if parent else None)
        if key in seen_keys:
            errors.append(
                tabular.RowError(
                    row.number,
                    "name",
                    f"{name} ({kind.label.lower()}) is also on row {seen_keys[key]}",
                )
            )
            continue
        seen_keys[key] = row.number
        place = (
            (places.by_code.get(code) if code else None)
            or places.named(name, kind, key[2])
            or (places.unplaced(name, kind) if parent is not None else None)
        )
        if place is not None and code and place.ons_code and place.ons_code.upper() != code:
            fail("ons_code", f"{place.name} already has ONS code {place.ons_code}")
        if place is not None and parent is not None and places.is_inside(parent, place):
            fail("parent_name", f"{name} cannot be inside itself or one of its own places")
        clash = places.named(name, kind, key[2])
        if clash is not None and place is not None and clash.pk != place.pk:
            fail("name", f"There is already a {kind.label.lower()} called {name} there")
        if row_errors:
            errors.extend(row_errors)
            continue
        if errors:
            continue  # nothing will be saved: only look for more errors
        if place is None:
            place = Place.objects.create(
                council=council, name=name, kind=kind, ons_code=code or "", parent=parent
            )
            places.add(place)
            created += 1
            continue
        changes = {"name": name, "kind": kind, "parent_id": parent.pk if parent else None}
        if code:
            changes["ons_code"] = code
        changed = [f for f, value in changes.items() if getattr(place, f) != value]
        if not changed:
            unchanged += 1
            continue
        places.forget(place, code=place.ons_code, name=place.name)
        for field_name in changed:
            setattr(place, field_name, changes[field_name])
        place.save(update_fields=[*changed, "updated_at"])
        places.add(place)
        updated += 1
    if errors:
        raise tabular.ImportRejected(errors)
    if dry_run:
        transaction.set_rollback(True)
    return PlacesImportSummary(created=created, updated=updated, unchanged=unchanged)


# --- Set-up: councils, programmes and their structure ----------------------------------------

COUNCIL_FIELDS = [
    "name",
    "short_name",
    "slug",
    "kind",
    "org_id_prefix",
    "brand_colour",
    "contact_email",
    "dpo_email",
]


def _unique_slug_error(model, slug: str, *, exclude_pk=None) -> dict:
    clash = model.objects.filter(slug=slug)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        return {"slug": "This web address is already used. Enter a different one"}
    return {}


@transaction.atomic
def council_create(*, user, data: dict, admin_full_name: str, admin_email: str) -> Council:
    """A staff admin adds a council and invites its first council admin (who is emailed a link
    to set a password, or told of the new role if they already have an account)."""
    errors = _unique_slug_error(Council, data["slug"])
    if Council.objects.filter(name__iexact=data["name"]).exists():
        errors["name"] = "A council with this name is already in the portal"
    if errors:
        raise ValidationError(errors)
    council = Council(**{field: data.get(field) or "" for field in COUNCIL_FIELDS})
    council.full_clean()
    council._history_user = user
    council.save()
    try:
        user_invite(
            invited_by=user,
            full_name=admin_full_name,
            email=admin_email,
            role=Role.COUNCIL_ADMIN,
            council=council,
        )
    except ValidationError as exc:
        # The form names the admin's fields admin_full_name and admin_email.
        if hasattr(exc, "error_dict"):
            raise ValidationError(
                {
                    ("admin_email" if key == "email" else key): value
                    for key, value in exc.error_dict.items()
                }
            ) from exc
        raise
    return council


STALE_MESSAGE = (
    "Someone else changed these details while you were editing them. Check the details below "
    "and make your changes again."
)


@transaction.atomic
def council_change(*, council: Council, user, data: dict, loaded_at: str = "") -> Council:
    """A council admin (or staff admin) changes the council's details. `loaded_at` is the
    council's `updated_at` when the form was loaded: if it has changed since, nothing is saved
    (no silent overwrite)."""
    council = Council.objects.select_for_update().get(pk=council.pk)
    if loaded_at and loaded_at != council.updated_at.isoformat():
        raise ValidationError(STALE_MESSAGE, code="stale")
    errors = _unique_slug_error(Council, data["slug"], exclude_pk=council.pk)
    if Council.objects.filter(name__iexact=data["name"]).exclude(pk=council.pk).exists():
        errors["name"] = "Another council has this name"
    if errors:
        raise ValidationError(errors)
    changed = [f for f in COUNCIL_FIELDS if getattr(council, f) != (data.get(f) or "")]
    if not changed:
        return council
    for field in changed:
        setattr(council, field, data.get(field) or "")
    council.full_clean()
    council._history_user = user
    council.save(update_fields=[*changed, "updated_at"])
    return council


PROGRAMME_LABEL_FIELDS = [
    "ambition_label",
    "ambition_label_plural",
    "groundbreaker_label",
    "groundbreaker_label_plural",
    "rag_green",
    "rag_amber",
    "rag_red",
    "reminder_days_before",
]


@transaction.atomic
def programme_create(
    *, council: Council, user, data: dict, copy_from: Programme | None = None
) -> Programme:
    """A council admin creates a programme of their council: from a blank form, or with the
    structure of another of the council's programmes (phases and their stages, ambitions and
    their points, its own words, the delivery plan's groups and labels, the governance bodies and their members).
    Commitments, updates, reporting periods and people are not copied."""
    if copy_from is not None and copy_from.council_id != council.pk:
        raise ValidationError({"copy_from": "Select one of this council's programmes"})
    errors = _unique_slug_error(Programme, data["slug"])
    if data.get("start") and data.get("end") and data["end"] < data["start"]:
        errors["end"] = "The end date must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)
    programme = Programme(
        council=council,
        name=data["name"],
        short_name=data["short_name"],
        slug=data["slug"],
        purpose=data.get("purpose") or "",
        start=data.get("start"),
        end=data.get("end"),
        status=ProgrammeStatus.PLANNED,
    )
    if copy_from is not None:
        for field in PROGRAMME_LABEL_FIELDS:
            setattr(programme, field, getattr(copy_from, field))
    programme._history_user = user
    programme.save()
    if copy_from is not None:
        _programme_structure_copy(source=copy_from, target=programme, user=user)
    return programme


def _programme_structure_copy(*, source: Programme, target: Programme, user) -> None:
    phases = {}
    source_phases = list(Phase.objects.filter(programme=source).order_by("parent_id", "order"))
    # Phases first, then their stages, so each stage's parent exists.
    for phase in sorted(source_phases, key=lambda p: p.parent_id is not None):
        copy = Phase(
            programme=target,
            parent=phases.get(phase.parent_id),
            order=phase.order,
            name=phase.name,
            start=phase.start,
            end=phase.end,
        )
        copy._history_user = user
        copy.save()
        phases[phase.pk] = copy
    if source.current_phase_id in phases:
        target.current_phase = phases[source.current_phase_id]
        target._history_user = user
        target.save(update_fields=["current_phase", "updated_at"])
    for ambition in Ambition.objects.filter(programme=source).prefetch_related("points"):
        copy = Ambition.objects.create(programme=target, order=ambition.order, name=ambition.name)
        AmbitionPoint.objects.bulk_create(
            AmbitionPoint(ambition=copy, order=point.order, text=point.text)
            for point in ambition.points.all()
        )
    plan = DeliveryPlan.objects.filter(programme=source).first()
    if plan is not None:
        new_plan = DeliveryPlan.objects.create(
            programme=target,
            name=f"{target.name} delivery plan",
            group_label=plan.group_label,
            group_label_plural=plan.group_label_plural,
        )
        Group.objects.bulk_create(
            Group(plan=new_plan, order=group.order, name=group.name) for group in plan.groups.all()
        )
    for body in GovernanceBody.objects.filter(programme=source).prefetch_related("members"):
        new_body = GovernanceBody.objects.create(
            programme=target,
            name=body.name,
            chair=body.chair,
            meeting_cadence=body.meeting_cadence,
            delivery_team=body.delivery_team,
            receives_quarterly_report=body.receives_quarterly_report,
        )
        GovernanceBodyMember.objects.bulk_create(
            GovernanceBodyMember(
                body=new_body,
                name=member.name,
                position=member.position,
                user_id=member.user_id,
                is_chair=member.is_chair,
            )
            for member in body.members.all()
        )


def _check_phase_parent(*, programme: Programme, phase: Phase | None, parent: Phase | None):
    if parent is None:
        return
    if parent.programme_id != programme.pk:
        raise ValidationError({"parent": "Select one of this programme's phases"})
    if parent.parent_id is not None:
        raise ValidationError({"parent": "A stage cannot hold stages. Select a phase"})
    if phase is not None and phase.pk is not None:
        if parent.pk == phase.pk:
            raise ValidationError({"parent": "A phase cannot be a stage of itself"})
        if phase.stages.exists():
            raise ValidationError(
                {"parent": "This phase has stages, so it cannot become a stage of another phase"}
            )


@transaction.atomic
def phase_save(*, programme: Programme, user, data: dict, phase: Phase | None = None) -> Phase:
    """Add a phase (or a stage inside one of the programme's phases), or change one."""
    parent = data.get("parent")
    _check_phase_parent(programme=programme, phase=phase, parent=parent)
    clash = Phase.objects.filter(programme=programme, name__iexact=data["name"])
    if phase is not None:
        clash = clash.exclude(pk=phase.pk)
    if clash.exists():
        raise ValidationError(
            {"name": "This programme already has a phase or stage with this name"}
        )
    if data.get("start") and data.get("end") and data["end"] < data["start"]:
        raise ValidationError({"end": "The end date must be the same as or after the start date"})
    if phase is None:
        phase = Phase(programme=programme)
        if data.get("order") is None:
            last = (
                Phase.objects.filter(programme=programme, parent=parent)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            data = {**data, "order": (last or 0) + 1}
    phase.parent = parent
    phase.name = data["name"]
    if data.get("order") is not None:
        phase.order = data["order"]
    phase.start = data.get("start")
    phase.end = data.get("end")
    phase._history_user = user
    phase.save()
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, user) -> None:
    """Delete a phase or stage; a phase with stages keeps them, so it cannot be deleted."""
    if phase.stages.exists():
        raise ValidationError("Delete or move this phase's stages first")
    phase._history_user = user
    phase.delete()


@transaction.atomic
def ambition_save(
    *, programme: Programme, user, data: dict, ambition: Ambition | None = None
) -> Ambition:
    """Add or change an ambition and its "what this means" points (one per line)."""
    clash = Ambition.objects.filter(programme=programme, name__iexact=data["name"])
    if ambition is not None:
        clash = clash.exclude(pk=ambition.pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": f"This programme already has a{_an(programme.ambition_label)} "
                f"{programme.ambition_label.lower()} with this name"
            }
        )
    if ambition is None:
        ambition = Ambition(programme=programme)
        last = (
            Ambition.objects.filter(programme=programme)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        ambition.order = (last or 0) + 1
    if data.get("order") is not None:
        ambition.order = data["order"]
    ambition.name = data["name"]
    ambition._history_user = user
    ambition.save()
    points = [line.strip() for line in (data.get("points") or "").splitlines() if line.strip()]
    existing = list(ambition.points.all())
    if [p.text for p in existing] != points:
        for point in existing:
            point._history_user = user
            point.delete()
        for order, text in enumerate(points, start=1):
            point = AmbitionPoint(ambition=ambition, order=order, text=text[:300])
            point._history_user = user
            point.save()
    return ambition


def _an(word: str) -> str:
    return "n" if word[:1].lower() in "aeiou" else ""


@transaction.atomic
def ambition_delete(*, ambition: Ambition, user) -> None:
    """Delete an ambition; commitments that served it no longer name it."""
    ambition._history_user = user
    ambition.delete()
