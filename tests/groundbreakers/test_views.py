import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role, RoleAssignment
from groundbreakers import services
from groundbreakers.models import (
    Activity,
    GroundbreakerStatus,
    GroundbreakerStatusChange,
    GroundbreakerUpdate,
    KeyOutcome,
    LearningEntry,
)
from programmes.models import Place, UpdateStatus
from programmes.services import reporting_period_lock
from tests.funds.factories import AwardFactory
from tests.programmes.factories import ProgrammeFactory

from .factories import ActivityFactory, GroundbreakerFactory, LearningEntryFactory

pytestmark = pytest.mark.django_db


def _url(name, world, **extra):
    kwargs = {"programme": world.programme.slug, **extra}
    return reverse(f"groundbreakers:{name}", kwargs=kwargs)


def _gb_url(name, world, **extra):
    return _url(name, world, slug=world.groundbreaker.slug, **extra)


@pytest.fixture
def officer(world):
    return world.users[Role.OFFICER.value]


# Access beyond the matrix ------------------------------------------------------------------


def test_another_programmes_groundbreaker_is_not_found(world, client_as, officer):
    elsewhere = GroundbreakerFactory(programme=ProgrammeFactory(slug="elsewhere"))
    client = client_as(officer)
    url = reverse(
        "groundbreakers:detail", kwargs={"programme": "elsewhere", "slug": elsewhere.slug}
    )
    assert client.get(url).status_code == 404
    assert client.get(reverse("groundbreakers:index")).content.decode().count(elsewhere.name) == 0


def test_an_officer_who_does_not_lead_it_can_log_activity_but_not_change_it(world, client_as):
    client = client_as(world.other_officer)
    assert client.get(_gb_url("status", world)).status_code == 403
    assert client.get(_gb_url("outcomes", world)).status_code == 403
    assert client.get(_url("activity-add", world)).status_code == 200
    page = client.get(_gb_url("detail", world)).content.decode()
    assert "Change the key outcomes" not in page
    assert "Log an activity" in page


def test_the_nav_shows_groundbreakers_to_council_users_only(world, client_as):
    page = client_as(world.users["councillor"]).get(reverse("division")).content
    assert b'href="/groundbreakers/"' in page
    page = client_as(world.users["partner"]).get(reverse("accounts:organisation")).content
    assert b'href="/groundbreakers/"' not in page


def _other(name, world, **extra):
    """A URL about the second programme's objects."""
    return reverse(
        f"groundbreakers:{name}", kwargs={"programme": world.other.programme.slug, **extra}
    )


