"""Safe publishing in the browser: locking a quarter before its update deadline asks for a
reason (the GOV.UK error summary says so when it is missing, and its link takes you to the
field); publishing a report with updates missing asks for a reason too. Every page on the way is
checked with axe, and an error page's title says "Error: " once, then the h1."""

import datetime

import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from programmes.models import RAG
from programmes.periods import financial_quarter, label_for
from programmes.services import reporting_periods_ensure
from reporting import services
from reporting.models import QuarterlyReport
from tests.accounts.factories import TEST_PASSWORD, user_with_role
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    DeliveryPlanFactory,
    GroupFactory,
)

pytestmark = pytest.mark.browser


def _submit_and_read_the_error_summary(page, button_name):
    page.get_by_role("button", name=button_name).click()
    page.wait_for_load_state("load")
    summary = page.locator(".govuk-error-summary")
    # The summary has the focus when the page loads, so a screen reader reads it first.
    focused = page.evaluate(
        "() => !!document.activeElement.closest('.govuk-error-summary')"
        " || document.activeElement.matches('.govuk-error-summary')"
    )
    return summary.inner_text(), page.title(), focused


def _follow_the_summary_link(page):
    page.locator(".govuk-error-summary__list a").first.click()
    return page.evaluate("() => document.activeElement.name")


def test_early_lock_and_publishing_with_gaps_each_need_a_reason(programme, browser):
    label = label_for(*financial_quarter(datetime.date.today()))
    (period,) = reporting_periods_ensure(programme=programme, first=label, last=label)
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    plan = DeliveryPlanFactory(programme=programme)
    group = GroupFactory(plan=plan)
    commitments = [
        CommitmentFactory(plan=plan, group=group, title=f"Commitment {n}") for n in range(3)
    ]
    CommitmentUpdateFactory(commitment=commitments[0], period=period, rag=RAG.GREEN, submitted=True)

    browser.sign_in(manager.email, TEST_PASSWORD)
    browser.visit(reverse("programmes:period-lock", args=[programme.slug, label]))
    button = browser.step(lambda page: page.locator("main form button[type=submit]").inner_text())
    assert button.startswith("Yes, lock")

    # Before the deadline, with no reason: refused, with the error summary.
    summary, title, focused = browser.step(
        lambda page: _submit_and_read_the_error_summary(page, button)
    )
    assert "There is a problem" in summary
    assert "Enter why it must be locked before then" in summary
    assert title.startswith("Error: Are you sure you want to lock")  # once, then the h1
    assert focused
    period.refresh_from_db()
    assert not period.is_locked
    assert browser.step(_follow_the_summary_link, check_accessibility=False) == "reason"

    def lock_with_a_reason(page):
        page.get_by_label("Why must it be locked before the deadline?").fill(
            "The steering group meets early this quarter."
        )
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "is locked" in browser.step(lock_with_a_reason)
    period.refresh_from_db()
    assert period.is_locked
    assert period.lock_reason == "The steering group meets early this quarter."

    # The report for the locked quarter, with 2 of its 3 updates missing.
    report = services.report_compile_now(programme=programme, period=period, user=manager)
    browser.visit(reverse("reports:publish", args=[report.pk]))
    text = browser.step(lambda page: page.locator("main").inner_text())
    assert "2 updates are missing from this version" in text

    summary, title, focused = browser.step(
        lambda page: _submit_and_read_the_error_summary(page, "Publish the report")
    )
    assert "2 updates are missing from this report" in summary
    assert title.startswith("Error: Publish version 1")
    assert focused
    assert not QuarterlyReport.objects.get(pk=report.pk).is_published
    assert browser.step(_follow_the_summary_link, check_accessibility=False) == "reason"

    def publish_with_a_reason(page):
        page.get_by_label("Why publish it with updates missing?").fill(
            "Two leads are on leave; they report next time."
        )
        page.get_by_role("button", name="Publish the report").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    text = browser.step(publish_with_a_reason)
    assert "is published" in text
    assert "Two leads are on leave; they report next time." in text
    report.refresh_from_db()
    assert report.is_published
    assert report.publish_reason == "Two leads are on leave; they report next time."
