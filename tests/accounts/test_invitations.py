import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cpw.accounts.models import Organisation, Role, RoleAssignment, User
from cpw.accounts.services import invitation_accept, partner_register, user_invite
from cpw.accounts.tokens import invitation_tokens
from tests.accounts.factories import TEST_PASSWORD, UserFactory, user_with_role
from tests.programmes.factories import PlaceFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


def _invite(client, programme, **overrides):
    data = {
        "full_name": "Alex Green",
        "email": "Alex.Green@warwickshire.gov.uk",
        "job_title": "Locality officer",
        "role": Role.OFFICER.value,
        "programme": programme.pk,
        "division": "",
        **overrides,
    }
    return client.post(reverse("programmes:invite"), data)


def test_manager_invites_an_officer_who_sets_a_password_and_lands_on_my_work(
    client, client_as, programme, manager, django_capture_on_commit_callbacks
):
    client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, programme)
    assert response.status_code == 302
    invited = User.objects.get(email="alex.green@warwickshire.gov.uk")
    assert not invited.is_active
    assert invited.invited_by == manager
    assert RoleAssignment.objects.filter(
        user=invited, role=Role.OFFICER, programme=programme
    ).exists()
    assert "invited you to the Community Power Portal as a officer" in mail.outbox[-1].body

    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    client.logout()
    response = client.get(link.replace("http://127.0.0.1:8000", ""), follow=True)
    assert "Set your password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase-1", "new_password2": "brand-new-passphrase-1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("programmes:my-work")
    invited.refresh_from_db()
    assert invited.is_active and invited.check_password("brand-new-passphrase-1")
    # The link cannot be used twice.
    client.logout()
    response = client.get(link.replace("http://127.0.0.1:8000", ""), follow=True)
    assert "has expired or has already been used" in response.content.decode()


def test_a_councillor_needs_a_division(client, client_as, programme, manager):
    client_as(manager)
    response = _invite(client, programme, role=Role.COUNCILLOR.value)
    assert "Select the ward or division the councillor represents" in response.content.decode()
    assert not User.objects.filter(email__iexact="alex.green@warwickshire.gov.uk").exists()

    division = PlaceFactory(division=True)
    response = _invite(client, programme, role=Role.COUNCILLOR.value, division=division.pk)
    assert response.status_code == 302
    assert RoleAssignment.objects.get(role=Role.COUNCILLOR).division == division


def test_a_manager_cannot_invite_into_a_programme_they_do_not_manage(
    client, client_as, programme, manager
):
    other = ProgrammeFactory()
    client_as(manager)
    response = _invite(client, other)
    assert response.status_code == 200
    assert "Select a programme" in response.content.decode()
    assert not User.objects.filter(email__iexact="alex.green@warwickshire.gov.uk").exists()


def test_inviting_an_existing_colleague_adds_the_role_without_a_new_account(
    client, client_as, programme, manager
):
    colleague = UserFactory(email="alex.green@warwickshire.gov.uk")
    client_as(manager)
    response = _invite(client, programme, role=Role.ASSESSOR.value)
    assert response.status_code == 302
    assert colleague.role_assignments.get().role == Role.ASSESSOR
    assert User.objects.count() == 2


def test_giving_the_same_role_twice_says_so(client, client_as, programme, manager):
    colleague = user_with_role(Role.OFFICER, programme, email="alex.green@warwickshire.gov.uk")
    client_as(manager)
    response = _invite(client, programme)
    assert response.status_code == 200
    assert "is already a officer" in response.content.decode()
    assert colleague.role_assignments.count() == 1


def test_a_partner_account_cannot_be_given_a_council_role(client, client_as, programme, manager):
    partner = user_with_role(Role.PARTNER, email="alex.green@warwickshire.gov.uk")
    client_as(manager)
    response = _invite(client, programme)
    assert "belongs to a partner organisation" in response.content.decode()
    assert partner.role_assignments.count() == 1


def test_with_the_broker_down_an_invitation_explains_and_saves_nothing(
    client, client_as, programme, manager, broker_down
):
    client_as(manager)
    response = _invite(client, programme)
    assert "cannot start background work" in response.content.decode()
    assert not User.objects.filter(email__iexact="alex.green@warwickshire.gov.uk").exists()


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="reset@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "reset@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")
    assert not user.check_password(TEST_PASSWORD)


def test_password_reset_with_the_broker_down_says_so(client, broker_down):
    UserFactory(email="reset@example.org")
    response = client.post(reverse("accounts:password-reset"), {"email": "reset@example.org"})
    assert response.status_code == 200
    assert "cannot start background work" in response.content.decode()


# --- Council admins: any programme of their council, any council role ----------------------


