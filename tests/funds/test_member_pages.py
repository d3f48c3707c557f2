"""A councillor's member fund pages: the pot, the application they are asked to recommend, and
what the pot shows after they recommend (issue 14)."""

import re
from decimal import Decimal

from django.urls import reverse

from funds.models import MemberRecommendation
from tests.funds.factories import AllocationFactory, ApplicationFactory, FundFactory, RoundFactory


def _member_application(world, **extra):
    fund = FundFactory(programme=world.programme, slug="member-fund", member=True)
    allocation = AllocationFactory(
        fund=fund, councillor=world.users["councillor"], year=2026, amount=Decimal("2500")
    )
    application = ApplicationFactory(
        round=RoundFactory(fund=fund, name="Member round"),
        organisation=world.partner_organisation,
        submitted=True,
        project_title="Lillington lunch club",
        **extra,
    )
    application.places.add(world.division.children.first())
    return allocation, application


def _title(page: str) -> str:
    return re.search(r"<head>.*?<title>(.*?)</title>", page, re.S).group(1)


def test_the_pot_page_title_is_plain_text_and_the_year_is_a_financial_year(world, client_as):
    _member_application(world)
    page = client_as(world.users["councillor"]).get(reverse("funds:member-pot")).content.decode()
    assert "<" not in _title(page)
    assert _title(page).startswith("Your member fund")
    assert "2026/27" in page
    assert "2,026" not in page


def test_the_councillor_can_open_the_application_before_recommending(world, client_as):
    _, application = _member_application(world)
    client = client_as(world.users["councillor"])
    pot = client.get(reverse("funds:member-pot")).content.decode()
    url = reverse("funds:member-application", args=[application.pk])
    assert f'href="{url}"' in pot
    page = client.get(url).content.decode()
    assert "Lillington lunch club" in page
    assert "A community pantry." in page  # the project summary
    assert "Recommend a grant from your pot" in page
    assert reverse("funds:member-recommend", args=[application.pk]) in page


def test_after_recommending_the_pot_lists_what_left_counts(world, client_as):
    _, application = _member_application(world)
    client = client_as(world.users["councillor"])
    response = client.post(
        reverse("funds:member-recommend", args=[application.pk]),
        {f"a{application.pk}-amount": "800"},
    )
    assert response.status_code == 302
    assert MemberRecommendation.objects.filter(application=application).exists()
    page = client.get(reverse("funds:member-pot")).content.decode()
    assert "Left: <strong>£1,700</strong>" in page
    assert "No grants from this pot yet" not in page
    assert "Lillington lunch club" in page
    assert "Recommended, waiting for a decision" in page
    assert "£800" in page
    # ... and the application is still there to open, showing the recommendation
    page = client.get(reverse("funds:member-application", args=[application.pk])).content.decode()
    assert "recommended a grant of £800" in page
    assert "Recommend a grant from your pot" not in page


def test_a_bad_amount_shows_the_application_again_with_the_error(world, client_as):
    _, application = _member_application(world)
    response = client_as(world.users["councillor"]).post(
        reverse("funds:member-recommend", args=[application.pk]),
        {f"a{application.pk}-amount": "99999"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Lillington lunch club" in page
    assert "<" not in _title(page)