def test_an_activity_is_found_only_under_its_own_programme(world, client_as, officer):
    theirs = world.other.activity
    under_ours = _url("activity-change", world, pk=theirs.pk)
    for user in (officer, world.users["outsider"], world.users["staff"]):
        assert client_as(user).get(under_ours).status_code == 404
    under_theirs = _other("activity-change", world, pk=theirs.pk)
    assert client_as(officer).get(under_theirs).status_code == 404
    response = client_as(officer).post(under_theirs, _activity_post(world, attendees="99"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.attendees == 10


def test_another_programmes_updates_and_learning_are_not_found(world, client_as, officer):
    client = client_as(officer)
    update = _other(
        "update", world, slug=world.other.groundbreaker.slug, period=world.other.periods[0].label
    )
    assert client.get(update).status_code == 404
    assert client.post(update, _update_post(world.other)).status_code == 404
    assert not GroundbreakerUpdate.objects.exists()
    for name in ("learning", "learning-add", "updates", "totals", "activity-export-csv"):
        assert client.get(_other(name, world)).status_code == 404, name


def test_another_programmes_groundbreaker_cannot_be_chosen(world, client_as, officer):
    client = client_as(officer)
    theirs = world.other.groundbreaker.pk
    response = client.post(_url("activity-add", world), _activity_post(world, groundbreaker=theirs))
    assert response.status_code == 200
    assert not Activity.objects.filter(title="Store opening").exists()
    response = client.post(
        _url("learning-add", world),
        {
            "groundbreaker": theirs,
            "title": "Pop-up",
            "what_we_tried": "A pop-up",
            "what_happened": "Few came",
            "outcome": "worked",
        },
    )
    assert response.status_code == 200
    assert not LearningEntry.objects.exists()


def test_a_manager_elsewhere_who_steers_this_programme_only_reads_it(world, client_as):
    manager = world.other.users[Role.PROGRAMME_MANAGER.value]
    RoleAssignment.objects.create(user=manager, role=Role.STEERING_GROUP, programme=world.programme)
    client = client_as(manager)
    assert client.get(_gb_url("detail", world)).status_code == 200
    assert client.get(_url("updates", world)).status_code == 200
    assert client.get(_gb_url("change", world)).status_code == 403
    assert client.get(_url("add", world)).status_code == 403
    assert client.get(_url("activity-add", world)).status_code == 403
    with pytest.raises(ValidationError):
        services.groundbreaker_status_change(
            groundbreaker=world.groundbreaker,
            to_status=GroundbreakerStatus.SUSTAINED,
            reason="Going well",
            user=manager,
        )


def test_the_index_links_each_programme_as_far_as_the_user_may_act_in_it(world, client_as):
    """A manager here who steers the second programme: every programme's pages are linked, but
    logging an activity and adding a groundbreaker only where they work."""
    manager = world.users[Role.PROGRAMME_MANAGER.value]
    RoleAssignment.objects.create(
        user=manager, role=Role.STEERING_GROUP, programme=world.other.programme
    )
    page = client_as(manager).get(reverse("groundbreakers:index")).content.decode()
    for programme, may_act in ((world.programme, True), (world.other.programme, False)):
        url = reverse("groundbreakers:totals", kwargs={"programme": programme.slug})
        assert f'<a class="govuk-link" href="{url}">activity and totals</a>' in page
        for name in ("learning", "updates"):
            url = reverse(f"groundbreakers:{name}", kwargs={"programme": programme.slug})
            assert f'href="{url}"' in page
        for name in ("activity-add", "add"):
            url = reverse(f"groundbreakers:{name}", kwargs={"programme": programme.slug})
            assert (f'href="{url}"' in page) is may_act


def test_a_lead_officer_who_has_left_the_programme_no_longer_changes_it(world, client_as, officer):
    RoleAssignment.objects.filter(user=officer, programme=world.programme).update(
        programme=world.other.programme
    )
    client = client_as(officer)
    assert client.get(_gb_url("detail", world)).status_code == 404
    assert client.get(_gb_url("change", world)).status_code == 404
    with pytest.raises(ValidationError):
        services.groundbreaker_status_change(
            groundbreaker=world.groundbreaker,
            to_status=GroundbreakerStatus.SUSTAINED,
            reason="Going well",
            user=officer,
        )
    world.groundbreaker.refresh_from_db()
    assert world.groundbreaker.status == GroundbreakerStatus.LIVE


def test_partners_named_on_a_groundbreaker_still_see_none_of_its_pages(world, client_as):
    client = client_as(world.users["partner"])
    assert world.partner_organisation in world.groundbreaker.partners.all()
    assert client.get(_gb_url("detail", world)).status_code == 404
    assert client.get(reverse("groundbreakers:index")).status_code == 403


# Index filters -----------------------------------------------------------------------------


def test_index_filters_by_status(world, client_as, officer):
    GroundbreakerFactory(
        programme=world.programme, name="Wellbeing Neighbourhoods", did_not_proceed=True
    )
    client = client_as(officer)
    page = client.get(reverse("groundbreakers:index") + "?status=did_not_proceed").content.decode()
    assert "Wellbeing Neighbourhoods" in page
    assert "Community Supermarkets" not in page
    page = client.get(reverse("groundbreakers:index")).content.decode()
    assert "Wellbeing Neighbourhoods" in page and "Community Supermarkets" in page


# Activity form -----------------------------------------------------------------------------


def _activity_post(world, **extra):
    today = datetime.date.today()
    data = {
        "groundbreaker": world.groundbreaker.pk,
        "title": "Store opening",
        "kind": "event",
        "status": "held",
        "date_0": today.day,
        "date_1": today.month,
        "date_2": today.year,
        "attendees": "35",
        "council_led": "on",
    }
    data.update(extra)
    return data


def test_logging_an_activity_adds_to_the_totals(world, client_as, officer):
    client = client_as(officer)
    response = client.post(_url("activity-add", world), _activity_post(world, volunteers="4"))
    assert response.status_code == 302
    assert response["Location"] == _gb_url("detail", world)
    activity = Activity.objects.get(title="Store opening")
    assert (activity.attendees, activity.volunteers, activity.recorded_by) == (35, 4, officer)
    page = client.get(response["Location"]).content.decode()
    assert 'data-total="attendees">45<' in page  # 10 from the world's activity + 35


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"attendees": "-5"}, "Number of people who attended must be 0 or more"),
        ({"attendees": "about twenty"}, "Number of people who attended must be a number"),
        ({"households_approached": "-1"}, "Households approached must be 0 or more"),
        ({"hours_of_conversation": "two"}, "Hours of conversation must be a number"),
        (
            {"end_date_0": "1", "end_date_1": "1", "end_date_2": "2020"},
            "The end date must be the same as or after the start date",
        ),
        ({"start_time": "15:00", "end_time": "14:00"}, "The end time must be after the start time"),
        ({"title": ""}, "Enter what the activity was called"),
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date"),
    ],
)
def test_bad_activity_input_shows_a_clear_message_and_saves_nothing(
    world, client_as, officer, extra, message
):
    before = Activity.objects.count()
    response = client_as(officer).post(_url("activity-add", world), _activity_post(world, **extra))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert Activity.objects.count() == before


