from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from cpw.accounts.models import User
from funds import services
from funds.models import Award, Fund, MemberAllocation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings_module(settings):
    # Under pytest-django settings.SETTINGS_MODULE is None, which load_demo's production guard
    # does not expect.
    settings.SETTINGS_MODULE = "cpw.settings.test"


def test_load_demo_gives_the_warwickshire_funds_and_is_idempotent():
    call_command("load_demo")
    call_command("load_demo")
    funds = {f.slug: f for f in Fund.objects.all()}
    assert {
        "social-impact-fund",
        "social-fabric-fund",
        "green-shoots",
        "councillors-climate-fund",
    } <= set(funds)
    fabric = funds["social-fabric-fund"]
    assert (fabric.budget_total, fabric.budget_capital, fabric.budget_revenue) == (
        Decimal("2500000"),
        Decimal("1500000"),
        Decimal("1000000"),
    )
    assert funds["green-shoots"].budget_total == Decimal("1000000")
    sif = funds["social-impact-fund"]
    sif_round = sif.rounds.get()
    assert timezone.localtime(sif_round.opens_at).date().isoformat() == "2021-11-04"
    assert timezone.localtime(sif_round.closes_at).date().isoformat() == "2021-12-30"
    assert sif_round.award_by.isoformat() == "2022-03-31"
    assert sif.operator == "Heart of England Community Foundation"
    assert "Digital inclusion" in sif.focus_list
    assert Award.objects.filter(application__round__fund=sif).count() == 21
    member = funds["councillors-climate-fund"]
    assert (member.member_allocation, member.member_project_cap) == (
        Decimal("2500"),
        Decimal("1000"),
    )
    councillor = User.objects.get(email="councillor@demo.cpw.test")
    allocation = MemberAllocation.objects.get(fund=member, councillor=councillor)
    assert services.allocation_remaining(allocation) == Decimal("2500")


def test_the_demo_partner_can_apply_to_an_open_round():
    call_command("load_demo")
    partner = User.objects.get(email="partner@demo.cpw.test")
    assert partner.organisation.name == "Feed the Hungry UK"
    now = timezone.now()
    open_rounds = [r for f in Fund.objects.all() for r in f.rounds.all() if r.is_open(now)]
    assert open_rounds
    application = services.application_start(round=open_rounds[0], user=partner)
    assert application.organisation == partner.organisation


def test_the_demo_tells_a_story_for_every_role(client):
    """Issue 14: the assessor has applications assigned, the partner a submitted application
    and a grant with a monitoring report due, the councillor an application to recommend."""
    from django.urls import reverse

    from funds import selectors
    from funds.models import ApplicationStatus, AssessorAssignment, ReportStatus

    call_command("load_demo")
    call_command("load_demo")  # still one of each
    assessor = User.objects.get(email="assessor@demo.cpw.test")
    assert AssessorAssignment.objects.filter(assessor=assessor).count() == 2
    partner = User.objects.get(email="partner@demo.cpw.test")
    mine = partner.organisation.applications
    assert mine.filter(status=ApplicationStatus.SUBMITTED).count() == 1
    assert mine.filter(status=ApplicationStatus.DRAFT).count() == 1
    award = Award.objects.get(application__organisation=partner.organisation)
    assert (
        award.reports.filter(status=ReportStatus.DUE, due_on__gte=timezone.localdate()).count() == 1
    )
    councillor = User.objects.get(email="councillor@demo.cpw.test")
    assert [a.reference for a in selectors.member_applications_for_councillor(councillor)] == [
        "CCF-2026-0001"
    ]

    client.force_login(assessor)
    page = client.get(reverse("funds:assessments")).content.decode()
    assert "SFF-2023-0001" in page and "SFF-2023-0002" in page
    client.force_login(partner)
    page = client.get(reverse("funds:my-applications")).content.decode()
    assert "Warm spaces this winter" in page and "Food waste to compost" in page
