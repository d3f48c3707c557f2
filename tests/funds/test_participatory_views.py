"""The residents' vote through its pages: a resident confirms who they are by email or polling
card, fills in the ballot (with the total worked out on the server), checks and casts it, and
votes again; the council enters paper ballots, checks a sample, sees the count and confirms it
into grants; the public see the result."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from funds.models import Award, Ballot, BallotChannel, PostcodePlace, VoterRecord, VotingRule
from funds.participatory import services
from programmes.models import PlaceKind
from tests.accounts.factories import user_with_role
from tests.funds.participatory import IN_AREA, OUTSIDE, participatory_round
from tests.programmes.factories import PlaceFactory


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


@pytest.fixture
def officer(programme):
    return user_with_role(Role.OFFICER, programme)


@pytest.fixture
def vote(programme, manager):
    return participatory_round(programme=programme, manager=manager)


def _url(name, vote, *args):
    return reverse(f"funds:{name}", args=[vote.participatory.pk, *args])


def _verify_by_email(client, vote, email="resident@example.org"):
    response = client.post(
        _url("vote-start", vote), {"method": "email", "email": email, "postcode": IN_AREA}
    )
    assert "Check your email" in response.content.decode()
    body = OutboundEmail.objects.filter(to=email).latest("pk").body
    path = re.search(r"https?://[^/]+(/vote/\S+)", body).group(1)
    return client.get(path)


def test_a_resident_votes_by_email_and_voting_again_replaces_the_vote(client, vote):
    a, b, c, d = vote.entries
    page = client.get(_url("vote", vote)).content.decode()
    assert all(e.application.project_title in page for e in vote.entries)
    assert "The group owns the land" in page  # feasibility notes are public

    response = _verify_by_email(client, vote)
    assert response["Location"] == _url("vote-ballot", vote)

    # The running total is worked out on the server, without JavaScript.
    response = client.post(_url("vote-ballot", vote), {"bids": [a.pk, b.pk], "update": ""})
    assert "You have chosen £11,000 of the £10,000 pot. That is £1,000 too much." in (
        response.content.decode()
    )
    # Continuing over the pot is refused with a clear error.
    response = client.post(_url("vote-ballot", vote), {"bids": [a.pk, b.pk], "submit": ""})
    assert response.status_code == 400
    assert "£1,000.00 more than the £10,000.00 pot" in response.content.decode()

    response = client.post(_url("vote-ballot", vote), {"bids": [a.pk, d.pk], "submit": ""})
    assert response["Location"] == _url("vote-check", vote)
    check = client.get(_url("vote-check", vote)).content.decode()
    assert a.application.project_title in check and "£7,000" in check
    response = client.post(_url("vote-check", vote), {"submit": ""})
    assert response["Location"] == _url("vote-done", vote)
    assert "Thank you for voting" in client.get(_url("vote-done", vote)).content.decode()

    # Again, from another device: the new vote replaces the first.
    client.logout()
    _verify_by_email(client, vote, "RESIDENT@example.org")
    client.post(_url("vote-ballot", vote), {"bids": [c.pk], "submit": ""})
    client.post(_url("vote-check", vote), {"submit": ""})
    assert "It replaces your earlier vote" in client.get(_url("vote-done", vote)).content.decode()
    ballot = Ballot.objects.get(participatory=vote.participatory)
    assert list(ballot.choices.values_list("entry_id", flat=True)) == [c.pk]
    assert VoterRecord.objects.count() == 1


def test_a_resident_votes_with_a_polling_card_and_a_postcode_in_the_area(
    client, programme, manager
):
    vote = participatory_round(
        programme=programme, manager=manager, rule=VotingRule.CHOOSE_N, choose_n=2
    )
    a, b, c, d = vote.entries
    code = services.polling_cards_issue(participatory=vote.participatory, count=2)[0]
    response = client.post(
        _url("vote-start", vote), {"method": "card", "code": code, "postcode": OUTSIDE}
    )
    assert response.status_code == 400
    assert "Enter a postcode in the area of this vote" in response.content.decode()
    response = client.post(
        _url("vote-start", vote), {"method": "card", "code": code, "postcode": IN_AREA}
    )
    assert response["Location"] == _url("vote-ballot", vote)
    response = client.post(_url("vote-ballot", vote), {"bids": [a.pk], "submit": ""})
    assert "Choose exactly 2 bids. You have chosen 1" in response.content.decode()
    client.post(_url("vote-ballot", vote), {"bids": [a.pk, b.pk], "submit": ""})
    client.post(_url("vote-check", vote), {"submit": ""})
    assert Ballot.objects.filter(participatory=vote.participatory).count() == 1


def test_a_score_ballot_asks_for_a_score_for_every_bid(client, programme, manager):
    vote = participatory_round(programme=programme, manager=manager, rule=VotingRule.SCORE)
    _verify_by_email(client, vote)
    scores = {f"score_{e.pk}": str(n) for n, e in enumerate(vote.entries[:3], start=3)}
    response = client.post(_url("vote-ballot", vote), {**scores, "submit": ""})
    assert "Give every bid a score from 1 to 5 (1 not scored yet)" in response.content.decode()
    scores[f"score_{vote.entries[3].pk}"] = "1"
    client.post(_url("vote-ballot", vote), {**scores, "submit": ""})
    client.post(_url("vote-check", vote), {"submit": ""})
    ballot = Ballot.objects.get()
    assert sorted(ballot.choices.values_list("score", flat=True)) == [1, 3, 4, 5]


def test_after_the_window_closes_the_ballot_is_refused(client, vote):
    _verify_by_email(client, vote)
    client.post(_url("vote-ballot", vote), {"bids": [vote.entries[3].pk], "submit": ""})
    vote.participatory.voting_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    vote.participatory.save(update_fields=["voting_closes_at"])
    response = client.post(_url("vote-check", vote), {"submit": ""})
    assert "Voting has closed" in response.content.decode()
    assert not Ballot.objects.exists()


def test_staff_enter_paper_ballots_check_a_sample_and_the_manager_confirms_the_grants(
    client_as, vote, officer, manager
):
    a, b, c, d = vote.entries
    client = client_as(officer)
    paper = _url("vote-paper", vote)
    assert 'value="1"' in client.get(paper).content.decode()  # the first number is filled in
    for number, picks in enumerate([[c.pk, d.pk]] * 6 + [[b.pk, d.pk]] * 3, start=1):
        response = client.post(paper, {"number": number, "bids": picks})
        assert response.status_code == 302, response.content.decode()
    response = client.post(paper, {"number": 10, "bids": [a.pk, b.pk]})
    assert response.status_code == 400
    assert "record the ballot as spoilt" in response.content.decode()
    client.post(paper, {"number": 10, "spoilt": "on", "spoilt_reason": "Over the pot"})
    assert 'value="11"' in client.get(paper).content.decode()

    sample = services.check_sample(vote.participatory)
    checker = client_as(manager)
    page = checker.get(_url("vote-paper-check", vote)).content.decode()
    assert f"Ballots to check: {sample[0]}" in page
    stored = Ballot.objects.get(participatory=vote.participatory, number=sample[0])
    checker.post(
        _url("vote-paper-check", vote),
        {
            "number": sample[0],
            "bids": list(stored.choices.values_list("entry_id", flat=True)),
            "spoilt": "on" if stored.spoilt else "",
        },
    )
    assert Ballot.objects.get(pk=stored.pk).check_matches is True

    count = checker.get(_url("vote-count", vote)).content.decode()
    assert "Voting is still open" in count
    assert "Confirm the result" not in count
    vote.participatory.voting_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    vote.participatory.save(update_fields=["voting_closes_at"])
    count = checker.get(_url("vote-count", vote)).content.decode()
    assert "Confirm the result" in count
    today = timezone.localdate()
    due = today + datetime.timedelta(days=60)
    response = checker.post(
        _url("vote-confirm", vote),
        {
            "awarded_on_0": today.day,
            "awarded_on_1": today.month,
            "awarded_on_2": today.year,
            "first_report_due_0": due.day,
            "first_report_due_1": due.month,
            "first_report_due_2": due.year,
        },
    )
    assert response["Location"] == reverse("funds:fund-dashboard", args=[vote.fund.slug])
    # D (9 votes, £1,000), C (6, £4,000) and B (3, £5,000) spend the £10,000 pot exactly; A has
    # no votes (the spoilt ballot chose it).
    awarded = set(
        Award.objects.filter(application__round=vote.round).values_list("application_id", flat=True)
    )
    assert awarded == {b.application_id, c.application_id, d.application_id}
    dashboard = checker.get(reverse("funds:fund-dashboard", args=[vote.fund.slug])).content.decode()
    assert "3 grants awarded." in dashboard
    assert vote.neighbourhood.name in dashboard  # the bids' place, with the money awarded there

    public = client_as(None).get(_url("vote-results", vote)).content.decode()
    assert "Ballots on paper" in public and "Spoilt ballots (not counted)" in public
    csv = client_as(None).get(_url("vote-results-csv", vote)).content.decode("utf-8-sig")
    assert "Spoilt ballots,1" in csv and "Ballots on paper,10" in csv


def test_the_same_person_cannot_check_the_ballot_they_entered(client_as, vote, officer):
    client = client_as(officer)
    client.post(_url("vote-paper", vote), {"number": 1, "bids": [vote.entries[3].pk]})
    response = client.post(
        _url("vote-paper-check", vote), {"number": 1, "bids": [vote.entries[3].pk]}
    )
    assert response.status_code == 400
    assert "Someone other than the person who entered the ballot" in response.content.decode()
    assert Ballot.objects.get(channel=BallotChannel.PAPER).check_matches is None


@pytest.mark.parametrize("size", [2, 12])
def test_the_vote_and_count_pages_take_the_same_queries_at_any_size(
    client_as, programme, manager, django_assert_max_num_queries, size
):
    vote = participatory_round(
        programme=programme,
        manager=manager,
        amounts=[Decimal(200 * (n + 1)) for n in range(size)],
    )
    for n in range(size):
        services.paper_ballot_enter(
            participatory=vote.participatory,
            user=manager,
            number=n + 1,
            choices={vote.entries[n].pk: None},
        )
    client = client_as(manager)
    with django_assert_max_num_queries(16):
        assert client.get(_url("vote", vote)).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(_url("vote-count", vote)).status_code == 200


def test_a_council_admin_loads_postcodes_all_or_nothing(client_as, programme):
    PlaceFactory(council=programme.council, kind=PlaceKind.WARD, name="Whoberley")
    admin = user_with_role(Role.COUNCIL_ADMIN, council=programme.council)
    client = client_as(admin)
    url = reverse("funds:postcodes", args=[programme.council.slug])
    bad = SimpleUploadedFile("p.csv", b"postcode,place\nCV5 8AA,Whoberley\nCV5 8AB,Nowhere\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "has no place Nowhere" in response.content.decode()
    assert not PostcodePlace.objects.exists()
    good = SimpleUploadedFile("p.csv", b"Postcode,Place\nCV5 8AA,Whoberley\n")
    assert client.post(url, {"file": good}).status_code == 302
    assert "1 postcode loaded" in client.get(url).content.decode()
