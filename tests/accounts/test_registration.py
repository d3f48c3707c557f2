import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cpw.accounts.models import Organisation, Role, User
from cpw.accounts.tokens import verification_tokens
from cpw.core.models import OutboundEmail
from tests.accounts.enumeration import comparable, fastest_seconds, similar
from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Jo Walker",
    "email": "Jo@Example.org",
    "organisation_name": "Lillington Community Pantry",
    "organisation_kind": "community_group",
    "charity_number": "",
    "company_number": "",
    "address": "1 Crown Way\nLeamington Spa",
    "postcode": "cv32 7ab",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def _verification_link():
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/register/verify/\S+/", body).group(0)


def _path(link):
    return re.sub(r"^https?://[^/]+", "", link)


def test_partner_registers_verifies_email_and_lands_on_their_organisation(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:check-email")

    user = User.objects.get(email="jo@example.org")
    assert not user.is_active
    assert user.organisation.name == "Lillington Community Pantry"
    assert user.organisation.postcode == "CV32 7AB"
    assert user.roles == {Role.PARTNER}
    assert mail.outbox[-1].to == ["jo@example.org"]
    assert OutboundEmail.objects.get().sent_at is not None

    link = _verification_link()
    response = client.get(link.replace("http://127.0.0.1:8000", ""), follow=True)
    assert response.redirect_chain[-1][0] == reverse("funds:my-applications")
    assert b"Lillington Community Pantry" in response.content
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at


def _register(client, data=None, **extra):
    return client.post(reverse("accounts:register"), data or VALID, **extra)


def test_registering_an_address_already_in_use_looks_the_same_and_emails_the_owner(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="jo@example.org", full_name="Jo Owner")
    with django_capture_on_commit_callbacks(execute=True):
        known = _register(client, follow=True)
    assert known.redirect_chain == [(reverse("accounts:check-email"), 302)]
    # Nothing is made, and the owner hears of it; nobody else does.
    assert not Organisation.objects.exists()
    assert User.objects.get() == owner
    assert mail.outbox[-1].to == ["jo@example.org"]
    assert "Someone tried to register" in mail.outbox[-1].subject
    assert "/password-reset/" in mail.outbox[-1].body

    fresh = Client()
    unknown = _register(fresh, {**VALID, "email": "new@example.org"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert comparable(known, "jo@example.org") == comparable(unknown, "new@example.org")


def test_registering_takes_similar_time_for_known_and_unknown_addresses(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.REGISTRATIONS_PER_HOUR = 100
    UserFactory(email="jo@example.org")
    numbers = iter(range(100))

    def unknown():
        number = next(numbers)
        _register(
            client,
            {**VALID, "email": f"new{number}@example.org", "organisation_name": f"Group {number}"},
        )

    known_time, unknown_time = fastest_seconds(lambda: _register(client), unknown, times=5)
    assert User.objects.count() == 6
    assert similar(known_time, unknown_time), (known_time, unknown_time)


def test_an_organisation_name_already_registered_is_told_only_to_the_address(
    client, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="Lillington Community Pantry")
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, {**VALID, "organisation_name": " lillington community pantry"})
    assert response["Location"] == reverse("accounts:check-email")
    assert not User.objects.exists()
    assert Organisation.objects.count() == 1
    assert mail.outbox[-1].to == ["jo@example.org"]
    assert "an organisation with this name is already registered" in mail.outbox[-1].body


def test_an_unconfirmed_registration_does_not_hold_the_address(
    client, django_capture_on_commit_callbacks
):
    """Someone registered Jo's address first and never confirmed it: Jo's own registration
    replaces theirs, and only Jo's link works."""
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, {**VALID, "organisation_name": "Squatters Ltd"})
    squatter_link = _verification_link()
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    assert User.objects.get().organisation.name == "Lillington Community Pantry"
    assert list(Organisation.objects.values_list("name", flat=True)) == [
        "Lillington Community Pantry"
    ]
    assert client.get(_path(squatter_link)).status_code == 400
    assert client.get(_path(_verification_link()), follow=True).status_code == 200
    assert User.objects.get().is_active


def test_the_verification_link_works_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    link = _path(_verification_link())
    assert client.get(link)["Location"] == "/"
    client.logout()
    response = Client().get(link)
    assert response.status_code == 400
    assert "This link has already been used" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_the_verification_link_stops_working_after_a_password_change(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    link = _path(_verification_link())
    user = User.objects.get()
    user.set_password("changed-by-the-owner-later")
    user.save()
    response = client.get(link)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_the_verification_link_expires_after_3_days(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    link = _path(_verification_link())
    later = datetime.now() + timedelta(days=3, minutes=1)
    with mock.patch.object(verification_tokens, "_now", return_value=later):
        response = client.get(link)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not User.objects.get().is_active
    with mock.patch.object(verification_tokens, "_now", return_value=later - timedelta(hours=1)):
        assert client.get(link).status_code == 302


def test_registration_is_throttled_per_address(client, settings):
    settings.REGISTRATIONS_PER_HOUR = 2
    for number in range(2):
        data = {**VALID, "email": f"r{number}@example.org", "organisation_name": f"Group {number}"}
        assert _register(client, data, REMOTE_ADDR="203.0.113.1").status_code == 302
    response = _register(client, REMOTE_ADDR="203.0.113.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Too many accounts have been registered from your network" in html
    assert User.objects.count() == 2
    # Another network is not affected; a form with mistakes does not count.
    assert (
        _register(client, {**VALID, "postcode": "x"}, REMOTE_ADDR="203.0.113.1").status_code == 200
    )
    assert _register(client, REMOTE_ADDR="198.51.100.2").status_code == 302
    assert User.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "not a postcode", "Enter a real postcode"),
        ("password2", "something-else-entirely", "The two passwords do not match"),
        ("password1", "short", "This password is too short"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("organisation_kind", "", "Select the type of organisation"),
    ],
)
def test_bad_registration_input_gets_a_clear_message(client, field, value, message):
    data = {**VALID, field: value}
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_tampered_verification_link_is_refused(client):
    response = client.get(reverse("accounts:verify-email", args=["forged-token"]))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_with_the_broker_down_registration_explains_and_saves_nothing(client, broker_down):
    response = client.post(reverse("accounts:register"), VALID)
    assert response.status_code == 200
    assert "cannot start background work" in response.content.decode()
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not OutboundEmail.objects.exists()