# Status, outcomes, working group ------------------------------------------------------------


def test_status_change_without_a_reason_shows_a_message_and_saves_nothing(
    world, client_as, officer
):
    today = datetime.date.today()
    response = client_as(officer).post(
        _gb_url("status", world),
        {
            "to_status": GroundbreakerStatus.SUSTAINED,
            "changed_on_0": today.day,
            "changed_on_1": today.month,
            "changed_on_2": today.year,
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert "Enter the reason for the change of status" in response.content.decode()
    world.groundbreaker.refresh_from_db()
    assert world.groundbreaker.status == GroundbreakerStatus.LIVE
    assert not GroundbreakerStatusChange.objects.exists()


def test_status_change_appears_in_the_history(world, client_as, officer):
    today = datetime.date.today()
    client = client_as(officer)
    response = client.post(
        _gb_url("status", world),
        {
            "to_status": GroundbreakerStatus.SUSTAINED,
            "changed_on_0": today.day,
            "changed_on_1": today.month,
            "changed_on_2": today.year,
            "reason": "Handed over to the community",
        },
    )
    assert response.status_code == 302
    page = client.get(_gb_url("detail", world)).content.decode()
    assert "Handed over to the community" in page
    assert "Live to sustained" in page


def _outcome_post(count, confirm=False):
    data = {f"title_{n}": f"Outcome {n}" for n in range(1, count + 1)}
    if confirm:
        data["confirm_count"] = "on"
    return data


def test_two_outcomes_need_confirmation(world, client_as, officer):
    client = client_as(officer)
    response = client.post(_gb_url("outcomes", world), _outcome_post(2))
    assert response.status_code == 200
    assert "you have entered 2" in response.content.decode()
    assert KeyOutcome.objects.filter(groundbreaker=world.groundbreaker).count() == 3
    response = client.post(_gb_url("outcomes", world), _outcome_post(2, confirm=True))
    assert response.status_code == 302
    assert KeyOutcome.objects.filter(groundbreaker=world.groundbreaker).count() == 2
    page = client.get(_gb_url("detail", world)).content.decode()
    assert "has 2 key outcomes. Most set 3 or 4" in page


def test_adding_an_external_person_to_the_working_group(world, client_as, officer):
    client = client_as(officer)
    response = client.post(
        _gb_url("member-add", world),
        {"name": "Pat Green", "organisation_name": "Lillington Residents", "role": "Chair"},
    )
    assert response.status_code == 302
    page = client.get(_gb_url("detail", world)).content.decode()
    assert "Pat Green" in page and "Lillington Residents" in page
    response = client.post(_gb_url("member-add", world), {"role": "Chair"})
    assert "Choose someone who uses the portal, or enter the name" in response.content.decode()


# Learning ----------------------------------------------------------------------------------


def test_learning_is_searchable_across_the_programme(world, client_as, officer):
    LearningEntryFactory(programme=world.programme, title="Market stall", did_not_work=True)
    LearningEntryFactory(
        programme=world.programme,
        title="Door-knocking in pairs",
        what_we_tried="Knocking on doors",
        what_happened="Good talks",
    )
    LearningEntryFactory(programme=ProgrammeFactory(), title="Market stall elsewhere")
    client = client_as(officer)
    page = client.get(_url("learning", world) + "?q=market").content.decode()
    assert "Market stall" in page
    assert "Door-knocking in pairs" not in page
    assert "elsewhere" not in page
    page = client.get(_url("learning", world) + "?outcome=did_not_work").content.decode()
    assert "Market stall" in page and "Door-knocking in pairs" not in page


def test_learning_entry_without_what_happened_is_refused(world, client_as, officer):
    response = client_as(officer).post(
        _url("learning-add", world),
        {"title": "Pop-up", "what_we_tried": "A pop-up", "what_happened": "", "outcome": "worked"},
    )
    assert "Enter what happened" in response.content.decode()
    assert not LearningEntry.objects.exists()


# Quarterly update --------------------------------------------------------------------------


def _update_post(world, version=1, submit=True, **extra):
    data = {"version": version, "rag": "amber", "summary": "Slow start", "next_steps": "Recruit"}
    for outcome in world.groundbreaker.key_outcomes.all():
        data[f"outcome_{outcome.pk}"] = f"Progress on {outcome.title}"
    if not submit:
        data["save_draft"] = "1"
    data.update(extra)
    return data


def test_submitting_the_quarterly_update(world, client_as, officer):
    client = client_as(officer)
    url = _gb_url("update", world, period=world.periods[0].label)
    page = client.get(url).content.decode()
    assert f"Quarterly update for {world.periods[0].label}" in page
    assert "Due by 14 July 2024" in page
    response = client.post(url, _update_post(world))
    assert response.status_code == 302
    update = GroundbreakerUpdate.objects.get()
    assert update.status == UpdateStatus.SUBMITTED
    assert update.outcome_progress.count() == 3


def test_the_steering_group_sees_every_update_for_the_period(world, client_as, officer):
    url = _gb_url("update", world, period=world.periods[0].label)
    client_as(officer).post(url, _update_post(world, summary="Two stores open"))
    GroundbreakerFactory(programme=world.programme, name="Highways to Help", live=True)
    GroundbreakerFactory(programme=world.programme, name="Not chosen", did_not_proceed=True)
    page = (
        client_as(world.users["steering_group"])
        .get(_url("updates", world) + "?period=2024-Q1")
        .content.decode()
    )
    assert "1 of 2 submitted" in page
    assert "Two stores open" in page
    assert "Highways to Help" in page and "Not started" in page
    assert "Not chosen" not in page


def test_submitting_without_next_steps_is_refused(world, client_as, officer):
    url = _gb_url("update", world, period=world.periods[0].label)
    response = client_as(officer).post(url, _update_post(world, next_steps=""))
    assert "Enter the next steps" in response.content.decode()
    assert not GroundbreakerUpdate.objects.exists()  # a refused form starts no draft


def test_a_stale_update_form_shows_both_versions(world, client_as, officer):
    client = client_as(officer)
    url = _gb_url("update", world, period=world.periods[0].label)
    client.post(url, _update_post(world, submit=False))
    response = client.post(url, _update_post(world, version=1, summary="My version"))
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()


def test_a_locked_period_cannot_be_updated(world, client_as, officer):
    period = world.periods[0]
    reporting_period_lock(period=period, user=world.users["programme_manager"])
    client = client_as(officer)
    url = _gb_url("update", world, period=period.label)
    response = client.post(url, _update_post(world))
    assert "is locked" in response.content.decode()
    assert not GroundbreakerUpdate.objects.exists()


# Export ------------------------------------------------------------------------------------


def test_csv_export_lists_every_activity_and_defuses_formulas(world, client_as, officer):
    ActivityFactory(programme=world.programme, title="=HYPERLINK(1)", attendees=3)
    response = client_as(officer).get(_url("activity-export-csv", world))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Date", "End date", "Title"]
    assert len(rows) == 3
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]


def test_xlsx_export_opens_in_a_spreadsheet(world, client_as, officer):
    response = client_as(officer).get(_url("activity-export-xlsx", world))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Date"
    assert rows[1][4] == "Held"
    assert rows[1][5] == "Community Supermarkets"
    assert rows[1][10] == 10


# Query counts ------------------------------------------------------------------------------


def _many_activities(world, n):
    """n activities, one in ten planned and one in twenty cancelled, each covering the
    councillor's division and for residents."""
    activities = Activity.objects.bulk_create(
        [
            Activity(
                programme=world.programme,
                groundbreaker=world.groundbreaker if i % 2 else None,
                title=f"Event {i}",
                kind="event",
                status="planned" if i % 10 == 0 else "cancelled" if i % 20 == 1 else "held",
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 500),
                attendees=i % 40,
            )
            for i in range(n)
        ]
    )
    residents = services.audience_add(council=world.council, name=f"Residents of {n}")
    Activity.places.through.objects.bulk_create(
        Activity.places.through(activity_id=a.pk, place_id=world.division.pk) for a in activities
    )
    Activity.audiences.through.objects.bulk_create(
        Activity.audiences.through(activity_id=a.pk, audience_id=residents.pk) for a in activities
    )


