"""The report reads as a briefing: figures formatted alike everywhere, stale figures labelled,
overdue at the period boundary, denominators that agree, an engagement table that adds up,
and the decisions a lead asks of the steering group. No PDF is rendered here."""

import datetime
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook

from cpw.core import formatting
from programmes.forms import CommitmentUpdateForm
from programmes.models import RAG, CommitmentStatus, Milestone
from programmes.selectors import programme_period_summary
from programmes.services import reporting_periods_ensure
from reporting.render import render_xlsx, report_context
from reporting.sections.delivery import HeadlineSection
from reporting.sections.evaluation import EvaluationSection
from reporting.sections.groundbreakers import GroundbreakersSection, engagement_rows
from reporting.services import build_snapshot
from reporting.summary import report_summary
from tests.evaluation.factories import FrameworkFactory, MetricFactory, ObservationFactory
from tests.groundbreakers.factories import ActivityFactory, GroundbreakerFactory
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    DeliveryPlanFactory,
    GroupFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2024, 10, 20, 12, tzinfo=datetime.UTC)


@pytest.fixture
def periods(programme):
    return reporting_periods_ensure(programme=programme, first="2023-Q4", last="2024-Q2")


@pytest.fixture
def plan(programme):
    plan = DeliveryPlanFactory(programme=programme)
    return {"plan": plan, "group": GroupFactory(plan=plan, name="Theme one")}


# --- Figures that read right -------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("575000", "£575,000"),
        (Decimal("575000.00"), "£575,000"),
        ("1234.5", "£1,234.50"),
        (-20, "-£20"),
        (None, ""),
    ],
)
def test_money_has_a_pound_sign_and_pence_only_when_there_are_some(value, expected):
    assert formatting.money(value) == expected


def test_percentages_have_one_decimal_and_changes_are_in_percentage_points():
    assert formatting.percent("74.60") == "74.6%"
    assert formatting.metric_value("74.60", "percent") == "74.6%"
    assert formatting.change("0.70", "percent") == "up 0.7 percentage points"
    assert formatting.change("-1.00", "percent") == "down 1.0 percentage point"
    assert formatting.change("-5000", "pounds") == "down £5,000"
    assert formatting.change("0", "count") == "no change"
    assert formatting.metric_value("3.50", "score") == "3.50"
    assert formatting.number("520") == "520"
    assert formatting.number("1234.50") == "1,234.5"


def test_dates_are_in_govuk_style():
    assert formatting.gov_date("2026-06-30") == "30 June 2026"
    assert formatting.gov_date("2026-06-01T09:00:00+00:00") == "1 June 2026"
    assert formatting.gov_date_range("2026-04-01", "2026-06-30") == "1 April to 30 June 2026"
    assert (
        formatting.gov_date_range("2026-01-01", "2027-03-31") == "1 January 2026 to 31 March 2027"
    )


def test_a_metric_figure_older_than_the_period_is_labelled_and_in_the_summary(programme, periods):
    q4_2023, q1, q2 = periods
    framework = FrameworkFactory(programme=programme)
    stale = MetricFactory(
        framework=framework, name="Feel they can influence decisions", percent=True
    )
    fresh = MetricFactory(
        framework=framework, name="Grants (£)", unit="pounds", target=Decimal("600000")
    )
    ObservationFactory(metric=stale, period=q4_2023, value=Decimal("73.90"))
    ObservationFactory(metric=stale, period=q1, value=Decimal("74.60"))
    ObservationFactory(metric=fresh, period=q1, value=Decimal("500000.00"))
    ObservationFactory(metric=fresh, period=q2, value=Decimal("575000.00"))

    data = EvaluationSection().build(programme=programme, period=q2, as_of=NOW)
    rows = {r["name"]: r for r in data["rows"]}
    assert rows[stale.name]["stale"] is True and rows[stale.name]["latest_label"] == "2024-Q1"
    assert rows[fresh.name]["stale"] is False

    snapshot = {"sections": [{"key": "evaluation", "title": "Evaluation", "data": data}]}
    html = render_to_string(
        "reports/sections/evaluation.html",
        {"data": EvaluationSection().display(data)},
    )
    assert "latest available: 2024-Q1" in html
    assert "74.6%" in html and "74.60" not in html
    assert "up 0.7 percentage points" in html
    assert "£575,000" in html and "575,000.00" not in html
    assert "<svg" in html  # the trend chart, with its data table
    summary = report_summary(snapshot)
    assert summary["stale_figures"] == [
        {"name": stale.name, "value": "74.6%", "latest_label": "2024-Q1"}
    ]


