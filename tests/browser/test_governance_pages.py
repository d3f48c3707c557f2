"""Governance and invitation pages with their errors showing pass axe (test_every_page.py
checks them as they first open)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_governance_errors_pass_axe(world, browser):
    browser.sign_in(world.users["programme_manager"].email, TEST_PASSWORD)
    slug, body = world.programme.slug, world.governance_body.pk
    for name, args in [
        ("programmes:governance-add", [slug]),
        ("programmes:governance-member-add", [slug, body]),
        ("programmes:governance-remove", [slug, body]),
        ("programmes:invite", []),
    ]:
        browser.visit(reverse(name, args=args))
        browser.step(lambda page: page.click("button[name=submit]"))
        browser.step(lambda page: page.wait_for_selector(".govuk-error-summary"))
