import re

import pytest
from django.core import mail
from django.urls import reverse

from cpw.accounts.models import Role, RoleAssignment, User
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
