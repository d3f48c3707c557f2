"""Every non-trivial read in funds, shaped so query counts do not grow with the data."""

import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cpw.accounts.models import OrganisationType, Role, RoleAssignment
from cpw.core.links import url_builder

from .models import (
    ZERO,
    Answer,
    Application,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    ConflictStatus,
    Criterion,
    ExportJob,
    Flag,
    Fund,
    GrantStatus,
    MemberAllocation,
    MonitoringPhoto,
    MonitoringReport,
    Payment,
    ReportStatus,
    Round,
    Score,
)
from .scoring import weighted_mean
from .workflow import OPEN_STATES


def _partner_org(user):
    if user.is_authenticated and user.has_role(Role.PARTNER) and user.organisation_id:
        return user.organisation_id
    return None


def _programme_ids(user, *roles: str) -> list[int]:
    """The programmes in which the user holds one of `roles`."""
    return [
        programme_id
        for programme_id, held in user.roles_by_programme.items()
        if programme_id is not None and held & set(roles)
    ]


# Public -------------------------------------------------------------------------------------


def fund_list_public(now=None, *, council_ids=None):
    """Every council's funds (a partner may apply to any council's), or only those of
    `council_ids` (what a council's staff see: their own council's funds)."""
    now = now or timezone.now()
    funds = Fund.objects.all()
    if council_ids is not None:
        funds = funds.filter(programme__council_id__in=council_ids)
    return (
        funds.select_related("programme")
        .prefetch_related(
            Prefetch("rounds", queryset=Round.objects.order_by("opens_at"), to_attr="round_list")
        )
        .order_by("name")
    ), now


def funds_open_now(now=None) -> list[Fund]:
    """Funds with a round open to applications now (invitation-only rounds aside), for the
    residents' start page: soonest closing first."""
    now = now or timezone.now()
    open_rounds = Round.objects.filter(opens_at__lte=now, closes_at__gt=now, invite_only=False)
    funds = (
        Fund.objects.filter(rounds__in=open_rounds)
        .select_related("programme__council")
        .prefetch_related(
            Prefetch("rounds", queryset=open_rounds.order_by("closes_at"), to_attr="open_rounds")
        )
        .distinct()
    )
    return sorted(funds, key=lambda fund: (fund.open_rounds[0].closes_at, fund.name))


def fund_get_public(slug: str) -> Fund:
    return get_object_or_404(
        Fund.objects.select_related("programme").prefetch_related(
            Prefetch(
                "rounds",
                queryset=Round.objects.select_related("participatory").order_by("opens_at"),
                to_attr="round_list",
            )
        ),
        slug=slug,
    )


def round_get_or_404(fund: Fund, round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("fund"), fund=fund, pk=round_id)


# Partner ------------------------------------------------------------------------------------


def application_list_for_organisation(user):
    organisation_id = _partner_org(user)
    return (
        Application.objects.filter(organisation_id=organisation_id)
        .select_related("round__fund")
        .order_by("-created_at")
    )


def application_get(pk: int) -> Application:
    """An application with what the applicant's pages show."""
    return get_object_or_404(
        Application.objects.select_related(
            "round__fund__programme", "organisation"
        ).prefetch_related(
            "sections", "budget_lines", "places", "answers__question", "change_requests"
        ),
        pk=pk,
    )


def partner_next_steps(user) -> dict:
    """What a partner should do next, soonest deadline first: their organisation's drafts and
    applications sent back for changes (with the round's closing time), and the monitoring
    reports their grants owe."""
    organisation_id = _partner_org(user)
    to_finish = (
        Application.objects.filter(
            organisation_id=organisation_id,
            status__in=[ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED],
        )
        .select_related("round__fund")
        .order_by("round__closes_at", "-updated_at")
    )
    reports_due = (
        MonitoringReport.objects.filter(
            award__application__organisation_id=organisation_id, status=ReportStatus.DUE
        )
        .select_related("award__application")
        .order_by("due_on", "pk")
    )
    return {"to_finish": list(to_finish), "reports_due": list(reports_due)}


