"""The compiled report's figures equal totals computed independently from the data."""

import datetime
import io
import random
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role, RoleAssignment
from groundbreakers.models import GroundbreakerStatus, LearningOutcome
from programmes.models import RAG, CommitmentStatus, Milestone, Risk
from programmes.services import reporting_periods_ensure
from reporting import services
from reporting.dashboard import rag_trend
from tests.accounts.factories import user_with_role
from tests.groundbreakers.factories import (
    ActivityFactory,
    GroundbreakerFactory,
    LearningEntryFactory,
)
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    DeliveryPlanFactory,
    GroupFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

RAGS = [RAG.GREEN, RAG.AMBER, RAG.RED, RAG.COMPLETE]


@pytest.fixture
def plan(programme):
    q1, q2, q3 = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q3")
    plan = DeliveryPlanFactory(programme=programme)
    groups = [GroupFactory(plan=plan, name=f"Theme {n}", order=n) for n in range(3)]
    rng = random.Random(7)
    commitments = []
    for n in range(18):
        commitment = CommitmentFactory(
            plan=plan,
            group=groups[n % 3],
            title=f"Commitment number {n:02d}",
            status=rng.choice([CommitmentStatus.ON_TRACK, CommitmentStatus.AT_RISK]),
        )
        commitments.append(commitment)
        for period in (q1, q2):
            if rng.random() < 0.85:
                CommitmentUpdateFactory(
                    commitment=commitment, period=period, rag=rng.choice(RAGS), submitted=True
                )
        if rng.random() < 0.2 and not commitment.updates.filter(period=q2).exists():
            # A draft is never reported.
            CommitmentUpdateFactory(commitment=commitment, period=q2, rag=RAG.RED, draft=True)
    CommitmentFactory(plan=plan, group=groups[0], title="A closed commitment", closed=True)
    overdue = commitments[0]
    overdue.end = datetime.date(2024, 8, 1)
    overdue.save()
    Milestone.objects.create(
        commitment=commitments[1], title="Late milestone", due_date=datetime.date(2024, 9, 1)
    )
    Milestone.objects.create(
        commitment=commitments[2],
        title="Next quarter milestone",
        due_date=datetime.date(2024, 11, 15),
    )
    Risk.objects.create(
        commitment=commitments[3],
        description="Funding ends",
        likelihood=4,
        impact=5,
        owner="Finance",
    )
    Risk.objects.create(
        commitment=commitments[4], description="Minor delay", likelihood=2, impact=3
    )
    return {"periods": (q1, q2, q3), "commitments": commitments}


def _section(report, key):
    return next(s["data"] for s in report.snapshot["sections"] if s["key"] == key)


def test_headline_figures_equal_independent_totals(programme, plan):
    q1, q2, _ = plan["periods"]
    report = services.report_compile_now(programme=programme, period=q2)
    headline = _section(report, "headline")

    open_commitments = list(plan["commitments"])  # the closed one is left out
    rag_now, rag_before = {}, {}
    for c in open_commitments:
        for u in c.updates.all():
            if u.status == "submitted":
                (rag_now if u.period_id == q2.pk else rag_before)[c.pk] = u.rag
    expected = {label: 0 for label in [*RAG.labels, "No update"]}
    for c in open_commitments:
        expected[RAG(rag_now[c.pk]).label if c.pk in rag_now else "No update"] += 1
    assert {i["rag"]: i["count"] for i in headline["by_rag"]} == expected
    assert headline["commitments"] == len(open_commitments) == 18
    assert headline["submitted"] == len(rag_now)

    rank = {"red": 1, "amber": 2, "green": 3, "complete": 4}
    improved = sum(
        1
        for c in open_commitments
        if c.pk in rag_now and c.pk in rag_before and rank[rag_now[c.pk]] > rank[rag_before[c.pk]]
    )
    worsened = sum(
        1
        for c in open_commitments
        if c.pk in rag_now and c.pk in rag_before and rank[rag_now[c.pk]] < rank[rag_before[c.pk]]
    )
    assert headline["change"]["improved"] == improved
    assert headline["change"]["worsened"] == worsened
    turned_red = {
        c.title
        for c in open_commitments
        if rag_now.get(c.pk) == "red" and rag_before.get(c.pk) != "red"
    }
    assert {r["title"] for r in headline["turned_red"]} == turned_red
    overdue = {r["title"] for r in headline["overdue"]}
    assert {"Commitment number 00", "Commitment number 01"} <= overdue
    assert [m["title"] for m in headline["milestones_next_period"]["items"]] == [
        "Next quarter milestone"
    ]
    risks = _section(report, "risks")["rows"]
    assert [(r["description"], r["score"]) for r in risks] == [("Funding ends", 20)]


