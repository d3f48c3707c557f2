import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from funds.models import Round
from tests.accounts.factories import user_with_role
from tests.funds.factories import FundFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(programme):
    return FundFactory(programme=programme, budget_total=Decimal("100000"))


def _post(client, fund, **overrides):
    data = {
        "form": "round",
        "round-name": "Round 2",
        "round-opens_on_0": "1",
        "round-opens_on_1": "4",
        "round-opens_on_2": "2025",
        "round-closes_on_0": "30",
        "round-closes_on_1": "6",
        "round-closes_on_2": "2025",
        "round-award_by_0": "",
        "round-award_by_1": "",
        "round-award_by_2": "",
        "round-budget": "40000",
        **overrides,
    }
    return client.post(reverse("funds:fund-setup", args=[fund.slug]), data)


def test_a_manager_adds_a_round_that_closes_at_1159pm_london_time(client_as, programme, fund):
    client = client_as(user_with_role(Role.PROGRAMME_MANAGER, programme))
    response = _post(client, fund)
    assert response.status_code == 302, response.content.decode()[:3000]
    round_ = Round.objects.get(fund=fund, name="Round 2")
    closes = round_.closes_at.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    assert (closes.date(), closes.hour, closes.minute) == (datetime.date(2025, 6, 30), 23, 59)
    assert round_.budget == Decimal("40000")
    assert round_.history.first().history_user is not None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"round-closes_on_1": "3"}, "The closing date must be on or after the opening date"),
        ({"round-budget": "-5"}, "Budget cannot be negative"),
        ({"round-budget": "lots"}, "Budget must be an amount of money"),
        ({"round-opens_on_0": "31", "round-opens_on_1": "2"}, "Opening date must be a real date"),
        ({"round-name": ""}, "Enter the name of the round"),
        (
            {"round-award_by_0": "1", "round-award_by_1": "6", "round-award_by_2": "2025"},
            "Decisions cannot be due before the round closes",
        ),
    ],
)
def test_bad_rounds_are_refused_with_a_clear_message(
    client_as, programme, fund, overrides, message
):
    client = client_as(user_with_role(Role.PROGRAMME_MANAGER, programme))
    response = _post(client, fund, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Round.objects.filter(fund=fund).exists()


def test_rounds_cannot_share_out_more_than_the_fund_budget(client_as, programme, fund):
    RoundFactory(fund=fund, name="Round 1", budget=Decimal("70000"))
    client = client_as(user_with_role(Role.PROGRAMME_MANAGER, programme))
    response = _post(client, fund)
    assert response.status_code == 400
    assert "£30,000 is left to give to rounds" in response.content.decode()
    assert Round.objects.filter(fund=fund).count() == 1


def test_officers_cannot_add_rounds(client_as, programme, fund):
    client = client_as(user_with_role(Role.OFFICER, programme))
    response = _post(client, fund)
    assert response.status_code in (403, 404)
    assert not Round.objects.filter(fund=fund).exists()
