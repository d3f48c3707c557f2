"""Every write to groundbreakers: keyword-only, atomic, plain-English ValidationErrors."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cpw.accounts.models import Organisation, User
from cpw.core.concurrency import EditConflict, save_if_unchanged
from cpw.core.services import email_queue
from programmes import organisations
from programmes.models import (
    Ambition,
    Commitment,
    Council,
    PeriodStatus,
    Place,
    Programme,
    ReportingPeriod,
    UpdateStatus,
)
from programmes.periods import ensure_period_open, period_name

from . import workflow
from .models import (
    COUNT_FIELDS,
    DEFAULT_AUDIENCES,
    OUTCOMES_MAX,
    OUTCOMES_MIN,
    Activity,
    ActivityStatus,
    Audience,
    Groundbreaker,
    GroundbreakerStatus,
    GroundbreakerStatusChange,
    GroundbreakerUpdate,
    KeyOutcome,
    LearningEntry,
    LearningOutcome,
    OutcomeProgress,
    Tag,
    UpdateReminder,
    WorkingGroupMember,
)

COUNT_LABELS = {
    "attendees": "Number of people who attended",
    "households_approached": "Households approached",
    "questionnaires_completed": "Questionnaires completed",
    "hours_of_conversation": "Hours of conversation",
    "volunteers": "Number of volunteers",
    "sessions": "Number of sessions",
}
MAX_COUNT = 1_000_000
RESERVED_SLUGS = {
    "activity",
    "learning",
    "new",
    "updates",
}  # programme-level pages share the URL space


def actor_roles(user: User | None, groundbreaker: Groundbreaker) -> set[str]:
    """The roles in the lifecycle's table of transitions that the user holds for this
    groundbreaker, as groundbreakers/rules.py defines them."""
    if user is None:
        return set()
    roles = set()
    if user.has_perm("groundbreakers.manage_groundbreaker", groundbreaker):
        roles.add(workflow.MANAGER)
    if user.has_perm("groundbreakers.lead_groundbreaker", groundbreaker):
        roles.add(workflow.LEAD)
    return roles


def _check_commitments(programme: Programme, commitments: list[Commitment]) -> None:
    """Refuse commitments from another programme's delivery plan."""
    if any(c.plan.programme_id != programme.pk for c in commitments):
        raise ValidationError(
            {
                "commitments": "Choose only commitments in the "
                f"{programme.short_name or programme.name} delivery plan"
            }
        )


def _check_grants(programme: Programme, grants: list) -> None:
    """Refuse grants from another programme's funds."""
    if any(g.application.round.fund.programme_id != programme.pk for g in grants):
        raise ValidationError(
            {
                "grants": "Choose only grants from the "
                f"{programme.short_name or programme.name} funds"
            }
        )


def _check_ambitions(programme: Programme, ambitions: list[Ambition]) -> None:
    if any(a.programme_id != programme.pk for a in ambitions):
        raise ValidationError(
            {"ambitions": f"Choose only ambitions of {programme.short_name or programme.name}"}
        )


# Groundbreakers ---------------------------------------------------------------------------


def _partners_with(partners, new_partner: str) -> list[Organisation]:
    """The partners chosen from the list, plus the one named (an organisation on the portal
    with exactly that name, or a new one): how an organisation new to the council is linked."""
    partners = list(partners or [])
    if new_partner and new_partner.strip():
        organisation = organisations.organisation_by_exact_name(new_partner)
        if organisation not in partners:
            partners.append(organisation)
    return partners


