import shutil
from types import SimpleNamespace

import pytest
from django.conf import settings

from cpw.accounts.models import Role
from tests.accounts.factories import OrganisationFactory, UserFactory, user_with_role
from tests.programmes.factories import PlaceFactory, ProgrammeFactory

ROLE_NAMES = [
    "anonymous",
    Role.PROGRAMME_MANAGER.value,
    Role.OFFICER.value,
    Role.STEERING_GROUP.value,
    Role.COUNCILLOR.value,
    Role.ASSESSOR.value,
    Role.PARTNER.value,
    "staff",
]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def programme(db):
    return ProgrammeFactory(slug="cpw", name="Community Powered Warwickshire", short_name="CPW")


@pytest.fixture
def world(db, programme):
    """One programme, one user for every role, and a second partner organisation. Each app's
    tests/<app>/access.py may add the objects its URLs need through `extend_world`."""
    division = PlaceFactory(division=True, name="Leamington North")
    PlaceFactory(name="Lillington", parent=division)
    users = {
        Role.PROGRAMME_MANAGER.value: user_with_role(Role.PROGRAMME_MANAGER, programme),
        Role.OFFICER.value: user_with_role(Role.OFFICER, programme),
        Role.STEERING_GROUP.value: user_with_role(Role.STEERING_GROUP, programme),
        Role.COUNCILLOR.value: user_with_role(Role.COUNCILLOR, programme, division=division),
        Role.ASSESSOR.value: user_with_role(Role.ASSESSOR, programme),
        Role.PARTNER.value: user_with_role(Role.PARTNER),
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    other_partner = user_with_role(Role.PARTNER, organisation=OrganisationFactory(name="Other Org"))
    world = SimpleNamespace(
        programme=programme,
        division=division,
        users=users,
        partner_organisation=users[Role.PARTNER.value].organisation,
        other_partner=other_partner,
        other_organisation=other_partner.organisation,
    )
    from tests.access import extend_world

    extend_world(world)
    return world


@pytest.fixture
def client_as(client):
    """client_as(user) -> the test client signed in as that user (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def broker_down(settings):
    """The broker is configured but nothing listens there."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from cpw.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.broker_url = original


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        skip = pytest.mark.skip(reason="needs PostgreSQL and Redis: runs in the PostgreSQL pass")
        for item in items:
            if "worker" in item.keywords:
                item.add_marker(skip)
