"""A confirmed residents' vote's grants as a 360Giving JSON file, linked from its results page
and valid against the 360Giving schemas (1.4.3); only that vote's grants are in it."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from funds import opendata
from funds.models import ParticipatoryRound
from funds.participatory import services
from tests.accounts.factories import user_with_role
from tests.funds.factories import AwardFactory, RoundFactory
from tests.funds.participatory import participatory_round
from tests.funds.test_opendata import validator

pytestmark = pytest.mark.django_db


def test_a_confirmed_votes_grants_as_360giving(client, programme):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    officer = user_with_role(Role.OFFICER, programme)
    vote = participatory_round(programme=programme, manager=manager)
    a, b, c, d = vote.entries
    # Another round of the same fund has a grant of its own: not in the vote's file.
    ordinary = AwardFactory(application__round=RoundFactory(fund=vote.fund, name="Ordinary"))
    for number in (1, 2):
        services.paper_ballot_enter(
            participatory=vote.participatory,
            user=officer,
            number=number,
            choices={c.pk: None, d.pk: None},
        )
    url = reverse("funds:vote-open-data", args=[vote.participatory.pk])
    assert client.get(url).status_code == 404  # not before the result is confirmed
    ParticipatoryRound.objects.filter(pk=vote.participatory.pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    vote.participatory.refresh_from_db()
    today = timezone.localdate()
    awards = services.result_confirm(
        participatory=vote.participatory,
        user=manager,
        awarded_on=today,
        first_report_due=today + datetime.timedelta(days=90),
    )

    results = client.get(reverse("funds:vote-results", args=[vote.participatory.pk]))
    assert f'href="{url}"' in results.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    errors = list(validator().iter_errors(data))
    assert not errors, [e.message for e in errors]
    assert {g["id"] for g in data["grants"]} == {opendata.grant_identifier(x) for x in awards}
    assert len(data["grants"]) == len(awards) >= 2
    titles = {g["title"] for g in data["grants"]}
    assert {c.application.project_title, d.application.project_title} <= titles
    assert opendata.grant_identifier(ordinary) not in {g["id"] for g in data["grants"]}
    # The same records as the fund's own file.
    fund_grants = {g["id"]: g for g in opendata.package(vote.fund)["grants"]}
    assert len(fund_grants) == len(awards) + 1
    for grant in data["grants"]:
        assert grant == fund_grants[grant["id"]]
