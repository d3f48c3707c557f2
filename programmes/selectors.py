import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cpw.accounts.models import COUNCIL_ROLES, Organisation, Role, RoleAssignment, User
from cpw.accounts.rules import council_id_of, programme_id_of
from cpw.core.links import url_builder

from . import display
from .models import (
    RAG,
    Ambition,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Council,
    CouncilKind,
    DeliveryPlan,
    EvidenceFile,
    GovernanceBody,
    GovernanceBodyMember,
    Milestone,
    PeriodStatus,
    Phase,
    Place,
    PlaceKind,
    Programme,
    ReportingPeriod,
    Risk,
    UpdateStatus,
)
from .periods import choose_current_period, period_current, period_name


def _programmes_where_user_holds(user: User, roles) -> QuerySet[Programme]:
    """Programmes in which the user holds one of `roles` (a council admin is the programme
    manager of every programme of their council); every programme for staff."""
    programmes = Programme.objects.select_related("council")
    if not user.is_superuser:
        wanted = set(roles)
        programmes = programmes.filter(
            pk__in=[
                programme_id
                for programme_id, held in user.roles_by_programme.items()
                if programme_id is not None and held & wanted
            ]
        )
    return programmes.order_by("name")


def programme_list_for_user(user: User) -> QuerySet[Programme]:
    """Programmes in which the user holds any council role."""
    return _programmes_where_user_holds(user, COUNCIL_ROLES)


def council_for_page(request) -> Council | None:
    """The council whose data a page shows: that of the object the page checked access to, or
    else the one council the signed-in user works for. None on pages outside any council
    (signing in, a partner's pages, a staff admin's cross-council pages). Worked out once per
    request for each object checked: the layout and the page's own content both ask."""
    obj = getattr(request, "access_object", None)
    known = getattr(request, "_council_for_page", None)
    if known is not None and known[0] is obj:
        return known[1]
    council = _council_for(request, obj)
    request._council_for_page = (obj, council)
    return council


def _council_for(request, obj) -> Council | None:
    council_id = None
    if isinstance(obj, Council):
        return obj
    if isinstance(obj, Programme):
        return obj.council
    if obj is not None:
        council_id = council_id_of(obj)
        if council_id is None and (programme_id := programme_id_of(obj)) is not None:
            return Council.objects.filter(programmes__pk=programme_id).first()
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and len(user.council_ids) == 1:
            (council_id,) = user.council_ids
    if council_id is None:
        return None
    return Council.objects.filter(pk=council_id).first()


def council_list_with_contacts() -> QuerySet[Council]:
    """Councils that give a contact email, for the portal's own accessibility and privacy pages."""
    return Council.objects.exclude(contact_email="").order_by("name")


def programme_list_managed_by(user: User) -> QuerySet[Programme]:
    return _programmes_where_user_holds(user, {Role.PROGRAMME_MANAGER})


def role_assignment_list_for_manager(user: User) -> QuerySet[RoleAssignment]:
    """Council role assignments in the programmes this user manages (all of them for staff)."""
    return (
        RoleAssignment.objects.filter(programme__in=programme_list_managed_by(user))
        .select_related("user", "programme", "division")
        .order_by("programme__name", "user__full_name", "role")
    )


def council_list_administered_by(user: User) -> QuerySet[Council]:
    """The councils whose council admins this user may appoint: those they administer (every
    council for staff)."""
    councils = Council.objects.order_by("name")
    if user.is_superuser:
        return councils
    return councils.filter(pk__in=user.administers_council_ids)


def council_admin_list_for(user: User) -> QuerySet[RoleAssignment]:
    """The council admins of the councils this user administers (every council's for staff)."""
    return (
        RoleAssignment.objects.filter(
            role=Role.COUNCIL_ADMIN, council__in=council_list_administered_by(user)
        )
        .select_related("user", "council")
        .order_by("council__name", "user__full_name")
    )


