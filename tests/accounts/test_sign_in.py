from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from cpw.accounts import lockout
from cpw.accounts.models import Role
from tests.accounts.enumeration import comparable, fastest_seconds, similar
from tests.accounts.factories import TEST_PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

HOMES = {
    Role.PROGRAMME_MANAGER: "programmes:overview",
    Role.OFFICER: "programmes:my-work",
    Role.STEERING_GROUP: "reports:steering",
    Role.COUNCILLOR: "division",
    Role.ASSESSOR: "funds:assessments",
    Role.PARTNER: "funds:my-applications",
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


ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def _sign_in_from(client, address, email, password):
    return client.post(
        reverse("accounts:sign-in"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def _age_attempts(seconds):
    """As if the last wrong password had been typed `seconds` ago."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def test_wrong_passwords_slow_down_only_the_address_that_typed_them(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(email="officer@warwickshire.gov.uk")
    # An anonymous client, typing the address in any case and with spaces.
    for typed in [" OFFICER@Warwickshire.gov.uk", "Officer@warwickshire.gov.uk "]:
        response = _sign_in_from(client, ATTACKER, typed, "wrong")
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    # The third wrong password starts a wait, and says so.
    response = _sign_in_from(client, ATTACKER, user.email, "wrong")
    assert response.status_code == 429
    assert "Wait 1 minute before you try again" in response.content.decode()
    assert response["Retry-After"] in {"59", "60"}
    # The right password is not even checked from that address while it waits.
    response = _sign_in_from(client, ATTACKER, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # The owner, from their own address, signs in as usual.
    response = _sign_in_from(Client(), OWNER, user.email, TEST_PASSWORD)
    assert response.status_code == 302


def test_the_wait_doubles_with_each_further_wrong_password_and_ends(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory()

    def attempt(password="wrong"):  # noqa: S107 - a test password
        return _sign_in_from(client, ATTACKER, user.email, password)

    assert attempt().status_code == 200
    assert "Wait 1 minute" in attempt().content.decode()  # the second failure starts a wait
    assert "Wait 1 minute" in attempt(TEST_PASSWORD).content.decode()  # not checked, not counted
    _age_attempts(61)
    assert "Wait 2 minutes" in attempt().content.decode()  # third failure: twice as long
    _age_attempts(121)
    assert "Wait 4 minutes" in attempt().content.decode()
    assert "Wait 4 minutes" in attempt().content.decode()
    _age_attempts(241)
    # Once the wait is over the right password works, and clears the count for that address.
    assert _sign_in_from(client, ATTACKER, user.email, TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_wait_grows_exponentially_up_to_a_ceiling(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.SIGN_IN_FIRST_WAIT = timedelta(minutes=1)
    settings.SIGN_IN_LONGEST_WAIT = timedelta(hours=1)
    waits = [lockout.wait_after(failures) for failures in range(4, 13)]
    assert waits == [
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(minutes=16),
        timedelta(minutes=32),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
    assert lockout.wait_after(10**6) == timedelta(hours=1)


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer_in_similar_time(
    client, settings
):
    settings.AXES_FAILURE_LIMIT = 100
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory(email="known@example.org")
    user.set_password(TEST_PASSWORD)
    user.save()
    known = _sign_in(client, "known@example.org", "wrong-password")
    unknown = _sign_in(client, "nobody@example.org", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert comparable(known, "known@example.org") == comparable(unknown, "nobody@example.org")
    known_time, unknown_time = fastest_seconds(
        lambda: _sign_in(client, "known@example.org", "wrong"),
        lambda: _sign_in(client, "nobody@example.org", "wrong"),
        times=5,
    )
    assert similar(known_time, unknown_time), (known_time, unknown_time)


def test_an_account_not_yet_confirmed_gets_the_same_answer_as_a_wrong_password(client):
    user = UserFactory(is_active=False)
    response = _sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_sign_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert "_auth_user_id" not in client.session
