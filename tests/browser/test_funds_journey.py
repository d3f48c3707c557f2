"""The whole grants journey in a browser: a partner registers and applies with a file; an officer
screens; an assessor declares no conflict and scores; a manager approves and awards; a second
person approves a payment; the partner submits a monitoring report. Every page is axe-checked."""

import re

import pytest
from playwright.sync_api import expect

from cpw.accounts.models import User
from cpw.core.models import OutboundEmail
from funds.models import (
    Application,
    ApplicationStatus,
    Award,
    PaymentStatus,
    QuestionKind,
    ReportStatus,
)
from tests.accounts.factories import TEST_PASSWORD
from tests.funds.factories import CriterionFactory, FundFactory, QuestionFactory, RoundFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PARTNER_EMAIL = "jo@pantry.example"
PARTNER_PASSWORD = "tangerine-bicycle-harbour-42"


def _fill_date(page, name, day, month, year):
    page.locator(f'[name="{name}_0"]').fill(str(day))
    page.locator(f'[name="{name}_1"]').fill(str(month))
    page.locator(f'[name="{name}_2"]').fill(str(year))


def _complete_section(page):
    page.get_by_label("Yes, I’ve completed this section").check()
    page.get_by_role("button", name="Continue").click()


def test_the_whole_grants_journey(world, browser):
    fund = FundFactory(
        programme=world.programme, slug="pantry-fund", name="Pantry Fund", reference_prefix="PF"
    )
    round = RoundFactory(fund=fund, name="Spring round")
    question = QuestionFactory(fund=fund, kind=QuestionKind.FILE, text="Your constitution")
    criterion = CriterionFactory(fund=fund, name="Need", weight=2)
    officer = world.users["officer"]
    manager = world.users["programme_manager"]
    assessor = world.users["assessor"]
    year = round.opens_at.year

    # 1. A partner registers their organisation.
    def register(page):
        page.goto(browser.base_url + "/register/")
        page.get_by_label("Your full name").fill("Jo Walker")
        page.get_by_label("Your email address").fill(PARTNER_EMAIL)
        page.get_by_label("Name of your organisation").fill("Pantry Partners")
        page.get_by_label("Registered charity", exact=True).check()
        page.get_by_label("Registered charity number (if you have one)").fill("1105849")
        page.get_by_label("Address of your organisation").fill("1 High Street\nNuneaton")
        page.get_by_label("Postcode").fill("CV11 4AA")
        page.get_by_label("Create a password").fill(PARTNER_PASSWORD)
        page.get_by_label("Confirm your password").fill(PARTNER_PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.wait_for_load_state("load")
        expect(page.locator("body")).to_contain_text("Check your email")

    browser.step(register)
    email = OutboundEmail.objects.get(to=PARTNER_EMAIL)
    verify_path = re.search(r"(/register/verify/[^/\s]+/)", email.body).group(1)
    browser.visit(verify_path)

    # 2. The partner applies: task list, each section saved and checked, a file attached.
    def apply(page):
        page.goto(browser.base_url + f"/funds/{fund.slug}/")
        page.get_by_role("link", name="Start an application").click()
        page.get_by_role("button", name="Start application").click()
        page.get_by_role("link", name="Your project").click()
        page.get_by_label("Project title").fill("Community pantry")
        page.get_by_label("Summary of your project").fill("Affordable food for families.")
        page.get_by_role("button", name="Save and continue").click()
        _complete_section(page)
        page.get_by_role("link", name="Amount and dates").click()
        page.get_by_label("Capital amount requested, in pounds").fill("1000")
        page.get_by_label("Revenue amount requested, in pounds").fill("2000")
        _fill_date(page, "start_date", 1, 4, 2026)
        _fill_date(page, "end_date", 31, 3, 2027)
        page.get_by_role("button", name="Save and continue").click()
        _complete_section(page)
        page.get_by_role("link", name="Places and people who benefit").click()
        page.get_by_label("Lillington").check()
        page.get_by_label("Who benefits").fill("Families on low incomes")
        page.get_by_role("button", name="Save and continue").click()
        _complete_section(page)
        page.get_by_role("link", name="Budget").click()
        for description, kind, amount in [
            ("Fridges", "Capital", "1000"),
            ("Coordinator", "Revenue", "2000"),
        ]:
            page.get_by_label("What the money is for").fill(description)
            page.get_by_label(kind, exact=True).check()
            page.get_by_label("Amount, in pounds").fill(amount)
            page.get_by_role("button", name="Add budget line").click()
        page.get_by_role("link", name="Continue to check your budget").click()
        _complete_section(page)
        page.get_by_role("link", name="Fund questions").click()
        page.locator(f'[name="q{question.pk}"]').set_input_files(
            files=[{"name": "constitution.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("body")).to_contain_text("constitution.pdf")
        _complete_section(page)
        page.get_by_role("link", name="Check your answers and submit").click()
        expect(page.locator("body")).to_contain_text("Community pantry")
        page.get_by_label("I confirm that the information").check()
        page.get_by_label("Your full name").fill("Jo Walker")
        page.get_by_role("button", name="Accept and submit").click()
        page.wait_for_load_state("load")
        return page.locator(".govuk-panel__body strong").inner_text()

    reference = browser.step(apply)
    assert reference == f"PF-{year}-0001"
    application = Application.objects.get(reference=reference)
    assert application.status == ApplicationStatus.SUBMITTED
    assert OutboundEmail.objects.filter(to=PARTNER_EMAIL, subject__contains=reference).exists()
    browser.sign_out()
    review = f"/manage/applications/{application.pk}/"

    # 3. An officer screens it.
    browser.sign_in(officer.email, TEST_PASSWORD)

    def screen(page):
        page.goto(browser.base_url + review)
        page.get_by_role("button", name="Start screening").click()
        page.get_by_role("button", name="Eligible: send to assessment").click()
        page.wait_for_load_state("load")

    browser.step(screen)
    browser.sign_out()

    # 4. The manager assigns an assessor.
    browser.sign_in(manager.email, TEST_PASSWORD)

    def assign(page):
        page.goto(browser.base_url + review)
        page.get_by_label("Assessor", exact=True).select_option(label=str(assessor))
        page.get_by_role("button", name="Assign assessor").click()
        page.wait_for_load_state("load")

    browser.step(assign)
    browser.sign_out()

    # 5. The assessor declares no conflict and scores.
    browser.sign_in(assessor.email, TEST_PASSWORD)

    def assess(page):
        page.goto(browser.base_url + "/assessments/")
        page.get_by_role("link", name=f"Declare any conflict of interest for {reference}").click()
        page.get_by_label("No, I have no conflict of interest").check()
        page.get_by_role("button", name="Confirm declaration").click()
        expect(page.locator("body")).to_contain_text("Community pantry")
        page.locator(f'[name="score_{criterion.pk}"]').select_option("4")
        page.get_by_label("Why you gave this score for Need").fill("Clear local need")
        page.get_by_role("button", name="Finish scoring").click()
        page.wait_for_load_state("load")

    browser.step(assess)
    browser.sign_out()

    # 6. The manager approves, awards and plans a payment.
    browser.sign_in(manager.email, TEST_PASSWORD)

    def decide_and_award(page):
        page.goto(browser.base_url + f"/manage/rounds/{round.pk}/panel/")
        expect(page.locator("body")).to_contain_text("4.00")
        page.goto(browser.base_url + review)
        page.get_by_role("button", name="Ready for a decision").click()
        page.get_by_role("link", name="Record the decision").click()
        page.get_by_label("Approved", exact=True).check()
        page.get_by_role("button", name="Record decision").click()
        page.get_by_role("link", name="Award a grant").click()
        _fill_date(page, "first_report_due", 1, 10, 2026)
        page.get_by_role("button", name="Award grant").click()
        page.get_by_role("link", name="Plan a payment").click()
        page.get_by_label("Amount, in pounds").fill("1500")
        _fill_date(page, "due_on", 1, 5, 2026)
        page.get_by_role("button", name="Plan payment").click()
        page.wait_for_load_state("load")

    browser.step(decide_and_award)
    award = Award.objects.get(application=application)
    assert award.amount == 3000
    payment = award.payments.get()
    assert payment.created_by == manager and payment.status == PaymentStatus.PLANNED
    browser.sign_out()

    # 7. A second person approves the payment.
    browser.sign_in(officer.email, TEST_PASSWORD)

    def approve(page):
        page.goto(browser.base_url + f"/grants/{award.pk}/")
        page.get_by_role("button", name="Approve").click()
        page.wait_for_load_state("load")
        expect(page.locator("body")).to_contain_text("Payment approved")

    browser.step(approve)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED and payment.approved_by == officer
    browser.sign_out()

    # 8. The partner submits a monitoring report.
    browser.sign_in(PARTNER_EMAIL, PARTNER_PASSWORD)

    def report(page):
        page.goto(browser.base_url + "/grants/")
        page.get_by_role("link", name="Community pantry").click()
        page.get_by_role("link", name=re.compile("Submit the report due")).click()
        page.get_by_label("Progress so far").fill("The pantry opened in May.")
        page.get_by_label("Spend to date, in pounds").fill("1200")
        page.get_by_label("Number of people reached").fill("85")
        page.get_by_role("button", name="Submit report").click()
        page.wait_for_load_state("load")
        expect(page.locator("body")).to_contain_text("Your monitoring report has been submitted")

    browser.step(report)
    report_row = award.reports.get()
    assert report_row.status == ReportStatus.SUBMITTED and report_row.people_reached == 85
    assert report_row.submitted_by == User.objects.get(email=PARTNER_EMAIL)