def programme_list_with_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Counts as subqueries, so they are right whatever the queryset was filtered on."""
    people = (
        RoleAssignment.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    priority = (
        Programme.priority_places.through.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("place"))
        .values("n")
    )
    return programmes.annotate(
        priority_place_count=Coalesce(Subquery(priority), 0),
        people_count=Coalesce(Subquery(people), 0),
    )


def programme_table_rows(programmes: QuerySet[Programme]) -> list[Programme]:
    """The programmes with their counts (programme_list_with_counts), each with its page's
    address as `detail_url`, built once for the list rather than once per row."""
    detail_url = url_builder("programmes:programme-detail", slug=str)
    rows = list(programme_list_with_counts(programmes))
    for programme in rows:
        programme.detail_url = detail_url(slug=programme.slug)
    return rows


def programme_list_steered_by(user: User) -> QuerySet[Programme]:
    """Programmes whose steering group the user sits on or which they manage (all for staff)."""
    return _programmes_where_user_holds(user, {Role.PROGRAMME_MANAGER, Role.STEERING_GROUP})


def programme_get(slug: str) -> Programme:
    """Just the programme (no people or places); 404 when there is none."""
    programme = Programme.objects.select_related("council").filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme")
    return programme


def programme_get_detail(slug: str) -> Programme:
    """The programme with its priority places and team, for its page; 404 when there is none."""
    programme = (
        Programme.objects.filter(slug=slug)
        .select_related("council")
        .prefetch_related(
            Prefetch("priority_places", queryset=Place.objects.select_related("parent")),
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("user", "division").order_by(
                    "role", "user__full_name"
                ),
            ),
        )
        .first()
    )
    if programme is None:
        raise Http404("No such programme")
    return programme


def councillor_place_choices(programmes) -> QuerySet[Place]:
    """The wards or divisions a councillor of one of these programmes can represent: each
    programme's council's own, of the kind its councillors are elected by."""
    wanted = Q(pk__in=[])
    for council in {p.council for p in programmes}:
        wanted |= Q(council=council, kind=council.councillor_place_kind)
    return Place.objects.filter(wanted).select_related("parent", "council").order_by("name")


def councillor_place_label(user: User) -> str:
    """ "division" when the user is a councillor only for county councils (elected by
    division), "ward" when only for other councils, "ward or division" for both."""
    if not hasattr(user, "_councillor_place_label_cache"):
        kinds = set(
            RoleAssignment.objects.filter(
                user=user, role=Role.COUNCILLOR, programme__isnull=False
            ).values_list("programme__council__kind", flat=True)
        )
        if kinds and kinds <= {CouncilKind.COUNTY}:
            label = "division"
        elif CouncilKind.COUNTY in kinds:
            label = "ward or division"
        else:
            label = "ward"
        user._councillor_place_label_cache = label
    return user._councillor_place_label_cache


def division_places_for_councillor(user: User) -> list[dict]:
    """Each division the councillor represents, with its places and which are priority places."""
    assignments = (
        RoleAssignment.objects.filter(user=user, role=Role.COUNCILLOR, division__isnull=False)
        .select_related("division__parent", "programme")
        .prefetch_related(
            Prefetch(
                "division__children",
                queryset=Place.objects.annotate(
                    priority_count=Count("priority_for_programmes")
                ).order_by("name"),
            )
        )
    )
    return [
        {
            "division": assignment.division,
            "programme": assignment.programme,
            "places": list(assignment.division.children.all()),
        }
        for assignment in assignments
    ]


def place_list(council: Council, *, kind: str | None = None, exclude=()) -> QuerySet[Place]:
    """One council's places (never another's), optionally of one kind or without some kinds,
    by kind then name."""
    places = Place.objects.filter(council=council).select_related("parent")
    if kind:
        places = places.filter(kind=kind)
    if exclude:
        places = places.exclude(kind__in=exclude)
    return places.order_by("kind", "name")


def place_list_by_kind(council: Council) -> list[dict]:
    """The council's places grouped by kind, in PlaceKind's order, each with its parent and how
    many places it holds: for the council's Places page (three queries whatever the size)."""
    places = (
        Place.objects.filter(council=council)
        .select_related("parent")
        .annotate(child_count=Count("children"))
        .order_by("name")
    )
    groups: dict[str, list[Place]] = {}
    for place in places:
        groups.setdefault(place.kind, []).append(place)
    return [
        {"kind": kind, "label": label, "places": groups[kind]}
        for kind, label in PlaceKind.choices
        if kind in groups
    ]


