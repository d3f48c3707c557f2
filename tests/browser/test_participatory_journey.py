"""A residents' vote in a browser: a resident votes on a phone-width screen with the keyboard
only (polling card code and postcode, the ballot with its running total and a bid's photo, check,
cast); an officer enters ten paper ballots with the keyboard and a second officer checks one,
which does not match; voting closes; the manager looks over the vote's staff pages (the vote,
its settings, shortlist, a bid's photo, polling cards), corrects the mismatched ballot and
confirms the result, and the grants appear on the fund dashboard; a council admin opens the
postcode lookup. Every page a step ends on is axe-checked."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from cpw.accounts.models import Role
from funds.models import Award, Ballot, BallotCorrection, ParticipatoryRound
from funds.participatory import services
from tests.accounts.factories import TEST_PASSWORD, user_with_role
from tests.funds.participatory import IN_AREA, participatory_round

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _sign_in_directly(browser, user):
    """Sign `user` in without the sign-in page (other browser tests cover it): a session made
    here, its cookie given to the browser. Saves a page load and its axe check per person."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    def give(page):
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": browser.base_url}]
        )

    browser.step(give, check_accessibility=False)


def test_a_resident_votes_staff_enter_paper_ballots_and_the_manager_confirms(programme, browser):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    officer = user_with_role(Role.OFFICER, programme)
    checker = user_with_role(Role.OFFICER, programme)
    council_admin = user_with_role(Role.COUNCIL_ADMIN, council=programme.council)
    vote = participatory_round(programme=programme, manager=manager)
    a, b, c, d = (e.application.project_title for e in vote.entries)
    pk = vote.participatory.pk
    code = services.polling_cards_issue(participatory=vote.participatory, count=1)[0]
    photo = io.BytesIO()
    Image.new("RGB", (400, 300), (40, 120, 60)).save(photo, format="PNG")
    services.bid_photo_set(
        entry=vote.entries[2],
        user=manager,
        photo=SimpleUploadedFile("garden.png", photo.getvalue()),
        alt="The overgrown garden behind the community centre",
    )

    # 1. A resident, on a phone, keyboard only.
    def open_vote(page):
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(browser.base_url + f"/vote/{pk}/")
        _no_sideways_scroll(page)
        page.get_by_role("link", name="Vote now").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("Confirm who you are")

    browser.step(open_vote)

    def identify(page):
        page.get_by_label("With the code on my polling card").focus()
        page.keyboard.press("Space")
        page.get_by_label("Polling card code").focus()
        page.keyboard.type(code)
        page.get_by_label("Your postcode").focus()
        page.keyboard.type(IN_AREA)
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("Your ballot")
        _no_sideways_scroll(page)

    browser.step(identify)

    def ballot(page):
        for title in (a, c):
            page.get_by_label(title).focus()
            page.keyboard.press("Space")
        page.get_by_role("button", name="Update the total").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        expect(page.locator("#running-total")).to_have_text(
            "You have chosen £10,000 of the £10,000 pot. £0 is left."
        )
        page.get_by_label(a).focus()
        page.keyboard.press("Space")  # untick A
        page.get_by_label(d).focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Continue").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("Check your vote")
        _no_sideways_scroll(page)

    browser.step(ballot)

    def cast(page):
        page.get_by_role("button", name="Cast your vote").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("Your vote has been cast")
        _no_sideways_scroll(page)
        page.set_viewport_size({"width": 1280, "height": 900})

    browser.step(cast)
    assert Ballot.objects.filter(participatory_id=pk, channel="online").count() == 1

    # 2. An officer enters ten numbered paper ballots, keyboard only.
    browser.sign_in(officer.email, TEST_PASSWORD)
    papers = [(c, d)] * 6 + [(b,)] * 4

    def enter(picks, last):
        def run(page):
            if page.url != browser.base_url + f"/manage/votes/{pk}/paper/":
                page.goto(browser.base_url + f"/manage/votes/{pk}/paper/")
            for title in picks:
                page.get_by_label(title).focus()
                page.keyboard.press("Space")
            page.get_by_label("Ballot number").focus()
            page.keyboard.press("Enter")
            page.wait_for_load_state("load")
            expect(page.locator(".govuk-notification-banner")).to_contain_text(
                f"Ballot {last} saved"
            )

        return run

    for number, picks in enumerate(papers, start=1):
        browser.step(enter(picks, number), check_accessibility=number == 1)
    assert Ballot.objects.filter(participatory_id=pk, channel="paper").count() == 10

    # A second officer checks a ballot of the sample: what they read does not match.
    mismatched = services.check_sample(vote.participatory)[0]
    _sign_in_directly(browser, checker)

    def check(page):
        page.goto(browser.base_url + f"/manage/votes/{pk}/paper/check/")
        page.get_by_label("Ballot number").fill(str(mismatched))
        page.get_by_label(a).check()  # the first entry did not choose A
        page.get_by_role("button", name="Check this ballot").click()
        page.wait_for_load_state("load")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Ballot {mismatched} does not match the first entry"
        )

    browser.step(check)

    # 3. Voting closes; the manager looks over the staff pages, corrects the ballot from the
    # paper and confirms the result.
    ParticipatoryRound.objects.filter(pk=pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    _sign_in_directly(browser, manager)
    for path, heading in (
        (f"/manage/votes/{pk}/", f"Residents' vote: {vote.round.name}"),
        (f"/manage/rounds/{vote.round.pk}/vote/", None),
        (f"/manage/votes/{pk}/shortlist/", "Shortlist the bids"),
        (
            f"/manage/votes/{pk}/shortlist/{vote.entries[2].pk}/photo/",
            f"Photo of {c}",
        ),
        (f"/manage/votes/{pk}/paper/", "Enter paper ballots"),
        (f"/manage/votes/{pk}/cards/", None),
    ):

        def look(page, path=path, heading=heading):
            page.goto(browser.base_url + path)
            if heading:
                expect(page.locator("h1")).to_have_text(heading)

        browser.step(look)

    def open_correction(page):
        page.goto(browser.base_url + f"/manage/votes/{pk}/paper/check/")
        page.get_by_role("link", name=f"Correct ballot {mismatched}").click()
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text(f"Correct paper ballot {mismatched}")

    browser.step(open_correction)

    def correct(page):
        page.get_by_label("Why are you correcting it?").fill(
            "The paper chooses the bids first entered; the check misread it"
        )
        page.get_by_role("button", name="Correct the ballot").click()
        page.wait_for_load_state("load")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Ballot {mismatched} corrected"
        )
        expect(page.locator("table")).to_contain_text("the check misread it")

    browser.step(correct)
    assert BallotCorrection.objects.get().corrected_by == manager

    def confirm(page):
        page.goto(browser.base_url + f"/manage/votes/{pk}/count/")
        expect(page.locator("body")).to_contain_text("Ballots on paper")
        page.get_by_role("button", name="Confirm the result and award the grants").click()
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("Fund dashboard")
        expect(page.locator("body")).to_contain_text("3 grants awarded.")

    browser.step(confirm)
    awarded = set(
        Award.objects.filter(application__round=vote.round).values_list(
            "application__project_title", flat=True
        )
    )
    assert awarded == {b, c, d}

    # 4. The council's postcode lookup, which the votes check postcodes against.
    _sign_in_directly(browser, council_admin)
    browser.step(
        lambda page: (
            page.goto(browser.base_url + f"/councils/{programme.council.slug}/postcodes/"),
            expect(page.locator("h1")).to_have_text("Postcodes for residents' votes"),
        )
    )
