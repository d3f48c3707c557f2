import copy
import json
import shutil
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings

from cpw.accounts.models import Role
from programmes.models import PlaceKind
from tests.accounts.factories import OrganisationFactory, UserFactory, user_with_role
from tests.programmes.factories import CouncilFactory, PlaceFactory, ProgrammeFactory

ROLE_NAMES = [
    "anonymous",
    Role.COUNCIL_ADMIN.value,
    Role.PROGRAMME_MANAGER.value,
    Role.OFFICER.value,
    Role.STEERING_GROUP.value,
    Role.COUNCILLOR.value,
    Role.ASSESSOR.value,
    Role.PARTNER.value,
    Role.DPO.value,
    "staff",
]


@pytest.fixture(autouse=True)
def _isolated_media(request, tmp_path):
    if "rolled_back_module_world" in request.fixturenames or (
        "world" in request.fixturenames and _shares_module_world(request.session, request.module)
    ):
        yield  # that world's uploads live in its own media folder, for the whole module
        return
    settings_fixture = request.getfixturevalue("settings")
    settings_fixture.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(scope="module")
def rolled_back_module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The `world` (below), built once for a module instead of once per test: in a transaction
    held open for the module and rolled back at its end. Each test (using `db`) runs in a
    savepoint inside it, as with Django's TestCase and setUpTestData, so what a test writes is
    undone before the next. Its uploads live in a media folder of the module's. For modules
    whose tests only read the world's objects (the access matrix, the hostile-input walk):
    a test that changes them in memory would leak the change to the next."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("module-media"))
        media.enable()
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            yield build_world(make_programme())
        finally:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            media.disable()


def stand_in_pdf(snapshot: dict) -> bytes:
    """What compiling a report stores as its PDF in tests not marked `real_pdf`: the printed
    report is still made from the snapshot (so a broken section fails the test), but not
    typeset; the bytes carry the printed text and the snapshot, so a download can be searched
    for what it would print."""
    from reporting.printed import printed_report, printed_text

    text = printed_text(printed_report(snapshot))
    frozen = json.dumps(snapshot, ensure_ascii=False, default=str, sort_keys=True)
    return b"%PDF-1.4\n%stand-in " + (text + "\n" + frozen).encode() + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def _stand_in_pdf(request):
    """Reports compile with `stand_in_pdf` unless the test is marked `real_pdf` (the handful that
    read the PDF back). The snapshot, the HTML page and the spreadsheet are made as ever."""
    if request.node.get_closest_marker("real_pdf"):
        yield
        return
    with mock.patch("reporting.services.render_pdf", side_effect=stand_in_pdf):
        yield


def make_programme():
    return ProgrammeFactory(slug="cpw", name="Community Powered Warwickshire", short_name="CPW")


@pytest.fixture
def programme(db):
    return make_programme()


COUNCIL_ROLE_NAMES = [
    Role.PROGRAMME_MANAGER,
    Role.OFFICER,
    Role.STEERING_GROUP,
    Role.ASSESSOR,
]


def _programme_world(
    programme, division_name: str, place_name: str, organisation_name: str, locality_name=""
) -> SimpleNamespace:
    """One programme with a user for every role in it, a councillor's ward or division with a
    place in it, and a partner organisation with one member. The council admin administers the
    programme's council."""
    council = programme.council
    division = PlaceFactory(council=council, kind=council.councillor_place_kind, name=division_name)
    if locality_name:  # a unitary council's wards are grouped in localities
        division.parent = PlaceFactory(council=council, kind=PlaceKind.LOCALITY, name=locality_name)
        division.save(update_fields=["parent"])
    PlaceFactory(council=council, name=place_name, parent=division, kind=PlaceKind.NEIGHBOURHOOD)
    users = {role.value: user_with_role(role, programme) for role in COUNCIL_ROLE_NAMES}
    users[Role.COUNCILLOR.value] = user_with_role(Role.COUNCILLOR, programme, division=division)
    users[Role.PARTNER.value] = user_with_role(
        Role.PARTNER, organisation=OrganisationFactory(name=organisation_name)
    )
    users[Role.COUNCIL_ADMIN.value] = user_with_role(Role.COUNCIL_ADMIN, council=council)
    return SimpleNamespace(
        council=council,
        programme=programme,
        division=division,
        users=users,
        partner_organisation=users[Role.PARTNER.value].organisation,
    )


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


