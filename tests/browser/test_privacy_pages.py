"""The data protection officer's pages, with data on them, pass axe-core at 1280 px and do not
scroll sideways at 375 px."""

import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from cpw.privacy.services import (
    Subject,
    erasure_apply,
    record_access,
    retention_apply,
    subject_access_request_build,
    subject_access_request_start,
)
from tests.accounts.factories import TEST_PASSWORD, UserFactory, user_with_role
from tests.funds.factories import ApplicationFactory, AwardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return overflow


def test_the_dpo_pages_pass_axe_and_fit_a_phone(browser):
    dpo = user_with_role(Role.DPO)  # the DPO of the factories' council
    council = dpo.role_assignments.get().council
    person = UserFactory(email="lee@example.org", full_name="Lee Example")
    ApplicationFactory(created_by=person, declaration_name="Lee Example")
    AwardFactory(application__created_by=person)
    OutboundEmail.objects.create(to="lee@example.org", subject="Hello", body="Dear Lee")
    for n in range(3):
        record_access(user=dpo, what=f"Applications export {n}", rows=5000 * n, council=council)
    retention_apply(dry_run=True)
    request = subject_access_request_start(user=dpo, email="lee@example.org", council=council)
    subject_access_request_build(request_id=request.pk)
    erasure_apply(subject=Subject(email="nobody@example.org"), user=dpo, council=council)

    browser.sign_in(dpo.email, TEST_PASSWORD)
    pages = [
        reverse("privacy:register"),
        reverse("privacy:access-log"),
        reverse("privacy:retention-log"),
        reverse("privacy:subject-access-request", args=[request.pk]),
        reverse("privacy:erasure-log"),
        reverse("privacy"),
    ]
    for path in pages:
        browser.visit(path)
        assert browser.step(_no_sideways_scroll, check_accessibility=False) <= 0, path

    # the searches are POSTed from the form: results, and the error summary for a bad address
    for path, email in (
        (reverse("privacy:subject-access"), "lee@example.org"),
        (reverse("privacy:subject-access"), "not-an-email"),
        (reverse("privacy:erasure"), "lee@example.org"),
    ):
        browser.visit(path)

        def search(page, email=email):
            page.fill("#id_email", email)
            page.locator("main form[method=post] button[type=submit]").first.click()
            page.wait_for_load_state("load")
            assert "?" not in page.url  # nothing about the person in the address

        browser.step(search)
        assert browser.step(_no_sideways_scroll, check_accessibility=False) <= 0, (path, email)