@transaction.atomic
def groundbreaker_create(
    *,
    programme: Programme,
    name: str,
    summary: str = "",
    lead_service_area: str = "",
    lead_officer: User | None = None,
    sponsor: str = "",
    partners: list[Organisation] | None = None,
    new_partner: str = "",
    places: list[Place] | None = None,
    commitments: list[Commitment] | None = None,
    grants: list | None = None,
    slug: str = "",
    user: User | None = None,
) -> Groundbreaker:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name"})
    _check_commitments(programme, commitments or [])
    _check_grants(programme, grants or [])
    _check_places(programme, places or [])
    if Groundbreaker.objects.filter(programme=programme, name__iexact=name).exists():
        raise ValidationError({"name": f"{programme.short_name} already has one called {name}"})
    base = (slug or slugify(name) or "groundbreaker")[:70]
    slug, n = base, 1
    while (
        slug in RESERVED_SLUGS
        or Groundbreaker.objects.filter(programme=programme, slug=slug).exists()
    ):
        n += 1
        slug = f"{base}-{n}"
    groundbreaker = Groundbreaker(
        programme=programme,
        name=name,
        slug=slug,
        summary=summary,
        lead_service_area=lead_service_area,
        lead_officer=lead_officer,
        sponsor=sponsor,
    )
    groundbreaker._history_user = user
    groundbreaker.save()
    groundbreaker.partners.set(_partners_with(partners, new_partner))
    groundbreaker.places.set(places or [])
    groundbreaker.commitments.set(commitments or [])
    groundbreaker.grants.set(grants or [])
    return groundbreaker


DETAIL_FIELDS = ["name", "summary", "lead_service_area", "lead_officer", "sponsor"]


