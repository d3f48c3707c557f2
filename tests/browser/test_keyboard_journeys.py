"""The three main journeys, keyboard only, counting page loads.

Nothing is clicked: focus moves with Tab, links are followed with Enter, radios are chosen
with Space, text is typed. Reading the DOM to decide where to go next is allowed (a sighted
keyboard user sees the page). Page loads are counted from the moment the sign-in form is
submitted (the sign-in page itself is not counted): every main-frame `load` is one, whether
it follows a link, a form or a redirect.

- an officer signs in and submits this period's update: at most 4 page loads;
- a returning partner signs in and reaches their draft application: at most 2;
- a programme manager signs in, compiles this period's report and publishes it: at most 6;
- a new partner registers their organisation, confirms their email address and applies for a
  grant through every section of the task list to a submitted application.

Every element the keyboard lands on to act must show that it has focus (an outline, a focus
ring or the GOV.UK yellow highlight): a keyboard user has to see where they are.
"""

import re
from unittest import mock

import pytest
from django.urls import reverse

from cpw.core.models import OutboundEmail
from funds.models import Application, ApplicationStatus, BudgetKind, QuestionKind
from programmes.models import CommitmentUpdate, UpdateStatus
from programmes.selectors import commitment_list_due_for_lead
from reporting.models import QuarterlyReport
from tests.accounts.factories import TEST_PASSWORD
from tests.funds.factories import FundFactory, QuestionFactory, RoundFactory
from tests.reporting.access import STAND_IN_PDF

# The journeys share one committed world (module_world): each changes only its own objects.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
]

TAB_LIMIT = 200

FOCUSED_LINK = """path => {
  const el = document.activeElement;
  return Boolean(el) && el.tagName === 'A' && new URL(el.href, location.href).pathname === path;
}"""
FOCUSED_LINK_TEXT = """text => {
  const el = document.activeElement;
  return Boolean(el) && el.tagName === 'A' && el.textContent.replace(/\\s+/g, ' ').trim() === text;
}"""
FOCUSED_BUTTON = """text => {
  const el = document.activeElement;
  return Boolean(el) && (el.tagName === 'BUTTON' || el.type === 'submit')
    && el.textContent.replace(/\\s+/g, ' ').trim().startsWith(text);
}"""
FOCUSED_FORM_BUTTON = """action => {
  const el = document.activeElement;
  return Boolean(el) && el.tagName === 'BUTTON' && Boolean(el.form)
    && new URL(el.form.action, location.href).pathname === action;
}"""
FOCUSED_FIELD = (
    """name => Boolean(document.activeElement) && document.activeElement.name === name"""
)
HAS_LINK = """path => [...document.querySelectorAll('a[href]')].some(
  a => new URL(a.href, location.href).pathname === path)"""