def test_a_council_admin_invites_a_council_admin_for_their_council(
    world, client, client_as, django_capture_on_commit_callbacks
):
    admin = world.users[Role.COUNCIL_ADMIN]
    client_as(admin)
    page = client.get(reverse("programmes:invite")).content.decode()
    assert 'value="council_admin"' in page and "Council (council admins only)" in page
    assert "Westmorland and Furness" not in page  # neither its council nor its programme
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            client,
            world.programme,  # what the browser sends anyway: ignored for a council admin
            role=Role.COUNCIL_ADMIN.value,
            council=world.council.pk,
        )
    assert response["Location"] == reverse("programmes:people")
    invited = User.objects.get(email="alex.green@warwickshire.gov.uk")
    assignment = invited.role_assignments.get()
    assert (assignment.role, assignment.council, assignment.programme) == (
        Role.COUNCIL_ADMIN,
        world.council,
        None,
    )
    assert invited.administers_council_ids == {world.council.pk}
    assert "as a council admin in Warwickshire County Council" in mail.outbox[-1].body
    people = client.get(reverse("programmes:people")).content.decode()
    assert "Council admins of Warwickshire County Council" in people and "Alex Green" in people


def test_a_council_admin_invites_any_role_into_any_programme_of_their_council(
    world, client, client_as
):
    second = ProgrammeFactory(council=world.council, name="Warwickshire Youth Voice")
    client_as(world.users[Role.COUNCIL_ADMIN])
    page = client.get(reverse("programmes:invite")).content.decode()
    assert "Warwickshire Youth Voice" in page and world.programme.name in page
    for role, email in [
        (Role.PROGRAMME_MANAGER, "pm@warwickshire.gov.uk"),
        (Role.STEERING_GROUP, "sg@warwickshire.gov.uk"),
        (Role.ASSESSOR, "assessor@warwickshire.gov.uk"),
    ]:
        response = _invite(client, second, role=role.value, email=email)
        assert response.status_code == 302
        assert RoleAssignment.objects.filter(
            user__email=email, role=role, programme=second, council=None
        ).exists()
    response = _invite(
        client,
        world.programme,
        role=Role.COUNCILLOR.value,
        email="cllr@warwickshire.gov.uk",
        division=world.division.pk,
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__email="cllr@warwickshire.gov.uk").division == (
        world.division
    )


def test_a_council_admin_cannot_invite_into_another_councils_programme_or_admin_it(
    world, client, client_as
):
    client_as(world.users[Role.COUNCIL_ADMIN])
    response = _invite(client, world.other.programme)
    assert response.status_code == 200
    assert "Select a programme" in response.content.decode()
    response = _invite(
        client, world.programme, role=Role.COUNCIL_ADMIN.value, council=world.other.council.pk
    )
    assert response.status_code == 200
    assert "Select one of the councils you administer" in response.content.decode()
    assert not User.objects.filter(email="alex.green@warwickshire.gov.uk").exists()


def test_a_programme_manager_cannot_make_council_admins(world, client, client_as):
    manager = world.users[Role.PROGRAMME_MANAGER]
    client_as(manager)
    page = client.get(reverse("programmes:invite")).content.decode()
    assert 'value="council_admin"' not in page and "Council (council admins only)" not in page
    response = _invite(
        client, world.programme, role=Role.COUNCIL_ADMIN.value, council=world.council.pk
    )
    assert response.status_code == 200
    assert "you cannot give that role" in response.content.decode()
    assert not RoleAssignment.objects.filter(council__isnull=False, user__email__startswith="alex")
    # The service refuses too, whatever a form lets through.
    with pytest.raises(ValidationError) as refused:
        user_invite(
            invited_by=manager,
            full_name="Alex Green",
            email="alex@warwickshire.gov.uk",
            role=Role.COUNCIL_ADMIN,
            council=world.council,
        )
    assert "Only a council admin of Warwickshire County Council" in str(refused.value)


def test_a_programme_manager_is_offered_only_the_programmes_they_manage(world, client, client_as):
    ProgrammeFactory(council=world.council, name="Warwickshire Youth Voice")  # not theirs
    manager = world.users[Role.PROGRAMME_MANAGER]
    client_as(manager)
    form = client.get(reverse("programmes:invite")).context["form"]
    assert list(form.fields["programme"].queryset) == [world.programme]
    with pytest.raises(ValidationError) as refused:
        user_invite(
            invited_by=manager,
            full_name="Alex Green",
            email="alex@warwickshire.gov.uk",
            role=Role.OFFICER,
            programme=world.other.programme,
        )
    assert "only invite people to programmes you manage" in str(refused.value)
    # An officer (who manages nothing) may not invite at all.
    with pytest.raises(ValidationError):
        user_invite(
            invited_by=world.users[Role.OFFICER],
            full_name="Alex Green",
            email="alex@warwickshire.gov.uk",
            role=Role.OFFICER,
            programme=world.programme,
        )
    assert not User.objects.filter(email="alex@warwickshire.gov.uk").exists()