def _more_groundbreakers(world, n):
    for _ in range(n):
        gb = GroundbreakerFactory(programme=world.programme)
        gb.places.add(*Place.objects.all()[:2])


PAGES = [
    ("index", lambda w: reverse("groundbreakers:index")),
    ("detail", lambda w: _gb_url("detail", w)),
    ("totals", lambda w: _url("totals", w)),
    ("learning", lambda w: _url("learning", w)),
    ("updates", lambda w: _url("updates", w)),
]


def _grow(world, activities, groundbreakers, learning):
    _many_activities(world, activities)
    _more_groundbreakers(world, groundbreakers)
    for _ in range(max(1, groundbreakers // 5)):  # grants that fund it, from its programme's funds
        world.groundbreaker.grants.add(
            AwardFactory(application__round__fund__programme=world.programme)
        )
    for _ in range(learning):
        LearningEntryFactory(programme=world.programme, groundbreaker=world.groundbreaker)


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_query_counts_stay_constant_from_10_to_5000_activities(
    world, client_as, officer, django_assert_max_num_queries, name, url
):
    """The same number of queries with 10 activities as with 5,000 (and more groundbreakers,
    learning entries and grants funding the groundbreaker), and never more than 30."""
    client = client_as(officer)
    _grow(world, activities=10, groundbreakers=2, learning=2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(world)).status_code == 200
    _grow(world, activities=4990, groundbreakers=30, learning=40)
    assert Activity.objects.count() >= 5000
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as large:
        assert client.get(url(world)).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


# Adding and changing details ---------------------------------------------------------------


def test_a_programme_manager_adds_a_groundbreaker_as_proposed(world, client_as):
    client = client_as(world.users["programme_manager"])
    response = client.post(
        _url("add", world),
        {"name": "Highways to Help", "lead_service_area": "Transport", "places": []},
    )
    assert response.status_code == 302
    gb = world.programme.groundbreakers.get(name="Highways to Help")
    assert gb.status == GroundbreakerStatus.PROPOSED
    assert gb.slug == "highways-to-help"
    response = client.post(_url("add", world), {"name": "highways to help"})
    assert "already has one called" in response.content.decode()


def test_changing_details_based_on_an_old_version_shows_both_versions(world, client_as, officer):
    client = client_as(officer)
    url = _gb_url("change", world)
    first = {
        "version": 1,
        "name": "Community Supermarkets",
        "lead_officer": officer.pk,
        "sponsor": "Director of Communities",
    }
    assert client.post(url, first).status_code == 302
    world.groundbreaker.refresh_from_db()
    assert world.groundbreaker.sponsor == "Director of Communities"
    stale = {**first, "sponsor": "Someone else"}
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    world.groundbreaker.refresh_from_db()
    assert world.groundbreaker.sponsor == "Director of Communities"


def test_a_closed_groundbreaker_offers_no_further_status(world, client_as, officer):
    world.groundbreaker.status = GroundbreakerStatus.CLOSED
    world.groundbreaker.save()
    page = client_as(officer).get(_gb_url("status", world)).content.decode()
    assert "is a final status" in page


# Correcting an activity --------------------------------------------------------------------


def _change_url(world, activity):
    return _url("activity-change", world, pk=activity.pk)


def test_correcting_an_activity_keeps_the_old_figures_in_history(world, client_as, officer):
    activity = world.activity
    activity.sessions = 4
    activity.save()
    client = client_as(officer)
    form = client.get(_change_url(world, activity)).content.decode()
    assert 'value="10"' in form  # the attendees it has now
    post = _activity_post(world, title=activity.title, attendees="12")
    post.update(date_0=activity.date.day, date_1=activity.date.month, date_2=activity.date.year)
    response = client.post(_change_url(world, activity), post)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.attendees, activity.sessions) == (12, 4)
    assert [h.attendees for h in activity.history.order_by("history_date")][-2:] == [10, 12]
    assert activity.history.first().history_user == officer


def test_a_correction_with_a_negative_count_is_refused(world, client_as, officer):
    post = _activity_post(world, attendees="-12")
    response = client_as(officer).post(_change_url(world, world.activity), post)
    assert "must be 0 or more" in response.content.decode()
    world.activity.refresh_from_db()
    assert world.activity.attendees == 10


def test_an_activity_in_another_programme_cannot_be_corrected(world, client_as, officer):
    elsewhere = ActivityFactory(programme=ProgrammeFactory())
    assert client_as(officer).get(_change_url(world, elsewhere)).status_code == 404


def test_two_people_correcting_an_activity_at_once_conflict(world, client_as, officer):
    activity = world.activity
    opened_at = activity.version

    def correct(user, attendees):
        post = _activity_post(world, title=activity.title, attendees=attendees)
        post.update(
            date_0=activity.date.day,
            date_1=activity.date.month,
            date_2=activity.date.year,
            version=opened_at,
        )
        return client_as(user).post(_change_url(world, activity), post)

    assert correct(officer, "12").status_code == 302
    response = correct(world.users["programme_manager"], "15")
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    activity.refresh_from_db()
    assert (activity.attendees, activity.version) == (12, opened_at + 1)