FOCUSED_CONTROL = """label => {
  const el = document.activeElement;
  if (!el || !['radio', 'checkbox'].includes(el.type)) return false;
  const text = [...el.labels].map(l => l.textContent.replace(/\\s+/g, ' ').trim()).join(' ');
  return text === label;
}"""
FOCUSED_FIRST_OPTION = """name => {
  const el = document.activeElement;
  return Boolean(el) && el.name === name && ['radio', 'checkbox'].includes(el.type)
    && el === document.getElementsByName(name)[0];
}"""
# Whether the focused element shows it: its own outline or box-shadow, a background unlike its
# unfocused one (GOV.UK's yellow link highlight), or for a radio or checkbox its label's ring.
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has focus';
  const shows = style => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  if (shows(getComputedStyle(el))) return '';
  if (['radio', 'checkbox'].includes(el.type)) {
    for (const label of el.labels) {
      if (shows(getComputedStyle(label, '::before')) || shows(getComputedStyle(label, '::after'))) return '';
    }
  }
  if (getComputedStyle(el).backgroundColor === 'rgb(255, 221, 0)') return '';
  return `${el.tagName.toLowerCase()}${el.name ? '[name=' + el.name + ']' : ''} "${el.textContent.trim().slice(0, 40)}"`;
}"""


class Keyboard:
    """Drives one page with the keyboard and counts its main-frame loads."""

    def __init__(self, page):
        self.page = page
        self.loads = []
        page.on("load", lambda: self.loads.append(self._path()))

    def _path(self):
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def tab_to(self, predicate: str, arg, what: str) -> None:
        for _ in range(TAB_LIMIT):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(predicate, arg):
                hidden = self.page.evaluate(FOCUS_VISIBLE)
                assert not hidden, (
                    f"{what} on {self._path()} has focus but does not show it: {hidden}"
                )
                return
        raise AssertionError(f"Tab never reaches {what} on {self._path()}")

    def type_into(self, name: str, text: str) -> None:
        """Tab to the field called `name` and type `text`."""
        self.tab_to(FOCUSED_FIELD, name, f"the {name} field")
        self.page.keyboard.type(text)

    def space_on(self, label: str) -> None:
        """Tab to the radio or checkbox labelled `label` and choose it with Space."""
        self.tab_to(FOCUSED_CONTROL, label, f"the option {label!r}")
        self.page.keyboard.press("Space")

    def choose_first(self, name: str) -> None:
        """Tab into the radio group `name` (focus lands on its first radio) and choose it."""
        self.tab_to(FOCUSED_FIRST_OPTION, name, f"the first option of {name}")
        self.page.keyboard.press("Space")

    def press_button(self, text: str) -> None:
        self.tab_to(FOCUSED_BUTTON, text, f"the {text} button")
        self.press("Enter")

    def follow_text(self, text: str) -> None:
        self.tab_to(FOCUSED_LINK_TEXT, text, f"the link {text!r}")
        self.press("Enter")

    def press(self, key: str) -> None:
        """Press a key that submits a form or follows a link, and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("load")

    def follow(self, path: str, *, via: tuple[str, ...] = ()) -> None:
        """Follow the link to `path`; when the page has none, go through the first of `via`
        (a page that leads there) that it links to."""
        for _ in range(len(via) + 1):
            if self.page.evaluate(HAS_LINK, path):
                self.tab_to(FOCUSED_LINK, path, f"a link to {path}")
                self.press("Enter")
                return
            hub = next((hub for hub in via if self.page.evaluate(HAS_LINK, hub)), None)
            if hub is None:
                break
            self.tab_to(FOCUSED_LINK, hub, f"a link to {hub}")
            self.press("Enter")
        raise AssertionError(f"No way on from {self._path()} to {path} (tried {via})")

    def sign_in(self, base_url: str, email: str) -> None:
        self.page.goto(base_url + reverse("accounts:sign-in"))
        self.loads.clear()  # the sign-in page itself is not counted
        self.tab_to(
            "() => ['email', 'username'].includes((document.activeElement || {}).name)"
            " || (document.activeElement || {}).type === 'email'",
            None,
            "the email address field",
        )
        self.page.keyboard.type(email)
        self.tab_to("() => (document.activeElement || {}).type === 'password'", None, "password")
        self.page.keyboard.type(TEST_PASSWORD)
        self.press("Enter")


@pytest.fixture(scope="module")
def journeys(module_world, django_db_blocker):
    """The module's world, and what the journeys need made before they start (committed, so
    that the live server sees it)."""
    world = module_world.world
    with django_db_blocker.unblock():
        # The period My work asks the officer about: its update is not started yet.
        (due,) = commitment_list_due_for_lead(world.users["officer"])
        CommitmentUpdate.objects.filter(commitment=due.commitment, period=due.period).delete()
        fund = FundFactory(
            programme=world.programme, slug="pantry-fund", name="Pantry Fund", reference_prefix="PF"
        )
        round = RoundFactory(fund=fund, name="Spring round")
        question = QuestionFactory(
            fund=fund, kind=QuestionKind.SHORT_TEXT, text="How many volunteers do you have?"
        )
    world.due, world.fund, world.round, world.question = due, fund, round, question
    return world


