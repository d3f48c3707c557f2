"""A lead officer logs an event with attendance, adds a learning entry and submits the quarterly
update; the totals on the groundbreaker and programme pages include the new figures."""

import pytest
from django.urls import reverse

from groundbreakers.models import Activity, GroundbreakerUpdate, LearningEntry
from programmes.models import Ambition, UpdateStatus
from programmes.periods import period_current
from tests.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_lead_officer_logs_an_event_learning_and_the_quarterly_update(world, browser):
    officer = world.users["officer"]
    gb = world.groundbreaker
    detail = reverse("groundbreakers:detail", kwargs={"programme": "cpw", "slug": gb.slug})
    totals = reverse("groundbreakers:totals", kwargs={"programme": "cpw"})
    # The period whose updates are due now (the latest quarter that has ended and is still open).
    period = period_current(world.programme).label

    browser.sign_in(officer.email, TEST_PASSWORD)
    browser.visit(detail)
    before = browser.step(lambda page: page.locator('[data-total="attendees"]').inner_text())
    assert before == "10"

    def log_event(page):
        page.get_by_role("link", name="Log an activity").click()
        page.get_by_label("What was it called?").fill("Lillington store open day")
        page.get_by_label("Type of activity").select_option(label="Event")
        page.get_by_label("Number of people who attended").fill("42")
        page.get_by_label("Number of volunteers").fill("6")
        page.get_by_role("button", name="Save activity").click()
        page.wait_for_url(f"**{detail}")
        return page.locator('[data-total="attendees"]').inner_text()

    assert browser.step(log_event) == "52"
    activity = Activity.objects.get(title="Lillington store open day")
    assert (activity.groundbreaker, activity.attendees, activity.volunteers) == (gb, 42, 6)

    ambition = Ambition.objects.create(programme=world.programme, name="Enable communities to lead")

    def add_learning(page):
        page.get_by_role("link", name="Add learning").click()
        page.get_by_label("Title").fill("Weekday mornings suit families")
        page.get_by_label("What we tried").fill("Opening on a Saturday afternoon")
        page.get_by_label("What happened").fill("Few families came; most shop on weekday mornings")
        page.get_by_label("It didn't work").check()
        page.get_by_label("What we would do differently").fill("Open on weekday mornings")
        page.get_by_label("Enable communities to lead").check()
        page.get_by_label("Themes").fill("Food, Work alongside communities")
        page.get_by_role("button", name="Save learning").click()
        page.wait_for_url(f"**{detail}")
        return page.content()

    page_html = browser.step(add_learning)
    assert "Weekday mornings suit families" in page_html
    entry = LearningEntry.objects.get()
    assert entry.groundbreaker == gb and entry.outcome == "did_not_work"
    assert list(entry.ambitions.all()) == [ambition]

    def submit_update(page):
        page.get_by_role("link", name=f"Quarterly update for {period}").click()
        page.get_by_label("Amber").check()
        page.get_by_label("Summary of progress this quarter").fill("Two stores open")
        for textarea in page.locator("textarea[name^='outcome_']").all():
            textarea.fill("On track in two of three places")
        page.get_by_label("Next steps").fill("Open New Arley")
        page.get_by_role("button", name="Submit update").click()
        page.wait_for_url(f"**{detail}")
        return page.locator("main").inner_text()

    text = browser.step(submit_update)
    assert f"Your {period} update has been submitted" in text
    update = GroundbreakerUpdate.objects.get(groundbreaker=gb, period__label=period)
    assert update.status == UpdateStatus.SUBMITTED
    assert update.outcome_progress.count() == 3

    browser.visit(totals)
    figures = browser.step(
        lambda page: {
            "attendees": page.locator('[data-total="attendees"]').inner_text(),
            "volunteers": page.locator('[data-total="volunteers"]').inner_text(),
            "council_led": page.locator('[data-total="council_led_attendees"]').inner_text(),
        }
    )
    assert figures == {"attendees": "52", "volunteers": "6", "council_led": "52"}

    browser.visit(reverse("groundbreakers:learning", kwargs={"programme": "cpw"}) + "?q=weekday")
    found = browser.step(lambda page: page.locator("main").inner_text())
    assert "Weekday mornings suit families" in found

    browser.visit(reverse("groundbreakers:learning-add", kwargs={"programme": "cpw"}))
    learning = reverse("groundbreakers:learning", kwargs={"programme": "cpw"})
    browser.visit(f"{learning}?ambition={ambition.pk}")
    found = browser.step(lambda page: page.locator("main").inner_text())
    assert "Weekday mornings suit families" in found and "1 entry found" in found