@transaction.atomic
def groundbreaker_details_update(
    *,
    groundbreaker: Groundbreaker,
    expected_version: int,
    data: dict,
    partners: list[Organisation],
    places: list[Place],
    user: User | None,
    commitments: list[Commitment] | None = None,
    grants: list | None = None,
    new_partner: str = "",
) -> Groundbreaker:
    """Change a groundbreaker's details. Refused with EditConflict if someone else saved it
    after `expected_version` was read. `commitments=None` (or `grants=None`) leaves the linked
    commitments (grants) as they are."""
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name"})
    if commitments is not None:
        _check_commitments(groundbreaker.programme, commitments)
    if grants is not None:
        _check_grants(groundbreaker.programme, grants)
    _check_places(groundbreaker.programme, places)
    clash = Groundbreaker.objects.filter(
        programme_id=groundbreaker.programme_id, name__iexact=name
    ).exclude(pk=groundbreaker.pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already one called {name}"})
    changes = {field: data[field] for field in DETAIL_FIELDS if field in data}
    changes["name"] = name
    saved = save_if_unchanged(
        groundbreaker, expected_version=expected_version, changes=changes, user=user
    )
    saved.partners.set(_partners_with(partners, new_partner))
    saved.places.set(places)
    if commitments is not None:
        saved.commitments.set(commitments)
    if grants is not None:
        saved.grants.set(grants)
    return saved


@transaction.atomic
def groundbreaker_status_change(
    *,
    groundbreaker: Groundbreaker,
    to_status: str,
    reason: str,
    user: User | None,
    changed_on: datetime.date | None = None,
) -> Groundbreaker:
    """Move a groundbreaker along its lifecycle (workflow.TRANSITIONS), logging date and reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for the change of status"})
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": "The date of the change must be today or in the past"})
    current = Groundbreaker.objects.select_for_update().get(pk=groundbreaker.pk)
    if to_status not in GroundbreakerStatus.values:
        raise ValidationError({"to_status": "Select a new status"})
    if (current.status, to_status) not in workflow.TRANSITIONS:
        raise ValidationError(
            {
                "to_status": f"A groundbreaker that is {current.get_status_display().lower()} "
                f"cannot become {GroundbreakerStatus(to_status).label.lower()}"
            }
        )
    if not workflow.allowed(current.status, to_status, actor_roles(user, current)):
        raise ValidationError(
            {"to_status": "Only a programme manager can make this change of status"}
        )
    GroundbreakerStatusChange.objects.create(
        groundbreaker=current,
        from_status=current.status,
        to_status=to_status,
        changed_on=changed_on,
        reason=reason,
        changed_by=user,
    )
    return save_if_unchanged(
        current,
        expected_version=current.version,
        changes={"status": to_status, "status_changed_on": changed_on},
        user=user,
    )


@transaction.atomic
def key_outcomes_set(
    *,
    groundbreaker: Groundbreaker,
    outcomes: list[dict],
    confirm_count: bool = False,
    user: User | None,
) -> list[KeyOutcome]:
    """Replace a groundbreaker's key outcomes. Each is {title, success_factors, indicators}.
    Groundbreakers set 3 or 4; any other number needs `confirm_count`."""
    cleaned = []
    errors = []
    for number, outcome in enumerate(outcomes, start=1):
        title = (outcome.get("title") or "").strip()
        success = (outcome.get("success_factors") or "").strip()
        indicators = (outcome.get("indicators") or "").strip()
        if not (title or success or indicators):
            continue
        if not title:
            errors.append(f"Enter a title for key outcome {number}")
            continue
        cleaned.append({"title": title, "success_factors": success, "indicators": indicators})
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError("Enter at least one key outcome")
    if not OUTCOMES_MIN <= len(cleaned) <= OUTCOMES_MAX and not confirm_count:
        raise ValidationError(
            {
                "confirm_count": f"Groundbreakers usually set {OUTCOMES_MIN} or {OUTCOMES_MAX} key "
                f"outcomes and you have entered {len(cleaned)}. Confirm that this is what you "
                "intend, or change the number of outcomes."
            }
        )
    Groundbreaker.objects.select_for_update().get(pk=groundbreaker.pk)
    existing = {o.position: o for o in groundbreaker.key_outcomes.all()}
    saved = []
    for position, data in enumerate(cleaned, start=1):
        outcome = existing.pop(position, None) or KeyOutcome(
            groundbreaker=groundbreaker, position=position
        )
        for field, value in data.items():
            setattr(outcome, field, value)
        outcome._history_user = user
        outcome.save()
        saved.append(outcome)
    reported = [o for o in existing.values() if o.progress.exists()]
    if reported:
        raise ValidationError(
            f"Key outcome {reported[0].position} ({reported[0].title}) has progress reported in a "
            "quarterly update, so it cannot be removed. Change its wording instead."
        )
    for leftover in existing.values():
        leftover._history_user = user
        leftover.delete()
    return saved


@transaction.atomic
def working_group_member_add(
    *,
    groundbreaker: Groundbreaker,
    member: User | None = None,
    name: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
    role: str = "",
    user: User | None,
) -> WorkingGroupMember:
    name = name.strip()
    if member is None and not name:
        raise ValidationError(
            {"name": "Choose someone who uses the portal, or enter the name of the person"}
        )
    if member is not None and name:
        raise ValidationError(
            {"name": "Choose someone who uses the portal or enter a name, not both"}
        )
    if member is not None and groundbreaker.working_group.filter(user=member).exists():
        raise ValidationError({"member": f"{member} is already on the working group"})
    organisation_name = " ".join(organisation_name.split())
    if organisation is None and organisation_name:
        # An organisation on the portal with exactly this name is linked (which links it to the
        # council); any other name stays as typed. Nothing is listed, so nothing is revealed.
        organisation = Organisation.objects.filter(name__iexact=organisation_name).first()
    row = WorkingGroupMember(
        groundbreaker=groundbreaker,
        user=member,
        name=name,
        organisation=organisation,
        organisation_name=organisation_name,
        role=role.strip(),
    )
    row._history_user = user
    row.save()
    return row


# Activities -------------------------------------------------------------------------------


def clean_count(field: str, value) -> int | Decimal | None:
    label = COUNT_LABELS[field]
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: f"{label} must be a number, like 12"}) from None
    if not number.is_finite():
        raise ValidationError({field: f"{label} must be a number, like 12"})
    if number < 0:
        raise ValidationError({field: f"{label} must be 0 or more"})
    if number > MAX_COUNT:
        raise ValidationError({field: f"{label} must be {MAX_COUNT:,} or fewer"})
    if field == "hours_of_conversation":
        if number != number.quantize(Decimal("0.1")):
            raise ValidationError({field: f"{label} can have one decimal place, like 2.5"})
        return number
    if number != number.to_integral_value():
        raise ValidationError({field: f"{label} must be a whole number, like 12"})
    return int(number)


def _activity_apply(
    activity: Activity,
    *,
    programme: Programme,
    title: str,
    kind: str,
    date: datetime.date,
    status: str = ActivityStatus.HELD,
    groundbreaker: Groundbreaker | None = None,
    end_date: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    council_led: bool = True,
    notes: str = "",
    **counts,
) -> Activity:
    """Validate and set an activity's fields (not saved). Only the counts given are changed.
    A planned activity may be dated in the future; a held one may not."""
    unknown = set(counts) - set(COUNT_LABELS)
    if unknown:
        raise TypeError(f"Unknown counts: {sorted(unknown)}")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter what the activity was called"})
    if status not in ActivityStatus.values:
        raise ValidationError(
            {"status": "Select whether the activity is planned, held or cancelled"}
        )
    if groundbreaker is not None and groundbreaker.programme_id != programme.pk:
        raise ValidationError({"groundbreaker": "Choose a groundbreaker in this programme"})
    if status == ActivityStatus.HELD and date > timezone.localdate():
        raise ValidationError(
            {
                "date": "The date of an activity that was held must be today or in the past. "
                "If it has not happened yet, choose planned"
            }
        )
    if end_date is not None and end_date < date:
        raise ValidationError(
            {"end_date": "The end date must be the same as or after the start date"}
        )
    if (
        start_time is not None
        and end_time is not None
        and (end_date is None or end_date == date)
        and end_time <= start_time
    ):
        raise ValidationError({"end_time": "The end time must be after the start time"})
    for field, value in counts.items():
        setattr(activity, field, clean_count(field, value))
    activity.programme = programme
    activity.groundbreaker = groundbreaker
    activity.title = title
    activity.kind = kind
    activity.status = status
    activity.date = date
    activity.end_date = end_date
    activity.start_time = start_time
    activity.end_time = end_time
    activity.council_led = council_led
    activity.notes = notes
    activity.full_clean(
        exclude=["partners", "places", "audiences", *COUNT_FIELDS, "sessions", "recorded_by"]
    )
    return activity


def _check_places(programme: Programme, places: list[Place]) -> list[Place]:
    council = programme.council
    if any(place.council_id != council.pk for place in places):
        raise ValidationError({"places": f"Choose only places in {council.name}"})
    return places


def _set_links(activity: Activity, *, partners, places, audiences) -> None:
    activity.partners.set(partners or [])
    activity.places.set(places or [])
    activity.audiences.set(audiences or [])


@transaction.atomic
def activity_log(
    *,
    programme: Programme,
    user: User | None,
    partners: list[Organisation] | None = None,
    new_partner: str = "",
    places: list[Place] | None = None,
    audiences: list[str] | None = None,
    **fields,
) -> Activity:
    """Record one activity or event: title, kind, date and status (planned, held or
    cancelled: held by default), and optionally a groundbreaker (none for programme-level
    events), end date, times, the places it covers (the programme's council's), who it was for
    (`audiences`: names from the council's list), partners, notes and the counts that apply
    (attendees, households_approached, questionnaires_completed, hours_of_conversation,
    volunteers, sessions), each a number, 0 or more."""
    places = _check_places(programme, list(places or []))
    chosen = audiences_resolve(council=programme.council, names=audiences or [])
    activity = _activity_apply(Activity(recorded_by=user), programme=programme, **fields)
    activity._history_user = user
    activity.save()
    _set_links(
        activity, partners=_partners_with(partners, new_partner), places=places, audiences=chosen
    )
    return activity


@transaction.atomic
def activity_change(
    *,
    activity: Activity,
    user: User | None,
    partners: list[Organisation] | None = None,
    new_partner: str = "",
    places: list[Place] | None = None,
    audiences: list[str] | None = None,
    expected_version: int | None = None,
    **fields,
) -> Activity:
    """Correct an activity, or record a planned one as held (with its figures) or cancelled.
    The same rules as logging one; history keeps the old figures. A correction based on an
    older version than the saved one (`expected_version`) raises EditConflict."""
    current = (
        Activity.objects.select_related("programme__council")
        .select_for_update(of=("self",))
        .get(pk=activity.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current, fields)
    current.version += 1
    places = _check_places(current.programme, list(places or []))
    chosen = audiences_resolve(council=current.programme.council, names=audiences or [])
    current = _activity_apply(current, programme=current.programme, **fields)
    current._history_user = user
    current.save()
    _set_links(
        current, partners=_partners_with(partners, new_partner), places=places, audiences=chosen
    )
    return current


# Audiences --------------------------------------------------------------------------------


@transaction.atomic
def audiences_ensure(*, council: Council) -> list[Audience]:
    """The council's audiences, starting it off with DEFAULT_AUDIENCES the first time (so a
    council that adds its own first still has the usual ones)."""
    if not Audience.objects.filter(council=council).exists():
        Audience.objects.bulk_create(
            [
                Audience(council=council, name=name, order=position)
                for position, name in enumerate(DEFAULT_AUDIENCES)
            ],
            ignore_conflicts=True,
        )
    return list(Audience.objects.filter(council=council).order_by("order", "name"))


def audiences_resolve(*, council: Council, names: list[str]) -> list[Audience]:
    """The council's audiences with these names (any case); an unknown name is an error."""
    names = [" ".join(str(n).split()) for n in names if str(n).strip()]
    if not names:
        return []
    known = {a.name.lower(): a for a in audiences_ensure(council=council)}
    chosen, unknown = [], []
    for name in names:
        audience = known.get(name.lower())
        if audience is None:
            unknown.append(name)
        elif audience not in chosen:
            chosen.append(audience)
    if unknown:
        raise ValidationError(
            {
                "audiences": f"{', '.join(repr(n) for n in unknown)} "
                f"{'is' if len(unknown) == 1 else 'are'} not in {council.name}'s list of "
                "audiences. A programme manager can add to the list"
            }
        )
    return chosen


@transaction.atomic
def audience_add(*, council: Council, name: str, user: User | None = None) -> Audience:
    """Add an audience to the council's list (after the default ones)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter the name of the audience"})
    if len(name) > 100:
        raise ValidationError({"name": "The name must be 100 characters or fewer"})
    existing = audiences_ensure(council=council)
    if any(a.name.lower() == name.lower() for a in existing):
        raise ValidationError({"name": f"{name} is already in the list"})
    order = max((a.order for a in existing), default=-1) + 1
    return Audience.objects.create(council=council, name=name, order=order)


# Learning ---------------------------------------------------------------------------------


def _tags_for(programme: Programme, names: list[str]) -> list[Tag]:
    tags = []
    seen = set()
    for raw in names:
        name = " ".join(raw.split())[:100]
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        tag = Tag.objects.filter(programme=programme, name__iexact=name).first()
        tags.append(tag or Tag.objects.create(programme=programme, name=name))
    return tags


@transaction.atomic
def learning_entry_add(
    *,
    programme: Programme,
    title: str,
    what_we_tried: str,
    what_happened: str,
    outcome: str,
    user: User | None,
    groundbreaker: Groundbreaker | None = None,
    what_we_would_do_differently: str = "",
    recorded_on: datetime.date | None = None,
    tags: list[str] | None = None,
    ambitions: list[Ambition] | None = None,
) -> LearningEntry:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter a short title for what you learned"
    if not (what_we_tried or "").strip():
        errors["what_we_tried"] = "Enter what you tried"
    if not (what_happened or "").strip():
        errors["what_happened"] = "Enter what happened"
    if outcome not in LearningOutcome.values:
        errors["outcome"] = "Select whether it worked"
    if groundbreaker is not None and groundbreaker.programme_id != programme.pk:
        errors["groundbreaker"] = "Choose a groundbreaker in this programme"
    try:
        _check_ambitions(programme, ambitions or [])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    entry = LearningEntry(
        programme=programme,
        groundbreaker=groundbreaker,
        title=title.strip(),
        recorded_on=recorded_on or timezone.localdate(),
        what_we_tried=what_we_tried.strip(),
        what_happened=what_happened.strip(),
        what_we_would_do_differently=what_we_would_do_differently.strip(),
        outcome=outcome,
        recorded_by=user,
    )
    entry._history_user = user
    entry.save()
    entry.tags.set(_tags_for(programme, tags or []))
    entry.ambitions.set(ambitions or [])
    return entry


# Quarterly updates ------------------------------------------------------------------------


@transaction.atomic
def groundbreaker_update_start(
    *, groundbreaker: Groundbreaker, period: ReportingPeriod, user: User | None = None
) -> GroundbreakerUpdate:
    """The update for this period, created as a draft the first time it is opened."""
    if period.programme_id != groundbreaker.programme_id:
        raise ValidationError("That reporting period belongs to another programme")
    update = GroundbreakerUpdate.objects.filter(groundbreaker=groundbreaker, period=period).first()
    if update is not None:
        return update
    ensure_period_open(period)
    update = GroundbreakerUpdate(groundbreaker=groundbreaker, period=period)
    update._history_user = user
    update.save()
    return update


@transaction.atomic
def groundbreaker_update_save(
    *,
    update: GroundbreakerUpdate,
    expected_version: int,
    rag: str,
    summary: str,
    next_steps: str,
    progress: dict[int, str],
    submit: bool,
    user: User | None,
) -> GroundbreakerUpdate:
    """Save a quarterly update as a draft or submit it. Refused once the period is locked;
    refused with EditConflict when someone else saved it after `expected_version`."""
    period = ReportingPeriod.objects.select_for_update().get(pk=update.period_id)
    ensure_period_open(period)
    outcomes = list(update.groundbreaker.key_outcomes.all())
    progress = {int(k): (v or "").strip() for k, v in progress.items()}
    if submit:
        errors = {}
        if not rag:
            errors["rag"] = "Select a RAG rating"
        if not (next_steps or "").strip():
            errors["next_steps"] = "Enter the next steps"
        for outcome in outcomes:
            if not progress.get(outcome.pk):
                errors[f"outcome_{outcome.pk}"] = (
                    f"Enter progress against key outcome {outcome.position}: {outcome.title}"
                )
        if errors:
            raise ValidationError(errors)
    changes = {"rag": rag or "", "summary": summary.strip(), "next_steps": next_steps.strip()}
    if submit:
        changes.update(
            status=UpdateStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=user
        )
    saved = save_if_unchanged(update, expected_version=expected_version, changes=changes, user=user)
    existing = {row.outcome_id: row for row in saved.outcome_progress.all()}
    for outcome in outcomes:
        text = progress.get(outcome.pk, "")
        row = existing.get(outcome.pk)
        if row is None:
            row = OutcomeProgress(update=saved, outcome=outcome, progress=text)
        elif row.progress == text:
            continue
        row.progress = text
        row._history_user = user
        row.save()
    return saved


REMINDER_STATUSES = (
    GroundbreakerStatus.SETTING_UP,
    GroundbreakerStatus.LIVE,
    GroundbreakerStatus.SUSTAINED,
)


@transaction.atomic
def update_reminders_send(*, today: datetime.date | None = None) -> int:
    """Email each lead whose groundbreaker has not submitted an update for a quarter that has
    ended and is still open. One reminder per groundbreaker per period (idempotent)."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(
        status=PeriodStatus.OPEN, end__lt=today, update_deadline__gte=today
    ).select_related("programme")
    sent = 0
    for period in periods:
        due = (
            Groundbreaker.objects.filter(
                programme=period.programme,
                status__in=REMINDER_STATUSES,
                lead_officer__isnull=False,
                lead_officer__is_active=True,
            )
            .exclude(updates__period=period, updates__status=UpdateStatus.SUBMITTED)
            .exclude(pk__in=UpdateReminder.objects.filter(period=period).values("groundbreaker"))
            .select_related("lead_officer")
        )
        for groundbreaker in due:
            url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
                "groundbreakers:update",
                kwargs={
                    "programme": period.programme.slug,
                    "slug": groundbreaker.slug,
                    "period": period.label,
                },
            )
            email_queue(
                to=groundbreaker.lead_officer.email,
                subject=f"Quarterly update for {groundbreaker.name} is due",
                body=(
                    f"Dear {groundbreaker.lead_officer.full_name},\n\n"
                    f"The {period_name(period)} update for {groundbreaker.name} is due by "
                    f"{period.update_deadline:%-d %B %Y}.\n\n"
                    f"Write or finish it here: {url}\n"
                ),
            )
            UpdateReminder.objects.create(
                groundbreaker=groundbreaker, period=period, sent_to=groundbreaker.lead_officer.email
            )
            sent += 1
    return sent
