"""The engagement log as real programmes keep it: audiences from the council's own list, planned
activities (future dates) recorded as held later, several places per activity (the programme's
council's only), totals that count only what was held, and the all-or-nothing import."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cpw.accounts.models import Organisation, Role
from cpw.core import tabular
from groundbreakers import activity_io, services
from groundbreakers.models import DEFAULT_AUDIENCES, Activity, ActivityStatus, Audience
from groundbreakers.selectors import (
    activity_totals,
    activity_totals_by_groundbreaker,
    activity_totals_by_kind,
    audience_list,
)
from programmes.models import PlaceKind
from reporting.sections.groundbreakers import GroundbreakersSection
from tests.accounts.factories import OrganisationFactory
from tests.programmes.factories import CouncilFactory, PlaceFactory, ProgrammeFactory

from .factories import ActivityFactory, GroundbreakerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_test]

TODAY = datetime.date.today()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def programme(db):
    return ProgrammeFactory(slug="cpw")


@pytest.fixture
def places(programme):
    council = programme.council
    return {
        "lillington": PlaceFactory(
            council=council, name="Lillington", kind=PlaceKind.DIVISION, ons_code="E05012345"
        ),
        "bedworth": PlaceFactory(council=council, name="Bedworth", kind=PlaceKind.DIVISION),
        "elsewhere": PlaceFactory(
            council=CouncilFactory(unitary=True), name="Penrith", kind=PlaceKind.WARD
        ),
    }


def _log(programme, **extra):
    fields = {
        "programme": programme,
        "title": "Coffee morning",
        "kind": "event",
        "date": datetime.date(2024, 5, 1),
        "user": None,
    }
    return services.activity_log(**{**fields, **extra})


# Planned, held, cancelled ---------------------------------------------------------------------


def test_a_planned_activity_may_be_in_the_future(programme):
    activity = _log(programme, status=ActivityStatus.PLANNED, date=NEXT_MONTH)
    assert (activity.status, activity.date) == ("planned", NEXT_MONTH)


def test_a_held_activity_in_the_future_is_refused(programme):
    with pytest.raises(ValidationError, match="If it has not happened yet, choose planned"):
        _log(programme, status=ActivityStatus.HELD, date=NEXT_MONTH)
    assert not Activity.objects.exists()


def test_a_planned_activity_is_recorded_as_held_with_its_figures(programme):
    activity = _log(programme, status=ActivityStatus.PLANNED, date=TODAY)
    assert activity_totals(programme=programme)["activities"] == 0
    services.activity_change(
        activity=activity,
        user=None,
        title=activity.title,
        kind=activity.kind,
        date=TODAY,
        status=ActivityStatus.HELD,
        attendees=31,
    )
    totals = activity_totals(programme=programme)
    assert (totals["activities"], totals["attendees"]) == (1, 31)


def test_totals_count_only_held_activities(programme):
    gb = GroundbreakerFactory(programme=programme)
    ActivityFactory(programme=programme, groundbreaker=gb, attendees=10)
    ActivityFactory(programme=programme, groundbreaker=gb, attendees=500, status="planned")
    ActivityFactory(programme=programme, attendees=700, status="cancelled")
    ActivityFactory(programme=programme, attendees=5, hours_of_conversation=2)
    totals = activity_totals(programme=programme)
    assert (totals["activities"], totals["attendees"]) == (2, 15)
    assert activity_totals(programme=programme, council_led=True)["attendees"] == 15
    by_gb = {row["name"]: row["attendees"] for row in activity_totals_by_groundbreaker(programme)}
    assert by_gb == {gb.name: 10, None: 5}
    assert [row["attendees"] for row in activity_totals_by_kind(programme)] == [15]


def test_the_report_counts_only_held_activities(programme):
    from programmes.services import reporting_periods_ensure

    period = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")[0]
    gb = GroundbreakerFactory(programme=programme)
    in_q1 = period.start
    ActivityFactory(programme=programme, groundbreaker=gb, date=in_q1, attendees=12)
    ActivityFactory(
        programme=programme, groundbreaker=gb, date=in_q1, attendees=99, status="planned"
    )
    ActivityFactory(programme=programme, date=in_q1, attendees=40, status="cancelled")
    data = GroundbreakersSection().build(programme=programme, period=period, as_of=TODAY)
    row = data["rows"][0]
    assert row["in_period"]["attendees"] == 12
    assert row["in_period"]["activities"] == 1
    assert row["to_date"] == {**row["to_date"], "activities": 1, "attendees": 12}
    assert data["programme_in_period"]["attendees"] == 12
    assert data["programme_to_date"]["attendees"] == 12


# Places and audiences -------------------------------------------------------------------------


def test_an_activity_covers_several_places(programme, places):
    activity = _log(programme, places=[places["lillington"], places["bedworth"]])
    assert {p.name for p in activity.places.all()} == {"Lillington", "Bedworth"}


def test_another_councils_place_is_refused(programme, places):
    with pytest.raises(ValidationError, match="Choose only places in"):
        _log(programme, places=[places["lillington"], places["elsewhere"]])
    assert not Activity.objects.exists()


def test_audiences_start_with_the_defaults_and_the_council_extends_them(programme):
    council = programme.council
    assert audience_list(council.pk) == DEFAULT_AUDIENCES  # before any is saved: nothing written
    assert not Audience.objects.exists()
    services.audience_add(council=council, name="  Faith   groups ")
    names = audience_list(council.pk)
    assert names == [*DEFAULT_AUDIENCES, "Faith groups"]
    with pytest.raises(ValidationError, match="already in the list"):
        services.audience_add(council=council, name="residents")
    other = CouncilFactory(unitary=True)
    assert "Faith groups" not in audience_list(other.pk)


def test_an_activity_is_for_audiences_of_its_council_only(programme):
    activity = _log(programme, audiences=["residents", "Young people"])
    assert [a.name for a in activity.audiences.order_by("order")] == ["Residents", "Young people"]
    assert {a.council_id for a in activity.audiences.all()} == {programme.council_id}
    with pytest.raises(ValidationError, match="not in .* list of audiences"):
        _log(programme, title="Another", audiences=["Martians"])


# The form -------------------------------------------------------------------------------------


def _url(name, world):
    return reverse(f"groundbreakers:{name}", kwargs={"programme": world.programme.slug})


def _post(world, **extra):
    data = {
        "title": "Parish councils briefing",
        "kind": "event",
        "status": "planned",
        "date_0": NEXT_MONTH.day,
        "date_1": NEXT_MONTH.month,
        "date_2": NEXT_MONTH.year,
        "council_led": "on",
        "audiences": ["Town and parish councils", "Councillors"],
        "places": [world.division.pk],
    }
    data.update(extra)
    return data


def test_the_form_logs_a_planned_activity_for_later(world, client_as):
    client = client_as(world.users[Role.OFFICER.value])
    page = client.get(_url("activity-add", world)).content.decode()
    assert "Town and parish councils" in page
    assert world.division.name in page
    assert world.other.division.name not in page  # another council's places are not offered
    response = client.post(_url("activity-add", world), _post(world))
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get(title="Parish councils briefing")
    assert activity.status == "planned"
    assert list(activity.places.all()) == [world.division]
    totals = client.get(_url("totals", world)).content.decode()
    assert "Planned activities" in totals
    assert "Parish councils briefing" in totals


def test_the_form_refuses_a_held_activity_in_the_future(world, client_as):
    client = client_as(world.users[Role.OFFICER.value])
    response = client.post(_url("activity-add", world), _post(world, status="held"))
    assert response.status_code == 200
    assert "If it has not happened yet, choose planned" in response.content.decode()
    assert not Activity.objects.filter(title="Parish councils briefing").exists()


def test_the_form_refuses_another_councils_place(world, client_as):
    client = client_as(world.users[Role.OFFICER.value])
    response = client.post(
        _url("activity-add", world), _post(world, places=[world.other.division.pk])
    )
    assert response.status_code == 200
    assert "Choose only places in this programme" in response.content.decode()
    assert not Activity.objects.filter(title="Parish councils briefing").exists()


def test_a_programme_manager_adds_an_audience(world, client_as):
    client = client_as(world.users[Role.PROGRAMME_MANAGER.value])
    response = client.post(_url("audiences", world), {"name": "Farmers"})
    assert response.status_code == 302
    assert "Farmers" in client.get(_url("audiences", world)).content.decode()
    assert "Farmers" in audience_list(world.council.pk)
    assert "Farmers" not in audience_list(world.other.council.pk)
    response = client.post(_url("audiences", world), {"name": ""})
    assert "Enter the name of the audience" in response.content.decode()


# The import -----------------------------------------------------------------------------------

HEADER = "date,title,kind,status,audiences,places,groundbreaker,attendees,hours,partners,notes\n"


def _rows(*lines):
    return activity_io.read_table("log.csv", (HEADER + "\n".join(lines) + "\n").encode())


def test_an_engagement_log_is_imported(programme, places):
    gb = GroundbreakerFactory(programme=programme, name="Community Supermarkets")
    OrganisationFactory(name="Feed the Hungry")
    summary = activity_io.activities_import(
        programme=programme,
        rows=_rows(
            "2024-05-01,Market stall,Event,held,Residents; young people,"
            "Lillington;Bedworth,Community Supermarkets,40,2.5,Feed the Hungry,Busy",
            f"{NEXT_MONTH.isoformat()},Parish briefing,online event,,Town and parish councils,"
            "E05012345,,,,,",
            "02/06/2024,Rained off,workshop,cancelled,,,,,,,",
        ),
    )
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    stall = Activity.objects.get(title="Market stall")
    assert (stall.groundbreaker, stall.attendees, str(stall.hours_of_conversation)) == (
        gb,
        40,
        "2.5",
    )
    assert {p.name for p in stall.places.all()} == {"Lillington", "Bedworth"}
    assert {a.name for a in stall.audiences.all()} == {"Residents", "Young people"}
    assert [o.name for o in stall.partners.all()] == ["Feed the Hungry"]
    briefing = Activity.objects.get(title="Parish briefing")
    assert briefing.status == "planned"  # a blank status in the future is planned
    assert list(briefing.places.all()) == [places["lillington"]]
    assert Activity.objects.get(title="Rained off").status == "cancelled"
    assert activity_totals(programme=programme)["attendees"] == 40


def test_importing_the_same_file_again_changes_nothing_and_records_planned_as_held(programme):
    line = "2024-05-01,Market stall,Event,planned,Residents,,,,,,"
    activity_io.activities_import(programme=programme, rows=_rows(line))
    again = activity_io.activities_import(programme=programme, rows=_rows(line))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    held = activity_io.activities_import(
        programme=programme, rows=_rows("2024-05-01,market stall,Event,held,Residents,,,25,,,")
    )
    assert (held.created, held.updated) == (0, 1)
    activity = Activity.objects.get()
    assert (activity.status, activity.attendees) == ("held", 25)


def test_a_file_with_any_bad_row_imports_nothing(programme, places):
    with pytest.raises(tabular.ImportRejected) as rejected:
        activity_io.activities_import(
            programme=programme,
            rows=_rows(
                "2024-05-01,Good row,Event,held,,,,10,,,",
                f"{NEXT_MONTH.isoformat()},Held in the future,Event,held,,,,,,,",
                "2024-05-02,Elsewhere,Event,held,,Penrith,,,,,",
                "2024-05-03,Odd,Party,held,Martians,,Nobody,-3,,No such org,",
                "not a date,Undated,Event,held,,,,,,,",
                "2024-05-01,Good row,Event,held,,,,10,,,",
            ),
        )
    errors = {(e.row, e.column): e.message for e in rejected.value.row_errors}
    assert "cannot be in the future" in errors[(3, "date")]
    assert "'Penrith' is not a place in" in errors[(4, "places")]
    assert "is not a type of activity" in errors[(5, "kind")]
    assert "list of audiences" in errors[(5, "audiences")]
    assert "groundbreakers" in errors[(5, "groundbreaker")]
    assert "must be 0 or more" in errors[(5, "attendees")]
    assert (5, "partners") not in errors  # a new partner is added, as the form does
    assert "is not a date" in errors[(6, "date")]
    assert "also in row 2" in errors[(7, "title")]
    assert not Activity.objects.exists()
    assert not Organisation.objects.filter(name="No such org").exists()


def test_a_file_without_the_needed_columns_is_refused():
    with pytest.raises(ValidationError, match="no kind column"):
        activity_io.read_table("log.csv", b"date,title\n2024-05-01,Stall\n")


def test_the_export_imports_back_unchanged(world, client_as):
    client = client_as(world.users[Role.PROGRAMME_MANAGER.value])
    response = client.get(_url("activity-export-xlsx", world))
    rows = activity_io.read_table("log.xlsx", response.content)
    summary = activity_io.activities_import(programme=world.programme, rows=rows)
    assert (summary.created, summary.updated) == (0, 0)
    assert summary.unchanged == Activity.objects.filter(programme=world.programme).count()


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def test_the_upload_page_imports_a_file(world, client_as):
    client = client_as(world.users[Role.PROGRAMME_MANAGER.value])
    content = _xlsx(
        [
            ["Date", "Title", "Type", "Status", "Audiences", "Places", "Attendance"],
            [
                datetime.datetime(2024, 6, 3),
                "Library drop-in",
                "Event",
                "Held",
                "Residents",
                world.division.name,
                18,
            ],
        ]
    )
    upload = SimpleUploadedFile("log.xlsx", content)
    response = client.post(_url("activity-import", world), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get(title="Library drop-in")
    assert (activity.date, activity.attendees) == (datetime.date(2024, 6, 3), 18)
    assert list(activity.places.all()) == [world.division]


def test_the_upload_page_lists_row_errors_and_saves_nothing(world, client_as):
    client = client_as(world.users[Role.PROGRAMME_MANAGER.value])
    before = Activity.objects.count()
    content = (HEADER + f"2024-05-01,Stall,Event,held,,{world.other.division.name},,,,,\n").encode()
    upload = SimpleUploadedFile("log.csv", content)
    response = client.post(_url("activity-import", world), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f"&#x27;{world.other.division.name}&#x27; is not a place in" in page
    assert Activity.objects.count() == before


def test_the_upload_page_refuses_a_file_that_is_not_a_table(world, client_as):
    client = client_as(world.users[Role.PROGRAMME_MANAGER.value])
    upload = SimpleUploadedFile("log.csv", b"%PDF-1.4 not a table")
    response = client.post(_url("activity-import", world), {"file": upload})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_template_downloads_and_imports(world, client_as):
    client = client_as(world.users[Role.PROGRAMME_MANAGER.value])
    response = client.get(_url("activity-import-template", world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = activity_io.read_table("template.csv", response.content)
    assert list(rows[0][1]) == activity_io.COLUMNS
    summary = activity_io.activities_import(programme=world.programme, rows=rows)
    assert summary.created == 2


def test_the_command_imports_all_or_nothing(programme, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "2024-05-01,Stall,Event,held,Residents,,,12,,,\n")
    out = io.StringIO()
    call_command("import_activities", programme.slug, str(good), stdout=out)
    assert "1 new" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "2024-05-02,Another,Event,held,,,,,,,\n2024-05-03,Bad,Event,maybe,,,,,,,\n"
    )
    with pytest.raises(CommandError, match="Row 3, status"):
        call_command("import_activities", programme.slug, str(bad))
    assert list(Activity.objects.values_list("title", flat=True)) == ["Stall"]


# Hostile files --------------------------------------------------------------------------------

CELL = st.one_of(
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=40),
    st.sampled_from(
        [
            "",
            "2024-05-01",
            "31/02/2024",
            "held",
            "planned",
            "Event",
            "-1",
            "1e9",
            "NaN",
            "=1+1",
            "Residents;;",
            ";",
            "Lillington",
            "E05012345",
            "yes",
            "maybe",
            "2.55",
            "9" * 30,
        ]
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.lists(CELL, min_size=11, max_size=11), min_size=1, max_size=4))
def test_any_file_is_imported_whole_or_refused_with_row_errors(programme, places, rows):
    """Whatever the cells hold, the import either saves every row or raises ImportRejected
    (or a plain ValidationError) and saves nothing: never a crash, never half a file."""
    before = Activity.objects.count()
    header = HEADER.strip().split(",")
    table = [
        (number, dict(zip(header, cells, strict=True)))
        for number, cells in enumerate(rows, start=2)
    ]
    try:
        summary = activity_io.activities_import(programme=programme, rows=table)
    except ValidationError as exc:
        assert exc.messages
        assert Activity.objects.count() == before
    else:
        assert Activity.objects.count() == before + summary.created
        assert summary.created + summary.updated + summary.unchanged == len(rows)


def test_a_partner_new_to_the_portal_is_added_and_an_unknown_name_reveals_nothing(programme):
    OrganisationFactory(name="Eden Community Trust")  # on the portal through another council
    activity_io.activities_import(
        programme=programme,
        rows=_rows(
            "2024-05-01,Market stall,Event,held,Residents,,,,,Eden Community Trust; New  Pantry,"
        ),
    )
    stall = Activity.objects.get(title="Market stall")
    assert sorted(o.name for o in stall.partners.all()) == ["Eden Community Trust", "New Pantry"]
    assert Organisation.objects.filter(name__iexact="new pantry").count() == 1


def test_cells_longer_than_their_columns_are_row_errors_and_nothing_is_saved(programme):
    with pytest.raises(tabular.ImportRejected) as rejected:
        activity_io.activities_import(
            programme=programme,
            rows=_rows(
                f"2024-05-01,{'t' * 201},Event,held,,,,,,,",
                f"2024-05-02,Stall,Event,held,,,,,,{'P' * 201},{'n' * 10_001}",
            ),
        )
    errors = {(e.row, e.column): e.message for e in rejected.value.row_errors}
    assert errors[(2, "title")] == "Enter the title in 200 characters or fewer"
    assert errors[(3, "notes")] == "Enter the notes in 10,000 characters or fewer"
    assert "in 200 characters or fewer" in errors[(3, "partners")]
    assert not Activity.objects.exists()
    assert not Organisation.objects.filter(name__startswith="PPP").exists()
