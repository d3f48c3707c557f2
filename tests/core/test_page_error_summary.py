"""The error summary sits at the top of <main>, above the <h1>, once, and the <title> starts with
"Error: " (GOV.UK error summary pattern): for a page's `form`, and on pages with several forms
for the one that was submitted (`error_form`)."""

import re

import pytest
from django.urls import reverse

from tests.funds.factories import ApplicationFactory, FundFactory, RoundFactory

pytestmark = pytest.mark.django_db


def assert_summary_on_top(response, status=400) -> str:
    html = response.content.decode()
    assert response.status_code == status
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Error: "), title
    assert html.count('class="govuk-error-summary"') == 1, "one error summary, not two"
    main = html[html.index("<main") :]
    assert main.index('class="govuk-error-summary"') < main.index("<h1"), "summary after the h1"
    return html[html.index('class="govuk-error-summary"') :]


def test_a_question_page_shows_its_summary_once_above_the_h1(client):
    summary = assert_summary_on_top(client.post(reverse("accounts:register"), {}), status=200)
    assert 'href="#id_full_name"' in summary


def test_fund_setup_puts_the_submitted_forms_summary_on_top(world, client_as):
    fund = FundFactory(programme=world.programme)
    client = client_as(world.users["programme_manager"])
    response = client.post(reverse("funds:fund-setup", args=[fund.slug]), {"form": "round"})
    summary = assert_summary_on_top(response)
    assert 'href="#id_round-name"' in summary


def test_application_review_puts_the_assessor_pickers_summary_on_top(world, client_as):
    application = ApplicationFactory(
        round=RoundFactory(fund=FundFactory(programme=world.programme)),
        organisation=world.partner_organisation,
        submitted=True,
    )
    client = client_as(world.users["programme_manager"])
    response = client.post(reverse("funds:application-assign", args=[application.pk]), {})
    summary = assert_summary_on_top(response)
    assert 'href="#id_assessor"' in summary