@pytest.mark.real_pdf
def test_pdf_contains_every_commitment_and_xlsx_has_a_sheet_per_section(programme, plan):
    report = services.report_compile_now(programme=programme, period=plan["periods"][1])
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=bytes(report.pdf), capture_output=True, check=True
    ).stdout.decode()
    for commitment in plan["commitments"]:
        assert commitment.title in text
    assert "Contents" in text and "Summary" in text and "Exceptions" in text
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    # In the briefing's order: the summary, the exceptions, each area, the programme last.
    assert workbook.sheetnames == [
        "Contents",
        "Summary",
        "Headline",
        "Needs attention",
        "RAG trend",
        "Commitments",
        "Groundbreakers",
        "Engagement",
        "Funds",
        "Fund activity",
        "Grants by place",
        "Evaluation",
        "Metric trends",
        "Learning",
        "High risks",
        "Programme",
        "Governance",
    ]
    rows = list(workbook["Commitments"].iter_rows(values_only=True))
    assert len(rows) == 1 + 19  # header, 18 open commitments and the closed one


def test_groundbreaker_figures_equal_independent_totals(programme, plan):
    q2 = plan["periods"][1]
    live = GroundbreakerFactory(programme=programme, name="Community Supermarkets", live=True)
    GroundbreakerFactory(
        programme=programme,
        name="Wellbeing Neighbourhoods",
        status=GroundbreakerStatus.DID_NOT_PROCEED,
    )
    inside = [
        ActivityFactory(
            programme=programme,
            groundbreaker=live,
            attendees=n * 3,
            date=datetime.date(2024, 7, n + 1),
        )
        for n in range(5)
    ]
    ActivityFactory(
        programme=programme, groundbreaker=live, attendees=99, date=datetime.date(2024, 6, 30)
    )  # the quarter before
    ActivityFactory(
        programme=programme, groundbreaker=None, attendees=100, date=datetime.date(2024, 9, 30)
    )  # a programme-level event, last day
    LearningEntryFactory(
        programme=programme,
        groundbreaker=live,
        title="Saturday opening",
        outcome=LearningOutcome.DID_NOT_WORK,
        recorded_on=datetime.date(2024, 8, 1),
    )
    LearningEntryFactory(
        programme=programme, title="Too old", recorded_on=datetime.date(2024, 1, 5)
    )

    report = services.report_compile_now(programme=programme, period=q2)
    data = _section(report, "groundbreakers")
    supermarkets = next(r for r in data["rows"] if r["name"] == "Community Supermarkets")
    assert supermarkets["in_period"]["attendees"] == sum(a.attendees for a in inside)
    assert supermarkets["to_date"]["attendees"] == sum(a.attendees for a in inside) + 99
    assert data["programme_level_in_period"]["attendees"] == 100
    assert data["programme_in_period"]["attendees"] == sum(a.attendees for a in inside) + 100
    assert data["programme_in_period"]["activities"] == 6
    learning = _section(report, "learning")["rows"]
    assert [r["title"] for r in learning] == ["Saturday opening"]


def test_steering_dashboard_shows_the_latest_published_report_and_trends(
    client_as, programme, plan
):
    q1, q2, _ = plan["periods"]
    first = services.report_compile_now(programme=programme, period=q1)
    services.report_publish(report=first, user=None, reason="Gaps are expected in this test")
    services.report_compile_now(programme=programme, period=q2)  # a draft: not shown
    steering = user_with_role(Role.STEERING_GROUP, programme)
    page = client_as(steering).get(reverse("reports:steering")).content.decode()
    assert "The latest report is for <strong>2024-Q1</strong>" in page
    assert reverse("reports:detail", args=[first.pk]) in page
    trend = {bar.label: bar for bar in rag_trend(programme)}
    submitted_q2 = sum(
        1
        for c in plan["commitments"]
        for u in c.updates.all()
        if u.period_id == q2.pk and u.status == "submitted"
    )
    assert trend["2024-Q2"].total == submitted_q2
    assert reverse("programmes:commitment-detail", args=[plan["commitments"][0].pk]) in page
    # the chart and its table, every figure formatted in the dashboard's data
    q2_bar = trend["2024-Q2"]
    assert f'<rect x="{q2_bar.x}" y="{q2_bar.segments[0][3]}" width="40" height=' in page
    assert f'<text x="{q2_bar.x}" y="216"' in page
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    row = "".join(f"{numeric}{n}</td>" for n in (*q2_bar.counts.values(), submitted_q2))
    assert f'<th scope="row" class="govuk-table__header">2024-Q2</th>{row}</tr>' in page