def _journey(browser, fn):
    """Runs fn(keyboard) in the browser; returns the page loads it took."""

    def run(page):
        keyboard = Keyboard(page)
        fn(keyboard)
        return keyboard.loads

    return browser.step(run)


def test_officer_signs_in_and_submits_an_update_in_four_page_loads(journeys, module_browser):
    world, browser = journeys, module_browser
    officer = world.users["officer"]
    due = world.due
    update = reverse("programmes:commitment-update", args=[due.commitment.pk, due.period.label])

    def journey(keyboard):
        keyboard.sign_in(browser.base_url, officer.email)
        keyboard.follow(update, via=(reverse("programmes:my-work"),))
        keyboard.tab_to(FOCUSED_FIELD, "rag", "the RAG rating")
        keyboard.page.keyboard.press("Space")
        keyboard.tab_to(FOCUSED_FIELD, "what_happened", "What happened this period")
        keyboard.page.keyboard.type("Two community panels met.")
        keyboard.tab_to(FOCUSED_BUTTON, "Submit update", "the Submit update button")
        keyboard.press("Enter")

    loads = _journey(browser, journey)
    submitted = CommitmentUpdate.objects.get(commitment=due.commitment, period=due.period)
    assert submitted.status == UpdateStatus.SUBMITTED
    assert submitted.what_happened == "Two community panels met."
    assert len(loads) <= 4, f"{len(loads)} page loads: {loads}"


def test_returning_partner_reaches_their_draft_in_two_page_loads(journeys, module_browser):
    world, browser = journeys, module_browser
    draft = reverse("funds:application-tasks", args=[world.funds.draft.pk])

    def journey(keyboard):
        keyboard.sign_in(browser.base_url, world.users["partner"].email)
        keyboard.follow(draft, via=(reverse("funds:my-applications"),))

    loads = _journey(browser, journey)
    assert loads[-1] == draft
    assert len(loads) <= 2, f"{len(loads)} page loads: {loads}"


def test_manager_signs_in_compiles_and_publishes_a_report_in_six_page_loads(
    journeys, module_browser
):
    world, browser = journeys, module_browser
    programme = world.programme
    period = world.period
    compile_action = reverse("reports:compile", args=[programme.slug, period.label])

    def journey(keyboard):
        keyboard.sign_in(browser.base_url, world.users["programme_manager"].email)
        # "Reports" in the navigation: with one programme, its list of reports.
        keyboard.follow(reverse("reports:index"))
        keyboard.tab_to(FOCUSED_FORM_BUTTON, compile_action, f"Compile now for {period.label}")
        keyboard.press("Enter")
        keyboard.page.get_by_text("Read the compiled report").wait_for()
        keyboard.tab_to(FOCUSED_LINK_TEXT, "Read the compiled report", "the compiled report")
        keyboard.press("Enter")
        keyboard.tab_to(FOCUSED_LINK_TEXT, "Publish this version", "Publish this version")
        keyboard.press("Enter")
        # Not every lead has updated yet: publishing with gaps takes a reason.
        keyboard.tab_to(FOCUSED_FIELD, "reason", "Why publish it with updates missing?")
        keyboard.page.keyboard.type("The steering group meets before the last updates are due.")
        keyboard.tab_to(FOCUSED_BUTTON, "Publish the report", "the Publish the report button")
        keyboard.press("Enter")

    # The report's PDF is a stand-in: tests/reporting lay out the real one.
    with mock.patch("reporting.services.render_pdf", return_value=STAND_IN_PDF):
        loads = _journey(browser, journey)
    report = QuarterlyReport.objects.get(programme=programme, period=period)
    assert report.is_published
    assert report.publish_reason.startswith("The steering group meets")
    assert loads[-1] == reverse("reports:detail", args=[report.pk])
    assert len(loads) <= 6, f"{len(loads)} page loads: {loads}"


