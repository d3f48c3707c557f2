"""The count against worked examples: each rule, its tie-breaks, a pot that cannot be spent
exactly, spoilt ballots, and the same result whatever order the ballots come in."""

import datetime
import random
from decimal import Decimal

from funds.participatory.count import (
    CHOOSE_N,
    KNAPSACK,
    SCORE,
    Bid,
    CountedBallot,
    ballot_problems,
    count,
)

T0 = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)


def bid(id, amount, minutes=0):
    return Bid(
        id=id,
        amount=Decimal(amount),
        submitted_at=T0 + datetime.timedelta(minutes=minutes),
        application_id=100 + id,
    )


def picks(*ids, channel="online"):
    return CountedBallot(spoilt=False, channel=channel, choices=dict.fromkeys(ids))


def scores(channel="online", **by_id):
    return CountedBallot(
        spoilt=False, channel=channel, choices={int(k[1:]): v for k, v in by_id.items()}
    )


SPOILT = CountedBallot(spoilt=True, channel="paper", choices={})


def summary(result):
    return [(row.bid.id, row.votes, row.funded) for row in result.rows]


def test_knapsack_funds_down_the_ranking_and_breaks_ties_by_the_smaller_amount():
    # A £6,000, B £5,000, C £4,000, D £1,000; a £10,000 pot.
    bids = [bid(1, 6000), bid(2, 5000), bid(3, 4000), bid(4, 1000)]
    ballots = [picks(1, 4), picks(1, 3), picks(2, 3), picks(2, 4), picks(3)]
    result = count(rule=KNAPSACK, pot=Decimal("10000"), bids=bids, ballots=ballots)
    # C has 3 votes; A, B and D 2 each: the smaller amount first (D, B, A).
    assert summary(result) == [(3, 3, True), (4, 2, True), (2, 2, True), (1, 2, False)]
    assert [row.rank for row in result.rows] == [1, 2, 3, 4]
    assert result.funded_total == Decimal("10000")
    assert result.left_over == 0
    assert result.rows[3].note == "Not enough left in the pot"


def test_a_pot_that_cannot_be_spent_exactly_passes_over_a_bid_that_does_not_fit():
    # £10,000 pot: A £7,000 (5 votes) is funded, B £4,000 (4) does not fit in the £3,000 left
    # and is passed over, C £2,500 (3) fits; D has no votes and is never funded.
    bids = [bid(1, 7000), bid(2, 4000), bid(3, 2500), bid(4, 500)]
    ballots = [picks(1)] * 5 + [picks(2)] * 4 + [picks(3)] * 3
    result = count(rule=KNAPSACK, pot=Decimal("10000"), bids=bids, ballots=ballots)
    assert summary(result) == [(1, 5, True), (2, 4, False), (3, 3, True), (4, 0, False)]
    assert result.funded_total == Decimal("9500")
    assert result.left_over == Decimal("500")
    assert result.rows[3].note == "No votes"


def test_a_tie_on_votes_and_amount_goes_to_the_bid_submitted_first_then_the_lower_number():
    bids = [bid(1, 3000, minutes=20), bid(2, 3000, minutes=10), bid(3, 3000, minutes=10)]
    ballots = [picks(1, 2, 3)]
    result = count(rule=KNAPSACK, pot=Decimal("6000"), bids=bids, ballots=ballots)
    # 2 and 3 were submitted at the same moment, before 1: the lower application number wins.
    assert summary(result) == [(2, 1, True), (3, 1, True), (1, 1, False)]


def test_choose_n_counts_one_vote_a_pick():
    bids = [bid(1, 2000), bid(2, 2000), bid(3, 1000)]
    ballots = [picks(1, 2), picks(1, 3), picks(1, 3), picks(2, 3, channel="paper"), SPOILT]
    result = count(rule=CHOOSE_N, pot=Decimal("3500"), bids=bids, ballots=ballots)
    # 1 and 3 have 3 votes each: 3 (£1,000) first; then 1; 2 (2 votes) no longer fits.
    assert summary(result) == [(3, 3, True), (1, 3, True), (2, 2, False)]
    assert (result.online, result.paper, result.spoilt, result.counted) == (3, 2, 1, 4)


