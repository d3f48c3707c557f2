"""The count: a pure function of the bids, the ballots and the rule, so that running it again
gives the same result.

Votes
- *Choose bids up to the pot* and *choose N bids*: a bid's votes are the ballots that picked it.
- *Score every bid from 1 to 5*: a bid's votes are the sum of its scores.
Spoilt ballots count for nothing (they are reported, not counted).

Order, then funding
Bids are ranked by votes, most first. Ties are broken, in this order, by:
1. the smaller amount first (the same pot then funds more of what residents chose);
2. the bid submitted first (its application's submission time);
3. the lower application number (its database id), so the order is always total.
Going down the ranking, each bid is funded if its amount fits in what is left of the pot; a bid
that does not fit is passed over and the next bid is tried, so the pot is spent as far as it can
be. A bid with no votes is never funded.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

KNAPSACK = "knapsack"
CHOOSE_N = "choose_n"
SCORE = "score"

TIE_BREAKS = [
    "more votes (for scores: a higher total score)",
    "the smaller amount",
    "the bid submitted first",
    "the lower application number",
]


@dataclass(frozen=True)
class Bid:
    id: int
    amount: Decimal
    submitted_at: datetime | None
    application_id: int


@dataclass(frozen=True)
class CountedBallot:
    spoilt: bool
    channel: str
    # entry id -> score (None for a pick)
    choices: dict[int, int | None] = field(default_factory=dict)


@dataclass
class BidResult:
    bid: Bid
    votes: int = 0
    rank: int = 0
    funded: bool = False
    note: str = ""


@dataclass
class CountResult:
    rows: list[BidResult]
    pot: Decimal
    funded_total: Decimal
    online: int
    paper: int
    spoilt: int

    @property
    def left_over(self) -> Decimal:
        return self.pot - self.funded_total

    @property
    def counted(self) -> int:
        return self.online + self.paper - self.spoilt

    @property
    def total(self) -> int:
        return self.online + self.paper

    @property
    def funded(self) -> list[BidResult]:
        return [row for row in self.rows if row.funded]


def _ranking_key(row: BidResult):
    bid = row.bid
    submitted = bid.submitted_at.timestamp() if bid.submitted_at else float("inf")
    return (-row.votes, bid.amount, submitted, bid.application_id)


def count(*, rule: str, pot: Decimal, bids: list[Bid], ballots: list[CountedBallot]) -> CountResult:
    rows = {bid.id: BidResult(bid=bid) for bid in bids}
    online = paper = spoilt = 0
    for ballot in ballots:
        if ballot.channel == "paper":
            paper += 1
        else:
            online += 1
        if ballot.spoilt:
            spoilt += 1
            continue
        for entry_id, score in ballot.choices.items():
            if entry_id not in rows:
                continue
            rows[entry_id].votes += score if rule == SCORE else 1
    ranked = sorted(rows.values(), key=_ranking_key)
    left = pot
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
        if row.votes == 0:
            row.note = "No votes"
        elif row.bid.amount <= left:
            row.funded = True
            left -= row.bid.amount
        else:
            row.note = "Not enough left in the pot"
    return CountResult(
        rows=ranked,
        pot=pot,
        funded_total=pot - left,
        online=online,
        paper=paper,
        spoilt=spoilt,
    )


def ballot_problems(
    *, rule: str, pot: Decimal, choose_n: int | None, amounts: dict[int, Decimal], choices: dict
) -> list[str]:
    """What is wrong with a ballot's choices under the rule, in plain English (empty: valid).
    `amounts` maps every shortlisted bid's id to its amount; `choices` maps an id to a score (or
    None for a pick)."""
    unknown = [entry_id for entry_id in choices if entry_id not in amounts]
    if unknown:
        return ["Choose only bids on this ballot"]
    if rule == SCORE:
        missing = [entry_id for entry_id in amounts if choices.get(entry_id) is None]
        if missing:
            return [f"Give every bid a score from 1 to 5 ({len(missing)} not scored yet)"]
        if any(not 1 <= int(score) <= 5 for score in choices.values()):
            return ["Each score must be from 1 to 5"]
        return []
    if not choices:
        return ["Choose at least one bid"]
    if rule == CHOOSE_N:
        if len(choices) != choose_n:
            word = "bid" if choose_n == 1 else "bids"
            return [f"Choose exactly {choose_n} {word}. You have chosen {len(choices)}"]
        return []
    total = sum((amounts[entry_id] for entry_id in choices), Decimal("0"))
    if total > pot:
        over = total - pot
        return [
            f"The bids you have chosen come to £{total:,.2f}, which is £{over:,.2f} more than "
            f"the £{pot:,.2f} pot. Remove a bid"
        ]
    return []
