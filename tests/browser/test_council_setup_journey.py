"""A new council sets up its programme with the portal's own pages, from a blank portal to a
compiled quarterly report: a staff admin adds the council and invites its first council admin;
the council admin does everything else (no Django admin, no shell). Every page is axe-checked."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from programmes.models import Council, GovernanceBody, Place, Programme
from reporting.models import QuarterlyReport
from tests.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "a-long-unusual-passphrase-for-jo"


def test_a_new_council_goes_from_a_blank_portal_to_a_compiled_report(db, browser, tmp_path):
    staff = UserFactory(is_staff=True, is_superuser=True)
    browser.sign_in(staff.email, TEST_PASSWORD)

    def add_council(page):
        page.goto(browser.base_url + reverse("programmes:council-list"))
        page.get_by_role("link", name="Add a council").click()
        page.get_by_label("Full name of the council", exact=True).fill(
            "Westmorland and Furness Council"
        )
        page.get_by_label("Short name", exact=True).fill("Westmorland and Furness")
        page.get_by_label("Unitary authority").check()
        page.get_by_label("360Giving org-id").fill("gb-lae-waf")
        page.get_by_label("Full name of the council's first council admin").fill("Jo Dalton")
        page.get_by_label("Their email address").fill("jo.dalton@westmorlandandfurness.gov.uk")
        page.get_by_role("button", name="Add council and send invitation").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "Westmorland and Furness Council" in browser.step(add_council)
    council = Council.objects.get(slug="westmorland-and-furness")
    assert council.org_id_prefix == "GB-LAE-WAF"
    browser.sign_out()

    # The email's link names the configured site; the test server listens elsewhere.
    link_path = re.search(r"https?://[^/\s]+(/invitation/\S+/)", mail.outbox[-1].body).group(1)

    def accept_invitation(page):
        page.goto(browser.base_url + link_path)
        page.get_by_label("New password", exact=True).fill(ADMIN_PASSWORD)
        page.get_by_label("New password confirmation").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Set password and sign in").click()
        page.wait_for_load_state("load")
        return page.locator("header").inner_text()

    # Signed in as the council admin, the header names their council.
    assert "Westmorland and Furness Council" in browser.step(accept_invitation)

    def create_programme(page):
        page.goto(browser.base_url + reverse("programmes:council-detail", args=[council.slug]))
        page.get_by_role("link", name="Create a programme").click()
        page.get_by_label("From a blank form").check()
        page.get_by_label("Name of the programme").fill("Community Power in Westmorland")
        page.get_by_label("Short name", exact=True).fill("CPWF")
        page.get_by_role("button", name="Create programme").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "Community Power in Westmorland" in browser.step(create_programme)
    programme = Programme.objects.get(council=council)
    slug = programme.slug

    def name_things_its_own_way(page):
        page.goto(browser.base_url + reverse("programmes:programme-settings", args=[slug]))
        page.locator('[name="groundbreaker_label"]').fill("pathfinder")
        page.locator('[name="groundbreaker_label_plural"]').fill("pathfinders")
        page.get_by_role("button", name=re.compile("Save")).click()
        page.wait_for_load_state("load")
        return page.locator("nav").all_inner_texts()

    assert any("Pathfinders" in text for text in browser.step(name_things_its_own_way))

    def add_governance(page):
        page.goto(browser.base_url + reverse("programmes:governance-add", args=[slug]))
        page.get_by_label("Name", exact=True).fill("Scrutiny Committee")
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Save body").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "Scrutiny Committee" in browser.step(add_governance)
    assert GovernanceBody.objects.get(programme=programme).receives_quarterly_report

    places = tmp_path / "places.csv"
    places.write_text(
        "ons_code,name,kind,parent_ons_code\n,Eden,locality,\nE05012345,Penrith North,ward,\n"
    )

    def import_places(page):
        page.goto(browser.base_url + reverse("programmes:place-import", args=[council.slug]))
        page.get_by_label("Upload a file of places").set_input_files(str(places))
        page.get_by_role("button", name="Import places").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "Penrith North" in browser.step(import_places)
    assert Place.objects.filter(council=council).count() == 2

    def add_periods(page):
        page.goto(browser.base_url + reverse("programmes:period-list", args=[slug]))
        page.get_by_label("First quarter").fill("2025-Q1")
        page.get_by_label("Last quarter").fill("2025-Q2")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "Reporting periods 2025-Q1 to 2025-Q2 are set up" in browser.step(add_periods)

    plan = tmp_path / "plan.csv"
    plan.write_text(
        "group,commitment,leads,due_date,status\n"
        "Listening,Community conversations in Eden,Jo Dalton,2026-03-31,On track\n"
        "Listening,Locality panels,Jo Dalton,31/03/2026,not started\n"
    )

    def import_plan(page):
        page.goto(browser.base_url + reverse("programmes:plan-import", args=[slug]))
        page.get_by_label("Upload a delivery plan").set_input_files(str(plan))
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_load_state("load")
        page.get_by_role("button", name="Import 2 commitments").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    assert "Community conversations in Eden" in browser.step(import_plan)

    def compile_report(page):
        page.goto(browser.base_url + reverse("reports:list", args=[slug]))
        page.get_by_role("button", name=re.compile(r"Compile now 2025-Q2")).click()
        page.wait_for_load_state("load")
        page.get_by_role("link", name="Read the compiled report").click()
        page.wait_for_load_state("load")
        return page.locator("main").inner_text()

    report_text = browser.step(compile_report)
    report = QuarterlyReport.objects.get(programme=programme)
    assert "Community conversations in Eden" in report_text
    assert "Scrutiny Committee" in report_text
    assert "Pathfinders" in report_text
    assert "Warwickshire" not in report_text
    assert report.pdf and report.xlsx