def council_get(slug: str) -> Council:
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise Http404("No such council")
    return council


def people_count_by_role(programme: Programme) -> dict[str, int]:
    rows = RoleAssignment.objects.filter(programme=programme).values("role").annotate(n=Count("id"))
    return {Role(row["role"]).label: row["n"] for row in rows}


def programme_q_for_role(user: User, role: str) -> Q:
    return Q(role_assignments__user=user, role_assignments__role=role)


# --- Delivery plans, commitments and their quarterly updates --------------------------------
# Issue 7 (steering-group reports) reads commitments and updates through these functions.


def reporting_period_list(programme: Programme) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(programme=programme).order_by("start"))


def reporting_period_recent(
    programme: Programme, *, count: int = 4, today: datetime.date | None = None
) -> list[ReportingPeriod]:
    """The last `count` periods that have started by today, oldest first."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(programme=programme, start__lte=today).order_by(
        "-start"
    )[:count]
    return list(reversed(periods))


def reporting_period_get_or_404(programme: Programme, label: str) -> ReportingPeriod:
    period = ReportingPeriod.objects.filter(programme=programme, label=label.upper()).first()
    if period is None:
        raise Http404("No such reporting period")
    return period


def delivery_plan_get(programme: Programme) -> DeliveryPlan | None:
    plan = DeliveryPlan.objects.filter(programme=programme).first()
    if plan is not None:
        plan.programme = programme  # already loaded: saves a query
    return plan


def programme_detail_extras(programme: Programme) -> dict:
    """Phases, ambitions (with their points) and governance for the programme page."""
    return {
        "phases": phase_tree(programme),
        "ambitions": list(programme.ambitions.prefetch_related("points")),
        "governance_bodies": governance_body_list(programme),
        "plan": delivery_plan_get(programme),
    }


def governance_body_list(programme: Programme, *, receives_report: bool | None = None):
    """The programme's governance bodies with their members (and members' accounts), by name;
    only those that receive the quarterly report (or only those that do not) when asked."""
    bodies = GovernanceBody.objects.filter(programme=programme).prefetch_related(
        Prefetch("members", queryset=GovernanceBodyMember.objects.select_related("user"))
    )
    if receives_report is not None:
        bodies = bodies.filter(receives_quarterly_report=receives_report)
    return list(bodies.order_by("name"))


def governance_body_get_or_404(programme: Programme, pk: int) -> GovernanceBody:
    """One of the programme's bodies (404 for another programme's)."""
    body = GovernanceBody.objects.filter(programme=programme, pk=pk).first()
    if body is None:
        raise Http404("No such governance body")
    body.programme = programme
    return body


def governance_member_get_or_404(body: GovernanceBody, pk: int) -> GovernanceBodyMember:
    member = GovernanceBodyMember.objects.filter(body=body, pk=pk).select_related("user").first()
    if member is None:
        raise Http404("No such member")
    member.body = body
    return member


def report_reader_list(programme: Programme) -> QuerySet[User]:
    """Active people who may read the programme's published reports: its steering-group members
    and programme managers, and the admins of its council. Offered as a governance member's
    portal account."""
    return (
        User.objects.filter(is_active=True, organisation__isnull=True)
        .filter(
            Q(
                role_assignments__programme=programme,
                role_assignments__role__in=[Role.STEERING_GROUP, Role.PROGRAMME_MANAGER],
            )
            | Q(
                role_assignments__role=Role.COUNCIL_ADMIN,
                role_assignments__council_id=programme.council_id,
            )
        )
        .distinct()
        .order_by("full_name", "email")
    )


# Commitments that are finished need no more quarterly updates.
NOT_DUE = (CommitmentStatus.COMPLETE, CommitmentStatus.CLOSED)


def _commitments_base() -> QuerySet[Commitment]:
    return Commitment.objects.select_related("group", "plan__programme").prefetch_related(
        Prefetch("lead_users", queryset=User.objects.order_by("full_name")),
        Prefetch("lead_organisations", queryset=Organisation.objects.order_by("name")),
    )


def commitment_list(
    plan: DeliveryPlan,
    *,
    group: int | None = None,
    lead: int | None = None,
    status: str | None = None,
) -> QuerySet[Commitment]:
    """A plan's commitments (with group, leads), filtered by group, lead user and status."""
    commitments = _commitments_base().filter(plan=plan)
    if group:
        commitments = commitments.filter(group_id=group)
    if lead:
        commitments = commitments.filter(lead_users__id=lead)
    if status:
        commitments = commitments.filter(status=status)
    return commitments.order_by("group__order", "group__name", "order", "id")


