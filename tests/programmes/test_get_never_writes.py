"""A GET never writes: every page of the delivery-plan area leaves every table's row count as it
was, and a programme without a plan still has none after its plan pages are opened."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from cpw.accounts.models import Role
from programmes.models import DeliveryPlan
from programmes.services import reporting_periods_ensure
from programmes.views import SESSION_KEY
from tests.accounts.factories import user_with_role
from tests.programmes.access import ACCESS, PM, STAFF
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


# Reading personal data is itself recorded (data protection's access log): the one write a
# GET is meant to make.
WRITTEN_ON_READ = {"privacy.AccessLogEntry"}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label not in WRITTEN_ON_READ
    }


def test_no_page_of_the_plan_area_writes_on_get(world):
    rows = [row for row in ACCESS if row.method == "get"]
    assert len(rows) > 15
    clients = {}
    for role in (PM, STAFF):  # signed in before counting: signing in writes a session
        clients[role] = Client()
        clients[role].force_login(
            world.users[role], backend="django.contrib.auth.backends.ModelBackend"
        )
    before = row_counts()
    for row in rows:
        role = PM if PM in row.allowed else STAFF
        url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None)
        response = clients[role].get(url + (f"?{row.query}" if row.query else ""))
        assert response.status_code == row.ok_status, row.url_name
    changed = {k: (before[k], v) for k, v in row_counts().items() if before[k] != v}
    assert not changed, f"GETs changed row counts: {changed}"


def test_the_plan_pages_of_a_programme_without_a_plan_create_none(client_as):
    programme = ProgrammeFactory(slug="new-programme")
    (period,) = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")
    client = client_as(user_with_role(Role.PROGRAMME_MANAGER, programme))
    slug = programme.slug
    before = row_counts()
    for name, kwargs, status in [
        ("programmes:plan", {"slug": slug}, 200),
        ("programmes:plan-export", {"slug": slug, "fmt": "csv"}, 200),
        ("programmes:plan-export", {"slug": slug, "fmt": "xlsx"}, 200),
        ("programmes:plan-import", {"slug": slug}, 200),
        ("programmes:plan-import-check", {"slug": slug}, 302),
        ("programmes:plan-import-template", {"slug": slug}, 200),
        ("programmes:period-lock", {"slug": slug, "label": period.label}, 200),
        ("programmes:period-chase", {"slug": slug, "label": period.label}, 200),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == status, name
    session = client.session
    session[SESSION_KEY] = {
        "slug": slug,
        "name": "plan.csv",
        "table": [{"group": "Places", "commitment": "Panels"}],
        "unmatched": "error",
    }
    session.save()
    response = client.get(reverse("programmes:plan-import-check", args=[slug]))
    assert response.status_code == 200
    assert "Theme" in response.content.decode()
    assert row_counts() == before
    assert not DeliveryPlan.objects.filter(programme=programme).exists()

    response = client.post(reverse("programmes:plan-import-check", args=[slug]))
    assert response.status_code == 302
    plan = DeliveryPlan.objects.get(programme=programme)
    assert plan.commitments.get().title == "Panels"
