"""Governance bodies: a programme answers to any number of them (steering group, scrutiny
committee, cabinet, senior leadership team), kept on GOV.UK pages by its managers and its
council's admins; the bodies that receive the quarterly report are listed in it and emailed."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role
from programmes.models import GovernanceBody, GovernanceBodyMember
from programmes.services import governance_bodies_copy, reporting_periods_ensure
from reporting import services as report_services
from reporting.notifications import report_recipients
from tests.accounts.factories import user_with_role
from tests.programmes.factories import (
    GovernanceBodyFactory,
    GovernanceBodyMemberFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_bodies_yet(world):
    """Each test sets up its own bodies (the access world gives each programme one)."""
    GovernanceBody.objects.all().delete()


BODY = {
    "name": "Scrutiny Committee",
    "chair": "Chair of Scrutiny",
    "meeting_cadence": "Every two months",
    "delivery_team": "",
    "receives_quarterly_report": "True",
}


def _url(name, programme, *args):
    return reverse(f"programmes:{name}", args=[programme.slug, *args])


def _add_body(client, programme, **overrides):
    return client.post(_url("governance-add", programme), {**BODY, **overrides})


def test_council_admin_sets_up_wf_scrutiny_cabinet_and_slt(world, client_as):
    """Westmorland and Furness reports to a Scrutiny Committee and the Cabinet; its Senior
    Leadership Team sees the programme but does not receive the quarterly report."""
    wf = world.other.programme
    admin = world.other.users[Role.COUNCIL_ADMIN]  # no role in the programme itself
    client = client_as(admin)
    response = _add_body(client, wf)
    scrutiny = GovernanceBody.objects.get(programme=wf, name="Scrutiny Committee")
    assert response["Location"] == _url("governance-change", wf, scrutiny.pk)
    _add_body(client, wf, name="Cabinet", chair="Leader of the Council", meeting_cadence="Monthly")
    _add_body(
        client,
        wf,
        name="Senior Leadership Team",
        chair="Chief Executive",
        receives_quarterly_report="False",
    )
    bodies = {b.name: b for b in GovernanceBody.objects.filter(programme=wf)}
    assert set(bodies) == {"Scrutiny Committee", "Cabinet", "Senior Leadership Team"}
    assert bodies["Cabinet"].receives_quarterly_report
    assert not bodies["Senior Leadership Team"].receives_quarterly_report

    steering = world.other.users[Role.STEERING_GROUP]
    response = client.post(
        _url("governance-member-add", wf, bodies["Cabinet"].pk),
        {"name": "", "position": "Portfolio Holder for Communities", "user": steering.pk},
    )
    assert response["Location"] == _url("governance-change", wf, bodies["Cabinet"].pk)
    member = bodies["Cabinet"].members.get()
    assert member.name == steering.full_name and member.user == steering  # name from the account
    client.post(
        _url("governance-member-add", wf, bodies["Cabinet"].pk),
        {"name": "Leader of the Council", "position": "Leader", "is_chair": "on"},
    )
    client.post(
        _url("governance-member-add", wf, bodies["Senior Leadership Team"].pk),
        {"name": "Chief Executive", "position": "Head of paid service", "is_chair": "on"},
    )

    page = client.get(_url("governance-list", wf)).content.decode()
    for name in (
        "Scrutiny Committee",
        "Cabinet",
        "Senior Leadership Team",
        "Leader of the Council",
    ):
        assert name in page
    assert "Warwickshire" not in page
    # Audited: who made each change.
    assert bodies["Cabinet"].history.get().history_user == admin
    assert member.history.get().history_user == admin

    # The programme page shows the governance to everyone in the programme.
    officer_page = client_as(world.other.users[Role.OFFICER]).get(
        reverse("programmes:programme-detail", args=[wf.slug])
    )
    text = officer_page.content.decode()
    assert "Scrutiny Committee" in text and "Chief Executive" in text
    assert "Change the governance bodies" not in text

    # The report W&F compiles goes to the Scrutiny Committee and the Cabinet, not the SLT.
    (period,) = reporting_periods_ensure(programme=wf, first="2024-Q1", last="2024-Q1")
    report = report_services.report_compile_now(programme=wf, period=period)
    (section,) = [s for s in report.snapshot["sections"] if s["key"] == "programme"]
    assert [b["name"] for b in section["data"]["governance"]] == ["Cabinet", "Scrutiny Committee"]
    assert steering in report_recipients(wf)


def test_only_bodies_that_receive_the_report_are_its_recipients(
    world, client_as, django_capture_on_commit_callbacks
):
    programme = world.programme
    manager = world.users[Role.PROGRAMME_MANAGER]
    steering = world.users[Role.STEERING_GROUP]
    other_reader = user_with_role(Role.STEERING_GROUP, programme, email="slt@example.gov.uk")
    officer = world.users[Role.OFFICER]  # cannot read reports: never emailed a link
    receives = GovernanceBodyFactory(programme=programme, name="Steering Group")
    does_not = GovernanceBodyFactory(
        programme=programme, name="Senior Leadership Team", receives_quarterly_report=False
    )
    GovernanceBodyMemberFactory(body=receives, name="Sam Steering", user=steering)
    GovernanceBodyMemberFactory(body=receives, name="Olly Officer", user=officer)
    GovernanceBodyMemberFactory(body=receives, name="Chair without an account", is_chair=True)
    GovernanceBodyMemberFactory(body=does_not, name="Sally SLT", user=other_reader)
    # Another programme's body that receives its report changes nothing here.
    GovernanceBodyMemberFactory(
        body=GovernanceBodyFactory(programme=world.other.programme, name="Cabinet"),
        user=world.other.users[Role.STEERING_GROUP],
    )

    recipients = report_recipients(programme)
    assert set(recipients) == {manager, steering}

    (period,) = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")
    report = report_services.report_compile_now(programme=programme, period=period)
    (section,) = [s for s in report.snapshot["sections"] if s["key"] == "programme"]
    assert [b["name"] for b in section["data"]["governance"]] == ["Steering Group"]
    assert [m["name"] for m in section["data"]["governance"][0]["members"]] == [
        "Chair without an account",
        "Olly Officer",
        "Sam Steering",
    ]
    sheet = load_workbook(io.BytesIO(bytes(report.xlsx)))["Governance"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Steering Group"
    ] * 3
    page = client_as(manager).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Who this report goes to" in page and "Steering Group" in page
    assert "Senior Leadership Team" not in page and "Cabinet" not in page

    confirm = client_as(manager).get(reverse("reports:publish", args=[report.pk]))
    text = confirm.content.decode()
    assert "It goes to Steering Group." in text and "link to 2 people" in text
    assert steering.email in text and other_reader.email not in text
    with django_capture_on_commit_callbacks(execute=True):
        published = client_as(manager).post(
            reverse("reports:publish", args=[report.pk]),
            {"reason": "The steering group meets before the last update is due."},
        )
    assert published.status_code == 302
    emailed = {m.to[0] for m in mail.outbox}
    assert emailed == {manager.email, steering.email}
    assert "It goes to: Steering Group." in mail.outbox[0].body
    dashboard = client_as(steering).get(reverse("reports:steering")).content.decode()
    assert "It went to Steering Group." in dashboard


def test_a_body_name_is_unique_in_its_programme_and_errors_are_clear(world, client_as):
    programme = world.programme
    GovernanceBodyFactory(programme=programme, name="Cabinet")
    GovernanceBodyFactory(programme=world.other.programme, name="Scrutiny Committee")
    client = client_as(world.users[Role.PROGRAMME_MANAGER])
    response = _add_body(client, programme, name="cabinet")
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text and "already has a body called cabinet" in text
    # Another programme's body of the same name does not clash.
    assert _add_body(client, programme).status_code == 302

    response = client.post(_url("governance-add", programme), {"name": ""})
    text = response.content.decode()
    assert "Enter the name of the body" in text
    assert "Select yes if the body receives the quarterly report" in text
    assert GovernanceBody.objects.filter(programme=programme).count() == 2


def test_changing_a_body(world, client_as):
    body = GovernanceBodyFactory(programme=world.programme, name="Steering Group")
    client = client_as(world.users[Role.COUNCIL_ADMIN])
    page = client.get(_url("governance-change", world.programme, body.pk)).content.decode()
    assert 'value="Steering Group"' in page and "No members have been added yet" in page
    response = client.post(
        _url("governance-change", world.programme, body.pk),
        {**BODY, "name": "Community Power Board", "receives_quarterly_report": "False"},
    )
    assert response["Location"] == _url("governance-list", world.programme)
    body.refresh_from_db()
    assert body.name == "Community Power Board" and not body.receives_quarterly_report
    assert body.history.count() == 2


def test_a_member_account_must_be_able_to_read_the_reports(world, client_as):
    body = GovernanceBodyFactory(programme=world.programme)
    client = client_as(world.users[Role.PROGRAMME_MANAGER])
    url = _url("governance-member-add", world.programme, body.pk)
    page = client.get(url).content.decode()
    assert world.users[Role.STEERING_GROUP].full_name in page
    assert world.users[Role.OFFICER].full_name not in page  # cannot read reports
    assert world.other.users[Role.STEERING_GROUP].full_name not in page  # another council's

    for someone in (world.users[Role.OFFICER], world.other.users[Role.STEERING_GROUP]):
        response = client.post(url, {"name": "Someone", "user": someone.pk})
        assert response.status_code == 200
        assert "Select one of the people listed" in response.content.decode()
    response = client.post(url, {"name": "", "user": ""})
    assert "Enter the member&#x27;s name" in response.content.decode()
    assert not body.members.exists()


def test_changing_and_removing_a_member(world, client_as):
    body = GovernanceBodyFactory(programme=world.programme)
    member = GovernanceBodyMemberFactory(body=body, name="Pat Jones")
    manager = world.users[Role.PROGRAMME_MANAGER]
    client = client_as(manager)
    change = _url("governance-member-change", world.programme, body.pk, member.pk)
    assert 'value="Pat Jones"' in client.get(change).content.decode()
    response = client.post(change, {"name": "Pat Jones", "position": "Chair", "is_chair": "on"})
    assert response["Location"] == _url("governance-change", world.programme, body.pk)
    member.refresh_from_db()
    assert member.is_chair and member.position == "Chair"

    remove = _url("governance-member-remove", world.programme, body.pk, member.pk)
    response = client.post(remove, {})
    assert "Select yes to remove it, or no to keep it" in response.content.decode()
    client.post(remove, {"confirm": "False"})
    assert body.members.exists()
    client.post(remove, {"confirm": "True"})
    assert not body.members.exists()
    assert GovernanceBodyMember.history.filter(
        id=member.pk, history_type="-"
    ).get().history_user == (manager)


def test_removing_a_body_asks_first_and_keeps_its_history(world, client_as):
    body = GovernanceBodyFactory(programme=world.programme, name="Cabinet")
    GovernanceBodyMemberFactory(body=body)
    client = client_as(world.users[Role.PROGRAMME_MANAGER])
    url = _url("governance-remove", world.programme, body.pk)
    page = client.get(url).content.decode()
    assert "Are you sure you want to remove Cabinet?" in page and "1 member records" in page
    response = client.post(url, {"confirm": "False"})
    assert response["Location"] == _url("governance-change", world.programme, body.pk)
    assert GovernanceBody.objects.filter(pk=body.pk).exists()
    response = client.post(url, {"confirm": "True"})
    assert response["Location"] == _url("governance-list", world.programme)
    assert not GovernanceBody.objects.filter(pk=body.pk).exists()
    assert not GovernanceBodyMember.objects.exists()
    assert GovernanceBody.history.filter(id=body.pk, history_type="-").exists()


def test_a_body_is_reached_only_through_its_own_programme(world, client_as):
    """Another programme's body under this programme's address is not found, even by staff."""
    theirs = GovernanceBodyFactory(programme=world.other.programme)
    member = GovernanceBodyMemberFactory(body=theirs)
    for user in (world.users[Role.PROGRAMME_MANAGER], world.users["staff"]):
        client = client_as(user)
        for name, args in [
            ("governance-change", [theirs.pk]),
            ("governance-remove", [theirs.pk]),
            ("governance-member-add", [theirs.pk]),
            ("governance-member-change", [theirs.pk, member.pk]),
        ]:
            assert client.get(_url(name, world.programme, *args)).status_code == 404
            assert client.post(_url(name, world.programme, *args), {}).status_code == 404
    ours = GovernanceBodyFactory(programme=world.programme)
    response = client_as(world.users["staff"]).get(
        _url("governance-member-change", world.programme, ours.pk, member.pk)
    )
    assert response.status_code == 404  # a member of another body
    assert GovernanceBody.objects.filter(pk=theirs.pk).exists()


def test_copying_governance_to_a_new_programme(world):
    source = world.programme
    body = GovernanceBodyFactory(programme=source, name="Steering Group")
    GovernanceBodyMemberFactory(
        body=body, name="Chair", is_chair=True, user=world.users[Role.STEERING_GROUP]
    )
    GovernanceBodyFactory(programme=source, name="Cabinet", receives_quarterly_report=False)
    target = ProgrammeFactory(council=source.council)
    GovernanceBodyFactory(programme=target, name="cabinet")  # already there: left alone
    assert governance_bodies_copy(source=source, target=target) == 1
    copy = GovernanceBody.objects.get(programme=target, name="Steering Group")
    assert copy.receives_quarterly_report and copy.chair == body.chair
    (member,) = copy.members.all()
    assert member.is_chair and member.name == "Chair" and member.user is None
    assert governance_bodies_copy(source=source, target=target) == 0


@pytest.mark.parametrize("size", [2, 30])
def test_the_governance_list_queries_do_not_grow(
    world, client_as, size, django_assert_max_num_queries
):
    for i in range(size):
        body = GovernanceBodyFactory(programme=world.programme, name=f"Body {i}")
        GovernanceBodyMemberFactory(body=body, user=world.users[Role.STEERING_GROUP])
        GovernanceBodyMemberFactory(body=body)
    client = client_as(world.users[Role.PROGRAMME_MANAGER])
    with django_assert_max_num_queries(12):
        response = client.get(_url("governance-list", world.programme))
    assert response.content.decode().count("Change<span") == size
    with django_assert_max_num_queries(16):
        response = client.get(reverse("programmes:programme-detail", args=[world.programme.slug]))
    assert response.status_code == 200