def commitment_updates_by_period(commitments, periods) -> dict[tuple[int, int], CommitmentUpdate]:
    """{(commitment id, period id): update} for these commitments and periods, in one query."""
    ids = [c.pk for c in commitments]
    if not ids or not periods:
        return {}
    updates = CommitmentUpdate.objects.filter(
        commitment_id__in=ids, period__in=[p.pk for p in periods]
    )
    return {(u.commitment_id, u.period_id): u for u in updates}


@dataclass
class GridRow:
    commitment: Commitment
    cells: list  # one CommitmentUpdate or None per period
    # Formatted once here, not by a template tag per cell: the commitment's address, its leads,
    # its status tag and each period's RAG tag (HTML).
    url: str = ""
    leads: str = ""
    status_html: str = ""
    cells_html: list = field(default_factory=list)


@dataclass
class Grid:
    plan: DeliveryPlan
    periods: list
    current: ReportingPeriod | None
    rows: list[GridRow]
    submitted: int
    missing: int
    drafts: int


def commitment_grid(
    plan: DeliveryPlan,
    *,
    group: int | None = None,
    lead: int | None = None,
    status: str | None = None,
    rag: str | None = None,
    today: datetime.date | None = None,
) -> Grid:
    """Commitments × the last four periods (their RAG ratings), plus how many updates for the
    current period are submitted and missing. `rag` filters on the latest period's update
    ("missing" for commitments with nothing submitted)."""
    programme = plan.programme
    periods = reporting_period_recent(programme, today=today)
    current = period_current(programme, today=today)
    if current and current not in periods:
        periods = [*periods[-3:], current] if periods else [current]
    commitments = list(commitment_list(plan, group=group, lead=lead, status=status))
    updates = commitment_updates_by_period(commitments, periods)
    rows = []
    submitted = drafts = missing = 0
    commitment_url = url_builder("programmes:commitment-detail", pk=int)
    tags: dict[tuple, str] = {}  # one tag's HTML per (status, rating)

    def tag(update):
        key = (update.status, update.rag) if update is not None else None
        if key not in tags:
            tags[key] = display.update_tag_html(update)
        return tags[key]

    for commitment in commitments:
        cells = [updates.get((commitment.pk, p.pk)) for p in periods]
        latest = updates.get((commitment.pk, current.pk)) if current else None
        is_submitted = latest is not None and latest.status == UpdateStatus.SUBMITTED
        if rag:
            if rag == "missing" and is_submitted:
                continue
            if rag != "missing" and not (is_submitted and latest.rag == rag):
                continue
        rows.append(
            GridRow(
                commitment,
                cells,
                url=commitment_url(pk=commitment.pk),
                leads=display.leads_text(commitment),
                status_html=display.status_tag_html(commitment),
                cells_html=[tag(update) for update in cells],
            )
        )
        if commitment.status in NOT_DUE and not is_submitted:
            continue  # finished: nothing is missing
        submitted += is_submitted
        drafts += latest is not None and not is_submitted
        missing += not is_submitted
    return Grid(plan, periods, current, rows, submitted, missing, drafts)


@dataclass
class DueItem:
    commitment: Commitment
    period: ReportingPeriod | None
    update: CommitmentUpdate | None
    url: str = ""  # the commitment's page
    update_url: str = ""  # the page for this period's update ("" with no period)

    @property
    def state(self) -> str:
        if self.update is None:
            return "Not started"
        return self.update.get_status_display()


