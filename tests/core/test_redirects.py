"""Every redirect that takes a `next` address stays on the portal, whatever is put in it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cpw.core.redirects import safe_next
from programmes.models import ReportingPeriod
from tests.accounts.factories import TEST_PASSWORD, UserFactory

HOSTILE = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example/",
    "http://evil.example/",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "https:///evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def _on_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("address", HOSTILE)
def test_safe_next_refuses_other_sites_and_schemes(address):
    request = RequestFactory().post("/x/", {"next": address})
    assert safe_next(request, "/home/") == "/home/"
    request = RequestFactory().get("/x/", {"next": address})
    assert safe_next(request, "/home/") == "/home/"


def test_safe_next_follows_a_page_of_this_site():
    request = RequestFactory().post("/x/", {"next": "/programmes/cpw/periods/?a=1"})
    assert safe_next(request, "/home/") == "/programmes/cpw/periods/?a=1"
    request = RequestFactory().post("/x/", {"next": "http://testserver/programmes/"})
    assert safe_next(request, "/home/") == "http://testserver/programmes/"


def test_safe_next_on_https_refuses_a_plain_http_address_on_the_same_host():
    request = RequestFactory().post("/x/", {"next": "http://testserver/programmes/"}, secure=True)
    assert safe_next(request, "/home/") == "/home/"


@pytest.mark.django_db
@pytest.mark.parametrize("address", HOSTILE)
def test_locking_a_period_returns_to_the_plan_not_elsewhere(plan_world, client_as, address):
    client = client_as(plan_world.manager)
    url = reverse(
        "programmes:period-lock", args=[plan_world.programme.slug, plan_world.current.label]
    )
    response = client.post(url, {"next": address, "reason": "Board meets early"})
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:plan", args=[plan_world.programme.slug])
    assert ReportingPeriod.objects.get(pk=plan_world.current.pk).is_locked


@pytest.mark.django_db
def test_locking_a_period_follows_a_next_address_on_the_site(plan_world, client_as):
    client = client_as(plan_world.manager)
    url = reverse(
        "programmes:period-lock", args=[plan_world.programme.slug, plan_world.current.label]
    )
    back = reverse("programmes:period-list", args=[plan_world.programme.slug])
    assert client.post(url, {"next": back, "reason": "Board meets early"})["Location"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("address", HOSTILE)
def test_signing_in_with_a_hostile_next_lands_on_the_portal(client, address):
    user = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(
        reverse("accounts:sign-in") + "?next=" + address,
        {"username": user.email, "password": TEST_PASSWORD, "next": address},
    )
    assert response.status_code == 302
    assert _on_site(response["Location"]), response["Location"]
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
@pytest.mark.parametrize("address", HOSTILE)
def test_signing_out_with_a_hostile_next_lands_on_the_portal(client_as, address):
    client = client_as(UserFactory())
    response = client.post(reverse("accounts:sign-out"), {"next": address})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signed-out")