# --- Overdue, status and denominators ----------------------------------------------------


def test_overdue_means_due_strictly_before_the_period_end_once_per_milestone(
    programme, periods, plan
):
    q2 = periods[2]  # 1 July to 30 September 2024
    open_ones = [
        CommitmentFactory(plan=plan["plan"], group=plan["group"], title=f"Open {n}")
        for n in range(3)
    ]
    done = CommitmentFactory(
        plan=plan["plan"], group=plan["group"], title="Done", status=CommitmentStatus.COMPLETE
    )
    for commitment in [*open_ones, done]:  # the same milestone on every commitment
        Milestone.objects.create(
            commitment=commitment, title="First results shared", due_date=datetime.date(2024, 3, 31)
        )
    Milestone.objects.create(commitment=open_ones[0], title="Due on the last day", due_date=q2.end)
    Milestone.objects.create(
        commitment=open_ones[0],
        title="Done late but done",
        due_date=datetime.date(2024, 8, 1),
        done_date=datetime.date(2024, 9, 1),
    )
    Milestone.objects.create(
        commitment=open_ones[1],
        title="The day before",
        due_date=q2.end - datetime.timedelta(days=1),
    )
    open_ones[2].end = q2.end  # due on the last day: not overdue in this period's report
    open_ones[2].save()
    done.end = datetime.date(2024, 5, 1)
    done.save()

    data = HeadlineSection().build(programme=programme, period=q2, as_of=NOW)
    assert data["overdue_milestones"] == [
        {
            "title": "First results shared",
            "due": datetime.date(2024, 3, 31),
            "commitments": ["Open 0", "Open 1", "Open 2"],
        },
        {
            "title": "The day before",
            "due": q2.end - datetime.timedelta(days=1),
            "commitments": ["Open 1"],
        },
    ]
    overdue = {r["title"]: r for r in data["overdue"]}
    assert "Done" not in overdue
    assert overdue["Open 2"]["due"] is None  # its own due date is the last day: on time
    html = render_to_string("reports/sections/headline.html", {"data": data})
    assert html.count("First results shared") == 1
    assert "Due on the last day" not in html


def test_rag_counts_use_the_same_denominator_as_the_overview(programme, periods, plan):
    q2 = periods[2]
    for n, rag in enumerate([RAG.GREEN, RAG.AMBER, RAG.RED]):
        c = CommitmentFactory(plan=plan["plan"], group=plan["group"], title=f"Reported {n}")
        CommitmentUpdateFactory(commitment=c, period=q2, rag=rag, submitted=True)
    for n in range(5):
        CommitmentFactory(plan=plan["plan"], group=plan["group"], title=f"Silent {n}")
    CommitmentFactory(
        plan=plan["plan"], group=plan["group"], title="Finished", status=CommitmentStatus.COMPLETE
    )
    overview = programme_period_summary(programme, period=q2)
    data = HeadlineSection().build(programme=programme, period=q2, as_of=NOW)
    assert (data["submitted"], data["due"]) == (overview["submitted"], overview["total"]) == (3, 8)
    assert sum(item["count"] for item in data["by_rag"]) == data["due"]
    html = render_to_string("reports/_summary.html", {"summary": {"headline": data}})
    assert "3 of 8 commitments due an update had one submitted; 5 are missing" in html


def test_status_that_contradicts_the_rag_is_shown_as_an_exception(programme, periods, plan):
    q2 = periods[2]
    c = CommitmentFactory(
        plan=plan["plan"],
        group=plan["group"],
        title="Off but amber",
        status=CommitmentStatus.OFF_TRACK,
    )
    CommitmentUpdateFactory(commitment=c, period=q2, rag=RAG.AMBER, submitted=True)
    programme.rag_red = "Off track: the steering group's help is needed."
    programme.save()
    data = HeadlineSection().build(programme=programme, period=q2, as_of=NOW)
    [row] = data["exceptions"]
    assert row["status_disagrees"] is True
    html = render_to_string("reports/sections/headline.html", {"data": data})
    assert "Its status (off track) and RAG (amber) contradict each other" in html
    assert "recorded separately" in html and "the steering group&#x27;s help is needed" in html


# --- Engagement table ---------------------------------------------------------------------


