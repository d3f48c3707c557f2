"""The application list, the panel view and the fund dashboard make the same number of queries
for 10 applications as for 2,000."""

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Organisation, OrganisationType, User
from funds.models import (
    Application,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    ConflictStatus,
    Flag,
    Score,
)
from tests.funds.factories import CriterionFactory, FundFactory, RoundFactory
from tests.programmes.factories import PlaceFactory

pytestmark = pytest.mark.django_db

_counter = itertools.count()


def bulk_applications(round, n, assessors, criteria, places):
    """n applications in assessment or later, each scored by every assessor, half of them
    awarded, spread over several places and organisation types."""
    batch = next(_counter)
    kinds = [
        OrganisationType.REGISTERED_CHARITY,
        OrganisationType.CIC,
        OrganisationType.COMMUNITY_GROUP,
    ]
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Org {batch}-{i}", kind=kinds[i % len(kinds)]) for i in range(n)]
    )
    creator = assessors[0]
    statuses = [ApplicationStatus.IN_ASSESSMENT, ApplicationStatus.APPROVED]
    applications = Application.objects.bulk_create(
        [
            Application(
                round=round,
                organisation=organisation,
                created_by=creator,
                reference=f"B{batch}-{i:05d}",
                status=statuses[i % 2],
                project_title=f"Project {i}",
                amount_capital=Decimal("1000"),
                amount_revenue=Decimal("500"),
                submitted_at=timezone.now(),
            )
            for i, organisation in enumerate(organisations)
        ]
    )
    Through = Application.places.through
    Through.objects.bulk_create(
        [
            Through(application_id=a.pk, place_id=places[i % len(places)].pk)
            for i, a in enumerate(applications)
        ]
    )
    assignments = AssessorAssignment.objects.bulk_create(
        [
            AssessorAssignment(
                application=a, assessor=u, assigned_by=creator, conflict=ConflictStatus.NONE
            )
            for a in applications
            for u in assessors
        ]
    )
    Score.objects.bulk_create(
        [
            Score(assignment=s, criterion=c, score=(s.pk % 5) + 1, justification="Because")
            for s in assignments
            for c in criteria
        ]
    )
    Award.objects.bulk_create(
        [
            Award(
                application=a,
                amount_capital=Decimal("1000"),
                amount_revenue=Decimal("500"),
                awarded_on=timezone.localdate(),
                awarded_by=creator,
            )
            for a in applications
            if a.status == ApplicationStatus.APPROVED
        ]
    )
    Flag.objects.bulk_create(
        [Flag(application=a, raised_by=creator, reason="Check") for a in applications[::3]]
    )


@pytest.fixture
def setup(world):
    fund = FundFactory(programme=world.programme, slug="big-fund")
    round = RoundFactory(fund=fund, budget=Decimal("10000000"))
    criteria = [CriterionFactory(fund=fund, weight=w) for w in (1, 2, 3)]
    assessors = [world.users["assessor"], User.objects.create(email="a2@x.test", full_name="A2")]
    places = [PlaceFactory() for _ in range(5)]
    world.programme.priority_places.add(places[0])
    return fund, round, criteria, assessors, places


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


@pytest.mark.parametrize(
    "url_name,kw",
    [
        ("funds:application-list", "slug"),
        ("funds:panel", "round"),
        ("funds:fund-dashboard", "slug"),
    ],
)
def test_query_counts_do_not_grow_from_10_to_2000_applications(
    url_name, kw, setup, world, client_as, django_assert_max_num_queries
):
    fund, round, criteria, assessors, places = setup
    client = client_as(world.users["programme_manager"])
    url = reverse(url_name, kwargs={"slug": fund.slug} if kw == "slug" else {"pk": round.pk})
    bulk_applications(round, 10, assessors, criteria, places)
    small, response = _count(client, url)
    bulk_applications(round, 1990, assessors, criteria, places)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    if url_name == "funds:application-list":
        page = response.content.decode()
        assert "2,000 applications" in page
        # each of the 50 rows links to its own review page
        first_page = (
            Application.objects.filter(round=round)
            .exclude(status=ApplicationStatus.DRAFT)
            .order_by("reference")[:50]
        )
        for application in first_page:
            review = reverse("funds:application-review", args=[application.pk])
            assert f'href="{review}">{application.reference}</a>' in page
    if url_name == "funds:fund-dashboard":
        assert "£1,500,000" in response.content.decode()  # 1,000 awards of £1,500
    if url_name == "funds:panel":
        assert response.content.count(b"Weighted mean") >= 2000


# Every other list and detail page: the same queries for a little data as for a lot.


def _grow(world, n):
    from tests.funds.factories import (
        ApplicationFactory,
        AssignmentFactory,
        AwardFactory,
        MonitoringReportFactory,
        PaymentFactory,
    )

    partner = world.users["partner"]
    review = world.funds.in_assessment
    award = world.funds.award
    for _ in range(n):
        ApplicationFactory(
            round=world.funds.round, organisation=partner.organisation, created_by=partner
        )
        AwardFactory(
            application__organisation=partner.organisation, application__round=world.funds.round
        )
        AssignmentFactory(application__round=world.funds.round, assessor=world.users["assessor"])
        Flag.objects.create(application=review, raised_by=world.users["officer"], reason="x")
        review.comments.create(author=world.users["officer"], text="A comment")
        review.events.create(actor=world.users["officer"], action="Looked")
        AssignmentFactory(application=review, declared=True)
        PaymentFactory(award=award, amount=Decimal("1"))
        MonitoringReportFactory(award=award)


@pytest.mark.parametrize(
    "url_name,role,kwargs",
    [
        ("funds:my-applications", "partner", None),
        ("funds:my-grants", "partner", None),
        ("funds:assessments", "assessor", None),
        ("funds:application-review", "officer", lambda w: {"pk": w.funds.in_assessment.pk}),
        ("funds:grant-detail", "officer", lambda w: {"pk": w.funds.award.pk}),
        ("funds:grant-detail", "partner", lambda w: {"pk": w.funds.award.pk}),
        ("funds:application-tasks", "partner", lambda w: {"pk": w.funds.draft.pk}),
        ("funds:fund-list", "partner", None),
        ("funds:manage", "officer", None),
    ],
)
def test_other_pages_do_not_grow_their_queries(
    url_name, role, kwargs, world, client_as, django_assert_max_num_queries
):
    client = client_as(world.users[role])
    url = reverse(url_name, kwargs=kwargs(world) if kwargs else None)
    _grow(world, 2)
    small, _ = _count(client, url)
    _grow(world, 12)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