@pytest.mark.parametrize("extra", [0, 40])
def test_steering_dashboard_query_count_does_not_grow(
    client_as, programme, plan, extra, django_assert_max_num_queries
):
    q1 = plan["periods"][0]
    group = GroupFactory(plan=plan["commitments"][0].plan)
    for n in range(extra):
        c = CommitmentFactory(plan=group.plan, group=group, title=f"Extra {n}")
        CommitmentUpdateFactory(commitment=c, period=q1, submitted=True)
    services.report_publish(
        report=services.report_compile_now(programme=programme, period=q1),
        user=None,
        reason="Gaps are expected in this test",
    )
    client = client_as(user_with_role(Role.STEERING_GROUP, programme))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reports:steering")).status_code == 200


def _steering_queries(client, *, programmes) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:steering")).content.decode()
    for programme in programmes:
        assert f'id="programme-{programme.slug}"' in page
    return len(queries)


def test_steering_dashboard_queries_do_not_grow_with_programmes(programme, plan, client):
    """Each programme shown (up to five) is read by the same queries as the others: a member of
    four programmes' steering groups costs what a member of one does."""
    q1 = plan["periods"][0]
    services.report_publish(
        report=services.report_compile_now(programme=programme, period=q1),
        user=None,
        reason="Gaps are expected in this test",
    )
    member = user_with_role(Role.STEERING_GROUP, programme)
    client.force_login(member)
    client.get(reverse("reports:steering"))  # the session and role caches, as on any visit
    alone = _steering_queries(client, programmes=[programme])
    others = [ProgrammeFactory(council=programme.council) for _ in range(3)]
    for other in others:
        period = reporting_periods_ensure(programme=other, first="2024-Q1", last="2024-Q2")[0]
        RoleAssignment.objects.create(user=member, role=Role.STEERING_GROUP, programme=other)
        services.report_publish(
            report=services.report_compile_now(programme=other, period=period),
            user=None,
            reason="Gaps are expected in this test",
        )
    assert _steering_queries(client, programmes=[programme, *others]) == alone


def test_fund_figures_equal_independent_totals(programme, plan):
    from decimal import Decimal

    from funds.models import GrantStatus
    from tests.funds.factories import AwardFactory, FundFactory, PaymentFactory, RoundFactory
    from tests.programmes.factories import PlaceFactory

    q2 = plan["periods"][1]
    fund = FundFactory(programme=programme, name="Social Impact Fund")
    round_ = RoundFactory(fund=fund)
    priority = PlaceFactory(lsoa=True, name="Camp Hill priority area")
    programme.priority_places.add(priority)
    elsewhere = PlaceFactory(name="Kenilworth")
    amounts = [
        (Decimal("1000"), Decimal("2500")),
        (Decimal("0"), Decimal("4000")),
        (Decimal("3000"), Decimal("0")),
    ]
    awards = []
    for n, (capital, revenue) in enumerate(amounts):
        award = AwardFactory(
            application__round=round_,
            amount_capital=capital,
            amount_revenue=revenue,
            awarded_on=datetime.date(2024, 8, n + 1),
        )
        award.application.places.set([priority] if n == 0 else [elsewhere])
        awards.append(award)
    withdrawn = AwardFactory(
        application__round=round_,
        amount_capital=Decimal("999"),
        awarded_on=datetime.date(2024, 8, 20),
        status=GrantStatus.WITHDRAWN,
    )
    AwardFactory(application__round=round_, awarded_on=datetime.date(2024, 3, 1))  # earlier
    PaymentFactory(
        award=awards[0],
        amount=Decimal("1750"),
        status="paid",
        paid_at=datetime.datetime(2024, 9, 1, 12, tzinfo=datetime.UTC),
    )

    report = services.report_compile_now(programme=programme, period=q2)
    (row,) = _section(report, "funds")["rows"]
    live = [a for a in [*awards, withdrawn] if a.status != GrantStatus.WITHDRAWN]
    assert row["awarded_this_period"]["count"] == len(live) == 3
    assert Decimal(row["awarded_this_period"]["amount"]) == sum(
        (a.amount_capital + a.amount_revenue for a in live), Decimal(0)
    )
    total = {m["label"]: Decimal(m["awarded"]) for m in row["money"]}["Total"]
    assert total == sum(a.amount_capital + a.amount_revenue for a in live) + Decimal("3000")
    assert Decimal(row["paid_to_date"]) == Decimal("1750")
    expected_share = (Decimal("3500") / total * 100).quantize(Decimal("0.1"))
    assert Decimal(row["priority_share"]) == expected_share
