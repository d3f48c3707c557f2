"""A councillor's "My division" page shows what happens in their division (issue 14)."""

from decimal import Decimal

from django.urls import reverse

from tests.funds.factories import AwardFactory, FundFactory, RoundFactory
from tests.groundbreakers.factories import GroundbreakerFactory
from tests.programmes.factories import PlaceFactory


def test_places_without_an_ons_code_do_not_say_none(world, client_as):
    PlaceFactory(council=world.council, parent=world.division, name="Cubbington", ons_code="")
    page = client_as(world.users["councillor"]).get(reverse("division")).content.decode()
    assert "Cubbington" in page
    assert "ONS code" not in page
    assert ">None<" not in page


def test_the_division_shows_its_groundbreakers_and_grants(world, client_as):
    place = world.division.children.first()
    groundbreaker = GroundbreakerFactory(programme=world.programme, name="Lillington Cooks")
    groundbreaker.places.add(place)
    elsewhere = GroundbreakerFactory(programme=world.programme, name="Somewhere Else")
    elsewhere.places.add(PlaceFactory(council=world.council, name="Far away"))
    award = AwardFactory(
        application__round=RoundFactory(fund=FundFactory(programme=world.programme)),
        application__project_title="Lillington pantry",
        amount_capital=Decimal("48000"),
        amount_revenue=Decimal("0"),
    )
    award.application.places.add(place)
    page = client_as(world.users["councillor"]).get(reverse("division")).content.decode()
    assert "Lillington Cooks" in page
    assert reverse("groundbreakers:detail", args=[world.programme.slug, groundbreaker.slug]) in page
    assert "Somewhere Else" not in page
    assert "Lillington pantry" in page
    assert "£48,000" in page


def test_another_programmes_grants_in_the_same_place_are_not_shown(world, client_as):
    place = world.division.children.first()
    award = AwardFactory(
        application__round=RoundFactory(fund=FundFactory(programme=world.other.programme)),
        application__project_title="Not this programme",
    )
    award.application.places.add(place)
    page = client_as(world.users["councillor"]).get(reverse("division")).content.decode()
    assert "Not this programme" not in page
