from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from funds.models import Award, Ballot, ParticipatoryRound
from funds.participatory import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings_module(settings):
    settings.SETTINGS_MODULE = "cpw.settings.test"


def test_the_demo_has_a_confirmed_residents_vote_with_awards_and_an_open_one():
    call_command("load_demo")
    call_command("load_demo")  # loading again changes nothing
    votes = ParticipatoryRound.objects.filter(round__fund__slug="residents-decide")
    assert votes.count() == 2
    assert {v.round.fund.programme.council.name for v in votes} == {"Warwickshire County Council"}
    closed = votes.get(result_confirmed_at__isnull=False)
    result = selectors.result_count(closed)
    assert (result.online, result.paper, result.spoilt) == (64, 33, 2)
    awards = Award.objects.filter(application__round=closed.round)
    assert {a.application_id for a in awards} == {row.entry.application_id for row in result.funded}
    assert sum(a.amount for a in awards) == result.funded_total <= Decimal("25000")
    assert not Ballot.objects.filter(participatory=closed).exclude(replace_key="").exists()
    opened = votes.get(result_confirmed_at__isnull=True)
    assert opened.voting_open(timezone.now())
    assert opened.ballots.count() == 12
