"""Reads for groundbreakers. Totals are computed in the database (aggregate), never in loops."""

import datetime
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from cpw.accounts.models import User
from cpw.core.links import url_builder
from funds.models import Award
from programmes import organisations
from programmes.models import Ambition, Commitment, Place, Programme, ReportingPeriod
from programmes.selectors import programme_list_for_user

from .models import (
    DEFAULT_AUDIENCES,
    Activity,
    ActivityKind,
    ActivityStatus,
    Audience,
    Groundbreaker,
    GroundbreakerStatus,
    GroundbreakerStatusChange,
    GroundbreakerUpdate,
    KeyOutcome,
    LearningEntry,
    OutcomeProgress,
    Tag,
    WorkingGroupMember,
)

TOTAL_FIELDS = [
    "attendees",
    "households_approached",
    "questionnaires_completed",
    "hours_of_conversation",
    "volunteers",
]


def _totals_aggregates(prefix: str = "") -> dict:
    return {
        "activities": Count(f"{prefix}id" if prefix else "id"),
        **{field: Sum(f"{prefix}{field}") for field in TOTAL_FIELDS},
    }


def _delivered(programme: Programme) -> QuerySet[Activity]:
    """The programme's activities that count towards totals: held ones (planned and cancelled
    activities did not happen, so they count nowhere)."""
    return Activity.objects.filter(programme=programme, status=ActivityStatus.HELD)


def _zero_filled(row: dict) -> dict:
    return {key: (value or 0) for key, value in row.items()}