def test_new_partner_registers_and_submits_a_grant_application_by_keyboard(
    journeys, module_browser
):
    """Registration to a submitted application with Tab, Enter, Space and typing only; the one
    page not reached by the keyboard is the email's confirmation link."""
    browser = module_browser
    fund, round, question = journeys.fund, journeys.round, journeys.question
    email = "sam@allotments.example"
    password = "marmalade-lighthouse-otter-77"

    def register(keyboard):
        keyboard.page.goto(browser.base_url + reverse("home"))
        keyboard.follow(reverse("accounts:register"))
        keyboard.type_into("full_name", "Sam Okafor")
        keyboard.type_into("email", email)
        keyboard.type_into("organisation_name", "Bedworth Allotment Society")
        keyboard.choose_first("organisation_kind")
        keyboard.type_into("address", "2 Mill Lane, Bedworth")
        keyboard.type_into("postcode", "CV12 8AA")
        keyboard.type_into("password1", password)
        keyboard.type_into("password2", password)
        keyboard.press_button("Create account")
        assert keyboard.page.get_by_role("heading", name="Check your email").count()

    browser.step(lambda page: register(Keyboard(page)))
    confirmation = OutboundEmail.objects.get(to=email)
    verify_path = re.search(r"(/register/verify/[^/\s]+/)", confirmation.body).group(1)

    def complete_section(keyboard):
        keyboard.space_on("Yes, I’ve completed this section")
        keyboard.press_button("Continue")

    def apply(keyboard):
        keyboard.page.goto(browser.base_url + verify_path)  # the link in the email
        keyboard.follow(
            reverse("funds:fund-detail", args=[fund.slug]), via=(reverse("funds:fund-list"),)
        )
        keyboard.follow(reverse("funds:application-start", args=[fund.slug, round.pk]))
        keyboard.press_button("Start application")

        keyboard.follow_text("Your project")
        keyboard.type_into("project_title", "Allotment open days")
        keyboard.type_into("summary", "Monthly open days that teach families to grow food.")
        keyboard.press_button("Save and continue")
        complete_section(keyboard)

        keyboard.follow_text("Amount and dates")
        keyboard.type_into("amount_capital", "£1,500")
        for name, day, month, year in (("start_date", 1, 4, 2027), ("end_date", 31, 3, 2028)):
            keyboard.type_into(f"{name}_0", str(day))
            keyboard.type_into(f"{name}_1", str(month))
            keyboard.type_into(f"{name}_2", str(year))
        keyboard.press_button("Save and continue")
        complete_section(keyboard)

        keyboard.follow_text("Places and people who benefit")
        keyboard.space_on("Lillington")
        keyboard.type_into("beneficiaries", "Families without a garden")
        keyboard.press_button("Save and continue")
        complete_section(keyboard)

        keyboard.follow_text("Budget")
        keyboard.type_into("description", "Tools and raised beds")
        keyboard.space_on("Capital")
        keyboard.type_into("amount", "1500")
        keyboard.press_button("Add budget line")
        keyboard.follow_text("Continue to check your budget")
        complete_section(keyboard)

        keyboard.follow_text("Fund questions")
        keyboard.type_into(f"q{question.pk}", "Twelve")
        keyboard.press_button("Save and continue")
        complete_section(keyboard)

        keyboard.follow_text("Check your answers and submit")
        keyboard.tab_to(FOCUSED_FIELD, "confirm", "the declaration")
        keyboard.page.keyboard.press("Space")
        keyboard.type_into("declaration_name", "Sam Okafor")
        keyboard.press_button("Accept and submit")
        return keyboard.page.locator(".govuk-panel__body strong").inner_text()

    reference = browser.step(lambda page: apply(Keyboard(page)))
    application = Application.objects.get(reference=reference)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.organisation.name == "Bedworth Allotment Society"
    assert application.amount_capital == 1500
    assert application.budget_lines.get().kind == BudgetKind.CAPITAL
    assert application.answers.get(question=question).value == "Twelve"
