import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role, RoleAssignment
from programmes.models import PeriodStatus
from programmes.services import reporting_periods_ensure
from tests.accounts.factories import user_with_role
from tests.programmes.factories import PlaceFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_overview_counts_everyone_in_the_programme_not_just_the_manager(client_as, world):
    client = client_as(world.users["programme_manager"])
    world.programme.priority_places.add(PlaceFactory(lsoa=True), PlaceFactory(lsoa=True))
    response = client.get(reverse("programmes:overview"))
    (programme,) = response.context["programmes"]
    people = {a.user_id for a in RoleAssignment.objects.filter(programme=world.programme)}
    assert len(people) >= 5  # at least one per council role
    assert programme.people_count == len(people)
    assert programme.priority_place_count == 2


def test_managers_see_only_the_programmes_they_manage(client_as, world):
    ProgrammeFactory(name="Coventry Community Power")
    page = client_as(world.users["programme_manager"]).get(reverse("programmes:overview"))
    assert world.programme.name in page.content.decode()
    assert "Coventry Community Power" not in page.content.decode()


def test_a_programme_someone_has_no_role_in_is_404_like_a_missing_one(client_as, world):
    other = ProgrammeFactory()
    client = client_as(world.users["officer"])
    assert client.get(reverse("programmes:programme-detail", args=[other.slug])).status_code == 404
    assert client.get(reverse("programmes:programme-detail", args=["nope"])).status_code == 404


def test_councillor_sees_their_division_and_its_priority_places(client_as, world):
    lsoa = PlaceFactory(lsoa=True, name="Lillington priority area", parent=world.division)
    world.programme.priority_places.add(lsoa)
    page = client_as(world.users["councillor"]).get(reverse("division")).content.decode()
    assert "Leamington North" in page
    assert "Lillington priority area" in page
    assert "Priority" in page


@pytest.mark.parametrize("size", [3, 30])
def test_overview_query_count_does_not_grow_with_programmes(
    client_as, django_assert_max_num_queries, size, programme
):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    for _ in range(size):
        other = ProgrammeFactory()
        RoleAssignment.objects.create(user=manager, role=Role.PROGRAMME_MANAGER, programme=other)
        user_with_role(Role.OFFICER, other)
    client = client_as(manager)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programmes:overview")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_programme_page_query_count_does_not_grow_with_people(
    client_as, django_assert_max_num_queries, size, programme
):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    for _ in range(size):
        user_with_role(Role.OFFICER, programme)
        programme.priority_places.add(PlaceFactory(lsoa=True, parent=PlaceFactory(district=True)))
    client = client_as(manager)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("programmes:programme-detail", args=[programme.slug]))
    assert response.status_code == 200


def test_the_steering_dashboard_shows_only_programmes_the_user_steers(client_as, world):
    """A steering member of A who is an officer in B sees A's dashboard, not B's."""
    steering = world.users["steering_group"]
    RoleAssignment.objects.create(user=steering, role=Role.OFFICER, programme=world.other.programme)
    page = client_as(steering).get(reverse("reports:steering"))
    assert [d["programme"] for d in page.context["dashboards"]] == [world.programme]


def test_an_officer_who_does_not_lead_a_commitment_may_read_it_but_not_update_it(
    client_as, plan_world
):
    client = client_as(plan_world.other_officer)
    pk = plan_world.commitment.pk
    page = client.get(reverse("programmes:commitment-detail", args=[pk]))
    assert page.status_code == 200
    assert page.context["can_update"] is False
    label = plan_world.current.label
    assert client.get(reverse("programmes:commitment-update", args=[pk, label])).status_code == 403
    assert client.get(reverse("programmes:milestone-add", args=[pk])).status_code == 403


def test_the_overview_says_when_each_programmes_updates_are_due_or_who_locked_them(
    client_as, programme
):
    """Both sentences, made once in Python (programmes.display.period_due_html), with the period
    in the programme's wording and GOV.UK dates."""
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme, full_name="Mo Manager")
    locked_programme = ProgrammeFactory(name="Coventry Community Power")
    RoleAssignment.objects.create(
        user=manager, role=Role.PROGRAMME_MANAGER, programme=locked_programme
    )
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    for p in (programme, locked_programme):
        reporting_periods_ensure(programme=p, first=f"{year - 1}-Q1", last=f"{year + 1}-Q4")
    locked = locked_programme.reporting_periods.filter(end__lt=today).order_by("-start").first()
    locked.status, locked.locked_by = PeriodStatus.LOCKED, manager
    locked.locked_at = timezone.make_aware(datetime.datetime(2026, 7, 20, 9, 30))
    locked.save()
    # The locked programme's current period is then the one running today; lock that too.
    running = locked_programme.reporting_periods.get(start__lte=today, end__gte=today)
    running.status, running.locked_by, running.locked_at = (
        PeriodStatus.LOCKED,
        manager,
        locked.locked_at,
    )
    running.save()

    # The last quarter to end, still open: its updates are due, and the deadline has passed.
    current = programme.reporting_periods.filter(end__lt=today).order_by("-start").first()
    current.update_deadline = due = today - datetime.timedelta(days=1)
    current.save()
    page = client_as(manager).get(reverse("programmes:overview")).content.decode()
    assert (
        f"Updates for <strong>{current.label}</strong> are due by "
        f"{due.day} {due:%B %Y} and are now overdue." in page
    )
    assert (
        f"Updates for <strong>{running.label}</strong> were locked on 20 July 2026 "
        "by Mo Manager." in page
    )


@pytest.mark.parametrize("size", [2, 12])
def test_overview_queries_do_not_grow_with_locked_periods(
    client_as, django_assert_max_num_queries, size, programme
):
    """Each locked current period names who locked it; those people are read together."""
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    for _ in range(size):
        other = ProgrammeFactory()
        RoleAssignment.objects.create(user=manager, role=Role.PROGRAMME_MANAGER, programme=other)
        reporting_periods_ensure(programme=other, first=f"{year - 1}-Q1", last=f"{year + 1}-Q4")
        locker = user_with_role(Role.PROGRAMME_MANAGER, other)
        other.reporting_periods.filter(start__lte=today).update(
            status=PeriodStatus.LOCKED, locked_by=locker, locked_at=timezone.now()
        )
    client = client_as(manager)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("programmes:overview")).content.decode()
    assert page.count("were locked on") == size
