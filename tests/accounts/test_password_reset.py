"""Asking for a password reset tells a visitor nothing about who has an account."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cpw.core.models import OutboundEmail
from tests.accounts.enumeration import comparable, fastest_seconds, similar
from tests.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _ask(client, email, **extra):
    return client.post(reverse("accounts:password-reset"), {"email": email}, **extra)


def test_known_and_unknown_addresses_get_the_same_page_and_one_email_each(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, "known@example.org")
        unknown = _ask(Client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password-reset-sent")
    assert comparable(client.get(known["Location"])) == comparable(
        Client().get(unknown["Location"])
    )
    to_known, to_unknown = mail.outbox
    assert to_known.to == ["known@example.org"]
    assert "/password-reset/" in to_known.body
    assert to_unknown.to == ["nobody@example.org"]
    assert "there is no active account for it" in to_unknown.body
    assert "/password-reset/" not in to_unknown.body


def test_known_and_unknown_addresses_take_similar_time(client, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 100
    UserFactory(email="known@example.org")
    known_time, unknown_time = fastest_seconds(
        lambda: _ask(client, "known@example.org"), lambda: _ask(client, "nobody@example.org")
    )
    assert OutboundEmail.objects.count() == 18
    assert similar(known_time, unknown_time), (known_time, unknown_time)


def test_an_account_not_yet_active_gets_the_no_account_email(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="pending@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "pending@example.org")
    assert "there is no active account for it" in mail.outbox[-1].body


def test_the_address_is_matched_whatever_its_case_and_spaces(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "  Known@EXAMPLE.org ")
    assert mail.outbox[-1].to == ["known@example.org"]
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")
    assert not user.check_password(TEST_PASSWORD)


def test_reset_requests_are_throttled_per_address(client, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for _ in range(2):
        assert _ask(client, "a@example.org", REMOTE_ADDR="203.0.113.1").status_code == 302
    response = _ask(client, "a@example.org", REMOTE_ADDR="203.0.113.1")
    assert response.status_code == 429
    assert "Too many password resets have been asked for" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert OutboundEmail.objects.count() == 2
    assert _ask(client, "a@example.org", REMOTE_ADDR="198.51.100.2").status_code == 302