def answer_get(application_pk: int, pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("application__round__fund"),
        pk=pk,
        application_id=application_pk,
    )


def grant_list_for_organisation(user):
    return (
        Award.objects.filter(application__organisation_id=_partner_org(user))
        .select_related("application__round__fund")
        .prefetch_related("reports")
    )


def award_get(pk: int) -> Award:
    return get_object_or_404(
        Award.objects.select_related(
            "application__round__fund", "application__organisation", "allocation__councillor"
        ).prefetch_related(
            Prefetch(
                "payments", queryset=Payment.objects.select_related("created_by", "approved_by")
            ),
            "reports__photos",
            # Groundbreakers this grant funds: the link lives on the groundbreaker side (reverse
            # name only, so funds does not import groundbreakers).
            "groundbreakers__programme",
        ),
        pk=pk,
    )


def payment_get(pk: int) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("award__application__round__fund"), pk=pk
    )


def report_get(award_pk: int, pk: int) -> MonitoringReport:
    return get_object_or_404(
        MonitoringReport.objects.select_related("award__application__round__fund"),
        pk=pk,
        award_id=award_pk,
    )


def monitoring_photo_get(award_pk: int, report_pk: int, pk: int) -> MonitoringPhoto:
    return get_object_or_404(
        MonitoringPhoto.objects.select_related("report__award__application__round__fund"),
        pk=pk,
        report_id=report_pk,
        report__award_id=award_pk,
    )


# Council ------------------------------------------------------------------------------------


def fund_list_for_council(user):
    """The funds of the programmes the user works in (every fund for a staff admin)."""
    funds, _ = fund_list_public()
    if user.is_superuser:
        return funds
    return funds.filter(programme_id__in=_programme_ids(user, Role.OFFICER, Role.PROGRAMME_MANAGER))


def fund_get(slug: str) -> Fund:
    return get_object_or_404(Fund.objects.select_related("programme"), slug=slug)


def export_job_get(pk: int) -> ExportJob:
    return get_object_or_404(ExportJob.objects.select_related("fund"), pk=pk)


def flag_get(pk: int) -> Flag:
    return get_object_or_404(Flag.objects.select_related("application__round__fund"), pk=pk)


def _applications(*, fund: Fund, status: str = "", round_id: int | None = None):
    queryset = (
        Application.objects.filter(round__fund=fund)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("round", "organisation")
        .order_by("reference")
    )
    if status:
        queryset = queryset.filter(status=status)
    if round_id:
        queryset = queryset.filter(round_id=round_id)
    return queryset


def application_list(*, fund: Fund, status: str = "", round_id: int | None = None):
    """Every submitted application of the fund (the exports), each with its open flags."""
    return _applications(fund=fund, status=status, round_id=round_id).annotate(
        open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True), distinct=True)
    )


APPLICATION_PAGE_SIZE = 50