_MODULES_SHARING_A_WORLD: dict[str, bool] = {}


def _shares_module_world(session, module) -> bool:
    """Whether the module's tests get `world` from one world built for the module
    (`module_world_or_none`): when none of them commits (a transactional test or a live server
    needs the database as committed, which the module's open transaction would hide) and the
    module is not marked `world_per_test` (its tests count or create what the world holds)."""
    if module.__name__ not in _MODULES_SHARING_A_WORLD:
        tests = [item for item in session.items if getattr(item, "module", None) is module]
        _MODULES_SHARING_A_WORLD[module.__name__] = not any(
            _transactional(item) or item.get_closest_marker("world_per_test") for item in tests
        )
    return _MODULES_SHARING_A_WORLD[module.__name__]


@pytest.fixture(scope="module")
def module_world_or_none(request):
    """The module's world (rolled_back_module_world) when its tests may share one, else None."""
    if _shares_module_world(request.session, request.module):
        return request.getfixturevalue("rolled_back_module_world")
    return None


@pytest.fixture
def world(module_world_or_none, db, programme):
    """Two councils (a county with a division, a unitary with a ward in a locality), each with one programme, a user for every role, its
    own partner organisation and its own objects (each app's tests/<app>/access.py adds them through `extend_world`, once per
    programme). `world` is the first programme; `world.other` the second. One staff admin.
    `world.users["outsider"]` is the second programme's officer.

    Built once per module (about 3 s on PostgreSQL, for some 350 tests) where the module's tests
    may share it: each test then runs in a savepoint that undoes what it writes, and gets its own
    copy of the world's objects, so that what it changes in memory is not seen by the next."""
    if module_world_or_none is not None:
        return copy.deepcopy(module_world_or_none)
    return build_world(programme)


def build_world(programme):
    """The `world` fixture's objects, for fixtures that build it outside a test's transaction."""
    world = _programme_world(programme, "Leamington North", "Lillington", "Feed the Hungry")
    other = _programme_world(
        ProgrammeFactory(
            slug="wf",
            name="Westmorland and Furness Community Power",
            short_name="W&F",
            council=CouncilFactory(unitary=True),
        ),
        "Eden North",
        "Penrith",
        "Other Org",
        locality_name="Eden Locality",
    )
    staff = UserFactory(is_staff=True, is_superuser=True)
    world.users["staff"] = other.users["staff"] = staff
    # each council's own data protection officer
    world.users[Role.DPO.value] = user_with_role(Role.DPO, council=world.council)
    other.users[Role.DPO.value] = user_with_role(Role.DPO, council=other.council)
    world.users["outsider"] = other.users[Role.OFFICER.value]
    other.users["outsider"] = world.users[Role.OFFICER.value]
    world.other = other
    # Older tests name the second partner organisation this way.
    world.other_partner = other.users[Role.PARTNER.value]
    world.other_organisation = other.partner_organisation
    from tests.access import extend_world

    extend_world(world)
    extend_world(other)
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


# The longest files, run first: `make test` gives each process whole files (`--dist loadfile`),
# so a long file that comes last in the collection (top-level files do) leaves the other process
# idle while it finishes.
LONGEST_FILES = [
    "tests/browser/test_every_page.py",
    "tests/test_access_matrix.py",
    "tests/test_hostile_input.py",
    "tests/test_council_isolation.py",
    "tests/test_council_organisations.py",
]


def pytest_collection_modifyitems(config, items):
    rank = {path: index for index, path in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        skip = pytest.mark.skip(reason="needs PostgreSQL and Redis: runs in the PostgreSQL pass")
        for item in items:
            if "worker" in item.keywords:
                item.add_marker(skip)
