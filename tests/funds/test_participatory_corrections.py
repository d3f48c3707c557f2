"""Correcting a paper ballot after its double-entry check found a mismatch: a programme manager
who did not enter it, after voting closes, with who, when and why kept; the recount reads the
correction; nothing changes once the result is confirmed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from funds.models import Ballot, BallotCorrection, ParticipatoryRound
from funds.participatory import selectors, services
from tests.accounts.factories import user_with_role
from tests.funds.participatory import participatory_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


@pytest.fixture
def officer(programme):
    return user_with_role(Role.OFFICER, programme)


@pytest.fixture
def checker(programme):
    return user_with_role(Role.OFFICER, programme)


def pick(*entries):
    return {e.pk: None for e in entries}


@pytest.fixture
def closed_with_a_mismatch(programme, manager, officer, checker):
    """Three paper ballots for the £1,000 bid D entered while voting was open; voting closes;
    the second person's check of ballot 2 reads bids C and D (it does not match)."""
    vote = participatory_round(programme=programme, manager=manager)
    a, b, c, d = vote.entries
    for number in (1, 2, 3):
        services.paper_ballot_enter(
            participatory=vote.participatory, user=officer, number=number, choices=pick(d)
        )
    ParticipatoryRound.objects.filter(pk=vote.participatory.pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    vote.participatory.refresh_from_db()
    ballot = services.paper_ballot_check(
        participatory=vote.participatory, user=checker, number=2, choices=pick(c, d)
    )
    assert ballot.check_matches is False
    return vote


def _votes(vote):
    return {row.entry.pk: row.votes for row in selectors.result_count(vote.participatory).rows}


def test_a_manager_corrects_a_mismatched_ballot_after_close_and_the_recount_follows(
    closed_with_a_mismatch, manager
):
    vote = closed_with_a_mismatch
    a, b, c, d = vote.entries
    assert _votes(vote)[c.pk] == 0 and _votes(vote)[d.pk] == 3
    before = timezone.now()
    correction = services.paper_ballot_correct(
        participatory=vote.participatory,
        user=manager,
        number=2,
        choices=pick(c, d),
        reason="The paper ticks bid C as well",
    )
    assert _votes(vote)[c.pk] == 1 and _votes(vote)[d.pk] == 3
    ballot = Ballot.objects.get(participatory=vote.participatory, number=2)
    assert ballot.check_matches is True
    assert dict(ballot.choices.values_list("entry_id", "score")) == {c.pk: None, d.pk: None}
    correction.refresh_from_db()
    assert correction.corrected_by == manager
    assert correction.corrected_at >= before
    assert correction.reason == "The paper ticks bid C as well"
    assert correction.before == d.application.reference
    assert correction.after == f"{c.application.reference}, {d.application.reference}"
    assert selectors.check_summary(vote.participatory)["mismatched"] == 0
    # A correction once made is the ballot's; it cannot be "corrected" again without a check.
    with pytest.raises(ValidationError, match="no double-entry check that disagrees"):
        services.paper_ballot_correct(
            participatory=vote.participatory, user=manager, number=2, choices={}, reason="x"
        )


def test_who_entered_the_ballot_may_not_correct_it_and_a_reason_is_needed(
    closed_with_a_mismatch, officer, manager
):
    vote = closed_with_a_mismatch
    c, d = vote.entries[2:]
    with pytest.raises(PermissionDenied):
        services.paper_ballot_correct(
            participatory=vote.participatory,
            user=officer,
            number=2,
            choices=pick(c, d),
            reason="My mistake",
        )
    with pytest.raises(ValidationError) as caught:
        services.paper_ballot_correct(
            participatory=vote.participatory, user=manager, number=2, choices=pick(c, d), reason=""
        )
    assert caught.value.message_dict["reason"] == ["Enter why the ballot is corrected"]
    # Over the pot is refused as on entry: the paper says so, so it is spoilt.
    a, b = vote.entries[:2]
    with pytest.raises(ValidationError, match="record the ballot as spoilt"):
        services.paper_ballot_correct(
            participatory=vote.participatory,
            user=manager,
            number=2,
            choices=pick(a, b),
            reason="Both ticked",
        )
    services.paper_ballot_correct(
        participatory=vote.participatory,
        user=manager,
        number=2,
        choices=pick(a, b),
        spoilt=True,
        spoilt_reason="Over the pot",
        reason="Both ticked",
    )
    assert Ballot.objects.get(participatory=vote.participatory, number=2).spoilt
    assert BallotCorrection.objects.get().after == "Spoilt: Over the pot"
    assert not BallotCorrection.objects.filter(corrected_by=officer).exists()


def test_nothing_is_corrected_once_the_result_is_confirmed(closed_with_a_mismatch, manager):
    vote = closed_with_a_mismatch
    c, d = vote.entries[2:]
    services.result_confirm(
        participatory=vote.participatory,
        user=manager,
        awarded_on=datetime.date.today(),
        first_report_due=datetime.date.today() + datetime.timedelta(days=90),
    )
    vote.participatory.refresh_from_db()
    with pytest.raises(ValidationError, match="confirmed"):
        services.paper_ballot_correct(
            participatory=vote.participatory,
            user=manager,
            number=2,
            choices=pick(c, d),
            reason="Too late",
        )
    ballot = Ballot.objects.get(participatory=vote.participatory, number=2)
    assert ballot.check_matches is False
    assert list(ballot.choices.values_list("entry_id", flat=True)) == [d.pk]
    assert not BallotCorrection.objects.exists()


def test_the_correction_pages(client_as, closed_with_a_mismatch, manager, officer, checker):
    vote = closed_with_a_mismatch
    c, d = vote.entries[2:]
    pk = vote.participatory.pk
    url = reverse("funds:vote-paper-correct", args=[pk, 2])
    check_url = reverse("funds:vote-paper-check", args=[pk])
    # An officer sees which ballot needs correcting but may not correct it.
    page = client_as(checker).get(check_url).content.decode()
    assert "Ballot 2" in page and url not in page
    assert client_as(checker).get(url).status_code == 403
    # The manager does, from the check page, saying why.
    page = client_as(manager).get(check_url).content.decode()
    assert url in page
    form = client_as(manager).get(url)
    assert form.status_code == 200
    assert "Correct paper ballot 2" in form.content.decode()
    response = client_as(manager).post(url, {"bids": [c.pk, d.pk], "reason": ""})
    assert response.status_code == 400
    assert "Enter why the ballot is corrected" in response.content.decode()
    count_url = reverse("funds:vote-count", args=[pk])
    assert "1 paper ballot did not match" in client_as(manager).get(count_url).content.decode()
    response = client_as(manager).post(
        url, {"bids": [c.pk, d.pk], "reason": "The paper ticks C too"}
    )
    count = client_as(manager).get(count_url).content.decode()
    assert "did not match" not in count
    assert "1 paper ballot corrected after a double-entry check" in count
    assert response.status_code == 302 and response["Location"] == check_url
    history = client_as(manager).get(check_url).content.decode()
    assert manager.get_full_name()
    assert "The paper ticks C too" in history and manager.get_full_name() in history
    assert (
        client_as(manager).get(reverse("funds:vote-paper-correct", args=[pk, 99])).status_code
        == 404
    )
