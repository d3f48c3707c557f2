"""The navigation and the home page ask one permission map per request, which must answer as
`user.has_perm` would for every role (and not go back to the rules or the database per item)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpw.accounts.models import User
from cpw.accounts.rules import permission_map
from cpw.site.navigation import HOME_PERMISSIONS, NAV_PERMISSIONS, home_url_for, navigation_for

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_smoke]

PERMISSIONS = NAV_PERMISSIONS + HOME_PERMISSIONS


def test_the_permission_map_answers_as_has_perm_for_every_role(world):
    users = {**world.users, "inactive": world.users["officer"]}
    for name, user in users.items():
        fresh = User.objects.get(pk=user.pk)  # no caches from other checks
        if name == "inactive":
            fresh.is_active = False
        expected = {p: User.objects.get(pk=user.pk).has_perm(p) for p in PERMISSIONS}
        if name == "inactive":
            expected = dict.fromkeys(PERMISSIONS, False)
        assert permission_map(fresh, PERMISSIONS) == expected, name
    assert not any(permission_map(AnonymousUser(), PERMISSIONS).values())


def test_the_navigation_costs_no_query_once_the_roles_are_loaded(world):
    manager = User.objects.get(pk=world.users["programme_manager"].pk)
    manager.roles_by_programme  # noqa: B018 - the roles query every signed-in page makes
    with CaptureQueriesContext(connection) as queries:
        items = navigation_for(manager, "/overview/")
        again = navigation_for(manager, "/overview/")
        home = home_url_for(manager)
    assert len(queries) == 0
    assert items == again
    assert {"Overview", "Delivery plan", "Reports", "Admin"} <= {i["label"] for i in items}
    assert [i["label"] for i in items if i["active"]] == ["Overview"]
    assert home == reverse("programmes:overview")


def test_a_role_change_is_seen_after_the_roles_are_forgotten(world):
    officer = User.objects.get(pk=world.users["officer"].pk)
    assert not permission_map(officer, PERMISSIONS)["portal.view_programme_overview"]
    officer.role_assignments.update(role="programme_manager")
    officer.forget_roles()
    assert permission_map(officer, PERMISSIONS)["portal.view_programme_overview"]
