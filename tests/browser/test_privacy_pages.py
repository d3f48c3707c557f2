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
    dpo = user_with_role(Role.DPO)
    person = UserFactory(email="lee@example.org", full_name="Lee Example")
    ApplicationFactory(created_by=person, declaration_name="Lee Example")
    AwardFactory(application__created_by=person)
    OutboundEmail.objects.create(to="lee@example.org", subject="Hello", body="Dear Lee")
    for n in range(3):
        record_access(user=dpo, what=f"Applications export {n}", rows=5000 * n)
    retention_apply(dry_run=True)
    request = subject_access_request_start(user=dpo, email="lee@example.org")
    subject_access_request_build(request_id=request.pk)
    erasure_apply(subject=Subject(email="nobody@example.org"), user=dpo)

    browser.sign_in(dpo.email, TEST_PASSWORD)
    pages = [
        reverse("privacy:register"),
        reverse("privacy:access-log"),
        reverse("privacy:retention-log"),
        reverse("privacy:subject-access") + "?email=lee%40example.org&name=",
        reverse("privacy:subject-access") + "?email=not-an-email&name=",
        reverse("privacy:subject-access-request", args=[request.pk]),
        reverse("privacy:erasure") + "?email=lee%40example.org&name=",
        reverse("privacy:erasure-log"),
        reverse("privacy"),
    ]
    for path in pages:
        browser.visit(path)
        assert browser.step(_no_sideways_scroll, check_accessibility=False) <= 0, path