def activity_totals(
    *,
    programme: Programme,
    groundbreaker: Groundbreaker | None = None,
    council_led: bool | None = None,
    programme_level_only: bool = False,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict:
    """Totals of the engagement log in one query: activities, attendees, households approached,
    questionnaires completed, hours of conversation, volunteers (0 where nothing is recorded),
    and `attendance_recorded`: whether any of the activities records its attendees.
    With `groundbreaker`, that groundbreaker only; with `council_led=True`, council-led events
    only; with `start` and/or `end`, activities dated on or between those days (an activity
    counts by its (first) date). Only held activities count (planned and cancelled ones do not).
    The evaluation metric "people attending council-led events" is
    `activity_totals(programme=p, council_led=True, start=period.start, end=period.end)`."""
    activities = _delivered(programme)
    if start is not None:
        activities = activities.filter(date__gte=start)
    if end is not None:
        activities = activities.filter(date__lte=end)
    if groundbreaker is not None:
        activities = activities.filter(groundbreaker=groundbreaker)
    if programme_level_only:
        activities = activities.filter(groundbreaker__isnull=True)
    if council_led is not None:
        activities = activities.filter(council_led=council_led)
    row = activities.aggregate(**_totals_aggregates())
    return {**_zero_filled(row), "attendance_recorded": row["attendees"] is not None}


def activity_totals_by_groundbreaker(programme: Programme) -> list[dict]:
    """One row per groundbreaker (and one for programme-level activity), in one query: held
    activities only."""
    rows = (
        _delivered(programme)
        .values("groundbreaker__name", "groundbreaker__slug")
        .annotate(**_totals_aggregates())
        .order_by("groundbreaker__name")
    )
    return [
        {
            **_zero_filled(row),
            "name": row["groundbreaker__name"],
            "slug": row["groundbreaker__slug"],
        }
        for row in rows
    ]


def activity_totals_by_kind(programme: Programme) -> list[dict]:
    rows = _delivered(programme).values("kind").annotate(**_totals_aggregates()).order_by("kind")
    return [{**_zero_filled(row), "label": ActivityKind(row["kind"]).label} for row in rows]


def labels_for(programme: Programme) -> dict:
    """The programme's own words for groundbreakers (Programme.groundbreaker_label)."""
    return programme.groundbreaker_labels


def programme_get(slug: str) -> Programme:
    """The programme named in a groundbreakers URL (404 when there is none). Who may see it is
    for groundbreakers/rules.py to say."""
    return get_object_or_404(Programme, slug=slug)


def groundbreaker_list_for_user(user: User) -> QuerySet[Groundbreaker]:
    """Groundbreakers in the programmes where the user holds a role, with what the index shows."""
    groundbreakers = Groundbreaker.objects.all()
    if not user.is_superuser:
        groundbreakers = groundbreakers.filter(
            programme__in=programme_list_for_user(user).values("pk")
        )
    return (
        groundbreakers.select_related("programme", "lead_officer")
        .prefetch_related(Prefetch("places", queryset=Place.objects.order_by("name")))
        .order_by("programme__name", "name")
    )


def programme_links_for_index(user: User) -> list[dict]:
    """The programmes whose groundbreakers the user sees, each with the addresses of its
    groundbreakers' pages (reversed once for the list, not once per programme); the links to
    log an activity and add a groundbreaker only where the user may."""
    links = {
        name: url_builder(f"groundbreakers:{name}", programme=str)
        for name in ("totals", "learning", "updates", "activity-add", "add")
    }
    rows = []
    for programme in programme_list_for_user(user):
        url = {name: build(programme=programme.slug) for name, build in links.items()}
        rows.append(
            {
                "name": programme.name,
                "totals_url": url["totals"],
                "learning_url": url["learning"],
                "updates_url": url["updates"],
                "record_url": url["activity-add"]
                if user.has_perm("groundbreakers.log_activity", programme)
                else "",
                "add_url": url["add"]
                if user.has_perm("groundbreakers.add_groundbreaker", programme)
                else "",
            }
        )
    return rows


INDEX_PAGE_SIZE = 50


def groundbreaker_index_page(groundbreakers: QuerySet[Groundbreaker], page_number) -> dict:
    """One page (50) of the index, evaluated here, not in the template: the page, how many there
    are in all, and each row with its address (reversed once for the page) and its places as
    text."""
    page = Paginator(groundbreakers, INDEX_PAGE_SIZE).get_page(page_number)
    detail_url = url_builder("groundbreakers:detail", programme=str, slug=str)
    rows = [
        {
            "groundbreaker": g,
            "url": detail_url(programme=g.programme.slug, slug=g.slug),
            "places": ", ".join(p.name for p in g.places.all()) or "Not set",
        }
        for g in page.object_list
    ]
    return {"page": page, "count": page.paginator.count, "rows": rows}


def _commitments_ordered() -> QuerySet[Commitment]:
    return Commitment.objects.select_related("group").order_by(
        "group__order", "group__name", "order", "id"
    )


def commitment_choices(programme: Programme) -> QuerySet[Commitment]:
    """The commitments in the programme's delivery plan a groundbreaker may advance."""
    return _commitments_ordered().filter(plan__programme=programme)


def _grants_ordered():
    return Award.objects.select_related(
        "application__organisation", "application__round__fund"
    ).order_by("application__round__fund__name", "application__organisation__name", "pk")


def grant_choices(programme: Programme):
    """The grants from the programme's funds that may fund a groundbreaker."""
    return _grants_ordered().filter(application__round__fund__programme=programme)


def ambition_list(programme: Programme) -> QuerySet[Ambition]:
    return Ambition.objects.filter(programme=programme).order_by("order", "name")


def groundbreaker_get(programme_slug: str, slug: str) -> Groundbreaker:
    """One groundbreaker with everything its pages show (404 when there is none). Who may see it
    is for groundbreakers/rules.py to say."""
    return get_object_or_404(
        Groundbreaker.objects.select_related("programme", "lead_officer").prefetch_related(
            "partners",
            Prefetch("places", queryset=Place.objects.order_by("name")),
            Prefetch("key_outcomes", queryset=KeyOutcome.objects.order_by("position")),
            Prefetch(
                "working_group",
                queryset=WorkingGroupMember.objects.select_related(
                    "user__organisation", "organisation"
                ),
            ),
            Prefetch(
                "status_changes",
                queryset=GroundbreakerStatusChange.objects.select_related("changed_by"),
            ),
            Prefetch("commitments", queryset=_commitments_ordered()),
            Prefetch("grants", queryset=_grants_ordered()),
        ),
        programme__slug=programme_slug,
        slug=slug,
    )


def _with_links(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("groundbreaker").prefetch_related(
        "partners",
        Prefetch("places", queryset=Place.objects.order_by("name")),
        Prefetch("audiences", queryset=Audience.objects.order_by("order", "name")),
    )


def activity_places_and_audiences(activities: list[Activity]) -> None:
    """Give each activity `place_ids` (its places' ids, in the places' order by name) and
    `audience_names` (in the audiences' own order), read as plain values in two queries. Unlike
    `prefetch_related`, which builds a model instance per place and leaves each activity in a
    reference cycle with its cached querysets, these are freed with the activities."""
    ids = [activity.pk for activity in activities]
    place_ids: dict[int, list[int]] = defaultdict(list)
    audience_names: dict[int, list[str]] = defaultdict(list)
    if ids:
        for activity_id, place_id in (
            Activity.places.through.objects.filter(activity_id__in=ids)
            .order_by("place__name", "place_id")
            .values_list("activity_id", "place_id")
        ):
            place_ids[activity_id].append(place_id)
        for activity_id, name in (
            Activity.audiences.through.objects.filter(activity_id__in=ids)
            .order_by("audience__council", "audience__order", "audience__name", "audience_id")
            .values_list("activity_id", "audience__name")
        ):
            audience_names[activity_id].append(name)
    for activity in activities:
        activity.place_ids = place_ids[activity.pk]
        activity.audience_names = audience_names[activity.pk]


def activity_timeline(
    *,
    programme: Programme,
    groundbreaker: Groundbreaker | None = None,
    limit: int = 20,
    status: str | None = None,
) -> list[Activity]:
    """The latest activities (of any status, or of `status`), newest first."""
    activities = Activity.objects.filter(programme=programme)
    if groundbreaker is not None:
        activities = activities.filter(groundbreaker=groundbreaker)
    if status:
        activities = activities.filter(status=status)
    return list(_with_links(activities).order_by("-date", "-id")[:limit])


def activity_planned(
    *, programme: Programme, groundbreaker: Groundbreaker | None = None, limit: int = 50
) -> list[Activity]:
    """Planned activities, soonest first: those still to come, and those whose date has passed
    and which wait to be recorded as held or cancelled."""
    activities = Activity.objects.filter(programme=programme, status=ActivityStatus.PLANNED)
    if groundbreaker is not None:
        activities = activities.filter(groundbreaker=groundbreaker)
    return list(_with_links(activities).order_by("date", "id")[:limit])


def activity_export_rows(programme: Programme):
    """Every activity in the programme, oldest first, streamed in chunks for export."""
    return (
        _with_links(Activity.objects.filter(programme=programme))
        .select_related("recorded_by")
        .order_by("date", "id")
        .iterator(chunk_size=1000)
    )


def learning_entries(
    *,
    programme: Programme,
    groundbreaker: Groundbreaker | None = None,
    query: str = "",
    tag: str = "",
    outcome: str = "",
    ambition: int | None = None,
) -> QuerySet[LearningEntry]:
    entries = LearningEntry.objects.filter(programme=programme)
    if groundbreaker is not None:
        entries = entries.filter(groundbreaker=groundbreaker)
    for word in query.split()[:10]:
        entries = entries.filter(
            Q(title__icontains=word)
            | Q(what_we_tried__icontains=word)
            | Q(what_happened__icontains=word)
            | Q(what_we_would_do_differently__icontains=word)
            | Q(tags__name__iexact=word)
        )
    if tag:
        entries = entries.filter(tags__name__iexact=tag)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if ambition:
        entries = entries.filter(ambitions__id=ambition)
    return (
        entries.distinct()
        .select_related("groundbreaker", "recorded_by")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("ambitions", queryset=Ambition.objects.order_by("order", "name")),
        )
        .order_by("-recorded_on", "-id")
    )


def tag_list(programme: Programme) -> QuerySet[Tag]:
    return Tag.objects.filter(programme=programme).order_by("name")


def update_list(groundbreaker: Groundbreaker) -> QuerySet[GroundbreakerUpdate]:
    return (
        GroundbreakerUpdate.objects.filter(groundbreaker=groundbreaker)
        .select_related("period", "submitted_by")
        .prefetch_related(
            Prefetch(
                "outcome_progress",
                queryset=OutcomeProgress.objects.select_related("outcome").order_by(
                    "outcome__position"
                ),
            )
        )
        .order_by("-period__start")
    )


def get_period_or_404(programme: Programme, label: str) -> ReportingPeriod:
    period = ReportingPeriod.objects.filter(programme=programme, label=label.upper()).first()
    if period is None:
        raise Http404("No such reporting period")
    return period


def updates_for_period(programme: Programme, period: ReportingPeriod) -> list[Groundbreaker]:
    """Every groundbreaker that is under way (or has an update for the period), each with
    `period_update` set to its update for the period or None. Three queries whatever the size."""
    groundbreakers = (
        Groundbreaker.objects.filter(programme=programme)
        .filter(
            Q(
                status__in=[
                    GroundbreakerStatus.SETTING_UP,
                    GroundbreakerStatus.LIVE,
                    GroundbreakerStatus.SUSTAINED,
                ]
            )
            | Q(updates__period=period)
        )
        .distinct()
        .select_related("lead_officer")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=GroundbreakerUpdate.objects.filter(period=period).select_related(
                    "submitted_by"
                ),
                to_attr="period_updates",
            )
        )
        .order_by("name")
    )
    rows = list(groundbreakers)
    for groundbreaker in rows:
        groundbreaker.period_update = (
            groundbreaker.period_updates[0] if groundbreaker.period_updates else None
        )
    return rows


