import pytest

from cpw.accounts.demo import seed_people
from groundbreakers.demo import seed_groundbreakers
from groundbreakers.models import Activity, Groundbreaker, GroundbreakerStatus, LearningEntry
from groundbreakers.selectors import activity_totals
from programmes.demo import seed_delivery_plan, seed_places, seed_programme

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


def test_load_demo_links_groundbreakers_to_commitments_and_learning_to_ambitions():
    for _ in range(2):  # idempotent
        places = seed_places()
        programme = seed_programme(places)
        seed_people(programme, places)
        seed_delivery_plan(programme)
        seed_groundbreakers(programme)
    supermarkets = Groundbreaker.objects.get(slug="community-supermarkets")
    linked = {c.title: c.group.name for c in supermarkets.commitments.all()}
    assert linked == {
        "Open council buildings for community use": "Services and assets",
        "Strengthen partnerships with the voluntary and community sector": "Relationships",
    }
    wellbeing = Groundbreaker.objects.get(slug="wellbeing-neighbourhoods")
    assert not wellbeing.commitments.exists()
    for gb in Groundbreaker.objects.exclude(pk=wellbeing.pk):
        assert gb.commitments.exists(), gb.name
        assert all(c.plan.programme_id == programme.pk for c in gb.commitments.all())
    entry = LearningEntry.objects.get(title="Wellbeing Neighbourhoods did not go ahead")
    assert [a.name for a in entry.ambitions.all()] == ["Enable communities to lead"]
    assert [t.name for t in entry.tags.all()] == ["Enable communities to lead"]  # kept
    assert LearningEntry.objects.filter(ambitions__isnull=False).distinct().count() == 2


def test_load_demo_links_the_bar_pool_pilot_to_a_grant():
    from funds.demo import seed_funds
    from funds.models import Award

    for _ in range(2):  # idempotent
        places = seed_places()
        programme = seed_programme(places)
        seed_people(programme, places)
        seed_delivery_plan(programme)
        seed_funds(programme, places)
        seed_groundbreakers(programme)
    pilot = Groundbreaker.objects.get(slug="pilot-bar-pool-north-and-crescents")
    # The funds demo has no Social Fabric Fund grant: an illustrative Social Impact Fund one.
    grants = list(pilot.grants.all())
    assert [g.application.organisation.name for g in grants] == [
        "Bar Pool Youth Project (illustrative)"
    ]
    assert grants[0].application.round.fund.programme_id == programme.pk
    assert Award.objects.filter(groundbreakers__isnull=False).count() == 1


def test_load_demo_without_the_funds_demo_links_no_grants():
    places = seed_places()
    programme = seed_programme(places)
    seed_people(programme, places)
    seed_groundbreakers(programme)
    assert not Groundbreaker.objects.filter(grants__isnull=False).exists()
