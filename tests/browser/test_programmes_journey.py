"""The quarterly update journey: an officer sees what is due, saves a draft, submits; the
programme manager's RAG grid shows it; once locked, the period refuses edits with a clear
message."""

import pytest
from django.urls import reverse

from programmes.models import CommitmentUpdate, UpdateStatus
from tests.accounts.factories import TEST_PASSWORD
from tests.programmes.fixtures import plan_world  # noqa: F401

pytestmark = pytest.mark.browser


def test_officer_updates_and_manager_locks(plan_world, browser):  # noqa: F811
    w = plan_world
    update_path = reverse("programmes:commitment-update", args=[w.commitment.pk, w.current.label])

    browser.sign_in(w.officer.email, TEST_PASSWORD)

    def my_commitments(page):
        page.goto(browser.base_url + reverse("programmes:my-work"))
        return page.locator("main").inner_text()

    text = browser.step(my_commitments)
    assert "Involve residents early" in text
    assert "Not started" in text
    assert "You have 1 update still to submit" in text

    def save_draft(page):
        page.get_by_role(
            "link", name=f"Update Involve residents early for {w.current.label}"
        ).click()
        page.get_by_label("What happened this period").fill("Two community panels met.")
        page.get_by_role("button", name="Save as draft").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    text = browser.step(save_draft)
    assert "Your draft update" in text
    assert "Draft" in text
    assert CommitmentUpdate.objects.get().status == UpdateStatus.DRAFT

    def submit_without_rag(page):
        page.get_by_role(
            "link", name=f"Continue Involve residents early for {w.current.label}"
        ).click()
        page.get_by_role("button", name="Submit update").click()
        page.wait_for_load_state("load")
        return page.locator(".govuk-error-summary").inner_text()

    assert "Select a RAG rating" in browser.step(submit_without_rag)

    def submit(page):
        page.get_by_label("Amber").check()
        page.get_by_role("button", name="Submit update").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    text = browser.step(submit)
    assert "Update submitted" in text
    update = CommitmentUpdate.objects.get()
    assert (update.status, update.rag) == (UpdateStatus.SUBMITTED, "amber")
    browser.sign_out()

    browser.sign_in(w.manager.email, TEST_PASSWORD)

    def grid(page):
        page.goto(browser.base_url + reverse("programmes:plan", args=[w.programme.slug]))
        row = page.get_by_role("row", name="Involve residents early")
        return page.locator("#submission-count").inner_text(), row.inner_text()

    counts, row = browser.step(grid)
    assert "1 submitted, 0 missing" in counts
    assert "Amber" in row

    def lock(page):
        page.get_by_role("button", name=f"Lock {w.current.label}").click()
        page.wait_for_load_state("load")
        # The update deadline has not passed yet: locking early needs a reason.
        page.get_by_label("Why must it be locked before the deadline?").fill(
            "The steering group meets early this quarter."
        )
        page.get_by_role("button", name=f"Yes, lock {w.current.label}").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert f"{w.current.label} is locked" in browser.step(lock)
    browser.sign_out()

    browser.sign_in(w.officer.email, TEST_PASSWORD)

    def locked_form(page):
        page.goto(browser.base_url + update_path)
        return page.locator("main").inner_text(), page.get_by_role("button", name="Submit").count()

    text, buttons = browser.step(locked_form)
    assert "is locked, so updates for it can no longer be changed" in text
    assert buttons == 0


def test_manager_imports_a_plan_after_fixing_unmatched_leads(plan_world, browser, tmp_path):  # noqa: F811
    from programmes.models import Commitment

    w = plan_world
    path = tmp_path / "plan.csv"
    path.write_text(
        "group,commitment,leads,due_date,status\n"
        "Relationships,Partner forum,Tom Evans and Someone Unknown,2026-03-31,On track\n"
        "Relationships,Learning events,Aisha Khan,31/03/2026,not started\n"
    )
    browser.sign_in(w.manager.email, TEST_PASSWORD)

    def upload(page):
        page.goto(browser.base_url + reverse("programmes:plan-import", args=[w.programme.slug]))
        page.get_by_label("Upload a delivery plan").set_input_files(str(path))
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_load_state("load")
        return page.locator(".govuk-error-summary").inner_text()

    assert "Row 2: Lead 'Someone Unknown' does not match" in browser.step(upload)
    assert not Commitment.objects.filter(title="Partner forum").exists()

    def skip_unmatched(page):
        page.get_by_label("Leave them out").check()
        page.get_by_role("button", name="Check again").click()
        page.wait_for_load_state("load")
        page.get_by_role("button", name="Import 2 commitments").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    text = browser.step(skip_unmatched)
    assert "Delivery plan imported: 2 new" in text
    assert "Partner forum" in text


def test_two_people_editing_one_update_see_the_conflict_page(plan_world, browser):  # noqa: F811
    from programmes import services

    w = plan_world
    update = services.commitment_update_save(
        commitment=w.commitment,
        period=w.current,
        user=w.officer,
        data={"what_happened": "First draft"},
        action=services.SAVE_DRAFT,
        expected_version=0,
    )
    path = reverse("programmes:commitment-update", args=[w.commitment.pk, w.current.label])
    browser.sign_in(w.officer.email, TEST_PASSWORD)

    def open_form(page):
        page.goto(browser.base_url + path)
        page.get_by_label("What happened this period").fill("The officer's words")

    browser.step(open_form)
    services.commitment_update_save(  # the manager saves meanwhile
        commitment=w.commitment,
        period=w.current,
        user=w.manager,
        data={"what_happened": "The manager's words"},
        action=services.SAVE_DRAFT,
        expected_version=update.version,
    )

    def save(page):
        page.get_by_role("button", name="Save as draft").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text(), page.get_by_label(
            "What happened this period"
        ).input_value()

    text, field = browser.step(save)
    assert "Someone else changed this while you were editing" in text
    assert "The manager's words" in text
    assert field == "The officer's words"  # nothing typed is lost