def application_page(*, fund: Fund, status: str = "", page_number=None):
    """One page (50) of the fund's applications: the database sorts and cuts the page (LIMIT
    and OFFSET, no grouping over the whole fund), then one query counts the open flags of the 50
    on it. Each has its review page's address (reversed once for the page)."""
    page = Paginator(_applications(fund=fund, status=status), APPLICATION_PAGE_SIZE).get_page(
        page_number
    )
    applications = list(page.object_list)
    flags = dict(
        Flag.objects.filter(application__in=applications, resolved_at__isnull=True)
        .values_list("application_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    review_url = url_builder("funds:application-review", pk=int)
    for application in applications:
        application.open_flags = flags.get(application.pk, 0)
        application.review_url = review_url(pk=application.pk)
    return page, applications


def application_review_get(pk: int) -> Application:
    """An application with everything the council's review page shows."""
    return get_object_or_404(
        Application.objects.select_related(
            "round__fund__programme", "organisation", "created_by"
        ).prefetch_related(
            "sections",
            "budget_lines",
            "places",
            "answers__question",
            Prefetch(
                "assignments",
                queryset=AssessorAssignment.objects.select_related("assessor").prefetch_related(
                    Prefetch("scores", queryset=Score.objects.select_related("criterion"))
                ),
            ),
            "change_requests__requested_by",
            "comments__author",
            "flags__raised_by",
            "flags__resolved_by",
            "events__actor",
        ),
        pk=pk,
    )


def assignment_list_for_assessor(user):
    """The assessor's own assignments without a conflict, in programmes they assess in."""
    return (
        AssessorAssignment.objects.filter(
            assessor=user,
            application__round__fund__programme_id__in=_programme_ids(user, Role.ASSESSOR),
        )
        .exclude(conflict=ConflictStatus.CONFLICTED)
        .select_related("application__round__fund", "application__organisation")
        .order_by("completed_at", "created_at")
    )


def assignment_get(pk: int) -> AssessorAssignment:
    return get_object_or_404(
        AssessorAssignment.objects.select_related(
            "application__round__fund", "application__organisation"
        ).prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion")),
        ),
        pk=pk,
    )


def round_get(pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("fund"), pk=pk)


def panel(round: Round, *, assessed_by=None) -> dict:
    """Each application in assessment or later with each assessor's score per criterion, the
    weighted mean and the spread. `assessed_by`: only the applications that assessor was
    assigned without a conflict (what an assessor may see)."""
    criteria = list(Criterion.objects.filter(fund_id=round.fund_id))
    applications = Application.objects.filter(round=round)
    if assessed_by is not None:
        applications = applications.filter(
            assignments__assessor=assessed_by, assignments__conflict=ConflictStatus.NONE
        )
    applications = list(
        applications.filter(
            status__in=[
                ApplicationStatus.IN_ASSESSMENT,
                ApplicationStatus.READY_FOR_DECISION,
                ApplicationStatus.APPROVED,
                ApplicationStatus.DECLINED,
            ]
        )
        .select_related("organisation")
        .prefetch_related(
            "comments__author",
            Prefetch(
                "assignments",
                queryset=AssessorAssignment.objects.filter(conflict=ConflictStatus.NONE)
                .select_related("assessor")
                .prefetch_related(
                    Prefetch("scores", queryset=Score.objects.select_related("criterion"))
                ),
            ),
        )
        .order_by("reference")
    )
    rows = []
    for application in applications:
        assessors = []
        means = []
        for assignment in application.assignments.all():
            scores = list(assignment.scores.all())
            by_criterion = {s.criterion_id: s for s in scores}
            mean = weighted_mean(scores)
            if mean is not None:
                means.append(mean)
            assessors.append(
                {
                    "assignment": assignment,
                    "cells": [by_criterion.get(c.pk) for c in criteria],
                    "mean": mean,
                }
            )
        overall = (sum(means) / len(means)).quantize(Decimal("0.01")) if means else None
        spread = (max(means) - min(means)) if len(means) > 1 else (ZERO if means else None)
        rows.append(
            {
                "application": application,
                "assessors": assessors,
                "mean": overall,
                "spread": spread,
                "stdev": (
                    Decimal(statistics.pstdev([float(m) for m in means])).quantize(Decimal("0.01"))
                    if len(means) > 1
                    else None
                ),
            }
        )
    return {"criteria": criteria, "rows": rows}


# Places within a priority place count as priority places, to this many levels down (an LSOA
# in a ward in a district is three levels below the county).
PLACE_DEPTH = 4


def grant_money_by_place(awards, *, programme) -> dict:
    """The one rule for "share of grant money going to priority places", used by the fund
    dashboard and by evaluation's derived metric (whatever grants each passes: a fund's, or a
    programme's awarded in a period).

    Withdrawn grants are left out: their money does not reach the group. Each grant's money
    (capital and revenue) is shared equally between its places; a share goes to a priority place
    when its place is one of the programme's priority places or lies within one. A grant with no
    place counts in the total only. Returns the money by place (largest first), the total, the
    money to priority places and the share as a percentage to one decimal place (None when
    there is no grant money)."""
    priority_ids = set(programme.priority_places.values_list("pk", flat=True))
    ancestors = [
        "__".join(["application__places"] + ["parent"] * n) + "_id"
        for n in range(1, PLACE_DEPTH + 1)
    ]
    rows = (
        awards.exclude(status=GrantStatus.WITHDRAWN)
        .values(
            "pk",
            "amount_capital",
            "amount_revenue",
            "application__places__pk",
            "application__places__name",
            *ancestors,
        )
        .order_by()
    )
    amounts: dict[int, Decimal] = {}
    places_of: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for row in rows:
        amounts[row["pk"]] = row["amount_capital"] + row["amount_revenue"]
        place_id = row["application__places__pk"]
        if place_id:
            lineage = {place_id, *(row[a] for a in ancestors)}
            places_of[row["pk"]].append(
                (place_id, row["application__places__name"], bool(lineage & priority_ids))
            )
    by_place = defaultdict(lambda: {"amount": Fraction(0), "priority": False, "name": ""})
    total = priority = Fraction(0)
    for award_id, amount in amounts.items():
        amount = Fraction(amount)
        total += amount
        places = places_of.get(award_id) or [(None, "No place given", False)]
        for place_id, name, in_priority in places:
            share = amount / len(places)
            entry = by_place[place_id]
            entry.update(name=name, priority=in_priority)
            entry["amount"] += share
            if in_priority:
                priority += share
    rows = [{**entry, "amount": _decimal(entry["amount"], "0.01")} for entry in by_place.values()]
    return {
        "by_place": sorted(rows, key=lambda e: (-e["amount"], e["name"])),
        "total": _decimal(total, "0.01"),
        "priority": _decimal(priority, "0.01"),
        "priority_share": _decimal(100 * priority / total, "0.1") if total else None,
    }


def _decimal(value: Fraction, places: str) -> Decimal:
    """An exact fraction as a Decimal rounded half up to `places` (e.g. "0.1")."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def fund_dashboard(fund: Fund) -> dict:
    """Applications by state; requested vs awarded vs budget (capital and revenue); awards by
    place with the share to priority places; by organisation type."""
    by_state_rows = (
        Application.objects.filter(round__fund=fund)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in by_state_rows}
    by_state = [
        {"label": label, "value": value, "count": counts.get(value, 0)}
        for value, label in ApplicationStatus.choices
    ]
    requested = (
        Application.objects.filter(round__fund=fund)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .aggregate(c=Sum("amount_capital"), r=Sum("amount_revenue"))
    )
    awards = Award.objects.filter(application__round__fund=fund).exclude(
        status=GrantStatus.WITHDRAWN
    )
    awarded = awards.aggregate(c=Sum("amount_capital"), r=Sum("amount_revenue"), n=Count("pk"))
    money_rows = [
        {
            "label": "Capital",
            "requested": requested["c"] or ZERO,
            "awarded": awarded["c"] or ZERO,
            "budget": fund.budget_capital,
        },
        {
            "label": "Revenue",
            "requested": requested["r"] or ZERO,
            "awarded": awarded["r"] or ZERO,
            "budget": fund.budget_revenue,
        },
    ]
    money_rows.append(
        {
            "label": "Total",
            "requested": money_rows[0]["requested"] + money_rows[1]["requested"],
            "awarded": money_rows[0]["awarded"] + money_rows[1]["awarded"],
            "budget": fund.budget_total,
        }
    )
    money_by_place = grant_money_by_place(awards, programme=fund.programme)
    type_labels = dict(OrganisationType.choices)
    by_type = [
        {
            "label": type_labels.get(row["application__organisation__kind"], "Other"),
            "count": row["n"],
            "amount": (row["c"] or ZERO) + (row["r"] or ZERO),
        }
        for row in awards.values("application__organisation__kind")
        .annotate(n=Count("pk"), c=Sum("amount_capital"), r=Sum("amount_revenue"))
        .order_by("application__organisation__kind")
    ]
    return {
        "by_state": by_state,
        "money": money_rows,
        "awards_count": awarded["n"],
        "by_place": money_by_place["by_place"],
        "priority_share": money_by_place["priority_share"],
        "by_type": by_type,
    }


def member_application_get(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("round__fund"), pk=pk)


def member_allocations_for_fund(fund: Fund):
    return MemberAllocation.objects.filter(fund=fund).select_related("councillor")


def member_allocations_for_councillor(user):
    return (
        MemberAllocation.objects.filter(councillor=user)
        .select_related("fund")
        .prefetch_related(
            "awards__application__organisation",
            "recommendations__application__organisation",
            "recommendations__application__award",
        )
        .order_by("-year", "fund__name")
    )


def member_pot_lines(allocation: MemberAllocation) -> list[dict]:
    """What has been taken from a councillor's pot, as `allocation_remaining` counts it: each
    grant (not withdrawn) and each recommendation still waiting for its grant (its application
    neither declined nor withdrawn). Needs `member_allocations_for_councillor`'s prefetches."""
    lines = [
        {
            "application": award.application,
            "amount": award.amount_capital + award.amount_revenue,
            "state": "Grant awarded",
        }
        for award in allocation.awards.all()
        if award.status != GrantStatus.WITHDRAWN
    ]
    closed = {ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    for recommendation in allocation.recommendations.all():
        application = recommendation.application
        if hasattr(application, "award") or application.status in closed:
            continue
        lines.append(
            {
                "application": application,
                "amount": recommendation.amount,
                "state": "Recommended, waiting for a decision",
            }
        )
    return sorted(lines, key=lambda line: line["application"].reference or "")


def member_applications_for_councillor(user):
    """Open applications to member funds where the councillor has a pot, for places in the
    division they represent in that fund's programme."""
    divisions = Q(pk__in=[])
    for programme_id, division_id in RoleAssignment.objects.filter(
        user=user, role=Role.COUNCILLOR, division__isnull=False, programme__isnull=False
    ).values_list("programme_id", "division_id"):
        divisions |= Q(round__fund__programme_id=programme_id) & (
            Q(places=division_id) | Q(places__parent=division_id)
        )
    return (
        Application.objects.filter(
            divisions,
            round__fund__allocations__councillor=user,
            status__in=[*OPEN_STATES, ApplicationStatus.READY_FOR_DECISION],
            recommendation__isnull=True,
        )
        .select_related("round__fund", "organisation")
        .order_by("reference")
        .distinct()
    )


# Organisations linked to a council (see programmes.organisations) ---------------------------


def organisations_that_applied(council_ids: list[int]):
    """Organisations that applied (a draft is not yet an application) to a fund of one of the
    councils' programmes; an award is an application, so this covers the funded too."""
    return (
        Application.objects.filter(round__fund__programme__council_id__in=council_ids)
        .exclude(status=ApplicationStatus.DRAFT)
        .values("organisation_id")
    )


def organisations_invited(council_ids: list[int]):
    """Organisations the council invited to an invitation-only round of one of its funds."""
    return Round.invited_organisations.through.objects.filter(
        round__fund__programme__council_id__in=council_ids
    ).values("organisation_id")


def awards_in_places(programme_id: int, place_ids: list[int]):
    """One programme's grants (not withdrawn) to projects in any of these places, for a
    councillor's division page, largest first."""
    return (
        Award.objects.filter(
            application__round__fund__programme_id=programme_id,
            application__places__in=place_ids,
        )
        .exclude(status=GrantStatus.WITHDRAWN)
        .select_related("application__organisation", "application__round__fund")
        .distinct()
        .order_by("application__reference")
    )