def test_a_councillor_represents_a_ward_or_division_of_the_programmes_council(world):
    """Westmorland and Furness (unitary) has wards; Warwickshire (county) divisions."""
    wf_admin = world.other.users[Role.COUNCIL_ADMIN]
    ward = world.other.division
    assert ward.kind == "ward"
    invite = dict(
        invited_by=wf_admin,
        full_name="Cllr Alex Green",
        role=Role.COUNCILLOR,
        programme=world.other.programme,
    )
    user = user_invite(email="cllr@westmorlandandfurness.gov.uk", division=ward, **invite)
    assert user.role_assignments.get().division == ward

    locality = PlaceFactory(council=world.other.council, kind="locality", name="Eden")
    for place, message in [
        (world.division, "Leamington North is not a ward of Westmorland and Furness Council"),
        (locality, "Eden is not a ward of Westmorland and Furness Council"),
        (None, "Select the councillor's ward"),
    ]:
        with pytest.raises(ValidationError) as refused:
            user_invite(email="other@westmorlandandfurness.gov.uk", division=place, **invite)
        assert message in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        user_invite(
            email="other@westmorlandandfurness.gov.uk",
            division=ward,
            **{**invite, "role": Role.OFFICER},
        )
    assert "Only councillors have a ward" in str(refused.value)
    assert not User.objects.filter(email="other@westmorlandandfurness.gov.uk").exists()


@pytest.mark.parametrize("size", [1, 20])
def test_the_people_page_queries_do_not_grow(world, client_as, size, django_assert_max_num_queries):
    for _ in range(size):
        user_with_role(Role.OFFICER, world.programme)
        user_with_role(Role.COUNCIL_ADMIN, council=world.council)
    client = client_as(world.users[Role.COUNCIL_ADMIN])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programmes:people"))
    assert response.content.decode().count('<tr class="govuk-table__row">') >= 2 * size


def _invitation_path():
    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    return link.replace("http://127.0.0.1:8000", "")


def test_the_invitation_link_works_for_14_days(
    client, client_as, programme, manager, django_capture_on_commit_callbacks
):
    client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, programme)
    path = _invitation_path()
    client.logout()
    now = datetime.now()
    with mock.patch.object(invitation_tokens, "_now", return_value=now + timedelta(days=13)):
        assert "Set your password" in client.get(path, follow=True).content.decode()
    with mock.patch.object(invitation_tokens, "_now", return_value=now + timedelta(days=15)):
        html = Client().get(path, follow=True).content.decode()
    assert "This invitation has expired or has already been used" in html


def test_the_invitation_link_stops_working_once_a_password_is_set(
    client, client_as, programme, manager, django_capture_on_commit_callbacks
):
    client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, programme)
    path = _invitation_path()
    invited = User.objects.get(email="alex.green@warwickshire.gov.uk")
    invitation_accept(user=invited, password="set-some-other-way-1")
    html = Client().get(path, follow=True).content.decode()
    assert "This invitation has expired or has already been used" in html


def test_an_unconfirmed_self_registration_does_not_block_the_invitation(
    client, client_as, programme, manager, django_capture_on_commit_callbacks
):
    """Someone registered a colleague's council address as a partner and never confirmed it:
    the manager's invitation replaces that registration and reaches the colleague."""
    squatter = partner_register(
        full_name="Not Alex",
        email=" ALEX.green@warwickshire.gov.uk",
        password="a-long-unusual-passphrase",
        organisation_name="Squatters Ltd",
        organisation_kind="community_group",
    )
    assert squatter.email == "alex.green@warwickshire.gov.uk"
    client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, programme)
    assert response.status_code == 302
    invited = User.objects.get(email="alex.green@warwickshire.gov.uk")
    assert invited.pk != squatter.pk
    assert invited.organisation is None
    assert invited.full_name == "Alex Green"
    assert invited.roles == {Role.OFFICER}
    assert not Organisation.objects.filter(name="Squatters Ltd").exists()
    assert mail.outbox[-1].to == ["alex.green@warwickshire.gov.uk"]
    assert "/invitation/" in mail.outbox[-1].body


def test_inviting_someone_who_has_not_yet_set_a_password_sends_a_fresh_link(
    client, client_as, programme, manager, django_capture_on_commit_callbacks
):
    client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, programme)
        _invite(client, programme, role=Role.ASSESSOR.value)
    assert "/invitation/" in mail.outbox[-1].body
    client.logout()
    assert "Set your password" in client.get(_invitation_path(), follow=True).content.decode()