def period_list(programme: Programme) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(programme=programme).order_by("-start")


def activity_get(pk: int) -> Activity:
    """One activity, with its programme and groundbreaker (404 when there is none). Who may see
    it is for groundbreakers/rules.py to say."""
    return get_object_or_404(
        Activity.objects.select_related("programme__council", "groundbreaker").prefetch_related(
            "partners", "places", "audiences"
        ),
        pk=pk,
    )


def audience_list(council_id: int) -> list[str]:
    """The names of the council's audiences: its own list, or (before it has used the list)
    the default audiences it will start with. Reading never writes."""
    names = list(
        Audience.objects.filter(council_id=council_id)
        .order_by("order", "name")
        .values_list("name", flat=True)
    )
    return names or list(DEFAULT_AUDIENCES)


# Organisations linked to a council (see programmes.organisations) ---------------------------


def partner_choices(programme: Programme, *, own=()) -> QuerySet:
    """The partners a groundbreaker or activity form may offer: the organisations linked to the
    programme's council, plus the object's own partners."""
    return organisations.organisation_choices(programme.council_id, include=own)


def organisations_partnering(council_ids: list[int]):
    """Partners of the councils' groundbreakers."""
    return Groundbreaker.partners.through.objects.filter(
        groundbreaker__programme__council_id__in=council_ids
    ).values("organisation_id")


def organisations_on_working_groups(council_ids: list[int]):
    """Organisations recorded for members of the councils' groundbreakers' working groups."""
    return WorkingGroupMember.objects.filter(
        groundbreaker__programme__council_id__in=council_ids, organisation__isnull=False
    ).values("organisation_id")


def organisations_in_activities(council_ids: list[int]):
    """Partners in the councils' engagement log (activities)."""
    return Activity.partners.through.objects.filter(
        activity__programme__council_id__in=council_ids
    ).values("organisation_id")


def groundbreakers_in_places(programme_id: int, place_ids: list[int]) -> QuerySet[Groundbreaker]:
    """One programme's groundbreakers working in any of these places, for a councillor's
    division page."""
    return (
        Groundbreaker.objects.filter(programme_id=programme_id, places__in=place_ids)
        .select_related("programme")
        .distinct()
        .order_by("name")
    )
