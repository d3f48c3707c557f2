"""A manager makes an API token, sees it once, reads the API with it and revokes it; every
page passes axe-core."""

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from cpw.accounts.models import Role
from tests.accounts.factories import TEST_PASSWORD, user_with_role

pytestmark = pytest.mark.browser


def test_a_manager_makes_reads_with_and_revokes_a_token(browser, programme):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    browser.sign_in(manager.email, TEST_PASSWORD)
    browser.visit(reverse("api:tokens"))

    def make(page):
        page.get_by_role("link", name="Create a token").click()
        page.get_by_role("button", name="Create token").click()  # no name: an error
        page.get_by_role("link", name="Enter a name for the token").wait_for()

    browser.step(make)

    def name_it(page):
        page.get_by_label("Name").fill("Power BI")
        page.get_by_role("button", name="Create token").click()
        page.get_by_text("Copy the token now").wait_for()
        return page.locator("#token").inner_text()

    key = browser.step(name_it)
    token = ApiToken.objects.get(user=manager)
    assert key.startswith(token.prefix)
    api = Client()
    headers = {"Authorization": f"Bearer {key}"}
    response = api.get(reverse("api:programme-list"), headers=headers)
    assert [row["slug"] for row in response.json()["results"]] == [programme.slug]

    def revoke(page):
        page.get_by_role("link", name="Back to your tokens").click()
        page.get_by_role("link", name="Revoke Power BI").click()
        page.get_by_role("button", name="Revoke token").click()
        page.get_by_role("cell", name="Revoked").wait_for()

    browser.step(revoke)
    assert api.get(reverse("api:programme-list"), headers=headers).status_code == 401
