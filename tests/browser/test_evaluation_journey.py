"""Evidence of impact: an officer opens the evaluation dashboard, follows a metric to its trend
chart and data table, then reads the survey results with small groups hidden. Every page is
axe-checked."""

import re

import pytest
from playwright.sync_api import expect

from cpw.accounts.models import Role
from evaluation.demo import WAVE_NAME, seed_evaluation
from programmes.demo import seed_places, seed_programme
from tests.accounts.factories import TEST_PASSWORD, user_with_role

pytestmark = pytest.mark.browser


def test_dashboard_to_metric_to_survey_results(browser, db):
    places = seed_places()
    programme = seed_programme(places)
    seed_evaluation(programme, places)
    officer = user_with_role(Role.OFFICER, programme)

    browser.sign_in(officer.email, TEST_PASSWORD)

    def open_dashboard(page):
        page.get_by_role("link", name="Evaluation", exact=True).click()
        page.get_by_role("link", name=re.compile("Community Powered Warwickshire")).click()
        expect(page.get_by_role("heading", name="Evaluation dashboard")).to_be_visible()
        table = page.locator("#high-level-metrics")
        expect(table.get_by_role("row")).to_have_count(8)  # header + 7 high-level metrics
        expect(table).to_contain_text("Number of community groups")

    browser.step(open_dashboard)

    def open_metric(page):
        page.get_by_role("link", name="Residents satisfied with their local area").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Residents satisfied with their local area"
        )
        expect(
            page.get_by_role("img", name="Trend of Residents satisfied with their local area")
        ).to_be_visible()
        expect(page.locator("#trend-table tbody tr")).to_have_count(8)
        expect(page.locator("#trend-table")).to_contain_text("74.6%")
        expect(page.locator("#metric-summary")).to_contain_text("Target")

    browser.step(open_metric)

    def open_survey(page):
        page.get_by_role("link", name="CPW").click()
        page.get_by_role("link", name=WAVE_NAME).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(WAVE_NAME)
        expect(page.locator("#suppression-note")).to_contain_text("fewer than 10")
        expect(page.get_by_role("table", name="Deliberative: by age")).to_contain_text("Hidden")
        expect(page.get_by_role("table", name="Deliberative: by place")).to_contain_text("Warwick")

    browser.step(open_survey)
