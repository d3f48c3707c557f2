"""The page that emails a link to vote is rate-limited per IP address and per email address,
with one GOV.UK message that does not say whether an address has voted."""

import re

import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from funds.participatory import services
from tests.accounts.factories import user_with_role
from tests.funds.participatory import IN_AREA, participatory_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote(programme):
    return participatory_round(
        programme=programme, manager=user_with_role(Role.PROGRAMME_MANAGER, programme)
    )


def _ask(client, vote, email, ip="203.0.113.5"):
    return client.post(
        reverse("funds:vote-start", args=[vote.participatory.pk]),
        {"method": "email", "email": email, "postcode": IN_AREA},
        REMOTE_ADDR=ip,
    )


def test_one_address_gets_a_few_links_an_hour_then_a_clear_message(client, vote, settings):
    settings.VOTE_LINKS_PER_HOUR_PER_EMAIL = 2
    for _ in range(2):
        assert _ask(client, vote, "Ann@Example.org").status_code == 200
    # The same address, however it is typed and from anywhere, is refused the third time.
    response = _ask(client, vote, " ann@example.ORG ", ip="198.51.100.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Too many links to vote have been asked for in the last hour" in page
    assert OutboundEmail.objects.filter(to__iexact="ann@example.org").count() == 2
    # Another address is not held up.
    assert _ask(client, vote, "bob@example.org").status_code == 200


def test_one_network_asks_for_a_limited_number_of_links(client, vote, settings):
    settings.VOTE_LINKS_PER_HOUR_PER_IP = 3
    for n in range(3):
        assert _ask(client, vote, f"resident{n}@example.org").status_code == 200
    response = _ask(client, vote, "resident9@example.org")
    assert response.status_code == 429
    assert "Too many links to vote" in response.content.decode()
    assert not OutboundEmail.objects.filter(to="resident9@example.org").exists()
    # Another network may still ask; polling cards are never limited by this.
    assert _ask(client, vote, "resident9@example.org", ip="192.0.2.1").status_code == 200


def test_the_page_does_not_say_whether_an_address_has_voted(client, vote, settings):
    settings.VOTE_LINKS_PER_HOUR_PER_EMAIL = 1
    voted = services.voter_pass(vote.participatory, method="email", identity="voted@example.org")
    services.ballot_cast(
        participatory=vote.participatory, voter=voted, choices={vote.entries[3].pk: None}
    )

    def page(email, ip, status):
        response = _ask(client, vote, email, ip=ip)
        assert response.status_code == status
        return _same_parts(response.content.decode().replace(email, "EMAIL"))

    # The first request for each: the same page, voted or not.
    first = page("voted@example.org", "192.0.2.10", 200)
    assert "Check your email" in first
    assert first == page("fresh@example.org", "192.0.2.11", 200)
    # Over the limit: the same refusal for both.
    refused = page("voted@example.org", "192.0.2.12", 429)
    assert "Too many links to vote" in refused
    assert refused == page("fresh@example.org", "192.0.2.13", 429)


def _same_parts(html: str) -> str:
    """The page without what differs on every response (script nonces, CSRF tokens)."""
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
