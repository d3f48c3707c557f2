import pytest

from cpw.demo.people import seed_people
from groundbreakers.demo import seed_groundbreakers
from groundbreakers.models import Activity, Groundbreaker, GroundbreakerStatus
from groundbreakers.selectors import activity_totals
from programmes.demo import seed_places, seed_programme

pytestmark = pytest.mark.django_db


def test_load_demo_gives_the_warwickshire_groundbreakers_and_figures():
    for _ in range(2):  # what load_demo runs; twice, because it must be idempotent
        places = seed_places()
        programme = seed_programme(places)
        seed_people(programme, places)
        seed_groundbreakers(programme)
    five = {
        "Highways to Help": "Transport",
        "Community Supermarkets": "Communities",
        "Stepping Forward Starts Here": "Communities",
        "Community Powered Place-Shaping": "Communities",
        "Wellbeing Neighbourhoods": "Public Health",
    }
    for name, area in five.items():
        assert Groundbreaker.objects.get(programme=programme, name=name).lead_service_area == area
    wellbeing = Groundbreaker.objects.get(name="Wellbeing Neighbourhoods")
    assert wellbeing.status == GroundbreakerStatus.DID_NOT_PROCEED
    assert wellbeing.status_changes.get().reason
    supermarkets = Groundbreaker.objects.get(name="Community Supermarkets")
    assert sorted(p.name for p in supermarkets.places.all()) == [
        "Camp Hill",
        "Lillington",
        "New Arley",
    ]
    assert [o.name for o in supermarkets.partners.all()] == ["Feed the Hungry UK"]
    assert supermarkets.key_outcomes.count() == 3

    mancetter = Groundbreaker.objects.get(slug="pilot-mancetter-south-and-ridge-lane")
    totals = activity_totals(programme=programme, groundbreaker=mancetter)
    assert (totals["households_approached"], totals["questionnaires_completed"]) == (448, 167)
    lillington_east = Groundbreaker.objects.get(slug="pilot-lillington-east")
    assert (
        activity_totals(programme=programme, groundbreaker=lillington_east)["hours_of_conversation"]
        == 60
    )
    bar_pool = Groundbreaker.objects.get(slug="pilot-bar-pool-north-and-crescents")
    assert [o.name for o in bar_pool.partners.all()] == ["Saints Nuneaton"]

    big = Activity.objects.get(title="Big Conversation", groundbreaker__isnull=True)
    assert big.attendees == 100
    events = activity_totals(programme=programme, programme_level_only=True)
    assert events["attendees"] == 100 + 65 + 16 + 16 + 60
    assert Groundbreaker.objects.filter(programme=programme).count() == 8
