"""Walks every URL for every role, against both programmes' objects, with GET and POST (POST
with a valid CSRF token), and asserts who may see it (tests/access.py says how each cell's
expected answer follows from the row)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import FileField
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import ANONYMOUS, OUTSIDER, all_access_rows, expected_status
from tests.conftest import ROLE_NAMES

IGNORED_NAMESPACES = {"admin"}
ROLES = [*ROLE_NAMES, OUTSIDER]


def _named_urls(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in IGNORED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


ROWS = all_access_rows()


def test_every_url_has_an_access_row():
    covered = {row.url_name for row in ROWS}
    missing = sorted(set(_named_urls()) - covered)
    assert not missing, f"URLs with no row in the access matrix: {missing}"


def test_no_access_row_names_a_url_that_does_not_exist():
    unknown = sorted({row.url_name for row in ROWS} - set(_named_urls()))
    assert not unknown, f"Access rows for URLs that do not exist: {unknown}"


def test_every_row_says_whether_its_objects_belong_to_a_programme_and_what_post_gets():
    undeclared = sorted(
        row.url_name for row in ROWS if row.scoped is None or row.other_ok_status is None
    )
    assert not undeclared, f"Rows without scoped= or other_ok_status=: {undeclared}"


class MatrixClient(Client):
    """A client that enforces CSRF like a browser does, and sends a valid token with POSTs.
    Each user is signed in once (per module with `signed_in_sessions`, else per test) and their
    session reused for the other cells (a row asks up to four times per role); a cell whose
    answer ended or replaced the session (signing out, a new session) has the user signed in
    afresh for the next."""

    def __init__(self, sessions: dict | None = None):
        super().__init__(enforce_csrf_checks=True)
        self.token = _get_new_csrf_string()
        self.cookies[settings.CSRF_COOKIE_NAME] = self.token
        # user pk -> session key: the module's signed-in sessions (`signed_in_sessions`), which
        # each test's rollback restores, then those this test signs in
        self.sessions = dict(sessions or {})

    def post(self, path, data=None, **extra):
        return super().post(path, data or {}, headers={"X-CSRFToken": self.token}, **extra)

    def request(self, **request):
        response = super().request(**request)
        user_pk = getattr(self, "signed_in", None)
        session = self.cookies.get(settings.SESSION_COOKIE_NAME)
        if user_pk is not None and (session is None or session.value != self.sessions[user_pk]):
            del self.sessions[user_pk]
        return response

    def sign_in(self, user):
        self.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        self.cookies[settings.CSRF_COOKIE_NAME] = self.token
        self.signed_in = None
        if user is not None:
            if user.pk not in self.sessions:
                self.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                self.sessions[user.pk] = self.cookies[settings.SESSION_COOKIE_NAME].value
            self.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[user.pk]
            self.signed_in = user.pk
        return self


def walk(row, world, client) -> list[str]:
    """Every cell of one row; the failures, as readable lines."""
    failures = []
    worlds = [(world, False)]
    if row.scoped:
        worlds.append((world.other, True))
    for objects, other_programme in worlds:
        kwargs = row.kwargs(objects) if row.kwargs else None
        url = reverse(row.url_name, kwargs=kwargs) + row.query
        whose = "other programme's" if other_programme else "own"
        for method in (row.method, row.other_method):
            if method != row.method and row.other_ok_status is None:
                continue
            for role in ROLES:
                expected = expected_status(
                    row, role, method=method, other_programme=other_programme
                )
                client.sign_in(None if role == ANONYMOUS else world.users[role])
                response = getattr(client, method)(url)
                got = response.status_code
                cell = f"{role} {method.upper()} {whose} {url}"
                if got != expected:
                    failures.append(f"{cell}: got {got}, expected {expected}")
                elif (
                    role == ANONYMOUS
                    and expected == 302
                    and not row.public
                    and not response["Location"].startswith(reverse("accounts:sign-in"))
                ):
                    failures.append(f"{cell}: redirected to {response['Location']}")
    return failures


@pytest.fixture
def world(rolled_back_module_world, db):
    """One world for the whole module (tests/conftest.py): rows only read its objects."""
    return rolled_back_module_world


@pytest.fixture(scope="module")
def signed_in_sessions(rolled_back_module_world, django_db_blocker) -> dict:
    """A signed-in session for each user of the module's world, made in the module's
    transaction: what a test does to one (signing out) is undone when the test ends."""
    sessions = {}
    with django_db_blocker.unblock():
        for user in rolled_back_module_world.users.values():
            if user.pk not in sessions:
                client = Client()  # a client of its own: signing in again would end the last
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.mark.parametrize("row", ROWS, ids=[row.url_name for row in ROWS])
def test_access_matrix(row, world, signed_in_sessions):
    failures = walk(row, world, MatrixClient(signed_in_sessions))
    assert not failures, f"{row.url_name}:\n" + "\n".join(failures)


def test_uploaded_files_are_only_reached_through_checked_views(world, client_as):
    """No media file is served at a guessable URL: every upload in the world (attachments,
    evidence, photos, exports) answers 404 at MEDIA_URL, even to a staff admin."""
    files = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                for value in model.objects.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                ):
                    files.append(value)
    assert files, "the access world should hold uploaded files"
    client = client_as(world.users["staff"])
    for name in files:
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 404, name
