"""Links to the funds app: the grants that fund a groundbreaker (held on the groundbreaker side;
the funds grant page reads them through the reverse name)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpw.accounts.models import Role
from groundbreakers import services
from groundbreakers.models import Groundbreaker
from tests.funds.factories import ApplicationFactory, AwardFactory, FundFactory, RoundFactory
from tests.programmes.factories import ProgrammeFactory

from .factories import GroundbreakerFactory

pytestmark = pytest.mark.django_db


def _url(name, world, **extra):
    return reverse(f"groundbreakers:{name}", kwargs={"programme": world.programme.slug, **extra})


def _gb_url(name, world):
    return _url(name, world, slug=world.groundbreaker.slug)


def _grant(programme, recipient="Camp Hill Pantry", fund=None, capital="1000", revenue="2500"):
    fund = fund or FundFactory(programme=programme, name=f"Fund for {recipient}")
    application = ApplicationFactory(
        round=RoundFactory(fund=fund),
        approved=True,
        organisation__name=recipient,
        project_title=f"{recipient} project",
    )
    return AwardFactory(
        application=application, amount_capital=Decimal(capital), amount_revenue=Decimal(revenue)
    )


@pytest.fixture(autouse=True)
def _no_grants_linked_yet(world):
    """The shared test world links the funds app's grant; these tests start from none."""
    world.groundbreaker.grants.clear()


@pytest.fixture
def officer(world):
    return world.users[Role.OFFICER.value]


@pytest.fixture
def grant(world):
    return _grant(
        world.programme, fund=FundFactory(programme=world.programme, name="Social Fabric")
    )


@pytest.fixture
def foreign_grant(world):
    return _grant(ProgrammeFactory(slug="elsewhere"), recipient="Someone Elses Group")


def _change_post(world, officer, **extra):
    return {
        "version": world.groundbreaker.version,
        "name": world.groundbreaker.name,
        "lead_officer": officer.pk,
        **extra,
    }


# Service rules --------------------------------------------------------------------------------


def test_a_groundbreaker_can_be_created_with_grants_of_its_programme(world, grant):
    gb = services.groundbreaker_create(
        programme=world.programme, name="Highways to Help", grants=[grant]
    )
    assert list(gb.grants.all()) == [grant]
    assert list(grant.groundbreakers.all()) == [gb]


def test_a_grant_from_another_programmes_fund_is_refused_and_nothing_is_saved(
    world, grant, foreign_grant
):
    with pytest.raises(ValidationError, match="Choose only grants from the"):
        services.groundbreaker_create(
            programme=world.programme, name="Highways to Help", grants=[foreign_grant]
        )
    assert not Groundbreaker.objects.filter(name="Highways to Help").exists()

    gb = world.groundbreaker
    gb.grants.set([grant])
    with pytest.raises(ValidationError, match="Choose only grants from the"):
        services.groundbreaker_details_update(
            groundbreaker=gb,
            expected_version=gb.version,
            data={"name": gb.name},
            partners=[],
            places=[],
            grants=[grant, foreign_grant],
            user=None,
        )
    gb.refresh_from_db()
    assert gb.version == 1
    assert list(gb.grants.all()) == [grant]


def test_changing_details_without_grants_leaves_the_links_alone(world, grant):
    gb = world.groundbreaker
    gb.grants.set([grant])
    services.groundbreaker_details_update(
        groundbreaker=gb,
        expected_version=gb.version,
        data={"name": gb.name, "sponsor": "A director"},
        partners=[],
        places=[],
        user=None,
    )
    assert list(gb.grants.all()) == [grant]


# Pages ------------------------------------------------------------------------------------


def test_the_change_page_offers_only_this_programmes_grants(
    world, client_as, officer, grant, foreign_grant
):
    page = client_as(officer).get(_gb_url("change", world)).content.decode()
    assert "Grants that fund it" in page
    assert "Camp Hill Pantry: Camp Hill Pantry project, £3,500 (Social Fabric)" in page
    assert "Someone Elses Group project" not in page  # (its organisation is a partner choice)


def test_choosing_grants_on_the_change_page_links_them(world, client_as, officer, grant):
    other = _grant(world.programme, recipient="New Arley Hub")
    response = client_as(officer).post(
        _gb_url("change", world), _change_post(world, officer, grants=[grant.pk, other.pk])
    )
    assert response.status_code == 302
    assert set(world.groundbreaker.grants.all()) == {grant, other}


def test_a_grant_of_another_programme_is_refused_on_the_page(
    world, client_as, officer, foreign_grant
):
    response = client_as(officer).post(
        _gb_url("change", world),
        _change_post(world, officer, grants=[foreign_grant.pk], sponsor="Changed"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose only grants from this programme" in page
    world.groundbreaker.refresh_from_db()
    assert world.groundbreaker.sponsor != "Changed"
    assert not world.groundbreaker.grants.exists()


def test_a_manager_adds_a_groundbreaker_with_grants(world, client_as, grant):
    response = client_as(world.users[Role.PROGRAMME_MANAGER.value]).post(
        _url("add", world), {"name": "Highways to Help", "grants": [grant.pk]}
    )
    assert response.status_code == 302
    gb = Groundbreaker.objects.get(name="Highways to Help")
    assert list(gb.grants.all()) == [grant]


def test_the_groundbreaker_page_lists_its_grants(world, client_as, officer, grant):
    page = client_as(officer).get(_gb_url("detail", world)).content.decode()
    assert "No grants have been linked yet" in page
    world.groundbreaker.grants.add(grant)
    page = client_as(officer).get(_gb_url("detail", world)).content.decode()
    link = reverse("funds:grant-detail", args=[grant.pk])
    assert f'href="{link}">Camp Hill Pantry</a>' in page
    assert "Social Fabric" in page
    assert "£3,500" in page and "£3,500.00" not in page


def test_the_grant_page_lists_the_groundbreakers_it_funds(world, client_as, officer, grant):
    url = reverse("funds:grant-detail", args=[grant.pk])
    page = client_as(officer).get(url).content.decode()
    assert "Groundbreakers this grant funds" not in page
    world.groundbreaker.grants.add(grant)
    unrelated = GroundbreakerFactory(programme=world.programme, name="Unrelated pilot")
    page = client_as(officer).get(url).content.decode()
    assert "Groundbreakers this grant funds" in page
    assert f'href="{_gb_url("detail", world)}">{world.groundbreaker.name}</a>' in page
    assert unrelated.name not in page


def test_the_groundbreaker_page_query_count_does_not_grow_with_grants(
    world, client_as, officer, grant
):
    client = client_as(officer)
    world.groundbreaker.grants.add(grant)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_gb_url("detail", world)).status_code == 200
    for n in range(20):
        world.groundbreaker.grants.add(_grant(world.programme, recipient=f"Group {n}"))
    with CaptureQueriesContext(connection) as large:
        page = client.get(_gb_url("detail", world)).content.decode()
    assert page.count("/grants/") >= 21
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_the_grant_page_query_count_does_not_grow_with_groundbreakers(
    world, client_as, officer, grant
):
    client = client_as(officer)
    url = reverse("funds:grant-detail", args=[grant.pk])
    world.groundbreaker.grants.add(grant)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(15):
        GroundbreakerFactory(programme=ProgrammeFactory()).grants.add(grant)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count('data-testid="grant-groundbreakers"') == 1
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
