"""A programme names its reporting periods in its own words: the stored label (2024-Q1) stays the
key in web addresses and imports, and every page, export, email and report shows the wording."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role
from programmes.models import PeriodWording
from programmes.periods import period_name, period_words
from tests.accounts.factories import user_with_role
from tests.programmes.factories import (
    CommitmentFactory,
    DeliveryPlanFactory,
    GroupFactory,
    ProgrammeFactory,
    ReportingPeriodFactory,
)

APRIL, JUNE = datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)


def test_each_wording_names_a_financial_quarter():
    assert period_words("2024-Q1", APRIL, JUNE, PeriodWording.LABEL) == "2024-Q1"
    assert period_words("2024-Q1", APRIL, JUNE, PeriodWording.MONTHS) == "April to June 2024"
    assert period_words("2024-Q1", APRIL, JUNE, PeriodWording.FINANCIAL_YEAR) == "Q1 2024/25"
    jan, mar = datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)
    assert period_words("2024-Q4", jan, mar, PeriodWording.MONTHS) == "January to March 2025"
    assert period_words("2024-Q4", jan, mar, PeriodWording.FINANCIAL_YEAR) == "Q4 2024/25"
    assert period_words("2099-Q4", jan, mar, PeriodWording.FINANCIAL_YEAR) == "Q4 2099/00"


def test_a_period_across_the_new_year_and_an_odd_label_are_named_plainly():
    december, february = datetime.date(2024, 12, 1), datetime.date(2025, 2, 28)
    assert (
        period_words("Winter", december, february, PeriodWording.MONTHS)
        == "December 2024 to February 2025"
    )
    assert period_words("Winter", december, february, PeriodWording.FINANCIAL_YEAR) == "Winter"


@pytest.mark.django_db
def test_a_new_programme_shows_the_financial_quarter_label():
    period = ReportingPeriodFactory(programme=ProgrammeFactory(), label="2024-Q1")
    assert period.programme.period_wording == PeriodWording.LABEL
    assert period_name(period) == "2024-Q1"


@pytest.fixture
def months_world(db, programme):
    """A programme that names periods by their months, one open period (2024-Q1) and a plan."""
    programme.period_wording = PeriodWording.MONTHS
    programme.save()
    period = ReportingPeriodFactory(programme=programme, label="2024-Q1")
    plan = DeliveryPlanFactory(programme=programme)
    group = GroupFactory(plan=plan, name="Decision making")
    officer = user_with_role(Role.OFFICER, programme, full_name="Tom Evans")
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme, full_name="Priya Shah")
    commitment = CommitmentFactory(
        plan=plan, group=group, title="Involve residents early", leads=[officer]
    )
    return type(
        "MonthsWorld",
        (),
        {
            "programme": programme,
            "period": period,
            "officer": officer,
            "manager": manager,
            "commitment": commitment,
        },
    )


def test_the_plan_page_names_periods_in_the_programmes_words(months_world, client_as):
    html = (
        client_as(months_world.manager)
        .get(reverse("programmes:plan", args=[months_world.programme.slug]))
        .content.decode()
    )
    assert "April to June 2024" in html
    assert ">2024-Q1<" not in html
    # Web addresses keep the stored label.
    lock_url = reverse("programmes:period-lock", args=[months_world.programme.slug, "2024-Q1"])
    assert lock_url in html


def test_the_update_form_names_the_period_in_the_programmes_words(months_world, client_as):
    url = reverse("programmes:commitment-update", args=[months_world.commitment.pk, "2024-Q1"])
    html = client_as(months_world.officer).get(url).content.decode()
    assert "Update for April to June 2024" in html


def test_the_plan_export_header_names_the_period_in_the_programmes_words(months_world, client_as):
    client = client_as(months_world.manager)
    xlsx = client.get(reverse("programmes:plan-export", args=[months_world.programme.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, sheet.max_column).value == "RAG April to June 2024"
    csv_text = client.get(
        reverse("programmes:plan-export", args=[months_world.programme.slug, "csv"])
    ).content.decode("utf-8-sig")
    assert "RAG April to June 2024" in csv_text.splitlines()[0]


def test_the_reminder_email_names_the_period_in_the_programmes_words(
    months_world, django_capture_on_commit_callbacks
):
    from programmes import services

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.update_chase(period=months_world.period, user=months_world.manager)
    assert sent == 1
    assert "your April to June 2024 updates" in mail.outbox[-1].subject
    assert "Your progress updates for April to June 2024" in mail.outbox[-1].body


def test_the_manager_chooses_the_wording_on_the_settings_page(months_world, client_as):
    programme = months_world.programme
    url = reverse("programmes:programme-settings", args=[programme.slug])
    client = client_as(months_world.manager)
    page = client.get(url).content.decode()
    assert "How reporting periods are named" in page
    chosen = page[page.index('value="months"') :].split(">", 1)[0]
    assert 'checked="checked"' in chosen  # the programme's current wording is chosen
    response = client.post(url, {"period_wording": "nonsense"})
    assert "Choose how reporting periods are named" in response.content.decode()
    response = client.post(url, {"period_wording": PeriodWording.FINANCIAL_YEAR})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.period_wording == PeriodWording.FINANCIAL_YEAR
    detail = client.get(reverse("programmes:programme-detail", args=[programme.slug]))
    assert "Quarter and financial year, like Q1 2024/25" in detail.content.decode()
    plan = client.get(reverse("programmes:plan", args=[programme.slug])).content.decode()
    assert "Q1 2024/25" in plan


def test_leaving_the_wording_out_keeps_it(months_world, client_as):
    programme = months_world.programme
    url = reverse("programmes:programme-settings", args=[programme.slug])
    response = client_as(months_world.manager).post(url, {"rag_green": "On track"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.period_wording == PeriodWording.MONTHS


def test_the_evaluation_dashboard_names_the_latest_figures_period(months_world, client_as):
    from evaluation.models import Observation
    from tests.evaluation.factories import FrameworkFactory, MetricFactory

    framework = FrameworkFactory(programme=months_world.programme)
    metric = MetricFactory(framework=framework, is_high_level=True, name="Residents satisfied")
    Observation.objects.create(metric=metric, period=months_world.period, value=50)
    url = reverse("evaluation:dashboard", args=[months_world.programme.slug])
    html = client_as(months_world.manager).get(url).content.decode()
    assert "April to June 2024" in html
