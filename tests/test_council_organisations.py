"""Organisations per council: one portal-wide record each, but a council's staff see, pick and
match only the organisations linked to their council (programmes.organisations).

In the two-council world, "Feed the Hungry" works with Warwickshire (it applied to its fund and
partners its groundbreaker) and "Other Org" with Westmorland and Furness."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpw.accounts.models import Organisation, Role
from groundbreakers import services as groundbreaker_services
from programmes import plan_io, services
from programmes.models import Commitment
from programmes.organisations import organisation_by_exact_name, organisation_list_for_council
from tests.accounts.factories import OrganisationFactory, user_with_role
from tests.funds.factories import ApplicationFactory, RoundFactory
from tests.groundbreakers.factories import ActivityFactory, GroundbreakerFactory
from tests.programmes.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

WARWICKSHIRE_ORG = "Feed the Hungry"
WF_ORG = "Other Org"


def _names(council):
    return set(organisation_list_for_council(council).values_list("name", flat=True))


# The selector ------------------------------------------------------------------------------


def test_each_council_sees_only_its_own_partner_organisation(world):
    OrganisationFactory(name="Works with nobody")
    assert WARWICKSHIRE_ORG in _names(world.council)
    assert WF_ORG not in _names(world.council)
    assert WF_ORG in _names(world.other.council)
    assert WARWICKSHIRE_ORG not in _names(world.other.council)
    assert "Works with nobody" not in _names(world.council) | _names(world.other.council)


def _link_by_lead(world, org):
    CommitmentFactory(plan=world.other.commitment.plan, leads=[]).lead_organisations.add(org)


def _link_by_staff(world, org):
    user_with_role(Role.STEERING_GROUP, world.other.programme, organisation=org)


def _link_by_application(world, org):
    ApplicationFactory(
        submitted=True, organisation=org, round__fund__programme=world.other.programme
    )


def _link_by_invitation(world, org):
    RoundFactory(fund__programme=world.other.programme).invited_organisations.add(org)


def _link_by_partnership(world, org):
    GroundbreakerFactory(programme=world.other.programme).partners.add(org)


def _link_by_working_group(world, org):
    groundbreaker_services.working_group_member_add(
        groundbreaker=world.other.groundbreaker, name="Sam", organisation=org, user=None
    )


def _link_by_activity(world, org):
    ActivityFactory(programme=world.other.programme).partners.add(org)


@pytest.mark.parametrize(
    "link",
    [
        _link_by_lead,
        _link_by_staff,
        _link_by_application,
        _link_by_invitation,
        _link_by_partnership,
        _link_by_working_group,
        _link_by_activity,
    ],
)
def test_every_kind_of_link_links_an_organisation_to_that_council_only(world, link):
    org = OrganisationFactory(name="Eden Community Trust")
    assert org.name not in _names(world.other.council)
    link(world, org)
    assert org.name in _names(world.other.council)
    assert org.name not in _names(world.council)


def test_a_draft_application_does_not_link_the_organisation(world):
    org = OrganisationFactory(name="Still Drafting")
    ApplicationFactory(organisation=org, round__fund__programme=world.other.programme)
    assert "Still Drafting" not in _names(world.other.council)


def test_the_list_is_one_query_however_many_organisations(world, django_assert_num_queries):
    before = len(_names(world.other.council))
    for i in range(20):
        _link_by_partnership(world, OrganisationFactory(name=f"Partner {i}"))
        OrganisationFactory(name=f"Elsewhere {i}")
    with django_assert_num_queries(1):
        assert len(list(organisation_list_for_council(world.other.council))) == before + 20


# Pages and option lists --------------------------------------------------------------------


def _wf_pages(world):
    other = world.other
    gb = {"programme": other.programme.slug, "slug": other.groundbreaker.slug}
    return [
        reverse("programmes:commitment-change", args=[other.commitment.pk]),
        reverse("groundbreakers:add", kwargs={"programme": other.programme.slug}),
        reverse("groundbreakers:change", kwargs=gb),
        reverse("groundbreakers:member-add", kwargs=gb),
        reverse("groundbreakers:activity-add", kwargs={"programme": other.programme.slug}),
        reverse(
            "groundbreakers:activity-change",
            kwargs={"programme": other.programme.slug, "pk": other.activity.pk},
        ),
    ]


@pytest.mark.parametrize("role", [Role.COUNCIL_ADMIN.value, Role.PROGRAMME_MANAGER.value])
def test_wf_staff_forms_never_offer_a_warwickshire_organisation(world, client_as, role):
    client = client_as(world.other.users[role])
    for url in _wf_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert WARWICKSHIRE_ORG not in html, url
    # ...while the forms that pick organisations offer W&F's own (the working-group form
    # takes a name, and lists none)
    for url in [u for u in _wf_pages(world) if "working-group" not in u]:
        assert WF_ORG in client.get(url).content.decode(), url


def _commitment_post(commitment, **extra):
    return {
        "title": commitment.title,
        "description": "",
        "group": commitment.group_id,
        "status": "on_track",
        "progress": 10,
        "version": commitment.version,
        **extra,
    }


def test_posting_another_councils_organisation_as_a_lead_is_refused(world, client_as):
    commitment = world.other.commitment
    warwickshire = world.partner_organisation
    client = client_as(world.other.users[Role.PROGRAMME_MANAGER.value])
    url = reverse("programmes:commitment-change", args=[commitment.pk])
    response = client.post(url, _commitment_post(commitment, lead_organisations=[warwickshire.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose only organisations that work with this council" in html
    assert WARWICKSHIRE_ORG not in html
    assert not commitment.lead_organisations.exists()
    # the council's own organisation is accepted
    response = client.post(
        url, _commitment_post(commitment, lead_organisations=[world.other_organisation.pk])
    )
    assert response.status_code == 302
    assert list(commitment.lead_organisations.all()) == [world.other_organisation]


def test_a_lead_organisation_added_by_name_links_the_existing_record(world, client_as):
    commitment = world.other.commitment
    client = client_as(world.other.users[Role.PROGRAMME_MANAGER.value])
    url = reverse("programmes:commitment-change", args=[commitment.pk])
    count = Organisation.objects.count()
    response = client.post(
        url, _commitment_post(commitment, new_lead_organisation="  feed the  HUNGRY ")
    )
    assert response.status_code == 302
    assert list(commitment.lead_organisations.all()) == [world.partner_organisation]
    assert Organisation.objects.count() == count  # the one record, now linked to W&F too
    assert WARWICKSHIRE_ORG in _names(world.other.council)

    commitment.refresh_from_db()
    response = client.post(
        url, _commitment_post(commitment, new_lead_organisation="Kendal Food Bank")
    )
    assert response.status_code == 302
    assert {o.name for o in commitment.lead_organisations.all()} == {"Kendal Food Bank"}
    assert Organisation.objects.count() == count + 1


def test_posting_another_councils_organisation_as_a_partner_is_refused(world, client_as):
    other = world.other
    warwickshire = world.partner_organisation
    client = client_as(other.users[Role.PROGRAMME_MANAGER.value])
    gb = other.groundbreaker
    url = reverse(
        "groundbreakers:change", kwargs={"programme": other.programme.slug, "slug": gb.slug}
    )
    response = client.post(
        url, {"name": gb.name, "partners": [warwickshire.pk], "version": gb.version}
    )
    assert response.status_code == 200
    assert "Choose only organisations that work with this council" in response.content.decode()
    assert warwickshire not in gb.partners.all()

    today = datetime.date.today()
    response = client.post(
        reverse("groundbreakers:activity-add", kwargs={"programme": other.programme.slug}),
        {
            "title": "Drop-in",
            "kind": "event",
            "status": "held",
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "partners": [warwickshire.pk],
        },
    )
    assert response.status_code == 200
    assert "Choose only organisations that work with this council" in response.content.decode()
    assert not other.programme.activities.filter(title="Drop-in").exists()


def test_a_working_group_member_organisation_is_linked_by_its_exact_name(world, client_as):
    other = world.other
    client = client_as(other.users[Role.PROGRAMME_MANAGER.value])
    url = reverse(
        "groundbreakers:member-add",
        kwargs={"programme": other.programme.slug, "slug": other.groundbreaker.slug},
    )
    response = client.post(url, {"name": "Pat", "organisation_name": "FEED THE HUNGRY"})
    assert response.status_code == 302
    member = other.groundbreaker.working_group.get(name="Pat")
    assert member.organisation == world.partner_organisation
    response = client.post(url, {"name": "Jo", "organisation_name": "Penrith Allotments"})
    assert response.status_code == 302
    member = other.groundbreaker.working_group.get(name="Jo")
    assert member.organisation is None and member.display_organisation == "Penrith Allotments"
    assert not Organisation.objects.filter(name="Penrith Allotments").exists()


def test_the_commitment_form_query_count_does_not_grow_with_organisations(
    world, client_as, django_assert_max_num_queries
):
    client = client_as(world.other.users[Role.PROGRAMME_MANAGER.value])
    url = reverse("programmes:commitment-change", args=[world.other.commitment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        _link_by_partnership(world, OrganisationFactory(name=f"Partner {i}"))
        OrganisationFactory(name=f"Elsewhere {i}")
    with django_assert_max_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert "Partner 29" in html and "Elsewhere 29" not in html


# The delivery-plan import ------------------------------------------------------------------

HEADER = "Group,Commitment,Description,Leads,Milestones,Due_Date,Status,Latest_Update\n"


def _table(leads):
    content = (HEADER + f"Engagement,Locality panels,,{leads},,2026-03-31,On track,\n").encode()
    return plan_io.read_table("plan.csv", content)


def test_the_plan_import_matches_only_the_councils_people(world):
    warwickshire_officer = world.users[Role.OFFICER.value]
    warwickshire_officer.full_name = "Sam Taylor"
    warwickshire_officer.save()
    rows = plan_io.check_rows(
        _table("Sam Taylor"), council_id=world.other.council.pk, unmatched="error"
    )
    assert rows[0].users == []
    assert "Lead 'Sam Taylor' does not match anyone working with the council" in rows[0].errors[0]
    # by email neither
    rows = plan_io.check_rows(_table(warwickshire_officer.email), council_id=world.other.council.pk)
    assert rows[0].users == [] and rows[0].errors

    # a W&F person with the same name is matched, and is not "ambiguous"
    wf_person = user_with_role(Role.OFFICER, world.other.programme, full_name="Sam Taylor")
    rows = plan_io.check_rows(_table("Sam Taylor"), council_id=world.other.council.pk)
    assert rows[0].users == [wf_person] and rows[0].errors == []
    # a council admin is one of the council's people
    admin = world.other.users[Role.COUNCIL_ADMIN.value]
    rows = plan_io.check_rows(_table(admin.email), council_id=world.other.council.pk)
    assert rows[0].users == [admin]


def test_the_plan_import_matches_only_the_councils_organisations(world):
    rows = plan_io.check_rows(
        _table(f"{WARWICKSHIRE_ORG}; {WF_ORG}"), council_id=world.other.council.pk, unmatched="skip"
    )
    assert rows[0].organisations == [world.other_organisation]

    # creating unmatched leads links the existing record by its exact name, without a duplicate
    count = Organisation.objects.count()
    services.delivery_plan_import(
        programme=world.other.programme, table=_table(WARWICKSHIRE_ORG), unmatched="create"
    )
    commitment = Commitment.objects.get(title="Locality panels")
    assert list(commitment.lead_organisations.all()) == [world.partner_organisation]
    assert Organisation.objects.count() == count


def test_the_plan_import_preview_does_not_show_another_councils_people(world, client_as):
    warwickshire_officer = world.users[Role.OFFICER.value]
    warwickshire_officer.full_name = "Only In Warwickshire"
    warwickshire_officer.save()
    client = client_as(world.other.users[Role.PROGRAMME_MANAGER.value])
    slug = world.other.programme.slug
    content = HEADER + f"Engagement,Locality panels,,{warwickshire_officer.email},,,,\n"
    response = client.post(
        reverse("programmes:plan-import", kwargs={"slug": slug}),
        {
            "file": SimpleUploadedFile("plan.csv", content.encode(), "text/csv"),
            "unmatched_leads": "error",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("programmes:plan-import-check", kwargs={"slug": slug})).content
    html = html.decode()
    assert "does not match anyone working with the council" in html
    assert warwickshire_officer.full_name not in html


def test_a_partner_new_to_the_council_is_added_by_its_exact_name(world, client_as):
    other = world.other
    client = client_as(other.users[Role.PROGRAMME_MANAGER.value])
    gb = other.groundbreaker
    url = reverse(
        "groundbreakers:change", kwargs={"programme": other.programme.slug, "slug": gb.slug}
    )
    count = Organisation.objects.count()
    response = client.post(
        url,
        {
            "name": gb.name,
            "partners": [world.other_organisation.pk],
            "new_partner": "Feed The Hungry",
            "version": gb.version,
        },
    )
    assert response.status_code == 302
    assert set(gb.partners.all()) == {world.other_organisation, world.partner_organisation}
    assert Organisation.objects.count() == count

    today = datetime.date.today()
    response = client.post(
        reverse("groundbreakers:activity-add", kwargs={"programme": other.programme.slug}),
        {
            "title": "Drop-in",
            "kind": "event",
            "status": "held",
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "new_partner": "Barrow Youth Club",
        },
    )
    assert response.status_code == 302
    activity = other.programme.activities.get(title="Drop-in")
    assert [o.name for o in activity.partners.all()] == ["Barrow Youth Club"]
    assert "Barrow Youth Club" in _names(other.council)
    assert "Barrow Youth Club" not in _names(world.council)


@given(name=st.text(min_size=1, max_size=200))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_linking_by_name_never_duplicates_an_organisation(db, name):
    name = name.replace("\x00", "")
    if not " ".join(name.split()):
        with pytest.raises(ValueError):
            organisation_by_exact_name(name)
        return
    first = organisation_by_exact_name(name)
    again = organisation_by_exact_name(name.upper())
    assert first.name == " ".join(name.split())
    if first.name.isascii():  # SQLite folds the case of ASCII letters only
        assert again == first
    assert Organisation.objects.filter(name__iexact=first.name).count() == 1


def test_a_lead_too_long_for_an_organisation_name_is_a_row_error(world):
    rows = plan_io.check_rows(
        _table("x" * 201), council_id=world.other.council.pk, unmatched="create"
    )
    assert rows[0].new_organisations == []
    assert "too long for an organisation's name" in rows[0].errors[0]
