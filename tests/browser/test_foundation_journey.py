import re

import pytest
from django.core import mail

from cpw.accounts.models import User
from tests.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_partner_registers_confirms_their_email_and_reaches_their_organisation(browser, db):
    def register(page):
        page.goto(browser.base_url + "/")
        page.get_by_role("link", name="create an account for your organisation").click()
        page.get_by_label("Your full name").fill("Jo Walker")
        page.get_by_label("Your email address").fill("jo@pantry.example.org")
        page.get_by_label("Name of your organisation").fill("Camp Hill Community Pantry")
        page.get_by_label("Community group").check()
        page.get_by_label("Address of your organisation").fill("1 Camp Hill Road\nNuneaton")
        page.get_by_label("Postcode").fill("cv10 0aa")
        page.get_by_label("Create a password").fill("a-long-unusual-passphrase")
        page.get_by_label("Confirm your password").fill("a-long-different-passphrase")
        page.get_by_role("button", name="Create account").click()
        assert page.get_by_role("alert").get_by_text("The two passwords do not match").count()

    browser.step(register)

    def fix_password(page):
        page.get_by_label("Create a password").fill("a-long-unusual-passphrase")
        page.get_by_label("Confirm your password").fill("a-long-unusual-passphrase")
        page.get_by_role("button", name="Create account").click()
        page.get_by_role("heading", name="Check your email").wait_for()

    browser.step(fix_password)
    assert not User.objects.get(email="jo@pantry.example.org").is_active
    link = re.search(r"http://\S+/register/verify/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("8000", 1)[1]

    def confirm(page):
        page.goto(browser.base_url + path)
        # A partner's home: what to do next, then their applications
        page.get_by_role("heading", level=1, name="Applications").wait_for()
        assert page.get_by_text("Camp Hill Community Pantry").count()
        assert page.get_by_text("Your email address is confirmed").count()
        nav = page.get_by_role("navigation", name="Menu")
        items = nav.get_by_role("link").all_inner_texts()
        assert items[0] == "Your organisation"
        assert not {"Overview", "My work", "Delivery plan", "People"} & set(items)

    browser.step(confirm)
    assert User.objects.get(email="jo@pantry.example.org").is_active


def test_each_role_lands_on_its_home_page(browser, world):
    homes = {
        "programme_manager": "Programme overview",
        "officer": "My work",
        "steering_group": "Steering group",
        "councillor": "My division",
        "assessor": "Applications to assess",
        "partner": "Applications",
    }
    for role, heading in homes.items():
        browser.sign_in(world.users[role].email, TEST_PASSWORD)

        def on_home(page, heading=heading):
            page.get_by_role("heading", level=1, name=heading).wait_for()

        browser.step(on_home)
        browser.sign_out()


def test_too_many_wrong_passwords_are_told_to_wait(browser, world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    email = world.users["officer"].email
    browser.sign_in(email, "wrong-password")
    browser.sign_in(email, "wrong-password")

    def locked(page):
        page.get_by_role("heading", name="Wait 1 minute before you try again").wait_for()

    browser.step(locked)
