"""With no broker (the embedded default), "Compile now" runs the compile off the request: the
progress page answers at once and polls until the report is ready, then links to it."""

import time
from unittest import mock

import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from programmes.services import reporting_periods_ensure
from reporting.models import QuarterlyReport
from tests.accounts.factories import TEST_PASSWORD, user_with_role
from tests.isolation import stand_in_pdf
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.browser
SLOW_COMPILE = 3.0  # seconds the stand-in PDF takes, so a blocking compile would show


def slow_pdf(snapshot):
    time.sleep(SLOW_COMPILE)
    return stand_in_pdf(snapshot)


def test_compile_without_a_broker_answers_at_once_and_the_page_polls(
    transactional_db, settings, browser
):
    settings.EAGER_LONG_TASKS_IN_THREAD = True
    assert settings.CELERY_TASK_ALWAYS_EAGER  # no broker configured
    programme = ProgrammeFactory(slug="bench", name="Compile Programme", short_name="CP")
    reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    browser.sign_in(manager.email, TEST_PASSWORD)
    browser.visit(reverse("reports:list", args=[programme.slug]))

    def compile_now(page):
        page.get_by_role("button", name="Compile now").first.click()
        page.wait_for_selector("#job-progress")
        # From the form's POST to the last byte of the progress page (after the redirect), as
        # the browser timed it; and what the page said when it arrived.
        answered = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return (n.responseEnd - n.startTime) / 1000 }"
        )
        return answered, page.inner_text("[data-field=status_label]")

    with mock.patch("reporting.services.render_pdf", side_effect=slow_pdf):
        answered_in, first_status = browser.step(compile_now)
        assert first_status in ("Waiting to start", "Compiling")  # it did not wait for it
        assert answered_in < 1.0, f"the progress page took {answered_in:.2f} s"
        browser.step(
            lambda page: page.wait_for_selector(
                "[data-field=report-link]:not([hidden])", timeout=60_000
            )
        )
    text = browser.step(lambda page: page.inner_text("#job-progress"), check_accessibility=False)
    assert "Finished" in text

    def open_the_report(page):
        page.locator("[data-field=report-link] a").click()
        page.wait_for_load_state("load")
        return page.locator("h1").inner_text(), page.locator("main").inner_text()

    heading, text = browser.step(open_the_report)  # the finished report, checked with axe
    report = QuarterlyReport.objects.get(programme=programme)
    assert heading == f"Steering group report for {report.snapshot['period']['name']}"
    assert f"Version {report.version}." in text
    assert "Summary" in text and "Contents" in text
