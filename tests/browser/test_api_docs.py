"""The API's documentation page (Swagger UI, with the portal's contrast fixes and names for its
unnamed controls: static/css/api-docs.css, static/js/api-docs.js) passes axe-core: as it opens,
with an operation open, trying it out with its answer shown, and with the Authorize dialog."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_the_api_docs_page_passes_axe(browser, db):
    def open_docs(page):
        page.goto(browser.base_url + reverse("api:docs"))
        page.locator(".opblock").first.wait_for()

    browser.step(open_docs)

    def open_an_operation(page):
        page.locator(".opblock-summary-control").first.click()
        page.locator(".responses-table").first.wait_for()

    browser.step(open_an_operation)

    def try_it_out(page):
        page.get_by_role("button", name="Try it out").first.click()
        page.get_by_role("button", name="Execute").first.click()
        page.locator(".live-responses-table").first.wait_for()  # 401: no token given

    browser.step(try_it_out)

    def authorize(page):
        page.get_by_role("button", name="Authorize").first.click()
        page.locator(".modal-ux").first.wait_for()

    browser.step(authorize)
