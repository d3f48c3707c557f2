"""Links to the programmes app: the delivery-plan commitments a groundbreaker advances, and the
programme's ambitions on learning entries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpw.accounts.models import Role
from groundbreakers import services
from groundbreakers.models import Groundbreaker, LearningEntry
from programmes.models import Ambition
from tests.programmes.factories import (
    CommitmentFactory,
    DeliveryPlanFactory,
    GroupFactory,
    ProgrammeFactory,
)

from .factories import GroundbreakerFactory, LearningEntryFactory

pytestmark = pytest.mark.django_db


def _url(name, world, **extra):
    return reverse(f"groundbreakers:{name}", kwargs={"programme": world.programme.slug, **extra})


def _gb_url(name, world):
    return _url(name, world, slug=world.groundbreaker.slug)


@pytest.fixture
def officer(world):
    return world.users[Role.OFFICER.value]


@pytest.fixture
def foreign_commitment(world):
    return CommitmentFactory(
        plan=DeliveryPlanFactory(programme=ProgrammeFactory(slug="elsewhere")),
        title="Someone else's commitment",
    )


# Commitments: service rules -------------------------------------------------------------------


def test_a_groundbreaker_can_be_created_with_commitments_of_its_programme(world):
    mine = CommitmentFactory(plan=world.commitment.plan, title="Open council buildings")
    gb = services.groundbreaker_create(
        programme=world.programme, name="Highways to Help", commitments=[mine]
    )
    assert list(gb.commitments.all()) == [mine]


def test_a_commitment_of_another_programme_is_refused_and_nothing_is_saved(
    world, foreign_commitment
):
    with pytest.raises(ValidationError, match="Choose only commitments in the"):
        services.groundbreaker_create(
            programme=world.programme, name="Highways to Help", commitments=[foreign_commitment]
        )
    assert not Groundbreaker.objects.filter(name="Highways to Help").exists()

    gb = world.groundbreaker
    with pytest.raises(ValidationError, match="Choose only commitments in the"):
        services.groundbreaker_details_update(
            groundbreaker=gb,
            expected_version=gb.version,
            data={"name": gb.name},
            partners=[],
            places=[],
            commitments=[world.commitment, foreign_commitment],
            user=None,
        )
    gb.refresh_from_db()
    assert gb.version == 1
    assert list(gb.commitments.all()) == [world.commitment]  # as the world set it up


def test_changing_details_without_commitments_leaves_the_links_alone(world):
    gb = world.groundbreaker
    assert list(gb.commitments.all()) == [world.commitment]
    services.groundbreaker_details_update(
        groundbreaker=gb,
        expected_version=gb.version,
        data={"name": gb.name, "sponsor": "A director"},
        partners=[],
        places=[],
        user=None,
    )
    assert list(gb.commitments.all()) == [world.commitment]


# Commitments: pages ---------------------------------------------------------------------------


def _change_post(world, officer, **extra):
    return {
        "version": world.groundbreaker.version,
        "name": world.groundbreaker.name,
        "lead_officer": officer.pk,
        **extra,
    }


def test_the_change_page_offers_only_this_programmes_commitments(
    world, client_as, officer, foreign_commitment
):
    page = client_as(officer).get(_gb_url("change", world)).content.decode()
    assert "Delivery-plan commitments it advances" in page
    assert world.commitment.title in page
    assert "Someone else&#x27;s commitment" not in page and "Someone else's" not in page


def test_choosing_commitments_on_the_change_page_links_them(world, client_as, officer):
    other = CommitmentFactory(plan=world.commitment.plan, title="Grow community leadership")
    response = client_as(officer).post(
        _gb_url("change", world),
        _change_post(world, officer, commitments=[world.commitment.pk, other.pk]),
    )
    assert response.status_code == 302
    assert set(world.groundbreaker.commitments.all()) == {world.commitment, other}


def test_a_commitment_of_another_programme_is_refused_on_the_page(
    world, client_as, officer, foreign_commitment
):
    response = client_as(officer).post(
        _gb_url("change", world),
        _change_post(world, officer, commitments=[foreign_commitment.pk], sponsor="Changed"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose only commitments in this programme" in page
    world.groundbreaker.refresh_from_db()
    assert world.groundbreaker.sponsor != "Changed"
    assert list(world.groundbreaker.commitments.all()) == [world.commitment]


def test_a_manager_adds_a_groundbreaker_with_commitments(world, client_as):
    response = client_as(world.users[Role.PROGRAMME_MANAGER.value]).post(
        _url("add", world), {"name": "Highways to Help", "commitments": [world.commitment.pk]}
    )
    assert response.status_code == 302
    gb = Groundbreaker.objects.get(name="Highways to Help")
    assert list(gb.commitments.all()) == [world.commitment]


def test_the_groundbreaker_page_lists_its_commitments(world, client_as, officer):
    world.groundbreaker.commitments.clear()
    page = client_as(officer).get(_gb_url("detail", world)).content.decode()
    assert "No delivery-plan commitments have been linked yet" in page
    world.groundbreaker.commitments.add(world.commitment)
    page = client_as(officer).get(_gb_url("detail", world)).content.decode()
    link = reverse("programmes:commitment-detail", args=[world.commitment.pk])
    assert f'href="{link}">{world.commitment.title}</a>' in page
    assert "grants will appear" not in page


def test_the_commitment_page_lists_the_groundbreakers_that_advance_it(world, client_as, officer):
    world.groundbreaker.commitments.clear()
    url = reverse("programmes:commitment-detail", args=[world.commitment.pk])
    page = client_as(officer).get(url).content.decode()
    assert "Groundbreakers that advance this commitment" in page
    assert "No groundbreaker has been linked to this commitment yet" in page
    world.groundbreaker.commitments.add(world.commitment)
    unrelated = GroundbreakerFactory(programme=world.programme, name="Unrelated pilot")
    page = client_as(officer).get(url).content.decode()
    assert f'href="{_gb_url("detail", world)}">{world.groundbreaker.name}</a>' in page
    assert unrelated.name not in page


def test_the_groundbreaker_page_query_count_does_not_grow_with_commitments(
    world, client_as, officer
):
    client = client_as(officer)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_gb_url("detail", world)).status_code == 200
    for _ in range(30):
        world.groundbreaker.commitments.add(
            CommitmentFactory(
                plan=world.commitment.plan, group=GroupFactory(plan=world.commitment.plan)
            )
        )
    with CaptureQueriesContext(connection) as large:
        page = client.get(_gb_url("detail", world)).content.decode()
    assert page.count("/commitments/") >= 31
    assert len(large) == len(small)


# Learning entries and the programme's ambitions -------------------------------------------------


@pytest.fixture
def ambitions(world):
    return [
        Ambition.objects.create(programme=world.programme, order=n, name=name)
        for n, name in enumerate(
            ["Involve communities in decision making", "Enable communities to lead"]
        )
    ]


def test_the_learning_form_offers_the_programmes_ambitions(world, client_as, officer, ambitions):
    Ambition.objects.create(programme=ProgrammeFactory(), name="Another council's ambition")
    page = client_as(officer).get(_url("learning-add", world)).content.decode()
    assert 'name="ambitions"' in page and "govuk-checkboxes__input" in page
    for ambition in ambitions:
        assert ambition.name in page
    assert "Another council" not in page


def test_a_learning_entry_is_saved_with_its_ambitions_and_themes(
    world, client_as, officer, ambitions
):
    response = client_as(officer).post(
        _url("learning-add", world),
        {
            "title": "Weekday mornings",
            "what_we_tried": "Saturdays",
            "what_happened": "Few came",
            "outcome": "did_not_work",
            "ambitions": [ambitions[1].pk],
            "tags": "food",
        },
    )
    assert response.status_code == 302
    entry = LearningEntry.objects.get(title="Weekday mornings")
    assert list(entry.ambitions.all()) == [ambitions[1]]
    assert [t.name for t in entry.tags.all()] == ["food"]


def test_another_programmes_ambition_is_refused(world, client_as, officer, ambitions):
    foreign = Ambition.objects.create(programme=ProgrammeFactory(), name="Not ours")
    response = client_as(officer).post(
        _url("learning-add", world),
        {
            "title": "Weekday mornings",
            "what_we_tried": "Saturdays",
            "what_happened": "Few came",
            "outcome": "worked",
            "ambitions": [foreign.pk],
        },
    )
    assert "Choose only this programme" in response.content.decode()
    assert not LearningEntry.objects.exists()
    with pytest.raises(ValidationError, match="Choose only ambitions of"):
        services.learning_entry_add(
            programme=world.programme,
            title="x",
            what_we_tried="x",
            what_happened="x",
            outcome="worked",
            ambitions=[foreign],
            user=officer,
        )
    assert not LearningEntry.objects.exists()


def test_the_learning_log_shows_ambitions_and_filters_by_them(world, client_as, officer, ambitions):
    involve, enable = ambitions
    first = LearningEntryFactory(programme=world.programme, title="Citizens panel")
    first.ambitions.set([involve])
    second = LearningEntryFactory(programme=world.programme, title="Community larder")
    second.ambitions.set([enable, involve])
    LearningEntryFactory(programme=world.programme, title="Untagged lesson")
    client = client_as(officer)

    page = client.get(_url("learning", world)).content.decode()
    assert 'name="ambition"' in page
    assert "Ambitions</dt>" in page and enable.name in page

    page = client.get(_url("learning", world) + f"?ambition={enable.pk}").content.decode()
    assert "Community larder" in page
    assert "Citizens panel" not in page and "Untagged lesson" not in page
    assert "1 entry found" in page

    page = client.get(_url("learning", world) + f"?ambition={involve.pk}").content.decode()
    assert "Citizens panel" in page and "Community larder" in page
    assert "Untagged lesson" not in page


def test_the_learning_log_query_count_does_not_grow_with_ambitions(
    world, client_as, officer, ambitions
):
    client = client_as(officer)
    LearningEntryFactory(programme=world.programme).ambitions.set(ambitions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url("learning", world)).status_code == 200
    for _ in range(20):
        LearningEntryFactory(programme=world.programme).ambitions.set(ambitions)
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url("learning", world)).status_code == 200
    assert len(large) == len(small)


def test_an_unknown_ambition_in_the_learning_filter_gets_a_clear_message(
    world, client_as, officer, ambitions
):
    LearningEntryFactory(programme=world.programme, title="Citizens panel")
    response = client_as(officer).get(_url("learning", world) + "?ambition=999999")
    assert response.status_code == 200
    assert "Choose one of the programme&#x27;s ambitions" in response.content.decode()
