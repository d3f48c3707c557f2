"""Participatory budgeting services: set-up, shortlisting, one vote per person (email, polling
card, a double submit), paper ballots and their double-entry check, and confirming the result
into awards through the fund's award service."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.core import tabular
from cpw.core.models import OutboundEmail
from funds.models import (
    ApplicationStatus,
    Award,
    Ballot,
    BallotChannel,
    MonitoringReport,
    PollingCard,
    PostcodePlace,
    VoterRecord,
    VotingRule,
)
from funds.participatory import selectors, services
from programmes.models import PlaceKind
from tests.accounts.factories import user_with_role
from tests.funds.factories import ApplicationFactory
from tests.funds.participatory import IN_AREA, OUTSIDE, email_voter, participatory_round
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


def pick(*entries):
    return {e.pk: None for e in entries}


# Set-up and shortlisting -----------------------------------------------------------------------


def test_shortlisting_moves_a_bid_to_ready_for_decision_and_keeps_its_amount(vote):
    entry = vote.entries[0]
    entry.application.refresh_from_db()
    assert entry.application.status == ApplicationStatus.READY_FOR_DECISION
    assert entry.amount == Decimal("6000")
    assert [e.pk for e in selectors.shortlist(vote.participatory)] == [e.pk for e in vote.entries]


def test_a_bid_not_shortlisted_is_declined_with_the_notes(programme, manager):
    vote = participatory_round(programme=programme, manager=manager, state="upcoming", amounts=())
    application = ApplicationFactory(round=vote.round, submitted=True)
    entry = services.bid_shortlist(
        participatory=vote.participatory,
        application=application,
        user=manager,
        eligible=False,
        notes="The site is not in the area",
    )
    application.refresh_from_db()
    assert not entry.eligible
    assert application.status == ApplicationStatus.DECLINED
    assert "The site is not in the area" in application.decision.reason


def test_the_shortlist_and_settings_cannot_change_once_voting_has_opened(vote, manager):
    application = ApplicationFactory(round=vote.round, submitted=True)
    with pytest.raises(ValidationError, match="Voting has opened"):
        services.bid_shortlist(
            participatory=vote.participatory,
            application=application,
            user=manager,
            eligible=True,
            notes="Fine",
        )
    with pytest.raises(ValidationError, match="Voting has opened"):
        services.participatory_set(
            round=vote.round,
            user=manager,
            rule=VotingRule.SCORE,
            voting_opens_at=timezone.now() + datetime.timedelta(days=1),
            voting_closes_at=timezone.now() + datetime.timedelta(days=2),
            places=[vote.ward],
        )


def test_voting_must_open_after_bids_close_and_choose_n_needs_its_number(programme, manager):
    vote = participatory_round(programme=programme, manager=manager, state="upcoming", amounts=())
    with pytest.raises(ValidationError) as exc:
        services.participatory_set(
            round=vote.round,
            user=manager,
            rule=VotingRule.CHOOSE_N,
            voting_opens_at=vote.round.closes_at - datetime.timedelta(days=1),
            voting_closes_at=vote.round.closes_at + datetime.timedelta(days=1),
            places=[vote.ward],
            now=vote.round.closes_at,
        )
    assert set(exc.value.message_dict) == {"voting_opens_on", "choose_n"}


# Postcodes -------------------------------------------------------------------------------------


def test_a_postcode_is_in_the_area_when_its_place_is_inside_one_of_the_votes_places(vote):
    assert services.postcode_in_area(vote.participatory, IN_AREA)
    assert services.postcode_in_area(vote.participatory, "cv35aa")
    assert not services.postcode_in_area(vote.participatory, OUTSIDE)
    assert not services.postcode_in_area(vote.participatory, "ZZ9 9ZZ")


def test_loading_postcodes_is_all_or_nothing_and_names_each_bad_row(programme, tmp_path):
    council = programme.council
    PlaceFactory(council=council, kind=PlaceKind.WARD, name="Whoberley", ons_code="E05001234")
    PlaceFactory(council=council, kind=PlaceKind.WARD, name="Earlsdon")
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode,place\nCV5 8AA,E05001234\nnot a postcode,Earlsdon\nCV5 6AA,Nowhere\n")
    with pytest.raises(tabular.ImportRejected) as exc:
        _, rows = tabular.read_dicts(bad.read_bytes(), name="bad.csv")
        services.postcodes_import(council=council, rows=rows)
    assert [(e.row, e.column) for e in exc.value.row_errors] == [(3, "postcode"), (4, "place")]
    assert not PostcodePlace.objects.filter(council=council).exists()
    good = tmp_path / "good.csv"
    good.write_text("Postcode,Place\ncv5 8aa,E05001234\nCV5 6AA,earlsdon\n")
    call_command("load_postcodes", council.slug, str(good))
    assert dict(
        PostcodePlace.objects.filter(council=council).values_list("postcode", "place__name")
    ) == {"CV58AA": "Whoberley", "CV56AA": "Earlsdon"}


# One vote per person ---------------------------------------------------------------------------


def test_an_email_voter_who_votes_again_replaces_their_ballot(vote):
    a, b, c, d = vote.entries
    ballot, replaced = services.ballot_cast(
        participatory=vote.participatory, voter=email_voter(vote.participatory), choices=pick(a, d)
    )
    assert not replaced
    # The same address, written differently, is the same voter.
    again, replaced = services.ballot_cast(
        participatory=vote.participatory,
        voter=email_voter(vote.participatory, " Resident@Example.ORG "),
        choices=pick(b, c),
    )
    assert replaced
    assert Ballot.objects.filter(participatory=vote.participatory).count() == 1
    assert VoterRecord.objects.filter(participatory=vote.participatory).count() == 1
    assert set(again.choices.values_list("entry_id", flat=True)) == {b.pk, c.pk}
    # Nothing on the ballot or the voter record holds the address.
    record = VoterRecord.objects.get()
    assert "resident" not in record.voter_key and "resident" not in again.replace_key
    assert record.voter_key != again.replace_key


def test_a_polling_card_votes_once_and_voting_again_with_it_replaces_the_ballot(vote):
    code = services.polling_cards_issue(participatory=vote.participatory, count=3)[0]
    voter = services.voter_identify_card(
        participatory=vote.participatory, code=code.lower(), postcode=IN_AREA
    )
    services.ballot_cast(
        participatory=vote.participatory, voter=voter, choices=pick(vote.entries[0])
    )
    services.ballot_cast(
        participatory=vote.participatory, voter=voter, choices=pick(vote.entries[1])
    )
    assert Ballot.objects.count() == 1
    assert PollingCard.objects.filter(used_at__isnull=False).count() == 1
    assert not PollingCard.objects.filter(code_hash__icontains=code.replace("-", "")).exists()


def test_a_wrong_card_code_or_a_postcode_outside_the_area_is_refused(vote):
    services.polling_cards_issue(participatory=vote.participatory, count=1)
    with pytest.raises(ValidationError) as exc:
        services.voter_identify_card(
            participatory=vote.participatory, code="AAAAA-BBBBB", postcode=OUTSIDE
        )
    assert exc.value.message_dict == {
        "code": ["Enter the code exactly as it is printed on your polling card"],
        "postcode": ["Enter a postcode in the area of this vote"],
    }


def test_the_email_link_lets_its_holder_vote_and_no_other_vote(vote, programme, manager):
    links = []
    services.voter_verification_send(
        participatory=vote.participatory,
        email="resident@example.org",
        postcode=IN_AREA,
        verify_url=lambda token: links.append(token) or f"https://x/{token}",
    )
    assert OutboundEmail.objects.get().to == "resident@example.org"
    voter = services.voter_verify_email(participatory=vote.participatory, token=links[0])
    assert voter == email_voter(vote.participatory)
    with pytest.raises(ValidationError, match="not right"):
        services.voter_verify_email(participatory=vote.participatory, token=links[0] + "x")
    other = participatory_round(programme=programme, manager=manager, name="Foleshill vote")
    with pytest.raises(ValidationError, match="another vote"):
        services.voter_verify_email(participatory=other.participatory, token=links[0])
    with pytest.raises(ValidationError, match="area of this vote"):
        services.voter_verification_send(
            participatory=vote.participatory,
            email="resident@example.org",
            postcode=OUTSIDE,
            verify_url=str,
        )


def test_a_ballot_over_the_pot_is_refused_and_nothing_is_saved(vote):
    a, b, *_ = vote.entries
    with pytest.raises(ValidationError, match="£1,000.00 more than the £10,000.00 pot"):
        services.ballot_cast(
            participatory=vote.participatory,
            voter=email_voter(vote.participatory),
            choices=pick(a, b),
        )
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_the_database_refuses_a_second_ballot_for_the_same_voter(vote):
    voter = email_voter(vote.participatory)
    services.ballot_cast(
        participatory=vote.participatory, voter=voter, choices=pick(vote.entries[3])
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            participatory=vote.participatory,
            channel=BallotChannel.ONLINE,
            replace_key=voter.replace_key,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecord.objects.create(
            participatory=vote.participatory, method="email", voter_key=voter.voter_key
        )


def test_a_voter_pass_for_another_vote_is_refused(programme, manager, vote):
    other = participatory_round(programme=programme, manager=manager, name="Foleshill vote")
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            participatory=vote.participatory,
            voter=email_voter(other.participatory),
            choices=pick(vote.entries[0]),
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions: PostgreSQL pass"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_one_voter_make_one_ballot(programme, manager):
    vote = participatory_round(programme=programme, manager=manager)
    voter = email_voter(vote.participatory)
    start = threading.Barrier(4)
    errors = []

    def submit(entry):
        try:
            start.wait()
            services.ballot_cast(participatory=vote.participatory, voter=voter, choices=pick(entry))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit, args=(e,)) for e in vote.entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Ballot.objects.filter(participatory=vote.participatory).count() == 1
    assert VoterRecord.objects.filter(participatory=vote.participatory).count() == 1


def test_every_change_after_the_window_closes_is_refused(programme, manager):
    vote = participatory_round(programme=programme, manager=manager, state="closed")
    with pytest.raises(ValidationError, match="Voting closed"):
        services.ballot_cast(
            participatory=vote.participatory,
            voter=email_voter(vote.participatory),
            choices=pick(vote.entries[3]),
        )
    with pytest.raises(ValidationError, match="Nothing can be changed now"):
        services.paper_ballot_enter(
            participatory=vote.participatory, user=manager, number=1, choices=pick(vote.entries[3])
        )
    with pytest.raises(ValidationError, match="Voting closed"):
        services.voter_identify_card(participatory=vote.participatory, code="X", postcode=IN_AREA)


# Paper ballots ---------------------------------------------------------------------------------


def test_paper_ballots_are_numbered_once_and_a_ballot_breaking_the_rule_must_be_spoilt(
    vote, officer
):
    a, b, c, d = vote.entries
    services.paper_ballot_enter(
        participatory=vote.participatory, user=officer, number=1, choices=pick(c, d)
    )
    with pytest.raises(ValidationError, match="already been entered"):
        services.paper_ballot_enter(
            participatory=vote.participatory, user=officer, number=1, choices=pick(d)
        )
    with pytest.raises(ValidationError) as exc:
        services.paper_ballot_enter(
            participatory=vote.participatory, user=officer, number=2, choices=pick(a, b)
        )
    assert exc.value.messages[-1] == "If that is what the paper says, record the ballot as spoilt"
    with pytest.raises(ValidationError, match="why the ballot is spoilt"):
        services.paper_ballot_enter(
            participatory=vote.participatory, user=officer, number=2, choices={}, spoilt=True
        )
    spoilt = services.paper_ballot_enter(
        participatory=vote.participatory,
        user=officer,
        number=2,
        choices=pick(a, b),
        spoilt=True,
        reason="Over the pot",
    )
    assert spoilt.spoilt and not spoilt.choices.exists()


def test_the_double_entry_check_needs_a_second_person_and_records_a_mismatch(
    vote, officer, manager
):
    a, b, c, d = vote.entries
    for number in range(1, 21):
        services.paper_ballot_enter(
            participatory=vote.participatory, user=officer, number=number, choices=pick(c, d)
        )
    sample = services.check_sample(vote.participatory)
    assert len(sample) == 2 and sample == services.check_sample(vote.participatory)
    with pytest.raises(PermissionDenied):
        services.paper_ballot_check(
            participatory=vote.participatory, user=officer, number=sample[0], choices=pick(c, d)
        )
    services.paper_ballot_check(
        participatory=vote.participatory, user=manager, number=sample[0], choices=pick(c, d)
    )
    services.paper_ballot_check(
        participatory=vote.participatory, user=manager, number=sample[1], choices=pick(d)
    )
    assert selectors.check_summary(vote.participatory) == {
        "entered": 20,
        "checked": 2,
        "mismatched": 1,
    }


def test_paper_and_online_ballots_add_up_in_the_count(vote, officer):
    a, b, c, d = vote.entries
    for n in range(3):
        services.ballot_cast(
            participatory=vote.participatory,
            voter=email_voter(vote.participatory, f"r{n}@example.org"),
            choices=pick(a, d),
        )
    services.paper_ballot_enter(
        participatory=vote.participatory, user=officer, number=1, choices=pick(a)
    )
    services.paper_ballot_enter(
        participatory=vote.participatory, user=officer, number=2, choices=pick(c, d)
    )
    services.paper_ballot_enter(
        participatory=vote.participatory,
        user=officer,
        number=3,
        choices={},
        spoilt=True,
        reason="Blank",
    )
    result = selectors.result_count(vote.participatory)
    assert (result.online, result.paper, result.spoilt, result.total, result.counted) == (
        3,
        3,
        1,
        6,
        5,
    )
    votes = {row.bid.id: row.votes for row in result.rows}
    assert votes == {a.pk: 4, b.pk: 0, c.pk: 1, d.pk: 4}
    assert result.rows == selectors.result_count(vote.participatory).rows


# Confirming the result -------------------------------------------------------------------------


def _closed_vote_with_ballots(programme, manager):
    vote = participatory_round(programme=programme, manager=manager)
    a, b, c, d = vote.entries
    for n, choices in enumerate([pick(a, d), pick(a, c), pick(b, c), pick(b, d), pick(c)]):
        services.ballot_cast(
            participatory=vote.participatory,
            voter=email_voter(vote.participatory, f"r{n}@example.org"),
            choices=choices,
        )
    vote.participatory.voting_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    vote.participatory.save(update_fields=["voting_closes_at"])
    return vote


def test_confirming_the_result_awards_exactly_the_funded_bids(programme, manager):
    vote = _closed_vote_with_ballots(programme, manager)
    a, b, c, d = vote.entries
    today = timezone.localdate()
    awards = services.result_confirm(
        participatory=vote.participatory,
        user=manager,
        awarded_on=today,
        first_report_due=today + datetime.timedelta(days=90),
    )
    funded = {row.bid.id for row in selectors.result_count(vote.participatory).funded}
    assert funded == {c.pk, d.pk, b.pk}
    assert {award.application_id for award in awards} == {
        e.application_id for e in vote.entries if e.pk in funded
    }
    assert sum(award.amount for award in awards) == Decimal("10000")
    assert Award.objects.filter(application__round=vote.round).count() == 3
    assert MonitoringReport.objects.filter(award__in=awards).count() == 3
    a.application.refresh_from_db()
    assert a.application.status == ApplicationStatus.DECLINED
    # No ballot can be tied to a voter any more, and the count is unchanged.
    assert not Ballot.objects.exclude(replace_key="").exists()
    assert {row.bid.id for row in selectors.result_count(vote.participatory).funded} == funded
    with pytest.raises(ValidationError, match="already been confirmed"):
        services.result_confirm(
            participatory=vote.participatory,
            user=manager,
            awarded_on=today,
            first_report_due=today + datetime.timedelta(days=90),
        )


def test_the_result_cannot_be_confirmed_while_voting_is_open(vote, manager):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="confirm the result after that"):
        services.result_confirm(
            participatory=vote.participatory,
            user=manager,
            awarded_on=today,
            first_report_due=today + datetime.timedelta(days=90),
        )


def test_a_bid_already_in_assessment_can_be_shortlisted_or_declined(programme, manager):
    vote = participatory_round(programme=programme, manager=manager, state="upcoming", amounts=())
    declined = ApplicationFactory(round=vote.round, in_assessment=True)
    shortlisted = ApplicationFactory(round=vote.round, in_assessment=True)
    for application, eligible in ((declined, False), (shortlisted, True)):
        services.bid_shortlist(
            participatory=vote.participatory,
            application=application,
            user=manager,
            eligible=eligible,
            notes="Checked",
        )
        application.refresh_from_db()
    assert declined.status == ApplicationStatus.DECLINED
    assert shortlisted.status == ApplicationStatus.READY_FOR_DECISION
