"""The steering report shows the programme's residents' votes (money decided by residents,
turnout, ballots) from the votes themselves: no metric has to be added to the framework, and the
period's figures equal the evaluation's derived metrics."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cpw.accounts.models import Role
from evaluation import derived
from evaluation.models import Metric
from funds.models import ParticipatoryRound
from funds.participatory import services as votes
from programmes.periods import financial_quarter, label_for
from programmes.services import reporting_periods_ensure
from reporting import services
from tests.accounts.factories import user_with_role
from tests.funds.participatory import participatory_round

pytestmark = pytest.mark.django_db


def _section(report, key):
    return next(s["data"] for s in report.snapshot["sections"] if s["key"] == key)


def test_the_report_shows_the_votes_without_any_metric(programme, client_as):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    officer = user_with_role(Role.OFFICER, programme)
    today = timezone.localdate()
    label = label_for(*financial_quarter(today))
    (period,) = reporting_periods_ensure(programme=programme, first=label, last=label)
    vote = participatory_round(programme=programme, manager=manager, electorate=40)
    c, d = vote.entries[2:]
    for number, picks in enumerate([(c, d)] * 9 + [(d,)], start=1):
        votes.paper_ballot_enter(
            participatory=vote.participatory,
            user=officer,
            number=number,
            choices={e.pk: None for e in picks},
        )
    ParticipatoryRound.objects.filter(pk=vote.participatory.pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    vote.participatory.refresh_from_db()
    if timezone.localtime(vote.participatory.voting_closes_at).date() < period.start:
        pytest.skip("run in the first second of a quarter: the vote closed in the one before")
    awards = votes.result_confirm(
        participatory=vote.participatory,
        user=manager,
        awarded_on=today,
        first_report_due=today + datetime.timedelta(days=90),
    )
    decided = sum((a.amount for a in awards), Decimal(0))
    assert decided == Decimal("5000")  # D (10 votes, £1,000) and C (9, £4,000)
    assert not Metric.objects.exists()

    report = services.report_compile_now(programme=programme, period=period)
    data = _section(report, "funds")["votes"]
    assert Decimal(data["money_this_period"]) == decided
    assert Decimal(data["turnout_this_period"]) == Decimal("25.0")  # 10 ballots / 40 residents
    assert Decimal(data["money_this_period"]) == derived.calculate(
        "money_decided_by_residents", programme, period
    )
    assert Decimal(data["turnout_this_period"]) == derived.calculate(
        "residents_vote_turnout", programme, period
    )
    (row,) = data["rows"]
    assert row["round"] == vote.round.name
    assert (row["online"], row["paper"], row["spoilt"]) == (0, 10, 0)
    assert row["confirmed"] and row["grants"] == len(awards)
    assert Decimal(row["decided"]) == decided

    page = client_as(manager).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Residents&#x27; votes that closed this period" in page
    assert "Money decided by residents this period: £5,000" in page
    assert "25.0%" in page
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    sheet = workbook["Residents' votes"]
    assert sheet.cell(2, 2).value == vote.round.name


def test_a_programme_without_votes_reports_none(programme):
    (period,) = reporting_periods_ensure(programme=programme, first="2024-Q2", last="2024-Q2")
    report = services.report_compile_now(programme=programme, period=period)
    assert _section(report, "funds")["votes"] is None
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert "Residents' votes" not in workbook.sheetnames