def commitment_list_due_for_lead(user: User, today: datetime.date | None = None) -> list[DueItem]:
    """ "My commitments": what the user leads, each with this period's update (if any), and the
    addresses of both (one reverse() per kind of link, not per row)."""
    commitments = list(
        Commitment.objects.select_related("group", "plan__programme")
        .filter(lead_users=user)
        .exclude(status__in=NOT_DUE)
        .order_by("plan__programme__name", "group__order", "order", "id")
    )
    programmes = {c.plan.programme_id: c.plan.programme for c in commitments}
    current = {pid: period_current(p, today=today) for pid, p in programmes.items()}
    periods = [p for p in current.values() if p]
    updates = commitment_updates_by_period(commitments, periods)
    detail_url = url_builder("programmes:commitment-detail", pk=int)
    update_url = url_builder("programmes:commitment-update", pk=int, label=str)
    items = []
    for commitment in commitments:
        period = current.get(commitment.plan.programme_id)
        update = updates.get((commitment.pk, period.pk)) if period else None
        items.append(
            DueItem(
                commitment,
                period,
                update,
                url=detail_url(pk=commitment.pk),
                update_url=update_url(pk=commitment.pk, label=period.label) if period else "",
            )
        )
    return items


def commitment_get(pk: int) -> Commitment:
    """A commitment with its plan, programme, group and leads (for the pages that change it and
    the access rules); 404 when there is none."""
    commitment = (
        Commitment.objects.select_related("group", "plan__programme")
        .prefetch_related("lead_users")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    return commitment


def commitment_get_detail(pk: int) -> Commitment:
    """A commitment with everything its page shows; 404 when there is none."""
    commitment = (
        Commitment.objects.select_related("group", "plan__programme")
        .prefetch_related(
            "lead_users",
            "lead_organisations",
            "ambitions",
            "milestones",
            "risks",
            "groundbreakers",  # the groundbreakers that advance it (ordered by name)
            Prefetch(
                "updates",
                queryset=CommitmentUpdate.objects.select_related("period", "submitted_by")
                .prefetch_related("evidence_files")
                .order_by("-period__start"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    return commitment


def commitment_update_get(commitment: Commitment, period: ReportingPeriod):
    return (
        CommitmentUpdate.objects.filter(commitment=commitment, period=period)
        .prefetch_related("evidence_files")
        .first()
    )


def commitment_update_previous(commitment: Commitment, period: ReportingPeriod):
    """The latest update for a period before this one (shown beside the form)."""
    return (
        CommitmentUpdate.objects.filter(commitment=commitment, period__start__lt=period.start)
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


HISTORY_FIELDS = {
    "commitment": [
        ("title", "Title"),
        ("description", "Description"),
        ("status", "Status"),
        ("progress", "Progress (%)"),
        ("start", "Start"),
        ("end", "Due date"),
        ("group_id", "Group"),
    ],
    "milestone": [
        ("title", "Title"),
        ("due_date", "Due date"),
        ("done_date", "Date done"),
    ],
    "risk": [
        ("description", "Description"),
        ("likelihood", "Likelihood"),
        ("impact", "Impact"),
        ("owner", "Owner"),
        ("mitigation", "Mitigation"),
    ],
    "update": [
        ("status", "Status"),
        ("rag", "RAG rating"),
        ("what_happened", "What happened"),
        ("whats_next", "What's next"),
        ("risks_and_issues", "Risks and issues"),
        ("evidence_links", "Evidence links"),
    ],
}


def _m2m_ids(record, accessor, field):
    return {getattr(row, field) for row in getattr(record, accessor).all()}


COMMITMENT_M2M = [
    ("historicalcommitment_lead_users_set", "user_id", "Lead officers"),
    ("historicalcommitment_lead_organisations_set", "organisation_id", "Lead organisations"),
    ("historicalcommitment_ambitions_set", "ambition_id", "Ambitions"),
]


def _history_rows(records, fields, subject, m2m=()) -> list[dict]:
    rows = []
    previous = {}
    for record in records:  # oldest first, per object
        key = record.id
        before = previous.get(key)
        if before is None:
            changed = ["Created"]
        else:
            changed = [
                label for name, label in fields if getattr(record, name) != getattr(before, name)
            ]
            changed += [
                label
                for accessor, field, label in m2m
                if _m2m_ids(record, accessor, field) != _m2m_ids(before, accessor, field)
            ]
        previous[key] = record
        if changed:
            rows.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "subject": subject(record),
                    "what": ", ".join(changed),
                }
            )
    return rows


def commitment_history(commitment: Commitment) -> list[dict]:
    """Who changed what and when, for the commitment and its updates, newest first."""
    own = (
        commitment.history.select_related("history_user")
        .prefetch_related(*[accessor for accessor, _, _ in COMMITMENT_M2M])
        .order_by("history_date", "history_id")
    )
    milestones = (
        Milestone.history.filter(commitment_id=commitment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    risks = (
        Risk.history.filter(commitment_id=commitment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    updates = (
        CommitmentUpdate.history.filter(commitment_id=commitment.pk)
        .select_related("history_user", "period__programme")
        .order_by("history_date", "history_id")
    )
    rows = _history_rows(own, HISTORY_FIELDS["commitment"], lambda r: "Commitment", COMMITMENT_M2M)
    rows += _history_rows(
        milestones, HISTORY_FIELDS["milestone"], lambda r: f"Milestone: {r.title}"
    )
    rows += _history_rows(risks, HISTORY_FIELDS["risk"], lambda r: "Risk")
    rows += _history_rows(
        updates, HISTORY_FIELDS["update"], lambda r: f"Update for {period_name(r.period)}"
    )
    return sorted(rows, key=lambda r: r["when"], reverse=True)


def commitment_lead_list(plan: DeliveryPlan) -> QuerySet[User]:
    """Everyone who leads a commitment in the plan (for the grid's lead filter)."""
    return User.objects.filter(led_commitments__plan=plan).distinct().order_by("full_name")


def programme_period_summary(
    programme: Programme, today: datetime.date | None = None, *, period=None
) -> dict:
    """One programme's submissions for a period (the current one unless given). The same
    figures as its row on the overview: both come from `programme_period_summaries`."""
    periods = None if period is None else {programme.pk: period}
    return programme_period_summaries([programme], today, periods=periods)[0]


@dataclass(frozen=True)
class _StartedPeriod:
    """What choosing a programme's current period reads of each period it has started, with
    the row to make the chosen one from."""

    start: datetime.date
    end: datetime.date
    is_locked: bool
    values: tuple


def _current_periods(ids: list[int], today: datetime.date) -> dict[int, ReportingPeriod | None]:
    """Each programme's current period (choose_current_period), in one query. Every started
    period of every programme is read as plain values, and only the chosen one per programme is
    made a model instance: a manager of 20 programmes has some 160 started periods."""
    fields = [f.attname for f in ReportingPeriod._meta.concrete_fields]
    at = {name: index for index, name in enumerate(fields)}
    started: dict[int, list[_StartedPeriod]] = {}
    rows = (
        ReportingPeriod.objects.filter(programme_id__in=ids, start__lte=today)
        .order_by("-start")
        .values_list(*fields)
    )
    for values in rows:
        started.setdefault(values[at["programme_id"]], []).append(
            _StartedPeriod(
                start=values[at["start"]],
                end=values[at["end"]],
                is_locked=values[at["status"]] == PeriodStatus.LOCKED,
                values=values,
            )
        )
    current = {}
    for programme_id, candidates in started.items():
        chosen = choose_current_period(candidates, today)
        current[programme_id] = (
            ReportingPeriod.from_db(rows.db, fields, chosen.values) if chosen else None
        )
    return current


def programme_overview_summaries(programmes: list[Programme]) -> list[dict]:
    """The overview's rows: each programme's current-period summary (programme_period_summaries)
    with its period sentence (`period_due`, display.period_due_html); who locked the locked
    periods is read in one query for all of them."""
    summaries = programme_period_summaries(programmes)
    locked = [s["period"] for s in summaries if s["period"] and s["period"].is_locked]
    prefetch_related_objects(locked, "locked_by")
    for summary in summaries:
        if summary["period"] is not None:
            summary["period_due"] = display.period_due_html(summary)
    return summaries


def programme_period_summaries(
    programmes: list[Programme],
    today: datetime.date | None = None,
    *,
    periods: dict[int, ReportingPeriod | None] | None = None,
) -> list[dict]:
    """Each programme's submissions for a period (its current period unless `periods` maps the
    programme's id to another): submitted, drafts, missing and RAG counts, in three queries
    however many programmes there are. The one source of these figures for the overview, the
    lock page and the quarterly report.

    A commitment is due an update unless it is finished (complete or closed); a finished
    commitment that still sent an update for the period counts as due and submitted, as on the
    plan grid. So `submitted + missing == total`, and drafts are those of commitments due."""
    today = today or timezone.localdate()
    ids = [programme.pk for programme in programmes]
    if periods is None:
        periods = _current_periods(ids, today)
    chosen = [period for period in periods.values() if period is not None]
    finished = Q(commitment__status__in=NOT_DUE)
    open_totals = dict(
        Commitment.objects.filter(plan__programme_id__in=ids)
        .exclude(status__in=NOT_DUE)
        .values_list("plan__programme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {
        row["period_id"]: row
        for row in CommitmentUpdate.objects.filter(
            period__in=chosen, commitment__plan__programme_id__in=ids
        )
        .values("period_id")
        .annotate(
            submitted=Count("id", filter=Q(status=UpdateStatus.SUBMITTED)),
            finished_submitted=Count("id", filter=Q(status=UpdateStatus.SUBMITTED) & finished),
            drafts=Count("id", filter=Q(status=UpdateStatus.DRAFT) & ~finished),
            **{
                value: Count("id", filter=Q(status=UpdateStatus.SUBMITTED, rag=value))
                for value in RAG.values
            },
        )
        .order_by()
    }
    summaries = []
    plan_url = url_builder("programmes:plan", slug=str)
    reports_url = url_builder("reports:list", slug=str)
    for programme in programmes:
        open_total = open_totals.get(programme.pk, 0)
        period = periods.get(programme.pk)
        summary = {
            "programme": programme,
            "plan_url": plan_url(slug=programme.slug),
            "reports_url": reports_url(slug=programme.slug),
            "period": period,
            "total": open_total,
            "submitted": 0,
            "drafts": 0,
            "missing": open_total,
            "rag": [],
            "overdue": False,
        }
        if period is not None:
            row = counts.get(period.pk, {})
            submitted = row.get("submitted", 0)
            total = open_total + row.get("finished_submitted", 0)
            summary.update(
                total=total,
                submitted=submitted,
                drafts=row.get("drafts", 0),
                missing=total - submitted,
                rag=[(label, row.get(value, 0), value) for value, label in RAG.choices],
                overdue=today > period.update_deadline,
            )
        summaries.append(summary)
    return summaries


def evidence_file_get(pk: int) -> EvidenceFile:
    """An evidence file with the update's period (whose programme the access rules read)."""
    evidence = EvidenceFile.objects.select_related("update__period").filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such file")
    return evidence


def programme_people_who_can_lead(programme: Programme) -> QuerySet[User]:
    """Officers and managers of the programme (who may lead commitments)."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__programme=programme,
            role_assignments__role__in=[Role.OFFICER, Role.PROGRAMME_MANAGER],
        )
        .distinct()
        .order_by("full_name")
    )


def commitment_get_for_change(pk: int) -> Commitment:
    """A commitment with its leads and ambitions, for the form that changes them."""
    commitment = (
        Commitment.objects.select_related("group", "plan__programme")
        .prefetch_related("lead_users", "lead_organisations", "ambitions")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    return commitment


def milestone_get(commitment: Commitment, pk: int) -> Milestone:
    milestone = commitment.milestones.filter(pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone")
    return milestone


def reporting_period_list_with_lockers(programme: Programme) -> QuerySet[ReportingPeriod]:
    return (
        ReportingPeriod.objects.filter(programme=programme)
        .select_related("locked_by")
        .order_by("-start")
    )


def leads_missing_updates(period: ReportingPeriod) -> list[tuple[User, list[Commitment]]]:
    """Each active lead whose update for the period is not submitted, with those commitments."""
    submitted = CommitmentUpdate.objects.filter(
        period=period, status=UpdateStatus.SUBMITTED
    ).values("commitment_id")
    commitments = (
        _commitments_base()
        .filter(plan__programme_id=period.programme_id)
        .exclude(status__in=NOT_DUE)
        .exclude(pk__in=submitted)
    )
    by_lead: dict[User, list[Commitment]] = {}
    for commitment in commitments:
        for lead in commitment.lead_users.all():
            if lead.is_active:
                by_lead.setdefault(lead, []).append(commitment)
    return sorted(by_lead.items(), key=lambda item: item[0].full_name)


# --- Set-up: councils and programme structure ------------------------------------------------


def council_list() -> QuerySet[Council]:
    """Every council in the portal, with how many programmes and council admins each has (for
    staff admins)."""
    admins = (
        RoleAssignment.objects.filter(council=OuterRef("pk"), role=Role.COUNCIL_ADMIN)
        .order_by()
        .values("council")
        .annotate(n=Count("id"))
        .values("n")
    )
    programmes = (
        Programme.objects.filter(council=OuterRef("pk"))
        .order_by()
        .values("council")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Council.objects.annotate(
        admin_count=Coalesce(Subquery(admins), 0),
        programme_count=Coalesce(Subquery(programmes), 0),
    ).order_by("name")


def councils_administered_by(user: User) -> list[Council]:
    """The councils the user is a council admin of (no query when none)."""
    if not user.administers_council_ids:
        return []
    return list(Council.objects.filter(pk__in=user.administers_council_ids).order_by("name"))


def council_programme_list(council: Council) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(council=council).select_related("current_phase").order_by("name")
    )


def council_admin_list(council: Council) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(council=council, role=Role.COUNCIL_ADMIN)
        .select_related("user")
        .order_by("user__full_name")
    )


def phase_tree(programme: Programme) -> list:
    """The programme's phases in order, each with `stage_list`: its stages in order."""
    phases = list(Phase.objects.filter(programme=programme).order_by("order", "id"))
    top = [p for p in phases if p.parent_id is None]
    by_parent: dict[int, list[Phase]] = {}
    for phase in phases:
        if phase.parent_id is not None:
            by_parent.setdefault(phase.parent_id, []).append(phase)
    for phase in top:
        phase.stage_list = by_parent.get(phase.pk, [])
    return top


def phase_choices(programme: Programme) -> list[tuple[int, str]]:
    """Every phase and stage, as (id, "Phase" or "Phase: stage") in order, for choosing the
    current one."""
    choices = []
    for phase in phase_tree(programme):
        choices.append((phase.pk, phase.name))
        choices.extend((stage.pk, f"{phase.name}: {stage.name}") for stage in phase.stage_list)
    return choices


def phase_get(programme: Programme, pk: int) -> Phase:
    phase = Phase.objects.filter(programme=programme, pk=pk).first()
    if phase is None:
        raise Http404("No such phase")
    return phase


def ambition_list(programme: Programme) -> QuerySet[Ambition]:
    return (
        Ambition.objects.filter(programme=programme)
        .prefetch_related("points")
        .order_by("order", "id")
    )


def ambition_get(programme: Programme, pk: int) -> Ambition:
    ambition = (
        Ambition.objects.filter(programme=programme, pk=pk).prefetch_related("points").first()
    )
    if ambition is None:
        raise Http404("No such ambition")
    return ambition


def page_programme(request) -> Programme | None:
    """The programme of the object the page checked access to, when it is already loaded (no
    query): the programme itself, or an object's `programme` loaded with select_related."""
    obj = getattr(request, "access_object", None)
    if obj is None:
        return None
    if isinstance(obj, Programme):
        return obj
    state = getattr(obj, "_state", None)
    if state is not None and "programme" in state.fields_cache:
        return state.fields_cache["programme"]
    return None


def groundbreaker_label_for_page(request) -> str:
    """What to call groundbreakers in the navigation: the page's programme's own word, else the
    word every programme of the user's uses, else (staff admins, several words) "Groundbreakers"."""
    programme = page_programme(request)
    if programme is not None:
        return programme.groundbreaker_labels["title"]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "Groundbreakers"
    words = user.groundbreaker_words  # loaded with the user's roles: no query
    if len(words) == 1:
        (plural,) = words
        return plural[:1].upper() + plural[1:]
    return "Groundbreakers"
