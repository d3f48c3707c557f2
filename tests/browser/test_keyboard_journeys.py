"""The three main journeys, keyboard only, counting page loads.

Nothing is clicked: focus moves with Tab, links are followed with Enter, radios are chosen
with Space, text is typed. Reading the DOM to decide where to go next is allowed (a sighted
keyboard user sees the page). Page loads are counted from the moment the sign-in form is
submitted (the sign-in page itself is not counted): every main-frame `load` is one, whether
it follows a link, a form or a redirect.

- an officer signs in and submits this period's update: at most 4 page loads;
- a returning partner signs in and reaches their draft application: at most 2;
- a programme manager signs in, compiles this period's report and publishes it: at most 6.
"""

import re
from unittest import mock

import pytest
from django.urls import reverse

from programmes.models import CommitmentUpdate, UpdateStatus
from programmes.selectors import commitment_list_due_for_lead
from reporting.models import QuarterlyReport
from tests.accounts.factories import TEST_PASSWORD
from tests.reporting.access import STAND_IN_PDF

pytestmark = pytest.mark.browser

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
                return
        raise AssertionError(f"Tab never reaches {what} on {self._path()}")

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


def _journey(browser, fn):
    """Runs fn(keyboard) in the browser; returns the page loads it took."""

    def run(page):
        keyboard = Keyboard(page)
        fn(keyboard)
        return keyboard.loads

    return browser.step(run)


def test_officer_signs_in_and_submits_an_update_in_four_page_loads(world, browser):
    officer = world.users["officer"]
    # The period My work asks about: its update is not started yet.
    (due,) = commitment_list_due_for_lead(officer)
    CommitmentUpdate.objects.filter(commitment=due.commitment, period=due.period).delete()
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


def test_returning_partner_reaches_their_draft_in_two_page_loads(world, browser):
    draft = reverse("funds:application-tasks", args=[world.funds.draft.pk])

    def journey(keyboard):
        keyboard.sign_in(browser.base_url, world.users["partner"].email)
        keyboard.follow(draft, via=(reverse("funds:my-applications"),))

    loads = _journey(browser, journey)
    assert loads[-1] == draft
    assert len(loads) <= 2, f"{len(loads)} page loads: {loads}"


@pytest.mark.xfail(
    strict=True,
    reason="issue 14: reports are reachable only from the bottom of the steering page",
)
def test_manager_signs_in_compiles_and_publishes_a_report_in_six_page_loads(world, browser):
    programme = world.programme
    period = world.period
    reports = reverse("reports:list", args=[programme.slug])
    compile_action = reverse("reports:compile", args=[programme.slug, period.label])

    def journey(keyboard):
        keyboard.sign_in(browser.base_url, world.users["programme_manager"].email)
        keyboard.follow(
            reports,
            via=(
                reverse("reports:steering"),
                reverse("programmes:programme-detail", args=[programme.slug]),
            ),
        )
        keyboard.tab_to(FOCUSED_FORM_BUTTON, compile_action, f"Compile now for {period.label}")
        keyboard.press("Enter")
        keyboard.page.get_by_text("Read the compiled report").wait_for()
        keyboard.tab_to(FOCUSED_LINK_TEXT, "Read the compiled report", "the compiled report")
        keyboard.press("Enter")
        keyboard.tab_to(FOCUSED_LINK_TEXT, "Publish this version", "Publish this version")
        keyboard.press("Enter")
        keyboard.tab_to(FOCUSED_BUTTON, "Publish the report", "the Publish the report button")
        keyboard.press("Enter")

    # The report's PDF is a stand-in: tests/reporting lay out the real one.
    with mock.patch("reporting.services.render_pdf", return_value=STAND_IN_PDF):
        loads = _journey(browser, journey)
    report = QuarterlyReport.objects.get(programme=programme, period=period)
    assert report.is_published
    assert loads[-1] == reverse("reports:detail", args=[report.pk])
    assert len(loads) <= 6, f"{len(loads)} page loads: {loads}"
