import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from tests.accounts.factories import TEST_PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

HOMES = {
    Role.PROGRAMME_MANAGER: "programmes:overview",
    Role.OFFICER: "programmes:my-work",
    Role.STEERING_GROUP: "reports:steering",
    Role.COUNCILLOR: "programmes:division",
    Role.ASSESSOR: "funds:assessments",
    Role.PARTNER: "accounts:organisation",
}


def _sign_in(client, email, password):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password})


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_signs_in_and_lands_on_its_own_home_page(client, programme, role):
    user = user_with_role(role, programme)
    response = _sign_in(client, user.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])
    assert client.get(response["Location"]).status_code == 200


def test_staff_admin_lands_on_the_overview(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    _sign_in(client, user.email, TEST_PASSWORD)
    assert client.get("/")["Location"] == reverse("programmes:overview")


def test_a_user_with_no_role_is_told_so(client):
    user = UserFactory()
    _sign_in(client, user.email, TEST_PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    assert "You do not have a role in the portal yet" in response.content.decode()


def test_wrong_password_gets_a_clear_message(client):
    user = UserFactory()
    response = _sign_in(client, user.email, "wrong")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_with_an_explanation(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(2):
        assert _sign_in(client, user.email, "wrong").status_code == 200
    response = _sign_in(client, user.email, "wrong")
    assert response.status_code == 429
    assert "Your account is locked for 30 minutes" in response.content.decode()
    # Even the right password is refused while the account is locked.
    response = _sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    other = UserFactory()
    assert _sign_in(client, other.email, TEST_PASSWORD).status_code == 302


def test_sign_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert "_auth_user_id" not in client.session