def test_engagement_rows_have_a_cell_per_heading_and_totals_are_the_sum_of_rows(programme, periods):
    q2 = periods[2]
    one = GroundbreakerFactory(programme=programme, name="One")
    two = GroundbreakerFactory(programme=programme, name="Two")
    for gb, day, people in [
        (one, datetime.date(2024, 7, 5), 10),
        (one, datetime.date(2024, 5, 5), 7),  # earlier quarter: to date only
        (two, datetime.date(2024, 9, 30), 20),
        (None, datetime.date(2024, 8, 1), 100),  # programme-level event
        (None, datetime.date(2024, 4, 1), 50),
        (one, datetime.date(2024, 11, 1), 999),  # after the period: not in this report
    ]:
        ActivityFactory(programme=programme, groundbreaker=gb, attendees=people, date=day)
    data = GroundbreakersSection().build(programme=programme, period=q2, as_of=NOW)
    table = engagement_rows(data)
    headings = list(data["labels"])
    assert all(len(row["cells"]) == len(headings) for row in table)
    for when in ("This period", "To date"):
        parts = [r["cells"] for r in table if r["when"] == when and not r.get("total")]
        [whole] = [r["cells"] for r in table if r["when"] == when and r.get("total")]
        assert whole == [sum(col) for col in zip(*parts, strict=True)]
    people = headings.index("attendees")
    activities = headings.index("activities")
    [whole_to_date] = [r["cells"] for r in table if r["when"] == "To date" and r.get("total")]
    assert whole_to_date[people] == 10 + 7 + 20 + 100 + 50
    assert whole_to_date[activities] == 5
    html = render_to_string(
        "reports/sections/groundbreakers.html", {"data": GroundbreakersSection().display(data)}
    )
    assert "True" not in html and "attendance_recorded" not in data["programme_to_date"]


# --- Spreadsheet numbers and the whole page -----------------------------------------------


def test_xlsx_keeps_figures_as_numbers_with_number_formats(programme, periods, plan):
    q2 = periods[2]
    framework = FrameworkFactory(programme=programme)
    metric = MetricFactory(framework=framework, name="Trust", percent=True)
    ObservationFactory(metric=metric, period=q2, value=Decimal("74.60"))
    snapshot, _ = build_snapshot(programme=programme, period=q2)
    book = load_workbook(io.BytesIO(render_xlsx(snapshot)))
    assert book.sheetnames[:2] == ["Contents", "Summary"]
    sheet = book["Evaluation"]
    latest = sheet.cell(row=2, column=6)
    assert latest.value == pytest.approx(74.6) and latest.number_format == '0.0"%"'
    contents = book["Contents"]
    assert contents.cell(row=2, column=1).value.startswith("Figures as they stood on ")


def test_a_lead_can_ask_the_steering_group_for_a_decision(programme, periods, plan):
    q2 = periods[2]
    form = CommitmentUpdateForm(data={"needs_decision": "on", "decision_question": " "})
    assert not form.is_valid() and "decision_question" in form.errors
    form = CommitmentUpdateForm(data={"decision_question": "Forgotten question"})
    form.is_valid()
    assert form.cleaned_data["decision_question"] == ""  # not ticked: no question

    c = CommitmentFactory(plan=plan["plan"], group=plan["group"], title="Hall refit")
    CommitmentUpdateFactory(
        commitment=c,
        period=q2,
        rag=RAG.AMBER,
        submitted=True,
        decision_question="Should we move £20,000 from events to the hall refit?",
    )
    snapshot, _ = build_snapshot(programme=programme, period=q2)
    context = report_context(snapshot)
    assert context["summary"]["headline"]["decisions"] == [
        {
            "id": c.pk,
            "title": "Hall refit",
            "question": "Should we move £20,000 from events to the hall refit?",
        }
    ]
    html = render_to_string("reports/_report_body.html", context)
    summary_at = html.index('id="section-summary"')
    assert (
        summary_at
        < html.index("Decisions and escalations needed")
        < html.index('id="section-headline"')
        < html.index('id="section-commitments"')
        < html.index('id="section-appendix"')
    )
    assert "Should we move £20,000 from events to the hall refit?" in html


def test_the_update_form_asks_for_the_decision_and_saves_it(client_as, plan_world):
    from django.urls import reverse

    from programmes.models import CommitmentUpdate

    url = reverse(
        "programmes:commitment-update", args=[plan_world.commitment.pk, plan_world.current.label]
    )
    client = client_as(plan_world.officer)
    html = client.get(url).content.decode()
    assert "This needs a decision from the steering group" in html
    assert "What should the steering group decide?" in html
    data = {
        "rag": RAG.AMBER,
        "what_happened": "The hall survey came back",
        "needs_decision": "on",
        "decision_question": "Should we fund the hall roof?",
        "version": 0,
        "submit": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update = CommitmentUpdate.objects.get(
        commitment=plan_world.commitment, period=plan_world.current
    )
    assert update.decision_question == "Should we fund the hall roof?" and update.needs_decision