def test_score_ranks_by_total_score_until_the_pot_is_spent():
    bids = [bid(1, 2000, minutes=5), bid(2, 2000, minutes=1), bid(3, 4000)]
    ballots = [scores(b1=5, b2=3, b3=4), scores(b1=1, b2=3, b3=4), SPOILT]
    result = count(rule=SCORE, pot=Decimal("5000"), bids=bids, ballots=ballots)
    # 3 scores 8; 1 and 2 tie on 6 and £2,000: 2 was submitted first. After 3's £4,000 only
    # £1,000 is left, so neither is funded.
    assert summary(result) == [(3, 8, True), (2, 6, False), (1, 6, False)]
    assert result.left_over == Decimal("1000")
    assert result.spoilt == 1


def test_the_count_gives_the_same_result_whatever_order_the_ballots_and_bids_come_in():
    bids = [bid(i, 500 * (i % 4 + 1), minutes=i % 3) for i in range(1, 13)]
    rng = random.Random(7)
    ballots = [picks(*rng.sample(range(1, 13), 3)) for _ in range(200)] + [SPOILT] * 3
    first = count(rule=CHOOSE_N, pot=Decimal("6000"), bids=bids, ballots=ballots)
    for seed in range(5):
        shuffled_bids, shuffled_ballots = bids[:], ballots[:]
        random.Random(seed).shuffle(shuffled_bids)
        random.Random(seed).shuffle(shuffled_ballots)
        again = count(
            rule=CHOOSE_N, pot=Decimal("6000"), bids=shuffled_bids, ballots=shuffled_ballots
        )
        assert summary(again) == summary(first)
        assert again.funded_total == first.funded_total


AMOUNTS = {1: Decimal("6000"), 2: Decimal("5000"), 3: Decimal("1000")}


def test_a_ballot_over_the_pot_is_refused_with_how_much_over():
    problems = ballot_problems(
        rule=KNAPSACK,
        pot=Decimal("10000"),
        choose_n=None,
        amounts=AMOUNTS,
        choices={1: None, 2: None},
    )
    assert problems == [
        "The bids you have chosen come to £11,000.00, which is £1,000.00 more than the "
        "£10,000.00 pot. Remove a bid"
    ]
    assert not ballot_problems(
        rule=KNAPSACK,
        pot=Decimal("10000"),
        choose_n=None,
        amounts=AMOUNTS,
        choices={1: None, 3: None},
    )


def test_a_ballot_with_the_wrong_number_of_picks_is_refused():
    def problems(choices):
        return ballot_problems(
            rule=CHOOSE_N, pot=Decimal("1"), choose_n=2, amounts=AMOUNTS, choices=choices
        )

    assert problems({1: None}) == ["Choose exactly 2 bids. You have chosen 1"]
    assert problems({1: None, 2: None, 3: None}) == ["Choose exactly 2 bids. You have chosen 3"]
    # The pot does not limit a choose-N ballot.
    assert problems({1: None, 2: None}) == []
    assert problems({}) == ["Choose at least one bid"]


def test_a_score_ballot_must_score_every_bid_from_one_to_five():
    def problems(choices):
        return ballot_problems(
            rule=SCORE, pot=Decimal("1"), choose_n=None, amounts=AMOUNTS, choices=choices
        )

    assert problems({1: 5, 2: 1}) == ["Give every bid a score from 1 to 5 (1 not scored yet)"]
    assert problems({1: 5, 2: 1, 3: 6}) == ["Each score must be from 1 to 5"]
    assert problems({1: 5, 2: 1, 3: 3}) == []
    assert problems({1: 5, 2: 1, 3: 3, 9: 2}) == ["Choose only bids on this ballot"]
