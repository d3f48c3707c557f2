"""Every page in the access matrix, opened by a role allowed to see it, passes axe-core."""

import pytest
from django.urls import reverse

from tests.access import ANONYMOUS, all_access_rows
from tests.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

ROLE_PREFERENCE = [
    "programme_manager",
    "officer",
    "steering_group",
    "councillor",
    "assessor",
    "partner",
    "staff",
]


def _viewer(row):
    if row.public:
        return ANONYMOUS
    return next(role for role in ROLE_PREFERENCE if role in row.allowed)


def test_every_page_passes_axe(world, browser):
    rows = [row for row in all_access_rows() if row.html and row.method == "get"]
    by_viewer = {}
    for row in rows:
        by_viewer.setdefault(_viewer(row), []).append(row)
    checked = 0
    for viewer, viewer_rows in by_viewer.items():
        if viewer != ANONYMOUS:
            browser.sign_in(world.users[viewer].email, TEST_PASSWORD)
        for row in viewer_rows:
            url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None)
            browser.visit(url + row.query)
            checked += 1
        if viewer != ANONYMOUS:
            browser.sign_out()
    assert checked == len(rows)


def test_error_pages_pass_axe(world, browser):
    browser.sign_in(world.users["partner"].email, TEST_PASSWORD)
    browser.visit("/overview/")  # 403 for a partner
    browser.visit("/no-such-page/")  # 404
