import re

import pytest
from django.core import mail
from django.urls import reverse

from cpw.accounts.models import Organisation, Role, User
from cpw.core.models import OutboundEmail
from tests.accounts.factories import UserFactory

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
    assert response.redirect_chain[-1][0] == reverse("accounts:organisation")
    assert b"Lillington Community Pantry" in response.content
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at


def test_registering_an_email_already_in_use_says_so_and_saves_nothing(client):
    UserFactory(email="jo@example.org")
    response = client.post(reverse("accounts:register"), VALID)
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Organisation.objects.exists()
    assert mail.outbox == []


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
