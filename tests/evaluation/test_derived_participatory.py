"""Derived metrics of residents' votes (participatory budgeting): the money residents decided
and the turnout, each worked out here by hand from the ballots and grants made through the
services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cpw.accounts.models import Role
from evaluation import derived
from funds.participatory import services
from programmes.services import reporting_periods_ensure
from tests.accounts.factories import user_with_role
from tests.funds.factories import AwardFactory
from tests.funds.participatory import email_voter, participatory_round

pytestmark = pytest.mark.django_db


def test_money_decided_by_residents_and_turnout(programme):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    vote = participatory_round(programme=programme, manager=manager, electorate=40)
    a, b, c, d = vote.entries
    for n, choices in enumerate([{c.pk: None, d.pk: None}] * 3 + [{a.pk: None}]):
        services.ballot_cast(
            participatory=vote.participatory,
            voter=email_voter(vote.participatory, f"r{n}@example.org"),
            choices=choices,
        )
    services.paper_ballot_enter(
        participatory=vote.participatory,
        user=manager,
        number=1,
        choices={},
        spoilt=True,
        reason="Blank",
    )
    vote.participatory.voting_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    vote.participatory.save(update_fields=["voting_closes_at"])
    today = timezone.localdate()
    services.result_confirm(
        participatory=vote.participatory,
        user=manager,
        awarded_on=today,
        first_report_due=today + datetime.timedelta(days=90),
    )
    # A grant the council decided, in the same period, is not money residents decided.
    AwardFactory(application__round__fund__programme=programme, awarded_on=today)
    label = timezone.localdate()
    year = label.year if label.month >= 4 else label.year - 1
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(label.month, 4)
    period = reporting_periods_ensure(
        programme=programme, first=f"{year}-Q{quarter}", last=f"{year}-Q{quarter}"
    )[0]
    # D (3 votes, £1,000) and C (3, £4,000) are funded; A (1 vote, £6,000) does not fit in
    # the £5,000 left. Residents decided £5,000.
    assert derived.calculate("money_decided_by_residents", programme, period) == Decimal("5000")
    # 5 ballots (one spoilt) of 40 residents.
    assert derived.calculate("residents_vote_turnout", programme, period) == Decimal("12.5")
